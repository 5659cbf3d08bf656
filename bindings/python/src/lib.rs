//! The Python module `trialog._trialog`, re-exported by the pure-Python package `trialog`.
//!
//! One class, [`platform::Platform`], holds a core platform and the actor it acts as; every
//! operation releases the GIL, catches panics, and returns plain dicts and lists.

mod convert;
mod counsel;
mod errors;
mod fault;
mod forums;
mod geo;
mod iter;
mod jobs;
mod matching;
mod platform;
mod suggestions;

use pyo3::prelude::*;

/// Python bindings of trialog: platforms for mental-health peer support.
#[pymodule]
fn _trialog(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<platform::Platform>()?;
    m.add_class::<iter::PageIterator>()?;
    errors::register(m)?;
    fault::register(m)?;
    geo::register(m)?;
    matching::register(m)?;
    forums::register(m)?;
    counsel::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
