//! The replica endpoints on loopback: `GET /v1/sync` answers only what the bearer's account
//! may see, projected; `POST /v1/sync/send` applies a queued write at most once, in order; a
//! moderator's removal reaches the member as a tombstone; a revoked token stops sync.

mod common;

use common::{call, post, send, sign_in, staff_only_board, world};
use serde_json::{Value, json};

fn sync(addr: std::net::SocketAddr, token: &str, since: Option<u64>) -> Value {
    let path = since.map_or_else(|| "/v1/sync".to_string(), |s| format!("/v1/sync?since={s}"));
    send(addr, "GET", &path, Some(token), b"").ok().clone()
}

fn queue(addr: std::net::SocketAddr, token: &str, id: &str, operation: &str, args: Value) -> Value {
    post(addr, "/v1/sync/send", Some(token), json!({"id": id, "operation": operation, "args": args})).ok().clone()
}

fn post_ids(batch: &Value) -> Vec<u64> {
    let in_threads = batch["threads"].as_array().unwrap().iter().flat_map(|t| t["posts"].as_array().unwrap().clone());
    let loose = batch["posts"].as_array().unwrap().iter().cloned();
    in_threads.chain(loose).map(|p| p["id"].as_u64().unwrap()).collect()
}

#[test]
fn posts_flow_both_ways_and_anonymous_authors_stay_hidden() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let member = sign_in(addr, "Mia_Member");
    let moderator = sign_in(addr, "Moritz_Mod");
    let snap = sync(addr, &member, None);
    assert_eq!(snap["snapshot"], true);
    let cursor = snap["cursor"].as_u64().unwrap();
    let mod_cursor = sync(addr, &moderator, None)["cursor"].as_u64().unwrap();
    // The moderator starts an anonymous thread through the send queue.
    let made = queue(
        addr,
        &moderator,
        "a0000000-0000-4000-8000-000000000001",
        "create_thread",
        json!({"new": {"board": w.board, "title": "Nachtgedanken", "body": "Wer kennt das?", "anonymous": true}}),
    );
    assert_eq!(made["state"], "applied", "{made}");
    let thread = made["result"]["thread"]["id"].as_u64().unwrap();
    let seen = sync(addr, &member, Some(cursor));
    assert_eq!(seen["threads"][0]["thread"]["id"], thread);
    let text = seen.to_string();
    assert!(!text.contains("Moritz_Mod"), "the member learns who wrote an anonymous thread: {text}");
    assert_eq!(seen["threads"][0]["thread"]["author"]["name"], "anonymous");
    // The member replies; the moderator's replica receives it.
    let reply = queue(
        addr,
        &member,
        "b0000000-0000-4000-8000-000000000001",
        "reply",
        json!({"new": {"thread": thread, "body": "Ja, ich auch."}}),
    );
    assert_eq!(reply["state"], "applied", "{reply}");
    let at_mod = sync(addr, &moderator, Some(mod_cursor));
    assert!(post_ids(&at_mod).contains(&reply["result"]["post"]["id"].as_u64().unwrap()));
}

#[test]
fn a_queued_reply_resent_after_a_lost_answer_arrives_once_and_in_order() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let member = sign_in(addr, "Mia_Member");
    let start = call(
        addr,
        "create_thread",
        Some(&member),
        json!({"new": {"board": w.board, "title": "Spaziergang", "body": "Wer kommt mit?"}}),
    )
    .ok()["thread"]["id"]
        .as_u64()
        .unwrap();
    // The device was offline: two replies waited in its queue; the first is sent twice (its
    // answer was lost), then the second.
    let ids = ["c0000000-0000-4000-8000-000000000001", "c0000000-0000-4000-8000-000000000002"];
    let first = queue(addr, &member, ids[0], "reply", json!({"new": {"thread": start, "body": "Erste Antwort"}}));
    let again = queue(addr, &member, ids[0], "reply", json!({"new": {"thread": start, "body": "Erste Antwort"}}));
    assert_eq!(first, again);
    queue(addr, &member, ids[1], "reply", json!({"new": {"thread": start, "body": "Zweite Antwort"}}));
    let page = call(addr, "thread_page", Some(&member), json!({"id": start})).ok().clone();
    let bodies: Vec<&str> = page["posts"].as_array().unwrap().iter().map(|p| p["body"].as_str().unwrap()).collect();
    assert_eq!(bodies, vec!["Wer kommt mit?", "Erste Antwort", "Zweite Antwort"]);
    // A refusal is kept with the server's reason; a read operation cannot be queued.
    let refused = queue(
        addr,
        &member,
        "c0000000-0000-4000-8000-000000000003",
        "reply",
        json!({"new": {"thread": 999_999, "body": "x"}}),
    );
    assert_eq!(refused["state"], "refused", "{refused}");
    assert!(!refused["reason"].as_str().unwrap().is_empty());
    let read = post(
        addr,
        "/v1/sync/send",
        Some(&member),
        json!({"id": "d1", "operation": "thread_page", "args": {"id": start}}),
    );
    read.problem(400, "invalid_input");
}

#[test]
fn a_hidden_board_never_reaches_the_member_and_a_removal_is_a_tombstone() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let admin = sign_in(addr, "Ada_Admin");
    let member = sign_in(addr, "Mia_Member");
    let moderator = sign_in(addr, "Moritz_Mod");
    let hidden = staff_only_board(addr, &admin, "Team intern");
    call(
        addr,
        "create_thread",
        Some(&admin),
        json!({"new": {"board": hidden, "title": "Dienstplan Geheim", "body": "Nur intern"}}),
    )
    .ok();
    let snap = sync(addr, &member, None);
    let text = snap.to_string();
    assert!(!text.contains("Dienstplan Geheim") && !text.contains("Team intern"), "{text}");
    // Asking for the board directly is refused as well.
    let direct = call(addr, "board_page", Some(&member), json!({"board": hidden}));
    assert!(direct.status == 403 || direct.status == 404, "{direct:?}");
    // A moderator removes the member's reply: it leaves the member's replica.
    let cursor = snap["cursor"].as_u64().unwrap();
    let thread = call(
        addr,
        "create_thread",
        Some(&member),
        json!({"new": {"board": w.board, "title": "Hallo", "body": "Erster Beitrag"}}),
    )
    .ok()["thread"]["id"]
        .as_u64()
        .unwrap();
    let reply = call(addr, "reply", Some(&member), json!({"new": {"thread": thread, "body": "Nachtrag"}})).ok()["post"]
        ["id"]
        .as_u64()
        .unwrap();
    let seen = sync(addr, &member, Some(cursor));
    assert!(post_ids(&seen).contains(&reply));
    let cursor = seen["cursor"].as_u64().unwrap();
    call(addr, "moderate_post", Some(&moderator), json!({"id": reply, "action": "remove", "reason": "Werbung"})).ok();
    let after = sync(addr, &member, Some(cursor));
    assert!(!post_ids(&after).contains(&reply), "{after}");
    assert!(after["removed_posts"].as_array().unwrap().contains(&json!(reply)), "{after}");
}

#[test]
fn a_revoked_token_stops_sync_and_a_bad_cursor_is_refused() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let member = sign_in(addr, "Mia_Member");
    send(addr, "GET", "/v1/sync?since=abc", Some(&member), b"").problem(400, "invalid_input");
    send(addr, "GET", "/v1/sync?board=3", Some(&member), b"").problem(400, "invalid_input");
    send(addr, "GET", "/v1/sync", None, b"").problem(403, "permission_denied");
    let sessions = post(addr, "/v1/auth/sessions", Some(&member), json!({})).ok().clone();
    let id = sessions[0]["id"].as_u64().unwrap();
    post(addr, "/v1/auth/revoke", Some(&member), json!({"id": id})).ok();
    let refused = send(addr, "GET", "/v1/sync", Some(&member), b"");
    assert_eq!(refused.status, 401, "{refused:?}");
}

#[test]
fn older_pages_arrive_in_one_request_as_the_account_may_see_them() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let admin = trialog_core::Actor::account(
        w.platform.accounts().find_by_pseudonym(&trialog_core::Actor::Operator, "Ada_Admin").unwrap().id,
    );
    // 45 threads, the oldest anonymous: two pages of 20 and one of 5.
    for i in 0..45 {
        let new = json!({"board": w.board, "title": format!("Thema {i}"), "body": "Inhalt", "anonymous": i == 0});
        w.platform.forums().create_thread(&admin, &serde_json::from_value(new).unwrap()).unwrap();
        w.clock.advance(chrono::Duration::seconds(1));
    }
    let member = sign_in(addr, "Mia_Member");
    let older = |args: Value| post(addr, "/v1/sync/older", Some(&member), args);
    let first = older(json!({"board": w.board, "pages": 2})).ok().clone();
    let titles = |page: &Value| -> Vec<String> {
        page["threads"].as_array().unwrap().iter().map(|t| t["thread"]["title"].as_str().unwrap().into()).collect()
    };
    assert_eq!(titles(&first), (5..45).rev().map(|i| format!("Thema {i}")).collect::<Vec<_>>());
    assert!(first["threads"][0]["posts"][0]["body"] == "Inhalt", "each thread comes with its posts");
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let rest = older(json!({"board": w.board, "cursor": cursor, "pages": 5})).ok().clone();
    assert_eq!(titles(&rest), (0..5).rev().map(|i| format!("Thema {i}")).collect::<Vec<_>>());
    assert_eq!(rest["next_cursor"], Value::Null);
    let oldest = &rest["threads"][4]["thread"]["author"];
    assert_eq!((oldest["name"].as_str(), oldest.get("account")), (Some("anonymous"), Some(&Value::Null)));

    // Bad input names its field; a hidden board and a missing token are refused.
    older(json!({"board": w.board, "pages": 6})).problem(400, "invalid_input");
    older(json!({"board": w.board, "page": 1})).problem(400, "invalid_input");
    let hidden = staff_only_board(addr, &sign_in(addr, "Ada_Admin"), "Teamraum Intern");
    let refused = older(json!({"board": hidden}));
    assert!([403, 404].contains(&refused.status), "{refused:?}");
    post(addr, "/v1/sync/older", None, json!({"board": w.board})).problem(403, "permission_denied");
}
