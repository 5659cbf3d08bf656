//! How accounts came to their current shape.

use serde::Deserialize;

use super::tables::{ACCOUNT_BY_PSEUDONYM, ACCOUNTS};
use super::{Account, Perspective, pseudonym_key};
use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::store::{Migration, ReadTable, WriteTxn, decode, encode};

/// The accounts' migrations (see [`crate::store::Migration`]).
pub(crate) fn migrate(txn: &WriteTxn, migration: &Migration) -> Result<()> {
    if migration.predates(1) {
        v0_to_v1(txn, migration.now)?;
    }
    Ok(())
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
fn v0_to_v1(txn: &WriteTxn, now: Timestamp) -> Result<()> {
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
