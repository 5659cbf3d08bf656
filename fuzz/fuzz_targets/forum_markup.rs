//! Forum markup: any post renders to HTML, plain text and an excerpt; the HTML holds only the
//! elements the renderer promises (`p`, `br`, `blockquote`, `a`), so no writer's angle
//! brackets become tags, and no link runs script.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trialog_core::forums::markup::{excerpt, plain_text, to_html};

const TAGS: [&str; 7] = ["<p>", "</p>", "<br>", "<blockquote>", "</blockquote>", "<a ", "</a>"];

fuzz_target!(|source: &str| {
    let html = to_html(source);
    for (at, _) in html.match_indices('<') {
        assert!(TAGS.iter().any(|tag| html[at..].starts_with(tag)), "an unexpected tag at {at} in {html}");
    }
    assert!(!html.to_ascii_lowercase().contains("href=\"javascript:"), "a script link in {html}");
    let _ = plain_text(source);
    let short = excerpt(source, 40);
    assert!(short.chars().count() <= 41, "an excerpt of {} characters", short.chars().count());
});
