//! The one list of a device replica's methods (`docs/replicas.md`): the UniFFI `Replica`
//! object (Kotlin, Swift) and the Python `Replica` class with its stubs are expanded from it,
//! the way the `Platform`'s methods are expanded from the manifest.
//!
//! Why a second list and not entries of the manifest: the manifest's operations act on a
//! `Platform` as an actor and may run on a server; these act on the device's own file. Each
//! entry reads like a manifest entry without the manifest's flags:
//!
//! ```text
//! /// Doc comment, shown in Kotlin, Swift and Python.
//! [read] threads(board: BoardId) -> Vec<Thread> = |replica| replica.threads(board);
//! ```
//!
//! `read | write` (`write`: it changes the replica file or its send queue). Arguments are
//! owned types; a record argument (`writer: Writer`) is one value in Kotlin and its fields as
//! keywords in Python. `Replica::open` is the one hand-written method of each binding (a
//! constructor in Kotlin, a static method in Python).

use super::Operation;

/// Expands the replica's list into [`REPLICA_METHODS`]: the same [`Operation`] rows as the
/// manifest's (`paged: no`, reads `retry: yes`, `replica: yes`, no CLI command).
#[doc(hidden)]
#[macro_export]
macro_rules! __replica_table {
    ($(
        $(#[doc = $doc:literal])*
        [$access:ident]
        $name:ident ( $($arg:ident : $ty:ty $(= $default:tt)?),* ) -> $ret:ty = |$replica:ident| $call:expr;
    )*) => {
        &[$($crate::api::Operation {
            name: stringify!($name),
            doc: concat!($($doc, "\n"),*),
            args: &[$((stringify!($arg), stringify!($ty), concat!("" $(, stringify!($default))?))),*],
            result: stringify!($ret),
            writes: $crate::__flag!(access $access),
            iter: None,
            retry_safe: !$crate::__flag!(access $access),
            replica: true,
            cli: Err("a method of a device's replica, not of the platform"),
        }),*]
    };
}

/// The replica's methods: calls `$callback! { entries }` with each.
#[macro_export]
macro_rules! replica_methods {
    ($callback:ident) => {
        $callback! {
        /// Sends the queued writes in order, then pulls what changed. Offline it reports so and
        /// keeps everything; called again before `retryInMs` (`retry_in_ms`) has passed, it
        /// returns at once.
        [write]
        sync() -> SyncReport = |replica| replica.sync();
        /// `sync` without waiting out the wait after failed syncs: for an app that learns the
        /// network is back. A sync that fails again waits the next, longer step.
        [write]
        sync_now() -> SyncReport = |replica| replica.sync_now();
        /// The boards the account may see, as last synced.
        [read]
        boards() -> Vec<BoardOverview> = |replica| replica.boards();
        /// A board's threads in the replica, pinned first, then the most recently active.
        [read]
        threads(board: BoardId) -> Vec<Thread> = |replica| replica.threads(board);
        /// Loads the next `pages` pages (1 to 5, 20 threads each) of a board's older threads from
        /// the server in one request (each with its first page of posts, as the read operations
        /// show them to this account), keeps them, and returns them; `more` says whether still
        /// older ones exist, `offline` that the server could not be reached.
        [write]
        older_threads(board: BoardId, pages: u32 = 1) -> OlderThreads = |replica| replica.older_threads(board, pages);
        /// A thread with its posts and this device's replies still waiting to be sent.
        [read]
        thread(id: ThreadId) -> ReplicaThread = |replica| replica.thread(id);
        /// The inbox as last synced (none before the first sync).
        [read]
        inbox() -> Option<NotificationPage> = |replica| replica.inbox();
        /// The account's saved searches, oldest first, as last synced.
        [read]
        saved_searches() -> Vec<SavedSearch> = |replica| replica.saved_searches();
        /// The account's own seeker profile as last synced (none when it has none).
        [read]
        seeker_profile() -> Option<SeekerProfile> = |replica| replica.seeker_profile();
        /// The published postings near the account (its seeker profile's place within its
        /// travel distance, else its first saved search's place; 50 km when none is given),
        /// nearest first, remote ones last; at most 100. Postings whose closing date has passed
        /// are left out.
        [read]
        jobs_near() -> Vec<JobHit> = |replica| replica.jobs_near();
        /// One published article in the account's language, with its HTML.
        [read]
        article(id: ArticleId) -> ArticleDetail = |replica| replica.article(id);
        /// One published article in the account's language, by its slug.
        [read]
        article_by_slug(slug: String) -> ArticleDetail = |replica| replica.article_by_slug(&slug);
        /// The published articles in the account's language, in the order they were written.
        [read]
        list_articles() -> Vec<ArticleSummary> = |replica| replica.list_articles();
        /// The verified crisis resources for someone in `country` writing in `language`.
        [read]
        crisis_resources(country: String, language: String) -> Vec<CrisisResource>
            = |replica| replica.crisis_resources(&country, &language);
        /// The queued writes not refused, in order (pending, or unknown when a server stopped
        /// before it could answer).
        [read]
        pending() -> Vec<Queued> = |replica| replica.pending();
        /// The queued writes the server refused, with its reasons: correct them (`edit_queued`) or
        /// drop them (`drop_queued`).
        [read]
        refusals() -> Vec<Queued> = |replica| replica.refusals();
        /// Drops a queued write that has not been applied.
        [write]
        drop_queued(id: String) -> () = |replica| replica.drop_queued(&id);
        /// Corrects a write the server refused (or one not yet sent) and queues it again in its
        /// place under a new id: `body` and, for a new thread, `title` replace the old ones when
        /// given (neither: sent again as it was). The crisis check of `reply` runs again. A write
        /// that may already have reached the server cannot be edited.
        [write]
        edit_queued(id: String, body: Option<String> = None, title: Option<String> = None, writer: Writer) -> QueuedWrite
            = |replica| replica.edit_queued(&id, body.as_deref(), title.as_deref(), &writer);
        /// Queues a reply. When the text shows signs of a crisis, the crisis resources for the
        /// writer's country come back at once, before anything reaches the server.
        [write]
        reply(thread: ThreadId, body: String, writer: Writer) -> QueuedWrite
            = |replica| replica.reply(thread, &body, &writer);
        /// Queues a new thread (`anonymous`: no author shown but to admins), with the crisis
        /// check of `reply`.
        [write]
        new_thread(board: BoardId, title: String, body: String, anonymous: bool = false, writer: Writer) -> QueuedWrite
            = |replica| replica.new_thread(board, &title, &body, anonymous, &writer);
        }
    };
}

/// Every method of the replica's list, in list order (for the stub generator).
pub static REPLICA_METHODS: &[Operation] = replica_methods!(__replica_table);
