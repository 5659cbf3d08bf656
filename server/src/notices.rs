//! The delivery loop of outbound notices: on a timer it claims due notices from the core
//! (`Platform::notices().claim`), sends e-mail over plain SMTP to a relay (TLS onwards is the
//! relay's job) and POSTs push hooks, and reports each notice delivered or failed. What a
//! notice says is decided in the core (`trialog_core::email_notice`); logs carry counts only.

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use trialog_core::{Actor, Failed, Message, Outgoing, PUSH_TEXT, Platform};

use crate::log::Log;

/// How notices leave the server.
#[derive(Debug, Clone)]
pub struct NoticeConfig {
    /// The SMTP relay, `host:port` (plain SMTP; a local relay does TLS onwards).
    pub smtp: String,
    /// The sender address of every e-mail.
    pub from: String,
    /// Whether push hooks are called.
    pub push: bool,
    /// The platform's address, linked from every e-mail.
    pub link: String,
    /// How often the outbox is looked at.
    pub every: Duration,
    /// The longest one SMTP or push exchange may take.
    pub timeout: Duration,
}

/// One round's counts (the only thing logged).
#[derive(Debug, Default, Clone, Copy)]
struct Round {
    sent: u64,
    retry: u64,
    failed: u64,
    unwanted: u64,
}

/// Runs rounds every `config.every` until the server stops.
pub async fn deliver_loop(platform: Platform, config: NoticeConfig, log: Log) {
    let mut interval = tokio::time::interval(config.every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match round(&platform, &config).await {
            Ok(r) if r.sent + r.retry + r.failed + r.unwanted > 0 => log.event(
                "notices",
                serde_json::json!({ "sent": r.sent, "retry": r.retry, "failed": r.failed, "unwanted": r.unwanted }),
            ),
            Ok(_) => {}
            Err(kind) => log.event("notices_failed", serde_json::json!({ "kind": kind })),
        }
    }
}

/// Claims one batch, sends it, reports every notice back.
async fn round(platform: &Platform, config: &NoticeConfig) -> Result<Round, &'static str> {
    let claim = {
        let (platform, link) = (platform.clone(), config.link.clone());
        tokio::task::spawn_blocking(move || platform.notices().claim(&Actor::Operator, 100, &link))
    };
    let claimed = claim.await.map_err(|_| "internal")?.map_err(|e| e.kind())?;
    let mut counts = Round { unwanted: claimed.unwanted, ..Round::default() };
    for outgoing in claimed.outgoing {
        let sent = send(&outgoing, config).await;
        let (platform, ticket) = (platform.clone(), outgoing.ticket);
        let report = tokio::task::spawn_blocking(move || match sent {
            Ok(()) => platform.notices().delivered(&Actor::Operator, ticket).map(|_| None),
            Err(()) => platform.notices().failed(&Actor::Operator, ticket).map(Some),
        });
        match report.await.map_err(|_| "internal")?.map_err(|e| e.kind())? {
            None => counts.sent += 1,
            Some(Failed::RetryAt(_)) => counts.retry += 1,
            Some(Failed::Dropped) => counts.failed += 1,
            Some(Failed::Gone) => {}
        }
    }
    Ok(counts)
}

async fn send(outgoing: &Outgoing, config: &NoticeConfig) -> Result<(), ()> {
    match &outgoing.message {
        Message::Email { to, notice } => {
            let mail = lettre::Message::builder()
                .from(config.from.parse().map_err(|_| ())?)
                .to(to.parse().map_err(|_| ())?)
                .subject(notice.subject.clone())
                .header(ContentType::TEXT_PLAIN)
                .body(notice.body.clone())
                .map_err(|_| ())?;
            let (host, port) = config.smtp.rsplit_once(':').ok_or(())?;
            let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                .port(port.parse().map_err(|_| ())?)
                .timeout(Some(config.timeout))
                .build();
            transport.send(mail).await.map(|_| ()).map_err(|_| ())
        }
        Message::Push { url, unread } if config.push => {
            tokio::time::timeout(config.timeout, push(url, *unread)).await.map_err(|_| ())?
        }
        Message::Push { .. } => Err(()),
    }
}

/// POSTs `{"notices": "you have new notices", "unread": N}` to a plain-HTTP hook (a local push
/// relay); an `https://` hook needs a TLS client this server does not carry yet, so it fails.
async fn push(url: &str, unread: u64) -> Result<(), ()> {
    let rest = url.strip_prefix("http://").ok_or(())?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = if authority.contains(':') { authority.to_string() } else { format!("{authority}:80") };
    let body = serde_json::json!({ "notices": PUSH_TEXT, "unread": unread }).to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.map_err(|_| ())?;
    stream.write_all(request.as_bytes()).await.map_err(|_| ())?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.map_err(|_| ())?;
    // "HTTP/1.1 2xx"
    if head.starts_with(b"HTTP/1.") && head[9] == b'2' { Ok(()) } else { Err(()) }
}
