//! The forum data in SQLite, for `versus_sqlite`: the schema a careful engineer would write for
//! these pages (WAL; an index per access path; FTS5 over titles and bodies with external
//! content, so texts are stored once), filled from a trialog platform read back through its
//! public API.

use std::path::Path;

use rusqlite::{Connection, params};
use trialog::accounts::pseudonym_key;
use trialog::{AccountFilter, AccountId, Actor, Audience, PageRequest, Platform, Post, Thread};

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    pseudonym_key TEXT NOT NULL UNIQUE,
    perspective TEXT NOT NULL
);
CREATE TABLE boards (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    members_read INTEGER NOT NULL,
    posts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards(id),
    title TEXT NOT NULL,
    author_id INTEGER REFERENCES accounts(id),
    anonymous INTEGER NOT NULL,
    pinned INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    last_activity INTEGER NOT NULL,
    reply_count INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    excerpt TEXT NOT NULL
);
CREATE INDEX threads_by_board ON threads (board_id, pinned DESC, last_activity DESC, id);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    seq INTEGER NOT NULL,
    author_id INTEGER REFERENCES accounts(id),
    anonymous INTEGER NOT NULL,
    title TEXT,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX posts_by_thread ON posts (thread_id, id);
CREATE TABLE watches (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    thread_id INTEGER NOT NULL REFERENCES threads(id),
    read_seq INTEGER NOT NULL,
    PRIMARY KEY (account_id, thread_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE post_fts USING fts5 (title, body, content = 'posts', content_rowid = 'id');
CREATE VIRTUAL TABLE post_vocab USING fts5vocab (post_fts, 'row');
";

/// A new SQLite file at `path` (any earlier one removed) with `schema`, in a transaction.
pub fn fresh(path: &Path, schema: &str) -> Connection {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let conn = Connection::open(path).expect("open SQLite");
    conn.execute_batch(schema).expect("create the SQLite schema");
    conn.execute_batch("BEGIN").unwrap();
    conn
}

/// The SQLite side: one connection, statements cached.
pub struct Db {
    conn: Connection,
}

/// Builds the SQLite copy of everything the operator sees on `p`.
pub fn build(p: &Platform, path: &Path) -> Db {
    let conn = fresh(path, SCHEMA);
    copy_accounts(p, &conn);
    copy_forums(p, &conn);
    conn.execute_batch("INSERT INTO post_fts (post_fts) VALUES ('optimize'); COMMIT; ANALYZE;").unwrap();
    Db { conn }
}

fn copy_accounts(p: &Platform, conn: &Connection) {
    let mut insert = conn.prepare("INSERT INTO accounts VALUES (?1, ?2, ?3, ?4)").unwrap();
    let mut page = PageRequest::first(500);
    loop {
        let found = p.accounts().list(&Actor::Operator, &AccountFilter::default(), &page).unwrap();
        for a in &found.items {
            let perspective = format!("{:?}", a.perspective);
            insert.execute(params![a.id.0, a.pseudonym, pseudonym_key(&a.pseudonym), perspective]).unwrap();
        }
        match found.next_cursor {
            Some(cursor) => page = PageRequest { cursor: Some(cursor), limit: Some(500) },
            None => break,
        }
    }
}

fn copy_forums(p: &Platform, conn: &Connection) {
    let op = Actor::Operator;
    let mut board = conn.prepare("INSERT INTO boards VALUES (?1, ?2, ?3, ?4, ?5)").unwrap();
    for o in p.forums().boards(&op).unwrap() {
        let b = &o.board;
        let members_read = matches!(b.audience, Audience::Public | Audience::Members);
        board.execute(params![b.id.0, b.slug, b.title, members_read, o.posts]).unwrap();
        let mut page = PageRequest::first(500);
        loop {
            let found = p.forums().board_page(&op, b.id, &page).unwrap();
            for t in &found.threads {
                copy_thread(p, conn, t);
            }
            match found.next_cursor {
                Some(cursor) => page = PageRequest { cursor: Some(cursor), limit: Some(500) },
                None => break,
            }
        }
    }
}

fn copy_thread(p: &Platform, conn: &Connection, t: &Thread) {
    conn.prepare_cached("INSERT INTO threads VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
        .unwrap()
        .execute(params![
            t.id.0,
            t.board.0,
            t.title,
            t.author.account.map(|a| a.0),
            t.author.anonymous,
            t.pinned,
            t.created_at.timestamp_micros(),
            t.last_activity.timestamp_micros(),
            t.reply_count,
            t.last_seq,
            t.excerpt
        ])
        .unwrap();
    let mut page = PageRequest::first(500);
    loop {
        let found = p.forums().thread_page(&Actor::Operator, t.id, &page).unwrap();
        for post in &found.posts {
            copy_post(conn, post, (post.id == t.first_post).then_some(t.title.as_str()));
        }
        match found.next_cursor {
            Some(cursor) => page = PageRequest { cursor: Some(cursor), limit: Some(500) },
            None => break,
        }
    }
}

fn copy_post(conn: &Connection, post: &Post, title: Option<&str>) {
    conn.prepare_cached("INSERT INTO posts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        .unwrap()
        .execute(params![
            post.id.0,
            post.thread.0,
            post.seq,
            post.author.account.map(|a| a.0),
            post.author.anonymous,
            title,
            post.body,
            post.created_at.timestamp_micros()
        ])
        .unwrap();
    conn.prepare_cached("INSERT INTO post_fts (rowid, title, body) VALUES (?1, ?2, ?3)")
        .unwrap()
        .execute(params![post.id.0, title, post.body])
        .unwrap();
}

impl Db {
    /// Opens the file written by [`build`].
    pub fn open(path: &Path) -> Db {
        Db { conn: Connection::open(path).expect("open SQLite") }
    }

    /// The connection, to copy the rows elsewhere.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Copies the threads `reader` watches with how far they have read (their last post number
    /// less what trialog counts unread).
    pub fn copy_watches(&self, p: &Platform, reader: AccountId) {
        for w in p.forums().unread(&Actor::account(reader)).unwrap() {
            self.conn
                .prepare_cached("INSERT INTO watches SELECT ?1, id, last_seq - ?3 FROM threads WHERE id = ?2")
                .unwrap()
                .execute(params![reader.0, w.thread.0, w.unread])
                .unwrap();
        }
    }

    /// Unread posts per watched thread in boards members may read, in thread order: thread and
    /// count, flattened.
    pub fn unread(&self, reader: u64) -> Vec<u64> {
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT w.thread_id, t.last_seq - w.read_seq, t.board_id, t.last_activity FROM watches w
                 JOIN threads t ON t.id = w.thread_id JOIN boards b ON b.id = t.board_id
                 WHERE w.account_id = ?1 AND b.members_read ORDER BY w.thread_id",
            )
            .unwrap();
        let rows = s
            .query_map([reader], |r| {
                let row: (u64, u64, u64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                Ok([row.0, row.1])
            })
            .unwrap();
        rows.flat_map(|r| r.unwrap()).collect()
    }

    /// An account by pseudonym, typed in any case: the unique key column, as trialog keys it.
    pub fn account(&self, pseudonym: &str) -> Vec<u64> {
        let mut s = self
            .conn
            .prepare_cached("SELECT id, pseudonym, perspective FROM accounts WHERE pseudonym_key = ?1")
            .unwrap();
        let row = s
            .query_row([pseudonym_key(pseudonym)], |r| {
                Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
            })
            .unwrap();
        vec![row.0]
    }

    /// The first 20 posts of a thread with their authors' names, after the thread and its board.
    pub fn thread_page(&self, thread: u64) -> Vec<u64> {
        let mut head = self
            .conn
            .prepare_cached(
                "SELECT t.title, t.last_seq, b.title FROM threads t JOIN boards b ON b.id = t.board_id
                 WHERE t.id = ?1 AND b.members_read",
            )
            .unwrap();
        let _: (String, u32, String) = head.query_row([thread], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        let mut posts = self
            .conn
            .prepare_cached(
                "SELECT p.id, p.seq, p.body, p.created_at, p.anonymous, a.pseudonym FROM posts p
                 LEFT JOIN accounts a ON a.id = p.author_id WHERE p.thread_id = ?1 ORDER BY p.id LIMIT 20",
            )
            .unwrap();
        posts
            .query_map([thread], |r| {
                let row: (u64, u32, String, i64, bool, Option<String>) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
                Ok(row.0)
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    /// The first 20 threads of a board, pinned first, then by last activity (ties by id, as trialog orders them), with authors' names.
    pub fn board_page(&self, board: u64) -> Vec<u64> {
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT t.id, t.title, t.last_activity, t.reply_count, t.last_seq, t.excerpt, t.anonymous, a.pseudonym
                 FROM threads t LEFT JOIN accounts a ON a.id = t.author_id
                 WHERE t.board_id = ?1 ORDER BY t.pinned DESC, t.last_activity DESC, t.id LIMIT 20",
            )
            .unwrap();
        s.query_map([board], |r| {
            let row: (u64, String, i64, u32, u32, String, bool, Option<String>) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?);
            Ok(row.0)
        })
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
    }

    /// The 20 best matches (FTS5's bm25) in boards members may read, with thread title, author
    /// and a snippet, as trialog's hits carry them. Returns how many, since the two rank
    /// differently (trialog weighs recency); the match sets are compared by [`Db::all_matches`].
    pub fn search(&self, words: &str) -> Vec<u64> {
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT p.id, t.title, a.pseudonym, p.created_at, snippet(post_fts, 1, '[', ']', '…', 16)
                 FROM post_fts JOIN posts p ON p.id = post_fts.rowid JOIN threads t ON t.id = p.thread_id
                 JOIN boards b ON b.id = t.board_id LEFT JOIN accounts a ON a.id = p.author_id
                 WHERE post_fts MATCH ?1 AND b.members_read ORDER BY rank LIMIT 20",
            )
            .unwrap();
        let n = s
            .query_map([words], |r| {
                let row: (u64, String, Option<String>, i64, String) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
                Ok(row.0)
            })
            .unwrap()
            .count();
        vec![n as u64]
    }

    /// Every post in boards members may read that holds all the words, by id.
    pub fn all_matches(&self, words: &str) -> Vec<u64> {
        let mut s = self
            .conn
            .prepare_cached(
                "SELECT p.id FROM post_fts JOIN posts p ON p.id = post_fts.rowid JOIN threads t ON t.id = p.thread_id
                 JOIN boards b ON b.id = t.board_id WHERE post_fts MATCH ?1 AND b.members_read ORDER BY p.id",
            )
            .unwrap();
        s.query_map([words], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    }

    /// Terms in between `low` and `high` of all posts (shares).
    pub fn medium_words(&self, low: f64, high: f64) -> Vec<String> {
        let posts: f64 = self.conn.query_row("SELECT count(*) FROM posts", [], |r| r.get(0)).unwrap();
        let mut s = self
            .conn
            .prepare("SELECT term FROM post_vocab WHERE doc BETWEEN ?1 AND ?2 AND term GLOB '[a-z]*' ORDER BY term")
            .unwrap();
        s.query_map([posts * low, posts * high], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    }

    /// WAL with `synchronous = FULL` (durable) or `OFF`.
    pub fn set_durable(&self, durable: bool) {
        self.conn
            .execute_batch(if durable { "PRAGMA synchronous = FULL" } else { "PRAGMA synchronous = OFF" })
            .unwrap();
        // The durable figures stand only if the setting took (FULL is 2, OFF 0) and the
        // journal is the WAL, whose every commit is then synced (`fdatasync`, seen by strace).
        let mode: String = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let synchronous: i64 = self.conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), synchronous), ("wal", if durable { 2 } else { 0 }), "SQLite's durability settings");
    }

    /// A reply in its own transaction: the post, its text in the index, the thread's and the
    /// board's counters.
    pub fn reply(&self, thread: u64, author: u64, body: &str) {
        let now = chrono::Utc::now().timestamp_micros();
        self.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        let seq: u32 = self
            .conn
            .prepare_cached("UPDATE threads SET last_seq = last_seq + 1, reply_count = reply_count + 1, last_activity = ?2 WHERE id = ?1 RETURNING last_seq")
            .unwrap()
            .query_row(params![thread, now], |r| r.get(0))
            .unwrap();
        self.conn
            .prepare_cached("INSERT INTO posts (thread_id, seq, author_id, anonymous, body, created_at) VALUES (?1, ?2, ?3, 0, ?4, ?5)")
            .unwrap()
            .execute(params![thread, seq, author, body, now])
            .unwrap();
        let id = self.conn.last_insert_rowid();
        self.conn
            .prepare_cached("INSERT INTO post_fts (rowid, title, body) VALUES (?1, NULL, ?2)")
            .unwrap()
            .execute(params![id, body])
            .unwrap();
        self.conn
            .prepare_cached(
                "UPDATE boards SET posts = posts + 1 WHERE id = (SELECT board_id FROM threads WHERE id = ?1)",
            )
            .unwrap()
            .execute([thread])
            .unwrap();
        self.conn.execute_batch("COMMIT").unwrap();
    }

    /// Folds the WAL into the database file and empties it (synced as the connection's
    /// `synchronous` says).
    pub fn checkpoint(&self) {
        self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    }

    /// Folds the WAL in and rewrites the file compactly.
    pub fn vacuum(&self) {
        self.checkpoint();
        self.conn.execute_batch("VACUUM").unwrap();
        self.checkpoint();
    }
}
