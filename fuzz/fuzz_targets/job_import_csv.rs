//! CSV job imports: any file gives rows and row problems, or a header error; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trialog_cli::job_rows::{csv_problem, csv_rows};

fuzz_target!(|text: &str| {
    if let Ok(parsed) = csv_rows(text) {
        for problem in parsed.problems {
            let _ = csv_problem(problem);
        }
    }
});
