//! The floor under trialog's store, for `versus_sqlite`: the same forum data in a bare redb file
//! laid out for exactly these pages, with nothing trialog adds — no policy, no sealing, no
//! record versions, no change feed, no text index, no notifications. Each page does only the
//! B-tree reads it needs and decodes fixed-layout bytes, so "trialog ÷ bare redb" is what the
//! platform's own work costs over the storage engine it runs on.
//!
//! Filled from the SQLite copy (itself read back through trialog's public API), so the three
//! sides hold the same rows.

use std::path::Path;

use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};
use rusqlite::Connection;

/// Pseudonym key → account id and pseudonym.
const ACCOUNTS: TableDefinition<&str, &[u8]> = TableDefinition::new("accounts");
/// Account id → pseudonym (authors' names on pages).
const NAMES: TableDefinition<u64, &str> = TableDefinition::new("names");
/// Board id → members may read (1) or not (0), and its post count.
const BOARDS: TableDefinition<u64, (u8, u64)> = TableDefinition::new("boards");
/// Thread id → board, last post number, reply count, pinned, last activity, author, title, excerpt.
const THREADS: TableDefinition<u64, &[u8]> = TableDefinition::new("threads");
/// (thread, post id) → number, author, created, body.
const POSTS: TableDefinition<(u64, u64), &[u8]> = TableDefinition::new("posts");
/// (board, 0 for pinned else 1, `i64::MAX` − last activity, thread) → nothing: a board's page order.
const BOARD_ORDER: TableDefinition<(u64, u8, i64, u64), ()> = TableDefinition::new("board_order");

pub struct Bare {
    db: Database,
    /// The next reply's post id.
    next_post: std::cell::Cell<u64>,
}

/// A thread's row, fixed fields first.
struct ThreadRow {
    board: u64,
    last_seq: u32,
    replies: u32,
    pinned: bool,
    last_activity: i64,
    author: u64,
    title: String,
    excerpt: String,
}

impl ThreadRow {
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(40 + self.title.len() + self.excerpt.len());
        out.extend_from_slice(&self.board.to_le_bytes());
        out.extend_from_slice(&self.last_seq.to_le_bytes());
        out.extend_from_slice(&self.replies.to_le_bytes());
        out.push(u8::from(self.pinned));
        out.extend_from_slice(&self.last_activity.to_le_bytes());
        out.extend_from_slice(&self.author.to_le_bytes());
        out.extend_from_slice(&(self.title.len() as u32).to_le_bytes());
        out.extend_from_slice(self.title.as_bytes());
        out.extend_from_slice(self.excerpt.as_bytes());
        out
    }

    fn decode(b: &[u8]) -> ThreadRow {
        let u64_at = |i: usize| u64::from_le_bytes(b[i..i + 8].try_into().unwrap());
        let u32_at = |i: usize| u32::from_le_bytes(b[i..i + 4].try_into().unwrap());
        let title_len = u32_at(33) as usize;
        ThreadRow {
            board: u64_at(0),
            last_seq: u32_at(8),
            replies: u32_at(12),
            pinned: b[16] == 1,
            last_activity: u64_at(17) as i64,
            author: u64_at(25),
            title: String::from_utf8(b[37..37 + title_len].to_vec()).unwrap(),
            excerpt: String::from_utf8(b[37 + title_len..].to_vec()).unwrap(),
        }
    }
}

fn post_bytes(seq: u32, author: u64, created: i64, body: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(20 + body.len());
    out.extend_from_slice(&seq.to_le_bytes());
    out.extend_from_slice(&author.to_le_bytes());
    out.extend_from_slice(&created.to_le_bytes());
    out.extend_from_slice(body.as_bytes());
    out
}

fn order_key(board: u64, pinned: bool, last_activity: i64, thread: u64) -> (u64, u8, i64, u64) {
    (board, u8::from(!pinned), i64::MAX - last_activity, thread)
}

/// Builds the bare file at `path` (any earlier one removed) from the SQLite copy.
pub fn build(sqlite: &Connection, path: &Path) -> Bare {
    let _ = std::fs::remove_file(path);
    let db = Database::builder().set_cache_size(1 << 30).create(path).expect("create the bare redb file");
    let txn = db.begin_write().unwrap();
    {
        let (mut accounts, mut names) = (txn.open_table(ACCOUNTS).unwrap(), txn.open_table(NAMES).unwrap());
        let mut s = sqlite.prepare("SELECT id, pseudonym, pseudonym_key FROM accounts").unwrap();
        for row in
            s.query_map([], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))).unwrap()
        {
            let (id, pseudonym, key) = row.unwrap();
            let mut value = id.to_le_bytes().to_vec();
            value.extend_from_slice(pseudonym.as_bytes());
            accounts.insert(key.as_str(), value.as_slice()).unwrap();
            names.insert(id, pseudonym.as_str()).unwrap();
        }
        let mut boards = txn.open_table(BOARDS).unwrap();
        let mut s = sqlite.prepare("SELECT id, members_read, posts FROM boards").unwrap();
        for row in s.query_map([], |r| Ok((r.get::<_, u64>(0)?, r.get::<_, u8>(1)?, r.get::<_, u64>(2)?))).unwrap() {
            let (id, read, posts) = row.unwrap();
            boards.insert(id, (read, posts)).unwrap();
        }
        let (mut threads, mut order) = (txn.open_table(THREADS).unwrap(), txn.open_table(BOARD_ORDER).unwrap());
        let mut s = sqlite
            .prepare(
                "SELECT id, board_id, last_seq, reply_count, pinned, last_activity, author_id, title, excerpt FROM threads",
            )
            .unwrap();
        let rows = s
            .query_map([], |r| {
                Ok((
                    r.get::<_, u64>(0)?,
                    ThreadRow {
                        board: r.get(1)?,
                        last_seq: r.get(2)?,
                        replies: r.get(3)?,
                        pinned: r.get(4)?,
                        last_activity: r.get(5)?,
                        author: r.get::<_, Option<u64>>(6)?.unwrap_or(0),
                        title: r.get(7)?,
                        excerpt: r.get(8)?,
                    },
                ))
            })
            .unwrap();
        for row in rows {
            let (id, t) = row.unwrap();
            threads.insert(id, t.encode().as_slice()).unwrap();
            order.insert(order_key(t.board, t.pinned, t.last_activity, id), ()).unwrap();
        }
        let mut posts = txn.open_table(POSTS).unwrap();
        let mut s = sqlite.prepare("SELECT thread_id, id, seq, author_id, created_at, body FROM posts").unwrap();
        let rows = s
            .query_map([], |r| {
                Ok((
                    r.get::<_, u64>(0)?,
                    r.get::<_, u64>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, Option<u64>>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .unwrap();
        for row in rows {
            let (thread, id, seq, author, created, body) = row.unwrap();
            posts.insert((thread, id), post_bytes(seq, author.unwrap_or(0), created, &body).as_slice()).unwrap();
        }
    }
    txn.commit().unwrap();
    let last: u64 = sqlite.query_row("SELECT max(id) FROM posts", [], |r| r.get(0)).unwrap();
    Bare { db, next_post: std::cell::Cell::new(last + 1) }
}

impl Bare {
    /// An account by its pseudonym's key: one read.
    pub fn account(&self, key: &str) -> Vec<u64> {
        let txn = self.db.begin_read().unwrap();
        let value = txn.open_table(ACCOUNTS).unwrap().get(key).unwrap().unwrap();
        let bytes = value.value();
        let id = u64::from_le_bytes(bytes[..8].try_into().unwrap());
        let _name = std::str::from_utf8(&bytes[8..]).unwrap();
        vec![id]
    }

    /// The thread, its board's audience, its first 20 posts and their authors' names.
    pub fn thread_page(&self, thread: u64) -> Vec<u64> {
        let txn = self.db.begin_read().unwrap();
        let row = ThreadRow::decode(txn.open_table(THREADS).unwrap().get(thread).unwrap().unwrap().value());
        let (read, _) = txn.open_table(BOARDS).unwrap().get(row.board).unwrap().unwrap().value();
        assert_eq!(read, 1, "a board members may read");
        let names = txn.open_table(NAMES).unwrap();
        let posts = txn.open_table(POSTS).unwrap();
        let mut out = Vec::with_capacity(20);
        for entry in posts.range((thread, 0)..(thread + 1, 0)).unwrap().take(20) {
            let (key, value) = entry.unwrap();
            let bytes = value.value();
            let author = u64::from_le_bytes(bytes[4..12].try_into().unwrap());
            let _body = std::str::from_utf8(&bytes[20..]).unwrap().to_string();
            let _name = names.get(author).unwrap().map(|n| n.value().to_string());
            out.push(key.value().1);
        }
        out
    }

    /// A board's first 20 threads in page order, with their rows and authors' names.
    pub fn board_page(&self, board: u64) -> Vec<u64> {
        let txn = self.db.begin_read().unwrap();
        let (order, threads, names) =
            (txn.open_table(BOARD_ORDER).unwrap(), txn.open_table(THREADS).unwrap(), txn.open_table(NAMES).unwrap());
        let mut out = Vec::with_capacity(20);
        for entry in order.range((board, 0, i64::MIN, 0)..(board + 1, 0, i64::MIN, 0)).unwrap().take(20) {
            let thread = entry.unwrap().0.value().3;
            let row = ThreadRow::decode(threads.get(thread).unwrap().unwrap().value());
            let _name = names.get(row.author).unwrap().map(|n| n.value().to_string());
            out.push(thread);
        }
        out
    }

    /// A reply in its own transaction: the post, the thread's row and place in its board's
    /// order, the board's count. Durable commits wait for the disk.
    pub fn reply(&self, thread: u64, author: u64, body: &str, durable: bool) {
        let post = self.next_post.replace(self.next_post.get() + 1);
        let now = chrono::Utc::now().timestamp_micros();
        let mut txn = self.db.begin_write().unwrap();
        txn.set_durability(if durable { Durability::Immediate } else { Durability::None }).unwrap();
        {
            let mut threads = txn.open_table(THREADS).unwrap();
            let mut row = ThreadRow::decode(threads.get(thread).unwrap().unwrap().value());
            let mut order = txn.open_table(BOARD_ORDER).unwrap();
            order.remove(order_key(row.board, row.pinned, row.last_activity, thread)).unwrap();
            row.last_seq += 1;
            row.replies += 1;
            row.last_activity = now;
            order.insert(order_key(row.board, row.pinned, row.last_activity, thread), ()).unwrap();
            threads.insert(thread, row.encode().as_slice()).unwrap();
            txn.open_table(POSTS)
                .unwrap()
                .insert((thread, post), post_bytes(row.last_seq, author, now, body).as_slice())
                .unwrap();
            let mut boards = txn.open_table(BOARDS).unwrap();
            let (read, posts) = boards.get(row.board).unwrap().unwrap().value();
            boards.insert(row.board, (read, posts + 1)).unwrap();
        }
        txn.commit().unwrap();
    }

    /// Compacts the file (after a durable commit, as redb requires) and returns its size.
    pub fn compacted_size(mut self, path: &Path) -> u64 {
        let mut txn = self.db.begin_write().unwrap();
        txn.set_durability(Durability::Immediate).unwrap();
        txn.commit().unwrap();
        while self.db.compact().unwrap() {}
        drop(self);
        std::fs::metadata(path).unwrap().len()
    }
}

/// Every table of the redb file at `path` with the bytes its B-tree takes (stored, metadata and
/// fragmentation), largest first, and the file's size: what a file is made of.
pub fn table_sizes(path: &Path) -> (Vec<(String, u64)>, u64) {
    use redb::{ReadableTableMetadata, TableHandle};
    let db = Database::builder().open(path).expect("open the file with redb");
    let txn = db.begin_read().unwrap();
    let mut tables: Vec<(String, u64)> = txn
        .list_tables()
        .unwrap()
        .map(|handle| {
            let name = handle.name().to_string();
            let stats = txn.open_untyped_table(handle).unwrap().stats().unwrap();
            (name, stats.stored_bytes() + stats.metadata_bytes() + stats.fragmented_bytes())
        })
        .collect();
    tables.sort_by_key(|t| std::cmp::Reverse(t.1));
    drop(txn);
    drop(db);
    (tables, std::fs::metadata(path).unwrap().len())
}
