//! Forum operations on [`Platform`]: boards, threads and posts, reading with read positions,
//! watching and forum notifications, statistics, search and moderation.
//!
//! Every read checks the board's audience: outside it, calls throw `PermissionDenied`; threads
//! and posts the actor may not see in their state throw `NotFound`. Anonymous authors come back
//! with `account = null` and `name = "anonymous"` to everyone but admins and themselves.

use trialog_core::forums::{QueuePage, Revision, Watching, markup};
use trialog_core::{
    Board, BoardId, BoardOverview, BoardPage, BoardUpdate, Error, ForumQuery, ForumSearchPage, ModerationAction,
    NewBoard, NewReply, NewThread, NotificationPage, PageRequest, Post, PostId, Posted, ReaderStats, Restriction,
    StatsPeriod, Thread, ThreadId, ThreadPage, ThreadUnread,
};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Creates a board (admins). Bad fields throw `InvalidInput`: `slug`, `title`, `language`,
    /// `audience`; a taken slug throws `Conflict`.
    pub fn create_board(&self, new: NewBoard) -> Result<Board, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().create_board(actor, &new)
        })
    }

    /// Changes a board; absent fields stay (admins).
    pub fn update_board(&self, id: BoardId, change: BoardUpdate) -> Result<Board, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().update_board(actor, id, &change)
        })
    }

    /// Archives a board (read-only) or reopens it (admins).
    pub fn archive_board(&self, id: BoardId, archived: bool) -> Result<Board, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().archive_board(actor, id, archived)
        })
    }

    /// One board, if the actor is in its audience.
    pub fn board(&self, id: BoardId) -> Result<Board, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().board(actor, id)
        })
    }

    /// The board with this slug (any case), if the actor is in its audience.
    pub fn board_by_slug(&self, slug: String) -> Result<Board, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().board_by_slug(actor, &slug)
        })
    }

    /// The boards the actor may read, in list order, with sizes and (for an account) unread
    /// threads and whether it watches them.
    pub fn boards(&self) -> Result<Vec<BoardOverview>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().boards(actor)
        })
    }

    /// Starts a thread (an account). `held` tells why it waits for a moderator when it does;
    /// `signposts` carry help the content check attached. The author watches the thread.
    pub fn create_thread(&self, new: NewThread) -> Result<Posted, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().create_thread(actor, &new)
        })
    }

    /// A page of a board: pinned threads first, then the most recently active.
    #[uniffi::method(default(page))]
    pub fn board_page(&self, board: BoardId, page: PageRequest) -> Result<BoardPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().board_page(actor, board, &page)
        })
    }

    /// One thread without its posts.
    pub fn thread(&self, id: ThreadId) -> Result<Thread, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().thread(actor, id)
        })
    }

    /// A page of a thread's posts in the order they were written; the read position stays.
    #[uniffi::method(default(page))]
    pub fn thread_page(&self, id: ThreadId, page: PageRequest) -> Result<ThreadPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().thread_page(actor, id, &page)
        })
    }

    /// Reads a page of a thread as a person does: counts the view and, for an account, moves
    /// its read position to the last post shown. `visitor` is the host's opaque token for
    /// someone not signed in (stored only as a hash whose key changes every month).
    #[uniffi::method(default(page), default(visitor = None))]
    pub fn read_thread(&self, id: ThreadId, page: PageRequest, visitor: Option<String>) -> Result<ThreadPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().read_thread(actor, id, &page, visitor.as_deref())
        })
    }

    /// Counts a view of a thread without returning it (see `readThread`).
    #[uniffi::method(default(visitor = None))]
    pub fn record_thread_view(&self, id: ThreadId, visitor: Option<String>) -> Result<(), Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().record_view(actor, id, visitor.as_deref())
        })
    }

    /// Replies in a thread, optionally to an earlier post of it (`replyTo`). A post of another
    /// thread throws `InvalidInput` with field `reply_to`; a locked thread or an archived board
    /// throws `Conflict`; silenced accounts get `PermissionDenied`.
    pub fn reply(&self, new: NewReply) -> Result<Posted, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().reply(actor, &new)
        })
    }

    /// One post, if the actor may see it.
    pub fn post(&self, id: PostId) -> Result<Post, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().post(actor, id)
        })
    }

    /// Changes a post's body and, for a first post, optionally the thread's title (its author).
    /// Edits within five minutes of a version merge into it.
    #[uniffi::method(default(title = None))]
    pub fn edit_post(&self, id: PostId, body: String, title: Option<String>) -> Result<Posted, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().edit_post(actor, id, &body, title.as_deref())
        })
    }

    /// Deletes a post softly (its author): it stays as "deleted by the author".
    pub fn delete_post(&self, id: PostId) -> Result<Post, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().delete_post(actor, id)
        })
    }

    /// Every version of a post's body, oldest first (its author, moderators and admins).
    pub fn post_history(&self, id: PostId) -> Result<Vec<Revision>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().history(actor, id)
        })
    }

    /// Pins or unpins a thread (moderators).
    pub fn pin_thread(&self, id: ThreadId, pinned: bool) -> Result<Thread, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().pin_thread(actor, id, pinned)
        })
    }

    /// Locks or opens a thread (moderators).
    pub fn lock_thread(&self, id: ThreadId, locked: bool) -> Result<Thread, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().lock_thread(actor, id, locked)
        })
    }

    /// Moves a thread to another board (moderators).
    pub fn move_thread(&self, id: ThreadId, board: BoardId) -> Result<Thread, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().move_thread(actor, id, board)
        })
    }

    /// Approves, hides, restores or removes a thread (moderators).
    #[uniffi::method(default(reason = None))]
    pub fn moderate_thread(
        &self,
        id: ThreadId,
        action: ModerationAction,
        reason: Option<String>,
    ) -> Result<Thread, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().moderate_thread(actor, id, action, reason.as_deref())
        })
    }

    /// Approves, hides, restores or removes a post (moderators); a first post moves its thread.
    #[uniffi::method(default(reason = None))]
    pub fn moderate_post(&self, id: PostId, action: ModerationAction, reason: Option<String>) -> Result<Post, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().moderate_post(actor, id, action, reason.as_deref())
        })
    }

    /// Restricts the author of a post without learning who it is (moderators for members,
    /// admins for anyone).
    pub fn restrict_author(&self, post: PostId, restriction: Restriction, reason: String) -> Result<(), Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().restrict_author(actor, post, restriction, &reason)
        })
    }

    /// Posts waiting for a moderator, oldest first (moderators).
    #[uniffi::method(default(page))]
    pub fn moderation_queue(&self, page: PageRequest) -> Result<QueuePage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().queue(actor, &page)
        })
    }

    /// Marks a thread read up to a post (or entirely); returns what stays unread.
    #[uniffi::method(default(up_to = None))]
    pub fn mark_thread_read(&self, thread: ThreadId, up_to: Option<PostId>) -> Result<ThreadUnread, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().mark_read(actor, thread, up_to)
        })
    }

    /// Marks a whole board read; returns how many threads were marked.
    pub fn mark_board_read(&self, board: BoardId) -> Result<u32, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().mark_board_read(actor, board)
        })
    }

    /// Unread posts in every thread the account watches.
    pub fn unread_threads(&self) -> Result<Vec<ThreadUnread>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().unread(actor)
        })
    }

    /// Starts or stops watching a thread (new replies land in the inbox).
    pub fn watch_thread(&self, thread: ThreadId, on: bool) -> Result<(), Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().watch_thread(actor, thread, on)
        })
    }

    /// Starts or stops watching a board (new threads land in the inbox).
    pub fn watch_board(&self, board: BoardId, on: bool) -> Result<(), Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().watch_board(actor, board, on)
        })
    }

    /// The boards and threads the account watches.
    pub fn watching(&self) -> Result<Watching, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().watching(actor)
        })
    }

    /// The account's forum notifications, newest first (mark them read with
    /// `markNotificationsRead`).
    #[uniffi::method(default(unread_only = false), default(page))]
    pub fn forum_notifications(&self, unread_only: bool, page: PageRequest) -> Result<NotificationPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().notifications(actor, unread_only, &page)
        })
    }

    /// Views and unique readers per month or quarter, of one board or of every board and all
    /// together (moderators and admins). Fewer than five readers come back as `null`.
    #[uniffi::method(default(board = None))]
    pub fn forum_stats(&self, period: StatsPeriod, board: Option<BoardId>) -> Result<Vec<ReaderStats>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().stats(actor, period, board)
        })
    }

    /// Searches the thread titles and posts the actor may read, best and newest first.
    #[uniffi::method(default(page))]
    pub fn search_forums(&self, query: ForumQuery, page: PageRequest) -> Result<ForumSearchPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.forums().search(actor, &query, &page)
        })
    }
}

/// A post body's light markup (paragraphs, `> ` quotes, links) as safe HTML: every character of
/// the body is escaped; the only elements are `p`, `br`, `blockquote` and `a`.
#[uniffi::export]
pub fn post_html(body: String) -> String {
    markup::to_html(&body)
}
