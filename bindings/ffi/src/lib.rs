//! UniFFI bindings of trialog for Kotlin, Swift and Python.
//!
//! Two exported objects: [`Platform`], a handle on an open trialog database that acts as one
//! [`Actor`](trialog_core::Actor), and [`Replica`], a device's synced copy of what one account
//! may see. The records, enums and the error type are the core's own (namespace
//! `trialog_core`); this crate adds the handles and expands the core's lists of operations
//! (`trialog_core::operations!`, `replica_methods!`) into their methods.
//!
//! Every fallible call runs inside the core's panic guard ([`trialog_core::api::guard`]): a
//! panic in Rust becomes `Error::Internal { detail }` on the foreign side instead of crossing
//! the boundary.

uniffi::setup_scaffolding!("trialog");

// Dates and timestamps are remote types whose converters live in the core (`ffi_types.rs`);
// operations that take or return them directly (not inside a record) borrow those converters.
use trialog_core::api::prelude::{NaiveDate, Timestamp};
uniffi::use_remote_type!(trialog_core::NaiveDate);
uniffi::use_remote_type!(trialog_core::Timestamp);

mod functions;
mod matching;
mod operations;
mod platform;
mod replica;
#[cfg(feature = "fault-injection")]
mod testing;

pub use functions::{distance_km, generate_content_key, post_html};
pub use matching::{RowMajorScores, assign_guides, assign_score_matrix, assign_scores, stable_match};
pub use platform::{Platform, PlatformConfig};
pub use replica::Replica;
#[cfg(feature = "fault-injection")]
pub use testing::trigger_panic_for_tests;
