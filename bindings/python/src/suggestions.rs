//! Suggestions and match runs on the Python side: dicts in, flat records out.
//!
//! A suggestion is one flat record, like a search hit: the posting's (or the seeker
//! profile's) fields, then `score`, `distance_km` and `breakdown` (a list of `{criterion,
//! points, reason}`), so a list of suggestions is one row per posting in a DataFrame.
//! Run inputs are the dicts of the JSON files `trialog match assign|stable` reads.

use pyo3::prelude::*;
use serde::Serialize;
use trialog_core::matching::ScorePart;
use trialog_core::{Error, RunInput};

use crate::convert::{Node, to_value};
use crate::errors::call;
use crate::jobs::plain_json;

/// A suggested record flattened: its fields, then the score and its explanation.
pub(crate) fn flat<T: Serialize>(
    record: &T,
    score: f64,
    distance_km: Option<f64>,
    breakdown: &[ScorePart],
) -> trialog_core::Result<Node> {
    let Node::Map(mut fields) = to_value(record)? else {
        return Err(Error::Internal { detail: "a suggested record is not a map in its serde form".into() });
    };
    fields.push(("score".into(), Node::F64(score)));
    fields.push(("distance_km".into(), distance_km.map_or(Node::Null, Node::F64)));
    fields.push(("breakdown".into(), to_value(&breakdown)?));
    Ok(Node::Map(fields))
}

/// An assignment input: the attribute form `{"guides", "clients", "weights"}` or the matrix
/// form `{"scores", "capacities"}`.
pub(crate) fn assignment_input(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<RunInput> {
    let value = plain_json(input, "input")?;
    call(py, || RunInput::assignment_from_json(&value))
}

/// A placement-round input: `{"applicants": {id: [placements]}, "placements": {id: {"capacity",
/// "ranking"}}}` (or lists of records).
pub(crate) fn placements_input(py: Python<'_>, input: &Bound<'_, PyAny>) -> PyResult<RunInput> {
    let value = plain_json(input, "input")?;
    call(py, || RunInput::placements_from_json(&value))
}
