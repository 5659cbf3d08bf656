//! Errors as RFC 9457 problem details (`application/problem+json`): the core's typed error
//! with its kind and its fields as extension members, so that an app reads the same
//! `kind`, `field` and `reason` that Kotlin, Swift, Python and `trialog --json` show.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use trialog_core::Error;

/// The media type of a problem document.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// A failed request: the core's error, or a refusal of the server itself (a missing or stale
/// session, a body too large) in the same shape.
#[derive(Debug)]
pub struct Problem {
    pub status: StatusCode,
    pub error: Error,
}

impl Problem {
    /// A bearer token that is unknown, expired or revoked (401, with `WWW-Authenticate`).
    pub fn unauthenticated(reason: &str) -> Problem {
        Problem { status: StatusCode::UNAUTHORIZED, error: Error::denied("use this session", reason) }
    }

    /// The stable kind, as the core names it (`invalid_input`, `rate_limited`, ...).
    pub fn kind(&self) -> &'static str {
        self.error.kind()
    }

    /// The problem document.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "type": format!("urn:trialog:problem:{}", self.error.kind()),
            "title": title(&self.error),
            "status": self.status.as_u16(),
            "detail": self.error.to_string(),
            "kind": self.error.kind(),
        });
        let fields = match &self.error {
            Error::InvalidInput { field, reason } => json!({ "field": field, "reason": reason }),
            // `what`, as `trialog --json` names it: `kind` is the problem kind.
            Error::NotFound { kind, key } => json!({ "what": kind, "key": key }),
            Error::PermissionDenied { action, reason } => json!({ "action": action, "reason": reason }),
            Error::Conflict { reason } | Error::AccountErased { reason } => json!({ "reason": reason }),
            Error::RateLimited { retry_after_secs } => json!({ "retry_after_secs": retry_after_secs }),
            // Paths and storage details stay in the server's own log, not in a response.
            Error::DatabaseInUse { .. } | Error::Storage { .. } | Error::Internal { .. } => json!({}),
        };
        if let (Value::Object(body), Value::Object(fields)) = (&mut body, fields) {
            body.extend(fields);
        }
        if matches!(self.error, Error::DatabaseInUse { .. } | Error::Storage { .. } | Error::Internal { .. }) {
            body["detail"] = json!(title(&self.error));
        }
        body
    }
}

impl From<Error> for Problem {
    fn from(error: Error) -> Problem {
        Problem { status: status_of(&error), error }
    }
}

/// The HTTP status of each error kind.
pub fn status_of(error: &Error) -> StatusCode {
    match error {
        Error::InvalidInput { .. } => StatusCode::BAD_REQUEST,
        Error::NotFound { .. } => StatusCode::NOT_FOUND,
        Error::PermissionDenied { .. } => StatusCode::FORBIDDEN,
        Error::Conflict { .. } => StatusCode::CONFLICT,
        // Gone for good, unlike an expired or revoked session (401): the device should delete
        // what it holds of the person rather than ask them to sign in again.
        Error::AccountErased { .. } => StatusCode::GONE,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::DatabaseInUse { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Error::Storage { .. } | Error::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn title(error: &Error) -> &'static str {
    match error {
        Error::InvalidInput { .. } => "The input was rejected",
        Error::NotFound { .. } => "Not found",
        Error::PermissionDenied { .. } => "Not allowed",
        Error::Conflict { .. } => "Conflict with the current state",
        Error::AccountErased { .. } => "The account was erased",
        Error::RateLimited { .. } => "Too many requests",
        Error::DatabaseInUse { .. } => "The platform is not available",
        Error::Storage { .. } => "Storage error",
        Error::Internal { .. } => "Internal error",
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body().to_string()).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Error::RateLimited { retry_after_secs } = self.error {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        } else if self.status == StatusCode::SERVICE_UNAVAILABLE {
            // A timeout or a file in use: the same request may well succeed a moment later.
            headers.insert(header::RETRY_AFTER, HeaderValue::from(1));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carries_the_kind_and_the_fields_of_the_core_error() {
        let body = Problem::from(Error::invalid("new.pseudonym", "is too short")).body();
        assert_eq!(body["status"], 400);
        assert_eq!(body["kind"], "invalid_input");
        assert_eq!(body["field"], "new.pseudonym");
        assert_eq!(body["reason"], "is too short");
        assert_eq!(body["type"], "urn:trialog:problem:invalid_input");
        let limited = Problem::from(Error::RateLimited { retry_after_secs: 7 });
        assert_eq!(
            (limited.status, limited.body()["retry_after_secs"].clone()),
            (StatusCode::TOO_MANY_REQUESTS, json!(7))
        );
    }

    #[test]
    fn storage_details_stay_out_of_the_response() {
        let body = Problem::from(Error::storage("/srv/secret/path.redb: disk full")).body();
        assert_eq!(body["status"], 500);
        assert!(!body.to_string().contains("/srv/secret"), "{body}");
    }
}
