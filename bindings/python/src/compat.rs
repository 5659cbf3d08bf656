//! Old Python names, kept for one release: each warns (`DeprecationWarning`) and calls the
//! operation under its manifest name.

use pyo3::exceptions::PyDeprecationWarning;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::platform::Platform;

/// `(old name, manifest name)`: the deliberate renames to one name everywhere.
const RENAMED: &[(&str, &str)] = &[("check_text", "test_watched_words"), ("set_counsel_absence", "set_absence")];

/// Warns that `old` is deprecated and calls its new name with the same arguments.
fn forward(
    slf: &Bound<'_, Platform>,
    old: &str,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let new = RENAMED.iter().find(|(name, _)| *name == old).map_or(old, |(_, new)| new);
    let message = std::ffi::CString::new(format!("Platform.{old}() is deprecated; use Platform.{new}()"))?;
    PyErr::warn(py, &py.get_type::<PyDeprecationWarning>(), &message, 2)?;
    Ok(slf.getattr(new)?.call(args, kwargs)?.unbind())
}

#[pymethods]
impl Platform {
    /// Deprecated: use `test_watched_words`.
    #[pyo3(signature = (*args, **kwargs))]
    fn check_text(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        forward(slf, "check_text", args, kwargs)
    }

    /// Deprecated: use `set_absence`.
    #[pyo3(signature = (*args, **kwargs))]
    fn set_counsel_absence(
        slf: &Bound<'_, Self>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        forward(slf, "set_counsel_absence", args, kwargs)
    }
}
