//! What a forum write leaves for the end of its transaction: new postings for the text index,
//! changes to the boards' counts and notifications. Collected while the operation (or a whole
//! batch of replies) runs and written once, in key order, before the commit: a batch of a
//! thousand replies then visits each index block, board count and inbox page once.

use std::collections::BTreeMap;

use crate::store::WriteTxn;

use super::model::BoardId;
use super::{index, records};
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::inbox::{self, Event};

#[derive(Default)]
pub(crate) struct Effects {
    pub index: index::Pending,
    notifications: Vec<(AccountId, Event)>,
    counts: BTreeMap<BoardId, (i64, i64)>,
}

impl Effects {
    /// Changes a board's visible threads and posts by these amounts.
    pub fn count(&mut self, board: BoardId, threads: i64, posts: i64) {
        let entry = self.counts.entry(board).or_default();
        entry.0 += threads;
        entry.1 += posts;
    }

    pub fn notify(&mut self, account: AccountId, event: Event) {
        self.notifications.push((account, event));
    }

    /// Writes everything collected; call once, just before the commit.
    pub fn finish(mut self, txn: &WriteTxn, now: Timestamp) -> Result<()> {
        self.index.write(txn)?;
        records::add_board_counts(txn, self.counts)?;
        // Inbox keys start with the account: delivering in account order keeps neighbours together.
        self.notifications.sort_by_key(|(account, _)| *account);
        inbox::deliver_all(txn, self.notifications, now)
    }
}
