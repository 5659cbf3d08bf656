use super::*;

fn level(text: &str, language: &str) -> Option<CrisisLevel> {
    detector().detect(text, language).level
}

#[test]
fn every_pattern_file_compiles() {
    assert!(detector().len() > 300, "{}", detector().len());
}

#[test]
fn the_misses_of_the_old_word_list_are_found() {
    for (text, language) in [
        ("Er droht damit, sich umzubringen", "de"),
        ("Ich werde mir bald das Leben nehmen", "de"),
        ("Am liebsten wäre ich tot", "de"),
        ("I'd rather be dead", "en"),
        ("Gid jeg var død", "da"),
        ("Ich hebe meine Schlaftabletten auf, für den Tag X", "de"),
        ("I've been stockpiling my meds", "en"),
        ("Ich schneide mich wieder", "de"),
        ("I've started cutting again", "en"),
        ("Jeg skærer i mig selv", "da"),
        ("Mein Sohn schreibt, dass er nicht mehr leben will", "de"),
        ("My friend says she is going to end it", "en"),
        ("I don't want to be alive anymore", "en"),
        ("thinking about how to unalive", "en"),
        ("kms", "en"),
    ] {
        let found = detector().detect(text, language);
        assert!(found.level.is_some(), "{text}: {found:?}");
    }
}

#[test]
fn idioms_and_training_are_set_aside() {
    for (text, language) in [
        ("Die Hitze bringt mich um", "de"),
        ("I'm dying to see the new course", "en"),
        ("this is killing me", "en"),
        ("jeg dør af grin", "da"),
        ("Fortbildung zur Suizidprävention am Samstag", "de"),
        ("Früher hatte ich Suizidgedanken, heute geht es mir gut.", "de"),
    ] {
        let found = detector().detect(text, language);
        assert!(found.level.is_none(), "{text}: {found:?}");
    }
}

#[test]
fn a_plan_with_a_time_is_imminent() {
    assert_eq!(level("Ich bringe mich heute Nacht um", "de"), Some(CrisisLevel::Imminent));
    assert_eq!(level("I will kill myself tonight", "en"), Some(CrisisLevel::Imminent));
}

/// Texts in words no rule lists: the model beside the rules reads some of them as a crisis.
const UNLISTED: &[(&str, &str)] = &[
    ("Ich halte es nicht mehr aus, ich sehe keinen Ausweg und will nicht mehr hier sein", "de"),
    ("Alles ist sinnlos, ich wünschte ich wäre nicht mehr da", "de"),
    ("i honestly dont see the point in living any more", "en"),
    ("everything is pointless and i want to disappear for good", "en"),
    ("jeg orker ikke livet mere og vil bare væk for altid", "da"),
    ("Jeg har ikke lyst til at leve mere", "da"),
];

#[test]
fn the_model_finds_what_no_rule_lists_and_says_which_words_weighed() {
    let mut by_model = 0;
    for (text, language) in UNLISTED {
        let rules = rules_detector().detect(text, language);
        let found = detector().detect(text, language);
        assert!(found.level >= rules.level, "{text}: the model never lowers");
        if rules.level.is_none() && found.level.is_some() {
            by_model += 1;
            let finding = &found.findings[0];
            assert_eq!(finding.rule, "model");
            assert!(matches!(finding.level, CrisisLevel::Concern | CrisisLevel::Imminent), "{finding:?}");
            assert!(finding.reason.contains("weighed most: '"), "{}", finding.reason);
            assert_eq!(found.categories.last(), Some(&finding.category));
        }
    }
    assert!(by_model > 0, "the model added nothing to the rules on these texts");
}

#[test]
fn the_model_leaves_ordinary_texts_alone() {
    for (text, language) in [
        ("Wie hoch ist das Gehalt im Praktikum?", "de"),
        ("Our group meets on Thursday at 6 pm.", "en"),
        ("Vi ses til kurset på mandag.", "da"),
        ("", "de"),
    ] {
        assert!(detector().detect(text, language).level.is_none(), "{text}");
    }
}
