//! Platform settings: values admins may change, each with a documented default that applies
//! while it is unset. Each is stored as JSON under its name in one small table, so a setting
//! can be added without a migration.
//!
//! ```
//! use trialog_core::{Actor, Platform, SuggestionWeights};
//! let platform = Platform::in_memory()?;
//! let settings = platform.settings();
//! assert_eq!(settings.suggestion_weights(&Actor::Anonymous)?, SuggestionWeights::default());
//! let closer = SuggestionWeights { distance: 50.0, ..SuggestionWeights::default() };
//! settings.set_suggestion_weights(&Actor::Operator, &closer)?;
//! assert_eq!(settings.suggestion_weights(&Actor::Anonymous)?.distance, 50.0);
//! # Ok::<(), trialog_core::Error>(())
//! ```

mod records;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::context::Context;
use crate::error::Result;
use crate::store::Reader;

pub(crate) use records::{SETTINGS, TABLES};

/// Reading and changing platform settings, borrowed from a [`crate::Platform`]. Each setting's
/// operations live with the domain it tunes (the suggestion weights: [`crate::jobs`]); this
/// module keeps their one table.
pub struct Settings<'p> {
    pub(crate) ctx: &'p Context,
}

/// The setting `name`, or its default while it is unset.
pub(crate) fn load<T: DeserializeOwned + Default>(txn: &impl Reader, name: &str) -> Result<T> {
    Ok(records::value(txn, name)?.unwrap_or_default())
}

/// Stores the setting `name`.
pub(crate) fn store<T: Serialize>(txn: &crate::store::WriteTxn, name: &str, value: &T) -> Result<()> {
    records::set_value(txn, name, value)
}

/// Forgets the setting `name`, so that its default applies again.
pub(crate) fn forget(txn: &crate::store::WriteTxn, name: &str) -> Result<()> {
    records::remove_value(txn, name)
}

/// Registration of the settings: one table of values, each checked as it is decoded.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "settings",
    tick: crate::store::Domain::nothing_due,
    personal: None,
    tables: TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |_, _| Ok(()),
    figures: None,
};
