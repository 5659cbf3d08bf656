//! The `Replica` class: a device's copy of what one account may see (`docs/replicas.md`). Its
//! methods are expanded from the core's replica list (`trialog_core::replica_methods!`) by the
//! `Platform`'s own `python_method!`: arguments read through serde (a `writer` record as its
//! keywords `language` and `country`), the GIL released, results typed by the stub
//! generator's table [`REPLICA`]. Only `open` is written here.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde::Serialize;
use trialog_core::api::prelude::*;
use trialog_core::replica::{self as core, *};

use crate::bind::{Args, result_in};
use crate::convert::call_typed;
use crate::errors::call;
use crate::types::REPLICA;

/// A replica file of one account on one server; safe to share between threads.
#[pyclass(frozen, module = "trialog", name = "Replica")]
pub(crate) struct Replica(core::Replica);

impl Replica {
    /// Runs method `op` without the GIL and returns its result as Python data, typed by the
    /// result's type.
    fn run<T, F>(&self, py: Python<'_>, op: &str, work: F) -> PyResult<Py<PyAny>>
    where
        T: Serialize,
        F: FnOnce(&core::Replica) -> trialog_core::Result<T> + Send,
    {
        call_typed(py, result_in(REPLICA, op), || work(&self.0))
    }
}

#[pymethods]
impl Replica {
    /// Opens (or creates, readable by its owner only) the replica file at `path` for the
    /// account whose bearer token is `token` on the server at `server_url` (`https://host`, or
    /// `http://` to this device); the options as keywords: `extra_ca_pem` (an organisation's own
    /// certificate authority), `allow_plain_http` (plain HTTP to another host).
    #[staticmethod]
    #[pyo3(signature = (path, server_url, token, *, extra_ca_pem = None, allow_plain_http = false))]
    fn open(
        py: Python<'_>,
        path: PathBuf,
        server_url: &str,
        token: &str,
        extra_ca_pem: Option<String>,
        allow_plain_http: bool,
    ) -> PyResult<Self> {
        let options = core::ReplicaOptions { extra_ca_pem, allow_plain_http };
        call(py, || core::Replica::open_with(&path, server_url, token, &options)).map(Replica)
    }

    fn __repr__(&self) -> String {
        "<trialog.Replica>".into()
    }
}

/// Turns the list into one method per entry.
macro_rules! expand_replica {
    ($(
        $(#[doc = $doc:literal])* [$access:ident]
        $name:ident ( $($arg:ident : $ty:ty $(= $default:tt)?),* ) -> $ret:ty = |$replica:ident| $call:expr;
    )*) => {$(
        python_method! { Replica REPLICA $(#[doc = $doc])* $name ($($arg : $ty $(= $default)?),*) -> $ret { |$replica| $call } }
    )*};
}

trialog_core::replica_methods!(expand_replica);
