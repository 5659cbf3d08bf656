//! Forum records as callers see them, the inputs that create and change them, and the enums
//! around them. What is stored differs in one respect: the author of every thread and post is
//! stored with the account behind it, and shown through [`Author`] only as far as the viewer
//! may know it (see [`super::authors`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::check::Signpost;
use crate::accounts::{AccountId, Perspective, named_enum};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::orgs::OrgId;

/// Boards are numbered from 1.
pub type BoardId = u64;
/// Threads are numbered from 1.
pub type ThreadId = u64;
/// Posts are numbered from 1, across all threads, in the order they were written.
pub type PostId = u64;

/// What anonymous authors are called, to everyone but admins.
pub const ANONYMOUS: &str = "anonymous";

/// Who may read a board, and so post in it. Moderators and admins read every board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Audience {
    /// Everyone, signed in or not (posting still needs an account).
    Public,
    /// Signed-in accounts.
    Members,
    /// Accounts that took part from one of these perspectives, e.g. relatives only.
    Perspectives { perspectives: Vec<Perspective> },
    /// Accounts holding a role in this organisation (its staff, counsellors, supervisors).
    Organisation { org: OrgId },
}

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

/// Where a thread or post stands with moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ContentState {
    /// Shown to the board's audience.
    #[default]
    Visible,
    /// Waiting for a moderator (pre-moderated board, or held by the content check); shown to
    /// its author and moderators.
    Pending,
    /// Taken out of view by a moderator, reversibly; shown to its author and moderators.
    Hidden,
    /// Taken down by a moderator for good; shown to moderators only.
    Removed,
}

named_enum!(ContentState, "state", Visible => "visible", Pending => "pending", Hidden => "hidden", Removed => "removed");

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

impl Audience {
    /// Who the audience is, in words, for refusals: "relatives", "signed-in members".
    pub fn describe(&self) -> String {
        match self {
            Audience::Public => "everyone".into(),
            Audience::Members => "signed-in members".into(),
            Audience::Perspectives { perspectives } => {
                let names: Vec<&str> = perspectives.iter().map(|p| perspective_readers(*p)).collect();
                names.join(" and ")
            }
            Audience::Organisation { org } => format!("people of organisation {org}"),
        }
    }
}

fn perspective_readers(p: Perspective) -> &'static str {
    match p {
        Perspective::LivedExperience => "people with lived experience",
        Perspective::Relative => "relatives",
        Perspective::Professional => "professionals",
        Perspective::Undisclosed => "people who keep their perspective undisclosed",
    }
}

/// `public`, `members`, `perspectives:relative,professional`, `org:3`.
impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Public => f.write_str("public"),
            Audience::Members => f.write_str("members"),
            Audience::Perspectives { perspectives } => {
                let names: Vec<&str> = perspectives.iter().map(|p| p.as_str()).collect();
                write!(f, "perspectives:{}", names.join(","))
            }
            Audience::Organisation { org } => write!(f, "org:{org}"),
        }
    }
}

impl FromStr for Audience {
    type Err = Error;

    /// Accepts the forms [`Audience`]'s `Display` writes; a bare perspective (`relative`) means
    /// that perspective alone.
    fn from_str(s: &str) -> Result<Self> {
        let text = s.trim().to_ascii_lowercase();
        let bad = || {
            Error::invalid(
                "audience",
                format!("'{s}' is not public, members, perspectives:relative[,professional…] or org:ID"),
            )
        };
        match text.split_once(':') {
            None if text == "public" => Ok(Audience::Public),
            None if text == "members" => Ok(Audience::Members),
            None => {
                text.parse::<Perspective>().map(|p| Audience::Perspectives { perspectives: vec![p] }).map_err(|_| bad())
            }
            Some(("perspectives" | "perspective", list)) => {
                let perspectives = list.split(',').map(str::parse).collect::<Result<Vec<Perspective>>>()?;
                Ok(Audience::Perspectives { perspectives })
            }
            Some(("org" | "organisation", id)) => {
                id.trim().parse().map(|org| Audience::Organisation { org }).map_err(|_| bad())
            }
            Some(_) => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_round_trip_through_their_names() {
        for audience in [
            Audience::Public,
            Audience::Members,
            Audience::Perspectives { perspectives: vec![Perspective::Relative, Perspective::Professional] },
            Audience::Organisation { org: 4 },
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
