//! What a thread page and a reply cost on PostgreSQL, in round trips to the server (issue 26):
//! on one machine a round trip over a local socket costs more than the whole thread page on
//! redb, so the thread page and the durable reply are held to a fixed number of them, which
//! must not grow with the page's posts.

use crate::forums::{NewReply, ThreadId};

/// Round trips of the first page of 20 posts, read by a member: 10 before rows were read
/// ahead (one per point read and range, `BEGIN` and `ROLLBACK`), 6 since — plus, since post
/// texts are sealed under their authors' keys (schema 31), one key-store query for the keys
/// of every author on the page together (one per author, 9 here, before they were batched).
const THREAD_PAGE_MOST: u64 = 7;
/// Round trips of one reply in its own durable transaction: 41 before writes were staged
/// and sent with the `COMMIT`, 22 since, 24 since the reply's text is sealed under its
/// author's key (the key store's read of it, and of the pseudonym index's key).
const REPLY_MOST: u64 = 24;

/// A public board with one thread of 30 posts by three members (sealed under their three
/// keys, looked up in one query); the platform, the members and
/// the thread.
fn forum() -> Option<(crate::Platform, Vec<crate::Actor>, ThreadId)> {
    use std::sync::Arc;

    use crate::forums::{Audience, NewBoard, NewThread};
    use crate::{Actor, Durability, NewAccount, Platform, PlatformOptions, TestClock};
    let clock = TestClock::at("2026-03-02T10:00:00Z".parse().unwrap());
    let options =
        PlatformOptions { clock: Arc::new(clock.clone()), durability: Durability::Immediate, ..Default::default() };
    let p = Platform::in_postgres_scratch(options)?;
    let board = NewBoard {
        slug: "praktikum".into(),
        title: "Praktikum".into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience: Audience::Members,
        moderation: Default::default(),
    };
    let board = p.forums().create_board(&Actor::Operator, &board).unwrap();
    let members: Vec<Actor> = ["Kim", "Ada", "Jonas"]
        .iter()
        .map(|name| {
            let new = NewAccount { pseudonym: (*name).into(), ..Default::default() };
            Actor::account(p.accounts().create(&Actor::Anonymous, &new).unwrap().id)
        })
        .collect();
    let new = NewThread {
        board: board.id,
        title: "Wie lief euer Praktikum?".into(),
        body: "Ich beginne nächste Woche in der Klinik.".into(),
        tags: vec![],
        anonymous: false,
    };
    let thread = p.forums().create_thread(&members[0], &new).unwrap().thread.id;
    for i in 1..30 {
        clock.advance(chrono::Duration::minutes(7));
        p.forums().reply(&members[i % 3], &reply(thread, i)).unwrap();
    }
    Some((p, members, thread))
}

fn reply(thread: ThreadId, i: usize) -> NewReply {
    NewReply { thread, body: format!("Antwort {i}: bei mir lief es gut."), reply_to: None, anonymous: false }
}

/// The round trips `work` made on `p`'s store.
fn round_trips<T>(p: &crate::Platform, work: impl FnOnce() -> T) -> (T, u64) {
    let before = p.store().round_trips().expect("a PostgreSQL store");
    let out = work();
    (out, p.store().round_trips().expect("a PostgreSQL store") - before)
}

#[test]
fn a_thread_page_and_a_durable_reply_take_few_round_trips() {
    let Some((p, members, thread)) = forum() else { return };
    let first20 = crate::PageRequest::first(20);
    // The first reading prepares the page's statements on the connection; they are kept.
    p.forums().thread_page(&members[1], thread, &first20).unwrap();
    let (page, page_trips) = round_trips(&p, || p.forums().thread_page(&members[1], thread, &first20).unwrap());
    assert_eq!(page.posts.len(), 20, "the first page holds 20 of the 30 posts");
    p.forums().reply(&members[2], &reply(thread, 30)).unwrap();
    let (posted, reply_trips) = round_trips(&p, || p.forums().reply(&members[1], &reply(thread, 31)).unwrap());
    assert_eq!(posted.post.thread, thread);
    eprintln!("round trips on PostgreSQL: thread page (20 posts, a member) {page_trips}, durable reply {reply_trips}");
    assert!(
        page_trips <= THREAD_PAGE_MOST,
        "the thread page took {page_trips} round trips (at most {THREAD_PAGE_MOST})"
    );
    assert!(reply_trips <= REPLY_MOST, "the reply took {reply_trips} round trips (at most {REPLY_MOST})");
}
