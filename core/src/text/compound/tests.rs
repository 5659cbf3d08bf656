use proptest::prelude::*;

use super::*;
use crate::text::{analyse, fold, words};

fn parts(word: &str) -> Vec<String> {
    compound_parts(&fold(word))
}

#[test]
fn domain_compounds_split_into_their_constituents() {
    assert_eq!(parts("Netzwerkarbeit"), ["netzwerk", "arbeit"]);
    assert_eq!(parts("Genesungsbegleiterin"), ["genesung", "begleiterin"]);
    assert_eq!(parts("Genesungsbegleitung"), ["genesung", "begleitung"]);
    assert_eq!(parts("Selbsthilfegruppe"), ["selbsthilfe", "gruppe", "selbst", "hilfe"]);
    assert_eq!(parts("Selbsthilfegruppen"), ["selbsthilfe", "gruppen", "selbst", "hilfe"]);
    assert_eq!(
        parts("Selbsthilfekontaktstelle"),
        ["selbsthilfe", "kontaktstelle", "selbst", "hilfe", "kontakt", "stelle"]
    );
    assert_eq!(parts("Erwerbsminderungsrente"), ["erwerbsminderung", "rente", "erwerb", "minderung"]);
    assert_eq!(parts("Arbeitsvertrag"), ["arbeit", "vertrag"]);
    assert_eq!(parts("Krisenplan"), ["krise", "plan"]);
    assert_eq!(parts("Angehörigengruppe"), ["angehorige", "gruppe"]);
    assert_eq!(parts("Stimmenhörer"), ["stimme", "horer"]);
    assert_eq!(parts("Landesverband"), ["land", "verband"]);
    assert_eq!(parts("Tagesklinik"), ["tag", "klinik"]);
    assert_eq!(parts("Kindergruppe"), ["kind", "gruppe"]);
    assert_eq!(parts("Peerberatung"), ["peer", "beratung"]);
    assert_eq!(parts("Genesungsbegleiterinnen"), ["genesung", "begleiterinnen"]);
}

#[test]
fn a_first_part_may_drop_its_final_e() {
    assert_eq!(parts("Hilfsangebot"), ["hilf", "angebot"]);
    assert_eq!(parts("Schulsozialarbeit"), ["schul", "sozial", "arbeit"]);
}

#[test]
fn the_fewest_and_longest_constituents_win() {
    // "selbst|hilfe|gruppe" would be three parts; "selbsthilfe|gruppe" is two.
    assert_eq!(parts("Selbsthilfegruppe")[..2], ["selbsthilfe", "gruppe"]);
    // "arbeit|geber" beats nothing else; as a first part it stays whole at the top level.
    assert_eq!(parts("Arbeitgeberverband"), ["arbeitgeber", "verband", "arbeit", "geber"]);
}

#[test]
fn simple_words_and_inflected_forms_stay_whole() {
    for word in [
        "Beratung",
        "Verein",
        "Vereine",
        "Erfahrung",
        "Verantwortung",
        "Station",
        "Vertrag",
        "Angebot",
        "Gruppen",
        "Stellen",
        "Begleiterin",
        "Kinder",
        "Wohnen",
        "Teilen",
        "wegen",
        "Krankenhaus",
        "Gespräch",
        "Unterstützung",
        "Psychiatrie",
        "Vorstellung",
        "Leitung",
        "Freitag",
        "Tagung",
        "Netzwerk",
        "Genesung",
        "Arbeit",
    ] {
        assert!(parts(word).is_empty(), "{word} was split into {:?}", parts(word));
    }
}

#[test]
fn non_german_and_odd_input_gives_nothing_without_panicking() {
    for word in ["", "a", "peer", "support", "selvhjælpsgruppe", "взаимопомощ", "東京", "12345678"] {
        assert!(compound_parts(&fold(word)).is_empty(), "{word}");
    }
    let long = "arbeit".repeat(2_000);
    assert!(compound_parts(&long).is_empty(), "words beyond the length bound are not split");
}

#[test]
fn stems_of_parts_match_the_parts_written_apart() {
    let stems = compound_stems("genesungsbegleiterinnen");
    let apart: Vec<String> = analyse("Genesung Begleiterinnen", Some("de")).into_iter().map(|t| t.term).collect();
    assert_eq!(stems, apart);
    // A query "Arbeit im Netzwerk" meets a document saying "Netzwerkarbeit" through its parts.
    let doc_extra = compound_stems("netzwerkarbeit");
    for token in analyse("Arbeit im Netzwerk", Some("de")) {
        assert!(doc_extra.contains(&token.term), "{} missing from {doc_extra:?}", token.term);
    }
    assert!(compound_stems("beratung").is_empty());
}

#[test]
fn the_dictionary_is_small_folded_and_without_repeats() {
    let entries: Vec<&str> = DICTIONARY.split_whitespace().collect();
    let unique: HashSet<&str> = entries.iter().copied().collect();
    assert_eq!(unique.len(), entries.len(), "repeated dictionary words");
    assert_eq!(dictionary().len(), entries.len());
    for word in &entries {
        assert_eq!(fold(word), *word, "dictionary words are stored folded");
        assert!(word.len() >= MIN_PART_BYTES, "{word} is shorter than a part may be");
    }
    assert!(DICTIONARY.len() < 4_096, "the dictionary grew to {} bytes", DICTIONARY.len());
    println!("compound dictionary: {} words, {} bytes", entries.len(), DICTIONARY.len());
}

proptest! {
    #[test]
    fn parts_are_pieces_of_the_word(word in "[a-zäöüß]{0,40}") {
        let folded = fold(&word);
        for part in compound_parts(&folded) {
            prop_assert!(folded.contains(&part), "{part} not in {folded}");
            prop_assert!(part.len() >= MIN_PART_BYTES - 1);
            prop_assert!(part != folded);
        }
    }

    #[test]
    fn any_text_splits_without_panicking(text in "\\PC{0,80}") {
        for (_, _, word) in words(&text) {
            let _ = compound_parts(&word);
        }
    }
}

fn danish(word: &str) -> Vec<String> {
    compound_parts_in(&fold(word), "da")
}

#[test]
fn danish_compounds_split_into_their_constituents() {
    assert_eq!(danish("pårørendegruppe"), ["parorende", "gruppe"]);
    assert_eq!(danish("Selvhjælpsgruppe"), ["selvhjaelp", "gruppe"]);
    assert_eq!(danish("selvhjælpsgrupperne"), ["selvhjaelp", "grupperne"]);
    assert_eq!(danish("peermedarbejder"), ["peer", "medarbejder"]);
    assert_eq!(danish("praktikpladser"), ["praktik", "pladser"]);
    assert_eq!(danish("tvangsindlæggelse"), ["tvang", "indlaeggelse"]);
    assert_eq!(danish("netværksarbejde"), ["netvaerk", "arbejde"]);
    assert_eq!(danish("støttegruppe"), ["stotte", "gruppe"]);
    assert_eq!(danish("sengeafsnit"), ["seng", "afsnit"]);
    assert_eq!(danish("samarbejdsaftale"), ["samarbejd", "aftale"]);
}

#[test]
fn danish_simple_words_stay_whole_and_german_rules_stay_german() {
    for word in ["gruppe", "pårørende", "medarbejder", "samarbejde", "støtte", "hverdagen", "personale"] {
        assert!(danish(word).is_empty(), "{word} was split into {:?}", danish(word));
    }
    // Each language splits only by its own dictionary.
    assert!(compound_parts("selvhjaelpsgruppe").is_empty());
    assert!(compound_parts_in("netzwerkarbeit", "da").is_empty());
    assert!(compound_parts_in("netzwerkarbeit", "bg").is_empty());
}

#[test]
fn danish_stems_of_parts_match_the_parts_written_apart() {
    let doc_extra = compound_stems_in("parorendegrupper", "da");
    for token in analyse("grupper for pårørende", Some("da")) {
        assert!(doc_extra.contains(&token.term), "{} missing from {doc_extra:?}", token.term);
    }
}

#[test]
fn the_danish_dictionary_is_small_folded_and_without_repeats() {
    let entries: Vec<&str> = DANISH_DICTIONARY.split_whitespace().collect();
    let unique: HashSet<&str> = entries.iter().copied().collect();
    assert_eq!(unique.len(), entries.len(), "repeated dictionary words");
    for word in &entries {
        assert_eq!(fold(word), *word, "dictionary words are stored folded");
        assert!(word.len() >= MIN_PART_BYTES, "{word} is shorter than a part may be");
    }
    assert!(DANISH_DICTIONARY.len() < 2_048, "the Danish dictionary grew to {} bytes", DANISH_DICTIONARY.len());
}
