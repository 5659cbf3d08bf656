//! What bulk imports (gazetteers, job postings) report about the rows they could not take.
//!
//! Imports keep going past a bad row so that one typo does not cost a whole file; every
//! skipped row is reported with its line and the field at fault, so the operator can fix the
//! file and import again.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// One row an import could not take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RowProblem {
    /// 1-based line number in the source file (for CSV, the header is line 1).
    pub line: u64,
    /// The column or field at fault, as named in the file.
    pub field: String,
    /// What was wrong, for a person to read.
    pub reason: String,
}

impl RowProblem {
    /// A problem on `line` with `field`.
    pub fn new(line: u64, field: impl Into<String>, reason: impl Into<String>) -> Self {
        RowProblem { line, field: field.into(), reason: reason.into() }
    }

    /// The problem an [`crate::Error`] describes, placed on `line`.
    pub fn from_error(line: u64, error: &crate::Error) -> Self {
        match error {
            crate::Error::InvalidInput { field, reason } => RowProblem::new(line, field.clone(), reason.clone()),
            other => RowProblem::new(line, "", other.to_string()),
        }
    }
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "line {}: {}", self.line, self.reason)
        } else {
            write!(f, "line {}: {}: {}", self.line, self.field, self.reason)
        }
    }
}

/// Row problems an import lists; beyond them it only counts (a hostile file of a million bad
/// rows must not cost a million reasons in memory, nor in the report).
pub const MAX_LISTED_PROBLEMS: usize = 1_000;

/// The problems of an import, bounded: the first [`MAX_LISTED_PROBLEMS`] by line are kept
/// whatever order they arrive in (parse problems and the core's come from separate passes),
/// and the rest are counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProblemList {
    kept: Vec<RowProblem>,
    dropped: u64,
}

impl ProblemList {
    /// No problems yet.
    pub fn new() -> Self {
        ProblemList::default()
    }

    /// Notes one problem; memory stays within twice the listed number.
    pub fn push(&mut self, problem: RowProblem) {
        self.kept.push(problem);
        if self.kept.len() >= 2 * MAX_LISTED_PROBLEMS {
            self.trim();
        }
    }

    /// Every problem noted, listed or not.
    pub fn total(&self) -> u64 {
        self.kept.len() as u64 + self.dropped
    }

    /// Whether no problem was noted.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// The first problems by line (at most [`MAX_LISTED_PROBLEMS`]) and how many more there were.
    pub fn finish(mut self) -> (Vec<RowProblem>, u64) {
        self.trim();
        (self.kept, self.dropped)
    }

    fn trim(&mut self) {
        self.kept.sort_by_key(|p| p.line);
        let beyond = self.kept.len().saturating_sub(MAX_LISTED_PROBLEMS);
        self.kept.truncate(MAX_LISTED_PROBLEMS);
        self.dropped += beyond as u64;
    }
}

impl Extend<RowProblem> for ProblemList {
    fn extend<I: IntoIterator<Item = RowProblem>>(&mut self, problems: I) {
        for problem in problems {
            self.push(problem);
        }
    }
}

/// What is wrong with a JSON text read by [`strict_json`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonProblem {
    /// The key named twice, as a path (`pay.min`); empty for a syntax error.
    pub field: String,
    pub reason: String,
}

/// Reads JSON like `serde_json::from_str`, except that an object naming a key twice is refused
/// (serde_json keeps the last one silently, so a file could say two things and mean one).
pub fn strict_json(text: &str) -> Result<Value, JsonProblem> {
    let duplicate = RefCell::new(None);
    let mut reader = serde_json::Deserializer::from_str(text);
    let parsed = Strict { path: String::new(), duplicate: &duplicate }
        .deserialize(&mut reader)
        .and_then(|value| reader.end().map(|()| value));
    match (parsed, duplicate.into_inner()) {
        (_, Some(field)) => {
            let reason = format!("names the key \"{}\" twice", field.rsplit('.').next().unwrap_or(&field));
            Err(JsonProblem { field, reason })
        }
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(JsonProblem { field: String::new(), reason: format!("is not valid JSON: {e}") }),
    }
}

/// A JSON value at `path` whose objects must not repeat a key; the first repeat is recorded
/// in `duplicate`.
struct Strict<'a> {
    path: String,
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq
            .next_element_seed(Strict { path: format!("{}[{}]", self.path, items.len()), duplicate: self.duplicate })?
        {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() { key.clone() } else { format!("{}.{key}", self.path) };
            if object.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some(path);
                return Err(de::Error::custom("a key is named twice"));
            }
            let value = map.next_value_seed(Strict { path, duplicate: self.duplicate })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_named_twice_is_refused_with_its_path() {
        assert_eq!(strict_json(r#"{"a": [1, {"b": 2}], "c": null}"#).unwrap()["a"][1]["b"], 2);
        let top = strict_json(r#"{"title": "a", "title": "b"}"#).unwrap_err();
        assert_eq!(top.field, "title");
        let nested = strict_json(r#"{"pay": {"min": 1, "min": 2}}"#).unwrap_err();
        assert_eq!((nested.field.as_str(), nested.reason.as_str()), ("pay.min", "names the key \"min\" twice"));
        let deep = strict_json(r#"{"guides": [{"id": "a"}, {"id": "b", "id": "c"}]}"#).unwrap_err();
        assert_eq!(deep.field, "guides[1].id");
        assert_eq!(strict_json("{\"a\": 1} x").unwrap_err().field, "");
        assert!(strict_json("[1, 2").unwrap_err().reason.starts_with("is not valid JSON"));
    }

    #[test]
    fn a_problem_list_keeps_the_first_thousand_by_line_and_counts_the_rest() {
        let mut list = ProblemList::new();
        // Lines arrive out of order, as parse problems and the core's do: 5000 down to 1.
        list.extend((1..=5_000).rev().map(|line| RowProblem::new(line, "title", "is empty")));
        assert_eq!(list.total(), 5_000);
        let (listed, more) = list.finish();
        assert_eq!((listed.len(), more), (MAX_LISTED_PROBLEMS, 4_000));
        assert_eq!((listed[0].line, listed[999].line), (1, 1_000));
        let (few, none) = ProblemList::new().finish();
        assert!(few.is_empty() && none == 0);
    }
}
