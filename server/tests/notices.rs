//! Outbound notices through the server: an SMTP sink and a push sink started by the test, a
//! forum reply to a member who chose e-mail and push, one who did not, and a failing relay.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{World, world};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::pki_types::PrivateKeyDer;
use rustls::{ServerConfig, ServerConnection, StreamOwned};
use serde_json::{Value, json};
use trialog_core::{AccountUpdate, Actor, Message, NewAccount, NewReply, NewThread, NoticeSettings, Platform};
use trialog_server::{LogLines, NoticeConfig};

/// A minimal SMTP sink: 220, EHLO, MAIL, RCPT, DATA, QUIT; keeps each message's text. When
/// `refuse`, it answers MAIL FROM with 451 (a relay that is down for now).
/// What a sink kept: message texts (or request bodies).
type Kept = Arc<Mutex<Vec<String>>>;

fn smtp_sink(refuse: bool) -> (SocketAddr, Kept, Arc<Mutex<u32>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (mails, tries) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(0)));
    let (kept, counted) = (mails.clone(), tries.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let _ = stream.write_all(b"220 sink ESMTP\r\n");
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                let command = line.trim_end().to_ascii_uppercase();
                let answer: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
                    b"250 sink\r\n"
                } else if command.starts_with("MAIL") {
                    *counted.lock().unwrap() += 1;
                    if refuse { b"451 try again later\r\n" } else { b"250 ok\r\n" }
                } else if command.starts_with("DATA") {
                    let _ = stream.write_all(b"354 go on\r\n");
                    let mut text = String::new();
                    let mut data = String::new();
                    while reader.read_line(&mut data).unwrap_or(0) > 0 && data != ".\r\n" {
                        text.push_str(&data);
                        data.clear();
                    }
                    kept.lock().unwrap().push(text);
                    b"250 queued\r\n"
                } else if command.starts_with("QUIT") {
                    let _ = stream.write_all(b"221 bye\r\n");
                    break;
                } else {
                    b"250 ok\r\n"
                };
                let _ = stream.write_all(answer);
                line.clear();
            }
        }
    });
    (addr, mails, tries)
}

/// A push sink: answers 204 and keeps each request's body; over TLS with `tls`. Also counts
/// the connections it accepted (a hook refused before any request still saw one).
fn push_sink(tls: Option<Arc<ServerConfig>>) -> (SocketAddr, Kept, Arc<Mutex<u32>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (bodies, connections) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(0)));
    let (kept, counted) = (bodies.clone(), connections.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            *counted.lock().unwrap() += 1;
            let body = match &tls {
                None => answer_push(stream),
                Some(config) => {
                    let Ok(connection) = ServerConnection::new(config.clone()) else { continue };
                    answer_push(StreamOwned::new(connection, stream))
                }
            };
            if let Some(body) = body {
                kept.lock().unwrap().push(body);
            }
        }
    });
    (addr, bodies, connections)
}

/// Reads one request and answers 204; its body, or `None` when the exchange failed (as a TLS
/// handshake with a client that does not trust the sink does).
fn answer_push(mut stream: impl Read + Write) -> Option<String> {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = stream.read(&mut buf).ok()?;
        request.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&request).to_string();
        if n == 0 || text.split_once("\r\n\r\n").is_some_and(|(_, body)| body.ends_with('}')) {
            break;
        }
    }
    stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n").ok()?;
    let _ = stream.flush();
    let text = String::from_utf8_lossy(&request).to_string();
    text.split_once("\r\n\r\n").map(|(_, b)| b.to_string())
}

/// A certificate authority made for the test, written as PEM to `dir/<name>.pem`.
struct TestCa {
    issuer: CertifiedIssuer<'static, KeyPair>,
    pem: PathBuf,
}

fn test_ca(dir: &Path, name: &str) -> TestCa {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, format!("{name} test CA"));
    let issuer = CertifiedIssuer::self_signed(params, KeyPair::generate().unwrap()).unwrap();
    let pem = dir.join(format!("{name}.pem"));
    std::fs::write(&pem, issuer.pem()).unwrap();
    TestCa { issuer, pem }
}

/// A TLS sink configuration with a certificate for `names`, signed by `ca`.
fn tls_sink_config(ca: &TestCa, names: &[&str]) -> Arc<ServerConfig> {
    let key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let cert = CertificateParams::new(names).unwrap().signed_by(&key, &ca.issuer).unwrap();
    #[allow(deprecated)] // ring, as the server's client (server/src/push.rs)
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], PrivateKeyDer::Pkcs8(key.serialize_der().into()))
        .unwrap();
    Arc::new(config)
}

fn notice_config(smtp: SocketAddr) -> NoticeConfig {
    NoticeConfig {
        smtp: smtp.to_string(),
        from: "notices@peers.example".into(),
        push: true,
        push_ca: None,
        link: "https://peers.example/".into(),
        every: Duration::from_millis(100),
        timeout: Duration::from_secs(5),
    }
}

fn member(p: &Platform, name: &str, email: Option<&str>) -> Actor {
    let op = Actor::Operator;
    let account = p.accounts().create(&op, &NewAccount { pseudonym: name.into(), ..Default::default() }).unwrap();
    if let Some(email) = email {
        p.accounts()
            .update(&op, account.id, &AccountUpdate { email: Some(email.into()), ..Default::default() })
            .unwrap();
    }
    Actor::account(account.id)
}

/// `author` starts a thread with a telling title; `replier` answers its first post.
fn reply_to(p: &Platform, board: u64, author: &Actor, replier: &Actor) {
    let thread: NewThread = serde_json::from_value(
        json!({"board": board, "title": "Nachts kommen die Stimmen", "body": "Wer kennt das auch?"}),
    )
    .unwrap();
    let started = p.forums().create_thread(author, &thread).unwrap();
    let reply: NewReply = serde_json::from_value(
        json!({"thread": started.thread.id, "body": "Ja, mir hilft Musik.", "reply_to": started.post.id}),
    )
    .unwrap();
    p.forums().reply(replier, &reply).unwrap();
}

fn wait_for(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_reply_mail_and_push_carry_no_thread_title_or_text_and_who_did_not_choose_gets_nothing() {
    let (smtp, mails, _) = smtp_sink(false);
    let (hook, pushes, _) = push_sink(None);
    let w = world(|c| c.notices = Some(notice_config(smtp)));
    let p = &w.platform;
    let kim = member(p, "Kim_aus_Jena", Some("kim@example.org"));
    let ole = member(p, "Ole", Some("ole@example.org"));
    let replier = member(p, "Antwortende", None);
    let chosen = NoticeSettings { email: true, push: true, push_url: Some(format!("http://{hook}/push/kim")) };
    p.notices().set_settings(&kim, &chosen).unwrap();
    reply_to(p, w.board, &kim, &replier);
    reply_to(p, w.board, &ole, &replier);
    wait_for("one mail and one push", || mails.lock().unwrap().len() == 1 && pushes.lock().unwrap().len() == 1);
    std::thread::sleep(Duration::from_millis(500));
    let mails = mails.lock().unwrap();
    assert_eq!(mails.len(), 1, "Ole did not choose e-mail: {mails:?}");
    let mail = &mails[0];
    assert!(mail.contains("kim@example.org") && mail.contains("https://peers.example/"), "{mail}");
    for leak in ["Stimmen", "Musik", "Antwortende", "Wer kennt"] {
        assert!(!mail.contains(leak), "the mail says '{leak}': {mail}");
    }
    let pushes = pushes.lock().unwrap();
    let body: serde_json::Value = serde_json::from_str(&pushes[0]).unwrap();
    assert_eq!(body, json!({"notices": "you have new notices", "unread": 1}));
}

#[test]
fn a_failing_relay_is_retried_and_the_notice_kept_until_its_attempts_are_used_up() {
    let (smtp, mails, tries) = smtp_sink(true);
    let w = world(|c| c.notices = Some(notice_config(smtp)));
    let p = &w.platform;
    let kim = member(p, "Kim_aus_Jena", Some("kim@example.org"));
    p.notices().set_settings(&kim, &NoticeSettings { email: true, ..Default::default() }).unwrap();
    let replier = member(p, "Antwortende", None);
    reply_to(p, w.board, &kim, &replier);
    for attempt in 1..=5u32 {
        wait_for(&format!("attempt {attempt}"), || *tries.lock().unwrap() >= attempt);
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(*tries.lock().unwrap(), attempt, "no attempt before its pause");
        // The pause after a failure passes at once on the test's clock.
        w.clock.advance(chrono::Duration::hours(2));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(*tries.lock().unwrap(), 5, "dropped after five attempts");
    assert!(mails.lock().unwrap().is_empty());
    let claimed = p.notices().claim(&Actor::Operator, 10, "https://x.example").unwrap();
    assert!(claimed.outgoing.is_empty(), "nothing left after the attempts are used up");
}

fn push_to(url: String) -> NoticeSettings {
    NoticeSettings { email: false, push: true, push_url: Some(url) }
}

/// The `notices` log lines: their JSON, after checking that none names a hook, a port, a
/// person or what was written.
fn notice_lines(lines: &LogLines, never: &[&str]) -> Vec<Value> {
    let lines = lines.lock().unwrap();
    for line in lines.iter() {
        for leak in never {
            assert!(!line.contains(leak), "a log line says '{leak}': {line}");
        }
    }
    lines.iter().map(|l| serde_json::from_str::<Value>(l).unwrap()).filter(|l| l["event"] == "notices").collect()
}

fn summed(lines: &[Value], pointer: &str) -> u64 {
    lines.iter().filter_map(|l| l.pointer(pointer).and_then(Value::as_u64)).sum()
}

#[test]
fn an_https_hook_gets_the_content_free_notice_over_tls_trusting_the_push_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    let ca = test_ca(dir.path(), "organisation");
    let (hook, pushes, _) = push_sink(Some(tls_sink_config(&ca, &["localhost", "127.0.0.1"])));
    let (smtp, _, _) = smtp_sink(false);
    let lines = LogLines::default();
    let w = world(|c| {
        c.log = true;
        c.log_lines = Some(lines.clone());
        c.notices = Some(NoticeConfig { push_ca: Some(ca.pem.clone()), ..notice_config(smtp) });
    });
    let p = &w.platform;
    let kim = member(p, "Kim_aus_Jena", None);
    p.notices().set_settings(&kim, &push_to(format!("https://127.0.0.1:{}/push/kim", hook.port()))).unwrap();
    reply_to(p, w.board, &kim, &member(p, "Antwortende", None));
    wait_for("the push over TLS", || pushes.lock().unwrap().len() == 1);
    let body: Value = serde_json::from_str(&pushes.lock().unwrap()[0]).unwrap();
    assert_eq!(body, json!({"notices": "you have new notices", "unread": 1}));
    wait_for("the round's log line", || !notice_lines(&lines, &[]).is_empty());
    let logged = notice_lines(&lines, &[&hook.port().to_string(), "push/kim", "Kim", "Stimmen", "Musik"]);
    assert_eq!((summed(&logged, "/sent"), summed(&logged, "/retry")), (1, 0), "{logged:?}");
    let started = lines.lock().unwrap().iter().find(|l| l.contains("\"started\"")).cloned().unwrap();
    let roots = serde_json::from_str::<Value>(&started).unwrap()["push_roots"].as_u64().unwrap();
    assert!(roots >= 1, "the CA file's root is counted: {started}");
}

#[test]
fn hooks_whose_certificates_do_not_verify_get_nothing_and_are_counted_for_a_retry() {
    let dir = tempfile::tempdir().unwrap();
    let (trusted, stranger) = (test_ca(dir.path(), "organisation"), test_ca(dir.path(), "stranger"));
    // A certificate from a CA nobody gave the server, and one from the trusted CA for another name.
    let (untrusted_hook, untrusted_got, untrusted_seen) =
        push_sink(Some(tls_sink_config(&stranger, &["localhost", "127.0.0.1"])));
    let (misnamed_hook, misnamed_got, misnamed_seen) = push_sink(Some(tls_sink_config(&trusted, &["push.example"])));
    let (smtp, _, _) = smtp_sink(false);
    let lines = LogLines::default();
    let World { platform: p, clock, server, board } = world(|c| {
        c.log = true;
        c.log_lines = Some(lines.clone());
        c.notices = Some(NoticeConfig { push_ca: Some(trusted.pem.clone()), ..notice_config(smtp) });
    });
    let (kim, ole) = (member(&p, "Kim_aus_Jena", None), member(&p, "Ole", None));
    p.notices().set_settings(&kim, &push_to(format!("https://127.0.0.1:{}/k", untrusted_hook.port()))).unwrap();
    p.notices().set_settings(&ole, &push_to(format!("https://127.0.0.1:{}/o", misnamed_hook.port()))).unwrap();
    let replier = member(&p, "Antwortende", None);
    reply_to(&p, board, &kim, &replier);
    reply_to(&p, board, &ole, &replier);
    let refused = || summed(&notice_lines(&lines, &[]), "/why/push_certificate");
    wait_for("both refusals logged", || refused() == 2);
    server.stop().unwrap();
    assert_eq!((*untrusted_seen.lock().unwrap(), *misnamed_seen.lock().unwrap()), (1, 1), "each hook was tried once");
    assert!(untrusted_got.lock().unwrap().is_empty() && misnamed_got.lock().unwrap().is_empty(), "no request was sent");
    let ports = [untrusted_hook.port().to_string(), misnamed_hook.port().to_string()];
    let logged = notice_lines(&lines, &[&ports[0], &ports[1], "127.0.0.1", "Kim", "Ole", "Stimmen", "Musik"]);
    assert_eq!((summed(&logged, "/sent"), summed(&logged, "/retry")), (0, 2), "{logged:?}");
    // Both notices wait for their next attempt.
    clock.advance(chrono::Duration::hours(2));
    let claimed = p.notices().claim(&Actor::Operator, 10, "https://x.example").unwrap();
    let waiting = claimed.outgoing.iter().filter(|o| matches!(o.message, Message::Push { .. })).count();
    assert_eq!(waiting, 2, "{claimed:?}");
}
