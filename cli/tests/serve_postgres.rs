//! `trialog serve --store postgres://…` in two processes on one schema (issue 26): what is
//! written through one server is read through the other, sessions included (they are rows of
//! the platform, not of a process). Needs the `postgres` feature and a database at
//! TRIALOG_POSTGRES_URL (`bash scripts/postgres.sh start`); skipped otherwise.
//!
//! The races across the two processes (claims of review items, registrations for a course's
//! last places) run `TRIALOG_SERVER_RACES` rounds (default 100; the long mode is
//! 10,000) and `TRIALOG_SERVER_REGISTRANTS` registrants for 20 places (default 60; long mode
//! 1,000), `TRIALOG_SERVER_IN_FLIGHT` of them at once (default 100; all 1,000 at once is the
//! burst of `docs/server.md`).
#![cfg(feature = "postgres")]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Barrier;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::Trialog;
use serde_json::{Value, json};
use trialog_core::*;

const PASSWORD: &str = "correct horse battery staple";
/// Requests in flight at once in the registration race (`TRIALOG_SERVER_IN_FLIGHT` to change).
const CLIENTS: usize = 100;

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
            // The races below send thousands of requests from one address and account.
            .args(["--per-address", "1000000", "--per-account", "1000000"])
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
        let _ = client.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; DROP SCHEMA IF EXISTS {schema}_keys CASCADE"
        ));
    }
}

/// A fresh schema's URL on the test database; `None` (and a note) without one.
fn schema_url(kind: &str) -> Option<(String, String)> {
    let Ok(url) = std::env::var("TRIALOG_POSTGRES_URL") else {
        eprintln!("skipped: TRIALOG_POSTGRES_URL is not set (bash scripts/postgres.sh start)");
        return None;
    };
    let schema = format!("cli_{kind}_{}", std::process::id());
    let store = format!("{url}{}schema={schema}", if url.contains('?') { '&' } else { '?' });
    Some((url, store))
}

fn drop_schema(url: &str, store: &str) {
    let schema = store.rsplit("schema=").next().unwrap_or_default();
    if let Ok(mut client) = postgres::Client::connect(url, postgres::NoTls) {
        let _ = client.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; DROP SCHEMA IF EXISTS {schema}_keys CASCADE"
        ));
    }
}

fn count_from_env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// An account with a password, made in the test's own handle on the schema.
fn account_with_password(p: &Platform, pseudonym: &str, role: Option<Role>) -> AccountId {
    let new = NewAccount { pseudonym: pseudonym.into(), ..Default::default() };
    let id = p.accounts().create(&Actor::Operator, &new).unwrap().id;
    p.accounts().set_password(&Actor::Operator, id, PASSWORD).unwrap();
    if let Some(role) = role {
        p.accounts().grant_role(&Actor::Operator, id, role, None).unwrap();
    }
    id
}

/// Signs `pseudonym` in through `server`: its bearer token.
fn token_on(server: &Server, pseudonym: &str) -> String {
    let (status, reply) = server.post("/v1/auth/sign_in", None, json!({"pseudonym": pseudonym, "password": PASSWORD}));
    assert_eq!(status, 200, "{reply}");
    reply["token"].as_str().expect("a token").to_string()
}

/// The storage retries both servers counted (their `/health`).
fn retries(servers: &[&Server]) -> (u64, u64) {
    servers.iter().fold((0, 0), |(r, a), server| {
        let mut stream = TcpStream::connect(server.addr).unwrap();
        write!(stream, "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).unwrap();
        let health: Value = serde_json::from_str(raw.split_once("\r\n\r\n").unwrap().1).unwrap();
        (r + health["storage_retries"].as_u64().unwrap(), a + health["storage_runs_alone"].as_u64().unwrap())
    })
}

/// Moderators signed in on either server claim each newly reported reply at the same instant:
/// exactly one claim succeeds, every other one is `409 conflict`, and the stored holder is the
/// winner — with no global lock, the serialization conflicts are retried and counted.
#[test]
fn claim_races_across_two_servers_have_exactly_one_winner_each() {
    let Some((url, store)) = schema_url("claims") else { return };
    let rounds = count_from_env("TRIALOG_SERVER_RACES", 100);
    let p = Platform::open_postgres(&store, PlatformOptions::default()).expect("the schema opens");
    let new_board = NewBoard {
        slug: "austausch".into(),
        title: "Austausch".into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience: Audience::Members,
        moderation: ModerationMode::Open,
    };
    let board = p.forums().create_board(&Actor::Operator, &new_board).unwrap().id;
    let author = Actor::account(account_with_password(&p, "Kim", None));
    let reporter = Actor::account(account_with_password(&p, "Ole", None));
    let moderators: Vec<(String, AccountId)> = (0..4)
        .map(|i| {
            let name = format!("Mod_{i}");
            let id = account_with_password(&p, &name, Some(Role::Moderator));
            (name, id)
        })
        .collect();
    let new_thread =
        NewThread { board, title: "Thema".into(), body: "Ein Beitrag".into(), tags: vec![], anonymous: false };
    let thread = p.forums().create_thread(&author, &new_thread).unwrap().thread.id;

    let servers = [Server::start(&store), Server::start(&store)];
    // Two moderators on each server.
    let contenders: Vec<(&Server, String, AccountId)> = moderators
        .iter()
        .enumerate()
        .map(|(i, (name, id))| (&servers[i % 2], token_on(&servers[i % 2], name), *id))
        .collect();
    let started = Instant::now();
    let (mut double, mut none, mut wrong) = (Vec::new(), Vec::new(), Vec::new());
    let mut left = rounds;
    while left > 0 {
        let batch = left.min(200);
        let reply = NewReply { thread, body: "Günstige Kredite".into(), reply_to: None, anonymous: false };
        let replies: Vec<(Actor, NewReply)> = (0..batch).map(|_| (author.clone(), reply.clone())).collect();
        for posted in p.forums().reply_many(&replies).unwrap() {
            let report = NewReport {
                target: Target::Post { id: posted.unwrap().post.id },
                reason: ReportReason::Spam,
                detail: None,
            };
            let item = p.moderation().report(&reporter, &report).unwrap().item;
            let mod0 = Actor::account(moderators[0].1);
            let version = p.moderation().item(&mod0, item).unwrap().item.version;
            let go = Barrier::new(contenders.len());
            let outcomes: Vec<(u16, Value, AccountId)> = std::thread::scope(|scope| {
                let go = &go;
                let runs: Vec<_> = contenders
                    .iter()
                    .map(|(server, token, id)| {
                        scope.spawn(move || {
                            go.wait();
                            let (status, reply) =
                                server.post("/v1/claim_item", Some(token), json!({"id": item, "version": version}));
                            (status, reply, *id)
                        })
                    })
                    .collect();
                runs.into_iter().map(|r| r.join().unwrap()).collect()
            });
            let winners: Vec<AccountId> = outcomes.iter().filter(|o| o.0 == 200).map(|o| o.2).collect();
            let holder = p.moderation().item(&mod0, item).unwrap().item.claimed_by;
            match winners.as_slice() {
                [] => none.push(item),
                [one] if holder != Some(*one) => wrong.push(format!("{item:?}: won by {one}, held by {holder:?}")),
                [_] => {}
                _ => double.push(item),
            }
            wrong.extend(
                outcomes.iter().filter(|o| o.0 != 200 && o.0 != 409).map(|o| format!("{item:?}: {} {}", o.0, o.1)),
            );
        }
        left -= batch;
    }
    let (retried, alone) = retries(&[&servers[0], &servers[1]]);
    eprintln!(
        "claims across two servers: {rounds} races in {:.1} s, {} double winners, {} without winner, \
         {} other outcomes, {retried} retried writes, {alone} run alone",
        started.elapsed().as_secs_f64(),
        double.len(),
        none.len(),
        wrong.len()
    );
    drop(servers);
    drop(p);
    drop_schema(&url, &store);
    assert!(double.is_empty(), "double winners: {:?}", &double[..double.len().min(5)]);
    assert!(none.is_empty(), "races nobody won: {:?}", &none[..none.len().min(5)]);
    assert!(wrong.is_empty(), "losers with other answers or wrong holders: {:?}", &wrong[..wrong.len().min(5)]);
}

/// Registrants signed in on either server register for a course of 20 places, 100 requests in
/// flight at a time from the first instant: exactly 20 are confirmed, the rest wait in distinct
/// positions that the waitlist lists in order, and no request fails.
#[test]
fn registrations_across_two_servers_fill_twenty_places_exactly() {
    let Some((url, store)) = schema_url("seats") else { return };
    let n = count_from_env("TRIALOG_SERVER_REGISTRANTS", 60).max(21);
    let p = Platform::open_postgres(&store, PlatformOptions::default()).expect("the schema opens");
    let new_org = NewOrganisation {
        name: "Selbsthilfe im Dialog".into(),
        kind: OrgKind::Association,
        region: "DE-TH".into(),
        city: None,
        website: None,
    };
    let org = p.orgs().create(&Actor::Operator, &new_org).unwrap().id;
    p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    let staff = Actor::account(account_with_password(&p, "Organisatorin", Some(Role::EmployerStaff { org })));
    // Sessions two months ahead of the real clock the servers read.
    let start = chrono::Utc::now().date_naive() + chrono::Duration::days(60);
    let at = |hour: u32| format!("{}T{hour:02}:00", start);
    let course = NewCourse {
        org,
        title: "Gruppen leiten".into(),
        description: "Ein Seminar für Selbsthilfegruppen.".into(),
        topics: vec![],
        language: "de".into(),
        audience: CourseAudience::SelfHelpGroupMembers,
        format: CourseFormat::Online,
        place: None,
        online_link: Some("https://meet.example.org/gruppen-leiten".into()),
        sessions: vec![SessionInput { start: at(18), end: at(20), time_zone: "Europe/Berlin".into(), repeat: None }],
        capacity: 20,
        fee: Fee::Free,
        registration_opens: None,
        registration_closes: None,
        prerequisites: vec![],
        trialogic: false,
        settings: None,
    };
    let course = p.courses().create(&staff, &course).unwrap();
    let course = p.courses().publish(&staff, course.id).unwrap().id;
    let names: Vec<String> = (0..n).map(|i| format!("Teilnehmende{i}")).collect();
    for name in &names {
        account_with_password(&p, name, None);
    }

    let servers = [Server::start(&store), Server::start(&store)];
    let people: Vec<(&Server, String)> =
        names.iter().enumerate().map(|(i, name)| (&servers[i % 2], token_on(&servers[i % 2], name))).collect();
    let started = Instant::now();
    // At most CLIENTS requests in flight (as behind a load balancer's connection pool), all
    // released at once: the first CLIENTS registrants race for the 20 places together.
    let clients = people.len().min(count_from_env("TRIALOG_SERVER_IN_FLIGHT", CLIENTS));
    let go = Barrier::new(clients);
    let next = AtomicUsize::new(0);
    let mut answers: Vec<(usize, (u16, Value))> = std::thread::scope(|scope| {
        let (go, next, people) = (&go, &next, &people);
        let runs: Vec<_> = (0..clients)
            .map(|_| {
                scope.spawn(move || {
                    go.wait();
                    let mut answers = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((server, token)) = people.get(i) else { return answers };
                        answers.push((i, server.post("/v1/register_for_course", Some(token), json!({"id": course}))));
                    }
                })
            })
            .collect();
        runs.into_iter().flat_map(|r| r.join().unwrap()).collect()
    });
    answers.sort_by_key(|(i, _)| *i);
    let answers: Vec<(u16, Value)> = answers.into_iter().map(|(_, answer)| answer).collect();
    let elapsed = started.elapsed();
    let (retried, alone) = retries(&[&servers[0], &servers[1]]);
    eprintln!(
        "registrations across two servers: {n} for 20 places in {:.1} s, {retried} retried writes, {alone} run alone",
        elapsed.as_secs_f64()
    );
    let failed: Vec<&(u16, Value)> = answers.iter().filter(|a| a.0 != 200).collect();
    assert!(failed.is_empty(), "{} requests failed, e.g. {:?}", failed.len(), failed.first());
    let regs: Vec<Registration> =
        answers.iter().map(|a| serde_json::from_value(a.1[0].clone()).expect("a registration")).collect();
    let confirmed = regs.iter().filter(|r| r.state == RegistrationState::Confirmed).count();
    let mut waiting: Vec<_> = regs.iter().filter(|r| r.state == RegistrationState::Waiting).collect();
    assert_eq!((confirmed, waiting.len()), (20, n - 20));
    waiting.sort_by_key(|r| r.position);
    assert!(waiting.windows(2).all(|w| w[0].position < w[1].position), "waiting positions are distinct");
    let listed: Vec<_> = p.courses().waitlist(&staff, course).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(listed, waiting.iter().map(|r| r.id).collect::<Vec<_>>());
    let seen = p.courses().get(&staff, course).unwrap();
    assert_eq!((seen.places_taken, seen.waiting as usize), (20, n - 20));
    drop(servers);
    drop(p);
    drop_schema(&url, &store);
}
