//! `trialog serve --store postgres://…` in two processes on one schema (issue 26): what is
//! written through one server is read through the other, sessions included (they are rows of
//! the platform, not of a process). Needs the `postgres` feature and a database at
//! TRIALOG_POSTGRES_URL (`bash scripts/postgres.sh start`); skipped otherwise.
#![cfg(feature = "postgres")]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::Trialog;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery staple";

/// A `trialog serve` process, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(store: &str) -> Server {
        let addr = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port");
        let child = Command::new(env!("CARGO_BIN_EXE_trialog"))
            .args(["serve", "--store", store, "--listen", &addr.to_string(), "--quiet", "--tick-secs", "0"])
            .env_remove("TRIALOG_DB")
            .stdout(Stdio::null())
            .spawn()
            .expect("trialog serve starts");
        let server = Server { child, addr };
        for _ in 0..300 {
            if TcpStream::connect(addr).is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the server on {addr} did not start");
    }

    /// `POST /v1/…` with a JSON body: the status and the JSON reply.
    fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut stream = TcpStream::connect(self.addr).expect("the server answers");
        stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let body = body.to_string();
        let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
        write!(
            stream,
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n\
             {auth}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let (head, reply) = raw.split_once("\r\n\r\n").expect("a whole response");
        let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
        (status, serde_json::from_str(reply).unwrap_or(Value::Null))
    }

    fn call(&self, op: &str, token: &str, args: Value) -> Value {
        let (status, reply) = self.post(&format!("/v1/{op}"), Some(token), args);
        assert_eq!(status, 200, "{op} on {}: {reply}", self.addr);
        reply
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn two_servers_on_one_schema_read_what_the_other_wrote() {
    let Ok(url) = std::env::var("TRIALOG_POSTGRES_URL") else {
        eprintln!("skipped: TRIALOG_POSTGRES_URL is not set (bash scripts/postgres.sh start)");
        return;
    };
    let t = Trialog::initialised();
    t.ok(&["account", "add", "Mia_Member"]);
    t.run_with_input(&["account", "passwd", "Mia_Member"], &format!("{PASSWORD}\n"));
    t.ok(&["forum", "board", "add", "austausch", "--title", "Austausch", "--lang", "de"]);
    let schema = format!("cli_serve_{}", std::process::id());
    let store = format!("{url}{}schema={schema}", if url.contains('?') { '&' } else { '?' });
    t.json(&["store", "copy", t.db.to_str().unwrap(), &store]);

    let (a, b) = (Server::start(&store), Server::start(&store));
    let (status, signed_in) =
        a.post("/v1/auth/sign_in", None, json!({"pseudonym": "Mia_Member", "password": PASSWORD}));
    assert_eq!(status, 200, "{signed_in}");
    let token = signed_in["token"].as_str().expect("a token");
    // The session made through A lets B know the member; the board came through the copy.
    let board = b.call("board_by_slug", token, json!({"slug": "austausch"}))["id"].clone();
    let new = json!({"new": {"board": board, "title": "Über zwei Server", "body": "Geschrieben über B."}});
    let thread = b.call("create_thread", token, new)["thread"]["id"].clone();
    let page = a.call("thread_page", token, json!({"id": thread}));
    let bodies: Vec<&str> = page["posts"].as_array().unwrap().iter().filter_map(|p| p["body"].as_str()).collect();
    assert_eq!(bodies, ["Geschrieben über B."], "A reads the thread B wrote");
    a.call("reply", token, json!({"new": {"thread": thread, "body": "Antwort über A."}}));
    let page = b.call("thread_page", token, json!({"id": thread}));
    assert_eq!(page["posts"].as_array().unwrap().len(), 2, "B reads the reply A wrote: {page}");

    drop((a, b));
    if let Ok(mut client) = postgres::Client::connect(&url, postgres::NoTls) {
        let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }
}
