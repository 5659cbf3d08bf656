use proptest::prelude::*;

use super::*;
use crate::text::{analyse, fold, words};

/// The stems a German text holds, as the index analyses it.
fn stems(text: &str) -> Vec<String> {
    analyse(text, Some("de")).into_iter().map(|t| t.term).collect()
}

/// Whether a verb form meets the other word through one of its relatives.
fn meets(form: &str, noun: bool, other: &str) -> bool {
    let other = stems(other);
    german_relatives(&fold(form), noun).iter().any(|r| other.contains(r))
}

#[test]
fn a_weak_participle_meets_its_infinitive() {
    assert!(meets("gegründet", false, "eine Gruppe gründen"));
    assert!(meets("gefördert", false, "Gruppen fördern"));
    assert!(meets("gemeldet", false, "sich melden"));
}

#[test]
fn a_participle_with_a_separable_prefix_keeps_the_prefix() {
    assert!(meets("abgesetzt", false, "Medikamente absetzen"));
    assert!(meets("eingestellt", false, "Peers einstellen"));
    assert_eq!(german_relatives("abgesetzt", false), ["absetz"]);
}

#[test]
fn a_finite_form_in_t_meets_the_noun_of_the_same_verb() {
    // "arbeitet" stems to itself; its infinitive "arbeiten" stems to "arbeit", as "Arbeit".
    assert!(meets("arbeitet", false, "Arbeit"));
    assert!(meets("leitet", false, "die Gruppe leiten"));
}

#[test]
fn a_noun_in_ung_meets_its_verb() {
    assert!(meets("Leitung", true, "wer leiten will"));
    assert!(meets("Gründung", true, "eine Gruppe gründen"));
}

#[test]
fn be_verbs_meet_their_noun_only_when_the_noun_is_known() {
    assert!(meets("beantragen", false, "der Antrag"));
    assert!(meets("beantragt", false, "den Antrag stellen"));
    // "rat" is no dictionary word, so "beraten" is not read as be- + "Rat".
    assert!(!german_relatives("beraten", false).contains(&"rat".to_string()));
}

#[test]
fn a_weak_participle_after_a_content_particle_meets_its_noun() {
    // "krank|ge|meldet" → krankmelden, whose stem is the stem of "Krankmeldung".
    assert!(german_relatives("krankgemeldet", false).contains(&"krankmeld".to_string()));
    assert!(meets("krankgemeldet", false, "die Krankmeldung"));
}

#[test]
fn a_strong_participle_guesses_its_infinitive() {
    let whole = |w: &str| german_strong_relatives(w).0;
    assert!(whole("geschrieben").contains(&"schreib".to_string()));
    assert!(whole("eingewiesen").contains(&"einweis".to_string()));
    assert!(whole("gefunden").contains(&"find".to_string()));
    assert!(whole("getragen").contains(&"trag".to_string()));
    assert!(whole("geholfen").contains(&"helf".to_string()));
    // "Krankschreibung" stems to krankschreib, which the guess for "krankgeschrieben" holds.
    assert!(whole("krankgeschrieben").iter().any(|s| stems("die Krankschreibung").contains(s)));
}

#[test]
fn a_strong_participle_with_a_content_particle_gives_its_parts() {
    let (_, parts) = german_strong_relatives("krankgeschrieben");
    assert_eq!(parts.first().map(String::as_str), Some("krank"));
    assert!(parts.contains(&"schreib".to_string()));
    // A separable prefix is no content: "abgegeben" has no parts.
    assert!(german_strong_relatives("abgegeben").1.is_empty());
}

#[test]
fn words_that_are_no_strong_participles_give_no_guess() {
    for word in ["gegen", "gehalt", "genesung", "leben", "arbeiten", "ge", ""] {
        assert_eq!(german_strong_relatives(word), (Vec::new(), Vec::new()), "{word}");
    }
}

#[test]
fn capitalised_nouns_are_not_read_as_verb_forms() {
    for noun in ["Gehalt", "Gesicht", "Arbeit", "Zeit", "Gewalt", "Beruf"] {
        assert!(german_relatives(&fold(noun), true).is_empty(), "{noun}: {:?}", german_relatives(&fold(noun), true));
    }
}

#[test]
fn short_and_vowel_final_words_give_nothing() {
    for word in ["", "t", "gut", "oft", "ge", "gegen", "ung", "be", "halt", "gehalt"] {
        assert!(german_relatives(word, false).is_empty(), "{word}: {:?}", german_relatives(word, false));
    }
}

proptest! {
    #[test]
    fn any_text_gives_relatives_without_panicking(text in "\\PC{0,80}") {
        for (_, _, word) in words(&text) {
            for noun in [true, false] {
                for term in german_relatives(&word, noun) {
                    prop_assert!(term.len() >= MIN_CORE_BYTES);
                }
            }
            let (whole, _) = german_strong_relatives(&word);
            for term in whole {
                prop_assert!(term.len() >= MIN_CORE_BYTES);
            }
        }
    }
}
