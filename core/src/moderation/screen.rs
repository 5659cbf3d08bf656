//! The platform's own content check of forum writing, run inside the writing transaction after
//! the host's [`crate::forums::ContentCheck`]: watched words, crisis signposting, new-account
//! pre-moderation and rate limits. What it decides:
//!
//! - a crisis match never refuses or delays the writer beyond the board's own rules: the post
//!   appears (or waits, on a pre-moderated board), its review item goes to the top of the
//!   queue, and the writer gets crisis resources at once; rate limits do not apply to it;
//! - a blocked word refuses the text with an explanation (unless a crisis matched too: then it
//!   is held instead);
//! - a require-approval word, or an author with fewer approved posts on the board than the
//!   trust setting asks, holds it;
//! - a flagged word lets it through and opens a review item.

use crate::store::WriteTxn;

use super::items::{self, prune_rates};
use super::lists::{resources_for_writer, settings, word_list};
use super::model::{AutoFlag, ModerationSettings, Target};
use super::records;
use super::words::{TextCheck, WordAction};
use crate::accounts::{Account, AccountId};
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::ids::BoardId;
use crate::screening::{Submission, SubmissionKind};

pub(crate) const RATE_THREAD: u8 = 0;
pub(crate) const RATE_REPLY: u8 = 1;

pub(crate) use crate::screening::Screening;

/// Screens a thread, reply or edit by `author` (see the module documentation).
pub(crate) fn screen(
    ctx: &Context,
    txn: &WriteTxn,
    submission: &Submission<'_>,
    author: &Account,
    moderator: bool,
    now: Timestamp,
) -> Result<Screening> {
    let words = word_list(ctx, txn)?;
    let mut found = words.check(submission.body, submission.language);
    let mut field = "body";
    if let Some(title) = submission.title {
        let in_title = words.check(title, submission.language);
        if in_title.has(WordAction::Block) {
            field = "title";
        }
        found.merge(in_title);
    }
    let crisis = found.crisis();
    let rules = settings(txn)?;
    let kind = match submission.kind {
        SubmissionKind::NewThread => Some(RATE_THREAD),
        SubmissionKind::Reply => Some(RATE_REPLY),
        SubmissionKind::Edit => None,
    };
    if let Some(kind) = kind.filter(|_| !moderator) {
        if rules.rate_limits && !crisis {
            check_rate(txn, &rules, author, kind, now)?;
        }
        record(txn, author.id, kind, now)?;
    }
    if found.has(WordAction::Block) && !crisis {
        return Err(Error::invalid(field, blocked(&found)));
    }
    let mut screening = Screening::default();
    if found.has(WordAction::RequireApproval) || found.has(WordAction::Block) {
        screening.held = Some("a moderator reads it first: it contains watched words".into());
    } else if !moderator && submission.kind != SubmissionKind::Edit && rules.trust_posts > 0 {
        let approved = approved_posts(txn, author.id, submission.board)?;
        if approved < rules.trust_posts {
            screening.held = Some(format!(
                "a moderator approves the first {} posts of each member on this board",
                rules.trust_posts
            ));
        }
    }
    if crisis {
        let resources = resources_for_writer(txn, author.home_region.as_deref(), submission.language)?;
        screening.signposts = resources.iter().map(|r| r.signpost()).collect();
    }
    if !found.matches.is_empty() || crisis {
        let patterns: Vec<String> = found
            .findings
            .iter()
            .map(|f| format!("'{}' ({}, {})", f.matched, f.category, f.level))
            .chain(found.matches.iter().map(|m| format!("'{}' ({})", m.pattern, m.action)))
            .collect();
        screening.flag = Some(Box::new(AutoFlag {
            at: now,
            reason: format!("content check: {}", patterns.join(", ")),
            crisis,
            matches: found.matches,
            level: found.level,
            categories: found.categories,
            findings: found.findings,
        }));
    }
    Ok(screening)
}

/// Files the screening's flag on the review item of the stored thread or post.
pub(crate) fn file(
    txn: &WriteTxn,
    screening: &mut Screening,
    target: Target,
    summary: &str,
    board: BoardId,
    now: Timestamp,
) -> Result<()> {
    if let Some(flag) = screening.flag.take().and_then(|flag| flag.downcast::<AutoFlag>().ok()) {
        let flag = *flag;
        items::flag(txn, target, flag, summary.to_string(), Some(board), now)?;
    }
    Ok(())
}

/// Counts a post of `account` that `board` has shown (its standing there).
pub(crate) fn count_approved(txn: &WriteTxn, account: AccountId, board: BoardId) -> Result<()> {
    records::add_approved_post(txn, account, board)
}

fn approved_posts(txn: &WriteTxn, account: AccountId, board: BoardId) -> Result<u32> {
    records::approved_posts(txn, account, board)
}

/// Refuses a report or post over the limits with `RateLimited` (reports are always limited
/// when rate limits are on).
pub(crate) fn limit(txn: &WriteTxn, account: &Account, kind: u8, now: Timestamp) -> Result<()> {
    let rules = settings(txn)?;
    if rules.rate_limits {
        check_rate(txn, &rules, account, kind, now)?;
    }
    record(txn, account.id, kind, now)
}

fn record(txn: &WriteTxn, account: AccountId, kind: u8, now: Timestamp) -> Result<()> {
    prune_rates(txn, account, kind, now)?;
    records::add_rate(txn, account, kind, now.timestamp_micros())
}

fn check_rate(txn: &WriteTxn, rules: &ModerationSettings, account: &Account, kind: u8, now: Timestamp) -> Result<()> {
    let rates = records::rates(txn, account.id)?;
    let wait = |oldest: i64, window: chrono::Duration| -> Error {
        let free = oldest + window.num_microseconds().unwrap_or(0);
        let secs = ((free - now.timestamp_micros()).max(0) as u64).div_ceil(1_000_000).max(1);
        Error::RateLimited { retry_after_secs: secs }
    };
    // Posts of either kind count towards the spacing between posts.
    if kind != items::RATE_REPORT && rules.min_seconds_between_posts > 0 {
        let window = chrono::Duration::seconds(rules.min_seconds_between_posts as i64);
        for other in [RATE_THREAD, RATE_REPLY] {
            if let Some(last) = rates.last_since(other, (now - window).timestamp_micros() + 1)? {
                return Err(wait(last, window));
            }
        }
    }
    let first_day = now - account.created_at < chrono::Duration::days(1);
    let (limit, window) = match (kind, first_day) {
        (RATE_THREAD, true) => (rules.first_day_threads, chrono::Duration::days(1)),
        (RATE_REPLY, true) => (rules.first_day_replies, chrono::Duration::days(1)),
        (RATE_THREAD, false) => (rules.hourly_threads, chrono::Duration::hours(1)),
        (RATE_REPLY, false) => (rules.hourly_replies, chrono::Duration::hours(1)),
        _ => (rules.hourly_reports, chrono::Duration::hours(1)),
    };
    if limit == 0 {
        return Err(Error::RateLimited { retry_after_secs: window.num_seconds().max(1) as u64 });
    }
    let recent = rates.since(kind, (now - window).timestamp_micros())?;
    if recent.len() as u64 >= u64::from(limit) {
        return Err(wait(recent[recent.len() - limit as usize], window));
    }
    Ok(())
}

fn blocked(found: &TextCheck) -> String {
    let words: Vec<String> =
        found.matches.iter().filter(|m| m.action == WordAction::Block).map(|m| format!("'{}'", m.matched)).collect();
    format!("it contains words this platform does not allow ({}); please rephrase", words.join(", "))
}
