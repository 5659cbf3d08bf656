//! The job board's part in the person's rights (`crate::rights`): the seeker profile, saved
//! searches and interests of an account for an export; for an erasure all three go, with the
//! saved searches' places in the alert indexes (an employer's list of interest loses the
//! person's line).

use super::super::alerts::{SavedSearch, unfile};
use super::super::interest::Interest;
use super::super::matcher::Matcher;
use super::super::seekers::SeekerProfile;
use super::super::tables::{
    INTERESTS, INTERESTS_BY_JOB, INTERESTS_BY_SEEKER, SAVED_SEARCHES, SAVED_SEARCHES_BY_OWNER, SEEKERS,
};
use crate::error::Result;
use crate::ids::AccountId;
use crate::store::{Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn, decode};

/// The job board's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let id = person.account;
    let profile: Option<SeekerProfile> = match txn.table(SEEKERS)?.get(id)? {
        Some(row) => Some(decode(row.value(), || format!("seeker profile {id}"))?),
        None => None,
    };
    dossier.add("seeker_profile", ABOUT_SEEKER, profile.as_slice())?;
    dossier.add("saved_searches", ABOUT_SEARCHES, &searches(txn, id)?)?;
    dossier.add("job_interests", ABOUT_INTERESTS, &interests(txn, id)?)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let id = erasure.person.account;
    let had_profile = txn.open_table(SEEKERS)?.remove(id)?.is_some();
    erasure.count("seeker profile", u64::from(had_profile));
    let searches = searches(txn, id)?;
    for search in &searches {
        unfile(txn, search.id, Matcher::compile(txn, &search.query).ok().map(|(m, _)| m).as_ref())?;
        txn.open_table(SAVED_SEARCHES)?.remove(search.id)?;
        txn.open_table(SAVED_SEARCHES_BY_OWNER)?.remove((id, search.id))?;
    }
    erasure.count("saved searches", searches.len() as u64);
    let interests = interests(txn, id)?;
    for interest in &interests {
        txn.open_table(INTERESTS)?.remove(interest.id)?;
        txn.open_table(INTERESTS_BY_JOB)?.remove((interest.job, interest.id))?;
        txn.open_table(INTERESTS_BY_SEEKER)?.remove((id, interest.job))?;
    }
    erasure.count("job interests", interests.len() as u64);
    Ok(())
}

fn searches(txn: &impl Reader, owner: AccountId) -> Result<Vec<SavedSearch>> {
    let ids: Vec<u64> = txn
        .table(SAVED_SEARCHES_BY_OWNER)?
        .range((owner, 0)..=(owner, u64::MAX))?
        .map(|r| r.map(|(k, _)| k.value().1))
        .collect::<std::result::Result<_, _>>()?;
    let table = txn.table(SAVED_SEARCHES)?;
    let mut found = Vec::new();
    for id in ids {
        if let Some(row) = table.get(id)? {
            found.push(decode(row.value(), || format!("saved search {id}"))?);
        }
    }
    Ok(found)
}

fn interests(txn: &impl Reader, seeker: AccountId) -> Result<Vec<Interest>> {
    let ids: Vec<u64> = txn
        .table(INTERESTS_BY_SEEKER)?
        .range((seeker, 0)..=(seeker, u64::MAX))?
        .map(|r| r.map(|(_, v)| v.value()))
        .collect::<std::result::Result<_, _>>()?;
    let table = txn.table(INTERESTS)?;
    let mut found = Vec::new();
    for id in ids {
        if let Some(row) = table.get(id)? {
            found.push(decode(row.value(), || format!("interest {id}"))?);
        }
    }
    found.sort_by_key(|i: &Interest| i.id);
    Ok(found)
}

const ABOUT_SEEKER: &str = "The seeker profile (empty when there is none): where the person looks for work, how far \
they travel, contracts, hours, pay, EX-IN status, languages, and whether employers may find them.";
const ABOUT_SEARCHES: &str = "Saved job searches, each with its name, the query (words, place, radius, filters) and \
when it was saved; new postings matching one are sent to the inbox as job alerts.";
const ABOUT_INTERESTS: &str = "Interest the person marked in job postings: the posting (`job`), their note, and how \
far the employer has got (`status`: new, contacted, interviewing, hired, declined, withdrawn).";
