//! Moderation's part in the person's rights (`crate::rights`).
//!
//! Export: the reports the person made, the moderation actions that affected them (without
//! the moderators' names, as the public log shows them) and their appeals.
//!
//! Erasure: the actions and reports stay — the platform must be able to show what was done
//! and why — but without the person: reports lose their reporter and the reporter's words
//! (sealed under their key, replaced without being opened: moderators read "the reporter's
//! words were erased"), log entries lose the affected account, appeals their appellant and
//! statement (sealed under the appellant's key, replaced without being opened: moderators read
//! "the appellant's words were erased"); snapshots of content they wrote go, and the person's
//! rate-limit and trust rows go.

use super::super::actions::LogRecord;
use super::super::model::LogEntry;
use super::super::model::{Appeal, Report};
use super::super::tables::{MOD_LOG, MOD_RATES, MOD_TRUST};
use crate::error::Result;
use crate::ids::NOBODY;
use crate::model::moderation::Target;
use crate::store::{
    Domain, Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, Table, WriteTxn, decode, encode,
};

/// Moderation's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let me = person.account;
    let reports: Vec<Report> = super::every_report(txn)?.into_iter().filter(|r| r.reporter == Some(me)).collect();
    dossier.add("reports_made", ABOUT_REPORTS, &reports)?;
    let actions: Vec<LogEntry> = all::<LogRecord>(txn, MOD_LOG)?
        .into_iter()
        .filter(|(_, r)| r.affected == Some(me) || r.entry.target == (Target::Account { id: me }))
        .map(|(_, r)| LogEntry { moderator: None, ..r.entry })
        .collect();
    dossier.add("moderation_actions", ABOUT_ACTIONS, &actions)?;
    let appeals: Vec<Appeal> = super::every_appeal(txn)?
        .into_iter()
        .filter(|a| a.appellant == Some(me))
        .map(|a| Appeal { decided_by: None, ..a })
        .collect();
    dossier.add("appeals", ABOUT_APPEALS, &appeals)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let name = erasure.person.pseudonym.clone();
    let unname = |text: &str| text.replace(&name, Domain::FORMER_MEMBER);

    let mut changed = 0;
    // Read without opening: the words, sealed under the person's key, are replaced, not read.
    for (mut report, has_detail) in super::every_report_unopened(txn)? {
        if report.reporter == Some(me) {
            report.reporter = None;
            report.detail = has_detail.then(|| super::REPORTER_WORDS_ERASED.to_string());
            super::put_report(txn, &report)?;
            changed += 1;
        }
    }
    erasure.count("reports made", changed);

    let mut changed = 0;
    for (id, mut record) in all::<LogRecord>(txn, MOD_LOG)? {
        let about_me = record.entry.target == (Target::Account { id: me });
        if record.affected == Some(me) || about_me || record.entry.moderator == Some(me) {
            if record.affected == Some(me) {
                record.affected = None;
            }
            if record.entry.moderator == Some(me) {
                record.entry.moderator = None;
            }
            record.entry.reason = unname(&record.entry.reason);
            txn.open_table(MOD_LOG)?.put(id, encode(&record)?.as_slice())?;
            changed += 1;
        }
    }
    erasure.count("moderation log entries", changed);

    // The statements, sealed under their appellants' keys, are replaced or kept, not read.
    let changed = super::rewrite_appeals(txn, |appeal| {
        let mine = appeal.appellant == Some(me);
        let decided = appeal.decided_by == Some(me);
        if mine {
            appeal.appellant = None;
            appeal.statement = super::APPELLANT_WORDS_ERASED.to_string();
        }
        if decided {
            appeal.decided_by = None;
        }
        mine || decided
    })?;
    erasure.count("appeals", changed);

    let mut changed = 0;
    for (mut item, mut author) in super::every_item(txn)? {
        let key = item.target.key();
        let theirs = erasure.authored.contains(&key);
        let about_me = item.target == (Target::Account { id: me });
        let claimed = item.claimed_by == Some(me);
        if !(theirs || about_me || claimed) {
            continue;
        }
        if theirs {
            // Kept content is "former member"'s now, stored plain; deleted content is gone.
            author = NOBODY;
            item.snapshot = None;
            if erasure.content_deleted {
                item.summary = super::ITEM_TEXT_ERASED.to_string();
            }
        }
        if about_me || item.summary.contains(&name) {
            item.summary = unname(&item.summary);
        }
        if claimed {
            item.claimed_by = None;
        }
        super::rewrite_item(txn, &item, author)?;
        changed += 1;
    }
    erasure.count("review items", changed);

    let mut rows = 0;
    txn.open_table(MOD_RATES)?.retain_in((me.0, 0, i64::MIN)..=(me.0, u8::MAX, i64::MAX), |_, _| {
        rows += 1;
        false
    })?;
    txn.open_table(MOD_TRUST)?.retain_in((me.0, 0)..=(me.0, u64::MAX), |_, _| {
        rows += 1;
        false
    })?;
    erasure.count("rate and trust rows", rows);
    Ok(())
}

/// Every record of one of moderation's JSON tables keyed by id, decoded. Moderation keeps no
/// index by person, so an export or erasure reads them all.
fn all<T: serde::de::DeserializeOwned>(txn: &impl Reader, table: Table<u64, &'static [u8]>) -> Result<Vec<(u64, T)>> {
    let mut found = Vec::new();
    for row in txn.table(table)?.range::<u64>(..)? {
        let (key, bytes) = row?;
        let id = key.value();
        found.push((id, decode(bytes.value(), || format!("{} {id}", table.name()))?));
    }
    Ok(found)
}

const ABOUT_REPORTS: &str = "Reports the person made about threads, posts, profiles or job postings: the review \
item they went to (`item`), the reason, their words (`detail`) and when.";
const ABOUT_ACTIONS: &str = "Moderation actions that affected the person or their content: the target (`post:12`, \
`account:7`), what was done (`action`), the reason given, when, until when (silences and suspensions) and whether \
they appealed. Moderators' names are left out, as in the public log.";
const ABOUT_APPEALS: &str = "The person's appeals of moderation actions: their statement, and how and why each was \
decided.";
