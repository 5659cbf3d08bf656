//! Job board operations on [`Platform`]: postings and their search, seeker profiles, saved
//! searches with their inbox alerts, and interest in postings.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use trialog_core::{
    AccountId, Error, ImportMode, Interest, InterestId, InterestStatus, Job, JobId, JobImport, JobImportRow, JobQuery,
    JobSearchPage, JobUpdate, MonthlyViews, NewJob, NotificationPage, OrgId, Organisation, PageRequest, SavedSearch,
    SavedSearchId, SeekerFilter, SeekerPage, SeekerProfile, SeekerProfileInput, jobs::job_posting_json_ld,
};

use crate::guard::guard;
use crate::platform::Platform;

#[uniffi::export]
impl Platform {
    /// Creates a draft posting for `new.org` (staff of a verified organisation, or an admin).
    ///
    /// Bad fields throw `InvalidInput` naming the field: `title`, `hours.min`, `pay.min`,
    /// `expires_on` (in the past or before `startsOn`), `languages`, `openings`, …
    pub fn create_job(&self, new: NewJob) -> Result<Job, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().create(actor, &new)
        })
    }

    /// One posting. Drafts and withdrawn postings exist only for their organisation's staff and
    /// admins (`NotFound` for everyone else); a published posting past its expiry date reads as
    /// `EXPIRED`.
    pub fn job(&self, id: JobId) -> Result<Job, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().get(actor, id)
        })
    }

    /// Changes a draft or published posting (its staff or an admin). Absent fields stay; an
    /// empty `contact` clears it. Filled and withdrawn postings throw `Conflict`.
    pub fn update_job(&self, id: JobId, change: JobUpdate) -> Result<Job, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().update(actor, id, &change)
        })
    }

    /// Publishes a draft: from now on searches find it, and every saved search it matches gets
    /// one alert. Without an expiry date it is shown for 60 days. Paid contracts need `pay`.
    pub fn publish_job(&self, id: JobId) -> Result<Job, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().publish(actor, id)
        })
    }

    /// Publishes several drafts in one transaction: all of them, or none when one fails.
    pub fn publish_jobs(&self, ids: Vec<JobId>) -> Result<Vec<Job>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().publish_many(actor, &ids)
        })
    }

    /// Takes a posting off the board (its staff or an admin); the reason goes into the audit log.
    #[uniffi::method(default(reason = None))]
    pub fn withdraw_job(&self, id: JobId, reason: Option<String>) -> Result<Job, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().withdraw(actor, id, reason.as_deref())
        })
    }

    /// Marks a published posting filled: searches stop finding it, but it stays readable.
    pub fn fill_job(&self, id: JobId) -> Result<Job, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().fill(actor, id)
        })
    }

    /// Searches published postings (anyone, signed in or not). Each hit carries the distance
    /// from `query.near` in km and the posting's coordinates. Pass the page's `nextCursor` back
    /// in `PageRequest.cursor` for the next page.
    ///
    /// A radius outside (0, 1000] km throws `InvalidInput` with field `radius_km`.
    #[uniffi::method(default(query), default(page))]
    pub fn search_jobs(&self, query: JobQuery, page: PageRequest) -> Result<JobSearchPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().search(actor, &query, &page)
        })
    }

    /// Counts one view of a published posting (anyone). Who viewed it is not stored.
    pub fn record_job_view(&self, id: JobId) -> Result<(), Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().record_view(actor, id)
        })
    }

    /// A posting's views per month (`YYYY-MM`), oldest first (its staff and admins).
    pub fn job_views(&self, id: JobId) -> Result<Vec<MonthlyViews>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().views(actor, id)
        })
    }

    /// Views of all postings per month, oldest first (admins).
    pub fn total_job_views(&self) -> Result<Vec<MonthlyViews>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().total_views(actor)
        })
    }

    /// Creates postings from rows in one transaction, publishing the rows marked `publish`.
    /// Bad rows are reported in `problems` by line and field; `ALL_OR_NOTHING` imports nothing
    /// when any row is bad, and `dryRun` only checks.
    #[uniffi::method(default(dry_run = false))]
    pub fn import_jobs(&self, rows: Vec<JobImportRow>, mode: ImportMode, dry_run: bool) -> Result<JobImport, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().import(actor, &rows, mode, dry_run)
        })
    }

    /// Postings for export, in id order: every published one (optionally of one `org`), or with
    /// `includeUnpublished` every posting of `org` (its staff and admins).
    #[uniffi::method(default(org = None, include_unpublished = false))]
    pub fn export_jobs(&self, org: Option<OrgId>, include_unpublished: bool) -> Result<Vec<Job>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.jobs().export(actor, org, include_unpublished)
        })
    }

    /// The same postings as `exportJobs`, as a JSON array of schema.org `JobPosting` objects
    /// (JSON-LD), the form search engines and job aggregators read.
    #[uniffi::method(default(org = None, include_unpublished = false))]
    pub fn export_jobs_json_ld(&self, org: Option<OrgId>, include_unpublished: bool) -> Result<String, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            let jobs = core.jobs().export(actor, org, include_unpublished)?;
            let mut employers: BTreeMap<OrgId, Organisation> = BTreeMap::new();
            for id in jobs.iter().map(|job| job.org) {
                if let Entry::Vacant(slot) = employers.entry(id) {
                    slot.insert(core.orgs().get(actor, id)?);
                }
            }
            let postings = jobs.iter().map(|job| job_posting_json_ld(job, &employers[&job.org])).collect();
            Ok(serde_json::Value::Array(postings).to_string())
        })
    }

    /// Sets (replaces) the seeker profile of `account` (its owner or an admin). Profiles are
    /// private unless `findable` is set.
    pub fn set_seeker_profile(&self, account: AccountId, input: SeekerProfileInput) -> Result<SeekerProfile, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.seekers().set(actor, account, &input)
        })
    }

    /// The seeker profile of `account`: its owner, admins, and staff of verified employers once
    /// the seeker opted in to be findable.
    pub fn seeker_profile(&self, account: AccountId) -> Result<SeekerProfile, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.seekers().get(actor, account)
        })
    }

    /// Findable seekers in account order (staff of verified employers and admins), one page at
    /// a time; `filter.near` keeps those who would travel there.
    #[uniffi::method(default(filter), default(page))]
    pub fn list_findable_seekers(&self, filter: SeekerFilter, page: PageRequest) -> Result<SeekerPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.seekers().list_findable(actor, &filter, &page)
        })
    }

    /// Saves a search for the acting account: every posting published from now on that matches
    /// it puts one `JobAlert` into the account's inbox.
    pub fn save_search(&self, name: String, query: JobQuery) -> Result<SavedSearch, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.alerts().add(actor, &name, &query)
        })
    }

    /// The acting account's saved searches.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.alerts().list(actor)
        })
    }

    /// Deletes one of the acting account's saved searches; its alerts stop.
    pub fn remove_saved_search(&self, id: SavedSearchId) -> Result<(), Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.alerts().remove(actor, id)
        })
    }

    /// The acting account's notifications, newest first, with the inbox's unread count;
    /// `unreadOnly` skips read ones.
    #[uniffi::method(default(unread_only = false), default(page))]
    pub fn inbox(&self, unread_only: bool, page: PageRequest) -> Result<NotificationPage, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.inbox().list(actor, unread_only, &page)
        })
    }

    /// Marks notifications read: these ids, or every one when `ids` is empty. Returns how many
    /// changed.
    #[uniffi::method(default(ids = []))]
    pub fn mark_notifications_read(&self, ids: Vec<u64>) -> Result<u64, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.inbox().mark_read(actor, &ids)
        })
    }

    /// Marks the acting account's interest in a published posting, with an optional note for
    /// the employer. Once per posting (`Conflict` the second time).
    #[uniffi::method(default(note = None))]
    pub fn mark_interest(&self, job: JobId, note: Option<String>) -> Result<Interest, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.interests().mark(actor, job, note.as_deref())
        })
    }

    /// Everyone interested in a posting (its organisation's staff and admins).
    pub fn interests_for_job(&self, job: JobId) -> Result<Vec<Interest>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.interests().for_job(actor, job)
        })
    }

    /// The acting account's own interests.
    pub fn my_interests(&self) -> Result<Vec<Interest>, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.interests().mine(actor)
        })
    }

    /// Moves an interest forward: new → contacted → interviewing → hired | declined (the
    /// posting's staff). The seeker is notified; hiring as many as the posting has openings
    /// fills it. A step backwards throws `InvalidInput` with field `status`.
    pub fn advance_interest(&self, id: InterestId, status: InterestStatus) -> Result<Interest, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.interests().advance(actor, id, status)
        })
    }

    /// Takes the acting seeker's interest back.
    pub fn withdraw_interest(&self, id: InterestId) -> Result<Interest, Error> {
        guard(|| {
            let (core, actor) = self.parts();
            core.interests().withdraw(actor, id)
        })
    }
}
