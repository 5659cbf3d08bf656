//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

/// Gazetteer: "<country> <postcode>" ("DE 10115") → place record.
pub(crate) const GEO_POSTCODES: Table<&str, &[u8]> = Table::new("geo_postcodes");
/// Gazetteer name index: "<folded place name>\u{0}<country> <postcode>" → nothing (prefix search).
pub(crate) const GEO_PLACE_NAMES: Table<&str, ()> = Table::new("geo_place_names");
/// Gazetteer: country code → what was imported for it, and when.
pub(crate) const GEO_COUNTRIES: Table<&str, &[u8]> = Table::new("geo_countries");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&GEO_POSTCODES, &GEO_PLACE_NAMES, &GEO_COUNTRIES];
