//! Structured logs: one JSON object per line on standard error. A line names the operation,
//! the kind of actor (never who), the status and the time taken — no account ids, addresses,
//! pseudonyms, arguments or message texts.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
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
        self.line(json!({
            "event": "request",
            "operation": operation,
            "actor": actor,
            "status": status.as_u16(),
            "ms": (took.as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
        }));
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
        value["ts"] = json!(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        match &self.kept {
            Some(kept) => kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(value.to_string()),
            None => {
                let _ = writeln!(std::io::stderr().lock(), "{value}");
            }
        }
    }
}
