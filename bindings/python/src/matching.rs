//! Module-level matching functions: no platform, no database. Inputs are plain lists and dicts
//! (the JSON forms of `trialog match`); results are plain dicts and lists, so a result's
//! `pairs` goes straight into `pandas.DataFrame`. Bad input raises `InvalidInputError` whose
//! `field` names the place (`scores[2][4]`, `capacities[1]`, `placements.P3.ranking`).

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyInt, PyString};
use serde_json::{Map, Value};
use trialog_core::matching::{self, GuideAssignmentInput, StableInput};

use crate::convert::plain_json;
use crate::convert::{to_py, to_value};
use crate::errors::{call, invalid};

/// Assigns clients (rows) to guides (columns) from a score matrix given as nested lists, with
/// None for a pair that is not allowed: as many clients as possible, then the highest total
/// score, within every guide's capacity.
#[pyfunction]
fn assign_scores(py: Python<'_>, scores: &Bound<'_, PyAny>, capacities: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let scores = score_matrix(scores)?;
    let capacities = whole_numbers(capacities, "capacities")?;
    let value = call(py, move || {
        let capacities = matching::capacities_from_signed(&capacities)?;
        to_value(&matching::assign_scores(&scores, &capacities)?)
    })?;
    to_py(py, &value)
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
