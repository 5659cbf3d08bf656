//! The screening seams, below every domain: counselling messages pass through one [`Triage`],
//! and every new forum thread, reply and edit passes through one [`ContentCheck`]
//! before anything is stored. The check may let it through, hold it for a moderator, or reject
//! it with an explanation, and may attach signposting (crisis lines, counselling) to the
//! response in any case. Watched words, new-account pre-moderation and crisis detection plug in
//! here; the platform's default, [`AllowEverything`], lets everything through.
//!
//! ```
//! use std::sync::Arc;
//! use trialog_core::forums::{ContentCheck, Signpost, Submission, Verdict};
//! use trialog_core::{Platform, PlatformOptions};
//!
//! /// Holds posts that mention money for a moderator and points to the counselling service.
//! #[derive(Debug)]
//! struct MoneyWatch;
//! impl ContentCheck for MoneyWatch {
//!     fn check(&self, submission: &Submission<'_>) -> Verdict {
//!         if submission.body.to_lowercase().contains("iban") {
//!             return Verdict::hold("bank details are checked by a moderator").with(Signpost {
//!                 title: "Beratung".into(),
//!                 detail: "Anonyme Beratung zu Verträgen und Geld".into(),
//!                 contact: None,
//!                 url: Some("https://example.org/beratung".into()),
//!             });
//!         }
//!         Verdict::allow()
//!     }
//! }
//! let platform = Platform::in_memory_with(PlatformOptions {
//!     content_check: Arc::new(MoneyWatch),
//!     ..Default::default()
//! })?;
//! # Ok::<(), trialog_core::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::ids::{AccountId, BoardId, PostId, ThreadId};

/// Decides, before it is stored, whether a new thread, reply or edit may appear.
///
/// Called inside the writing transaction: keep it fast and free of I/O. It sees the text and
/// where it goes, and the author's account id and age (for new-account rules) — never their
/// pseudonym, so anonymous posts stay anonymous to it as well.
pub trait ContentCheck: Send + Sync + std::fmt::Debug {
    fn check(&self, submission: &Submission<'_>) -> Verdict;
}

/// The default check: everything is allowed, nothing is attached.
#[derive(Debug, Default, Clone, Copy)]
pub struct AllowEverything;

impl ContentCheck for AllowEverything {
    fn check(&self, _: &Submission<'_>) -> Verdict {
        Verdict::allow()
    }
}

/// What is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SubmissionKind {
    NewThread,
    Reply,
    Edit,
}

/// One thread, reply or edit on its way in.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    pub kind: SubmissionKind,
    pub board: BoardId,
    pub board_slug: &'a str,
    /// The board's language (ISO 639-1).
    pub language: &'a str,
    /// Absent for a new thread.
    pub thread: Option<ThreadId>,
    /// The post being edited.
    pub post: Option<PostId>,
    /// A new thread's title, or an edited first post's new title.
    pub title: Option<&'a str>,
    /// The body as written (source text with light markup), already trimmed and checked.
    pub body: &'a str,
    pub author: AccountId,
    pub author_since: Timestamp,
    pub anonymous: bool,
}

/// A piece of help shown with the response: a crisis line, a counselling service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Signpost {
    pub title: String,
    pub detail: String,
    /// A telephone number or other way to get in touch.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub contact: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub url: Option<String>,
}

/// What the check decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    Allow,
    /// Store it as pending: a moderator approves or hides it. `reason` is shown to the author.
    Hold {
        reason: String,
    },
    /// Refuse it: nothing is stored, and the caller gets `InvalidInput { field, reason }`.
    /// `field` is "title" or "body".
    Reject {
        field: String,
        reason: String,
    },
}

/// The decision and the help to show with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub decision: Decision,
    pub signposts: Vec<Signpost>,
}

impl Verdict {
    pub fn allow() -> Self {
        Verdict { decision: Decision::Allow, signposts: Vec::new() }
    }

    pub fn hold(reason: impl Into<String>) -> Self {
        Verdict { decision: Decision::Hold { reason: reason.into() }, signposts: Vec::new() }
    }

    pub fn reject(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Verdict { decision: Decision::Reject { field: field.into(), reason: reason.into() }, signposts: Vec::new() }
    }

    /// The same verdict with one more signpost.
    pub fn with(mut self, signpost: Signpost) -> Self {
        self.signposts.push(signpost);
        self
    }
}

impl Signpost {
    /// The signpost as one line of text, for a rejection's reason.
    pub(crate) fn line(&self) -> String {
        let mut line = format!("{}: {}", self.title, self.detail);
        for extra in [&self.contact, &self.url].into_iter().flatten() {
            line.push_str(&format!(" ({extra})"));
        }
        line
    }
}

/// Decides whether a client's message signals a crisis, and which help to show.
///
/// Called inside the writing transaction with the plain text: keep it fast and free of I/O,
/// and never log the text. `region` is the client's region when their postcode told it.
pub trait Triage: Send + Sync + std::fmt::Debug {
    fn assess(&self, text: &str, language: &str, region: Option<&str>) -> Assessment;
}

/// How urgent a crisis sign is; ordered, so the review queue and counselling triage put
/// `imminent` first. Moderation's crisis detector ([`crate::moderation::crisis`]) rates texts
/// with it; it lives here, below the domains, because counselling triage and hosts' own
/// [`Triage`] speak it too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CrisisLevel {
    /// Worth a look soon: a death wish, self-harm, thoughts told at a distance.
    Concern,
    /// Suicidal thoughts or intent: a person should read it now.
    High,
    /// A plan, the means at hand, a farewell, a time: act now.
    Imminent,
}

/// What triage found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// A crisis match: the case becomes urgent.
    pub urgent: bool,
    /// Help to show the client at once.
    pub resources: Vec<Signpost>,
    /// How urgent, when urgent: counsellors' queues put `imminent` first. A triage that cannot
    /// tell leaves it out, and an urgent case without a level is queued as `high` (when unsure,
    /// raise).
    #[serde(default)]
    pub level: Option<CrisisLevel>,
    /// Why, in words that name categories and rules — never the message's own words: stored with
    /// the case's metadata and shown to the counsellors whose queue it is in.
    #[serde(default)]
    pub reasons: Vec<String>,
}

/// What the platform's own screening (moderation's) decided about one submission.
#[derive(Default)]
pub(crate) struct Screening {
    pub held: Option<String>,
    pub signposts: Vec<Signpost>,
    /// To file on the post's review item once it is stored (moderation's own record, which the
    /// forums pass back without reading).
    pub flag: Option<Box<dyn std::any::Any + Send + Sync>>,
}
