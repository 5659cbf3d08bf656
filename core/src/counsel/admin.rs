//! Administration: partner organisations' offers, counsellor profiles, topics, the SLA sweep,
//! statistics and retention.

use chrono::Duration;

use super::client::{TOPICS_SETTING, topics};
use super::model::*;
use super::records;
use super::staff::{check_metadata, counsellor_orgs, default_profile};
use super::{Counselling, DEFAULT_RETENTION_DAYS, LANGUAGES, target};
use crate::accounts;
use crate::actor::Actor;
use crate::audit;
use crate::disclosure::{self, Release, Threshold};
use crate::error::{Error, Result};
use crate::orgs::{self, OrgId};
use crate::policy::{self, Action};
use crate::settings;
use crate::store::{Ending, Reader};
use crate::validate;

const RETENTION_SETTING: &str = "counsel_retention_days";

impl Counselling<'_> {
    /// Declares what a partner organisation offers: topics, languages, regions and its SLA
    /// (its supervisors, admins). Its queue then receives the matching enquiries.
    pub fn set_offer(&self, actor: &Actor, offer: &CounselOffer) -> Result<CounselOffer> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ManageCounselling { org: offer.org }, now)?;
            orgs::require_exists(txn, offer.org)?;
            let known = topics(txn)?;
            if let Some(bad) = offer.topics.iter().find(|t| !known.contains(t)) {
                return Err(Error::invalid("topic", format!("'{bad}' is not a counselling topic")));
            }
            let languages = validate::languages("languages", &offer.languages)?;
            if languages.is_empty() {
                return Err(Error::invalid("languages", "name at least one language"));
            }
            if let Some(bad) = languages.iter().find(|l| !LANGUAGES.contains(&l.as_str())) {
                return Err(Error::invalid("languages", format!("'{bad}' is not one of {}", LANGUAGES.join(", "))));
            }
            let regions =
                offer.regions.iter().map(|r| validate::region("regions", r)).collect::<Result<Vec<String>>>()?;
            if !(1..=24 * 30).contains(&offer.first_response_hours) {
                return Err(Error::invalid("first_response_hours", "must be between 1 and 720"));
            }
            let offer = CounselOffer { languages, regions, ..offer.clone() };
            records::save_offer(txn, &offer)?;
            audit::append(txn, now, actor, "counsel.offer", &format!("org:{}", offer.org), None)?;
            Ok(offer)
        })
    }

    /// Every partner organisation's offer (public: people may see who counsels).
    pub fn offers(&self, actor: &Actor) -> Result<Vec<CounselOffer>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewOrganisations, now)?;
            records::offers(txn)
        })
    }

    /// Changes what `change` names of a counsellor's capacity, training status and what clients
    /// may prefer (a supervisor of an organisation they counsel for, admins); everything else,
    /// their absence included, stays. A counsellor without a profile starts from the defaults.
    pub fn update_profile(
        &self,
        actor: &Actor,
        account: accounts::AccountId,
        change: &CounsellorProfileUpdate,
    ) -> Result<CounsellorProfile> {
        self.ctx.write(actor, |txn, subject, now| {
            let record = accounts::load(txn, account)?;
            let orgs = counsellor_orgs(&record);
            if orgs.is_empty() {
                return Err(Error::invalid("account", format!("{} is not a counsellor", record.pseudonym)));
            }
            if !orgs.iter().any(|org| policy::allows(subject, Action::ManageCounselling { org: *org }, now)) {
                policy::check(subject, Action::ManageCounselling { org: orgs[0] }, now)?;
            }
            let saved =
                changed_profile(records::profile(txn, account)?.unwrap_or_else(|| default_profile(account)), change)?;
            records::save_profile(txn, &saved)?;
            audit::append(txn, now, actor, "counsel.profile", &format!("account:{account}"), None)?;
            Ok(saved)
        })
    }

    /// A counsellor's profile (the defaults when none was set).
    pub fn profile(&self, actor: &Actor, account: accounts::AccountId) -> Result<CounsellorProfile> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewAccount, now)?;
            Ok(records::profile(txn, account)?.unwrap_or_else(|| default_profile(account)))
        })
    }

    /// Replaces the list of counselling topics (admins): lower-case words joined by `_`.
    pub fn set_topics(&self, actor: &Actor, topics: &[String]) -> Result<Vec<String>> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::AdministerCounselling, now)?;
            let mut clean: Vec<String> = Vec::new();
            for topic in topics {
                let t = topic.trim().to_lowercase();
                if t.is_empty() || t.len() > 40 || !t.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return Err(Error::invalid("topic", format!("'{topic}' is not a topic such as contracts_and_pay")));
                }
                if !clean.contains(&t) {
                    clean.push(t);
                }
            }
            if clean.is_empty() {
                return Err(Error::invalid("topic", "name at least one topic"));
            }
            settings::store(txn, TOPICS_SETTING, &clean)?;
            audit::append(txn, now, actor, "counsel.topics", TOPICS_SETTING, Some(&clean.join(", ")))?;
            Ok(clean)
        })
    }

    /// Cases whose first response is overdue, oldest due first: all of them for admins, those
    /// of `org` for its counsellors and supervisors.
    pub fn overdue(&self, actor: &Actor, org: Option<OrgId>) -> Result<Vec<Enquiry>> {
        self.ctx.read(actor, |txn, subject, now| {
            match org {
                Some(org) => policy::check(subject, Action::ViewCounselQueue { org }, now)?,
                None => policy::check(subject, Action::AdministerCounselling, now)?,
            }
            let mut out = Vec::new();
            for id in records::overdue(txn, now)? {
                let record = records::load(txn, id)?;
                if org.is_none_or(|o| record.org == Some(o) || record.queues.contains(&o)) {
                    check_metadata(subject, &record, now)?;
                    out.push(record.view());
                }
            }
            Ok(out)
        })
    }

    /// The SLA sweep (admins; a host runs it every few minutes): every case past its first
    /// response time counts as a breach once, and an unclaimed one overflows to every partner
    /// organisation's queue. Each overflow is audited.
    pub fn escalate(&self, actor: &Actor) -> Result<Escalation> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::AdministerCounselling, now)?;
            let everyone: Vec<OrgId> = records::offers(txn)?.iter().map(|o| o.org).collect();
            let mut done = Escalation { breached: 0, overflowed: Vec::new() };
            for id in records::overdue(txn, now)? {
                let mut record = records::load(txn, id)?;
                if !record.breached {
                    record.breached = true;
                    done.breached += 1;
                    records::count(txn, record.created_at, "breaches")?;
                }
                if record.state == EnquiryState::New && !record.overflowed {
                    let added: Vec<OrgId> = everyone.iter().copied().filter(|o| !record.queues.contains(o)).collect();
                    record.overflowed = true;
                    for org in &added {
                        records::enqueue(txn, &record, *org, true)?;
                    }
                    record.queues.extend(&added);
                    done.overflowed.push(id);
                    let note = format!("first response was due {}", record.due_at.format("%Y-%m-%d %H:%M UTC"));
                    audit::append(txn, now, actor, "counsel.overflow", &target(id), Some(&note))?;
                }
                records::save(txn, &record)?;
            }
            Ok(done)
        })
    }

    /// A month's statistics (`2026-03`; supervisors and admins). Counts the disclosure rules
    /// withhold are `None` (see [`crate::disclosure`]).
    pub fn stats(&self, actor: &Actor, month: &str) -> Result<CounselStats> {
        let (year, m) = month
            .split_once('-')
            .and_then(|(y, m)| Some((y.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
            .filter(|(y, m)| (2000..=9999).contains(y) && (1..=12).contains(m))
            .ok_or_else(|| Error::invalid("month", format!("'{month}' is not a month such as 2026-03")))?;
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewCounselStats, now)?;
            Ok(report(month, records::counters(txn, year * 100 + m)?, disclosure::threshold(txn)?))
        })
    }

    /// Days closed cases are kept before purging.
    pub fn retention_days(&self, actor: &Actor) -> Result<u32> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::AdministerCounselling, now)?;
            retention(txn)
        })
    }

    /// Sets how many days closed cases are kept (admins; 1 to 3650).
    pub fn set_retention_days(&self, actor: &Actor, days: u32) -> Result<u32> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::AdministerCounselling, now)?;
            if !(1..=3650).contains(&days) {
                return Err(Error::invalid("retention_days", "must be between 1 and 3650"));
            }
            settings::store(txn, RETENTION_SETTING, &Some(days))?;
            audit::append(txn, now, actor, "counsel.retention", RETENTION_SETTING, Some(&days.to_string()))?;
            Ok(days)
        })
    }

    /// Purges every case closed longer ago than the retention period (admins): all its records
    /// and its data key, irreversibly. Statistics stay (they are counters). With `dry_run`,
    /// only counts.
    pub fn purge(&self, actor: &Actor, dry_run: bool) -> Result<PurgeReport> {
        self.ctx.store().write_or_roll_back(|txn| {
            let now = self.ctx.now();
            let subject = self.ctx.resolve(txn, actor)?;
            policy::check(&subject, Action::AdministerCounselling, now)?;
            let retention_days = retention(txn)?;
            let due = records::closed_before(txn, now - Duration::days(i64::from(retention_days)))?;
            for id in &due {
                let record = records::load(txn, *id)?;
                records::delete_case(txn, &record)?;
            }
            records::forget_stale_throttles(txn, now)?;
            let report = PurgeReport { dry_run, purged: due.len() as u64, retention_days };
            if !dry_run && !due.is_empty() {
                let note = format!("{} closed cases, retention {retention_days} days", due.len());
                audit::append(txn, now, actor, "counsel.purge", "enquiries", Some(&note))?;
            }
            Ok((report, if dry_run { Ending::RollBack } else { Ending::Commit }))
        })
    }
}

fn retention(txn: &impl Reader) -> Result<u32> {
    let days: Option<u32> = settings::load(txn, RETENTION_SETTING)?;
    Ok(days.unwrap_or(DEFAULT_RETENTION_DAYS))
}

/// The report of one month's counters. Topics, languages and organisations each add up to the
/// enquiries, so they are published as one [`Release`] with those relations: a small topic
/// cannot be recovered from the total and the other topics.
fn report(month: &str, counters: Vec<(String, u64)>, k: Threshold) -> CounselStats {
    let get = |name: &str| counters.iter().find(|(n, _)| n == name).map_or(0, |(_, c)| *c);
    let mut release = Release::new(k);
    let enquiries = release.count(get("enquiries"));
    let mut rows: Vec<(CountRow, usize, u64)> = Vec::new();
    let mut hours: Vec<(u64, u64)> = Vec::new();
    for (name, count) in &counters {
        if let Some(h) = name.strip_prefix("response_hours:") {
            hours.push((h.parse().unwrap_or(0), *count));
            continue;
        }
        let Some((dimension, key)) = name.split_once(':') else { continue };
        if matches!(dimension, "topic" | "org" | "language") {
            let row = CountRow { dimension: dimension.into(), key: key.into(), count: None };
            rows.push((row, release.count(*count), *count));
        }
    }
    for dimension in ["topic", "language"] {
        let parts: Vec<usize> = rows.iter().filter(|(r, ..)| r.dimension == dimension).map(|(_, c, _)| *c).collect();
        release.add_relation(enquiries, &parts);
    }
    // Organisations add up to the enquiries they took; the rest (not yet assigned) is a cell
    // that is never shown but counts as known, so a small organisation cannot be recovered
    // from the total, the others and the unassigned remainder either.
    let mut orgs: Vec<usize> = rows.iter().filter(|(r, ..)| r.dimension == "org").map(|(_, c, _)| *c).collect();
    let assigned: u64 = rows.iter().filter(|(r, ..)| r.dimension == "org").map(|(.., v)| *v).sum();
    orgs.push(release.count(get("enquiries").saturating_sub(assigned)));
    release.add_relation(enquiries, &orgs);
    let withheld = release.suppress();
    let shown = |cell: usize, value: u64| (!withheld[cell]).then_some(value);
    let responses = get("responses");
    let statistic = |q: f64| k.statistic(responses, quantile(&hours, responses, q));
    CounselStats {
        month: month.to_string(),
        enquiries: shown(enquiries, get("enquiries")),
        rows: rows.into_iter().map(|(row, cell, value)| CountRow { count: shown(cell, value), ..row }).collect(),
        first_responses: k.count(responses),
        first_response_median_hours: statistic(0.5),
        first_response_p90_hours: statistic(0.9),
        sla_breaches: k.count(get("breaches")),
    }
}

/// The `q` quantile of a histogram of whole hours (sorted by hour), by the nearest rank.
fn quantile(hours: &[(u64, u64)], total: u64, q: f64) -> Option<f64> {
    let rank = ((q * total as f64).ceil() as u64).max(1);
    let mut seen = 0;
    for (hour, count) in hours {
        seen += count;
        if seen >= rank {
            return Some(*hour as f64);
        }
    }
    None
}

/// `profile` with what `change` names applied, checked.
fn changed_profile(mut profile: CounsellorProfile, change: &CounsellorProfileUpdate) -> Result<CounsellorProfile> {
    if let Some(capacity) = change.capacity {
        if capacity > 500 {
            return Err(Error::invalid("capacity", "at most 500 open cases"));
        }
        profile.capacity = capacity;
    }
    if change.clear_gender && change.gender.is_some() {
        return Err(Error::invalid("gender", "give a gender or clear it, not both"));
    }
    profile.in_training = change.in_training.unwrap_or(profile.in_training);
    profile.lived_experience = change.lived_experience.unwrap_or(profile.lived_experience);
    if change.clear_gender {
        profile.gender = None;
    } else if change.gender.is_some() {
        profile.gender = change.gender;
    }
    Ok(profile)
}
