//! Module-level matching functions: no platform, no database. Inputs are plain lists and dicts
//! (the JSON forms of `trialog match`), or numpy arrays for score matrices; results are plain
//! dicts and lists, so a result's
//! `pairs` goes straight into `pandas.DataFrame`. Bad input raises `InvalidInputError` whose
//! `field` names the place (`scores[2][4]`, `capacities[1]`, `placements.P3.ranking`).

use std::borrow::Cow;

use numpy::ndarray::ArrayView2;
use numpy::{PyArray2, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray2, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Value};
use trialog_core::matching::{self, Assignment, GuideAssignmentInput, MatrixView, StableInput, UnmatchedReason};

use crate::convert::plain_json;
use crate::convert::{to_py, to_value};
use crate::errors::{call, invalid};

/// Assigns clients (rows) to guides (columns) from a score matrix: as many clients as possible,
/// then the highest total score, within every guide's capacity. `scores` is a 2-D numpy array
/// (or anything numpy reads as one, such as a DataFrame), read in place, with NaN for a pair
/// that is not allowed; or nested lists with None for one. `forbidden`, a boolean matrix of the
/// same shape, marks more pairs as not allowed. The GIL is released while solving.
#[pyfunction]
#[pyo3(signature = (scores, capacities, forbidden=None))]
fn assign_scores(
    py: Python<'_>,
    scores: &Bound<'_, PyAny>,
    capacities: &Bound<'_, PyAny>,
    forbidden: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let capacities = whole_numbers(capacities, "capacities")?;
    let mask = forbidden.map(boolean_matrix).transpose()?;
    let mask = mask.as_ref().map(PyReadonlyArray2::as_array);
    let assignment = match float_matrix(scores)? {
        Some(array) => {
            let values = array.as_array();
            let (scores, mask) = (Layout::of(values), mask.map(Layout::of));
            call(py, move || {
                let capacities = matching::capacities_from_signed(&capacities)?;
                let mask = mask.as_ref().map(|m| m.view("forbidden")).transpose()?;
                matching::assign_matrix(scores.view("scores")?, mask, &capacities)
            })?
        }
        None => {
            let mut rows = score_matrix(scores)?;
            if let Some(mask) = mask {
                forbid(&mut rows, mask).map_err(|reason| invalid(py, "forbidden", reason))?;
            }
            call(py, move || {
                let capacities = matching::capacities_from_signed(&capacities)?;
                matching::assign_scores(&rows, &capacities)
            })?
        }
    };
    assignment_to_py(py, &assignment)
}

/// The result as plain dicts and lists, built directly: scores keep every bit (a JSON round
/// trip may move the last one), and a large result costs no text.
fn assignment_to_py(py: Python<'_>, assignment: &Assignment) -> PyResult<Py<PyAny>> {
    let pairs = PyList::empty(py);
    for pair in &assignment.pairs {
        let row = PyDict::new(py);
        row.set_item("client", pair.client)?;
        row.set_item("guide", pair.guide)?;
        row.set_item("score", pair.score)?;
        pairs.append(row)?;
    }
    let unmatched = PyList::empty(py);
    for client in &assignment.unmatched {
        let row = PyDict::new(py);
        row.set_item("client", client.client)?;
        let reason = match client.reason {
            UnmatchedReason::NoEligibleGuide => "no_eligible_guide",
            UnmatchedReason::EligibleGuidesFull => "eligible_guides_full",
        };
        row.set_item("reason", reason)?;
        unmatched.append(row)?;
    }
    let result = PyDict::new(py);
    result.set_item("pairs", pairs)?;
    result.set_item("total_score", assignment.total_score)?;
    result.set_item("unmatched", unmatched)?;
    Ok(result.into_any().unbind())
}

/// A 2-D array's values in one of the layouts the core reads in place (row- or column-major),
/// borrowed; any other layout (a strided slice) is copied once into row-major order.
struct Layout<'a, T: Clone> {
    values: Cow<'a, [T]>,
    shape: (usize, usize),
    strides: (usize, usize),
}

impl<'a, T: Copy> Layout<'a, T> {
    fn of(array: ArrayView2<'a, T>) -> Self {
        let (rows, columns) = array.dim();
        if let Some(values) = array.to_slice() {
            return Layout { values: Cow::Borrowed(values), shape: (rows, columns), strides: (columns, 1) };
        }
        if let Some(values) = array.reversed_axes().to_slice() {
            return Layout { values: Cow::Borrowed(values), shape: (rows, columns), strides: (1, rows) };
        }
        let values: Vec<T> = array.iter().copied().collect();
        Layout { values: Cow::Owned(values), shape: (rows, columns), strides: (columns, 1) }
    }

    fn view(&self, field: &str) -> trialog_core::Result<MatrixView<'_, T>> {
        MatrixView::strided(&self.values, self.shape, self.strides, field)
    }
}

/// `scores` as a float64 numpy array, when it is a numeric array or something numpy turns into
/// one (a DataFrame); `None` for lists, tuples and object arrays (rows that may hold None).
fn float_matrix<'py>(scores: &Bound<'py, PyAny>) -> PyResult<Option<PyReadonlyArray2<'py, f64>>> {
    let py = scores.py();
    if is_sequence_of_rows(scores) || !numpy_loaded(py)? {
        return Ok(None);
    }
    let array = if scores.is_instance_of::<PyUntypedArray>() {
        scores.clone()
    } else if scores.hasattr("__array__")? {
        py.import("numpy")?.call_method1("asarray", (scores,))?
    } else {
        return Ok(None);
    };
    let array = array.cast_into::<PyUntypedArray>().map_err(|_| invalid(py, "scores", "is not an array"))?;
    if array.ndim() != 2 {
        return Err(invalid(py, "scores", format!("has {} dimensions; give a 2-D matrix", array.ndim())));
    }
    let array = match array.dtype().kind() {
        b'O' => return Ok(None),
        _ if array.is_instance_of::<PyArray2<f64>>() => array.into_any(),
        b'f' | b'i' | b'u' => array.call_method1("astype", ("float64",))?,
        kind => {
            let kind = char::from(kind);
            return Err(invalid(py, "scores", format!("has dtype kind '{kind}'; scores must be numbers")));
        }
    };
    let array = array.cast_into::<PyArray2<f64>>().map_err(|_| invalid(py, "scores", "is not a float matrix"))?;
    Ok(Some(array.readonly()))
}

/// `forbidden` as a 2-D boolean numpy array (True = the pair is not allowed).
fn boolean_matrix<'py>(forbidden: &Bound<'py, PyAny>) -> PyResult<PyReadonlyArray2<'py, bool>> {
    let py = forbidden.py();
    let expected = || invalid(py, "forbidden", "must be a 2-D matrix of booleans (True = not allowed)");
    let array = py.import("numpy")?.call_method1("asarray", (forbidden,))?;
    let array = array.cast_into::<PyUntypedArray>().map_err(|_| expected())?;
    if array.ndim() != 2 || array.dtype().kind() != b'b' {
        return Err(expected());
    }
    Ok(array.cast_into::<PyArray2<bool>>().map_err(|_| expected())?.readonly())
}

/// Marks the pairs `mask` forbids as not allowed in nested rows of the same shape.
fn forbid(rows: &mut [Vec<Option<f64>>], mask: ArrayView2<'_, bool>) -> Result<(), String> {
    let columns = rows.first().map_or(0, Vec::len);
    if mask.dim() != (rows.len(), columns) {
        let (r, c) = mask.dim();
        return Err(format!("is {r} × {c}, but scores is {} × {columns}", rows.len()));
    }
    for ((r, c), &out) in mask.indexed_iter() {
        if out && let Some(cell) = rows[r].get_mut(c) {
            *cell = None;
        }
    }
    Ok(())
}

/// Whether numpy has been imported (an array can only come from a program that did); checking
/// for arrays must not import it for callers who pass lists.
fn numpy_loaded(py: Python<'_>) -> PyResult<bool> {
    py.import("sys")?.getattr("modules")?.contains("numpy")
}

fn is_sequence_of_rows(value: &Bound<'_, PyAny>) -> bool {
    value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>()
}

/// Assigns clients to peer-guides from their attributes: `input` is a dict
/// `{"guides": [...], "clients": [...], "weights": {...}}` (weights optional), the form of
/// examples/matching/assign-guides.json after `json.load`. Every pair comes with its score
/// breakdown.
#[pyfunction]
fn assign_guides(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let input = json_object(input, "input", "must be a dict with 'guides', 'clients' and optionally 'weights'")?;
    let value = call(py, move || to_value(&matching::assign_guides(&GuideAssignmentInput::from_json(&input)?)?))?;
    to_py(py, &value)
}

/// Runs a placement round (trainee-optimal stable matching): `applicants` maps an id to its
/// placement ids, best first; `placements` maps an id to `{"capacity": n, "ranking": [...]}`.
#[pyfunction]
fn stable_match(py: Python<'_>, applicants: &Bound<'_, PyAny>, placements: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let mut input = Map::new();
    input.insert("applicants".into(), plain_json(applicants, "applicants")?);
    input.insert("placements".into(), plain_json(placements, "placements")?);
    let input = Value::Object(input);
    let value = call(py, move || to_value(&matching::stable_match(&StableInput::from_json(&input)?)?))?;
    to_py(py, &value)
}

/// Rows of numbers or None; a cell that is neither is named `scores[i][j]`. Any sequence works
/// (lists, tuples, numpy arrays); strings do not count as rows.
fn score_matrix(scores: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<Option<f64>>>> {
    let py = scores.py();
    let rows = sequence(scores)
        .ok_or_else(|| invalid(py, "scores", "must be a list of rows, each a list of numbers or None"))?;
    rows.enumerate()
        .map(|(i, row)| {
            let row = row?;
            let cells = sequence(&row)
                .ok_or_else(|| invalid(py, &format!("scores[{i}]"), "must be a list of numbers or None"))?;
            cells
                .enumerate()
                .map(|(j, cell)| {
                    let cell = cell?;
                    if cell.is_none() {
                        return Ok(None);
                    }
                    number(&cell).map(Some).ok_or_else(|| {
                        invalid(
                            py,
                            &format!("scores[{i}][{j}]"),
                            format!("is {}, not a number or None", describe(&cell)),
                        )
                    })
                })
                .collect()
        })
        .collect()
}

/// A list of whole numbers (or numpy integers); an entry that is not one is named `field[i]`.
fn whole_numbers(values: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<i64>> {
    let py = values.py();
    let items = sequence(values).ok_or_else(|| invalid(py, field, "must be a list of whole numbers"))?;
    items
        .enumerate()
        .map(|(i, item)| {
            let item = item?;
            let place = format!("{field}[{i}]");
            let not_whole = || invalid(py, &place, format!("is {}, not a whole number", describe(&item)));
            if item.is_instance_of::<PyBool>() {
                return Err(not_whole());
            }
            // Ints and anything with `__index__` (numpy integers); never floats.
            item.extract::<i64>().map_err(|_| {
                if item.is_instance_of::<PyInt>() { invalid(py, &place, "is too large") } else { not_whole() }
            })
        })
        .collect()
}

/// The items of a list, tuple or other iterable that is not text or a dict.
fn sequence<'py>(value: &Bound<'py, PyAny>) -> Option<impl Iterator<Item = PyResult<Bound<'py, PyAny>>>> {
    let text_or_map =
        value.is_instance_of::<PyString>() || value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyDict>();
    if text_or_map { None } else { value.try_iter().ok() }
}

/// A number as f64 (int, float, or anything with `__float__` such as numpy floats); not bools
/// or text.
fn number(value: &Bound<'_, PyAny>) -> Option<f64> {
    if value.is_instance_of::<PyBool>() || value.is_instance_of::<PyString>() {
        return None;
    }
    value.extract::<f64>().ok()
}

/// A value for an error message: its repr for short values, else its type.
fn describe(value: &Bound<'_, PyAny>) -> String {
    let kind = value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "a value".into());
    match value.repr() {
        Ok(repr) if repr.to_string().chars().count() <= 40 => format!("{repr} (a {kind})"),
        _ => format!("a {kind}"),
    }
}

/// A dict as a JSON object whose entries are named by their keys (`guides[0].capacity`).
fn json_object(value: &Bound<'_, PyAny>, field: &str, expected: &str) -> PyResult<Value> {
    let py = value.py();
    let dict = value.cast::<PyDict>().map_err(|_| invalid(py, field, expected))?;
    let mut map = Map::new();
    for (k, v) in dict.iter() {
        let key: String = k.extract().map_err(|_| invalid(py, field, "has a key that is not a string"))?;
        let inner = plain_json(&v, &key)?;
        map.insert(key, inner);
    }
    Ok(Value::Object(map))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(assign_scores, m)?)?;
    m.add_function(wrap_pyfunction!(assign_guides, m)?)?;
    m.add_function(wrap_pyfunction!(stable_match, m)?)?;
    Ok(())
}
