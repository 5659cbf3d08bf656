//! Sign-in sessions for servers (`trialog serve`): an opaque random token per signed-in
//! device, stored only as its BLAKE2b-256 hash, expiring, revocable and listed per account.
//!
//! Why a fast hash and not argon2id: a token is 256 random bits, so nobody can guess it from
//! its hash however fast the hash is; what argon2id protects — passwords people choose — is
//! checked once, at sign-in. The hash is the index key, so a lookup never compares secrets.

mod model;
mod records;
pub(crate) mod tables;

use blake2::Blake2b;
use blake2::digest::Digest;
use blake2::digest::consts::U32;
use chrono::Duration;

pub use model::{AuthSession, AuthSessionId, SignedIn};

use crate::accounts::{Account, Accounts, NewAccount};
use crate::actor::Actor;
use crate::context::Context;
use crate::crypto::hex;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::policy::{self, Action};
use crate::store::{Due, Findings, WriteTxn, next_id};
use records::Entry;

/// The prefix of every token, so that a leaked one is recognisable (secret scanners).
const TOKEN_PREFIX: &str = "trialog_";
/// Expired sessions one tick deletes.
const BATCH: usize = 500;
/// The longest label kept.
const LABEL_CHARS: usize = 60;

/// Sessions, borrowed from a [`crate::Platform`].
pub struct Sessions<'p> {
    pub(crate) ctx: &'p Context,
}

impl Sessions<'_> {
    /// Signs in with pseudonym and password (argon2id, throttled as [`Accounts::authenticate`])
    /// and opens a session lasting `lifetime`, named `label` (the device).
    pub fn sign_in(
        &self,
        pseudonym: &str,
        password: &str,
        lifetime: Duration,
        label: Option<&str>,
    ) -> Result<SignedIn> {
        check_lifetime(lifetime)?;
        let label = label.map(clean_label).transpose()?;
        let account = Accounts { ctx: self.ctx }.authenticate(pseudonym, password)?;
        self.open(account.id, lifetime, label)
    }

    /// Signs up ([`Accounts::sign_up`]: the account and its password at once, as the policy
    /// lets `actor` create accounts) and opens the new account's first session, as
    /// [`Sessions::sign_in`] would.
    pub fn sign_up(
        &self,
        actor: &Actor,
        new: &NewAccount,
        password: &str,
        lifetime: Duration,
        label: Option<&str>,
    ) -> Result<(Account, SignedIn)> {
        check_lifetime(lifetime)?;
        let label = label.map(clean_label).transpose()?;
        let account = Accounts { ctx: self.ctx }.sign_up(actor, new, password)?;
        let signed_in = self.open(account.id, lifetime, label)?;
        Ok((account, signed_in))
    }

    /// A new session of `account` with a fresh random token.
    fn open(&self, account: AccountId, lifetime: Duration, label: Option<String>) -> Result<SignedIn> {
        let mut secret = [0u8; 32];
        crate::crypto::random(&mut secret)?;
        let token = format!("{TOKEN_PREFIX}{}", hex(&secret));
        let hash = hash(&token);
        let now = self.ctx.now();
        let session = self.ctx.store().write(|txn| {
            let session = AuthSession {
                id: AuthSessionId(next_id(txn, "auth_sessions")?),
                account,
                created_at: now,
                expires_at: now + lifetime,
                label: label.clone(),
            };
            records::insert(txn, &session, &hash)?;
            Ok(session)
        })?;
        Ok(SignedIn { token, session })
    }

    /// The session of a token: `PermissionDenied` when it is unknown, revoked or expired;
    /// `AccountErased` when its account was erased and it has not expired yet (its device
    /// should then delete what it holds of the person).
    pub fn resolve(&self, token: &str) -> Result<AuthSession> {
        let refused = |why: &str| Error::denied("use this session", why);
        if !token.starts_with(TOKEN_PREFIX) || token.len() != TOKEN_PREFIX.len() + 64 {
            return Err(refused("the token is not a trialog session token"));
        }
        let txn = self.ctx.store().read()?;
        let entry =
            records::by_hash(&txn, &hash(token))?.ok_or_else(|| refused("the session is unknown or was revoked"))?;
        let now = self.ctx.now();
        match entry {
            Entry::Session(session) if session.expires_at > now => Ok(session),
            Entry::Erased { expires_secs } if expires_secs > seconds(now) => Err(Error::AccountErased {
                reason: "the account of this session was erased; delete what this device holds of it".into(),
            }),
            _ => Err(refused("the session has expired; sign in again")),
        }
    }

    /// Ends the session of `token` (signing out); the token stops working at once.
    pub fn sign_out(&self, token: &str) -> Result<AuthSession> {
        let session = self.resolve(token)?;
        self.ctx.store().write(|txn| records::remove(txn, session.id))
    }

    /// An account's sessions, oldest first (the account itself or an admin).
    pub fn list(&self, actor: &Actor, account: AccountId) -> Result<Vec<AuthSession>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageSessions { account }, now)?;
            records::of_account(txn, account)
        })
    }

    /// Revokes session `id` (its account or an admin); its token stops working at once.
    pub fn revoke(&self, actor: &Actor, id: AuthSessionId) -> Result<AuthSession> {
        self.ctx.write(actor, |txn, subject, now| {
            let session = records::load(txn, id)?;
            policy::check(subject, Action::ManageSessions { account: session.account }, now)?;
            records::remove(txn, id)
        })
    }
}

fn check_lifetime(lifetime: Duration) -> Result<()> {
    if lifetime < Duration::minutes(1) || lifetime > Duration::days(366) {
        return Err(Error::invalid("lifetime", "must be between one minute and a year"));
    }
    Ok(())
}

fn clean_label(label: &str) -> Result<String> {
    let label = label.trim();
    if label.chars().any(char::is_control) {
        return Err(Error::invalid("label", "must not contain control characters"));
    }
    if label.chars().count() > LABEL_CHARS {
        return Err(Error::invalid("label", format!("must be at most {LABEL_CHARS} characters")));
    }
    Ok(label.to_string())
}

fn hash(token: &str) -> Vec<u8> {
    Blake2b::<U32>::digest(token.as_bytes()).to_vec()
}

fn seconds(at: crate::clock::Timestamp) -> u64 {
    u64::try_from(at.timestamp()).unwrap_or(0)
}

/// Deletes one batch of expired sessions and tombstones of erased accounts' sessions.
fn tick(txn: &WriteTxn, now: crate::clock::Timestamp, due: &mut Due) -> Result<()> {
    let expired = records::expired(txn, seconds(now), BATCH)?;
    for id in &expired {
        records::remove_row(txn, *id)?;
    }
    due.count("expired sessions deleted", expired.len() as u64);
    due.more |= expired.len() == BATCH;
    Ok(())
}

/// Registration of the sessions: four tables, swept by the scheduler.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "sessions",
    tables: tables::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |txn, found: &mut Findings| {
        let n = records::check(txn, &mut found.problems)?;
        found.count("sign-in sessions", n);
        Ok(())
    },
    figures: None,
    personal: Some(records::PERSONAL),
    tick,
};
