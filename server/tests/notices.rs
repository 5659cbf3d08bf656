//! Outbound notices through the server: an SMTP sink and a push sink started by the test, a
//! forum reply to a member who chose e-mail and push, one who did not, and a failing relay.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::world;
use serde_json::json;
use trialog_core::{AccountUpdate, Actor, NewAccount, NewReply, NewThread, NoticeSettings, Platform};
use trialog_server::NoticeConfig;

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

/// A push sink: answers 204 and keeps each request's body.
fn push_sink() -> (SocketAddr, Kept) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if n == 0 || text.split_once("\r\n\r\n").is_some_and(|(_, body)| body.ends_with('}')) {
                    break;
                }
            }
            let text = String::from_utf8_lossy(&request).to_string();
            kept.lock().unwrap().push(text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default());
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        }
    });
    (addr, bodies)
}

fn notice_config(smtp: SocketAddr) -> NoticeConfig {
    NoticeConfig {
        smtp: smtp.to_string(),
        from: "notices@peers.example".into(),
        push: true,
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
    let (hook, pushes) = push_sink();
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
