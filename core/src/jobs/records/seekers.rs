//! How seeker profiles are stored: one record per account, keyed by the account id.
//!
//! Since schema version 19 the profile — where the person lives and looks for work, how far
//! they travel, hours, contracts, pay, languages and their EX-IN status (which tells of lived
//! experience of a crisis) — is sealed under the person's data key (crypto-shredding,
//! `docs/erasure.md`) as [`Stored`]: only whether employers may find it stays in the clear, so
//! that the list of findable seekers opens no profile that is not findable. No index reads a
//! profile's fields: the list and the suggestions open the profiles they look at.

use serde::{Deserialize, Serialize};

use super::super::seekers::SeekerProfile;
use super::super::tables::SEEKERS;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{ReadTable, Reader, Sealed, WriteTxn, decode, encode, seal, sealing_many};

/// A profile as stored since schema version 19: whether it is findable, and the profile
/// sealed (as JSON).
#[derive(Serialize, Deserialize)]
struct Stored {
    findable: bool,
    profile: Sealed,
}

/// A profile record in either shape: [`Stored`] (version 19 on) or the profile as it is
/// (before). They cannot be mistaken for each other (a profile starts with its account id, a
/// stored record with a flag).
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AnyShape {
    Stored(Stored),
    Before19(Box<SeekerProfile>),
}

/// Where a profile is sealed (its associated data): it opens nowhere else.
fn place(account: AccountId) -> Vec<u8> {
    [b"seeker-profile\0".as_slice(), &account.0.to_be_bytes()].concat()
}

impl AnyShape {
    fn findable(&self) -> bool {
        match self {
            AnyShape::Stored(stored) => stored.findable,
            AnyShape::Before19(profile) => profile.findable,
        }
    }

    /// The profile, opened; a storage error (naming the account, never the profile) when the
    /// person's key is gone.
    fn open(self, txn: &impl Reader, account: AccountId) -> Result<SeekerProfile> {
        let stored = match self {
            AnyShape::Before19(profile) => return Ok(*profile),
            AnyShape::Stored(stored) => stored,
        };
        let what = || format!("seeker profile {account}");
        let json = stored.profile.open(txn, account, &place(account), what)?;
        serde_json::from_str(&json).map_err(|_| Error::storage(format!("{} is damaged", what())))
    }
}

fn decode_any(account: AccountId, bytes: &[u8]) -> Result<AnyShape> {
    decode(bytes, || format!("seeker profile {account}"))
}

/// The seeker profile of `account`, if there is one.
pub(crate) fn profile(txn: &impl Reader, account: AccountId) -> Result<Option<SeekerProfile>> {
    let table = txn.table(SEEKERS)?;
    let row = table.get(account.0)?;
    row.map(|r| decode_any(account, r.value())?.open(txn, account)).transpose()
}

/// Writes the profile of `account`, new or changed, sealed under their key.
pub(crate) fn save_profile(txn: &WriteTxn, account: AccountId, profile: &SeekerProfile) -> Result<()> {
    let json = serde_json::to_string(profile)
        .map_err(|e| Error::storage(format!("cannot encode seeker profile {account}: {e}")))?;
    let stored =
        AnyShape::Stored(Stored { findable: profile.findable, profile: seal(txn, account, &place(account), &json)? });
    txn.open_table(SEEKERS)?.put(account.0, encode(&stored)?.as_slice())?;
    Ok(())
}

/// Removes the profile of `account`; whether there was one.
pub(crate) fn remove_profile(txn: &WriteTxn, account: AccountId) -> Result<bool> {
    Ok(txn.open_table(SEEKERS)?.remove(account.0)?.is_some())
}

/// Visits the findable profiles in account order from `start`, one at a time, until `visit`
/// returns `false`; profiles that are not findable are not opened.
pub(crate) fn visit_findable(
    txn: &impl Reader,
    start: AccountId,
    mut visit: impl FnMut(SeekerProfile) -> Result<bool>,
) -> Result<()> {
    for row in txn.table(SEEKERS)?.range(start.0..)? {
        let (id, bytes) = row?;
        let account = AccountId(id.value());
        let any = decode_any(account, bytes.value())?;
        if any.findable() && !visit(any.open(txn, account)?)? {
            break;
        }
    }
    Ok(())
}

/// Counts the profiles, noting each that does not open (its person's key is gone, or it is
/// damaged) in words without its content, for the integrity check.
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let mut count = 0;
    for row in txn.table(SEEKERS)?.iter()? {
        let (id, bytes) = row?;
        count += 1;
        let account = AccountId(id.value());
        if let Err(e) = decode_any(account, bytes.value()).and_then(|any| any.open(txn, account)) {
            problems.push(e.to_string());
        }
    }
    Ok(count)
}

/// Version 19: every profile written before is sealed under its person's key (a new key for
/// each person without one); how many.
pub(crate) fn seal_profiles_v19(txn: &WriteTxn) -> Result<u64> {
    let mut plain = Vec::new();
    for row in txn.table(SEEKERS)?.iter()? {
        let (id, bytes) = row?;
        if let AnyShape::Before19(profile) = decode_any(AccountId(id.value()), bytes.value())? {
            plain.push(profile);
        }
    }
    sealing_many(txn, || {
        plain.iter().try_for_each(|profile| save_profile(txn, profile.account, profile))?;
        Ok(plain.len() as u64)
    })
}
