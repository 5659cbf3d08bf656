//! The delivery loop of outbound notices: on a timer it claims due notices from the core
//! (`Platform::notices().claim`), sends e-mail over plain SMTP to a relay (TLS onwards is the
//! relay's job) and POSTs push hooks (`crate::push`, over HTTPS), and reports each notice
//! delivered or failed. What a notice says is decided in the core
//! (`trialog_core::email_notice`); logs carry counts only, and why deliveries failed as words
//! (`push_certificate`), never an address.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use trialog_core::{Actor, Failed, Message, Outgoing, Platform};

use crate::log::Log;
use crate::push::PushClient;

/// How notices leave the server.
#[derive(Debug, Clone)]
pub struct NoticeConfig {
    /// The SMTP relay, `host:port` (plain SMTP; a local relay does TLS onwards).
    pub smtp: String,
    /// The sender address of every e-mail.
    pub from: String,
    /// Whether push hooks are called.
    pub push: bool,
    /// A PEM file of certificate authorities trusted for `https://` hooks besides the host's
    /// own trust store (an organisation's private CA).
    pub push_ca: Option<PathBuf>,
    /// The platform's address, linked from every e-mail.
    pub link: String,
    /// How often the outbox is looked at.
    pub every: Duration,
    /// The longest one SMTP or push exchange may take.
    pub timeout: Duration,
}

/// One round's counts (the only thing logged).
#[derive(Debug, Default, Clone)]
struct Round {
    sent: u64,
    retry: u64,
    failed: u64,
    unwanted: u64,
    /// Undelivered notices by why (`smtp`, `push_certificate`, ...).
    why: BTreeMap<&'static str, u64>,
}

/// Runs rounds every `config.every` until the server stops; `push` is the hooks' TLS client
/// (`None` when push hooks are off).
pub async fn deliver_loop(platform: Platform, config: NoticeConfig, push: Option<PushClient>, log: Log) {
    let mut interval = tokio::time::interval(config.every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match round(&platform, &config, push.as_ref()).await {
            Ok(r) if r.sent + r.retry + r.failed + r.unwanted > 0 => log.event(
                "notices",
                serde_json::json!({
                    "sent": r.sent, "retry": r.retry, "failed": r.failed, "unwanted": r.unwanted, "why": r.why,
                }),
            ),
            Ok(_) => {}
            Err(kind) => log.event("notices_failed", serde_json::json!({ "kind": kind })),
        }
    }
}

/// Claims one batch, sends it, reports every notice back.
async fn round(platform: &Platform, config: &NoticeConfig, push: Option<&PushClient>) -> Result<Round, &'static str> {
    let claim = {
        let (platform, link) = (platform.clone(), config.link.clone());
        tokio::task::spawn_blocking(move || platform.notices().claim(&Actor::Operator, 100, &link))
    };
    let claimed = claim.await.map_err(|_| "internal")?.map_err(|e| e.kind())?;
    let mut counts = Round { unwanted: claimed.unwanted, ..Round::default() };
    for outgoing in claimed.outgoing {
        let sent = send(&outgoing, config, push).await;
        if let Err(why) = sent {
            *counts.why.entry(why).or_default() += 1;
        }
        let (platform, ticket) = (platform.clone(), outgoing.ticket);
        let report = tokio::task::spawn_blocking(move || match sent {
            Ok(()) => platform.notices().delivered(&Actor::Operator, ticket).map(|_| None),
            Err(_) => platform.notices().failed(&Actor::Operator, ticket).map(Some),
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

/// Sends one notice; a failure says why in one word.
async fn send(outgoing: &Outgoing, config: &NoticeConfig, push: Option<&PushClient>) -> Result<(), &'static str> {
    match &outgoing.message {
        Message::Email { to, notice } => {
            let mail = lettre::Message::builder()
                .from(config.from.parse().map_err(|_| "email_address")?)
                .to(to.parse().map_err(|_| "email_address")?)
                .subject(notice.subject.clone())
                .header(ContentType::TEXT_PLAIN)
                .body(notice.body.clone())
                .map_err(|_| "email_address")?;
            let (host, port) = config.smtp.rsplit_once(':').ok_or("smtp_address")?;
            let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                .port(port.parse().map_err(|_| "smtp_address")?)
                .timeout(Some(config.timeout))
                .build();
            transport.send(mail).await.map(|_| ()).map_err(|_| "smtp")
        }
        Message::Push { url, unread } => match push {
            Some(client) => match tokio::time::timeout(config.timeout, client.push(url, *unread)).await {
                Ok(pushed) => pushed.map_err(|failure| failure.word()),
                Err(_) => Err("push_timeout"),
            },
            None => Err("push_off"),
        },
    }
}
