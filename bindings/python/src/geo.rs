//! The gazetteer from Python: the module function `distance_km` and the file reading behind
//! `Platform.import_gazetteer` (the methods themselves sit in the class's one `#[pymethods]`
//! block in platform.rs).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use pyo3::prelude::*;
use trialog_core::geo::{self, Coordinates};
use trialog_core::{Actor, Error, GazetteerImport, Platform};

use crate::errors::to_pyerr;

/// Imports the GeoNames file at `path` as `actor`.
pub(crate) fn import_file(core: &Platform, actor: &Actor, path: &Path) -> trialog_core::Result<GazetteerImport> {
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::not_found("file", path.display()),
        _ => Error::invalid("path", format!("cannot open {}: {e}", path.display())),
    })?;
    core.geo().import(actor, BufReader::new(file), &mut |_| {})
}

/// The great-circle distance in km between two (latitude, longitude) pairs in degrees.
#[pyfunction]
fn distance_km(py: Python<'_>, a: (f64, f64), b: (f64, f64)) -> PyResult<f64> {
    let point = |(latitude, longitude): (f64, f64)| Coordinates::new(latitude, longitude);
    match (point(a), point(b)) {
        (Ok(a), Ok(b)) => Ok(geo::distance_km(a, b)),
        (Err(e), _) | (_, Err(e)) => Err(to_pyerr(py, e)),
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(distance_km, m)?)
}
