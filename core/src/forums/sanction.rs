//! What moderation (`crate::moderation`) does to forum content, inside its transaction: find
//! reported content and check the reporter may see it, change a thread's or post's state,
//! lock a thread, edit a passage out of a post and put it back. Moderators reach an author
//! only through here, so they learn the account behind an anonymous post only as an id the
//! moderation module keeps to itself.

use crate::store::WriteTxn;

use super::effects::Effects;
use super::lifecycle::{store_post, store_thread};
use super::model::{BoardId, ContentState, PostId, ThreadId};
use super::records::{self, load_board, load_post, load_post_in, load_thread};
use super::threads::readable_thread;
use super::{EXCERPT_CHARS, Viewer, markup, posts, threads};
use crate::accounts::AccountId;
use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::error::{Error, Result};

/// Forum content as moderation sees it.
#[derive(Debug, Clone)]
pub(crate) struct Content {
    pub thread: ThreadId,
    /// The post: a thread's first post for a thread.
    pub post: PostId,
    pub board: BoardId,
    pub author: AccountId,
    /// Whether the author posted it anonymously: moderators must then not learn who it is.
    pub anonymous: bool,
    pub state: ContentState,
    /// The thread's title, or the post's excerpt.
    pub summary: String,
}

/// The content of a thread (`thread` true) or post, if `subject` may see it.
pub(crate) fn visible(txn: &WriteTxn, subject: &Subject, now: Timestamp, thread: bool, id: u64) -> Result<Content> {
    let viewer = Viewer::new(subject, now);
    let found = content(txn, thread, id)?;
    readable_thread(txn, &viewer, found.thread)?;
    if !viewer.sees(found.state, found.author) {
        return Err(Error::not_found(if thread { "thread" } else { "post" }, id));
    }
    Ok(found)
}

/// The content of a thread (`thread` true) or post, whoever asks.
pub(crate) fn content(txn: &impl crate::store::Reader, thread: bool, id: u64) -> Result<Content> {
    if thread {
        let record = load_thread(txn, ThreadId(id))?;
        let board = load_board(txn, record.board)?;
        return Ok(Content {
            thread: ThreadId(id),
            post: record.first_post,
            board: board.id,
            author: record.author.account,
            anonymous: record.author.anonymous,
            state: record.state,
            summary: record.title,
        });
    }
    let post = load_post(txn, PostId(id))?;
    let record = load_thread(txn, post.thread)?;
    Ok(Content {
        thread: post.thread,
        post: PostId(id),
        board: record.board,
        author: post.author.account,
        anonymous: post.author.anonymous,
        state: post.state,
        summary: post.excerpt,
    })
}

/// The author of the forum content `target` is about, read without opening its text: the key
/// a review item's copy of that text is sealed under. [`crate::ids::NOBODY`] for other targets,
/// for content gone and for content of "former member".
pub(crate) fn author_of(
    txn: &impl crate::store::Reader,
    target: crate::model::moderation::Target,
) -> Result<AccountId> {
    use crate::model::moderation::Target;
    let found = match target {
        Target::Thread { id } => records::thread_author(txn, id),
        Target::Post { id } => records::post_author(txn, id),
        _ => return Ok(crate::ids::NOBODY),
    };
    match found {
        Err(Error::NotFound { .. }) => Ok(crate::ids::NOBODY),
        found => found,
    }
}

/// Whether `target` is forum content its author wrote anonymously.
pub(crate) fn is_anonymous(txn: &impl crate::store::Reader, target: crate::model::moderation::Target) -> Result<bool> {
    use crate::model::moderation::Target;
    match target {
        Target::Thread { id } => Ok(content(txn, true, id.0)?.anonymous),
        Target::Post { id } => Ok(content(txn, false, id.0)?.anonymous),
        _ => Ok(false),
    }
}

/// Moves a thread (with its first post) or a post to `state`; the first post of a thread
/// moves its thread. Returns the state before.
pub(crate) fn set_state(
    seam: &dyn crate::context::ForumModeration,
    txn: &WriteTxn,
    thread: bool,
    id: u64,
    state: ContentState,
    now: Timestamp,
) -> Result<ContentState> {
    let found = content(txn, thread, id)?;
    if found.state == state {
        return Err(Error::conflict(format!("{} {id} is already {state}", if thread { "thread" } else { "post" })));
    }
    let mut effects = Effects::default();
    let record = load_thread(txn, found.thread)?;
    if thread || record.first_post.0 == id {
        threads::moderate_to(seam, txn, record, state, now, &mut effects)?;
    } else {
        let post = load_post_in(txn, found.thread, PostId(id))?;
        posts::moderate_reply_to(seam, txn, post, record, state, now, &mut effects)?;
    }
    effects.finish(txn, now)?;
    Ok(found.state)
}

/// Locks or unlocks a thread; `Conflict` when it already is.
pub(crate) fn set_locked(txn: &WriteTxn, thread: ThreadId, locked: bool, now: Timestamp) -> Result<()> {
    let before = load_thread(txn, thread)?;
    if before.locked == locked {
        return Err(Error::conflict(format!(
            "thread {thread} is already {}",
            if locked { "locked" } else { "unlocked" }
        )));
    }
    let mut record = before.clone();
    record.locked = locked;
    let mut effects = Effects::default();
    store_thread(txn, &mut effects, &record, Some(&before))?;
    effects.finish(txn, now)
}

/// Replaces every occurrence of `passage` in a post with a moderator's note. The version
/// before is kept in the post's history (moderators read it there); returns its number.
pub(crate) fn edit_out(txn: &WriteTxn, id: PostId, passage: &str, note: &str, now: Timestamp) -> Result<u32> {
    let before = load_post(txn, id)?;
    if passage.trim().is_empty() {
        return Err(Error::invalid("passage", "must not be empty"));
    }
    if !before.body.contains(passage) {
        return Err(Error::invalid(
            "passage",
            format!("post {id} does not contain this passage (it must match exactly)"),
        ));
    }
    let body = before.body.replace(passage, &format!("[removed by a moderator: {note}]"));
    replace_body(txn, before, body, now)
}

/// Puts back the version `revision` of a post's body (undoing an edit-out).
pub(crate) fn restore_revision(txn: &WriteTxn, id: PostId, revision: u32, now: Timestamp) -> Result<()> {
    let before = load_post(txn, id)?;
    let kept = records::revision(txn, &before, revision)?;
    let kept = kept.ok_or_else(|| Error::not_found("revision", format!("{revision} of post {id}")))?;
    replace_body(txn, before, kept.body, now)?;
    Ok(())
}

/// Stores a new body for a post, keeping the current one in its history as a version of its
/// own (never merged: a moderator's change must stay apart from the author's).
fn replace_body(txn: &WriteTxn, before: super::records::PostRecord, body: String, now: Timestamp) -> Result<u32> {
    let number = before.revisions;
    let kept = super::Revision { number, body: before.body.clone(), saved_at: before.revision_since };
    records::put_revision(txn, &before, &kept)?;
    let mut post = before.clone();
    post.revisions += 1;
    post.revision_since = now;
    post.excerpt = markup::excerpt(&body, EXCERPT_CHARS);
    post.body = body;
    let thread_before = load_thread(txn, post.thread)?;
    let mut effects = Effects::default();
    let first = thread_before.first_post == post.id;
    let title = first.then_some(thread_before.title.as_str());
    store_post(txn, &mut effects, &post, title, Some((&before, title)))?;
    if first {
        let mut thread = thread_before.clone();
        thread.excerpt = post.excerpt.clone();
        store_thread(txn, &mut effects, &thread, Some(&thread_before))?;
    }
    effects.finish(txn, now)?;
    Ok(number)
}
