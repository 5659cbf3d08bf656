//! The server's side of device replicas (`docs/replicas.md`): what a member's replica holds,
//! the change feed that keeps it current, and the idempotency keys of queued writes.
//!
//! A replica is filled only through the read operations, as the account itself: the boards
//! [`Forums::boards`] lists for it, each board's recent threads ([`Forums::board_page`]) with
//! their first page of posts ([`Forums::thread_page`]), its inbox ([`Inbox::list`]), the
//! verified crisis resources, its saved searches, seeker profile and the postings near it
//! (`jobs.rs`) and the knowledge base in its language (`knowledge.rs`). So the policy that answers requests decides what reaches a
//! device, and a record reaches it only as those operations project it (no author of an
//! anonymous post, no hidden or removed post). Stored records never leave the server.
//!
//! The change feed ([`crate::store::feed`]) says which rows of the watched tables each commit
//! touched; [`Syncing::changes`] turns the rows after a cursor into the threads, posts,
//! boards and inboxes they belong to, reads each again as the account, and answers an upsert
//! when the account sees it and a tombstone (an id, nothing else) when it does not.

mod jobs;
mod knowledge;
mod older;
mod records;
pub(crate) mod tables;
mod version;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub use jobs::{JOBS_NEAR, JobsNear, SeekerBucket};
pub use knowledge::{ARTICLES, KnowledgeBucket};
pub use older::{MAX_OLDER_PAGES, OLDER_PAGE_THREADS, OlderPages};
pub use records::{CLIENT_ID_CHARS, KEEP_DAYS, Sent, check_client_id};
pub use version::{Handshake, PROTOCOL};

use crate::actor::Actor;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::forums::{BoardOverview, ContentState, Forums, Post, ThreadPage};
use crate::ids::{AccountId, BoardId, PostId, ThreadId};
use crate::inbox::{Inbox, NotificationPage};
use crate::jobs::{JobId, SavedSearch};
use crate::knowledge::{ArticleDetail, ArticleId};
use crate::moderation::{CrisisResource, Moderation};
use crate::page::PageRequest;
use crate::policy::{self, Action};
use crate::store::feed::{Window, decode_key};
use crate::store::{Domain, Due, Findings, Personal};
use jobs::JobBuckets;
use knowledge::ArticleBucket;

/// The tables whose changed keys the change feed records: what a replica holds comes from
/// these (the registry test checks that each is a registered table).
pub(crate) const FEED_TABLES: &[&str] = &[
    "forum_boards",
    "forum_threads",
    "forum_posts",
    "inbox",
    "mod_resources",
    "saved_searches_by_owner",
    "seekers",
    "jobs",
    "knowledge_articles",
];

/// Threads per board in a snapshot (a board's most recent; older pages on demand).
pub const THREADS_PER_BOARD: u32 = 40;
/// Posts per thread in a snapshot (the first page).
pub const POSTS_PER_THREAD: u32 = 50;
/// Notifications in a replica's inbox.
pub const INBOX_ITEMS: u32 = 100;
/// Feed entries one [`Syncing::changes`] call reads; `more` says when there are further ones.
pub const ENTRIES_PER_CALL: usize = 500;
/// Feed entries the server keeps; a replica whose cursor is older re-snapshots.
pub const FEED_KEEP: u64 = 100_000;
/// Feed entries and old keys one scheduler tick trims.
const TRIM_BATCH: usize = 5_000;

/// What the server answers a replica: a snapshot (replace everything) or the changes after a
/// cursor; or, when the cursor is older than the feed keeps, only `resnapshot`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncBatch {
    /// Pass it as `since` next time.
    pub cursor: u64,
    /// Whether this is a whole replica: drop everything held before.
    pub snapshot: bool,
    /// The cursor is older than the feed keeps: ask again without one.
    pub resnapshot: bool,
    /// Whether more changes wait: ask again at once with `cursor`.
    pub more: bool,
    /// Every board the account may see (present when boards changed or in a snapshot).
    pub boards: Option<Vec<BoardOverview>>,
    /// Threads to store or replace, with the posts to store or replace.
    pub threads: Vec<ThreadPage>,
    /// Posts to store or replace whose threads did not change.
    pub posts: Vec<Post>,
    /// Ids to drop: gone, moved out of sight, hidden or removed.
    pub removed_boards: Vec<BoardId>,
    pub removed_threads: Vec<ThreadId>,
    pub removed_posts: Vec<PostId>,
    /// The inbox's newest notifications, replacing the replica's (when it changed).
    pub inbox: Option<NotificationPage>,
    /// Every verified crisis resource (when they changed), for the check on the device.
    pub crisis_resources: Option<Vec<CrisisResource>>,
    /// In a snapshot: each board's cursor of its next page of older threads (`None`: it has
    /// none), for the replica's older pages on demand.
    #[serde(default)]
    pub board_cursors: Vec<(BoardId, Option<String>)>,
    /// The account's saved searches (when they changed), replacing the replica's.
    #[serde(default)]
    pub saved_searches: Option<Vec<SavedSearch>>,
    /// The account's seeker profile (when it changed).
    #[serde(default)]
    pub seeker: Option<SeekerBucket>,
    /// Published postings near the account (when they changed).
    #[serde(default)]
    pub jobs: Option<JobsNear>,
    /// Postings to drop: no longer published, or no longer near.
    #[serde(default)]
    pub removed_jobs: Vec<JobId>,
    /// Published articles in the account's language to store or replace.
    #[serde(default)]
    pub articles: Vec<ArticleDetail>,
    /// Articles to drop: archived, back to draft, out of the account's sight or language.
    #[serde(default)]
    pub removed_articles: Vec<ArticleId>,
    /// Version 3: the knowledge bucket replaced whole — in a snapshot, and when the account's
    /// language is not the one the device said its articles are in. `articles` then holds every
    /// article of the bucket.
    #[serde(default)]
    pub knowledge: Option<KnowledgeBucket>,
    /// Version 3: the protocol version the server answered in (absent: 2 or older).
    #[serde(default)]
    pub version: u32,
}

/// Replicas' feed and send keys, borrowed from a [`crate::Platform`].
pub struct Syncing<'p> {
    pub(crate) ctx: &'p Context,
}

/// The rows of a window, grouped by what a replica holds.
#[derive(Default)]
struct Touched {
    boards: bool,
    threads: BTreeSet<ThreadId>,
    posts: BTreeSet<(ThreadId, PostId)>,
    inbox: bool,
    resources: bool,
    /// The account's own saved searches or seeker profile.
    searches: bool,
    seeker: bool,
    jobs: BTreeSet<JobId>,
    articles: BTreeSet<ArticleId>,
}

impl Syncing<'_> {
    /// A snapshot (`since` absent) or the changes after `since`, as `actor` may see them, for
    /// a device of this library's protocol version holding no articles.
    pub fn changes(&self, actor: &Actor, since: Option<u64>) -> Result<SyncBatch> {
        self.changes_for(actor, since, &Handshake::current(None))
    }

    /// [`Syncing::changes`] for a device that said `handshake`: only the buckets its version
    /// knows are read (shape the answer with [`SyncBatch::to_json`]).
    pub fn changes_for(&self, actor: &Actor, since: Option<u64>, handshake: &Handshake) -> Result<SyncBatch> {
        let account = self.account(actor)?;
        let mut batch = self.batch(actor, account, since, handshake)?;
        if handshake.knows_language() {
            batch.version = PROTOCOL;
        }
        Ok(batch)
    }

    fn batch(&self, actor: &Actor, account: AccountId, since: Option<u64>, handshake: &Handshake) -> Result<SyncBatch> {
        match since {
            None => self.snapshot(actor, account, handshake),
            Some(since) => {
                let window = self.ctx.store().changes_after(since, ENTRIES_PER_CALL)?;
                if since > window.head {
                    return Err(Error::invalid("since", format!("is ahead of the feed ({})", window.head)));
                }
                if window.oldest.is_some_and(|oldest| since + 1 < oldest) {
                    return Ok(SyncBatch { cursor: since, resnapshot: true, ..SyncBatch::default() });
                }
                self.project(actor, account, since, &window, handshake)
            }
        }
    }

    /// The signed-in account, when it may sync its own replica.
    fn account(&self, actor: &Actor) -> Result<AccountId> {
        let Actor::Account { id } = actor else {
            return Err(Error::denied("sync a replica", "sign in first: a replica belongs to an account"));
        };
        self.ctx.read(actor, |_, subject, now| policy::check(subject, Action::SyncReplica { account: *id }, now))?;
        Ok(*id)
    }

    fn snapshot(&self, actor: &Actor, account: AccountId, handshake: &Handshake) -> Result<SyncBatch> {
        // The cursor first: a change committed while the snapshot is read is sent again next
        // time, which is harmless (upserts), where the other order could lose it.
        let cursor = self.ctx.store().changes_after(u64::MAX - 1, 0)?.head;
        let forums = Forums { ctx: self.ctx };
        let boards = forums.boards(actor)?;
        let (mut ids, mut board_cursors) = (Vec::new(), Vec::new());
        for overview in &boards {
            let page = forums.board_page(actor, overview.board.id, &PageRequest::first(THREADS_PER_BOARD))?;
            board_cursors.push((overview.board.id, page.next_cursor));
            ids.extend(page.threads.iter().map(|t| t.id));
        }
        // Every board's threads in one read: one resolution of the account, each author's key
        // looked up once.
        let threads = older::first_pages(&forums, actor, ids)?;
        let mut batch = SyncBatch {
            cursor,
            snapshot: true,
            boards: Some(boards),
            threads,
            inbox: Some(self.inbox(actor)?),
            crisis_resources: Some(self.resources()?),
            board_cursors,
            ..SyncBatch::default()
        };
        if handshake.knows_buckets() {
            JobBuckets { ctx: self.ctx, actor, account }.fill(&mut batch)?;
            let articles = ArticleBucket { ctx: self.ctx, actor, account };
            let language = articles.language()?;
            articles.fill(language.as_deref(), &mut batch)?;
            if handshake.knows_language() {
                batch.knowledge = Some(KnowledgeBucket { language });
            }
        }
        Ok(batch)
    }

    fn project(
        &self,
        actor: &Actor,
        account: AccountId,
        since: u64,
        window: &Window,
        handshake: &Handshake,
    ) -> Result<SyncBatch> {
        let touched = touched(window, account)?;
        let forums = Forums { ctx: self.ctx };
        let mut batch = SyncBatch {
            cursor: window.entries.last().map_or(since, |e| e.sequence),
            more: window.entries.len() >= ENTRIES_PER_CALL,
            ..SyncBatch::default()
        };
        if touched.boards {
            let boards = forums.boards(actor)?;
            batch.boards = Some(boards);
        }
        // The touched threads in one read, then the touched posts in another: one resolution
        // of the account and one key cache each, not one per thread or post.
        let pages =
            forums.thread_pages(actor, touched.threads.iter().copied(), &PageRequest::first(POSTS_PER_THREAD))?;
        for (&thread, page) in touched.threads.iter().zip(pages) {
            match page {
                Ok(page) if page.thread.state == ContentState::Visible || page.thread.author.yours => {
                    batch.threads.push(page)
                }
                Ok(_) | Err(Error::NotFound { .. } | Error::PermissionDenied { .. }) => {
                    batch.removed_threads.push(thread)
                }
                Err(other) => return Err(other),
            }
        }
        let posts: Vec<PostId> = touched
            .posts
            .iter()
            .filter(|(thread, _)| !batch.removed_threads.contains(thread))
            .map(|&(_, post)| post)
            .collect();
        for (&post, found) in posts.iter().zip(forums.posts(actor, posts.iter().copied())?) {
            match found {
                Ok(found) if found.state == ContentState::Visible || found.author.yours => batch.posts.push(found),
                Ok(_) | Err(Error::NotFound { .. } | Error::PermissionDenied { .. }) => batch.removed_posts.push(post),
                Err(other) => return Err(other),
            }
        }
        if touched.inbox {
            batch.inbox = Some(self.inbox(actor)?);
        }
        if touched.resources {
            batch.crisis_resources = Some(self.resources()?);
        }
        if handshake.knows_buckets() {
            let jobs = JobBuckets { ctx: self.ctx, actor, account };
            jobs.changed(touched.searches, touched.seeker, &touched.jobs, &mut batch)?;
            ArticleBucket { ctx: self.ctx, actor, account }.changed(&touched.articles, handshake, &mut batch)?;
        }
        Ok(batch)
    }

    fn inbox(&self, actor: &Actor) -> Result<NotificationPage> {
        Inbox { ctx: self.ctx }.list(actor, false, &PageRequest::first(INBOX_ITEMS))
    }

    fn resources(&self) -> Result<Vec<CrisisResource>> {
        Moderation { ctx: self.ctx }.verified_resources()
    }

    /// Runs a queued write with client id `id` at most once: `apply` runs only when the id is
    /// new; otherwise the earlier outcome comes back (`Running` when the first attempt has not
    /// finished, or the server stopped while it ran).
    pub fn send_once(
        &self,
        actor: &Actor,
        id: &str,
        apply: impl FnOnce() -> Result<serde_json::Value>,
    ) -> Result<Sent> {
        check_client_id(id)?;
        let account = self.account(actor)?;
        let now = self.ctx.now();
        let earlier = self.ctx.store().write(|txn| records::reserve(txn, account, id, now))?;
        if let Some(earlier) = earlier {
            return Ok(earlier);
        }
        let outcome = match apply() {
            Ok(result) => Sent::Applied { result },
            Err(e) => Sent::Refused { kind: e.kind().to_string(), reason: e.to_string() },
        };
        self.ctx.store().write(|txn| records::settle(txn, account, id, &outcome))?;
        Ok(outcome)
    }
}

/// Groups a window's rows; an inbox row counts only when it is the account's own.
fn touched(window: &Window, account: AccountId) -> Result<Touched> {
    let mut touched = Touched::default();
    for entry in &window.entries {
        for (table, key) in &entry.rows {
            match table.as_str() {
                "forum_boards" => touched.boards = true,
                "forum_threads" => {
                    touched.threads.insert(ThreadId(decode_key::<u64>(key)?));
                }
                "forum_posts" => {
                    let (thread, post) = decode_key::<(u64, u64)>(key)?;
                    touched.posts.insert((ThreadId(thread), PostId(post)));
                }
                "inbox" => touched.inbox |= decode_key::<(u64, u64)>(key)?.0 == account.0,
                "mod_resources" => touched.resources = true,
                "saved_searches_by_owner" => touched.searches |= decode_key::<(u64, u64)>(key)?.0 == account.0,
                "seekers" => touched.seeker |= decode_key::<u64>(key)? == account.0,
                "jobs" => {
                    touched.jobs.insert(JobId(decode_key::<u64>(key)?));
                }
                "knowledge_articles" => {
                    touched.articles.insert(ArticleId(decode_key::<u64>(key)?));
                }
                _ => {}
            }
        }
    }
    Ok(touched)
}

/// Trims the change feed to [`FEED_KEEP`] entries and forgets send keys older than
/// [`KEEP_DAYS`], one batch each.
fn tick(txn: &crate::store::WriteTxn, now: crate::clock::Timestamp, due: &mut Due) -> Result<()> {
    let (trimmed, more_feed) = crate::store::feed::trim(txn, FEED_KEEP, TRIM_BATCH)?;
    due.count("change feed entries trimmed", trimmed);
    let (forgotten, more_keys) = records::forget_old(txn, now, TRIM_BATCH)?;
    due.count("queued-write keys forgotten", forgotten);
    due.more |= more_feed || more_keys;
    Ok(())
}

/// The sync domain's registration (see `CONTRIBUTING.md`, "Storage").
pub(crate) const DOMAIN: Domain = Domain {
    name: "sync",
    tables: tables::TABLES,
    migrate: Domain::no_migration,
    check: |txn, found: &mut Findings| {
        let n = records::check(txn, &mut found.problems)?;
        found.count("queued-write keys", n);
        Ok(())
    },
    figures: None,
    personal: Some(Personal { export: records::export, erase: records::erase }),
    tick,
};

#[cfg(test)]
mod tests;
