//! What moderation and the forums share: the targets moderators act on, the kinds of their
//! actions, how an action is undone, and where forum content stands. Moderation sits above the
//! forums and acts on their content; the forums hand what they ask of moderation to the
//! context's [`crate::context::ForumModeration`] seam, naming these types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::named_enum;
use crate::error::{Error, Result};
use crate::ids::{AccountId, JobId, PostId, ThreadId};

/// What can be reported and reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "ModerationTarget"))]
pub enum Target {
    Thread {
        id: ThreadId,
    },
    Post {
        id: PostId,
    },
    /// An account's public profile.
    Account {
        id: AccountId,
    },
    Job {
        id: JobId,
    },
}

impl Target {
    /// `post:12`, as in the audit log.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The target's number (which record it names depends on its kind).
    pub fn id(&self) -> u64 {
        match *self {
            Target::Thread { id } => id.0,
            Target::Post { id } => id.0,
            Target::Account { id } => id.0,
            Target::Job { id } => id.0,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Target::Thread { .. } => "thread",
            Target::Post { .. } => "post",
            Target::Account { .. } => "account",
            Target::Job { .. } => "job",
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.id())
    }
}

impl FromStr for Target {
    type Err = Error;

    /// `thread:3`, `post:12`, `account:7`, `job:40`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid("target", format!("'{s}' is not thread:ID, post:ID, account:ID or job:ID"));
        let (kind, id) = s.trim().split_once(':').ok_or_else(bad)?;
        let id: u64 = id.trim().parse().map_err(|_| bad())?;
        match kind.trim().to_ascii_lowercase().as_str() {
            "thread" => Ok(Target::Thread { id: ThreadId(id) }),
            "post" => Ok(Target::Post { id: PostId(id) }),
            "account" | "profile" => Ok(Target::Account { id: AccountId(id) }),
            "job" => Ok(Target::Job { id: JobId(id) }),
            _ => Err(bad()),
        }
    }
}

/// The kind of a `ModAction`, for logs and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ActionKind {
    Approve,
    Hide,
    Remove,
    Restore,
    EditOut,
    Lock,
    Unlock,
    Warn,
    Silence,
    Suspend,
    Ban,
    Dismiss,
    Ignore,
    /// An appeal overturned an earlier action.
    Overturn,
}

named_enum!(ActionKind, "action", Approve => "approve", Hide => "hide", Remove => "remove", Restore => "restore",
    EditOut => "edit_out", Lock => "lock", Unlock => "unlock", Warn => "warn", Silence => "silence",
    Suspend => "suspend", Ban => "ban", Dismiss => "dismiss", Ignore => "ignore", Overturn => "overturn");

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

/// What overturning an action puts back.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) enum Undo {
    #[default]
    Nothing,
    ContentState {
        thread: bool,
        id: u64,
        state: ContentState,
    },
    Revision {
        post: PostId,
        revision: u32,
    },
    Unlock {
        thread: ThreadId,
    },
    Reinstate {
        account: AccountId,
    },
}
