//! Fault injection for the foreign test suites (feature `fault-injection` only).

use trialog_core::Error;

use trialog_core::api::guard;

/// Panics inside the panic guard, so that a test can check that the panic arrives as an
/// `Internal` error (in Kotlin: `Exception.Internal`) and that the library keeps working.
/// Exported only by builds with the `fault-injection` feature.
#[uniffi::export]
pub fn trigger_panic_for_tests() -> Result<(), Error> {
    guard(|| panic!("trigger_panic_for_tests was called"))
}
