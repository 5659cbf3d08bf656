//! Interest: a seeker marks interest in a posting, with an optional note; the employer's
//! staff move it through new → contacted → interviewing → hired or declined. Hiring as many
//! people as the posting has openings marks it filled. The seeker is notified of every step.

use crate::store::WriteTxn;
use serde::{Deserialize, Serialize};

use super::model::{JobId, JobState};
use super::records::interests as records;
use super::{fill_in, load, load_managed};
use crate::accounts::AccountId;
use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::inbox::{self, Event};
use crate::policy::{self, Action};
use crate::store::next_id;
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
            if let Some(id) = records::of_seeker_in(txn, me.id, job)? {
                return Err(Error::conflict(format!("you already marked interest in posting {job} (interest {id})")));
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
            records::save(txn, &interest)?;
            records::list(txn, &interest)?;
            Ok(interest)
        })
    }

    /// The interest a posting received, oldest first (its organisation's staff and admins).
    pub fn for_job(&self, actor: &Actor, job: JobId) -> Result<Vec<Interest>> {
        self.ctx.read(actor, |txn, subject, now| {
            load_managed(txn, subject, job, now)?;
            records::of_job(txn, job)?.into_iter().map(|id| records::load(txn, id)).collect()
        })
    }

    /// The acting account's own interests, oldest first.
    pub fn mine(&self, actor: &Actor) -> Result<Vec<Interest>> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = subject.account().ok_or_else(|| Error::denied("list interests", "sign in first"))?;
            policy::check(subject, Action::UseJobBoard, now)?;
            let ids = records::of_seeker(txn, me.id)?;
            let mut out = ids.into_iter().map(|id| records::load(txn, id)).collect::<Result<Vec<_>>>()?;
            out.sort_by_key(|i| i.id);
            Ok(out)
        })
    }

    /// Moves an interest forward (the posting's staff): to contacted, interviewing, hired or
    /// declined. When the hired count reaches the posting's openings, the posting is filled.
    pub fn advance(&self, actor: &Actor, id: InterestId, status: InterestStatus) -> Result<Interest> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut interest = records::load(txn, id)?;
            let (posting, _) = load_managed(txn, subject, interest.job, now)?;
            check_step(&interest, status)?;
            interest.status = status;
            interest.updated_at = now;
            records::save(txn, &interest)?;
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
            let mut interest = records::load(txn, id)?;
            if subject.account().is_none_or(|a| a.id != interest.seeker) {
                return Err(Error::not_found("interest", id));
            }
            check_step(&interest, InterestStatus::Withdrawn)?;
            interest.status = InterestStatus::Withdrawn;
            interest.updated_at = now;
            records::save(txn, &interest)?;
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
    for id in records::of_job(txn, job)? {
        n += u64::from(records::load(txn, id)?.status == InterestStatus::Hired);
    }
    Ok(n)
}
