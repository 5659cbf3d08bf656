//! `trialog serve`: every operation over HTTP for apps (the `trialog-server` crate), with the
//! OpenAPI document at `/openapi.json`. Plain HTTP stays on loopback unless a TLS proxy is in
//! front (`--behind-proxy`); see `server/README.md` for an nginx example.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use trialog_core::{ContentKey, PlatformOptions};

use crate::args::Global;
use crate::failure::Failure;
use crate::output::Output;
use crate::session::options;

const AFTER_HELP: &str = "Examples:
  trialog serve --db platform.redb
  trialog serve --db platform.redb --listen 127.0.0.1:8080 --tick-secs 30
  trialog serve --db platform.redb --listen 0.0.0.0:8080 --behind-proxy   (TLS at the proxy)
  trialog serve --db platform.redb --smtp 127.0.0.1:25 --smtp-from notices@example.org --push --push-ca org-ca.pem
  trialog serve --store 'postgres://trialog@db/trialog?schema=jena' --listen 127.0.0.1:8081

Sign in:   curl -s localhost:8080/v1/auth/sign_in -d '{\"pseudonym\":\"Kim\",\"password\":\"...\"}'
Call:      curl -s localhost:8080/v1/boards -H 'Authorization: Bearer <token>' -d '{}'
Document:  curl -s localhost:8080/openapi.json";

/// Arguments of `trialog serve`.
#[derive(Debug, Args)]
#[command(after_help = AFTER_HELP)]
pub struct ServeArgs {
    /// Serve the platform in this PostgreSQL schema instead of the --db file
    /// (postgres://USER@HOST/DB?schema=NAME; several servers may serve one schema at once).
    /// Needs a trialog built with the `postgres` feature; the schema is created when missing.
    #[arg(long, env = "TRIALOG_STORE", value_name = "URL")]
    pub store: Option<String>,
    /// Address and port to listen on; a non-loopback address needs --behind-proxy.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub listen: SocketAddr,
    /// A TLS-terminating reverse proxy is in front: allows a non-loopback address and takes the
    /// client address for rate limits from its `X-Real-IP` header.
    #[arg(long)]
    pub behind_proxy: bool,
    /// The counselling content key file (`trialog counsel key new FILE`), for counselling content.
    #[arg(long, env = "TRIALOG_CONTENT_KEY_FILE", value_name = "PATH")]
    pub content_key_file: Option<PathBuf>,
    /// Run the scheduler (`tick`) every this many seconds; 0 leaves it to cron.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub tick_secs: u64,
    /// Sessions last this many days after sign-in.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=366), value_name = "DAYS")]
    pub session_days: u32,
    /// The largest request body, in KiB.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..=65536), value_name = "KIB")]
    pub body_kib: u32,
    /// Requests per second each client address may make (bursts of 2.5 times this).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1_000_000), value_name = "N")]
    pub per_address: u32,
    /// Requests per second each signed-in account may make (bursts of 5 times this).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1_000_000), value_name = "N")]
    pub per_account: u32,
    /// New accounts each client address may make per hour (sign-up), at most this many at once.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1_000_000), value_name = "N")]
    pub sign_ups_per_hour: u32,
    /// Answer a request that takes longer than this many seconds with 503.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECS")]
    pub timeout_secs: u64,
    /// The platform file's page cache, in MiB: a server keeps its hot pages (threads being read)
    /// in memory, unlike a short CLI command; size it to the forum's posts for large platforms.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u32).range(8..=65536), value_name = "MIB")]
    pub cache_mib: u32,
    /// Make every durable commit save the file's allocator state: after a crash the server is
    /// back in milliseconds instead of the seconds redb needs to check the whole file (8–23 s
    /// for a 3.7 GB forum of 2M posts), at the price of a second fsync per write (about
    /// 4 ms more on a slow disk). Off by default.
    #[arg(long)]
    pub quick_repair: bool,
    /// Write no log lines (JSON lines on standard error, without personal data).
    #[arg(long)]
    pub quiet: bool,
    /// Send e-mail notices through this SMTP relay (plain SMTP, e.g. a local postfix that does
    /// TLS onwards); without it notices wait in the outbox.
    #[arg(long, value_name = "HOST:PORT", requires = "smtp_from")]
    pub smtp: Option<String>,
    /// The sender address of e-mail notices.
    #[arg(long, value_name = "ADDRESS", requires = "smtp")]
    pub smtp_from: Option<String>,
    /// Also call the push hooks people chose (no content, only "you have new notices"): https://
    /// hooks verified against this host's trusted certificate authorities (and --push-ca), or
    /// http:// to a push relay on this machine.
    #[arg(long, requires = "smtp")]
    pub push: bool,
    /// A PEM file of certificate authorities to trust for https:// push hooks besides the host's
    /// own (an organisation's private CA); the server does not start if it holds none.
    #[arg(long, value_name = "FILE", requires = "push")]
    pub push_ca: Option<PathBuf>,
    /// The platform's address that e-mail notices link to.
    #[arg(long, default_value = "https://localhost/", value_name = "URL")]
    pub notice_link: String,
    /// Look at the outbox every this many seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600), value_name = "SECS")]
    pub notice_secs: u64,
}

/// Runs the server until Ctrl-C or SIGTERM, then finishes requests in flight.
pub fn run(global: &Global, out: Output, args: ServeArgs) -> Result<(), Failure> {
    let mut config = trialog_server::Config::new(args.listen);
    config.behind_proxy = args.behind_proxy;
    config.tick_every = (args.tick_secs > 0).then(|| Duration::from_secs(args.tick_secs));
    config.session_lifetime = chrono::Duration::days(i64::from(args.session_days));
    config.body_limit = args.body_kib as usize * 1024;
    config.per_address =
        trialog_server::Rate { burst: args.per_address * 5 / 2, per_second: f64::from(args.per_address) };
    config.per_account = trialog_server::Rate { burst: args.per_account * 5, per_second: f64::from(args.per_account) };
    config.sign_ups =
        trialog_server::Rate { burst: args.sign_ups_per_hour, per_second: f64::from(args.sign_ups_per_hour) / 3600.0 };
    config.timeout = Duration::from_secs(args.timeout_secs);
    config.log = !args.quiet;
    if let (Some(smtp), Some(from)) = (args.smtp.clone(), args.smtp_from.clone()) {
        if from.parse::<std::net::SocketAddr>().is_ok() || !from.contains('@') {
            return Err(
                trialog_core::Error::invalid("smtp_from", "must be an e-mail address (notices@example.org)").into()
            );
        }
        config.notices = Some(trialog_server::NoticeConfig {
            smtp,
            from,
            push: args.push,
            push_ca: args.push_ca.clone(),
            link: args.notice_link.clone(),
            every: Duration::from_secs(args.notice_secs),
            timeout: Duration::from_secs(30),
        });
    }
    config.check().map_err(|e| {
        Failure::from(e)
            .hint_for_field("listen", "keep --listen on 127.0.0.1, or put a TLS proxy in front and pass --behind-proxy")
    })?;
    let key: Option<ContentKey> =
        args.content_key_file.as_deref().map(|path| crate::counsel::read_key(path, out)).transpose()?;
    let options = PlatformOptions {
        content_key: key,
        cache_bytes: args.cache_mib as usize * 1024 * 1024,
        quick_repair: args.quick_repair,
        ..options()
    };
    let platform = match args.store.as_deref() {
        Some(url) => open_store(url, options)?,
        None => trialog_core::Platform::open_existing(&global.db, options)?,
    };
    trialog_server::run(platform, config).map_err(|e| {
        Failure::from(e)
            .hint_for_field("push_ca", "give a PEM file holding your CA's certificate (-----BEGIN CERTIFICATE-----)")
    })?;
    Ok(())
}

/// The platform at `--store`: a PostgreSQL schema (a redb file is what `--db` is for).
fn open_store(url: &str, options: PlatformOptions) -> Result<trialog_core::Platform, Failure> {
    let refused = |reason: &str| Failure::from(trialog_core::Error::invalid("store", reason));
    if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
        return Err(refused("must be a postgres://USER@HOST/DB?schema=NAME URL")
            .hint_for_field("store", "serve a redb file with --db PATH"));
    }
    #[cfg(feature = "postgres")]
    return Ok(trialog_core::Platform::open_postgres(url, options)?);
    #[cfg(not(feature = "postgres"))]
    {
        let _ = options;
        Err(refused("this trialog was built without PostgreSQL")
            .hint_for_field("store", "build it with `cargo build -p trialog-cli --features postgres`"))
    }
}
