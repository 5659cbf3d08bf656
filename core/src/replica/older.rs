//! Older pages of a board on demand: a snapshot holds each board's most recent threads
//! ([`crate::sync::THREADS_PER_BOARD`]); scrolling further asks the server for the next page
//! in one request (`POST /v1/sync/older`, [`crate::sync::Syncing::older`]), which reads it
//! through the read operations themselves (`board_page`, then `thread_page` of each thread, as
//! the account), so what arrives is projected by the same policy as any request; up to
//! [`MAX_OLDER_PAGES`] pages a request, for an app scrolling fast. The next
//! page's cursor is kept per board in the replica file. (Board cursors are positions in the
//! board's order, most recently active first: a thread that becomes active again moves to the
//! front and reaches the replica through the change feed anyway.)

use serde::Serialize;
use serde_json::json;

use super::{Replica, records};
use crate::error::{Error, Result};
use crate::forums::Thread;
use crate::ids::BoardId;
use crate::sync::{MAX_OLDER_PAGES, OlderPages};

/// What `older_threads` loaded.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OlderThreads {
    /// The threads of the next page, now in the replica with their first page of posts.
    pub threads: Vec<Thread>,
    /// Whether the board has still older threads.
    pub more: bool,
    /// Whether the server could not be reached (nothing changed; try again later).
    pub offline: bool,
}

impl Replica {
    /// Loads the next `pages` pages (1 to [`MAX_OLDER_PAGES`], each
    /// [`crate::sync::OLDER_PAGE_THREADS`] threads) of `board`'s older threads from the server
    /// in one request (`POST /v1/sync/older`): an app scrolling fast asks for several at once.
    /// Keeps them (each with its first page of posts) and returns them. Once the board has no
    /// older threads it answers at once with none and `more: false`.
    pub fn older_threads(&self, board: BoardId, pages: u32) -> Result<OlderThreads> {
        if !(1..=MAX_OLDER_PAGES).contains(&pages) {
            return Err(Error::invalid("pages", format!("must be 1 to {MAX_OLDER_PAGES}")));
        }
        let key = records::older_key(board);
        let cursor: Option<Option<String>> = records::meta(&self.store.read()?, &key)?;
        let cursor = match cursor {
            Some(None) => return Ok(OlderThreads::default()),
            Some(Some(cursor)) => Some(cursor),
            // No page loaded yet and no cursor from a snapshot: the board's first page.
            None => None,
        };
        let args = json!({ "board": board, "cursor": cursor, "pages": pages });
        let Some(older) = self.forget_if_erased(self.http.call::<OlderPages>("sync/older", &args))? else {
            return Ok(OlderThreads { offline: true, ..OlderThreads::default() });
        };
        self.store.write(|txn| records::put_older(txn, &key, &older.threads, older.next_cursor.as_deref()))?;
        let threads = older.threads.into_iter().map(|p| p.thread).collect();
        Ok(OlderThreads { threads, more: older.next_cursor.is_some(), offline: false })
    }
}
