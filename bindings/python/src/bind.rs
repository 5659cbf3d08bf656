//! Python arguments onto the manifest's arguments, through the generated table
//! ([`crate::types`]): positional and keyword arguments fill an operation's parameters; a
//! record argument is taken as its fields (or as a dict in its first field's place), so
//! `create_account("Kim", perspective="relative")` fills `NewAccount`. Each argument is then
//! read as its core type by serde, naming the field at fault.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::convert::{Problem, from_json, plain_json};
use crate::errors::invalid;
use crate::types::{OPERATIONS, RECORDS};

/// A generated table of methods: name, Python parameters, type code of the result.
pub(crate) type Table = &'static [(&'static str, &'static [Param], &'static str)];

/// One Python parameter: `arg` is the manifest argument it fills, whole or as its field `name`.
pub(crate) struct Param {
    pub name: &'static str,
    pub arg: &'static str,
    pub whole: bool,
    /// Whether a call must give it (a `TypeError` names it when missing).
    pub required: bool,
    /// The tag key of an internally tagged enum, so that a plain string names the variant.
    pub tag: Option<&'static str>,
}

/// The type code of a record's field (`-` when it needs no conversion).
pub(crate) fn field_type(record: &str, field: &str) -> &'static str {
    RECORDS
        .iter()
        .find(|(name, _)| *name == record)
        .and_then(|(_, fields)| fields.iter().find(|(name, _)| *name == field))
        .map_or("-", |(_, code)| code)
}

/// The type code of an operation's result.
pub(crate) fn result_type(op: &str) -> &'static str {
    result_in(OPERATIONS, op)
}

/// The type code of the result of method `op` of `table`.
pub(crate) fn result_in(table: Table, op: &str) -> &'static str {
    table.iter().find(|(name, ..)| *name == op).map_or("-", |(_, _, code)| code)
}

fn params(table: Table, op: &str) -> &'static [Param] {
    table.iter().find(|(name, ..)| *name == op).map_or(&[], |(_, params, _)| params)
}

/// The arguments of one call, in serde form, by manifest argument.
pub(crate) struct Args {
    table: Table,
    op: &'static str,
    whole: Vec<(&'static str, Value)>,
    fields: Vec<(&'static str, Map<String, Value>)>,
}

impl Args {
    /// Binds a call's arguments to the operation's parameters; `None` counts as not given.
    pub(crate) fn new(
        op: &'static str,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        Args::bind(OPERATIONS, op, args, kwargs)
    }

    /// [`Args::new`] for method `op` of another generated table (the replica's).
    pub(crate) fn bind(
        table: Table,
        op: &'static str,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let params = params(table, op);
        let mut bound = Args { table, op, whole: Vec::new(), fields: Vec::new() };
        let mut given: Vec<&'static str> = Vec::new();
        for (i, value) in args.iter().enumerate() {
            let param = params.get(i).ok_or_else(|| {
                PyTypeError::new_err(format!("{op}() takes at most {} positional arguments", params.len()))
            })?;
            let first_field =
                !param.whole && params.iter().find(|p| p.arg == param.arg).is_some_and(|p| p.name == param.name);
            // A dict in the first field's place is the whole record when it holds the first
            // field's key (`{"pseudonym": ...}`) or only keys of the record's fields: a record
            // whose first field has a default may leave it out (`{"push": True, ...}`).
            if first_field && value.cast::<PyDict>().is_ok_and(|d| is_whole_record(d, param, params)) {
                bound.whole.push((param.arg, plain_json(&value, param.arg)?));
                given.extend(params.iter().filter(|p| p.arg == param.arg).map(|p| p.name));
                continue;
            }
            given.push(param.name);
            bound.put(param, &value)?;
        }
        for (key, value) in kwargs.into_iter().flat_map(|k| k.iter()) {
            let key: String = key.extract()?;
            let param = params
                .iter()
                .find(|p| p.name == key)
                .ok_or_else(|| PyTypeError::new_err(format!("{op}() got an unexpected keyword argument '{key}'")))?;
            if given.contains(&param.name) {
                return Err(PyTypeError::new_err(format!("{op}() got multiple values for argument '{key}'")));
            }
            given.push(param.name);
            bound.put(param, &value)?;
        }
        Ok(bound)
    }

    fn put(&mut self, param: &'static Param, value: &Bound<'_, PyAny>) -> PyResult<()> {
        if value.is_none() {
            return Ok(());
        }
        let value = match (plain_json(value, param.name)?, param.tag) {
            (Value::String(variant), Some(tag)) => {
                Value::Object(Map::from_iter([(tag.to_string(), Value::String(variant))]))
            }
            (value, _) => value,
        };
        if param.whole {
            self.whole.push((param.arg, value));
        } else {
            match self.fields.iter_mut().find(|(arg, _)| *arg == param.arg) {
                Some((_, map)) => drop(map.insert(param.name.to_string(), value)),
                None => self.fields.push((param.arg, Map::from_iter([(param.name.to_string(), value)]))),
            }
        }
        Ok(())
    }

    /// Argument `arg` as its core type: what was given, else `default`, else `None` for an
    /// optional type; a missing required one raises `TypeError`, a bad one `InvalidInputError`.
    pub(crate) fn take<T: DeserializeOwned>(
        &mut self,
        py: Python<'_>,
        arg: &str,
        default: Option<Value>,
    ) -> PyResult<T> {
        let spread = params(self.table, self.op).iter().any(|p| p.arg == arg && !p.whole);
        let (value, given) = if let Some(at) = self.whole.iter().position(|(name, _)| *name == arg) {
            (self.whole.swap_remove(at).1, true)
        } else if let Some(at) = self.fields.iter().position(|(name, _)| *name == arg) {
            (Value::Object(self.fields.swap_remove(at).1), true)
        } else if spread {
            (Value::Object(Map::new()), true)
        } else {
            (default.clone().unwrap_or(Value::Null), default.is_some())
        };
        let (table, op) = (self.table, self.op);
        let given_fields: Vec<String> = match &value {
            Value::Object(map) if spread => {
                let tag = params(table, op).iter().find(|p| p.arg == arg).map(|p| p.name);
                map.keys().filter(|k| Some(k.as_str()) != tag).cloned().collect()
            }
            _ => Vec::new(),
        };
        from_json(value).map_err(|problem| match problem {
            _ if !given => PyTypeError::new_err(format!("{op}() missing required argument: '{arg}'")),
            Problem::Missing(field) if params(table, op).iter().any(|p| p.name == field && p.required) => {
                PyTypeError::new_err(format!("{op}() missing required argument: '{field}'"))
            }
            Problem::Missing(field) => invalid(py, &field, "is required here"),
            // Inside a tagged enum serde knows no path: the one field given is the culprit.
            Problem::Invalid(path, reason) if path == "." && given_fields.len() == 1 => {
                invalid(py, &given_fields[0], reason)
            }
            Problem::Invalid(path, reason) if path == "." => invalid(py, arg, reason),
            Problem::Invalid(path, reason) if spread => invalid(py, &path, reason),
            Problem::Invalid(path, reason) if path.starts_with('[') => invalid(py, &format!("{arg}{path}"), reason),
            Problem::Invalid(path, reason) => invalid(py, &format!("{arg}.{path}"), reason),
        })
    }
}

/// Whether `dict`, given in the place of `first`, the first field of a record argument, is the
/// whole record: it names `first`, or it is not empty and names only fields of that record.
fn is_whole_record(dict: &Bound<'_, PyDict>, first: &Param, params: &[Param]) -> bool {
    if dict.contains(first.name).unwrap_or(false) {
        return true;
    }
    let is_field = |key: &Bound<'_, PyAny>| {
        key.extract::<String>().is_ok_and(|key| params.iter().any(|p| p.arg == first.arg && p.name == key))
    };
    !dict.is_empty() && dict.keys().iter().all(|key| is_field(&key))
}
