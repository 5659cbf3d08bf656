//! The counsellors' side: team queues, claiming and assignment, reading and answering a case,
//! notes, supervision of counsellors in training, handover and absence.

use crate::store::WriteTxn;

use super::client::close as close_record;
use super::model::*;
use super::records::{self, EnquiryRecord, StoredMessage};
use super::{Counselling, DEFAULT_CAPACITY, access, case_access, closed_conflict, target, text};
use crate::accounts::{self, Account, AccountId, Role};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::page::{PageRequest, cursor_for_keys};
use crate::policy::{self, Action};
use crate::store::{Reader, next_id};

impl Counselling<'_> {
    /// A page of `org`'s team queue: urgent first, then oldest first (the organisation's
    /// counsellors and supervisors, admins).
    pub fn queue(&self, actor: &Actor, org: OrgId, page: &PageRequest) -> Result<EnquiryQueuePage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewCounselQueue { org }, now)?;
            let limit = page.limit()?;
            let after = page.cursor_keys(3)?.map(|k| (k[0].min(255) as u8, k[1], k[2]));
            let (items, last) = records::queue_page(txn, org, after, limit)?;
            let next_cursor = last.map(|(rank, created, id)| cursor_for_keys(&[u64::from(rank), created, id]));
            Ok(EnquiryQueuePage { items, next_cursor })
        })
    }

    /// Claims an enquiry from a queue the counsellor's organisation has it in. Atomic: of two
    /// concurrent claims exactly one wins; the other, and any claim of a closed or taken
    /// enquiry, gets `Conflict`.
    pub fn claim(&self, actor: &Actor, id: EnquiryId) -> Result<Enquiry> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load(txn, id)?;
            let me = subject.account();
            let org = record
                .queues
                .iter()
                .copied()
                .find(|org| me.is_some_and(|me| me.has_role(&Role::Counsellor { org: *org })))
                .or(record.queues.first().copied())
                .unwrap_or_default();
            policy::check(subject, Action::ClaimEnquiry { org }, now)?;
            let me = me.ok_or_else(|| Error::denied("claim this enquiry", "act as a counsellor"))?;
            take(txn, &mut record, me.id, org, now)?;
            audit::append(txn, now, &Actor::account(me.id), "counsel.claim", &target(id), None)?;
            Ok(record.view())
        })
    }

    /// Assigns an enquiry to `counsellor`, who must counsel for an organisation whose queue it
    /// is in (that organisation's supervisors, admins).
    pub fn assign(&self, actor: &Actor, id: EnquiryId, counsellor: AccountId) -> Result<Enquiry> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load(txn, id)?;
            let chosen = accounts::load(txn, counsellor)
                .map_err(|_| Error::invalid("counsellor", format!("account {counsellor} does not exist")))?;
            let org = record.queues.iter().copied().find(|org| chosen.has_role(&Role::Counsellor { org: *org }));
            let Some(org) = org else {
                return Err(Error::invalid(
                    "counsellor",
                    format!("{} does not counsel for an organisation whose queue has enquiry {id}", chosen.pseudonym),
                ));
            };
            policy::check(subject, Action::ManageCounselling { org }, now)?;
            take(txn, &mut record, counsellor, org, now)?;
            audit::append(txn, now, actor, "counsel.assign", &target(id), Some(&format!("to account {counsellor}")))?;
            Ok(record.view())
        })
    }

    /// Assigns an enquiry to the eligible counsellor with the lowest open caseload under their
    /// capacity, skipping absent counsellors and preferring those who match the client's
    /// preferences. Counsellors take part once they have a profile (`set_profile`).
    pub fn auto_assign(&self, actor: &Actor, id: EnquiryId) -> Result<Enquiry> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load(txn, id)?;
            let managed: Vec<OrgId> = record
                .queues
                .iter()
                .copied()
                .filter(|org| policy::allows(subject, Action::ManageCounselling { org: *org }, now))
                .collect();
            if managed.is_empty() {
                let org = record.queues.first().copied().unwrap_or_default();
                policy::check(subject, Action::ManageCounselling { org }, now)?;
            }
            let (counsellor, org) = pick_counsellor(txn, &record, &managed, now)?
                .ok_or_else(|| Error::conflict(format!("no counsellor is free to take enquiry {id}")))?;
            take(txn, &mut record, counsellor, org, now)?;
            audit::append(
                txn,
                now,
                actor,
                "counsel.assign",
                &target(id),
                Some(&format!("auto: account {counsellor}")),
            )?;
            Ok(record.view())
        })
    }

    /// A case's metadata (its organisations' counsellors and supervisors, admins): no content.
    pub fn enquiry(&self, actor: &Actor, id: EnquiryId) -> Result<Enquiry> {
        self.ctx.read(actor, |txn, subject, now| {
            let record = records::load(txn, id)?;
            check_metadata(subject, &record, now)?;
            Ok(record.view())
        })
    }

    /// A case with its conversation and notes (the assigned counsellor, their substitute, a
    /// supervisor of its organisation). Audited; marks the client's messages read.
    pub fn case(&self, actor: &Actor, id: EnquiryId) -> Result<CaseView> {
        let key = self.content_key()?;
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load(txn, id)?;
            policy::check(subject, Action::ReadCase { case: &access(txn, &record, now)? }, now)?;
            let data_key = records::data_key(txn, key, id)?;
            let messages = records::read_messages(txn, &data_key, id)?;
            let unread =
                messages.iter().filter(|m| m.sender == Sender::Client && m.id > record.staff_read).count() as u32;
            if let Some(last) = messages.last() {
                record.staff_read = record.staff_read.max(last.id);
                records::save(txn, &record)?;
            }
            audit::append(txn, now, actor, "counsel.read", &target(id), None)?;
            Ok(CaseView { enquiry: record.view(), messages, unread })
        })
    }

    /// Answers the client. A counsellor in training's reply waits for a supervisor; the first
    /// delivered reply is the case's first response.
    pub fn reply(&self, actor: &Actor, id: EnquiryId, message: &str) -> Result<Message> {
        self.write_message(actor, id, message, false)
    }

    /// An internal note: the client never sees it.
    pub fn note(&self, actor: &Actor, id: EnquiryId, message: &str) -> Result<Message> {
        self.write_message(actor, id, message, true)
    }

    /// Replies waiting for a supervisor of `org`.
    pub fn pending_replies(&self, actor: &Actor, org: OrgId) -> Result<Vec<PendingReply>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ApproveReplies { org }, now)?;
            records::approvals(txn, org)
        })
    }

    /// Approves a reply of a counsellor in training: it is delivered now (the wait counted
    /// against the SLA).
    pub fn approve(&self, actor: &Actor, id: EnquiryId, message: MessageId) -> Result<Message> {
        let key = self.content_key()?;
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load(txn, id)?;
            let org = record.org.unwrap_or_default();
            policy::check(subject, Action::ApproveReplies { org }, now)?;
            if !records::remove_approval(txn, org, id, message)? {
                return Err(Error::not_found("reply awaiting approval", message));
            }
            let data_key = records::data_key(txn, key, id)?;
            let mut stored = records::read_message(txn, &data_key, id, message)?;
            stored.awaiting = false;
            records::write_message(txn, &data_key, id, message, &stored)?;
            deliver(txn, &mut record, now)?;
            records::save(txn, &record)?;
            audit::append(txn, now, actor, "counsel.approve", &target(id), Some(&format!("message {message}")))?;
            Ok(stored.view(message))
        })
    }

    /// Proposes handing the case to another counsellor of its organisation; the client
    /// consents or declines (`client_answer_handover`).
    pub fn propose_handover(&self, actor: &Actor, id: EnquiryId, to: AccountId) -> Result<Enquiry> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load(txn, id)?;
            policy::check(subject, Action::AnswerCase { case: &access(txn, &record, now)? }, now)?;
            if record.is_closed() {
                return Err(closed_conflict(id));
            }
            let org = record.org.unwrap_or_default();
            let other = accounts::load(txn, to)
                .map_err(|_| Error::invalid("counsellor", format!("account {to} does not exist")))?;
            if !other.has_role(&Role::Counsellor { org }) || record.counsellor == Some(to) {
                return Err(Error::invalid(
                    "counsellor",
                    format!("{} is not another counsellor of organisation {org}", other.pseudonym),
                ));
            }
            record.handover_to = Some(to);
            records::save(txn, &record)?;
            audit::append(txn, now, actor, "counsel.handover.propose", &target(id), Some(&format!("to account {to}")))?;
            Ok(record.view())
        })
    }

    /// Closes the case (its counsellor or their substitute).
    pub fn close(&self, actor: &Actor, id: EnquiryId, reason: CloseReason) -> Result<Enquiry> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load(txn, id)?;
            policy::check(subject, Action::AnswerCase { case: &access(txn, &record, now)? }, now)?;
            if record.is_closed() {
                return Err(closed_conflict(id));
            }
            close_record(txn, &mut record, reason, now)?;
            audit::append(txn, now, actor, "counsel.close", &target(id), None)?;
            Ok(record.view())
        })
    }

    /// Sets (or with `None` ends) `account`'s absence: meanwhile the substitute, a counsellor
    /// of the same organisation, sees and answers their open cases.
    pub fn set_absence(
        &self,
        actor: &Actor,
        account: AccountId,
        absence: Option<Absence>,
    ) -> Result<CounsellorProfile> {
        self.ctx.write(actor, |txn, subject, now| {
            let counsellor = accounts::load(txn, account)?;
            let orgs = counsellor_orgs(&counsellor);
            policy::check(subject, Action::SetAbsence { account, orgs: &orgs }, now)?;
            if let Some(absence) = &absence {
                if absence.until <= absence.from {
                    return Err(Error::invalid("until", "must be after the start of the absence"));
                }
                let substitute = accounts::load(txn, absence.substitute)
                    .map_err(|_| Error::invalid("substitute", "no such account"))?;
                if substitute.id == account || !counsellor_orgs(&substitute).iter().any(|o| orgs.contains(o)) {
                    return Err(Error::invalid(
                        "substitute",
                        format!("{} is not another counsellor of the same organisation", substitute.pseudonym),
                    ));
                }
            }
            let mut profile = records::profile(txn, account)?.unwrap_or_else(|| default_profile(account));
            profile.absence = absence.clone();
            records::save_profile(txn, &profile)?;
            audit::append(txn, now, actor, "counsel.absence", &format!("account:{account}"), None)?;
            Ok(profile)
        })
    }

    /// The open cases the asking counsellor handles: their own, and those of counsellors they
    /// currently substitute for. Metadata only.
    pub fn my_cases(&self, actor: &Actor) -> Result<Vec<Enquiry>> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = subject.account().ok_or_else(|| Error::denied("list your cases", "act as a counsellor"))?;
            let mut ids = records::caseload(txn, me.id)?;
            for profile in records::profiles(txn)? {
                if profile.absence.as_ref().is_some_and(|a| a.substitute == me.id && a.covers(now)) {
                    ids.extend(records::caseload(txn, profile.account)?);
                }
            }
            ids.into_iter().map(|id| records::load(txn, id).map(|r| r.view())).collect()
        })
    }

    fn write_message(&self, actor: &Actor, id: EnquiryId, message: &str, note: bool) -> Result<Message> {
        let key = self.content_key()?;
        let body = text(message)?;
        self.ctx.write(actor, |txn, subject, now| {
            let mut record = records::load(txn, id)?;
            let assigned = match record.counsellor {
                Some(counsellor) => records::profile(txn, counsellor)?,
                None => None,
            };
            policy::check(subject, Action::AnswerCase { case: &case_access(&record, assigned.as_ref(), now) }, now)?;
            let me = subject.account().ok_or_else(|| Error::denied("answer this case", "act as a counsellor"))?;
            if record.is_closed() {
                return Err(closed_conflict(id));
            }
            let my_profile = if record.counsellor == Some(me.id) { assigned } else { records::profile(txn, me.id)? };
            let in_training = !note && my_profile.is_some_and(|p| p.in_training);
            let data_key = records::data_key(txn, key, id)?;
            let message_id = next_id(txn, "counsel_messages")?;
            let stored = StoredMessage {
                sender: Sender::Counsellor,
                counsellor: Some(me.id),
                note,
                awaiting: in_training,
                at: now,
                text: body.clone(),
            };
            records::write_message(txn, &data_key, id, message_id, &stored)?;
            record.messages += 1;
            record.staff_read = message_id;
            record.last_activity_at = now;
            if in_training {
                records::add_approval(txn, record.org.unwrap_or_default(), id, message_id, me.id, now)?;
            } else if !note {
                deliver(txn, &mut record, now)?;
            }
            records::save(txn, &record)?;
            Ok(stored.view(message_id))
        })
    }
}

/// Gives the case to `counsellor` of `org`: out of every queue, into their caseload.
fn take(txn: &WriteTxn, record: &mut EnquiryRecord, counsellor: AccountId, org: OrgId, now: Timestamp) -> Result<()> {
    if record.is_closed() {
        return Err(closed_conflict(record.id));
    }
    if record.counsellor.is_some() || record.state != EnquiryState::New {
        return Err(Error::conflict(format!("enquiry {} is already taken", record.id)));
    }
    records::dequeue(txn, record)?;
    record.counsellor = Some(counsellor);
    record.org = Some(org);
    record.state = EnquiryState::InProgress;
    record.last_activity_at = now;
    records::add_to_caseload(txn, counsellor, record.id)?;
    records::save(txn, record)?;
    records::count(txn, record.created_at, &format!("org:{org}"))
}

/// A reply reached the client: the first one is the first response. The caller saves the
/// record.
fn deliver(txn: &WriteTxn, record: &mut EnquiryRecord, now: Timestamp) -> Result<()> {
    if record.first_response_at.is_none() {
        record.first_response_at = Some(now);
        records::set_due(txn, record, false)?;
        let hours = ((now - record.created_at).num_minutes().max(0) / 60).min(9_999);
        records::count(txn, record.created_at, "responses")?;
        records::count(txn, record.created_at, &format!("response_hours:{hours:04}"))?;
        if now > record.due_at && !record.breached {
            record.breached = true;
            records::count(txn, record.created_at, "breaches")?;
        }
    }
    record.state = EnquiryState::AwaitingClient;
    record.last_activity_at = now;
    Ok(())
}

/// The free counsellor with the lowest caseload among the organisations `orgs`.
fn pick_counsellor(
    txn: &impl Reader,
    record: &EnquiryRecord,
    orgs: &[OrgId],
    now: Timestamp,
) -> Result<Option<(AccountId, OrgId)>> {
    let mut best: Option<((u8, usize, AccountId), OrgId)> = None;
    for profile in records::profiles(txn)? {
        if profile.absence.as_ref().is_some_and(|a| a.covers(now)) {
            continue;
        }
        let account = accounts::load(txn, profile.account)?;
        if account.status.blocks_everything(now).is_some() {
            continue;
        }
        let Some(org) = orgs.iter().copied().find(|org| account.has_role(&Role::Counsellor { org: *org })) else {
            continue;
        };
        let load = records::caseload(txn, profile.account)?.len();
        if load >= profile.capacity as usize {
            continue;
        }
        let mismatch = u8::from(record.prefer_lived_experience && !profile.lived_experience)
            + u8::from(record.prefer_gender.is_some() && record.prefer_gender != profile.gender);
        let rank = (mismatch, load, profile.account);
        if best.as_ref().is_none_or(|(b, _)| rank < *b) {
            best = Some((rank, org));
        }
    }
    Ok(best.map(|((_, _, account), org)| (account, org)))
}

/// Metadata of a case: admins, and counsellors and supervisors of an organisation it is in.
pub(super) fn check_metadata(subject: &Subject, record: &EnquiryRecord, now: Timestamp) -> Result<()> {
    if policy::allows(subject, Action::AdministerCounselling, now) {
        return Ok(());
    }
    let orgs = record.org.into_iter().chain(record.queues.iter().copied());
    let mut first = None;
    for org in orgs {
        if policy::allows(subject, Action::ViewCounselQueue { org }, now) {
            return Ok(());
        }
        first.get_or_insert(org);
    }
    policy::check(subject, Action::ViewCounselQueue { org: first.unwrap_or_default() }, now)
}

pub(super) fn counsellor_orgs(account: &Account) -> Vec<OrgId> {
    account
        .roles
        .iter()
        .filter_map(|r| match r {
            Role::Counsellor { org } => Some(*org),
            _ => None,
        })
        .collect()
}

pub(super) fn default_profile(account: AccountId) -> CounsellorProfile {
    CounsellorProfile {
        account,
        capacity: DEFAULT_CAPACITY,
        in_training: false,
        lived_experience: false,
        gender: None,
        absence: None,
    }
}
