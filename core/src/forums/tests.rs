//! What a thread page and a reply cost on PostgreSQL, in round trips to the server (issue 26):
//! on one machine a round trip over a local socket costs more than the whole thread page on
//! redb, so the thread page and the durable reply are held to a fixed number of them, which
//! must not grow with the page's posts.

use crate::forums::{NewReply, ThreadId};

/// Round trips of the first page of 20 posts, read by a member: 10 before rows were read
/// ahead (one per point read and range, `BEGIN` and `ROLLBACK`), 6 since — plus, since post
/// texts are sealed under their authors' keys (schema 31), one key-store query for the keys
/// of every author on the page together (one per author, 9 here, before they were batched).
/// Since the title is sealed too (schema 32) the thread author's key is asked for with the
/// first run's authors (8 while the title was opened before the posts were walked): 7; and
/// a read's `ROLLBACK` goes with the connection's next `BEGIN` (`store/postgres.rs`): 6.
/// Since the page declares what it reads first (`Store::read_with`: the reader's account, the
/// thread's rows and the first page of its posts, read by one statement pipelined with the
/// `BEGIN`): 3 — that, the board's rows (which need the thread's record) and the keys. Since
/// the board's rows and the keys of the first run's authors are read together, their two
/// statements pipelined (`Ahead::keys`): 2. A reader with an e-mail (sealed under her own key)
/// took 3 — her key was looked up alone when her account was loaded — until the account's
/// read ahead named her key too (`accounts::read_ahead`): 2. Since the board and the people a
/// page of a thread read last time are named in its first read ahead
/// (`context::ThreadPageHints`): 1, once the page was read before; a page not read before
/// takes [`THREAD_PAGE_FIRST_MOST`].
const THREAD_PAGE_MOST: u64 = 1;
/// Round trips of a page of a thread not read before on this platform (no hint of its board
/// and people yet), or whose thread moved since: 2 — the thread's rows and first posts with
/// the `BEGIN`, then the board's rows and the keys.
const THREAD_PAGE_FIRST_MOST: u64 = 2;
/// Round trips of one reply in its own durable transaction: 41 before writes were staged
/// and sent with the `COMMIT`, 22 since, 24 since the reply's text is sealed under its
/// author's key (the key store's read of it, and of the pseudonym index's key), 25 since the
/// thread's title is sealed (schema 32; where the one more trip goes is not traced yet). Since
/// the writer's key is read with the thread's rows, and the board's row with the thread's
/// author's key (the title's): 23 — `BEGIN`, the actor's account, those two, about fifteen
/// single-row reads of other domains (settings, rates, trust, watchers, index counters,
/// notice choices), three id draws and the `COMMIT` with the staged writes. Since a write's
/// `BEGIN` goes with its actor's account (`Store::write_reading`), the reply's reads of other
/// domains whose keys it knows once the thread is read (screening's words version, settings
/// and trust, following's watched row and the thread's watchers, the board's counts, the
/// index's counters) go with the board's row, and a scan stops at a page shorter than asked
/// for: 12 — the two reads ahead, the rate notes, a post's row and the index's last segment,
/// notice choices, three id draws, the staged writes with the feed's lock, and the `COMMIT`.
/// Since the feed's entry is numbered by a sequence of the schema in the `COMMIT`'s batch (the
/// lock, the draw and the entry had a trip each), a new post's row is written without reading
/// what it replaces, and the thread's rows and the writer's key go with the `BEGIN`
/// (`Context::write_with`): 8 — the two reads ahead, the rate notes, the index's last segment,
/// notice choices, two id draws, and the staged writes with the feed's entry and the `COMMIT`.
/// Since the rate notes (all of the writer's, read whole when under a page), the index's last
/// segments (read from the high end) and the notice choices of the watchers the last reply
/// found go with the board's row, and the post's and the notices' ids are drawn together: 4 —
/// the two reads ahead, the id draw, and the `COMMIT`'s batch. Since the post's id and the
/// notices' ids for those watchers are drawn while the board's row is read (on the sequences'
/// connection, its round trip overlapping the read's: `Ahead::ids`): 3 waits — the two reads
/// ahead and the `COMMIT`'s batch. Since ids come from PostgreSQL sequences (schema 37), the
/// draw is a part of the board's row's statement itself, on the transaction's connection: 3
/// round trips, and no statement on another connection.
const REPLY_MOST: u64 = 3;

/// A members' board with one thread of 30 posts by three members (sealed under their three
/// keys, looked up in one query), the second of whom (the reader) has an e-mail; the
/// platform, the members and the thread.
fn forum() -> Option<(crate::Platform, Vec<crate::Actor>, ThreadId)> {
    use std::sync::Arc;

    use crate::fixtures::{board, members};
    use crate::forums::{Audience, NewThread};
    use crate::{Actor, Durability, NewAccount, Platform, PlatformOptions, TestClock};
    let clock = TestClock::at("2026-03-02T10:00:00Z".parse().unwrap());
    let options =
        PlatformOptions { clock: Arc::new(clock.clone()), durability: Durability::Immediate, ..Default::default() };
    let p = Platform::in_postgres_scratch(options)?;
    let board = board(&p, "Praktikum", Audience::Members);
    let mut members = members(&p, &["Kim", "Jonas"]);
    // The reader has an e-mail, sealed under her own key: loading her account opens it.
    let ada = NewAccount { pseudonym: "Ada".into(), email: Some("ada@example.org".into()), ..Default::default() };
    members.insert(1, Actor::account(p.accounts().create(&Actor::Anonymous, &ada).unwrap().id));
    let new = NewThread {
        board,
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
    // The first readings prepare the page's statements on the connection (with no hint,
    // then with one); they are kept.
    let (_, first_trips) = round_trips(&p, || p.forums().thread_page(&members[1], thread, &first20).unwrap());
    p.forums().thread_page(&members[1], thread, &first20).unwrap();
    let (page, page_trips) = round_trips(&p, || p.forums().thread_page(&members[1], thread, &first20).unwrap());
    assert_eq!(page.posts.len(), 20, "the first page holds 20 of the 30 posts");
    let second = crate::PageRequest { cursor: page.next_cursor.clone(), ..first20.clone() };
    let (later, later_trips) = round_trips(&p, || p.forums().thread_page(&members[1], thread, &second).unwrap());
    assert_eq!(later.posts.len(), 10, "the second page holds the last 10 posts");
    eprintln!("round trips: a page read for the first time {first_trips} (statements prepared), another {later_trips}");
    assert!(
        later_trips <= THREAD_PAGE_FIRST_MOST,
        "a page not read before took {later_trips} round trips (at most {THREAD_PAGE_FIRST_MOST})"
    );
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

/// A board page opens each line it shows with its author's key, each key looked up once for
/// the page; a thread page opens the title and its posts with one set of keys. Before schema
/// version 32 a board page opened nothing (titles were plain) and a thread page opened its
/// posts only (the title's author's key was then looked up by the posts, so the lookups are
/// the same).
#[test]
fn a_board_page_looks_up_each_authors_key_once_and_opens_each_line_shown() {
    use crate::Platform;
    use crate::fixtures::{board, members};
    use crate::forums::{Audience, NewThread};
    use crate::store::counted;
    let p = Platform::in_memory().unwrap();
    let board = board(&p, "Austausch", Audience::Public);
    let members = members(&p, &["Kim", "Ada", "Jonas", "Ole"]);
    let mut threads = Vec::new();
    for i in 0..25 {
        let new = NewThread {
            board,
            title: format!("Frage {i}"),
            body: format!("Wie geht es euch mit Punkt {i}?"),
            tags: vec![],
            anonymous: i % 5 == 0,
        };
        threads.push(p.forums().create_thread(&members[i % 4], &new).unwrap().thread.id);
    }
    for i in 1..6 {
        p.forums().reply(&members[i % 2 + 1], &reply(threads[0], i)).unwrap();
    }
    let first20 = crate::PageRequest::first(20);
    let (page, lookups, openings) = counted::during(|| p.forums().board_page(&members[1], board, &first20).unwrap());
    assert_eq!(page.threads.len(), 20);
    assert!(page.threads.iter().all(|t| t.title.starts_with("Frage ")), "every line's title opens");
    eprintln!("board page of 20 threads by 4 authors: {lookups} key lookups, {openings} openings");
    assert_eq!((lookups, openings), (4, 20), "one lookup per author on the page, one opening per line shown");
    let (page, lookups, openings) =
        counted::during(|| p.forums().thread_page(&members[3], threads[0], &first20).unwrap());
    assert_eq!(page.posts.len(), 6);
    assert_eq!(page.thread.title, "Frage 0");
    eprintln!("thread page of 6 posts by 3 authors: {lookups} key lookups, {openings} openings");
    assert_eq!((lookups, openings), (3, 7), "one lookup per author, the title and each post opened once");
}

/// A page's hint names the board its thread was on: once the thread moved, the page reads the
/// board it is on now (in a second round trip) and shows it, and the next page needs one again.
#[test]
fn a_thread_page_after_its_thread_moved_reads_the_new_board() {
    use crate::fixtures::board;
    use crate::forums::Audience;
    let Some((p, members, thread)) = forum() else { return };
    let first20 = crate::PageRequest::first(20);
    for _ in 0..2 {
        p.forums().thread_page(&members[1], thread, &first20).unwrap();
    }
    let elsewhere = board(&p, "Ausbildung", Audience::Members);
    p.forums().move_thread(&crate::Actor::Operator, thread, elsewhere).unwrap();
    let (page, moved_trips) = round_trips(&p, || p.forums().thread_page(&members[1], thread, &first20).unwrap());
    assert_eq!(page.thread.board, elsewhere, "the page shows the board the thread moved to");
    assert_eq!(page.posts.len(), 20);
    assert!(
        (2..=THREAD_PAGE_FIRST_MOST).contains(&moved_trips),
        "the page after the move took {moved_trips} round trips: its hint named the old board, so it reads the new one"
    );
    let (again, again_trips) = round_trips(&p, || p.forums().thread_page(&members[1], thread, &first20).unwrap());
    assert_eq!(again.thread.board, elsewhere);
    assert!(
        again_trips <= THREAD_PAGE_MOST,
        "the next page took {again_trips} round trips (at most {THREAD_PAGE_MOST})"
    );
}
