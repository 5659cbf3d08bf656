use proptest::prelude::*;

use super::*;

fn terms(text: &str, language: Option<&str>) -> Vec<String> {
    analyse(text, language).into_iter().map(|t| t.term).collect()
}

fn matches(document: &str, language: Option<&str>, query: &str) -> bool {
    let doc = terms(document, language);
    let query = query_terms(query);
    !query.is_empty() && query.iter().all(|q| q.variants.iter().any(|v| doc.contains(v)))
}

#[test]
fn folding_ignores_case_and_diacritics() {
    assert_eq!(fold("GENESUNGSBEGLEITERIN"), fold("Genesungsbegleiterin"));
    assert_eq!(fold("Übergang"), "ubergang");
    assert_eq!(fold("Straße"), "strasse");
    assert_eq!(fold("STRASSE"), "strasse");
    assert_eq!(fold("støtte"), "stotte");
    assert_eq!(fold("Ærø Å œuvre Łódź Đakovo"), "aero a oeuvre lodz dakovo");
    assert_eq!(fold("Café"), "cafe");
    assert_eq!(fold("Cafe\u{301}"), "cafe");
    assert_eq!(fold("Bucureşti Ploieşti"), "bucuresti ploiesti");
    assert_eq!(fold("Ⅻ ﬁ 2½"), fold(&fold("Ⅻ ﬁ 2½")));
}

#[test]
fn words_split_on_punctuation_and_keep_original_offsets() {
    let text = "Über-Gänge, d'Arc: 12 Jobs";
    let found = words(text);
    let slices: Vec<&str> = found.iter().map(|(s, e, _)| &text[*s..*e]).collect();
    assert_eq!(slices, ["Über", "Gänge", "d", "Arc", "12", "Jobs"]);
    assert_eq!(found[1].2, "gange");
}

#[test]
fn combining_marks_stay_with_their_letter() {
    let text = "Cafe\u{301} au lait";
    let found = words(text);
    assert_eq!(found[0], (0, 6, "cafe".to_string()));
}

#[test]
fn documents_and_queries_meet_across_case_diacritics_and_inflection() {
    assert!(matches("Genesungsbegleiterin gesucht", Some("de"), "GENESUNGSBEGLEITERIN"));
    assert!(matches("Übergang in Arbeit", Some("de"), "ubergang"));
    assert!(matches("Straße der Einheit", Some("de"), "strasse"));
    assert!(matches("Peer-støtte i Aarhus", Some("da"), "stotte"));
    assert!(matches("Offene Stellen", Some("de"), "Stelle"));
    assert!(matches("Eine Stelle in Jena", Some("de"), "Stellen"));
    assert!(matches("Peer support jobs", Some("en"), "job"));
    assert!(matches("A peer support job", Some("en"), "jobs"));
    assert!(matches("Kein Stemming ohne Sprache", None, "stemming"));
    assert!(!matches("Offene Stellen", None, "Stelle"), "no language means no stemming");
}

#[test]
fn stemming_follows_the_document_language() {
    assert_eq!(terms("Stellen", Some("de")), terms("Stelle", Some("de")));
    assert_eq!(terms("jobs", Some("en")), ["job"]);
    assert_eq!(terms("Stellen", Some("xx")), ["stellen"]);
    assert_eq!(terms("Stellen", Some("DE")), terms("Stelle", Some("de")));
}

#[test]
fn stop_words_are_dropped_from_documents_of_their_language() {
    assert_eq!(terms("Die Stelle für dich", Some("de")), ["stell", "dich"]);
    assert_eq!(terms("the jobs", Some("en")), ["job"]);
    assert_eq!(terms("die jobs", Some("en")), ["die", "job"]);
}

#[test]
fn queries_drop_stop_words_and_repeats_unless_nothing_else_is_left() {
    let words_of = |q: &str| query_terms(q).into_iter().map(|t| t.word).collect::<Vec<_>>();
    assert_eq!(words_of("Jobs in Jena und jobs"), ["jobs", "jena"]);
    assert_eq!(words_of("to be or not to be"), ["to", "be", "or", "not"]);
    assert!(words_of("  --  ").is_empty());
    let stelle = &query_terms("Stellen")[0];
    assert_eq!(stelle.variants[0], "stellen");
    assert!(stelle.variants.contains(&"stell".to_string()));
    let unique: std::collections::HashSet<_> = stelle.variants.iter().collect();
    assert_eq!(unique.len(), stelle.variants.len(), "variants are distinct: {:?}", stelle.variants);
}

#[test]
fn term_hash_is_fnv1a_32() {
    assert_eq!(term_hash(""), 0x811c_9dc5);
    assert_eq!(term_hash("a"), 0xe40c_292c);
    assert_eq!(term_hash("foobar"), 0xbf9c_f968);
    assert_eq!(term_hash("stell"), term_hash("stell"));
}

#[test]
fn bm25_rewards_rare_terms_and_short_documents() {
    let common = bm25(1, 900, 1000, 10, 10.0);
    let rare = bm25(1, 10, 1000, 10, 10.0);
    assert!(rare > common, "{rare} should exceed {common}");
    assert!(bm25(1, 10, 1000, 5, 10.0) > bm25(1, 10, 1000, 20, 10.0));
    assert!(bm25(3, 10, 1000, 10, 10.0) > bm25(1, 10, 1000, 10, 10.0));
    assert_eq!(bm25(0, 10, 1000, 10, 10.0), 0.0);
    assert!(bm25(1, 2000, 1000, 10, 0.0) >= 0.0);
    // idf = ln(1 + 990.5/10.5); tf part = 2.2 / (1 + 1.2) = 1 at average length.
    let expected = (1.0_f64 + 990.5 / 10.5).ln();
    assert!((bm25(1, 10, 1000, 10, 10.0) - expected).abs() < 1e-12);
}

#[test]
fn snippets_cut_around_the_first_match_and_highlight_every_match() {
    let text = "Der Verein sucht ab sofort eine Genesungsbegleiterin (m/w/d) für die Tagesklinik in Jena. \
                Bewerbungen von Genesungsbegleitern mit EX-IN-Zertifikat sind willkommen.";
    let s = snippet(text, &query_terms("genesungsbegleiterin"), Some("de"), 60);
    assert!(s.text.starts_with('…') && s.text.ends_with('…'), "{}", s.text);
    assert!(s.text.chars().count() <= 62);
    let marked: Vec<&str> = s.highlights.iter().map(|&(a, b)| &s.text[a..b]).collect();
    assert_eq!(marked, ["Genesungsbegleiterin"]);

    let whole = snippet("Kurze Stelle", &query_terms("stelle"), Some("de"), 60);
    assert_eq!(whole.text, "Kurze Stelle");
    assert_eq!(whole.highlights, [(6, 12)]);

    let none = snippet("Ein langer Text ohne Treffer", &query_terms("jena"), Some("de"), 10);
    assert_eq!(none.text, "Ein langer…");
    assert!(none.highlights.is_empty());
}

/// [`snippet`] as it was written first: the whole text analysed, every match listed, then the
/// window cut around the first (the cutting, [`passage`], is shared). The snippet that stops stemming past its window must give
/// exactly this.
fn snippet_by_analysing_everything(text: &str, terms: &[QueryTerm], language: Option<&str>, max: usize) -> Snippet {
    if max == 0 {
        return Snippet { text: String::new(), highlights: Vec::new() };
    }
    let matches: Vec<(usize, usize)> = analyse(text, language)
        .into_iter()
        .filter(|token| terms.iter().any(|t| t.variants.contains(&token.term)))
        .map(|token| (token.start, token.end))
        .collect();
    passage(text, window(text, matches.first().copied(), max), &matches)
}

#[test]
fn snippets_of_long_texts_give_what_analysing_everything_gives() {
    let sentence =
        "Die Selbsthilfegruppe trifft sich jeden Dienstag; Angehörige und Genesungsbegleiter sind willkommen. ";
    let long = sentence.repeat(40);
    for query in ["dienstag", "angehorige gruppe", "willkommen selbsthilfegruppe", "jena", "die und"] {
        for max in [1, 20, 60, 200, 5000] {
            let terms = query_terms(query);
            assert_eq!(
                snippet(&long, &terms, Some("de"), max),
                snippet_by_analysing_everything(&long, &terms, Some("de"), max),
                "{query} {max}"
            );
        }
    }
}

/// [`fold`] as it was written first: every character through NFKD, lower case and the
/// marks' removal, passes repeated until nothing changes. The short ways of `fold_once` must
/// give exactly this: the search index and the crisis rules hold words folded by it.
fn fold_by_the_long_way(text: &str) -> String {
    let once = |text: &str| {
        let mut out = String::new();
        for c in text.nfkd() {
            for lower in c.to_lowercase() {
                match lower {
                    _ if is_combining_mark(lower) => {}
                    'ß' => out.push_str("ss"),
                    'æ' => out.push_str("ae"),
                    'œ' => out.push_str("oe"),
                    'ø' => out.push('o'),
                    'ł' => out.push('l'),
                    'đ' => out.push('d'),
                    other => out.push(other),
                }
            }
        }
        out
    };
    let mut folded = once(text);
    for _ in 0..4 {
        let again = once(&folded);
        if again == folded {
            break;
        }
        folded = again;
    }
    folded
}

#[test]
fn folding_takes_short_ways_that_give_what_the_long_way_gives() {
    for text in ["Мой край, ЙОРДАН, ёлка, Ђ ѝ", "Straße Ærø İstanbul ǅ ﬁ Ⅻ ㎏", "Ünïcödé ΣΑΣ ς", "ДЕН и нощ"]
    {
        assert_eq!(fold(text), fold_by_the_long_way(text), "{text}");
    }
}

proptest! {
    #[test]
    fn fold_is_idempotent(text in "\\PC{0,40}") {
        let once = fold(&text);
        prop_assert_eq!(fold(&once), once);
    }

    #[test]
    fn fold_gives_what_the_long_way_gives(text in "[\\p{Cyrillic}\\p{Latin}\\p{Greek} .,İıẞ]{0,40}|\\PC{0,40}") {
        prop_assert_eq!(fold(&text), fold_by_the_long_way(&text));
    }

    #[test]
    fn token_offsets_slice_the_original_on_char_boundaries(text in "\\PC{0,60}", lang in prop::option::of("de|da|en|xx")) {
        for token in analyse(&text, lang.as_deref()) {
            prop_assert!(token.start < token.end);
            prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            prop_assert!(!text[token.start..token.end].is_empty());
        }
    }

    #[test]
    fn snippets_give_what_analysing_everything_gives(
        text in "([a-zäöüß]{1,9}[ ,.\\-]{1,2}){0,60}|\\PC{0,200}",
        query in "[a-zäöüß]{1,6}( [a-zäöüß]{1,6}){0,2}",
        lang in prop::option::of("de|da|en|xx"),
        max in 0usize..120,
        picks in prop::collection::vec(any::<prop::sample::Index>(), 0..3),
    ) {
        // Most queries take their words from the text, so that most cases have matches.
        let in_text = words(&text);
        let picked: Vec<&str> = picks.iter().filter(|_| !in_text.is_empty()).map(|i| in_text[i.index(in_text.len())].2.as_str()).collect();
        let terms = query_terms(&if picked.is_empty() { query } else { picked.join(" ") });
        prop_assert_eq!(snippet(&text, &terms, lang.as_deref(), max), snippet_by_analysing_everything(&text, &terms, lang.as_deref(), max));
    }

    #[test]
    fn snippets_never_panic_and_stay_short(text in "\\PC{0,200}", query in "\\PC{0,20}", max in 0usize..80) {
        let s = snippet(&text, &query_terms(&query), Some("de"), max);
        prop_assert!(s.text.chars().count() <= max + 2, "{} chars for max {}", s.text.chars().count(), max);
        for (a, b) in s.highlights {
            prop_assert!(a < b && b <= s.text.len());
            prop_assert!(s.text.is_char_boundary(a) && s.text.is_char_boundary(b));
        }
    }
}

#[test]
fn bulgarian_text_tokenises_into_whole_words_without_a_stemmer() {
    let text = "Групи за самопомощ в София: подкрепа от хора с личен опит, всеки вторник.";
    let found = words(text);
    let slices: Vec<&str> = found.iter().map(|(s, e, _)| &text[*s..*e]).collect();
    assert_eq!(
        slices,
        ["Групи", "за", "самопомощ", "в", "София", "подкрепа", "от", "хора", "с", "личен", "опит", "всеки", "вторник"]
    );
    assert_eq!(found[4].2, "софия", "Cyrillic is lower-cased, not dropped");
    // Bulgarian has no stemmer here: every word is kept, folded, in either analysis.
    assert_eq!(terms(text, Some("bg")).len(), 13);
    assert_eq!(terms(text, None), terms(text, Some("bg")));
    // Folding treats й like other letters with a diacritic, the same in documents and queries.
    assert!(matches("Най-добрата група", Some("bg"), "НАЙ"));
    assert!(matches(text, Some("bg"), "САМОПОМОЩ София"));
    assert!(!matches(text, Some("bg"), "самопомо"));
}
