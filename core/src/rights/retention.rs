//! Retention of inactive accounts, on the platform's scheduler ([`crate::Platform::tick`]).
//!
//! Off by default. With `inactive_months` set, once a day the tick warns every account whose
//! last activity (sign-in, change, or creation) is older than that, through its inbox (a host
//! that delivers inbox events by e-mail sends it on); `grace_days` later the account is
//! erased, unless it was active after the warning. Each erasure is in the audit log as any
//! other, with the reason "inactive".

use chrono::{Days, Months};

use super::erase;
use super::records;
use crate::accounts;
use crate::actor::Actor;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::inbox::{self, Event};
use crate::model::rights::{RetentionSettings, RetentionWarning};
use crate::store::{Due, Person, WriteTxn};

/// Erasures per scheduler batch: each rewrites every record of a person.
const ERASURES_PER_BATCH: usize = 10;

/// The longest inactivity period and grace that can be set.
const MAX_MONTHS: u32 = 240;
const MAX_GRACE_DAYS: u32 = 365;

/// Checks a retention rule before it is stored.
pub(crate) fn validate(settings: &RetentionSettings) -> Result<()> {
    if let Some(months) = settings.inactive_months
        && !(1..=MAX_MONTHS).contains(&months)
    {
        return Err(Error::invalid("inactive_months", format!("{months} is not between 1 and {MAX_MONTHS}")));
    }
    if !(1..=MAX_GRACE_DAYS).contains(&settings.grace_days) {
        return Err(Error::invalid(
            "grace_days",
            format!("{} is not between 1 and {MAX_GRACE_DAYS}", settings.grace_days),
        ));
    }
    Ok(())
}

/// The scheduler's work: erase warned accounts whose grace ended, then (once a day) warn the
/// newly inactive ones.
pub(crate) fn tick(txn: &WriteTxn, now: Timestamp, due: &mut Due) -> Result<()> {
    let settings = records::settings(txn)?;
    let Some(months) = settings.inactive_months else { return Ok(()) };
    let (erased, kept) = erase_due(txn, &settings, now)?;
    due.count("inactive accounts erased", erased);
    due.count("warnings withdrawn (active again)", kept);
    if erased + kept == ERASURES_PER_BATCH as u64 {
        due.more = true;
        return Ok(());
    }
    let today = now.timestamp().div_euclid(86_400);
    if records::swept_on(txn)? == Some(today) {
        return Ok(());
    }
    records::set_swept_on(txn, today)?;
    due.count("inactive accounts warned", warn_inactive(txn, &settings, months, now)?);
    Ok(())
}

fn erase_due(txn: &WriteTxn, settings: &RetentionSettings, now: Timestamp) -> Result<(u64, u64)> {
    let (mut erased, mut kept) = (0, 0);
    for warning in records::take_due(txn, now, ERASURES_PER_BATCH)? {
        let account = match accounts::load(txn, warning.account) {
            Ok(account) => account,
            Err(Error::NotFound { .. }) => continue,
            Err(e) => return Err(e),
        };
        let active_since = accounts::records::last_active_of(txn, warning.account)?;
        if active_since.is_some_and(|t| t > warning.warned_at) {
            kept += 1;
            continue;
        }
        let person = Person { account: account.id, pseudonym: account.pseudonym };
        erase::erase(txn, crate::DOMAINS, person, settings.posts, &Actor::Operator, "inactive", now)?;
        erased += 1;
    }
    Ok((erased, kept))
}

fn warn_inactive(txn: &WriteTxn, settings: &RetentionSettings, months: u32, now: Timestamp) -> Result<u64> {
    let Some(cutoff) = now.checked_sub_months(Months::new(months)) else { return Ok(0) };
    let erase_at = now.checked_add_days(Days::new(settings.grace_days.into())).unwrap_or(now);
    let mut warned = 0;
    for (account, last) in accounts::records::last_active(txn)? {
        if last >= cutoff || records::is_warned(txn, account)? {
            continue;
        }
        records::warn(txn, &RetentionWarning { account, warned_at: now, erase_at })?;
        inbox::deliver(txn, account, Event::RetentionWarning { inactive_since: last, erase_at }, now)?;
        warned += 1;
    }
    Ok(warned)
}
