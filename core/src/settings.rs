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

use crate::store::ReadTable;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::actor::Actor;
use crate::audit;
use crate::error::Result;
use crate::jobs::SuggestionWeights;
use crate::platform::Platform;
use crate::policy::{self, Action};
use crate::store::{AnyTable, Table};
use crate::store::{Reader, decode, encode};

/// Platform setting name → value (JSON), such as `suggestion_weights`; unset means the default.
pub(crate) const SETTINGS: Table<&str, &[u8]> = Table::new("settings");
/// The tables this domain registers.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&SETTINGS];

/// The name the suggestion weights are stored under.
const SUGGESTION_WEIGHTS: &str = "suggestion_weights";

/// Reading and changing platform settings, borrowed from a [`Platform`].
pub struct Settings<'p> {
    pub(crate) platform: &'p Platform,
}

impl Platform {
    /// Platform settings: the weights of job suggestions.
    pub fn settings(&self) -> Settings<'_> {
        Settings { platform: self }
    }
}

impl Settings<'_> {
    /// The weights job suggestions are scored with (anyone: they explain the scores people
    /// see); [`SuggestionWeights::default`] until an admin sets them.
    pub fn suggestion_weights(&self, actor: &Actor) -> Result<SuggestionWeights> {
        self.platform.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewSettings, now)?;
            suggestion_weights(txn)
        })
    }

    /// Sets the weights of job suggestions (admins); logged with the new values.
    pub fn set_suggestion_weights(&self, actor: &Actor, weights: &SuggestionWeights) -> Result<SuggestionWeights> {
        self.platform.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ChangeSettings, now)?;
            let weights = weights.validate()?;
            store(txn, SUGGESTION_WEIGHTS, &weights)?;
            let note = format!(
                "distance {}, hours {}, pay {}, requirement {}, recency {}",
                weights.distance, weights.hours, weights.pay, weights.requirement, weights.recency
            );
            audit::append(txn, now, actor, "settings.suggestion_weights", SUGGESTION_WEIGHTS, Some(&note))?;
            Ok(weights)
        })
    }

    /// Forgets the stored weights, so the defaults apply again (admins); logged.
    pub fn reset_suggestion_weights(&self, actor: &Actor) -> Result<SuggestionWeights> {
        self.platform.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ChangeSettings, now)?;
            txn.open_table(SETTINGS)?.remove(SUGGESTION_WEIGHTS)?;
            audit::append(
                txn,
                now,
                actor,
                "settings.suggestion_weights",
                SUGGESTION_WEIGHTS,
                Some("reset to defaults"),
            )?;
            Ok(SuggestionWeights::default())
        })
    }
}

/// The suggestion weights in force inside `txn`.
pub(crate) fn suggestion_weights(txn: &impl Reader) -> Result<SuggestionWeights> {
    load(txn, SUGGESTION_WEIGHTS)
}

pub(crate) fn load<T: DeserializeOwned + Default>(txn: &impl Reader, name: &str) -> Result<T> {
    match txn.table(SETTINGS)?.get(name)? {
        Some(bytes) => decode(bytes.value(), || format!("setting {name}")),
        None => Ok(T::default()),
    }
}

pub(crate) fn store<T: Serialize>(txn: &crate::store::WriteTxn, name: &str, value: &T) -> Result<()> {
    txn.open_table(SETTINGS)?.insert(name, encode(value)?.as_slice())?;
    Ok(())
}

/// Registration of the settings: one table of values, each checked as it is decoded.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "settings",
    tick: crate::store::Domain::nothing_due,
    tables: TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |_, _| Ok(()),
    figures: None,
};
