//! The ids of every domain's records, in one low module so that the policy, the actor, the
//! shared model and the domains can name each other's records without importing each other.
//!
//! Each domain re-exports its own ids (`crate::forums::ThreadId`), which is how callers name them.

use serde::{Deserialize, Serialize};

/// Organisations, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrgId(pub u64);
/// Accounts are numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub u64);
/// The account id kept where an erased person was (a post kept as "former member", an audit
/// entry of theirs): no account has it, since accounts are numbered from 1.
pub(crate) const NOBODY: AccountId = AccountId(0);
/// Job postings, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JobId(pub u64);
/// Forum boards, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BoardId(pub u64);
/// Forum threads, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ThreadId(pub u64);
/// Forum posts (a thread's opening post included), numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PostId(pub u64);

/// What every newtype id of a domain needs besides its derives (`pub struct CourseId(pub u64)`,
/// serde transparent): it prints and parses as its number and crosses the UniFFI boundary as
/// `u64`.
/// The struct itself stays written out in the domain, where the stub generator reads it.
#[macro_export]
#[doc(hidden)]
macro_rules! id_impls {
    ($($name:ident),*) => {$(
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        #[cfg(feature = "uniffi")]
        uniffi::custom_newtype!($name, u64);
    )*};
}

crate::id_impls!(OrgId, AccountId, JobId, BoardId, ThreadId, PostId);
