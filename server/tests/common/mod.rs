//! A platform with a board, a member, a moderator and an admin (passwords set), a server on
//! loopback in front of it, and a small HTTP/1.1 client over a plain TCP stream.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use trialog_core::{Actor, NewAccount, NewBoard, Platform, PlatformOptions, Role, TestClock};
use trialog_server::{Config, Running};

pub const PASSWORD: &str = "correct horse battery staple";

pub struct World {
    pub platform: Platform,
    pub clock: Arc<TestClock>,
    pub server: Running,
    pub board: u64,
}

/// A world whose server runs with `adjust` applied to the default configuration.
pub fn world(adjust: impl FnOnce(&mut Config)) -> World {
    let clock = Arc::new(TestClock::at(chrono::Utc::now()));
    let platform =
        Platform::in_memory_with(PlatformOptions { clock: clock.clone(), ..PlatformOptions::default() }).unwrap();
    let op = Actor::Operator;
    for (name, role) in [("Mia_Member", None), ("Moritz_Mod", Some(Role::Moderator)), ("Ada_Admin", Some(Role::Admin))]
    {
        let account =
            platform.accounts().create(&op, &NewAccount { pseudonym: name.into(), ..Default::default() }).unwrap();
        platform.accounts().set_password(&op, account.id, PASSWORD).unwrap();
        if let Some(role) = role {
            platform.accounts().grant_role(&op, account.id, role, None).unwrap();
        }
    }
    let board = platform
        .forums()
        .create_board(
            &op,
            &serde_json::from_value::<NewBoard>(json!({"slug": "austausch", "title": "Austausch", "language": "de"}))
                .unwrap(),
        )
        .unwrap()
        .id
        .0;
    let mut config = Config::new("127.0.0.1:0".parse().unwrap());
    config.log = false;
    config.tick_every = None;
    adjust(&mut config);
    let server = trialog_server::spawn(platform.clone(), config).unwrap();
    World { platform, clock, server, board }
}

/// One response: status, headers (lower-case names) and the body as JSON (`Null` if empty).
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// Asserts a problem document of this status and kind, returning it.
    pub fn problem(&self, status: u16, kind: &str) -> &Value {
        assert_eq!((self.status, self.body["kind"].as_str()), (status, Some(kind)), "{self:?}");
        assert_eq!(self.header("content-type"), Some("application/problem+json"));
        assert_eq!(self.body["status"], status);
        &self.body
    }

    pub fn ok(&self) -> &Value {
        assert_eq!(self.status, 200, "{self:?}");
        &self.body
    }
}

/// Sends one request with a raw body.
pub fn send(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: &[u8]) -> Reply {
    try_send(addr, method, path, token, body).unwrap()
}

/// `send`, with a connection that is refused, reset or closed before a whole answer arrived
/// as an error (a server that is stopping).
pub fn try_send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &[u8],
) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    if !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "closed before an answer"));
    }
    Ok(parse(&raw))
}

/// `POST path` with a JSON body.
pub fn post(addr: SocketAddr, path: &str, token: Option<&str>, body: Value) -> Reply {
    send(addr, "POST", path, token, body.to_string().as_bytes())
}

/// Calls operation `op`.
pub fn call(addr: SocketAddr, op: &str, token: Option<&str>, args: Value) -> Reply {
    post(addr, &format!("/v1/{op}"), token, args)
}

/// Signs in, returning the token.
/// A board only the staff of a new organisation see, made by `admin`: a member's sync and reads
/// must never reach it. Returns the board's id.
#[allow(dead_code)]
pub fn staff_only_board(addr: SocketAddr, admin: &str, title: &str) -> u64 {
    let new_org = json!({"new": {"name": "Klinik Nord", "kind": "association", "region": "DE-TH"}});
    let org = call(addr, "create_organisation", Some(admin), new_org).ok()["id"].as_u64().unwrap();
    let audience = json!({"kind": "organisation", "org": org});
    let board = json!({"new": {"slug": "team", "title": title, "language": "de", "audience": audience}});
    call(addr, "create_board", Some(admin), board).ok()["id"].as_u64().unwrap()
}

pub fn sign_in(addr: SocketAddr, pseudonym: &str) -> String {
    let reply = post(addr, "/v1/auth/sign_in", None, json!({"pseudonym": pseudonym, "password": PASSWORD}));
    reply.ok()["token"].as_str().unwrap().to_string()
}

fn parse(raw: &[u8]) -> Reply {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")) {
        body = unchunk(&body);
    }
    let body = if body.is_empty() { Value::Null } else { serde_json::from_slice(&body).unwrap_or(Value::Null) };
    Reply { status, headers, body }
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else { return out };
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}
