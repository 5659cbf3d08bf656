//! Match input files (`trialog match assign|stable`): any JSON is read into a run input or
//! refused with a field, and an accepted input solves or is refused; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trialog_core::RunInput;

fuzz_target!(|bytes: &[u8]| {
    let Some((&which, json)) = bytes.split_first() else { return };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else { return };
    let read = if which % 2 == 0 { RunInput::assignment_from_json } else { RunInput::placements_from_json };
    if let Ok(input) = read(&value) {
        let _ = input.solve();
    }
});
