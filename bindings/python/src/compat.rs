//! Old Python names, kept for one release: each warns (`DeprecationWarning`), takes the old
//! arguments and calls the operation under its manifest name.

use pyo3::exceptions::PyDeprecationWarning;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::convert::datetime_class;
use crate::platform::Platform;

/// Warns that `old` is deprecated in favour of `new`.
fn deprecated(py: Python<'_>, old: &str, new: &str) -> PyResult<()> {
    let message = std::ffi::CString::new(format!("Platform.{old}() is deprecated; use Platform.{new}()"))?;
    PyErr::warn(py, &py.get_type::<PyDeprecationWarning>(), &message, 2)
}

#[pymethods]
impl Platform {
    /// Deprecated: use `test_watched_words` (the same, with the language required).
    #[pyo3(signature = (text, language = "de"))]
    fn check_text(slf: &Bound<'_, Self>, text: &str, language: &str) -> PyResult<Py<PyAny>> {
        deprecated(slf.py(), "check_text", "test_watched_words")?;
        Ok(slf.call_method1("test_watched_words", (text, language))?.unbind())
    }

    /// Deprecated: use `set_absence(account, {"from": ..., "until": ..., "substitute": ...})`;
    /// without `until` and `substitute` the absence ends.
    #[pyo3(signature = (account, *, until = None, substitute = None, start = None))]
    fn set_counsel_absence(
        slf: &Bound<'_, Self>,
        account: u64,
        until: Option<Bound<'_, PyAny>>,
        substitute: Option<u64>,
        start: Option<Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        deprecated(py, "set_counsel_absence", "set_absence")?;
        let absence = match (until, substitute) {
            (None, None) => py.None().into_bound(py),
            (until, substitute) => {
                let from = match start {
                    Some(start) => start,
                    None => datetime_class(py)?
                        .call_method1("now", (py.import("datetime")?.getattr("timezone")?.getattr("utc")?,))?,
                };
                let absence = PyDict::new(py);
                absence.set_item("from", from)?;
                absence.set_item("until", until)?;
                absence.set_item("substitute", substitute)?;
                absence.into_any()
            }
        };
        Ok(slf.call_method1("set_absence", (account, absence))?.unbind())
    }

    /// Deprecated: use `run_matching(cohort, "guides", input=...)` or
    /// `run_matching(cohort, "scores", scores=..., capacities=...)`.
    fn run_assignment(slf: &Bound<'_, Self>, cohort: &str, input: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        deprecated(py, "run_assignment", "run_matching")?;
        let kwargs = PyDict::new(py);
        let kind = if input.contains("scores")? {
            for key in ["scores", "capacities"] {
                kwargs.set_item(key, input.get_item(key)?)?;
            }
            "scores"
        } else {
            kwargs.set_item("input", input)?;
            "guides"
        };
        Ok(slf.getattr("run_matching")?.call((cohort, kind), Some(&kwargs))?.unbind())
    }

    /// Deprecated: use `run_matching(cohort, "placements", input={"applicants": [{"id",
    /// "preferences"}], "placements": [{"id", "capacity", "ranking"}]})`; this takes the old maps
    /// `{"applicants": {id: [placements]}, "placements": {id: {"capacity", "ranking"}}}`.
    fn run_placement_round(slf: &Bound<'_, Self>, cohort: &str, input: &Bound<'_, PyDict>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        deprecated(py, "run_placement_round", "run_matching")?;
        let applicants = rows(input, "applicants", |id, preferences| {
            let row = PyDict::new(py);
            row.set_item("id", id)?;
            row.set_item("preferences", preferences)?;
            Ok(row)
        })?;
        let placements = rows(input, "placements", |id, placement| {
            let row = placement.cast::<PyDict>()?.copy()?;
            row.set_item("id", id)?;
            Ok(row)
        })?;
        let converted = PyDict::new(py);
        converted.set_item("applicants", applicants)?;
        converted.set_item("placements", placements)?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("input", converted)?;
        let args = PyTuple::new(py, [cohort, "placements"])?;
        Ok(slf.getattr("run_matching")?.call(args, Some(&kwargs))?.unbind())
    }
}

/// The entries of the map `input[key]` as a list of dicts, each made by `each(id, value)`.
fn rows<'py>(
    input: &Bound<'py, PyDict>,
    key: &str,
    each: impl Fn(Bound<'py, PyAny>, Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyList>> {
    let items = PyList::empty(input.py());
    if let Some(map) = input.get_item(key)? {
        for (id, value) in map.cast::<PyDict>()?.iter() {
            items.append(each(id, value)?)?;
        }
    }
    Ok(items)
}
