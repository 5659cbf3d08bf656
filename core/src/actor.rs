//! Who is asking. Every operation takes an [`Actor`]; [`crate::policy`] decides what it may do.

use serde::{Deserialize, Serialize};

use crate::model::account::{Account, AccountId};

/// The party behind a call, as asserted by the host (the CLI, an app's server, a script).
///
/// The host is trusted to have authenticated the person, for example with
/// [`crate::Accounts::authenticate`]; the core then checks what that person may do.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Actor {
    /// Whoever holds the database file (the CLI, a maintenance script): all rights.
    Operator,
    /// A signed-in account.
    Account { id: AccountId },
    /// Someone not signed in: may sign up, read public directories and, later, ask for counselling.
    Anonymous,
}

impl Actor {
    /// The actor for account `id`.
    pub fn account(id: AccountId) -> Self {
        Actor::Account { id }
    }
}

impl std::fmt::Display for Actor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Actor::Operator => f.write_str("operator"),
            Actor::Account { id } => write!(f, "account:{id}"),
            Actor::Anonymous => f.write_str("anonymous"),
        }
    }
}

/// An actor resolved against the database: the account record is loaded so that the policy
/// can see its roles and status.
#[derive(Debug, Clone)]
pub enum Subject {
    Operator,
    Anonymous,
    Member(Account),
}

impl Subject {
    /// The account behind the subject, if any.
    pub fn account(&self) -> Option<&Account> {
        match self {
            Subject::Member(a) => Some(a),
            _ => None,
        }
    }
}
