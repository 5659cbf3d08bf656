//! Counselling records as callers see them. Message text appears only in [`Message`], which
//! only the client (with its case secret) and the staff allowed to read the case receive.

use serde::{Deserialize, Serialize};

use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::forums::Signpost;
use crate::orgs::OrgId;
use crate::screening::CrisisLevel;

/// Enquiries are numbered from 1. Staff name cases by id; clients by case code.
pub type EnquiryId = u64;
/// Messages are numbered from 1 within the platform.
pub type MessageId = u64;

/// How soon a case needs a counsellor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Priority {
    /// Triage found crisis signs: above every normal case of every eligible queue, ordered
    /// among themselves by their crisis level (see [`queue_rank`]).
    Urgent,
    Normal,
}

/// A case's place in the team queues: imminent crises first, then high, then concern, then
/// normal cases; within each, the one waiting longest first. An urgent case whose triage gave
/// no level (a host's own triage, or a case from before levels were recorded) ranks as `high`:
/// when unsure, raise.
pub(crate) fn queue_rank(priority: Priority, level: Option<CrisisLevel>) -> u8 {
    match (priority, level) {
        (Priority::Normal, _) => 3,
        (Priority::Urgent, Some(CrisisLevel::Imminent)) => 0,
        (Priority::Urgent, Some(CrisisLevel::High) | None) => 1,
        (Priority::Urgent, Some(CrisisLevel::Concern)) => 2,
    }
}

/// Where a case stands. A purged case is gone: it reads as not found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum EnquiryState {
    /// Waiting in the team queues for a counsellor.
    New,
    /// A counsellor has it; the next move is the counsellor's.
    InProgress,
    /// The counsellor answered; the next move is the client's.
    AwaitingClient,
    /// Finished; see the close reason. The client may reopen it for 14 days.
    Closed,
}

/// Why a case was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum CloseReason {
    Answered,
    Referred,
    NoReply,
    /// The client closed it.
    Withdrawn,
}

/// A gender a client may prefer their counsellor to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Gender {
    Female,
    Male,
    Diverse,
}

/// What a person asking for help gives: nothing else is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewEnquiry {
    /// One of the platform's counselling topics (see `Counselling::topics`).
    pub topic: String,
    /// ISO 639-1 code of the language the client writes in.
    pub language: String,
    /// Helps to route to a nearby organisation; never shown to anyone.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub postcode: Option<String>,
    /// Prefer a counsellor with lived experience.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub prefer_lived_experience: bool,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub prefer_gender: Option<Gender>,
    /// The first message.
    pub text: String,
}

/// What opening an enquiry returns. The secret is shown this once: only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Opened {
    /// Short and easy to type: `K7F3-9QXM`.
    pub case_code: String,
    pub secret: String,
    pub priority: Priority,
    /// Crisis lines, when the first message needs them: asynchronous counselling is not crisis care.
    pub resources: Vec<Signpost>,
}

/// A case's metadata: what admins, supervisors and the team see without reading content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Enquiry {
    pub id: EnquiryId,
    pub topic: String,
    pub language: String,
    /// ISO 3166 region derived from the postcode, when the gazetteer knows it.
    pub region: Option<String>,
    pub prefer_lived_experience: bool,
    pub prefer_gender: Option<Gender>,
    pub priority: Priority,
    /// The most urgent crisis level triage found in the client's messages (none for a normal
    /// case, or an urgent one whose triage gave no level).
    pub crisis_level: Option<CrisisLevel>,
    /// Why triage found it urgent: categories and the rules that matched, never the message's
    /// words (see `Assessment::reasons`).
    pub crisis_reasons: Vec<String>,
    pub state: EnquiryState,
    pub close_reason: Option<CloseReason>,
    /// The organisations whose team queue it is (or was) in.
    pub queues: Vec<OrgId>,
    /// The organisation that took it.
    pub org: Option<OrgId>,
    pub counsellor: Option<AccountId>,
    /// A proposed new counsellor, waiting for the client's consent.
    pub handover_to: Option<AccountId>,
    pub created_at: Timestamp,
    /// When the first response is due.
    pub due_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    /// Whether the first response came (or has not yet come) after it was due.
    pub breached: bool,
    /// Whether it overflowed to every partner organisation's queue after the breach.
    pub overflowed: bool,
    pub closed_at: Option<Timestamp>,
    pub messages: u32,
    pub last_activity_at: Timestamp,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Sender {
    Client,
    Counsellor,
}

/// One message of a conversation, or an internal note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Message {
    pub id: MessageId,
    pub sender: Sender,
    /// The counsellor's account; absent for the client and in the client's own view.
    pub counsellor: Option<AccountId>,
    /// An internal note: never shown to the client.
    pub note: bool,
    /// A reply by a counsellor in training, waiting for a supervisor.
    pub awaiting_approval: bool,
    pub sent_at: Timestamp,
    pub text: String,
}

/// A case as its client sees it (after proving itself with case code and secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ClientCase {
    pub case_code: String,
    pub topic: String,
    pub language: String,
    pub state: EnquiryState,
    pub priority: Priority,
    pub close_reason: Option<CloseReason>,
    pub closed_at: Option<Timestamp>,
    /// Until when the client may reopen a closed case.
    pub reopen_until: Option<Timestamp>,
    /// Delivered messages, oldest first; notes and unapproved replies are never here.
    pub messages: Vec<Message>,
    /// Counsellor messages the client had not seen before this call.
    pub unread: u32,
    /// Whether the counsellor proposed a handover that waits for the client's answer.
    pub handover_proposed: bool,
    /// Crisis lines, for an urgent case.
    pub resources: Vec<Signpost>,
}

/// A case with its conversation, as the staff allowed to read it see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CaseView {
    pub enquiry: Enquiry,
    /// Every message and note, oldest first.
    pub messages: Vec<Message>,
    /// Client messages the staff had not seen before this call.
    pub unread: u32,
}

/// What a client's message returns: the crisis lines when the message needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ClientSent {
    pub message_id: MessageId,
    pub priority: Priority,
    pub resources: Vec<Signpost>,
}

/// One enquiry in a team queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QueuedEnquiry {
    pub enquiry: EnquiryId,
    pub priority: Priority,
    /// The crisis level triage found: the queue's order (imminent, high, concern, normal).
    pub crisis_level: Option<CrisisLevel>,
    /// Why: categories and matched rules, never the message's words.
    pub crisis_reasons: Vec<String>,
    pub topic: String,
    pub language: String,
    pub created_at: Timestamp,
    pub due_at: Timestamp,
    /// It reached this queue by overflow after an SLA breach.
    pub overflow: bool,
}

/// A page of a team queue: by crisis level (imminent, high, concern, then normal cases), then
/// oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EnquiryQueuePage {
    pub items: Vec<QueuedEnquiry>,
    pub next_cursor: Option<String>,
}

/// A reply by a counsellor in training, waiting for a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PendingReply {
    pub enquiry: EnquiryId,
    pub message_id: MessageId,
    pub counsellor: AccountId,
    pub written_at: Timestamp,
}

/// What a partner organisation offers: the enquiries that land in its team queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CounselOffer {
    pub org: OrgId,
    /// Topics it answers; empty means every topic.
    #[serde(default)]
    pub topics: Vec<String>,
    /// Languages it answers in (ISO 639-1); at least one.
    pub languages: Vec<String>,
    /// Regions it serves (`DE`, `DE-TH`); empty means everywhere.
    #[serde(default)]
    pub regions: Vec<String>,
    /// Hours until the first response is due; 48 by default.
    #[serde(default = "default_response_hours")]
    pub first_response_hours: u32,
    /// Count only Monday to Friday towards the first-response time.
    #[serde(default)]
    pub business_days: bool,
}

pub(crate) fn default_response_hours() -> u32 {
    48
}

/// What the platform knows about a counsellor beyond their roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CounsellorProfile {
    pub account: AccountId,
    /// Most open cases auto-assignment gives them.
    pub capacity: u32,
    /// Their replies wait for a supervisor's approval.
    #[serde(default)]
    pub in_training: bool,
    #[serde(default)]
    pub lived_experience: bool,
    #[serde(default)]
    pub gender: Option<Gender>,
    /// An absence: from, until, and who answers their open cases meanwhile.
    #[serde(default)]
    pub absence: Option<Absence>,
}

/// Changes to a counsellor's profile: absent fields stay as they are (so a change of capacity
/// keeps their training status and gender); `clear_gender` removes a stated gender.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CounsellorProfileUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub capacity: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub in_training: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub lived_experience: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub gender: Option<Gender>,
    /// Removes the stated gender (cannot be combined with `gender`).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = false))]
    pub clear_gender: bool,
}

/// A period a counsellor is away, and their substitute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Absence {
    pub from: Timestamp,
    pub until: Timestamp,
    pub substitute: AccountId,
}

impl Absence {
    pub(crate) fn covers(&self, now: Timestamp) -> bool {
        self.from <= now && now < self.until
    }
}

/// One count of a statistics report; `None` when withheld ([`crate::disclosure`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CountRow {
    /// `topic`, `org` or `language`.
    pub dimension: String,
    pub key: String,
    pub count: Option<u64>,
}

/// A month of counselling in numbers. Counts of 1 to k people are withheld (`None`), with the
/// cells they could be recovered from, and so are the response-time figures over k first
/// responses or fewer ([`crate::disclosure`], k = 4 unless an admin sets another).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CounselStats {
    /// `2026-03`.
    pub month: String,
    pub enquiries: Option<u64>,
    pub rows: Vec<CountRow>,
    pub first_responses: Option<u64>,
    /// Hours, at one-hour resolution.
    pub first_response_median_hours: Option<f64>,
    pub first_response_p90_hours: Option<f64>,
    pub sla_breaches: Option<u64>,
}

/// What a purge did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PurgeReport {
    pub dry_run: bool,
    /// Closed cases older than the retention period.
    pub purged: u64,
    pub retention_days: u32,
}

/// What an SLA sweep did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Escalation {
    /// Cases newly counted as breaches.
    pub breached: u64,
    /// Unclaimed cases that overflowed to every partner organisation's queue.
    pub overflowed: Vec<EnquiryId>,
}
