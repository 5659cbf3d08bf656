//! Storing a changed thread or post and everything that follows from its state: the boards'
//! counts, the text index and the moderation queue. Every operation that changes a thread or
//! post stores it through here with the version it loaded, so the derived data is updated
//! from the difference and can never drift from the records.
//!
//! The rules:
//! - a board counts its visible threads, and for each the first post and its visible replies;
//! - a post is in the text index while it is visible and not deleted (whatever its thread's
//!   state: search checks the thread when it shows a hit);
//! - a post is in the moderation queue while it is pending.

use crate::store::WriteTxn;

use super::effects::Effects;
use super::model::ContentState;
use super::records::{self, PostRecord, ThreadRecord, save_post, save_thread};
use crate::clock::Timestamp;
use crate::error::Result;

/// A post as it is (or was) indexed: the record and, for a first post, its thread's title.
pub(crate) type Indexed<'a> = (&'a PostRecord, Option<&'a str>);

/// Stores `post`; `before` is the stored version with the title it was indexed with (absent
/// for a new post).
pub(crate) fn store_post(
    txn: &WriteTxn,
    effects: &mut Effects,
    post: &PostRecord,
    title: Option<&str>,
    before: Option<Indexed<'_>>,
) -> Result<()> {
    let was = before.filter(|(p, _)| indexed(p));
    let unchanged = was.is_some_and(|(p, t)| p.body == post.body && t == title && p.language == post.language);
    if !(unchanged && indexed(post)) {
        if let Some((p, t)) = was {
            effects.index.remove(p, t);
        }
        if indexed(post) {
            effects.index.add(post, title);
        }
    }
    let was_pending = before.is_some_and(|(p, _)| p.state == ContentState::Pending);
    match (was_pending, post.state == ContentState::Pending) {
        (false, true) => records::set_queued(txn, post.id, true)?,
        (true, false) => records::set_queued(txn, post.id, false)?,
        _ => {}
    }
    if before.is_none() {
        records::put_post_thread(txn, post.id, post.thread)?;
    }
    save_post(txn, post)
}

/// Stores `thread`; `before` is the stored version (absent for a new thread).
pub(crate) fn store_thread(
    txn: &WriteTxn,
    effects: &mut Effects,
    thread: &ThreadRecord,
    before: Option<&ThreadRecord>,
) -> Result<()> {
    if let Some(before) = before {
        let (threads, posts) = contribution(before);
        effects.count(before.board, -threads, -posts);
    }
    let (threads, posts) = contribution(thread);
    effects.count(thread.board, threads, posts);
    save_thread(txn, thread, before)
}

/// Gives a post its place among the thread's visible posts the first time it becomes visible,
/// and makes it the thread's latest activity. Returns whether this was the first time (so the
/// caller notifies watchers once, never again on a restore).
pub(crate) fn first_shown(thread: &mut ThreadRecord, post: &mut PostRecord, now: Timestamp) -> bool {
    if post.seq != 0 || post.state != ContentState::Visible {
        return false;
    }
    thread.last_seq += 1;
    post.seq = thread.last_seq;
    thread.last_activity = thread.last_activity.max(now);
    true
}

/// Keeps the thread's reply count in step with a reply going from `before` to `after`.
pub(crate) fn count_reply(thread: &mut ThreadRecord, post: &PostRecord, before: Option<ContentState>) {
    if post.id == thread.first_post {
        return;
    }
    let was = before == Some(ContentState::Visible);
    let is = post.state == ContentState::Visible;
    match (was, is) {
        (false, true) => thread.reply_count += 1,
        (true, false) => thread.reply_count = thread.reply_count.saturating_sub(1),
        _ => {}
    }
}

fn indexed(post: &PostRecord) -> bool {
    post.state == ContentState::Visible && post.deleted_at.is_none()
}

/// What a thread adds to its board's counts: (threads, posts).
fn contribution(thread: &ThreadRecord) -> (i64, i64) {
    if thread.state == ContentState::Visible { (1, 1 + i64::from(thread.reply_count)) } else { (0, 0) }
}
