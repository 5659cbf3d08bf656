//! Schema versions and the migrations between them.
//!
//! Version 0 is the pre-release layout: accounts, organisations and sequences, but no `meta`
//! table, no pseudonym index, no credentials and no audit log. Version 1 adds all of those.
//! Version 2 adds the tables of the job board, version 3 those of the postal-code gazetteer,
//! version 5 those of the forums (all empty: nothing to convert). Version 4 belongs to another
//! line of work; files at 3 or 4 both reach 5 by creating the missing tables.
//! Each migration runs in one write transaction, so a file is never left half-migrated.

use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableHandle, WriteTransaction};
use serde::Deserialize;

use super::Store;
use super::codec::{decode, encode};
use super::tables::{self, ACCOUNT_BY_PSEUDONYM, ACCOUNTS, META};
use crate::accounts::{Account, Perspective, pseudonym_key};
use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: u64 = 5;
const VERSION_KEY: &str = "schema_version";

/// Reads the file's version and runs every migration it still needs.
pub(super) fn bring_up_to_date(store: &Store, now: Timestamp) -> Result<()> {
    let Some(found) = version_of(store)? else {
        return store.write(|txn| {
            tables::create_all(txn)?;
            txn.open_table(META)?.insert(VERSION_KEY, SCHEMA_VERSION)?;
            Ok(())
        });
    };
    if found > SCHEMA_VERSION {
        return Err(Error::storage(format!(
            "the file has schema version {found}, but this trialog knows only up to {SCHEMA_VERSION}: upgrade trialog"
        )));
    }
    if found == SCHEMA_VERSION {
        return Ok(());
    }
    store.write(|txn| {
        if found == 0 {
            v0_to_v1(txn, now)?;
        }
        // Every later version only adds tables; creating them all is the migration.
        tables::create_all(txn)?;
        txn.open_table(META)?.insert(VERSION_KEY, SCHEMA_VERSION)?;
        Ok(())
    })
}

/// The schema version of the file; `None` for a new, empty file. No `meta` table but an
/// `accounts` table means version 0.
fn version_of(store: &Store) -> Result<Option<u64>> {
    let txn = store.db.begin_read()?;
    let names: Vec<String> = txn.list_tables()?.map(|t| t.name().to_string()).collect();
    if names.iter().any(|n| n == META.name()) {
        let meta = txn.open_table(META)?;
        return Ok(Some(meta.get(VERSION_KEY)?.map(|v| v.value()).unwrap_or(0)));
    }
    if names.iter().any(|n| n == ACCOUNTS.name()) {
        return Ok(Some(0));
    }
    Ok(None)
}

/// An account as version 0 stored it.
#[derive(Deserialize)]
struct AccountV0 {
    id: u64,
    pseudonym: String,
    perspective: Perspective,
    #[serde(default)]
    languages: Vec<String>,
    created_at: Timestamp,
}

/// Adds the new tables, rewrites accounts in the current record shape and builds the
/// case-insensitive pseudonym index. Version 0 compared pseudonyms case-sensitively, so two
/// accounts may now collide ("Sonne" and "sonne"): the later one is renamed to
/// "<pseudonym>-<id>" and the rename is written to the audit log, so nobody loses an account.
fn v0_to_v1(txn: &WriteTransaction, now: Timestamp) -> Result<()> {
    tables::create_all(txn)?;
    let old: Vec<AccountV0> = {
        let table = txn.open_table(ACCOUNTS)?;
        let mut rows = Vec::with_capacity(table.len()? as usize);
        for row in table.iter()? {
            let (id, bytes) = row?;
            rows.push(decode(bytes.value(), || format!("version-0 account {}", id.value()))?);
        }
        rows
    };
    for v0 in old {
        let mut pseudonym = v0.pseudonym.clone();
        let mut key = pseudonym_key(&pseudonym);
        if txn.open_table(ACCOUNT_BY_PSEUDONYM)?.get(key.as_str())?.is_some() {
            pseudonym = format!("{}-{}", v0.pseudonym, v0.id);
            key = pseudonym_key(&pseudonym);
            let note = format!("pseudonym '{}' clashed case-insensitively; renamed to '{pseudonym}'", v0.pseudonym);
            audit::append(txn, now, &Actor::Operator, "migration.rename", &format!("account:{}", v0.id), Some(&note))?;
        }
        let account = Account::migrated(v0.id, pseudonym, v0.perspective, v0.languages, v0.created_at);
        txn.open_table(ACCOUNTS)?.insert(v0.id, encode(&account)?.as_slice())?;
        txn.open_table(ACCOUNT_BY_PSEUDONYM)?.insert(key.as_str(), v0.id)?;
    }
    Ok(())
}
