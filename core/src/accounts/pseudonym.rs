//! Pseudonym rules. People choose a name they are known by; nobody may take a name that
//! differs from an existing one only in case or Unicode form ("Sonne", "SONNE", "Ｓｏｎｎｅ"),
//! in look-alike letters ("Jеna" with a Cyrillic е, "Kirn" for "Kim") or in the separator
//! between words ("Kim aus Jena", "Kim_aus_Jena"), and nobody may pose as the platform's staff.
//! A name mixes no scripts: a Latin name with one Cyrillic letter is refused.

use unicode_normalization::UnicodeNormalization;
use unicode_security::{MixedScript, skeleton};

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

/// The uniqueness key: the UTS #39 confusable skeleton of the case-folded, compatibility-
/// normalised name, with every separator (space . _ -) written as `_`. Two names with the same
/// key look alike, so only one of them may exist.
///
/// The skeleton is taken of the case-folded name (as UTS #39 advises for case-insensitive
/// names), so a capital I and a small l, which look alike only across case, stay apart. The
/// skeleton itself writes some characters as capitals (the digit zero as a capital O), so its
/// result is folded once more: otherwise "Kim0" (key "kimO") and "Kimo" (key "kimo") would not
/// be look-alikes, and a key would not be its own key (schema 11 re-keyed the index for this).
pub fn pseudonym_key(pseudonym: &str) -> String {
    let folded: String = nfkc(pseudonym.trim()).chars().flat_map(char::to_lowercase).collect();
    skeleton(&nfkc(&folded)).flat_map(char::to_lowercase).map(|c| if is_separator(c) { '_' } else { c }).collect()
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '.' | '_' | '-')
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
    if !name.as_str().is_single_script() {
        return bad("mixes letters of different scripts (such as a Cyrillic е in a Latin name); use one".into());
    }
    if is_reserved(&pseudonym_key(&name)) {
        return bad(format!("'{name}' is reserved for the platform; choose another"));
    }
    Ok(name)
}

/// Whether a uniqueness key (from [`pseudonym_key`]) is one of the platform's own names, which
/// nobody may take. Public so that data generators pick only names `create` accepts.
pub fn is_reserved(key: &str) -> bool {
    RESERVED.iter().any(|reserved| pseudonym_key(reserved) == key)
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
    fn a_key_is_its_own_key_even_where_the_skeleton_writes_capitals() {
        // Found by the property test below: the skeleton turns the digit 0 into a capital O.
        assert_eq!(pseudonym_key("Kim0"), pseudonym_key("Kimo"));
        for name in ["0\u{1B164}\u{309D}", "Kim0", "L0tte_2000"] {
            let key = pseudonym_key(name);
            assert_eq!(pseudonym_key(&key), key, "{name}");
        }
    }

    #[test]
    fn keys_ignore_look_alike_letters_and_separators() {
        let key = pseudonym_key("Kim_aus_Jena");
        for twin in ["Kim_aus_J\u{435}na", "Kim aus Jena", "Kim.aus-Jena", "Kirn_aus_Jena", "KIM_AUS_JENA"] {
            assert_eq!(pseudonym_key(twin), key, "{twin}");
        }
        assert_eq!(pseudonym_key("Pau1"), pseudonym_key("paul"));
        assert_eq!(
            pseudonym_key("\u{421}\u{43e}\u{440}\u{435}"),
            pseudonym_key("Cope"),
            "Cyrillic Соре looks like Cope"
        );
        assert_ne!(pseudonym_key("Kim_aus_Jena"), pseudonym_key("Kim_aus_Gera"));
    }

    #[test]
    fn mixed_script_names_are_refused() {
        assert!(
            matches!(validate("Kim_aus_J\u{435}na"), Err(Error::InvalidInput { reason, .. }) if reason.contains("scripts"))
        );
        assert!(validate("Морски бряг 7").is_ok());
        assert!(validate("山田_たろう").is_ok(), "Han with Hiragana is one writing system");
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
        fn keys_ignore_case_and_compatibility_forms(name in "[a-zA-Z0-9 ._-]{0,40}") {
            prop_assert_eq!(pseudonym_key(&name), pseudonym_key(&name.to_uppercase()));
            let wide: String = name.chars().map(|c| if c.is_ascii_alphanumeric() { char::from_u32(c as u32 + 0xFEE0).unwrap() } else { c }).collect();
            prop_assert_eq!(pseudonym_key(&name), pseudonym_key(&wide));
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
