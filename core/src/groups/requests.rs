//! Contact requests: a person asks to join a group; the request lies in the contact point's
//! shared inbox (seen by all its staff) or, when the group chose so, in the inbox of the
//! group's own contact person. The contact point forwards it to the group contact, connects
//! the person with the group or declines; the person may withdraw. The person is told of each
//! step through their inbox and learns the group contact (and a confidential place) only once
//! connected. Requests are personal data: [`super::due`] purges them after the retention period.

use chrono::Duration;

use super::model::*;
use super::records::{self, RequestRecord};
use super::{ContactRequestPage, Groups};
use crate::accounts::{self, AccountId};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::inbox::{self, Event};
use crate::orgs::OrgId;
use crate::page::PageRequest;
use crate::policy::{self, Action};
use crate::store::figures::month_of;
use crate::store::{Reader, WriteTxn, next_id};
use crate::validate;

impl Groups<'_> {
    /// Asks to join a group with a message and the way to be reached (any account; limited
    /// per day against spam).
    pub fn ask_to_join(&self, actor: &Actor, new: &NewContactRequest) -> Result<ContactRequest> {
        let message = validate::required_text("message", &new.message, 2000)?;
        let reach = validate::required_line("reach", &new.reach, 200)?;
        self.ctx.write(actor, |txn, subject, now| {
            let me = own_account(subject, "ask to join a group")?;
            policy::check(subject, Action::AskToJoin, now)?;
            let group = records::load_group(txn, new.group)?;
            if !group.status.takes_requests() {
                return Err(Error::invalid(
                    "group",
                    format!("the group is {:?} and takes no requests; the contact point knows others", group.status)
                        .to_lowercase(),
                ));
            }
            for (id, g) in records::requests_of(txn, me)? {
                if g == group.id && records::load_request(txn, id)?.request.state.is_open() {
                    return Err(Error::conflict(format!("request {id} to this group is still open")));
                }
            }
            let id = ContactRequestId(next_id(txn, "group_requests")?);
            rate_limit(txn, me, now, id)?;
            let (org, contact) = match group.requests_to {
                RequestRoute::ContactPoint => (group.contact_point, None),
                RequestRoute::GroupContact => (None, group.contact),
            };
            let request = ContactRequest {
                id,
                group: group.id,
                group_name: group.name.clone(),
                requester: me,
                message: message.clone(),
                reach: reach.clone(),
                state: RequestState::New,
                routed_to: group.requests_to,
                answer: None,
                group_contact: None,
                created_at: now,
                updated_at: now,
            };
            let rec = RequestRecord { request, org, contact };
            records::save_request(txn, &rec)?;
            records::count_request(txn, month_of(now), group.contact_point)?;
            if let Some(contact) = contact {
                inbox::deliver(txn, contact, event(&rec.request), now)?;
            }
            audit::append(txn, now, actor, "group.request", &target(rec.request.id), None)?;
            Ok(rec.request)
        })
    }

    /// A contact point's shared inbox of requests, newest first (its staff); `state` filters.
    pub fn requests(
        &self,
        actor: &Actor,
        org: OrgId,
        state: Option<RequestState>,
        page: &PageRequest,
    ) -> Result<ContactRequestPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ContactPointWork { org }, now)?;
            let before = page.cursor_id()?.unwrap_or(u64::MAX);
            page_of(txn, records::org_requests(txn, org, before)?, state, page.limit()?)
        })
    }

    /// The requests passed to the acting account as a group's contact person, newest first.
    pub fn contact_requests(&self, actor: &Actor, page: &PageRequest) -> Result<ContactRequestPage> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = own_account(subject, "read a group contact's requests")?;
            policy::check(subject, Action::AnswerRequest { org: None, contact: Some(me) }, now)?;
            let before = page.cursor_id()?.unwrap_or(u64::MAX);
            page_of(txn, records::contact_requests(txn, me, before)?, None, page.limit()?)
        })
    }

    /// The acting account's own requests, newest first.
    pub fn my_requests(&self, actor: &Actor, page: &PageRequest) -> Result<ContactRequestPage> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = own_account(subject, "see one's contact requests")?;
            policy::check(subject, Action::OwnRequest { requester: me }, now)?;
            let before = page.cursor_id()?.unwrap_or(u64::MAX);
            let ids = records::requests_of(txn, me)?.into_iter().map(|(id, _)| id).filter(|id| id.0 < before).collect();
            page_of(txn, ids, None, page.limit()?)
        })
    }

    /// Passes a request from the contact point's inbox to the group's contact person.
    pub fn forward_request(&self, actor: &Actor, id: ContactRequestId) -> Result<ContactRequest> {
        self.answer(actor, id, "group.request.forward", |txn, rec, _| {
            if rec.request.state != RequestState::New {
                return Err(Error::invalid("state", format!("the request is {}, not new", rec.request.state.as_str())));
            }
            let group = records::load_group(txn, rec.request.group)?;
            let contact = group
                .contact
                .ok_or_else(|| Error::invalid("request", "the group has no contact person to forward to"))?;
            rec.contact = Some(contact);
            rec.request.state = RequestState::Forwarded;
            Ok(Some(contact))
        })
    }

    /// Puts the person in touch with the group: they learn the group contact's pseudonym and
    /// a confidential meeting place.
    pub fn connect_request(&self, actor: &Actor, id: ContactRequestId, answer: Option<&str>) -> Result<ContactRequest> {
        let answer = validate::optional_line("answer", answer, 1000)?;
        self.answer(actor, id, "group.request.connect", |txn, rec, _| {
            open(rec)?;
            let group = records::load_group(txn, rec.request.group)?;
            rec.request.group_contact =
                group.contact.map(|a| accounts::load(txn, a).map(|acc| acc.pseudonym)).transpose()?;
            rec.request.state = RequestState::Connected;
            rec.request.answer = answer.clone();
            Ok(None)
        })
    }

    /// Declines a request, with an answer for the person.
    pub fn decline_request(&self, actor: &Actor, id: ContactRequestId, answer: Option<&str>) -> Result<ContactRequest> {
        let answer = validate::optional_line("answer", answer, 1000)?;
        self.answer(actor, id, "group.request.decline", |_, rec, _| {
            open(rec)?;
            rec.request.state = RequestState::Declined;
            rec.request.answer = answer.clone();
            Ok(None)
        })
    }

    /// Withdraws one's own open request.
    pub fn withdraw_request(&self, actor: &Actor, id: ContactRequestId) -> Result<ContactRequest> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut rec = records::load_request(txn, id)?;
            policy::check(subject, Action::OwnRequest { requester: rec.request.requester }, now)?;
            open(&rec)?;
            rec.request.state = RequestState::Withdrawn;
            rec.request.updated_at = now;
            records::save_request(txn, &rec)?;
            audit::append(txn, now, actor, "group.request.withdraw", &target(id), None)?;
            Ok(rec.request)
        })
    }

    /// One step of the contact point or group contact on a request; `step` returns the
    /// account to tell besides the requester (the contact a request was forwarded to).
    fn answer(
        &self,
        actor: &Actor,
        id: ContactRequestId,
        action: &str,
        step: impl Fn(&WriteTxn, &mut RequestRecord, Timestamp) -> Result<Option<AccountId>>,
    ) -> Result<ContactRequest> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut rec = records::load_request(txn, id)?;
            let group = records::load_group(txn, rec.request.group)?;
            let org = rec.org.or(group.contact_point);
            let forward = action.ends_with("forward");
            policy::check(
                subject,
                Action::AnswerRequest { org, contact: if forward { None } else { rec.contact } },
                now,
            )?;
            let also = step(txn, &mut rec, now)?;
            rec.request.updated_at = now;
            records::save_request(txn, &rec)?;
            let mut tell = vec![(rec.request.requester, event(&rec.request))];
            if let Some(contact) = also {
                tell.push((contact, event(&rec.request)));
            }
            inbox::deliver_all(txn, tell, now)?;
            audit::append(txn, now, actor, action, &target(id), None)?;
            Ok(rec.request)
        })
    }
}

fn open(rec: &RequestRecord) -> Result<()> {
    if !rec.request.state.is_open() {
        return Err(Error::invalid("state", format!("the request is already {}", rec.request.state.as_str())));
    }
    Ok(())
}

fn page_of(
    txn: &impl Reader,
    ids: Vec<ContactRequestId>,
    state: Option<RequestState>,
    limit: usize,
) -> Result<ContactRequestPage> {
    let mut items: Vec<ContactRequest> = Vec::new();
    let mut next = None;
    for id in ids {
        let request = records::load_request(txn, id)?.request;
        if state.is_some_and(|s| s != request.state) {
            continue;
        }
        if items.len() == limit {
            next = items.last().map(|r| r.id.0);
            break;
        }
        items.push(request);
    }
    Ok(ContactRequestPage::new(items, next))
}

/// Refuses a request beyond the day's limit with `RateLimited` and records this one.
fn rate_limit(txn: &WriteTxn, account: AccountId, now: Timestamp, id: ContactRequestId) -> Result<()> {
    let limit = records::settings(txn)?.requests_per_day as usize;
    let window = Duration::days(1);
    let recent = records::request_times(txn, account, now - window)?;
    if recent.len() >= limit {
        let oldest = recent.get(recent.len() - limit.max(1)).copied().unwrap_or(now.timestamp_micros());
        let free = oldest + window.num_microseconds().unwrap_or(0);
        let secs = ((free - now.timestamp_micros()).max(0) as u64).div_ceil(1_000_000).max(1);
        return Err(Error::RateLimited { retry_after_secs: secs });
    }
    records::record_request_time(txn, account, now, id)
}

fn event(r: &ContactRequest) -> Event {
    Event::GroupRequest {
        request: r.id.0,
        group: r.group.0,
        group_name: r.group_name.clone(),
        state: r.state.as_str().to_string(),
    }
}

fn own_account(subject: &Subject, what: &str) -> Result<AccountId> {
    subject.account().map(|a| a.id).ok_or_else(|| Error::denied(what, "only accounts can do this; sign in"))
}

fn target(id: ContactRequestId) -> String {
    format!("group_request:{id}")
}
