//! Older pages of a board for a replica in one request (`POST /v1/sync/older`): a snapshot
//! holds each board's most recent threads; scrolling further asks for the next pages. Each
//! page is read through the read operations as the account (`board_page`, then `thread_page`
//! of each of its threads), so the same policy as any request decides what is in it.
//!
//! Why one endpoint and not the operations themselves: a page of 20 threads took 21 requests
//! (a board page, then each thread's posts), each counted against the account's burst of
//! requests; one request answers up to [`MAX_OLDER_PAGES`] pages.

use serde::{Deserialize, Serialize};

use super::{POSTS_PER_THREAD, Syncing};
use crate::actor::Actor;
use crate::error::{Error, Result};
use crate::forums::{Forums, ThreadPage};
use crate::ids::{BoardId, ThreadId};
use crate::page::PageRequest;

/// Threads per older page.
pub const OLDER_PAGE_THREADS: u32 = 20;
/// Pages one request may ask for: at most 100 threads with their posts in one answer.
pub const MAX_OLDER_PAGES: u32 = 5;

/// What `POST /v1/sync/older` answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OlderPages {
    /// The threads of the pages asked for, in the board's order, each with its first page of
    /// posts as the account sees them.
    pub threads: Vec<ThreadPage>,
    /// The cursor of the page after them (`None`: the board has no older threads).
    pub next_cursor: Option<String>,
}

impl Syncing<'_> {
    /// Up to `pages` pages of `board`'s threads from `cursor` (`None`: its first page), each
    /// thread with its first page of posts, as `actor` may see them.
    pub fn older(&self, actor: &Actor, board: BoardId, cursor: Option<String>, pages: u32) -> Result<OlderPages> {
        if !(1..=MAX_OLDER_PAGES).contains(&pages) {
            return Err(Error::invalid("pages", format!("must be 1 to {MAX_OLDER_PAGES}")));
        }
        self.account(actor)?;
        let forums = Forums { ctx: self.ctx };
        let mut older = OlderPages { threads: Vec::new(), next_cursor: cursor };
        for _ in 0..pages {
            let request = PageRequest { cursor: older.next_cursor.take(), limit: Some(OLDER_PAGE_THREADS) };
            let page = forums.board_page(actor, board, &request)?;
            older.threads.extend(first_pages(&forums, actor, page.threads.iter().map(|t| t.id))?);
            older.next_cursor = page.next_cursor;
            if older.next_cursor.is_none() {
                break;
            }
        }
        Ok(older)
    }
}

/// Each thread with its first page of posts, as `actor` sees it, read in one transaction; a
/// thread gone or out of sight since its board page was read is left out.
pub(super) fn first_pages(
    forums: &Forums<'_>,
    actor: &Actor,
    threads: impl IntoIterator<Item = ThreadId>,
) -> Result<Vec<ThreadPage>> {
    let mut pages = Vec::new();
    for page in forums.thread_pages(actor, threads, &PageRequest::first(POSTS_PER_THREAD))? {
        match page {
            Ok(page) => pages.push(page),
            Err(Error::NotFound { .. } | Error::PermissionDenied { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(pages)
}
