//! How settings are stored: one small table of name → value (JSON), so that a setting can be
//! added without a migration. The only module of the domain that opens it.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::store::{AnyTable, ReadTable, Reader, Table, WriteTxn, decode, encode};

/// Platform setting name → value (JSON), such as `suggestion_weights`; unset means the default.
pub(crate) const SETTINGS: Table<&str, &[u8]> = Table::new("settings");
/// The tables this domain registers.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&SETTINGS];

/// The value stored under `name`, if it is set.
pub(crate) fn value<T: DeserializeOwned>(txn: &impl Reader, name: &str) -> Result<Option<T>> {
    match txn.table(SETTINGS)?.get(name)? {
        Some(bytes) => Ok(Some(decode(bytes.value(), || format!("setting {name}"))?)),
        None => Ok(None),
    }
}

/// Stores `value` under `name`.
pub(crate) fn set_value<T: Serialize>(txn: &WriteTxn, name: &str, value: &T) -> Result<()> {
    txn.open_table(SETTINGS)?.put(name, encode(value)?.as_slice())?;
    Ok(())
}

/// Removes the value under `name`.
pub(crate) fn remove_value(txn: &WriteTxn, name: &str) -> Result<()> {
    txn.open_table(SETTINGS)?.delete(name)?;
    Ok(())
}
