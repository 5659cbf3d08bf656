//! The indexed search against the plain scan it replaced (kept here as the reference): random
//! directories, random queries, every page, before and after random edits.

use std::sync::Arc;

use super::*;
use crate::groups::GroupUpdate;
use crate::store::rows::{self, Touched};
use crate::{Platform, PlatformOptions, TestClock};

/// A small deterministic generator (xorshift), so that a failing seed can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    fn pick<T: Clone>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())].clone()
    }
}

const POSTCODES: usize = 60;
const TOPICS: [&str; 4] = ["depression", "postpartum", "angst", "sucht"];
const WORDS: [&str; 4] = ["abend", "morgen", "frauen", "jung"];
const DAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];

/// Postcodes 10000… spread over about 300 × 250 km of central Germany (many grid cells).
fn gazetteer(rng: &mut Rng) -> String {
    (0..POSTCODES)
        .map(|i| {
            let lat = 49.5 + rng.below(2_500) as f64 / 1_000.0;
            let lon = 9.0 + rng.below(4_000) as f64 / 1_000.0;
            format!("DE\t{}\tOrt {i}\tLand\tTH\t\t00\t\t\t{lat:.4}\t{lon:.4}\t4\n", 10_000 + i)
        })
        .collect()
}

/// A platform with the random gazetteer, the topics and one contact point.
fn platform(rng: &mut Rng) -> (Platform, crate::OrgId) {
    let clock = TestClock::at("2026-03-02T09:00:00Z".parse().unwrap());
    let p = Platform::in_memory_with(PlatformOptions { clock: Arc::new(clock), ..Default::default() }).unwrap();
    let op = Actor::Operator;
    p.geo().import(&op, gazetteer(rng).as_bytes(), &mut |_| {}).unwrap();
    for (slug, parent) in [("depression", None), ("postpartum", Some("depression")), ("angst", None), ("sucht", None)] {
        let labels = vec![crate::TopicLabel { lang: "de".into(), pref: slug.into(), alt: vec![] }];
        let new = crate::NewTopic { slug: slug.into(), parent: parent.map(Into::into), labels, related: vec![] };
        p.topics().add(&op, &new).unwrap();
    }
    let kiss = crate::NewOrganisation {
        name: "KISS".into(),
        kind: crate::OrgKind::SelfHelpContactPoint,
        region: "DE-TH".into(),
        city: None,
        website: None,
    };
    let kiss = p.orgs().create(&op, &kiss).unwrap().id;
    (p, kiss)
}

fn postcode(rng: &mut Rng) -> String {
    (10_000 + rng.below(POSTCODES)).to_string()
}

fn meeting(rng: &mut Rng) -> MeetingInput {
    let day = rng.pick(&DAYS).code();
    let rule = if rng.chance(3) { format!("FREQ=MONTHLY;BYDAY=2{day}") } else { format!("FREQ=WEEKLY;BYDAY={day}") };
    let hour = 8 + rng.below(12);
    MeetingInput {
        rule,
        starts: format!("{hour:02}:00"),
        ends: format!("{:02}:30", hour + 1),
        valid_from: None,
        valid_until: None,
        exceptions: vec![],
    }
}

fn place(rng: &mut Rng) -> GroupPlaceInput {
    GroupPlaceInput {
        country: "DE".into(),
        postcode: postcode(rng),
        venue: None,
        street: None,
        confidential: rng.chance(3),
    }
}

fn format(rng: &mut Rng) -> GroupFormat {
    rng.pick(&[GroupFormat::InPerson, GroupFormat::InPerson, GroupFormat::Online, GroupFormat::Both])
}

fn status(rng: &mut Rng) -> GroupStatus {
    rng.pick(&[GroupStatus::Active, GroupStatus::Active, GroupStatus::Founding, GroupStatus::Ended])
}

fn topics(rng: &mut Rng) -> Vec<String> {
    let mut out = vec![rng.pick(&TOPICS).to_string()];
    if rng.chance(3) {
        out.push(rng.pick(&TOPICS).to_string());
    }
    out.dedup();
    out
}

fn new_group(rng: &mut Rng, i: usize, kiss: crate::OrgId) -> NewGroup {
    let format = format(rng);
    NewGroup {
        name: format!("Gruppe {i} {}", rng.pick(&WORDS)),
        description: format!("Wir treffen uns {}", rng.pick(&WORDS)),
        topics: topics(rng),
        keywords: vec![],
        audience: rng.pick(&[GroupAudience::Affected, GroupAudience::Relatives, GroupAudience::Both]),
        age_min: None,
        age_max: None,
        languages: if rng.chance(4) { vec!["de".into(), "en".into()] } else { vec!["de".into()] },
        status: status(rng),
        format,
        contact_point: Some(kiss),
        contact: None,
        requests_to: None,
        place: (format != GroupFormat::Online || rng.chance(2)).then(|| place(rng)),
        meetings: (0..1 + rng.below(2)).map(|_| meeting(rng)).collect(),
        accessibility: if rng.chance(2) { vec![Accessibility::StepFree] } else { vec![] },
        accessibility_notes: None,
    }
}

fn query(rng: &mut Rng) -> GroupQuery {
    let near = !rng.chance(4);
    drawn_query(rng, near)
}

/// A query by topic (most of the time) without a place: what the topic index answers.
fn query_by_topic(rng: &mut Rng) -> GroupQuery {
    let mut q = drawn_query(rng, false);
    if q.topic.is_none() && !rng.chance(4) {
        q.topic = Some(rng.pick(&TOPICS).to_string());
    }
    q
}

fn drawn_query(rng: &mut Rng, near: bool) -> GroupQuery {
    GroupQuery {
        text: rng.chance(5).then(|| rng.pick(&WORDS).to_string()),
        topic: rng.chance(2).then(|| rng.pick(&TOPICS).to_string()),
        postcode: near.then(|| postcode(rng)),
        country: near.then(|| "DE".to_string()),
        radius_km: near.then(|| rng.pick(&[5.0, 25.0, 40.0, 120.0, 500.0])),
        weekday: rng.chance(2).then(|| rng.pick(&DAYS)),
        starts_after: rng.chance(6).then(|| "12:00".to_string()),
        language: rng.chance(6).then(|| "en".to_string()),
        audience: rng.chance(6).then_some(GroupAudience::Relatives),
        accessibility: if rng.chance(6) { vec![Accessibility::StepFree] } else { vec![] },
        status: rng.chance(8).then(|| rng.pick(&[GroupStatus::Ended, GroupStatus::Founding])),
        ..Default::default()
    }
}

/// The search as it was before the index: every record decoded and matched.
/// Every group the plain scan finds for `q`, in the order pages show them: the reference each
/// page of the indexed search is held against. Computed once per query (the directory does not
/// change while its pages are read), so a query of many small pages costs one scan, not one a page.
fn scan_search(p: &Platform, q: &GroupQuery) -> Result<Vec<GroupHit>> {
    p.groups().ctx.read(&Actor::Anonymous, |txn, _, now| {
        let plan = plan(txn, q)?;
        let lens = Lens::new(txn, now)?;
        let mut hits: Vec<(f64, GroupRecord, Option<f64>)> = Vec::new();
        records::scan_groups(txn, 0, |g| {
            if let Some(distance) = plan.matches(&g) {
                hits.push((distance.unwrap_or(-1.0), g, distance));
            }
            Ok(true)
        })?;
        if plan.near.is_some() {
            hits.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        }
        Ok(hits
            .into_iter()
            .map(|(_, g, distance)| GroupHit { group: view::public(&g, lens), distance_km: distance })
            .collect())
    })
}

/// The page `page` of the scan's hits, numbered by offset as the scan's cursor was.
fn scanned_page(hits: &[GroupHit], page: &PageRequest) -> Result<GroupHitPage> {
    let limit = page.limit()?;
    let skip = page.cursor_id()?.unwrap_or(0) as usize;
    let next = (hits.len() > skip + limit).then(|| (skip + limit) as u64);
    Ok(GroupHitPage::new(hits.iter().skip(skip).take(limit).cloned().collect(), next))
}

/// Every page of `q` both ways; returns how many groups were found.
fn compare(p: &Platform, rng: &mut Rng, q: &GroupQuery) -> usize {
    let limit = rng.pick(&[2, 7, 20]);
    let mut page = PageRequest::first(limit);
    let mut found = 0;
    let hits = scan_search(p, q).unwrap();
    for _ in 0..1_000 {
        let indexed = p.groups().search(&Actor::Anonymous, q, &page).unwrap();
        let scanned = scanned_page(&hits, &page).unwrap();
        assert_eq!(indexed, scanned, "query {q:?}, page {page:?}");
        found += indexed.items.len();
        match indexed.next_cursor {
            Some(cursor) => page = PageRequest { cursor: Some(cursor), limit: Some(limit) },
            None => return found,
        }
    }
    panic!("more than 1,000 pages for {q:?}");
}

fn edit(rng: &mut Rng) -> GroupUpdate {
    let format = rng.chance(2).then(|| format(rng));
    GroupUpdate {
        topics: rng.chance(2).then(|| topics(rng)),
        status: rng.chance(3).then(|| status(rng)),
        format,
        place: rng.chance(2).then(|| place(rng)),
        meetings: rng.chance(3).then(|| vec![meeting(rng)]),
        ..Default::default()
    }
}

#[test]
fn the_indexed_search_finds_what_the_scan_finds_page_by_page() {
    for seed in [0x5eed_u64, 0xfeed_beef, 0x0123_4567_89ab].into_iter().take(crate::fixtures::rounds(3) as usize) {
        let mut rng = Rng(seed);
        let (p, kiss) = platform(&mut rng);
        let mut ids = Vec::new();
        for i in 0..200 {
            ids.push(p.groups().create(&Actor::Operator, &new_group(&mut rng, i, kiss)).unwrap().id);
        }
        let mut found = 0;
        for _ in 0..40 {
            let q = query(&mut rng);
            found += compare(&p, &mut rng, &q);
        }
        for _ in 0..80 {
            let id = rng.pick(&ids);
            // An edit may be refused (an in-person group without a place): then nothing changed.
            let _ = p.groups().update(&Actor::Operator, id, &edit(&mut rng));
        }
        for _ in 0..40 {
            let q = query(&mut rng);
            found += compare(&p, &mut rng, &q);
        }
        assert!(found > 500, "the queries find groups ({found}), so the comparison means something");
        let report = p.integrity().unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}

/// A directory of `groups` random groups, with the platform's contact point.
fn directory(rng: &mut Rng, groups: usize) -> (Platform, crate::OrgId, Vec<GroupId>) {
    let (p, kiss) = platform(rng);
    let ids = (0..groups).map(|i| p.groups().create(&Actor::Operator, &new_group(rng, i, kiss)).unwrap().id).collect();
    (p, kiss, ids)
}

#[test]
fn a_search_by_topic_without_a_place_finds_what_the_scan_finds_page_by_page() {
    for seed in [0x7091c_u64, 0xdead_f00d, 0x2727_2727].into_iter().take(crate::fixtures::rounds(3) as usize) {
        let mut rng = Rng(seed);
        let (p, _, ids) = directory(&mut rng, 250);
        let mut found = 0;
        for _ in 0..60 {
            let q = query_by_topic(&mut rng);
            found += compare(&p, &mut rng, &q);
        }
        // Edits move groups between topics (the rows of a topic a group left go).
        for _ in 0..100 {
            let _ = p.groups().update(&Actor::Operator, rng.pick(&ids), &edit(&mut rng));
        }
        for _ in 0..60 {
            let q = query_by_topic(&mut rng);
            found += compare(&p, &mut rng, &q);
        }
        assert!(found > 500, "the queries find groups ({found}), so the comparison means something");
        let report = p.integrity().unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}

/// The groups a search for a rare topic finds and the rows it reads, in a directory of three
/// groups of that topic (one created first, two last) and `others` groups of other topics.
fn rows_of_a_rare_topic_search(others: usize) -> (Vec<GroupId>, Touched) {
    let (p, kiss, _) = directory(&mut Rng(0x5e17_e4e5), 0);
    let labels = vec![crate::TopicLabel { lang: "de".into(), pref: "Trichotillomanie".into(), alt: vec![] }];
    let rare = crate::NewTopic { slug: "trichotillomanie".into(), parent: None, labels, related: vec![] };
    p.topics().add(&Actor::Operator, &rare).unwrap();
    // The rare groups are drawn alike whatever the size of the directory.
    let mut same = Rng(0xa11e_4e4e);
    let mut rare_group = |i| {
        let new = NewGroup {
            topics: vec!["trichotillomanie".into()],
            status: GroupStatus::Active,
            ..new_group(&mut same, i, kiss)
        };
        p.groups().create(&Actor::Operator, &new).unwrap().id
    };
    let mut expected = vec![rare_group(0)];
    let mut rng = Rng(0x07e4_5e55);
    for i in 0..others {
        p.groups().create(&Actor::Operator, &new_group(&mut rng, i, kiss)).unwrap();
    }
    expected.extend([rare_group(1), rare_group(2)]);
    let q = GroupQuery { topic: Some("Trichotillomanie".into()), ..Default::default() };
    let (page, touched) = rows::touched(|| p.groups().search(&Actor::Anonymous, &q, &PageRequest::first(20)).unwrap());
    assert_eq!(page.items.iter().map(|hit| hit.group.id).collect::<Vec<_>>(), expected, "the rare topic's groups");
    (expected, touched)
}

/// Issue 21's founding groups for rare topics: a search by a topic only a few groups have,
/// without a place, reads those groups' rows, not every card of the directory.
#[test]
fn a_search_for_a_rare_topic_reads_as_many_rows_among_2000_groups_as_among_50() {
    let (_, small) = rows_of_a_rare_topic_search(50);
    let (_, large) = rows_of_a_rare_topic_search(2_000);
    assert_eq!(large, small, "rows touched among 2,000 other groups against among 50");
    assert!(small.read < 50, "a search for three groups read {small:?}");
    assert_eq!(small.written, 0, "a search writes nothing");
}

#[test]
fn a_page_is_settled_only_when_no_later_cell_can_come_before_it() {
    let hit = |key: f64, id: u64| Hit { key, id: GroupId(id), distance: Some(key) };
    let mut hits = vec![hit(1.0, 1), hit(2.0, 2), hit(9.6, 3)];
    assert!(!settled(&mut hits, 4, 50.0), "fewer hits than the page needs");
    assert!(settled(&mut hits, 3, 10.2), "the third hit (9.6) is before anything 10.2 km away");
    assert!(
        !settled(&mut hits, 3, 10.0),
        "a shown distance may be rounded down by up to 0.5 km: 10.0 - 0.5 is not above 9.6"
    );
}
