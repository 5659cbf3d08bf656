//! Structured logs: one JSON object per line on standard error. A line names the operation,
//! the kind of actor (never who), the status and the time taken — no account ids, addresses,
//! pseudonyms, arguments or message texts.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::json;
use trialog_core::Actor;

/// Log lines kept in memory instead of standard error (`Config::log_lines`).
pub type LogLines = Arc<Mutex<Vec<String>>>;

/// Where log lines go; quiet in tests that do not want them.
#[derive(Debug, Clone)]
pub struct Log {
    pub enabled: bool,
    /// When set, lines are kept here rather than written (tests read what would be logged).
    pub kept: Option<LogLines>,
}

impl Log {
    /// One request.
    pub fn request(&self, operation: &str, actor: &Actor, status: StatusCode, took: Duration) {
        let actor = match actor {
            Actor::Account { .. } => "account",
            Actor::Anonymous => "anonymous",
            Actor::Operator => "operator",
        };
        if !self.enabled {
            return;
        }
        let line = RequestLine {
            event: "request",
            operation,
            actor,
            status: status.as_u16(),
            ms: (took.as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
            ts: now(),
        };
        // Written as it is, without a map in between: one line for every request.
        self.write(serde_json::to_string(&line).unwrap_or_default());
    }

    /// A server event without personal data (`started`, `tick`, `stopping`, ...).
    pub fn event(&self, event: &str, fields: serde_json::Value) {
        let mut line = json!({ "event": event });
        if let (Some(line), serde_json::Value::Object(fields)) = (line.as_object_mut(), fields) {
            line.extend(fields);
        }
        self.line(line);
    }

    fn line(&self, mut value: serde_json::Value) {
        if !self.enabled {
            return;
        }
        value["ts"] = json!(now());
        self.write(value.to_string());
    }

    fn write(&self, line: String) {
        match &self.kept {
            Some(kept) => kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(line),
            None => {
                let _ = writeln!(std::io::stderr().lock(), "{line}");
            }
        }
    }
}

/// A request's line (see [`Log::request`]).
#[derive(Serialize)]
struct RequestLine<'a> {
    event: &'static str,
    operation: &'a str,
    actor: &'static str,
    status: u16,
    ms: f64,
    ts: String,
}

/// The time of a line, to the millisecond in UTC.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
