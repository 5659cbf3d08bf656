//! The programmes' integrity check: every record reads, a trainee is in at most one cohort of
//! a programme, every round belongs to a programme and its accepted pairs are on it.

use std::collections::BTreeSet;

use super::records;
use crate::error::Result;
use crate::store::Reader;

/// Counts programmes and rounds, noting every disagreement in words (ids only).
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<(u64, u64)> {
    let programmes = records::all_programmes(txn)?;
    for record in &programmes {
        let p = &record.programme;
        let mut seen = BTreeSet::new();
        for t in record.trainees() {
            if !seen.insert(t) {
                problems.push(format!("programme {}: account {t} is enrolled in two cohorts", p.id));
            }
        }
    }
    let rounds = records::all_rounds(txn)?;
    for round in &rounds {
        let Some(record) = programmes.iter().find(|r| r.programme.id == round.programme) else {
            problems
                .push(format!("placement round {} names programme {}, which is missing", round.id, round.programme));
            continue;
        };
        if round.pairs.iter().any(|pair| !record.programme.placements.contains(pair)) {
            problems
                .push(format!("placement round {}: a pair is missing from programme {}", round.id, round.programme));
        }
    }
    Ok((programmes.len() as u64, rounds.len() as u64))
}
