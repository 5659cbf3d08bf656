//! Long texts read in pieces, so that the detector's cost stays linear in a text's length.
//!
//! Weighing matches by their context compares matches with cues and with each other, which
//! grows with the square of the matches in a text: harmless in a post (at most 20,000
//! characters), but a hostile text of a megabyte full of crisis words would take minutes. A text
//! longer than [`PIECE_BYTES`] is therefore read in pieces of at most that size, cut at a
//! sentence end where there is one (rules never match across a sentence end anyway), and the
//! pieces' detections are merged. Context that reaches across a whole text (a recovery cue, an
//! ordinary reason for a farewell, a third person) then reaches across its piece only.
//! The merged findings are capped ([`MAX_FINDINGS`] of each kind, the most urgent kept), so a
//! hostile text cannot make the answer grow without bound either.

use super::detect::Detection;
use super::{CrisisCategory, CrisisFinding};

/// Texts up to this many bytes are read whole; longer ones in pieces of at most this size.
pub(super) const PIECE_BYTES: usize = 24_000;

/// Findings (and set-aside matches) kept from a text read in pieces.
pub(super) const MAX_FINDINGS: usize = 64;

/// The pieces of `text` with their byte offsets: each at most [`PIECE_BYTES`] long, cut after the
/// last sentence end in its second half, else after the last space, else at a character boundary.
pub(super) fn pieces(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > PIECE_BYTES {
        let window = &text[start..floor_char_boundary(text, start + PIECE_BYTES)];
        let half = window.len() / 2;
        let cut = last_after(window, half, |c| matches!(c, '.' | '!' | '?' | '\n'))
            .or_else(|| last_after(window, half, char::is_whitespace))
            .unwrap_or(window.len())
            .max(1);
        out.push((start, &window[..cut]));
        start += cut;
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
    out
}

/// The byte index just after the last character in `window[from..]` that `is_end` accepts.
fn last_after(window: &str, from: usize, is_end: impl Fn(char) -> bool) -> Option<usize> {
    window.char_indices().rev().take_while(|(i, _)| *i >= from).find(|(_, c)| is_end(*c)).map(|(i, c)| i + c.len_utf8())
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Merges the detections of a text's pieces (each with its byte offset in the text).
pub(super) fn merge(parts: Vec<(usize, Detection)>) -> Detection {
    let mut merged = Detection::default();
    let mut third_party = false;
    for (offset, part) in parts {
        third_party |= part.categories.contains(&CrisisCategory::ThirdParty);
        merged.level = merged.level.max(part.level);
        merged.findings.extend(part.findings.into_iter().map(|f| shifted(f, offset)));
        merged.set_aside.extend(part.set_aside.into_iter().map(|f| shifted(f, offset)));
        merged.findings.sort_by(|a, b| b.level.cmp(&a.level).then(a.start.cmp(&b.start)));
        merged.findings.truncate(MAX_FINDINGS);
        merged.set_aside.truncate(MAX_FINDINGS);
    }
    if third_party && merged.level.is_some() {
        merged.categories.push(CrisisCategory::ThirdParty);
    }
    for finding in &merged.findings {
        if !merged.categories.contains(&finding.category) {
            merged.categories.push(finding.category);
        }
    }
    merged
}

fn shifted(mut finding: CrisisFinding, offset: usize) -> CrisisFinding {
    finding.start += offset as u32;
    finding.end += offset as u32;
    finding
}
