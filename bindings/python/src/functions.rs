//! Module functions that need no platform: the deliberate hand-written extras beside the
//! manifest (the matching solvers live in `matching.rs`).

use pyo3::prelude::*;
use pyo3::types::PyBytes;
use trialog_core::ContentKey;
use trialog_core::forums::markup;
use trialog_core::geo::{self, Coordinates};

use crate::errors::{call, to_pyerr};

/// A new random platform content key (32 bytes) for counselling.
#[pyfunction]
fn generate_content_key(py: Python<'_>) -> PyResult<Py<PyBytes>> {
    let key = call(py, ContentKey::generate)?;
    Ok(PyBytes::new(py, &key.to_bytes()).unbind())
}

/// A post body's light markup as safe HTML: `p`, `br`, `blockquote` and `a` only.
#[pyfunction]
fn post_html(body: &str) -> String {
    markup::to_html(body)
}

/// Great-circle distance in km between two (latitude, longitude) pairs in degrees.
#[pyfunction]
fn distance_km(py: Python<'_>, a: (f64, f64), b: (f64, f64)) -> PyResult<f64> {
    let point = |(latitude, longitude): (f64, f64)| Coordinates::new(latitude, longitude);
    match (point(a), point(b)) {
        (Ok(a), Ok(b)) => Ok(geo::distance_km(a, b)),
        (Err(e), _) | (_, Err(e)) => Err(to_pyerr(py, e)),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(generate_content_key, m)?)?;
    m.add_function(wrap_pyfunction!(post_html, m)?)?;
    m.add_function(wrap_pyfunction!(distance_km, m)?)
}
