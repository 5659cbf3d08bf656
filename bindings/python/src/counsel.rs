//! Counselling's Python side: the module function `generate_content_key`, the content key of
//! `Platform.open`, and parsing the few enum values the counselling methods take.
//!
//! The methods themselves live on `Platform` (in `platform.rs`): statistics and administration
//! (offers, profiles, topics, assignment, absence, overdue cases and the SLA sweep, retention
//! and purge), plus `enquire` and the queue for scripts that fill or inspect a platform.

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use trialog_core::ContentKey;

use crate::errors::{call, invalid};

/// A new random platform content key (32 bytes) for `Platform.open(..., content_key=...)`.
#[pyfunction]
fn generate_content_key(py: Python<'_>) -> PyResult<Py<PyBytes>> {
    let key = call(py, ContentKey::generate)?;
    Ok(PyBytes::new(py, &key.to_bytes()).unbind())
}

/// The content key from its bytes (or None).
pub(crate) fn content_key(py: Python<'_>, bytes: Option<Vec<u8>>) -> PyResult<Option<ContentKey>> {
    bytes.map(|b| call(py, || ContentKey::from_bytes(&b))).transpose()
}

/// A snake_case value (`female`, `answered`) into its enum; a bad one raises InvalidInputError
/// naming `field`.
pub(crate) fn value<T: serde::de::DeserializeOwned>(py: Python<'_>, text: &str, field: &str) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_ascii_lowercase()))
        .map_err(|_| invalid(py, field, format!("'{text}' is not a valid {field}")))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(generate_content_key, m)?)
}
