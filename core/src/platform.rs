//! The [`Platform`] handle: one open database, a clock, and the domain services.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::accounts::{self, Accounts};
use crate::actor::Actor;
use crate::audit::AuditLog;
use crate::clock::{Clock, SystemClock, Timestamp};
use crate::context::{AccountLoader, Compiled, Context};
use crate::counsel::{ContentKey, Counselling, Triage};
use crate::courses::Courses;
use crate::error::{Error, Result};
use crate::forums::{AllowEverything, ContentCheck, Forums};
use crate::geo::Geo;
use crate::groups::Groups;
use crate::inbox::Inbox;
use crate::inbox::notices::Notices;
use crate::jobs::{Alerts, Interests, Jobs, Seekers};
use crate::knowledge::Knowledge;
use crate::matching::MatchRuns;
use crate::moderation::Moderation;
use crate::orgs::Organisations;
use crate::programmes::Programmes;
use crate::reports::Reports;
use crate::rights::Rights;
use crate::sessions::Sessions;
use crate::settings::Settings;
use crate::store::copy::{CopyProgress, CopyReport, StoreLocation};
use crate::store::{CompactStep, Due, Durability, Findings, Opening, SCHEMA_VERSION, Store, ThreadTitles};
use crate::topics::Topics;

/// Default page-cache size: enough for a national platform on a server. Apps should pass
/// 16–64 MiB (redb's own default is 1 GiB).
pub const DEFAULT_CACHE_BYTES: usize = 256 * 1024 * 1024;

/// How to open a platform.
#[derive(Debug, Clone)]
pub struct PlatformOptions {
    /// Page-cache size in bytes.
    pub cache_bytes: usize,
    /// Whether each commit waits for the disk.
    pub durability: Durability,
    /// Where "now" comes from; a [`crate::TestClock`] in tests.
    pub clock: Arc<dyn Clock>,
    /// What every new thread, reply and edit in the forums passes through
    /// ([`crate::screening`]); by default everything is allowed.
    pub content_check: Arc<dyn ContentCheck>,
    /// The platform content key that wraps every counselling case's data key. Counselling
    /// operations that touch content fail with `InvalidInput { field: "content_key" }` without it.
    pub content_key: Option<ContentKey>,
    /// What reads every client message in counselling ([`crate::counsel::triage`]). `None`,
    /// the default, is the moderation content checker with the platform's stored watched words
    /// and crisis resources, so the lists operators edit serve the forums and counselling alike.
    pub triage: Option<Arc<dyn Triage>>,
    /// The most person-partner pairs one stored match run may pair (score cells, guides ×
    /// clients, applicants × placements); larger inputs are refused before the solver starts.
    /// [`crate::matching::MAX_CELLS`] (2,000,000) by default: raise it on a machine that may
    /// spend longer on a solve, lower it on a small one.
    pub max_match_cells: u64,
    /// Whether every durable commit also saves the file's allocator state, so that the first
    /// open after a crash takes milliseconds instead of walking the whole file. It costs a
    /// second fsync per durable commit (redb's two-phase commit). Off by default: a person's
    /// action then waits for one fsync. Measured 2026-12-06 on the 2-core machine's disk, on the
    /// 2M-post forum file (3.7 GB): a durable commit 4.0 ms without, 7.9 ms with it (medians of
    /// 100, interleaved); the open after a kill 8.3–22.7 s without, 3 ms with it. Turn it on for a
    /// large server that must be back at once after a crash and can spend the fsync
    /// (`trialog serve --quick-repair`); a phone's replica repairs in well under a second.
    pub quick_repair: bool,
}

impl Default for PlatformOptions {
    fn default() -> Self {
        PlatformOptions {
            cache_bytes: DEFAULT_CACHE_BYTES,
            durability: Durability::Immediate,
            clock: Arc::new(SystemClock),
            content_check: Arc::new(AllowEverything),
            content_key: None,
            triage: None,
            max_match_cells: crate::matching::MAX_CELLS,
            quick_repair: false,
        }
    }
}

impl PlatformOptions {
    /// The defaults with the settings a host passes through the bindings (Kotlin's
    /// `PlatformConfig`, Python's `Platform.open` keywords), each absent one keeping its
    /// default: the page cache in bytes, the durability, the content key's 32 bytes.
    pub fn with_settings(
        cache_bytes: Option<u64>,
        durability: Option<Durability>,
        content_key: Option<&[u8]>,
    ) -> Result<PlatformOptions> {
        let mut options = PlatformOptions::default();
        if let Some(bytes) = cache_bytes {
            options.cache_bytes = usize::try_from(bytes)
                .map_err(|_| Error::invalid("cache_bytes", format!("{bytes} is too large for this platform")))?;
        }
        options.durability = durability.unwrap_or(options.durability);
        options.content_key = content_key.map(ContentKey::from_bytes).transpose()?;
        Ok(options)
    }
}

/// What [`Platform::integrity`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct IntegrityReport {
    pub schema_version: u64,
    pub organisations: u64,
    pub accounts: u64,
    pub audit_entries: u64,
    /// Forum posts, in every state.
    #[serde(default)]
    pub forum_posts: u64,
    /// redb's page-level check: `None` when it was not run (the file was already open).
    pub file_intact: Option<bool>,
    /// Every inconsistency found, in words; empty when all is well.
    pub problems: Vec<String>,
}

/// What [`Platform::compact`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CompactReport {
    /// How many compaction passes ran until nothing more could be moved (0 in memory).
    pub passes: u32,
    /// The file's size before and after, in bytes; `None` in memory. `bytes_after` is the
    /// size on disk when the call returns: nothing is written after compacting.
    pub bytes_before: Option<u64>,
    pub bytes_after: Option<u64>,
    /// The size after redb's compaction in place, before any rewrite (`None` in memory):
    /// redb can only cut free pages off the file's end, so this is what it alone gives back.
    #[serde(default)]
    pub bytes_in_place: Option<u64>,
    /// Whether the file was rewritten into a fresh one, every table copied in key order,
    /// because a tenth of it or more was still free after compacting in place (the freed
    /// pages in its middle, which redb keeps). The platform holds the file alone meanwhile.
    #[serde(default)]
    pub rewritten: bool,
}

/// What [`Platform::tick`] did: for every kind of due work, how many items it handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TickReport {
    /// The time the work was due by.
    pub at: Timestamp,
    pub work: Vec<TickCount>,
}

/// One kind of due work and how many items of it a tick handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TickCount {
    pub domain: String,
    pub what: String,
    pub count: u64,
}

/// How many batches one domain may run in one tick; more waits for the next tick.
const MAX_TICK_ROUNDS: usize = 1_000;

/// A trialog platform over one database file. Cheap to clone; safe to share between threads.
///
/// ```
/// use trialog_core::{Actor, NewOrganisation, OrgKind, Platform};
/// let platform = Platform::in_memory()?;
/// let org = platform.orgs().create(&Actor::Operator, &NewOrganisation {
///     name: "Soteria Jena".into(), kind: OrgKind::Clinic, region: "DE-TH".into(),
///     city: Some("Jena".into()), website: None,
/// })?;
/// assert!(!org.verified);
/// # Ok::<(), trialog_core::Error>(())
/// ```
///
/// The platform builds the [`Context`] the domains work in and hands out their services; no
/// domain knows the platform.
#[derive(Clone)]
pub struct Platform {
    inner: Arc<Context>,
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Platform").finish_non_exhaustive()
    }
}

impl Platform {
    /// Opens (or creates) the database at `path` and migrates it to the current schema.
    /// Fails with [`Error::DatabaseInUse`] when another process has it open.
    pub fn open(path: impl AsRef<Path>, options: PlatformOptions) -> Result<Self> {
        let store = Store::open(path.as_ref(), true, options.cache_bytes, options.durability, opening(&options))?;
        Ok(Self::with(store, options))
    }

    /// Like [`Platform::open`], but a missing file is [`Error::NotFound`] rather than a new,
    /// empty platform: for tools that must not create files by accident.
    pub fn open_existing(path: impl AsRef<Path>, options: PlatformOptions) -> Result<Self> {
        let store = Store::open(path.as_ref(), false, options.cache_bytes, options.durability, opening(&options))?;
        Ok(Self::with(store, options))
    }

    /// Opens an existing file for reading only, such as a file without write permission or a
    /// backup that must stay untouched: reads work as usual, every change fails with
    /// [`Error::Storage`], and a file that needs a schema upgrade is refused.
    pub fn open_read_only(path: impl AsRef<Path>, options: PlatformOptions) -> Result<Self> {
        let store = Store::open_read_only(path.as_ref(), options.cache_bytes, opening(&options))?;
        Ok(Self::with(store, options))
    }

    /// Like [`Platform::open`], with every read, write and sync of the file passing through a
    /// fault switch (feature `fault-injection`: the storage-fault tests only).
    #[cfg(feature = "fault-injection")]
    #[doc(hidden)]
    pub fn open_with_faults(
        path: impl AsRef<Path>,
        options: PlatformOptions,
        faults: &crate::faults::Faults,
    ) -> Result<Self> {
        let store =
            Store::open_with_faults(path.as_ref(), faults, options.cache_bytes, options.durability, opening(&options))?;
        Ok(Self::with(store, options))
    }

    /// Opens (or creates) the platform in the PostgreSQL schema named in `url`
    /// (`postgres://user@host/db?schema=NAME`, default schema `public`) and migrates it to the
    /// current schema version. Several processes may open one schema at once (several servers
    /// behind a load balancer); several platforms share a database in schemas of their own.
    /// `options.cache_bytes` does not apply.
    #[cfg(feature = "postgres")]
    pub fn open_postgres(url: &str, options: PlatformOptions) -> Result<Self> {
        let store = Store::open_postgres(url, options.durability, opening(&options))?;
        Ok(Self::with(store, options))
    }

    /// A platform in a new schema of the test database, whatever `TRIALOG_MEMORY_BACKEND`
    /// says (tests of what PostgreSQL costs); `None` when `TRIALOG_POSTGRES_URL` is not set.
    #[cfg(all(test, feature = "postgres"))]
    pub(crate) fn in_postgres_scratch(options: PlatformOptions) -> Option<Self> {
        let store = Store::in_postgres_pool(options.durability, opening(&options))?.unwrap();
        Some(Self::with(store, options))
    }

    /// How many writes ran again after a serialization conflict since the platform opened
    /// (PostgreSQL; always 0 on redb and in memory, which have one writer at a time).
    pub fn storage_retries(&self) -> u64 {
        self.inner.store.write_retries()
    }

    /// How many writes ran alone (holding the writers lock exclusively) after conflicting
    /// again and again, since the platform opened (PostgreSQL; always 0 elsewhere).
    pub fn storage_runs_alone(&self) -> u64 {
        self.inner.store.writes_run_alone()
    }

    /// A platform that lives in memory only.
    pub fn in_memory() -> Result<Self> {
        Self::in_memory_with(PlatformOptions::default())
    }

    /// A platform in memory with the given clock and durability.
    pub fn in_memory_with(options: PlatformOptions) -> Result<Self> {
        let store = Store::in_memory(options.durability, opening(&options))?;
        Ok(Self::with(store, options))
    }

    /// Checks an existing file thoroughly: redb's page-level check, then every record and index.
    pub fn check_file(path: impl AsRef<Path>, options: PlatformOptions) -> Result<IntegrityReport> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(Error::not_found("database file", path.display()));
        }
        let (store, intact) = Store::open_checked(path, options.cache_bytes, opening(&options))?;
        let mut report = Self::with(store, options).integrity()?;
        report.file_intact = Some(intact);
        Ok(report)
    }

    fn with(store: Store, options: PlatformOptions) -> Self {
        let PlatformOptions { clock, content_check, content_key, triage, max_match_cells, .. } = options;
        let words = Compiled::default();
        let accounts = AccountLoader { read: accounts::load, write: accounts::load, ahead: accounts::read_ahead };
        let moderation = &crate::moderation::ForumSeam;
        let search_gate = &crate::sources::Gates;
        let thread_titles = ThreadTitles { read: crate::forums::notified_title, write: crate::forums::notified_title };
        Platform {
            inner: Arc::new(Context {
                store,
                clock,
                content_check,
                words,
                content_key,
                triage,
                accounts,
                moderation,
                max_match_cells,
                search_gate,
                thread_titles,
                thread_page_hints: Default::default(),
                reply_hints: Default::default(),
                thesaurus: Default::default(),
            }),
        }
    }

    /// The one search over everything.
    pub fn search(&self) -> crate::search::Search<'_> {
        crate::search::Search { ctx: &self.inner }
    }

    /// Organisation operations.
    pub fn orgs(&self) -> Organisations<'_> {
        Organisations { ctx: &self.inner }
    }

    /// Account operations.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts { ctx: &self.inner }
    }

    /// Sign-in sessions of a server (`trialog serve`).
    pub fn sessions(&self) -> Sessions<'_> {
        Sessions { ctx: &self.inner }
    }

    /// The audit log.
    pub fn audit(&self) -> AuditLog<'_> {
        AuditLog { ctx: &self.inner }
    }

    /// Platform settings: the weights of job suggestions.
    pub fn settings(&self) -> Settings<'_> {
        Settings { ctx: &self.inner }
    }

    /// Notification inboxes.
    pub fn inbox(&self) -> Inbox<'_> {
        Inbox { ctx: &self.inner }
    }

    /// Notices by e-mail and push: the choices, and the outbox a server delivers.
    pub fn notices(&self) -> Notices<'_> {
        Notices { ctx: &self.inner }
    }

    /// Postcodes, places and the gazetteer.
    pub fn geo(&self) -> Geo<'_> {
        Geo { ctx: &self.inner }
    }

    /// The job board: postings and search.
    pub fn jobs(&self) -> Jobs<'_> {
        Jobs { ctx: &self.inner }
    }

    /// Seeker profiles.
    pub fn seekers(&self) -> Seekers<'_> {
        Seekers { ctx: &self.inner }
    }

    /// Saved searches and their alerts.
    pub fn alerts(&self) -> Alerts<'_> {
        Alerts { ctx: &self.inner }
    }

    /// Interest in postings and the employer's progress on it.
    pub fn interests(&self) -> Interests<'_> {
        Interests { ctx: &self.inner }
    }

    /// Match runs: solve, store, list, and accept or decline the proposed pairs.
    pub fn match_runs(&self) -> MatchRuns<'_> {
        MatchRuns { ctx: &self.inner }
    }

    /// Boards, threads, posts, reading, watching, statistics and search.
    pub fn forums(&self) -> Forums<'_> {
        Forums { ctx: &self.inner }
    }

    /// Reports, the review queue, actions, appeals, watched words and crisis resources.
    pub fn moderation(&self) -> Moderation<'_> {
        Moderation { ctx: &self.inner }
    }

    /// Counselling: enquiries, queues, conversations, supervision, statistics and retention.
    pub fn counsel(&self) -> Counselling<'_> {
        Counselling { ctx: &self.inner }
    }

    /// Reports for funders: figures per month, quarter and year with disclosure control.
    pub fn reports(&self) -> Reports<'_> {
        Reports { ctx: &self.inner }
    }

    /// Courses, registrations, waitlists, attendance and certificates.
    pub fn courses(&self) -> Courses<'_> {
        Courses { ctx: &self.inner }
    }

    /// Programmes of course modules, their cohorts, trainees' progress and placement rounds.
    pub fn programmes(&self) -> Programmes<'_> {
        Programmes { ctx: &self.inner }
    }

    /// The self-help directory: contact points' data, groups, meetings and contact requests.
    pub fn groups(&self) -> Groups<'_> {
        Groups { ctx: &self.inner }
    }

    /// The knowledge base: articles, their editorial workflow, revisions and checks.
    pub fn knowledge(&self) -> Knowledge<'_> {
        Knowledge { ctx: &self.inner }
    }

    /// The person's rights: export, erasure, and the retention of inactive accounts.
    pub fn rights(&self) -> Rights<'_> {
        Rights { ctx: &self.inner }
    }

    /// The topics thesaurus.
    pub fn topics(&self) -> Topics<'_> {
        Topics { ctx: &self.inner }
    }

    /// Device replicas' change feed and send keys (`crate::sync`).
    pub fn syncing(&self) -> crate::sync::Syncing<'_> {
        crate::sync::Syncing { ctx: &self.inner }
    }

    /// The platform's current time.
    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    /// Makes every earlier commit durable (after a batch with [`Durability::Eventual`]).
    pub fn flush(&self) -> Result<()> {
        self.inner.store.write_with(Durability::Immediate, |_| Ok(()))
    }

    /// Compacts the database file (admins and the operator), so that records deleted earlier —
    /// a purged counselling case above all — no longer linger in freed pages of the file, and
    /// gives the free space back: when a tenth of the file or more is still free after redb's
    /// compaction in place, the file is rewritten into a fresh one that replaces it atomically
    /// (`NAME.compacting`, then a rename; the key file stays). Meanwhile every other read or
    /// write of this platform waits, and no other process can have the file open.
    ///
    /// Fails with [`Error::Conflict`] while any other read or write on this platform is in
    /// progress (including an unfinished page iterator): finish or drop it and retry.
    ///
    /// ```
    /// use trialog_core::{Actor, Platform};
    /// let platform = Platform::in_memory()?;
    /// let report = platform.compact(&Actor::Operator)?;
    /// assert_eq!(report.bytes_after, None, "in memory there is no file to shrink");
    /// # Ok::<(), trialog_core::Error>(())
    /// ```
    pub fn compact(&self, actor: &Actor) -> Result<CompactReport> {
        self.compact_with(actor, &mut |_| {})
    }

    /// [`Platform::compact`], telling `progress` each pass in place and each batch of a rewrite
    /// (`trialog compact` draws its bar from them).
    pub fn compact_with(&self, actor: &Actor, progress: &mut dyn FnMut(CompactStep<'_>)) -> Result<CompactReport> {
        let now = self.now();
        {
            let txn = self.inner.store.read()?;
            let subject = self.inner.resolve(&txn, actor)?;
            crate::policy::check(&subject, crate::policy::Action::CompactDatabase, now)?;
        }
        let bytes_before = self.inner.store.file_bytes()?;
        // The audit entry is committed first: a commit after compacting would write its pages
        // (and redb's allocator state) past the compacted end and grow the file again.
        self.inner.store.write(|txn| crate::audit::append(txn, now, actor, "platform.compact", "database", None))?;
        let done = self.inner.store.compact_with(progress)?;
        let bytes_after = self.inner.store.file_bytes()?;
        Ok(CompactReport {
            passes: done.passes,
            bytes_before,
            bytes_after,
            bytes_in_place: done.in_place_bytes,
            rewritten: done.rewritten,
        })
    }

    /// The one scheduler: does every domain's work due by `now` (lapsing course offers, session
    /// reminders, …; see [`crate::DOMAINS`]), each batch in its own transaction. Idempotent and
    /// safe to run often and concurrently: an item leaves its due index in the transaction that
    /// handles it. Admins and the operator (`trialog tick` from cron; the server on a timer).
    pub fn tick(&self, actor: &Actor, now: Timestamp) -> Result<TickReport> {
        {
            let txn = self.inner.store.read()?;
            let subject = self.inner.resolve(&txn, actor)?;
            crate::policy::check(&subject, crate::policy::Action::RunScheduler, self.now())?;
        }
        let mut work: Vec<TickCount> = Vec::new();
        for domain in crate::DOMAINS {
            for _ in 0..MAX_TICK_ROUNDS {
                let due = self.inner.store.write(|txn| {
                    let mut due = Due::default();
                    (domain.tick)(txn, now, &mut due)?;
                    Ok(due)
                })?;
                for (what, count) in due.done {
                    match work.iter_mut().find(|w| w.domain == domain.name && w.what == what) {
                        Some(w) => w.count += count,
                        None => work.push(TickCount { domain: domain.name.into(), what: what.into(), count }),
                    }
                }
                if !due.more {
                    break;
                }
            }
        }
        // Destroyed keys leave dead rows in a PostgreSQL key store until it is vacuumed.
        self.inner.store.vacuum_keys()?;
        Ok(TickReport { at: now, work })
    }

    /// Counts records and checks that every record reads and every index agrees: every
    /// registered domain's check ([`crate::DOMAINS`]) on one snapshot.
    pub fn integrity(&self) -> Result<IntegrityReport> {
        let txn = self.inner.store.read()?;
        let mut found = Findings::default();
        for domain in crate::DOMAINS {
            (domain.check)(&txn, &mut found)?;
        }
        Ok(IntegrityReport {
            schema_version: SCHEMA_VERSION,
            organisations: found.counted("organisations"),
            accounts: found.counted("accounts"),
            audit_entries: found.counted("audit_entries"),
            forum_posts: found.counted("forum_posts"),
            file_intact: None,
            problems: found.problems,
        })
    }

    /// The store, for the crate's unit tests and the codec comparison (`codec_candidates`).
    #[cfg(any(test, feature = "bench-support"))]
    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Every table of the file with its row count and stored bytes (feature `fault-injection`:
    /// the storage-fault tests compare files with it).
    #[cfg(feature = "fault-injection")]
    #[doc(hidden)]
    pub fn fault_fingerprint(&self) -> Result<Vec<(String, u64, u64)>> {
        crate::store::faults::fingerprint(&self.inner.store)
    }
}

/// What the store needs to open: the time, and every domain's registration.
impl Platform {
    /// Copies the whole store at `from` (a redb file, or a PostgreSQL schema named by its
    /// `postgres://…?schema=NAME` URL) into the empty store at `to`, `batch_rows` rows per
    /// write transaction, then verifies every keyspace of the target by its row count and
    /// checksum (`trialog store copy`). The source is brought up to the current schema first,
    /// as every opening does; a target that holds anything is refused.
    pub fn copy_store(
        from: &StoreLocation,
        to: &StoreLocation,
        batch_rows: usize,
        progress: &mut dyn FnMut(&CopyProgress),
    ) -> Result<CopyReport> {
        crate::store::copy::copy(from, to, opening(&PlatformOptions::default()), batch_rows, progress)
    }
}

fn opening(options: &PlatformOptions) -> Opening {
    Opening {
        now: options.clock.now(),
        domains: crate::DOMAINS,
        feed: crate::sync::FEED_TABLES,
        quick_repair: options.quick_repair,
    }
}
