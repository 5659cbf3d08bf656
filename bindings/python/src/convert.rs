//! Between Python values and the core's records: records go out as plain dicts and lists built
//! from their serde form, with timestamps as aware `datetime.datetime`; enum names, roles and
//! times come in as strings (or datetimes) parsed with the core's own rules.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyType};
use serde::Serialize;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use trialog_core::{Durability, Error, ModAction, Restriction, Timestamp};

use crate::errors::{invalid, to_pyerr};

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
    Ok(value_to_py(py, value, None)?.unbind())
}

/// Whether a key holds a timestamp: `at`, `until`, `last_activity`, every `…_at` and `…_since`.
fn is_time_key(key: &str) -> bool {
    key == "at" || key == "until" || key == "last_activity" || key.ends_with("_at") || key.ends_with("_since")
}

/// Whether a key holds a calendar date: every `…_on` (`starts_on`, `expires_on`).
fn is_date_key(key: &str) -> bool {
    key.ends_with("_on")
}

fn value_to_py<'py>(py: Python<'py>, value: &Node, key: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Node::Null => py.None().into_bound(py),
        Node::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Node::U64(u) => u.into_pyobject(py)?.into_any(),
        Node::I64(i) => i.into_pyobject(py)?.into_any(),
        Node::F64(f) => f.into_pyobject(py)?.into_any(),
        Node::Str(s) if key.is_some_and(is_date_key) => match s.parse::<NaiveDate>() {
            Ok(d) => date(py, d).or_else(|_| Ok::<_, PyErr>(PyString::new(py, s).into_any()))?,
            Err(_) => PyString::new(py, s).into_any(),
        },
        Node::Str(s) => match key.filter(|k| is_time_key(k)).and_then(|_| DateTime::parse_from_rfc3339(s).ok()) {
            // A time Python cannot hold (beyond year 9999) stays a string.
            Some(t) => {
                datetime(py, t.with_timezone(&Utc)).or_else(|_| Ok::<_, PyErr>(PyString::new(py, s).into_any()))?
            }
            None => PyString::new(py, s).into_any(),
        },
        Node::List(items) => {
            let items = items.iter().map(|v| value_to_py(py, v, key)).collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)?.into_any()
        }
        Node::Map(entries) => {
            let dict = PyDict::new(py);
            for (k, v) in entries {
                dict.set_item(k, value_to_py(py, v, Some(k))?)?;
            }
            dict.into_any()
        }
    })
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

/// An enum value from its name, by the core's rules (`InvalidInputError` naming the field).
pub(crate) fn parse<T: FromStr<Err = Error>>(py: Python<'_>, text: &str) -> PyResult<T> {
    text.parse().map_err(|e| to_pyerr(py, e))
}

/// Like [`parse`] for an optional argument.
pub(crate) fn parse_opt<T: FromStr<Err = Error>>(py: Python<'_>, text: Option<&str>) -> PyResult<Option<T>> {
    text.map(|t| parse(py, t)).transpose()
}

/// `silence`, `suspend` (both need `until`), `ban` or `reinstate`.
pub(crate) fn restriction(py: Python<'_>, name: &str, until: Option<Timestamp>) -> PyResult<Restriction> {
    let wanted = name.trim().to_ascii_lowercase();
    let needs_until = || until.ok_or_else(|| invalid(py, "until", format!("is required to {wanted} an account")));
    let restriction = match wanted.as_str() {
        "silence" => Restriction::Silence { until: needs_until()? },
        "suspend" => Restriction::Suspend { until: needs_until()? },
        "ban" => Restriction::Ban,
        "reinstate" => Restriction::Reinstate,
        _ => {
            return Err(invalid(py, "restriction", format!("'{name}' is not one of silence, suspend, ban, reinstate")));
        }
    };
    if until.is_some() && matches!(restriction, Restriction::Ban | Restriction::Reinstate) {
        return Err(invalid(py, "until", format!("does not apply to {wanted}; only silence and suspend end")));
    }
    Ok(restriction)
}

/// A moderator's action by name; `silence` and `suspend` need `until`, `edit_out` a `passage`.
pub(crate) fn mod_action(
    py: Python<'_>,
    name: &str,
    until: Option<Timestamp>,
    passage: Option<String>,
    note: Option<String>,
) -> PyResult<ModAction> {
    let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
    let needs_until = || until.ok_or_else(|| invalid(py, "until", format!("is required to {wanted}")));
    Ok(match wanted.as_str() {
        "approve" => ModAction::Approve,
        "hide" => ModAction::Hide,
        "remove" => ModAction::Remove,
        "restore" => ModAction::Restore,
        "edit_out" => ModAction::EditOut {
            passage: passage.ok_or_else(|| invalid(py, "passage", "is required to edit a passage out"))?,
            note: note.unwrap_or_else(|| "removed".into()),
        },
        "lock" => ModAction::Lock,
        "unlock" => ModAction::Unlock,
        "warn" => ModAction::Warn,
        "silence" => ModAction::Silence { until: needs_until()? },
        "suspend" => ModAction::Suspend { until: needs_until()? },
        "ban" => ModAction::Ban,
        "dismiss" => ModAction::Dismiss,
        "ignore" => ModAction::Ignore,
        _ => {
            return Err(invalid(
                py,
                "action",
                format!(
                    "'{name}' is not one of approve, hide, remove, restore, edit_out, lock, unlock, warn, silence, suspend, ban, dismiss, ignore"
                ),
            ));
        }
    })
}

/// `immediate` (every commit waits for the disk) or `eventual` (call `flush()` at the end).
pub(crate) fn durability(py: Python<'_>, name: &str) -> PyResult<Durability> {
    match name.trim().to_ascii_lowercase().as_str() {
        "immediate" => Ok(Durability::Immediate),
        "eventual" => Ok(Durability::Eventual),
        _ => Err(invalid(py, "durability", format!("'{name}' is not one of immediate, eventual"))),
    }
}
