//! What an erasure leaves of a session, read from the tables themselves (so beside the
//! session records): a tombstone that links to nobody.

use std::sync::Arc;

use chrono::Duration;

use crate::sessions::tables::{AUTH_SESSION_BY_HASH, AUTH_SESSIONS, AUTH_SESSIONS_BY_ACCOUNT, AUTH_SESSIONS_BY_EXPIRY};
use crate::store::{ReadTable, Reader, decode};
use crate::{Actor, NewAccount, Platform, PlatformOptions, TestClock};

const PASSWORD: &str = "ein langes Passwort";

#[test]
fn an_erased_accounts_session_leaves_a_tombstone_of_hash_and_expiry_only() {
    let clock = TestClock::at("2026-03-02T09:00:00Z".parse().unwrap());
    let p = Platform::in_memory_with(PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() }).unwrap();
    let new = NewAccount { pseudonym: "Kim_aus_Jena".into(), ..Default::default() };
    let kim = p.accounts().create(&Actor::Operator, &new).unwrap().id;
    p.accounts().set_password(&Actor::Operator, kim, PASSWORD).unwrap();
    let phone = p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::days(30), Some("Kims Telefon")).unwrap();
    p.sessions().sign_in("Kim_aus_Jena", PASSWORD, Duration::minutes(5), None).unwrap();
    clock.advance(Duration::minutes(10));
    p.rights().erase(&Actor::account(kim), kim, None, "auf eigenen Wunsch").unwrap();

    let txn = p.store().read().unwrap();
    let rows: Vec<(u64, Vec<u8>)> = txn
        .table(AUTH_SESSIONS)
        .unwrap()
        .iter()
        .unwrap()
        .map(|row| row.map(|(id, bytes)| (id.value(), bytes.value().to_vec())).unwrap())
        .collect();
    assert_eq!(rows.len(), 1, "the unexpired session is a tombstone, the expired one is gone");
    let (id, bytes) = &rows[0];
    assert_ne!(*id, phone.session.id.0, "the tombstone's id is new: the old one may be in an export");
    // Read as three fields of any content: a record of more fields would be refused.
    let (session, hash, expires): (Option<serde_json::Value>, Vec<u8>, Option<u64>) =
        decode(bytes, || "the tombstone".into()).unwrap();
    assert_eq!(session, None, "no session record: no account, device name or sign-in time");
    assert_eq!(hash.len(), 32, "the token's hash");
    assert_eq!(expires, u64::try_from(phone.session.expires_at.timestamp()).ok(), "its expiry in seconds");
    assert!(!String::from_utf8_lossy(bytes).contains("Telefon"));
    assert_eq!(txn.table(AUTH_SESSIONS_BY_ACCOUNT).unwrap().len().unwrap(), 0, "no account's list holds it");
    assert_eq!(txn.table(AUTH_SESSION_BY_HASH).unwrap().len().unwrap(), 1);
    assert_eq!(txn.table(AUTH_SESSIONS_BY_EXPIRY).unwrap().len().unwrap(), 1);
    assert_eq!(p.integrity().unwrap().problems, Vec::<String>::new());
}
