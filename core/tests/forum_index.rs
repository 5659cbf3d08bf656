//! The forums' appending text index seen from outside: a platform whose scheduler merges the
//! open segments after every few writes answers every forum search exactly as one whose
//! segments are never merged by the scheduler, through random threads, replies, edits and
//! deletions; the tick reports the merge, and a reply leaves one open segment behind.

mod common;

use common::*;
use proptest::prelude::*;
use trialog_core::*;

const WORDS: [&str; 12] = [
    "Arbeit",
    "Genesung",
    "Netzwerk",
    "Klinik",
    "Jena",
    "Erfahrung",
    "Ausbildung",
    "Peer",
    "Trialog",
    "Gruppe",
    "Käse",
    "Wege",
];

#[derive(Debug, Clone)]
enum Step {
    Thread(Vec<usize>, Vec<usize>),
    Reply(usize, Vec<usize>),
    Edit(usize, Vec<usize>, Option<Vec<usize>>),
    Delete(usize),
    Tick,
}

fn words() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0..WORDS.len(), 1..8)
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        2 => (words(), words()).prop_map(|(t, b)| Step::Thread(t, b)),
        4 => (any::<usize>(), words()).prop_map(|(n, b)| Step::Reply(n, b)),
        2 => (any::<usize>(), words(), proptest::option::of(words())).prop_map(|(n, b, t)| Step::Edit(n, b, t)),
        1 => any::<usize>().prop_map(Step::Delete),
        2 => Just(Step::Tick),
    ]
}

fn text(words: &[usize]) -> String {
    words.iter().map(|w| WORDS[*w]).collect::<Vec<_>>().join(" ")
}

/// A platform with one public board and one member who writes everything.
struct Forum {
    p: Platform,
    member: Actor,
    board: BoardId,
}

fn forum() -> Forum {
    let p = platform_with(&clock());
    let member = Actor::account(account(&p, "Schreiberin", &[]).id);
    let board = common::public_board(&p, "austausch", "Austausch").id;
    Forum { p, member, board }
}

/// Every hit of `query`, page by page.
fn search_all(f: &Forum, query: &str) -> Vec<ForumHit> {
    let query = ForumQuery { text: query.into(), board: None };
    let mut hits = Vec::new();
    let mut page = PageRequest::first(7);
    loop {
        let found = f.p.forums().search(&Actor::Anonymous, &query, &page).unwrap();
        hits.extend(found.items);
        match found.next_cursor {
            Some(cursor) => page = PageRequest { cursor: Some(cursor), ..PageRequest::first(7) },
            None => return hits,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn searches_answer_the_same_whether_or_not_the_scheduler_merged(
        steps in proptest::collection::vec(step(), 1..40),
        queries in proptest::collection::vec(proptest::collection::vec(0..WORDS.len(), 1..3), 1..6),
    ) {
        let (merged, open) = (forum(), forum());
        let mut threads: Vec<(ThreadId, PostId)> = Vec::new();
        let mut posts: Vec<PostId> = Vec::new();
        for step in steps {
            for f in [&merged, &open] {
                let forums = f.p.forums();
                match &step {
                    Step::Thread(title, body) => {
                        let new = NewThread { board: f.board, title: text(title), body: text(body), tags: vec![], anonymous: false };
                        forums.create_thread(&f.member, &new).unwrap();
                    }
                    Step::Reply(n, body) if !threads.is_empty() => {
                        let thread = threads[n % threads.len()].0;
                        let new = NewReply { thread, body: text(body), reply_to: None, anonymous: false };
                        forums.reply(&f.member, &new).unwrap();
                    }
                    Step::Edit(n, body, title) if !posts.is_empty() => {
                        let post = posts[n % posts.len()];
                        let first = threads.iter().any(|(_, p)| *p == post);
                        let title = title.as_ref().filter(|_| first).map(|t| text(t));
                        let _ = forums.edit_post(&f.member, post, &text(body), title.as_deref());
                    }
                    Step::Delete(n) if !posts.is_empty() => {
                        let _ = forums.delete_post(&f.member, posts[n % posts.len()]);
                    }
                    Step::Tick if std::ptr::eq(f, &merged) => {
                        f.p.tick(&Actor::Operator, f.p.now()).unwrap();
                    }
                    _ => {}
                }
            }
            // Both platforms gave the same ids; remember them once.
            let written = written(&merged);
            threads = written.0;
            posts = written.1;
        }
        for words in queries {
            let query = text(&words);
            prop_assert_eq!(search_all(&merged, &query), search_all(&open, &query), "query '{}'", query);
        }
        prop_assert!(merged.p.integrity().unwrap().problems.is_empty());
        prop_assert!(open.p.integrity().unwrap().problems.is_empty());
    }
}

/// The threads (with their first posts) and the posts of the forum, in order.
fn written(f: &Forum) -> (Vec<(ThreadId, PostId)>, Vec<PostId>) {
    let page = f.p.forums().board_page(&f.member, f.board, &PageRequest::first(100)).unwrap();
    let mut threads: Vec<(ThreadId, PostId)> = page.threads.iter().map(|t| (t.id, t.first_post)).collect();
    threads.sort();
    let mut posts = Vec::new();
    for (thread, _) in &threads {
        let page = f.p.forums().thread_page(&f.member, *thread, &PageRequest::first(100)).unwrap();
        posts.extend(page.posts.iter().map(|p| p.id));
    }
    posts.sort();
    (threads, posts)
}

#[test]
fn a_tick_merges_the_open_segments_and_says_so() {
    let f = forum();
    let new = NewThread {
        board: f.board,
        title: "Genesung".into(),
        body: "Wege der Genesung in Jena".into(),
        tags: vec![],
        anonymous: false,
    };
    let opened = f.p.forums().create_thread(&f.member, &new).unwrap();
    let reply =
        NewReply { thread: opened.thread.id, body: "Genesung braucht Zeit".into(), reply_to: None, anonymous: false };
    f.p.forums().reply(&f.member, &reply).unwrap();
    let before = search_all(&f, "Genesung");
    assert_eq!(before.len(), 2, "both posts are found while they wait in open segments");
    let report = f.p.tick(&Actor::Operator, f.p.now()).unwrap();
    let merged: u64 = report.work.iter().filter(|w| w.what == "forum index segments merged").map(|w| w.count).sum();
    assert!(merged >= 2, "the thread's and the reply's segments are merged: {report:?}");
    assert_eq!(search_all(&f, "Genesung"), before, "merging changes no answer");
    let again = f.p.tick(&Actor::Operator, f.p.now()).unwrap();
    assert!(again.work.iter().all(|w| w.what != "forum index segments merged"), "nothing is left: {again:?}");
}
