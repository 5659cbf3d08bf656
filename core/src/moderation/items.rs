//! Reports and the review queue: one item per target collects its reports and automatic
//! flags; its priority orders the queue (crisis first, then reports weighted by reason and by
//! the reporter's standing); moderators claim items with the version they saw.

use crate::store::WriteTxn;

use super::crisis::CrisisLevel;
use super::model::{
    AutoFlag, ItemDetail, ItemId, ItemState, NewReport, Report, ReportReason, ReviewItem, ReviewPage, Target,
};
use super::{Moderation, records};
use crate::accounts::{self, Account, Role};
use crate::actor::{Actor, Subject};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::forums::sanction;
use crate::ids::{AccountId, BoardId};
use crate::jobs;
use crate::page::{PageRequest, cursor_for_keys};
use crate::policy::{self, Action};
use crate::store::{Reader, next_id};
use crate::validate;

/// What a crisis adds to an item's priority per step of urgency, more than any number of other
/// reports: once for `concern`, twice for `high` or a person's crisis report, three times for
/// `imminent` — so the queue shows imminent items first.
pub const CRISIS_PRIORITY: u64 = 1_000_000;
/// What an automatic flag adds.
const FLAG_WEIGHT: u64 = 10;
/// Rate-limit kind of reports (see `MOD_RATES`).
pub(crate) const RATE_REPORT: u8 = 2;

impl Moderation<'_> {
    /// Reports a thread, post, profile or job posting (signed-in accounts). Something that does
    /// not exist or that the reporter cannot see is `NotFound`; `other` needs a `detail`; a
    /// second report of the same target by the same person is a `Conflict`. A report on a
    /// closed item opens it again.
    pub fn report(&self, actor: &Actor, new: &NewReport) -> Result<Report> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::Report, now)?;
            let detail = validate::optional_line("detail", new.detail.as_deref(), 1000)?;
            if new.reason == ReportReason::Other && detail.is_none() {
                return Err(Error::invalid("detail", "say what is wrong when the reason is 'other'"));
            }
            let (summary, board) = reportable(txn, subject, new.target, now)?;
            let reporter = subject.account();
            if let Some(me) = reporter {
                super::screen::limit(txn, me, RATE_REPORT, now)?;
            }
            let mut item = open_item(txn, new.target, summary, board, now)?;
            let reporter_id = reporter.map(|a| a.id);
            if reporter_id.is_some() && records::reporters_of(txn, item.id)?.contains(&reporter_id) {
                return Err(Error::conflict(format!("you have already reported {}", new.target)));
            }
            let report = Report {
                id: next_id(txn, "mod_reports")?,
                item: item.id,
                reporter: reporter_id,
                reason: new.reason,
                detail,
                at: now,
            };
            records::put_report(txn, &report)?;
            let before = item.clone();
            item.reports += 1;
            item.reporters += 1;
            if !item.reasons.contains(&new.reason) {
                item.reasons.push(new.reason);
            }
            item.crisis |= new.reason == ReportReason::Crisis;
            item.priority += weight(new.reason) * standing(reporter, now);
            reopen(&mut item);
            save(txn, &item, Some(&before), now)?;
            Ok(report)
        })
    }

    /// A page of the review queue in `state` (moderators): highest priority first, then oldest.
    pub fn queue(&self, actor: &Actor, state: ItemState, page: &PageRequest) -> Result<ReviewPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::Moderate, now)?;
            queue_page(txn, state, page)
        })
    }

    /// One item with its reports and the target's moderation history (moderators).
    pub fn item(&self, actor: &Actor, id: ItemId) -> Result<ItemDetail> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::Moderate, now)?;
            let item = load(txn, id)?;
            let reports = reports_of(txn, id)?;
            let history = super::actions::history(txn, item.target, true)?;
            Ok(ItemDetail { item, reports, history })
        })
    }

    /// Claims an item for the acting moderator. `version` is the one they saw: if the item
    /// changed since (another moderator claimed or acted), this is a `Conflict`.
    pub fn claim(&self, actor: &Actor, id: ItemId, version: u64) -> Result<ReviewItem> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::Moderate, now)?;
            let before = load(txn, id)?;
            require_open(&before)?;
            require_version(&before, version)?;
            let me = subject.account().map(|a| a.id);
            if let Some(holder) = before.claimed_by.filter(|h| Some(*h) != me) {
                return Err(Error::conflict(format!("item {id} is claimed by moderator account {holder}")));
            }
            let mut item = before.clone();
            item.claimed_by = me;
            save(txn, &item, Some(&before), now)
        })
    }
}

/// Keeps `text` on the open review item of `target`, if there is one (its author deleted the
/// content while moderators were to look at it).
pub(crate) fn keep_snapshot(txn: &WriteTxn, target: Target, text: &str, now: Timestamp) -> Result<()> {
    let Some(before) = item_of(txn, target)?.filter(|i| i.state == ItemState::Pending) else { return Ok(()) };
    let mut item = before.clone();
    item.snapshot = Some(text.to_string());
    save(txn, &item, Some(&before), now).map(|_| ())
}

/// Opens or raises the item of `target` with an automatic flag (the content checker).
pub(crate) fn flag(
    txn: &WriteTxn,
    target: Target,
    flag: AutoFlag,
    summary: String,
    board: Option<BoardId>,
    now: Timestamp,
) -> Result<ReviewItem> {
    let mut item = open_item(txn, target, summary, board, now)?;
    let before = item.clone();
    item.crisis |= flag.crisis;
    item.level = item.level.max(flag.level);
    for category in &flag.categories {
        if !item.categories.contains(category) {
            item.categories.push(*category);
        }
    }
    item.priority += FLAG_WEIGHT;
    reopen(&mut item);
    item.flags.push(flag);
    save(txn, &item, Some(&before), now)
}

pub(crate) fn load(txn: &impl Reader, id: ItemId) -> Result<ReviewItem> {
    records::item(txn, id)
}

/// The item of a target, if it has one.
pub(crate) fn item_of(txn: &impl Reader, target: Target) -> Result<Option<ReviewItem>> {
    let id = records::item_id_of(txn, &target.key())?;
    id.map(|id| load(txn, id)).transpose()
}

/// Stores an item and moves its line in the queue; every change bumps the version.
pub(crate) fn save(
    txn: &WriteTxn,
    item: &ReviewItem,
    before: Option<&ReviewItem>,
    now: Timestamp,
) -> Result<ReviewItem> {
    let mut item = item.clone();
    item.version = before.map_or(1, |b| b.version + 1);
    item.updated_at = now;
    if item.state != ItemState::Pending {
        // A closed item needs no deleted text: the decision and its reason are in the log.
        item.snapshot = None;
    }
    records::put_item(txn, &item, before, sanction::author_of(txn, item.target)?)?;
    Ok(item)
}

pub(crate) fn require_open(item: &ReviewItem) -> Result<()> {
    if item.state != ItemState::Pending {
        return Err(Error::conflict(format!("item {} is {}; it is closed", item.id, item.state)));
    }
    Ok(())
}

pub(crate) fn require_version(item: &ReviewItem, version: u64) -> Result<()> {
    if item.version != version {
        return Err(Error::conflict(format!(
            "item {} changed since you saw it (version {version}, now {}): another moderator was quicker; look again",
            item.id, item.version
        )));
    }
    Ok(())
}

/// The item of `target`, created empty when it has none yet.
fn open_item(
    txn: &WriteTxn,
    target: Target,
    summary: String,
    board: Option<BoardId>,
    now: Timestamp,
) -> Result<ReviewItem> {
    if let Some(item) = item_of(txn, target)? {
        return Ok(item);
    }
    let id = next_id(txn, "mod_items")?;
    records::put_item_target(txn, &target.key(), id)?;
    Ok(ReviewItem {
        id,
        target,
        state: ItemState::Pending,
        priority: 0,
        crisis: false,
        level: None,
        categories: Vec::new(),
        reports: 0,
        reporters: 0,
        reasons: Vec::new(),
        flags: Vec::new(),
        summary,
        board,
        claimed_by: None,
        version: 0,
        created_at: now,
        updated_at: now,
        last_action: None,
        snapshot: None,
    })
}

/// A closed item reported or flagged again is pending again; a crisis lifts it to the top, by
/// its level ([`CRISIS_PRIORITY`]).
fn reopen(item: &mut ReviewItem) {
    if item.state != ItemState::Pending {
        item.state = ItemState::Pending;
        item.claimed_by = None;
    }
    item.priority = item.priority % CRISIS_PRIORITY + CRISIS_PRIORITY * crisis_steps(item);
}

/// How many steps of [`CRISIS_PRIORITY`] an item gets.
fn crisis_steps(item: &ReviewItem) -> u64 {
    let reported = item.reasons.contains(&ReportReason::Crisis);
    let by_level = match item.level {
        Some(CrisisLevel::Imminent) => 3,
        Some(CrisisLevel::High) => 2,
        Some(CrisisLevel::Concern) => 1,
        None if item.crisis => 2,
        None => 0,
    };
    by_level.max(if reported { 2 } else { 0 })
}

fn queue_page(txn: &impl Reader, state: ItemState, page: &PageRequest) -> Result<ReviewPage> {
    let limit = page.limit()?;
    let after = page.cursor_keys(3)?.map(|k| (k[0], k[1] as i64, k[2]));
    let (items, more) = records::queued_items(txn, state, after, limit)?;
    let next_cursor = more.then(|| items.last()).flatten().map(|last| {
        let (_, p, c, id) = records::queue_key(last);
        cursor_for_keys(&[p, c as u64, id])
    });
    Ok(ReviewPage { items, next_cursor })
}

pub(crate) fn reports_of(txn: &impl Reader, item: ItemId) -> Result<Vec<Report>> {
    records::reports_of(txn, item)
}

/// A target the reporter may see: its summary and board, or `NotFound`.
fn reportable(txn: &WriteTxn, subject: &Subject, target: Target, now: Timestamp) -> Result<(String, Option<BoardId>)> {
    match target {
        Target::Thread { .. } | Target::Post { .. } => {
            let found = sanction::visible(txn, subject, now, matches!(target, Target::Thread { .. }), target.id())?;
            Ok((found.summary, Some(found.board)))
        }
        Target::Account { id } => {
            policy::check(subject, Action::ViewAccount, now)?;
            Ok((accounts::load(txn, id)?.pseudonym, None))
        }
        Target::Job { id } => {
            let job = jobs::load(txn, id, now)?;
            jobs::require_visible(txn, subject, &job, now)?;
            Ok((job.title, None))
        }
    }
}

fn weight(reason: ReportReason) -> u64 {
    match reason {
        ReportReason::Crisis => 50,
        ReportReason::Harassment | ReportReason::PersonalData => 30,
        ReportReason::Spam => 20,
        ReportReason::Misinformation => 15,
        ReportReason::Other => 10,
        ReportReason::OffTopic => 5,
    }
}

/// How much a reporter's word counts: moderators 3, accounts older than 30 days 2, newer 1.
fn standing(reporter: Option<&Account>, now: Timestamp) -> u64 {
    match reporter {
        None => 3,
        Some(a) if a.has_role(&Role::Moderator) || a.has_role(&Role::Admin) => 3,
        Some(a) if (now - a.created_at).num_days() >= 30 => 2,
        Some(_) => 1,
    }
}

/// Removes rate-limit marks older than a day for `account` (kept small on every write).
pub(crate) fn prune_rates(txn: &WriteTxn, account: AccountId, kind: u8, now: Timestamp) -> Result<()> {
    let cutoff = (now - chrono::Duration::days(1)).timestamp_micros();
    records::prune_rates(txn, account, kind, cutoff)
}
