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

/// Short everyday posts (replies, forum titles) in every platform language are no crisis: the
/// crisis18h candidate rated the title "gleich" imminent by the model alone. Written for this
/// test, not taken from an evaluation set.
#[test]
fn short_everyday_posts_are_not_flagged_in_any_language() {
    // One line per language, the posts separated by '|'.
    for (language, posts) in [
        ("de", "gleich|Danke!|bin dabei|ok, mache ich|noch einer|Bis heute Abend|Treffen verschoben|Neuer Termin"),
        ("da", "lige straks|Tak!|jeg er med|ok, det gør jeg|en til|Vi ses i aften|Mødet er flyttet|klaret|Ny tid"),
        ("en", "right away|Thanks!|count me in|ok, will do|one more|See you tonight|Meeting moved|done|New date"),
        ("es", "ahora|¡Gracias!|me apunto|vale, lo hago|otro más|Nos vemos esta noche|Reunión aplazada"),
        ("nl", "zo meteen|Bedankt!|ik doe mee|oké, doe ik|nog eentje|Tot vanavond|Afspraak verzet"),
        ("ro", "acum|Mulțumesc!|vin și eu|ok, fac|încă unul|Ne vedem diseară|Întâlnire amânată"),
        ("bg", "веднага|Благодаря!|включвам се|добре, ще се погрижа|още един|До довечера|Срещата се отлага"),
    ] {
        for post in posts.split('|') {
            let found = detector().detect(post, language);
            assert!(found.level.is_none(), "{language} {post:?}: {found:?}");
        }
    }
}

/// The floor itself, with a model that has learnt one word as a crisis: that word alone, or in
/// a post of fewer than [`model::MIN_ALONE_WORDS`] words, is not raised; in a sentence it is.
#[test]
fn the_model_alone_never_raises_a_post_of_one_to_three_words() {
    let toy = detector_with_toy_model();
    for post in ["zorbel", "zorbel zorbel", "so zorbel heute"] {
        assert!(toy.detect(post, "de").level.is_none(), "{post}");
    }
    let found = toy.detect("ich bin heute wieder so zorbel", "de");
    assert!(found.level.is_some(), "{found:?}");
}

/// A detector whose model has learnt one made-up word ("zorbel", in no rule) as a crisis.
fn detector_with_toy_model() -> Detector {
    let example = |text: &str, crisis: bool| model::Example {
        features: model::text_features(text),
        crisis,
        level: crisis.then_some(CrisisLevel::High),
        category: crisis.then_some(CrisisCategory::SuicidalThoughts),
    };
    let examples = [
        example("ich bin zorbel", true),
        example("zorbel zorbel zorbel", true),
        example("wieder ganz zorbel", true),
        example("wir treffen uns am montag", false),
        example("das seminar ist voll", false),
        example("die gruppe ist nett", false),
    ];
    let model = model::train(&examples, model::Training { buckets: 1 << 12, ..model::Training::default() });
    Detector::compile(PATTERN_FILES).unwrap().with_model(model)
}

#[test]
fn the_model_sets_aside_a_past_crisis_told_as_recovery_like_the_rules() {
    let detector = detector_with_toy_model();
    let present = detector.detect("Ich bin zorbel. Heute geht es mir gut.", "de");
    assert_eq!(present.findings.len(), 1, "{present:?}");
    assert_eq!(present.findings[0].rule, "model");

    let past = detector.detect("Früher war ich zorbel. Heute geht es mir gut.", "de");
    assert!(past.level.is_none(), "{past:?}");
    assert_eq!(past.set_aside.len(), 1, "{past:?}");
    assert!(past.set_aside[0].reason.contains("told as past ('Früher')"), "{}", past.set_aside[0].reason);

    let back = detector.detect("Früher war ich zorbel, jetzt wieder zorbel. Heute geht es mir gut.", "de");
    assert!(back.level.is_some(), "a recurrence keeps it: {back:?}");
    let no_recovery = detector.detect("Früher war ich zorbel.", "de");
    assert!(no_recovery.level.is_some(), "without a recovery cue it stays: {no_recovery:?}");
}

#[test]
fn structures_of_the_fourth_round_are_found_and_their_look_alikes_left_alone() {
    for (text, language) in [
        ("Wenn ich allein bin, schlage ich mich mit den Fäusten.", "de"),
        ("Everybody would manage fine without me.", "en"),
        ("I carved his name into my arm.", "en"),
        ("Når jeg er alene, slår jeg mig selv med en bog.", "da"),
    ] {
        assert!(rules_detector().detect(text, language).level.is_some(), "{text}");
    }
    for (text, language) in [
        ("So proud of myself today!", "en"),
        ("Heute ist ihr letzter Tag im Team.", "de"),
        ("Jeg vil hellere dø end synge karaoke.", "da"),
        ("I nearly killed myself laughing.", "en"),
        ("Die Vorlesung zur Suizidstatistik fällt aus.", "de"),
    ] {
        assert!(rules_detector().detect(text, language).level.is_none(), "{text}");
    }
}

/// A weak sign alone is ordinary words (set aside, shown); beside another sign it counts.
#[test]
fn weak_signs_count_only_together() {
    let rules = Detector::compile(&[(
        "en",
        "[preparation_or_farewell imminent weak]\n=if =anyone =finds =this\n\
         [method_or_means imminent weak]\n=have =them =at =home\n\
         [method_or_means high]\n=lethal ..3 pills\n",
    )])
    .expect("compiles");
    let alone = rules.detect("If anyone finds this scarf, it is mine.", "en");
    assert_eq!(alone.level, None, "{alone:?}");
    assert!(alone.set_aside.iter().any(|f| f.reason.contains("a weak sign alone")), "{alone:?}");
    let two = rules.detect("If anyone finds this, I have them at home.", "en");
    assert_eq!(two.level, Some(CrisisLevel::Imminent), "{two:?}");
    let beside = rules.detect("I looked up lethal amounts of pills and I have them at home.", "en");
    assert_eq!(beside.level, Some(CrisisLevel::Imminent), "{beside:?}");
    assert!(beside.findings.iter().any(|f| f.reason.contains("a weak sign, beside")), "{beside:?}");
    assert!(Detector::compile(&[("en", "[self_harm high weak weak]\n=x\n")]).is_err());
    assert!(Detector::compile(&[("en", "[self_harm high soft weak]\n=x\n")]).is_ok());
}

#[test]
fn bare_mentions_told_as_past_and_documentation_talk_are_set_aside() {
    // A bare mention ("suicide", "Suizidversuch") told as past is history: set aside even
    // without a recovery cue; documentation of mentions at work is a topic.
    for (text, language) in [
        ("My aunt attempted suicide in the nineties; the family never talked about it.", "en"),
        ("Meine Tante hat in den Neunzigern einen Suizidversuch gemacht.", "de"),
        ("Please document any mention of self-harm in the handover notes.", "en"),
        ("Jede Erwähnung von Selbstverletzung bitte in der Übergabe notieren.", "de"),
    ] {
        let found = detector().detect(text, language);
        assert!(found.level.is_none(), "{text}: {found:?}");
        assert!(!found.set_aside.is_empty(), "{text}: the mention is shown as set aside");
    }
    // The same mention in the present, or told as past but back again, stays.
    for (text, language) in [
        ("My aunt attempted suicide last night and is in hospital.", "en"),
        ("Years ago I had suicidal thoughts and they are back again.", "en"),
    ] {
        assert!(level(text, language).is_some(), "{text}");
    }
}

#[test]
fn a_long_text_is_cut_into_bounded_pieces_that_add_up_to_it() {
    for text in [
        "Ich will nicht mehr leben. ".repeat(5_000),
        "умирам".repeat(20_000),
        format!("{}\n{}", "x".repeat(70_000), "a b ".repeat(20_000)),
    ] {
        let parts = pieces::pieces(&text);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|(_, p)| !p.is_empty() && p.len() <= pieces::PIECE_BYTES));
        assert_eq!(parts.iter().map(|(_, p)| *p).collect::<String>(), text);
        assert!(parts.iter().all(|&(offset, p)| &text[offset..offset + p.len()] == p));
    }
}

/// A hostile text (a quarter of a megabyte of crisis words) is read in pieces: the time grows
/// with its length, not its square, and the answer keeps at most `MAX_FINDINGS` of each kind.
#[test]
fn a_long_hostile_text_gives_a_bounded_answer() {
    let text = "I want to kill myself, not years ago, pills tonight goodbye. ".repeat(4_000);
    let found = detector().detect(&text, "en");
    assert_eq!(found.level, Some(CrisisLevel::Imminent));
    assert!(found.findings.len() <= pieces::MAX_FINDINGS && found.set_aside.len() <= pieces::MAX_FINDINGS);
    for f in found.findings.iter().chain(&found.set_aside) {
        assert_eq!(&text[f.start as usize..f.end as usize], f.matched);
    }
}

#[test]
fn a_crisis_at_the_end_of_a_long_text_is_found_where_it_is() {
    let filler = "Our group meets on Tuesday in the library, bring a cup for tea. ".repeat(1_000);
    let text = format!("{filler}I am going to kill myself tonight.");
    let found = detector().detect(&text, "en");
    assert_eq!(found.level, Some(CrisisLevel::Imminent));
    let f = &found.findings[0];
    assert!(f.start as usize > filler.len() - 1);
    assert_eq!(&text[f.start as usize..f.end as usize], f.matched);
}

/// Hostile input of a megabyte — one word repeated, and crisis sentences repeated — is read in
/// at most `2 * len / PIECE_BYTES + 1` pieces of at most `PIECE_BYTES` each (each piece's work is
/// bounded by its size), and the answer stays bounded: at most `MAX_FINDINGS` findings and
/// set-aside matches, each quoting at most one piece.
#[test]
fn a_megabyte_of_hostile_input_is_read_in_bounded_pieces_with_a_bounded_answer() {
    const MEGABYTE: usize = 1 << 20;
    for (text, language) in
        [("kms ".repeat(MEGABYTE / 4), "en"), ("Ich will nicht mehr leben, heute Nacht. ".repeat(MEGABYTE / 40), "de")]
    {
        let parts = pieces::pieces(&text);
        assert!(parts.len() <= 2 * text.len() / pieces::PIECE_BYTES + 1, "{} pieces", parts.len());
        assert!(parts.iter().all(|(_, p)| p.len() <= pieces::PIECE_BYTES));
        let found = detector().detect(&text, language);
        assert!(found.findings.len() <= pieces::MAX_FINDINGS && found.set_aside.len() <= pieces::MAX_FINDINGS);
        let answer: usize =
            found.findings.iter().chain(&found.set_aside).map(|f| f.matched.len() + f.reason.len()).sum();
        assert!(answer <= 2 * pieces::MAX_FINDINGS * (pieces::PIECE_BYTES + 1_024), "{answer} bytes");
    }
}

#[test]
fn odd_is_not_an_overdose_but_od_still_is() {
    // "odd" folds to "od" (repeated letters once), the overdose rule's word.
    for text in
        ["I felt odd all day after the new shift pattern", "A bit odd, the group moved rooms", "odd socks day at work"]
    {
        let found = rules_detector().detect(text, "en");
        assert!(found.level.is_none(), "{text}: {found:?}");
    }
    for text in ["he OD'd on his meds last night", "I'm going to od on my pills"] {
        assert!(rules_detector().detect(text, "en").level.is_some(), "{text}");
    }
}

#[test]
fn an_age_in_digits_tells_the_past() {
    for (text, language) in [
        ("Mit 24 habe ich versucht, mich umzubringen. Heute geht es mir gut und ich leite eine Gruppe.", "de"),
        ("Als ich 17 war, habe ich mich geritzt. Heute geht es mir gut.", "de"),
        ("At 19 I took an overdose. I'm doing well now and I train volunteers.", "en"),
        ("Da jeg var 17, skar jeg i mig selv. I dag har jeg det godt.", "da"),
    ] {
        let found = rules_detector().detect(text, language);
        assert!(found.level.is_none(), "{text}: {found:?}");
    }
    // A number that is no age stays what it was: pills counted, a clock time.
    assert_eq!(
        rules_detector().detect("Ich bringe mich heute Nacht um, mit 30 Tabletten", "de").level,
        Some(CrisisLevel::Imminent)
    );
    assert_eq!(rules_detector().detect("I will kill myself at 11 tonight", "en").level, Some(CrisisLevel::Imminent));
}
