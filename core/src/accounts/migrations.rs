//! How accounts came to their current shape.

use serde::Deserialize;

use super::{Account, AccountId, Perspective, records};
use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::store::{Migration, WriteTxn};

/// The accounts' migrations (see [`crate::store::Migration`]).
pub(crate) fn migrate(txn: &WriteTxn, migration: &Migration) -> Result<()> {
    if migration.predates(1) {
        v0_to_v1(txn, migration.now)?;
    }
    // Version 9 keyed pseudonyms by look-alike skeletons, version 11 folds the skeleton's
    // capitals too: one rebuild under today's keys serves a file older than either.
    if migration.predates(11) {
        rekey_pseudonyms(txn, migration.now)?;
    }
    if migration.predates(12) {
        records::compact_records_v12(txn)?;
    }
    // Version 15 sealed the e-mail addresses, version 19 the profiles: one rewrite of every
    // account seals both.
    if migration.predates(19) {
        records::seal_accounts_v19(txn)?;
    }
    // Version 31 keys the pseudonym index by keyed hashes: a rebuild after every step above,
    // which may have filed names under the older keys.
    if migration.predates(31) {
        records::hash_pseudonyms_v31(txn)?;
    }
    Ok(())
}

/// An account as version 0 stored it.
#[derive(Deserialize)]
struct AccountV0 {
    id: AccountId,
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
    let old: Vec<AccountV0> = records::every_account_as(txn, "version-0 account")?;
    for v0 in old {
        let pseudonym = index_pseudonym(txn, v0.id, &v0.pseudonym, "case-insensitively", now)?;
        let account = Account::migrated(v0.id, pseudonym, v0.perspective, v0.languages, v0.created_at);
        records::save_before_v15(txn, &account)?;
    }
    Ok(())
}

/// Files `pseudonym` under its key; when another account holds the key, files it as
/// "<pseudonym>-<id>" instead and writes the rename to the audit log. Returns the name filed.
fn index_pseudonym(txn: &WriteTxn, id: AccountId, pseudonym: &str, how: &str, now: Timestamp) -> Result<String> {
    let mut filed = pseudonym.to_string();
    if records::id_of_pseudonym(txn, &filed)?.is_some() {
        filed = format!("{pseudonym}-{id}");
        let note = format!("pseudonym '{pseudonym}' clashed {how}; renamed to '{filed}'");
        audit::append(txn, now, &Actor::Operator, "migration.rename", &format!("account:{id}"), Some(&note))?;
    }
    records::file_pseudonym(txn, &filed, id)?;
    Ok(filed)
}

/// Versions 9 and 11: rebuilds the pseudonym index under look-alike keys, in account order, so
/// the older of two look-alike names keeps it and the newer is renamed.
fn rekey_pseudonyms(txn: &WriteTxn, now: Timestamp) -> Result<()> {
    let accounts = records::every_account_any_shape(txn, "account")?;
    records::clear_pseudonyms(txn)?;
    for mut account in accounts {
        let filed = index_pseudonym(txn, account.id, &account.pseudonym, "with a look-alike name", now)?;
        if filed != account.pseudonym {
            account.pseudonym = filed;
            records::save_before_v15(txn, &account)?;
        }
    }
    Ok(())
}
