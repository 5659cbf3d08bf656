//! How counselling is stored: the enquiry record (metadata and the secret's hash), sealed
//! messages, and the indexes every change keeps in step — team queues, caseloads, approvals,
//! due and closed times — plus the statistics counters that outlive a purge.

mod integrity;

pub(crate) use integrity::check_integrity;

use crate::store::{ReadTable, WriteTxn};
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::model::*;
use crate::accounts::AccountId;
use crate::accounts::credentials::{Credential, Throttle};
use crate::clock::Timestamp;
use crate::counsel::tables::{
    COUNSEL_APPROVALS, COUNSEL_CASELOAD, COUNSEL_CLOSED, COUNSEL_CODES, COUNSEL_DUE, COUNSEL_ENQUIRIES, COUNSEL_KEYS,
    COUNSEL_MESSAGES, COUNSEL_OFFERS, COUNSEL_QUEUE, COUNSEL_STAFF, COUNSEL_STATS, COUNSEL_THROTTLE,
};
use crate::crypto::{ContentKey, DataKey};
use crate::error::{Error, Result};
use crate::forums::Signpost;
use crate::orgs::OrgId;
use crate::screening::CrisisLevel;
use crate::store::{Reader, decode, encode};

/// An enquiry as stored. Never holds message text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct EnquiryRecord {
    pub id: EnquiryId,
    pub case_code: String,
    pub credential: Credential,
    #[serde(default)]
    pub opened_by: Option<AccountId>,
    pub topic: String,
    pub language: String,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub prefer_lived_experience: bool,
    #[serde(default)]
    pub prefer_gender: Option<Gender>,
    pub priority: Priority,
    /// The most urgent crisis level triage found (see `Enquiry::crisis_level`).
    #[serde(default)]
    pub crisis_level: Option<CrisisLevel>,
    /// Why, in categories and rules, never the message's words; at most [`MAX_CRISIS_REASONS`].
    #[serde(default)]
    pub crisis_reasons: Vec<String>,
    pub state: EnquiryState,
    #[serde(default)]
    pub close_reason: Option<CloseReason>,
    pub queues: Vec<OrgId>,
    #[serde(default)]
    pub org: Option<OrgId>,
    #[serde(default)]
    pub counsellor: Option<AccountId>,
    #[serde(default)]
    pub handover_to: Option<AccountId>,
    pub created_at: Timestamp,
    pub due_at: Timestamp,
    #[serde(default)]
    pub first_response_at: Option<Timestamp>,
    #[serde(default)]
    pub breached: bool,
    #[serde(default)]
    pub overflowed: bool,
    #[serde(default)]
    pub closed_at: Option<Timestamp>,
    #[serde(default)]
    pub messages: u32,
    pub last_activity_at: Timestamp,
    /// The last message the client has seen.
    #[serde(default)]
    pub client_read: MessageId,
    /// The last message the staff have seen.
    #[serde(default)]
    pub staff_read: MessageId,
    /// The crisis lines triage handed out, for an urgent case (public numbers, not case data).
    #[serde(default)]
    pub resources: Vec<Signpost>,
}

impl EnquiryRecord {
    pub fn view(&self) -> Enquiry {
        Enquiry {
            id: self.id,
            topic: self.topic.clone(),
            language: self.language.clone(),
            region: self.region.clone(),
            prefer_lived_experience: self.prefer_lived_experience,
            prefer_gender: self.prefer_gender,
            priority: self.priority,
            crisis_level: self.crisis_level,
            crisis_reasons: self.crisis_reasons.clone(),
            state: self.state,
            close_reason: self.close_reason,
            queues: self.queues.clone(),
            org: self.org,
            counsellor: self.counsellor,
            handover_to: self.handover_to,
            created_at: self.created_at,
            due_at: self.due_at,
            first_response_at: self.first_response_at,
            breached: self.breached,
            overflowed: self.overflowed,
            closed_at: self.closed_at,
            messages: self.messages,
            last_activity_at: self.last_activity_at,
        }
    }

    pub fn is_closed(&self) -> bool {
        self.state == EnquiryState::Closed
    }

    /// Where it stands in the team queues (see [`queue_rank`]).
    pub fn queue_rank(&self) -> u8 {
        queue_rank(self.priority, self.crisis_level)
    }

    /// Takes in what triage found in one more client message: the higher level, and reasons not
    /// yet recorded (the first [`MAX_CRISIS_REASONS`] are kept, so the record stays small).
    pub fn add_crisis(&mut self, level: Option<CrisisLevel>, reasons: &[String]) {
        self.crisis_level = self.crisis_level.max(level);
        for reason in reasons {
            if self.crisis_reasons.len() < MAX_CRISIS_REASONS && !self.crisis_reasons.contains(reason) {
                self.crisis_reasons.push(reason.clone());
            }
        }
    }
}

/// The most triage reasons a case keeps.
pub(crate) const MAX_CRISIS_REASONS: usize = 12;

/// A message as sealed: the whole record, so that even who wrote when is unreadable without
/// the data key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredMessage {
    pub sender: Sender,
    #[serde(default)]
    pub counsellor: Option<AccountId>,
    #[serde(default)]
    pub note: bool,
    #[serde(default)]
    pub awaiting: bool,
    pub at: Timestamp,
    pub text: String,
}

impl StoredMessage {
    /// A message from the client.
    pub fn client(text: &str, at: Timestamp) -> Self {
        StoredMessage { sender: Sender::Client, counsellor: None, note: false, awaiting: false, at, text: text.into() }
    }

    pub fn view(self, id: MessageId) -> Message {
        Message {
            id,
            sender: self.sender,
            counsellor: self.counsellor,
            note: self.note,
            awaiting_approval: self.awaiting,
            sent_at: self.at,
            text: self.text,
        }
    }
}

/// What a queue entry carries, so that a page reads one table.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct QueueEntry {
    topic: String,
    language: String,
    due_us: i64,
    overflow: bool,
    crisis_level: Option<CrisisLevel>,
    crisis_reasons: Vec<String>,
}

/// A queue entry as schema versions up to 9 wrote it: no crisis level, rank 0 urgent, 1 normal.
#[derive(Debug, Clone, Deserialize)]
struct QueueEntryV9 {
    #[allow(dead_code)]
    topic: String,
    #[allow(dead_code)]
    language: String,
    #[allow(dead_code)]
    due_us: i64,
    overflow: bool,
}

/// Version 10 orders the team queues by crisis level: every queue row is keyed anew by its
/// enquiry's rank (an urgent case from before has no level and ranks as `high`) and carries
/// the level and reasons. Returns how many rows were rewritten.
pub(crate) fn rekey_queues_v10(txn: &WriteTxn) -> Result<u64> {
    let mut rows = Vec::new();
    {
        let table = txn.open_table(COUNSEL_QUEUE)?;
        for row in table.range((0, 0, 0, 0)..=(u64::MAX, u8::MAX, u64::MAX, u64::MAX))? {
            let (key, bytes) = row?;
            let (org, rank, created, id) = key.value();
            let old: QueueEntryV9 = postcard::from_bytes(bytes.value())
                .map_err(|e| Error::storage(format!("queue entry of enquiry {id} is unreadable: {e}")))?;
            rows.push(((org, rank, created, id), old.overflow));
        }
    }
    for (key, overflow) in &rows {
        txn.open_table(COUNSEL_QUEUE)?.delete(*key)?;
        enqueue(txn, &load(txn, key.3)?, OrgId(key.0), *overflow)?;
    }
    Ok(rows.len() as u64)
}

pub(crate) fn load(txn: &impl Reader, id: EnquiryId) -> Result<EnquiryRecord> {
    match txn.table(COUNSEL_ENQUIRIES)?.get(id)? {
        Some(bytes) => decode(bytes.value(), || format!("enquiry {id}")),
        None => Err(Error::not_found("enquiry", id)),
    }
}

pub(crate) fn save(txn: &WriteTxn, record: &EnquiryRecord) -> Result<()> {
    txn.open_table(COUNSEL_ENQUIRIES)?.put(record.id, encode(record)?.as_slice())?;
    Ok(())
}

pub(crate) fn id_of_code(txn: &impl Reader, code: &str) -> Result<Option<EnquiryId>> {
    Ok(txn.table(COUNSEL_CODES)?.get(code)?.map(|v| v.value()))
}

/// The data key of enquiry `id`.
pub(crate) fn data_key(txn: &impl Reader, key: &ContentKey, id: EnquiryId) -> Result<DataKey> {
    let table = txn.table(COUNSEL_KEYS)?;
    let wrapped = table.get(id)?.ok_or_else(|| Error::storage(format!("enquiry {id} has no data key")))?;
    key.data_key(id, wrapped.value())
}

/// Checks that `key` is the one the platform's content was sealed with; the first key used
/// becomes that key.
pub(crate) fn check_content_key(txn: &WriteTxn, key: &ContentKey) -> Result<()> {
    let mut table = txn.open_table(COUNSEL_KEYS)?;
    let check = table.get(0)?.map(|v| v.value().to_vec());
    match check {
        Some(sealed) => key.verify_check(&sealed),
        None => {
            table.put(0, key.key_check()?.as_slice())?;
            Ok(())
        }
    }
}

pub(crate) fn store_data_key(txn: &WriteTxn, id: EnquiryId, wrapped: &[u8]) -> Result<()> {
    txn.open_table(COUNSEL_KEYS)?.put(id, wrapped)?;
    Ok(())
}

pub(crate) fn write_message(
    txn: &WriteTxn,
    key: &DataKey,
    enquiry: EnquiryId,
    message: MessageId,
    stored: &StoredMessage,
) -> Result<()> {
    let sealed = key.seal(enquiry, message, &encode(stored)?)?;
    txn.open_table(COUNSEL_MESSAGES)?.put((enquiry, message), sealed.as_slice())?;
    Ok(())
}

pub(crate) fn read_message(
    txn: &impl Reader,
    key: &DataKey,
    enquiry: EnquiryId,
    message: MessageId,
) -> Result<StoredMessage> {
    let table = txn.table(COUNSEL_MESSAGES)?;
    let sealed = table.get((enquiry, message))?.ok_or_else(|| Error::not_found("message", message))?;
    let plain = key.open(enquiry, message, sealed.value())?;
    decode(&plain, || format!("message {message} of enquiry {enquiry}"))
}

/// Every message of a case, oldest first.
pub(crate) fn read_messages(txn: &impl Reader, key: &DataKey, enquiry: EnquiryId) -> Result<Vec<Message>> {
    let table = txn.table(COUNSEL_MESSAGES)?;
    let mut out = Vec::new();
    for row in table.range((enquiry, 0)..=(enquiry, u64::MAX))? {
        let (k, sealed) = row?;
        let id = k.value().1;
        let plain = key.open(enquiry, id, sealed.value())?;
        let stored: StoredMessage = decode(&plain, || format!("message {id} of enquiry {enquiry}"))?;
        out.push(stored.view(id));
    }
    Ok(out)
}

/// Puts the enquiry into `org`'s queue.
pub(crate) fn enqueue(txn: &WriteTxn, record: &EnquiryRecord, org: OrgId, overflow: bool) -> Result<()> {
    let entry = QueueEntry {
        topic: record.topic.clone(),
        language: record.language.clone(),
        due_us: record.due_at.timestamp_micros(),
        overflow,
        crisis_level: record.crisis_level,
        crisis_reasons: record.crisis_reasons.clone(),
    };
    let bytes = postcard::to_allocvec(&entry).map_err(Error::storage)?;
    txn.open_table(COUNSEL_QUEUE)?.put(queue_key(record, org), bytes.as_slice())?;
    Ok(())
}

/// Takes the enquiry out of every queue it is in.
pub(crate) fn dequeue(txn: &WriteTxn, record: &EnquiryRecord) -> Result<()> {
    let mut table = txn.open_table(COUNSEL_QUEUE)?;
    for org in &record.queues {
        table.delete(queue_key(record, *org))?;
    }
    Ok(())
}

pub(crate) fn queue_key(record: &EnquiryRecord, org: OrgId) -> (u64, u8, u64, u64) {
    (org.0, record.queue_rank(), record.created_at.timestamp_micros().max(0) as u64, record.id)
}

/// A position in a team queue: rank (see [`queue_rank`]), created in µs, enquiry.
pub(crate) type QueuePosition = (u8, u64, u64);

/// A page of `org`'s queue after the position `after`, and the position to continue from.
pub(crate) fn queue_page(
    txn: &impl Reader,
    org: OrgId,
    after: Option<QueuePosition>,
    limit: usize,
) -> Result<(Vec<QueuedEnquiry>, Option<QueuePosition>)> {
    let table = txn.table(COUNSEL_QUEUE)?;
    let org = org.0;
    let start = match after {
        Some((rank, created, id)) if id < u64::MAX => (org, rank, created, id + 1),
        Some((rank, created, _)) => (org, rank, created.saturating_add(1), 0),
        None => (org, 0, 0, 0),
    };
    let mut items = Vec::with_capacity(limit);
    let mut last = None;
    for row in table.range(start..=(org, u8::MAX, u64::MAX, u64::MAX))? {
        let (key, bytes) = row?;
        let (_, rank, created, id) = key.value();
        if items.len() == limit {
            return Ok((items, last));
        }
        let entry: QueueEntry = postcard::from_bytes(bytes.value())
            .map_err(|e| Error::storage(format!("queue entry of enquiry {id} is unreadable: {e}")))?;
        items.push(QueuedEnquiry {
            enquiry: id,
            priority: if rank == queue_rank(Priority::Normal, None) { Priority::Normal } else { Priority::Urgent },
            crisis_level: entry.crisis_level,
            crisis_reasons: entry.crisis_reasons,
            topic: entry.topic,
            language: entry.language,
            created_at: micros(created as i64),
            due_at: micros(entry.due_us),
            overflow: entry.overflow,
        });
        last = Some((rank, created, id));
    }
    Ok((items, None))
}

pub(crate) fn micros(us: i64) -> Timestamp {
    chrono::DateTime::from_timestamp_micros(us).unwrap_or_default()
}

pub(crate) fn add_to_caseload(txn: &WriteTxn, counsellor: AccountId, id: EnquiryId) -> Result<()> {
    txn.open_table(COUNSEL_CASELOAD)?.put((counsellor.0, id), ())?;
    Ok(())
}

pub(crate) fn remove_from_caseload(txn: &WriteTxn, counsellor: AccountId, id: EnquiryId) -> Result<()> {
    txn.open_table(COUNSEL_CASELOAD)?.delete((counsellor.0, id))?;
    Ok(())
}

/// A counsellor's open cases.
pub(crate) fn caseload(txn: &impl Reader, counsellor: AccountId) -> Result<Vec<EnquiryId>> {
    let table = txn.table(COUNSEL_CASELOAD)?;
    let mut out = Vec::new();
    for row in table.range((counsellor.0, 0)..=(counsellor.0, u64::MAX))? {
        out.push(row?.0.value().1);
    }
    Ok(out)
}

pub(crate) fn set_due(txn: &WriteTxn, record: &EnquiryRecord, waiting: bool) -> Result<()> {
    let mut table = txn.open_table(COUNSEL_DUE)?;
    let key = (record.due_at.timestamp_micros(), record.id);
    if waiting {
        table.put(key, ())?;
    } else {
        table.delete(key)?;
    }
    Ok(())
}

/// Cases waiting for their first response that were due before `now`, oldest due first.
pub(crate) fn overdue(txn: &impl Reader, now: Timestamp) -> Result<Vec<EnquiryId>> {
    let table = txn.table(COUNSEL_DUE)?;
    let mut out = Vec::new();
    for row in table.range(..(now.timestamp_micros(), 0))? {
        out.push(row?.0.value().1);
    }
    Ok(out)
}

pub(crate) fn set_closed(txn: &WriteTxn, record: &EnquiryRecord, closed: bool) -> Result<()> {
    let Some(at) = record.closed_at else { return Ok(()) };
    let mut table = txn.open_table(COUNSEL_CLOSED)?;
    if closed {
        table.put((at.timestamp_micros(), record.id), ())?;
    } else {
        table.delete((at.timestamp_micros(), record.id))?;
    }
    Ok(())
}

/// Closed cases that were closed before `before`.
pub(crate) fn closed_before(txn: &impl Reader, before: Timestamp) -> Result<Vec<EnquiryId>> {
    let table = txn.table(COUNSEL_CLOSED)?;
    let mut out = Vec::new();
    for row in table.range(..(before.timestamp_micros(), 0))? {
        out.push(row?.0.value().1);
    }
    Ok(out)
}

pub(crate) fn add_approval(
    txn: &WriteTxn,
    org: OrgId,
    id: EnquiryId,
    message: MessageId,
    counsellor: AccountId,
    at: Timestamp,
) -> Result<()> {
    txn.open_table(COUNSEL_APPROVALS)?.put((org.0, id, message), (counsellor.0, at.timestamp_micros()))?;
    Ok(())
}

pub(crate) fn remove_approval(txn: &WriteTxn, org: OrgId, id: EnquiryId, message: MessageId) -> Result<bool> {
    Ok(txn.open_table(COUNSEL_APPROVALS)?.remove((org.0, id, message))?.is_some())
}

/// Replies waiting for a supervisor of `org`, oldest case first.
pub(crate) fn approvals(txn: &impl Reader, org: OrgId) -> Result<Vec<PendingReply>> {
    let table = txn.table(COUNSEL_APPROVALS)?;
    let mut out = Vec::new();
    for row in table.range((org.0, 0, 0)..=(org.0, u64::MAX, u64::MAX))? {
        let (key, value) = row?;
        let (_, enquiry, message) = key.value();
        let (counsellor, at) = value.value();
        out.push(PendingReply {
            enquiry,
            message_id: message,
            counsellor: AccountId(counsellor),
            written_at: micros(at),
        });
    }
    Ok(out)
}

/// Deletes every record of a case: the enquiry, its code, data key, messages, queue entries,
/// caseload, approvals, due and closed entries.
pub(crate) fn delete_case(txn: &WriteTxn, record: &EnquiryRecord) -> Result<()> {
    let id = record.id;
    dequeue(txn, record)?;
    set_due(txn, record, false)?;
    set_closed(txn, record, false)?;
    if let Some(counsellor) = record.counsellor {
        remove_from_caseload(txn, counsellor, id)?;
    }
    if let Some(org) = record.org {
        txn.open_table(COUNSEL_APPROVALS)?.retain_in((org.0, id, 0)..=(org.0, id, u64::MAX), |_, _| false)?;
    }
    txn.open_table(COUNSEL_MESSAGES)?.retain_in((id, 0)..=(id, u64::MAX), |_, _| false)?;
    txn.open_table(COUNSEL_KEYS)?.delete(id)?;
    txn.open_table(COUNSEL_CODES)?.delete(record.case_code.as_str())?;
    txn.open_table(COUNSEL_ENQUIRIES)?.delete(id)?;
    Ok(())
}

/// Forgets the wrong-secret counts of codes that are not locked at `now` (run with purges, so
/// that tried codes do not pile up).
pub(crate) fn forget_stale_throttles(txn: &WriteTxn, now: Timestamp) -> Result<()> {
    txn.open_table(COUNSEL_THROTTLE)?.retain(|_, bytes| {
        decode::<crate::accounts::credentials::Throttle>(bytes, String::new)
            .is_ok_and(|t| t.throttled_for(now).is_some())
    })?;
    Ok(())
}

pub(crate) fn offers(txn: &impl Reader) -> Result<Vec<CounselOffer>> {
    every(txn, COUNSEL_OFFERS, "counselling offer of organisation")
}

pub(crate) fn save_offer(txn: &WriteTxn, offer: &CounselOffer) -> Result<()> {
    txn.open_table(COUNSEL_OFFERS)?.put(offer.org.0, encode(offer)?.as_slice())?;
    Ok(())
}

pub(crate) fn profile(txn: &impl Reader, account: AccountId) -> Result<Option<CounsellorProfile>> {
    match txn.table(COUNSEL_STAFF)?.get(account.0)? {
        Some(bytes) => decode(bytes.value(), || format!("counsellor profile {account}")).map(Some),
        None => Ok(None),
    }
}

pub(crate) fn profiles(txn: &impl Reader) -> Result<Vec<CounsellorProfile>> {
    every(txn, COUNSEL_STAFF, "counsellor profile")
}

/// Every record of a small JSON table keyed by id; `what` names one in errors.
fn every<T: serde::de::DeserializeOwned>(
    txn: &impl Reader,
    def: crate::store::Table<u64, &'static [u8]>,
    what: &str,
) -> Result<Vec<T>> {
    let table = txn.table(def)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let (id, bytes) = row?;
        out.push(decode(bytes.value(), || format!("{what} {}", id.value()))?);
    }
    Ok(out)
}

pub(crate) fn save_profile(txn: &WriteTxn, profile: &CounsellorProfile) -> Result<()> {
    txn.open_table(COUNSEL_STAFF)?.put(profile.account.0, encode(profile)?.as_slice())?;
    Ok(())
}

/// Adds one to statistics counter `name` of the month of `at`.
pub(crate) fn count(txn: &WriteTxn, at: Timestamp, name: &str) -> Result<()> {
    let mut table = txn.open_table(COUNSEL_STATS)?;
    let month = month_of(at);
    let now = table.get((month, name))?.map(|v| v.value()).unwrap_or(0);
    table.put((month, name), now + 1)?;
    Ok(())
}

/// Every counter of `month` (YYYYMM).
pub(crate) fn counters(txn: &impl Reader, month: u32) -> Result<Vec<(String, u64)>> {
    let table = txn.table(COUNSEL_STATS)?;
    let mut out = Vec::new();
    for row in table.range((month, "")..(month + 1, ""))? {
        let (key, value) = row?;
        out.push((key.value().1.to_string(), value.value()));
    }
    Ok(out)
}

pub(crate) fn month_of(at: Timestamp) -> u32 {
    at.year() as u32 * 100 + at.month()
}

/// Files an enquiry under its case code.
pub(crate) fn put_code(txn: &WriteTxn, case_code: &str, id: EnquiryId) -> Result<()> {
    txn.open_table(COUNSEL_CODES)?.put(case_code, id)?;
    Ok(())
}

/// The failed attempts recorded against a throttle tag (none yet: a fresh throttle).
pub(crate) fn throttle(txn: &impl Reader, tag: &str) -> Result<Throttle> {
    match txn.table(COUNSEL_THROTTLE)?.get(tag)? {
        Some(bytes) => decode(bytes.value(), || format!("throttle {tag}")),
        None => Ok(Throttle::default()),
    }
}

/// Stores a throttle tag's attempts, or forgets them (`None`: a verified attempt).
pub(crate) fn put_throttle(txn: &WriteTxn, tag: &str, throttle: Option<&Throttle>) -> Result<()> {
    let mut table = txn.open_table(COUNSEL_THROTTLE)?;
    match throttle {
        Some(throttle) => table.insert(tag, encode(throttle)?.as_slice())?,
        None => table.remove(tag)?,
    };
    Ok(())
}
