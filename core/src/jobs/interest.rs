//! Interest: a seeker marks interest in a posting, with an optional note; the employer's
//! staff move it through new → contacted → interviewing → hired or declined. Hiring as many
//! people as the posting has openings marks it filled. The seeker is notified of every step.

use crate::store::{ReadTable, WriteTxn};
use serde::{Deserialize, Serialize};

use super::model::{JobId, JobState};
use super::{fill_in, load, load_managed};
use crate::accounts::AccountId;
use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::inbox::{self, Event};
use crate::jobs::tables::{INTERESTS, INTERESTS_BY_JOB, INTERESTS_BY_SEEKER};
use crate::policy::{self, Action};
use crate::store::{Reader, decode, encode, next_id};
use crate::validate;

/// Interests are numbered from 1.
pub type InterestId = u64;

pub use crate::model::interest::InterestStatus;

/// A seeker's interest in a posting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Interest {
    pub id: InterestId,
    pub job: JobId,
    pub seeker: AccountId,
    /// The seeker's pseudonym, for the employer's list.
    pub pseudonym: String,
    #[serde(default)]
    pub note: Option<String>,
    pub status: InterestStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Interest operations, borrowed from a [`crate::Platform`].
pub struct Interests<'p> {
    pub(crate) ctx: &'p Context,
}

impl Interests<'_> {
    /// Marks the acting account's interest in a published posting; its staff find it in
    /// [`Interests::for_job`] with status `new`.
    pub fn mark(&self, actor: &Actor, job: JobId, note: Option<&str>) -> Result<Interest> {
        self.ctx.write(actor, |txn, subject, now| {
            let me = subject.account().ok_or_else(|| {
                Error::denied("mark interest", "interest belongs to an account; sign in or act as one (`--as`)")
            })?;
            policy::check(subject, Action::UseJobBoard, now)?;
            let posting = load(txn, job, now)?;
            if posting.state != JobState::Published {
                return Err(Error::conflict(format!(
                    "posting {job} is {}; interest is for published postings",
                    posting.state
                )));
            }
            if let Some(id) = txn.open_table(INTERESTS_BY_SEEKER)?.get((me.id, job))? {
                return Err(Error::conflict(format!(
                    "you already marked interest in posting {job} (interest {})",
                    id.value()
                )));
            }
            let interest = Interest {
                id: next_id(txn, "interests")?,
                job,
                seeker: me.id,
                pseudonym: me.pseudonym.clone(),
                note: validate::optional_line("note", note, 1000)?,
                status: InterestStatus::New,
                created_at: now,
                updated_at: now,
            };
            save(txn, &interest)?;
            txn.open_table(INTERESTS_BY_JOB)?.insert((job, interest.id), ())?;
            txn.open_table(INTERESTS_BY_SEEKER)?.insert((me.id, job), interest.id)?;
            Ok(interest)
        })
    }

    /// The interest a posting received, oldest first (its organisation's staff and admins).
    pub fn for_job(&self, actor: &Actor, job: JobId) -> Result<Vec<Interest>> {
        self.ctx.read(actor, |txn, subject, now| {
            load_managed(txn, subject, job, now)?;
            let ids: Vec<InterestId> = txn
                .table(INTERESTS_BY_JOB)?
                .range((job, 0)..=(job, u64::MAX))?
                .map(|r| r.map(|(k, _)| k.value().1))
                .collect::<std::result::Result<_, _>>()?;
            ids.into_iter().map(|id| get(txn, id)).collect()
        })
    }

    /// The acting account's own interests, oldest first.
    pub fn mine(&self, actor: &Actor) -> Result<Vec<Interest>> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = subject.account().ok_or_else(|| Error::denied("list interests", "sign in first"))?;
            policy::check(subject, Action::UseJobBoard, now)?;
            let ids: Vec<InterestId> = txn
                .table(INTERESTS_BY_SEEKER)?
                .range((me.id, 0)..=(me.id, u64::MAX))?
                .map(|r| r.map(|(_, v)| v.value()))
                .collect::<std::result::Result<_, _>>()?;
            let mut out = ids.into_iter().map(|id| get(txn, id)).collect::<Result<Vec<_>>>()?;
            out.sort_by_key(|i| i.id);
            Ok(out)
        })
    }

    /// Moves an interest forward (the posting's staff): to contacted, interviewing, hired or
    /// declined. When the hired count reaches the posting's openings, the posting is filled.
    pub fn advance(&self, actor: &Actor, id: InterestId, status: InterestStatus) -> Result<Interest> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut interest = get(txn, id)?;
            let (posting, _) = load_managed(txn, subject, interest.job, now)?;
            check_step(&interest, status)?;
            interest.status = status;
            interest.updated_at = now;
            save(txn, &interest)?;
            audit::append(txn, now, actor, "job.interest", &format!("interest:{id}"), Some(status.as_str()))?;
            let event = Event::InterestUpdated { interest: id, job: posting.id, title: posting.title.clone(), status };
            inbox::deliver(txn, interest.seeker, event, now)?;
            if status == InterestStatus::Hired
                && matches!(posting.state, JobState::Published | JobState::Expired)
                && hired(txn, posting.id)? >= u64::from(posting.openings)
            {
                fill_in(txn, actor, subject, posting.id, now)?;
            }
            Ok(interest)
        })
    }

    /// Takes back the acting account's interest (unless already hired or declined).
    pub fn withdraw(&self, actor: &Actor, id: InterestId) -> Result<Interest> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut interest = get(txn, id)?;
            if subject.account().is_none_or(|a| a.id != interest.seeker) {
                return Err(Error::not_found("interest", id));
            }
            check_step(&interest, InterestStatus::Withdrawn)?;
            interest.status = InterestStatus::Withdrawn;
            interest.updated_at = now;
            save(txn, &interest)?;
            Ok(interest)
        })
    }
}

fn check_step(interest: &Interest, to: InterestStatus) -> Result<()> {
    if interest.status.is_final() {
        return Err(Error::conflict(format!("interest {} is already {}", interest.id, interest.status)));
    }
    if to == InterestStatus::New || (!to.is_final() && to <= interest.status) {
        return Err(Error::invalid("status", format!("cannot go back from {} to {to}", interest.status)));
    }
    Ok(())
}

fn hired(txn: &WriteTxn, job: JobId) -> Result<u64> {
    let mut n = 0;
    for row in txn.open_table(INTERESTS_BY_JOB)?.range((job, 0)..=(job, u64::MAX))? {
        n += u64::from(get(txn, row?.0.value().1)?.status == InterestStatus::Hired);
    }
    Ok(n)
}

fn get(txn: &impl Reader, id: InterestId) -> Result<Interest> {
    let table = txn.table(INTERESTS)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("interest", id))?;
    decode(row.value(), || format!("interest {id}"))
}

fn save(txn: &WriteTxn, interest: &Interest) -> Result<()> {
    txn.open_table(INTERESTS)?.insert(interest.id, encode(interest)?.as_slice())?;
    Ok(())
}
