//! The job board's Python side: keyword arguments and dicts in, core records out.
//!
//! Every job-board input (a posting, a change, a search, a seeker profile, an import row) is
//! taken as keyword arguments or a dict with the core record's field names, turned into its
//! serde form and read as the core record, so the accepted names and enum values are exactly
//! the core's. Two shortcuts: a place may be a `(latitude, longitude)` tuple and hours a
//! `(min, max)` tuple. Dates are `datetime.date` (or `"YYYY-MM-DD"`), times aware datetimes.
//! A bad value raises `InvalidInputError` naming the field (`pay.min`, `contracts[1]`); an
//! unknown or missing keyword raises `TypeError`, as for any Python function.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use chrono::{Datelike, SecondsFormat};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use trialog_core::{
    Actor, Error, ImportMode, JobHit, JobImport, JobImportRow, NewJob, OrgId, Organisation, Platform, RowProblem,
    jobs::job_posting_json_ld,
};

use crate::convert::{Node, date_class, datetime_class, timestamp, to_value};
use crate::errors::invalid;

/// A posting's fields besides its organisation: what `create_job` takes as keywords (title and
/// description also positionally), `update_job` may change, and import rows carry with `org`.
pub(crate) const JOB_FIELDS: &[&str] = &[
    "title",
    "description",
    "location",
    "contract",
    "hours",
    "pay",
    "requirement",
    "languages",
    "starts_on",
    "expires_on",
    "openings",
    "contact",
];
/// Search criteria (`search_jobs`, `iter_jobs`, `save_search`).
pub(crate) const JOB_QUERY: &[&str] = &[
    "near",
    "radius_km",
    "text",
    "contracts",
    "hours",
    "min_pay",
    "exin",
    "language",
    "include_remote",
    "org",
    "published_since",
    "include_unpublished",
    "sort",
];
/// Fields of a seeker profile.
pub(crate) const SEEKER_PROFILE: &[&str] = &[
    "location",
    "max_distance_km",
    "hours",
    "contracts",
    "exin",
    "languages",
    "open_to_remote",
    "findable",
    "min_pay",
];
/// Filters of `list_findable_seekers`.
pub(crate) const SEEKER_FILTER: &[&str] = &["near", "exin", "language"];

/// Keys an import row may carry besides the posting's fields and `org`.
const ROW_EXTRAS: &[&str] = &["line", "publish"];

/// Reads keyword arguments (or a dict) as the core record `T`, with `fixed` fields (the
/// positional arguments) added. `function` names the caller in `TypeError` messages.
pub(crate) fn record<T: DeserializeOwned>(
    py: Python<'_>,
    function: &str,
    allowed: &[&str],
    fixed: Vec<(&str, Value)>,
    fields: Option<&Bound<'_, PyDict>>,
) -> PyResult<T> {
    let mut map = Map::new();
    for (key, value) in fixed {
        map.insert(key.to_string(), value);
    }
    if let Some(fields) = fields {
        for (key, value) in fields.iter() {
            let key: String = key.extract()?;
            if !allowed.contains(&key.as_str()) {
                return Err(PyTypeError::new_err(format!("{function}() got an unexpected keyword argument '{key}'")));
            }
            if !value.is_none() {
                map.insert(key.clone(), to_json(&value, &key)?);
            }
        }
    }
    from_json(Value::Object(map)).map_err(|problem| match problem {
        Problem::Missing(field) => {
            PyTypeError::new_err(format!("{function}() missing required keyword argument: '{field}'"))
        }
        Problem::Invalid(field, reason) => invalid(py, &field, reason),
    })
}

/// Import rows from a list of dicts: each a posting's fields plus optional `publish` and
/// `line` (the row's index + 1 when absent). Rows that cannot be read are reported by line.
pub(crate) fn import_rows(rows: &Bound<'_, PyAny>) -> PyResult<(Vec<JobImportRow>, Vec<RowProblem>)> {
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    for (index, row) in rows.try_iter()?.enumerate() {
        let row = row?;
        let default_line = index as u64 + 1;
        match import_row(&row, default_line) {
            Ok(row) => good.push(row),
            Err(problem) => bad.push(problem),
        }
    }
    Ok((good, bad))
}

fn import_row(row: &Bound<'_, PyAny>, default_line: u64) -> Result<JobImportRow, RowProblem> {
    let problem = |line, field: &str, reason: String| RowProblem::new(line, field, reason);
    let dict = row.cast::<PyDict>().map_err(|_| problem(default_line, "", "is not a dict".into()))?;
    let mut line = default_line;
    if let Some(given) = dict.get_item("line").ok().flatten().filter(|l| !l.is_none()) {
        line = given.extract().map_err(|_| problem(default_line, "line", "must be a positive integer".into()))?;
    }
    let mut publish = false;
    if let Some(given) = dict.get_item("publish").ok().flatten().filter(|p| !p.is_none()) {
        publish = given.extract().map_err(|_| problem(line, "publish", "must be True or False".into()))?;
    }
    let mut map = Map::new();
    for (key, value) in dict.iter() {
        let key: String = key.extract().map_err(|_| problem(line, "", "has a key that is not a string".into()))?;
        if ROW_EXTRAS.contains(&key.as_str()) || value.is_none() {
            continue;
        }
        if key != "org" && !JOB_FIELDS.contains(&key.as_str()) {
            return Err(problem(line, &key, "is not a field of a job posting".into()));
        }
        let value = to_json(&value, &key).map_err(|e| problem(line, &key, e.to_string()))?;
        map.insert(key, value);
    }
    let job: NewJob = from_json(Value::Object(map)).map_err(|p| match p {
        Problem::Missing(field) => problem(line, &field, "is required".into()),
        Problem::Invalid(field, reason) => problem(line, &field, reason),
    })?;
    Ok(JobImportRow { line, job, publish })
}

/// Runs an import, reporting rows that could not be read beside the core's own problems, by
/// line. An all-or-nothing import with unreadable rows imports nothing (the core only checks).
pub(crate) fn import(
    core: &Platform,
    actor: &Actor,
    rows: &[JobImportRow],
    unreadable: Vec<RowProblem>,
    mode: ImportMode,
    dry_run: bool,
) -> trialog_core::Result<JobImport> {
    let refuse = mode == ImportMode::AllOrNothing && !unreadable.is_empty();
    let mut report = core.jobs().import(actor, rows, mode, dry_run || refuse)?;
    report.dry_run = dry_run;
    report.problems.extend(unreadable);
    report.problems.sort_by_key(|p| p.line);
    Ok(report)
}

/// A search hit as one flat record: the posting's fields, then `distance_km`, `coordinates`
/// and `score`, so a page of hits is one row per posting in a DataFrame.
pub(crate) fn hit(hit: &JobHit) -> trialog_core::Result<Node> {
    let Node::Map(mut fields) = to_value(&hit.job)? else {
        return Err(Error::Internal { detail: "a job is not a map in its serde form".into() });
    };
    fields.push(("distance_km".into(), hit.distance_km.map_or(Node::Null, Node::F64)));
    fields.push(("coordinates".into(), to_value(&hit.coordinates)?));
    fields.push(("score".into(), hit.score.map_or(Node::Null, Node::F64)));
    Ok(Node::Map(fields))
}

/// The exported postings as schema.org `JobPosting` objects.
pub(crate) fn json_ld(
    core: &Platform,
    actor: &Actor,
    org: Option<OrgId>,
    include_unpublished: bool,
) -> trialog_core::Result<Vec<Value>> {
    let jobs = core.jobs().export(actor, org, include_unpublished)?;
    let mut employers: BTreeMap<OrgId, Organisation> = BTreeMap::new();
    for id in jobs.iter().map(|job| job.org) {
        if let Entry::Vacant(slot) = employers.entry(id) {
            slot.insert(core.orgs().get(actor, id)?);
        }
    }
    Ok(jobs.iter().map(|job| job_posting_json_ld(job, &employers[&job.org])).collect())
}

/// What went wrong reading a record: a required field is missing, or one is invalid.
enum Problem {
    Missing(String),
    Invalid(String, String),
}

fn from_json<T: DeserializeOwned>(value: Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let within = |name: &str| if path == "." { name.to_string() } else { format!("{path}.{name}") };
        match missing_field(&inner) {
            Some(name) if path == "." => Problem::Missing(name.to_string()),
            Some(name) => Problem::Invalid(within(name), "is required".into()),
            None => Problem::Invalid(path, inner),
        }
    })
}

/// The field serde says is missing ("missing field `title`").
fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

/// A Python value in serde form. Dates become `YYYY-MM-DD`, aware datetimes RFC 3339, tuples
/// lists; a place given as `(lat, lon)` and hours as `(min, max)` become their records.
fn to_json(value: &Bound<'_, PyAny>, key: &str) -> PyResult<Value> {
    let plain = plain_json(value, key)?;
    Ok(match (key, plain) {
        ("location" | "near", Value::Array(pair)) if pair.len() == 2 => {
            serde_json::json!({"type": "coordinates", "latitude": pair[0], "longitude": pair[1]})
        }
        ("hours", Value::Array(pair)) if pair.len() == 2 => serde_json::json!({"min": pair[0], "max": pair[1]}),
        (_, other) => other,
    })
}

pub(crate) fn plain_json(value: &Bound<'_, PyAny>, path: &str) -> PyResult<Value> {
    let py = value.py();
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        if let Ok(u) = value.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return value.extract::<i64>().map(Value::from).map_err(|_| invalid(py, path, "is out of range"));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        return serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| invalid(py, path, "must be a finite number"));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if value.is_instance(datetime_class(py)?)? {
        return Ok(Value::String(timestamp(value, path)?.to_rfc3339_opts(SecondsFormat::AutoSi, true)));
    }
    if value.is_instance(date_class(py)?)? {
        let (y, m, d): (i32, u32, u32) =
            (value.getattr("year")?.extract()?, value.getattr("month")?.extract()?, value.getattr("day")?.extract()?);
        let date = chrono::NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| invalid(py, path, "is not a valid date"))?;
        return Ok(Value::String(format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let k: String = k.extract().map_err(|_| invalid(py, path, "has a key that is not a string"))?;
            let inner = format!("{path}.{k}");
            map.insert(k, plain_json(&v, &inner)?);
        }
        return Ok(Value::Object(map));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, item) in value.try_iter()?.enumerate() {
            items.push(plain_json(&item?, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(items));
    }
    let type_name = value.get_type().name()?;
    Err(invalid(py, path, format!("cannot be a {type_name}")))
}

/// The import mode from `all_or_nothing`.
pub(crate) fn import_mode(all_or_nothing: bool) -> ImportMode {
    if all_or_nothing { ImportMode::AllOrNothing } else { ImportMode::SkipBadRows }
}
