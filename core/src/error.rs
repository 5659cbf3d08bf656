//! The one error type of the public API.
//!
//! Variants are stable and matchable from Rust, Kotlin, Swift and Python. No variant has a
//! field called `message`: Kotlin exceptions already own that name.

/// Everything that can go wrong in a trialog operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(name = "TrialogError"))]
pub enum Error {
    /// The input was rejected; `field` names the offending field, `reason` says why.
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },

    /// The thing asked for does not exist (or the actor may not know that it exists).
    #[error("{kind} {key} was not found")]
    NotFound { kind: String, key: String },

    /// The actor may not do this.
    #[error("not allowed to {action}: {reason}")]
    PermissionDenied { action: String, reason: String },

    /// The change clashes with the current state (a taken pseudonym, a concurrent change).
    #[error("conflict: {reason}")]
    Conflict { reason: String },

    /// The account of this session was erased (the person's right to erasure): its tokens
    /// answer this until they would have expired, so that a device can tell it from an
    /// expired or revoked session and delete its copy of the person's data (a replica empties
    /// its personal records itself on this answer).
    #[error("the account was erased: {reason}")]
    AccountErased { reason: String },

    /// Too many attempts; try again after `retry_after_secs` seconds.
    #[error("too many attempts: try again in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },

    /// Another process holds the database file open for writing.
    #[error("the database {path} is in use by another process")]
    DatabaseInUse { path: String },

    /// The database file could not be read or written, or holds a record this build cannot read.
    #[error("storage error: {detail}")]
    Storage { detail: String },

    /// A bug inside trialog (a caught panic). The operation had no effect.
    #[error("internal error: {detail}")]
    Internal { detail: String },
}

/// Result with the trialog [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.into(), reason: reason.into() }
    }

    /// Shorthand for [`Error::NotFound`].
    pub fn not_found(kind: impl Into<String>, key: impl ToString) -> Self {
        Error::NotFound { kind: kind.into(), key: key.to_string() }
    }

    /// Shorthand for [`Error::PermissionDenied`].
    pub fn denied(action: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::PermissionDenied { action: action.into(), reason: reason.into() }
    }

    /// Shorthand for [`Error::Conflict`].
    pub fn conflict(reason: impl Into<String>) -> Self {
        Error::Conflict { reason: reason.into() }
    }

    /// Shorthand for [`Error::Storage`].
    pub fn storage(detail: impl ToString) -> Self {
        Error::Storage { detail: detail.to_string() }
    }

    /// A stable, lower-case name of the variant, for exit codes, JSON output and bindings.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::NotFound { .. } => "not_found",
            Error::PermissionDenied { .. } => "permission_denied",
            Error::Conflict { .. } => "conflict",
            Error::AccountErased { .. } => "account_erased",
            Error::RateLimited { .. } => "rate_limited",
            Error::DatabaseInUse { .. } => "database_in_use",
            Error::Storage { .. } => "storage",
            Error::Internal { .. } => "internal",
        }
    }
}
