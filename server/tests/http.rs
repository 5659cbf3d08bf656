//! The server on loopback: sign-in, a member's and a moderator's flows, refusals as problem
//! details, revoked and expired sessions, and the operator out of reach.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{PASSWORD, call, post, send, sign_in, try_send, world};
use serde_json::json;
use trialog_core::BoardId;

#[test]
fn health_and_the_openapi_document_are_served() {
    let w = world(|_| {});
    let health = send(w.server.addr, "GET", "/health", None, b"");
    assert_eq!(health.ok(), &json!({"status": "ok", "storage_retries": 0, "storage_runs_alone": 0}));
    let doc = send(w.server.addr, "GET", "/openapi.json", None, b"");
    assert_eq!(doc.ok()["openapi"], "3.1.0");
    for op in trialog_core::api::OPERATIONS {
        assert!(doc.body["paths"][format!("/v1/{}", op.name)]["post"].is_object(), "{}", op.name);
    }
}

#[test]
fn every_manifest_operation_is_routed() {
    let w = world(|c| c.per_address = trialog_server::Rate { burst: 1000, per_second: 1000.0 });
    for op in trialog_core::api::OPERATIONS {
        // An unknown argument proves the generated handler ran (an unrouted path is 404).
        let reply = call(w.server.addr, op.name, None, json!({"zz_not_an_argument": 1}));
        assert_eq!(reply.status, 400, "{}: {reply:?}", op.name);
        assert_eq!(reply.body["kind"], "invalid_input", "{}", op.name);
    }
    call(w.server.addr, "no_such_operation", None, json!({})).problem(404, "not_found");
}

#[test]
fn a_member_signs_in_posts_reads_and_signs_out() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let token = sign_in(addr, "mia_member");
    let me = call(addr, "account_by_pseudonym", Some(&token), json!({"pseudonym": "Mia_Member"})).ok().clone();
    let posted = call(
        addr,
        "create_thread",
        Some(&token),
        json!({"new": {"board": w.board, "title": "Wie geht ihr mit Wartezeiten um?", "body": "Ich warte seit Wochen auf einen Termin."}}),
    );
    let thread = posted.ok()["thread"]["id"].as_u64().unwrap();
    assert_eq!(posted.body["post"]["author"]["account"], me["id"], "{:?}", posted.body);
    call(addr, "reply", Some(&token), json!({"new": {"thread": thread, "body": "Nachtrag: es hat geklappt."}})).ok();
    let page = call(addr, "thread_page", Some(&token), json!({"id": thread, "page": {"limit": 10}}));
    assert_eq!(page.ok()["posts"].as_array().unwrap().len(), 2, "{:?}", page.body);
    // Sessions are listed per account; signing out ends this one.
    let sessions = post(addr, "/v1/auth/sessions", Some(&token), json!({}));
    assert_eq!(sessions.ok().as_array().unwrap().len(), 1);
    post(addr, "/v1/auth/sign_out", Some(&token), json!({})).ok();
    call(addr, "inbox", Some(&token), json!({})).problem(401, "permission_denied");
    // Anonymous readers still see the members' board only as far as the policy allows.
    assert_ne!(call(addr, "thread_page", None, json!({"id": thread})).status, 200);
}

#[test]
fn a_moderator_hides_a_post_and_a_member_cannot() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let member = sign_in(addr, "Mia_Member");
    let moderator = sign_in(addr, "Moritz_Mod");
    let posted = call(
        addr,
        "create_thread",
        Some(&member),
        json!({"new": {"board": w.board, "title": "Eine Frage", "body": "Ein Beitrag zum Ausblenden."}}),
    );
    let post_id = posted.ok()["post"]["id"].as_u64().unwrap();
    let refused =
        call(addr, "moderate_post", Some(&member), json!({"id": post_id, "action": "hide", "reason": "test"}));
    let problem = refused.problem(403, "permission_denied");
    assert!(problem["action"].as_str().unwrap().contains("moderate"), "{problem}");
    let hidden =
        call(addr, "moderate_post", Some(&moderator), json!({"id": post_id, "action": "hide", "reason": "Spam"}));
    assert_eq!(hidden.ok()["state"], "hidden", "{:?}", hidden.body);
    let queue = call(addr, "moderation_queue", Some(&moderator), json!({}));
    queue.ok();
}

#[test]
fn validation_refusals_name_the_field() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let token = sign_in(addr, "Mia_Member");
    let short = call(addr, "create_thread", Some(&token), json!({"new": {"board": w.board, "title": "", "body": "x"}}));
    assert_eq!(short.problem(400, "invalid_input")["field"], "title", "{:?}", short.body);
    let wrong_type = call(addr, "thread", Some(&token), json!({"id": "seven"}));
    assert_eq!(wrong_type.problem(400, "invalid_input")["field"], "id");
    let unknown = call(
        addr,
        "create_thread",
        Some(&token),
        json!({"new": {"board": w.board, "title": "t", "body": "b", "colour": 1}}),
    );
    assert_eq!(unknown.problem(400, "invalid_input")["field"], "new.colour");
    let twice = send(addr, "POST", "/v1/thread", Some(&token), br#"{"id": 1, "id": 2}"#);
    assert_eq!(twice.problem(400, "invalid_input")["field"], "id");
    let missing = call(addr, "thread", Some(&token), json!({}));
    assert_eq!(missing.problem(400, "invalid_input")["field"], "id");
    let not_json = send(addr, "POST", "/v1/thread", Some(&token), b"{id: 1}");
    assert_eq!(not_json.problem(400, "invalid_input")["field"], "body");
}

#[test]
fn large_bodies_and_floods_are_refused() {
    let w = world(|c| {
        c.body_limit = 1000;
        c.per_address = trialog_server::Rate { burst: 5, per_second: 0.01 };
    });
    let addr = w.server.addr;
    let big = json!({"pseudonym": "x".repeat(2000)});
    call(addr, "account_by_pseudonym", None, big).problem(413, "invalid_input");
    let mut limited = None;
    for _ in 0..10 {
        let reply = call(addr, "boards", None, json!({}));
        if reply.status == 429 {
            limited = Some(reply);
            break;
        }
    }
    let limited = limited.expect("the sixth request within the burst is refused");
    assert!(limited.problem(429, "rate_limited")["retry_after_secs"].as_u64().unwrap() >= 1);
    assert!(limited.header("retry-after").is_some());
}

#[test]
fn the_account_limit_applies_across_addresses() {
    let w = world(|c| c.per_account = trialog_server::Rate { burst: 3, per_second: 0.01 });
    let addr = w.server.addr;
    let token = sign_in(addr, "Mia_Member");
    let statuses: Vec<u16> = (0..5).map(|_| call(addr, "boards", Some(&token), json!({})).status).collect();
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
    // Someone else is not held back by Mia's limit.
    assert_eq!(call(addr, "boards", None, json!({})).status, 200);
}

#[test]
fn wrong_passwords_are_refused_and_throttled_by_the_core() {
    let w = world(|_| {});
    let addr = w.server.addr;
    for _ in 0..5 {
        post(addr, "/v1/auth/sign_in", None, json!({"pseudonym": "Mia_Member", "password": "wrong"}))
            .problem(403, "permission_denied");
    }
    let throttled = post(addr, "/v1/auth/sign_in", None, json!({"pseudonym": "Mia_Member", "password": PASSWORD}));
    throttled.problem(429, "rate_limited");
    post(addr, "/v1/auth/sign_in", None, json!({"pseudonym": "Mia_Member"})).problem(400, "invalid_input");
}

#[test]
fn revoked_and_expired_tokens_are_refused() {
    let w = world(|c| c.session_lifetime = chrono::Duration::hours(1));
    let addr = w.server.addr;
    let first = sign_in(addr, "Mia_Member");
    let second = sign_in(addr, "Mia_Member");
    let admin = sign_in(addr, "Ada_Admin");
    let sessions = post(addr, "/v1/auth/sessions", Some(&first), json!({}));
    let ids: Vec<u64> = sessions.ok().as_array().unwrap().iter().map(|s| s["id"].as_u64().unwrap()).collect();
    assert_eq!(ids.len(), 2);
    assert!(!sessions.body.to_string().contains(&first), "a listing never shows a token");
    // Another member may neither list nor revoke Mia's sessions; an admin may.
    let moderator = sign_in(addr, "Moritz_Mod");
    post(addr, "/v1/auth/revoke", Some(&moderator), json!({"id": ids[0]})).problem(403, "permission_denied");
    post(addr, "/v1/auth/revoke", Some(&admin), json!({"id": ids[0]})).ok();
    call(addr, "inbox", Some(&first), json!({})).problem(401, "permission_denied");
    call(addr, "inbox", Some(&second), json!({})).ok();
    w.clock.advance(chrono::Duration::minutes(61));
    let expired = call(addr, "inbox", Some(&second), json!({}));
    assert!(expired.problem(401, "permission_denied")["reason"].as_str().unwrap().contains("expired"));
    assert_eq!(expired.header("www-authenticate"), Some("Bearer"));
    // The scheduler deletes expired sessions.
    w.platform.tick(&trialog_core::Actor::Operator, w.platform.now()).unwrap();
    assert_eq!(
        w.platform.sessions().list(&trialog_core::Actor::Operator, trialog_core::AccountId(1)).unwrap().len(),
        0
    );
}

#[test]
fn an_erased_accounts_token_is_gone_not_unauthenticated() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let token = sign_in(addr, "Mia_Member");
    call(addr, "inbox", Some(&token), json!({})).ok();
    let mia = w.platform.accounts().authenticate("Mia_Member", PASSWORD).unwrap().id;
    w.platform.rights().erase(&trialog_core::Actor::account(mia), mia, None, "auf eigenen Wunsch").unwrap();
    let gone = call(addr, "inbox", Some(&token), json!({}));
    let body = gone.problem(410, "account_erased");
    assert_eq!(body["type"], "urn:trialog:problem:account_erased");
    assert!(body["reason"].as_str().unwrap().contains("erased"), "{body}");
    assert!(!body.to_string().contains("Mia"), "the answer names nobody: {body}");
    assert_eq!(gone.header("www-authenticate"), None, "signing in again would not help");
    send(addr, "GET", "/v1/sync", Some(&token), b"").problem(410, "account_erased");
}

#[test]
fn the_operator_is_out_of_reach() {
    let w = world(|_| {});
    let addr = w.server.addr;
    for forged in ["operator", "Operator", "trialog_", &format!("trialog_{}", "0".repeat(64))] {
        call(addr, "audit_log", Some(forged), json!({})).problem(401, "permission_denied");
    }
    let bad_scheme = {
        let mut reply = None;
        let raw = "POST /v1/audit_log HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Basic b3BlcmF0b3I6\r\nContent-Length: 2\r\n\r\n{}";
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(raw.as_bytes()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        reply.get_or_insert(out).clone()
    };
    assert!(bad_scheme.starts_with("HTTP/1.1 401"), "{bad_scheme}");
    // Without a session every call is anonymous: admin and operator rights stay closed.
    call(addr, "audit_log", None, json!({})).problem(403, "permission_denied");
    call(addr, "compact", None, json!({})).problem(403, "permission_denied");
    let member = sign_in(addr, "Mia_Member");
    call(addr, "audit_log", Some(&member), json!({})).problem(403, "permission_denied");
    // Admin rights come from an admin account.
    let admin = sign_in(addr, "Ada_Admin");
    call(addr, "audit_log", Some(&admin), json!({})).ok();
}

#[test]
fn non_loopback_addresses_need_a_proxy() {
    let config = trialog_server::Config::new("0.0.0.0:0".parse().unwrap());
    assert!(matches!(config.check(), Err(trialog_core::Error::InvalidInput { field, .. }) if field == "listen"));
    let mut behind = config;
    behind.behind_proxy = true;
    assert!(behind.check().is_ok());
}

/// Writers post threads back to back while the server stops: every write that was answered is
/// stored and every stored write was answered — none cut off half-way, none committed without
/// its answer. Connections the stopping server no longer reads fail, and store nothing.
#[test]
fn stopping_finishes_writes_in_flight() {
    let w = world(|c| {
        c.per_account = trialog_server::Rate { burst: 10_000, per_second: 10_000.0 };
        c.per_address = c.per_account;
    });
    let addr = w.server.addr;
    let token = sign_in(addr, "Mia_Member");
    let answered = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (token, board, answered) = (token.clone(), w.board, answered.clone());
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                for i in 0.. {
                    let args = json!({"new": {"board": board, "title": format!("Thema {writer}-{i}"), "body": "Text"}});
                    match try_send(addr, "POST", "/v1/create_thread", Some(&token), args.to_string().as_bytes()) {
                        Ok(reply) if reply.status == 200 => statuses.push(reply.status),
                        Ok(reply) => panic!("writer {writer}: {reply:?}"),
                        Err(_) => return statuses,
                    }
                    answered.fetch_add(1, Ordering::SeqCst);
                }
                statuses
            })
        })
        .collect();
    // Writes are flowing before the stop.
    let start = std::time::Instant::now();
    while answered.load(Ordering::SeqCst) < 8 {
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "no writes were answered");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let platform = w.platform.clone();
    w.server.stop().unwrap();
    let statuses: Vec<u16> = writers.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let stored = platform
        .forums()
        .board_page(
            &trialog_core::Actor::Operator,
            BoardId(w.board),
            &trialog_core::PageRequest { limit: Some(500), ..Default::default() },
        )
        .unwrap();
    assert!(stored.next_cursor.is_none(), "one page holds them all");
    assert_eq!(stored.threads.len(), statuses.len());
}

#[test]
fn newcomers_sign_up_with_a_password_and_are_signed_in_at_once() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let new = json!({"pseudonym": "Neu_Hier", "perspective": "lived_experience"});
    let signed_up = post(addr, "/v1/auth/sign_up", None, json!({"new": new, "password": PASSWORD, "label": "Telefon"}));
    let body = signed_up.ok();
    assert_eq!(body["account"]["pseudonym"], "Neu_Hier");
    let token = body["token"].as_str().unwrap();
    assert_eq!(body["session"]["label"], "Telefon");
    assert_eq!(call(addr, "inbox", Some(token), json!({})).status, 200);
    sign_in(addr, "Neu_Hier");
    // Refusals are problem details naming the field or the reason; none leaves an account.
    let short = post(addr, "/v1/auth/sign_up", None, json!({"new": {"pseudonym": "Kurz_Pw"}, "password": "kurz"}));
    assert_eq!(short.problem(400, "invalid_input")["field"], "password");
    let unknown =
        post(addr, "/v1/auth/sign_up", None, json!({"new": {"pseudonym": "X_Y", "colour": 1}, "password": PASSWORD}));
    assert_eq!(unknown.problem(400, "invalid_input")["field"], "new.colour");
    post(addr, "/v1/auth/sign_up", None, json!({"new": {"pseudonym": "neu_hier"}, "password": PASSWORD}))
        .problem(409, "conflict");
    let member = sign_in(addr, "Mia_Member");
    let by_member = post(
        addr,
        "/v1/auth/sign_up",
        Some(&member),
        json!({"new": {"pseudonym": "Zweit_Konto"}, "password": PASSWORD}),
    );
    by_member.problem(403, "permission_denied");
    for name in ["Kurz_Pw", "X_Y", "Zweit_Konto"] {
        assert!(w.platform.accounts().find_by_pseudonym(&trialog_core::Actor::Operator, name).is_err(), "{name}");
    }
}

#[test]
fn sign_ups_are_limited_per_address_whichever_way_they_come() {
    let w = world(|c| c.sign_ups = trialog_server::Rate { burst: 2, per_second: 1.0 / 3600.0 });
    let addr = w.server.addr;
    post(addr, "/v1/auth/sign_up", None, json!({"new": {"pseudonym": "Erste_Person"}, "password": PASSWORD})).ok();
    call(addr, "create_account", None, json!({"new": {"pseudonym": "Zweite_Person"}})).ok();
    let limited =
        post(addr, "/v1/auth/sign_up", None, json!({"new": {"pseudonym": "Dritte_Person"}, "password": PASSWORD}));
    assert!(limited.problem(429, "rate_limited")["retry_after_secs"].as_u64().unwrap() > 60);
    assert!(limited.header("retry-after").is_some());
    call(addr, "create_account", None, json!({"new": {"pseudonym": "Dritte_Person"}})).problem(429, "rate_limited");
    // Other requests from the address still pass.
    assert_eq!(call(addr, "boards", None, json!({})).status, 200);
}

#[test]
fn a_request_over_the_timeout_is_answered_503_and_its_write_still_finishes() {
    // Sign-up hashes the password (argon2id, tens of milliseconds) before it writes: far longer
    // than this timeout.
    let w = world(|c| c.timeout = std::time::Duration::from_millis(1));
    let addr = w.server.addr;
    let slow = post(addr, "/v1/auth/sign_up", None, json!({"new": {"pseudonym": "Spaet_Dran"}, "password": PASSWORD}));
    slow.problem(503, "internal");
    assert_eq!(slow.header("retry-after"), Some("1"), "a timeout says when to try again");
    // The account and its password were written together after the answer, not half of it.
    let start = std::time::Instant::now();
    while w.platform.accounts().authenticate("Spaet_Dran", PASSWORD).is_err() {
        assert!(start.elapsed() < std::time::Duration::from_secs(20), "the sign-up never finished");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn request_log_lines_name_the_operation_and_status_never_who_or_what() {
    let lines = trialog_server::LogLines::default();
    let w = world(|c| {
        c.log = true;
        c.log_lines = Some(lines.clone());
    });
    let addr = w.server.addr;
    let signed_up =
        post(addr, "/v1/auth/sign_up", None, json!({"new": {"pseudonym": "Lena_Privat"}, "password": PASSWORD}));
    let token = signed_up.ok()["token"].as_str().unwrap().to_string();
    let new = json!({"new": {"board": w.board, "title": "Meine Diagnose", "body": "Seit dem Klinikaufenthalt"}});
    call(addr, "create_thread", Some(&token), new).ok();
    post(addr, "/v1/auth/sign_in", None, json!({"pseudonym": "Lena_Privat", "password": "falsch geraten"}))
        .problem(403, "permission_denied");
    call(addr, "account_by_pseudonym", Some(&token), json!({"pseudonym": "Mia_Member"})).ok();
    let lines = lines.lock().unwrap().clone();
    let requests: Vec<serde_json::Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|l| l["event"] == "request")
        .collect();
    assert!(requests.len() >= 4, "{lines:?}");
    for line in &requests {
        let keys: Vec<&str> = line.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["actor", "event", "ms", "operation", "status", "ts"], "{line}");
    }
    assert!(requests.iter().any(|l| l["operation"] == "create_thread" && l["actor"] == "account"), "{lines:?}");
    for line in &lines {
        for leak in ["Lena", "Mia", "Diagnose", "Klinik", "falsch", PASSWORD, &token, "trialog_", "127.0.0.1"] {
            assert!(!line.contains(leak), "a log line says '{leak}': {line}");
        }
    }
}
