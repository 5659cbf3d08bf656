//! The accounts domain's part in the person's rights (`crate::rights`): the account record
//! with its roles for an export, and its removal — record, pseudonym index and password —
//! for an erasure. The record goes entirely: records elsewhere that keep a place for the
//! person (a post kept as "former member") name nobody.
//!
//! Also how accounts are stored: the account records, the case- and look-alike-insensitive
//! pseudonym index and the password credentials; the only module of the domain that opens its
//! tables. Since schema version 31 the index is keyed by a keyed hash of `pseudonym_key` under
//! the platform's index key in the key store ([`pseudonym_tag`]), not by the key itself: the
//! index holds no pseudonym in the clear, so an erased account's entry leaves nothing behind
//! in the index's pages (and a copy of the file without the key store cannot be searched for
//! a name by trying likely ones).
//!
//! Since schema version 15 the e-mail address is sealed under the person's data key
//! (crypto-shredding, `crate::store::Sealed`, `docs/erasure.md`): the record is stored as
//! [`Stored`], the account without its e-mail beside the sealed e-mail. Erasure destroys the
//! key, so the address cannot be read from any copy of the record made before. Since schema
//! version 19 the profile — the perspective (health data: lived experience, relative,
//! professional), languages and home region — is sealed the same way, in [`Stored::profile`];
//! an account whose profile is all unset has none (and, without an e-mail, no key).

use serde::{Deserialize, Serialize};

use super::credentials::Credential;
use super::tables::{ACCOUNT_BY_PSEUDONYM, ACCOUNTS, CREDENTIALS};
use super::{Account, Perspective, pseudonym_key};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{
    Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, Sealed, WriteTxn, compact_records, decode, encode,
    index_tag, index_tag_or_new, seal, sealing_many,
};

/// An account as stored since schema version 15: the record with `email` empty, and the
/// e-mail sealed under the person's key; since version 19 also with the profile's fields
/// unset in the record and sealed in `profile` (records of versions 15 to 18 have none).
#[derive(Serialize, Deserialize)]
pub(crate) struct Stored {
    account: Account,
    email: Option<Sealed>,
    #[serde(default)]
    profile: Option<Sealed>,
}

/// What [`Stored::profile`] seals (as JSON).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    perspective: Perspective,
    languages: Vec<String>,
    home_region: Option<String>,
}

impl Profile {
    /// Takes the profile's fields out of `account`, leaving them unset; `None` when they are.
    fn take(account: &mut Account) -> Option<Profile> {
        let profile = Profile {
            perspective: std::mem::take(&mut account.perspective),
            languages: std::mem::take(&mut account.languages),
            home_region: account.home_region.take(),
        };
        let unset = profile.perspective == Perspective::default()
            && profile.languages.is_empty()
            && profile.home_region.is_none();
        (!unset).then_some(profile)
    }

    /// Opens the sealed profile of account `id` into `account`.
    fn open_into(sealed: &Sealed, txn: &impl Reader, account: &mut Account) -> Result<()> {
        let id = account.id;
        let what = || format!("the profile of account {id}");
        let json = sealed.open(txn, id, &profile_place(id), what)?;
        let profile: Profile =
            serde_json::from_str(&json).map_err(|_| Error::storage(format!("{} is damaged", what())))?;
        (account.perspective, account.languages, account.home_region) =
            (profile.perspective, profile.languages, profile.home_region);
        Ok(())
    }
}

/// An account record in either shape, for the migrations: [`Stored`] (version 15 on), or the
/// account with its e-mail in the record (before). The shapes cannot be mistaken for each
/// other (an account starts with its id, a stored record with the account).
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum AnyShape {
    Stored(Stored),
    Before15(Account),
}

impl AnyShape {
    /// The account, its e-mail opened if it was sealed.
    fn account(self, txn: &impl Reader) -> Result<Account> {
        match self {
            AnyShape::Before15(account) => Ok(account),
            AnyShape::Stored(stored) => {
                let id = stored.account.id;
                let mut account = stored.account;
                account.email = match stored.email {
                    Some(sealed) => {
                        Some(sealed.open(txn, id, &email_place(id), || format!("the e-mail of account {id}"))?)
                    }
                    None => None,
                };
                if let Some(sealed) = &stored.profile {
                    Profile::open_into(sealed, txn, &mut account)?;
                }
                Ok(account)
            }
        }
    }
}

/// Every account in id order, whichever shape its record has (for the migrations).
pub(crate) fn every_account_any_shape(txn: &impl Reader, what: &str) -> Result<Vec<Account>> {
    every_account_as::<AnyShape>(txn, what)?.into_iter().map(|a| a.account(txn)).collect()
}

/// Where an account's e-mail is sealed (its associated data): it opens nowhere else.
fn email_place(id: AccountId) -> Vec<u8> {
    [b"account-email\0".as_slice(), &id.0.to_be_bytes()].concat()
}

/// Where an account's profile is sealed (its associated data).
fn profile_place(id: AccountId) -> Vec<u8> {
    [b"account-profile\0".as_slice(), &id.0.to_be_bytes()].concat()
}

/// The stored bytes of `account`, its e-mail and profile sealed.
fn to_stored(txn: &WriteTxn, account: &Account) -> Result<Vec<u8>> {
    let mut plain = account.clone();
    let email = plain.email.take().map(|e| seal(txn, account.id, &email_place(account.id), &e)).transpose()?;
    let profile = match Profile::take(&mut plain) {
        Some(profile) => {
            let json = serde_json::to_string(&profile)
                .map_err(|e| Error::storage(format!("cannot encode the profile of account {}: {e}", account.id)))?;
            Some(seal(txn, account.id, &profile_place(account.id), &json)?)
        }
        None => None,
    };
    encode(&Stored { account: plain, email, profile })
}

/// The account of stored bytes, its e-mail opened; a storage error when the person's key is
/// gone (erased) or the record is damaged.
fn from_stored(txn: &impl Reader, id: AccountId, bytes: &[u8]) -> Result<Account> {
    AnyShape::Stored(decode_stored(id, bytes)?).account(txn)
}

fn decode_stored(id: AccountId, bytes: &[u8]) -> Result<Stored> {
    decode(bytes, || format!("account {id}"))
}

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
    let account = load_for_erasure(txn, id)?;
    if let Some(tag) = pseudonym_tag(txn, &account.pseudonym)? {
        txn.open_table(ACCOUNT_BY_PSEUDONYM)?.remove(tag.as_str())?;
    }
    let had_password = txn.open_table(CREDENTIALS)?.remove(id.0)?.is_some();
    txn.open_table(ACCOUNTS)?.remove(id.0)?;
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
        let id = AccountId(id.value());
        let account = decode_stored(id, bytes.value())?.account;
        let signed_in = match credentials.get(id.0)? {
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
    let Some(row) = table.get(account.0)? else { return Ok(None) };
    let found = decode_stored(account, row.value())?.account;
    let signed_in = load_credential(txn, account)?.and_then(|c| c.last_sign_in);
    Ok([Some(found.created_at), Some(found.updated_at), signed_in].into_iter().flatten().max())
}

/// Adds what [`load`] reads to `ahead`: the account's row, and the account's own key, which
/// opens its sealed e-mail and profile (without it in `ahead`, a thread page read by a member
/// with an e-mail took a round trip more for that key alone: the bench's, 2026-12-07).
pub(crate) fn read_ahead(ahead: crate::store::Ahead, id: AccountId) -> crate::store::Ahead {
    ahead.row(ACCOUNTS, id.0).keys([id])
}

/// Loads an account; `NotFound` when it does not exist.
pub(crate) fn load(txn: &impl Reader, id: AccountId) -> Result<Account> {
    let table = txn.table(ACCOUNTS)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("account", id))?;
    from_stored(txn, id, row.value())
}

/// Loads an account for its erasure: as [`load`], but an e-mail whose key is gone already (an
/// erasure that destroyed the key and then failed to commit) reads as none, so the erasure can
/// run again.
pub(crate) fn load_for_erasure(txn: &impl Reader, id: AccountId) -> Result<Account> {
    let table = txn.table(ACCOUNTS)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("account", id))?;
    let stored = decode_stored(id, row.value())?;
    let mut account = stored.account;
    account.email = stored.email.and_then(|s| s.open(txn, id, &email_place(id), String::new).ok());
    if let Some(sealed) = &stored.profile {
        // A profile whose key is gone reads as unset, like the e-mail.
        let _ = Profile::open_into(sealed, txn, &mut account);
    }
    Ok(account)
}

/// Writes an account's record, new or changed, its e-mail sealed.
pub(crate) fn save(txn: &WriteTxn, account: &Account) -> Result<()> {
    txn.open_table(ACCOUNTS)?.put(account.id.0, to_stored(txn, account)?.as_slice())?;
    Ok(())
}

/// Writes an account's record in the shape before schema version 15 (e-mail in the record),
/// for the migrations that run before versions 15 and 19's sealing ([`seal_accounts_v19`]).
pub(crate) fn save_before_v15(txn: &WriteTxn, account: &Account) -> Result<()> {
    txn.open_table(ACCOUNTS)?.put(account.id.0, encode(account)?.as_slice())?;
    Ok(())
}

/// Versions 15 and 19: every account is rewritten as [`Stored`], its e-mail (version 15) and
/// profile (version 19) sealed under a new key of the person (accounts without either get no
/// key). One pass serves a file older than both.
pub(crate) fn seal_accounts_v19(txn: &WriteTxn) -> Result<()> {
    let accounts = every_account_any_shape(txn, "account")?;
    sealing_many(txn, || accounts.iter().try_for_each(|account| save(txn, account)))
}

/// Every account, e-mails opened, in id order (the codec comparison samples them).
#[cfg(feature = "bench-support")]
pub(crate) fn every_account(txn: &impl Reader) -> Result<Vec<Account>> {
    let table = txn.table(ACCOUNTS)?;
    let mut rows = Vec::with_capacity(table.len()? as usize);
    for row in table.iter()? {
        let (id, bytes) = row?;
        rows.push(from_stored(txn, AccountId(id.value()), bytes.value())?);
    }
    Ok(rows)
}

/// Visits accounts in id order from `start`, one at a time, until `visit` returns `false`.
pub(crate) fn visit_from(
    txn: &impl Reader,
    start: AccountId,
    mut visit: impl FnMut(Account) -> Result<bool>,
) -> Result<()> {
    for row in txn.table(ACCOUNTS)?.range(start.0..)? {
        let (id, bytes) = row?;
        if !visit(from_stored(txn, AccountId(id.value()), bytes.value())?)? {
            break;
        }
    }
    Ok(())
}

/// Every account decoded as `T`, in id order: an older schema's shape, for a migration.
pub(crate) fn every_account_as<T: serde::de::DeserializeOwned>(txn: &impl Reader, what: &str) -> Result<Vec<T>> {
    let table = txn.table(ACCOUNTS)?;
    let mut rows = Vec::with_capacity(table.len()? as usize);
    for row in table.iter()? {
        let (id, bytes) = row?;
        rows.push(decode(bytes.value(), || format!("{what} {}", id.value()))?);
    }
    Ok(rows)
}

/// The password credential of an account, if it has one.
pub(crate) fn load_credential(txn: &impl Reader, id: AccountId) -> Result<Option<Credential>> {
    let table = txn.table(CREDENTIALS)?;
    let row = table.get(id.0)?;
    row.map(|r| decode(r.value(), || format!("credential of account {id}"))).transpose()
}

/// Writes an account's password credential (a new hash, or a sign-in's counts).
pub(crate) fn save_credential(txn: &WriteTxn, id: AccountId, credential: &Credential) -> Result<()> {
    txn.open_table(CREDENTIALS)?.put(id.0, encode(credential)?.as_slice())?;
    Ok(())
}

/// What the pseudonym index's keyed hashes are made for (the hash's first input).
const PSEUDONYM_INDEX: &[u8] = b"pseudonym-index";

/// What `pseudonym` is filed under in the index: the keyed hash of its `pseudonym_key`
/// (`crate::store::index_tag`); `None` when the platform has no index key yet (nothing filed).
fn pseudonym_tag(txn: &impl Reader, pseudonym: &str) -> Result<Option<String>> {
    index_tag(txn, PSEUDONYM_INDEX, &pseudonym_key(pseudonym))
}

/// The account holding `pseudonym` (compared by its key, so "Sonne" holds "sonne").
pub(crate) fn id_of_pseudonym(txn: &impl Reader, pseudonym: &str) -> Result<Option<AccountId>> {
    let Some(tag) = pseudonym_tag(txn, pseudonym)? else { return Ok(None) };
    let table = txn.table(ACCOUNT_BY_PSEUDONYM)?;
    Ok(table.get(tag.as_str())?.map(|v| AccountId(v.value())))
}

/// Files `pseudonym` (by its keyed hash) as account `id`'s, making the index key first if
/// the platform has none.
pub(crate) fn file_pseudonym(txn: &WriteTxn, pseudonym: &str, id: AccountId) -> Result<()> {
    let tag = index_tag_or_new(txn, PSEUDONYM_INDEX, &pseudonym_key(pseudonym))?;
    txn.open_table(ACCOUNT_BY_PSEUDONYM)?.insert(tag.as_str(), id.0)?;
    Ok(())
}

/// Version 31: the pseudonym index rebuilt under keyed hashes (it was keyed by
/// `pseudonym_key` in the clear). The pseudonyms are read from the records without opening
/// anything sealed; they were unique by their keys, so they are by their hashes.
pub(crate) fn hash_pseudonyms_v31(txn: &WriteTxn) -> Result<u64> {
    let mut filed = Vec::new();
    for row in txn.table(ACCOUNTS)?.iter()? {
        let (id, bytes) = row?;
        let id = AccountId(id.value());
        filed.push((id, decode_stored(id, bytes.value())?.account.pseudonym));
    }
    clear_pseudonyms(txn)?;
    for (id, pseudonym) in &filed {
        file_pseudonym(txn, pseudonym, *id)?;
    }
    Ok(filed.len() as u64)
}

/// Empties the pseudonym index (a migration rebuilds it under new keys).
pub(crate) fn clear_pseudonyms(txn: &WriteTxn) -> Result<()> {
    txn.open_table(ACCOUNT_BY_PSEUDONYM)?.retain(|_, _| false)
}

/// Counts accounts and checks the pseudonym index against them, for integrity reports.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let accounts = txn.table(ACCOUNTS)?;
    let index = txn.table(ACCOUNT_BY_PSEUDONYM)?;
    let mut count = 0;
    for row in accounts.iter()? {
        let (id, bytes) = row?;
        let id = AccountId(id.value());
        count += 1;
        match from_stored(txn, id, bytes.value()) {
            Err(e) => problems.push(e.to_string()),
            Ok(a) => {
                let indexed = match pseudonym_tag(txn, &a.pseudonym)? {
                    Some(tag) => index.get(tag.as_str())?.map(|v| AccountId(v.value())),
                    None => None,
                };
                if indexed != Some(id) {
                    problems.push(format!("account {id} ('{}') is indexed as {:?}", a.pseudonym, indexed.map(|a| a.0)));
                }
            }
        }
    }
    let indexed = index.iter()?.count() as u64;
    if indexed != count {
        problems.push(format!("the pseudonym index has {indexed} entries for {count} accounts"));
    }
    Ok(count)
}

/// Version 12: the accounts and their credentials in the compact record form.
pub(crate) fn compact_records_v12(txn: &WriteTxn) -> Result<()> {
    compact_records::<u64, AnyShape>(txn, ACCOUNTS, "account")?;
    compact_records::<u64, Credential>(txn, CREDENTIALS, "credential of account")?;
    Ok(())
}
