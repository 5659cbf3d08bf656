//! The one list of public operations. Every frontend is expanded from it: the UniFFI
//! `Platform` methods (Kotlin, Swift), the PyO3 methods and their `.pyi` stubs, and the
//! table the parity test and the stub generator read ([`OPERATIONS`]).
//!
//! Why a `macro_rules!` manifest: it needs no build step and no proc-macro crate, every
//! binding crate expands it with its own small macro (`operations!(expand_ffi)`), the
//! operations' bodies stay ordinary Rust that the compiler checks against the core, and a
//! newcomer reads one entry as a function signature.
//!
//! Each entry:
//!
//! ```text
//! /// Doc comment, shown in Kotlin, Swift and Python.
//! [write, paged: no, retry: no, replica: no, cli: "job withdraw"]
//! withdraw_job(id: JobId, reason: Option<String> = None) -> Job
//!     = |core, actor| core.jobs().withdraw(actor, id, reason.as_deref());
//! ```
//!
//! - `read | write`: whether it changes the platform;
//! - `paged: no | iter_name`: a paged listing, and the name of Python's iterator twin;
//! - `retry: yes | no`: whether a retried call is safe (idempotent);
//! - `replica: yes | no`: whether a device replica may answer it (reads the account may see);
//! - `cli: "command path" | none("why the CLI has no command for it")`.
//!
//! Arguments are owned types (what crosses a foreign boundary); the `call` borrows them.
//! A default is `None`, `false`, a number, `[]`, or `default` (the type's `Default`).
//! Names follow one rule: Rust `snake_case` here and in Python, `camelCase` of the same
//! words in Kotlin and Swift.

use crate::{Error, Result};

mod guard;
mod replica;
pub use guard::guard;
pub use replica::REPLICA_METHODS;

/// Every type an operation takes or returns, for the binding crates to import in one line
/// (`use trialog_core::api::prelude::*;`).
pub mod prelude {
    pub use crate::counsel::{
        Absence, CaseView, ClientCase, ClientSent, CloseReason, CounselOffer, CounselStats, CounsellorProfile,
        CounsellorProfileUpdate, Enquiry, EnquiryId, EnquiryQueuePage, Escalation, Message, MessageId, NewEnquiry,
        Opened, PendingReply, PurgeReport,
    };
    pub use crate::forums::{QueuePage, Revision, Watching};
    pub use crate::moderation::{ActionId, AppealId, AppealPage, ItemDetail, ItemId, LogPage, Report, ReviewPage};
    pub use crate::reports::{FigureRow, Span};
    pub use crate::*;
    pub use chrono::NaiveDate;
}

/// One operation as the parity test and the stub generator see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    pub name: &'static str,
    pub doc: &'static str,
    /// `(name, Rust type, default)`; the default is `""` for a required argument.
    pub args: &'static [(&'static str, &'static str, &'static str)],
    pub result: &'static str,
    pub writes: bool,
    /// The Python iterator twin of a paged listing.
    pub iter: Option<&'static str>,
    pub retry_safe: bool,
    pub replica: bool,
    /// The CLI command that covers it, or `Err(why it has none)`.
    pub cli: core::result::Result<&'static str, &'static str>,
}

/// Expands the manifest into [`OPERATIONS`].
#[doc(hidden)]
#[macro_export]
macro_rules! __operation_table {
    ($(
        $(#[doc = $doc:literal])*
        [$access:ident, paged: $paged:ident, retry: $retry:ident, replica: $replica:ident, cli: $cli:tt $(($why:literal))?]
        $name:ident ( $($arg:ident : $ty:ty $(= $default:tt)?),* ) -> $ret:ty = |$core:ident, $actor:ident| $call:expr;
    )*) => {
        &[$($crate::api::Operation {
            name: stringify!($name),
            doc: concat!($($doc, "\n"),*),
            args: &[$((stringify!($arg), stringify!($ty), concat!("" $(, stringify!($default))?))),*],
            result: stringify!($ret),
            writes: $crate::__flag!(access $access),
            iter: $crate::__flag!(paged $paged),
            retry_safe: $crate::__flag!(yes $retry),
            replica: $crate::__flag!(yes $replica),
            cli: $crate::__flag!(cli $cli $(($why))?),
        }),*]
    };
}

/// The manifest's words as values.
#[doc(hidden)]
#[macro_export]
macro_rules! __flag {
    (access read) => {
        false
    };
    (access write) => {
        true
    };
    (paged no) => {
        None
    };
    (paged $iter:ident) => {
        Some(stringify!($iter))
    };
    (yes yes) => {
        true
    };
    (yes no) => {
        false
    };
    (cli none($why:literal)) => {
        Err($why)
    };
    (cli $command:literal) => {
        Ok($command)
    };
}

/// Runs an operation's `call` with the core platform and actor bound to the names the entry
/// chose, so that expanders need not know them.
#[doc(hidden)]
#[macro_export]
macro_rules! __operation_call {
    ($platform:expr, $who:expr, |$core:ident, $actor:ident| $call:expr) => {{
        #[allow(unused_variables)]
        let ($core, $actor): (&$crate::Platform, &$crate::Actor) = ($platform, $who);
        $call
    }};
}

/// The manifest: calls `$callback! { entries }` with every public operation.
#[macro_export]
macro_rules! operations {
    ($callback:ident) => {
        $callback! {
        // ---- accounts ------------------------------------------------------------
        /// Creates an account with the `Member` role. An anonymous handle signs itself up; admins
        /// and the operator may create accounts for others.
        ///
        /// Throws `InvalidInput` (with `field`, such as `"pseudonym"`) for a bad value and
        /// `Conflict` when the pseudonym is taken, ignoring case.
        [write, paged: no, retry: no, replica: no, cli: "account add"]
        create_account(new: NewAccount) -> Account
            = |core, actor| core.accounts().create(actor, &new);
        /// One account. The e-mail address is left out unless the actor is its owner or an admin.
        [read, paged: no, retry: yes, replica: yes, cli: "account show"]
        account(id: AccountId) -> Account = |core, actor| core.accounts().get(actor, id);
        /// The account with this pseudonym, ignoring case and Unicode form.
        [read, paged: no, retry: yes, replica: yes, cli: "account show"]
        account_by_pseudonym(pseudonym: String) -> Account
            = |core, actor| core.accounts().find_by_pseudonym(actor, &pseudonym);
        /// Accounts in id order, filtered, one page at a time (moderators and admins).
        [read, paged: iter_accounts, retry: yes, replica: no, cli: "account list"]
        list_accounts(filter: AccountFilter = default, page: PageRequest = default) -> AccountPage
            = |core, actor| core.accounts().list(actor, &filter, &page);
        /// Changes an account's own details (the owner or an admin). Absent fields stay; an empty
        /// string clears `homeRegion` or `email`.
        [write, paged: no, retry: yes, replica: no, cli: "account edit"]
        update_account(id: AccountId, change: AccountUpdate) -> Account
            = |core, actor| core.accounts().update(actor, id, &change);
        /// Gives an account a role; granting a role it already has changes nothing.
        [write, paged: no, retry: yes, replica: no, cli: "account grant"]
        grant_role(id: AccountId, role: Role, reason: Option<String> = None) -> Account
            = |core, actor| core.accounts().grant_role(actor, id, role, reason.as_deref());
        /// Takes a role away; revoking a role the account does not have changes nothing.
        [write, paged: no, retry: yes, replica: no, cli: "account revoke"]
        revoke_role(id: AccountId, role: Role, reason: Option<String> = None) -> Account
            = |core, actor| core.accounts().revoke_role(actor, id, role, reason.as_deref());
        /// Silences, suspends, bans or reinstates an account (moderators and admins). The reason is
        /// required: it is logged and will be shown to the person.
        [write, paged: no, retry: no, replica: no, cli: "account suspend"]
        restrict_account(id: AccountId, restriction: Restriction, reason: String) -> Account
            = |core, actor| core.accounts().restrict(actor, id, restriction, &reason);
        /// Sets an account's password (its owner, an admin or the operator); clears any sign-in
        /// throttle.
        [write, paged: no, retry: yes, replica: no, cli: "account passwd"]
        set_password(id: AccountId, password: String) -> ()
            = |core, actor| core.accounts().set_password(actor, id, &password);
        // ---- the person's rights (GDPR) ------------------------------------------------------
        /// Everything stored about an account (GDPR Art. 15, 20): the export archive's README and
        /// one JSON document per kind of record — profile, roles, posts (anonymous ones included),
        /// inbox, reports, moderation and audit entries naming it, registrations, … The account
        /// itself, admins and the operator; the export is audited.
        [read, paged: no, retry: yes, replica: no, cli: "account export"]
        export_account(account: AccountId) -> AccountExport
            = |core, actor| core.rights().export_documents(actor, account);
        /// Erases an account (GDPR Art. 17): its record, e-mail, password, profiles, saved
        /// searches, inbox, sessions and registrations go; its posts stay as "former member" or
        /// are emptied (`posts`, else the platform's rule); moderation and audit keep the actions
        /// without the person. The account itself, admins and the operator. `reason` goes into
        /// the audit log and must not name the person (`InvalidInput` on `reason`).
        [write, paged: no, retry: no, replica: no, cli: "account erase"]
        erase_account(account: AccountId, reason: String, posts: Option<PostFate> = None) -> ErasureReport
            = |core, actor| core.rights().erase(actor, account, posts, &reason);
        /// The retention rule for inactive accounts (admins and the operator).
        [read, paged: no, retry: yes, replica: no, cli: "retention show"]
        retention_settings() -> RetentionSettings = |core, actor| core.rights().retention(actor);
        /// Sets the retention rule (admins and the operator): accounts inactive for
        /// `inactiveMonths` are warned through the inbox and erased `graceDays` later.
        [write, paged: no, retry: yes, replica: no, cli: "retention set"]
        set_retention_settings(settings: RetentionSettings) -> RetentionSettings
            = |core, actor| core.rights().set_retention(actor, &settings);
        /// Accounts warned for inactivity, with when they will be erased (admins and the operator).
        [read, paged: no, retry: yes, replica: no, cli: "retention warnings"]
        retention_warnings() -> Vec<RetentionWarning> = |core, actor| core.rights().warnings(actor);
        // ---- orgs ------------------------------------------------------------
        /// Registers an organisation, unverified. When a member registers it, they become its staff.
        [write, paged: no, retry: no, replica: no, cli: "org add"]
        create_organisation(new: NewOrganisation) -> Organisation = |core, actor| core.orgs().create(actor, &new);
        /// One organisation (public). Throws `NotFound` when there is none with this id.
        [read, paged: no, retry: yes, replica: yes, cli: "org show"]
        organisation(id: OrgId) -> Organisation = |core, actor| core.orgs().get(actor, id);
        /// Organisations in id order, filtered, one page at a time (public). Pass the page's
        /// `nextCursor` back in `PageRequest.cursor` for the next page.
        [read, paged: iter_organisations, retry: yes, replica: yes, cli: "org list"]
        list_organisations(filter: OrganisationFilter = default, page: PageRequest = default) -> OrganisationPage
            = |core, actor| core.orgs().list(actor, &filter, &page);
        /// Changes an organisation's details (its staff or an admin). Absent fields stay; an empty
        /// string clears `city` or `website`.
        [write, paged: no, retry: yes, replica: no, cli: "org edit"]
        update_organisation(id: OrgId, change: OrganisationUpdate) -> Organisation
            = |core, actor| core.orgs().update(actor, id, &change);
        /// Marks an organisation verified, or withdraws the verification (admins only). The reason
        /// goes into the audit log.
        [write, paged: no, retry: yes, replica: no, cli: "org verify"]
        verify_organisation(id: OrgId, verified: bool = true, reason: Option<String> = None) -> Organisation
            = |core, actor| core.orgs().verify(actor, id, verified, reason.as_deref());
        // ---- audit ------------------------------------------------------------
        /// Audit entries, newest first, filtered, one page at a time (admins and the operator).
        [read, paged: iter_audit, retry: yes, replica: no, cli: "audit list"]
        audit_log(filter: AuditFilter = default, page: PageRequest = default) -> AuditPage
            = |core, actor| core.audit().list(actor, &filter, &page);
        // ---- geo ------------------------------------------------------------
        /// Imports the GeoNames postal-code file at `path` (admins and the operator); a country
        /// imported again is replaced. Bad rows are skipped and listed in `problems`.
        /// Throws `NotFound` when there is no such file.
        [write, paged: no, retry: no, replica: no, cli: "geo import"]
        import_gazetteer(path: String) -> GazetteerImport = |core, actor| core.geo().import_file(actor, &path);
        /// The place of a postcode (anyone). Throws `InvalidInput` on `postcode` when it is unknown
        /// or its country's gazetteer is not loaded.
        [read, paged: no, retry: yes, replica: yes, cli: "geo lookup"]
        lookup_postcode(country: String, postcode: String) -> Place
            = |core, actor| core.geo().lookup(actor, &country, &postcode);
        /// Places whose name starts with `prefix`, ignoring case and accents, in one country or
        /// all; sorted by name, then postcode; `limit` 1 to 100.
        [read, paged: no, retry: yes, replica: yes, cli: "geo lookup"]
        search_places(prefix: String, country: Option<String> = None, limit: u32 = 20) -> Vec<Place>
            = |core, actor| core.geo().search(actor, &prefix, country.as_deref(), limit);
        /// The countries whose gazetteer is loaded.
        [read, paged: no, retry: yes, replica: yes, cli: "geo countries"]
        gazetteer_countries() -> Vec<CountryGazetteer> = |core, actor| core.geo().countries(actor);
        // ---- jobs ------------------------------------------------------------
        /// Creates a draft posting for `new.org` (staff of a verified organisation, or an admin).
        ///
        /// Bad fields throw `InvalidInput` naming the field: `title`, `hours.min`, `pay.min`,
        /// `expires_on` (in the past or before `startsOn`), `languages`, `openings`, …
        [write, paged: no, retry: no, replica: no, cli: "job post"]
        create_job(new: NewJob) -> Job = |core, actor| core.jobs().create(actor, &new);
        /// One posting. Drafts and withdrawn postings exist only for their organisation's staff and
        /// admins (`NotFound` for everyone else); a published posting past its expiry date reads as
        /// `EXPIRED`.
        [read, paged: no, retry: yes, replica: yes, cli: "job show"]
        job(id: JobId) -> Job = |core, actor| core.jobs().get(actor, id);
        /// Changes a draft or published posting (its staff or an admin). Absent fields stay; an
        /// empty `contact` clears it. Filled and withdrawn postings throw `Conflict`.
        [write, paged: no, retry: yes, replica: no, cli: "job edit"]
        update_job(id: JobId, change: JobUpdate) -> Job = |core, actor| core.jobs().update(actor, id, &change);
        /// Publishes a draft: from now on searches find it, and every saved search it matches gets
        /// one alert. Without an expiry date it is shown for 60 days. Paid contracts need `pay`.
        [write, paged: no, retry: no, replica: no, cli: "job publish"]
        publish_job(id: JobId) -> Job = |core, actor| core.jobs().publish(actor, id);
        /// Publishes several drafts in one transaction: all of them, or none when one fails.
        [write, paged: no, retry: no, replica: no, cli: "job publish"]
        publish_jobs(ids: Vec<JobId>) -> Vec<Job> = |core, actor| core.jobs().publish_many(actor, &ids);
        /// Takes a posting off the board (its staff or an admin); the reason goes into the audit log.
        [write, paged: no, retry: no, replica: no, cli: "job withdraw"]
        withdraw_job(id: JobId, reason: Option<String> = None) -> Job
            = |core, actor| core.jobs().withdraw(actor, id, reason.as_deref());
        /// Marks a published posting filled: searches stop finding it, but it stays readable.
        [write, paged: no, retry: no, replica: no, cli: "job fill"]
        fill_job(id: JobId) -> Job = |core, actor| core.jobs().fill(actor, id);
        /// Searches published postings (anyone, signed in or not). Each hit carries the distance
        /// from `query.near` in km and the posting's coordinates. Pass the page's `nextCursor` back
        /// in `PageRequest.cursor` for the next page.
        ///
        /// A radius outside (0, 1000] km throws `InvalidInput` with field `radius_km`.
        [read, paged: iter_jobs, retry: yes, replica: yes, cli: "job search"]
        search_jobs(query: JobQuery = default, page: PageRequest = default) -> JobSearchPage
            = |core, actor| core.jobs().search(actor, &query, &page);
        /// Counts one view of a published posting (anyone). Who viewed it is not stored.
        [write, paged: no, retry: yes, replica: no, cli: "job view"]
        record_job_view(id: JobId) -> () = |core, actor| core.jobs().record_view(actor, id);
        /// A posting's views per month (`YYYY-MM`), oldest first (its staff and admins).
        [read, paged: no, retry: yes, replica: yes, cli: "job views"]
        job_views(id: JobId) -> Vec<MonthlyViews> = |core, actor| core.jobs().views(actor, id);
        /// Views of all postings per month, oldest first (admins).
        [read, paged: no, retry: yes, replica: no, cli: "job views"]
        total_job_views() -> Vec<MonthlyViews> = |core, actor| core.jobs().total_views(actor);
        /// Creates postings from rows in one transaction, publishing the rows marked `publish`.
        /// Bad rows are reported in `problems` by line and field; `ALL_OR_NOTHING` imports nothing
        /// when any row is bad, and `dryRun` only checks.
        [write, paged: no, retry: no, replica: no, cli: "job import"]
        import_jobs(rows: Vec<JobImportRow>, mode: ImportMode, dry_run: bool = false) -> JobImport
            = |core, actor| core.jobs().import(actor, &rows, mode, dry_run);
        /// Postings for export, in id order: every published one (optionally of one `org`), or with
        /// `includeUnpublished` every posting of `org` (its staff and admins).
        [read, paged: no, retry: yes, replica: yes, cli: "job export"]
        export_jobs(org: Option<OrgId> = None, include_unpublished: bool = false) -> Vec<Job>
            = |core, actor| core.jobs().export(actor, org, include_unpublished);
        /// The same postings as `exportJobs`, as a JSON array of schema.org `JobPosting` objects
        /// (JSON-LD), the form search engines and job aggregators read.
        [read, paged: no, retry: yes, replica: yes, cli: "job export"]
        export_jobs_json_ld(org: Option<OrgId> = None, include_unpublished: bool = false) -> String
            = |core, actor| core.jobs().export_json_ld(actor, org, include_unpublished);
        /// Sets (replaces) the seeker profile of `account` (its owner or an admin). Profiles are
        /// private unless `findable` is set.
        [write, paged: no, retry: yes, replica: no, cli: "seeker set"]
        set_seeker_profile(account: AccountId, input: SeekerProfileInput) -> SeekerProfile
            = |core, actor| core.seekers().set(actor, account, &input);
        /// The seeker profile of `account`: its owner, admins, and staff of verified employers once
        /// the seeker opted in to be findable.
        [read, paged: no, retry: yes, replica: yes, cli: "seeker show"]
        seeker_profile(account: AccountId) -> SeekerProfile = |core, actor| core.seekers().get(actor, account);
        /// Findable seekers in account order (staff of verified employers and admins), one page at
        /// a time; `filter.near` keeps those who would travel there.
        [read, paged: iter_findable_seekers, retry: yes, replica: no, cli: "seeker list"]
        list_findable_seekers(filter: SeekerFilter = default, page: PageRequest = default) -> SeekerPage
            = |core, actor| core.seekers().list_findable(actor, &filter, &page);
        /// Saves a search for the acting account: every posting published from now on that matches
        /// it puts one `JobAlert` into the account's inbox.
        [write, paged: no, retry: no, replica: no, cli: "alert add"]
        save_search(name: String, query: JobQuery) -> SavedSearch
            = |core, actor| core.alerts().add(actor, &name, &query);
        /// The acting account's saved searches.
        [read, paged: no, retry: yes, replica: yes, cli: "alert list"]
        saved_searches() -> Vec<SavedSearch> = |core, actor| core.alerts().list(actor);
        /// Deletes one of the acting account's saved searches; its alerts stop.
        [write, paged: no, retry: yes, replica: no, cli: "alert remove"]
        remove_saved_search(id: SavedSearchId) -> () = |core, actor| core.alerts().remove(actor, id);
        /// The acting account's notifications, newest first, with the inbox's unread count;
        /// `unreadOnly` skips read ones.
        [read, paged: iter_inbox, retry: yes, replica: yes, cli: "inbox"]
        inbox(unread_only: bool = false, page: PageRequest = default) -> NotificationPage
            = |core, actor| core.inbox().list(actor, unread_only, &page);
        /// Marks notifications read: these ids, or every one when `ids` is empty. Returns how many
        /// changed.
        [write, paged: no, retry: yes, replica: no, cli: "inbox"]
        mark_notifications_read(ids: Vec<u64> = []) -> u64 = |core, actor| core.inbox().mark_read(actor, &ids);
        /// The acting account's choice of notices outside the platform (e-mail, push); all off
        /// until the person turns them on.
        [read, paged: no, retry: yes, replica: no, cli: "notices"]
        notice_settings() -> NoticeSettings = |core, actor| core.notices().settings(actor);
        /// Sets the acting account's notices: `email` sends one e-mail per new notification to
        /// the account's own address (it must have one); `push` calls the app's hook `push_url`
        /// (https) saying only that there are new notices. Turning one off drops what waits.
        [write, paged: no, retry: yes, replica: no, cli: "notices"]
        set_notice_settings(settings: NoticeSettings) -> NoticeSettings
            = |core, actor| core.notices().set_settings(actor, &settings);
        /// Marks the acting account's interest in a published posting, with an optional note for
        /// the employer. Once per posting (`Conflict` the second time).
        [write, paged: no, retry: no, replica: no, cli: "job interest"]
        mark_interest(job: JobId, note: Option<String> = None) -> Interest
            = |core, actor| core.interests().mark(actor, job, note.as_deref());
        /// Everyone interested in a posting (its organisation's staff and admins).
        [read, paged: no, retry: yes, replica: no, cli: "job interests"]
        interests_for_job(job: JobId) -> Vec<Interest> = |core, actor| core.interests().for_job(actor, job);
        /// The acting account's own interests.
        [read, paged: no, retry: yes, replica: yes, cli: "job interests"]
        my_interests() -> Vec<Interest> = |core, actor| core.interests().mine(actor);
        /// Moves an interest forward: new → contacted → interviewing → hired | declined (the
        /// posting's staff). The seeker is notified; hiring as many as the posting has openings
        /// fills it. A step backwards throws `InvalidInput` with field `status`.
        [write, paged: no, retry: no, replica: no, cli: "job advance"]
        advance_interest(id: InterestId, status: InterestStatus) -> Interest
            = |core, actor| core.interests().advance(actor, id, status);
        /// Takes the acting seeker's interest back.
        [write, paged: no, retry: no, replica: no, cli: "job interest"]
        withdraw_interest(id: InterestId) -> Interest = |core, actor| core.interests().withdraw(actor, id);
        // ---- suggestions ------------------------------------------------------------
        /// Published, unexpired postings that suit the seeker `account`, best first (the seeker and
        /// admins). Each carries its score and a breakdown per criterion (distance, hours, pay,
        /// requirement, recency) with a reason. `limit`: 1 to 200, 20 when absent.
        ///
        /// A profile without working languages, or without a home and not open to remote work,
        /// throws `InvalidInput` naming `languages` or `location`.
        [read, paged: no, retry: yes, replica: yes, cli: "match suggest-jobs"]
        suggest_jobs(account: AccountId, limit: Option<u32> = None) -> Vec<JobSuggestion>
            = |core, actor| core.jobs().suggest_for_seeker(actor, account, limit);
        /// Findable seekers who suit posting `job`, best first (the posting's staff once the
        /// organisation is verified, and admins). Seekers who did not opt in are never included.
        [read, paged: no, retry: yes, replica: no, cli: "match suggest-seekers"]
        suggest_seekers(job: JobId, limit: Option<u32> = None) -> Vec<SeekerSuggestion>
            = |core, actor| core.seekers().suggest_for_job(actor, job, limit);
        /// The weights suggestions are scored with (anyone); the defaults until an admin sets them.
        [read, paged: no, retry: yes, replica: yes, cli: "match weights"]
        suggestion_weights() -> SuggestionWeights = |core, actor| core.settings().suggestion_weights(actor);
        /// Sets the weights of the suggestion score (admins). Each is 0 to 1000, not all 0; a bad
        /// one throws `InvalidInput` with field `weights.<name>`.
        [write, paged: no, retry: yes, replica: no, cli: "match weights"]
        set_suggestion_weights(weights: SuggestionWeights) -> SuggestionWeights
            = |core, actor| core.settings().set_suggestion_weights(actor, &weights);
        /// Goes back to the default weights (admins).
        [write, paged: no, retry: yes, replica: no, cli: "match weights"]
        reset_suggestion_weights() -> SuggestionWeights = |core, actor| core.settings().reset_suggestion_weights(actor);
        // ---- match_runs ------------------------------------------------------------
        /// Solves `input` for `cohort` and stores the run (supervisors and admins). Pairs declined
        /// in the cohort's earlier runs are not allowed and are listed under `excluded`.
        [write, paged: no, retry: no, replica: no, cli: "match assign"]
        run_matching(cohort: String, input: RunInput) -> MatchRun
            = |core, actor| core.match_runs().run(actor, &cohort, &input);
        /// Runs newest first, optionally of one cohort; pass `nextCursor` back for the next page.
        [read, paged: iter_match_runs, retry: yes, replica: no, cli: "match runs list"]
        match_runs(filter: MatchRunFilter = default, page: PageRequest = default) -> MatchRunPage
            = |core, actor| core.match_runs().list(actor, &filter, &page);
        /// One run with its input, result and the decisions on its pairs.
        [read, paged: no, retry: yes, replica: no, cli: "match runs show"]
        match_run(id: RunId) -> MatchRun = |core, actor| core.match_runs().get(actor, id);
        /// Confirms the pair proposed for `person` in run `id`. Decisions are final (`Conflict`).
        [write, paged: no, retry: no, replica: no, cli: "match runs accept"]
        accept_pair(id: RunId, person: String, reason: Option<String> = None) -> MatchRun
            = |core, actor| core.match_runs().accept(actor, id, &person, reason.as_deref());
        /// Turns down the pair proposed for `person` in run `id`; the cohort's later runs will not
        /// propose it again.
        [write, paged: no, retry: no, replica: no, cli: "match runs decline"]
        decline_pair(id: RunId, person: String, reason: Option<String> = None) -> MatchRun
            = |core, actor| core.match_runs().decline(actor, id, &person, reason.as_deref());
        // ---- forums ------------------------------------------------------------
        /// Creates a board (admins). Bad fields throw `InvalidInput`: `slug`, `title`, `language`,
        /// `audience`; a taken slug throws `Conflict`.
        [write, paged: no, retry: no, replica: no, cli: "forum board add"]
        create_board(new: NewBoard) -> Board = |core, actor| core.forums().create_board(actor, &new);
        /// Changes a board; absent fields stay (admins).
        [write, paged: no, retry: yes, replica: no, cli: "forum board edit"]
        update_board(id: BoardId, change: BoardUpdate) -> Board
            = |core, actor| core.forums().update_board(actor, id, &change);
        /// Archives a board (read-only) or reopens it (admins).
        [write, paged: no, retry: yes, replica: no, cli: "forum board archive"]
        archive_board(id: BoardId, archived: bool = true) -> Board
            = |core, actor| core.forums().archive_board(actor, id, archived);
        /// One board, if the actor is in its audience.
        [read, paged: no, retry: yes, replica: yes, cli: "forum board list"]
        board(id: BoardId) -> Board = |core, actor| core.forums().board(actor, id);
        /// The board with this slug (any case), if the actor is in its audience.
        [read, paged: no, retry: yes, replica: yes, cli: "forum thread list"]
        board_by_slug(slug: String) -> Board = |core, actor| core.forums().board_by_slug(actor, &slug);
        /// The boards the actor may read, in list order, with sizes and (for an account) unread
        /// threads and whether it watches them.
        [read, paged: no, retry: yes, replica: yes, cli: "forum board list"]
        boards() -> Vec<BoardOverview> = |core, actor| core.forums().boards(actor);
        /// Starts a thread (an account). `held` tells why it waits for a moderator when it does;
        /// `signposts` carry help the content check attached. The author watches the thread.
        [write, paged: no, retry: no, replica: no, cli: "forum thread new"]
        create_thread(new: NewThread) -> Posted = |core, actor| core.forums().create_thread(actor, &new);
        /// A page of a board: pinned threads first, then the most recently active.
        [read, paged: iter_threads, retry: yes, replica: yes, cli: "forum thread list"]
        board_page(board: BoardId, page: PageRequest = default) -> BoardPage
            = |core, actor| core.forums().board_page(actor, board, &page);
        /// One thread without its posts.
        [read, paged: no, retry: yes, replica: yes, cli: "forum thread show"]
        thread(id: ThreadId) -> Thread = |core, actor| core.forums().thread(actor, id);
        /// A page of a thread's posts in the order they were written; the read position stays.
        [read, paged: iter_posts, retry: yes, replica: yes, cli: "forum thread show"]
        thread_page(id: ThreadId, page: PageRequest = default) -> ThreadPage
            = |core, actor| core.forums().thread_page(actor, id, &page);
        /// Reads a page of a thread as a person does: counts the view and, for an account, moves
        /// its read position to the last post shown. `visitor` is the host's opaque token for
        /// someone not signed in (stored only as a hash whose key changes every month).
        [write, paged: no, retry: no, replica: no, cli: "forum read"]
        read_thread(id: ThreadId, page: PageRequest = default, visitor: Option<String> = None) -> ThreadPage
            = |core, actor| core.forums().read_thread(actor, id, &page, visitor.as_deref());
        /// Counts a view of a thread without returning it (see `readThread`).
        [write, paged: no, retry: yes, replica: no, cli: "forum read"]
        record_thread_view(id: ThreadId, visitor: Option<String> = None) -> ()
            = |core, actor| core.forums().record_view(actor, id, visitor.as_deref());
        /// Replies in a thread, optionally to an earlier post of it (`replyTo`). A post of another
        /// thread throws `InvalidInput` with field `reply_to`; a locked thread or an archived board
        /// throws `Conflict`; silenced accounts get `PermissionDenied`.
        [write, paged: no, retry: no, replica: no, cli: "forum post add"]
        reply(new: NewReply) -> Posted = |core, actor| core.forums().reply(actor, &new);
        /// One post, if the actor may see it.
        [read, paged: no, retry: yes, replica: yes, cli: "forum thread show"]
        post(id: PostId) -> Post = |core, actor| core.forums().post(actor, id);
        /// Changes a post's body and, for a first post, optionally the thread's title (its author).
        /// Edits within five minutes of a version merge into it.
        [write, paged: no, retry: no, replica: no, cli: "forum post edit"]
        edit_post(id: PostId, body: String, title: Option<String> = None) -> Posted
            = |core, actor| core.forums().edit_post(actor, id, &body, title.as_deref());
        /// Deletes a post softly (its author): it stays as "deleted by the author".
        [write, paged: no, retry: no, replica: no, cli: "forum post delete"]
        delete_post(id: PostId) -> Post = |core, actor| core.forums().delete_post(actor, id);
        /// Every version of a post's body, oldest first (its author, moderators and admins).
        [read, paged: no, retry: yes, replica: yes, cli: "forum post history"]
        post_history(id: PostId) -> Vec<Revision> = |core, actor| core.forums().history(actor, id);
        /// Pins or unpins a thread (moderators).
        [write, paged: no, retry: yes, replica: no, cli: "forum thread pin"]
        pin_thread(id: ThreadId, pinned: bool = true) -> Thread
            = |core, actor| core.forums().pin_thread(actor, id, pinned);
        /// Locks or opens a thread (moderators).
        [write, paged: no, retry: yes, replica: no, cli: "forum thread lock"]
        lock_thread(id: ThreadId, locked: bool = true) -> Thread
            = |core, actor| core.forums().lock_thread(actor, id, locked);
        /// Moves a thread to another board (moderators).
        [write, paged: no, retry: yes, replica: no, cli: "forum thread move"]
        move_thread(id: ThreadId, board: BoardId) -> Thread = |core, actor| core.forums().move_thread(actor, id, board);
        /// Approves, hides, restores or removes a thread (moderators).
        [write, paged: no, retry: no, replica: no, cli: "forum thread moderate"]
        moderate_thread(id: ThreadId, action: ModerationAction, reason: Option<String> = None) -> Thread
            = |core, actor| core.forums().moderate_thread(actor, id, action, reason.as_deref());
        /// Approves, hides, restores or removes a post (moderators); a first post moves its thread.
        [write, paged: no, retry: no, replica: no, cli: "forum post moderate"]
        moderate_post(id: PostId, action: ModerationAction, reason: Option<String> = None) -> Post
            = |core, actor| core.forums().moderate_post(actor, id, action, reason.as_deref());
        /// Restricts the author of a post without learning who it is (moderators for members,
        /// admins for anyone).
        [write, paged: no, retry: no, replica: no, cli: "forum post restrict"]
        restrict_author(post: PostId, restriction: Restriction, reason: String) -> ()
            = |core, actor| core.forums().restrict_author(actor, post, restriction, &reason);
        /// Posts waiting for a moderator, oldest first (moderators).
        [read, paged: iter_moderation_queue, retry: yes, replica: no, cli: "forum queue"]
        moderation_queue(page: PageRequest = default) -> QueuePage = |core, actor| core.forums().queue(actor, &page);
        /// Marks a thread read up to a post (or entirely); returns what stays unread.
        [write, paged: no, retry: yes, replica: no, cli: "forum mark-read"]
        mark_thread_read(thread: ThreadId, up_to: Option<PostId> = None) -> ThreadUnread
            = |core, actor| core.forums().mark_read(actor, thread, up_to);
        /// Marks a whole board read; returns how many threads were marked.
        [write, paged: no, retry: yes, replica: no, cli: "forum mark-read"]
        mark_board_read(board: BoardId) -> u32 = |core, actor| core.forums().mark_board_read(actor, board);
        /// Unread posts in every thread the account watches.
        [read, paged: no, retry: yes, replica: yes, cli: "forum unread"]
        unread_threads() -> Vec<ThreadUnread> = |core, actor| core.forums().unread(actor);
        /// Starts or stops watching a thread (new replies land in the inbox).
        [write, paged: no, retry: yes, replica: no, cli: "forum watch"]
        watch_thread(thread: ThreadId, on: bool = true) -> ()
            = |core, actor| core.forums().watch_thread(actor, thread, on);
        /// Starts or stops watching a board (new threads land in the inbox).
        [write, paged: no, retry: yes, replica: no, cli: "forum watch"]
        watch_board(board: BoardId, on: bool = true) -> () = |core, actor| core.forums().watch_board(actor, board, on);
        /// The boards and threads the account watches.
        [read, paged: no, retry: yes, replica: yes, cli: "forum watch"]
        watching() -> Watching = |core, actor| core.forums().watching(actor);
        /// The account's forum notifications, newest first (mark them read with
        /// `markNotificationsRead`).
        [read, paged: iter_forum_notifications, retry: yes, replica: yes, cli: "forum inbox"]
        forum_notifications(unread_only: bool = false, page: PageRequest = default) -> NotificationPage
            = |core, actor| core.forums().notifications(actor, unread_only, &page);
        /// Views and unique readers per month or quarter, of one board or of every board and all
        /// together (moderators and admins). Fewer than five readers come back as `null`.
        [read, paged: no, retry: yes, replica: no, cli: "forum stats"]
        forum_stats(period: StatsPeriod, board: Option<BoardId> = None) -> Vec<ReaderStats>
            = |core, actor| core.forums().stats(actor, period, board);
        /// Searches the thread titles and posts the actor may read, best and newest first.
        [read, paged: iter_forum_search, retry: yes, replica: yes, cli: "forum search"]
        search_forums(query: ForumQuery, page: PageRequest = default) -> ForumSearchPage
            = |core, actor| core.forums().search(actor, &query, &page);
        // ---- moderation ------------------------------------------------------------
        /// Reports a thread, post, profile or job posting (an account). Something that does not
        /// exist or that the actor cannot see throws `NotFound`; `other` needs a `detail`.
        [write, paged: no, retry: no, replica: no, cli: "report"]
        report(new: NewReport) -> Report = |core, actor| core.moderation().report(actor, &new);
        /// Appeals an action that affected the actor, once, with a statement.
        [write, paged: no, retry: no, replica: no, cli: "appeal"]
        appeal(action: ActionId, statement: String) -> Appeal
            = |core, actor| core.moderation().appeal(actor, action, &statement);
        /// A page of the review queue: crisis first, then by weighted reports, then oldest
        /// (moderators).
        [read, paged: iter_review_queue, retry: yes, replica: no, cli: "mod queue"]
        review_queue(state: ItemState, page: PageRequest = default) -> ReviewPage
            = |core, actor| core.moderation().queue(actor, state, &page);
        /// One item with its reports and the target's history (moderators).
        [read, paged: no, retry: yes, replica: no, cli: "mod show"]
        review_item(id: ItemId) -> ItemDetail = |core, actor| core.moderation().item(actor, id);
        /// Claims an item at the `version` the moderator saw; throws `Conflict` if it changed.
        [write, paged: no, retry: no, replica: no, cli: "mod claim"]
        claim_item(id: ItemId, version: u64) -> ReviewItem = |core, actor| core.moderation().claim(actor, id, version);
        /// Acts on an item at the `version` the moderator saw and closes it; the affected person
        /// is notified with the reason and how to appeal.
        [write, paged: no, retry: no, replica: no, cli: "mod act"]
        act_on_item(id: ItemId, version: u64, action: ModAction, reason: String) -> LogEntry
            = |core, actor| core.moderation().act(actor, id, version, &action, &reason);
        /// The moderation log, newest first, optionally of one target; moderators' accounts only
        /// for moderators.
        [read, paged: iter_moderation_log, retry: yes, replica: no, cli: "mod log"]
        moderation_log(target: Option<Target> = None, page: PageRequest = default) -> LogPage
            = |core, actor| core.moderation().log(actor, target, &page);
        /// Open appeals, or decided ones (moderators).
        [read, paged: iter_appeals, retry: yes, replica: no, cli: "mod appeals"]
        appeals(decided: bool = false, page: PageRequest = default) -> AppealPage
            = |core, actor| core.moderation().appeals(actor, decided, &page);
        /// Decides an appeal (not by the moderator who acted); overturning undoes the action.
        [write, paged: no, retry: no, replica: no, cli: "mod decide"]
        decide_appeal(appeal: AppealId, outcome: AppealOutcome, reason: String) -> Appeal
            = |core, actor| core.moderation().decide_appeal(actor, appeal, outcome, &reason);
        /// Every watched word (moderators).
        [read, paged: no, retry: yes, replica: no, cli: "mod words list"]
        watched_words() -> Vec<WatchedWord> = |core, actor| core.moderation().words(actor);
        /// Adds a watched word or changes its action (admins).
        [write, paged: no, retry: yes, replica: no, cli: "mod words add"]
        add_watched_word(word: WatchedWord) -> WatchedWord = |core, actor| core.moderation().add_word(actor, &word);
        /// Removes a watched word (admins).
        [write, paged: no, retry: yes, replica: no, cli: "mod words remove"]
        remove_watched_word(language: String, pattern: String) -> ()
            = |core, actor| core.moderation().remove_word(actor, &language, &pattern);
        /// What the watched words find in a text, and why (moderators).
        [read, paged: no, retry: yes, replica: no, cli: "mod words test"]
        test_watched_words(text: String, language: String) -> TextCheck
            = |core, actor| core.moderation().test_words(actor, &text, &language);
        /// Every crisis resource, verified or not.
        [read, paged: no, retry: yes, replica: yes, cli: "mod resources list"]
        crisis_resources() -> Vec<CrisisResource> = |core, actor| core.moderation().resources(actor);
        /// The verified resources for someone in `country` writing in `language`.
        [read, paged: no, retry: yes, replica: yes, cli: "mod resources list"]
        crisis_resources_for(country: String, language: String) -> Vec<CrisisResource>
            = |core, _actor| core.moderation().resources_for(&country, &language);
        /// Adds or replaces a crisis resource (admins).
        [write, paged: no, retry: yes, replica: no, cli: "mod resources set"]
        set_crisis_resource(resource: CrisisResource) -> CrisisResource
            = |core, actor| core.moderation().set_resource(actor, &resource);
        /// The trust and rate-limit rules in force.
        [read, paged: no, retry: yes, replica: yes, cli: "mod settings"]
        moderation_settings() -> ModerationSettings = |core, actor| core.moderation().settings(actor);
        /// Changes the trust and rate-limit rules (admins).
        [write, paged: no, retry: yes, replica: no, cli: "mod settings"]
        set_moderation_settings(settings: ModerationSettings) -> ModerationSettings
            = |core, actor| core.moderation().set_settings(actor, &settings);
        // ---- counsel ------------------------------------------------------------
        /// Opens an enquiry (no account needed). Returns the case code and the secret — show the
        /// secret once and let the person keep it — and crisis lines when the text needs them.
        /// Bad fields throw `InvalidInput`: `topic`, `language`, `message`, `postcode`.
        [write, paged: no, retry: no, replica: no, cli: "counsel enquire"]
        enquire(new: NewEnquiry) -> Opened = |core, actor| core.counsel().enquire(actor, &new);
        /// The counselling topics to offer in an enquiry form.
        [read, paged: no, retry: yes, replica: yes, cli: "counsel topics"]
        counsel_topics() -> Vec<String> = |core, actor| core.counsel().topics(actor);
        /// The case as its client sees it; marks the counsellor's replies read.
        [write, paged: no, retry: no, replica: no, cli: "counsel client show"]
        client_case(case_code: String, secret: String) -> ClientCase
            = |core, _actor| core.counsel().client_case(&case_code, &secret);
        /// The client writes to the counsellor; crisis lines come back when the text needs them.
        [write, paged: no, retry: no, replica: no, cli: "counsel client reply"]
        client_reply(case_code: String, secret: String, text: String) -> ClientSent
            = |core, _actor| core.counsel().client_reply(&case_code, &secret, &text);
        /// The client closes the case.
        [write, paged: no, retry: no, replica: no, cli: "counsel client close"]
        client_close(case_code: String, secret: String) -> Enquiry
            = |core, _actor| core.counsel().client_close(&case_code, &secret);
        /// The client reopens a case closed less than 14 days ago.
        [write, paged: no, retry: no, replica: no, cli: "counsel client reopen"]
        client_reopen(case_code: String, secret: String) -> Enquiry
            = |core, _actor| core.counsel().client_reopen(&case_code, &secret);
        /// The client consents to (or declines) a proposed handover.
        [write, paged: no, retry: no, replica: no, cli: "counsel client handover"]
        client_answer_handover(case_code: String, secret: String, consent: bool) -> Enquiry
            = |core, _actor| core.counsel().client_answer_handover(&case_code, &secret, consent);
        /// A page of an organisation's team queue: by crisis level (imminent, high, concern,
        /// then normal cases), then oldest; each item names its level and why.
        [read, paged: iter_counsel_queue, retry: yes, replica: no, cli: "counsel queue"]
        counsel_queue(org: OrgId, page: PageRequest = default) -> EnquiryQueuePage
            = |core, actor| core.counsel().queue(actor, org, &page);
        /// Claims an enquiry; `Conflict` when someone else was faster or it is closed.
        [write, paged: no, retry: no, replica: no, cli: "counsel claim"]
        claim_enquiry(id: EnquiryId) -> Enquiry = |core, actor| core.counsel().claim(actor, id);
        /// Assigns an enquiry to a counsellor of a matching organisation (supervisors).
        [write, paged: no, retry: no, replica: no, cli: "counsel assign"]
        assign_enquiry(id: EnquiryId, counsellor: AccountId) -> Enquiry
            = |core, actor| core.counsel().assign(actor, id, counsellor);
        /// Assigns an enquiry to the least busy free counsellor (supervisors).
        [write, paged: no, retry: no, replica: no, cli: "counsel assign"]
        auto_assign_enquiry(id: EnquiryId) -> Enquiry = |core, actor| core.counsel().auto_assign(actor, id);
        /// A case's metadata, without content.
        [read, paged: no, retry: yes, replica: no, cli: "counsel info"]
        enquiry(id: EnquiryId) -> Enquiry = |core, actor| core.counsel().enquiry(actor, id);
        /// The open cases this counsellor handles (their own, and those they stand in for).
        [read, paged: no, retry: yes, replica: no, cli: "counsel mine"]
        my_cases() -> Vec<Enquiry> = |core, actor| core.counsel().my_cases(actor);
        /// A case with its conversation and notes (audited).
        [write, paged: no, retry: no, replica: no, cli: "counsel show"]
        counsel_case(id: EnquiryId) -> CaseView = |core, actor| core.counsel().case(actor, id);
        /// Answers the client (a trainee's reply waits for a supervisor).
        [write, paged: no, retry: no, replica: no, cli: "counsel reply"]
        counsel_reply(id: EnquiryId, text: String) -> Message = |core, actor| core.counsel().reply(actor, id, &text);
        /// Writes an internal note the client never sees.
        [write, paged: no, retry: no, replica: no, cli: "counsel note"]
        counsel_note(id: EnquiryId, text: String) -> Message = |core, actor| core.counsel().note(actor, id, &text);
        /// Replies waiting for a supervisor of `org`.
        [read, paged: no, retry: yes, replica: no, cli: "counsel pending"]
        pending_replies(org: OrgId) -> Vec<PendingReply> = |core, actor| core.counsel().pending_replies(actor, org);
        /// Approves a waiting reply: it is delivered now (supervisors).
        [write, paged: no, retry: no, replica: no, cli: "counsel approve"]
        approve_reply(id: EnquiryId, message_id: MessageId) -> Message
            = |core, actor| core.counsel().approve(actor, id, message_id);
        /// Proposes handing the case to another counsellor of its organisation.
        [write, paged: no, retry: no, replica: no, cli: "counsel handover"]
        propose_handover(id: EnquiryId, to: AccountId) -> Enquiry
            = |core, actor| core.counsel().propose_handover(actor, id, to);
        /// Closes the case.
        [write, paged: no, retry: no, replica: no, cli: "counsel close"]
        close_enquiry(id: EnquiryId, reason: CloseReason) -> Enquiry
            = |core, actor| core.counsel().close(actor, id, reason);
        /// Sets (or with `null` ends) a counsellor's absence and substitute.
        [write, paged: no, retry: yes, replica: no, cli: "counsel absence"]
        set_absence(account: AccountId, absence: Option<Absence>) -> CounsellorProfile
            = |core, actor| core.counsel().set_absence(actor, account, absence);
        /// Declares an organisation's counselling offer (its supervisors, admins).
        [write, paged: no, retry: yes, replica: no, cli: "counsel offer"]
        set_counsel_offer(offer: CounselOffer) -> CounselOffer = |core, actor| core.counsel().set_offer(actor, &offer);
        /// Changes a counsellor's capacity, training status or what clients may prefer; absent
        /// fields stay as they are (a supervisor of their organisation, admins).
        [write, paged: no, retry: yes, replica: no, cli: "counsel profile set"]
        update_counsellor_profile(account: AccountId, change: CounsellorProfileUpdate) -> CounsellorProfile
            = |core, actor| core.counsel().update_profile(actor, account, &change);
        /// Cases whose first response is overdue (all for admins, or one organisation's).
        [read, paged: no, retry: yes, replica: no, cli: "counsel overdue"]
        overdue_enquiries(org: Option<OrgId> = None) -> Vec<Enquiry> = |core, actor| core.counsel().overdue(actor, org);
        /// The SLA sweep: breaches counted, unclaimed overdue cases overflow (admins).
        [write, paged: no, retry: no, replica: no, cli: "counsel overdue"]
        escalate_overdue() -> Escalation = |core, actor| core.counsel().escalate(actor);
        /// A month's counselling statistics (`2026-03`); withheld counts (1 to k, and what would
        /// recover them) are null.
        [read, paged: no, retry: yes, replica: no, cli: "counsel stats"]
        counsel_stats(month: String) -> CounselStats = |core, actor| core.counsel().stats(actor, &month);
        /// Purges cases closed longer ago than the retention period (admins).
        [write, paged: no, retry: no, replica: no, cli: "counsel purge"]
        purge_enquiries(dry_run: bool = false) -> PurgeReport = |core, actor| core.counsel().purge(actor, dry_run);

        // ---- reports for funders ----------------------------------------------------------------
        /// The whole platform's figures of a period (`2026`, `2026-Q2`, `2026-04`) and of the
        /// months and quarters within it, one row per period and figure; withheld cells have
        /// `value` null and `withheld` true (supervisors and admins).
        [read, paged: no, retry: yes, replica: no, cli: "stats platform"]
        platform_report(period: String) -> Vec<FigureRow> = |core, actor| core.reports().platform(actor, &period);
        /// One organisation's own figures of a period and the periods within it, cut from the
        /// same disclosure release as the platform's (its supervisors and staff, admins).
        [read, paged: no, retry: yes, replica: no, cli: "stats org"]
        org_report(org: OrgId, period: String) -> Vec<FigureRow>
            = |core, actor| core.reports().org(actor, org, &period);
        /// The report of a period as one self-contained HTML page with SVG charts, for the
        /// platform or one organisation.
        [read, paged: no, retry: yes, replica: no, cli: "stats html"]
        report_html(period: String, org: Option<OrgId> = None) -> String
            = |core, actor| core.reports().html(actor, &period, org);
        /// The k of disclosure control: counts of 1 to k people are withheld (4 by default).
        [read, paged: no, retry: yes, replica: yes, cli: "stats threshold"]
        disclosure_threshold() -> u64 = |core, actor| core.settings().disclosure_threshold(actor);
        /// Sets the k of disclosure control (admins; 1 to 100); returns it.
        [write, paged: no, retry: yes, replica: no, cli: "stats threshold"]
        set_disclosure_threshold(k: u64) -> u64 = |core, actor| core.settings().set_disclosure_threshold(actor, k);

        // ---- additions: operations the core had and a frontend lacked -------------------------
        /// Every organisation's counselling offer (anyone): topics, languages, regions, capacity.
        [read, paged: no, retry: yes, replica: yes, cli: "counsel offers"]
        counsel_offers() -> Vec<CounselOffer> = |core, actor| core.counsel().offers(actor);
        /// A counsellor's profile: capacity, training status, preferences, absence.
        [read, paged: no, retry: yes, replica: no, cli: "counsel profile show"]
        counsellor_profile(account: AccountId) -> CounsellorProfile
            = |core, actor| core.counsel().profile(actor, account);
        /// Replaces the counselling topics an enquiry form offers (admins); returns them.
        [write, paged: no, retry: yes, replica: no, cli: "counsel topics"]
        set_counsel_topics(topics: Vec<String>) -> Vec<String>
            = |core, actor| core.counsel().set_topics(actor, &topics);
        /// How many days closed counselling cases are kept before `purge_enquiries` removes them.
        [read, paged: no, retry: yes, replica: no, cli: "counsel purge"]
        counsel_retention_days() -> u32 = |core, actor| core.counsel().retention_days(actor);
        /// Sets how many days closed counselling cases are kept (admins); returns the new value.
        [write, paged: no, retry: yes, replica: no, cli: "counsel purge"]
        set_counsel_retention_days(days: u32) -> u32 = |core, actor| core.counsel().set_retention_days(actor, days);
        /// Removes a crisis resource by country and name (admins).
        [write, paged: no, retry: yes, replica: no, cli: "mod resources remove"]
        remove_crisis_resource(country: String, name: String) -> ()
            = |core, actor| core.moderation().remove_resource(actor, &country, &name);

        // ---- knowledge ------------------------------------------------------------
        /// Writes a new article as a draft (editors and admins). Throws `InvalidInput` naming the
        /// field (`title`, `language`, `topics`, `slug`, `translation_of`, `links.url`, ...).
        [write, paged: no, retry: no, replica: no, cli: "knowledge new"]
        create_article(new: NewArticle) -> Article = |core, actor| core.knowledge().create(actor, &new);
        /// Changes an article (editors and admins). A changed title, summary or body is a new
        /// revision and takes an article in review, published or archived back to draft.
        [write, paged: no, retry: no, replica: no, cli: "knowledge edit"]
        edit_article(id: ArticleId, change: ArticleUpdate) -> Article
            = |core, actor| core.knowledge().edit(actor, id, &change);
        /// Submits a draft for review by a second editor.
        [write, paged: no, retry: no, replica: no, cli: "knowledge submit"]
        submit_article(id: ArticleId) -> Article = |core, actor| core.knowledge().submit(actor, id);
        /// Approves an article in review (four eyes: an editor or admin account that wrote neither
        /// the article nor its latest revision). Sets "checked on" to today and the next check to
        /// `nextCheckDue`, or 12 months later.
        [write, paged: no, retry: no, replica: no, cli: "knowledge approve"]
        approve_article(id: ArticleId, next_check_due: Option<NaiveDate> = None) -> Article
            = |core, actor| core.knowledge().approve(actor, id, next_check_due);
        /// Publishes an article in review whose current revision was approved.
        [write, paged: no, retry: no, replica: no, cli: "knowledge publish"]
        publish_article(id: ArticleId) -> Article = |core, actor| core.knowledge().publish(actor, id);
        /// Withdraws an article from readers, keeping it and its history.
        [write, paged: no, retry: no, replica: no, cli: "knowledge archive"]
        archive_article(id: ArticleId) -> Article = |core, actor| core.knowledge().archive(actor, id);
        /// Confirms a published article is still correct: checked today, next check on
        /// `nextCheckDue` or in 12 months.
        [write, paged: no, retry: no, replica: no, cli: "knowledge checked"]
        mark_article_checked(id: ArticleId, next_check_due: Option<NaiveDate> = None) -> Article
            = |core, actor| core.knowledge().mark_checked(actor, id, next_check_due);
        /// One article with its HTML and the other language versions the reader may see.
        [read, paged: no, retry: yes, replica: yes, cli: "knowledge show"]
        article(id: ArticleId) -> ArticleDetail = |core, actor| core.knowledge().get(actor, id);
        /// Counts one view of a published article for the reports (anyone who may read it; who
        /// read is not stored). Call it when an article is shown.
        [write, paged: no, retry: yes, replica: no, cli: "knowledge show"]
        record_article_view(id: ArticleId) -> () = |core, actor| core.knowledge().record_view(actor, id);
        /// One article by its slug.
        [read, paged: no, retry: yes, replica: yes, cli: "knowledge show"]
        article_by_slug(slug: String) -> ArticleDetail = |core, actor| core.knowledge().get_by_slug(actor, &slug);
        /// Articles, one language version each (the reader's language when there is one);
        /// readers see published articles of their audience, editors every state.
        [read, paged: iter_articles, retry: yes, replica: yes, cli: "knowledge list"]
        list_articles(filter: ArticleFilter = default, page: PageRequest = default) -> ArticlePage
            = |core, actor| core.knowledge().list(actor, &filter, &page);
        /// Every revision of an article, oldest first, with author and time (editors).
        [read, paged: no, retry: yes, replica: no, cli: "knowledge revisions"]
        article_revisions(id: ArticleId) -> Vec<ArticleRevision> = |core, actor| core.knowledge().revisions(actor, id);
        /// The line differences between two revisions of an article (editors).
        [read, paged: no, retry: yes, replica: no, cli: "knowledge diff"]
        article_diff(id: ArticleId, from_revision: u32, to_revision: u32) -> ArticleDiff
            = |core, actor| core.knowledge().diff(actor, id, from_revision, to_revision);
        /// Published articles whose check is due on or before `on` (default today), soonest first
        /// (editors).
        [read, paged: iter_due_articles, retry: yes, replica: no, cli: "knowledge due"]
        due_articles(on: Option<NaiveDate> = None, page: PageRequest = default) -> ArticlePage
            = |core, actor| core.knowledge().due(actor, on, &page);
        /// Imports Markdown files with front matter (editors). All or nothing: with any problem
        /// (reported by file, line and field) nothing is written. `submit` puts new and changed
        /// articles in review.
        [write, paged: no, retry: no, replica: no, cli: "knowledge import"]
        import_articles(files: Vec<ArticleFile>, submit: bool = false, dry_run: bool = false) -> ArticleImport
            = |core, actor| core.knowledge().import(actor, &files, submit, dry_run);
        /// Every article the actor may read as Markdown files (`<language>/<slug>.md`).
        [read, paged: no, retry: yes, replica: no, cli: "knowledge export"]
        export_articles() -> Vec<ArticleFile> = |core, actor| core.knowledge().export(actor);

        // ---- topics ------------------------------------------------------------
        /// Adds a topic to the thesaurus (admins). Related topics are kept mutual.
        [write, paged: no, retry: no, replica: no, cli: "topics add"]
        add_topic(new: NewTopic) -> Topic = |core, actor| core.topics().add(actor, &new);
        /// Changes a topic's parent, labels or related topics (admins).
        [write, paged: no, retry: yes, replica: no, cli: "topics edit"]
        edit_topic(slug: String, change: TopicUpdate) -> Topic = |core, actor| core.topics().edit(actor, &slug, &change);
        /// One topic by slug (public).
        [read, paged: no, retry: yes, replica: yes, cli: "topics show"]
        topic(slug: String) -> Topic = |core, actor| core.topics().get(actor, &slug);
        /// Topics in the order they were added (public).
        [read, paged: iter_topics, retry: yes, replica: yes, cli: "topics list"]
        list_topics(page: PageRequest = default) -> TopicPage = |core, actor| core.topics().list(actor, &page);
        /// Imports rows of a topics file (`topic,parent,lang,pref,alt,related`; admins). All or
        /// nothing: with any problem (by line and column) nothing is written.
        [write, paged: no, retry: yes, replica: no, cli: "topics import"]
        import_topics(rows: Vec<TopicRow>, dry_run: bool = false) -> TopicImport
            = |core, actor| core.topics().import(actor, &rows, dry_run);
        /// Every topic as rows of a topics file, one per topic and language (public).
        [read, paged: no, retry: yes, replica: yes, cli: "topics export"]
        export_topics() -> Vec<TopicRow> = |core, actor| core.topics().export(actor);
        // ---- the one search ------------------------------------------------------------
        /// The one search over everything the actor may see (published articles of their
        /// audience, forum threads of boards they may read, published job postings), best first
        /// with comparable scores, each hit with a highlighted snippet and why it matched, and
        /// facets by kind, topic, language and organisation over all hits. Typed errors: an
        /// empty or over-long `text`, an unknown `topic`, a malformed `language`.
        [read, paged: iter_search, retry: yes, replica: no, cli: "search"]
        search(query: SearchQuery, page: PageRequest = default) -> SearchPage
            = |core, actor| core.search().search(actor, &query, &page);
        // ---- courses and training ------------------------------------------------------------
        /// Creates a course as a draft (the organisation's staff).
        [write, paged: no, retry: no, replica: no, cli: "course new"]
        create_course(course: NewCourse) -> Course = |core, actor| core.courses().create(actor, &course);
        /// Changes a course's details; a larger capacity offers the new places to the waitlist.
        [write, paged: no, retry: yes, replica: no, cli: "course edit"]
        update_course(id: CourseId, change: CourseUpdate) -> Course
            = |core, actor| core.courses().update(actor, id, &change);
        /// Adds sessions (or a series) to a course.
        [write, paged: no, retry: no, replica: no, cli: "course sessions add"]
        add_course_sessions(id: CourseId, sessions: Vec<SessionInput>) -> Course
            = |core, actor| core.courses().add_sessions(actor, id, &sessions);
        /// Moves one session; its calendar entry's SEQUENCE rises and participants are told.
        [write, paged: no, retry: yes, replica: no, cli: "course sessions move"]
        move_course_session(id: CourseId, session: SessionId, to: SessionInput) -> Course
            = |core, actor| core.courses().move_session(actor, id, session, &to);
        /// Cancels one session; its calendar entry turns CANCELLED and participants are told.
        [write, paged: no, retry: no, replica: no, cli: "course sessions cancel"]
        cancel_course_session(id: CourseId, session: SessionId) -> Course
            = |core, actor| core.courses().cancel_session(actor, id, session);
        /// Replaces the teaching team (accounts).
        [write, paged: no, retry: yes, replica: no, cli: "course trainers"]
        set_course_trainers(id: CourseId, trainers: Vec<AccountId>) -> Course
            = |core, actor| core.courses().set_trainers(actor, id, &trainers);
        /// Publishes a draft (staff of a verified organisation; a trialogic course needs
        /// trainers of two perspectives).
        [write, paged: no, retry: no, replica: no, cli: "course publish"]
        publish_course(id: CourseId) -> Course = |core, actor| core.courses().publish(actor, id);
        /// Cancels a course; everyone registered, waiting or teaching is told.
        [write, paged: no, retry: no, replica: no, cli: "course cancel"]
        cancel_course(id: CourseId, reason: String) -> Course = |core, actor| core.courses().cancel(actor, id, &reason);
        /// One course (the online link only for confirmed participants, trainers and staff).
        [read, paged: no, retry: yes, replica: yes, cli: "course show"]
        get_course(id: CourseId) -> Course = |core, actor| core.courses().get(actor, id);
        /// Courses in id order, filtered, one page at a time.
        [read, paged: iter_courses, retry: yes, replica: yes, cli: "course list"]
        list_courses(filter: CourseFilter = default, page: PageRequest = default) -> CoursePage
            = |core, actor| core.courses().list(actor, &filter, &page);
        /// Registers the acting account (and the others of its group named in `group`):
        /// confirmed while places are free, else on the waitlist in the order registrations commit.
        [write, paged: no, retry: no, replica: no, cli: "course register"]
        register_for_course(id: CourseId, group: Vec<AccountId> = []) -> Vec<Registration>
            = |core, actor| core.courses().register(actor, id, &group);
        /// Cancels a registration (its owner until the deadline, staff at any time).
        [write, paged: no, retry: no, replica: no, cli: "course cancel-registration"]
        cancel_registration(id: RegistrationId) -> Registration
            = |core, actor| core.courses().cancel_registration(actor, id);
        /// Accepts or declines an offered place.
        [write, paged: no, retry: no, replica: no, cli: "course offer accept"]
        answer_course_offer(id: RegistrationId, accept: bool) -> Registration
            = |core, actor| core.courses().answer_offer(actor, id, accept);
        /// Moves a registration by hand with a reason (the organisation's staff; audited).
        [write, paged: no, retry: no, replica: no, cli: "course move"]
        move_registration(id: RegistrationId, to: MoveTo, reason: String) -> Registration
            = |core, actor| core.courses().move_registration(actor, id, to, &reason);
        /// One registration (its owner, the course's trainers and staff).
        [read, paged: no, retry: yes, replica: yes, cli: "course registrations"]
        get_registration(id: RegistrationId) -> Registration = |core, actor| core.courses().registration(actor, id);
        /// A course's registrations (its trainers and staff).
        [read, paged: iter_registrations, retry: yes, replica: no, cli: "course registrations"]
        list_registrations(id: CourseId, page: PageRequest = default) -> RegistrationPage
            = |core, actor| core.courses().registrations(actor, id, &page);
        /// The waitlist in order (its trainers and staff).
        [read, paged: no, retry: yes, replica: no, cli: "course waitlist"]
        course_waitlist(id: CourseId) -> Vec<Registration> = |core, actor| core.courses().waitlist(actor, id);
        /// The acting account's live registrations.
        [read, paged: no, retry: yes, replica: yes, cli: "course mine"]
        my_registrations() -> Vec<Registration> = |core, actor| core.courses().mine(actor);
        /// Records who attended a session that has begun (a trainer or staff).
        [write, paged: no, retry: yes, replica: no, cli: "course attendance"]
        record_attendance(id: CourseId, session: SessionId, present: Vec<AccountId>) -> Attendance
            = |core, actor| core.courses().record_attendance(actor, id, session, &present);
        /// Who attended each session (trainers and staff).
        [read, paged: no, retry: yes, replica: no, cli: "course attendance"]
        course_attendance(id: CourseId) -> Vec<Attendance> = |core, actor| core.courses().attendance(actor, id);
        /// Issues the certificate of a completed course under the chosen name.
        [write, paged: no, retry: yes, replica: no, cli: "course certificates claim"]
        claim_certificate(id: RegistrationId, name: CertificateName) -> Certificate
            = |core, actor| core.courses().claim_certificate(actor, id, &name);
        /// A course's certificates (staff).
        [read, paged: no, retry: yes, replica: no, cli: "course certificates list"]
        course_certificates(id: CourseId) -> Vec<Certificate> = |core, actor| core.courses().certificates(actor, id);
        /// Checks a certificate's code (anyone): the name, the course and the date only.
        [read, paged: no, retry: yes, replica: yes, cli: "course verify"]
        verify_certificate(code: String) -> CertificateCheck
            = |core, actor| core.courses().verify_certificate(actor, &code);
        /// The iCalendar (RFC 5545) file of a course's sessions.
        [read, paged: no, retry: yes, replica: yes, cli: "course ics"]
        course_calendar(id: CourseId) -> String = |core, actor| core.courses().course_calendar(actor, id);
        /// The iCalendar file of one registration (its owner; with the online link once confirmed).
        [read, paged: no, retry: yes, replica: yes, cli: "course ics"]
        registration_calendar(id: RegistrationId) -> String
            = |core, actor| core.courses().registration_calendar(actor, id);
        /// One person's calendar feed (themselves): every session of the courses they hold a
        /// confirmed place in, one VCALENDAR with the courses' stable UIDs.
        [read, paged: no, retry: yes, replica: yes, cli: "course feed"]
        course_calendar_feed(account: AccountId) -> String
            = |core, actor| core.courses().calendar_feed(actor, account);
        // ---- programmes and placements --------------------------------------------------------
        /// Creates a programme (EX-IN curriculum, Peer2Peer…) of course modules in order, each
        /// required or elective (the organisation's staff).
        [write, paged: no, retry: no, replica: no, cli: "programme new"]
        create_programme(programme: NewProgramme) -> Programme
            = |core, actor| core.programmes().create(actor, &programme);
        /// One programme with its cohorts and accepted placements (its staff and trainees).
        [read, paged: no, retry: yes, replica: no, cli: "programme show"]
        get_programme(id: ProgrammeId) -> Programme = |core, actor| core.programmes().get(actor, id);
        /// An organisation's programmes (its staff).
        [read, paged: iter_programmes, retry: yes, replica: no, cli: "programme list"]
        list_programmes(org: OrgId, page: PageRequest = default) -> ProgrammePage
            = |core, actor| core.programmes().list(actor, org, &page);
        /// Adds a cohort with its trainees; a trainee is in one cohort of a programme at most.
        [write, paged: no, retry: no, replica: no, cli: "programme cohort add"]
        add_programme_cohort(id: ProgrammeId, cohort: NewCohort) -> Programme
            = |core, actor| core.programmes().add_cohort(actor, id, &cohort);
        /// Enrols more trainees in a cohort (the programme's staff).
        [write, paged: no, retry: no, replica: no, cli: "programme enrol"]
        enrol_in_programme(id: ProgrammeId, cohort: CohortId, trainees: Vec<AccountId>) -> Programme
            = |core, actor| core.programmes().enrol(actor, id, cohort, &trainees);
        /// A trainee's completed and missing modules (the trainee and the programme's staff).
        [read, paged: no, retry: yes, replica: no, cli: "programme progress"]
        programme_progress(id: ProgrammeId, trainee: AccountId) -> ProgrammeProgress
            = |core, actor| core.programmes().progress(actor, id, trainee);
        /// The trainee's own consent to have the EX-IN status "certified" set on their seeker
        /// profile from a completed EX-IN programme (nobody consents for someone else).
        [write, paged: no, retry: yes, replica: no, cli: "programme exin-consent"]
        consent_exin_status(id: ProgrammeId, trainee: AccountId) -> ProgrammeProgress
            = |core, actor| core.programmes().consent_exin_status(actor, id, trainee);
        /// Opens a placement round for a cohort with the places hosts offer (the programme's staff).
        [write, paged: no, retry: no, replica: no, cli: "programme round open"]
        open_placement_round(id: ProgrammeId, cohort: CohortId, places: Vec<PlacementOffer>) -> PlacementRound
            = |core, actor| core.programmes().open_round(actor, id, cohort, &places);
        /// A trainee's ranking of a round's hosts, best first (the trainee or the programme's staff).
        [write, paged: no, retry: yes, replica: no, cli: "programme round rank-hosts"]
        rank_placement_hosts(round: RoundId, trainee: AccountId, preferences: Vec<OrgId>) -> PlacementRound
            = |core, actor| core.programmes().rank_hosts(actor, round, trainee, &preferences);
        /// A host's ranking of a round's trainees, best first (the host's or the programme's staff).
        [write, paged: no, retry: yes, replica: no, cli: "programme round rank-trainees"]
        rank_placement_trainees(round: RoundId, host: OrgId, ranking: Vec<AccountId>) -> PlacementRound
            = |core, actor| core.programmes().rank_trainees(actor, round, host, &ranking);
        /// Runs a round by stable matching once all rankings are in; its pairs are recorded on
        /// the programme. A round runs once.
        [write, paged: no, retry: no, replica: no, cli: "programme round run"]
        run_programme_round(round: RoundId) -> PlacementRound = |core, actor| core.programmes().run_round(actor, round);
        /// One placement round (everything for the programme's staff; only their own rankings
        /// for a trainee or a host).
        [read, paged: no, retry: yes, replica: no, cli: "programme round show"]
        get_placement_round(round: RoundId) -> PlacementRound = |core, actor| core.programmes().round(actor, round);
        /// A programme's placement rounds in the order they were opened.
        [read, paged: no, retry: yes, replica: no, cli: "programme rounds"]
        placement_rounds(id: ProgrammeId) -> Vec<PlacementRound> = |core, actor| core.programmes().rounds(actor, id);
        // ---- the self-help directory ----------------------------------------------------------
        /// Sets an organisation's public contact data: address (through the gazetteer), phone,
        /// e-mail, opening hours (its staff).
        [write, paged: no, retry: yes, replica: no, cli: "groups contact-point set"]
        set_org_contact(org: OrgId, contact: OrgContactInput) -> OrgContact
            = |core, actor| core.groups().set_org_contact(actor, org, &contact);
        /// An organisation's public contact data (anyone).
        [read, paged: no, retry: yes, replica: yes, cli: "groups contact-point show"]
        get_org_contact(org: OrgId) -> OrgContact = |core, actor| core.groups().org_contact(actor, org);
        /// Adds a self-help group (its contact point's staff, or its own contact person).
        [write, paged: no, retry: no, replica: no, cli: "groups add"]
        create_group(group: NewGroup) -> Group = |core, actor| core.groups().create(actor, &group);
        /// Changes a group; every change confirms the entry.
        [write, paged: no, retry: yes, replica: no, cli: "groups edit"]
        update_group(id: GroupId, change: GroupUpdate) -> Group
            = |core, actor| core.groups().update(actor, id, &change);
        /// Confirms that a group's entry is still right.
        [write, paged: no, retry: yes, replica: no, cli: "groups confirm"]
        confirm_group(id: GroupId) -> Group = |core, actor| core.groups().confirm(actor, id);
        /// One group (a confidential meeting place only for its managers and connected people).
        [read, paged: no, retry: yes, replica: yes, cli: "groups show"]
        get_group(id: GroupId) -> Group = |core, actor| core.groups().get(actor, id);
        /// The next meeting dates of a group, computed in the platform's time zone.
        [read, paged: no, retry: yes, replica: yes, cli: "groups show"]
        next_group_meetings(id: GroupId, count: u32 = 5) -> Vec<MeetingDate>
            = |core, actor| core.groups().next_meetings(actor, id, count);
        /// The next meeting dates of many groups at once (at most 1,000 ids, none twice), in the
        /// order asked, computed in the platform's time zone as of `at` (now when absent).
        [read, paged: no, retry: yes, replica: yes, cli: "groups next-dates"]
        next_meetings_of_groups(ids: Vec<GroupId>, count: u32 = 1, at: Option<Timestamp> = None) -> Vec<GroupMeetingDates>
            = |core, actor| core.groups().next_meetings_of(actor, &ids, count, at);
        /// Finds groups by text, topic (with synonyms), radius around a postcode (online groups
        /// always), weekday, time, language, audience, accessibility and status.
        [read, paged: iter_group_hits, retry: yes, replica: yes, cli: "groups search"]
        search_groups(query: GroupQuery = default, page: PageRequest = default) -> GroupHitPage
            = |core, actor| core.groups().search(actor, &query, &page);
        /// A contact point's groups.
        [read, paged: iter_contact_point_groups, retry: yes, replica: yes, cli: "groups list"]
        contact_point_groups(org: OrgId, page: PageRequest = default) -> GroupPage
            = |core, actor| core.groups().of_contact_point(actor, org, &page);
        /// A contact point's entries not confirmed within the freshness period (its staff).
        [read, paged: iter_stale_groups, retry: yes, replica: no, cli: "groups stale"]
        stale_groups(org: OrgId, page: PageRequest = default) -> GroupPage
            = |core, actor| core.groups().stale(actor, org, &page);
        /// The directory as Open Referral HSDS 3 documents, one per group in id order, each a
        /// service with its contact point, meeting place, schedules, languages and attributes:
        /// only public data (never a confidential place or a group's own contact).
        [read, paged: iter_groups_hsds, retry: yes, replica: yes, cli: "groups export-hsds"]
        export_groups_hsds(page: PageRequest = default) -> HsdsPage
            = |core, actor| core.groups().export_hsds(actor, &page);
        /// Imports HSDS 3 documents (a JSON array of services, or one) as contact points and
        /// groups (admins); a record an earlier import brought is updated, all or nothing.
        /// `dry_run` writes nothing and reports what would be created or updated.
        [write, paged: no, retry: yes, replica: no, cli: "groups import-hsds"]
        import_groups_hsds(documents: String, dry_run: bool = false) -> HsdsImport
            = |core, actor| core.groups().import_hsds(actor, &documents, dry_run);
        /// The directory's settings: time zone, freshness period, request retention and limit.
        [read, paged: no, retry: yes, replica: yes, cli: "groups settings"]
        group_settings() -> GroupSettings = |core, actor| core.groups().settings(actor);
        /// Changes the directory's settings (admins).
        [write, paged: no, retry: yes, replica: no, cli: "groups settings"]
        set_group_settings(settings: GroupSettings) -> GroupSettings
            = |core, actor| core.groups().set_settings(actor, &settings);
        /// Asks to join a group with a message and how to be reached (any account).
        [write, paged: no, retry: no, replica: no, cli: "groups ask"]
        ask_to_join_group(request: NewContactRequest) -> ContactRequest
            = |core, actor| core.groups().ask_to_join(actor, &request);
        /// A contact point's shared inbox of contact requests, newest first (its staff).
        [read, paged: iter_group_requests, retry: yes, replica: no, cli: "groups requests"]
        group_requests(org: OrgId, state: Option<RequestState> = None, page: PageRequest = default) -> ContactRequestPage
            = |core, actor| core.groups().requests(actor, org, state, &page);
        /// The requests passed to the acting account as a group's contact person.
        [read, paged: iter_group_contact_requests, retry: yes, replica: no, cli: "groups requests"]
        group_contact_requests(page: PageRequest = default) -> ContactRequestPage
            = |core, actor| core.groups().contact_requests(actor, &page);
        /// The acting account's own contact requests.
        [read, paged: iter_my_group_requests, retry: yes, replica: yes, cli: "groups requests"]
        my_group_requests(page: PageRequest = default) -> ContactRequestPage
            = |core, actor| core.groups().my_requests(actor, &page);
        /// Passes a request to the group's contact person (the contact point's staff).
        [write, paged: no, retry: no, replica: no, cli: "groups forward"]
        forward_group_request(id: ContactRequestId) -> ContactRequest
            = |core, actor| core.groups().forward_request(actor, id);
        /// Puts the person in touch with the group; they learn the group contact and the place.
        [write, paged: no, retry: no, replica: no, cli: "groups connect"]
        connect_group_request(id: ContactRequestId, answer: Option<String> = None) -> ContactRequest
            = |core, actor| core.groups().connect_request(actor, id, answer.as_deref());
        /// Declines a request with an answer for the person.
        [write, paged: no, retry: no, replica: no, cli: "groups decline"]
        decline_group_request(id: ContactRequestId, answer: Option<String> = None) -> ContactRequest
            = |core, actor| core.groups().decline_request(actor, id, answer.as_deref());
        /// Withdraws one's own open request.
        [write, paged: no, retry: no, replica: no, cli: "groups withdraw"]
        withdraw_group_request(id: ContactRequestId) -> ContactRequest
            = |core, actor| core.groups().withdraw_request(actor, id);
        /// Offers a room to self-help groups: place, capacity, accessibility, weekly windows
        /// (the organisation's staff).
        [write, paged: no, retry: no, replica: no, cli: "rooms offer"]
        offer_room(room: NewRoom) -> Room = |core, actor| core.groups().offer_room(actor, &room);
        /// Changes a room; bookings already made stay (the organisation's staff).
        [write, paged: no, retry: yes, replica: no, cli: "rooms edit"]
        update_room(id: RoomId, change: RoomUpdate) -> Room = |core, actor| core.groups().update_room(actor, id, &change);
        /// One room (anyone).
        [read, paged: no, retry: yes, replica: yes, cli: "rooms show"]
        get_room(id: RoomId) -> Room = |core, actor| core.groups().room(actor, id);
        /// Rooms offered to groups: every one, or an organisation's (anyone).
        [read, paged: iter_rooms, retry: yes, replica: yes, cli: "rooms list"]
        rooms(org: Option<OrgId> = None, page: PageRequest = default) -> RoomPage
            = |core, actor| core.groups().rooms(actor, org, &page);
        /// Books a weekly slot of a room for a group (the group's managers); a slot outside the
        /// room's windows or overlapping another booking is refused.
        [write, paged: no, retry: no, replica: no, cli: "rooms book"]
        book_room(booking: NewBooking) -> Booking = |core, actor| core.groups().book_room(actor, &booking);
        /// Confirms a requested booking (the room's organisation); the group is told.
        [write, paged: no, retry: no, replica: no, cli: "rooms confirm"]
        confirm_booking(id: BookingId, answer: Option<String> = None) -> Booking
            = |core, actor| core.groups().confirm_booking(actor, id, answer.as_deref());
        /// Declines a requested booking (the room's organisation); the group is told.
        [write, paged: no, retry: no, replica: no, cli: "rooms decline"]
        decline_booking(id: BookingId, answer: Option<String> = None) -> Booking
            = |core, actor| core.groups().decline_booking(actor, id, answer.as_deref());
        /// Cancels a booking (either side); the other side is told.
        [write, paged: no, retry: no, replica: no, cli: "rooms cancel"]
        cancel_booking(id: BookingId, reason: Option<String> = None) -> Booking
            = |core, actor| core.groups().cancel_booking(actor, id, reason.as_deref());
        /// A room's bookings (the room's organisation).
        [read, paged: iter_room_bookings, retry: yes, replica: no, cli: "rooms bookings"]
        room_bookings(id: RoomId, page: PageRequest = default) -> BookingPage
            = |core, actor| core.groups().room_bookings(actor, id, &page);
        /// A group's bookings (its managers).
        [read, paged: no, retry: yes, replica: no, cli: "rooms bookings"]
        group_bookings(id: GroupId) -> Vec<Booking> = |core, actor| core.groups().group_bookings(actor, id);
        /// Which of a contact point's groups have a room and which still need one (its staff).
        [read, paged: iter_room_overview, retry: yes, replica: no, cli: "rooms overview"]
        room_overview(org: OrgId, without_room: bool = false, page: PageRequest = default) -> GroupRoomsPage
            = |core, actor| core.groups().room_overview(actor, org, without_room, &page);
        /// The scheduler: every domain's work due by `at` (default now): lapsing offers,
        /// reminders, courses starting and ending (admins; `trialog tick` from cron).
        [write, paged: no, retry: yes, replica: no, cli: "tick"]
        tick(at: Option<Timestamp> = None) -> TickReport = |core, actor| core.tick(actor, at.unwrap_or_else(|| core.now()));

        // ---- the platform file --------------------------------------------------------------
        /// Counts records and checks that every record reads and every index agrees.
        [read, paged: no, retry: yes, replica: yes, cli: "check"]
        integrity() -> IntegrityReport = |core, _actor| core.integrity();
        /// Makes every earlier commit durable (after a batch opened with eventual durability).
        [write, paged: no, retry: yes, replica: yes, cli: none("the CLI opens and closes the file per command, so every commit is already durable")]
        flush() -> () = |core, _actor| core.flush();
        /// Compacts the database file (admins and the operator), so records deleted earlier — a
        /// purged counselling case above all — no longer linger in freed pages of the file.
        ///
        /// Throws `Conflict` while another read or write on this platform is in progress.
        [write, paged: no, retry: yes, replica: no, cli: "compact"]
        compact() -> CompactReport = |core, actor| core.compact(actor);
        }
    };
}

/// Every operation of the manifest, in manifest order.
pub static OPERATIONS: &[Operation] = operations!(__operation_table);

/// Looks an operation up by name.
pub fn operation(name: &str) -> Result<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name).ok_or_else(|| Error::not_found("operation", name))
}
