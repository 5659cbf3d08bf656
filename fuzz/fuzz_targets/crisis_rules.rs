//! Crisis rules and evaluation files: the text before a line `---` is a rule file (compiled
//! as German and Danish), the text after it a post run through the detector and read as an
//! evaluation TSV file. Refused input is `InvalidInput`; no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trialog_core::moderation::crisis::Detector;
use trialog_core::moderation::crisis::eval::read_samples;

fuzz_target!(|text: &str| {
    let (rules, post) = text.split_once("\n---\n").unwrap_or((text, text));
    if let Ok(detector) = Detector::compile(&[("de", rules), ("da", rules)]) {
        for language in ["de", "da", "en"] {
            let _ = detector.detect(post, language);
        }
    }
    let _ = read_samples(post);
});
