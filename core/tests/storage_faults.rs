//! Storage faults: every read, write and sync an operation makes is failed in turn, and the
//! file must afterwards hold the state before the operation or the state after it, never a
//! mix, with a clean integrity check (the way SQLite and redb test themselves).
//!
//! For each workload the harness prepares a file, runs the operation once on a copy to count
//! its I/O and record the state after it, then for every kind (read, write, sync) and every N
//! up to that count runs it on a fresh copy whose N-th operation of that kind fails. The
//! operation must then return `Error::Storage`; the copy is reopened without faults and
//! compared with both states: the row count and stored bytes of every table, plus what the
//! workload's own reads show (a search hit, an inbox, a queue).
//!
//! Each workload runs twice: without a page cache (every page it touches is read from the
//! file, so reads fail too) and with one (the writes and syncs of a warm server).
//! `TRIALOG_FAULT_STRIDE=k` tries only every k-th N (default 1: every one).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use trialog_core::counsel::*;
use trialog_core::faults::{FaultKind, Faults};
use trialog_core::moderation::ItemId;
use trialog_core::*;

/// One operation under test: set up once, then run against copies of the prepared file.
trait Workload {
    fn name(&self) -> &'static str;
    /// Builds what the operation needs on a fresh platform.
    fn prepare(&mut self, p: &Platform);
    /// The operation itself: one public call, one transaction.
    fn run(&self, p: &Platform) -> Result<()>;
    /// What the operation's effects look like through the platform's own (read-only) queries.
    fn observe(&self, p: &Platform) -> String;
}

/// The harness itself: an "operation" made of two commits (an account, then its role) must
/// be caught leaving a mix when the second commit fails.
#[test]
fn the_harness_catches_an_operation_split_over_two_commits() {
    let findings = try_every_fault(&mut TwoCommits, 0);
    assert!(findings.tried > 0);
    assert!(!findings.mixed.is_empty(), "no fault of {} left the first commit without the second", findings.tried);
}

/// A person's durable action waits for one fsync; with quick repair on (a server that must be
/// back at once after a crash) it waits for two, as redb's two-phase commit needs.
#[test]
fn a_durable_reply_syncs_once_and_twice_with_quick_repair() {
    let syncs_of_one_reply = |quick_repair: bool| {
        let bench = Bench::new(0);
        let options = PlatformOptions { quick_repair, ..bench.options() };
        let mut reply = ForumReply::default();
        reply.prepare(&Platform::open(&bench.template, options.clone()).unwrap());
        let faults = Faults::new();
        let p = Platform::open_with_faults(bench.copy("syncs.redb"), options, &faults).unwrap();
        faults.arm(None);
        reply.run(&p).unwrap();
        faults.disarm().syncs
    };
    assert_eq!(syncs_of_one_reply(false), 1, "a durable reply without quick repair");
    assert_eq!(syncs_of_one_reply(true), 2, "a durable reply with quick repair");
}

#[test]
fn sign_up_leaves_the_old_or_the_new_state_under_every_fault() {
    assert_every_fault_is_clean(&mut SignUp);
}

#[test]
fn forum_reply_leaves_the_old_or_the_new_state_under_every_fault() {
    assert_every_fault_is_clean(&mut ForumReply::default());
}

#[test]
fn publishing_with_alerts_leaves_the_old_or_the_new_state_under_every_fault() {
    assert_every_fault_is_clean(&mut PublishWithAlerts::default());
}

#[test]
fn counselling_reply_leaves_the_old_or_the_new_state_under_every_fault() {
    assert_every_fault_is_clean(&mut CounsellingReply::default());
}

#[test]
fn moderation_action_leaves_the_old_or_the_new_state_under_every_fault() {
    assert_every_fault_is_clean(&mut ModerationAction::default());
}

/// The file and clock every run of one workload shares.
struct Bench {
    dir: tempfile::TempDir,
    template: PathBuf,
    clock: TestClock,
    key: ContentKey,
    cache_bytes: usize,
}

impl Bench {
    fn new(cache_bytes: usize) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let template = dir.path().join("template.redb");
        Bench { dir, template, clock: clock(), key: ContentKey::generate().unwrap(), cache_bytes }
    }

    fn options(&self) -> PlatformOptions {
        PlatformOptions {
            clock: Arc::new(self.clock.clone()),
            content_key: Some(self.key.clone()),
            cache_bytes: self.cache_bytes,
            ..Default::default()
        }
    }

    /// A fresh copy of the prepared file, with the key store beside it when it has one (the
    /// sealed fields of its people open only with it).
    fn copy(&self, name: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::copy(&self.template, &path).unwrap();
        let keys = |db: &Path| {
            let mut name = db.as_os_str().to_os_string();
            name.push(".keys");
            PathBuf::from(name)
        };
        if keys(&self.template).exists() {
            std::fs::copy(keys(&self.template), keys(&path)).unwrap();
        }
        path
    }

    /// The state of the file at `path`, read by a platform without faults.
    fn state(&self, path: &Path, workload: &dyn Workload) -> State {
        let p = Platform::open_existing(path, self.options()).unwrap();
        let integrity = p.integrity().unwrap();
        assert!(integrity.problems.is_empty(), "{}: integrity problems {:?}", workload.name(), integrity.problems);
        State { tables: p.fault_fingerprint().unwrap(), observed: workload.observe(&p) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct State {
    tables: Vec<(String, u64, u64)>,
    observed: String,
}

impl State {
    /// The tables whose rows differ between two states, for a readable failure.
    fn differing_tables(&self, other: &State) -> Vec<String> {
        let mut names: Vec<String> =
            self.tables.iter().filter(|t| !other.tables.contains(t)).map(|t| t.0.clone()).collect();
        names.extend(other.tables.iter().filter(|t| !self.tables.contains(t)).map(|t| t.0.clone()));
        names.sort();
        names.dedup();
        names
    }
}

fn stride() -> usize {
    std::env::var("TRIALOG_FAULT_STRIDE").ok().and_then(|s| s.parse().ok()).filter(|&k| k > 0).unwrap_or(1)
}

fn assert_every_fault_is_clean(workload: &mut dyn Workload) {
    for cache_bytes in [0, 4 * 1024 * 1024] {
        let findings = try_every_fault(workload, cache_bytes);
        assert!(findings.tried > 0, "{}: no I/O to fail", workload.name());
        assert!(findings.mixed.is_empty(), "{}: mixed states {:#?}", workload.name(), findings.mixed);
        eprintln!("{} (cache {cache_bytes} B): {} fault points, none mixed", workload.name(), findings.tried);
    }
}

/// What failing every operation of a workload in turn found.
struct Findings {
    tried: u64,
    /// One line for each fault after which the file held neither the old nor the new state.
    mixed: Vec<String>,
}

fn try_every_fault(workload: &mut dyn Workload, cache_bytes: usize) -> Findings {
    let bench = Bench::new(cache_bytes);
    {
        let p = Platform::open(&bench.template, bench.options()).unwrap();
        workload.prepare(&p);
    }
    let old = bench.state(&bench.copy("old.redb"), workload);

    let faults = Faults::new();
    let counted = bench.copy("counted.redb");
    let counts = {
        let p = Platform::open_with_faults(&counted, bench.options(), &faults).unwrap();
        faults.arm(None);
        workload.run(&p).unwrap_or_else(|e| panic!("{} fails without faults: {e:?}", workload.name()));
        faults.disarm()
    };
    let new = bench.state(&counted, workload);
    assert_ne!(old, new, "{}: the operation changed nothing", workload.name());

    let mut findings = Findings { tried: 0, mixed: Vec::new() };
    for kind in FaultKind::ALL {
        for n in (1..=counts.of(kind)).step_by(stride()) {
            let path = bench.copy(&format!("{kind:?}-{n}.redb"));
            let outcome = {
                let p = Platform::open_with_faults(&path, bench.options(), &faults).unwrap();
                faults.arm(Some((kind, n)));
                let outcome = workload.run(&p);
                faults.disarm();
                outcome
            };
            let name = workload.name();
            assert!(faults.fired(), "{name}: {kind:?} {n} of {counts:?} was never reached");
            assert!(matches!(outcome, Err(Error::Storage { .. })), "{name}: {kind:?} {n} gave {outcome:?}");
            let after = bench.state(&path, workload);
            if after != old && after != new {
                findings.mixed.push(format!(
                    "{kind:?} {n}: tables differing from the old state {:?}, from the new {:?}; \
                     observed {:?} (old {:?}, new {:?})",
                    after.differing_tables(&old),
                    after.differing_tables(&new),
                    after.observed,
                    old.observed,
                    new.observed
                ));
            }
            std::fs::remove_file(&path).unwrap();
            findings.tried += 1;
        }
    }
    findings
}

// ---- the five workloads ----

/// An anonymous visitor signs up.
struct SignUp;

impl Workload for SignUp {
    fn name(&self) -> &'static str {
        "sign-up"
    }

    fn prepare(&mut self, p: &Platform) {
        account(p, "Schon_da", &[]);
    }

    fn run(&self, p: &Platform) -> Result<()> {
        let new = NewAccount { pseudonym: "Neu_hier".into(), languages: vec!["de".into()], ..Default::default() };
        p.accounts().create(&Actor::Anonymous, &new).map(drop)
    }

    fn observe(&self, p: &Platform) -> String {
        format!("{:?}", p.accounts().find_by_pseudonym(&Actor::Operator, "neu_hier").map(|a| a.id))
    }
}

/// Not one operation: an account is created, then in a second commit made a moderator.
struct TwoCommits;

impl Workload for TwoCommits {
    fn name(&self) -> &'static str {
        "two commits"
    }

    fn prepare(&mut self, _: &Platform) {}

    fn run(&self, p: &Platform) -> Result<()> {
        let account =
            p.accounts().create(&Actor::Operator, &NewAccount { pseudonym: "Zwei".into(), ..Default::default() })?;
        p.accounts().grant_role(&Actor::Operator, account.id, Role::Moderator, None).map(drop)
    }

    fn observe(&self, p: &Platform) -> String {
        format!("{:?}", p.accounts().find_by_pseudonym(&Actor::Operator, "zwei").map(|a| a.roles))
    }
}

/// A member replies in a thread another member watches.
#[derive(Default)]
struct ForumReply {
    thread: Option<ThreadId>,
    writer: Option<Actor>,
    watcher: Option<Actor>,
}

impl Workload for ForumReply {
    fn name(&self) -> &'static str {
        "forum reply"
    }

    fn prepare(&mut self, p: &Platform) {
        let board = members_board(p, "austausch", ModerationMode::Open);
        let watcher = Actor::account(account(p, "Mia", &[]).id);
        let writer = Actor::account(account(p, "Jonas", &[]).id);
        let new = NewThread {
            board: board.id,
            title: "Arbeitsvertrag".into(),
            body: "Wie habt ihr die Eingruppierung verhandelt?".into(),
            tags: vec![],
            anonymous: false,
        };
        self.thread = Some(p.forums().create_thread(&watcher, &new).unwrap().thread.id);
        self.writer = Some(writer);
        self.watcher = Some(watcher);
    }

    fn run(&self, p: &Platform) -> Result<()> {
        let reply = NewReply {
            thread: self.thread.unwrap(),
            body: "Bei uns half die Entgeltordnung, Stufe zwei.".into(),
            reply_to: None,
            anonymous: false,
        };
        p.forums().reply(self.writer.as_ref().unwrap(), &reply).map(drop)
    }

    fn observe(&self, p: &Platform) -> String {
        let watcher = self.watcher.as_ref().unwrap();
        let query = ForumQuery { text: "Entgeltordnung".into(), ..Default::default() };
        let hits = p.forums().search(watcher, &query, &PageRequest::default()).map(|page| page.items.len());
        let unread = p.forums().unread(watcher).map(|threads| format!("{threads:?}"));
        let inbox = p.inbox().list(watcher, false, &PageRequest::default()).map(|page| page.items.len());
        format!("hits {hits:?}, unread {unread:?}, inbox {inbox:?}")
    }
}

/// An employer publishes a draft posting that two saved searches are waiting for.
#[derive(Default)]
struct PublishWithAlerts {
    job: Option<JobId>,
    staff: Option<Actor>,
    seekers: Vec<Actor>,
}

impl Workload for PublishWithAlerts {
    fn name(&self) -> &'static str {
        "publish with alerts"
    }

    fn prepare(&mut self, p: &Platform) {
        let org = org(p, "Weglaufhaus Berlin", "DE-BE");
        p.orgs().verify(&Actor::Operator, org.id, true, None).unwrap();
        let staff = Actor::account(account(p, "personal_wh", &[Role::EmployerStaff { org: org.id }]).id);
        let berlin = LocationInput::Coordinates { latitude: 52.52, longitude: 13.40, place: Some("Berlin".into()) };
        for (name, query) in [
            ("Kranich", JobQuery { near: Some(berlin.clone()), radius_km: Some(30.0), ..Default::default() }),
            ("Reiher", JobQuery::default()),
        ] {
            let seeker = Actor::account(account(p, name, &[]).id);
            p.alerts().add(&seeker, "Genesungsbegleitung", &query).unwrap();
            self.seekers.push(seeker);
        }
        let new = new_job(org.id, "Genesungsbegleiter:in", berlin);
        self.job = Some(p.jobs().create(&staff, &new).unwrap().id);
        self.staff = Some(staff);
    }

    fn run(&self, p: &Platform) -> Result<()> {
        p.jobs().publish(self.staff.as_ref().unwrap(), self.job.unwrap()).map(drop)
    }

    fn observe(&self, p: &Platform) -> String {
        let state = p.jobs().get(&Actor::Operator, self.job.unwrap()).map(|job| job.state);
        let query = JobQuery { text: Some("Genesungsbegleiter".into()), ..Default::default() };
        let hits = p.jobs().search(&Actor::Anonymous, &query, &PageRequest::default()).map(|page| page.items.len());
        let inboxes: Vec<_> = self
            .seekers
            .iter()
            .map(|seeker| p.inbox().list(seeker, false, &PageRequest::default()).map(|page| page.items.len()))
            .collect();
        format!("state {state:?}, hits {hits:?}, inboxes {inboxes:?}")
    }
}

/// A counsellor answers the enquiry they claimed.
#[derive(Default)]
struct CounsellingReply {
    enquiry: Option<EnquiryId>,
    counsellor: Option<Actor>,
    case: Option<(String, String)>,
}

impl Workload for CounsellingReply {
    fn name(&self) -> &'static str {
        "counselling reply"
    }

    fn prepare(&mut self, p: &Platform) {
        let jena = org(p, "Beratung Jena", "DE-TH").id;
        let offer = CounselOffer {
            org: jena,
            topics: vec![],
            languages: vec!["de".into()],
            regions: vec![],
            first_response_hours: 48,
            business_days: false,
        };
        p.counsel().set_offer(&Actor::Operator, &offer).unwrap();
        let counsellor = Actor::account(account(p, "Anna_Beraterin", &[Role::Counsellor { org: jena }]).id);
        let new = NewEnquiry {
            topic: "contracts_and_pay".into(),
            language: "de".into(),
            postcode: None,
            prefer_lived_experience: false,
            prefer_gender: None,
            text: "Mein Vertrag nennt keine Entgeltgruppe.".into(),
        };
        let opened = p.counsel().enquire(&Actor::Anonymous, &new).unwrap();
        let id = p.counsel().queue(&counsellor, jena, &PageRequest::default()).unwrap().items[0].enquiry;
        p.counsel().claim(&counsellor, id).unwrap();
        self.enquiry = Some(id);
        self.counsellor = Some(counsellor);
        self.case = Some((opened.case_code, opened.secret));
    }

    fn run(&self, p: &Platform) -> Result<()> {
        let text = "Fragen Sie nach der Eingruppierung nach TV-L.";
        p.counsel().reply(self.counsellor.as_ref().unwrap(), self.enquiry.unwrap(), text).map(drop)
    }

    fn observe(&self, p: &Platform) -> String {
        let enquiry = p.counsel().enquiry(self.counsellor.as_ref().unwrap(), self.enquiry.unwrap());
        let summary = enquiry.map(|e| format!("{e:?}"));
        format!("{summary:?}")
    }
}

/// A moderator hides a reported post.
#[derive(Default)]
struct ModerationAction {
    item: Option<(ItemId, u64)>,
    moderator: Option<Actor>,
}

impl Workload for ModerationAction {
    fn name(&self) -> &'static str {
        "moderation action"
    }

    fn prepare(&mut self, p: &Platform) {
        let board = members_board(p, "offen", ModerationMode::Open);
        let author = Actor::account(account(p, "Kim", &[]).id);
        let reporter = Actor::account(account(p, "Ole", &[]).id);
        let moderator = Actor::account(account(p, "ModA", &[Role::Moderator]).id);
        let new = NewThread {
            board: board.id,
            title: "Günstige Kredite".into(),
            body: "Schnell Geld verdienen, hier klicken.".into(),
            tags: vec![],
            anonymous: false,
        };
        let posted = p.forums().create_thread(&author, &new).unwrap();
        let target = Target::Post { id: posted.post.id };
        p.moderation().report(&reporter, &NewReport { target, reason: ReportReason::Spam, detail: None }).unwrap();
        let queue = p.moderation().queue(&moderator, ItemState::Pending, &PageRequest::default()).unwrap();
        let item = &queue.items[0];
        self.item = Some((item.id, item.version));
        self.moderator = Some(moderator);
    }

    fn run(&self, p: &Platform) -> Result<()> {
        let (item, version) = self.item.unwrap();
        p.moderation().act(self.moderator.as_ref().unwrap(), item, version, &ModAction::Hide, "Werbung").map(drop)
    }

    fn observe(&self, p: &Platform) -> String {
        let detail = p.moderation().item(self.moderator.as_ref().unwrap(), self.item.unwrap().0);
        let summary = detail.map(|d| format!("{:?}", (d.item.state, d.item.version, d.history.len())));
        format!("{summary:?}")
    }
}
