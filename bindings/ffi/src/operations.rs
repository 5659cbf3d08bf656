//! Every operation of the core's manifest (`trialog_core::operations!`) as a method of the
//! exported [`Platform`], each behind the panic guard. Nothing here names an operation: add one
//! to the manifest and it appears in Kotlin and Swift.

use trialog_core::api::prelude::*;

use crate::platform::Platform;
use trialog_core::api::guard;

/// Turns the manifest into one `#[uniffi::export] impl Platform` block per operation.
macro_rules! expand_ffi {
    ($(
        $(#[doc = $doc:literal])*
        [$($meta:tt)*]
        $name:ident ( $($arg:ident : $ty:ty $(= $default:tt)?),* ) -> $ret:ty = |$core:ident, $actor:ident| $call:expr;
    )*) => {
        $(ffi_method! {
            @defaults [] [$($arg ($($default)?))*]
            { $(#[doc = $doc])* $name ($($arg : $ty),*) -> $ret { |$core, $actor| $call } }
        })*
    };
}

/// One method: first collects its UniFFI defaults (`default(page)`, `default(reason = None)`),
/// then emits it.
macro_rules! ffi_method {
    (@defaults [$($done:tt)*] [] $method:tt) => {
        ffi_method! { @emit [$($done)*] $method }
    };
    (@defaults [$($done:tt)*] [$arg:ident () $($rest:tt)*] $method:tt) => {
        ffi_method! { @defaults [$($done)*] [$($rest)*] $method }
    };
    (@defaults [$($done:tt)*] [$arg:ident (default) $($rest:tt)*] $method:tt) => {
        ffi_method! { @defaults [$($done)* default($arg),] [$($rest)*] $method }
    };
    (@defaults [$($done:tt)*] [$arg:ident ($default:tt) $($rest:tt)*] $method:tt) => {
        ffi_method! { @defaults [$($done)* default($arg = $default),] [$($rest)*] $method }
    };
    (@emit [$($defaults:tt)*] {
        $(#[doc = $doc:literal])* $name:ident ($($arg:ident : $ty:ty),*) -> $ret:ty { |$core:ident, $actor:ident| $call:expr }
    }) => {
        #[uniffi::export]
        impl Platform {
            $(#[doc = $doc])*
            #[uniffi::method($($defaults)*)]
            pub fn $name(&self, $($arg: $ty),*) -> Result<$ret, Error> {
                guard(|| {
                    let (core, actor) = self.parts();
                    trialog_core::__operation_call!(core, actor, |$core, $actor| $call)
                })
            }
        }
    };
}

trialog_core::operations!(expand_ffi);
