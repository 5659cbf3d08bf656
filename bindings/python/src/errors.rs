//! The exception hierarchy and the way every core call runs: GIL released, panics caught.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyType;
use trialog_core::Error;

create_exception!(trialog, TrialogError, PyException, "Base class of every error trialog raises.");
create_exception!(
    trialog,
    InvalidInputError,
    TrialogError,
    "The input was rejected: `field` names the offending field, `reason` says why."
);
create_exception!(
    trialog,
    NotFoundError,
    TrialogError,
    "The thing asked for does not exist: `what` names its kind, `key` the key asked for."
);
create_exception!(
    trialog,
    PermissionDeniedError,
    TrialogError,
    "The actor may not do this: `action` says what was refused, `reason` why."
);
create_exception!(
    trialog,
    ConflictError,
    TrialogError,
    "The change clashes with the current state (a taken pseudonym): `reason` says how."
);
create_exception!(
    trialog,
    AccountErasedError,
    TrialogError,
    "The session's account was erased: delete what this device keeps of it (a replica's file)."
);
create_exception!(
    trialog,
    RateLimitedError,
    TrialogError,
    "Too many attempts: try again after `retry_after_secs` seconds."
);
create_exception!(
    trialog,
    DatabaseInUseError,
    TrialogError,
    "Another process (or another Platform in this one) holds the database file at `path` open."
);
create_exception!(
    trialog,
    StorageError,
    TrialogError,
    "The database file could not be read or written: `detail` says why."
);
create_exception!(
    trialog,
    InternalError,
    TrialogError,
    "A bug inside trialog (a caught panic); the operation had no effect. `detail` says where."
);

/// Adds the exception classes to the module, each with its `kind` as a class attribute
/// (`InvalidInputError.kind == "invalid_input"`), so instances made in Python have it too.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let classes: [(Bound<'_, PyType>, &str); 10] = [
        (py.get_type::<TrialogError>(), "error"),
        (py.get_type::<InvalidInputError>(), "invalid_input"),
        (py.get_type::<NotFoundError>(), "not_found"),
        (py.get_type::<PermissionDeniedError>(), "permission_denied"),
        (py.get_type::<ConflictError>(), "conflict"),
        (py.get_type::<AccountErasedError>(), "account_erased"),
        (py.get_type::<RateLimitedError>(), "rate_limited"),
        (py.get_type::<DatabaseInUseError>(), "database_in_use"),
        (py.get_type::<StorageError>(), "storage"),
        (py.get_type::<InternalError>(), "internal"),
    ];
    for (class, kind) in classes {
        class.setattr("kind", kind)?;
        m.add(class.name()?, class)?;
    }
    Ok(())
}

/// The Python exception for a core error, with `kind` and the error's fields as attributes.
pub(crate) fn to_pyerr(py: Python<'_>, error: Error) -> PyErr {
    let text = error.to_string();
    let kind = error.kind();
    let err = match &error {
        Error::InvalidInput { .. } => InvalidInputError::new_err(text),
        Error::NotFound { .. } => NotFoundError::new_err(text),
        Error::PermissionDenied { .. } => PermissionDeniedError::new_err(text),
        Error::Conflict { .. } => ConflictError::new_err(text),
        Error::AccountErased { .. } => AccountErasedError::new_err(text),
        Error::RateLimited { .. } => RateLimitedError::new_err(text),
        Error::DatabaseInUse { .. } => DatabaseInUseError::new_err(text),
        Error::Storage { .. } => StorageError::new_err(text),
        Error::Internal { .. } => InternalError::new_err(text),
    };
    if let Err(failed) = set_attributes(err.value(py), kind, error) {
        return failed;
    }
    err
}

fn set_attributes(value: &Bound<'_, PyAny>, kind: &str, error: Error) -> PyResult<()> {
    value.setattr("kind", kind)?;
    match error {
        Error::InvalidInput { field, reason } => {
            value.setattr("field", field)?;
            value.setattr("reason", reason)
        }
        Error::NotFound { kind, key } => {
            value.setattr("what", kind)?;
            value.setattr("key", key)
        }
        Error::PermissionDenied { action, reason } => {
            value.setattr("action", action)?;
            value.setattr("reason", reason)
        }
        Error::Conflict { reason } | Error::AccountErased { reason } => value.setattr("reason", reason),
        Error::RateLimited { retry_after_secs } => value.setattr("retry_after_secs", retry_after_secs),
        Error::DatabaseInUse { path } => value.setattr("path", path),
        Error::Storage { detail } | Error::Internal { detail } => value.setattr("detail", detail),
    }
}

/// An `InvalidInputError` for input rejected before it reaches the core.
pub(crate) fn invalid(py: Python<'_>, field: &str, reason: impl Into<String>) -> PyErr {
    to_pyerr(py, Error::invalid(field, reason))
}

/// Runs `work` with the GIL released, in the core's panic guard, turning both failures and
/// panics into trialog exceptions (a panic becomes `InternalError`, never pyo3's
/// `PanicException`).
pub(crate) fn call<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    F: FnOnce() -> trialog_core::Result<T> + Send,
    T: Send,
{
    py.detach(move || trialog_core::api::guard(work)).map_err(|e| to_pyerr(py, e))
}
