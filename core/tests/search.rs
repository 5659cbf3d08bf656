//! The one search over everything: articles, forum threads and job postings in one ranked
//! list, each hit shown only to those who may see it (the board's audience, the article's
//! audience, postings while published), the index kept in the records' own transactions,
//! facets, keyset paging and typed errors.

mod common;

use common::*;
use trialog_core::*;

struct World {
    p: Platform,
    editor: Actor,
    reviewer: Actor,
    member: Actor,
    staff: Actor,
    org: OrgId,
}

fn world() -> World {
    let p = platform_with(&clock());
    let org = org(&p, "Kontaktstelle Jena", "DE-TH");
    let org = p.orgs().verify(&Actor::Operator, org.id, true, None).unwrap().id;
    let editor = Actor::account(account(&p, "Redaktion", &[Role::Editor]).id);
    let reviewer = Actor::account(account(&p, "Zweitleserin", &[Role::Editor]).id);
    let member = Actor::account(account(&p, "Leser", &[]).id);
    let staff = Actor::account(account(&p, "personal", &[Role::EmployerStaff { org }]).id);
    World { p, editor, reviewer, member, staff, org }
}

fn article(w: &World, title: &str, body: &str, audience: Audience, publish: bool) -> ArticleId {
    article_in(w, "de", title, body, audience, publish)
}

fn article_in(w: &World, language: &str, title: &str, body: &str, audience: Audience, publish: bool) -> ArticleId {
    let new = NewArticle {
        title: title.into(),
        body: body.into(),
        language: language.into(),
        slug: None,
        summary: None,
        topics: vec![],
        audience: Some(audience),
        org: None,
        links: vec![],
        attachments: vec![],
        translation_of: None,
    };
    let a = w.p.knowledge().create(&w.editor, &new).unwrap();
    if publish {
        w.p.knowledge().submit(&w.editor, a.id).unwrap();
        w.p.knowledge().approve(&w.reviewer, a.id, None).unwrap();
        w.p.knowledge().publish(&w.editor, a.id).unwrap();
    }
    a.id
}

fn board(w: &World, slug: &str, audience: Audience) -> BoardId {
    let new = NewBoard {
        slug: slug.into(),
        title: slug.into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience,
        moderation: ModerationMode::Open,
    };
    w.p.forums().create_board(&Actor::Operator, &new).unwrap().id
}

fn thread(w: &World, board: BoardId, title: &str) -> ThreadId {
    let new =
        NewThread { board, title: title.into(), body: "Wer hat Erfahrungen?".into(), tags: vec![], anonymous: false };
    w.p.forums().create_thread(&w.member, &new).unwrap().thread.id
}

fn find(w: &World, actor: &Actor, text: &str) -> SearchPage {
    let query = SearchQuery { text: text.into(), ..Default::default() };
    w.p.search().search(actor, &query, &PageRequest::first(50)).unwrap()
}

fn kinds(page: &SearchPage) -> Vec<(SearchKind, u64)> {
    page.items.iter().map(|h| (h.kind, h.id)).collect()
}

#[test]
fn one_ranked_list_holds_articles_threads_and_postings_each_for_whom_may_see_it() {
    let w = world();
    let open = article(&w, "Kooperation von Selbsthilfe und Klinik", "Wie es gelingt.", Audience::Public, true);
    let members = article(&w, "Klinik-Kooperation intern", "Für Mitglieder.", Audience::Members, true);
    let draft = article(&w, "Klinik Entwurf", "Noch nicht fertig.", Audience::Public, false);
    let public_board = board(&w, "offen", Audience::Public);
    let members_board = board(&w, "intern", Audience::Members);
    let t1 = thread(&w, public_board, "Selbsthilfegruppe in der Klinik vorstellen");
    let t2 = thread(&w, members_board, "Klinik sucht Kontakt");
    let job = w.p.jobs().create(&w.staff, &new_job(w.org, "Genesungsbegleiter Klinik Jena", at())).unwrap();
    let anonymous = find(&w, &Actor::Anonymous, "Klinik");
    assert!(!kinds(&anonymous).contains(&(SearchKind::Job, job.id.0)), "a draft posting is not found");
    w.p.jobs().publish(&w.staff, job.id).unwrap();

    let anonymous = find(&w, &Actor::Anonymous, "Klinik");
    let seen = kinds(&anonymous);
    assert!(seen.contains(&(SearchKind::Article, open.0)));
    assert!(seen.contains(&(SearchKind::Thread, t1.0)));
    assert!(seen.contains(&(SearchKind::Job, job.id.0)));
    assert!(!seen.contains(&(SearchKind::Article, members.0)), "members-only article");
    assert!(!seen.contains(&(SearchKind::Article, draft.0)), "draft article");
    assert!(!seen.contains(&(SearchKind::Thread, t2.0)), "members-only board");
    let member = kinds(&find(&w, &w.member, "Klinik"));
    assert!(member.contains(&(SearchKind::Article, members.0)) && member.contains(&(SearchKind::Thread, t2.0)));
    // One list, best first, scores comparable across kinds.
    assert!(anonymous.items.windows(2).all(|p| p[0].score >= p[1].score));
    assert_eq!(anonymous.total, anonymous.items.len() as u64);
    let kind_facets: u64 = anonymous.facets.iter().filter(|f| f.facet == "kind").map(|f| f.count).sum();
    assert_eq!(kind_facets, anonymous.total);
    assert!(anonymous.items.iter().all(|h| h.matched.contains(&"klinik".to_string())), "why each matched");

    // Leaving the published state leaves the index, in the same transaction.
    w.p.knowledge().archive(&w.editor, open).unwrap();
    w.p.jobs().withdraw(&w.staff, job.id, None).unwrap();
    let after = kinds(&find(&w, &Actor::Anonymous, "Klinik"));
    assert!(!after.contains(&(SearchKind::Article, open.0)) && !after.contains(&(SearchKind::Job, job.id.0)));
    assert!(w.p.integrity().unwrap().problems.is_empty(), "{:?}", w.p.integrity().unwrap().problems);
}

#[test]
fn compounds_are_found_by_their_parts_and_the_reverse() {
    let w = world();
    let a =
        article(&w, "Anforderungen an die Netzwerkarbeit", "Was gute Zusammenarbeit braucht.", Audience::Public, true);
    let b = article(&w, "Arbeit im Netzwerk der Kontaktstelle", "Regelmäßige Treffen.", Audience::Public, true);
    let by_parts = kinds(&find(&w, &Actor::Anonymous, "Arbeit Netzwerk"));
    assert!(by_parts.contains(&(SearchKind::Article, a.0)), "{by_parts:?}");
    let by_compound = kinds(&find(&w, &Actor::Anonymous, "Netzwerkarbeit"));
    assert_eq!(by_compound.first(), Some(&(SearchKind::Article, a.0)), "the exact compound ranks first");
    assert!(by_compound.contains(&(SearchKind::Article, b.0)), "{by_compound:?}");
    let misspelt = kinds(&find(&w, &Actor::Anonymous, "Netzwerkarbiet"));
    assert!(misspelt.contains(&(SearchKind::Article, a.0)), "{misspelt:?}");
}

/// Danish compounds are split as German ones are: "pårørendegruppe" is found by "gruppe for
/// pårørende" and the reverse.
#[test]
fn danish_compounds_are_found_by_their_parts_and_the_reverse() {
    let w = world();
    let compound = article_in(&w, "da", "Pårørendegrupper", "Vi mødes hver måned.", Audience::Public, true);
    let apart = article_in(&w, "da", "Grupper for pårørende", "Vi mødes hver uge.", Audience::Public, true);
    article_in(&w, "da", "Kriseplan", "Hvad en plan indeholder.", Audience::Public, true);
    let by_parts = kinds(&find(&w, &Actor::Anonymous, "grupper for pårørende"));
    assert!(by_parts.contains(&(SearchKind::Article, compound.0)), "{by_parts:?}");
    let by_compound = kinds(&find(&w, &Actor::Anonymous, "pårørendegruppe"));
    assert!(by_compound.contains(&(SearchKind::Article, apart.0)), "{by_compound:?}");
    assert_eq!(by_compound.first(), Some(&(SearchKind::Article, compound.0)), "the compound itself ranks first");
}

/// German verb forms meet their relatives: a participle its infinitive ("gegründet",
/// "gründen"), a be-verb its noun ("beantragen", "Antrag"), a noun in -ung its verb
/// ("Leitung", "leitet"); a capitalised noun is not read as a participle ("Gehalt").
#[test]
fn german_verb_forms_are_found_by_their_relatives() {
    let w = world();
    let founded = article(&w, "Unsere Gruppe", "Wir haben die Gruppe 2019 gegründet.", Audience::Public, true);
    let grant = article(&w, "Geld für Gruppen", "So beantragen Sie Geld bei der Kasse.", Audience::Public, true);
    let leads = article(&w, "Wer moderiert?", "Eine Teilnehmerin leitet das Treffen.", Audience::Public, true);
    let pay = article(&w, "Was man verdient", "Das Gehalt richtet sich nach dem Tarif.", Audience::Public, true);
    article(&w, "Was halten Sie davon?", "Wir halten zusammen.", Audience::Public, true);
    assert_eq!(kinds(&find(&w, &Actor::Anonymous, "gründen")), [(SearchKind::Article, founded.0)]);
    assert_eq!(kinds(&find(&w, &Actor::Anonymous, "Antrag")), [(SearchKind::Article, grant.0)]);
    assert_eq!(kinds(&find(&w, &Actor::Anonymous, "Leitung")), [(SearchKind::Article, leads.0)]);
    assert_eq!(kinds(&find(&w, &Actor::Anonymous, "Gehalt")), [(SearchKind::Article, pay.0)]);
}

/// A word the index does not hold ("Intervision", a label of the supervision topic) is found
/// through its topic's other labels, and a document holding such a label counts as holding the
/// word: it ranks above one that only repeats the other word of the query (when the label was a
/// clause of its own, the word counted as missing from both and the repetition won).
#[test]
fn a_thesaurus_label_stands_in_for_the_word_that_names_its_topic() {
    let w = world();
    let labels = vec![TopicLabel {
        lang: "de".into(),
        pref: "Supervision".into(),
        alt: vec!["Intervision".into(), "kollegiale Beratung".into()],
    }];
    let new = NewTopic { slug: "supervision".into(), parent: None, labels, related: vec![] };
    w.p.topics().add(&Actor::Operator, &new).unwrap();
    for topic in ["Gruppenregeln", "Räume für Gruppen", "Förderung", "Online-Treffen", "Ehrenamt", "Trialog"] {
        article(&w, topic, "Selbsthilfe braucht verlässliche Treffen.", Audience::Public, true);
    }
    let repeated = article(
        &w,
        "Genesungsbegleiter im Team",
        "Genesungsbegleiter arbeiten im Team. Genesungsbegleiter berichten von ihrem Alltag als Genesungsbegleiter.",
        Audience::Public,
        true,
    );
    let synonym = article(
        &w,
        "Monatliche Treffen",
        "Genesungsbegleiter nutzen die Supervision einmal im Monat.",
        Audience::Public,
        true,
    );
    let page = find(&w, &Actor::Anonymous, "Intervision Genesungsbegleiter");
    assert_eq!(kinds(&page), [(SearchKind::Article, synonym.0), (SearchKind::Article, repeated.0)]);
    assert!(page.items[0].matched.contains(&"thesaurus:supervision".to_string()), "{:?}", page.items[0].matched);
}

/// Every typed word that names a topic gets the topic's other labels, not only the words of
/// the first label found: in "restrained rights" both words are labels of one topic, and
/// "restrained", which no article holds, stands in for "coercion" (when only "rights" was
/// expanded, "restrained" matched nothing and the article repeating "rights" won).
#[test]
fn every_word_naming_a_topic_is_expanded() {
    let w = world();
    let labels = vec![TopicLabel {
        lang: "en".into(),
        pref: "Patient rights".into(),
        alt: vec!["rights".into(), "coercion".into(), "restrained".into()],
    }];
    let new = NewTopic { slug: "patient-rights".into(), parent: None, labels, related: vec![] };
    w.p.topics().add(&Actor::Operator, &new).unwrap();
    for title in ["Group rules", "Rooms for groups", "Funding", "Online meetings", "Volunteering"] {
        article_in(&w, "en", title, "Self-help needs reliable meetings.", Audience::Public, true);
    }
    let repeated = article_in(
        &w,
        "en",
        "Your rights on the ward",
        "Rights on the ward: the rights you have and the rights of visitors.",
        Audience::Public,
        true,
    );
    let synonym = article_in(
        &w,
        "en",
        "Staff and residents",
        "When staff use coercion you keep your rights.",
        Audience::Public,
        true,
    );
    let page = find(&w, &Actor::Anonymous, "restrained rights");
    assert_eq!(kinds(&page), [(SearchKind::Article, synonym.0), (SearchKind::Article, repeated.0)]);
    assert!(page.items[0].matched.contains(&"thesaurus:coercion".to_string()), "{:?}", page.items[0].matched);
}

#[test]
fn cyrillic_text_is_searchable_without_a_stemmer() {
    let w = world();
    let new = NewArticle {
        title: "Подкрепа от връстници".into(),
        body: "Група за самопомощ в София.".into(),
        language: "bg".into(),
        slug: Some("podkrepa".into()),
        summary: None,
        topics: vec![],
        audience: None,
        org: None,
        links: vec![],
        attachments: vec![],
        translation_of: None,
    };
    let a = w.p.knowledge().create(&w.editor, &new).unwrap();
    w.p.knowledge().submit(&w.editor, a.id).unwrap();
    w.p.knowledge().approve(&w.reviewer, a.id, None).unwrap();
    w.p.knowledge().publish(&w.editor, a.id).unwrap();
    assert_eq!(kinds(&find(&w, &Actor::Anonymous, "самопомощ")), [(SearchKind::Article, a.id.0)]);
}

#[test]
fn pages_follow_each_other_without_gaps_or_repeats() {
    let w = world();
    for i in 0..7 {
        article(&w, &format!("Selbsthilfe Teil {i}"), &"Selbsthilfe ".repeat(i + 1), Audience::Public, true);
    }
    let query = SearchQuery { text: "Selbsthilfe".into(), ..Default::default() };
    let mut seen = Vec::new();
    let mut page = w.p.search().search(&Actor::Anonymous, &query, &PageRequest::first(3)).unwrap();
    loop {
        seen.extend(page.items.iter().map(|h| h.id));
        let Some(cursor) = page.next_cursor.clone() else { break };
        page = w.p.search().search(&Actor::Anonymous, &query, &PageRequest::after(cursor, 3)).unwrap();
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (7, 7));
}

#[test]
fn bad_queries_are_typed_errors_naming_the_field() {
    let w = world();
    let search = |q: SearchQuery| w.p.search().search(&Actor::Anonymous, &q, &PageRequest::first(10));
    assert_eq!(field_of(search(SearchQuery { text: "Klinik ".repeat(1500), ..Default::default() })), "text");
    assert_eq!(field_of(search(SearchQuery { text: " ,; ".into(), ..Default::default() })), "text");
    let unknown = SearchQuery { text: "Klinik".into(), topic: Some("no-such-topic".into()), ..Default::default() };
    assert_eq!(field_of(search(unknown)), "topic");
    let language = SearchQuery { text: "Klinik".into(), language: Some("deutsch".into()), ..Default::default() };
    assert_eq!(field_of(search(language)), "language");
}

fn at() -> LocationInput {
    LocationInput::Coordinates { latitude: 50.93, longitude: 11.59, place: Some("Jena".into()) }
}
