//! The only code that reads and writes the programmes tables: programme records (with their
//! cohorts, placements and EX-IN consents), placement rounds and their indexes; and the
//! domain's part in the person's rights.

use serde::{Deserialize, Serialize};

use super::model::*;
use super::tables::*;
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::store::{Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn, decode, encode};

/// A programme as stored: the public record and the trainees' EX-IN consents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ProgrammeRecord {
    pub programme: Programme,
    /// Trainees who consented to have their EX-IN status set from this programme, and when.
    #[serde(default)]
    pub exin_consents: Vec<(AccountId, Timestamp)>,
}

impl ProgrammeRecord {
    /// The cohort a trainee is enrolled in, if any.
    pub fn cohort_of(&self, trainee: AccountId) -> Option<&Cohort> {
        self.programme.cohorts.iter().find(|c| c.trainees.contains(&trainee))
    }

    pub fn cohort(&self, id: CohortId) -> Result<&Cohort> {
        self.programme.cohorts.iter().find(|c| c.id == id).ok_or_else(|| Error::not_found("cohort", id))
    }

    /// Every trainee of every cohort.
    pub fn trainees(&self) -> Vec<AccountId> {
        self.programme.cohorts.iter().flat_map(|c| c.trainees.iter().copied()).collect()
    }

    pub fn consent_of(&self, trainee: AccountId) -> Option<Timestamp> {
        self.exin_consents.iter().find(|(a, _)| *a == trainee).map(|(_, at)| *at)
    }
}

pub(crate) fn load_programme(txn: &impl Reader, id: ProgrammeId) -> Result<ProgrammeRecord> {
    let table = txn.table(PROGRAMMES)?;
    let bytes = table.get(id.0)?.ok_or_else(|| Error::not_found("programme", id))?;
    decode(bytes.value(), || format!("programme {id}"))
}

pub(crate) fn save_programme(txn: &WriteTxn, record: &ProgrammeRecord) -> Result<()> {
    let p = &record.programme;
    txn.open_table(PROGRAMMES)?.put(p.id.0, encode(record)?.as_slice())?;
    txn.open_table(PROGRAMMES_BY_ORG)?.put((p.org.0, p.id.0), ())?;
    Ok(())
}

/// The programme ids of one organisation from `start` on, in id order.
pub(crate) fn org_programme_ids(txn: &impl Reader, org: OrgId, start: u64) -> Result<Vec<u64>> {
    let table = txn.table(PROGRAMMES_BY_ORG)?;
    table.range((org.0, start)..=(org.0, u64::MAX))?.map(|row| Ok(row?.0.value().1)).collect()
}

pub(crate) fn all_programmes(txn: &impl Reader) -> Result<Vec<ProgrammeRecord>> {
    let table = txn.table(PROGRAMMES)?;
    table.iter()?.map(|row| decode(row?.1.value(), || "a programme".to_string())).collect()
}

pub(crate) fn load_round(txn: &impl Reader, id: RoundId) -> Result<PlacementRound> {
    let table = txn.table(PLACEMENT_ROUNDS)?;
    let bytes = table.get(id.0)?.ok_or_else(|| Error::not_found("placement round", id))?;
    decode(bytes.value(), || format!("placement round {id}"))
}

pub(crate) fn save_round(txn: &WriteTxn, round: &PlacementRound) -> Result<()> {
    txn.open_table(PLACEMENT_ROUNDS)?.put(round.id.0, encode(round)?.as_slice())?;
    txn.open_table(ROUNDS_BY_PROGRAMME)?.put((round.programme.0, round.id.0), ())?;
    Ok(())
}

/// The round ids of one programme, in id order.
pub(crate) fn programme_round_ids(txn: &impl Reader, programme: ProgrammeId) -> Result<Vec<u64>> {
    let table = txn.table(ROUNDS_BY_PROGRAMME)?;
    table.range((programme.0, 0)..=(programme.0, u64::MAX))?.map(|row| Ok(row?.0.value().1)).collect()
}

pub(crate) fn all_rounds(txn: &impl Reader) -> Result<Vec<PlacementRound>> {
    let table = txn.table(PLACEMENT_ROUNDS)?;
    table.iter()?.map(|row| decode(row?.1.value(), || "a placement round".to_string())).collect()
}

/// The programmes' part in the person's rights: their enrolments, placements and consents for
/// an export; an erasure takes them out of every cohort, ranking and placement.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

const ABOUT_PROGRAMMES: &str = "Programmes you are enrolled in: your cohort, your placements and whether you \
     consented to have your EX-IN status set from the programme.";
const ABOUT_ROUNDS: &str = "Placement rounds you took part in: the hosts you ranked and where you were placed.";

/// What an export shows of one programme about one trainee.
#[derive(Serialize)]
struct Enrolment {
    programme: ProgrammeId,
    title: String,
    cohort: CohortId,
    cohort_name: String,
    placements: Vec<TraineePlacement>,
    exin_consented_at: Option<Timestamp>,
}

/// What an export shows of one round about one trainee.
#[derive(Serialize)]
struct RoundPart {
    round: RoundId,
    programme: ProgrammeId,
    preferences: Option<Vec<OrgId>>,
    placed_with: Option<OrgId>,
}

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let me = person.account;
    let mut enrolments = Vec::new();
    for record in all_programmes(txn)? {
        if let Some(cohort) = record.cohort_of(me) {
            let p = &record.programme;
            enrolments.push(Enrolment {
                programme: p.id,
                title: p.title.clone(),
                cohort: cohort.id,
                cohort_name: cohort.name.clone(),
                placements: p.placements.iter().filter(|x| x.trainee == me).copied().collect(),
                exin_consented_at: record.consent_of(me),
            });
        }
    }
    dossier.add("programme_enrolments", ABOUT_PROGRAMMES, &enrolments)?;
    let mut parts = Vec::new();
    for round in all_rounds(txn)? {
        if let Some(t) = round.trainees.iter().find(|t| t.trainee == me) {
            parts.push(RoundPart {
                round: round.id,
                programme: round.programme,
                preferences: t.preferences.clone(),
                placed_with: round.pairs.iter().find(|x| x.trainee == me).map(|x| x.org),
            });
        }
    }
    dossier.add("placement_rounds", ABOUT_ROUNDS, &parts)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let mut enrolments = 0;
    for mut record in all_programmes(txn)? {
        if record.cohort_of(me).is_none() && !record.programme.placements.iter().any(|x| x.trainee == me) {
            continue;
        }
        for cohort in &mut record.programme.cohorts {
            cohort.trainees.retain(|t| *t != me);
        }
        record.programme.placements.retain(|x| x.trainee != me);
        record.exin_consents.retain(|(a, _)| *a != me);
        save_programme(txn, &record)?;
        enrolments += 1;
    }
    erasure.count("programme enrolments", enrolments);
    for mut round in all_rounds(txn)? {
        if !round.trainees.iter().any(|t| t.trainee == me) {
            continue;
        }
        round.trainees.retain(|t| t.trainee != me);
        round.pairs.retain(|x| x.trainee != me);
        round.unplaced.retain(|t| *t != me);
        for place in &mut round.places {
            if let Some(ranking) = &mut place.ranking {
                ranking.retain(|t| *t != me);
            }
        }
        save_round(txn, &round)?;
    }
    Ok(())
}
