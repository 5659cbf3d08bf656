//! JSON Lines job imports: every non-blank line becomes a row or a problem naming its line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trialog_cli::job_rows::jsonl_rows;

fuzz_target!(|text: &str| {
    let parsed = jsonl_rows(text);
    let lines = text.lines().filter(|line| !line.trim().is_empty()).count();
    assert_eq!(parsed.rows.len() + parsed.problems.len(), lines, "a line was lost or counted twice");
});
