//! Between Python values and the core's records, both through serde. Records go out as plain
//! dicts and lists, with timestamps as aware `datetime.datetime` and dates as `datetime.date`
//! where the record's field has that *type* (the generated table in [`crate::types`]); values
//! come in as their serde form, with datetimes and dates turned into ISO 8601 strings.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Timelike, Utc};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde::Serialize;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use trialog_core::{Durability, Error, Timestamp};

use crate::errors::{call, invalid};

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static UTC: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A record's serde form, like `serde_json::Value` but keeping fields in declaration order
/// (so dict keys and DataFrame columns read `id`, `pseudonym`, ... rather than alphabetically).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::U64(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::I64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Node::Map(entries))
    }
}

/// A record's serde form (through JSON, which keeps field order); runs without the GIL.
pub(crate) fn to_value<T: Serialize>(record: &T) -> trialog_core::Result<Node> {
    serde_json::to_vec(record)
        .and_then(|json| serde_json::from_slice(&json))
        .map_err(|e| Error::Internal { detail: format!("cannot represent a record: {e}") })
}

/// The Python form of a record's serde form.
pub(crate) fn to_py(py: Python<'_>, value: &Node) -> PyResult<Py<PyAny>> {
    to_py_typed(py, value, "-")
}

/// The Python form of a value whose type has the code `code` (see [`crate::types`]).
/// Runs `work` without the GIL (see [`call`]) and returns its result as Python data of type
/// `code` (a type code of [`crate::types`]).
pub(crate) fn call_typed<T, F>(py: Python<'_>, code: &str, work: F) -> PyResult<Py<PyAny>>
where
    T: Serialize,
    F: FnOnce() -> trialog_core::Result<T> + Send,
{
    let value = call(py, || work().and_then(|r| to_value(&r)))?;
    to_py_typed(py, &value, code)
}

pub(crate) fn to_py_typed(py: Python<'_>, value: &Node, code: &str) -> PyResult<Py<PyAny>> {
    Ok(typed(py, value, code)?.unbind())
}

fn typed<'py>(py: Python<'py>, value: &Node, code: &str) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Node::Null => py.None().into_bound(py),
        Node::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Node::U64(u) => u.into_pyobject(py)?.into_any(),
        Node::I64(i) => i.into_pyobject(py)?.into_any(),
        Node::F64(f) => f.into_pyobject(py)?.into_any(),
        Node::Str(s) => match inner(code, "opt:") {
            "time" => match DateTime::parse_from_rfc3339(s) {
                // A time Python cannot hold (beyond year 9999) stays a string.
                Ok(t) => {
                    datetime(py, t.with_timezone(&Utc)).or_else(|_| Ok::<_, PyErr>(PyString::new(py, s).into_any()))?
                }
                Err(_) => PyString::new(py, s).into_any(),
            },
            "date" => match s.parse::<NaiveDate>() {
                Ok(d) => date(py, d).or_else(|_| Ok::<_, PyErr>(PyString::new(py, s).into_any()))?,
                Err(_) => PyString::new(py, s).into_any(),
            },
            _ => PyString::new(py, s).into_any(),
        },
        Node::List(items) => {
            let item = inner(code, "opt:").strip_prefix("list:").unwrap_or("-");
            let items = items.iter().map(|v| typed(py, v, item)).collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Node::Map(entries) => {
            let code = inner(code, "opt:");
            let dict = PyDict::new(py);
            for (key, value) in entries {
                let field = match code.strip_prefix("map:") {
                    Some(values) => values,
                    None => crate::bind::field_type(code, key),
                };
                dict.set_item(key, typed(py, value, field)?)?;
            }
            dict.into_any()
        }
    })
}

/// `code` without any number of leading `prefix`es.
fn inner<'a>(mut code: &'a str, prefix: &str) -> &'a str {
    while let Some(rest) = code.strip_prefix(prefix) {
        code = rest;
    }
    code
}

pub(crate) fn datetime_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

pub(crate) fn date_class(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATE.import(py, "datetime", "date")
}

/// A `datetime.date`.
fn date(py: Python<'_>, d: NaiveDate) -> PyResult<Bound<'_, PyAny>> {
    date_class(py)?.call1((d.year(), d.month(), d.day()))
}

fn utc(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    UTC.get_or_try_init(py, || Ok::<_, PyErr>(py.import("datetime")?.getattr("timezone")?.getattr("utc")?.unbind()))
        .map(|utc| utc.bind(py))
}

/// An aware `datetime.datetime` in UTC, to the microsecond.
fn datetime(py: Python<'_>, t: Timestamp) -> PyResult<Bound<'_, PyAny>> {
    let micros = t.timestamp_subsec_micros().min(999_999);
    datetime_class(py)?.call1((t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second(), micros, utc(py)?))
}

/// A point in time from an aware `datetime` or an ISO 8601 string with an offset.
pub(crate) fn timestamp(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Timestamp> {
    let py = value.py();
    if let Ok(text) = value.cast::<PyString>() {
        let text = text.to_cow()?;
        let text = text.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(text) {
            return Ok(t.with_timezone(&Utc));
        }
        let parsed = datetime_class(py)?.call_method1("fromisoformat", (text,)).map_err(|_| {
            invalid(py, field, format!("'{text}' is not an ISO 8601 time such as 2026-05-01T12:00:00+02:00"))
        })?;
        return aware(&parsed, field);
    }
    if value.is_instance(datetime_class(py)?)? {
        return aware(value, field);
    }
    Err(invalid(py, field, "must be a timezone-aware datetime.datetime or an ISO 8601 string"))
}

fn aware(value: &Bound<'_, PyAny>, field: &str) -> PyResult<Timestamp> {
    let py = value.py();
    if value.call_method0("utcoffset")?.is_none() {
        return Err(invalid(py, field, "has no time zone; use e.g. tzinfo=datetime.timezone.utc"));
    }
    let t = value.call_method1("astimezone", (utc(py)?,))?;
    let part = |name: &str| -> PyResult<u32> { t.getattr(name)?.extract() };
    let year: i32 = t.getattr("year")?.extract()?;
    let (hour, minute, second, micro) = (part("hour")?, part("minute")?, part("second")?, part("microsecond")?);
    NaiveDate::from_ymd_opt(year, part("month")?, part("day")?)
        .and_then(|d| d.and_hms_micro_opt(hour, minute, second, micro))
        .map(|naive| naive.and_utc())
        .ok_or_else(|| invalid(py, field, "is not a valid time"))
}

/// `immediate` (every commit waits for the disk) or `eventual` (call `flush()` at the end).
pub(crate) fn durability(py: Python<'_>, name: &str) -> PyResult<Durability> {
    match name.trim().to_ascii_lowercase().as_str() {
        "immediate" => Ok(Durability::Immediate),
        "eventual" => Ok(Durability::Eventual),
        _ => Err(invalid(py, "durability", format!("'{name}' is not one of immediate, eventual"))),
    }
}

/// A Python value in serde form: `None`, numbers, strings, lists, tuples and dicts as they are;
/// aware datetimes as RFC 3339, dates as `YYYY-MM-DD`. `path` names the value in errors.
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
    if value.hasattr("__fspath__")? {
        return plain_json(&value.call_method0("__fspath__")?, path);
    }
    if value.is_instance(datetime_class(py)?)? {
        return Ok(Value::String(timestamp(value, path)?.to_rfc3339_opts(SecondsFormat::AutoSi, true)));
    }
    if value.is_instance(date_class(py)?)? {
        let part = |name: &str| -> PyResult<u32> { value.getattr(name)?.extract() };
        let year: i32 = value.getattr("year")?.extract()?;
        let date = NaiveDate::from_ymd_opt(year, part("month")?, part("day")?)
            .ok_or_else(|| invalid(py, path, "is not a valid date"))?;
        return Ok(Value::String(date.format("%Y-%m-%d").to_string()));
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
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() || value.hasattr("__array__")? {
        let mut items = Vec::new();
        for (i, item) in value.try_iter()?.enumerate() {
            items.push(plain_json(&item?, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(items));
    }
    let type_name = value.get_type().name()?;
    Err(invalid(py, path, format!("cannot be a {type_name}")))
}

/// What went wrong reading a record: a required field is missing, or one is invalid (with the
/// path to it inside the value, `.` for the value itself).
pub(crate) enum Problem {
    Missing(String),
    Invalid(String, String),
}

/// A core record from its serde form, naming the field at fault.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, Problem> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        match inner.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
            Some(name) if path == "." => Problem::Missing(name.to_string()),
            Some(name) => Problem::Invalid(format!("{path}.{name}"), "is required".into()),
            None => Problem::Invalid(path, inner),
        }
    })
}
