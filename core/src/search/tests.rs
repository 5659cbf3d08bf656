//! The search scores by merging posting lists, reads each candidate's card best first only
//! until the page and the counted hits are found, and reads only the page's documents; the way
//! it searched before (every match scored into a map, every matching document decoded, every
//! thread's head and posting's record read for its visibility, all hits sorted) is kept here as
//! the oracle, with the same rule for what the facets and the total count. Random histories on
//! a small platform — hidden and removed threads, boards whose audience changes or that are
//! archived, unpublished and archived articles, withdrawn, filled and expired postings — must
//! give the same pages, facets and totals to every viewer, and the integrity check must stay
//! clean.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{Days, NaiveDate};

use super::model::{Doc, Gate};
use super::query::{self, Clause, Form, Plan, TopicBoost};
use super::records;
use super::weights::Weights;
use super::{COUNTED_HITS, Search, facets_of, hit};
use crate::fixtures::{Dice, association, platform_at};
use crate::model::article::ArticleState;
use crate::page::cursor_for_keys;
use crate::policy::{self, Action};
use crate::store::{Reader, rows};
use crate::*;

/// The search as it was before cards and merged lists: every matching document scored into a
/// map, decoded and judged by its domain's record (no hint), all of them sorted; the facets
/// and the total over the best `counted`.
fn oracle(search: &Search<'_>, actor: &Actor, q: &SearchQuery, page: &PageRequest, counted: usize) -> SearchPage {
    let limit = page.limit().unwrap();
    let after = page.cursor_keys(2).unwrap().map(|k| (f64::from_bits(k[0]), k[1]));
    search
        .ctx
        .read(actor, |txn, subject, now| {
            let vocabulary = records::Vocabulary::read(txn)?;
            let thesaurus = query::Thesaurus::read(txn)?;
            let plan = query::plan(&vocabulary, &thesaurus, &q.text, q.language.as_deref(), &Weights::TUNED)?;
            let mut memo = Vec::new();
            let mut hits: Vec<(f64, u64, Doc, Vec<String>)> = Vec::new();
            for (key, found) in mapped_scores(txn, &plan, &Weights::TUNED)? {
                let Some(doc) = records::load(txn, key)? else { continue };
                let wanted = (q.kinds.is_empty() || q.kinds.contains(&doc.kind))
                    && q.language.as_deref().is_none_or(|l| doc.language == l);
                let visible = match &doc.gate {
                    Gate::Audience(audience) => {
                        policy::allows(subject, Action::ReadArticle { audience, state: ArticleState::Published }, now)
                    }
                    Gate::Domain => {
                        search.ctx.search_gate.visible(txn, subject, now, doc.kind, doc.id, None, &mut memo)?
                    }
                };
                if wanted && visible {
                    hits.push((found.score, key, doc, found.matched));
                }
            }
            hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let cards: Vec<_> = hits.iter().take(counted).map(|(_, _, d, _)| super::model::Card::of(d, None)).collect();
            let facets = facets_of(cards.iter());
            let total = cards.len() as u64;
            let total_exact = hits.len() <= counted;
            let start = after.map_or(0, |(score, key)| {
                hits.partition_point(|h| match h.0.total_cmp(&score) {
                    Ordering::Greater => true,
                    Ordering::Equal => h.1 <= key,
                    Ordering::Less => false,
                })
            });
            let shown: Vec<_> = hits.into_iter().skip(start).take(limit + 1).collect();
            let next_cursor =
                (shown.len() > limit).then(|| cursor_for_keys(&[shown[limit - 1].0.to_bits(), shown[limit - 1].1]));
            let mut items = Vec::new();
            for (score, _, mut doc, matched) in shown.into_iter().take(limit) {
                // A thread's document keeps no text since its title is sealed (schema 32): the
                // hit shows the thread's record as the forums read it.
                if doc.kind == SearchKind::Thread {
                    let keys = &mut crate::store::KeyCache::new(txn);
                    let thread = crate::forums::records::load_thread_with(keys, txn, ThreadId(doc.id))?;
                    (doc.title, doc.text) = (thread.title, thread.excerpt);
                }
                items.push(hit(doc, score, matched, &plan.words));
            }
            Ok(SearchPage { items, next_cursor, facets, total, total_exact })
        })
        .unwrap()
}

/// A document's score so far and why it matched (the oracle's).
#[derive(Debug, Clone, Default)]
struct Mapped {
    score: f64,
    matched: Vec<String>,
    typed: u32,
    topics: Vec<(usize, f64)>,
}

/// Every document matching any clause or topic of `plan`, scored as the search did before it
/// merged the lists: one map of partial scores per clause and one for the query.
fn mapped_scores(txn: &impl Reader, plan: &Plan, w: &Weights) -> Result<HashMap<u64, Mapped>> {
    let stats = records::stats(txn)?;
    let docs = stats.docs.max(1);
    let average = stats.length as f64 / docs as f64;
    let mut found: HashMap<u64, Mapped> = HashMap::new();
    for clause in &plan.clauses {
        for (key, (points, why)) in mapped_clause(txn, clause, docs, average, w)? {
            let entry = found.entry(key).or_default();
            entry.score += points;
            entry.matched.push(why);
            entry.typed += 1;
        }
    }
    let typed = plan.clauses.len().max(1) as f64;
    for entry in found.values_mut() {
        entry.score *= (f64::from(entry.typed.max(1)) / typed).min(1.0).powf(w.coordination);
    }
    for topic in &plan.topics {
        for key in records::with_topic(txn, &topic.slug)? {
            mapped_topic_bonus(found.entry(key).or_default(), topic);
        }
    }
    Ok(found)
}

fn mapped_topic_bonus(doc: &mut Mapped, topic: &TopicBoost) {
    let slot = match doc.topics.iter().position(|(group, _)| *group == topic.group) {
        Some(at) => at,
        None => {
            doc.topics.push((topic.group, 0.0));
            doc.topics.len() - 1
        }
    };
    let given = doc.topics[slot].1;
    if topic.boost > given {
        doc.score += topic.boost - given;
        doc.topics[slot].1 = topic.boost;
        doc.matched.push(format!("topic:{}", topic.slug));
    }
}

fn mapped_clause(
    txn: &impl Reader,
    clause: &Clause,
    docs: u64,
    average: f64,
    w: &Weights,
) -> Result<HashMap<u64, (f64, String)>> {
    let mut best: HashMap<u64, (f64, String)> = HashMap::new();
    for form in &clause.forms {
        for (key, points) in mapped_points(txn, form, docs, average, w)? {
            let slot = best.entry(key).or_insert((0.0, String::new()));
            if points > slot.0 {
                *slot = (points, form.why.clone());
            }
        }
    }
    for label in &clause.labels {
        let mut held: HashMap<u64, (f64, usize)> = HashMap::new();
        for form in label {
            for (key, points) in mapped_points(txn, form, docs, average, w)? {
                let slot = held.entry(key).or_default();
                slot.0 += points;
                slot.1 += 1;
            }
        }
        for (key, (points, count)) in held.into_iter().filter(|(_, (_, count))| *count == label.len()) {
            let slot = best.entry(key).or_insert((0.0, String::new()));
            if points / count as f64 > slot.0 {
                *slot = (points / count as f64, label[0].why.clone());
            }
        }
    }
    let mut parts: HashMap<u64, (f64, Vec<&str>)> = HashMap::new();
    for form in &clause.parts {
        for (key, points) in mapped_points(txn, form, docs, average, w)? {
            let slot = parts.entry(key).or_default();
            slot.0 += points / clause.parts.len() as f64;
            slot.1.push(form.why.as_str());
        }
    }
    for (key, (points, whys)) in parts {
        let slot = best.entry(key).or_insert((0.0, String::new()));
        if points > slot.0 {
            *slot = (points, whys.join(" "));
        }
    }
    Ok(best)
}

/// Every document holding `form.term` with its weighted BM25F points, computed from
/// [`text::bm25_idf`] and the weights as the search computes them.
fn mapped_points(txn: &impl Reader, form: &Form, docs: u64, average: f64, w: &Weights) -> Result<Vec<(u64, f64)>> {
    let postings = records::postings(txn, &form.term)?;
    let idf = text::bm25_idf(postings.len() as u64, docs);
    let mut out = Vec::new();
    for p in postings {
        let key = p.doc;
        let tf = w.title * f64::from(p.title) + w.summary * f64::from(p.summary) + w.body * f64::from(p.body);
        let relative = if average > 0.0 { f64::from(p.length) / average } else { 1.0 };
        let norm = w.saturation * (1.0 - super::rank::BM25_B + super::rank::BM25_B * relative);
        out.push((key, form.weight * idf * tf * (w.saturation + 1.0) / (tf + norm)));
    }
    Ok(out)
}

const WORDS: &[&str] = &["Klinik", "Arbeit", "Gruppe", "Angehörige", "Kosten", "Krise", "Vertrag", "Begleitung"];
const QUERIES: &[&str] = &["Klinik Arbeit", "Gruppe", "Angehörige Kosten", "Krise Vertrag Begleitung", "Klinik"];

struct World {
    p: Platform,
    clock: TestClock,
    org: OrgId,
    editor: Actor,
    reviewer: Actor,
    member: Actor,
    staff: Actor,
    boards: Vec<BoardId>,
    articles: Vec<ArticleId>,
    threads: Vec<(PostId, Actor)>,
    jobs: Vec<JobId>,
}

fn account(p: &Platform, name: &str, roles: &[Role]) -> Actor {
    let new = NewAccount { pseudonym: name.into(), ..Default::default() };
    let id = p.accounts().create(&Actor::Operator, &new).unwrap().id;
    for role in roles {
        p.accounts().grant_role(&Actor::Operator, id, *role, None).unwrap();
    }
    Actor::account(id)
}

fn world() -> World {
    let (p, clock) = platform_at("2026-05-04T09:00:00Z");
    world_on(p, clock)
}

/// An organisation, two editors, a member, a staff member and three boards (public, members,
/// the organisation's staff) on `p`.
fn world_on(p: Platform, clock: TestClock) -> World {
    let org = association(&p, "Genesungswege e.V.");
    let editor = account(&p, "Redaktion", &[Role::Editor]);
    let reviewer = account(&p, "Zweitleserin", &[Role::Editor]);
    let member = account(&p, "Leser", &[]);
    let staff = account(&p, "Personal", &[Role::EmployerStaff { org }]);
    let mut w = World {
        p,
        clock,
        org,
        editor,
        reviewer,
        member,
        staff,
        boards: vec![],
        articles: vec![],
        threads: vec![],
        jobs: vec![],
    };
    for (slug, audience) in
        [("offen", Audience::Public), ("intern", Audience::Members), ("team", Audience::Organisation { org })]
    {
        let new = NewBoard {
            slug: slug.into(),
            title: slug.into(),
            description: String::new(),
            language: "de".into(),
            position: None,
            audience,
            moderation: ModerationMode::Open,
        };
        w.boards.push(w.p.forums().create_board(&Actor::Operator, &new).unwrap().id);
    }
    w
}

fn words(dice: &mut Dice, n: u64) -> String {
    let mut out: Vec<&str> = (0..1 + dice.roll(n)).map(|_| WORDS[dice.roll(WORDS.len() as u64) as usize]).collect();
    out.push("und");
    out.join(" ")
}

fn audience(dice: &mut Dice, org: OrgId) -> Audience {
    match dice.roll(3) {
        0 => Audience::Public,
        1 => Audience::Members,
        _ => Audience::Organisation { org },
    }
}

impl World {
    /// One random step of the platform's life.
    fn step(&mut self, dice: &mut Dice) {
        let op = &Actor::Operator;
        let pick = |dice: &mut Dice, n: usize| dice.roll(n as u64) as usize;
        match dice.roll(10) {
            0 | 1 => {
                let new = NewArticle {
                    title: words(dice, 3),
                    body: words(dice, 8),
                    language: "de".into(),
                    slug: Some(format!("beitrag-{}", self.articles.len())),
                    summary: Some(words(dice, 2)),
                    topics: vec![],
                    audience: Some(audience(dice, self.org)),
                    org: (dice.roll(2) == 0).then_some(self.org),
                    links: vec![],
                    attachments: vec![],
                    translation_of: None,
                };
                let a = self.p.knowledge().create(&self.editor, &new).unwrap().id;
                if dice.roll(4) > 0 {
                    self.p.knowledge().submit(&self.editor, a).unwrap();
                    self.p.knowledge().approve(&self.reviewer, a, None).unwrap();
                    self.p.knowledge().publish(&self.editor, a).unwrap();
                }
                self.articles.push(a);
            }
            2 if !self.articles.is_empty() => {
                let a = self.articles[pick(dice, self.articles.len())];
                let _ = self.p.knowledge().archive(&self.editor, a);
            }
            3 | 4 => {
                let board = self.boards[pick(dice, self.boards.len())];
                let author = if dice.roll(2) == 0 { self.member.clone() } else { self.staff.clone() };
                let new =
                    NewThread { board, title: words(dice, 3), body: words(dice, 6), tags: vec![], anonymous: false };
                if let Ok(posted) = self.p.forums().create_thread(&author, &new) {
                    self.threads.push((posted.post.id, author));
                }
            }
            5 if !self.threads.is_empty() => {
                let (post, author) = self.threads[pick(dice, self.threads.len())].clone();
                let _ = match dice.roll(4) {
                    0 => self.p.forums().moderate_post(op, post, ModerationAction::Hide, None),
                    1 => self.p.forums().moderate_post(op, post, ModerationAction::Restore, None),
                    2 => self.p.forums().moderate_post(op, post, ModerationAction::Remove, None),
                    _ => self.p.forums().delete_post(&author, post),
                };
            }
            6 => {
                let board = self.boards[pick(dice, self.boards.len())];
                if dice.roll(3) == 0 {
                    let archived = dice.roll(2) == 0;
                    let _ = self.p.forums().archive_board(op, board, archived);
                } else {
                    let change = BoardUpdate { audience: Some(audience(dice, self.org)), ..Default::default() };
                    self.p.forums().update_board(op, board, &change).unwrap();
                }
            }
            7 => {
                let today: NaiveDate = self.clock.now().date_naive();
                let new = NewJob {
                    org: self.org,
                    title: words(dice, 3),
                    description: words(dice, 6),
                    location: LocationInput::Remote,
                    contract: Contract::Volunteer,
                    hours: Hours { min: 4, max: 8 },
                    pay: None,
                    requirement: None,
                    languages: vec!["de".into()],
                    starts_on: None,
                    expires_on: today.checked_add_days(Days::new(1 + dice.roll(20))),
                    openings: None,
                    contact: None,
                };
                let id = self.p.jobs().create(op, &new).unwrap().id;
                if dice.roll(4) > 0 {
                    self.p.jobs().publish(op, id).unwrap();
                }
                self.jobs.push(id);
            }
            8 if !self.jobs.is_empty() => {
                let id = self.jobs[pick(dice, self.jobs.len())];
                let _ =
                    if dice.roll(2) == 0 { self.p.jobs().withdraw(op, id, None) } else { self.p.jobs().fill(op, id) };
            }
            9 => self.clock.advance(chrono::Duration::days(1 + dice.roll(4) as i64)),
            _ => {}
        }
    }

    /// The same world on the platform `reopen` makes of this one.
    fn reopened(self, reopen: impl FnOnce(Platform) -> Platform) -> World {
        let World { p, clock, org, editor, reviewer, member, staff, boards, articles, threads, jobs } = self;
        World { p: reopen(p), clock, org, editor, reviewer, member, staff, boards, articles, threads, jobs }
    }

    /// The first page of 5 of every query for every viewer, each checked against the oracle.
    fn first_pages(&self) -> Vec<SearchPage> {
        let mut out = Vec::new();
        for text in QUERIES {
            for actor in self.viewers() {
                let q = SearchQuery { text: text.to_string(), ..Default::default() };
                same_pages(self, &actor, &q, 5, COUNTED_HITS);
                out.push(self.p.search().search(&actor, &q, &PageRequest::first(5)).unwrap());
            }
        }
        out
    }

    fn viewers(&self) -> Vec<Actor> {
        vec![Actor::Anonymous, self.member.clone(), self.staff.clone(), Actor::Operator]
    }
}

/// Every page of `q` for `actor`, by the search and by the oracle, with facets and totals over
/// the best `counted` hits, must be the same.
fn same_pages(w: &World, actor: &Actor, q: &SearchQuery, limit: u32, counted: usize) {
    let search = w.p.search();
    let mut page = PageRequest::first(limit);
    for _ in 0..100 {
        let found = search.search_counting(actor, q, &page, counted).unwrap();
        let expected = oracle(&search, actor, q, &page, counted);
        assert_eq!(found, expected, "{q:?} for {actor:?}, counting {counted}");
        let Some(cursor) = found.next_cursor else { return };
        page = PageRequest { cursor: Some(cursor), ..page };
    }
    panic!("{q:?} pages on and on");
}

#[test]
fn merging_lists_and_reading_cards_best_first_finds_what_decoding_every_document_found() {
    for seed in [7, 1_234_567, 99_999_989] {
        let mut dice = Dice(seed);
        let mut w = world();
        for round in 0..6 {
            for _ in 0..25 {
                w.step(&mut dice);
            }
            let findings = w.p.integrity().unwrap();
            assert!(findings.problems.is_empty(), "seed {seed} round {round}: {:?}", findings.problems);
            for text in QUERIES {
                for actor in w.viewers() {
                    let kinds = match dice.roll(4) {
                        0 => vec![SearchKind::Thread],
                        1 => vec![SearchKind::Article, SearchKind::Job],
                        _ => vec![],
                    };
                    let language = (dice.roll(4) == 0).then(|| "de".to_string());
                    let q = SearchQuery { text: text.to_string(), kinds, topic: None, language };
                    let counted = [1, 4, 20, COUNTED_HITS][dice.roll(4) as usize];
                    same_pages(&w, &actor, &q, 1 + dice.roll(4) as u32, counted);
                }
            }
        }
    }
}

/// What the first page of 20 of `text` for `actor`, counting the best `counted` hits, reads:
/// documents and cards decoded, rows read.
fn reads(p: &Platform, actor: &Actor, text: &str, counted: usize) -> (records::Read, u64, SearchPage) {
    let q = SearchQuery { text: text.into(), ..Default::default() };
    let first = PageRequest::first(20);
    let ((page, read), touched) =
        rows::touched(|| records::counting_reads(|| p.search().search_counting(actor, &q, &first, counted).unwrap()));
    assert_eq!(page.items.len(), 20, "{text:?} fills a page of 20");
    (read, touched.read, page)
}

/// As [`reads`], by the oracle.
fn oracle_reads(p: &Platform, actor: &Actor, text: &str) -> (records::Read, u64) {
    let q = SearchQuery { text: text.into(), ..Default::default() };
    let ((_, read), touched) = rows::touched(|| {
        records::counting_reads(|| oracle(&p.search(), actor, &q, &PageRequest::first(20), COUNTED_HITS))
    });
    (read, touched.read)
}

/// Threads `from..to` on the public and the members' boards, each matching "Klinik Arbeit".
fn grow(w: &World, from: usize, to: usize) {
    for i in from..to {
        let board = w.boards[i % 2];
        let body = format!("Wie ist die Arbeit in der Klinik {i} für euch?");
        let new = NewThread { board, title: format!("Frage {i}"), body, tags: vec![], anonymous: false };
        w.p.forums().create_thread(&w.member, &new).unwrap();
    }
}

#[test]
fn a_two_word_search_decodes_the_page_not_every_match() {
    let w = world();
    grow(&w, 0, 60);
    let small = reads(&w.p, &w.member, "Klinik Arbeit", COUNTED_HITS);
    grow(&w, 60, 300);
    let large = reads(&w.p, &w.member, "Klinik Arbeit", COUNTED_HITS);
    let before = oracle_reads(&w.p, &w.member, "Klinik Arbeit");
    assert_eq!(small.0.documents, 20, "the first page decodes its 20 documents");
    assert_eq!(large.0.documents, 20, "300 matching threads instead of 60 decode no more documents");
    assert_eq!(before.0.documents, 300, "the old way decoded every match");
    assert!(large.1 < before.1, "rows read: {large:?} now, {before:?} the old way");
    eprintln!("60 matches: {:?}; 300 matches: {:?}; the old way at 300: {before:?}", small.0, large.0);
}

#[test]
fn a_search_reads_cards_only_until_the_page_and_the_counted_hits_are_found() {
    let w = world();
    grow(&w, 0, 300);
    let (read, _, page) = reads(&w.p, &w.member, "Klinik Arbeit", 50);
    assert_eq!((page.total, page.total_exact), (50, false), "300 hits counted up to 50, and more said to follow");
    assert_eq!(read.cards, 51, "50 counted hits and one to know that more follow, of 300 matches");
    let (read, _, page) = reads(&w.p, &w.member, "Klinik Arbeit", 5);
    assert_eq!((page.total, page.total_exact), (5, false));
    assert_eq!(read.cards, 21, "the page of 20 and one to know that another follows");
    let (read, _, page) = reads(&w.p, &Actor::Anonymous, "Klinik Arbeit", 400);
    assert_eq!((page.total, page.total_exact), (150, true), "only the public board's 150 threads counted");
    assert_eq!(read.cards, 300, "every match read to count every hit the reader may see");
    let (read, _) = oracle_reads(&w.p, &w.member, "Klinik Arbeit");
    assert_eq!(read.documents, 300, "the old way decoded every match");
}

/// A file of version 28 has no cards: the migration gives every document one (without a hint,
/// so its domain reads its record), the search finds the same, and documents indexed after it
/// carry their hints beside the old ones.
#[test]
fn a_version_28_file_gets_its_cards_and_finds_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.trialog");
    let clock = TestClock::at("2026-05-04T09:00:00Z".parse().unwrap());
    let p = Platform::open(&path, crate::fixtures::on(&clock)).unwrap();
    let mut w = world_on(p, clock.clone());
    let mut dice = Dice(2_026);
    for _ in 0..80 {
        w.step(&mut dice);
    }
    let before = w.first_pages();
    assert!(before.iter().any(|page| page.total > 3), "the history indexes enough to compare");
    let mut w = w.reopened(|p| {
        crate::fixtures::rewound(p, &path, crate::fixtures::on(&clock), 28, |txn| {
            assert!(records::forget_cards(txn)?, "the cards were there to take away");
            Ok(())
        })
    });
    let report = w.p.integrity().unwrap();
    assert_eq!(report.schema_version, crate::SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(w.first_pages(), before, "the migrated cards find what the cards written with the documents found");
    let kinds = [SearchKind::Thread, SearchKind::Job];
    let unhinted = records::cards_without_hint(&w.p.store().read().unwrap(), &kinds).unwrap();
    assert_eq!(unhinted, 0, "the forums and the job board gave their migrated cards their hints");
    for _ in 0..40 {
        w.step(&mut dice);
    }
    w.first_pages();
    let report = w.p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A file of version 35 keeps a row per posting (`search_postings`), its vocabulary and its
/// statistics in tables of their own: the migration packs the postings into blocks with their
/// documents' languages, the search finds the same to the last bit, the integrity check is
/// clean, and documents indexed after it (open segments, then merged by the tick) are found
/// beside the migrated ones.
#[test]
fn a_version_35_file_moves_its_postings_into_blocks_and_finds_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search.trialog");
    let clock = TestClock::at("2026-05-04T09:00:00Z".parse().unwrap());
    let p = Platform::open(&path, crate::fixtures::on(&clock)).unwrap();
    let mut w = world_on(p, clock.clone());
    let mut dice = Dice(3_536);
    for _ in 0..120 {
        w.step(&mut dice);
    }
    let before = w.first_pages();
    assert!(before.iter().any(|page| page.total > 3), "the history indexes enough to compare");
    let mut w =
        w.reopened(|p| crate::fixtures::rewound(p, &path, crate::fixtures::on(&clock), 35, records::rewrite_as_v35));
    let report = w.p.integrity().unwrap();
    assert_eq!(report.schema_version, crate::SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(w.first_pages(), before, "the migrated blocks find what the rows of version 35 found");
    for _ in 0..60 {
        w.step(&mut dice);
    }
    w.first_pages();
    let ticked = w.p.tick(&Actor::Operator, w.clock.now()).unwrap();
    assert!(ticked.work.iter().any(|c| c.domain == "search"), "the tick merged the open segments: {ticked:?}");
    w.first_pages();
    let report = w.p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A search in one language passes over the documents of the others by their postings: the
/// cards it reads are those of the documents in its language (and the topic-only matches).
#[test]
fn a_search_in_the_readers_language_reads_no_card_of_another_language() {
    let w = world();
    grow(&w, 0, 120);
    for i in 0..5 {
        publish_public(
            &w,
            &format!("english-{i}"),
            &format!("Klinik arbeit {i}"),
            "Arbeit in der Klinik, work in a clinic",
            "en",
        );
    }
    let q = SearchQuery { text: "Klinik Arbeit".into(), language: Some("en".into()), ..Default::default() };
    let (page, read) = records::counting_reads(|| w.p.search().search(&w.member, &q, &PageRequest::first(20)).unwrap());
    assert_eq!((page.total, page.items.len()), (5, 5), "the five English articles, none of the 120 German threads");
    assert_eq!(read.cards, 5, "only the English documents' cards are read");
    same_pages(&w, &w.member, &q, 3, COUNTED_HITS);
}

/// An erasure that deletes a person's content takes their threads out of the index at once:
/// the removal and every open segment are merged into the blocks, so that no segment keeps
/// their terms (nor does a block), and no search finds them.
#[test]
fn an_erasure_leaves_no_term_of_the_persons_threads_in_a_segment() {
    let w = world();
    grow(&w, 0, 12);
    let open = |w: &World| records::open_segment_bytes(&w.p.store().read().unwrap()).unwrap();
    assert!(open(&w) > 0, "the threads wait in open segments");
    let member = w.p.accounts().find_by_pseudonym(&Actor::Operator, "Leser").unwrap().id;
    w.p.rights().erase(&Actor::Operator, member, Some(PostFate::Delete), "Antrag").unwrap();
    assert_eq!(open(&w), 0, "nothing left in open segments");
    let txn = w.p.store().read().unwrap();
    for term in ["klinik", "arbeit", "frag"] {
        assert!(records::postings(&txn, term).unwrap().is_empty(), "'{term}' keeps no posting");
    }
    let report = w.p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// A platform keeps the thesaurus it analysed for the one search ([`query::ThesaurusCache`]):
/// a synonym added between two searches is found by the second, and is gone again once it is
/// taken out; every answer is the oracle's, which analyses the thesaurus anew.
#[test]
fn a_thesaurus_edit_shows_in_the_next_search() {
    let w = world();
    publish_public(&w, "vernetzung", "Vernetzung im Landkreis", "Wie die Vernetzung der Gruppen gelingt", "de");
    let labels = |alt: &[&str]| {
        vec![TopicLabel {
            lang: "de".into(),
            pref: "Kooperation".into(),
            alt: alt.iter().map(|a| a.to_string()).collect(),
        }]
    };
    let topics = w.p.topics();
    let new = NewTopic { slug: "kooperation".into(), parent: None, labels: labels(&[]), related: vec![] };
    topics.add(&Actor::Operator, &new).unwrap();
    let q = SearchQuery { text: "Kooperation".into(), ..Default::default() };
    let found = || w.p.search().search(&w.member, &q, &PageRequest::first(5)).unwrap().items.len();
    assert_eq!(found(), 0, "no label names the article's word yet");
    for (alt, expected) in [(&["Vernetzung"][..], 1), (&[][..], 0), (&["Vernetzung"][..], 1)] {
        let change = TopicUpdate { labels: Some(labels(alt)), ..Default::default() };
        topics.edit(&Actor::Operator, "kooperation", &change).unwrap();
        assert_eq!(found(), expected, "with the other labels {alt:?}");
        same_pages(&w, &w.member, &q, 5, COUNTED_HITS);
    }
}

/// Writes, approves and publishes a public article.
fn publish_public(w: &World, slug: &str, title: &str, body: &str, language: &str) {
    let new = NewArticle {
        title: title.into(),
        body: body.into(),
        language: language.into(),
        slug: Some(slug.into()),
        summary: None,
        topics: vec![],
        audience: Some(Audience::Public),
        org: None,
        links: vec![],
        attachments: vec![],
        translation_of: None,
    };
    let a = w.p.knowledge().create(&w.editor, &new).unwrap().id;
    w.p.knowledge().submit(&w.editor, a).unwrap();
    w.p.knowledge().approve(&w.reviewer, a, None).unwrap();
    w.p.knowledge().publish(&w.editor, a).unwrap();
}

#[test]
fn facets_count_each_value_most_frequent_first() {
    let card = |kind, language: &str, topics: &[&str], org: Option<u64>| super::model::Card {
        kind,
        id: 1,
        language: language.into(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        org: org.map(OrgId),
        gate: Gate::Domain,
        hint: None,
    };
    let cards = [
        card(SearchKind::Article, "de", &["crisis", "relatives"], Some(10)),
        card(SearchKind::Thread, "de", &["crisis"], Some(9)),
        card(SearchKind::Article, "da", &[], Some(10)),
        card(SearchKind::Article, "de", &["relatives"], None),
    ];
    let got: Vec<(String, String, u64)> =
        facets_of(cards.iter()).into_iter().map(|f| (f.facet, f.value, f.count)).collect();
    let want = [
        ("kind", "article", 3),
        ("kind", "thread", 1),
        ("language", "de", 3),
        ("language", "da", 1),
        ("org", &OrgId(10).to_string(), 2),
        ("org", &OrgId(9).to_string(), 1),
        ("topic", "crisis", 2),
        ("topic", "relatives", 2),
    ];
    let want: Vec<(String, String, u64)> = want.iter().map(|(f, v, n)| (f.to_string(), v.to_string(), *n)).collect();
    assert_eq!(got, want);
}
