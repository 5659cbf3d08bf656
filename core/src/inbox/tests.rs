//! Forum notifications keep no thread title (schema 34): what an inbox page shows of a thread
//! is what the thread reads at that moment, and what that costs.

use crate::forums::{Audience, BoardId, NewReply, NewThread, ThreadId};
use crate::store::counted;
use crate::{AccountId, Actor, Event, PageRequest, Platform, PostFate};

fn board(p: &Platform) -> BoardId {
    crate::fixtures::board(p, "Praktikum", Audience::Public)
}

fn member(p: &Platform, name: &str) -> (Actor, AccountId) {
    let id = crate::fixtures::member(p, name);
    (Actor::account(id), id)
}

fn thread(title: &str, board: BoardId) -> NewThread {
    NewThread { board, title: title.into(), body: format!("Worum es geht: {title}"), tags: vec![], anonymous: false }
}

fn reply(thread: ThreadId, body: &str) -> NewReply {
    NewReply { thread, body: body.into(), reply_to: None, anonymous: false }
}

/// The thread titles `reader`'s inbox shows, newest first.
fn titles_shown(p: &Platform, reader: &Actor) -> Vec<String> {
    let page = p.inbox().list(reader, false, &PageRequest::first(50)).unwrap();
    page.items
        .into_iter()
        .filter_map(|n| match n.event {
            Event::ForumReply { thread_title, .. } | Event::ForumReplyToYou { thread_title, .. } => Some(thread_title),
            Event::ForumThread { title, .. } => Some(title),
            _ => None,
        })
        .collect()
}

/// A notification shows the thread's title as the thread reads when the inbox is read, not as
/// it read when the notification was written: edited by its author, it shows edited in every
/// inbox (the behaviour chosen with "derive, not seal"); once the author is erased with their
/// content deleted, "(deleted)", as on the thread's page. The forum filter and the export show
/// the same.
#[test]
fn a_forum_notification_shows_the_threads_title_as_it_reads_now() {
    let p = Platform::in_memory().unwrap();
    let board = board(&p);
    let ((kim, kim_id), (ole, ole_id), (ada, _)) = (member(&p, "Kim"), member(&p, "Ole"), member(&p, "Ada"));
    p.forums().watch_board(&ole, board, true).unwrap();
    let posted = p.forums().create_thread(&kim, &thread("Erste Woche im Praktikum", board)).unwrap();
    let id = posted.thread.id;
    p.forums().watch_thread(&ole, id, true).unwrap();
    p.forums().reply(&ada, &reply(id, "Bei mir war es ähnlich.")).unwrap();
    assert_eq!(titles_shown(&p, &ole), ["Erste Woche im Praktikum"; 2], "a reply and the new thread");

    p.forums().edit_post(&kim, posted.post.id, "Worum es geht, neu", Some("Zweite Woche im Praktikum")).unwrap();
    assert_eq!(titles_shown(&p, &ole), ["Zweite Woche im Praktikum"; 2], "the title as the thread reads now");
    let forum = p.forums().notifications(&ole, false, &PageRequest::default()).unwrap();
    assert!(format!("{forum:?}").contains("Zweite Woche im Praktikum"), "the forum filter shows it too: {forum:?}");
    let export = p.rights().export_documents(&ole, ole_id).unwrap();
    let inbox = export.documents.iter().find(|d| d.name == "inbox.json").expect("the inbox in the export");
    assert!(inbox.json.contains("Zweite Woche im Praktikum"), "the export shows it: {}", inbox.json);
    assert!(!inbox.json.contains("Erste Woche"), "and never the title as it was");

    p.rights().erase(&kim, kim_id, Some(PostFate::Delete), "auf eigenen Wunsch").unwrap();
    assert_eq!(titles_shown(&p, &ole), ["(deleted)"; 2], "the author erased with their content");
}

/// An inbox page of 20 forum notifications about 12 threads by 4 authors looks up each
/// author's key once and opens each thread's title once (notifications of one thread share
/// the opening): the cost of deriving titles instead of storing them.
#[test]
fn an_inbox_page_looks_up_each_thread_authors_key_once_and_opens_each_thread_once() {
    let p = Platform::in_memory().unwrap();
    let board = board(&p);
    let (reader, _) = member(&p, "Ole");
    let authors = crate::fixtures::members(&p, &["Kim", "Ada", "Jonas", "Lena"]);
    p.forums().watch_board(&reader, board, true).unwrap();
    let threads: Vec<ThreadId> = (0..12)
        .map(|i| p.forums().create_thread(&authors[i % 4], &thread(&format!("Frage {i}"), board)).unwrap().thread.id)
        .collect();
    for &id in &threads[..2] {
        p.forums().watch_thread(&reader, id, true).unwrap();
        for i in 0..4 {
            p.forums().reply(&authors[(i % 2) + 2], &reply(id, &format!("Antwort {i}"))).unwrap();
        }
    }
    let first20 = PageRequest::first(20);
    let (page, lookups, openings) = counted::during(|| p.inbox().list(&reader, false, &first20).unwrap());
    assert_eq!(page.items.len(), 20);
    assert!(titles_shown(&p, &reader).iter().all(|t| t.starts_with("Frage ")), "every title opens");
    eprintln!(
        "inbox page of 20 forum notifications, 12 threads by 4 authors: {lookups} key lookups, {openings} openings"
    );
    assert_eq!((lookups, openings), (4, 12), "one lookup per thread author, one opening per thread shown");
}
