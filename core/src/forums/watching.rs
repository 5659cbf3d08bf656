//! Watching threads and boards, and the notifications that follow: a new reply in a watched
//! thread, a new thread in a watched board, and a reply to (or quote of) one's own post. They
//! land in the account's inbox ([`crate::inbox`]); nothing is sent by e-mail.
//!
//! Notifications go out when a post first becomes visible (at once, or when a moderator
//! approves it), only to accounts that may read the board at that moment, never to the
//! author, and at most one per post and account. An anonymous author is named "anonymous" in
//! every notification.

use std::collections::BTreeSet;

use crate::context::Context;
use crate::store::{Ahead, KeyCache, Reader, WriteTxn};

use super::effects::Effects;
use super::model::{ANONYMOUS, Audience, Board, BoardId, PostId, ThreadId, Watching};
use super::reading::follower;
use super::records::{self, PostRecord, ThreadRecord, load_post};
use super::threads::readable_thread;
use super::{Forums, Viewer, boards};
use crate::accounts::{self, AccountId};
use crate::actor::{Actor, Subject};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::inbox::{Event, Notification, NotificationPage};
use crate::page::PageRequest;
use crate::policy::{self, Action};

impl Forums<'_> {
    /// Starts (`on`) or stops watching a thread: new replies are notified in the inbox.
    pub fn watch_thread(&self, actor: &Actor, thread: ThreadId, on: bool) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            let me = follower(subject, now)?;
            readable_thread(txn, &Viewer::new(subject, now), thread)?;
            if on { records::watch_thread(txn, me, thread) } else { records::unwatch_thread(txn, me, thread) }
        })
    }

    /// Starts (`on`) or stops watching a board: new threads are notified in the inbox.
    pub fn watch_board(&self, actor: &Actor, board: BoardId, on: bool) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            let me = follower(subject, now)?;
            boards::readable(txn, &Viewer::new(subject, now), board)?;
            records::set_board_watch(txn, me, board, on)
        })
    }

    /// The boards and threads the account watches.
    pub fn watching(&self, actor: &Actor) -> Result<Watching> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = follower(subject, now)?;
            let boards = records::watched_board_ids(txn, me)?;
            let threads = records::watched_thread_ids(txn, me)?;
            Ok(Watching { boards, threads })
        })
    }

    /// The account's forum notifications, newest first (its inbox without the job board's);
    /// mark them read with [`crate::Inbox::mark_read`].
    pub fn notifications(&self, actor: &Actor, unread_only: bool, page: &PageRequest) -> Result<NotificationPage> {
        crate::inbox::Inbox { ctx: self.ctx }.list_where(actor, unread_only, page, true)
    }
}

/// The title a notification about thread `id` shows (the inbox keeps none since schema 34, see
/// `crate::store::ThreadTitles`): the thread's title as its page shows it now, opened with
/// `keys`; "(deleted)" when the thread or its author's key is gone, as on the thread's page.
pub(crate) fn notified_title<R: Reader>(keys: &mut KeyCache<'_, R>, id: ThreadId) -> Result<String> {
    Ok(records::thread_title(keys, id)?.unwrap_or_else(|| records::texts::SHREDDED_TITLE.to_string()))
}

/// Whether a notification comes from the forums.
pub fn is_forum_event(notification: &Notification) -> bool {
    matches!(notification.event, Event::ForumReply { .. } | Event::ForumThread { .. } | Event::ForumReplyToYou { .. })
}

/// Tells the board's watchers about a thread that just became visible.
pub(crate) fn notify_new_thread(
    txn: &WriteTxn,
    effects: &mut Effects,
    board: &Board,
    thread: &ThreadRecord,
    now: Timestamp,
) -> Result<()> {
    let watchers = records::board_watchers(txn, board.id)?;
    let author = shown_name(&thread.author.name, thread.author.anonymous);
    for account in watchers {
        if account == thread.author.account || !admitted(txn, board, account, now)? {
            continue;
        }
        let event = Event::ForumThread {
            board: board.id,
            board_title: board.title.clone(),
            thread: thread.id,
            title: thread.title.clone(),
            author: author.to_string(),
        };
        effects.notify(account, event);
    }
    Ok(())
}

/// Tells the author of the post replied to, and the thread's watchers, about a reply that just
/// became visible.
pub(crate) fn notify_reply(
    txn: &WriteTxn,
    effects: &mut Effects,
    board: &Board,
    thread: &ThreadRecord,
    post: &PostRecord,
    now: Timestamp,
) -> Result<()> {
    let author = shown_name(&post.author.name, post.author.anonymous);
    let mut told: Option<AccountId> = None;
    if let Some(quoted) = post.reply_to {
        let original = load_post(txn, quoted)?;
        let to = original.author.account;
        if to != post.author.account && admitted(txn, board, to, now)? {
            let event = Event::ForumReplyToYou {
                thread: thread.id,
                post: post.id,
                your_post: quoted,
                thread_title: thread.title.clone(),
                author: author.to_string(),
            };
            effects.notify(to, event);
            told = Some(to);
        }
    }
    for account in records::thread_watchers(txn, thread.id)? {
        if account == post.author.account || Some(account) == told || !admitted(txn, board, account, now)? {
            continue;
        }
        let event = Event::ForumReply {
            board: board.id,
            thread: thread.id,
            post: post.id,
            thread_title: thread.title.clone(),
            author: author.to_string(),
        };
        effects.notify(account, event);
    }
    Ok(())
}

/// How many notices a shown reply by `author` in `thread` delivers at most ([`notify_reply`]):
/// one to each watcher but the author, and one to the author of the post quoted. The watchers
/// are noted as the hint of the thread's next reply ([`reply_ahead`]).
pub(crate) fn reply_notices_most(
    ctx: &Context,
    txn: &WriteTxn,
    thread: ThreadId,
    author: AccountId,
    quoted: Option<PostId>,
) -> Result<u64> {
    let watchers = records::thread_watchers(txn, thread)?;
    if ctx.store().reads_ahead() && ctx.reply_hints.get(&thread).as_ref() != Some(&watchers) {
        ctx.reply_hints.note(thread, watchers.clone());
    }
    let mut told: BTreeSet<AccountId> = watchers.into_iter().collect();
    if let Some(quoted) = quoted {
        told.insert(load_post(txn, quoted)?.author.account);
    }
    told.remove(&author);
    Ok(told.len() as u64)
}

/// `ahead` with what notifying the watchers of `thread` (started by `starter`) of a reply by
/// `author` reads, for those the last reply to it found ([`crate::context::ReplyHints`]):
/// their notice choices; and the ids of the notices it would deliver, drawn while the rows are
/// read ([`Ahead::ids`]): one for each of those watchers but the author, or without a hint one
/// for the thread's starter (who watches the thread from its start) unless that is the
/// author, and one more for the quoted post's author. A guess too small costs a draw of its
/// own later ([`reply_notices_most`]); one too large leaves a gap of ids.
pub(crate) fn reply_ahead(
    ctx: &Context,
    ahead: Ahead,
    (thread, starter): (ThreadId, AccountId),
    author: Option<AccountId>,
    quoted: Option<PostId>,
) -> Ahead {
    let quoted = u64::from(quoted.is_some());
    if !ctx.store().reads_ahead() {
        return ahead;
    }
    match ctx.reply_hints.get(&thread) {
        Some(watchers) => {
            let others = watchers.iter().filter(|w| Some(**w) != author).count() as u64;
            crate::inbox::notices::queue_ahead(ahead, &watchers).ids(crate::inbox::NOTIFICATION_IDS, others + quoted)
        }
        None => ahead.ids(crate::inbox::NOTIFICATION_IDS, u64::from(Some(starter) != author) + quoted),
    }
}

fn shown_name(name: &str, anonymous: bool) -> &str {
    if anonymous { ANONYMOUS } else { name }
}

/// Whether `account` may read `board` now. Public and members' boards admit every account
/// (a suspended one reads its inbox only once it may act again), so only the others load the
/// account to check its perspective and roles.
fn admitted(txn: &WriteTxn, board: &Board, account: AccountId, now: Timestamp) -> Result<bool> {
    if matches!(board.audience, Audience::Public | Audience::Members) {
        return Ok(true);
    }
    match accounts::load(txn, account) {
        Ok(record) => Ok(policy::allows(&Subject::Member(record), Action::ReadBoard { board: board.access() }, now)),
        Err(crate::Error::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}
