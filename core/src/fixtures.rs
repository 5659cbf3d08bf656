//! What the core's unit tests set up again and again: a platform on the test clock and the
//! organisation a test needs. Integration tests under `core/tests/` have their own helpers;
//! these are for tests inside the crate, which reach private functions and the row counter.

use std::sync::Arc;

use crate::*;

/// An in-memory platform whose clock stands at `at` (RFC 3339) and stays there until the test
/// moves the clock it gets back.
pub(crate) fn platform_at(at: &str) -> (Platform, TestClock) {
    platform_with(at, PlatformOptions::default())
}

/// As [`platform_at`], with the other options from `options`.
pub(crate) fn platform_with(at: &str, options: PlatformOptions) -> (Platform, TestClock) {
    let clock = TestClock::at(at.parse().expect("a test clock time in RFC 3339"));
    let p = Platform::in_memory_with(PlatformOptions { clock: Arc::new(clock.clone()), ..options }).unwrap();
    (p, clock)
}

/// A new organisation of `kind` in Thuringia named `name`, verified when `verified`.
pub(crate) fn organisation(p: &Platform, name: &str, kind: OrgKind, verified: bool) -> OrgId {
    let new = NewOrganisation { name: name.into(), kind, region: "DE-TH".into(), city: None, website: None };
    let org = p.orgs().create(&Actor::Operator, &new).unwrap().id;
    if verified {
        p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    }
    org
}

/// A verified association in Thuringia named `name`: the usual employer, organiser or
/// counselling organisation of a test.
pub(crate) fn association(p: &Platform, name: &str) -> OrgId {
    organisation(p, name, OrgKind::Association, true)
}

/// A forum board titled `title` (its slug the title in lower case, German, open moderation)
/// for `audience`, made by the operator: the board of a forum test that is not about boards.
pub(crate) fn board(p: &Platform, title: &str, audience: forums::Audience) -> forums::BoardId {
    let new = forums::NewBoard {
        slug: title.to_lowercase(),
        title: title.into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience,
        moderation: forums::ModerationMode::Open,
    };
    p.forums().create_board(&Actor::Operator, &new).unwrap().id
}

/// A member account for each of `pseudonyms`, as the actors a test writes with.
pub(crate) fn members(p: &Platform, pseudonyms: &[&str]) -> Vec<Actor> {
    pseudonyms.iter().map(|name| Actor::account(member(p, name))).collect()
}

/// A member account called `pseudonym`.
pub(crate) fn member(p: &Platform, pseudonym: &str) -> AccountId {
    let new = NewAccount { pseudonym: pseudonym.into(), ..Default::default() };
    p.accounts().create(&Actor::Anonymous, &new).unwrap().id
}

/// Rewinds the file of `p` (opened from `path`) to schema `version`, `forget` taking away what
/// that version did not have, and opens it again with `options`: the migrations bring it up to
/// date as they would a file that version wrote.
pub(crate) fn rewound(
    p: Platform,
    path: &std::path::Path,
    options: PlatformOptions,
    version: u64,
    forget: impl Fn(&crate::store::WriteTxn) -> Result<()>,
) -> Platform {
    p.store()
        .write(|txn| {
            forget(txn)?;
            crate::store::rewind_to(txn, version)
        })
        .unwrap();
    drop(p);
    Platform::open(path, options).unwrap()
}

/// Options with `clock` as the platform's clock.
pub(crate) fn on(clock: &TestClock) -> PlatformOptions {
    PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() }
}

/// A small deterministic generator (xorshift) for the random histories of tests, so that a
/// failure repeats.
pub(crate) struct Dice(pub u64);

impl Dice {
    /// A number from 0 to `sides` − 1.
    pub fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }
}

/// An online seminar of `org` ("Gruppen leiten", free, Berlin time) of `capacity` places: one
/// session from `start` to `end` (local, e.g. "2026-03-09T18:00"), repeated as `repeat` says.
pub(crate) fn online_course(org: OrgId, start: &str, end: &str, repeat: Option<Repeat>, capacity: u32) -> NewCourse {
    NewCourse {
        org,
        title: "Gruppen leiten".into(),
        description: "Moderation, Konflikte, Methoden.".into(),
        topics: vec![],
        language: "de".into(),
        audience: CourseAudience::SelfHelpGroupMembers,
        format: CourseFormat::Online,
        place: None,
        online_link: Some("https://meet.example.org/gruppen".into()),
        sessions: vec![SessionInput {
            start: start.into(),
            end: end.into(),
            time_zone: "Europe/Berlin".into(),
            repeat,
        }],
        capacity,
        fee: Fee::Free,
        registration_opens: None,
        registration_closes: None,
        prerequisites: vec![],
        trialogic: false,
        settings: None,
    }
}

/// How many of a randomised test's `full` rounds (seeds, cases) to run: all of them on the
/// default backend, a third (at least one) when the test command runs the suite again on
/// another (`TRIALOG_MEMORY_BACKEND=redb` or `postgres`). The tests that use it check an index
/// against a scan or a model, logic that does not depend on the backend; each backend's own rows
/// are checked by the backend suite and the model-based property test. On PostgreSQL every read
/// of their thousands of comparisons is a round trip: the core library's tests took 207 s there
/// with every round and 140 s with a third (2 cores, under load).
pub(crate) fn rounds(full: u32) -> u32 {
    match std::env::var(crate::store::MEMORY_BACKEND_VARIABLE).as_deref() {
        Ok("redb" | "postgres") => full.div_ceil(3),
        _ => full,
    }
}
