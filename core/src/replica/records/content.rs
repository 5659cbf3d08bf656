//! The replica's threads and posts, written through tables opened once per batch: a snapshot
//! of 2,000 threads holds some 40,000 posts, and opening the two post tables again for each
//! of them cost a fifth of the device's write (issue 25's profile). A snapshot's posts are
//! inserted in key order, which keeps the B-tree's inserts at its right edge.

use crate::error::Result;
use crate::forums::{Post, Thread, ThreadPage};
use crate::ids::{BoardId, PostId, ThreadId};
use crate::store::{ReadTable, TableMut, WriteTxn, decode, encode};

use super::{BOARD_THREADS, POST_THREADS, POSTS, THREADS};

/// The four tables of threads and posts, open for one write transaction.
pub(super) struct Content<'t> {
    threads: TableMut<'t, u64, &'static [u8]>,
    board_threads: TableMut<'t, (u64, u64), ()>,
    posts: TableMut<'t, (u64, u64), &'static [u8]>,
    post_threads: TableMut<'t, u64, u64>,
}

impl<'t> Content<'t> {
    pub(super) fn open(txn: &'t WriteTxn) -> Result<Content<'t>> {
        Ok(Content {
            threads: txn.open_table(THREADS)?,
            board_threads: txn.open_table(BOARD_THREADS)?,
            posts: txn.open_table(POSTS)?,
            post_threads: txn.open_table(POST_THREADS)?,
        })
    }

    /// Drops every thread and post (a snapshot replaces them).
    pub(super) fn clear(&mut self) -> Result<()> {
        self.threads.retain(|_, _| false)?;
        self.board_threads.retain(|_, _| false)?;
        self.posts.retain(|_, _| false)?;
        self.post_threads.retain(|_, _| false)
    }

    /// Stores or replaces `pages`' threads, then their posts and `posts` in key order (a post
    /// given twice keeps its last version, `posts` after the pages').
    pub(super) fn put(&mut self, pages: &[ThreadPage], posts: &[Post]) -> Result<()> {
        for page in pages {
            self.put_thread(&page.thread)?;
        }
        let mut all: Vec<&Post> = pages.iter().flat_map(|p| &p.posts).chain(posts).collect();
        // Stable: of two versions of one post the later stays last, and is written last.
        all.sort_by_key(|p| (p.thread.0, p.id.0));
        for post in &all {
            self.posts.put((post.thread.0, post.id.0), encode(post)?.as_slice())?;
        }
        all.sort_by_key(|p| p.id.0);
        for post in &all {
            self.post_threads.put(post.id.0, post.thread.0)?;
        }
        Ok(())
    }

    fn put_thread(&mut self, thread: &Thread) -> Result<()> {
        if let Some(old) = self.thread(thread.id)? {
            self.board_threads.delete((old.board.0, old.id.0))?;
        }
        self.threads.put(thread.id.0, encode(thread)?.as_slice())?;
        self.board_threads.put((thread.board.0, thread.id.0), ())
    }

    fn thread(&self, id: ThreadId) -> Result<Option<Thread>> {
        let Some(bytes) = self.threads.get(id.0)? else { return Ok(None) };
        decode(bytes.value(), || format!("replica thread {id}")).map(Some)
    }

    /// Drops a board's threads with their posts.
    pub(super) fn remove_board(&mut self, board: BoardId) -> Result<()> {
        let mut threads = Vec::new();
        for row in self.board_threads.range((board.0, 0)..=(board.0, u64::MAX))? {
            threads.push(ThreadId(row?.0.value().1));
        }
        for thread in threads {
            self.remove_thread(thread)?;
        }
        Ok(())
    }

    /// Drops a thread with its posts.
    pub(super) fn remove_thread(&mut self, thread: ThreadId) -> Result<()> {
        if let Some(old) = self.thread(thread)? {
            self.board_threads.delete((old.board.0, thread.0))?;
        }
        self.threads.delete(thread.0)?;
        let mut posts = Vec::new();
        for row in self.posts.range((thread.0, 0)..=(thread.0, u64::MAX))? {
            posts.push(row?.0.value().1);
        }
        for post in posts {
            self.post_threads.delete(post)?;
            self.posts.delete((thread.0, post))?;
        }
        Ok(())
    }

    pub(super) fn remove_post(&mut self, post: PostId) -> Result<()> {
        let thread = self.post_threads.remove(post.0)?.map(|t| t.value());
        if let Some(thread) = thread {
            self.posts.delete((thread, post.0))?;
        }
        Ok(())
    }

    /// The threads and posts written by the file's person (`yours`).
    pub(super) fn yours(&self) -> Result<(Vec<ThreadId>, Vec<PostId>)> {
        let mut threads = Vec::new();
        for row in self.threads.iter()? {
            let (id, bytes) = row?;
            let thread: Thread = decode(bytes.value(), || format!("replica thread {}", id.value()))?;
            if thread.author.yours {
                threads.push(thread.id);
            }
        }
        let mut posts = Vec::new();
        for row in self.posts.iter()? {
            let (key, bytes) = row?;
            let post: Post = decode(bytes.value(), || format!("replica post {}", key.value().1))?;
            if post.author.yours {
                posts.push(post.id);
            }
        }
        Ok((threads, posts))
    }
}
