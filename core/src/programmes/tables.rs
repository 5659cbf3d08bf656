//! The tables of the programmes domain: declared here, registered by [`super::DOMAIN`], read
//! and written only in [`super::records`].

use crate::store::{AnyTable, Table};

/// Programme id → programme record (JSON): modules, cohorts, placements, EX-IN consents.
pub(crate) const PROGRAMMES: Table<u64, &[u8]> = Table::new("programmes");
/// (organisation, programme) → (): an organisation's programmes.
pub(crate) const PROGRAMMES_BY_ORG: Table<(u64, u64), ()> = Table::new("programmes_by_org");
/// Round id → placement round record (JSON).
pub(crate) const PLACEMENT_ROUNDS: Table<u64, &[u8]> = Table::new("programme_placement_rounds");
/// (programme, round) → (): a programme's placement rounds.
pub(crate) const ROUNDS_BY_PROGRAMME: Table<(u64, u64), ()> = Table::new("programme_rounds_by_programme");

/// Every table of the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&PROGRAMMES, &PROGRAMMES_BY_ORG, &PLACEMENT_ROUNDS, &ROUNDS_BY_PROGRAMME];
