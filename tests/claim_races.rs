//! Claim races: many contenders claim the same counselling enquiry or review item at the same
//! instant, round after round, and exactly one of them may win each round.
//!
//! The harness takes the way to open a platform as a parameter ([`Open`]), so the same races
//! run unchanged on any storage backend; on redb, whose writers take turns, a double winner
//! would mean a claim that does not check what it read. Rounds per kind come from
//! `TRIALOG_RACE_ROUNDS` (default 5,000 each, 10,000 races in all).

use std::sync::{Arc, Barrier, Mutex};

use trialog::counsel::{CounselOffer, EnquiryId, NewEnquiry};
use trialog::moderation::ItemId;
use trialog::*;

/// Opens a fresh, empty platform with the given options: the backend under test. It may give
/// several handles on the one platform (as several server processes open one PostgreSQL
/// schema); contenders then claim through different handles.
type Open = dyn Fn(PlatformOptions) -> Vec<Platform> + Sync;

/// Contenders per race: more than the cores, so that claims interleave in every way.
const CONTENDERS: usize = 8;
/// Targets prepared per batch (one seeding transaction for counselling).
const BATCH: usize = 250;

#[test]
fn every_counselling_claim_race_has_exactly_one_winner() {
    let tally = counselling_races(&in_memory, rounds());
    tally.assert_clean("counselling claims");
}

#[test]
fn every_moderation_claim_race_has_exactly_one_winner() {
    let tally = moderation_races(&in_memory, rounds());
    tally.assert_clean("moderation claims");
}

/// The harness's own check: a round two contenders both won is caught, as is a round whose
/// stored holder is not its winner.
#[test]
fn the_tally_catches_double_winners_and_wrong_holders() {
    let mut tally = Tally::default();
    let conflict = || Err(Error::conflict("taken"));
    let (one, two) = (AccountId(1), AccountId(2));
    tally.record("clean".into(), &[Ok(one), conflict()], Some(one));
    tally.record("double".into(), &[Ok(one), Ok(two)], Some(two));
    tally.record("held by another".into(), &[Ok(one), conflict()], Some(two));
    assert_eq!((tally.rounds, tally.double_winners.len(), tally.wrong_holder.len()), (3, 1, 1));
}

/// The redb platform in memory, as the tests of the core use it.
fn in_memory(options: PlatformOptions) -> Vec<Platform> {
    vec![Platform::in_memory_with(options).expect("an in-memory platform")]
}

/// Both kinds of races on one PostgreSQL schema opened twice, contenders split across the two
/// handles (the tests always have the core's `postgres` feature, see the dev-dependencies;
/// database at `TRIALOG_POSTGRES_URL`; rounds per kind from `TRIALOG_PG_RACE_ROUNDS`, default 100).
#[test]
fn claim_races_across_two_postgres_handles_have_exactly_one_winner() {
    let Ok(url) = std::env::var("TRIALOG_POSTGRES_URL") else {
        eprintln!("skipped: TRIALOG_POSTGRES_URL is not set (bash scripts/postgres.sh start)");
        return;
    };
    let rounds = std::env::var("TRIALOG_PG_RACE_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let twice = |kind: &str| {
        let url =
            format!("{url}{}schema=races_{kind}_{}", if url.contains('?') { '&' } else { '?' }, std::process::id());
        move |options: PlatformOptions| -> Vec<Platform> {
            (0..2).map(|_| Platform::open_postgres(&url, options.clone()).expect("a PostgreSQL platform")).collect()
        }
    };
    counselling_races(&twice("counsel"), rounds).assert_clean("counselling claims on PostgreSQL");
    moderation_races(&twice("moderation"), rounds).assert_clean("moderation claims on PostgreSQL");
}

fn rounds() -> usize {
    std::env::var("TRIALOG_RACE_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(5_000)
}

/// What the races of one kind came to.
#[derive(Debug, Default)]
struct Tally {
    rounds: usize,
    /// Rounds with more than one winner.
    double_winners: Vec<String>,
    /// Rounds nobody won.
    no_winner: Vec<String>,
    /// Losers that got anything but `Conflict`.
    wrong_errors: Vec<String>,
    /// Rounds whose stored state names someone other than the winner.
    wrong_holder: Vec<String>,
    /// Writes run again after a serialization conflict (PostgreSQL).
    retries: u64,
    /// Writes that ran alone after conflicting again and again (PostgreSQL).
    alone: u64,
}

impl Tally {
    fn assert_clean(&self, what: &str) {
        eprintln!(
            "{what}: {} races, {} double winners, {} without winner, {} retried writes, {} run alone",
            self.rounds,
            self.double_winners.len(),
            self.no_winner.len(),
            self.retries,
            self.alone
        );
        assert!(self.rounds > 0, "{what}: no races ran");
        assert!(self.double_winners.is_empty(), "{what}: double winners {:?}", first(&self.double_winners));
        assert!(self.no_winner.is_empty(), "{what}: rounds without a winner {:?}", first(&self.no_winner));
        assert!(self.wrong_errors.is_empty(), "{what}: losers with other errors {:?}", first(&self.wrong_errors));
        assert!(
            self.wrong_holder.is_empty(),
            "{what}: stored holder is not the winner {:?}",
            first(&self.wrong_holder)
        );
    }

    /// Records one round from the contenders' outcomes (`Ok(claimant)` for a win).
    fn record(&mut self, round: String, outcomes: &[Result<AccountId>], stored: Option<AccountId>) {
        self.rounds += 1;
        let winners: Vec<AccountId> = outcomes.iter().filter_map(|o| o.as_ref().ok().copied()).collect();
        match winners.as_slice() {
            [] => self.no_winner.push(round.clone()),
            [one] if stored != Some(*one) => {
                self.wrong_holder.push(format!("{round}: won by {one}, held by {stored:?}"))
            }
            [_] => {}
            many => self.double_winners.push(format!("{round}: {many:?}")),
        }
        for outcome in outcomes {
            if let Err(e) = outcome
                && !matches!(e, Error::Conflict { .. })
            {
                self.wrong_errors.push(format!("{round}: {e:?}"));
            }
        }
    }
}

fn first(lines: &[String]) -> &[String] {
    &lines[..lines.len().min(5)]
}

/// Runs `rounds` races: `prepare` makes a batch of targets, then for each target all
/// contenders call `claim` at once (released by one barrier) and `holder` reads who holds it.
fn race<T: Copy + Send + Sync + std::fmt::Debug>(
    rounds: usize,
    contenders: &[Actor],
    prepare: &dyn Fn(usize) -> Vec<T>,
    claim: &(dyn Fn(&Actor, T) -> Result<AccountId> + Sync),
    holder: &dyn Fn(T) -> Option<AccountId>,
) -> Tally {
    let mut tally = Tally::default();
    let start = Barrier::new(contenders.len() + 1);
    let done = Barrier::new(contenders.len() + 1);
    let target: Mutex<Option<T>> = Mutex::new(None);
    let outcomes: Mutex<Vec<Result<AccountId>>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for actor in contenders {
            let (start, done, target, outcomes) = (&start, &done, &target, &outcomes);
            scope.spawn(move || {
                loop {
                    start.wait();
                    let Some(t) = *target.lock().unwrap() else { break };
                    let outcome = claim(actor, t);
                    outcomes.lock().unwrap().push(outcome);
                    done.wait();
                }
            });
        }
        let mut left = rounds;
        while left > 0 {
            let batch = prepare(left.min(BATCH));
            assert!(!batch.is_empty(), "no targets prepared");
            for t in batch {
                *target.lock().unwrap() = Some(t);
                start.wait();
                done.wait();
                let results = std::mem::take(&mut *outcomes.lock().unwrap());
                tally.record(format!("{t:?}"), &results, holder(t));
                left -= 1;
            }
        }
        *target.lock().unwrap() = None;
        start.wait();
    });
    tally
}

fn options() -> PlatformOptions {
    PlatformOptions {
        clock: Arc::new(TestClock::at("2026-03-02T09:00:00Z".parse().unwrap())),
        content_key: Some(ContentKey::generate().unwrap()),
        durability: Durability::Eventual,
        ..Default::default()
    }
}

fn member(p: &Platform, pseudonym: &str, role: Option<Role>) -> Actor {
    let new = NewAccount { pseudonym: pseudonym.into(), ..Default::default() };
    let account = p.accounts().create(&Actor::Operator, &new).unwrap();
    if let Some(role) = role {
        p.accounts().grant_role(&Actor::Operator, account.id, role, None).unwrap();
    }
    Actor::account(account.id)
}

fn account_of(actor: &Actor) -> AccountId {
    match actor {
        Actor::Account { id } => *id,
        other => panic!("{other:?} is not an account"),
    }
}

/// Counsellors of one organisation race for new enquiries in its queue.
fn counselling_races(open: &Open, rounds: usize) -> Tally {
    let handles = open(options());
    let p = &handles[0];
    let org = p
        .orgs()
        .create(
            &Actor::Operator,
            &NewOrganisation {
                name: "Beratung Jena".into(),
                kind: OrgKind::Association,
                region: "DE-TH".into(),
                city: None,
                website: None,
            },
        )
        .unwrap()
        .id;
    let offer = CounselOffer {
        org,
        topics: vec![],
        languages: vec!["de".into()],
        regions: vec![],
        first_response_hours: 48,
        business_days: false,
    };
    p.counsel().set_offer(&Actor::Operator, &offer).unwrap();
    let counsellors: Vec<Actor> =
        (0..CONTENDERS).map(|i| member(p, &format!("Berater_{i}"), Some(Role::Counsellor { org }))).collect();
    let enquiry = NewEnquiry {
        topic: "contracts_and_pay".into(),
        language: "de".into(),
        postcode: None,
        prefer_lived_experience: false,
        prefer_gender: None,
        text: "Mein Vertrag nennt keine Entgeltgruppe.".into(),
    };
    let prepare = |n: usize| p.counsel().seed_enquiries(&vec![enquiry.clone(); n], "geheim-genug-1", false).unwrap();
    let claim =
        |actor: &Actor, id: EnquiryId| handle(&handles, actor).counsel().claim(actor, id).map(|_| account_of(actor));
    let holder = |id: EnquiryId| p.counsel().enquiry(&Actor::Operator, id).unwrap().counsellor;
    let mut tally = race(rounds, &counsellors, &prepare, &claim, &holder);
    tally.retries = handles.iter().map(Platform::storage_retries).sum();
    tally.alone = handles.iter().map(Platform::storage_runs_alone).sum();
    tally
}

/// The handle a contender claims through: contenders are spread over all of them.
fn handle<'a>(handles: &'a [Platform], actor: &Actor) -> &'a Platform {
    &handles[(account_of(actor).0 % handles.len() as u64) as usize]
}

/// Moderators race for reported posts in the review queue, each holding the version it saw.
fn moderation_races(open: &Open, rounds: usize) -> Tally {
    let handles = open(options());
    let p = &handles[0];
    let new_board = NewBoard {
        slug: "austausch".into(),
        title: "Austausch".into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience: Audience::Members,
        moderation: ModerationMode::Open,
    };
    let board = p.forums().create_board(&Actor::Operator, &new_board).unwrap().id;
    let author = member(p, "Kim", None);
    let reporter = member(p, "Ole", None);
    let moderators: Vec<Actor> =
        (0..CONTENDERS).map(|i| member(p, &format!("Mod_{i}"), Some(Role::Moderator))).collect();
    let new_thread =
        NewThread { board, title: "Thema".into(), body: "Ein Beitrag".into(), tags: vec![], anonymous: false };
    let posted = p.forums().create_thread(&author, &new_thread).unwrap();
    let reply =
        NewReply { thread: posted.thread.id, body: "Günstige Kredite".into(), reply_to: None, anonymous: false };
    let prepare = |n: usize| {
        let replies: Vec<(Actor, NewReply)> = (0..n).map(|_| (author.clone(), reply.clone())).collect();
        let posts = p.forums().reply_many(&replies).unwrap();
        posts
            .into_iter()
            .map(|posted| {
                let target = Target::Post { id: posted.unwrap().post.id };
                let report = NewReport { target, reason: ReportReason::Spam, detail: None };
                let item = p.moderation().report(&reporter, &report).unwrap().item;
                let version = p.moderation().item(&moderators[0], item).unwrap().item.version;
                (item, version)
            })
            .collect()
    };
    let claim = |actor: &Actor, (item, version): (ItemId, u64)| {
        handle(&handles, actor).moderation().claim(actor, item, version).map(|_| account_of(actor))
    };
    let holder = |(item, _): (ItemId, u64)| p.moderation().item(&moderators[0], item).unwrap().item.claimed_by;
    let mut tally = race(rounds, &moderators, &prepare, &claim, &holder);
    tally.retries = handles.iter().map(Platform::storage_retries).sum();
    tally.alone = handles.iter().map(Platform::storage_runs_alone).sum();
    tally
}
