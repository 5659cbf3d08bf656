//! The knowledge base and the topics thesaurus: the editorial workflow with four eyes,
//! revisions and diffs, review dates, translations, listings, import and export, bad input
//! and every permission rule for every role.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use trialog_core::*;

struct World {
    p: Platform,
    clock: TestClock,
    org: OrgId,
    admin: Actor,
    moderator: Actor,
    supervisor: Actor,
    staff: Actor,
    editor: Actor,
    editor2: Actor,
    member: Actor,
    relative: Actor,
    silenced_editor: Actor,
    suspended_editor: Actor,
}

fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    let org = org(&p, "Selbsthilfekontaktstelle Jena", "DE-TH").id;
    let id = |name: &str, roles: &[Role]| Actor::account(account(&p, name, roles).id);
    let relative = {
        let new =
            NewAccount { pseudonym: "Angehoerige".into(), perspective: Perspective::Relative, ..Default::default() };
        Actor::account(p.accounts().create(&Actor::Operator, &new).unwrap().id)
    };
    let w = World {
        admin: id("Admina", &[Role::Admin]),
        moderator: id("Moderatorin", &[Role::Moderator]),
        supervisor: id("Supervisorin", &[Role::Supervisor { org }]),
        staff: id("Personal", &[Role::EmployerStaff { org }]),
        editor: id("Redakteurin", &[Role::Editor]),
        editor2: id("Zweitleserin", &[Role::Editor]),
        member: id("Mitglied", &[]),
        relative,
        silenced_editor: id("LeiseRedaktion", &[Role::Editor]),
        suspended_editor: id("GesperrteRedaktion", &[Role::Editor]),
        p,
        clock,
        org,
    };
    let until = w.clock.now() + Duration::days(3);
    let restrict = |a: &Actor, r| w.p.accounts().restrict(&Actor::Operator, id_of(a).unwrap(), r, "test").unwrap();
    restrict(&w.silenced_editor, Restriction::Silence { until });
    restrict(&w.suspended_editor, Restriction::Suspend { until });
    thesaurus(&w.p);
    w
}

fn label(lang: &str, pref: &str, alt: &[&str]) -> TopicLabel {
    TopicLabel { lang: lang.into(), pref: pref.into(), alt: alt.iter().map(|s| s.to_string()).collect() }
}

fn thesaurus(p: &Platform) {
    let topics = p.topics();
    let add = |slug: &str, parent: Option<&str>, labels: Vec<TopicLabel>, related: &[&str]| {
        topics
            .add(
                &Actor::Operator,
                &NewTopic {
                    slug: slug.into(),
                    parent: parent.map(String::from),
                    labels,
                    related: related.iter().map(|s| s.to_string()).collect(),
                },
            )
            .unwrap()
    };
    add(
        "peer-support",
        None,
        vec![label("de", "Genesungsbegleitung", &["Peer-Arbeit"]), label("en", "Peer support", &[])],
        &[],
    );
    add("ex-in", Some("peer-support"), vec![label("de", "EX-IN", &[]), label("da", "EX-IN", &[])], &["peer-support"]);
    add("relatives", None, vec![label("de", "Angehörige", &[]), label("da", "Pårørende", &[])], &[]);
}

fn draft(w: &World, title: &str, language: &str) -> Article {
    w.p.knowledge()
        .create(
            &w.editor,
            &NewArticle {
                title: title.into(),
                body: "Erster Absatz.\n\nZweiter Absatz.".into(),
                language: language.into(),
                slug: None,
                summary: Some("Kurz gesagt.".into()),
                topics: vec!["ex-in".into()],
                audience: None,
                org: None,
                links: vec![Link { title: "TriN".into(), url: "https://example.org/trin".into() }],
                attachments: vec![Attachment { name: "Flyer".into(), url: "https://example.org/flyer.pdf".into() }],
                translation_of: None,
            },
        )
        .unwrap()
}

/// Drafts, submits, approves (by the second editor) and publishes an article.
fn published(w: &World, title: &str, language: &str) -> Article {
    let a = draft(w, title, language);
    let k = w.p.knowledge();
    k.submit(&w.editor, a.id).unwrap();
    k.approve(&w.editor2, a.id, None).unwrap();
    k.publish(&w.editor, a.id).unwrap()
}

fn conflict<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r {
        Err(Error::Conflict { reason }) => reason,
        other => panic!("expected Conflict, got {other:?}"),
    }
}

#[test]
fn an_article_goes_from_draft_through_review_to_published_and_archived_with_four_eyes() {
    let w = world();
    let k = w.p.knowledge();
    let a = draft(&w, "Was ist EX-IN?", "de");
    assert_eq!((a.state, a.revision, a.slug.as_str()), (ArticleState::Draft, 1, "was-ist-ex-in"));
    assert!(conflict(k.publish(&w.editor, a.id)).contains("submit it first"));
    k.submit(&w.editor, a.id).unwrap();
    assert!(conflict(k.publish(&w.editor, a.id)).contains("approval"));
    let own = k.approve(&w.editor, a.id, None);
    assert!(matches!(own, Err(Error::PermissionDenied { ref reason, .. }) if reason.contains("author")), "{own:?}");
    let operator = k.approve(&Actor::Operator, a.id, None);
    assert!(matches!(operator, Err(Error::PermissionDenied { .. })), "{operator:?}");
    let approved = k.approve(&w.editor2, a.id, None).unwrap();
    assert_eq!(approved.approved_revision, Some(1));
    assert_eq!(approved.checked_on, Some(date("2026-03-02")));
    assert_eq!(approved.next_check_due, Some(date("2027-03-02")), "12 months by default");
    let p = k.publish(&w.editor, a.id).unwrap();
    assert_eq!(p.state, ArticleState::Published);
    assert!(p.published_at.is_some());
    assert_eq!(k.get(&Actor::Anonymous, a.id).unwrap().article.title, "Was ist EX-IN?");
    let archived = k.archive(&w.editor, a.id).unwrap();
    assert_eq!(archived.state, ArticleState::Archived);
    assert!(matches!(k.get(&Actor::Anonymous, a.id), Err(Error::PermissionDenied { .. })));
}

#[test]
fn changing_the_text_makes_a_revision_with_author_and_a_diff_and_needs_approval_again() {
    let w = world();
    let k = w.p.knowledge();
    let a = published(&w, "Verträge für Genesungsbegleiter", "de");
    w.clock.advance(Duration::hours(2));
    let change = ArticleUpdate { body: Some("Erster Absatz.\n\nNeuer zweiter Absatz.".into()), ..Default::default() };
    let edited = k.edit(&w.editor2, a.id, &change).unwrap();
    assert_eq!((edited.revision, edited.state, edited.approved_revision), (2, ArticleState::Draft, None));
    assert!(matches!(k.get(&Actor::Anonymous, a.id), Err(Error::PermissionDenied { .. })), "unapproved text is hidden");
    let revisions = k.revisions(&w.editor, a.id).unwrap();
    assert_eq!(revisions.len(), 2);
    assert_eq!(revisions[1].author, id_of(&w.editor2));
    assert_eq!(revisions[1].at - revisions[0].at, Duration::hours(2));
    let diff = k.diff(&w.editor, a.id, 1, 2).unwrap();
    let changed: Vec<(DiffOp, &str)> =
        diff.lines.iter().filter(|l| l.op != DiffOp::Same).map(|l| (l.op, l.text.as_str())).collect();
    assert_eq!(changed, vec![(DiffOp::Removed, "Zweiter Absatz."), (DiffOp::Added, "Neuer zweiter Absatz.")]);
    k.submit(&w.editor, a.id).unwrap();
    // editor2 wrote the latest revision, so the first editor (the article's author) and
    // editor2 are both out: a third person approves.
    assert!(matches!(k.approve(&w.editor2, a.id, None), Err(Error::PermissionDenied { .. })));
    assert!(matches!(k.approve(&w.editor, a.id, None), Err(Error::PermissionDenied { .. })));
    k.approve(&w.admin, a.id, None).unwrap();
    assert_eq!(k.publish(&w.editor, a.id).unwrap().state, ArticleState::Published);
    let unchanged =
        k.edit(&w.editor, a.id, &ArticleUpdate { topics: Some(vec!["peer-support".into()]), ..Default::default() });
    assert_eq!(unchanged.unwrap().state, ArticleState::Published, "topics are no text: no new review");
}

#[test]
fn the_due_list_shows_published_articles_whose_check_fell_due_and_a_check_moves_them_on() {
    let w = world();
    let k = w.p.knowledge();
    let soon = draft(&w, "Bald fällig", "de");
    k.submit(&w.editor, soon.id).unwrap();
    k.approve(&w.editor2, soon.id, Some(date("2026-04-01"))).unwrap();
    k.publish(&w.editor, soon.id).unwrap();
    let later = published(&w, "Später fällig", "de");
    let bad = k.approve(&w.editor2, later.id, Some(date("2026-01-01")));
    assert!(bad.is_err());
    assert!(k.due(&w.editor, None, &PageRequest::default()).unwrap().items.is_empty());
    let in_april = k.due(&w.editor, Some(date("2026-04-02")), &PageRequest::default()).unwrap();
    assert_eq!(in_april.items.iter().map(|a| a.id).collect::<Vec<_>>(), vec![soon.id]);
    let both = k.due(&w.editor, Some(date("2027-06-01")), &PageRequest::first(1)).unwrap();
    assert_eq!(both.items[0].id, soon.id);
    let rest = k.due(&w.editor, Some(date("2027-06-01")), &PageRequest::after(both.next_cursor.unwrap(), 1)).unwrap();
    assert_eq!(rest.items.iter().map(|a| a.id).collect::<Vec<_>>(), vec![later.id]);
    assert!(rest.next_cursor.is_none());
    w.clock.advance(Duration::days(40));
    let checked = k.mark_checked(&w.editor, soon.id, None).unwrap();
    assert_eq!((checked.checked_on, checked.next_check_due), (Some(date("2026-04-11")), Some(date("2027-04-11"))));
    assert!(k.due(&w.editor, Some(date("2026-04-20")), &PageRequest::default()).unwrap().items.is_empty());
    assert!(matches!(k.due(&w.member, None, &PageRequest::default()), Err(Error::PermissionDenied { .. })));
}

#[test]
fn translations_link_language_versions_and_listings_prefer_the_readers_language() {
    let w = world();
    let k = w.p.knowledge();
    let de = published(&w, "Angehörige in der Krise", "de");
    let mut new_da = NewArticle {
        title: "Pårørende i krise".into(),
        body: "Tekst.".into(),
        language: "da".into(),
        slug: None,
        summary: None,
        topics: vec!["relatives".into()],
        audience: None,
        org: None,
        links: vec![],
        attachments: vec![],
        translation_of: Some(de.id),
    };
    let da = k.create(&w.editor, &new_da).unwrap();
    assert_eq!(da.translation_group, de.id);
    new_da.title = "Noch eine deutsche Fassung".into();
    new_da.language = "de".into();
    assert_eq!(field_of(k.create(&w.editor, &new_da)), "translation_of");
    k.submit(&w.editor, da.id).unwrap();
    k.approve(&w.editor2, da.id, None).unwrap();
    k.publish(&w.editor, da.id).unwrap();
    let other = published(&w, "Nur auf Deutsch", "de");
    let list = |lang: Option<&str>| {
        let filter = ArticleFilter { language: lang.map(String::from), ..Default::default() };
        k.list(&Actor::Anonymous, &filter, &PageRequest::default()).unwrap().items
    };
    let danish = list(Some("da"));
    assert_eq!(
        danish.iter().map(|a| (a.id, a.language.as_str())).collect::<Vec<_>>(),
        vec![(da.id, "da"), (other.id, "de")]
    );
    assert_eq!(danish[0].other_languages, vec!["de"]);
    let english = list(Some("en"));
    assert_eq!(
        english.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![de.id, other.id],
        "falls back to the first version"
    );
    assert_eq!(list(None).len(), 3, "without a language every version is listed");
    let detail = k.get(&Actor::Anonymous, de.id).unwrap();
    assert_eq!(detail.translations.iter().map(|t| t.id).collect::<Vec<_>>(), vec![da.id]);
    let page1 = k
        .list(
            &Actor::Anonymous,
            &ArticleFilter { language: Some("da".into()), ..Default::default() },
            &PageRequest::first(1),
        )
        .unwrap();
    let page2 = k
        .list(
            &Actor::Anonymous,
            &ArticleFilter { language: Some("da".into()), ..Default::default() },
            &PageRequest::after(page1.next_cursor.unwrap(), 1),
        )
        .unwrap();
    assert_eq!((page1.items[0].id, page2.items[0].id, page2.next_cursor), (da.id, other.id, None));
}

#[test]
fn listings_filter_by_topic_including_narrower_topics_and_hide_drafts_from_readers() {
    let w = world();
    let k = w.p.knowledge();
    let a = published(&w, "EX-IN in Thüringen", "de");
    let d = draft(&w, "Entwurf", "de");
    let by_topic = |actor: &Actor, topic: &str| {
        let filter = ArticleFilter { topic: Some(topic.into()), ..Default::default() };
        k.list(actor, &filter, &PageRequest::default()).unwrap().items.iter().map(|s| s.id).collect::<Vec<_>>()
    };
    assert_eq!(by_topic(&Actor::Anonymous, "peer-support"), vec![a.id], "ex-in is below peer-support");
    assert_eq!(by_topic(&w.editor, "ex-in"), vec![a.id, d.id]);
    assert!(by_topic(&Actor::Anonymous, "relatives").is_empty());
    let unknown = k.list(
        &Actor::Anonymous,
        &ArticleFilter { topic: Some("astrologie".into()), ..Default::default() },
        &PageRequest::default(),
    );
    assert_eq!(field_of(unknown), "topic");
}

#[test]
fn audiences_decide_who_reads_a_published_article() {
    let w = world();
    let k = w.p.knowledge();
    let a = draft(&w, "Für Angehörige", "de");
    let audience = Audience::Perspectives { perspectives: vec![Perspective::Relative] };
    k.edit(&w.editor, a.id, &ArticleUpdate { audience: Some(audience), ..Default::default() }).unwrap();
    k.submit(&w.editor, a.id).unwrap();
    k.approve(&w.editor2, a.id, None).unwrap();
    k.publish(&w.editor, a.id).unwrap();
    assert!(k.get(&w.relative, a.id).is_ok());
    assert!(k.get(&w.editor2, a.id).is_ok());
    assert!(matches!(k.get(&w.member, a.id), Err(Error::PermissionDenied { .. })));
    assert!(matches!(k.get(&Actor::Anonymous, a.id), Err(Error::PermissionDenied { .. })));
    assert!(k.list(&w.member, &ArticleFilter::default(), &PageRequest::default()).unwrap().items.is_empty());
}

#[test]
fn bad_input_is_refused_by_field() {
    let w = world();
    let k = w.p.knowledge();
    let good = || NewArticle {
        title: "Titel".into(),
        body: "Text".into(),
        language: "de".into(),
        slug: None,
        summary: None,
        topics: vec![],
        audience: None,
        org: None,
        links: vec![],
        attachments: vec![],
        translation_of: None,
    };
    let try_new = |change: &dyn Fn(&mut NewArticle)| {
        let mut n = good();
        change(&mut n);
        field_of(k.create(&w.editor, &n))
    };
    assert_eq!(try_new(&|n| n.title = " ".into()), "title");
    assert_eq!(try_new(&|n| n.body = "x".repeat(100_001)), "body");
    assert_eq!(try_new(&|n| n.language = "deu".into()), "language");
    assert_eq!(try_new(&|n| n.topics = vec!["astrologie".into()]), "topics");
    assert_eq!(try_new(&|n| n.slug = Some("Mit Leerzeichen".into())), "slug");
    assert_eq!(
        try_new(&|n| n.links = vec![Link { title: "x".into(), url: "http://plain.example".into() }]),
        "links.url"
    );
    assert_eq!(
        try_new(&|n| n.attachments = vec![Attachment { name: "".into(), url: "https://a.example/f".into() }]),
        "attachments.name"
    );
    assert_eq!(try_new(&|n| n.audience = Some(Audience::Perspectives { perspectives: vec![] })), "audience");
    assert_eq!(try_new(&|n| n.translation_of = Some(ArticleId(999))), "translation_of");
    k.create(&w.editor, &good()).unwrap();
    assert_eq!(try_new(&|_| {}), "slug", "the slug made from the title is taken");
    assert!(matches!(k.get(&w.editor, ArticleId(999)), Err(Error::NotFound { .. })));
}

const ORIGINAL: &str = "---\ntitle: Was ist Genesungsbegleitung?\nlanguage: de\ntopics: peer-support, ex-in\naudience: public\nsummary: Kurz erklärt.\n---\n\nGenesungsbegleiter:innen haben *eigene Erfahrung*.\n";
const TRANSLATION: &str = "---\ntitle: What is peer support?\nlanguage: en\ntopics: peer-support\naudience: relative, lived_experience\ntranslation_of: genesungsbegleitung\n---\nPeer workers share lived experience.\n";

fn files(list: &[(&str, &str)]) -> Vec<ArticleFile> {
    list.iter().map(|(p, t)| ArticleFile { path: p.to_string(), text: t.to_string() }).collect()
}

#[test]
fn markdown_files_import_all_or_nothing_and_export_back() {
    let w = world();
    let k = w.p.knowledge();
    // The translation comes first in the folder: the import orders it after its original.
    let good = files(&[("en/what-is-peer-support.md", TRANSLATION), ("de/genesungsbegleitung.md", ORIGINAL)]);
    let bad = {
        let mut f = good.clone();
        f.push(ArticleFile {
            path: "de/kaputt.md".into(),
            text: ORIGINAL.replace("ex-in", "astrologie").replace("audience: public\n", ""),
        });
        f.push(ArticleFile {
            path: "de/doppelt.md".into(),
            text: ORIGINAL.replace("language: de\n", "language: de\nlanguage: da\n"),
        });
        f
    };
    let refused = k.import(&w.editor, &bad, false, false).unwrap();
    let found: Vec<(&str, &str)> = refused.problems.iter().map(|p| (p.file.as_str(), p.field.as_str())).collect();
    assert_eq!(found, vec![("de/kaputt.md", "audience"), ("de/doppelt.md", "language")]);
    assert!(refused.created.is_empty());
    assert!(
        k.list(&w.editor, &ArticleFilter::default(), &PageRequest::default()).unwrap().items.is_empty(),
        "nothing half-imported"
    );
    let unknown_topic = files(&[("de/x.md", &ORIGINAL.replace("ex-in", "astrologie"))]);
    let report = k.import(&w.editor, &unknown_topic, false, false).unwrap();
    assert_eq!((report.problems[0].field.as_str(), report.problems[0].line), ("topics", 4));
    let dry = k.import(&w.editor, &good, false, true).unwrap();
    assert_eq!((dry.valid_files, dry.created.len()), (2, 0));
    let done = k.import(&w.editor, &good, true, false).unwrap();
    assert_eq!((done.created.len(), done.problems.len()), (2, 0));
    let original = k.get_by_slug(&w.editor, "genesungsbegleitung").unwrap().article;
    let english = k.get_by_slug(&w.editor, "what-is-peer-support").unwrap().article;
    assert_eq!(english.translation_group, original.id);
    assert_eq!(original.state, ArticleState::InReview);
    let again = k.import(&w.editor, &good, false, false).unwrap();
    assert_eq!((again.unchanged, again.updated.len()), (2, 0));
    let exported = k.export(&w.editor).unwrap();
    assert_eq!(
        exported.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
        vec!["de/genesungsbegleitung.md", "en/what-is-peer-support.md"]
    );
    let fresh = platform_with(&clock());
    thesaurus(&fresh);
    let editor = Actor::account(account(&fresh, "Redaktion", &[Role::Editor]).id);
    let round = fresh.knowledge().import(&editor, &exported, false, false).unwrap();
    assert_eq!(round.created.len(), 2, "{:?}", round.problems);
    assert_eq!(fresh.knowledge().export(&editor).unwrap(), exported, "export → import → export is stable");
    assert!(w.p.integrity().unwrap().problems.is_empty());
}

#[test]
fn an_imported_checked_on_date_sets_the_next_check_which_approval_keeps() {
    let w = world();
    let k = w.p.knowledge();
    let text = ORIGINAL.replace("summary:", "checked_on: 2025-12-15\nsummary:");
    let done = k.import(&w.editor, &files(&[("de/genesungsbegleitung.md", &text)]), true, false).unwrap();
    let id = done.created[0];
    let approved = k.approve(&w.editor2, id, None).unwrap();
    assert_eq!((approved.checked_on, approved.next_check_due), (Some(date("2026-03-02")), Some(date("2026-12-15"))));
    k.publish(&w.editor, id).unwrap();
    let due = k.due(&w.editor, Some(date("2026-12-31")), &PageRequest::default()).unwrap();
    assert_eq!(due.items.iter().map(|a| a.id).collect::<Vec<_>>(), vec![id]);
    let bad = k.import(
        &w.editor,
        &files(&[("de/x.md", &ORIGINAL.replace("summary:", "checked_on: gestern\nsummary:"))]),
        false,
        false,
    );
    assert_eq!(bad.unwrap().problems[0].field, "checked_on");
}

#[test]
fn topics_form_a_thesaurus_with_mutual_related_terms_csv_rows_and_no_loops() {
    let w = world();
    let t = w.p.topics();
    assert_eq!(t.get(&Actor::Anonymous, "peer-support").unwrap().related, vec!["ex-in"], "related is mutual");
    let looped =
        t.edit(&Actor::Operator, "peer-support", &TopicUpdate { parent: Some("ex-in".into()), ..Default::default() });
    assert_eq!(field_of(looped), "parent");
    let dup = t.add(
        &Actor::Operator,
        &NewTopic { slug: "ex-in".into(), parent: None, labels: vec![label("de", "X", &[])], related: vec![] },
    );
    assert!(matches!(dup, Err(Error::Conflict { .. })));
    let two = vec![label("de", "A", &[]), label("de", "B", &[])];
    assert_eq!(
        field_of(t.add(&Actor::Operator, &NewTopic { slug: "neu".into(), parent: None, labels: two, related: vec![] })),
        "labels.lang"
    );
    let rows = t.export(&Actor::Anonymous).unwrap();
    assert_eq!(rows.len(), 6);
    let row = |line: u64, topic: &str, parent: &str, lang: &str, pref: &str, alt: &str, related: &str| TopicRow {
        line,
        topic: topic.into(),
        parent: (!parent.is_empty()).then(|| parent.into()),
        lang: lang.into(),
        pref: pref.into(),
        alt: alt.into(),
        related: related.into(),
    };
    let file = vec![
        row(2, "networking", "", "de", "Netzwerkarbeit", "Vernetzung|Kooperation", "relatives"),
        row(3, "networking", "", "en", "Networking", "cooperation", ""),
        row(4, "clinic-cooperation", "networking", "de", "Kooperation mit Kliniken", "", "networking"),
    ];
    let bad = vec![
        row(2, "Networking", "", "de", "x", "", ""),
        row(3, "a", "missing-parent", "de", "x", "", ""),
        row(4, "b", "", "xyz", "x", "", ""),
        row(5, "c", "", "de", "x", "", ""),
        row(6, "c", "", "de", "y", "", ""),
    ];
    let refused = t.import(&Actor::Operator, &bad, false).unwrap();
    let found: Vec<(u64, &str)> = refused.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(found, vec![(2, "topic"), (4, "lang"), (6, "lang"), (3, "parent")]);
    assert!(t.get(&Actor::Anonymous, "c").is_err(), "nothing half-imported");
    assert!(matches!(t.import(&w.editor, &file, false), Err(Error::PermissionDenied { .. })));
    let report = t.import(&Actor::Operator, &file, false).unwrap();
    assert_eq!((report.created, report.updated, report.problems.len()), (2, 0, 0));
    let networking = t.get(&Actor::Anonymous, "networking").unwrap();
    assert_eq!(networking.labels[0].alt, vec!["Vernetzung", "Kooperation"]);
    assert_eq!(networking.related, vec!["clinic-cooperation", "relatives"], "the union of its rows and the mirror");
    assert!(t.get(&Actor::Anonymous, "relatives").unwrap().related.contains(&"networking".to_string()));
    let page = t.list(&Actor::Anonymous, &PageRequest::first(2)).unwrap();
    let rest = t.list(&Actor::Anonymous, &PageRequest::after(page.next_cursor.unwrap(), 10)).unwrap();
    assert_eq!(page.items.len() + rest.items.len(), 5);
    assert!(w.p.integrity().unwrap().problems.is_empty());
}

/// Asserts that exactly the `allowed` actors may do `op`; everyone else is denied.
fn only(w: &World, what: &str, allowed: &[&Actor], op: impl Fn(&World, &Actor) -> Result<()>) {
    let everyone = [
        ("operator", &Actor::Operator),
        ("admin", &w.admin),
        ("moderator", &w.moderator),
        ("supervisor", &w.supervisor),
        ("staff", &w.staff),
        ("editor", &w.editor),
        ("editor2", &w.editor2),
        ("member", &w.member),
        ("relative", &w.relative),
        ("silenced editor", &w.silenced_editor),
        ("suspended editor", &w.suspended_editor),
        ("anonymous", &Actor::Anonymous),
    ];
    for (name, actor) in everyone {
        let result = op(w, actor);
        if allowed.contains(&actor) {
            assert!(result.is_ok(), "{what}: {name} should be allowed, got {result:?}");
        } else {
            assert!(
                matches!(result, Err(Error::PermissionDenied { .. })),
                "{what}: {name} should be denied, got {result:?}"
            );
        }
    }
}

#[test]
fn writing_articles_is_for_editors_and_admins_not_silenced_ones() {
    let w = world();
    let writers = [&Actor::Operator, &w.admin, &w.editor, &w.editor2];
    only(&w, "create", &writers, |w, a| {
        let n = NewArticle {
            title: format!("Von {a:?}"),
            body: "x".into(),
            language: "de".into(),
            slug: None,
            summary: None,
            topics: vec![],
            audience: None,
            org: Some(w.org),
            links: vec![],
            attachments: vec![],
            translation_of: None,
        };
        w.p.knowledge().create(a, &n).map(|_| ())
    });
    let d = draft(&w, "Entwurf", "de");
    // Silence stops writing, not reading.
    let readers = [&Actor::Operator, &w.admin, &w.editor, &w.editor2, &w.silenced_editor];
    only(&w, "read a draft", &readers, |w, a| w.p.knowledge().get(a, d.id).map(|_| ()));
    only(&w, "revisions", &readers, |w, a| w.p.knowledge().revisions(a, d.id).map(|_| ()));
    only(&w, "diff", &readers, |w, a| w.p.knowledge().diff(a, d.id, 1, 1).map(|_| ()));
    only(&w, "due list", &readers, |w, a| w.p.knowledge().due(a, None, &PageRequest::default()).map(|_| ()));
    only(&w, "submit", &writers, |w, a| {
        let k = w.p.knowledge();
        k.submit(a, d.id)?;
        k.edit(&w.editor, d.id, &ArticleUpdate { body: Some(format!("neu {a:?}")), ..Default::default() }).map(|_| ())
    });
    only(&w, "export drafts", &[&Actor::Operator, &w.admin, &w.editor, &w.editor2, &w.silenced_editor], |w, a| {
        let files = w.p.knowledge().export(a)?;
        if files.is_empty() { Err(Error::denied("export", "nothing visible")) } else { Ok(()) }
    });
}

#[test]
fn approving_is_for_a_second_editor_or_admin_account() {
    let w = world();
    let a = draft(&w, "Zur Freigabe", "de");
    w.p.knowledge().submit(&w.editor, a.id).unwrap();
    // Each allowed approval is rolled back by an edit so that the next actor finds it in review.
    only(&w, "approve", &[&w.admin, &w.editor2], |w, actor| {
        let k = w.p.knowledge();
        k.approve(actor, a.id, None)?;
        let body = format!("Text nach {actor:?}");
        k.edit(&w.editor, a.id, &ArticleUpdate { body: Some(body), ..Default::default() }).unwrap();
        k.submit(&w.editor, a.id).map(|_| ())
    });
}

#[test]
fn published_articles_are_read_by_their_audience_and_topics_are_edited_by_admins() {
    let w = world();
    let a = published(&w, "Öffentlich", "de");
    let everyone_active: Vec<&Actor> = vec![
        &Actor::Operator,
        &w.admin,
        &w.moderator,
        &w.supervisor,
        &w.staff,
        &w.editor,
        &w.editor2,
        &w.member,
        &w.relative,
        &w.silenced_editor,
        &Actor::Anonymous,
    ];
    only(&w, "read published", &everyone_active, |w, actor| w.p.knowledge().get(actor, a.id).map(|_| ()));
    only(&w, "view topics", &everyone_active, |w, actor| w.p.topics().get(actor, "ex-in").map(|_| ()));
    only(&w, "add topic", &[&Actor::Operator, &w.admin], |w, actor| {
        let slug = format!("t-{}", id_of(actor).map_or(0, |id| id.0));
        let new = NewTopic { slug, parent: None, labels: vec![label("en", "T", &[])], related: vec![] };
        w.p.topics().add(actor, &new).map(|_| ())
    });
    only(&w, "edit topic", &[&Actor::Operator, &w.admin], |w, actor| {
        w.p.topics()
            .edit(
                actor,
                "relatives",
                &TopicUpdate { labels: Some(vec![label("de", "Angehörige", &[])]), ..Default::default() },
            )
            .map(|_| ())
    });
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn id_of(actor: &Actor) -> Option<AccountId> {
    match actor {
        Actor::Account { id } => Some(*id),
        _ => None,
    }
}

#[test]
fn views_of_published_articles_are_counted_for_the_reports_by_their_organisation() {
    let w = world();
    let k = w.p.knowledge();
    let platform_own = published(&w, "Was ist EX-IN?", "de");
    let theirs = draft(&w, "Unsere Gruppen", "de");
    k.edit(&w.editor, theirs.id, &ArticleUpdate { org: Some(w.org), ..Default::default() }).unwrap();
    k.submit(&w.editor, theirs.id).unwrap();
    k.approve(&w.editor2, theirs.id, None).unwrap();
    k.publish(&w.editor, theirs.id).unwrap();
    let unpublished = draft(&w, "Entwurf", "de");
    for _ in 0..7 {
        k.record_view(&Actor::Anonymous, platform_own.id).unwrap();
    }
    for _ in 0..5 {
        k.record_view(&w.member, theirs.id).unwrap();
    }
    k.record_view(&w.editor, unpublished.id).unwrap();
    assert!(matches!(k.record_view(&Actor::Anonymous, unpublished.id), Err(Error::PermissionDenied { .. })));
    let views = |rows: &[trialog_core::reports::FigureRow], period: &str| {
        rows.iter()
            .find(|r| r.figure == "knowledge_views" && r.period == period && r.category.is_none())
            .and_then(|r| r.value)
    };
    let platform = w.p.reports().platform(&Actor::Operator, "2026").unwrap();
    assert_eq!(views(&platform, "2026-03"), Some(12.0), "both articles' views, not the draft's");
    let org = w.p.reports().org(&Actor::Operator, w.org, "2026").unwrap();
    assert_eq!(views(&org, "2026-03"), Some(5.0), "the organisation's own article");
}
