//! Moderation as the forums see it: the [`ForumModeration`] seam the platform hands to the
//! context, so that the forums screen and log through moderation without importing it.

use super::{actions, items, lists, screen};
use crate::actor::Actor;
use crate::clock::Timestamp;
use crate::context::{Context, ForumModeration};
use crate::error::Result;
use crate::ids::{AccountId, BoardId};
use crate::model::account::Account;
use crate::model::moderation::{ActionKind, Target, Undo};
use crate::screening::{Screening, Submission};
use crate::store::{Ahead, WriteTxn};

/// Moderation's side of the forums' seam.
pub(crate) struct ForumSeam;

impl ForumModeration for ForumSeam {
    fn screen(
        &self,
        ctx: &Context,
        txn: &WriteTxn,
        submission: &Submission<'_>,
        author: &Account,
        moderator: bool,
        now: Timestamp,
    ) -> Result<Screening> {
        screen::screen(ctx, txn, submission, author, moderator, now)
    }

    fn screen_ahead(&self, ahead: Ahead, author: AccountId, board: BoardId) -> Ahead {
        lists::screen_ahead(ahead, author, board)
    }

    fn file(
        &self,
        txn: &WriteTxn,
        screening: &mut Screening,
        target: Target,
        summary: &str,
        board: BoardId,
        now: Timestamp,
    ) -> Result<()> {
        screen::file(txn, screening, target, summary, board, now)
    }

    fn count_approved(&self, txn: &WriteTxn, author: AccountId, board: BoardId) -> Result<()> {
        screen::count_approved(txn, author, board)
    }

    fn keep_snapshot(&self, txn: &WriteTxn, target: Target, text: &str, now: Timestamp) -> Result<()> {
        items::keep_snapshot(txn, target, text, now)
    }

    fn record_action(
        &self,
        txn: &WriteTxn,
        actor: &Actor,
        target: Target,
        action: ActionKind,
        reason: &str,
        expires: Option<Timestamp>,
        affected: Option<AccountId>,
        undo: Undo,
        now: Timestamp,
    ) -> Result<()> {
        actions::record(txn, actor, None, target, action, reason, expires, affected, undo, now).map(|_| ())
    }
}
