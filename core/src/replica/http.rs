//! The replica's HTTP client: `GET /v1/sync` and `POST /v1/sync/send` with the bearer token.
//! `Ok(None)` means the server could not be reached or is overloaded (`429`, `5xx`): the
//! caller keeps its work for the next sync. A problem document becomes the matching error.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::sync::{Sent, SyncBatch};

/// The largest answer read (a snapshot of a large replica).
const MAX_BODY: u64 = 64 << 20;

pub(super) struct Client {
    agent: ureq::Agent,
    base: String,
    bearer: String,
}

impl Client {
    pub fn new(server_url: &str, token: &str, timeout: Duration) -> Result<Client> {
        let base = server_url.trim_end_matches('/').to_string();
        if !base.starts_with("http://") {
            return Err(Error::invalid("server_url", "must start with http:// (TLS is not built into replicas yet)"));
        }
        if token.trim().is_empty() || token.contains(char::is_whitespace) {
            return Err(Error::invalid("token", "must be the bearer token from sign-in, without spaces"));
        }
        let agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(timeout)).build();
        Ok(Client { agent: agent.into(), base, bearer: format!("Bearer {token}") })
    }

    /// A snapshot (`since` absent) or the changes after `since`.
    pub fn changes(&self, since: Option<u64>) -> Result<Option<SyncBatch>> {
        let url = match since {
            Some(since) => format!("{}/v1/sync?since={since}", self.base),
            None => format!("{}/v1/sync", self.base),
        };
        let answer = self.agent.get(&url).header("Authorization", &self.bearer).call();
        read(answer)
    }

    /// Sends one queued write.
    pub fn send(&self, id: &str, operation: &str, args: &Value) -> Result<Option<Sent>> {
        let body = serde_json::json!({ "id": id, "operation": operation, "args": args }).to_string();
        let answer = self
            .agent
            .post(&format!("{}/v1/sync/send", self.base))
            .header("Authorization", &self.bearer)
            .header("Content-Type", "application/json")
            .send(body.as_str());
        read(answer)
    }

    /// Runs read operation `operation` of the manifest, or a sync endpoint (`sync/older`), as
    /// the account (`POST /v1/<operation>`): the server answers through the same policy as any
    /// request.
    pub fn call<T: DeserializeOwned>(&self, operation: &str, args: &Value) -> Result<Option<T>> {
        let answer = self
            .agent
            .post(&format!("{}/v1/{operation}", self.base))
            .header("Authorization", &self.bearer)
            .header("Content-Type", "application/json")
            .send(args.to_string().as_str());
        read(answer)
    }
}

fn read<T: DeserializeOwned>(
    answer: std::result::Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Option<T>> {
    let Ok(mut response) = answer else { return Ok(None) };
    let status = response.status().as_u16();
    if status == 429 || status >= 500 {
        return Ok(None);
    }
    let Ok(text) = response.body_mut().with_config().limit(MAX_BODY).read_to_string() else { return Ok(None) };
    if status != 200 {
        return Err(problem(status, &text));
    }
    serde_json::from_str(&text).map(Some).map_err(|e| Error::Internal { detail: format!("the server's answer: {e}") })
}

/// The error a problem document describes.
fn problem(status: u16, text: &str) -> Error {
    let body: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_string();
    let reason = if field("reason").is_empty() { field("detail") } else { field("reason") };
    match status {
        400 => Error::invalid(field("field"), reason),
        401 | 403 => Error::denied("sync the replica", reason),
        404 => Error::not_found("route", field("key")),
        409 => Error::conflict(reason),
        _ => Error::Internal { detail: format!("the server answered {status}") },
    }
}
