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
