//! Correcting a write the server refused: it is queued again in its place under a new client
//! id and sent once; a write that may already have reached the server cannot be edited. The
//! server here is a small loopback stand-in that answers `/v1/sync/send` by a fixed rule
//! (bodies and titles over 20 characters are refused, the body "läuft noch" answers
//! `running`, the rest is applied) and keeps what it was sent; the real server's side is
//! tested in `server/tests/replica.rs`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use trialog_core::replica::{QueueState, Replica, Writer};
use trialog_core::{BoardId, Error, ThreadId};

fn de() -> Writer {
    Writer { language: "de".into(), country: "DE".into() }
}

/// An address nothing listens at.
fn closed_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// The `(id, args)` of every send the stand-in received, in order.
type SentLog = Arc<Mutex<Vec<(String, Value)>>>;

/// The stand-in server: its URL and what it was sent.
fn stand_in() -> (String, SentLog) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let sent = Arc::new(Mutex::new(Vec::new()));
    let log = sent.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { return };
            answer(stream, &log);
        }
    });
    (url, sent)
}

fn answer(mut stream: std::net::TcpStream, log: &Mutex<Vec<(String, Value)>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let (mut request_line, mut length) = (String::new(), 0usize);
    reader.read_line(&mut request_line).unwrap();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap();
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).unwrap();
    let reply = if request_line.starts_with("POST /v1/sync/send") {
        let request: Value = serde_json::from_slice(&body).unwrap();
        let new = &request["args"]["new"];
        log.lock().unwrap().push((request["id"].as_str().unwrap().to_string(), request["args"].clone()));
        let long = |field: &str| new[field].as_str().is_some_and(|t| t.chars().count() > 20);
        if new["body"] == "läuft noch" {
            json!({"state": "running", "since": "2026-12-01T10:00:00Z"})
        } else if long("body") || long("title") {
            json!({"state": "refused", "kind": "invalid_input", "reason": "body: is longer than 20 characters"})
        } else {
            json!({"state": "applied", "result": {}})
        }
    } else {
        json!({"cursor": 1, "snapshot": true, "resnapshot": false, "more": false, "boards": [], "threads": [],
               "posts": [], "removed_boards": [], "removed_threads": [], "removed_posts": [], "inbox": null,
               "crisis_resources": null})
    };
    let text = reply.to_string();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        text.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(text.as_bytes()).unwrap();
}

fn sent_bodies(sent: &Mutex<Vec<(String, Value)>>) -> Vec<(String, String)> {
    let sent = sent.lock().unwrap();
    sent.iter().map(|(id, args)| (id.clone(), args["new"]["body"].as_str().unwrap().to_string())).collect()
}

#[test]
fn a_refused_reply_is_corrected_and_sent_once_in_its_place_under_a_new_id() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.redb");
    let (url, sent) = stand_in();
    let online = Replica::open(&file, &url, "t0ken").unwrap();
    let refused = online.reply(ThreadId(7), "Eine viel zu lange Antwort", &de()).unwrap();
    let report = online.sync().unwrap();
    assert_eq!((report.sent, report.failed), (0, 1), "{report:?}");
    let failed = online.refusals().unwrap();
    assert!(matches!(&failed[0].state, QueueState::Failed { kind, .. } if kind == "invalid_input"), "{failed:?}");
    drop(online);

    // Offline: a later reply waits behind the refused one; the correction keeps that place.
    let offline = Replica::open(&file, &closed_url(), "t0ken").unwrap();
    let later = offline.reply(ThreadId(7), "Bis bald", &de()).unwrap();
    let edited = offline.edit_queued(&refused.id, Some("Kurz gesagt: ja"), None, &de()).unwrap();
    assert_ne!(edited.id, refused.id, "the refused id would answer its refusal again");
    assert!(edited.crisis_resources.is_empty());
    assert!(offline.refusals().unwrap().is_empty());
    let queue = offline.queue().unwrap();
    let order: Vec<(&str, &QueueState, u32)> = queue.iter().map(|q| (q.id.as_str(), &q.state, q.attempts)).collect();
    assert_eq!(
        order,
        vec![(edited.id.as_str(), &QueueState::Pending, 0), (later.id.as_str(), &QueueState::Pending, 0)]
    );
    assert_eq!(queue[0].args, json!({"new": {"thread": 7, "body": "Kurz gesagt: ja"}}));
    assert!(offline.sync().unwrap().offline);

    // Its send's answer was lost (offline): it may have reached a server, so it cannot be
    // edited any more; dropping is still the person's choice.
    let again = offline.edit_queued(&edited.id, Some("Doch anders"), None, &de());
    assert!(matches!(again, Err(Error::Conflict { .. })), "{again:?}");
    drop(offline);

    let online = Replica::open(&file, &url, "t0ken").unwrap();
    let report = online.sync().unwrap();
    assert_eq!((report.sent, report.failed, report.offline), (2, 0, false), "{report:?}");
    assert!(online.queue().unwrap().is_empty());
    let expected = vec![
        (refused.id.clone(), "Eine viel zu lange Antwort".to_string()),
        (edited.id.clone(), "Kurz gesagt: ja".to_string()),
        (later.id.clone(), "Bis bald".to_string()),
    ];
    assert_eq!(sent_bodies(&sent), expected);
}

#[test]
fn a_refused_thread_gets_a_new_title_or_is_sent_again_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (url, sent) = stand_in();
    let replica = Replica::open(dir.path().join("r.redb"), &url, "t0ken").unwrap();
    let refused = replica.new_thread(BoardId(3), "Ein Titel, der zu lang ist", "Hallo", true, &de()).unwrap();
    assert_eq!(replica.sync().unwrap().failed, 1);

    // Sent again unchanged: refused again, under its new id.
    let unchanged = replica.edit_queued(&refused.id, None, None, &de()).unwrap();
    assert_eq!(replica.sync().unwrap().failed, 1);
    let retitled = replica.edit_queued(&unchanged.id, None, Some("Kurzer Titel"), &de()).unwrap();
    assert_eq!(replica.sync().unwrap().sent, 1);

    let sent = sent.lock().unwrap();
    let ids: Vec<&str> = sent.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, vec![refused.id.as_str(), unchanged.id.as_str(), retitled.id.as_str()]);
    assert_eq!(sent[2].1, json!({"new": {"board": 3, "title": "Kurzer Titel", "body": "Hallo", "anonymous": true}}));
}

#[test]
fn what_cannot_be_edited_is_refused_with_the_field_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _sent) = stand_in();
    let replica = Replica::open(dir.path().join("r.redb"), &url, "t0ken").unwrap();
    let running = replica.reply(ThreadId(7), "läuft noch", &de()).unwrap();
    replica.sync().unwrap();
    let pending = replica.reply(ThreadId(7), "Noch nicht gesendet", &de()).unwrap();
    let before = replica.queue().unwrap();
    assert_eq!(before[0].state, QueueState::Unknown);

    let missing = replica.edit_queued("no-such-id", Some("x"), None, &de());
    assert!(matches!(missing, Err(Error::NotFound { ref kind, .. }) if kind == "queued write"), "{missing:?}");
    let unknown = replica.edit_queued(&running.id, Some("anders"), None, &de());
    assert!(matches!(unknown, Err(Error::Conflict { .. })), "{unknown:?}");
    let title = replica.edit_queued(&pending.id, None, Some("Titel"), &de());
    assert!(matches!(title, Err(Error::InvalidInput { ref field, .. }) if field == "title"), "{title:?}");
    let empty = replica.edit_queued(&pending.id, Some("  "), None, &de());
    assert!(matches!(empty, Err(Error::InvalidInput { ref field, .. }) if field == "body"), "{empty:?}");
    assert_eq!(replica.queue().unwrap(), before, "a refused edit changed the queue");

    // A write never sent may be edited before it goes.
    let edited = replica.edit_queued(&pending.id, Some("Doch so"), None, &de()).unwrap();
    let queue = replica.queue().unwrap();
    assert_eq!(
        (queue.len(), queue[1].id.as_str(), &queue[1].args["new"]["body"]),
        (2, edited.id.as_str(), &json!("Doch so"))
    );
    replica.drop_queued(&running.id).unwrap();
    assert_eq!(replica.queue().unwrap().len(), 1);
}
