//! How moderation is stored, and the only place that opens its tables: review items with
//! their queue and target index, reports, the log with its per-target index, appeals with
//! their queue, the watched words and crisis resources, and the rate-limit and trust rows.

pub(crate) mod counters;
mod integrity;
pub(crate) mod personal;

pub(crate) use integrity::check_integrity;

use std::ops::Bound;

use serde::{Deserialize, Serialize};

use super::actions::LogRecord;
use super::model::{ActionId, Appeal, AppealId, ItemId, ItemState, ModerationSettings, Report, ReviewItem};
use super::resources::CrisisResource;
use crate::accounts::AccountId;
use crate::error::{Error, Result};
use crate::ids::BoardId;
use crate::ids::NOBODY;
use crate::moderation::tables::{
    MOD_APPEAL_BY_ACTION, MOD_APPEAL_QUEUE, MOD_APPEALS, MOD_ITEM_TARGETS, MOD_ITEMS, MOD_LOG, MOD_LOG_BY_TARGET,
    MOD_QUEUE, MOD_RATES, MOD_REPORTS, MOD_RESOURCES, MOD_TRUST, MOD_WORDS,
};
use crate::settings::SETTINGS;
use crate::store::{
    KeyCache, ReadTable, Reader, Sealed, TableRef, WriteTxn, decode, encode, seal, seal_bytes, sealing_many,
};

// --- Review items, their queue and reports ---

/// A review item as stored since schema version 32 when it is about forum content: the item
/// without its summary and snapshot, the author of the content, and both sealed under the
/// author's key (crypto-shredding, `docs/erasure.md`) — what moderators saw of a thread title,
/// a post's excerpt, or the body its author deleted while the item was open, is a copy of the
/// author's words. Moderators read it while the author is kept; once the author is erased it
/// reads [`ITEM_TEXT_ERASED`], in this file and in every copy.
#[derive(Serialize, Deserialize)]
struct StoredItem {
    item: ReviewItem,
    author: AccountId,
    texts: Sealed,
}

/// An item record in either shape: [`StoredItem`] or the item as it is (before version 32,
/// about an account or a job posting, content of "former member", or a store without a key
/// store); an item starts with its id, a stored record with the item.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AnyItem {
    Stored(StoredItem),
    Plain(ReviewItem),
}

/// What an item's summary reads once the author of its content was erased (their key
/// destroyed, or their content deleted with them); the snapshot then reads as none.
pub(crate) const ITEM_TEXT_ERASED: &str = "(erased)";

/// Where an item's summary and snapshot are sealed (its associated data).
fn item_place(id: ItemId) -> Vec<u8> {
    [b"review-item\0".as_slice(), &id.to_be_bytes()].concat()
}

impl AnyItem {
    /// The item, its texts opened, and the account they are sealed under ([`NOBODY`] for a
    /// plain item, and for one whose author's key is gone: it reads [`ITEM_TEXT_ERASED`]).
    fn open<R: Reader>(self, keys: &mut KeyCache<'_, R>) -> Result<(ReviewItem, AccountId)> {
        let StoredItem { mut item, author, texts } = match self {
            AnyItem::Plain(item) => return Ok((item, NOBODY)),
            AnyItem::Stored(stored) => stored,
        };
        let id = item.id;
        let what = || format!("the summary of review item {id}");
        let opened = match &texts {
            Sealed::Plain(summary) => Some((summary.clone(), None)),
            Sealed::Sealed(sealed) => match keys.open_kept(author, &item_place(id), sealed, what)? {
                Some(plain) => Some(decode::<(String, Option<String>)>(&plain, what)?),
                None => None,
            },
        };
        match opened {
            Some((summary, snapshot)) => {
                (item.summary, item.snapshot) = (summary, snapshot);
                Ok((item, author))
            }
            None => {
                (item.summary, item.snapshot) = (ITEM_TEXT_ERASED.to_string(), None);
                Ok((item, NOBODY))
            }
        }
    }

    /// The item with its texts left sealed (empty), for what reads only its place.
    fn unopened(self) -> ReviewItem {
        match self {
            AnyItem::Plain(item) | AnyItem::Stored(StoredItem { item, .. }) => item,
        }
    }
}

fn decode_item(id: ItemId, bytes: &[u8]) -> Result<AnyItem> {
    decode(bytes, || format!("review item {id}"))
}

pub(crate) fn item(txn: &impl Reader, id: ItemId) -> Result<ReviewItem> {
    Ok(item_with_author(txn, id)?.0)
}

/// An item and the account its texts are sealed under ([`AnyItem::open`]).
pub(crate) fn item_with_author(txn: &impl Reader, id: ItemId) -> Result<(ReviewItem, AccountId)> {
    let table = txn.table(MOD_ITEMS)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("review item", id))?;
    decode_item(id, row.value())?.open(&mut KeyCache::new(txn))
}

/// Every item, its texts opened, with the account they are sealed under (an erasure).
pub(crate) fn every_item(txn: &impl Reader) -> Result<Vec<(ReviewItem, AccountId)>> {
    let mut keys = KeyCache::new(txn);
    let mut found = Vec::new();
    for row in txn.table(MOD_ITEMS)?.iter()? {
        let (id, bytes) = row?;
        found.push(decode_item(id.value(), bytes.value())?.open(&mut keys)?);
    }
    Ok(found)
}

/// An item as the integrity check reads it: its place, its texts left sealed.
pub(crate) fn item_unopened(id: ItemId, bytes: &[u8]) -> Result<ReviewItem> {
    Ok(decode_item(id, bytes)?.unopened())
}

/// The id of the item of a target (by its key, `post:12`), if it has one.
pub(crate) fn item_id_of(txn: &impl Reader, target_key: &str) -> Result<Option<ItemId>> {
    Ok(txn.table(MOD_ITEM_TARGETS)?.get(target_key)?.map(|v| v.value()))
}

/// Makes `item` the item of its target (by its key).
pub(crate) fn put_item_target(txn: &WriteTxn, target_key: &str, item: ItemId) -> Result<()> {
    txn.open_table(MOD_ITEM_TARGETS)?.put(target_key, item)?;
    Ok(())
}

/// An item's line in the review queue: (state, u64::MAX − priority, created in µs, item).
pub(crate) fn queue_key(item: &ReviewItem) -> (u8, u64, i64, u64) {
    (item.state as u8, u64::MAX - item.priority, item.created_at.timestamp_micros(), item.id)
}

/// Stores an item and moves its line in the queue from where `before` had it. Its summary
/// and snapshot are sealed under `author`'s key (the author of the forum content it is about;
/// [`NOBODY`] keeps them plain).
pub(crate) fn put_item(
    txn: &WriteTxn,
    item: &ReviewItem,
    before: Option<&ReviewItem>,
    author: AccountId,
) -> Result<()> {
    let mut queue = txn.open_table(MOD_QUEUE)?;
    if let Some(before) = before {
        queue.delete(queue_key(before))?;
    }
    queue.put(queue_key(item), ())?;
    txn.open_table(MOD_ITEMS)?.put(item.id, encode(&sealed_item(txn, item, author)?)?.as_slice())?;
    Ok(())
}

/// Rewrites an item in place (its queue line unchanged), its texts sealed under `author`.
pub(crate) fn rewrite_item(txn: &WriteTxn, item: &ReviewItem, author: AccountId) -> Result<()> {
    txn.open_table(MOD_ITEMS)?.put(item.id, encode(&sealed_item(txn, item, author)?)?.as_slice())?;
    Ok(())
}

fn sealed_item(txn: &WriteTxn, item: &ReviewItem, author: AccountId) -> Result<AnyItem> {
    if author == NOBODY || (item.summary.is_empty() && item.snapshot.is_none()) {
        return Ok(AnyItem::Plain(item.clone()));
    }
    let text = encode(&(&item.summary, &item.snapshot))?;
    let Some(sealed) = seal_bytes(txn, author, &item_place(item.id), &text)? else {
        return Ok(AnyItem::Plain(item.clone()));
    };
    let bare = ReviewItem { summary: String::new(), snapshot: None, ..item.clone() };
    Ok(AnyItem::Stored(StoredItem { item: bare, author, texts: Sealed::Sealed(sealed) }))
}

/// Version 32: every item about forum content still plain is sealed under the content's
/// author (`author_of`, from the forums), in one pass; how many.
pub(crate) fn seal_items_v32(txn: &WriteTxn, author_of: impl Fn(&ReviewItem) -> Result<AccountId>) -> Result<u64> {
    let mut plain = Vec::new();
    for row in txn.table(MOD_ITEMS)?.iter()? {
        let (id, bytes) = row?;
        if let AnyItem::Plain(item) = decode_item(id.value(), bytes.value())? {
            plain.push(item);
        }
    }
    sealing_many(txn, || {
        let mut sealed = 0;
        for item in &plain {
            let author = author_of(item)?;
            if author != NOBODY {
                rewrite_item(txn, item, author)?;
                sealed += 1;
            }
        }
        Ok(sealed)
    })
}

/// Up to `limit` items of the queue in `state`, in queue order, after the queue position
/// `after` ((u64::MAX − priority, created in µs, item); from the first without), and whether
/// more follow.
pub(crate) fn queued_items(
    txn: &impl Reader,
    state: ItemState,
    after: Option<(u64, i64, u64)>,
    limit: usize,
) -> Result<(Vec<ReviewItem>, bool)> {
    let s = state as u8;
    let start = match after {
        Some((p, c, id)) => Bound::Excluded((s, p, c, id)),
        None => Bound::Included((s, 0, i64::MIN, 0)),
    };
    let end = Bound::Included((s, u64::MAX, i64::MAX, u64::MAX));
    let queue = txn.table(MOD_QUEUE)?;
    let items_table = txn.table(MOD_ITEMS)?;
    let mut items = Vec::with_capacity(limit);
    let mut keys = KeyCache::new(txn);
    for row in queue.range::<(u8, u64, i64, u64)>((start, end))? {
        let (key, _) = row?;
        if items.len() == limit {
            return Ok((items, true));
        }
        let id = key.value().3;
        let bytes = items_table.get(id)?.ok_or_else(|| Error::storage(format!("queued item {id} is missing")))?;
        items.push(decode_item(id, bytes.value())?.open(&mut keys)?.0);
    }
    Ok((items, false))
}

/// A report as stored since schema version 25: the report without its detail, and the detail
/// — the reporter's own words — sealed under the reporter's key (crypto-shredding,
/// `docs/erasure.md`). Moderators read it while the report is open; once the reporter is
/// erased it reads as [`REPORTER_WORDS_ERASED`], in this file and in every copy.
#[derive(Serialize, Deserialize)]
struct StoredReport {
    report: Report,
    detail: Option<Sealed>,
}

/// A report record in either shape: [`StoredReport`] (version 25 on) or the report as it is
/// (before, or one without a reporter's key to seal under: no reporter, or erased); a report
/// starts with its id, a stored record with the report.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AnyReport {
    Stored(StoredReport),
    Plain(Report),
}

/// What a report's detail reads once its reporter was erased (their key destroyed).
pub(crate) const REPORTER_WORDS_ERASED: &str = "(the reporter's words were erased)";

/// Where a report's detail is sealed (its associated data): it opens nowhere else.
fn detail_place(id: u64) -> Vec<u8> {
    [b"report-detail\0".as_slice(), &id.to_be_bytes()].concat()
}

impl AnyReport {
    /// The report, its detail opened (or [`REPORTER_WORDS_ERASED`] when the reporter's key is
    /// gone).
    fn open(self, txn: &impl Reader) -> Result<Report> {
        match self {
            AnyReport::Plain(report) => Ok(report),
            AnyReport::Stored(StoredReport { mut report, detail }) => {
                if let (Some(detail), Some(reporter)) = (detail, report.reporter) {
                    let id = report.id;
                    let what = || format!("the detail of report {id}");
                    let opened = detail.open_if_kept(txn, reporter, &detail_place(id), what)?;
                    report.detail = Some(opened.unwrap_or_else(|| REPORTER_WORDS_ERASED.to_string()));
                }
                Ok(report)
            }
        }
    }

    /// The report with its detail left sealed (`None`): who reported, why and when; and
    /// whether it has a detail.
    fn unopened(self) -> (Report, bool) {
        match self {
            AnyReport::Plain(report) => {
                let has_detail = report.detail.is_some();
                (report, has_detail)
            }
            AnyReport::Stored(stored) => (stored.report, stored.detail.is_some()),
        }
    }
}

fn decode_report(key: (u64, u64), bytes: &[u8]) -> Result<AnyReport> {
    decode(bytes, || format!("report {}", key.1))
}

/// An item's reports, in the order they were made, their details opened (one opening each).
pub(crate) fn reports_of(txn: &impl Reader, item: ItemId) -> Result<Vec<Report>> {
    let mut reports = Vec::new();
    for row in txn.table(MOD_REPORTS)?.range((item, 0)..=(item, u64::MAX))? {
        let (key, bytes) = row?;
        reports.push(decode_report(key.value(), bytes.value())?.open(txn)?);
    }
    Ok(reports)
}

/// Who reported item `item`, report by report (`None`: no account), opening nothing.
pub(crate) fn reporters_of(txn: &impl Reader, item: ItemId) -> Result<Vec<Option<AccountId>>> {
    let mut reporters = Vec::new();
    for row in txn.table(MOD_REPORTS)?.range((item, 0)..=(item, u64::MAX))? {
        let (key, bytes) = row?;
        reporters.push(decode_report(key.value(), bytes.value())?.unopened().0.reporter);
    }
    Ok(reporters)
}

/// Every report, its detail opened.
pub(crate) fn every_report(txn: &impl Reader) -> Result<Vec<Report>> {
    let mut found = Vec::new();
    for row in txn.table(MOD_REPORTS)?.range::<(u64, u64)>(..)? {
        let (key, bytes) = row?;
        found.push(decode_report(key.value(), bytes.value())?.open(txn)?);
    }
    Ok(found)
}

/// Every report with its detail left out, and whether it has one: an erasure reads the
/// reporters without anyone's key.
pub(crate) fn every_report_unopened(txn: &impl Reader) -> Result<Vec<(Report, bool)>> {
    let mut found = Vec::new();
    for row in txn.table(MOD_REPORTS)?.range::<(u64, u64)>(..)? {
        let (key, bytes) = row?;
        found.push(decode_report(key.value(), bytes.value())?.unopened());
    }
    Ok(found)
}

/// Writes a report, its detail sealed under the reporter's key when there are both.
pub(crate) fn put_report(txn: &WriteTxn, report: &Report) -> Result<()> {
    let stored = match (report.reporter, &report.detail) {
        (Some(reporter), Some(detail)) => {
            let detail = seal(txn, reporter, &detail_place(report.id), detail)?;
            AnyReport::Stored(StoredReport { report: Report { detail: None, ..report.clone() }, detail: Some(detail) })
        }
        _ => AnyReport::Plain(report.clone()),
    };
    txn.open_table(MOD_REPORTS)?.put((report.item, report.id), encode(&stored)?.as_slice())?;
    Ok(())
}

/// Version 25: every report whose detail a reporter wrote is rewritten with it sealed under
/// the reporter's key (a new key for one without); how many.
pub(crate) fn seal_reports_v25(txn: &WriteTxn) -> Result<u64> {
    let mut plain = Vec::new();
    for row in txn.table(MOD_REPORTS)?.iter()? {
        let (key, bytes) = row?;
        if let AnyReport::Plain(report) = decode_report(key.value(), bytes.value())?
            && report.reporter.is_some()
            && report.detail.is_some()
        {
            plain.push(report);
        }
    }
    sealing_many(txn, || {
        for report in &plain {
            put_report(txn, report)?;
        }
        Ok(plain.len() as u64)
    })
}

// --- The log ---

pub(crate) fn log_record(txn: &impl Reader, id: ActionId) -> Result<LogRecord> {
    let table = txn.table(MOD_LOG)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("moderation action", id))?;
    decode(row.value(), || format!("moderation action {id}"))
}

/// Writes a log record; a new one (not a rewrite, such as noting its appeal) also counts in
/// the report counters.
pub(crate) fn put_log_record(txn: &WriteTxn, record: &LogRecord) -> Result<()> {
    let created = txn.open_table(MOD_LOG)?.insert(record.entry.id, encode(record)?.as_slice())?.is_none();
    if created {
        counters::count_action(txn, &record.entry)?;
    }
    Ok(())
}

/// Files a log entry under its target (by its key).
pub(crate) fn put_log_target(txn: &WriteTxn, target_key: &str, id: ActionId) -> Result<()> {
    txn.open_table(MOD_LOG_BY_TARGET)?.put((target_key, id), ())?;
    Ok(())
}

/// The log entries of a target (by its key), oldest first.
pub(crate) fn log_ids_of(txn: &impl Reader, target_key: &str) -> Result<Vec<ActionId>> {
    let table = txn.table(MOD_LOG_BY_TARGET)?;
    let rows = table.range((target_key, 0)..=(target_key, u64::MAX))?;
    rows.map(|r| r.map(|(k, _)| k.value().1)).collect()
}

/// Up to `limit` log entries before `before`, newest first.
pub(crate) fn log_ids_before(txn: &impl Reader, before: ActionId, limit: usize) -> Result<Vec<ActionId>> {
    let table = txn.table(MOD_LOG)?;
    let rows = table.range(..before)?.rev().take(limit);
    rows.map(|r| r.map(|(k, _)| k.value())).collect()
}

// --- Appeals ---

/// An appeal as stored since schema version 26: the appeal with an empty statement, and the
/// statement — the appellant's own words — sealed under the appellant's key (crypto-shredding,
/// `docs/erasure.md`). Moderators read it while the appeal is kept; once the appellant is
/// erased it reads as [`APPELLANT_WORDS_ERASED`], in this file and in every copy.
#[derive(Serialize, Deserialize)]
struct StoredAppeal {
    appeal: Appeal,
    statement: Sealed,
}

/// An appeal record in either shape: [`StoredAppeal`] (version 26 on) or the appeal as it is
/// (before, or one without an appellant's key to seal under: erased); an appeal starts with
/// its id, a stored record with the appeal.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AnyAppeal {
    Stored(StoredAppeal),
    Plain(Appeal),
}

/// What an appeal's statement reads once its appellant was erased (their key destroyed).
pub(crate) const APPELLANT_WORDS_ERASED: &str = "(the appellant's words were erased)";

/// Where an appeal's statement is sealed (its associated data): it opens nowhere else.
fn statement_place(id: AppealId) -> Vec<u8> {
    [b"appeal-statement\0".as_slice(), &id.to_be_bytes()].concat()
}

impl AnyAppeal {
    /// The appeal, its statement opened (or [`APPELLANT_WORDS_ERASED`] when the appellant's
    /// key is gone).
    fn open(self, txn: &impl Reader) -> Result<Appeal> {
        match self {
            AnyAppeal::Plain(appeal) => Ok(appeal),
            AnyAppeal::Stored(StoredAppeal { mut appeal, statement }) => {
                if let Some(appellant) = appeal.appellant {
                    let id = appeal.id;
                    let what = || format!("the statement of appeal {id}");
                    let opened = statement.open_if_kept(txn, appellant, &statement_place(id), what)?;
                    appeal.statement = opened.unwrap_or_else(|| APPELLANT_WORDS_ERASED.to_string());
                }
                Ok(appeal)
            }
        }
    }

    /// A stored appeal that lost its appellant becomes plain: its sealed statement goes with
    /// them (the statement the change wrote stays).
    fn without_sealed_statement_of_none(self) -> AnyAppeal {
        match self {
            AnyAppeal::Stored(stored) if stored.appeal.appellant.is_none() => AnyAppeal::Plain(stored.appeal),
            any => any,
        }
    }

    /// The appeal itself, its statement (if sealed) left as it is.
    fn appeal_mut(&mut self) -> &mut Appeal {
        match self {
            AnyAppeal::Plain(appeal) => appeal,
            AnyAppeal::Stored(stored) => &mut stored.appeal,
        }
    }
}

fn decode_appeal(id: AppealId, bytes: &[u8]) -> Result<AnyAppeal> {
    decode(bytes, || format!("appeal {id}"))
}

pub(crate) fn appeal(txn: &impl Reader, id: AppealId) -> Result<Appeal> {
    let table = txn.table(MOD_APPEALS)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("appeal", id))?;
    decode_appeal(id, row.value())?.open(txn)
}

/// Every appeal, its statement opened.
pub(crate) fn every_appeal(txn: &impl Reader) -> Result<Vec<Appeal>> {
    let mut found = Vec::new();
    for row in txn.table(MOD_APPEALS)?.iter()? {
        let (id, bytes) = row?;
        found.push(decode_appeal(id.value(), bytes.value())?.open(txn)?);
    }
    Ok(found)
}

/// Writes an appeal, its statement sealed under the appellant's key when there is one.
pub(crate) fn put_appeal(txn: &WriteTxn, appeal: &Appeal) -> Result<()> {
    let stored = match appeal.appellant {
        Some(appellant) => {
            let statement = seal(txn, appellant, &statement_place(appeal.id), &appeal.statement)?;
            AnyAppeal::Stored(StoredAppeal { appeal: Appeal { statement: String::new(), ..appeal.clone() }, statement })
        }
        None => AnyAppeal::Plain(appeal.clone()),
    };
    put_any_appeal(txn, &stored)
}

fn put_any_appeal(txn: &WriteTxn, appeal: &AnyAppeal) -> Result<()> {
    let id = match appeal {
        AnyAppeal::Plain(appeal) | AnyAppeal::Stored(StoredAppeal { appeal, .. }) => appeal.id,
    };
    txn.open_table(MOD_APPEALS)?.put(id, encode(appeal)?.as_slice())?;
    Ok(())
}

/// Rewrites, without opening any statement, every appeal `change` changes (it says so):
/// an erasure reaches the appeals without anyone's key. How many changed.
pub(crate) fn rewrite_appeals(txn: &WriteTxn, mut change: impl FnMut(&mut Appeal) -> bool) -> Result<u64> {
    let mut changed = Vec::new();
    for row in txn.table(MOD_APPEALS)?.iter()? {
        let (id, bytes) = row?;
        let mut any = decode_appeal(id.value(), bytes.value())?;
        if change(any.appeal_mut()) {
            changed.push(any.without_sealed_statement_of_none());
        }
    }
    for any in &changed {
        put_any_appeal(txn, any)?;
    }
    Ok(changed.len() as u64)
}

/// Version 26: every appeal with an appellant is rewritten with its statement sealed under
/// the appellant's key (a new key for one without); how many.
pub(crate) fn seal_appeals_v26(txn: &WriteTxn) -> Result<u64> {
    let mut plain = Vec::new();
    for row in txn.table(MOD_APPEALS)?.iter()? {
        let (id, bytes) = row?;
        if let AnyAppeal::Plain(appeal) = decode_appeal(id.value(), bytes.value())?
            && appeal.appellant.is_some()
        {
            plain.push(appeal);
        }
    }
    sealing_many(txn, || {
        for appeal in &plain {
            put_appeal(txn, appeal)?;
        }
        Ok(plain.len() as u64)
    })
}

/// Whether an action has been appealed.
pub(crate) fn is_appealed(txn: &impl Reader, action: ActionId) -> Result<bool> {
    Ok(txn.table(MOD_APPEAL_BY_ACTION)?.get(action)?.is_some())
}

/// Files a new appeal: one per action, and open in the appeals queue.
pub(crate) fn file_appeal(txn: &WriteTxn, action: ActionId, appeal: AppealId) -> Result<()> {
    txn.open_table(MOD_APPEAL_BY_ACTION)?.put(action, appeal)?;
    txn.open_table(MOD_APPEAL_QUEUE)?.put((0, appeal), ())?;
    Ok(())
}

/// Moves a decided appeal to the decided part of the queue.
pub(crate) fn close_appeal(txn: &WriteTxn, appeal: AppealId) -> Result<()> {
    let mut queue = txn.open_table(MOD_APPEAL_QUEUE)?;
    queue.delete((0, appeal))?;
    queue.put((1, appeal), ())?;
    Ok(())
}

/// Up to `limit` appeals, open or `decided`, from `start` on, oldest first.
pub(crate) fn queued_appeals(txn: &impl Reader, decided: bool, start: AppealId, limit: usize) -> Result<Vec<AppealId>> {
    let state = u8::from(decided);
    let queue = txn.table(MOD_APPEAL_QUEUE)?;
    let rows = queue.range((state, start)..=(state, u64::MAX))?.take(limit);
    rows.map(|r| Ok(r?.0.value().1)).collect()
}

// --- Watched words, crisis resources, settings ---

/// Every watched word as (language, pattern, action number), in key order.
pub(crate) fn words(txn: &impl Reader) -> Result<Vec<(String, String, u8)>> {
    let mut words = Vec::new();
    for row in txn.table(MOD_WORDS)?.iter()? {
        let (key, action) = row?;
        let (language, pattern) = key.value();
        words.push((language.to_string(), pattern.to_string(), action.value()));
    }
    Ok(words)
}

pub(crate) fn put_word(txn: &WriteTxn, language: &str, pattern: &str, action: u8) -> Result<()> {
    txn.open_table(MOD_WORDS)?.put((language, pattern), action)?;
    Ok(())
}

/// Removes a watched word; returns whether it was listed.
pub(crate) fn remove_word(txn: &WriteTxn, language: &str, pattern: &str) -> Result<bool> {
    Ok(txn.open_table(MOD_WORDS)?.remove((language, pattern))?.is_some())
}

pub(crate) fn resources(txn: &impl Reader) -> Result<Vec<CrisisResource>> {
    let mut all = Vec::new();
    for row in txn.table(MOD_RESOURCES)?.iter()? {
        let (key, bytes) = row?;
        all.push(decode::<CrisisResource>(bytes.value(), || format!("crisis resource {:?}", key.value()))?);
    }
    Ok(all)
}

/// Adds or replaces crisis resources (keyed by country and name).
pub(crate) fn put_resources<'a>(txn: &WriteTxn, resources: impl IntoIterator<Item = &'a CrisisResource>) -> Result<()> {
    let mut table = txn.open_table(MOD_RESOURCES)?;
    for resource in resources {
        table.put((resource.country.as_str(), resource.name.as_str()), encode(resource)?.as_slice())?;
    }
    Ok(())
}

/// Removes a crisis resource; returns whether it was listed.
pub(crate) fn remove_resource(txn: &WriteTxn, country: &str, name: &str) -> Result<bool> {
    Ok(txn.open_table(MOD_RESOURCES)?.remove((country, name))?.is_some())
}

/// Makes sure the watched words' table exists (new files; it may stay empty).
pub(crate) fn create_words(txn: &WriteTxn) -> Result<()> {
    txn.open_table(MOD_WORDS)?;
    Ok(())
}

/// The moderation settings stored under `name`, if they have been set.
/// `ahead` with the settings row [`settings`] reads.
pub(crate) fn settings_ahead(ahead: crate::store::Ahead, name: &str) -> crate::store::Ahead {
    ahead.row(SETTINGS, name)
}

/// `ahead` with an account's standing on a board, which [`approved_posts`] and
/// [`add_approved_post`] read.
pub(crate) fn trust_ahead(ahead: crate::store::Ahead, account: AccountId, board: BoardId) -> crate::store::Ahead {
    ahead.row(MOD_TRUST, (account.0, board.0))
}

pub(crate) fn settings(txn: &impl Reader, name: &str) -> Result<Option<ModerationSettings>> {
    match txn.table(SETTINGS)?.get(name)? {
        Some(bytes) => decode(bytes.value(), || "the moderation settings".to_string()).map(Some),
        None => Ok(None),
    }
}

pub(crate) fn put_settings(txn: &WriteTxn, name: &str, value: &ModerationSettings) -> Result<()> {
    txn.open_table(SETTINGS)?.put(name, encode(value)?.as_slice())?;
    Ok(())
}

// --- Rate limits and trust ---

/// One account's recent writes of one kind (µs), opened once for the checks of one write.
pub(crate) struct Rates<'t> {
    table: TableRef<'t, (u64, u8, i64), ()>,
    account: AccountId,
}

impl Rates<'_> {
    /// The times of the writes of `kind` at or after `from_us`, oldest first.
    pub fn since(&self, kind: u8, from_us: i64) -> Result<Vec<i64>> {
        let rows = self.table.range((self.account.0, kind, from_us)..=(self.account.0, kind, i64::MAX))?;
        rows.map(|r| r.map(|(k, _)| k.value().2)).collect()
    }

    /// The time of the last write of `kind` at or after `from_us`, if any.
    pub fn last_since(&self, kind: u8, from_us: i64) -> Result<Option<i64>> {
        let mut rows = self.table.range((self.account.0, kind, from_us)..=(self.account.0, kind, i64::MAX))?;
        rows.next_back().transpose().map(|row| row.map(|(k, _)| k.value().2))
    }
}

/// `ahead` with every note of an account's recent writes: a day's at most (they are pruned on
/// each write), so usually fewer than a page, and then every check of them and their pruning
/// read what this read.
pub(crate) fn rates_ahead(ahead: crate::store::Ahead, account: AccountId) -> crate::store::Ahead {
    ahead.range(MOD_RATES, (account.0, 0, i64::MIN)..=(account.0, u8::MAX, i64::MAX))
}

pub(crate) fn rates(txn: &impl Reader, account: AccountId) -> Result<Rates<'_>> {
    Ok(Rates { table: txn.table(MOD_RATES)?, account })
}

/// Notes a write of `kind` by `account` at `at_us`.
pub(crate) fn add_rate(txn: &WriteTxn, account: AccountId, kind: u8, at_us: i64) -> Result<()> {
    txn.open_table(MOD_RATES)?.put((account.0, kind, at_us), ())?;
    Ok(())
}

/// Deletes the account's notes of writes of `kind` before `cutoff_us`.
pub(crate) fn prune_rates(txn: &WriteTxn, account: AccountId, kind: u8, cutoff_us: i64) -> Result<()> {
    let mut table = txn.open_table(MOD_RATES)?;
    let old: Vec<i64> = table
        .range((account.0, kind, i64::MIN)..(account.0, kind, cutoff_us))?
        .map(|r| r.map(|(k, _)| k.value().2))
        .collect::<Result<_, _>>()?;
    for at in old {
        table.delete((account.0, kind, at))?;
    }
    Ok(())
}

/// Posts of the account that the board has shown.
pub(crate) fn approved_posts(txn: &impl Reader, account: AccountId, board: BoardId) -> Result<u32> {
    Ok(txn.table(MOD_TRUST)?.get((account.0, board.0))?.map_or(0, |v| v.value()))
}

/// Counts one more post of the account that the board has shown.
pub(crate) fn add_approved_post(txn: &WriteTxn, account: AccountId, board: BoardId) -> Result<()> {
    let mut table = txn.open_table(MOD_TRUST)?;
    let n = table.get((account.0, board.0))?.map_or(0, |v| v.value());
    table.put((account.0, board.0), n.saturating_add(1))?;
    Ok(())
}
