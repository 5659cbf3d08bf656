//! Posts: replies (one at a time, or many in one transaction for a server's group commit),
//! edits with their revision history, deletion by the author, and what moderators do to a
//! post — including restricting its author without learning who it is.
//!
//! Every write first checks everything that can refuse it (permission, state, input, the
//! content check) and only then writes, so a refused reply in a batch leaves no trace.

use crate::store::WriteTxn;

use super::boards::require_open;
use super::effects::Effects;
use super::lifecycle::{count_reply, first_shown, store_post, store_thread};
use super::model::{
    BoardId, ContentState, ModerationAction, NewReply, Post, PostId, Posted, QueueItem, QueuePage, Revision, ThreadId,
};
use super::records::{
    self, PostRecord, StoredAuthor, drop_revisions, load_board, load_post, load_post_in, load_post_with, load_thread,
};
use super::threads::{self, next_state, premoderated, readable_thread, views};
use super::{EXCERPT_CHARS, Forums, MAX_BODY, MAX_TITLE, Viewer, index, markup, reading, watching, writer};
use crate::accounts::{self, AccountId, Restriction};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::context::{Context, ForumModeration};
use crate::error::{Error, Result};
use crate::model::moderation::{ActionKind, Target, Undo};
use crate::page::{PageRequest, cursor_for};
use crate::policy::{self, Action};
use crate::screening::Screening;
use crate::screening::{Decision, Submission, SubmissionKind};
use crate::store::{Ahead, KeyCache, Reader, next_id};
use crate::validate;

/// Edits within this many seconds of a version's first save merge into that version.
pub const MERGE_EDITS_WITHIN_SECS: i64 = 5 * 60;

impl Forums<'_> {
    /// Replies in a thread, optionally to (quoting) an earlier post of the same thread. The
    /// thread's watchers and the author replied to are notified once the reply is visible.
    pub fn reply(&self, actor: &Actor, new: &NewReply) -> Result<Posted> {
        let ctx = self.ctx;
        // The thread's rows and the writer's key go with the `BEGIN` (what `reply` reads first).
        let writer = match actor {
            Actor::Account { id } => Some(*id),
            Actor::Operator | Actor::Anonymous => None,
        };
        ctx.write_with(actor, records::thread_write_ahead(new.thread, writer), |txn, subject, now| {
            let mut effects = Effects::default();
            let posted = reply(ctx, txn, subject, new, now, &mut effects)?;
            effects.finish(txn, now)?;
            Ok(posted)
        })
    }

    /// Many replies, by any actors, in one transaction: what a server does to commit the
    /// replies that arrived in the same few milliseconds together. Each reply is checked on
    /// its own and gets its own result; a refused one leaves no trace and does not stop the
    /// others. Only a storage failure fails the whole batch (and then nothing is written).
    pub fn reply_many(&self, replies: &[(Actor, NewReply)]) -> Result<Vec<Result<Posted>>> {
        let ctx = self.ctx;
        let now = ctx.now();
        ctx.store().write(|txn| {
            let mut effects = Effects::default();
            let mut results = Vec::with_capacity(replies.len());
            for (actor, new) in replies {
                let result =
                    ctx.resolve(txn, actor).and_then(|subject| reply(ctx, txn, &subject, new, now, &mut effects));
                match result {
                    Err(e @ (Error::Storage { .. } | Error::Internal { .. })) => return Err(e),
                    other => results.push(other),
                }
            }
            effects.finish(txn, now)?;
            Ok(results)
        })
    }

    /// One post, if the actor may see it.
    pub fn post(&self, actor: &Actor, id: PostId) -> Result<Post> {
        self.ctx
            .read(actor, |txn, subject, now| visible_post(&mut KeyCache::new(txn), txn, &Viewer::new(subject, now), id))
    }

    /// Each of `ids` as [`Forums::post`] answers it, each post's own outcome in order, all read
    /// in one transaction with one resolution of the actor and one key cache (a replica's
    /// changes: up to 500 posts a call).
    pub(crate) fn posts(&self, actor: &Actor, ids: impl IntoIterator<Item = PostId>) -> Result<Vec<Result<Post>>> {
        self.ctx.read(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let mut keys = KeyCache::new(txn);
            Ok(ids.into_iter().map(|id| visible_post(&mut keys, txn, &viewer, id)).collect())
        })
    }

    /// Changes a post's body (and, for a first post, optionally its thread's title). The
    /// earlier version is kept in the history unless it was saved less than five minutes ago
    /// (then the edit merges into it). The edit passes the content check like a new post; if it
    /// is held, the post waits for a moderator again.
    pub fn edit_post(&self, actor: &Actor, id: PostId, body: &str, title: Option<&str>) -> Result<Posted> {
        let ctx = self.ctx;
        ctx.write(actor, |txn, subject, now| {
            let mut effects = Effects::default();
            let posted = edit(ctx, txn, subject, id, body, title, now, &mut effects)?;
            effects.finish(txn, now)?;
            Ok(posted)
        })
    }

    /// Deletes a post softly (its author, or an admin): it stays in its place as "deleted by the
    /// author", leaves the search, and only moderators can still read it.
    pub fn delete_post(&self, actor: &Actor, id: PostId) -> Result<Post> {
        self.ctx.write(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let before = load_post(txn, id)?;
            let (board, thread) = readable_thread(txn, &viewer, before.thread)?;
            if !viewer.sees(before.state, before.author.account) {
                return Err(Error::not_found("post", id));
            }
            policy::check(subject, Action::DeletePost { author: before.author.account }, now)?;
            if before.deleted_at.is_some() {
                return Err(Error::conflict(format!("post {id} is already deleted")));
            }
            let mut post = before.clone();
            post.deleted_at = Some(now);
            // The author took it back: its text leaves the file (the current version and every
            // earlier one). A review item still open on it keeps a snapshot for the moderators
            // until it closes.
            post.body.clear();
            post.excerpt.clear();
            drop_revisions(txn, id)?;
            let first = post.id == thread.first_post;
            let targets = [Some(Target::Post { id }), first.then_some(Target::Thread { id: thread.id })];
            for target in targets.into_iter().flatten() {
                self.ctx.moderation.keep_snapshot(txn, target, &before.body, now)?;
            }
            let mut effects = Effects::default();
            let title = first.then_some(thread.title.as_str());
            store_post(txn, &mut effects, &post, title, Some((&before, title)))?;
            effects.finish(txn, now)?;
            Ok(viewer.post(post, board.id))
        })
    }

    /// Every version of a post's body, oldest first, the current one last (its author,
    /// moderators and admins: an author who edited something out should not have it read by
    /// everyone).
    pub fn history(&self, actor: &Actor, id: PostId) -> Result<Vec<Revision>> {
        self.ctx.read(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let post = load_post(txn, id)?;
            readable_thread(txn, &viewer, post.thread)?;
            if !viewer.sees(post.state, post.author.account) {
                return Err(Error::not_found("post", id));
            }
            policy::check(subject, Action::ViewRevisions { author: post.author.account }, now)?;
            let mut versions = records::revisions(txn, &post)?;
            versions.push(Revision { number: post.revisions, body: post.body, saved_at: post.revision_since });
            Ok(versions)
        })
    }

    /// Approves, hides, restores or removes a post (moderators). Acting on a thread's first
    /// post acts on the thread. The reason goes into the audit log.
    pub fn moderate_post(
        &self,
        actor: &Actor,
        id: PostId,
        action: ModerationAction,
        reason: Option<&str>,
    ) -> Result<Post> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ModerateForums, now)?;
            let reason = validate::optional_line("reason", reason, 500)?;
            let before = load_post(txn, id)?;
            let mut effects = Effects::default();
            let post = moderate(self.ctx.moderation, txn, id, action, now, &mut effects)?;
            effects.finish(txn, now)?;
            let verb = format!("forum.post.{}", action.as_str());
            audit::append(txn, now, actor, &verb, &format!("post:{id}"), reason.as_deref())?;
            let target = Target::Post { id };
            let first = load_thread(txn, post.thread)?.first_post == id;
            let undo = Undo::ContentState { thread: first, id: id.0, state: before.state };
            log_forum_action(
                self.ctx.moderation,
                txn,
                actor,
                target,
                action,
                reason.as_deref(),
                before.author.account,
                undo,
                now,
            )?;
            let thread = load_thread(txn, post.thread)?;
            Ok(Viewer::new(subject, now).post(post, thread.board))
        })
    }

    /// Silences, suspends or bans the author of a post, or reinstates them (moderators, for
    /// members only; admins for anyone). The author of an anonymous post is restricted
    /// whoever it is (see [`Action::RestrictAnonymousAuthor`]), and the moderator never learns
    /// who it is: the audit log names the post, and only admins and the author see the
    /// restriction on the account.
    pub fn restrict_author(&self, actor: &Actor, post: PostId, restriction: Restriction, reason: &str) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ModerateForums, now)?;
            let record = load_post(txn, post)?;
            let reason = validate::required_line("reason", reason, 500)?;
            let (author, anonymous) = (record.author.account, record.author.anonymous);
            let on = format!("post:{post}");
            let target = accounts::restrict_author_in(txn, subject, author, anonymous, &on, restriction, now)?;
            let verb = format!("forum.author.{}", restriction_name(restriction));
            audit::append(txn, now, actor, &verb, &format!("post:{post}"), Some(&reason))?;
            let (kind, until) = match restriction {
                Restriction::Silence { until } => (ActionKind::Silence, Some(until)),
                Restriction::Suspend { until } => (ActionKind::Suspend, Some(until)),
                Restriction::Ban => (ActionKind::Ban, None),
                Restriction::Reinstate => return Ok(()),
            };
            let undo = Undo::Reinstate { account: target.id };
            let on = Target::Post { id: post };
            self.ctx.moderation.record_action(txn, actor, on, kind, &reason, until, Some(target.id), undo, now)?;
            Ok(())
        })
    }

    /// Posts waiting for a moderator, oldest first (moderators).
    pub fn queue(&self, actor: &Actor, page: &PageRequest) -> Result<QueuePage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ModerateForums, now)?;
            let viewer = Viewer::new(subject, now);
            let limit = page.limit()?;
            let start = PostId(page.first_id()?);
            let mut items = Vec::new();
            let mut next_cursor = None;
            for id in records::queued_posts(txn, start, limit.saturating_add(1))? {
                if items.len() == limit {
                    next_cursor = items.last().map(|i: &QueueItem| cursor_for(i.post.id.0));
                    break;
                }
                let post = load_post(txn, id)?;
                let thread = load_thread(txn, post.thread)?;
                let new_thread = thread.first_post == id;
                let reason = post.held.clone().unwrap_or_else(|| "waits for approval".into());
                items.push(QueueItem {
                    post: viewer.post(post, thread.board),
                    thread_title: thread.title,
                    new_thread,
                    reason,
                });
            }
            Ok(QueuePage { items, next_cursor })
        })
    }
}

fn reply(
    ctx: &Context,
    txn: &WriteTxn,
    subject: &Subject,
    new: &NewReply,
    now: Timestamp,
    effects: &mut Effects,
) -> Result<Posted> {
    let viewer = Viewer::new(subject, now);
    // The writer's key seals the reply; the thread's author's opens its title (known once the
    // thread is): two round trips on PostgreSQL for the rows and keys below, the second with
    // what the reply reads of other domains.
    records::read_thread_ahead(txn, new.thread, viewer.account, viewer.account)?;
    let before = records::load_thread_unopened(txn, new.thread)?;
    let also = reply_ahead(ctx, new, (before.board, before.author.account), viewer.account);
    records::read_board_and_keys_ahead(txn, before.board, None, [before.author.account], also)?;
    let before = records::open_thread_with(&mut KeyCache::new(txn), before)?;
    let board = load_board(txn, before.board)?;
    policy::check(subject, Action::PostInBoard { board: board.access() }, now)?;
    let me = writer(subject)?;
    if !viewer.sees(before.state, before.author.account) {
        return Err(Error::not_found("thread", new.thread));
    }
    if before.state != ContentState::Visible {
        return Err(Error::conflict(format!(
            "thread {} is {}; replies wait until it is visible",
            before.id, before.state
        )));
    }
    require_open(&board)?;
    if before.locked && !viewer.moderator {
        return Err(Error::conflict(format!("thread {} is locked; it takes no more replies", before.id)));
    }
    let body = validate::required_text("body", &new.body, MAX_BODY)?;
    if let Some(quoted) = new.reply_to {
        check_reply_to(txn, &viewer, new.thread, quoted)?;
    }
    let mut screening = judge(
        ctx,
        txn,
        &Submission {
            kind: SubmissionKind::Reply,
            board: board.id,
            board_slug: &board.slug,
            language: &board.language,
            thread: Some(before.id),
            post: None,
            title: None,
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
    // The post's id and its notices' ids in one draw (one round trip on PostgreSQL), unless
    // drawn with the board's row already ([`reply_ahead`]).
    let notices = match held {
        None => watching::reply_notices_most(ctx, txn, before.id, me.id, new.reply_to)?,
        Some(_) => 0,
    };
    txn.reserve_ids(&[("forum_posts", 1), (crate::inbox::NOTIFICATION_IDS, notices)])?;
    let mut post = PostRecord {
        id: PostId(next_id(txn, "forum_posts")?),
        thread: before.id,
        seq: 0,
        author: StoredAuthor { account: me.id, name: me.pseudonym.clone(), anonymous: new.anonymous },
        excerpt: markup::excerpt(&body, EXCERPT_CHARS),
        body,
        language: board.language.clone(),
        reply_to: new.reply_to,
        state: if held.is_some() { ContentState::Pending } else { ContentState::Visible },
        deleted_at: None,
        created_at: now,
        edited_at: None,
        revisions: 1,
        revision_since: now,
        held: held.clone(),
        sealed: None,
    };
    let mut thread = before.clone();
    let shown = first_shown(&mut thread, &mut post, now);
    count_reply(&mut thread, &post, None);
    store_post(txn, effects, &post, None, None)?;
    store_thread(txn, effects, &thread, Some(&before))?;
    reading::set_read(txn, me.id, thread.id, post.seq)?;
    ctx.moderation.file(txn, &mut screening, Target::Post { id: post.id }, &post.excerpt, board.id, now)?;
    if shown {
        ctx.moderation.count_approved(txn, me.id, board.id)?;
        watching::notify_reply(txn, effects, &board, &thread, &post, now)?;
    }
    let views = views(txn, thread.id)?;
    // A visible reply is the thread's last post and its author has just read it.
    let unread = match post.seq {
        0 => thread.last_seq.saturating_sub(records::read_position(txn, me.id, thread.id)?),
        _ => 0,
    };
    Ok(Posted {
        thread: viewer.thread(&thread, views, Some(unread)),
        post: viewer.post(post, board.id),
        held,
        signposts,
    })
}

/// What a reply `new` by `writer` to a thread in `board` started by `starter` reads besides
/// the thread, the board and the keys: the board's counts, the index's counters and last
/// segments, the screening's rows, following's, and the notice choices of the watchers the last
/// reply found; and the ids it draws (its post's, and its notices', [`watching::reply_ahead`]),
/// drawn meanwhile on PostgreSQL.
fn reply_ahead(
    ctx: &Context,
    new: &NewReply,
    (board, starter): (BoardId, AccountId),
    writer: Option<AccountId>,
) -> Ahead {
    let ahead = index::write_ahead(records::board_counts_ahead(Ahead::default(), board)).ids("forum_posts", 1);
    let ahead = watching::reply_ahead(ctx, ahead, (new.thread, starter), writer, new.reply_to);
    match writer {
        Some(me) => records::reply_following_ahead(ctx.moderation.screen_ahead(ahead, me, board), me, new.thread),
        None => ahead,
    }
}

/// A reply may only answer a post of the same thread that the replier can see and that is not
/// deleted.
fn check_reply_to(txn: &WriteTxn, viewer: &Viewer<'_>, thread: ThreadId, quoted: PostId) -> Result<()> {
    let unknown = || Error::invalid("reply_to", format!("there is no post {quoted} in thread {thread}"));
    let original = match load_post(txn, quoted) {
        Ok(post) => post,
        Err(Error::NotFound { .. }) => return Err(unknown()),
        Err(e) => return Err(e),
    };
    if original.thread != thread {
        return Err(Error::invalid(
            "reply_to",
            format!("post {quoted} is in thread {}, not in thread {thread}; reply there", original.thread),
        ));
    }
    if !viewer.sees(original.state, original.author.account) {
        return Err(unknown());
    }
    if original.deleted_at.is_some() || original.state != ContentState::Visible {
        return Err(Error::invalid("reply_to", format!("post {quoted} is no longer shown; reply to the thread")));
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn edit(
    ctx: &Context,
    txn: &WriteTxn,
    subject: &Subject,
    id: PostId,
    body: &str,
    title: Option<&str>,
    now: Timestamp,
    effects: &mut Effects,
) -> Result<Posted> {
    let viewer = Viewer::new(subject, now);
    let before = load_post(txn, id)?;
    let thread_before = load_thread(txn, before.thread)?;
    let board = load_board(txn, thread_before.board)?;
    policy::check(subject, Action::ReadBoard { board: board.access() }, now)?;
    if !viewer.sees(thread_before.state, thread_before.author.account)
        || !viewer.sees(before.state, before.author.account)
    {
        return Err(Error::not_found("post", id));
    }
    policy::check(subject, Action::EditPost { author: before.author.account }, now)?;
    if before.deleted_at.is_some() || before.state == ContentState::Removed {
        return Err(Error::conflict(format!("post {id} is {}; it cannot be edited", gone(&before))));
    }
    require_open(&board)?;
    if thread_before.locked && !viewer.moderator {
        return Err(Error::conflict(format!("thread {} is locked; its posts cannot be edited", thread_before.id)));
    }
    let first = id == thread_before.first_post;
    let title = match title {
        Some(_) if !first => {
            return Err(Error::invalid("title", "only the first post of a thread carries the thread's title"));
        }
        Some(t) => Some(validate::required_line("title", t, MAX_TITLE)?),
        None => None,
    };
    let body = validate::required_text("body", body, MAX_BODY)?;
    let author = accounts::load(txn, before.author.account)?;
    let mut screening = judge(
        ctx,
        txn,
        &Submission {
            kind: SubmissionKind::Edit,
            board: board.id,
            board_slug: &board.slug,
            language: &board.language,
            thread: Some(thread_before.id),
            post: Some(id),
            title: title.as_deref(),
            body: &body,
            author: before.author.account,
            author_since: author.created_at,
            anonymous: before.author.anonymous,
        },
        &author,
        viewer.moderator,
        now,
    )?;
    let held = screening.held.take();
    let signposts = std::mem::take(&mut screening.signposts);
    let mut post = before.clone();
    let mut thread = thread_before.clone();
    keep_revision(txn, &before, now)?;
    if (now - before.revision_since).num_seconds() >= MERGE_EDITS_WITHIN_SECS {
        post.revisions += 1;
        post.revision_since = now;
    }
    post.excerpt = markup::excerpt(&body, EXCERPT_CHARS);
    post.body = body;
    post.edited_at = Some(now);
    if let Some(title) = title {
        thread.title = title;
    }
    if first {
        thread.excerpt = post.excerpt.clone();
    }
    if let Some(reason) = &held {
        post.state = ContentState::Pending;
        post.held = Some(reason.clone());
        if first {
            thread.state = ContentState::Pending;
            thread.held = Some(reason.clone());
        }
    }
    count_reply(&mut thread, &post, Some(before.state));
    let (old_title, new_title) =
        if first { (Some(thread_before.title.as_str()), Some(thread.title.as_str())) } else { (None, None) };
    store_post(txn, effects, &post, new_title, Some((&before, old_title)))?;
    store_thread(txn, effects, &thread, Some(&thread_before))?;
    let target = if first { Target::Thread { id: thread.id } } else { Target::Post { id: post.id } };
    let summary = if first { thread.title.clone() } else { post.excerpt.clone() };
    ctx.moderation.file(txn, &mut screening, target, &summary, board.id, now)?;
    Ok(Posted {
        thread: viewer.thread(&thread, views(txn, thread.id)?, None),
        post: viewer.post(post, board.id),
        held,
        signposts,
    })
}

/// Keeps the current version of a post's body in its history before an edit replaces it —
/// unless the edit comes within five minutes of that version and merges into it.
fn keep_revision(txn: &WriteTxn, post: &PostRecord, now: Timestamp) -> Result<()> {
    if (now - post.revision_since).num_seconds() < MERGE_EDITS_WITHIN_SECS {
        return Ok(());
    }
    let revision = Revision { number: post.revisions, body: post.body.clone(), saved_at: post.revision_since };
    records::put_revision(txn, post, &revision)?;
    Ok(())
}

fn gone(post: &PostRecord) -> &'static str {
    if post.deleted_at.is_some() { "deleted" } else { "removed" }
}

/// Moves a post to the state `action` leads to; a first post moves its thread with it.
fn moderate(
    seam: &dyn ForumModeration,
    txn: &WriteTxn,
    id: PostId,
    action: ModerationAction,
    now: Timestamp,
    effects: &mut Effects,
) -> Result<PostRecord> {
    let before = load_post(txn, id)?;
    let thread_before = load_thread(txn, before.thread)?;
    if thread_before.first_post == id {
        threads::moderate(seam, txn, before.thread, action, now, effects)?;
        return load_post_in(txn, before.thread, id);
    }
    let state = next_state(before.state, action)
        .ok_or_else(|| Error::conflict(format!("post {id} is {}; it cannot be {}", before.state, action.past())))?;
    moderate_reply_to(seam, txn, before, thread_before, state, now, effects)
}

/// Moves a reply (loaded as `before`, in `thread_before`) to `state`, whatever it was.
pub(crate) fn moderate_reply_to(
    seam: &dyn ForumModeration,
    txn: &WriteTxn,
    before: PostRecord,
    thread_before: super::records::ThreadRecord,
    state: ContentState,
    now: Timestamp,
    effects: &mut Effects,
) -> Result<PostRecord> {
    let mut post = before.clone();
    post.state = state;
    post.held = None;
    let mut thread = thread_before.clone();
    let shown = first_shown(&mut thread, &mut post, now);
    count_reply(&mut thread, &post, Some(before.state));
    store_post(txn, effects, &post, None, Some((&before, None)))?;
    store_thread(txn, effects, &thread, Some(&thread_before))?;
    if shown {
        let board = load_board(txn, thread.board)?;
        seam.count_approved(txn, post.author.account, board.id)?;
        watching::notify_reply(txn, effects, &board, &thread, &post, now)?;
    }
    Ok(post)
}

/// Runs the host's content check, then the platform's own (watched words, crisis, trust,
/// rate limits: see `moderation::screen`): what it decided, or the rejection as
/// `InvalidInput` (with any signposts appended to its reason, since an error carries no list).
pub(crate) fn judge(
    ctx: &Context,
    txn: &WriteTxn,
    submission: &Submission<'_>,
    author: &crate::accounts::Account,
    moderator: bool,
    now: Timestamp,
) -> Result<Screening> {
    let verdict = ctx.content_check().check(submission);
    let host_held = match verdict.decision {
        Decision::Allow => None,
        Decision::Hold { reason } => Some(reason),
        Decision::Reject { field, reason } => {
            let mut reason = reason;
            for signpost in &verdict.signposts {
                reason.push_str(" — ");
                reason.push_str(&signpost.line());
            }
            return Err(Error::invalid(field, reason));
        }
    };
    let mut screening = ctx.moderation.screen(ctx, txn, submission, author, moderator, now)?;
    screening.held = host_held.or(screening.held);
    let mut signposts = verdict.signposts;
    signposts.append(&mut screening.signposts);
    screening.signposts = signposts;
    Ok(screening)
}

/// Writes a forum moderation operation into the moderation log (and notifies the author).
#[allow(clippy::too_many_arguments)]
pub(crate) fn log_forum_action(
    seam: &dyn ForumModeration,
    txn: &WriteTxn,
    actor: &Actor,
    target: Target,
    action: ModerationAction,
    reason: Option<&str>,
    author: crate::accounts::AccountId,
    undo: Undo,
    now: Timestamp,
) -> Result<()> {
    let kind = match action {
        ModerationAction::Approve => ActionKind::Approve,
        ModerationAction::Hide => ActionKind::Hide,
        ModerationAction::Restore => ActionKind::Restore,
        ModerationAction::Remove => ActionKind::Remove,
    };
    let undo = if matches!(kind, ActionKind::Hide | ActionKind::Remove) { undo } else { Undo::Nothing };
    let reason = reason.unwrap_or_default();
    seam.record_action(txn, actor, target, kind, reason, None, Some(author), undo, now)?;
    Ok(())
}

fn restriction_name(restriction: Restriction) -> &'static str {
    match restriction {
        Restriction::Silence { .. } => "silence",
        Restriction::Suspend { .. } => "suspend",
        Restriction::Ban => "ban",
        Restriction::Reinstate => "reinstate",
    }
}

/// A post the viewer may see, its texts opened with `keys` (its thread's title stays sealed:
/// only the thread's board and state decide).
fn visible_post<R: Reader>(keys: &mut KeyCache<'_, R>, txn: &R, viewer: &Viewer<'_>, id: PostId) -> Result<Post> {
    let post = load_post_with(keys, txn, id)?;
    let (board, _) = threads::readable_unopened(txn, viewer, post.thread)?;
    if !viewer.sees(post.state, post.author.account) {
        return Err(Error::not_found("post", id));
    }
    Ok(viewer.post(post, board.id))
}
