#[test]
fn every_watched_table_is_a_registered_table() {
    let names: Vec<&str> = crate::DOMAINS.iter().flat_map(|d| d.tables.iter().map(|t| t.name())).collect();
    for table in super::FEED_TABLES {
        assert!(names.contains(table), "the change feed watches {table}, which no domain registers");
    }
}

/// A snapshot reads its threads in one transaction with one key cache: each author's key is
/// looked up once for all the threads' pages (and once for the board page that lists them),
/// not once a thread, and each text is opened once (a line on the board page, then the
/// thread's title and posts).
#[test]
fn a_snapshot_looks_up_each_authors_key_once_for_all_its_threads() {
    use crate::Platform;
    use crate::fixtures::{board, members};
    use crate::forums::{Audience, NewReply, NewThread};
    use crate::store::counted;
    let p = Platform::in_memory().unwrap();
    let board = board(&p, "Austausch", Audience::Public);
    let members = members(&p, &["Kim", "Ada", "Jonas", "Ole"]);
    for i in 0..12 {
        let new = NewThread {
            board,
            title: format!("Frage {i}"),
            body: format!("Wie geht es euch mit Punkt {i}?"),
            tags: vec![],
            anonymous: false,
        };
        let thread = p.forums().create_thread(&members[i % 4], &new).unwrap().thread.id;
        let body = format!("Gut, danke ({i}).");
        let reply = NewReply { thread, body, reply_to: None, anonymous: false };
        p.forums().reply(&members[(i + 1) % 4], &reply).unwrap();
    }
    let (batch, lookups, openings) = counted::during(|| p.syncing().changes(&members[0], None).unwrap());
    assert_eq!(batch.threads.len(), 12);
    assert!(batch.threads.iter().all(|t| t.posts.len() == 2 && t.thread.title.starts_with("Frage ")));
    eprintln!("snapshot of 12 threads by 4 authors: {lookups} key lookups, {openings} openings");
    // The inbox bucket is read by its own operation: Kim's three reply notifications show her
    // threads' titles, opened with her key (one lookup, three openings).
    assert_eq!(lookups, 8 + 1, "each author's key once for the board page, once for the threads' pages");
    assert_eq!(openings, 12 * 4 + 3, "each line of the board page, then each thread's title and two posts");
}
