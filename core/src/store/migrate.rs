//! Schema versions and the migrations between them.
//!
//! Version 0 is the pre-release layout: accounts, organisations and sequences, but no `meta`
//! table, no pseudonym index, no credentials and no audit log. Version 1 adds all of those.
//! Version 2 adds the tables of the job board, version 3 those of the postal-code gazetteer
//! (both empty: nothing to convert). Version 4 adds platform settings and stored match runs,
//! and keeps the search cards of remote postings in `job_remote_cards` instead of their ids in
//! `job_remote`, so that suggestions read remote postings in one scan: the migration copies
//! each remote posting's card there and drops the old table. Version 5 stores inbox
//! notifications compactly (postcard instead of JSON; see `inbox::stored`) and rewrites the
//! ones there are.
//! Version 6 adds the tables of the forums (empty: nothing to convert).
//! Version 7 adds the tables of moderation and fills the watched words and crisis resources
//! with their defaults (see `moderation::lists`). Version 8 adds the tables of counselling (new
//! tables only).
//! Each migration runs in one write transaction, so a file is never left half-migrated.

use super::{ReadTable, Reader, Table, WriteTxn};
use serde::Deserialize;

use super::Store;
use super::codec::{decode, encode};
use super::tables::{self, ACCOUNT_BY_PSEUDONYM, ACCOUNTS, INBOX, JOB_CARDS, JOB_REMOTE_CARDS, META};
use crate::accounts::{Account, Perspective, pseudonym_key};
use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::inbox::{self, Notification};

/// The schema version this build writes.
pub const SCHEMA_VERSION: u64 = 8;
const VERSION_KEY: &str = "schema_version";

/// Reads the file's version and runs every migration it still needs.
pub(super) fn bring_up_to_date(store: &Store, now: Timestamp) -> Result<()> {
    let Some(found) = version_of(store)? else {
        return store.write(|txn| {
            tables::create_all(txn)?;
            crate::moderation::seed_defaults(txn)?;
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
        // Later versions add tables (creating them all is that part of the migration) and
        // convert records where said.
        tables::create_all(txn)?;
        if found < 4 {
            v3_to_v4(txn)?;
        }
        if found < 5 {
            compact_notifications(txn)?;
        }
        if found < 7 {
            crate::moderation::seed_defaults(txn)?;
        }
        txn.open_table(META)?.insert(VERSION_KEY, SCHEMA_VERSION)?;
        Ok(())
    })
}

/// Version 5: inbox notifications from JSON to their compact stored form.
fn compact_notifications(txn: &WriteTxn) -> Result<()> {
    let mut inbox = txn.open_table(INBOX)?;
    let mut rewritten = Vec::new();
    for row in inbox.iter()? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let n: Notification = decode(bytes.value(), || format!("notification {id} of account {account}"))?;
        rewritten.push(((account, id), inbox::stored::write(&n)?));
    }
    for (key, bytes) in rewritten {
        inbox.insert(key, bytes.as_slice())?;
    }
    Ok(())
}

/// The schema version of the file; `None` for a new, empty file. No `meta` table but an
/// `accounts` table means version 0.
fn version_of(store: &Store) -> Result<Option<u64>> {
    let txn = store.read()?;
    let names = txn.table_names()?;
    if names.iter().any(|n| n == META.name()) {
        let meta = txn.table(META)?;
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
fn v0_to_v1(txn: &WriteTxn, now: Timestamp) -> Result<()> {
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

/// Version 3's index of published remote postings: ids only.
const JOB_REMOTE_V3: Table<u64, ()> = Table::new("job_remote");

/// Files the card of every published remote posting under `job_remote_cards` and drops
/// `job_remote`. A file older than version 2 has no such table: opening it creates it empty.
fn v3_to_v4(txn: &WriteTxn) -> Result<()> {
    let ids: Vec<u64> = {
        let remote = txn.open_table(JOB_REMOTE_V3)?;
        remote.iter()?.map(|row| row.map(|(id, _)| id.value())).collect::<Result<_, _>>()?
    };
    {
        let cards = txn.open_table(JOB_CARDS)?;
        let mut remote_cards = txn.open_table(JOB_REMOTE_CARDS)?;
        for id in ids {
            let card = cards
                .get(id)?
                .ok_or_else(|| Error::storage(format!("remote job posting {id} is indexed but has no search card")))?;
            remote_cards.insert(id, card.value())?;
        }
    }
    txn.delete_table(JOB_REMOTE_V3)?;
    Ok(())
}
