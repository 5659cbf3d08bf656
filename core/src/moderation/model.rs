//! Moderation records as callers see them, the inputs that create them, and their enums.

use serde::{Deserialize, Serialize};

use super::crisis::{CrisisCategory, CrisisFinding, CrisisLevel};
use super::words::WordMatch;
use crate::accounts::{AccountId, named_enum};
use crate::clock::Timestamp;
use crate::ids::BoardId;
pub use crate::model::moderation::{ActionKind, Target};

/// Review items are numbered from 1.
pub type ItemId = u64;
/// Moderation log entries (actions) are numbered from 1.
pub type ActionId = u64;
/// Appeals are numbered from 1.
pub type AppealId = u64;

/// Why someone reports something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ReportReason {
    /// Risk of self-harm or suicide: goes to the top of the queue.
    Crisis,
    Harassment,
    Spam,
    PersonalData,
    Misinformation,
    OffTopic,
    /// Needs a detail.
    Other,
}

named_enum!(ReportReason, "reason", Crisis => "crisis", Harassment => "harassment", Spam => "spam",
    PersonalData => "personal_data", Misinformation => "misinformation", OffTopic => "off_topic", Other => "other");

/// A report, as a member files it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewReport {
    pub target: Target,
    pub reason: ReportReason,
    /// Required for `other`; optional otherwise.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub detail: Option<String>,
}

/// One report on an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Report {
    pub id: u64,
    pub item: ItemId,
    /// Shown to moderators only.
    pub reporter: Option<AccountId>,
    pub reason: ReportReason,
    pub detail: Option<String>,
    pub at: Timestamp,
}

/// Where a review item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ItemState {
    #[default]
    Pending,
    /// A moderator acted on it.
    Actioned,
    /// A moderator found nothing wrong.
    Dismissed,
    /// Set aside without a decision (duplicates, noise).
    Ignored,
}

named_enum!(ItemState, "state", Pending => "pending", Actioned => "actioned", Dismissed => "dismissed", Ignored => "ignored");

/// Something the content checker noticed by itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AutoFlag {
    pub at: Timestamp,
    /// Why, in words: the watched words that matched, or that the post waits for approval.
    pub reason: String,
    pub crisis: bool,
    #[serde(default)]
    pub matches: Vec<WordMatch>,
    /// The crisis level and kinds the checker found (see `moderation::crisis`).
    #[serde(default)]
    pub level: Option<CrisisLevel>,
    #[serde(default)]
    pub categories: Vec<CrisisCategory>,
    /// Each crisis finding with the words that triggered it and why.
    #[serde(default)]
    pub findings: Vec<CrisisFinding>,
}

/// One reviewable item: everything reported or flagged about one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReviewItem {
    pub id: ItemId,
    pub target: Target,
    pub state: ItemState,
    /// Higher first: crisis items above everything (imminent, then high, a person's crisis
    /// report, concern), then weighted reports and flags.
    pub priority: u64,
    pub crisis: bool,
    /// The highest crisis level the checker found on it.
    #[serde(default)]
    pub level: Option<CrisisLevel>,
    /// Every kind of crisis sign the checker found on it.
    #[serde(default)]
    pub categories: Vec<CrisisCategory>,
    /// Reports received, and by how many different people.
    pub reports: u32,
    pub reporters: u32,
    pub reasons: Vec<ReportReason>,
    pub flags: Vec<AutoFlag>,
    /// A few words on what the target is (a thread title, a post excerpt, a pseudonym).
    pub summary: String,
    /// The board of forum content.
    pub board: Option<BoardId>,
    pub claimed_by: Option<AccountId>,
    /// Changes with every change to the item: pass it back to claim or act (a stale version
    /// is a `Conflict`: another moderator was quicker).
    pub version: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The last decision's log entry.
    pub last_action: Option<ActionId>,
    /// The text of a post its author deleted while the item was open: what the moderators
    /// need to decide. Kept until the item is closed, then erased (see `items::save`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub snapshot: Option<String>,
}

/// A page of the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReviewPage {
    pub items: Vec<ReviewItem>,
    pub next_cursor: Option<String>,
}

/// An item with its reports, for a moderator deciding on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ItemDetail {
    pub item: ReviewItem,
    pub reports: Vec<Report>,
    /// The moderation log of the target, newest first.
    pub history: Vec<LogEntry>,
}

/// What a moderator does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ModAction {
    /// Lets held content appear.
    Approve,
    Hide,
    Remove,
    Restore,
    /// Replaces a passage of a post with a note; the original stays in the post's history,
    /// which moderators can read.
    EditOut {
        passage: String,
        note: String,
    },
    Lock,
    Unlock,
    /// Tells the author, without restricting them.
    Warn,
    Silence {
        until: Timestamp,
    },
    Suspend {
        until: Timestamp,
    },
    Ban,
    /// Closes the item: nothing wrong.
    Dismiss,
    /// Closes the item without a decision.
    Ignore,
}

/// One entry of the moderation log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LogEntry {
    pub id: ActionId,
    pub item: Option<ItemId>,
    pub target: Target,
    pub action: ActionKind,
    pub reason: String,
    /// Who acted: shown to moderators and admins only.
    pub moderator: Option<AccountId>,
    pub at: Timestamp,
    /// When a silence or suspension ends.
    pub expires: Option<Timestamp>,
    /// Whether the affected person appealed, and how it ended.
    pub appeal: Option<AppealId>,
}

/// A page of the moderation log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LogPage {
    pub items: Vec<LogEntry>,
    pub next_cursor: Option<String>,
}

/// How an appeal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum AppealOutcome {
    /// The action stands.
    Upheld,
    /// The action is undone.
    Overturned,
}

named_enum!(AppealOutcome, "outcome", Upheld => "upheld", Overturned => "overturned");

/// An appeal against an action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Appeal {
    pub id: AppealId,
    pub action: ActionId,
    pub target: Target,
    pub action_kind: ActionKind,
    /// The account that appealed; `None` to moderators when the action was on anonymous
    /// content (only admins and the appellant see who wrote it).
    pub appellant: Option<AccountId>,
    pub statement: String,
    pub at: Timestamp,
    pub outcome: Option<AppealOutcome>,
    pub decided_by: Option<AccountId>,
    pub decided_at: Option<Timestamp>,
    pub decision_reason: Option<String>,
}

/// A page of appeals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppealPage {
    pub items: Vec<Appeal>,
    pub next_cursor: Option<String>,
}

/// The trust and rate-limit rules. Stored as a platform setting; the defaults apply while it
/// is unset.
///
/// Pre-moderation of new accounts and rate limits are off by default, so that a platform
/// that does not ask for them behaves as before; [`ModerationSettings::recommended`] holds the
/// values the issue recommends (3 approved posts per board; 3 threads and 10 replies on the
/// first day; one post per 10 seconds) and is what `trialog mod settings --recommended` sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ModerationSettings {
    /// Posts by accounts with fewer approved posts than this on a board wait for approval
    /// there; 0 turns the rule off.
    #[serde(default)]
    pub trust_posts: u32,
    /// Whether the rate limits below apply.
    #[serde(default)]
    pub rate_limits: bool,
    /// Threads and replies an account may start on its first day.
    #[serde(default = "three")]
    pub first_day_threads: u32,
    #[serde(default = "ten")]
    pub first_day_replies: u32,
    /// Threads and replies any account may write per hour.
    #[serde(default = "ten")]
    pub hourly_threads: u32,
    #[serde(default = "sixty")]
    pub hourly_replies: u32,
    /// Reports per hour.
    #[serde(default = "twenty")]
    pub hourly_reports: u32,
    /// Seconds between two posts of one account.
    #[serde(default = "ten_u64")]
    pub min_seconds_between_posts: u64,
}

fn three() -> u32 {
    3
}
fn ten() -> u32 {
    10
}
fn sixty() -> u32 {
    60
}
fn twenty() -> u32 {
    20
}
fn ten_u64() -> u64 {
    10
}

impl Default for ModerationSettings {
    fn default() -> Self {
        ModerationSettings {
            trust_posts: 0,
            rate_limits: false,
            first_day_threads: 3,
            first_day_replies: 10,
            hourly_threads: 10,
            hourly_replies: 60,
            hourly_reports: 20,
            min_seconds_between_posts: 10,
        }
    }
}

impl ModerationSettings {
    /// New-account pre-moderation (3 approved posts per board) and rate limits on.
    pub fn recommended() -> Self {
        ModerationSettings { trust_posts: 3, rate_limits: true, ..Default::default() }
    }
}

impl ModAction {
    pub fn kind(&self) -> ActionKind {
        match self {
            ModAction::Approve => ActionKind::Approve,
            ModAction::Hide => ActionKind::Hide,
            ModAction::Remove => ActionKind::Remove,
            ModAction::Restore => ActionKind::Restore,
            ModAction::EditOut { .. } => ActionKind::EditOut,
            ModAction::Lock => ActionKind::Lock,
            ModAction::Unlock => ActionKind::Unlock,
            ModAction::Warn => ActionKind::Warn,
            ModAction::Silence { .. } => ActionKind::Silence,
            ModAction::Suspend { .. } => ActionKind::Suspend,
            ModAction::Ban => ActionKind::Ban,
            ModAction::Dismiss => ActionKind::Dismiss,
            ModAction::Ignore => ActionKind::Ignore,
        }
    }

    /// When the action's effect ends by itself.
    pub fn expires(&self) -> Option<Timestamp> {
        match self {
            ModAction::Silence { until } | ModAction::Suspend { until } => Some(*until),
            _ => None,
        }
    }
}
