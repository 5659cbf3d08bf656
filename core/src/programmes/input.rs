//! Checks of what callers hand the programmes domain: each returns the cleaned value or an
//! [`Error::InvalidInput`] naming the field.

use std::collections::BTreeSet;

use super::model::*;
use super::records::ProgrammeRecord;
use crate::accounts::{self, AccountId};
use crate::courses;
use crate::error::{Error, Result};
use crate::orgs::{self, OrgId};
use crate::store::Reader;
use crate::validate;

const MAX_TITLE: usize = 200;
/// More modules than any curriculum has (EX-IN has about a dozen); bounds hostile input.
const MAX_MODULES: usize = 100;
/// Trainees named in one call; a cohort is a class, not a city.
pub(crate) const MAX_TRAINEES: usize = 1_000;
/// Places offered in one round.
const MAX_PLACES: usize = 1_000;
/// The most trainees one host takes in one round.
const MAX_CAPACITY: u32 = 1_000;

pub(crate) fn title(value: &str) -> Result<String> {
    validate::required_line("title", value, MAX_TITLE)
}

/// Every module is a course, named once.
pub(crate) fn modules(txn: &impl Reader, modules: &[ProgrammeModule]) -> Result<Vec<ProgrammeModule>> {
    if modules.is_empty() || modules.len() > MAX_MODULES {
        return Err(Error::invalid("modules", format!("{} modules; name 1 to {MAX_MODULES}", modules.len())));
    }
    for (i, m) in modules.iter().enumerate() {
        let field = format!("modules[{i}].course");
        if let Some(j) = modules[..i].iter().position(|o| o.course == m.course) {
            return Err(Error::invalid(field, format!("course {} is already modules[{j}]", m.course)));
        }
        match courses::org_and_title(txn, m.course) {
            Err(Error::NotFound { .. }) => {
                return Err(Error::invalid(field, format!("{} is not a course", m.course)));
            }
            other => other.map(drop)?,
        }
    }
    Ok(modules.to_vec())
}

/// New trainees for `record`: existing accounts, each named once and not enrolled in any of
/// its cohorts yet.
pub(crate) fn trainees(txn: &impl Reader, record: &ProgrammeRecord, trainees: &[AccountId]) -> Result<()> {
    if trainees.len() > MAX_TRAINEES {
        return Err(Error::invalid("trainees", format!("{} trainees; at most {MAX_TRAINEES}", trainees.len())));
    }
    let mut seen = BTreeSet::new();
    for (i, t) in trainees.iter().enumerate() {
        let field = format!("trainees[{i}]");
        if !seen.insert(*t) {
            return Err(Error::invalid(field, format!("account {t} is named twice")));
        }
        if let Some(c) = record.cohort_of(*t) {
            return Err(Error::invalid(field, format!("account {t} is already enrolled in cohort {}", c.id)));
        }
        match accounts::load(txn, *t) {
            Err(Error::NotFound { .. }) => return Err(Error::invalid(field, format!("there is no account {t}"))),
            other => other.map(drop)?,
        }
    }
    Ok(())
}

/// The places of a new round: existing organisations, each once, each taking at least one.
pub(crate) fn places(txn: &impl Reader, places: &[PlacementOffer]) -> Result<Vec<RoundPlace>> {
    if places.is_empty() || places.len() > MAX_PLACES {
        return Err(Error::invalid("places", format!("name between 1 and {MAX_PLACES} places")));
    }
    let mut out: Vec<RoundPlace> = Vec::with_capacity(places.len());
    for (i, p) in places.iter().enumerate() {
        if p.capacity == 0 || p.capacity > MAX_CAPACITY {
            return Err(Error::invalid(
                format!("places[{i}].capacity"),
                format!("is {}; a place takes 1 to {MAX_CAPACITY} trainees", p.capacity),
            ));
        }
        if out.iter().any(|o| o.org == p.org) {
            return Err(Error::invalid(format!("places[{i}].org"), format!("organisation {} is named twice", p.org)));
        }
        match orgs::load(txn, p.org) {
            Err(Error::NotFound { .. }) => {
                return Err(Error::invalid(format!("places[{i}].org"), format!("there is no organisation {}", p.org)));
            }
            other => other.map(drop)?,
        }
        out.push(RoundPlace { org: p.org, capacity: p.capacity, ranking: None });
    }
    Ok(out)
}

/// A ranking: each entry one of `allowed`, none twice.
pub(crate) fn ranking<T: Copy + Eq + std::fmt::Display>(
    field: &str,
    ranked: &[T],
    allowed: &[T],
    what: &str,
) -> Result<Vec<T>> {
    for (i, r) in ranked.iter().enumerate() {
        if ranked[..i].contains(r) {
            return Err(Error::invalid(format!("{field}[{i}]"), format!("{what} {r} is ranked twice")));
        }
        if !allowed.contains(r) {
            return Err(Error::invalid(format!("{field}[{i}]"), format!("{what} {r} is not part of this round")));
        }
    }
    Ok(ranked.to_vec())
}

/// A trainee named in a round.
pub(crate) fn in_round(round: &PlacementRound, trainee: AccountId) -> Result<()> {
    if round.trainees.iter().any(|t| t.trainee == trainee) {
        Ok(())
    } else {
        Err(Error::invalid("trainee", format!("account {trainee} is not a trainee of round {}", round.id)))
    }
}

/// The host org of a round's place.
pub(crate) fn host_in_round(round: &PlacementRound, host: OrgId) -> Result<usize> {
    round
        .places
        .iter()
        .position(|p| p.org == host)
        .ok_or_else(|| Error::invalid("host", format!("organisation {host} offers no place in round {}", round.id)))
}
