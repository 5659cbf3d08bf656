//! How interest in postings is stored: each interest as a record, the interest each posting
//! received ((posting, interest) → ()), and each seeker's one interest per posting ((seeker,
//! posting) → interest).
//!
//! Since schema version 25 the seeker's note (their own words to the employer) is sealed under
//! the seeker's key (crypto-shredding, `docs/erasure.md`); the rest stays plain: the
//! employer's list and the hired count read it for every interest of a posting.

use serde::{Deserialize, Serialize};

use super::super::interest::{Interest, InterestId};
use super::super::model::JobId;
use super::super::tables::{INTERESTS, INTERESTS_BY_JOB, INTERESTS_BY_SEEKER};
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{ReadTable, Reader, Sealed, WriteTxn, decode, encode, seal, sealing_many};

/// An interest as stored since version 25: the interest without its note, and the note sealed
/// under the seeker's key (`None`: they wrote none).
#[derive(Serialize, Deserialize)]
struct Stored {
    interest: Interest,
    note: Option<Sealed>,
}

/// An interest record in either shape: [`Stored`] (version 25 on) or the interest as it is
/// (before); an interest starts with its id, a stored record with the interest.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AnyShape {
    Stored(Stored),
    Before25(Interest),
}

/// Where an interest's note is sealed (its associated data): it opens nowhere else.
fn note_place(id: InterestId) -> Vec<u8> {
    [b"interest-note\0".as_slice(), &id.to_be_bytes()].concat()
}

impl AnyShape {
    /// The interest, its note opened; a storage error (naming the interest, never the note)
    /// when the seeker's key is gone.
    fn open(self, txn: &impl Reader) -> Result<Interest> {
        match self {
            AnyShape::Before25(interest) => Ok(interest),
            AnyShape::Stored(Stored { mut interest, note }) => {
                if let Some(note) = note {
                    let id = interest.id;
                    let what = || format!("the note of interest {id}");
                    interest.note = Some(note.open(txn, interest.seeker, &note_place(id), what)?);
                }
                Ok(interest)
            }
        }
    }
}

/// The stored bytes of `interest`, its note sealed under the seeker's key.
fn to_stored(txn: &WriteTxn, interest: &Interest) -> Result<Vec<u8>> {
    let note = match &interest.note {
        Some(note) => Some(seal(txn, interest.seeker, &note_place(interest.id), note)?),
        None => None,
    };
    encode(&AnyShape::Stored(Stored { interest: Interest { note: None, ..interest.clone() }, note }))
}

/// Loads an interest; `NotFound` when there is none.
pub(crate) fn load(txn: &impl Reader, id: InterestId) -> Result<Interest> {
    let table = txn.table(INTERESTS)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("interest", id))?;
    decode::<AnyShape>(row.value(), || format!("interest {id}"))?.open(txn)
}

/// Writes an interest's record, new or with a new status.
pub(crate) fn save(txn: &WriteTxn, interest: &Interest) -> Result<()> {
    let bytes = to_stored(txn, interest)?;
    txn.open_table(INTERESTS)?.put(interest.id, bytes.as_slice())?;
    Ok(())
}

/// Version 25: every interest written before has its note sealed under its seeker's key (a new
/// key for a seeker without one); how many notes.
pub(crate) fn seal_notes_v25(txn: &WriteTxn) -> Result<u64> {
    let mut plain = Vec::new();
    for row in txn.table(INTERESTS)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        if let AnyShape::Before25(interest) = decode(bytes.value(), || format!("interest {id}"))? {
            plain.push(interest);
        }
    }
    sealing_many(txn, || {
        let mut notes = 0;
        for interest in &plain {
            save(txn, interest)?;
            notes += u64::from(interest.note.is_some());
        }
        Ok(notes)
    })
}

/// Lists a new interest under its posting and its seeker.
pub(crate) fn list(txn: &WriteTxn, interest: &Interest) -> Result<()> {
    txn.open_table(INTERESTS_BY_JOB)?.put((interest.job.0, interest.id), ())?;
    txn.open_table(INTERESTS_BY_SEEKER)?.put((interest.seeker.0, interest.job.0), interest.id)?;
    Ok(())
}

/// Removes every interest of `seeker` with their list entries, without opening their notes
/// (an erasure: it runs again after a failed commit even though the key is gone); how many.
pub(crate) fn delete_all_of(txn: &WriteTxn, seeker: AccountId) -> Result<u64> {
    let listed: Vec<(u64, InterestId)> = txn
        .table(INTERESTS_BY_SEEKER)?
        .range((seeker.0, 0)..=(seeker.0, u64::MAX))?
        .map(|r| r.map(|(k, v)| (k.value().1, v.value())))
        .collect::<Result<_, _>>()?;
    for &(job, id) in &listed {
        txn.open_table(INTERESTS)?.delete(id)?;
        txn.open_table(INTERESTS_BY_JOB)?.delete((job, id))?;
        txn.open_table(INTERESTS_BY_SEEKER)?.delete((seeker.0, job))?;
    }
    Ok(listed.len() as u64)
}

/// The interest `seeker` marked in `job`, if any.
pub(crate) fn of_seeker_in(txn: &impl Reader, seeker: AccountId, job: JobId) -> Result<Option<InterestId>> {
    Ok(txn.table(INTERESTS_BY_SEEKER)?.get((seeker.0, job.0))?.map(|id| id.value()))
}

/// The ids of the interest posting `job` received, oldest first.
pub(crate) fn of_job(txn: &impl Reader, job: JobId) -> Result<Vec<InterestId>> {
    txn.table(INTERESTS_BY_JOB)?.range((job.0, 0)..=(job.0, u64::MAX))?.map(|r| r.map(|(k, _)| k.value().1)).collect()
}

/// The ids of `seeker`'s interests, by posting.
pub(crate) fn of_seeker(txn: &impl Reader, seeker: AccountId) -> Result<Vec<InterestId>> {
    txn.table(INTERESTS_BY_SEEKER)?
        .range((seeker.0, 0)..=(seeker.0, u64::MAX))?
        .map(|r| r.map(|(_, v)| v.value()))
        .collect()
}

/// `seeker`'s interests that still read, oldest first (a missing record is skipped).
pub(crate) fn interests_of(txn: &impl Reader, seeker: AccountId) -> Result<Vec<Interest>> {
    let ids = of_seeker(txn, seeker)?;
    let table = txn.table(INTERESTS)?;
    let mut found = Vec::new();
    for id in ids {
        if let Some(row) = table.get(id)? {
            found.push(decode::<AnyShape>(row.value(), || format!("interest {id}"))?.open(txn)?);
        }
    }
    found.sort_by_key(|i: &Interest| i.id);
    Ok(found)
}
