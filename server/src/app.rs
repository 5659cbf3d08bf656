//! The HTTP surface: `POST /v1/<operation>` for every manifest operation, the session
//! endpoints, `GET /health` and `GET /openapi.json`; each request bounded in size, rate and
//! time, and logged without personal data.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::Value;
use trialog_core::{Actor, Error, Platform};

use crate::args::Args;
use crate::limits::{Key, Limiter};
use crate::log::Log;
use crate::ops;
use crate::problem::Problem;
use crate::{Config, openapi, sessions, sync};

/// What every request shares.
pub struct Shared {
    pub platform: Platform,
    pub config: Config,
    pub limiter: Limiter,
    pub log: Log,
}

/// The router over the shared state.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi_document))
        .route("/v1/{operation}", post(operation))
        .route("/v1/auth/{action}", post(auth))
        .route("/v1/sync", get(sync_changes))
        .route("/v1/sync/{action}", post(sync_action))
        .fallback(no_route)
        .with_state(shared)
}

async fn health(State(shared): State<Arc<Shared>>) -> Response {
    let platform = shared.platform.clone();
    // A read of the clock through the store proves the file answers. The retry counters let an
    // operator (and the races across servers) see how often PostgreSQL writes conflicted.
    match tokio::task::spawn_blocking(move || {
        (platform.now(), platform.storage_retries(), platform.storage_runs_alone())
    })
    .await
    {
        Ok((_, retries, alone)) => {
            let health = serde_json::json!({ "status": "ok", "storage_retries": retries, "storage_runs_alone": alone });
            json_response(StatusCode::OK, health.to_string().into_bytes())
        }
        Err(_) => Problem::from(Error::Internal { detail: "health check failed".into() }).into_response(),
    }
}

async fn openapi_document() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], openapi::DOCUMENT).into_response()
}

async fn no_route() -> Response {
    Problem::from(Error::not_found("route", "this path; operations are POST /v1/<operation>")).into_response()
}

/// What a request asks for: a manifest operation or a session endpoint.
#[derive(Clone, Copy)]
enum Target {
    Operation(&'static ops::Handler),
    SignIn,
    SignUp,
    SignOut,
    Sessions,
    Revoke,
    SyncChanges,
    SyncSend,
    SyncOlder,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Operation(handler) => handler.name,
            Target::SignIn => "auth.sign_in",
            Target::SignUp => "auth.sign_up",
            Target::SignOut => "auth.sign_out",
            Target::Sessions => "auth.sessions",
            Target::Revoke => "auth.revoke",
            Target::SyncChanges => "sync",
            Target::SyncSend => "sync.send",
            Target::SyncOlder => "sync.older",
        }
    }

    /// Whether the request makes new accounts: those share a much smaller budget per client
    /// address (`Config::sign_ups`), so one address cannot mint accounts in bulk.
    fn creates_accounts(self) -> bool {
        match self {
            Target::SignUp => true,
            Target::Operation(handler) => handler.name == "create_account",
            _ => false,
        }
    }

    /// Runs the target; its answer as a JSON document.
    fn run(self, shared: &Shared, actor: &Actor, token: Option<&str>, args: Args) -> Result<Vec<u8>, Error> {
        let platform = &shared.platform;
        let lifetime = shared.config.session_lifetime;
        let session = |answer: Result<Value, Error>| answer.and_then(|value| json_bytes(&value, self.name()));
        match self {
            Target::Operation(handler) => (handler.call)(platform, actor, args),
            Target::SignIn => session(sessions::sign_in(platform, lifetime, args)),
            Target::SignUp => session(sessions::sign_up(platform, actor, lifetime, args)),
            Target::SignOut => session(sessions::sign_out(platform, token, args)),
            Target::Sessions => session(sessions::list(platform, actor, args)),
            Target::Revoke => session(sessions::revoke(platform, actor, args)),
            Target::SyncChanges => sync::changes(platform, actor, args),
            Target::SyncSend => sync::send(platform, actor, args),
            Target::SyncOlder => sync::older(platform, actor, args),
        }
    }
}

/// `POST /v1/<operation>`.
async fn operation(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let target = ops::handler(&name).map(Target::Operation);
    respond(shared, peer, target, &name, "operation", headers, body).await
}

/// `POST /v1/auth/<action>`.
async fn auth(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(action): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let target = match action.as_str() {
        "sign_in" => Some(Target::SignIn),
        "sign_up" => Some(Target::SignUp),
        "sign_out" => Some(Target::SignOut),
        "sessions" => Some(Target::Sessions),
        "revoke" => Some(Target::Revoke),
        _ => None,
    };
    respond(shared, peer, target, &action, "session endpoint", headers, body).await
}

/// `GET /v1/sync?since=<cursor>`: a replica's snapshot or changes (see `crate::sync`). The
/// query becomes the arguments, so limits, authentication and logging are the operations'.
async fn sync_changes(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let body = match sync::query_arguments(query.as_deref()) {
        Ok(body) => body,
        Err(e) => return Problem::from(e).into_response(),
    };
    respond(shared, peer, Some(Target::SyncChanges), "sync", "sync endpoint", headers, Body::from(body)).await
}

/// `POST /v1/sync/send` `{id, operation, args}`: one queued write, applied at most once;
/// `POST /v1/sync/older` `{board, cursor, pages}`: a board's older pages for a replica.
async fn sync_action(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(action): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let target = match action.as_str() {
        "send" => Some(Target::SyncSend),
        "older" => Some(Target::SyncOlder),
        _ => None,
    };
    respond(shared, peer, target, &action, "sync endpoint", headers, body).await
}

async fn respond(
    shared: Arc<Shared>,
    peer: SocketAddr,
    target: Option<Target>,
    name: &str,
    what: &str,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let started = Instant::now();
    let (result, actor) = match target {
        None => (Err(Problem::from(Error::not_found(what, name))), Actor::Anonymous),
        Some(target) => call(&shared, target, client_address(&shared, peer, &headers), &headers, body).await,
    };
    let response = match result {
        Ok(body) => json_response(StatusCode::OK, body),
        Err(problem) => problem.into_response(),
    };
    shared.log.request(target.map_or("unknown", Target::name), &actor, response.status(), started.elapsed());
    response
}

/// Authenticates, limits, reads the body and runs the target off the async threads.
async fn call(
    shared: &Arc<Shared>,
    target: Target,
    address: IpAddr,
    headers: &HeaderMap,
    body: Body,
) -> (Result<Vec<u8>, Problem>, Actor) {
    let now = Instant::now();
    if let Err(e) = shared.limiter.take(Key::Address(address), now) {
        return (Err(e.into()), Actor::Anonymous);
    }
    let (actor, token) = match authenticate(shared, headers).await {
        Ok(found) => found,
        Err(problem) => return (Err(problem), Actor::Anonymous),
    };
    if let Actor::Account { id } = actor
        && let Err(e) = shared.limiter.take(Key::Account(id), now)
    {
        return (Err(e.into()), actor);
    }
    if target.creates_accounts()
        && let Err(e) = shared.limiter.take(Key::SignUp(address), now)
    {
        return (Err(e.into()), actor);
    }
    let result = async {
        let bytes = read_body(body, shared.config.body_limit).await?;
        let args = Args::parse(&bytes)?;
        run_blocking(shared, target, actor.clone(), token, args).await
    }
    .await;
    (result, actor)
}

/// Who is asking, and the bearer token: anonymous without one; the operator never.
async fn authenticate(shared: &Arc<Shared>, headers: &HeaderMap) -> Result<(Actor, Option<String>), Problem> {
    let Some(value) = headers.get(header::AUTHORIZATION) else { return Ok((Actor::Anonymous, None)) };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| Problem::unauthenticated("the Authorization header must be `Bearer <token>`"))?
        .trim()
        .to_string();
    let platform = shared.platform.clone();
    let lookup = token.clone();
    let resolved = tokio::task::spawn_blocking(move || sessions::resolve(&platform, &lookup)).await;
    match resolved {
        Ok(Ok(actor)) => Ok((actor, Some(token))),
        Ok(Err(problem)) => Err(problem),
        Err(_) => Err(Problem::from(Error::Internal { detail: "session lookup failed".into() })),
    }
}

/// The body, refusing one larger than `limit` bytes.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, Problem> {
    axum::body::to_bytes(body, limit).await.map_err(|_| Problem {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        error: Error::invalid("body", format!("is larger than {limit} bytes, or was cut off")),
    })
}

/// Runs a handler on the blocking pool within the request timeout; a panic becomes
/// `internal`. A write that outlives the timeout still finishes (one transaction, never half).
async fn run_blocking(
    shared: &Arc<Shared>,
    target: Target,
    actor: Actor,
    token: Option<String>,
    args: Args,
) -> Result<Vec<u8>, Problem> {
    let inside = Arc::clone(shared);
    let task = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.run(&inside, &actor, token.as_deref(), args)))
    });
    match tokio::time::timeout(shared.config.timeout, task).await {
        Ok(Ok(Ok(result))) => result.map_err(Problem::from),
        Ok(Ok(Err(_))) | Ok(Err(_)) => {
            Err(Problem::from(Error::Internal { detail: format!("{} failed inside the server", target.name()) }))
        }
        Err(_) => Err(timed_out(shared.config.timeout)),
    }
}

fn timed_out(limit: Duration) -> Problem {
    Problem {
        status: StatusCode::SERVICE_UNAVAILABLE,
        error: Error::Internal { detail: format!("the request took longer than {} s", limit.as_secs_f64()) },
    }
}

/// The client's address: the peer's, or behind a proxy the `X-Real-IP` the proxy sets.
fn client_address(shared: &Shared, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if shared.config.behind_proxy
        && let Some(real) = headers.get("x-real-ip").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok())
    {
        return real;
    }
    peer.ip()
}

/// A response of a JSON document already written.
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// `value` as a JSON document; a value that cannot be written is the server's fault (`what`
/// names it).
pub(crate) fn json_bytes(value: &impl serde::Serialize, what: &str) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(value).map_err(|e| Error::Internal { detail: format!("result of {what}: {e}") })
}
