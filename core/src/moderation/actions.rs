//! What moderators do to an item's target, the moderation log, and undoing an action when an
//! appeal overturns it. Every action runs in the same order: check permission and the item's
//! version, change the target, write the log (and the audit log), notify the affected person.

use crate::store::WriteTxn;
use serde::{Deserialize, Serialize};

use super::items::{self, require_open, require_version};
use super::model::{ActionId, ActionKind, ItemId, ItemState, LogEntry, LogPage, ModAction, Target};
use super::{Moderation, records};
use crate::accounts::{self, AccountId, Restriction};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::forums::{ContentState, sanction};
use crate::inbox::{self, Event};
use crate::jobs;
pub(crate) use crate::model::moderation::Undo;
use crate::page::{PageRequest, cursor_for};
use crate::policy::{self, Action};
use crate::store::{Reader, next_id};
use crate::validate;

/// How the affected person appeals, told with every notification.
pub const HOW_TO_APPEAL: &str = "If you think this was wrong, you can appeal once: `trialog appeal ACTION \"why\"` or the app's appeal button. Another moderator decides.";

/// A log entry as stored: the public entry, and what only the platform needs to undo it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LogRecord {
    pub entry: LogEntry,
    /// The account the action affected (the author of content, the account itself): never
    /// shown, so a moderator acting on an anonymous post does not learn who wrote it.
    #[serde(default)]
    pub affected: Option<AccountId>,
    #[serde(default)]
    pub undo: Undo,
}

impl Moderation<'_> {
    /// Acts on an item's target and closes the item (moderators). `version` is the item's
    /// version the moderator saw: a stale one is a `Conflict` (another moderator acted first).
    /// A reason is required for everything but approving, dismissing and ignoring. The
    /// affected person is notified with the reason and how to appeal.
    pub fn act(&self, actor: &Actor, item: ItemId, version: u64, action: &ModAction, reason: &str) -> Result<LogEntry> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::Moderate, now)?;
            let before = items::load(txn, item)?;
            require_open(&before)?;
            require_version(&before, version)?;
            let me = subject.account().map(|a| a.id);
            if let Some(holder) = before.claimed_by.filter(|h| Some(*h) != me) {
                return Err(Error::conflict(format!("item {item} is claimed by moderator account {holder}")));
            }
            let reason = reason_for(action, reason)?;
            let (affected, undo) = apply(txn, subject, before.target, action, now)?;
            let entry = log(
                txn,
                actor,
                Some(item),
                before.target,
                action.kind(),
                &reason,
                action.expires(),
                affected,
                undo,
                now,
            )?;
            let mut closed = before.clone();
            closed.state = match action {
                ModAction::Dismiss => ItemState::Dismissed,
                ModAction::Ignore => ItemState::Ignored,
                _ => ItemState::Actioned,
            };
            closed.last_action = Some(entry.id);
            items::save(txn, &closed, Some(&before), now)?;
            Ok(entry)
        })
    }

    /// The moderation log, newest first, optionally of one target. Everyone may read it; the
    /// moderator's account is shown to moderators and admins only.
    pub fn log(&self, actor: &Actor, target: Option<Target>, page: &PageRequest) -> Result<LogPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ReadModerationLog, now)?;
            let full = policy::allows(subject, Action::Moderate, now);
            let limit = page.limit()?;
            let before = page.cursor_id()?.unwrap_or(u64::MAX);
            let ids: Vec<u64> = match target {
                Some(t) => ids_of(txn, t)?.into_iter().rev().filter(|id| *id < before).collect(),
                None => records::log_ids_before(txn, before, limit + 1)?,
            };
            let mut items = Vec::new();
            for id in ids.iter().take(limit) {
                items.push(shown(load(txn, *id)?.entry, full));
            }
            let next_cursor = (ids.len() > limit).then(|| cursor_for(items.last().map_or(0, |e: &LogEntry| e.id)));
            Ok(LogPage { items, next_cursor })
        })
    }
}

/// A target's log, newest first.
pub(crate) fn history(txn: &impl Reader, target: Target, full: bool) -> Result<Vec<LogEntry>> {
    let mut out = Vec::new();
    for id in ids_of(txn, target)?.into_iter().rev() {
        out.push(shown(load(txn, id)?.entry, full));
    }
    Ok(out)
}

pub(crate) fn load(txn: &impl Reader, id: ActionId) -> Result<LogRecord> {
    records::log_record(txn, id)
}

pub(crate) fn save(txn: &WriteTxn, record: &LogRecord) -> Result<()> {
    records::put_log_record(txn, record)
}

/// Writes a log entry (and its audit entry) and notifies the affected person.
#[allow(clippy::too_many_arguments)]
pub(crate) fn log(
    txn: &WriteTxn,
    actor: &Actor,
    item: Option<ItemId>,
    target: Target,
    action: ActionKind,
    reason: &str,
    expires: Option<Timestamp>,
    affected: Option<AccountId>,
    undo: Undo,
    now: Timestamp,
) -> Result<LogEntry> {
    let entry = record(txn, actor, item, target, action, reason, expires, affected, undo, now)?;
    audit::append(txn, now, actor, &format!("moderation.{action}"), &target.key(), Some(reason))?;
    Ok(entry)
}

/// Like [`log`] without the audit entry: for the forums' own moderation operations, which
/// write their audit entry themselves (`forum.post.hide`, …).
#[allow(clippy::too_many_arguments)]
pub(crate) fn record(
    txn: &WriteTxn,
    actor: &Actor,
    item: Option<ItemId>,
    target: Target,
    action: ActionKind,
    reason: &str,
    expires: Option<Timestamp>,
    affected: Option<AccountId>,
    undo: Undo,
    now: Timestamp,
) -> Result<LogEntry> {
    let id = next_id(txn, "mod_log")?;
    let moderator = match actor {
        Actor::Account { id } => Some(*id),
        _ => None,
    };
    let entry =
        LogEntry { id, item, target, action, reason: reason.to_string(), moderator, at: now, expires, appeal: None };
    save(txn, &LogRecord { entry: entry.clone(), affected, undo })?;
    records::put_log_target(txn, &target.key(), id)?;
    if let Some(account) = affected.filter(|_| notifies(action)) {
        let event = Event::Moderated {
            action: id,
            target: target.key(),
            kind: action.as_str().to_string(),
            reason: reason.to_string(),
            until: expires,
            appeal: HOW_TO_APPEAL.to_string(),
        };
        inbox::deliver(txn, account, event, now)?;
    }
    Ok(entry)
}

/// Changes the target; returns who it affected and how to undo it.
fn apply(
    txn: &WriteTxn,
    subject: &Subject,
    target: Target,
    action: &ModAction,
    now: Timestamp,
) -> Result<(Option<AccountId>, Undo)> {
    if let Some(until) = action.expires().filter(|until| *until <= now) {
        return Err(Error::invalid("until", format!("{until} is in the past; give a time to come")));
    }
    let content = match target {
        Target::Thread { .. } | Target::Post { .. } => Some((
            matches!(target, Target::Thread { .. }),
            target.id(),
            sanction::content(txn, matches!(target, Target::Thread { .. }), target.id())?,
        )),
        _ => None,
    };
    let author = match (&content, target) {
        (Some((_, _, c)), _) => Some(c.author),
        (None, Target::Account { id }) => Some(accounts::load(txn, id)?.id),
        _ => None,
    };
    let unsupported = || Error::invalid("action", format!("'{}' does not apply to a {}", action.kind(), target.kind()));
    let undo = match (action, &content) {
        (ModAction::Dismiss | ModAction::Ignore | ModAction::Warn, _) => Undo::Nothing,
        (ModAction::Approve, Some((thread, id, c))) => {
            if c.state != ContentState::Pending {
                return Err(Error::conflict(format!("{target} is {}; only pending content is approved", c.state)));
            }
            sanction::set_state(&super::ForumSeam, txn, *thread, *id, ContentState::Visible, now)?;
            Undo::Nothing
        }
        (ModAction::Hide | ModAction::Remove | ModAction::Restore, Some((thread, id, c))) => {
            let state = match action {
                ModAction::Hide => ContentState::Hidden,
                ModAction::Remove => ContentState::Removed,
                _ => ContentState::Visible,
            };
            if matches!(action, ModAction::Restore) && c.state == ContentState::Removed {
                // Removal is final except through an appeal.
                return Err(Error::conflict(format!("{target} is removed; only an appeal brings it back")));
            }
            let before = sanction::set_state(&super::ForumSeam, txn, *thread, *id, state, now)?;
            if matches!(action, ModAction::Restore) {
                Undo::Nothing
            } else {
                Undo::ContentState { thread: *thread, id: *id, state: before }
            }
        }
        (ModAction::Hide | ModAction::Remove, None) if matches!(target, Target::Job { .. }) => {
            if let Target::Job { id } = target {
                jobs::withdraw_in(txn, id, now)?;
            }
            Undo::Nothing
        }
        (ModAction::EditOut { passage, note }, Some((_, _, c))) => {
            let note = validate::required_line("note", note, 200)?;
            let revision = sanction::edit_out(txn, c.post, passage, &note, now)?;
            Undo::Revision { post: c.post, revision }
        }
        (ModAction::Lock | ModAction::Unlock, Some((_, _, c))) => {
            let locked = matches!(action, ModAction::Lock);
            sanction::set_locked(txn, c.thread, locked, now)?;
            if locked { Undo::Unlock { thread: c.thread } } else { Undo::Nothing }
        }
        (ModAction::Silence { .. } | ModAction::Suspend { .. } | ModAction::Ban, _) => {
            let account = author.ok_or_else(unsupported)?;
            let restriction = match action {
                ModAction::Silence { until } => Restriction::Silence { until: *until },
                ModAction::Suspend { until } => Restriction::Suspend { until: *until },
                _ => Restriction::Ban,
            };
            let anonymous = content.as_ref().is_some_and(|(_, _, c)| c.anonymous);
            accounts::restrict_author_in(txn, subject, account, anonymous, &target.key(), restriction, now)?;
            Undo::Reinstate { account }
        }
        _ => return Err(unsupported()),
    };
    Ok((author, undo))
}

/// Puts back what an overturned action on `on` changed.
pub(crate) fn undo(txn: &WriteTxn, undo: &Undo, on: Target, now: Timestamp) -> Result<()> {
    match undo {
        Undo::Nothing => Ok(()),
        Undo::ContentState { thread, id, state } => {
            sanction::set_state(&super::ForumSeam, txn, *thread, *id, *state, now).map(|_| ())
        }
        Undo::Revision { post, revision } => sanction::restore_revision(txn, *post, *revision, now),
        Undo::Unlock { thread } => sanction::set_locked(txn, *thread, false, now),
        Undo::Reinstate { account } => {
            let target = accounts::load(txn, *account)?;
            // Lifted as quietly as it was imposed: through anonymous content the account's
            // `updated_at` must not move, or the listing would show whose restriction ended.
            let through = anonymous_or_gone(txn, on)?.then(|| on.key());
            accounts::restrict_in(txn, &target, Restriction::Reinstate, through, now).map(|_| ())
        }
    }
}

/// Whether `on` is anonymous content, counting content that is gone (erased) as anonymous:
/// when in doubt the author stays hidden.
fn anonymous_or_gone(txn: &impl Reader, on: Target) -> Result<bool> {
    match sanction::is_anonymous(txn, on) {
        Err(Error::NotFound { .. }) => Ok(true),
        found => found,
    }
}

fn reason_for(action: &ModAction, reason: &str) -> Result<String> {
    match action {
        ModAction::Approve | ModAction::Dismiss | ModAction::Ignore => {
            Ok(validate::optional_line("reason", Some(reason), 500)?.unwrap_or_default())
        }
        _ => validate::required_line("reason", reason, 500),
    }
}

/// Whether the affected person hears of the action (approving or dismissing needs no appeal).
fn notifies(action: ActionKind) -> bool {
    !matches!(
        action,
        ActionKind::Approve | ActionKind::Dismiss | ActionKind::Ignore | ActionKind::Restore | ActionKind::Unlock
    )
}

fn ids_of(txn: &impl Reader, target: Target) -> Result<Vec<u64>> {
    records::log_ids_of(txn, &target.key())
}

fn shown(mut entry: LogEntry, full: bool) -> LogEntry {
    if !full {
        entry.moderator = None;
    }
    entry
}
