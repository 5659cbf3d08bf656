//! Appeals: the person an action affected may appeal it once; another moderator decides;
//! overturning undoes the action. Both the appeal's outcome and any undoing are logged, and
//! the appellant is notified.

use super::actions::{self, Undo};
use super::model::{ActionId, ActionKind, Appeal, AppealId, AppealOutcome, AppealPage};
use super::{Moderation, records};
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::forums::sanction;
use crate::inbox::{self, Event};
use crate::page::{PageRequest, cursor_for};
use crate::policy::{self, Action};
use crate::store::{Reader, next_id};
use crate::validate;

impl Moderation<'_> {
    /// Appeals an action that affected the acting account, once, with a statement.
    pub fn appeal(&self, actor: &Actor, action: ActionId, statement: &str) -> Result<Appeal> {
        self.ctx.write(actor, |txn, subject, now| {
            let record = actions::load(txn, action)?;
            let affected = record.affected.filter(|_| appealable(record.entry.action));
            let me = subject.account().map(|a| a.id);
            let Some(affected) = affected else {
                return Err(Error::denied("appeal this action", "it restricted nobody, so there is nothing to appeal"));
            };
            policy::check(subject, Action::Appeal { affected }, now)?;
            if records::is_appealed(txn, action)? {
                return Err(Error::conflict(format!(
                    "action {action} has already been appealed; an action is appealed once"
                )));
            }
            let statement = validate::required_text("statement", statement, 2000)?;
            let appeal = Appeal {
                id: next_id(txn, "mod_appeals")?,
                action,
                target: record.entry.target,
                action_kind: record.entry.action,
                appellant: Some(me.unwrap_or(affected)),
                statement,
                at: now,
                outcome: None,
                decided_by: None,
                decided_at: None,
                decision_reason: None,
            };
            save(txn, &appeal)?;
            records::file_appeal(txn, action, appeal.id)?;
            let mut record = record;
            record.entry.appeal = Some(appeal.id);
            actions::save(txn, &record)?;
            audit::append(txn, now, actor, "moderation.appeal", &format!("action:{action}"), None)?;
            Ok(appeal)
        })
    }

    /// Appeals, oldest first: open ones, or decided ones (moderators).
    pub fn appeals(&self, actor: &Actor, decided: bool, page: &PageRequest) -> Result<AppealPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::Moderate, now)?;
            let limit = page.limit()?;
            let start = page.first_id()?;
            let mut items = Vec::new();
            let mut next_cursor = None;
            for id in records::queued_appeals(txn, decided, start, limit.saturating_add(1))? {
                if items.len() == limit {
                    next_cursor = items.last().map(|a: &Appeal| cursor_for(a.id));
                    break;
                }
                items.push(shown_to(txn, subject, load(txn, id)?, now)?);
            }
            Ok(AppealPage { items, next_cursor })
        })
    }

    /// Decides an open appeal (moderators other than the one who acted, and admins).
    /// Overturning undoes the action; both are logged and the appellant is notified.
    pub fn decide_appeal(
        &self,
        actor: &Actor,
        appeal: AppealId,
        outcome: AppealOutcome,
        reason: &str,
    ) -> Result<Appeal> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut found = load(txn, appeal)?;
            let record = actions::load(txn, found.action)?;
            policy::check(subject, Action::DecideAppeal { acted_by: record.entry.moderator }, now)?;
            if found.outcome.is_some() {
                return Err(Error::conflict(format!("appeal {appeal} has already been decided")));
            }
            let reason = validate::required_line("reason", reason, 500)?;
            if outcome == AppealOutcome::Overturned {
                actions::undo(txn, &record.undo, record.entry.target, now)?;
                actions::log(
                    txn,
                    actor,
                    record.entry.item,
                    record.entry.target,
                    ActionKind::Overturn,
                    &reason,
                    None,
                    None,
                    Undo::Nothing,
                    now,
                )?;
            }
            found.outcome = Some(outcome);
            found.decided_by = subject.account().map(|a| a.id);
            found.decided_at = Some(now);
            found.decision_reason = Some(reason.clone());
            save(txn, &found)?;
            records::close_appeal(txn, appeal)?;
            audit::append(
                txn,
                now,
                actor,
                &format!("moderation.appeal.{outcome}"),
                &format!("appeal:{appeal}"),
                Some(&reason),
            )?;
            let event =
                Event::AppealDecided { appeal, action: found.action, outcome: outcome.as_str().to_string(), reason };
            if let Some(appellant) = found.appellant {
                inbox::deliver(txn, appellant, event, now)?;
            }
            shown_to(txn, subject, found, now)
        })
    }
}

fn appealable(action: ActionKind) -> bool {
    !matches!(
        action,
        ActionKind::Approve
            | ActionKind::Dismiss
            | ActionKind::Ignore
            | ActionKind::Restore
            | ActionKind::Unlock
            | ActionKind::Overturn
    )
}

/// The appeal as `subject` may see it: who appealed an action on anonymous content is left
/// out for everyone but the appellant and admins, so an appeal does not name the author.
fn shown_to(txn: &impl Reader, subject: &Subject, mut appeal: Appeal, now: Timestamp) -> Result<Appeal> {
    let Some(appellant) = appeal.appellant else { return Ok(appeal) };
    if !policy::allows(subject, Action::ViewPrivateDetails { account: appellant }, now)
        && sanction::is_anonymous(txn, appeal.target)?
    {
        appeal.appellant = None;
    }
    Ok(appeal)
}

fn load(txn: &impl Reader, id: AppealId) -> Result<Appeal> {
    records::appeal(txn, id)
}

fn save(txn: &crate::store::WriteTxn, appeal: &Appeal) -> Result<()> {
    records::put_appeal(txn, appeal)
}
