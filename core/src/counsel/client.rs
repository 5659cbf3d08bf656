//! The client's side: opening an enquiry, then reading, writing, closing, reopening and
//! answering a handover with case code and secret.
//!
//! A wrong secret and an unknown case code take the same path — a full argon2id verification
//! (against a dummy for an unknown code) and a failure counted against the typed code — so
//! that the answer never tells whether a case exists. After 5 failures the code is locked for
//! 30 s, doubling up to 15 min.

use crate::store::WriteTxn;
use chrono::Duration;

use super::code::{new_case_code, new_secret, normalise_code, normalise_secret};
use super::model::*;
use super::records::{self, EnquiryRecord, StoredMessage};
use super::{Counselling, DEFAULT_TOPICS, LANGUAGES, REOPEN_DAYS, closed_conflict, sla, target, text, triage};
use crate::accounts::credentials::{self, Credential, Throttle};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::geo;
use crate::orgs::OrgId;
use crate::policy::{self, Action};
use crate::settings;
use crate::store::{Reader, next_id};

/// The setting the counselling topics are stored under.
pub(super) const TOPICS_SETTING: &str = "counsel_topics";

impl Counselling<'_> {
    /// Opens an enquiry (anyone, no account needed). Returns the case code and the secret,
    /// shown this once, and crisis lines when triage found a crisis.
    pub fn enquire(&self, actor: &Actor, new: &NewEnquiry) -> Result<Opened> {
        let key = self.content_key()?;
        let body = text(&new.text)?;
        let secret = new_secret()?;
        let credential = Credential::new(&normalise_secret(&secret)?, self.ctx.now())?;
        self.ctx.write(actor, |txn, subject, now| {
            let case_code = unused_code(txn)?;
            policy::check(subject, Action::OpenEnquiry, now)?;
            records::check_content_key(txn, key)?;
            let offers = records::offers(txn)?;
            let (_, priority, resources) =
                self.open_in(txn, subject, now, &offers, new, &body, &credential, &case_code)?;
            Ok(Opened { case_code: case_code.clone(), secret: secret.clone(), priority, resources })
        })
    }

    /// Seeds many enquiries in one transaction, all with the same secret (one argon2id hash for
    /// all), optionally closed at once: for benchmarks only (feature `bench-support`).
    #[cfg(feature = "bench-support")]
    #[doc(hidden)]
    pub fn seed_enquiries(&self, new: &[NewEnquiry], secret: &str, closed: bool) -> Result<Vec<EnquiryId>> {
        let key = self.content_key()?;
        let credential = Credential::new(&normalise_secret(secret)?, self.ctx.now())?;
        self.ctx.write(&Actor::Anonymous, |txn, subject, now| {
            records::check_content_key(txn, key)?;
            let offers = records::offers(txn)?;
            let mut ids = Vec::with_capacity(new.len());
            for one in new {
                let code = unused_code(txn)?;
                let (id, _, _) =
                    self.open_in(txn, subject, now, &offers, one, &text(&one.text)?, &credential, &code)?;
                if closed {
                    close(txn, &mut records::load(txn, id)?, CloseReason::Withdrawn, now)?;
                }
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// Opens one enquiry inside `txn`: validates, routes, triages, seals the first message.
    #[allow(clippy::too_many_arguments)]
    fn open_in(
        &self,
        txn: &WriteTxn,
        subject: &Subject,
        now: Timestamp,
        offers: &[CounselOffer],
        new: &NewEnquiry,
        body: &str,
        credential: &Credential,
        case_code: &str,
    ) -> Result<(EnquiryId, Priority, Vec<crate::forums::Signpost>)> {
        let key = self.content_key()?;
        let topic = topic(txn, &new.topic)?;
        let language = language(&new.language, offers)?;
        let region = region(txn, &language, new.postcode.as_deref())?;
        let queues = route(offers, &topic, &language, region.as_deref());
        let assessment = triage::assess(self.ctx, txn, body, &language, region.as_deref())?;
        let due_at = queues
            .iter()
            .filter_map(|org| offers.iter().find(|o| o.org == *org))
            .map(|o| sla::due_at(now, o.first_response_hours, o.business_days))
            .min()
            .unwrap_or(now + Duration::hours(48));
        let id = next_id(txn, "counsel_enquiries")?;
        let priority = if assessment.urgent { Priority::Urgent } else { Priority::Normal };
        let mut record = EnquiryRecord {
            id,
            case_code: case_code.to_string(),
            credential: credential.clone(),
            opened_by: match subject {
                Subject::Member(me) => Some(me.id),
                _ => None,
            },
            topic,
            language,
            region,
            prefer_lived_experience: new.prefer_lived_experience,
            prefer_gender: new.prefer_gender,
            priority,
            crisis_level: None,
            crisis_reasons: Vec::new(),
            state: EnquiryState::New,
            close_reason: None,
            queues: queues.clone(),
            org: None,
            counsellor: None,
            handover_to: None,
            created_at: now,
            due_at,
            first_response_at: None,
            breached: false,
            overflowed: false,
            closed_at: None,
            messages: 1,
            last_activity_at: now,
            client_read: 0,
            staff_read: 0,
            resources: assessment.resources.clone(),
        };
        record.add_crisis(assessment.level, &assessment.reasons);
        let (data_key, wrapped) = key.new_data_key(id)?;
        records::store_data_key(txn, id, &wrapped)?;
        let message = next_id(txn, "counsel_messages")?;
        records::write_message(txn, &data_key, id, message, &StoredMessage::client(body, now))?;
        records::put_code(txn, case_code, id)?;
        for org in &queues {
            records::enqueue(txn, &record, *org, false)?;
        }
        records::set_due(txn, &record, true)?;
        records::save(txn, &record)?;
        records::count(txn, now, "enquiries")?;
        records::count(txn, now, &format!("topic:{}", record.topic))?;
        records::count(txn, now, &format!("language:{}", record.language))?;
        Ok((id, priority, assessment.resources))
    }

    /// The case as its client sees it; marks the counsellor's messages read.
    pub fn client_case(&self, case_code: &str, secret: &str) -> Result<ClientCase> {
        let key = self.content_key()?;
        self.as_client(case_code, secret, |txn, mut record, _| {
            let data_key = records::data_key(txn, key, record.id)?;
            let mut unread = 0;
            let mut messages = Vec::new();
            for mut m in records::read_messages(txn, &data_key, record.id)? {
                if m.note || m.awaiting_approval {
                    continue;
                }
                if m.sender == Sender::Counsellor && m.id > record.client_read {
                    unread += 1;
                }
                m.counsellor = None;
                messages.push(m);
            }
            if let Some(last) = messages.last() {
                record.client_read = record.client_read.max(last.id);
                records::save(txn, &record)?;
            }
            Ok(ClientCase {
                case_code: record.case_code.clone(),
                topic: record.topic.clone(),
                language: record.language.clone(),
                state: record.state,
                priority: record.priority,
                close_reason: record.close_reason,
                closed_at: record.closed_at,
                reopen_until: record.closed_at.map(|at| at + Duration::days(REOPEN_DAYS)),
                messages,
                unread,
                handover_proposed: record.handover_to.is_some(),
                resources: record.resources.clone(),
            })
        })
    }

    /// Writes to the counsellor. Triage reads it: a crisis makes the case urgent and returns
    /// crisis lines. A closed case must be reopened first.
    pub fn client_reply(&self, case_code: &str, secret: &str, message: &str) -> Result<ClientSent> {
        let key = self.content_key()?;
        let body = text(message)?;
        self.as_client(case_code, secret, |txn, mut record, now| {
            if record.is_closed() {
                return Err(closed_conflict(record.id));
            }
            let assessment = triage::assess(self.ctx, txn, &body, &record.language, record.region.as_deref())?;
            if assessment.urgent {
                make_urgent(txn, &mut record, &assessment)?;
            }
            let data_key = records::data_key(txn, key, record.id)?;
            let id = next_id(txn, "counsel_messages")?;
            records::write_message(txn, &data_key, record.id, id, &StoredMessage::client(&body, now))?;
            if record.state == EnquiryState::AwaitingClient {
                record.state = EnquiryState::InProgress;
            }
            record.messages += 1;
            record.client_read = id;
            record.last_activity_at = now;
            records::save(txn, &record)?;
            Ok(ClientSent { message_id: id, priority: record.priority, resources: assessment.resources })
        })
    }

    /// The client closes the case (reason: withdrawn).
    pub fn client_close(&self, case_code: &str, secret: &str) -> Result<Enquiry> {
        self.as_client(case_code, secret, |txn, mut record, now| {
            if record.is_closed() {
                return Err(closed_conflict(record.id));
            }
            close(txn, &mut record, CloseReason::Withdrawn, now)?;
            Ok(record.view())
        })
    }

    /// Reopens a closed case within 14 days of closing: back to its counsellor, or to the queues.
    pub fn client_reopen(&self, case_code: &str, secret: &str) -> Result<Enquiry> {
        self.as_client(case_code, secret, |txn, mut record, now| {
            let Some(closed_at) = record.closed_at.filter(|_| record.is_closed()) else {
                return Err(Error::conflict(format!("enquiry {} is not closed", record.id)));
            };
            if now > closed_at + Duration::days(REOPEN_DAYS) {
                return Err(Error::conflict(format!(
                    "enquiry {} was closed more than {REOPEN_DAYS} days ago; open a new enquiry",
                    record.id
                )));
            }
            records::set_closed(txn, &record, false)?;
            record.closed_at = None;
            record.close_reason = None;
            record.last_activity_at = now;
            match record.counsellor {
                Some(counsellor) => {
                    record.state = EnquiryState::InProgress;
                    records::add_to_caseload(txn, counsellor, record.id)?;
                }
                None => {
                    record.state = EnquiryState::New;
                    for org in record.queues.clone() {
                        records::enqueue(txn, &record, org, record.overflowed)?;
                    }
                }
            }
            if record.first_response_at.is_none() {
                records::set_due(txn, &record, true)?;
            }
            records::save(txn, &record)?;
            Ok(record.view())
        })
    }

    /// The client's answer to a proposed handover: with consent the case and its history move
    /// to the proposed counsellor and the old one loses access; without, nothing changes.
    pub fn client_answer_handover(&self, case_code: &str, secret: &str, consent: bool) -> Result<Enquiry> {
        self.as_client(case_code, secret, |txn, mut record, now| {
            let Some(to) = record.handover_to.take() else {
                return Err(Error::conflict(format!("no handover of enquiry {} is waiting for an answer", record.id)));
            };
            if consent {
                if let Some(old) = record.counsellor {
                    records::remove_from_caseload(txn, old, record.id)?;
                }
                record.counsellor = Some(to);
                if !record.is_closed() {
                    records::add_to_caseload(txn, to, record.id)?;
                }
            }
            record.last_activity_at = now;
            records::save(txn, &record)?;
            let action = if consent { "counsel.handover.accept" } else { "counsel.handover.decline" };
            audit::append(txn, now, &Actor::Anonymous, action, &target(record.id), Some(&format!("to account {to}")))?;
            Ok(record.view())
        })
    }

    /// The counselling topics (anyone).
    pub fn topics(&self, actor: &Actor) -> Result<Vec<String>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::OpenEnquiry, now)?;
            topics(txn)
        })
    }

    /// Proves the client, then runs `work` on its case in one write transaction.
    fn as_client<T>(
        &self,
        case_code: &str,
        secret: &str,
        work: impl Fn(&WriteTxn, EnquiryRecord, Timestamp) -> Result<T>,
    ) -> Result<T> {
        let id = self.authenticate(case_code, secret)?;
        let now = self.ctx.now();
        self.ctx.store().write(|txn| {
            let record = records::load(txn, id).map_err(|e| match e {
                Error::NotFound { .. } => wrong_case(),
                other => other,
            })?;
            work(txn, record, now)
        })
    }

    /// The enquiry behind code and secret; every failure counts against the code.
    fn authenticate(&self, case_code: &str, secret: &str) -> Result<u64> {
        let code = normalise_code(case_code)?;
        let secret = normalise_secret(secret)?;
        let tag = self.content_key()?.code_tag(&code);
        let now = self.ctx.now();
        let (known, throttle) = {
            let txn = self.ctx.store().read()?;
            let known = match records::id_of_code(&txn, &code)? {
                Some(id) => Some((id, records::load(&txn, id)?.credential)),
                None => None,
            };
            (known, throttle_of(&txn, &tag)?)
        };
        if let Some(retry_after_secs) = throttle.throttled_for(now) {
            return Err(Error::RateLimited { retry_after_secs });
        }
        let verified = match &known {
            Some((id, credential)) => credential.verify(&secret)?.then_some(*id),
            None => {
                credentials::waste_equal_time(&secret);
                None
            }
        };
        self.ctx.store().write(|txn| {
            let mut throttle = throttle_of(txn, &tag)?;
            if verified.is_some() {
                records::put_throttle(txn, &tag, None)
            } else {
                throttle.record_failure(now);
                records::put_throttle(txn, &tag, Some(&throttle))
            }
        })?;
        verified.ok_or_else(wrong_case)
    }
}

/// Closes `record` for `reason`: out of queues, caseload and the due list, into the closed list.
pub(super) fn close(txn: &WriteTxn, record: &mut EnquiryRecord, reason: CloseReason, now: Timestamp) -> Result<()> {
    if record.state == EnquiryState::New {
        records::dequeue(txn, record)?;
    }
    if let Some(counsellor) = record.counsellor {
        records::remove_from_caseload(txn, counsellor, record.id)?;
    }
    records::set_due(txn, record, false)?;
    record.state = EnquiryState::Closed;
    record.close_reason = Some(reason);
    record.closed_at = Some(now);
    record.last_activity_at = now;
    records::set_closed(txn, record, true)?;
    records::save(txn, record)?;
    records::count(txn, record.created_at, &format!("closed:{}", close_name(reason)))
}

fn close_name(reason: CloseReason) -> &'static str {
    match reason {
        CloseReason::Answered => "answered",
        CloseReason::Referred => "referred",
        CloseReason::NoReply => "no_reply",
        CloseReason::Withdrawn => "withdrawn",
    }
}

/// Raises a case to urgent at the level triage found (never lowering an earlier one), moving
/// it up the queues it waits in.
pub(super) fn make_urgent(txn: &WriteTxn, record: &mut EnquiryRecord, assessment: &triage::Assessment) -> Result<()> {
    record.resources = assessment.resources.clone();
    let waiting = record.state == EnquiryState::New;
    if waiting {
        records::dequeue(txn, record)?;
    }
    record.priority = Priority::Urgent;
    record.add_crisis(assessment.level, &assessment.reasons);
    if waiting {
        for org in record.queues.clone() {
            records::enqueue(txn, record, org, record.overflowed)?;
        }
    }
    Ok(())
}

fn wrong_case() -> Error {
    Error::denied("open this case", "the case code or the secret is wrong")
}

fn throttle_of(txn: &impl Reader, tag: &str) -> Result<Throttle> {
    records::throttle(txn, tag)
}

fn unused_code(txn: &WriteTxn) -> Result<String> {
    loop {
        let code = new_case_code()?;
        if records::id_of_code(txn, &code)?.is_none() {
            return Ok(code);
        }
    }
}

pub(super) fn topics(txn: &impl Reader) -> Result<Vec<String>> {
    let stored: Option<Vec<String>> = settings::load(txn, TOPICS_SETTING)?;
    Ok(stored.unwrap_or_else(|| DEFAULT_TOPICS.iter().map(|t| t.to_string()).collect()))
}

fn topic(txn: &impl Reader, value: &str) -> Result<String> {
    let topics = topics(txn)?;
    let wanted = value.trim().to_lowercase();
    topics
        .into_iter()
        .find(|t| *t == wanted)
        .ok_or_else(|| Error::invalid("topic", format!("'{value}' is not a counselling topic")))
}

/// The language, which some partner organisation must counsel in.
fn language(value: &str, offers: &[CounselOffer]) -> Result<String> {
    let code = value.trim().to_ascii_lowercase();
    if !LANGUAGES.contains(&code.as_str()) {
        return Err(Error::invalid("language", format!("'{value}' is not one of {}", LANGUAGES.join(", "))));
    }
    if !offers.iter().any(|o| o.languages.contains(&code)) {
        return Err(Error::invalid("language", format!("no partner organisation counsels in '{code}' yet")));
    }
    Ok(code)
}

/// The region of the postcode when the gazetteer knows it; the postcode itself is not kept.
fn region(txn: &impl Reader, language: &str, postcode: Option<&str>) -> Result<Option<String>> {
    let Some(postcode) = postcode.map(str::trim).filter(|p| !p.is_empty()) else { return Ok(None) };
    if postcode.chars().count() > 10 || !postcode.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ') {
        return Err(Error::invalid("postcode", "is not a postcode"));
    }
    let country = match language {
        "de" => "DE",
        "da" => "DK",
        "nl" => "NL",
        "bg" => "BG",
        "es" => "ES",
        "ro" => "RO",
        _ => return Ok(None),
    };
    Ok(match geo::resolve(txn, country, postcode) {
        Ok(place) => Some(place.region_code.map_or(country.to_string(), |code| format!("{country}-{code}"))),
        Err(Error::InvalidInput { .. }) => Some(country.to_string()),
        Err(other) => return Err(other),
    })
}

/// The organisations whose offer matches; when none matches by topic and region, every one
/// counselling in the language, so that no enquiry is left without a queue.
fn route(offers: &[CounselOffer], topic: &str, language: &str, region: Option<&str>) -> Vec<OrgId> {
    let speaks = |o: &&CounselOffer| o.languages.iter().any(|l| l == language);
    let matching: Vec<OrgId> = offers
        .iter()
        .filter(speaks)
        .filter(|o| o.topics.is_empty() || o.topics.iter().any(|t| t == topic))
        .filter(|o| o.regions.is_empty() || region.is_none_or(|r| o.regions.iter().any(|served| serves(served, r))))
        .map(|o| o.org)
        .collect();
    if !matching.is_empty() {
        return matching;
    }
    offers.iter().filter(speaks).map(|o| o.org).collect()
}

/// Whether a served region (`DE`, `DE-TH`) covers the enquiry's region.
fn serves(served: &str, region: &str) -> bool {
    region == served || region.starts_with(&format!("{served}-")) || served.starts_with(&format!("{region}-"))
}
