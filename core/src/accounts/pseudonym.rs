//! Pseudonym rules. People choose a name they are known by; nobody may take a name that
//! differs from an existing one only in case or Unicode form ("Sonne", "SONNE", "Ｓｏｎｎｅ"),
//! and nobody may pose as the platform's staff.

use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

/// Shortest pseudonym, in characters.
pub const MIN_LEN: usize = 3;
/// Longest pseudonym, in characters.
pub const MAX_LEN: usize = 32;

/// Names that would let someone pose as staff or the system, compared by key.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "operator",
    "moderator",
    "moderation",
    "mod",
    "trialog",
    "trin",
    "system",
    "support",
    "anonymous",
    "anonym",
    "anonymt",
    "deleted",
    "gelöscht",
    "slettet",
    "beratung",
    "counsellor",
    "crisis",
    "krise",
];

/// The uniqueness key: compatibility-normalised and case-folded.
///
/// Sign-in and lookups compute it on every call, so text that is already in NFKC (all ASCII,
/// most names) skips the normalisation passes.
pub fn pseudonym_key(pseudonym: &str) -> String {
    let trimmed = pseudonym.trim();
    if trimmed.is_ascii() {
        return trimmed.to_ascii_lowercase();
    }
    let folded: String = nfkc(trimmed).chars().flat_map(char::to_lowercase).collect();
    nfkc(&folded).into_owned()
}

fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    match unicode_normalization::is_nfkc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfkc().collect()),
    }
}

/// Checks a chosen pseudonym and returns its display form (trimmed, NFC).
pub(crate) fn validate(pseudonym: &str) -> Result<String> {
    let name: String = pseudonym.trim().nfc().collect();
    let bad = |why: String| Err(Error::invalid("pseudonym", why));
    let len = name.chars().count();
    if !(MIN_LEN..=MAX_LEN).contains(&len) {
        return bad(format!("must be {MIN_LEN} to {MAX_LEN} characters long, not {len}"));
    }
    if let Some(c) = name.chars().find(|&c| !allowed(c)) {
        return bad(format!("may contain letters, digits, spaces and . _ - but not '{c}'"));
    }
    let first_last_ok = [name.chars().next(), name.chars().last()].into_iter().flatten().all(char::is_alphanumeric);
    if !first_last_ok {
        return bad("must start and end with a letter or digit".into());
    }
    if name.chars().zip(name.chars().skip(1)).any(|(a, b)| !a.is_alphanumeric() && !b.is_alphanumeric()) {
        return bad("may not have two spaces or punctuation marks in a row".into());
    }
    if RESERVED.contains(&pseudonym_key(&name).as_str()) {
        return bad(format!("'{name}' is reserved for the platform; choose another"));
    }
    Ok(name)
}

fn allowed(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-') || is_combining_mark(c)
}

/// Combining marks keep decomposed names ("Søren" typed as o + stroke) valid after NFC leaves some.
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_ignore_case_and_unicode_form() {
        assert_eq!(pseudonym_key("Sonne"), pseudonym_key("SONNE"));
        assert_eq!(pseudonym_key("Ｓｏｎｎｅ"), pseudonym_key("sonne"));
        assert_eq!(pseudonym_key("Jürgen"), pseudonym_key("Ju\u{308}rgen"));
        assert_ne!(pseudonym_key("Jürgen"), pseudonym_key("Jurgen"));
    }

    #[test]
    fn valid_names_come_back_trimmed() {
        assert_eq!(validate("  Søren_K  ").unwrap(), "Søren_K");
        assert_eq!(validate("Морски бряг").unwrap(), "Морски бряг");
        assert_eq!(validate("peer.guide-7").unwrap(), "peer.guide-7");
    }

    #[test]
    fn invalid_names_say_why() {
        for (name, why) in [
            ("ab", "3 to 32"),
            (&"x".repeat(33), "3 to 32"),
            ("hi<script>", "not '<'"),
            ("_hidden", "start and end"),
            ("two  spaces", "in a row"),
            ("ADMIN", "reserved"),
            ("Anonym", "reserved"),
        ] {
            match validate(name) {
                Err(Error::InvalidInput { field, reason }) => {
                    assert_eq!(field, "pseudonym");
                    assert!(reason.contains(why), "{name}: {reason}");
                }
                other => panic!("{name} should be rejected, got {other:?}"),
            }
        }
    }

    proptest! {
        #[test]
        fn the_fast_key_equals_full_normalisation(name in "\\PC{0,40}") {
            let full: String = name.trim().nfkc().flat_map(char::to_lowercase).collect::<String>().nfkc().collect();
            prop_assert_eq!(pseudonym_key(&name), full);
        }

        #[test]
        fn validation_never_panics_and_valid_names_are_stable(name in "\\PC{0,40}") {
            if let Ok(clean) = validate(&name) {
                prop_assert_eq!(validate(&clean).unwrap(), clean.clone());
                prop_assert_eq!(pseudonym_key(&clean), pseudonym_key(&pseudonym_key(&clean)));
            }
        }
    }
}
