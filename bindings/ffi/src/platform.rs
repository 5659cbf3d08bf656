//! The exported [`Platform`] handle: opening a database and choosing who acts.

use std::sync::Arc;

use trialog_core::{AccountId, Actor, Durability, Error, PlatformOptions};

use trialog_core::api::guard;

/// How to open a platform file. Absent fields take the core's defaults.
#[derive(Debug, Clone, uniffi::Record)]
pub struct PlatformConfig {
    /// Page-cache size in bytes. The default (256 MiB) suits a server; apps should pass
    /// 16–64 MiB.
    #[uniffi(default = None)]
    pub cache_bytes: Option<u64>,
    /// Whether each commit waits for the disk; `Immediate` by default.
    #[uniffi(default = None)]
    pub durability: Option<Durability>,
    /// Whether a missing file is created (the default) or reported as `NotFound`.
    #[uniffi(default = true)]
    pub create: bool,
    /// The platform content key (32 bytes, see `generateContentKey`) that counselling content
    /// is encrypted with; counselling calls that touch content throw
    /// `InvalidInput(field = "content_key")` without it.
    #[uniffi(default = None)]
    pub content_key: Option<Vec<u8>>,
}

impl Default for PlatformConfig {
    fn default() -> Self {
        PlatformConfig { cache_bytes: None, durability: None, create: true, content_key: None }
    }
}

impl PlatformConfig {
    fn into_options(self) -> Result<PlatformOptions, Error> {
        PlatformOptions::with_settings(self.cache_bytes, self.durability, self.content_key.as_deref())
    }
}

/// An open trialog platform, acting as one actor.
///
/// `open` and `inMemory` return a handle acting as the operator (whoever holds the file: all
/// rights). `actingAs`, `asAccount`, `anonymous` and `signIn` return further handles on the same
/// database acting as someone else; every operation is checked against the handle's actor.
///
/// The actor of a handle is asserted by the host, as in the core: any handle can derive any
/// other, so authenticate people (for example with `signIn`) before acting for them.
///
/// Handles are safe to share between threads. Close every handle (`use {}` in Kotlin); the file
/// stays open until the last handle on it is closed.
#[derive(uniffi::Object)]
pub struct Platform {
    core: trialog_core::Platform,
    actor: Actor,
}

impl Platform {
    /// The core platform and the actor, for the operation modules.
    pub(crate) fn parts(&self) -> (&trialog_core::Platform, &Actor) {
        (&self.core, &self.actor)
    }

    fn acting(&self, actor: Actor) -> Arc<Platform> {
        Arc::new(Platform { core: self.core.clone(), actor })
    }
}

#[uniffi::export]
impl Platform {
    /// Opens (or creates) the database file at `path`, acting as the operator.
    ///
    /// Throws `DatabaseInUse` when the file is already open, in this process or another.
    #[uniffi::constructor(default(options = None))]
    pub fn open(path: String, options: Option<PlatformConfig>) -> Result<Arc<Self>, Error> {
        guard(|| {
            let config = options.unwrap_or_default();
            let create = config.create;
            let options = config.into_options()?;
            let core = if create {
                trialog_core::Platform::open(&path, options)?
            } else {
                trialog_core::Platform::open_existing(&path, options)?
            };
            Ok(Arc::new(Platform { core, actor: Actor::Operator }))
        })
    }

    /// A platform that lives in memory only (for tests and previews), acting as the operator.
    #[uniffi::constructor]
    pub fn in_memory() -> Result<Arc<Self>, Error> {
        guard(|| Ok(Arc::new(Platform { core: trialog_core::Platform::in_memory()?, actor: Actor::Operator })))
    }

    /// Like `inMemory`, with options (the cache size is ignored; `create` does not apply).
    #[uniffi::constructor]
    pub fn in_memory_with(options: PlatformConfig) -> Result<Arc<Self>, Error> {
        guard(|| {
            let core = trialog_core::Platform::in_memory_with(options.into_options()?)?;
            Ok(Arc::new(Platform { core, actor: Actor::Operator }))
        })
    }

    /// Who this handle acts as.
    pub fn actor(&self) -> Actor {
        // No guard needed: cloning a small enum cannot panic, and there is no error to return.
        self.actor.clone()
    }

    /// A handle on the same platform acting as the account with this pseudonym (ignoring case).
    ///
    /// Throws `NotFound` when there is no such account.
    pub fn acting_as(&self, pseudonym: String) -> Result<Arc<Platform>, Error> {
        guard(|| {
            let account = self.core.accounts().find_by_pseudonym(&Actor::Operator, &pseudonym)?;
            Ok(self.acting(Actor::account(account.id)))
        })
    }

    /// A handle on the same platform acting as account `id`.
    ///
    /// Throws `NotFound` when there is no such account.
    pub fn as_account(&self, id: AccountId) -> Result<Arc<Platform>, Error> {
        guard(|| {
            let account = self.core.accounts().get(&Actor::Operator, id)?;
            Ok(self.acting(Actor::account(account.id)))
        })
    }

    /// A handle on the same platform acting as someone not signed in.
    pub fn anonymous(&self) -> Arc<Platform> {
        // No guard needed: one reference-count increment, which cannot panic.
        self.acting(Actor::Anonymous)
    }

    /// Signs in with pseudonym and password, returning a handle acting as that account.
    ///
    /// A wrong pseudonym or password throws `PermissionDenied`; after five failures in a row
    /// the account is throttled (`RateLimited`). Suspended and banned accounts cannot sign in.
    pub fn sign_in(&self, pseudonym: String, password: String) -> Result<Arc<Platform>, Error> {
        guard(|| {
            let account = self.core.accounts().authenticate(&pseudonym, &password)?;
            Ok(self.acting(Actor::account(account.id)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_handles_share_the_database_and_carry_their_actor() {
        let operator = Platform::in_memory().unwrap();
        assert_eq!(operator.actor(), Actor::Operator);
        assert_eq!(operator.anonymous().actor(), Actor::Anonymous);
        let kim = operator
            .anonymous()
            .create_account(trialog_core::NewAccount { pseudonym: "Kim_aus_Jena".into(), ..Default::default() })
            .unwrap();
        let as_kim = operator.acting_as("KIM_AUS_JENA".into()).unwrap();
        assert_eq!(as_kim.actor(), Actor::account(kim.id));
        assert_eq!(operator.as_account(kim.id).unwrap().actor(), Actor::account(kim.id));
        assert!(matches!(operator.as_account(AccountId(99)), Err(Error::NotFound { .. })));
        assert!(matches!(operator.acting_as("nobody_here".into()), Err(Error::NotFound { .. })));
    }

    #[test]
    fn config_fields_override_the_defaults_and_absent_ones_keep_them() {
        let options = PlatformConfig {
            cache_bytes: Some(16 << 20),
            durability: Some(Durability::Eventual),
            create: true,
            content_key: None,
        }
        .into_options()
        .unwrap();
        assert_eq!((options.cache_bytes, options.durability), (16 << 20, Durability::Eventual));
        let defaults = PlatformConfig::default().into_options().unwrap();
        let core = PlatformOptions::default();
        assert_eq!((defaults.cache_bytes, defaults.durability), (core.cache_bytes, core.durability));
    }
}
