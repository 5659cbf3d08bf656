//! The detector's hot paths as they were before they were made faster (issue 18's speed round),
//! kept for one test: over every text of every evaluation set in `core/tests/data/crisis/`
//! (and long posts joined from them), today's detector must give the very same answer — the
//! same findings and set-aside matches with their levels, spans and reasons (which carry the
//! model's scores) — as the old code path, and a check with watched words (which shares its
//! skeleton with the detector now) the same findings as the detector alone. It compares code
//! with code at run time, so a retrained `model.bin` or edited pattern files keep it meaningful.
//! What the round changed elsewhere is proven by its own test: the skeleton's table of folded
//! Latin letters (`words::tests`), and the token index built from pairs in any order (below).

use std::path::{Path, PathBuf};

use super::*;
use crate::moderation::crisis::detector;
use crate::moderation::crisis::eval::read_samples;
use crate::moderation::{WatchedWord, WordAction, WordList};

impl Detector {
    /// [`Detector::detect_piece`] with the word of each automaton hit found by a binary search
    /// over the words, as before [`WordCursor`].
    fn detect_as_before(&self, text: &str, language: &str) -> Detection {
        let words = Words::of(text, skeleton(text));
        if words.skeleton.spans.is_empty() {
            return Detection::default();
        }
        let tokens =
            self.token_hits_locating(&words, |spans, start, _| spans.partition_point(|s| (s.1 as usize) <= start));
        self.detect_tokens(&words, &tokens, language, self.model.as_ref())
    }
}

/// Every text of every evaluation set with its language, and for each file its texts joined into
/// posts of about 2,000 characters (read sentence by sentence by the model).
fn evaluation_texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/crisis");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("the crisis evaluation sets")
        .flat_map(|set| std::fs::read_dir(set.expect("a set").path()).into_iter().flatten())
        .map(|file| file.expect("a file").path())
        .filter(|path| path.extension().is_some_and(|e| e == "tsv"))
        .collect();
    files.sort();
    let mut texts = Vec::new();
    for file in &files {
        let tsv = std::fs::read_to_string(file).expect("a readable set");
        let samples = read_samples(&tsv).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut post = String::new();
        for sample in samples {
            post.push_str(&sample.text);
            post.push(' ');
            if post.len() > 2_000 {
                texts.push((std::mem::take(&mut post), sample.language.clone()));
            }
            texts.push((sample.text, sample.language));
        }
    }
    assert!(texts.len() > 5_000, "only {} evaluation texts found under {}", texts.len(), root.display());
    texts
}

#[test]
fn the_faster_detector_answers_every_evaluation_text_as_before() {
    let detector = detector();
    let list = WordList::compile(&[WatchedWord::new("*", "suizid*", WordAction::Flag)]).expect("a valid list");
    let mut found = 0;
    for (text, language) in evaluation_texts() {
        let now = detector.detect(&text, &language);
        let before = detector.detect_as_before(&text, &language);
        assert_eq!(now, before, "{language}: {text}");
        let checked = list.check(&text, &language);
        assert_eq!((checked.findings, checked.set_aside), (now.findings.clone(), now.set_aside), "{language}: {text}");
        same_token_hits_in_any_order(detector, &text);
        found += usize::from(now.level.is_some());
    }
    assert!(found > 1_000, "only {found} texts with a finding: the comparison would prove little");
}

/// The token hits of `text` indexed from their pairs in the order the detector finds them (word
/// by word) and in reverse (the general path of [`TokenHits::new`]) are the same.
fn same_token_hits_in_any_order(detector: &Detector, text: &str) {
    let words = Words::of(text, skeleton(text));
    let hits = detector.token_hits(&words);
    let mut pairs: Vec<(u32, u32)> = hits.pairs().collect();
    pairs.reverse();
    let reversed = TokenHits::new(pairs, words.skeleton.spans.len(), detector.tokens.len());
    assert_eq!(
        (&hits.tokens, &hits.starts, &hits.seen),
        (&reversed.tokens, &reversed.starts, &reversed.seen),
        "{text}"
    );
}
