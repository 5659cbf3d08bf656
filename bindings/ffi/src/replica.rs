//! The exported [`Replica`]: a device's copy of what its account may see (`docs/replicas.md`).
//! Its methods are expanded from the core's replica list (`trialog_core::replica_methods!`),
//! each behind the panic guard; only the constructor is written here.

use std::sync::Arc;

use trialog_core::api::prelude::*;
use trialog_core::replica::{self as core, *};

use trialog_core::api::guard;

/// A replica file of one account on one server. Safe to share between threads; one `sync`
/// runs at a time.
#[derive(uniffi::Object)]
pub struct Replica(core::Replica);

#[uniffi::export]
impl Replica {
    /// Opens (or creates, readable by its owner only) the replica file at `path` for the
    /// account whose bearer token is `token` on the server at `serverUrl` (`https://host`, or
    /// `http://` to this device); `options` adds an organisation's own certificate authority
    /// (`extraCaPem`) or allows plain HTTP to another host (`allowPlainHttp`).
    #[uniffi::constructor(default(options = None))]
    pub fn open(
        path: String,
        server_url: String,
        token: String,
        options: Option<ReplicaOptions>,
    ) -> Result<Arc<Self>, Error> {
        let options = options.unwrap_or_default();
        guard(|| Ok(Arc::new(Replica(core::Replica::open_with(&path, &server_url, &token, &options)?))))
    }
}

/// Turns the list into one `#[uniffi::export] impl Replica` block per method (defaults are
/// Python's: Kotlin and Swift callers pass every argument).
macro_rules! expand_replica {
    ($(
        $(#[doc = $doc:literal])* [$access:ident]
        $name:ident ( $($arg:ident : $ty:ty $(= $default:tt)?),* ) -> $ret:ty = |$replica:ident| $call:expr;
    )*) => {$(
        #[uniffi::export]
        impl Replica {
            $(#[doc = $doc])*
            pub fn $name(&self, $($arg: $ty),*) -> Result<$ret, Error> {
                guard(|| {
                    let $replica = &self.0;
                    $call
                })
            }
        }
    )*};
}

trialog_core::replica_methods!(expand_replica);
