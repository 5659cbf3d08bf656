//! Forums: boards for an audience, threads, posts with light markup and revisions, anonymous
//! posting, moderation through one content-check seam, read positions and unread counts,
//! watching with inbox notifications, readers statistics and full-text search.
//!
//! Every operation checks the board's audience ([`crate::policy`]'s `ReadBoard`) before it
//! shows anything, and every listing goes through the same [`Viewer`], which decides which
//! threads and posts the asker may see and how their authors are shown: anonymous authors are
//! "anonymous" to everyone but admins (and themselves), and moderators act on them through the
//! post ([`Forums::restrict_author`]) without learning who they are.
//!
//! ```
//! use trialog_core::forums::{Audience, NewBoard, NewReply, NewThread};
//! use trialog_core::{Actor, NewAccount, Platform, PageRequest};
//! let platform = Platform::in_memory()?;
//! let board = platform.forums().create_board(&Actor::Operator, &NewBoard {
//!     slug: "ausbildung-ex-in".into(), title: "Ausbildung EX-IN".into(), description: String::new(),
//!     language: "de".into(), position: None, audience: Audience::Public, moderation: Default::default(),
//! })?;
//! let kim = platform.accounts().create(&Actor::Anonymous, &NewAccount { pseudonym: "Kim".into(), ..Default::default() })?;
//! let kim = Actor::account(kim.id);
//! let opened = platform.forums().create_thread(&kim, &NewThread {
//!     board: board.id, title: "Wo mache ich EX-IN in Thüringen?".into(),
//!     body: "Ich suche einen Kurs in der Nähe von Jena.".into(), tags: vec![], anonymous: true,
//! })?;
//! let page = platform.forums().board_page(&Actor::Anonymous, board.id, &PageRequest::default())?;
//! assert_eq!(page.threads[0].author.name, "anonymous");
//! assert_eq!(page.threads[0].author.account, None);
//! # Ok::<(), trialog_core::Error>(())
//! ```

mod boards;
mod effects;
mod figures;
pub(crate) mod finding;
mod index;
mod lifecycle;
pub mod markup;
mod model;
mod posts;
mod reading;
pub(crate) mod records;
pub(crate) mod sanction;
mod search;
mod stats;
pub(crate) mod tables;
#[cfg(all(test, feature = "postgres"))]
mod tests;
mod threads;
mod watching;

pub use crate::screening::{AllowEverything, ContentCheck, Decision, Signpost, Submission, SubmissionKind, Verdict};
pub use model::{
    ANONYMOUS, Audience, Author, Board, BoardId, BoardOverview, BoardPage, BoardUpdate, ContentState, ModerationAction,
    ModerationMode, NewBoard, NewReply, NewThread, Post, PostId, Posted, QueueItem, QueuePage, Revision, Thread,
    ThreadId, ThreadPage, ThreadUnread, Watching,
};
pub use search::{ForumHit, ForumQuery, ForumSearchPage, Fragment};
pub use stats::{ReaderStats, StatsPeriod};
pub use watching::is_forum_event;

pub(crate) use records::check_integrity;
pub(crate) use watching::notified_title;

use crate::accounts::AccountId;
use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::policy::{self, Action};
use records::{PostRecord, StoredAuthor, Summary, ThreadRecord};

/// Longest thread title, in characters.
pub const MAX_TITLE: usize = 150;
/// Longest post body, in characters.
pub const MAX_BODY: usize = 20_000;
/// Longest excerpt, in characters.
pub const EXCERPT_CHARS: usize = 200;

/// Forum operations, borrowed from a [`crate::Platform`].
pub struct Forums<'p> {
    pub(crate) ctx: &'p Context,
}

/// Who is looking, resolved once per operation: what they may see and how authors appear to
/// them. Every listing and every single read goes through it.
pub(crate) struct Viewer<'s> {
    pub subject: &'s Subject,
    pub account: Option<AccountId>,
    pub moderator: bool,
    pub now: Timestamp,
}

impl<'s> Viewer<'s> {
    pub fn new(subject: &'s Subject, now: Timestamp) -> Self {
        Viewer {
            subject,
            account: subject.account().map(|a| a.id),
            moderator: policy::allows(subject, Action::ModerateForums, now),
            now,
        }
    }

    fn wrote(&self, author: AccountId) -> bool {
        self.account == Some(author)
    }

    /// Whether content in `state` by `author` is shown to this viewer: visible content to
    /// everyone (of the audience), pending and hidden content to its author and moderators,
    /// removed content to moderators only.
    pub fn sees(&self, state: ContentState, author: AccountId) -> bool {
        match state {
            ContentState::Visible => true,
            ContentState::Pending | ContentState::Hidden => self.moderator || self.wrote(author),
            ContentState::Removed => self.moderator,
        }
    }

    /// The author as this viewer may know them. An erased author (account `NOBODY`) has no
    /// account to link to, for anyone.
    pub fn author(&self, account: AccountId, name: &str, anonymous: bool) -> Author {
        if account == crate::ids::NOBODY {
            let name = if anonymous { ANONYMOUS } else { name };
            return Author { account: None, name: name.to_string(), anonymous, yours: false };
        }
        let yours = self.wrote(account);
        if !anonymous || yours || policy::allows(self.subject, Action::RevealAuthor { author: account }, self.now) {
            return Author { account: Some(account), name: name.to_string(), anonymous, yours };
        }
        Author { account: None, name: ANONYMOUS.to_string(), anonymous: true, yours: false }
    }

    fn stored_author(&self, author: &StoredAuthor) -> Author {
        self.author(author.account, &author.name, author.anonymous)
    }

    pub fn thread(&self, thread: &ThreadRecord, views: u64, unread: Option<u32>) -> Thread {
        Thread {
            id: thread.id,
            board: thread.board,
            title: thread.title.clone(),
            first_post: thread.first_post,
            author: self.stored_author(&thread.author),
            tags: thread.tags.clone(),
            pinned: thread.pinned,
            locked: thread.locked,
            state: thread.state,
            created_at: thread.created_at,
            last_activity: thread.last_activity,
            reply_count: thread.reply_count,
            last_seq: thread.last_seq,
            excerpt: thread.excerpt.clone(),
            views,
            unread,
        }
    }

    /// A visible thread from its line on the board's page.
    /// `text` is the line's title and excerpt, opened ([`records::line_text`]).
    pub fn summary(
        &self,
        board: BoardId,
        s: &Summary<'_>,
        (title, excerpt): (String, String),
        views: u64,
        unread: Option<u32>,
    ) -> Result<Thread> {
        Ok(Thread {
            id: s.id,
            board,
            title,
            first_post: s.first_post,
            author: self.author(s.author, s.author_name, s.anonymous),
            tags: s.tags.iter().map(|t| t.to_string()).collect(),
            pinned: s.pinned,
            locked: s.locked,
            state: ContentState::Visible,
            created_at: micros(s.created_at)?,
            last_activity: micros(s.last_activity)?,
            reply_count: s.reply_count,
            last_seq: s.last_seq,
            excerpt,
            views,
            unread,
        })
    }

    /// A post as this viewer sees it: the body of a deleted or removed post only to moderators.
    pub fn post(&self, post: PostRecord, board: BoardId) -> Post {
        let author = self.stored_author(&post.author);
        let deleted = post.deleted_at.is_some();
        let blank = (deleted || post.state == ContentState::Removed) && !self.moderator;
        let (body, excerpt) = if blank { (String::new(), String::new()) } else { (post.body, post.excerpt) };
        Post {
            id: post.id,
            thread: post.thread,
            board,
            seq: post.seq,
            author,
            body,
            excerpt,
            reply_to: post.reply_to,
            state: post.state,
            deleted,
            created_at: post.created_at,
            edited_at: post.edited_at,
            revisions: post.revisions,
        }
    }
}

/// The account that writes: posts are always written by an account, never by the operator or
/// a visitor.
pub(crate) fn writer(subject: &Subject) -> Result<&crate::accounts::Account> {
    subject.account().ok_or_else(|| match subject {
        Subject::Anonymous => Error::denied("post in the forums", "sign in first"),
        _ => Error::denied(
            "post in the forums",
            "posts are written by accounts; act as one (`trialog --as PSEUDONYM forum …`)",
        ),
    })
}

pub(crate) fn micros(us: i64) -> Result<Timestamp> {
    chrono::DateTime::from_timestamp_micros(us).ok_or_else(|| Error::storage(format!("{us} is not a time")))
}

/// Registration of the forums domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "forums",
    tick: index::tick,
    personal: Some(records::personal::PERSONAL),
    tables: tables::TABLES,
    migrate: |txn, migration| {
        if migration.predates(12) {
            records::compact_records_v12(txn)?;
        }
        if migration.predates(29) {
            records::hint_search_cards_v29(txn)?;
        }
        if migration.predates(31) {
            records::texts::seal_texts_v31(txn)?;
        }
        if migration.predates(32) {
            records::texts::seal_threads_v32(txn)?;
        }
        Ok(())
    },
    check: |txn, found| {
        let n = check_integrity(txn, &mut found.problems)?;
        index::check_integrity(txn, &mut found.problems)?;
        found.count("forum_posts", n);
        Ok(())
    },
    figures: Some(figures::gather),
};
