//! What every domain command works with: the open platform, the actor it acts as, and where
//! to print. Also how accounts are addressed on the command line.

use std::path::Path;

use trialog_core::{Account, AccountId, Actor, ContentKey, Error, OrgId, Platform, PlatformOptions};

use crate::args::Global;
use crate::failure::Failure;
use crate::output::Output;
use crate::permissions;

/// Page cache for the CLI: each command is short-lived and touches few pages.
const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// An open platform and the actor the command runs as.
pub struct Session {
    pub platform: Platform,
    pub actor: Actor,
    pub out: Output,
}

impl Session {
    /// Opens an existing database file and resolves `--as`. Only `init` and `demo` create
    /// files, so that a mistyped `--db` does not leave an empty platform behind.
    pub fn open(global: &Global, out: Output) -> Result<Session, Failure> {
        Self::open_with_key(global, out, None)
    }

    /// Like [`Session::open`], with the counselling content key (when one was given).
    pub fn open_with_key(global: &Global, out: Output, key: Option<ContentKey>) -> Result<Session, Failure> {
        Self::open_with(global, out, PlatformOptions { content_key: key, ..options() })
    }

    /// Like [`Session::open`], with options of the command's own (a key, a limit).
    pub fn open_with(global: &Global, out: Output, options: PlatformOptions) -> Result<Session, Failure> {
        let platform = open_platform(&global.db, options)?;
        permissions::warn_if_exposed(&global.db, permissions::DATABASE_HOLDS, out);
        let actor = match &global.acting_as {
            None => Actor::Operator,
            Some(who) => Actor::account(acting_account(&platform, who)?),
        };
        Ok(Session { platform, actor, out })
    }

    /// The account named on the command line (pseudonym, id, or `@pseudonym`), as the actor sees it.
    pub fn account(&self, address: &str) -> Result<Account, Failure> {
        Ok(find_account(&self.platform, &self.actor, address)?)
    }

    /// The name of organisation `id`, if the actor may see it.
    pub fn org_name(&self, id: OrgId) -> Option<String> {
        self.platform.orgs().get(&self.actor, id).ok().map(|org| org.name)
    }

    /// The pseudonym of account `id`, if the actor may see it.
    pub fn pseudonym(&self, id: AccountId) -> Option<String> {
        self.platform.accounts().get(&self.actor, id).ok().map(|a| a.pseudonym)
    }
}

/// Opens an existing file: read-only when its permissions keep it from being written, so that
/// it can still be read (a change then fails, saying why).
fn open_platform(path: &Path, options: PlatformOptions) -> Result<Platform, Error> {
    if permissions::write_protected(path) {
        Platform::open_read_only(path, options)
    } else {
        Platform::open_existing(path, options)
    }
}

/// Options for every platform the CLI opens.
pub fn options() -> PlatformOptions {
    PlatformOptions { cache_bytes: CACHE_BYTES, ..PlatformOptions::default() }
}

/// Looks up an account by the way it was written: digits are an id, `@name` or anything else a
/// pseudonym.
pub fn find_account(platform: &Platform, actor: &Actor, address: &str) -> Result<Account, Error> {
    let accounts = platform.accounts();
    if let Some(pseudonym) = address.strip_prefix('@') {
        return accounts.find_by_pseudonym(actor, pseudonym);
    }
    match address.trim().parse::<AccountId>() {
        Ok(id) => accounts.get(actor, id),
        Err(_) => accounts.find_by_pseudonym(actor, address),
    }
}

/// The id behind `--as`, looked up by the operator.
fn acting_account(platform: &Platform, who: &str) -> Result<AccountId, Failure> {
    find_account(platform, &Actor::Operator, who).map(|a| a.id).map_err(|error| {
        let mut failure = Failure::from(error);
        failure.message = format!("cannot act as '{who}': {}", failure.message);
        failure
    })
}
