//! Watched-word patterns: the lines before the first blank line are patterns (compiled as
//! operators would enter them), the rest a post checked against them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trialog_core::moderation::{WatchedWord, WordAction, WordList};

const ACTIONS: [WordAction; 4] = [WordAction::Block, WordAction::RequireApproval, WordAction::Flag, WordAction::Crisis];

fuzz_target!(|text: &str| {
    let (patterns, post) = text.split_once("\n\n").unwrap_or((text, text));
    let words: Vec<WatchedWord> = patterns
        .lines()
        .enumerate()
        .map(|(i, pattern)| WatchedWord::new(["de", "da", "*"][i % 3], pattern, ACTIONS[i % ACTIONS.len()]))
        .collect();
    for word in &words {
        let _ = word.validated();
    }
    if let Ok(list) = WordList::compile(&words) {
        for language in ["de", "da", "en"] {
            let _ = list.check(post, language);
        }
    }
});
