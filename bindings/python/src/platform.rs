//! The `Platform` class: a core platform and the actor its operations act as.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;
use trialog_core::counsel::{Absence, CounselOffer, CounsellorProfile, NewEnquiry};
use trialog_core::{
    AccountFilter, AccountId, AccountUpdate, Actor, AppealOutcome, AuditFilter, BoardUpdate, CrisisResource,
    ForumQuery, InterestId, InterestStatus, ItemState, JobId, JobQuery, JobUpdate, MatchRunFilter, ModerationAction,
    ModerationMode, ModerationSettings, NewAccount, NewBoard, NewJob, NewOrganisation, NewReply, NewReport, NewThread,
    OrgId, OrgKind, OrganisationFilter, OrganisationUpdate, PageRequest, Perspective, PlatformOptions, PostId, Role,
    RoleKind, RunId, SavedSearchId, SeekerFilter, SeekerProfileInput, StatsPeriod, StatusKind, SuggestionWeights,
    Target, ThreadId, WatchedWord,
};

use crate::convert::{parse, parse_opt, timestamp, to_py, to_value};
use crate::counsel;
use crate::errors::call;
use crate::fault::Fault;
use crate::forums::BoardRef;
use crate::iter::{Listing, PageIterator};
use crate::jobs;
use crate::suggestions::{assignment_input, flat, placements_input};

/// A trialog platform over one database file, acting as one actor.
///
/// `Platform.open(path)` and `Platform.in_memory()` act as the operator (whoever holds the file
/// has all rights). `acting_as`, `as_account`, `anonymous` and `sign_in` return further handles
/// on the same platform for other actors; all handles share one database and are safe to use
/// from many threads. Results are plain dicts and lists; timestamps are aware datetimes in UTC.
#[pyclass(frozen, module = "trialog", name = "Platform")]
pub(crate) struct Platform {
    core: trialog_core::Platform,
    actor: Actor,
    fault: Fault,
}

impl Platform {
    fn new(core: trialog_core::Platform, fault: Fault) -> Self {
        Platform { core, actor: Actor::Operator, fault }
    }

    /// Another handle on the same platform.
    fn acting(&self, actor: Actor) -> Self {
        Platform { core: self.core.clone(), actor, fault: self.fault.clone() }
    }

    #[cfg(feature = "fault-injection")]
    pub(crate) fn fault(&self) -> &Fault {
        &self.fault
    }

    /// Runs a core operation without the GIL and returns its result as Python data.
    fn record<T, F>(&self, py: Python<'_>, work: F) -> PyResult<Py<PyAny>>
    where
        T: Serialize,
        F: FnOnce(&trialog_core::Platform, &Actor) -> trialog_core::Result<T> + Send,
    {
        let value = call(py, || work(&self.core, &self.actor).and_then(|r| to_value(&r)))?;
        to_py(py, &value)
    }

    fn page(
        &self,
        py: Python<'_>,
        listing: Listing,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        listing.page(py, &self.core, &self.actor, PageRequest { cursor, limit })
    }

    fn pages(&self, listing: Listing, page_size: Option<u32>) -> PageIterator {
        PageIterator::new(self.core.clone(), self.actor.clone(), listing, page_size)
    }
}

fn account_filter(
    py: Python<'_>,
    role: Option<&str>,
    org: Option<OrgId>,
    status: Option<&str>,
    perspective: Option<&str>,
    pseudonym_prefix: Option<String>,
) -> PyResult<AccountFilter> {
    Ok(AccountFilter {
        role: parse_opt::<RoleKind>(py, role)?,
        org,
        status: parse_opt::<StatusKind>(py, status)?,
        perspective: parse_opt::<Perspective>(py, perspective)?,
        pseudonym_prefix,
    })
}

fn organisation_filter(
    py: Python<'_>,
    kind: Option<&str>,
    verified: Option<bool>,
    region: Option<String>,
    name_contains: Option<String>,
) -> PyResult<OrganisationFilter> {
    Ok(OrganisationFilter { kind: parse_opt::<OrgKind>(py, kind)?, verified, region, name_contains })
}

#[pymethods]
impl Platform {
    // ---- opening and actors -------------------------------------------------------------

    /// Opens (or creates) the database file at `path`, acting as the operator.
    ///
    /// `cache_bytes` sets the page cache (default 256 MiB); `durability` is "immediate" (every
    /// change is on disk when the call returns) or "eventual" (call `flush()` at the end).
    /// With `create=False` a missing file raises NotFoundError instead of starting an empty
    /// platform. Raises DatabaseInUseError when the file is already open.
    #[staticmethod]
    #[pyo3(signature = (path, *, cache_bytes = None, durability = "immediate", create = true, content_key = None))]
    fn open(
        py: Python<'_>,
        path: PathBuf,
        cache_bytes: Option<usize>,
        durability: &str,
        create: bool,
        content_key: Option<Vec<u8>>,
    ) -> PyResult<Self> {
        let fault = Fault::default();
        let content_key = counsel::content_key(py, content_key)?;
        let mut options = PlatformOptions { clock: fault.clock(), content_key, ..PlatformOptions::default() };
        options.durability = crate::convert::durability(py, durability)?;
        if let Some(bytes) = cache_bytes {
            options.cache_bytes = bytes;
        }
        let core = call(py, || {
            if create {
                trialog_core::Platform::open(&path, options)
            } else {
                trialog_core::Platform::open_existing(&path, options)
            }
        })?;
        Ok(Platform::new(core, fault))
    }

    /// A platform that lives in memory only, acting as the operator; `content_key` (32 bytes)
    /// enables counselling content.
    #[staticmethod]
    #[pyo3(signature = (*, content_key = None))]
    fn in_memory(py: Python<'_>, content_key: Option<Vec<u8>>) -> PyResult<Self> {
        let fault = Fault::default();
        let content_key = counsel::content_key(py, content_key)?;
        let options = PlatformOptions { clock: fault.clock(), content_key, ..PlatformOptions::default() };
        let core = call(py, || trialog_core::Platform::in_memory_with(options))?;
        Ok(Platform::new(core, fault))
    }

    /// A handle acting as the account with this pseudonym (the script vouches for the person).
    fn acting_as(&self, py: Python<'_>, pseudonym: &str) -> PyResult<Self> {
        let account = call(py, || self.core.accounts().find_by_pseudonym(&Actor::Operator, pseudonym))?;
        Ok(self.acting(Actor::account(account.id)))
    }

    /// A handle acting as account `id` (the script vouches for the person).
    fn as_account(&self, py: Python<'_>, id: AccountId) -> PyResult<Self> {
        let account = call(py, || self.core.accounts().get(&Actor::Operator, id))?;
        Ok(self.acting(Actor::account(account.id)))
    }

    /// A handle acting as someone not signed in.
    fn anonymous(&self) -> Self {
        self.acting(Actor::Anonymous)
    }

    /// Checks pseudonym and password and returns a handle acting as that account.
    ///
    /// Raises PermissionDeniedError when either is wrong (or the account may not sign in), and
    /// RateLimitedError after five failures in a row.
    fn sign_in(&self, py: Python<'_>, pseudonym: &str, password: &str) -> PyResult<Self> {
        let account = call(py, || self.core.accounts().authenticate(pseudonym, password))?;
        Ok(self.acting(Actor::account(account.id)))
    }

    /// Who this handle acts as: "operator", "anonymous" or "account:<id>".
    #[getter]
    fn actor(&self) -> String {
        self.actor.to_string()
    }

    /// The id of the account this handle acts as, or None for the operator and anonymous.
    #[getter]
    fn account_id(&self) -> Option<AccountId> {
        match self.actor {
            Actor::Account { id } => Some(id),
            _ => None,
        }
    }

    fn __repr__(&self) -> String {
        format!("<trialog.Platform acting as {}>", self.actor)
    }

    // ---- organisations ------------------------------------------------------------------

    /// Registers an organisation, unverified. A member who registers one becomes its staff.
    #[pyo3(signature = (name, kind, region, city = None, website = None))]
    fn create_organisation(
        &self,
        py: Python<'_>,
        name: String,
        kind: &str,
        region: String,
        city: Option<String>,
        website: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let new = NewOrganisation { name, kind: parse(py, kind)?, region, city, website };
        self.record(py, |core, actor| core.orgs().create(actor, &new))
    }

    /// One organisation.
    fn organisation(&self, py: Python<'_>, id: OrgId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.orgs().get(actor, id))
    }

    /// One page of organisations in id order: {"items": [...], "next_cursor": str | None}.
    #[pyo3(signature = (*, kind = None, verified = None, region = None, name_contains = None, cursor = None, limit = None))]
    #[allow(clippy::too_many_arguments)]
    fn list_organisations(
        &self,
        py: Python<'_>,
        kind: Option<&str>,
        verified: Option<bool>,
        region: Option<String>,
        name_contains: Option<String>,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let filter = organisation_filter(py, kind, verified, region, name_contains)?;
        self.page(py, Listing::Organisations(filter), cursor, limit)
    }

    /// Every organisation matching the filters, walking all pages.
    #[pyo3(signature = (*, kind = None, verified = None, region = None, name_contains = None, page_size = None))]
    fn iter_organisations(
        &self,
        py: Python<'_>,
        kind: Option<&str>,
        verified: Option<bool>,
        region: Option<String>,
        name_contains: Option<String>,
        page_size: Option<u32>,
    ) -> PyResult<PageIterator> {
        let filter = organisation_filter(py, kind, verified, region, name_contains)?;
        Ok(self.pages(Listing::Organisations(filter), page_size))
    }

    /// Changes an organisation's details; an empty string clears `city` or `website`.
    #[pyo3(signature = (id, *, name = None, kind = None, region = None, city = None, website = None))]
    #[allow(clippy::too_many_arguments)]
    fn update_organisation(
        &self,
        py: Python<'_>,
        id: OrgId,
        name: Option<String>,
        kind: Option<&str>,
        region: Option<String>,
        city: Option<String>,
        website: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let change = OrganisationUpdate { name, kind: parse_opt(py, kind)?, region, city, website };
        self.record(py, |core, actor| core.orgs().update(actor, id, &change))
    }

    /// Marks an organisation verified, or withdraws the verification (admins only).
    #[pyo3(signature = (id, verified = true, reason = None))]
    fn verify_organisation(
        &self,
        py: Python<'_>,
        id: OrgId,
        verified: bool,
        reason: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.orgs().verify(actor, id, verified, reason.as_deref()))
    }

    // ---- accounts -----------------------------------------------------------------------

    /// Creates an account with the member role; `perspective_visibility` ("public", "members",
    /// "nobody") says who else sees the perspective.
    #[pyo3(
        signature = (pseudonym, *, perspective = "undisclosed", perspective_visibility = "nobody", languages = Vec::new(), home_region = None, email = None),
        text_signature = "($self, pseudonym, *, perspective='undisclosed', perspective_visibility='nobody', languages=(), home_region=None, email=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create_account(
        &self,
        py: Python<'_>,
        pseudonym: String,
        perspective: &str,
        perspective_visibility: &str,
        languages: Vec<String>,
        home_region: Option<String>,
        email: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let new = NewAccount {
            pseudonym,
            perspective: parse(py, perspective)?,
            perspective_visibility: parse(py, perspective_visibility)?,
            languages,
            home_region,
            email,
        };
        self.record(py, |core, actor| core.accounts().create(actor, &new))
    }

    /// One account; the e-mail address is shown only to its owner, admins and the operator.
    fn account(&self, py: Python<'_>, id: AccountId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.accounts().get(actor, id))
    }

    /// The account with this pseudonym, ignoring case and Unicode form.
    fn account_by_pseudonym(&self, py: Python<'_>, name: &str) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.accounts().find_by_pseudonym(actor, name))
    }

    /// One page of accounts in id order (moderators, admins, operator).
    #[pyo3(signature = (*, role = None, org = None, status = None, perspective = None, pseudonym_prefix = None, cursor = None, limit = None))]
    #[allow(clippy::too_many_arguments)]
    fn list_accounts(
        &self,
        py: Python<'_>,
        role: Option<&str>,
        org: Option<OrgId>,
        status: Option<&str>,
        perspective: Option<&str>,
        pseudonym_prefix: Option<String>,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let filter = account_filter(py, role, org, status, perspective, pseudonym_prefix)?;
        self.page(py, Listing::Accounts(filter), cursor, limit)
    }

    /// Every account matching the filters, walking all pages.
    #[pyo3(signature = (*, role = None, org = None, status = None, perspective = None, pseudonym_prefix = None, page_size = None))]
    #[allow(clippy::too_many_arguments)]
    fn iter_accounts(
        &self,
        py: Python<'_>,
        role: Option<&str>,
        org: Option<OrgId>,
        status: Option<&str>,
        perspective: Option<&str>,
        pseudonym_prefix: Option<String>,
        page_size: Option<u32>,
    ) -> PyResult<PageIterator> {
        let filter = account_filter(py, role, org, status, perspective, pseudonym_prefix)?;
        Ok(self.pages(Listing::Accounts(filter), page_size))
    }

    /// Changes an account's own details; an empty string clears `home_region` or `email`.
    #[pyo3(signature = (id, *, perspective = None, perspective_visibility = None, languages = None, home_region = None, email = None))]
    #[allow(clippy::too_many_arguments)]
    fn update_account(
        &self,
        py: Python<'_>,
        id: AccountId,
        perspective: Option<&str>,
        perspective_visibility: Option<&str>,
        languages: Option<Vec<String>>,
        home_region: Option<String>,
        email: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let change = AccountUpdate {
            perspective: parse_opt(py, perspective)?,
            perspective_visibility: parse_opt(py, perspective_visibility)?,
            languages,
            home_region,
            email,
        };
        self.record(py, |core, actor| core.accounts().update(actor, id, &change))
    }

    /// Gives an account a role: "member", "moderator", "admin", or "counsellor:<org>",
    /// "supervisor:<org>", "employer_staff:<org>".
    #[pyo3(signature = (id, role, reason = None))]
    fn grant_role(&self, py: Python<'_>, id: AccountId, role: &str, reason: Option<String>) -> PyResult<Py<PyAny>> {
        let role: Role = parse(py, role)?;
        self.record(py, |core, actor| core.accounts().grant_role(actor, id, role, reason.as_deref()))
    }

    /// Takes a role away (same names as `grant_role`).
    #[pyo3(signature = (id, role, reason = None))]
    fn revoke_role(&self, py: Python<'_>, id: AccountId, role: &str, reason: Option<String>) -> PyResult<Py<PyAny>> {
        let role: Role = parse(py, role)?;
        self.record(py, |core, actor| core.accounts().revoke_role(actor, id, role, reason.as_deref()))
    }

    /// Silences or suspends an account `until` a time (an aware datetime or ISO 8601 string),
    /// or bans or reinstates it. The reason is logged and shown to the person.
    #[pyo3(signature = (id, restriction, *, until = None, reason))]
    fn restrict_account(
        &self,
        py: Python<'_>,
        id: AccountId,
        restriction: &str,
        until: Option<&Bound<'_, PyAny>>,
        reason: String,
    ) -> PyResult<Py<PyAny>> {
        let until = until.filter(|u| !u.is_none()).map(|u| timestamp(u, "until")).transpose()?;
        let restriction = crate::convert::restriction(py, restriction, until)?;
        self.record(py, |core, actor| core.accounts().restrict(actor, id, restriction, &reason))
    }

    /// Sets an account's password (its owner, an admin or the operator); clears any throttle.
    fn set_password(&self, py: Python<'_>, id: AccountId, password: &str) -> PyResult<()> {
        call(py, || self.core.accounts().set_password(&self.actor, id, password))
    }

    // ---- audit and maintenance ----------------------------------------------------------

    /// One page of the audit log, newest first (admins and the operator).
    #[pyo3(signature = (*, action_prefix = None, target = None, cursor = None, limit = None))]
    fn audit_log(
        &self,
        py: Python<'_>,
        action_prefix: Option<String>,
        target: Option<String>,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        self.page(py, Listing::Audit(AuditFilter { action_prefix, target }), cursor, limit)
    }

    /// Every audit entry matching the filters, newest first, walking all pages.
    #[pyo3(signature = (*, action_prefix = None, target = None, page_size = None))]
    fn iter_audit(
        &self,
        action_prefix: Option<String>,
        target: Option<String>,
        page_size: Option<u32>,
    ) -> PageIterator {
        self.pages(Listing::Audit(AuditFilter { action_prefix, target }), page_size)
    }

    /// Counts records and checks that every record reads and every index agrees.
    fn integrity(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, _| core.integrity())
    }

    /// Makes every earlier change durable (after work with durability="eventual").
    fn flush(&self, py: Python<'_>) -> PyResult<()> {
        call(py, || self.core.flush())
    }

    /// Compacts the database file (admins and the operator) so that records deleted earlier,
    /// a purged counselling case above all, no longer linger in freed pages. Raises
    /// ConflictError while another read or write on this platform is in progress.
    fn compact(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.compact(actor))
    }

    // ---- job board: postings ------------------------------------------------------------
    // Inputs are read by `crate::jobs::record` under the core's field names; see its module doc.

    /// Creates a draft posting for organisation `org` (staff of a verified organisation, or an
    /// admin). Keywords: location (dict or (lat, lon)), contract, hours ((min, max) or dict),
    /// languages, and optionally pay (dict), requirement, starts_on, expires_on (datetime.date),
    /// openings, contact.
    #[pyo3(
        signature = (org, title, description, **fields),
        text_signature = "($self, org, title, description, *, location, contract, hours, languages, pay=None, requirement=None, starts_on=None, expires_on=None, openings=None, contact=None)"
    )]
    fn create_job(
        &self,
        py: Python<'_>,
        org: OrgId,
        title: String,
        description: String,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let fixed = vec![("org", org.into()), ("title", title.into()), ("description", description.into())];
        let new: NewJob = jobs::record(py, "create_job", jobs::JOB_FIELDS, fixed, fields)?;
        self.record(py, |core, actor| core.jobs().create(actor, &new))
    }

    /// One posting (drafts and withdrawn ones only for their staff and admins).
    fn job(&self, py: Python<'_>, id: JobId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.jobs().get(actor, id))
    }

    /// Changes the given fields of a draft or published posting (same keywords as `create_job`).
    #[pyo3(
        signature = (id, **change),
        text_signature = "($self, id, *, title=None, description=None, location=None, contract=None, hours=None, pay=None, requirement=None, languages=None, starts_on=None, expires_on=None, openings=None, contact=None)"
    )]
    fn update_job(&self, py: Python<'_>, id: JobId, change: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        let change: JobUpdate = jobs::record(py, "update_job", jobs::JOB_FIELDS, Vec::new(), change)?;
        self.record(py, |core, actor| core.jobs().update(actor, id, &change))
    }

    /// Publishes a draft; saved searches it matches get one alert each.
    fn publish_job(&self, py: Python<'_>, id: JobId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.jobs().publish(actor, id))
    }

    /// Publishes several drafts in one transaction: all of them or none.
    fn publish_jobs(&self, py: Python<'_>, ids: Vec<JobId>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.jobs().publish_many(actor, &ids))
    }

    /// Takes a posting off the board; the reason goes into the audit log.
    #[pyo3(signature = (id, reason = None))]
    fn withdraw_job(&self, py: Python<'_>, id: JobId, reason: Option<String>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.jobs().withdraw(actor, id, reason.as_deref()))
    }

    /// Marks a published posting filled.
    fn fill_job(&self, py: Python<'_>, id: JobId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.jobs().fill(actor, id))
    }

    /// One page of search hits: {"items": [...], "next_cursor": str | None}. Each hit is the
    /// posting's fields plus distance_km, coordinates and score.
    #[pyo3(
        signature = (*, cursor = None, limit = None, **query),
        text_signature = "($self, *, near=None, radius_km=None, text=None, contracts=None, hours=None, min_pay=None, exin=None, language=None, include_remote=False, org=None, published_since=None, include_unpublished=False, sort=None, cursor=None, limit=None)"
    )]
    fn search_jobs(
        &self,
        py: Python<'_>,
        cursor: Option<String>,
        limit: Option<u32>,
        query: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let query: JobQuery = jobs::record(py, "search_jobs", jobs::JOB_QUERY, Vec::new(), query)?;
        self.page(py, Listing::Jobs(query), cursor, limit)
    }

    /// Every hit of a search (same keywords as `search_jobs`), walking all pages.
    #[pyo3(
        signature = (*, page_size = None, **query),
        text_signature = "($self, *, near=None, radius_km=None, text=None, contracts=None, hours=None, min_pay=None, exin=None, language=None, include_remote=False, org=None, published_since=None, include_unpublished=False, sort=None, page_size=None)"
    )]
    fn iter_jobs(
        &self,
        py: Python<'_>,
        page_size: Option<u32>,
        query: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PageIterator> {
        let query: JobQuery = jobs::record(py, "iter_jobs", jobs::JOB_QUERY, Vec::new(), query)?;
        Ok(self.pages(Listing::Jobs(query), page_size))
    }

    /// Counts one view of a published posting (anyone; who viewed is not stored).
    fn record_job_view(&self, py: Python<'_>, id: JobId) -> PyResult<()> {
        call(py, || self.core.jobs().record_view(&self.actor, id))
    }

    /// A posting's views per month: [{"month": "YYYY-MM", "views": n}, ...] (its staff, admins).
    fn job_views(&self, py: Python<'_>, id: JobId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.jobs().views(actor, id))
    }

    /// Views of all postings per month (admins and the operator).
    fn total_job_views(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.jobs().total_views(actor))
    }

    /// Imports postings from dicts (the fields of `create_job`, plus optional "publish" and
    /// "line", which defaults to the index + 1). Bad rows are reported under "problems" by line
    /// and field; with all_or_nothing nothing is imported unless every row is good.
    #[pyo3(signature = (rows, *, all_or_nothing = false, dry_run = false))]
    fn import_jobs(
        &self,
        py: Python<'_>,
        rows: &Bound<'_, PyAny>,
        all_or_nothing: bool,
        dry_run: bool,
    ) -> PyResult<Py<PyAny>> {
        let (rows, unreadable) = jobs::import_rows(rows)?;
        let mode = jobs::import_mode(all_or_nothing);
        self.record(py, |core, actor| jobs::import(core, actor, &rows, unreadable, mode, dry_run))
    }

    /// Postings for export in id order: the published ones (of `org`, if given), or with
    /// include_unpublished every posting of `org` (its staff and admins).
    #[pyo3(signature = (org = None, include_unpublished = false))]
    fn export_jobs(&self, py: Python<'_>, org: Option<OrgId>, include_unpublished: bool) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.jobs().export(actor, org, include_unpublished))
    }

    /// The same postings as schema.org `JobPosting` dicts (JSON-LD); `json.dumps` them as is.
    #[pyo3(signature = (org = None, include_unpublished = false))]
    fn export_jobs_json_ld(
        &self,
        py: Python<'_>,
        org: Option<OrgId>,
        include_unpublished: bool,
    ) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| jobs::json_ld(core, actor, org, include_unpublished))
    }

    // ---- job board: seekers, saved searches, inbox, interest -----------------------------

    /// Sets (replaces) the seeker profile of `account` (its owner or an admin). Keywords:
    /// location, max_distance_km, hours, contracts, exin, languages, open_to_remote, findable,
    /// min_pay ({"amount", "unit", "currency"}: counts in job suggestions).
    #[pyo3(
        signature = (account, **profile),
        text_signature = "($self, account, *, location=None, max_distance_km=None, hours=None, contracts=(), exin=None, languages=(), open_to_remote=False, findable=False, min_pay=None)"
    )]
    fn set_seeker_profile(
        &self,
        py: Python<'_>,
        account: AccountId,
        profile: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let input: SeekerProfileInput =
            jobs::record(py, "set_seeker_profile", jobs::SEEKER_PROFILE, Vec::new(), profile)?;
        self.record(py, |core, actor| core.seekers().set(actor, account, &input))
    }

    /// The seeker profile of `account` (its owner, admins, verified employers once findable).
    fn seeker_profile(&self, py: Python<'_>, account: AccountId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.seekers().get(actor, account))
    }

    /// One page of findable seekers (staff of verified employers and admins).
    #[pyo3(
        signature = (*, cursor = None, limit = None, **filter),
        text_signature = "($self, *, near=None, exin=None, language=None, cursor=None, limit=None)"
    )]
    fn list_findable_seekers(
        &self,
        py: Python<'_>,
        cursor: Option<String>,
        limit: Option<u32>,
        filter: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let filter: SeekerFilter = jobs::record(py, "list_findable_seekers", jobs::SEEKER_FILTER, Vec::new(), filter)?;
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.seekers().list_findable(actor, &filter, &page))
    }

    /// Saves a search (same keywords as `search_jobs`) for the acting account; postings
    /// published from now on that match it land in the inbox.
    #[pyo3(
        signature = (name, **query),
        text_signature = "($self, name, *, near=None, radius_km=None, text=None, contracts=None, hours=None, min_pay=None, exin=None, language=None, include_remote=False, org=None, published_since=None, sort=None)"
    )]
    fn save_search(&self, py: Python<'_>, name: String, query: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        let query: JobQuery = jobs::record(py, "save_search", jobs::JOB_QUERY, Vec::new(), query)?;
        self.record(py, |core, actor| core.alerts().add(actor, &name, &query))
    }

    /// The acting account's saved searches.
    fn saved_searches(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.alerts().list(actor))
    }

    /// Deletes one of the acting account's saved searches.
    fn remove_saved_search(&self, py: Python<'_>, id: SavedSearchId) -> PyResult<()> {
        call(py, || self.core.alerts().remove(&self.actor, id))
    }

    /// One page of the acting account's notifications, newest first:
    /// {"items": [...], "next_cursor": ..., "unread": n}.
    #[pyo3(signature = (*, unread_only = false, cursor = None, limit = None))]
    fn inbox(
        &self,
        py: Python<'_>,
        unread_only: bool,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.inbox().list(actor, unread_only, &page))
    }

    /// Marks notifications read (these ids, or all when none are given); returns how many changed.
    #[pyo3(signature = (ids = Vec::new()), text_signature = "($self, ids=())")]
    fn mark_notifications_read(&self, py: Python<'_>, ids: Vec<u64>) -> PyResult<u64> {
        call(py, || self.core.inbox().mark_read(&self.actor, &ids))
    }

    /// Marks the acting account's interest in a published posting, with an optional note.
    #[pyo3(signature = (job, note = None))]
    fn mark_interest(&self, py: Python<'_>, job: JobId, note: Option<String>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.interests().mark(actor, job, note.as_deref()))
    }

    /// Everyone interested in a posting (its staff and admins).
    fn interests_for_job(&self, py: Python<'_>, job: JobId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.interests().for_job(actor, job))
    }

    /// The acting account's own interests.
    fn my_interests(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.interests().mine(actor))
    }

    /// Moves an interest to "contacted", "interviewing", "hired" or "declined" (the posting's
    /// staff); hiring as many as there are openings fills the posting.
    fn advance_interest(&self, py: Python<'_>, id: InterestId, status: &str) -> PyResult<Py<PyAny>> {
        let status: InterestStatus = parse(py, status)?;
        self.record(py, |core, actor| core.interests().advance(actor, id, status))
    }

    /// Takes the acting seeker's interest back.
    fn withdraw_interest(&self, py: Python<'_>, id: InterestId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.interests().withdraw(actor, id))
    }

    // ---- suggestions and match runs (helpers in suggestions.rs) -----------------------------

    /// Published postings that suit the seeker `account`, best first (the seeker and admins):
    /// each the posting's fields plus score, distance_km and breakdown. `limit`: 1 to 200 (20).
    #[pyo3(signature = (account, limit = None))]
    fn suggest_jobs(&self, py: Python<'_>, account: AccountId, limit: Option<u32>) -> PyResult<Py<PyAny>> {
        let rows = call(py, || {
            let found = self.core.jobs().suggest_for_seeker(&self.actor, account, limit)?;
            found
                .iter()
                .map(|s| flat(&s.job, s.score, s.distance_km, &s.breakdown))
                .collect::<trialog_core::Result<Vec<_>>>()
        })?;
        to_py(py, &crate::convert::Node::List(rows))
    }

    /// Findable seekers who suit posting `job`, best first (its staff, admins): each the seeker
    /// profile's fields plus score, distance_km and breakdown.
    #[pyo3(signature = (job, limit = None))]
    fn suggest_seekers(&self, py: Python<'_>, job: JobId, limit: Option<u32>) -> PyResult<Py<PyAny>> {
        let rows = call(py, || {
            let found = self.core.seekers().suggest_for_job(&self.actor, job, limit)?;
            found
                .iter()
                .map(|s| flat(&s.seeker, s.score, s.distance_km, &s.breakdown))
                .collect::<trialog_core::Result<Vec<_>>>()
        })?;
        to_py(py, &crate::convert::Node::List(rows))
    }

    /// The weights of the suggestion score: {distance, hours, pay, requirement, recency}.
    fn suggestion_weights(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.settings().suggestion_weights(actor))
    }

    /// Changes the given weights (admins); the others stay. Returns the weights in force.
    #[pyo3(signature = (*, distance = None, hours = None, pay = None, requirement = None, recency = None))]
    fn set_suggestion_weights(
        &self,
        py: Python<'_>,
        distance: Option<f64>,
        hours: Option<f64>,
        pay: Option<f64>,
        requirement: Option<f64>,
        recency: Option<f64>,
    ) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| {
            let now = core.settings().suggestion_weights(actor)?;
            let wanted = SuggestionWeights {
                distance: distance.unwrap_or(now.distance),
                hours: hours.unwrap_or(now.hours),
                pay: pay.unwrap_or(now.pay),
                requirement: requirement.unwrap_or(now.requirement),
                recency: recency.unwrap_or(now.recency),
            };
            core.settings().set_suggestion_weights(actor, &wanted)
        })
    }

    /// Goes back to the default weights (admins).
    fn reset_suggestion_weights(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.settings().reset_suggestion_weights(actor))
    }

    /// Assigns clients to guides for `cohort` and stores the run (supervisors and admins).
    /// `input` is the attribute form {"guides", "clients", "weights"} or the matrix form
    /// {"scores", "capacities"}; pairs declined in the cohort's earlier runs are not allowed.
    fn run_assignment(&self, py: Python<'_>, cohort: String, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let input = assignment_input(py, input)?;
        self.record(py, |core, actor| core.match_runs().run(actor, &cohort, &input))
    }

    /// Runs a placement round for `cohort` and stores it (supervisors and admins). `input` is
    /// {"applicants": {id: [placement ids]}, "placements": {id: {"capacity", "ranking"}}}.
    fn run_placement_round(&self, py: Python<'_>, cohort: String, input: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let input = placements_input(py, input)?;
        self.record(py, |core, actor| core.match_runs().run(actor, &cohort, &input))
    }

    /// One page of stored runs, newest first (summaries without input and result).
    #[pyo3(signature = (*, cohort = None, cursor = None, limit = None))]
    fn match_runs(
        &self,
        py: Python<'_>,
        cohort: Option<String>,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        self.page(py, Listing::MatchRuns(MatchRunFilter { cohort }), cursor, limit)
    }

    /// Every stored run (of `cohort`), newest first, walking all pages.
    #[pyo3(signature = (*, cohort = None, page_size = None))]
    fn iter_match_runs(&self, cohort: Option<String>, page_size: Option<u32>) -> PageIterator {
        self.pages(Listing::MatchRuns(MatchRunFilter { cohort }), page_size)
    }

    /// One stored run with its input, result, excluded pairs and decisions.
    fn match_run(&self, py: Python<'_>, id: RunId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.match_runs().get(actor, id))
    }

    /// Confirms the pair proposed for `person` in run `id`; decisions are final.
    #[pyo3(signature = (id, person, reason = None))]
    fn accept_pair(&self, py: Python<'_>, id: RunId, person: String, reason: Option<String>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.match_runs().accept(actor, id, &person, reason.as_deref()))
    }

    /// Turns down the pair proposed for `person` in run `id`: the cohort's later runs leave it out.
    #[pyo3(signature = (id, person, reason = None))]
    fn decline_pair(&self, py: Python<'_>, id: RunId, person: String, reason: Option<String>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.match_runs().decline(actor, id, &person, reason.as_deref()))
    }

    // ---- geo: the gazetteer (helpers in geo.rs) -------------------------------------------

    /// Imports a GeoNames postal-code file (admins and the operator); a country imported again
    /// is replaced. Returns {countries, rows, postcodes, problems}.
    fn import_gazetteer(&self, py: Python<'_>, path: PathBuf) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| crate::geo::import_file(core, actor, &path))
    }

    /// The place of a postcode; InvalidInputError (field "postcode") when it is unknown.
    fn lookup_postcode(&self, py: Python<'_>, country: &str, postcode: &str) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.geo().lookup(actor, country, postcode))
    }

    /// Places whose name starts with `prefix`, ignoring case and accents; sorted by name.
    #[pyo3(signature = (prefix, country = None, limit = 20))]
    fn search_places(&self, py: Python<'_>, prefix: &str, country: Option<&str>, limit: u32) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.geo().search(actor, prefix, country, limit))
    }

    /// The countries whose gazetteer is loaded.
    fn gazetteer_countries(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.geo().countries(actor))
    }

    // ---- forums (helpers in forums.rs) ----------------------------------------------------

    /// Creates a board (admins). `audience` is "public", "members", a perspective such as
    /// "relative", "perspectives:relative,professional" or "org:ID"; `moderation` is "open" or
    /// "pre_moderated".
    #[pyo3(signature = (slug, title, language, *, description = String::new(), position = None, audience = "members", moderation = "open"))]
    #[allow(clippy::too_many_arguments)]
    fn create_board(
        &self,
        py: Python<'_>,
        slug: String,
        title: String,
        language: String,
        description: String,
        position: Option<u32>,
        audience: &str,
        moderation: &str,
    ) -> PyResult<Py<PyAny>> {
        let new = NewBoard {
            slug,
            title,
            description,
            language,
            position,
            audience: parse(py, audience)?,
            moderation: parse(py, moderation)?,
        };
        self.record(py, |core, actor| core.forums().create_board(actor, &new))
    }

    /// Changes a board; absent fields stay (admins).
    #[pyo3(signature = (board, *, title = None, description = None, language = None, position = None, audience = None, moderation = None))]
    #[allow(clippy::too_many_arguments)]
    fn update_board(
        &self,
        py: Python<'_>,
        board: &Bound<'_, PyAny>,
        title: Option<String>,
        description: Option<String>,
        language: Option<String>,
        position: Option<u32>,
        audience: Option<&str>,
        moderation: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let board = BoardRef::from_py(board, "board")?;
        let change = BoardUpdate {
            title,
            description,
            language,
            position,
            audience: parse_opt(py, audience)?,
            moderation: parse_opt::<ModerationMode>(py, moderation)?,
        };
        self.record(py, |core, actor| core.forums().update_board(actor, board.id(core, actor)?, &change))
    }

    /// Archives a board (read-only) or, with `archived=False`, reopens it (admins).
    #[pyo3(signature = (board, archived = true))]
    fn archive_board(&self, py: Python<'_>, board: &Bound<'_, PyAny>, archived: bool) -> PyResult<Py<PyAny>> {
        let board = BoardRef::from_py(board, "board")?;
        self.record(py, |core, actor| core.forums().archive_board(actor, board.id(core, actor)?, archived))
    }

    /// One board by id or slug, if the actor is in its audience.
    fn board(&self, py: Python<'_>, board: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let board = BoardRef::from_py(board, "board")?;
        self.record(py, |core, actor| core.forums().board(actor, board.id(core, actor)?))
    }

    /// The boards the actor may read, with their sizes, unread threads and whether watched.
    fn boards(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().boards(actor))
    }

    /// Starts a thread (an account). Returns {thread, post, held, signposts}.
    #[pyo3(signature = (board, title, body, *, tags = Vec::new(), anonymous = false), text_signature = "($self, board, title, body, *, tags=(), anonymous=False)")]
    fn create_thread(
        &self,
        py: Python<'_>,
        board: &Bound<'_, PyAny>,
        title: String,
        body: String,
        tags: Vec<String>,
        anonymous: bool,
    ) -> PyResult<Py<PyAny>> {
        let board = BoardRef::from_py(board, "board")?;
        self.record(py, |core, actor| {
            let new = NewThread { board: board.id(core, actor)?, title, body, tags, anonymous };
            core.forums().create_thread(actor, &new)
        })
    }

    /// One page of a board: {board, threads, next_cursor}; pinned first, then latest activity.
    #[pyo3(signature = (board, *, cursor = None, limit = None))]
    fn board_page(
        &self,
        py: Python<'_>,
        board: &Bound<'_, PyAny>,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let board = BoardRef::from_py(board, "board")?;
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.forums().board_page(actor, board.id(core, actor)?, &page))
    }

    /// Every visible thread of a board, walking all pages.
    #[pyo3(signature = (board, *, page_size = None))]
    fn iter_threads(&self, py: Python<'_>, board: &Bound<'_, PyAny>, page_size: Option<u32>) -> PyResult<PageIterator> {
        let board = BoardRef::from_py(board, "board")?;
        let id = call(py, || board.id(&self.core, &self.actor))?;
        Ok(self.pages(Listing::Threads(id), page_size))
    }

    /// One thread without its posts.
    fn thread(&self, py: Python<'_>, id: ThreadId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().thread(actor, id))
    }

    /// One page of a thread: {thread, posts, next_cursor}; the read position stays.
    #[pyo3(signature = (id, *, cursor = None, limit = None))]
    fn thread_page(
        &self,
        py: Python<'_>,
        id: ThreadId,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.forums().thread_page(actor, id, &page))
    }

    /// Every post of a thread the actor may see, in order, walking all pages.
    #[pyo3(signature = (thread, *, page_size = None))]
    fn iter_posts(&self, thread: ThreadId, page_size: Option<u32>) -> PageIterator {
        self.pages(Listing::Posts(thread), page_size)
    }

    /// Reads a page of a thread as a person does: counts the view (a visitor once a month by
    /// `visitor`, an opaque token) and moves the account's read position to the last post shown.
    #[pyo3(signature = (id, *, visitor = None, cursor = None, limit = None))]
    fn read_thread(
        &self,
        py: Python<'_>,
        id: ThreadId,
        visitor: Option<String>,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.forums().read_thread(actor, id, &page, visitor.as_deref()))
    }

    /// Counts a view of a thread without returning it.
    #[pyo3(signature = (id, *, visitor = None))]
    fn record_thread_view(&self, py: Python<'_>, id: ThreadId, visitor: Option<String>) -> PyResult<()> {
        call(py, || self.core.forums().record_view(&self.actor, id, visitor.as_deref()))
    }

    /// Replies in a thread, optionally to an earlier post of it (`reply_to`).
    #[pyo3(signature = (thread, body, *, reply_to = None, anonymous = false))]
    fn reply(
        &self,
        py: Python<'_>,
        thread: ThreadId,
        body: String,
        reply_to: Option<PostId>,
        anonymous: bool,
    ) -> PyResult<Py<PyAny>> {
        let new = NewReply { thread, body, reply_to, anonymous };
        self.record(py, |core, actor| core.forums().reply(actor, &new))
    }

    /// One post, if the actor may see it.
    fn post(&self, py: Python<'_>, id: PostId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().post(actor, id))
    }

    /// Changes a post's body (and a first post's thread title) (its author). Edits within five
    /// minutes of a version merge into it.
    #[pyo3(signature = (id, body, *, title = None))]
    fn edit_post(&self, py: Python<'_>, id: PostId, body: String, title: Option<String>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().edit_post(actor, id, &body, title.as_deref()))
    }

    /// Deletes a post softly (its author): it stays as "deleted by the author".
    fn delete_post(&self, py: Python<'_>, id: PostId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().delete_post(actor, id))
    }

    /// Every version of a post's body, oldest first (its author, moderators and admins).
    fn post_history(&self, py: Python<'_>, id: PostId) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().history(actor, id))
    }

    /// Pins (or with `pinned=False` unpins) a thread (moderators).
    #[pyo3(signature = (id, pinned = true))]
    fn pin_thread(&self, py: Python<'_>, id: ThreadId, pinned: bool) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().pin_thread(actor, id, pinned))
    }

    /// Locks (or with `locked=False` opens) a thread (moderators).
    #[pyo3(signature = (id, locked = true))]
    fn lock_thread(&self, py: Python<'_>, id: ThreadId, locked: bool) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().lock_thread(actor, id, locked))
    }

    /// Moves a thread to another board (moderators).
    fn move_thread(&self, py: Python<'_>, id: ThreadId, board: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let board = BoardRef::from_py(board, "board")?;
        self.record(py, |core, actor| core.forums().move_thread(actor, id, board.id(core, actor)?))
    }

    /// "approve", "hide", "restore" or "remove" a thread (moderators).
    #[pyo3(signature = (id, action, *, reason = None))]
    fn moderate_thread(
        &self,
        py: Python<'_>,
        id: ThreadId,
        action: &str,
        reason: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let action: ModerationAction = parse(py, action)?;
        self.record(py, |core, actor| core.forums().moderate_thread(actor, id, action, reason.as_deref()))
    }

    /// "approve", "hide", "restore" or "remove" a post (moderators).
    #[pyo3(signature = (id, action, *, reason = None))]
    fn moderate_post(&self, py: Python<'_>, id: PostId, action: &str, reason: Option<String>) -> PyResult<Py<PyAny>> {
        let action: ModerationAction = parse(py, action)?;
        self.record(py, |core, actor| core.forums().moderate_post(actor, id, action, reason.as_deref()))
    }

    /// Silences, suspends (both need `until`), bans or reinstates the author of a post without
    /// learning who it is (moderators for members, admins for anyone).
    #[pyo3(signature = (post, restriction, *, until = None, reason))]
    fn restrict_author(
        &self,
        py: Python<'_>,
        post: PostId,
        restriction: &str,
        until: Option<&Bound<'_, PyAny>>,
        reason: String,
    ) -> PyResult<()> {
        let until = until.filter(|u| !u.is_none()).map(|u| timestamp(u, "until")).transpose()?;
        let restriction = crate::convert::restriction(py, restriction, until)?;
        call(py, || self.core.forums().restrict_author(&self.actor, post, restriction, &reason))
    }

    /// Posts waiting for a moderator, oldest first: {items, next_cursor} (moderators).
    #[pyo3(signature = (*, cursor = None, limit = None))]
    fn moderation_queue(&self, py: Python<'_>, cursor: Option<String>, limit: Option<u32>) -> PyResult<Py<PyAny>> {
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.forums().queue(actor, &page))
    }

    // ---- moderation --------------------------------------------------------------------

    /// Reports a thread, post, profile or job posting (an account): `target` is "thread:ID",
    /// "post:ID", "account:ID" or "job:ID"; `reason` is crisis, harassment, spam,
    /// personal_data, misinformation, off_topic or other (which needs `detail`).
    #[pyo3(signature = (target, reason, *, detail = None))]
    fn report(&self, py: Python<'_>, target: &str, reason: &str, detail: Option<String>) -> PyResult<Py<PyAny>> {
        let new = NewReport { target: parse(py, target)?, reason: parse(py, reason)?, detail };
        self.record(py, |core, actor| core.moderation().report(actor, &new))
    }

    /// Appeals an action that affected the actor, once.
    fn appeal(&self, py: Python<'_>, action: u64, statement: String) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.moderation().appeal(actor, action, &statement))
    }

    /// A page of the review queue: {items, next_cursor}; crisis first, then by weighted
    /// reports, then oldest (moderators). `state`: pending, actioned, dismissed or ignored.
    #[pyo3(signature = (*, state = "pending", cursor = None, limit = None))]
    fn review_queue(
        &self,
        py: Python<'_>,
        state: &str,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let state: ItemState = parse(py, state)?;
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.moderation().queue(actor, state, &page))
    }

    /// One review item with its reports and the target's history (moderators).
    fn review_item(&self, py: Python<'_>, id: u64) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.moderation().item(actor, id))
    }

    /// Claims an item at the `version` seen; ConflictError if it changed since.
    fn claim_item(&self, py: Python<'_>, id: u64, version: u64) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.moderation().claim(actor, id, version))
    }

    /// Acts on an item at the `version` seen and closes it: approve, hide, remove, restore,
    /// edit_out (with `passage` and `note`), lock, unlock, warn, silence and suspend (with
    /// `until`), ban, dismiss or ignore. Returns the log entry.
    #[pyo3(signature = (id, version, action, reason = String::new(), *, until = None, passage = None, note = None))]
    #[allow(clippy::too_many_arguments)]
    fn act_on_item(
        &self,
        py: Python<'_>,
        id: u64,
        version: u64,
        action: &str,
        reason: String,
        until: Option<&Bound<'_, PyAny>>,
        passage: Option<String>,
        note: Option<String>,
    ) -> PyResult<Py<PyAny>> {
        let until = until.filter(|u| !u.is_none()).map(|u| timestamp(u, "until")).transpose()?;
        let action = crate::convert::mod_action(py, action, until, passage, note)?;
        self.record(py, |core, actor| core.moderation().act(actor, id, version, &action, &reason))
    }

    /// The moderation log, newest first, optionally of one `target` ("post:12"); moderators'
    /// accounts are shown to moderators only.
    #[pyo3(signature = (*, target = None, cursor = None, limit = None))]
    fn moderation_log(
        &self,
        py: Python<'_>,
        target: Option<&str>,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let target: Option<Target> = parse_opt(py, target)?;
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.moderation().log(actor, target, &page))
    }

    /// Open appeals, or decided ones (moderators).
    #[pyo3(signature = (*, decided = false, cursor = None, limit = None))]
    fn appeals(
        &self,
        py: Python<'_>,
        decided: bool,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.moderation().appeals(actor, decided, &page))
    }

    /// Decides an appeal: "upheld" or "overturned" (not by the moderator who acted).
    fn decide_appeal(&self, py: Python<'_>, appeal: u64, outcome: &str, reason: String) -> PyResult<Py<PyAny>> {
        let outcome: AppealOutcome = parse(py, outcome)?;
        self.record(py, |core, actor| core.moderation().decide_appeal(actor, appeal, outcome, &reason))
    }

    /// Every watched word (moderators).
    fn watched_words(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.moderation().words(actor))
    }

    /// Adds a watched word or changes its action (admins): `action` is block,
    /// require_approval, flag or crisis.
    fn add_watched_word(&self, py: Python<'_>, language: &str, pattern: &str, action: &str) -> PyResult<Py<PyAny>> {
        let word = WatchedWord::new(language, pattern, parse(py, action)?);
        self.record(py, |core, actor| core.moderation().add_word(actor, &word))
    }

    /// Removes a watched word (admins).
    fn remove_watched_word(&self, py: Python<'_>, language: String, pattern: String) -> PyResult<()> {
        call(py, || self.core.moderation().remove_word(&self.actor, &language, &pattern))
    }

    /// What the watched words find in `text` and why: {matches: [...]} (moderators).
    #[pyo3(signature = (text, language = "de"))]
    fn test_watched_words(&self, py: Python<'_>, text: String, language: &str) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.moderation().test_words(actor, &text, language))
    }

    /// Checks a text against the watched words with no actor and nothing stored (for triage).
    #[pyo3(signature = (text, language = "de"))]
    fn check_text(&self, py: Python<'_>, text: String, language: &str) -> PyResult<Py<PyAny>> {
        self.record(py, |core, _| core.moderation().check_text(&text, language))
    }

    /// Crisis resources: all of them, or the verified ones for someone in `country` writing
    /// in `language`.
    #[pyo3(signature = (*, country = None, language = "de"))]
    fn crisis_resources(&self, py: Python<'_>, country: Option<String>, language: &str) -> PyResult<Py<PyAny>> {
        match country {
            Some(country) => self.record(py, |core, _| core.moderation().resources_for(&country, language)),
            None => self.record(py, |core, actor| core.moderation().resources(actor)),
        }
    }

    /// Adds or replaces a crisis resource, keyed by country and name (admins).
    #[pyo3(signature = (country, name, *, language = None, detail = String::new(), contact = None, url = None, verified = true))]
    #[allow(clippy::too_many_arguments)]
    fn set_crisis_resource(
        &self,
        py: Python<'_>,
        country: String,
        name: String,
        language: Option<String>,
        detail: String,
        contact: Option<String>,
        url: Option<String>,
        verified: bool,
    ) -> PyResult<Py<PyAny>> {
        let resource = CrisisResource { country, language, name, detail, contact, url, verified };
        self.record(py, |core, actor| core.moderation().set_resource(actor, &resource))
    }

    /// The trust and rate-limit rules in force.
    fn moderation_settings(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.moderation().settings(actor))
    }

    /// Changes the trust and rate-limit rules (admins): `recommended=True` for 3 approved
    /// posts per board and rate limits, or set `trust_posts` and `rate_limits` directly.
    #[pyo3(signature = (*, recommended = false, trust_posts = None, rate_limits = None))]
    fn set_moderation_settings(
        &self,
        py: Python<'_>,
        recommended: bool,
        trust_posts: Option<u32>,
        rate_limits: Option<bool>,
    ) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| {
            let mut rules =
                if recommended { ModerationSettings::recommended() } else { core.moderation().settings(actor)? };
            if let Some(n) = trust_posts {
                rules.trust_posts = n;
            }
            if let Some(on) = rate_limits {
                rules.rate_limits = on;
            }
            core.moderation().set_settings(actor, &rules)
        })
    }

    /// Marks a thread read up to a post of it (or entirely); returns what stays unread.
    #[pyo3(signature = (thread, *, up_to = None))]
    fn mark_thread_read(&self, py: Python<'_>, thread: ThreadId, up_to: Option<PostId>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().mark_read(actor, thread, up_to))
    }

    /// Marks a whole board read; returns how many threads were marked.
    fn mark_board_read(&self, py: Python<'_>, board: &Bound<'_, PyAny>) -> PyResult<u32> {
        let board = BoardRef::from_py(board, "board")?;
        call(py, || self.core.forums().mark_board_read(&self.actor, board.id(&self.core, &self.actor)?))
    }

    /// Unread posts in every thread the account watches: [{thread, board, unread, last_activity}].
    fn unread_threads(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().unread(actor))
    }

    /// Starts (or with `on=False` stops) watching a thread.
    #[pyo3(signature = (thread, on = true))]
    fn watch_thread(&self, py: Python<'_>, thread: ThreadId, on: bool) -> PyResult<()> {
        call(py, || self.core.forums().watch_thread(&self.actor, thread, on))
    }

    /// Starts (or with `on=False` stops) watching a board.
    #[pyo3(signature = (board, on = true))]
    fn watch_board(&self, py: Python<'_>, board: &Bound<'_, PyAny>, on: bool) -> PyResult<()> {
        let board = BoardRef::from_py(board, "board")?;
        call(py, || self.core.forums().watch_board(&self.actor, board.id(&self.core, &self.actor)?, on))
    }

    /// The boards and threads the account watches: {boards, threads}.
    fn watching(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.forums().watching(actor))
    }

    /// The account's forum notifications, newest first, with their unread count.
    #[pyo3(signature = (*, unread_only = false, cursor = None, limit = None))]
    fn forum_notifications(
        &self,
        py: Python<'_>,
        unread_only: bool,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.forums().notifications(actor, unread_only, &page))
    }

    /// Views and unique readers per "month" or "quarter", of one board or of every board and
    /// all together (`board` None) (moderators and admins). Fewer than five readers are None.
    #[pyo3(signature = (period = "month", *, board = None))]
    fn forum_stats(&self, py: Python<'_>, period: &str, board: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let period: StatsPeriod = parse(py, period)?;
        let board = board.map(|b| BoardRef::from_py(b, "board")).transpose()?;
        self.record(py, |core, actor| {
            let board = board.as_ref().map(|b| b.id(core, actor)).transpose()?;
            core.forums().stats(actor, period, board)
        })
    }

    /// Searches thread titles and posts the actor may read: {items, next_cursor}, best first.
    #[pyo3(signature = (text, *, board = None, cursor = None, limit = None))]
    fn search_forums(
        &self,
        py: Python<'_>,
        text: String,
        board: Option<&Bound<'_, PyAny>>,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let board = board.map(|b| BoardRef::from_py(b, "board")).transpose()?;
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| {
            let query = ForumQuery { text, board: board.as_ref().map(|b| b.id(core, actor)).transpose()? };
            core.forums().search(actor, &query, &page)
        })
    }

    /// Every search hit, walking all pages.
    #[pyo3(signature = (text, *, board = None, page_size = None))]
    fn iter_forum_search(
        &self,
        py: Python<'_>,
        text: String,
        board: Option<&Bound<'_, PyAny>>,
        page_size: Option<u32>,
    ) -> PyResult<PageIterator> {
        let board = board.map(|b| BoardRef::from_py(b, "board")).transpose()?;
        let board = call(py, || board.as_ref().map(|b| b.id(&self.core, &self.actor)).transpose())?;
        Ok(self.pages(Listing::ForumHits(ForumQuery { text, board }), page_size))
    }

    /// Declares what a partner organisation offers in counselling (its supervisors, admins).
    #[pyo3(signature = (org, languages, *, topics = vec![], regions = vec![], first_response_hours = 48, business_days = false))]
    #[allow(clippy::too_many_arguments)]
    fn set_counsel_offer(
        &self,
        py: Python<'_>,
        org: OrgId,
        languages: Vec<String>,
        topics: Vec<String>,
        regions: Vec<String>,
        first_response_hours: u32,
        business_days: bool,
    ) -> PyResult<Py<PyAny>> {
        let offer = CounselOffer { org, topics, languages, regions, first_response_hours, business_days };
        self.record(py, |core, actor| core.counsel().set_offer(actor, &offer))
    }

    /// Every partner organisation's counselling offer.
    fn counsel_offers(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().offers(actor))
    }

    /// Sets a counsellor's capacity, training status, lived experience and gender.
    #[pyo3(signature = (account, *, capacity = 10, in_training = false, lived_experience = false, gender = None))]
    fn set_counsellor_profile(
        &self,
        py: Python<'_>,
        account: AccountId,
        capacity: u32,
        in_training: bool,
        lived_experience: bool,
        gender: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let gender = gender.map(|g| counsel::value(py, g, "gender")).transpose()?;
        let profile = CounsellorProfile { account, capacity, in_training, lived_experience, gender, absence: None };
        self.record(py, |core, actor| core.counsel().set_profile(actor, &profile))
    }

    /// Sets a counsellor's absence until `until` with a substitute, or ends it (no `until`).
    #[pyo3(signature = (account, *, until = None, substitute = None, start = None))]
    fn set_counsel_absence(
        &self,
        py: Python<'_>,
        account: AccountId,
        until: Option<&Bound<'_, PyAny>>,
        substitute: Option<AccountId>,
        start: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let absence = match (until, substitute) {
            (Some(until), Some(substitute)) => Some(Absence {
                from: start.map(|s| timestamp(s, "start")).transpose()?.unwrap_or_else(|| self.core.now()),
                until: timestamp(until, "until")?,
                substitute,
            }),
            (None, None) => None,
            _ => return Err(crate::errors::invalid(py, "substitute", "give both until and substitute, or neither")),
        };
        self.record(py, |core, actor| core.counsel().set_absence(actor, account, absence))
    }

    /// The counselling topics; `set_counsel_topics` replaces them (admins).
    fn counsel_topics(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().topics(actor))
    }

    fn set_counsel_topics(&self, py: Python<'_>, topics: Vec<String>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().set_topics(actor, &topics))
    }

    /// Opens an enquiry: {case_code, secret, priority, resources} (the secret is shown once).
    #[pyo3(signature = (topic, language, text, *, postcode = None, prefer_lived_experience = false, prefer_gender = None))]
    #[allow(clippy::too_many_arguments)]
    fn enquire(
        &self,
        py: Python<'_>,
        topic: String,
        language: String,
        text: String,
        postcode: Option<String>,
        prefer_lived_experience: bool,
        prefer_gender: Option<&str>,
    ) -> PyResult<Py<PyAny>> {
        let prefer_gender = prefer_gender.map(|g| counsel::value(py, g, "prefer_gender")).transpose()?;
        let new = NewEnquiry { topic, language, postcode, prefer_lived_experience, prefer_gender, text };
        self.record(py, |core, actor| core.counsel().enquire(actor, &new))
    }

    /// A page of an organisation's team queue: {items, next_cursor}, urgent first, then oldest.
    #[pyo3(signature = (org, *, cursor = None, limit = None))]
    fn counsel_queue(
        &self,
        py: Python<'_>,
        org: OrgId,
        cursor: Option<String>,
        limit: Option<u32>,
    ) -> PyResult<Py<PyAny>> {
        let page = PageRequest { cursor, limit };
        self.record(py, |core, actor| core.counsel().queue(actor, org, &page))
    }

    /// A case's metadata (no content).
    fn enquiry(&self, py: Python<'_>, id: u64) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().enquiry(actor, id))
    }

    /// Assigns an enquiry to `counsellor`, or to the least busy free counsellor when None.
    #[pyo3(signature = (id, counsellor = None))]
    fn assign_enquiry(&self, py: Python<'_>, id: u64, counsellor: Option<AccountId>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| match counsellor {
            Some(counsellor) => core.counsel().assign(actor, id, counsellor),
            None => core.counsel().auto_assign(actor, id),
        })
    }

    /// Cases whose first response is overdue: all (admins) or those of `org`.
    #[pyo3(signature = (org = None))]
    fn overdue_enquiries(&self, py: Python<'_>, org: Option<OrgId>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().overdue(actor, org))
    }

    /// The SLA sweep: {breached, overflowed} (admins).
    fn escalate_overdue(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().escalate(actor))
    }

    /// A month's counselling statistics ("2026-03"); counts below 5 are None.
    fn counsel_stats(&self, py: Python<'_>, month: &str) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().stats(actor, month))
    }

    /// Days closed cases are kept; `set_counsel_retention_days` changes it (admins).
    fn counsel_retention_days(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().retention_days(actor))
    }

    fn set_counsel_retention_days(&self, py: Python<'_>, days: u32) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().set_retention_days(actor, days))
    }

    /// Purges cases closed longer ago than the retention period: {dry_run, purged, retention_days}.
    #[pyo3(signature = (*, dry_run = false))]
    fn purge_enquiries(&self, py: Python<'_>, dry_run: bool) -> PyResult<Py<PyAny>> {
        self.record(py, |core, actor| core.counsel().purge(actor, dry_run))
    }
}
