//! Running a placement round: the cohort's trainees and the hosts' places go through the
//! matching domain's stable matching (trainee-proposing deferred acceptance), once.

use super::model::*;
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::matching::{Applicant, Placement, StableInput, stable_match};
use crate::orgs::OrgId;

/// Refuses to change or run a round that was run: its pairs are on the programme.
pub(crate) fn still_open(round: &PlacementRound) -> Result<()> {
    match round.run_at {
        Some(at) => Err(Error::conflict(format!(
            "placement round {} was run at {}; open a new round for other placements",
            round.id,
            at.format("%Y-%m-%d %H:%M UTC")
        ))),
        None => Ok(()),
    }
}

/// Refuses a round whose rankings are not all in, naming who is missing (ids only).
fn complete(round: &PlacementRound) -> Result<()> {
    let trainees: Vec<String> =
        round.trainees.iter().filter(|t| t.preferences.is_none()).map(|t| t.trainee.to_string()).collect();
    let hosts: Vec<String> = round.places.iter().filter(|p| p.ranking.is_none()).map(|p| p.org.to_string()).collect();
    if trainees.is_empty() && hosts.is_empty() {
        return Ok(());
    }
    let mut missing = Vec::new();
    if !trainees.is_empty() {
        missing.push(format!("trainees {}", trainees.join(", ")));
    }
    if !hosts.is_empty() {
        missing.push(format!("hosts {}", hosts.join(", ")));
    }
    Err(Error::invalid("rankings", format!("still waiting for the rankings of {}", missing.join("; "))))
}

fn trainee_key(id: AccountId) -> String {
    format!("t{id}")
}

fn host_key(id: OrgId) -> String {
    format!("o{id}")
}

/// Runs the round's stable matching and records its pairs and the trainees left unplaced.
pub(crate) fn run(round: &mut PlacementRound, now: Timestamp) -> Result<()> {
    still_open(round)?;
    complete(round)?;
    let input = StableInput {
        applicants: round
            .trainees
            .iter()
            .map(|t| Applicant {
                id: trainee_key(t.trainee),
                preferences: t.preferences.iter().flatten().map(|o| host_key(*o)).collect(),
            })
            .collect(),
        placements: round
            .places
            .iter()
            .map(|p| Placement {
                id: host_key(p.org),
                capacity: p.capacity,
                ranking: p.ranking.iter().flatten().map(|t| trainee_key(*t)).collect(),
            })
            .collect(),
    };
    let matching = stable_match(&input)?;
    let mut pairs = Vec::with_capacity(matching.pairs.len());
    for pair in &matching.pairs {
        let trainee = round.trainees.iter().find(|t| trainee_key(t.trainee) == pair.applicant);
        let host = round.places.iter().find(|p| host_key(p.org) == pair.placement);
        let (Some(t), Some(h)) = (trainee, host) else {
            return Err(Error::Internal { detail: "the stable matching named an unknown side".into() });
        };
        pairs.push(TraineePlacement { trainee: t.trainee, org: h.org, round: round.id });
    }
    round.unplaced =
        round.trainees.iter().map(|t| t.trainee).filter(|t| !pairs.iter().any(|p| p.trainee == *t)).collect();
    round.pairs = pairs;
    round.run_at = Some(now);
    Ok(())
}
