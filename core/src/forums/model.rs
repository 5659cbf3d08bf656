//! Forum records as callers see them, the inputs that create and change them, and the enums
//! around them. What is stored differs in one respect: the author of every thread and post is
//! stored with the account behind it, and shown through [`Author`] only as far as the viewer
//! may know it (see [`super::authors`]).

use serde::{Deserialize, Serialize};

use crate::accounts::{AccountId, named_enum};
use crate::clock::Timestamp;
use crate::screening::Signpost;

pub use crate::ids::{BoardId, PostId, ThreadId};
pub use crate::model::audience::Audience;
pub use crate::model::moderation::ContentState;

/// What anonymous authors are called, to everyone but admins.
pub const ANONYMOUS: &str = "anonymous";

/// Whether new threads and replies appear at once or after a moderator approved them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ModerationMode {
    #[default]
    Open,
    /// Posts by members wait in the moderation queue (moderators' own posts do not).
    PreModerated,
}

named_enum!(ModerationMode, "moderation", Open => "open", PreModerated => "pre_moderated");

/// What a moderator does to a thread or a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ModerationAction {
    /// Pending → visible.
    Approve,
    /// Visible or pending → hidden.
    Hide,
    /// Hidden → visible.
    Restore,
    /// Anything → removed (final).
    Remove,
}

named_enum!(ModerationAction, "action", Approve => "approve", Hide => "hide", Restore => "restore", Remove => "remove");

impl ModerationAction {
    /// "approved", "hidden", …: for messages.
    pub fn past(self) -> &'static str {
        match self {
            ModerationAction::Approve => "approved",
            ModerationAction::Hide => "hidden",
            ModerationAction::Restore => "restored",
            ModerationAction::Remove => "removed",
        }
    }
}

/// A board: a place for threads on one subject, in one language, for one audience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Board {
    pub id: BoardId,
    /// Unique, lower-case, for addresses: `ausbildung-ex-in`.
    pub slug: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// ISO 639-1; posts are analysed for search in this language.
    pub language: String,
    /// Boards are listed by position, then id.
    pub position: u32,
    pub audience: Audience,
    #[serde(default)]
    pub moderation: ModerationMode,
    /// Archived boards are read-only.
    #[serde(default)]
    pub archived: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A new board. Only slug, title and language are required; the audience defaults to members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewBoard {
    pub slug: String,
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = ""))]
    pub description: String,
    pub language: String,
    /// Where it is listed; after every other board when absent.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub position: Option<u32>,
    #[serde(default = "members")]
    pub audience: Audience,
    #[serde(default)]
    pub moderation: ModerationMode,
}

fn members() -> Audience {
    Audience::Members
}

/// Changes to a board; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BoardUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub title: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub description: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub position: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub audience: Option<Audience>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub moderation: Option<ModerationMode>,
}

/// A board in the list of boards, with its size and, for a signed-in viewer, what is new.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BoardOverview {
    pub board: Board,
    /// Visible threads.
    pub threads: u64,
    /// Visible posts, first posts included.
    pub posts: u64,
    /// Threads with posts the viewer has not read (see [`super::Forums::mark_board_read`]);
    /// absent for visitors who are not signed in. Counting stops at 1,000.
    pub unread_threads: Option<u32>,
    /// Whether the viewer watches the board.
    pub watching: bool,
}

/// Who wrote a thread or post, as far as the viewer may know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Author {
    /// Absent when the author posted anonymously and the viewer is not an admin.
    pub account: Option<AccountId>,
    /// The pseudonym, or "anonymous".
    pub name: String,
    pub anonymous: bool,
    /// Whether the viewer wrote it (so an app can offer to edit it).
    pub yours: bool,
}

/// A thread: a title, a first post and the replies to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Thread {
    pub id: ThreadId,
    pub board: BoardId,
    pub title: String,
    pub first_post: PostId,
    pub author: Author,
    pub tags: Vec<String>,
    /// Pinned threads head their board's page.
    pub pinned: bool,
    /// Locked threads take no more replies (except from moderators).
    pub locked: bool,
    pub state: ContentState,
    pub created_at: Timestamp,
    /// When the last visible post was written.
    pub last_activity: Timestamp,
    /// Visible replies (the first post is not a reply).
    pub reply_count: u32,
    /// How many posts have become visible in the thread: the read position to reach.
    pub last_seq: u32,
    /// A plain-text excerpt of the first post.
    pub excerpt: String,
    pub views: u64,
    /// Posts the viewer has not read; absent for visitors who are not signed in.
    pub unread: Option<u32>,
}

/// A post: the first post of a thread or a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Post {
    pub id: PostId,
    pub thread: ThreadId,
    pub board: BoardId,
    /// Its place among the thread's visible posts (1 for the first post); 0 while it has never
    /// been visible.
    pub seq: u32,
    pub author: Author,
    /// The source text with light markup (paragraphs, links, quotes; see
    /// [`super::markup`]). Empty when deleted or removed, except for moderators.
    pub body: String,
    /// Safe plain text, at most 200 characters.
    pub excerpt: String,
    /// The earlier post of the same thread it replies to (and may quote).
    pub reply_to: Option<PostId>,
    pub state: ContentState,
    /// Deleted by its author: shown as "deleted by the author".
    pub deleted: bool,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    /// Versions of the body, the current one included (see [`super::Forums::history`]).
    pub revisions: u32,
}

/// A new thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewThread {
    pub board: BoardId,
    pub title: String,
    pub body: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub tags: Vec<String>,
    /// Shown as "anonymous" to everyone but admins.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub anonymous: bool,
}

/// A reply in a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewReply {
    pub thread: ThreadId,
    pub body: String,
    /// An earlier post of the same thread this one answers (its author is notified).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub reply_to: Option<PostId>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub anonymous: bool,
}

/// What posting (or editing) did: the post, its thread, and what the content check said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Posted {
    pub thread: Thread,
    pub post: Post,
    /// Why the post waits for a moderator, when it does (pre-moderated board or content check).
    pub held: Option<String>,
    /// Help the content check attached (crisis lines, counselling), to show with the response.
    pub signposts: Vec<Signpost>,
}

/// One version of a post's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Revision {
    /// 1 for the first version.
    pub number: u32,
    pub body: String,
    /// When this version was first saved (edits within five minutes merge into it).
    pub saved_at: Timestamp,
}

/// A page of a board: pinned threads first, then by last activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct BoardPage {
    pub board: Board,
    pub threads: Vec<Thread>,
    pub next_cursor: Option<String>,
}

/// A page of a thread: its posts in the order they were written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ThreadPage {
    pub thread: Thread,
    pub posts: Vec<Post>,
    pub next_cursor: Option<String>,
}

/// A post waiting for a moderator, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QueueItem {
    pub post: Post,
    pub thread_title: String,
    /// Whether it is the first post of a new thread (approving it approves the thread).
    pub new_thread: bool,
    /// Why it waits: the board is pre-moderated, or what the content check said.
    pub reason: String,
}

/// A page of the moderation queue, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub next_cursor: Option<String>,
}

/// Unread posts in one thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ThreadUnread {
    pub thread: ThreadId,
    pub board: BoardId,
    pub unread: u32,
    pub last_activity: Timestamp,
}

/// What the account follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Watching {
    pub boards: Vec<BoardId>,
    pub threads: Vec<ThreadId>,
}

impl Board {
    /// What the policy needs to decide on reading and posting in this board.
    pub(crate) fn access(&self) -> crate::policy::BoardAccess<'_> {
        crate::policy::BoardAccess { slug: &self.slug, audience: &self.audience }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Perspective;
    use crate::error::Error;
    use crate::orgs::OrgId;

    #[test]
    fn audiences_round_trip_through_their_names() {
        for audience in [
            Audience::Public,
            Audience::Members,
            Audience::Perspectives { perspectives: vec![Perspective::Relative, Perspective::Professional] },
            Audience::Organisation { org: OrgId(4) },
        ] {
            assert_eq!(audience.to_string().parse::<Audience>().unwrap(), audience);
        }
        assert_eq!(
            "Relative".parse::<Audience>().unwrap(),
            Audience::Perspectives { perspectives: vec![Perspective::Relative] }
        );
        for bad in ["everyone", "org:x", "perspectives:patients"] {
            let err = bad.parse::<Audience>().unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, .. } if field == "audience" || field == "perspective"),
                "{bad}: {err:?}"
            );
        }
    }
}
