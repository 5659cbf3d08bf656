//! Counselling: anonymous enquiries answered by the counsellors of partner organisations.
//!
//! A person opens an enquiry without an account and receives a short case code and a secret,
//! shown once (only an argon2id hash of the secret is kept). Triage ([`Triage`]) reads every
//! client message with the moderation content checker: a crisis makes the case urgent and
//! hands the client crisis lines at once.
//! The enquiry lands in the team queue of every partner organisation whose offer
//! ([`CounselOffer`]) matches its topic, language and region; a counsellor claims it (exactly
//! one of two concurrent claims wins), or a supervisor assigns it. The first response is due
//! after the organisation's SLA (48 hours by default, optionally in business days); overdue
//! cases overflow to every partner's queue ([`Counselling::escalate`]), audited.
//!
//! Message bodies are sealed with a per-enquiry data key wrapped by the platform content key
//! ([`ContentKey`], in [`crate::PlatformOptions`]); only the assigned counsellor, their
//! substitute during an absence and a supervisor of the case's organisation read them, and
//! every such read is audited. Closed cases are purged after the retention period (90 days by
//! default): every record of the case goes, its data key with it. Statistics are kept in
//! counters without identifying data, so they outlive purges; what
//! reports withhold is decided by [`crate::disclosure`].
//!
//! ```
//! use std::sync::Arc;
//! use trialog_core::counsel::{ContentKey, CounselOffer, NewEnquiry};
//! use trialog_core::{Actor, NewOrganisation, OrgKind, Platform, PlatformOptions, Role};
//! let key = ContentKey::generate()?;
//! let platform = Platform::in_memory_with(PlatformOptions { content_key: Some(key), ..Default::default() })?;
//! let org = platform.orgs().create(&Actor::Operator, &NewOrganisation {
//!     name: "EX-IN Beratung".into(), kind: OrgKind::Association, region: "DE".into(), city: None, website: None,
//! })?;
//! platform.counsel().set_offer(&Actor::Operator, &CounselOffer {
//!     org: org.id, topics: vec![], languages: vec!["de".into()], regions: vec![],
//!     first_response_hours: 48, business_days: false,
//! })?;
//! let opened = platform.counsel().enquire(&Actor::Anonymous, &NewEnquiry {
//!     topic: "contracts_and_pay".into(), language: "de".into(), postcode: None,
//!     prefer_lived_experience: false, prefer_gender: None,
//!     text: "Mein Arbeitsvertrag nennt keine Entgeltgruppe.".into(),
//! })?;
//! let case = platform.counsel().client_case(&opened.case_code, &opened.secret)?;
//! assert_eq!(case.messages[0].text, "Mein Arbeitsvertrag nennt keine Entgeltgruppe.");
//! # Ok::<(), trialog_core::Error>(())
//! ```

mod admin;
mod client;
mod code;
use crate::crypto;
mod figures;
mod model;
mod records;
mod sla;
mod staff;
pub(crate) mod tables;
pub mod triage;

pub use crypto::ContentKey;
pub use model::{
    Absence, CaseView, ClientCase, ClientSent, CloseReason, CounselOffer, CounselStats, CounsellorProfile,
    CounsellorProfileUpdate, CountRow, Enquiry, EnquiryId, EnquiryQueuePage, EnquiryState, Escalation, Gender, Message,
    MessageId, NewEnquiry, Opened, PendingReply, Priority, PurgeReport, QueuedEnquiry, Sender,
};
pub(crate) use records::check_integrity;
pub use triage::{Assessment, ContentCheckerTriage, Triage};

use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::store::Reader;
use crate::validate;

/// Longest message, in characters.
pub const MAX_TEXT: usize = 10_000;
/// Days after closing during which the client may reopen a case.
pub const REOPEN_DAYS: i64 = 14;
/// Days a closed case is kept before purging, unless an admin sets otherwise.
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
/// Open cases a counsellor takes by auto-assignment when their profile says nothing else.
pub const DEFAULT_CAPACITY: u32 = 10;
/// The topics when an admin has not set others.
pub const DEFAULT_TOPICS: &[&str] =
    &["job_and_career", "contracts_and_pay", "ex_in_training", "peer_work_in_practice", "for_relatives", "other"];
/// The languages enquiries may be written in (those of the platforms trialog serves).
pub const LANGUAGES: &[&str] = &["de", "da", "en", "nl", "bg", "es", "ro"];

/// Counselling operations, borrowed from a [`crate::Platform`].
pub struct Counselling<'p> {
    pub(crate) ctx: &'p Context,
}

pub use crate::policy::CaseAccess;

impl Counselling<'_> {
    fn content_key(&self) -> Result<&ContentKey> {
        self.ctx.content_key().ok_or_else(crypto::missing_key)
    }
}

/// Who may work on `record` at `now`.
fn access(txn: &impl Reader, record: &records::EnquiryRecord, now: Timestamp) -> Result<CaseAccess> {
    let profile = match record.counsellor {
        Some(counsellor) => records::profile(txn, counsellor)?,
        None => None,
    };
    Ok(case_access(record, profile.as_ref(), now))
}

/// Who may work on the case, given the assigned counsellor's profile (already loaded).
fn case_access(record: &records::EnquiryRecord, assigned: Option<&CounsellorProfile>, now: Timestamp) -> CaseAccess {
    let substitute = assigned.and_then(|p| p.absence.as_ref()).filter(|a| a.covers(now)).map(|a| a.substitute);
    CaseAccess { org: record.org, counsellor: record.counsellor, substitute }
}

/// A message's text: trimmed, not empty, at most [`MAX_TEXT`] characters.
fn text(value: &str) -> Result<String> {
    validate::required_text("message", value, MAX_TEXT)
}

fn target(id: EnquiryId) -> String {
    format!("enquiry:{id}")
}

fn closed_conflict(id: EnquiryId) -> Error {
    Error::conflict(format!("enquiry {id} is closed"))
}

/// Registration of the counsel domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "counsel",
    tick: crate::store::Domain::nothing_due,
    personal: None,
    tables: tables::TABLES,
    migrate,
    check: |txn, found| check_integrity(txn, &mut found.problems),
    figures: Some(figures::gather),
};

/// Counselling's steps between schema versions: version 10 orders the team queues by crisis
/// level (see [`records::rekey_queues_v10`]).
fn migrate(txn: &crate::store::WriteTxn, migration: &crate::store::Migration) -> Result<()> {
    if migration.predates(10) {
        records::rekey_queues_v10(txn)?;
    }
    Ok(())
}
