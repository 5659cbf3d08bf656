//! Why a command failed, what exit code that gives, and a hint on how to fix it.

use std::process::ExitCode;

use serde::Serialize;
use serde_json::{Map, Value, json};
use trialog_core::Error;

/// A failed command: the error kind, the message for a person, the details a script can match
/// on, a hint, and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// Stable, lower-case kind: the core's [`Error::kind`] or one of the CLI's own.
    pub kind: &'static str,
    pub message: String,
    /// The error's fields (`field`, `reason`, `key`, ...) for `--json`.
    pub details: Map<String, Value>,
    pub hint: Option<String>,
    pub exit: u8,
}

/// The hint of a refusal while acting as an account (`--as`).
const ACCOUNT_DENIED_HINT: &str =
    "act as an account that holds the needed role (--as ACCOUNT), or leave out --as to act as the operator";
/// The hint of a refusal of the operator: what it may not do belongs to an account.
const OPERATOR_DENIED_HINT: &str =
    "this is done by an account, not by the operator: add --as ACCOUNT (one that holds the needed role)";

/// Exit code for user errors: invalid input, permission denied, rate limited.
pub const EXIT_USER: u8 = 1;
/// Exit code for usage errors (clap's own, and the CLI's).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for conflicts and things not found.
pub const EXIT_CONFLICT: u8 = 3;
/// Exit code for storage problems, a database in use, and internal errors.
pub const EXIT_STORAGE: u8 = 4;

impl Failure {
    /// A usage mistake the argument parser could not catch.
    pub fn usage(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Failure::new("usage", message, Some(hint.into()), EXIT_USAGE)
    }

    /// A command that cannot run because of the state of the file.
    pub fn conflict(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Failure::new("conflict", message, Some(hint.into()), EXIT_CONFLICT)
    }

    /// The file failed its check; the report has already been printed.
    pub fn damaged(message: impl Into<String>) -> Self {
        let hint = "restore the file from a backup, or keep a copy and report the problems".to_string();
        Failure::new("integrity", message, Some(hint), EXIT_STORAGE)
    }

    /// Reading or writing something other than the database failed (stdin, removing a file).
    pub fn io(what: &str, error: std::io::Error) -> Self {
        Failure::new("storage", format!("{what}: {error}"), None, EXIT_STORAGE)
    }

    /// The command did its work, but printing the result failed (not a closed pipe: that is
    /// quietly ignored). Said plainly, so nobody repeats a write that was committed.
    pub fn output_lost(error: &str) -> Self {
        let message = format!("the command completed, but its output could not be written: {error}");
        let hint = "do not run it again; check where standard output goes (a full disk?)".to_string();
        Failure::new("storage", message, Some(hint), EXIT_STORAGE)
    }

    /// Replaces the hint of invalid input on `field` with one that belongs to the command that
    /// failed (the same field name means different things in different commands).
    pub fn hint_for_field(mut self, field: &str, hint: &str) -> Self {
        if self.kind == "invalid_input" && self.details.get("field").and_then(Value::as_str) == Some(field) {
            self.hint = Some(hint.into());
        }
        self
    }

    /// Gives a refusal the hint that fits who was refused: the operator (no `--as`) is never told
    /// to leave out `--as`, but that the action belongs to an account.
    pub fn for_actor(mut self, acting_as_account: bool) -> Self {
        if !acting_as_account && self.hint.as_deref() == Some(ACCOUNT_DENIED_HINT) {
            self.hint = Some(OPERATOR_DENIED_HINT.into());
        }
        self
    }

    fn new(kind: &'static str, message: impl Into<String>, hint: Option<String>, exit: u8) -> Self {
        Failure { kind, message: message.into(), details: Map::new(), hint, exit }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit)
    }

    /// The JSON object printed on stderr under `--json`: `error` and `message` first, then the
    /// error's own fields, then `hint`.
    pub fn to_json(&self) -> String {
        let shown =
            Shown { error: self.kind, message: &self.message, details: &self.details, hint: self.hint.as_deref() };
        serde_json::to_string(&shown).unwrap_or_else(|_| json!({ "error": self.kind }).to_string())
    }
}

/// A failure as JSON, with its keys in a fixed order.
#[derive(Serialize)]
struct Shown<'a> {
    error: &'a str,
    message: &'a str,
    #[serde(flatten)]
    details: &'a Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            kind: error.kind(),
            message: error.to_string(),
            details: details(&error),
            hint: hint(&error),
            exit: exit_for(&error),
        }
    }
}

/// 1 for what the person can fix by changing the input, 3 for clashes with the file's state
/// (an account that is gone, erased, included), 4 for the file itself.
fn exit_for(error: &Error) -> u8 {
    match error {
        Error::InvalidInput { .. } | Error::PermissionDenied { .. } | Error::RateLimited { .. } => EXIT_USER,
        Error::NotFound { .. } | Error::Conflict { .. } | Error::AccountErased { .. } => EXIT_CONFLICT,
        Error::DatabaseInUse { .. } | Error::Storage { .. } | Error::Internal { .. } => EXIT_STORAGE,
    }
}

/// The variant's fields, named as in the core (NotFound's `kind` becomes `what`, since
/// `error` already holds the error kind).
fn details(error: &Error) -> Map<String, Value> {
    let value = match error {
        Error::InvalidInput { field, reason } => json!({ "field": field, "reason": reason }),
        Error::NotFound { kind, key } => json!({ "what": kind, "key": key }),
        Error::PermissionDenied { action, reason } => json!({ "action": action, "reason": reason }),
        Error::Conflict { reason } | Error::AccountErased { reason } => json!({ "reason": reason }),
        Error::RateLimited { retry_after_secs } => json!({ "retry_after_secs": retry_after_secs }),
        Error::DatabaseInUse { path } => json!({ "path": path }),
        Error::Storage { detail } | Error::Internal { detail } => json!({ "detail": detail }),
    };
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn hint(error: &Error) -> Option<String> {
    Some(match error {
        Error::InvalidInput { field, .. } => input_hint(field),
        Error::NotFound { kind, .. } => not_found_hint(kind)?,
        Error::PermissionDenied { .. } => ACCOUNT_DENIED_HINT.into(),
        Error::Conflict { reason } if reason.contains("pseudonym") => "choose another pseudonym".into(),
        Error::Conflict { .. } => return None,
        Error::AccountErased { .. } => "the account no longer exists; delete what this device keeps of it".into(),
        Error::RateLimited { retry_after_secs } => format!("wait {retry_after_secs} seconds, then try again"),
        Error::DatabaseInUse { .. } => "another trialog process has the file open; close it or use --db".into(),
        Error::Storage { detail } if detail.contains("read-only") => {
            "the file's permissions keep it from being written, so it was opened only for reading; \
             make it writable (chmod u+w) to change it"
                .into()
        }
        Error::Storage { .. } => {
            "check the path given by --db (or TRIALOG_DB) and the disk, then run `trialog check`".into()
        }
        Error::Internal { .. } => "this is a bug in trialog; please report it with the command you ran".into(),
    })
}

/// Names the option that feeds `field`, with what a valid value looks like.
fn input_hint(field: &str) -> String {
    match field {
        "region" | "home_region" => {
            "give --region an ISO 3166 code: a country (DE, DK) or a subdivision (DE-TH, DK-84)".into()
        }
        "languages" => "give --lang two-letter ISO 639-1 codes: --lang de --lang da, or --lang de,da".into(),
        "pseudonym" => "choose a PSEUDONYM of 3 to 32 letters, digits, spaces and . _ -".into(),
        "role" => "write ROLE as member, moderator, admin, or KIND:ORG-ID such as counsellor:3".into(),
        "until" => "give --until a future date (2026-12-01) or use --days N".into(),
        "password" => "type a password of 10 to 256 characters".into(),
        "cursor" => "copy the cursor from the previous page's 'next page' line, or leave out --cursor".into(),
        "as" => "give --as an existing account's pseudonym or id; `trialog account list` shows them".into(),
        "postcode" | "country" => {
            "give a postcode of a loaded country with --country DE; `trialog geo countries` lists them".into()
        }
        "kind" | "perspective" | "status" | "limit" | "days" | "reason" | "email" | "website" | "city" => {
            format!("change the value of --{field}; `--help` on the command lists what it accepts")
        }
        other => format!("change the value given for {other}"),
    }
}

fn not_found_hint(kind: &str) -> Option<String> {
    Some(match kind {
        "account" => "`trialog account list` (with --prefix TEXT) shows existing accounts".into(),
        "organisation" => "`trialog org list` (with --name TEXT) shows existing organisations".into(),
        "database file" => {
            "create it with `trialog init` (or `trialog demo`), or point --db or TRIALOG_DB at an existing file".into()
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_input_keeps_its_field_and_exits_with_1() {
        let failure = Failure::from(Error::invalid("region", "'Thüringen' is not an ISO 3166 region code"));
        let json: Value = serde_json::from_str(&failure.to_json()).unwrap();
        assert_eq!(failure.exit, EXIT_USER);
        assert_eq!(json["error"], "invalid_input");
        assert_eq!(json["field"], "region");
        assert!(json["hint"].as_str().unwrap().contains("--region"), "{json}");
    }

    #[test]
    fn database_in_use_exits_with_4_and_says_what_to_do() {
        let failure = Failure::from(Error::DatabaseInUse { path: "x.redb".into() });
        assert_eq!(failure.exit, EXIT_STORAGE);
        assert_eq!(failure.hint.as_deref(), Some("another trialog process has the file open; close it or use --db"));
    }

    #[test]
    fn an_erased_account_exits_with_3_and_keeps_its_reason() {
        let failure = Failure::from(Error::AccountErased { reason: "the account was erased".into() });
        let json: Value = serde_json::from_str(&failure.to_json()).unwrap();
        assert_eq!(
            (failure.exit, &json["error"], &json["reason"]),
            (EXIT_CONFLICT, &json!("account_erased"), &json!("the account was erased"))
        );
        assert!(failure.hint.unwrap().contains("delete"));
    }

    #[test]
    fn unknown_accounts_point_to_the_account_list() {
        let failure = Failure::from(Error::not_found("account", "Nobody"));
        assert_eq!(failure.exit, EXIT_CONFLICT);
        assert!(failure.to_json().starts_with(r#"{"error":"not_found","message":"#), "{}", failure.to_json());
        assert!(failure.to_json().contains(r#""what":"account""#));
        assert!(failure.hint.unwrap().contains("trialog account list"));
    }
}
