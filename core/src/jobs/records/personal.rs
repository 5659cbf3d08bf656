//! The job board's part in the person's rights (`crate::rights`): the seeker profile, saved
//! searches and interests of an account for an export; for an erasure all three go, with the
//! saved searches' places in the alert indexes (an employer's list of interest loses the
//! person's line).

use super::super::alerts::unfile;
use super::super::matcher::Matcher;
use super::{alerts, interests, seekers};
use crate::error::Result;
use crate::store::{Dossier, Erasure, Person, Personal, ReadTxn, WriteTxn};

/// The job board's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let id = person.account;
    let profile = seekers::profile(txn, id)?;
    dossier.add("seeker_profile", ABOUT_SEEKER, profile.as_slice())?;
    dossier.add("saved_searches", ABOUT_SEARCHES, &alerts::searches_of(txn, id)?)?;
    dossier.add("job_interests", ABOUT_INTERESTS, &interests::interests_of(txn, id)?)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let id = erasure.person.account;
    let had_profile = seekers::remove_profile(txn, id)?;
    erasure.count("seeker profile", u64::from(had_profile));
    let searches = alerts::searches_unopened(txn, id)?;
    for search in &searches {
        unfile(txn, search.id, Matcher::compile(txn, &search.query).ok().map(|(m, _)| m).as_ref())?;
        alerts::delete(txn, id, search.id)?;
    }
    erasure.count("saved searches", searches.len() as u64);
    erasure.count("job interests", interests::delete_all_of(txn, id)?);
    Ok(())
}

const ABOUT_SEEKER: &str = "The seeker profile (empty when there is none): where the person looks for work, how far \
they travel, contracts, hours, pay, EX-IN status, languages, and whether employers may find them.";
const ABOUT_SEARCHES: &str = "Saved job searches, each with its name, the query (words, place, radius, filters) and \
when it was saved; new postings matching one are sent to the inbox as job alerts.";
const ABOUT_INTERESTS: &str = "Interest the person marked in job postings: the posting (`job`), their note, and how \
far the employer has got (`status`: new, contacted, interviewing, hired, declined, withdrawn).";
