//! The accounts domain's part in the person's rights (`crate::rights`): the account record
//! with its roles for an export, and its removal — record, pseudonym index and password —
//! for an erasure. The record goes entirely: records elsewhere that keep a place for the
//! person (a post kept as "former member") name nobody.

use serde::Serialize;

use super::credentials::Credential;
use super::tables::{ACCOUNT_BY_PSEUDONYM, ACCOUNTS, CREDENTIALS};
use super::{Account, load, load_credential, pseudonym_key};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::ids::AccountId;
use crate::store::{Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn, decode};

/// The accounts domain's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

/// What an export shows of the password: that there is one and when it was set, never the hash.
#[derive(Serialize)]
struct PasswordFacts {
    set: bool,
    changed_at: Option<Timestamp>,
    last_sign_in: Option<Timestamp>,
    failed_attempts: u32,
}

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let account = load(txn, person.account)?;
    dossier.add("account", ABOUT_ACCOUNT, std::slice::from_ref(&account))?;
    dossier.add("roles", ABOUT_ROLES, &account.roles)?;
    let credential = load_credential(txn, person.account)?;
    let facts = PasswordFacts {
        set: credential.is_some(),
        changed_at: credential.as_ref().map(|c| c.changed_at),
        last_sign_in: credential.as_ref().and_then(|c| c.last_sign_in),
        failed_attempts: credential.as_ref().map_or(0, |c| c.throttle.failed_attempts),
    };
    dossier.add("password", ABOUT_PASSWORD, &[facts])
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let id = erasure.person.account;
    let account = load(txn, id)?;
    txn.open_table(ACCOUNT_BY_PSEUDONYM)?.remove(pseudonym_key(&account.pseudonym).as_str())?;
    let had_password = txn.open_table(CREDENTIALS)?.remove(id)?.is_some();
    txn.open_table(ACCOUNTS)?.remove(id)?;
    erasure.count("account", 1);
    erasure.count("password", u64::from(had_password));
    Ok(())
}

const ABOUT_ACCOUNT: &str = "The account: pseudonym, perspective and who may see it, roles, languages, home region, \
e-mail address, status (active, silenced, suspended, banned), and when it was created and last changed.";
const ABOUT_ROLES: &str = "The roles of the account, one record each: member, moderator, admin, or a role at an \
organisation (`org` is its id: employer staff, counsellor, supervisor).";
const ABOUT_PASSWORD: &str = "Whether the account has a password, when it was last set, the last sign-in (to the day), and how many failed sign-in \
attempts are counted now. The password itself is never stored, only a salted Argon2 hash, which is not exported.";

/// When each account was last active — its last sign-in, or the last change to it, or its
/// creation — in id order: what the retention of inactive accounts decides on.
pub(crate) fn last_active(txn: &impl Reader) -> Result<Vec<(AccountId, Timestamp)>> {
    let credentials = txn.table(CREDENTIALS)?;
    let mut found = Vec::new();
    for row in txn.table(ACCOUNTS)?.range::<u64>(..)? {
        let (id, bytes) = row?;
        let id = id.value();
        let account: Account = decode(bytes.value(), || format!("account {id}"))?;
        let signed_in = match credentials.get(id)? {
            Some(row) => decode::<Credential>(row.value(), || format!("credential of account {id}"))?.last_sign_in,
            None => None,
        };
        let last = [Some(account.created_at), Some(account.updated_at), signed_in].into_iter().flatten().max();
        found.push((id, last.unwrap_or(account.created_at)));
    }
    Ok(found)
}

/// When `account` was last active (see [`last_active`]); `None` when it does not exist.
pub(crate) fn last_active_of(txn: &impl Reader, account: AccountId) -> Result<Option<Timestamp>> {
    let table = txn.table(ACCOUNTS)?;
    let Some(row) = table.get(account)? else { return Ok(None) };
    let found: Account = decode(row.value(), || format!("account {account}"))?;
    let signed_in = load_credential(txn, account)?.and_then(|c| c.last_sign_in);
    Ok([Some(found.created_at), Some(found.updated_at), signed_in].into_iter().flatten().max())
}
