//! The `Platform` class: a core platform and the actor its operations act as.

use std::path::PathBuf;

use pyo3::prelude::*;
use serde::Serialize;
use trialog_core::{AccountId, Actor, PlatformOptions};

use crate::bind::result_type;
use crate::convert::call_typed;
use crate::errors::call;
use crate::fault::Fault;

/// A trialog platform over one database file, acting as one actor.
///
/// `Platform.open(path)` and `Platform.in_memory()` act as the operator (whoever holds the file
/// has all rights). `acting_as`, `as_account`, `anonymous` and `sign_in` return further handles
/// on the same platform for other actors; all handles share one database and are safe to use
/// from many threads. Results are plain dicts and lists; timestamps are aware datetimes in UTC.
#[pyclass(frozen, module = "trialog", name = "Platform")]
pub(crate) struct Platform {
    core: trialog_core::Platform,
    actor: Actor,
    fault: Fault,
}

impl Platform {
    fn new(core: trialog_core::Platform, fault: Fault) -> Self {
        Platform { core, actor: Actor::Operator, fault }
    }

    /// Another handle on the same platform.
    fn acting(&self, actor: Actor) -> Self {
        Platform { core: self.core.clone(), actor, fault: self.fault.clone() }
    }

    #[cfg(feature = "fault-injection")]
    pub(crate) fn fault(&self) -> &Fault {
        &self.fault
    }

    /// Runs operation `op` without the GIL and returns its result as Python data, with times
    /// and dates converted by the result's type.
    pub(crate) fn run<T, F>(&self, py: Python<'_>, op: &str, work: F) -> PyResult<Py<PyAny>>
    where
        T: Serialize,
        F: FnOnce(&trialog_core::Platform, &Actor) -> trialog_core::Result<T> + Send,
    {
        call_typed(py, result_type(op), || work(&self.core, &self.actor))
    }
}

#[pymethods]
impl Platform {
    // ---- opening and actors -------------------------------------------------------------

    /// Opens (or creates) the database file at `path`, acting as the operator.
    ///
    /// `cache_bytes` sets the page cache (default 256 MiB); `durability` is "immediate" (every
    /// change is on disk when the call returns) or "eventual" (call `flush()` at the end).
    /// With `create=False` a missing file raises NotFoundError instead of starting an empty
    /// platform. Raises DatabaseInUseError when the file is already open.
    #[staticmethod]
    #[pyo3(signature = (path, *, cache_bytes = None, durability = "immediate", create = true, content_key = None))]
    fn open(
        py: Python<'_>,
        path: PathBuf,
        cache_bytes: Option<u64>,
        durability: &str,
        create: bool,
        content_key: Option<Vec<u8>>,
    ) -> PyResult<Self> {
        let durability = crate::convert::durability(py, durability)?;
        let fault = Fault::default();
        let core = call(py, || {
            let settings = PlatformOptions::with_settings(cache_bytes, Some(durability), content_key.as_deref())?;
            let options = PlatformOptions { clock: fault.clock(), ..settings };
            if create {
                trialog_core::Platform::open(&path, options)
            } else {
                trialog_core::Platform::open_existing(&path, options)
            }
        })?;
        Ok(Platform::new(core, fault))
    }

    /// A platform that lives in memory only, acting as the operator; `content_key` (32 bytes)
    /// enables counselling content.
    #[staticmethod]
    #[pyo3(signature = (*, content_key = None))]
    fn in_memory(py: Python<'_>, content_key: Option<Vec<u8>>) -> PyResult<Self> {
        let fault = Fault::default();
        let core = call(py, || {
            let settings = PlatformOptions::with_settings(None, None, content_key.as_deref())?;
            trialog_core::Platform::in_memory_with(PlatformOptions { clock: fault.clock(), ..settings })
        })?;
        Ok(Platform::new(core, fault))
    }

    /// A handle acting as the account with this pseudonym (the script vouches for the person).
    fn acting_as(&self, py: Python<'_>, pseudonym: &str) -> PyResult<Self> {
        let account = call(py, || self.core.accounts().find_by_pseudonym(&Actor::Operator, pseudonym))?;
        Ok(self.acting(Actor::account(account.id)))
    }

    /// A handle acting as account `id` (the script vouches for the person).
    fn as_account(&self, py: Python<'_>, id: u64) -> PyResult<Self> {
        let account = call(py, || self.core.accounts().get(&Actor::Operator, AccountId(id)))?;
        Ok(self.acting(Actor::account(account.id)))
    }

    /// A handle acting as someone not signed in.
    fn anonymous(&self) -> Self {
        self.acting(Actor::Anonymous)
    }

    /// Checks pseudonym and password and returns a handle acting as that account.
    ///
    /// Raises PermissionDeniedError when either is wrong (or the account may not sign in), and
    /// RateLimitedError after five failures in a row.
    fn sign_in(&self, py: Python<'_>, pseudonym: &str, password: &str) -> PyResult<Self> {
        let account = call(py, || self.core.accounts().authenticate(pseudonym, password))?;
        Ok(self.acting(Actor::account(account.id)))
    }

    /// Who this handle acts as: "operator", "anonymous" or "account:<id>".
    #[getter]
    fn actor(&self) -> String {
        self.actor.to_string()
    }

    /// The id of the account this handle acts as, or None for the operator and anonymous.
    #[getter]
    fn account_id(&self) -> Option<u64> {
        match self.actor {
            Actor::Account { id } => Some(id.0),
            _ => None,
        }
    }

    fn __repr__(&self) -> String {
        format!("<trialog.Platform acting as {}>", self.actor)
    }
}
