//! The job board (Stellenbörse): postings by verified employers, a nationwide radius and text
//! search, seeker profiles, saved searches with alerts, interest tracking, and explained
//! suggestions between postings and seekers.
//!
//! A posting is a draft until published; it is then found by searches until it is filled,
//! withdrawn, or its expiry date passes — expiry needs no job running: search and reads
//! compare with the clock. Only staff of a **verified** organisation (or an admin) manage its
//! postings ([`crate::policy`]).

mod alerts;
mod card;
mod export;
mod figures;
pub(crate) mod finding;
mod index;
mod interest;
mod matcher;
mod migrations;
mod model;
mod query;
pub(crate) mod records;
mod refs;
mod search;
mod seekers;
mod suggest;
pub(crate) mod tables;
mod weights;

use crate::store::WriteTxn;
use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

pub use alerts::{Alerts, SavedSearch, SavedSearchId};
pub use export::job_posting_json_ld;
pub use interest::{Interest, InterestId, InterestStatus, Interests};
pub use model::{
    Contract, ExInRequirement, ExInStatus, Hours, Job, JobId, JobState, JobUpdate, Location, LocationInput,
    MonthlyViews, NewJob, Pay, PayUnit,
};
pub use query::{DEFAULT_RADIUS_KM, JobHit, JobQuery, JobSearchPage, JobSort, MAX_RADIUS_KM, MinPay};
pub(crate) use seekers::record_exin;
pub use seekers::{SeekerFilter, SeekerPage, SeekerProfile, SeekerProfileInput, Seekers};
pub use suggest::{
    DEFAULT_REACH_KM, DEFAULT_SUGGESTIONS, JobSuggestion, MAX_SUGGESTIONS, SeekerSuggestion, SuggestionWeights,
};

use crate::accounts::AccountId;
use crate::actor::{Actor, Subject};
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::geo::{self, Coordinates};
use crate::import::RowProblem;
use crate::inbox::{self, Event};
use crate::orgs::{self, OrgId, Organisation};
use crate::policy::{self, Action};
use crate::store::{Ending, Reader, next_id};
use crate::validate;

const MAX_TITLE: usize = 150;
const MAX_DESCRIPTION: usize = 20_000;
const MAX_CONTACT: usize = 300;
const MAX_OPENINGS: u32 = 1_000;
const MAX_PAY: f64 = 10_000_000.0;
/// The least pay per unit a posting may state: a sanity floor that catches slips such as
/// `1e-300` or a monthly wage typed into the hourly field, not a minimum wage (Denmark has
/// none). One unit of any currency an hour, 100 a month, 1,000 a year: below a tenth of the
/// lowest statutory wage in the EU (Bulgaria, about 2.6 BGN an hour in 2025).
pub const MIN_PAY: [(PayUnit, f64); 3] = [(PayUnit::Hour, 1.0), (PayUnit::Month, 100.0), (PayUnit::Year, 1_000.0)];
/// How far ahead a posting may expire, in days (two years).
pub const MAX_EXPIRY_DAYS: u64 = 730;
/// How long a posting is shown when it is published without an expiry date.
pub const DEFAULT_DAYS_SHOWN: u64 = 60;

/// How a bulk import treats bad rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ImportMode {
    /// Import every valid row; report the others.
    #[default]
    SkipBadRows,
    /// Import nothing unless every row is valid.
    AllOrNothing,
}

/// One row of a job import: the posting, whether to publish it, and its line in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JobImportRow {
    pub line: u64,
    pub job: NewJob,
    #[serde(default)]
    pub publish: bool,
    /// The employer's own id for the posting (`ref` in files), unique per organisation: a row
    /// whose organisation already has a posting with this reference updates that posting.
    #[serde(default, rename = "ref")]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub reference: Option<String>,
}

/// What a job import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JobImport {
    /// Ids of the postings created (none on a dry run or a refused all-or-nothing import).
    pub created: Vec<JobId>,
    /// Ids of the postings a row with a known `ref` changed.
    #[serde(default)]
    pub updated: Vec<JobId>,
    /// How many rows were valid (would be imported, on a dry run).
    pub valid_rows: u64,
    pub published: u64,
    pub problems: Vec<RowProblem>,
    pub dry_run: bool,
}

/// Job posting operations, borrowed from a [`crate::Platform`].
pub struct Jobs<'p> {
    pub(crate) ctx: &'p Context,
}

impl Jobs<'_> {
    /// Creates a draft posting for `new.org` (its staff, once the organisation is verified, or an admin).
    pub fn create(&self, actor: &Actor, new: &NewJob) -> Result<Job> {
        self.ctx.write(actor, |txn, subject, now| create(txn, actor, subject, new, now))
    }

    /// One posting. Drafts and withdrawn postings are visible to the organisation's staff and
    /// admins only; to everyone else they do not exist.
    pub fn get(&self, actor: &Actor, id: JobId) -> Result<Job> {
        self.ctx.read(actor, |txn, subject, now| {
            let job = load(txn, id, now)?;
            require_visible(txn, subject, &job, now)?;
            Ok(job)
        })
    }

    /// Changes a draft or a published posting. A published one is re-indexed at once.
    pub fn update(&self, actor: &Actor, id: JobId, change: &JobUpdate) -> Result<Job> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut stats = index::PendingStats::default();
            let job = update_in(txn, actor, subject, id, change, now, &mut stats)?;
            stats.write(txn)?;
            Ok(job)
        })
    }

    /// Publishes a draft: it becomes searchable, and every saved search it satisfies gets an
    /// alert in its owner's inbox.
    pub fn publish(&self, actor: &Actor, id: JobId) -> Result<Job> {
        let published = self.publish_many(actor, &[id])?.into_iter().next();
        published.ok_or_else(|| Error::Internal { detail: format!("publishing job {id} returned no posting") })
    }

    /// Publishes several drafts in one transaction (imports, batch tools): all or none.
    pub fn publish_many(&self, actor: &Actor, ids: &[JobId]) -> Result<Vec<Job>> {
        self.ctx.write(actor, |txn, subject, now| {
            let mut batch = Publishing::default();
            let jobs =
                ids.iter().map(|id| publish(txn, actor, subject, *id, now, &mut batch)).collect::<Result<_>>()?;
            batch.finish(txn, now)?;
            Ok(jobs)
        })
    }

    /// Takes a draft or published posting off the board.
    pub fn withdraw(&self, actor: &Actor, id: JobId, reason: Option<&str>) -> Result<Job> {
        self.ctx.write(actor, |txn, subject, now| {
            let reason = validate::optional_line("reason", reason, 500)?;
            end(txn, actor, subject, id, JobState::Withdrawn, reason.as_deref(), now)
        })
    }

    /// Marks a published posting filled: it leaves the search, and stays readable.
    pub fn fill(&self, actor: &Actor, id: JobId) -> Result<Job> {
        self.ctx.write(actor, |txn, subject, now| end(txn, actor, subject, id, JobState::Filled, None, now))
    }

    /// Counts one view of a published posting, by anyone; who viewed is not stored.
    pub fn record_view(&self, actor: &Actor, id: JobId) -> Result<()> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewJobs, now)?;
            let job = load(txn, id, now)?;
            if job.state != JobState::Published {
                return Err(Error::not_found("published job posting", id));
            }
            records::count_view(txn, &job, month_key(now))
        })
    }

    /// A posting's views per month, oldest first (its organisation's staff and admins).
    pub fn views(&self, actor: &Actor, id: JobId) -> Result<Vec<MonthlyViews>> {
        self.ctx.read(actor, |txn, subject, now| {
            load_managed(txn, subject, id, now)?;
            monthly_views(txn, id)
        })
    }

    /// Views of all postings per month, oldest first (admins).
    pub fn total_views(&self, actor: &Actor) -> Result<Vec<MonthlyViews>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewPlatformStats, now)?;
            monthly_views(txn, JobId(0))
        })
    }

    /// Creates postings from imported rows in one transaction, publishing those marked so.
    /// Bad rows are reported by line and field; see [`ImportMode`]. Alerts go out as for
    /// [`Jobs::publish`].
    pub fn import(&self, actor: &Actor, rows: &[JobImportRow], mode: ImportMode, dry_run: bool) -> Result<JobImport> {
        let store = self.ctx.store();
        let now = self.ctx.now();
        store.write_or_roll_back(|txn| {
            let mut report = JobImport {
                created: Vec::new(),
                updated: Vec::new(),
                valid_rows: 0,
                published: 0,
                problems: Vec::new(),
                dry_run,
            };
            let subject = self.ctx.resolve(txn, actor)?;
            let mut batch = Publishing::default();
            let mut seen = refs::SeenRefs::default();
            for row in rows {
                match seen.check(row).and_then(|()| import_row(txn, actor, &subject, row, now, &mut batch)) {
                    Ok((job, updated)) => {
                        report.valid_rows += 1;
                        report.published += u64::from(job.state == JobState::Published);
                        if updated { report.updated.push(job.id) } else { report.created.push(job.id) }
                    }
                    Err(e @ (Error::Storage { .. } | Error::Internal { .. })) => return Err(e),
                    Err(e) => report.problems.push(RowProblem::from_error(row.line, &e)),
                }
            }
            batch.finish(txn, now)?;
            let refuse = mode == ImportMode::AllOrNothing && !report.problems.is_empty();
            // Rolling back is how a dry run or a refused import leaves nothing behind.
            if dry_run || refuse {
                report.created.clear();
                report.updated.clear();
                return Ok((report, Ending::RollBack));
            }
            Ok((report, Ending::Commit))
        })
    }

    /// Postings for export: the published ones, or with `org` and `include_unpublished`
    /// every posting of that organisation (its staff and admins). In id order.
    pub fn export(&self, actor: &Actor, org: Option<OrgId>, include_unpublished: bool) -> Result<Vec<Job>> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewJobs, now)?;
            if include_unpublished {
                let org = org.ok_or_else(|| Error::invalid("org", "name the organisation whose drafts to export"))?;
                let organisation = orgs::load(txn, org)?;
                policy::check(subject, Action::ManageJobs { org: &organisation }, now)?;
                return org_jobs(txn, org, now);
            }
            let mut out = Vec::new();
            records::each_posting(txn, |job| {
                let job = with_state(job, now);
                if job.state == JobState::Published && org.is_none_or(|o| job.org == o) {
                    out.push(job);
                }
                Ok(())
            })?;
            Ok(out)
        })
    }

    /// The postings of [`Jobs::export`] as a JSON array of schema.org `JobPosting` objects
    /// (JSON-LD), the form search engines and job aggregators read.
    pub fn export_json_ld(&self, actor: &Actor, org: Option<OrgId>, include_unpublished: bool) -> Result<String> {
        let jobs = self.export(actor, org, include_unpublished)?;
        let mut employers = std::collections::BTreeMap::new();
        let mut postings = Vec::with_capacity(jobs.len());
        for job in &jobs {
            let employer = match employers.entry(job.org) {
                std::collections::btree_map::Entry::Occupied(slot) => slot.into_mut(),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(crate::orgs::Organisations { ctx: self.ctx }.get(actor, job.org)?)
                }
            };
            postings.push(export::job_posting_json_ld(job, employer));
        }
        Ok(serde_json::Value::Array(postings).to_string())
    }
}

fn create(txn: &WriteTxn, actor: &Actor, subject: &Subject, new: &NewJob, now: Timestamp) -> Result<Job> {
    let job = draft(txn, subject, new, now)?;
    insert(txn, actor, job, now)
}

/// A checked draft of `new`, not yet stored (its id is 0).
fn draft(txn: &WriteTxn, subject: &Subject, new: &NewJob, now: Timestamp) -> Result<Job> {
    let org = orgs::load(txn, new.org)?;
    policy::check(subject, Action::ManageJobs { org: &org }, now)?;
    let job = Job {
        id: JobId(0),
        org: org.id,
        title: validate::required_line("title", &new.title, MAX_TITLE)?,
        description: validate::required_text("description", &new.description, MAX_DESCRIPTION)?,
        location: resolve_location(txn, &new.location)?,
        contract: new.contract,
        hours: validate_hours("hours", new.hours)?,
        pay: new.pay.as_ref().map(validate_pay).transpose()?,
        requirement: new.requirement.unwrap_or_default(),
        languages: validate_languages(&new.languages)?,
        starts_on: new.starts_on,
        expires_on: new.expires_on,
        openings: validate_openings(new.openings.unwrap_or(1))?,
        contact: validate::optional_line("contact", new.contact.as_deref(), MAX_CONTACT)?,
        state: JobState::Draft,
        created_at: now,
        updated_at: now,
        published_at: None,
    };
    check_dates(&job, now)?;
    Ok(job)
}

/// Stores a checked draft under a new id.
fn insert(txn: &WriteTxn, actor: &Actor, job: Job, now: Timestamp) -> Result<Job> {
    let job = Job { id: JobId(next_id(txn, "jobs")?), ..job };
    save(txn, &job)?;
    records::list_under_org(txn, &job)?;
    audit::append(txn, now, actor, "job.create", &target(job.id), Some(&job.title))?;
    Ok(job)
}

/// What publishing several postings in one transaction leaves to its end, so that each is
/// written once per batch: the text index changes (one open segment), and the alerts (each
/// alerted search's name opened once), delivered in account order (inbox keys start with the account: neighbours share B-tree pages).
#[derive(Default)]
struct Publishing {
    stats: index::PendingStats,
    alerts: Vec<(AccountId, Event)>,
    names: alerts::SearchNames,
}

impl Publishing {
    fn finish(mut self, txn: &WriteTxn, now: Timestamp) -> Result<()> {
        self.stats.write(txn)?;
        self.alerts.sort_by_key(|(account, _)| *account);
        inbox::deliver_all(txn, self.alerts, now)
    }
}

fn publish(
    txn: &WriteTxn,
    actor: &Actor,
    subject: &Subject,
    id: JobId,
    now: Timestamp,
    batch: &mut Publishing,
) -> Result<Job> {
    let (job, org) = load_managed(txn, subject, id, now)?;
    if job.state != JobState::Draft {
        return Err(Error::conflict(format!("posting {id} is {}, not a draft; only drafts are published", job.state)));
    }
    require_verified(&org)?;
    let mut job = with_default_expiry(job, now);
    check_publishable(&job, now)?;
    job.state = JobState::Published;
    job.published_at = Some(now);
    job.updated_at = now;
    save(txn, &job)?;
    let card = index::add(txn, &job, &mut batch.stats)?;
    batch.alerts.extend(alerts::alerts_for(txn, &job, &card, now, &mut batch.names)?);
    audit::append(txn, now, actor, "job.publish", &target(id), None)?;
    Ok(job)
}

/// Imports one row: a new posting, or with a `ref` the organisation already used, a change of
/// that posting (so a repeated or resumed import does not duplicate). Returns the posting and
/// whether it was an update.
fn import_row(
    txn: &WriteTxn,
    actor: &Actor,
    subject: &Subject,
    row: &JobImportRow,
    now: Timestamp,
    batch: &mut Publishing,
) -> Result<(Job, bool)> {
    let reference = row.reference.as_deref().map(refs::validate).transpose()?;
    if let Some(id) = reference.as_deref().map(|r| records::posting_of_ref(txn, row.job.org, r)).transpose()?.flatten()
    {
        let job = update_in(txn, actor, subject, id, &refs::as_update(&row.job), now, &mut batch.stats)?;
        let job = if row.publish && job.state == JobState::Draft {
            publish(txn, actor, subject, id, now, batch)?
        } else {
            job
        };
        return Ok((job, true));
    }
    let job = new_row(txn, actor, subject, row, now, batch)?;
    if let Some(reference) = &reference {
        records::file_ref(txn, job.org, reference, job.id)?;
    }
    Ok((job, false))
}

fn new_row(
    txn: &WriteTxn,
    actor: &Actor,
    subject: &Subject,
    row: &JobImportRow,
    now: Timestamp,
    batch: &mut Publishing,
) -> Result<Job> {
    let job = draft(txn, subject, &row.job, now)?;
    if row.publish {
        // Checked before anything is stored, so a row that cannot be published leaves no draft.
        require_verified(&orgs::load(txn, job.org)?)?;
        check_publishable(&with_default_expiry(job.clone(), now), now)?;
    }
    let job = insert(txn, actor, job, now)?;
    if row.publish { publish(txn, actor, subject, job.id, now, batch) } else { Ok(job) }
}

/// A posting given the default expiry date if it has none (publishing does this).
fn with_default_expiry(mut job: Job, now: Timestamp) -> Job {
    if job.expires_on.is_none() {
        job.expires_on = default_expiry(now);
    }
    job
}

fn end(
    txn: &WriteTxn,
    actor: &Actor,
    subject: &Subject,
    id: JobId,
    state: JobState,
    reason: Option<&str>,
    now: Timestamp,
) -> Result<Job> {
    let (mut job, _) = load_managed(txn, subject, id, now)?;
    let allowed = match state {
        JobState::Filled => matches!(job.state, JobState::Published | JobState::Expired),
        _ => matches!(job.state, JobState::Draft | JobState::Published | JobState::Expired),
    };
    if !allowed {
        return Err(Error::conflict(format!("posting {id} is {}; it cannot become {state}", job.state)));
    }
    if job.state != JobState::Draft {
        index::remove_now(txn, &stored(&job))?;
    }
    job.state = state;
    job.updated_at = now;
    save(txn, &job)?;
    let action = if state == JobState::Filled { "job.fill" } else { "job.withdraw" };
    audit::append(txn, now, actor, action, &target(id), reason)?;
    Ok(job)
}

/// Takes a posting off the board for a moderator (inside their operation): `NotFound` when it
/// is gone, `Conflict` when it is not on the board. Returns its state before.
pub(crate) fn withdraw_in(txn: &WriteTxn, id: JobId, now: Timestamp) -> Result<JobState> {
    let mut job = load(txn, id, now)?;
    let before = job.state;
    if !matches!(job.state, JobState::Draft | JobState::Published | JobState::Expired) {
        return Err(Error::conflict(format!("posting {id} is {}; it is not on the board", job.state)));
    }
    if job.state != JobState::Draft {
        index::remove_now(txn, &stored(&job))?;
    }
    job.state = JobState::Withdrawn;
    job.updated_at = now;
    save(txn, &job)?;
    Ok(before)
}

/// Marks a posting filled from inside another operation (hiring through interest).
pub(crate) fn fill_in(txn: &WriteTxn, actor: &Actor, subject: &Subject, id: JobId, now: Timestamp) -> Result<()> {
    end(txn, actor, subject, id, JobState::Filled, Some("all openings hired"), now).map(|_| ())
}

/// Loads a posting, with its state as of `now`.
pub(crate) fn load(txn: &impl Reader, id: JobId, now: Timestamp) -> Result<Job> {
    let job = records::posting(txn, id)?.ok_or_else(|| Error::not_found("job posting", id))?;
    Ok(with_state(job, now))
}

/// Loads a posting its organisation's staff (or an admin) may manage.
pub(crate) fn load_managed(
    txn: &impl Reader,
    subject: &Subject,
    id: JobId,
    now: Timestamp,
) -> Result<(Job, Organisation)> {
    let job = load(txn, id, now)?;
    let org = orgs::load(txn, job.org)?;
    policy::check(subject, Action::ManageJobs { org: &org }, now)?;
    Ok((job, org))
}

/// Whether `subject` may see `job`: published, filled and expired postings are public.
pub(crate) fn require_visible(txn: &impl Reader, subject: &Subject, job: &Job, now: Timestamp) -> Result<()> {
    policy::check(subject, Action::ViewJobs, now)?;
    if matches!(job.state, JobState::Draft | JobState::Withdrawn) {
        let org = orgs::load(txn, job.org)?;
        if !policy::allows(subject, Action::ManageJobs { org: &org }, now) {
            return Err(Error::not_found("job posting", job.id));
        }
    }
    Ok(())
}

/// Every posting of `org`, in id order.
pub(crate) fn org_jobs(txn: &impl Reader, org: OrgId, now: Timestamp) -> Result<Vec<Job>> {
    records::postings_of_org(txn, org)?.into_iter().map(|id| load(txn, id, now)).collect()
}

fn with_state(mut job: Job, now: Timestamp) -> Job {
    if job.state == JobState::Published && index::has_expired(&job, now) {
        job.state = JobState::Expired;
    }
    job
}

/// The posting as stored: `Expired` is only ever derived.
fn stored(job: &Job) -> Job {
    let mut job = job.clone();
    if job.state == JobState::Expired {
        job.state = JobState::Published;
    }
    job
}

/// Changes a draft or published posting inside the caller's transaction (see `Jobs::update`).
fn update_in(
    txn: &WriteTxn,
    actor: &Actor,
    subject: &Subject,
    id: JobId,
    change: &JobUpdate,
    now: Timestamp,
    stats: &mut index::PendingStats,
) -> Result<Job> {
    let (mut job, _) = load_managed(txn, subject, id, now)?;
    if !matches!(job.state, JobState::Draft | JobState::Published | JobState::Expired) {
        return Err(Error::conflict(format!("posting {id} is {}; it can no longer be edited", job.state)));
    }
    let indexed = job.state != JobState::Draft;
    if indexed {
        index::remove(txn, &stored(&job), stats)?;
    }
    apply(txn, &mut job, change, now)?;
    job.updated_at = now;
    if indexed {
        check_publishable(&job, now)?;
        job.state = JobState::Published;
        index::add(txn, &job, stats)?;
    }
    save(txn, &job)?;
    audit::append(txn, now, actor, "job.update", &target(id), None)?;
    Ok(job)
}

fn save(txn: &WriteTxn, job: &Job) -> Result<()> {
    let stored = stored(job);
    records::save_posting(txn, &stored)?;
    finding::index_job(txn, &stored)
}

fn apply(txn: &WriteTxn, job: &mut Job, change: &JobUpdate, now: Timestamp) -> Result<()> {
    if let Some(title) = &change.title {
        job.title = validate::required_line("title", title, MAX_TITLE)?;
    }
    if let Some(description) = &change.description {
        job.description = validate::required_text("description", description, MAX_DESCRIPTION)?;
    }
    if let Some(location) = &change.location {
        job.location = resolve_location(txn, location)?;
    }
    if let Some(contract) = change.contract {
        job.contract = contract;
    }
    if let Some(hours) = change.hours {
        job.hours = validate_hours("hours", hours)?;
    }
    if let Some(pay) = &change.pay {
        job.pay = Some(validate_pay(pay)?);
    }
    if let Some(requirement) = change.requirement {
        job.requirement = requirement;
    }
    if let Some(languages) = &change.languages {
        job.languages = validate_languages(languages)?;
    }
    if let Some(starts_on) = change.starts_on {
        job.starts_on = Some(starts_on);
    }
    if let Some(expires_on) = change.expires_on {
        job.expires_on = Some(expires_on);
    }
    if let Some(openings) = change.openings {
        job.openings = validate_openings(openings)?;
    }
    if let Some(contact) = &change.contact {
        job.contact = validate::optional_line("contact", Some(contact), MAX_CONTACT)?;
    }
    check_dates(job, now)
}

fn resolve_location(txn: &impl Reader, input: &LocationInput) -> Result<Location> {
    match input {
        LocationInput::Remote => Ok(Location::Remote),
        LocationInput::Postcode { country, postcode } => {
            let place = geo::resolve(txn, country, postcode)?;
            Ok(Location::OnSite {
                coordinates: place.coordinates,
                place: place.names.first().cloned(),
                postcode: Some(place.postcode),
                country: Some(place.country),
            })
        }
        LocationInput::Coordinates { latitude, longitude, place } => Ok(Location::OnSite {
            coordinates: Coordinates::new(*latitude, *longitude)?,
            place: validate::optional_line("place", place.as_deref(), 100)?,
            postcode: None,
            country: None,
        }),
    }
}

/// Hours per week: whole hours from 1 to 60, min ≤ max.
pub(crate) fn validate_hours(field: &str, hours: Hours) -> Result<Hours> {
    for (name, value) in [("min", hours.min), ("max", hours.max)] {
        if !(1..=60).contains(&value) {
            return Err(Error::invalid(
                format!("{field}.{name}"),
                format!("{value} is not between 1 and 60 hours a week"),
            ));
        }
    }
    if hours.min > hours.max {
        return Err(Error::invalid(
            format!("{field}.min"),
            format!("{} is above {field}.max {}", hours.min, hours.max),
        ));
    }
    Ok(hours)
}

fn validate_pay(pay: &Pay) -> Result<Pay> {
    let floor = MIN_PAY.iter().find(|(unit, _)| *unit == pay.unit).map_or(1.0, |(_, floor)| *floor);
    let amount = |field: &str, v: f64| -> Result<f64> {
        if !v.is_finite() || v <= 0.0 || v > MAX_PAY {
            return Err(Error::invalid(field, format!("{v} is not an amount between 0 and {MAX_PAY}")));
        }
        if v < floor {
            return Err(Error::invalid(
                field,
                format!(
                    "{v} a {} is below the sanity floor of {floor}: is the unit or the decimal point wrong?",
                    pay.unit
                ),
            ));
        }
        if ((v * 100.0).round() - v * 100.0).abs() > 1e-6 {
            return Err(Error::invalid(field, format!("{v} has more than two decimals")));
        }
        Ok(v)
    };
    let min = amount("pay.min", pay.min)?;
    let max = pay.max.map(|m| amount("pay.max", m)).transpose()?;
    if let Some(max) = max
        && min > max
    {
        return Err(Error::invalid("pay.min", format!("{min} is above pay.max {max}")));
    }
    Ok(Pay {
        min,
        max,
        unit: pay.unit,
        currency: validate_currency("pay.currency", &pay.currency)?,
        agreement: validate::optional_line("pay.agreement", pay.agreement.as_deref(), 60)?,
        group: validate::optional_line("pay.group", pay.group.as_deref(), 30)?,
    })
}

/// An ISO 4217 currency code: three letters, upper-cased.
pub(crate) fn validate_currency(field: &str, code: &str) -> Result<String> {
    let clean = code.trim().to_ascii_uppercase();
    if clean.len() != 3 || !clean.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(field, format!("'{code}' is not an ISO 4217 currency code such as EUR or DKK")));
    }
    Ok(clean)
}

fn validate_languages(languages: &[String]) -> Result<Vec<String>> {
    let clean = validate::languages("languages", languages)?;
    if clean.is_empty() {
        return Err(Error::invalid("languages", "name at least one working language, such as de"));
    }
    Ok(clean)
}

fn validate_openings(n: u32) -> Result<u32> {
    if !(1..=MAX_OPENINGS).contains(&n) {
        return Err(Error::invalid("openings", format!("{n} is not between 1 and {MAX_OPENINGS}")));
    }
    Ok(n)
}

fn check_dates(job: &Job, now: Timestamp) -> Result<()> {
    let Some(expires) = job.expires_on else { return Ok(()) };
    let today = now.date_naive();
    if expires < today {
        return Err(Error::invalid("expires_on", format!("{expires} is in the past (today is {today})")));
    }
    if today.checked_add_days(Days::new(MAX_EXPIRY_DAYS)).is_some_and(|latest| expires > latest) {
        return Err(Error::invalid("expires_on", format!("{expires} is more than two years ahead")));
    }
    if let Some(starts) = job.starts_on
        && expires < starts
    {
        return Err(Error::invalid("expires_on", format!("{expires} is before starts_on {starts}")));
    }
    Ok(())
}

/// Only verified organisations publish, whoever asks: admins and the operator too (an admin
/// verifies the organisation first), so the board never shows an employer nobody checked.
fn require_verified(org: &Organisation) -> Result<()> {
    if org.verified {
        return Ok(());
    }
    Err(Error::denied(
        format!("publish postings of organisation {}", org.id),
        format!("'{}' is not verified; an admin verifies it first (`trialog org verify {}`)", org.name, org.id),
    ))
}

/// What publishing needs beyond a valid draft: pay for anything but volunteering (the EU
/// pay-transparency directive), and a future expiry date.
fn check_publishable(job: &Job, now: Timestamp) -> Result<()> {
    if job.pay.is_none() && job.contract != Contract::Volunteer {
        return Err(Error::invalid(
            "pay",
            "is required to publish a paid post (EU pay transparency); add the pay range",
        ));
    }
    check_dates(job, now)
}

fn monthly_views(txn: &impl Reader, id: JobId) -> Result<Vec<MonthlyViews>> {
    let views = records::views_of(txn, id)?.into_iter();
    Ok(views
        .map(|(month, views)| MonthlyViews { month: format!("{:04}-{:02}", month / 100, month % 100), views })
        .collect())
}

fn month_key(now: Timestamp) -> u32 {
    now.year().unsigned_abs() * 100 + now.month()
}

fn target(id: JobId) -> String {
    format!("job:{id}")
}

/// The date a posting published now would expire without an explicit date.
pub fn default_expiry(now: Timestamp) -> Option<NaiveDate> {
    now.date_naive().checked_add_days(Days::new(DEFAULT_DAYS_SHOWN))
}

/// Registration of the jobs domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "jobs",
    tick: index::tick,
    personal: Some(records::personal::PERSONAL),
    tables: tables::TABLES,
    migrate: migrations::migrate,
    check: |txn, found| {
        let n = records::integrity::check_integrity(txn, &mut found.problems)?;
        records::check_refs(txn, &mut found.problems)?;
        found.count("job_postings", n);
        let profiles = records::seekers::check(txn, &mut found.problems)?;
        found.count("seeker profiles", profiles);
        Ok(())
    },
    figures: Some(figures::gather),
};
