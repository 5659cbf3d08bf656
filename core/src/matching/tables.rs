//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

/// Match run id → run (JSON): inputs, parameters, result and the decisions on its pairs.
pub(crate) const MATCH_RUNS: Table<u64, &[u8]> = Table::new("match_runs");
/// (cohort, match run id) → (): the runs of each cohort.
pub(crate) const MATCH_RUNS_BY_COHORT: Table<(&str, u64), ()> = Table::new("match_runs_by_cohort");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&MATCH_RUNS, &MATCH_RUNS_BY_COHORT];
