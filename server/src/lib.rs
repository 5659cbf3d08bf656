//! trialog over HTTP: every operation of the manifest (`trialog_core::operations!`) at
//! `POST /v1/<operation>` with its arguments as a JSON object, errors as RFC 9457 problem
//! details, an OpenAPI 3.1 document generated from the same list, bearer sessions, limits,
//! the scheduler on a timer, and outbound notices.
//!
//! Why axum on tokio: both are the most used and best kept HTTP stack in Rust (tokio-rs), axum
//! adds little over hyper (routing, extractors) and no macros, and the core's blocking calls
//! run on tokio's blocking pool (`spawn_blocking`), so a slow write never stalls other
//! connections. See `server/README.md`.

mod app;
mod args;
mod limits;
mod listen;
mod log;
mod notices;
mod openapi;
mod ops;
mod problem;
mod push;
mod sessions;
mod sync;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use trialog_core::{Actor, Error, Platform};

pub use args::Args;
pub use limits::Rate;
pub use listen::{BACKLOG, listener, raise_open_files};
pub use log::LogLines;
pub use notices::NoticeConfig;
pub use ops::{HANDLERS, Handler};
pub use problem::{PROBLEM_JSON, Problem};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// Whether a reverse proxy terminates TLS in front (required for a non-loopback address).
    pub behind_proxy: bool,
    /// The largest request body, in bytes.
    pub body_limit: usize,
    /// The longest a request may take before it is answered `503`.
    pub timeout: Duration,
    pub per_address: Rate,
    pub per_account: Rate,
    /// Accounts made per client address (`/v1/auth/sign_up`, anonymous `create_account`).
    pub sign_ups: Rate,
    /// How often the scheduler (`tick`) runs; `None` leaves it to cron.
    pub tick_every: Option<Duration>,
    /// How long a session lasts after sign-in.
    pub session_lifetime: chrono::Duration,
    /// Whether log lines are written (on standard error).
    pub log: bool,
    /// Keep log lines here instead of writing them (tests, hosts that ship logs themselves).
    pub log_lines: Option<LogLines>,
    /// Outbound notices (e-mail, push); `None` sends none (they wait in the outbox).
    pub notices: Option<NoticeConfig>,
    /// Connections the kernel queues before the server accepts them (`listen`'s backlog; the
    /// kernel caps it at `net.core.somaxconn`). See `listen.rs`.
    pub backlog: u32,
}

impl Config {
    /// Defaults for `listen`: 1 MiB bodies, 30 s, 50 requests at once per address and per
    /// account refilled at 20 and 10 per second, five sign-ups per address an hour, a tick a
    /// minute, sessions of 30 days.
    pub fn new(listen: SocketAddr) -> Config {
        Config {
            listen,
            behind_proxy: false,
            body_limit: 1 << 20,
            timeout: Duration::from_secs(30),
            per_address: Rate { burst: 50, per_second: 20.0 },
            per_account: Rate { burst: 50, per_second: 10.0 },
            sign_ups: Rate { burst: 5, per_second: 5.0 / 3600.0 },
            tick_every: Some(Duration::from_secs(60)),
            session_lifetime: chrono::Duration::days(30),
            log: true,
            log_lines: None,
            notices: None,
            backlog: BACKLOG,
        }
    }

    /// Refuses to listen on anything but loopback unless a proxy (TLS) is in front.
    pub fn check(&self) -> Result<(), Error> {
        if !self.listen.ip().is_loopback() && !self.behind_proxy {
            return Err(Error::invalid(
                "listen",
                format!(
                    "{} is not a loopback address: plain HTTP must stay on this machine; put a TLS proxy in front and pass --behind-proxy",
                    self.listen
                ),
            ));
        }
        Ok(())
    }
}

/// A running server: its address, and how to stop it.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: Option<std::thread::JoinHandle<Result<(), Error>>>,
}

impl Running {
    /// Stops accepting, waits for requests in flight (writes finish), flushes the platform.
    pub fn stop(mut self) -> Result<(), Error> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.done.take() {
            Some(done) => {
                done.join().unwrap_or_else(|_| Err(Error::Internal { detail: "server thread panicked".into() }))
            }
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Starts the server on its own threads (for tests and embedding); returns once it listens.
pub fn spawn(platform: Platform, config: Config) -> Result<Running, Error> {
    config.check()?;
    let push = push_client(&config)?;
    let runtime = runtime()?;
    let listener = runtime.block_on(async { bind(&config) })?;
    let addr = listener.local_addr().map_err(|e| Error::invalid("listen", e.to_string()))?;
    let (stop, stopped) = oneshot::channel::<()>();
    let done = std::thread::Builder::new()
        .name("trialog-server".into())
        .spawn(move || {
            runtime.block_on(serve(listener, platform, config, push, async {
                let _ = stopped.await;
            }))
        })
        .map_err(|e| Error::Internal { detail: format!("cannot start the server thread: {e}") })?;
    Ok(Running { addr, stop: Some(stop), done: Some(done) })
}

/// Serves until Ctrl-C or SIGTERM (for `trialog serve`).
pub fn run(platform: Platform, config: Config) -> Result<(), Error> {
    config.check()?;
    let push = push_client(&config)?;
    let runtime = runtime()?;
    runtime.block_on(async move {
        let listener = bind(&config)?;
        serve(listener, platform, config, push, shutdown_signal()).await
    })
}

/// The server's listener, with `config.backlog` and the open-files limit raised first.
fn bind(config: &Config) -> Result<TcpListener, Error> {
    raise_open_files();
    listener(config.listen, config.backlog)
        .map_err(|e| Error::invalid("listen", format!("cannot listen on {}: {e}", config.listen)))
}

/// The TLS client of push hooks, when they are called: built before the server listens, so a
/// bad `--push-ca` file stops it at once.
fn push_client(config: &Config) -> Result<Option<push::PushClient>, Error> {
    match &config.notices {
        Some(notices) if notices.push => push::PushClient::new(notices.push_ca.as_deref()).map(Some),
        _ => Ok(None),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal { detail: format!("cannot start the async runtime: {e}") })
}

async fn serve(
    listener: TcpListener,
    platform: Platform,
    config: Config,
    push: Option<push::PushClient>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let log = log::Log { enabled: config.log, kept: config.log_lines.clone() };
    let limiter = limits::Limiter::new(config.per_address, config.per_account, config.sign_ups, 100_000);
    let shared =
        Arc::new(app::Shared { platform: platform.clone(), config: config.clone(), limiter, log: log.clone() });
    let ticker = config.tick_every.map(|every| tokio::spawn(tick_loop(platform.clone(), every, log.clone())));
    log.event(
        "started",
        serde_json::json!({
            "operations": ops::HANDLERS.len(),
            "behind_proxy": config.behind_proxy,
            "push_roots": push.as_ref().map(|p| p.roots),
            "backlog": config.backlog,
            "open_files": listen::open_files_limit(),
        }),
    );
    let deliverer =
        config.notices.clone().map(|n| tokio::spawn(notices::deliver_loop(platform.clone(), n, push, log.clone())));
    let app = app::router(shared).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app).with_graceful_shutdown(stop).await;
    if let Some(ticker) = ticker {
        ticker.abort();
    }
    if let Some(deliverer) = deliverer {
        deliverer.abort();
    }
    log.event("stopping", serde_json::json!({}));
    // Requests in flight have finished (graceful shutdown waits for them); make the last
    // commits durable before the file closes.
    let flushed = tokio::task::spawn_blocking(move || platform.flush()).await;
    served.map_err(|e| Error::Internal { detail: format!("the server stopped: {e}") })?;
    flushed.map_err(|_| Error::Internal { detail: "flush failed".into() })?
}

/// Runs the platform's scheduler every `every`, as the operator (inside the server, never
/// reachable over HTTP).
async fn tick_loop(platform: Platform, every: Duration, log: log::Log) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        let platform = platform.clone();
        let report = tokio::task::spawn_blocking(move || platform.tick(&Actor::Operator, platform.now())).await;
        match report {
            Ok(Ok(report)) => {
                let done: u64 = report.work.iter().map(|w| w.count).sum();
                log.event("tick", serde_json::json!({ "items": done }));
            }
            Ok(Err(e)) => log.event("tick_failed", serde_json::json!({ "kind": e.kind() })),
            Err(_) => log.event("tick_failed", serde_json::json!({ "kind": "internal" })),
        }
    }
}

#[cfg(unix)]
async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let term = async {
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                term.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term => {},
    }
}

#[cfg(not(unix))]
async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
