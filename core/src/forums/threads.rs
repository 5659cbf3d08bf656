//! Threads: starting one, the board's page (pinned first, then by last activity), the
//! thread's page (posts in order), and what moderators do to threads: approve, hide,
//! restore, remove, pin, lock and move.

use crate::store::{Ahead, ReadTxn, WriteTxn};

use super::boards::{self, require_open};
use super::effects::Effects;
use super::lifecycle::{count_reply, first_shown, store_post, store_thread};
use super::model::{
    Board, BoardId, BoardPage, ContentState, ModerationAction, ModerationMode, NewThread, PostId, Posted, ThreadId,
    ThreadPage,
};
use super::posts::judge;
use super::reading::{self, UnreadCounter};
use super::records::{self, PostRecord, StoredAuthor, ThreadRecord, load_board, load_post_in, load_thread};
use super::{EXCERPT_CHARS, Forums, MAX_BODY, MAX_TITLE, Viewer, markup, watching, writer};
use crate::accounts::AccountId;
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::context::{Context, ForumModeration, PageHint};
use crate::error::{Error, Result};
use crate::model::moderation::{ActionKind, Target, Undo};
use crate::page::{PageRequest, cursor_for, cursor_for_keys};
use crate::policy::{self, Action};
use crate::screening::{Submission, SubmissionKind};
use crate::store::{KeyCache, Reader, next_id};
use crate::validate;

const MAX_TAGS: usize = 5;
const MAX_TAG: usize = 30;

impl Forums<'_> {
    /// Starts a thread: its title, first post and tags. In a pre-moderated board, or when the
    /// content check holds it, it waits for a moderator (`held` says why); otherwise it is on
    /// the board at once and the board's watchers are notified. The author watches the thread.
    pub fn create_thread(&self, actor: &Actor, new: &NewThread) -> Result<Posted> {
        let ctx = self.ctx;
        ctx.write(actor, |txn, subject, now| {
            let mut effects = Effects::default();
            let posted = create(ctx, txn, subject, new, now, &mut effects)?;
            effects.finish(txn, now)?;
            Ok(posted)
        })
    }

    /// One page of a board: pinned threads first, then the most recently active. Only visible
    /// threads are listed; pending and hidden ones are in the moderation queue.
    pub fn board_page(&self, actor: &Actor, board: BoardId, page: &PageRequest) -> Result<BoardPage> {
        self.ctx.read(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let board = boards::readable(txn, &viewer, board)?;
            board_page(txn, &viewer, board, page)
        })
    }

    /// One thread, without its posts.
    pub fn thread(&self, actor: &Actor, id: ThreadId) -> Result<super::Thread> {
        self.ctx.read(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let (_, thread) = readable_thread(txn, &viewer, id)?;
            let unread = UnreadCounter::new(txn, &viewer, thread.board)?;
            let unread = unread.count(thread.id, thread.last_seq, thread.last_activity.timestamp_micros())?;
            Ok(viewer.thread(&thread, views(txn, id)?, unread))
        })
    }

    /// One page of a thread: its posts in the order they were written. Pending and hidden posts
    /// are shown to their authors and moderators, removed ones to moderators; deleted posts
    /// stay in place as "deleted by the author". Reading a page does not move the read
    /// position: see [`Forums::read_thread`] and [`Forums::mark_read`].
    pub fn thread_page(&self, actor: &Actor, id: ThreadId, page: &PageRequest) -> Result<ThreadPage> {
        let reader = match actor {
            Actor::Account { id } => Some(*id),
            Actor::Operator | Actor::Anonymous => None,
        };
        // A bad cursor is reported by the page itself.
        let after = page.cursor_id().ok().flatten().map(super::PostId);
        let hints = self.ctx.store.reads_ahead().then_some(&self.ctx.thread_page_hints);
        let hint = hints.and_then(|h| h.get(&(id, after)));
        let ahead = records::thread_page_ahead(id, reader, after, hint.as_ref());
        self.ctx.read_with(actor, ahead, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let mut read = None;
            let shown = thread_page_with(&mut KeyCache::new(txn), txn, &viewer, id, page, &mut read);
            if let (Some(hints), Some(read)) = (hints, read)
                && hint.as_ref() != Some(&read)
            {
                hints.note((id, after), read);
            }
            shown
        })
    }

    /// The page `page` of each of `threads` as `actor` sees it ([`Forums::thread_page`]), each
    /// thread's own outcome in order, all read in one transaction with one resolution of the
    /// actor and one key cache: a replica's snapshot reads 2,000 threads by a few hundred
    /// authors, and each author's key is looked up once, not once a thread.
    pub(crate) fn thread_pages(
        &self,
        actor: &Actor,
        threads: impl IntoIterator<Item = ThreadId>,
        page: &PageRequest,
    ) -> Result<Vec<Result<ThreadPage>>> {
        self.ctx.read(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let mut keys = KeyCache::new(txn);
            Ok(threads.into_iter().map(|id| thread_page_with(&mut keys, txn, &viewer, id, page, &mut None)).collect())
        })
    }

    /// Pins a thread to the head of its board, or unpins it (moderators).
    pub fn pin_thread(&self, actor: &Actor, id: ThreadId, pinned: bool) -> Result<super::Thread> {
        self.change_thread(actor, id, if pinned { "forum.thread.pin" } else { "forum.thread.unpin" }, None, |t, _| {
            t.pinned = pinned;
            Ok(())
        })
    }

    /// Locks a thread (no more replies, except from moderators) or opens it again (moderators).
    pub fn lock_thread(&self, actor: &Actor, id: ThreadId, locked: bool) -> Result<super::Thread> {
        let now = self.ctx.now();
        let verb = if locked { "forum.thread.lock" } else { "forum.thread.unlock" };
        self.change_thread(actor, id, verb, None, |t, txn| {
            t.locked = locked;
            let (kind, undo) = match locked {
                true => (ActionKind::Lock, Undo::Unlock { thread: id }),
                false => (ActionKind::Unlock, Undo::Nothing),
            };
            let author = Some(t.author.account);
            self.ctx.moderation.record_action(txn, actor, Target::Thread { id }, kind, "", None, author, undo, now)?;
            Ok(())
        })
    }

    /// Moves a thread, with its posts and watchers, to another board (moderators).
    pub fn move_thread(&self, actor: &Actor, id: ThreadId, to: BoardId) -> Result<super::Thread> {
        let note = format!("to board:{to}");
        self.change_thread(actor, id, "forum.thread.move", Some(&note), |t, txn| {
            let board = load_board(txn, to)?;
            if board.id == t.board {
                return Err(Error::conflict(format!("thread {} is already in the board '{}'", t.id, board.slug)));
            }
            t.board = board.id;
            Ok(())
        })
    }

    /// Approves, hides, restores or removes a thread with its first post (moderators). The
    /// reason goes into the audit log.
    pub fn moderate_thread(
        &self,
        actor: &Actor,
        id: ThreadId,
        action: ModerationAction,
        reason: Option<&str>,
    ) -> Result<super::Thread> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ModerateForums, now)?;
            let reason = validate::optional_line("reason", reason, 500)?;
            let before = load_thread(txn, id)?.state;
            let mut effects = Effects::default();
            let thread = moderate(self.ctx.moderation, txn, id, action, now, &mut effects)?;
            effects.finish(txn, now)?;
            let verb = format!("forum.thread.{}", action.as_str());
            audit::append(txn, now, actor, &verb, &format!("thread:{id}"), reason.as_deref())?;
            let undo = Undo::ContentState { thread: true, id: id.0, state: before };
            let author = thread.author.account;
            super::posts::log_forum_action(
                self.ctx.moderation,
                txn,
                actor,
                Target::Thread { id },
                action,
                reason.as_deref(),
                author,
                undo,
                now,
            )?;
            let viewer = Viewer::new(subject, now);
            Ok(viewer.thread(&thread, views(txn, id)?, None))
        })
    }

    fn change_thread(
        &self,
        actor: &Actor,
        id: ThreadId,
        verb: &str,
        note: Option<&str>,
        change: impl Fn(&mut ThreadRecord, &WriteTxn) -> Result<()>,
    ) -> Result<super::Thread> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ModerateForums, now)?;
            let before = load_thread(txn, id)?;
            let mut thread = before.clone();
            change(&mut thread, txn)?;
            let mut effects = Effects::default();
            store_thread(txn, &mut effects, &thread, Some(&before))?;
            effects.finish(txn, now)?;
            audit::append(txn, now, actor, verb, &format!("thread:{id}"), note)?;
            Ok(Viewer::new(subject, now).thread(&thread, views(txn, id)?, None))
        })
    }
}

fn create(
    ctx: &Context,
    txn: &WriteTxn,
    subject: &Subject,
    new: &NewThread,
    now: Timestamp,
    effects: &mut Effects,
) -> Result<Posted> {
    let board = load_board(txn, new.board)?;
    policy::check(subject, Action::PostInBoard { board: board.access() }, now)?;
    let me = writer(subject)?;
    require_open(&board)?;
    let title = validate::required_line("title", &new.title, MAX_TITLE)?;
    let body = validate::required_text("body", &new.body, MAX_BODY)?;
    let tags = tags(&new.tags)?;
    let viewer = Viewer::new(subject, now);
    let mut screening = judge(
        ctx,
        txn,
        &Submission {
            kind: SubmissionKind::NewThread,
            board: board.id,
            board_slug: &board.slug,
            language: &board.language,
            thread: None,
            post: None,
            title: Some(&title),
            body: &body,
            author: me.id,
            author_since: me.created_at,
            anonymous: new.anonymous,
        },
        me,
        viewer.moderator,
        now,
    )?;
    let held = screening.held.take().or_else(|| premoderated(&board, &viewer));
    let signposts = std::mem::take(&mut screening.signposts);
    let state = if held.is_some() { ContentState::Pending } else { ContentState::Visible };
    let author = StoredAuthor { account: me.id, name: me.pseudonym.clone(), anonymous: new.anonymous };
    let (thread_id, post_id) = (ThreadId(next_id(txn, "forum_threads")?), PostId(next_id(txn, "forum_posts")?));
    let mut post = PostRecord {
        id: post_id,
        thread: thread_id,
        seq: 0,
        author: author.clone(),
        excerpt: markup::excerpt(&body, EXCERPT_CHARS),
        body,
        language: board.language.clone(),
        reply_to: None,
        state,
        deleted_at: None,
        created_at: now,
        edited_at: None,
        revisions: 1,
        revision_since: now,
        held: held.clone(),
        sealed: None,
    };
    let mut thread = ThreadRecord {
        id: thread_id,
        board: board.id,
        title,
        first_post: post_id,
        author,
        tags,
        pinned: false,
        locked: false,
        state,
        created_at: now,
        last_activity: now,
        reply_count: 0,
        last_seq: 0,
        excerpt: post.excerpt.clone(),
        held: held.clone(),
        sealed: None,
    };
    let shown = first_shown(&mut thread, &mut post, now);
    store_post(txn, effects, &post, Some(&thread.title), None)?;
    store_thread(txn, effects, &thread, None)?;
    records::watch_thread(txn, me.id, thread.id)?;
    reading::set_read(txn, me.id, thread.id, post.seq)?;
    ctx.moderation.file(txn, &mut screening, Target::Thread { id: thread.id }, &thread.title, board.id, now)?;
    if shown {
        ctx.moderation.count_approved(txn, me.id, board.id)?;
        watching::notify_new_thread(txn, effects, &board, &thread, now)?;
    }
    Ok(Posted { thread: viewer.thread(&thread, 0, Some(0)), post: viewer.post(post, board.id), held, signposts })
}

/// Why a post waits in a pre-moderated board: members' posts do, moderators' do not.
pub(crate) fn premoderated(board: &Board, viewer: &Viewer<'_>) -> Option<String> {
    (board.moderation == ModerationMode::PreModerated && !viewer.moderator)
        .then(|| format!("the board '{}' is pre-moderated: a moderator approves new posts", board.slug))
}

fn board_page(txn: &ReadTxn, viewer: &Viewer<'_>, board: Board, page: &PageRequest) -> Result<BoardPage> {
    let limit = page.limit()?;
    let after = page.cursor_keys(3)?.map(|k| (u8::try_from(k[0]).unwrap_or(u8::MAX), k[1], k[2]));
    let view_counts = records::thread_views(txn)?;
    let unread = UnreadCounter::new(txn, viewer, board.id)?;
    let mut keys = KeyCache::new(txn);
    let mut threads = Vec::with_capacity(limit);
    let mut next_cursor = None;
    let mut last = None;
    records::board_lines(txn, board.id, after, |line| {
        if threads.len() == limit {
            next_cursor =
                last.map(|(rank, activity, id): records::LineKey| cursor_for_keys(&[u64::from(rank), activity, id]));
            return Ok(false);
        }
        let summary = line.summary()?;
        let views = view_counts.of(summary.id)?;
        let unread = unread.count(summary.id, summary.last_seq, summary.last_activity)?;
        let text = records::line_text(&mut keys, &summary)?;
        threads.push(viewer.summary(board.id, &summary, text, views, unread)?);
        last = Some(line.key);
        Ok(true)
    })?;
    Ok(BoardPage { board, threads, next_cursor })
}

/// Loads a thread the viewer may see, with its board: `PermissionDenied` outside the board's
/// audience, `NotFound` for a thread the viewer may not see in its state.
pub(crate) fn readable_thread(txn: &impl Reader, viewer: &Viewer<'_>, id: ThreadId) -> Result<(Board, ThreadRecord)> {
    let (board, thread) = readable_unopened(txn, viewer, id)?;
    Ok((board, records::open_thread_with(&mut KeyCache::new(txn), thread)?))
}

/// [`readable_thread`], its title and excerpt still sealed.
pub(crate) fn readable_unopened(txn: &impl Reader, viewer: &Viewer<'_>, id: ThreadId) -> Result<(Board, ThreadRecord)> {
    let thread = records::load_thread_unopened(txn, id)?;
    records::read_board_ahead(txn, thread.board, viewer.account)?;
    Ok((check_readable(txn, viewer, &thread)?, thread))
}

/// The board of `thread` if the viewer may read the thread: `PermissionDenied` outside the
/// board's audience, `NotFound` for a thread the viewer may not see in its state.
fn check_readable(txn: &impl Reader, viewer: &Viewer<'_>, thread: &ThreadRecord) -> Result<Board> {
    let board = boards::readable(txn, viewer, thread.board)?;
    if !viewer.sees(thread.state, thread.author.account) {
        return Err(Error::not_found("thread", thread.id));
    }
    Ok(board)
}

pub(crate) fn thread_page(
    txn: &impl Reader,
    viewer: &Viewer<'_>,
    id: ThreadId,
    page: &PageRequest,
) -> Result<ThreadPage> {
    thread_page_with(&mut KeyCache::new(txn), txn, viewer, id, page, &mut None)
}

/// [`thread_page`], its texts opened with `keys`. What it reads beyond the thread's rows and
/// first posts (read ahead, [`records::thread_page_ahead`]) is read in one go once the first
/// run of posts is in hand: the board's rows and the keys of the run's authors and of the
/// thread's (one round trip on PostgreSQL); the viewer's right to read the thread is checked
/// before anything opens. `read` is given that board and those people, for the next page of
/// the thread to read them with its first rows ([`crate::context::ThreadPageHints`]).
fn thread_page_with<R: Reader>(
    keys: &mut KeyCache<'_, R>,
    txn: &R,
    viewer: &Viewer<'_>,
    id: ThreadId,
    page: &PageRequest,
    read: &mut Option<PageHint>,
) -> Result<ThreadPage> {
    let limit = page.limit()?;
    let after = page.cursor_id()?.map(PostId);
    records::read_thread_page_ahead(txn, id, viewer.account, after)?;
    let thread = records::load_thread_unopened(txn, id)?;
    // The title opens after the first run of posts: its author's key comes with theirs.
    keys.look_up_later(thread.author.account);
    let mut posts = Vec::with_capacity(limit);
    let mut next_cursor = None;
    let first = |authors: &[AccountId]| {
        let people = authors.iter().copied().chain([thread.author.account]);
        *read = Some(PageHint::new(thread.board, people.clone()));
        records::read_board_and_keys_ahead(txn, thread.board, viewer.account, people, Ahead::default())?;
        check_readable(txn, viewer, &thread).map(drop)
    };
    records::thread_posts_with(keys, txn, id, after, first, |post| {
        if !viewer.sees(post.state, post.author.account) {
            return Ok(true);
        }
        if posts.len() == limit {
            next_cursor = posts.last().map(|p: &super::Post| cursor_for(p.id.0));
            return Ok(false);
        }
        posts.push(viewer.post(post, thread.board));
        Ok(true)
    })?;
    let thread = records::open_thread_with(keys, thread)?;
    let unread = UnreadCounter::new(txn, viewer, thread.board)?;
    let unread = unread.count(thread.id, thread.last_seq, thread.last_activity.timestamp_micros())?;
    Ok(ThreadPage { thread: viewer.thread(&thread, views(txn, id)?, unread), posts, next_cursor })
}

pub(crate) fn views(txn: &impl Reader, id: ThreadId) -> Result<u64> {
    records::thread_views(txn)?.of(id)
}

/// Moves a thread and its first post to the state `action` leads to.
pub(crate) fn moderate(
    seam: &dyn ForumModeration,
    txn: &WriteTxn,
    id: ThreadId,
    action: ModerationAction,
    now: Timestamp,
    effects: &mut Effects,
) -> Result<ThreadRecord> {
    let before = load_thread(txn, id)?;
    let state = next_state(before.state, action)
        .ok_or_else(|| Error::conflict(format!("thread {id} is {}; it cannot be {}", before.state, action.past())))?;
    moderate_to(seam, txn, before, state, now, effects)
}

/// Moves a thread (loaded as `before`) and its first post to `state`, whatever it was.
pub(crate) fn moderate_to(
    seam: &dyn ForumModeration,
    txn: &WriteTxn,
    before: ThreadRecord,
    state: ContentState,
    now: Timestamp,
    effects: &mut Effects,
) -> Result<ThreadRecord> {
    let id = before.id;
    let mut thread = before.clone();
    thread.state = state;
    thread.held = None;
    let first_before = load_post_in(txn, id, thread.first_post)?;
    let mut first = first_before.clone();
    first.state = state;
    first.held = None;
    let shown = first_shown(&mut thread, &mut first, now);
    count_reply(&mut thread, &first, Some(first_before.state));
    store_post(txn, effects, &first, Some(&thread.title), Some((&first_before, Some(&before.title))))?;
    store_thread(txn, effects, &thread, Some(&before))?;
    if shown {
        let board = load_board(txn, thread.board)?;
        seam.count_approved(txn, thread.author.account, board.id)?;
        watching::notify_new_thread(txn, effects, &board, &thread, now)?;
    }
    Ok(thread)
}

/// The state a moderation action leads to from `from`, if it applies.
pub(crate) fn next_state(from: ContentState, action: ModerationAction) -> Option<ContentState> {
    use ContentState::*;
    match (action, from) {
        (ModerationAction::Approve, Pending) => Some(Visible),
        (ModerationAction::Hide, Visible | Pending) => Some(Hidden),
        (ModerationAction::Restore, Hidden) => Some(Visible),
        (ModerationAction::Remove, Visible | Pending | Hidden) => Some(Removed),
        _ => None,
    }
}

/// Tags: up to five, each 1 to 30 letters, digits or hyphens, folded to lower case and
/// without accents (so "Übergang" and "ubergang" are one tag); duplicates dropped.
pub(crate) fn tags(values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for value in values {
        let tag: String = crate::text::fold(value.trim()).split_whitespace().collect::<Vec<_>>().join("-");
        let fine = (1..=MAX_TAG).contains(&tag.chars().count())
            && tag.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !tag.starts_with('-');
        if !fine {
            return Err(Error::invalid(
                "tags",
                format!("'{value}' is not a tag of 1 to {MAX_TAG} letters, digits and hyphens"),
            ));
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Error::invalid("tags", format!("at most {MAX_TAGS} tags are allowed")));
    }
    Ok(out)
}
