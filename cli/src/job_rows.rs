//! The rows of a job-import file: JSON Lines and CSV read into postings for the core, or into
//! [`RowProblem`]s naming the line and field at fault. Kept apart from the command so that the
//! fuzz targets (`fuzz/`) can feed it any bytes: no input may make it panic.

use std::collections::HashMap;
use std::io::{BufRead, Read};

use chrono::NaiveDate;
use serde_json::Value;
use trialog_core::import::strict_json;
use trialog_core::{Error, Hours, JobImportRow, LocationInput, NewJob, OrgId, Pay, PayUnit, RowProblem};

/// Rows ready for the core, and the rows the CLI could not parse.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<JobImportRow>,
    pub problems: Vec<RowProblem>,
}

/// One row of a file as it is read: a row for the core or the problem that keeps it out; `Err`
/// when the file itself cannot be read further (the import stops there).
pub type Item = Result<Result<JobImportRow, RowProblem>, Error>;

impl Parsed {
    /// Every row of a text (for tests and the fuzz targets; imports stream the items).
    fn collect(items: impl Iterator<Item = Item>) -> Parsed {
        let mut parsed = Parsed::default();
        for item in items {
            match item {
                Ok(Ok(row)) => parsed.rows.push(row),
                Ok(Err(problem)) => parsed.problems.push(problem),
                Err(error) => parsed.problems.push(RowProblem::from_error(0, &error)),
            }
        }
        parsed
    }
}

/// JSON Lines: each non-blank line a new posting, with an optional `"publish": true`.
pub fn jsonl_rows(text: &str) -> Parsed {
    Parsed::collect(jsonl_source(text.as_bytes()))
}

/// The rows of a JSON Lines file, read a line at a time.
pub fn jsonl_source(source: impl BufRead) -> impl Iterator<Item = Item> {
    JsonlRows { source, line: 0, buffer: Vec::new() }
}

struct JsonlRows<R> {
    source: R,
    line: u64,
    buffer: Vec<u8>,
}

impl<R: BufRead> Iterator for JsonlRows<R> {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            self.buffer.clear();
            match self.source.read_until(b'\n', &mut self.buffer) {
                Ok(0) => return None,
                Ok(_) => self.line += 1,
                Err(e) => return Some(Err(unreadable(self.line + 1, &e))),
            }
            let Ok(text) = std::str::from_utf8(&self.buffer) else {
                return Some(Ok(Err(RowProblem::new(self.line, "", "is not valid UTF-8"))));
            };
            let text = text.trim_end_matches(['\n', '\r']);
            if !text.trim().is_empty() {
                return Some(Ok(jsonl_row(self.line, text)));
            }
        }
    }
}

/// The file could not be read on `line` (over the size limit, or an I/O error): not a bad row.
fn unreadable(line: u64, error: &dyn std::fmt::Display) -> Error {
    Error::invalid("file", format!("cannot read line {line}: {error}"))
}

fn jsonl_row(line: u64, text: &str) -> Result<JobImportRow, RowProblem> {
    let value = strict_json(text).map_err(|p| RowProblem::new(line, p.field, p.reason))?;
    let Value::Object(mut object) = value else {
        return Err(RowProblem::new(line, "", "is not a JSON object"));
    };
    let publish = match object.remove("publish") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => b,
        Some(other) => return Err(RowProblem::new(line, "publish", format!("{other} is not true or false"))),
    };
    let reference = match object.remove("ref") {
        None | Some(Value::Null) => None,
        Some(Value::String(r)) => Some(r),
        Some(other) => return Err(RowProblem::new(line, "ref", format!("{other} is not a string"))),
    };
    let job: NewJob = serde_path_to_error::deserialize(Value::Object(object)).map_err(|e| {
        let reason = e.inner().to_string();
        let path = e.path().to_string();
        let named = named_field(&reason);
        let field = match (path.as_str(), named) {
            (".", named) => named.unwrap_or_default(),
            // The path names an unknown key already, except inside a tagged enum (`location`).
            (path, Some(named)) if reason.starts_with("unknown field") && !path.ends_with(named.as_str()) => {
                format!("{path}.{named}")
            }
            (path, _) => path.to_string(),
        };
        RowProblem::new(line, field, reason)
    })?;
    Ok(JobImportRow { line, job, publish, reference })
}

/// The refs a file has named so far (per organisation): a row repeating an earlier row's
/// `ref` becomes a problem, since the second would silently overwrite the first.
#[derive(Debug, Default)]
pub struct Refs {
    first: HashMap<(OrgId, String), u64>,
}

impl Refs {
    /// The row, or the problem that its `ref` was named before.
    pub fn check(&mut self, row: JobImportRow) -> Result<JobImportRow, RowProblem> {
        let Some(reference) = row.reference.as_deref().map(str::trim) else { return Ok(row) };
        let key = (row.job.org, reference.to_string());
        if let Some(line) = self.first.get(&key) {
            return Err(RowProblem::new(
                row.line,
                "ref",
                format!("'{reference}' is also the reference of line {line}"),
            ));
        }
        self.first.insert(key, row.line);
        Ok(row)
    }
}

/// `title` from serde's "missing field `title`" or "unknown field `title`, expected …".
fn named_field(reason: &str) -> Option<String> {
    let rest = reason.strip_prefix("missing field `").or_else(|| reason.strip_prefix("unknown field `"))?;
    rest.split_once('`').map(|(field, _)| field.to_string())
}

/// The columns a CSV import understands; those marked required must be in the header.
const COLUMNS: &[(&str, bool)] = &[
    ("org", true),
    ("title", true),
    ("description", true),
    ("postcode", false),
    ("country", false),
    ("latitude", false),
    ("longitude", false),
    ("place", false),
    ("remote", false),
    ("contract", true),
    ("hours_min", true),
    ("hours_max", false),
    ("pay_min", false),
    ("pay_max", false),
    ("pay_unit", false),
    ("currency", false),
    ("agreement", false),
    ("group", false),
    ("requirement", false),
    ("languages", true),
    ("starts_on", false),
    ("expires_on", false),
    ("openings", false),
    ("contact", false),
    ("publish", false),
    ("ref", false),
];

/// CSV with a header; a header naming unknown columns or missing required ones fails the whole
/// import, since every row would be misread.
pub fn csv_rows(text: &str) -> Result<Parsed, Error> {
    Ok(Parsed::collect(csv_source(text.as_bytes())?))
}

/// The rows of a CSV file, read a record at a time after the header (errors as [`csv_rows`]).
pub fn csv_source(source: impl Read) -> Result<impl Iterator<Item = Item>, Error> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(source);
    let header = reader.headers().map_err(|e| header_error(format!("the header line cannot be read: {e}")))?;
    let columns = column_index(header)?;
    Ok(reader.into_records().map(move |record| match record {
        Ok(record) => {
            let line = record.position().map_or(0, |p| p.line());
            Ok(csv_row(&Cells { record: &record, columns: &columns, line }))
        }
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            match e.kind() {
                csv::ErrorKind::Io(io) => Err(unreadable(line.max(1), io)),
                _ => Ok(Err(RowProblem::new(line, "", csv_reason(&e)))),
            }
        }
    }))
}

fn column_index(header: &csv::StringRecord) -> Result<HashMap<&'static str, usize>, Error> {
    let mut columns = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let wanted = name.trim().to_ascii_lowercase();
        let Some((known, _)) = COLUMNS.iter().find(|(c, _)| *c == wanted) else {
            return Err(header_error(format!("line 1: '{name}' is not a known column")));
        };
        if columns.insert(*known, i).is_some() {
            return Err(header_error(format!("line 1: the column '{known}' is named twice; which one counts?")));
        }
    }
    let missing: Vec<&str> =
        COLUMNS.iter().filter(|(c, req)| *req && !columns.contains_key(c)).map(|(c, _)| *c).collect();
    if !missing.is_empty() {
        return Err(header_error(format!("line 1: the header lacks the required columns {}", missing.join(", "))));
    }
    Ok(columns)
}

fn csv_reason(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("has {len} cells where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => error.to_string(),
    }
}

/// One CSV record with its header, for reading cells by column name.
struct Cells<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<&'static str, usize>,
    line: u64,
}

impl Cells<'_> {
    /// The cell of `column`, absent when the column is missing or the cell empty.
    fn get(&self, column: &str) -> Option<&str> {
        self.columns.get(column).and_then(|i| self.record.get(*i)).filter(|c| !c.is_empty())
    }

    fn required(&self, column: &str) -> Result<&str, RowProblem> {
        self.get(column).ok_or_else(|| self.problem(column, "is empty; it is required"))
    }

    /// The cell parsed as `T`, with a reason naming what was expected.
    fn parse<T: std::str::FromStr>(&self, column: &str, what: &str) -> Result<Option<T>, RowProblem> {
        self.get(column)
            .map(|cell| cell.parse::<T>().map_err(|_| self.problem(column, format!("'{cell}' is not {what}"))))
            .transpose()
    }

    fn flag(&self, column: &str) -> Result<bool, RowProblem> {
        match self.get(column).map(str::to_ascii_lowercase).as_deref() {
            None | Some("false" | "no" | "0") => Ok(false),
            Some("true" | "yes" | "1") => Ok(true),
            Some(other) => Err(self.problem(column, format!("'{other}' is not true or false"))),
        }
    }

    /// A core error about this row, named by the column.
    fn core(&self, column: &str, error: Error) -> RowProblem {
        csv_problem(RowProblem::from_error(self.line, &error)).with_field_if_empty(column)
    }

    fn problem(&self, column: &str, reason: impl Into<String>) -> RowProblem {
        RowProblem::new(self.line, column, reason)
    }
}

/// Sets the field of a problem that names none.
trait FieldDefault {
    fn with_field_if_empty(self, field: &str) -> Self;
}

impl FieldDefault for RowProblem {
    fn with_field_if_empty(mut self, field: &str) -> Self {
        if self.field.is_empty() {
            self.field = field.into();
        }
        self
    }
}

fn csv_row(cells: &Cells) -> Result<JobImportRow, RowProblem> {
    let hours_min = cells
        .parse::<u32>("hours_min", "whole hours")?
        .ok_or_else(|| cells.problem("hours_min", "is empty; it is required"))?;
    let job = NewJob {
        org: cells
            .parse("org", "an organisation id")?
            .ok_or_else(|| cells.problem("org", "is empty; it is required"))?,
        title: cells.required("title")?.into(),
        description: cells.required("description")?.into(),
        location: csv_location(cells)?,
        contract: cells.required("contract")?.parse().map_err(|e| cells.core("contract", e))?,
        hours: Hours { min: hours_min, max: cells.parse("hours_max", "whole hours")?.unwrap_or(hours_min) },
        pay: csv_pay(cells)?,
        requirement: cells.get("requirement").map(str::parse).transpose().map_err(|e| cells.core("requirement", e))?,
        languages: cells
            .required("languages")?
            .split(';')
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        starts_on: cells
            .get("starts_on")
            .map(|d| date("starts_on", d))
            .transpose()
            .map_err(|e| cells.core("starts_on", e))?,
        expires_on: cells
            .get("expires_on")
            .map(|d| date("expires_on", d))
            .transpose()
            .map_err(|e| cells.core("expires_on", e))?,
        openings: cells.parse("openings", "a whole number")?,
        contact: cells.get("contact").map(Into::into),
    };
    let reference = cells.get("ref").map(Into::into);
    Ok(JobImportRow { line: cells.line, job, publish: cells.flag("publish")?, reference })
}

fn csv_location(cells: &Cells) -> Result<LocationInput, RowProblem> {
    if cells.flag("remote")? {
        return Ok(LocationInput::Remote);
    }
    let latitude = cells.parse::<f64>("latitude", "degrees north")?;
    let longitude = cells.parse::<f64>("longitude", "degrees east")?;
    match (latitude, longitude, cells.get("postcode")) {
        (Some(latitude), Some(longitude), _) => {
            Ok(LocationInput::Coordinates { latitude, longitude, place: cells.get("place").map(Into::into) })
        }
        (Some(_), None, _) => Err(cells.problem("longitude", "is empty; latitude needs it")),
        (None, Some(_), _) => Err(cells.problem("latitude", "is empty; longitude needs it")),
        (None, None, Some(postcode)) => Ok(LocationInput::Postcode {
            country: cells
                .get("country")
                .ok_or_else(|| cells.problem("country", "is empty; postcode needs it"))?
                .into(),
            postcode: postcode.into(),
        }),
        (None, None, None) => {
            Err(cells.problem("postcode", "say where: postcode and country, latitude and longitude, or remote=true"))
        }
    }
}

fn csv_pay(cells: &Cells) -> Result<Option<Pay>, RowProblem> {
    let Some(min) = cells.parse::<f64>("pay_min", "an amount such as 3100 or 14.50")? else {
        if let Some(column) = ["pay_max", "pay_unit", "agreement", "group"].into_iter().find(|c| cells.get(c).is_some())
        {
            return Err(cells.problem("pay_min", format!("is empty, but {column} is given")));
        }
        return Ok(None);
    };
    Ok(Some(Pay {
        min,
        max: cells.parse("pay_max", "an amount such as 3600 or 16.50")?,
        unit: cells
            .get("pay_unit")
            .map(str::parse)
            .transpose()
            .map_err(|e| cells.core("pay_unit", e))?
            .unwrap_or(PayUnit::Month),
        currency: cells.get("currency").unwrap_or("EUR").into(),
        agreement: cells.get("agreement").map(Into::into),
        group: cells.get("group").map(Into::into),
    }))
}

/// A core problem with its field named as the CSV column that feeds it.
pub fn csv_problem(mut problem: RowProblem) -> RowProblem {
    let column = match problem.field.as_str() {
        "pay.min" => "pay_min",
        "pay.max" => "pay_max",
        "pay.unit" => "pay_unit",
        "pay.currency" => "currency",
        "pay.agreement" => "agreement",
        "pay.group" => "group",
        "pay" => "pay_min",
        "hours.min" => "hours_min",
        "hours.max" => "hours_max",
        _ => return problem,
    };
    problem.field = column.into();
    for (field, column) in [("pay.max", "pay_max"), ("hours.max", "hours_max")] {
        problem.reason = problem.reason.replace(field, column);
    }
    problem
}

fn header_error(reason: String) -> Error {
    Error::invalid("header", reason)
}

/// A date written YYYY-MM-DD, as every date option and column of the command takes it.
pub fn date(field: &str, text: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, format!("'{text}' is not a date written YYYY-MM-DD")))
}
