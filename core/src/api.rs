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
//! name(arg: Type, other: Type = default) -> Result {
//!     call: |core, actor| core.service().method(actor, &arg, other),
//!     access: read | write,        // whether it changes the platform
//!     paged: no | iter_name,       // a paged listing, and the name of Python's iterator twin
//!     retry: yes | no,             // a retried call is safe (idempotent)
//!     replica: yes | no,           // may run on a device replica (reads the account may see)
//!     cli: "command path" | none("why the CLI has no command for it"),
//! }
//! ```
//!
//! Arguments are owned types (what crosses a foreign boundary); the `call` borrows them.
//! A default is `None`, `false`, a number, `[]`, or `default` (the type's `Default`).
//! Names follow one rule: Rust `snake_case` here and in Python, `camelCase` of the same
//! words in Kotlin and Swift.

use crate::{Error, Result};

/// Every type an operation takes or returns, for the binding crates to import in one line
/// (`use trialog_core::api::prelude::*;`).
pub mod prelude {
    pub use crate::counsel::{
        Absence, CaseView, ClientCase, ClientSent, CloseReason, CounselOffer, CounselStats, CounsellorProfile, Enquiry,
        EnquiryId, EnquiryQueuePage, Escalation, Message, MessageId, NewEnquiry, Opened, PendingReply, PurgeReport,
    };
    pub use crate::forums::{QueuePage, Revision, Watching};
    pub use crate::moderation::{ActionId, AppealId, AppealPage, ItemDetail, ItemId, LogPage, Report, ReviewPage};
    pub use crate::*;
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
        $name:ident ( $($arg:ident : $ty:ty $(= $default:tt)?),* ) -> $ret:ty {
            call: |$core:ident, $actor:ident| $call:expr,
            access: $access:ident, paged: $paged:ident, retry: $retry:ident, replica: $replica:ident,
            cli: $cli:tt $(($why:literal))? $(,)?
        }
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
        create_account(new: NewAccount) -> Account {
            call: |core, actor| core.accounts().create(actor, &new),
            access: write, paged: no, retry: no, replica: no,
            cli: "account add",
        }
        /// One account. The e-mail address is left out unless the actor is its owner or an admin.
        account(id: AccountId) -> Account {
            call: |core, actor| core.accounts().get(actor, id),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "account show",
        }
        /// The account with this pseudonym, ignoring case and Unicode form.
        account_by_pseudonym(pseudonym: String) -> Account {
            call: |core, actor| core.accounts().find_by_pseudonym(actor, &pseudonym),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "account show",
        }
        /// Accounts in id order, filtered, one page at a time (moderators and admins).
        list_accounts(filter: AccountFilter = default, page: PageRequest = default) -> AccountPage {
            call: |core, actor| core.accounts().list(actor, &filter, &page),
            access: read, paged: iter_accounts, retry: yes, replica: no,
            cli: "account list",
        }
        /// Changes an account's own details (the owner or an admin). Absent fields stay; an empty
        /// string clears `homeRegion` or `email`.
        update_account(id: AccountId, change: AccountUpdate) -> Account {
            call: |core, actor| core.accounts().update(actor, id, &change),
            access: write, paged: no, retry: yes, replica: no,
            cli: "account edit",
        }
        /// Gives an account a role; granting a role it already has changes nothing.
        grant_role(id: AccountId, role: Role, reason: Option<String> = None) -> Account {
            call: |core, actor| core.accounts().grant_role(actor, id, role, reason.as_deref()),
            access: write, paged: no, retry: yes, replica: no,
            cli: "account grant",
        }
        /// Takes a role away; revoking a role the account does not have changes nothing.
        revoke_role(id: AccountId, role: Role, reason: Option<String> = None) -> Account {
            call: |core, actor| core.accounts().revoke_role(actor, id, role, reason.as_deref()),
            access: write, paged: no, retry: yes, replica: no,
            cli: "account revoke",
        }
        /// Silences, suspends, bans or reinstates an account (moderators and admins). The reason is
        /// required: it is logged and will be shown to the person.
        restrict_account(id: AccountId, restriction: Restriction, reason: String) -> Account {
            call: |core, actor| core.accounts().restrict(actor, id, restriction, &reason),
            access: write, paged: no, retry: no, replica: no,
            cli: "account suspend",
        }
        /// Sets an account's password (its owner, an admin or the operator); clears any sign-in
        /// throttle.
        set_password(id: AccountId, password: String) -> () {
            call: |core, actor| core.accounts().set_password(actor, id, &password),
            access: write, paged: no, retry: yes, replica: no,
            cli: "account passwd",
        }
        // ---- orgs ------------------------------------------------------------
        /// Registers an organisation, unverified. When a member registers it, they become its staff.
        create_organisation(new: NewOrganisation) -> Organisation {
            call: |core, actor| core.orgs().create(actor, &new),
            access: write, paged: no, retry: no, replica: no,
            cli: "org add",
        }
        /// One organisation (public). Throws `NotFound` when there is none with this id.
        organisation(id: OrgId) -> Organisation {
            call: |core, actor| core.orgs().get(actor, id),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "org show",
        }
        /// Organisations in id order, filtered, one page at a time (public). Pass the page's
        /// `nextCursor` back in `PageRequest.cursor` for the next page.
        list_organisations(filter: OrganisationFilter = default, page: PageRequest = default) -> OrganisationPage {
            call: |core, actor| core.orgs().list(actor, &filter, &page),
            access: read, paged: iter_organisations, retry: yes, replica: yes,
            cli: "org list",
        }
        /// Changes an organisation's details (its staff or an admin). Absent fields stay; an empty
        /// string clears `city` or `website`.
        update_organisation(id: OrgId, change: OrganisationUpdate) -> Organisation {
            call: |core, actor| core.orgs().update(actor, id, &change),
            access: write, paged: no, retry: yes, replica: no,
            cli: "org edit",
        }
        /// Marks an organisation verified, or withdraws the verification (admins only). The reason
        /// goes into the audit log.
        verify_organisation(id: OrgId, verified: bool, reason: Option<String> = None) -> Organisation {
            call: |core, actor| core.orgs().verify(actor, id, verified, reason.as_deref()),
            access: write, paged: no, retry: yes, replica: no,
            cli: "org verify",
        }
        // ---- audit ------------------------------------------------------------
        /// Audit entries, newest first, filtered, one page at a time (admins and the operator).
        audit_log(filter: AuditFilter = default, page: PageRequest = default) -> AuditPage {
            call: |core, actor| core.audit().list(actor, &filter, &page),
            access: read, paged: iter_audit, retry: yes, replica: no,
            cli: "audit list",
        }
        // ---- geo ------------------------------------------------------------
        /// Imports the GeoNames postal-code file at `path` (admins and the operator); a country
        /// imported again is replaced. Bad rows are skipped and listed in `problems`.
        /// Throws `NotFound` when there is no such file.
        import_gazetteer(path: String) -> GazetteerImport {
            call: |core, actor| core.geo().import_file(actor, &path),
            access: write, paged: no, retry: no, replica: no,
            cli: "geo import",
        }
        /// The place of a postcode (anyone). Throws `InvalidInput` on `postcode` when it is unknown
        /// or its country's gazetteer is not loaded.
        lookup_postcode(country: String, postcode: String) -> Place {
            call: |core, actor| core.geo().lookup(actor, &country, &postcode),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "geo lookup",
        }
        /// Places whose name starts with `prefix`, ignoring case and accents, in one country or
        /// all; sorted by name, then postcode; `limit` 1 to 100.
        search_places(prefix: String, country: Option<String> = None, limit: u32 = 20) -> Vec<Place> {
            call: |core, actor| core.geo().search(actor, &prefix, country.as_deref(), limit),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "geo lookup",
        }
        /// The countries whose gazetteer is loaded.
        gazetteer_countries() -> Vec<CountryGazetteer> {
            call: |core, actor| core.geo().countries(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "geo countries",
        }
        // ---- jobs ------------------------------------------------------------
        /// Creates a draft posting for `new.org` (staff of a verified organisation, or an admin).
        ///
        /// Bad fields throw `InvalidInput` naming the field: `title`, `hours.min`, `pay.min`,
        /// `expires_on` (in the past or before `startsOn`), `languages`, `openings`, …
        create_job(new: NewJob) -> Job {
            call: |core, actor| core.jobs().create(actor, &new),
            access: write, paged: no, retry: no, replica: no,
            cli: "job post",
        }
        /// One posting. Drafts and withdrawn postings exist only for their organisation's staff and
        /// admins (`NotFound` for everyone else); a published posting past its expiry date reads as
        /// `EXPIRED`.
        job(id: JobId) -> Job {
            call: |core, actor| core.jobs().get(actor, id),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "job show",
        }
        /// Changes a draft or published posting (its staff or an admin). Absent fields stay; an
        /// empty `contact` clears it. Filled and withdrawn postings throw `Conflict`.
        update_job(id: JobId, change: JobUpdate) -> Job {
            call: |core, actor| core.jobs().update(actor, id, &change),
            access: write, paged: no, retry: yes, replica: no,
            cli: "job edit",
        }
        /// Publishes a draft: from now on searches find it, and every saved search it matches gets
        /// one alert. Without an expiry date it is shown for 60 days. Paid contracts need `pay`.
        publish_job(id: JobId) -> Job {
            call: |core, actor| core.jobs().publish(actor, id),
            access: write, paged: no, retry: no, replica: no,
            cli: "job publish",
        }
        /// Publishes several drafts in one transaction: all of them, or none when one fails.
        publish_jobs(ids: Vec<JobId>) -> Vec<Job> {
            call: |core, actor| core.jobs().publish_many(actor, &ids),
            access: write, paged: no, retry: no, replica: no,
            cli: "job publish",
        }
        /// Takes a posting off the board (its staff or an admin); the reason goes into the audit log.
        withdraw_job(id: JobId, reason: Option<String> = None) -> Job {
            call: |core, actor| core.jobs().withdraw(actor, id, reason.as_deref()),
            access: write, paged: no, retry: no, replica: no,
            cli: "job withdraw",
        }
        /// Marks a published posting filled: searches stop finding it, but it stays readable.
        fill_job(id: JobId) -> Job {
            call: |core, actor| core.jobs().fill(actor, id),
            access: write, paged: no, retry: no, replica: no,
            cli: "job fill",
        }
        /// Searches published postings (anyone, signed in or not). Each hit carries the distance
        /// from `query.near` in km and the posting's coordinates. Pass the page's `nextCursor` back
        /// in `PageRequest.cursor` for the next page.
        ///
        /// A radius outside (0, 1000] km throws `InvalidInput` with field `radius_km`.
        search_jobs(query: JobQuery = default, page: PageRequest = default) -> JobSearchPage {
            call: |core, actor| core.jobs().search(actor, &query, &page),
            access: read, paged: iter_jobs, retry: yes, replica: yes,
            cli: "job search",
        }
        /// Counts one view of a published posting (anyone). Who viewed it is not stored.
        record_job_view(id: JobId) -> () {
            call: |core, actor| core.jobs().record_view(actor, id),
            access: write, paged: no, retry: yes, replica: no,
            cli: "job view",
        }
        /// A posting's views per month (`YYYY-MM`), oldest first (its staff and admins).
        job_views(id: JobId) -> Vec<MonthlyViews> {
            call: |core, actor| core.jobs().views(actor, id),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "job views",
        }
        /// Views of all postings per month, oldest first (admins).
        total_job_views() -> Vec<MonthlyViews> {
            call: |core, actor| core.jobs().total_views(actor),
            access: read, paged: no, retry: yes, replica: no,
            cli: "job views",
        }
        /// Creates postings from rows in one transaction, publishing the rows marked `publish`.
        /// Bad rows are reported in `problems` by line and field; `ALL_OR_NOTHING` imports nothing
        /// when any row is bad, and `dryRun` only checks.
        import_jobs(rows: Vec<JobImportRow>, mode: ImportMode, dry_run: bool = false) -> JobImport {
            call: |core, actor| core.jobs().import(actor, &rows, mode, dry_run),
            access: write, paged: no, retry: no, replica: no,
            cli: "job import",
        }
        /// Postings for export, in id order: every published one (optionally of one `org`), or with
        /// `includeUnpublished` every posting of `org` (its staff and admins).
        export_jobs(org: Option<OrgId> = None, include_unpublished: bool = false) -> Vec<Job> {
            call: |core, actor| core.jobs().export(actor, org, include_unpublished),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "job export",
        }
        /// The same postings as `exportJobs`, as a JSON array of schema.org `JobPosting` objects
        /// (JSON-LD), the form search engines and job aggregators read.
        export_jobs_json_ld(org: Option<OrgId> = None, include_unpublished: bool = false) -> String {
            call: |core, actor| core.jobs().export_json_ld(actor, org, include_unpublished),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "job export",
        }
        /// Sets (replaces) the seeker profile of `account` (its owner or an admin). Profiles are
        /// private unless `findable` is set.
        set_seeker_profile(account: AccountId, input: SeekerProfileInput) -> SeekerProfile {
            call: |core, actor| core.seekers().set(actor, account, &input),
            access: write, paged: no, retry: yes, replica: no,
            cli: "seeker set",
        }
        /// The seeker profile of `account`: its owner, admins, and staff of verified employers once
        /// the seeker opted in to be findable.
        seeker_profile(account: AccountId) -> SeekerProfile {
            call: |core, actor| core.seekers().get(actor, account),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "seeker show",
        }
        /// Findable seekers in account order (staff of verified employers and admins), one page at
        /// a time; `filter.near` keeps those who would travel there.
        list_findable_seekers(filter: SeekerFilter = default, page: PageRequest = default) -> SeekerPage {
            call: |core, actor| core.seekers().list_findable(actor, &filter, &page),
            access: read, paged: iter_findable_seekers, retry: yes, replica: no,
            cli: "seeker list",
        }
        /// Saves a search for the acting account: every posting published from now on that matches
        /// it puts one `JobAlert` into the account's inbox.
        save_search(name: String, query: JobQuery) -> SavedSearch {
            call: |core, actor| core.alerts().add(actor, &name, &query),
            access: write, paged: no, retry: no, replica: no,
            cli: "alert add",
        }
        /// The acting account's saved searches.
        saved_searches() -> Vec<SavedSearch> {
            call: |core, actor| core.alerts().list(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "alert list",
        }
        /// Deletes one of the acting account's saved searches; its alerts stop.
        remove_saved_search(id: SavedSearchId) -> () {
            call: |core, actor| core.alerts().remove(actor, id),
            access: write, paged: no, retry: yes, replica: no,
            cli: "alert remove",
        }
        /// The acting account's notifications, newest first, with the inbox's unread count;
        /// `unreadOnly` skips read ones.
        inbox(unread_only: bool = false, page: PageRequest = default) -> NotificationPage {
            call: |core, actor| core.inbox().list(actor, unread_only, &page),
            access: read, paged: iter_inbox, retry: yes, replica: yes,
            cli: "inbox",
        }
        /// Marks notifications read: these ids, or every one when `ids` is empty. Returns how many
        /// changed.
        mark_notifications_read(ids: Vec<u64> = []) -> u64 {
            call: |core, actor| core.inbox().mark_read(actor, &ids),
            access: write, paged: no, retry: yes, replica: no,
            cli: "inbox",
        }
        /// Marks the acting account's interest in a published posting, with an optional note for
        /// the employer. Once per posting (`Conflict` the second time).
        mark_interest(job: JobId, note: Option<String> = None) -> Interest {
            call: |core, actor| core.interests().mark(actor, job, note.as_deref()),
            access: write, paged: no, retry: no, replica: no,
            cli: "job interest",
        }
        /// Everyone interested in a posting (its organisation's staff and admins).
        interests_for_job(job: JobId) -> Vec<Interest> {
            call: |core, actor| core.interests().for_job(actor, job),
            access: read, paged: no, retry: yes, replica: no,
            cli: "job interests",
        }
        /// The acting account's own interests.
        my_interests() -> Vec<Interest> {
            call: |core, actor| core.interests().mine(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "job interests",
        }
        /// Moves an interest forward: new → contacted → interviewing → hired | declined (the
        /// posting's staff). The seeker is notified; hiring as many as the posting has openings
        /// fills it. A step backwards throws `InvalidInput` with field `status`.
        advance_interest(id: InterestId, status: InterestStatus) -> Interest {
            call: |core, actor| core.interests().advance(actor, id, status),
            access: write, paged: no, retry: no, replica: no,
            cli: "job advance",
        }
        /// Takes the acting seeker's interest back.
        withdraw_interest(id: InterestId) -> Interest {
            call: |core, actor| core.interests().withdraw(actor, id),
            access: write, paged: no, retry: no, replica: no,
            cli: "job interest",
        }
        // ---- suggestions ------------------------------------------------------------
        /// Published, unexpired postings that suit the seeker `account`, best first (the seeker and
        /// admins). Each carries its score and a breakdown per criterion (distance, hours, pay,
        /// requirement, recency) with a reason. `limit`: 1 to 200, 20 when absent.
        ///
        /// A profile without working languages, or without a home and not open to remote work,
        /// throws `InvalidInput` naming `languages` or `location`.
        suggest_jobs(account: AccountId, limit: Option<u32> = None) -> Vec<JobSuggestion> {
            call: |core, actor| core.jobs().suggest_for_seeker(actor, account, limit),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "match suggest-jobs",
        }
        /// Findable seekers who suit posting `job`, best first (the posting's staff once the
        /// organisation is verified, and admins). Seekers who did not opt in are never included.
        suggest_seekers(job: JobId, limit: Option<u32> = None) -> Vec<SeekerSuggestion> {
            call: |core, actor| core.seekers().suggest_for_job(actor, job, limit),
            access: read, paged: no, retry: yes, replica: no,
            cli: "match suggest-seekers",
        }
        /// The weights suggestions are scored with (anyone); the defaults until an admin sets them.
        suggestion_weights() -> SuggestionWeights {
            call: |core, actor| core.settings().suggestion_weights(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "match weights",
        }
        /// Sets the weights of the suggestion score (admins). Each is 0 to 1000, not all 0; a bad
        /// one throws `InvalidInput` with field `weights.<name>`.
        set_suggestion_weights(weights: SuggestionWeights) -> SuggestionWeights {
            call: |core, actor| core.settings().set_suggestion_weights(actor, &weights),
            access: write, paged: no, retry: yes, replica: no,
            cli: "match weights",
        }
        /// Goes back to the default weights (admins).
        reset_suggestion_weights() -> SuggestionWeights {
            call: |core, actor| core.settings().reset_suggestion_weights(actor),
            access: write, paged: no, retry: yes, replica: no,
            cli: "match weights",
        }
        // ---- match_runs ------------------------------------------------------------
        /// Solves `input` for `cohort` and stores the run (supervisors and admins). Pairs declined
        /// in the cohort's earlier runs are not allowed and are listed under `excluded`.
        run_matching(cohort: String, input: RunInput) -> MatchRun {
            call: |core, actor| core.match_runs().run(actor, &cohort, &input),
            access: write, paged: no, retry: no, replica: no,
            cli: "match runs run",
        }
        /// Runs newest first, optionally of one cohort; pass `nextCursor` back for the next page.
        match_runs(filter: MatchRunFilter = default, page: PageRequest = default) -> MatchRunPage {
            call: |core, actor| core.match_runs().list(actor, &filter, &page),
            access: read, paged: iter_match_runs, retry: yes, replica: no,
            cli: "match runs list",
        }
        /// One run with its input, result and the decisions on its pairs.
        match_run(id: RunId) -> MatchRun {
            call: |core, actor| core.match_runs().get(actor, id),
            access: read, paged: no, retry: yes, replica: no,
            cli: "match runs show",
        }
        /// Confirms the pair proposed for `person` in run `id`. Decisions are final (`Conflict`).
        accept_pair(id: RunId, person: String, reason: Option<String> = None) -> MatchRun {
            call: |core, actor| core.match_runs().accept(actor, id, &person, reason.as_deref()),
            access: write, paged: no, retry: no, replica: no,
            cli: "match runs accept",
        }
        /// Turns down the pair proposed for `person` in run `id`; the cohort's later runs will not
        /// propose it again.
        decline_pair(id: RunId, person: String, reason: Option<String> = None) -> MatchRun {
            call: |core, actor| core.match_runs().decline(actor, id, &person, reason.as_deref()),
            access: write, paged: no, retry: no, replica: no,
            cli: "match runs decline",
        }
        // ---- forums ------------------------------------------------------------
        /// Creates a board (admins). Bad fields throw `InvalidInput`: `slug`, `title`, `language`,
        /// `audience`; a taken slug throws `Conflict`.
        create_board(new: NewBoard) -> Board {
            call: |core, actor| core.forums().create_board(actor, &new),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum board add",
        }
        /// Changes a board; absent fields stay (admins).
        update_board(id: BoardId, change: BoardUpdate) -> Board {
            call: |core, actor| core.forums().update_board(actor, id, &change),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum board edit",
        }
        /// Archives a board (read-only) or reopens it (admins).
        archive_board(id: BoardId, archived: bool) -> Board {
            call: |core, actor| core.forums().archive_board(actor, id, archived),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum board archive",
        }
        /// One board, if the actor is in its audience.
        board(id: BoardId) -> Board {
            call: |core, actor| core.forums().board(actor, id),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "forum board list",
        }
        /// The board with this slug (any case), if the actor is in its audience.
        board_by_slug(slug: String) -> Board {
            call: |core, actor| core.forums().board_by_slug(actor, &slug),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "forum thread list",
        }
        /// The boards the actor may read, in list order, with sizes and (for an account) unread
        /// threads and whether it watches them.
        boards() -> Vec<BoardOverview> {
            call: |core, actor| core.forums().boards(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "forum board list",
        }
        /// Starts a thread (an account). `held` tells why it waits for a moderator when it does;
        /// `signposts` carry help the content check attached. The author watches the thread.
        create_thread(new: NewThread) -> Posted {
            call: |core, actor| core.forums().create_thread(actor, &new),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum thread new",
        }
        /// A page of a board: pinned threads first, then the most recently active.
        board_page(board: BoardId, page: PageRequest = default) -> BoardPage {
            call: |core, actor| core.forums().board_page(actor, board, &page),
            access: read, paged: iter_threads, retry: yes, replica: yes,
            cli: "forum thread list",
        }
        /// One thread without its posts.
        thread(id: ThreadId) -> Thread {
            call: |core, actor| core.forums().thread(actor, id),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "forum thread show",
        }
        /// A page of a thread's posts in the order they were written; the read position stays.
        thread_page(id: ThreadId, page: PageRequest = default) -> ThreadPage {
            call: |core, actor| core.forums().thread_page(actor, id, &page),
            access: read, paged: iter_posts, retry: yes, replica: yes,
            cli: "forum thread show",
        }
        /// Reads a page of a thread as a person does: counts the view and, for an account, moves
        /// its read position to the last post shown. `visitor` is the host's opaque token for
        /// someone not signed in (stored only as a hash whose key changes every month).
        read_thread(id: ThreadId, page: PageRequest = default, visitor: Option<String> = None) -> ThreadPage {
            call: |core, actor| core.forums().read_thread(actor, id, &page, visitor.as_deref()),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum read",
        }
        /// Counts a view of a thread without returning it (see `readThread`).
        record_thread_view(id: ThreadId, visitor: Option<String> = None) -> () {
            call: |core, actor| core.forums().record_view(actor, id, visitor.as_deref()),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum read",
        }
        /// Replies in a thread, optionally to an earlier post of it (`replyTo`). A post of another
        /// thread throws `InvalidInput` with field `reply_to`; a locked thread or an archived board
        /// throws `Conflict`; silenced accounts get `PermissionDenied`.
        reply(new: NewReply) -> Posted {
            call: |core, actor| core.forums().reply(actor, &new),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum post add",
        }
        /// One post, if the actor may see it.
        post(id: PostId) -> Post {
            call: |core, actor| core.forums().post(actor, id),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "forum thread show",
        }
        /// Changes a post's body and, for a first post, optionally the thread's title (its author).
        /// Edits within five minutes of a version merge into it.
        edit_post(id: PostId, body: String, title: Option<String> = None) -> Posted {
            call: |core, actor| core.forums().edit_post(actor, id, &body, title.as_deref()),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum post edit",
        }
        /// Deletes a post softly (its author): it stays as "deleted by the author".
        delete_post(id: PostId) -> Post {
            call: |core, actor| core.forums().delete_post(actor, id),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum post delete",
        }
        /// Every version of a post's body, oldest first (its author, moderators and admins).
        post_history(id: PostId) -> Vec<Revision> {
            call: |core, actor| core.forums().history(actor, id),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "forum post history",
        }
        /// Pins or unpins a thread (moderators).
        pin_thread(id: ThreadId, pinned: bool) -> Thread {
            call: |core, actor| core.forums().pin_thread(actor, id, pinned),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum thread pin",
        }
        /// Locks or opens a thread (moderators).
        lock_thread(id: ThreadId, locked: bool) -> Thread {
            call: |core, actor| core.forums().lock_thread(actor, id, locked),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum thread lock",
        }
        /// Moves a thread to another board (moderators).
        move_thread(id: ThreadId, board: BoardId) -> Thread {
            call: |core, actor| core.forums().move_thread(actor, id, board),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum thread move",
        }
        /// Approves, hides, restores or removes a thread (moderators).
        moderate_thread(id: ThreadId, action: ModerationAction, reason: Option<String> = None) -> Thread {
            call: |core, actor| core.forums().moderate_thread(actor, id, action, reason.as_deref()),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum thread moderate",
        }
        /// Approves, hides, restores or removes a post (moderators); a first post moves its thread.
        moderate_post(id: PostId, action: ModerationAction, reason: Option<String> = None) -> Post {
            call: |core, actor| core.forums().moderate_post(actor, id, action, reason.as_deref()),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum post moderate",
        }
        /// Restricts the author of a post without learning who it is (moderators for members,
        /// admins for anyone).
        restrict_author(post: PostId, restriction: Restriction, reason: String) -> () {
            call: |core, actor| core.forums().restrict_author(actor, post, restriction, &reason),
            access: write, paged: no, retry: no, replica: no,
            cli: "forum post restrict",
        }
        /// Posts waiting for a moderator, oldest first (moderators).
        moderation_queue(page: PageRequest = default) -> QueuePage {
            call: |core, actor| core.forums().queue(actor, &page),
            access: read, paged: iter_moderation_queue, retry: yes, replica: no,
            cli: "forum queue",
        }
        /// Marks a thread read up to a post (or entirely); returns what stays unread.
        mark_thread_read(thread: ThreadId, up_to: Option<PostId> = None) -> ThreadUnread {
            call: |core, actor| core.forums().mark_read(actor, thread, up_to),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum mark-read",
        }
        /// Marks a whole board read; returns how many threads were marked.
        mark_board_read(board: BoardId) -> u32 {
            call: |core, actor| core.forums().mark_board_read(actor, board),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum mark-read",
        }
        /// Unread posts in every thread the account watches.
        unread_threads() -> Vec<ThreadUnread> {
            call: |core, actor| core.forums().unread(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "forum unread",
        }
        /// Starts or stops watching a thread (new replies land in the inbox).
        watch_thread(thread: ThreadId, on: bool) -> () {
            call: |core, actor| core.forums().watch_thread(actor, thread, on),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum watch",
        }
        /// Starts or stops watching a board (new threads land in the inbox).
        watch_board(board: BoardId, on: bool) -> () {
            call: |core, actor| core.forums().watch_board(actor, board, on),
            access: write, paged: no, retry: yes, replica: no,
            cli: "forum watch",
        }
        /// The boards and threads the account watches.
        watching() -> Watching {
            call: |core, actor| core.forums().watching(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "forum watch",
        }
        /// The account's forum notifications, newest first (mark them read with
        /// `markNotificationsRead`).
        forum_notifications(unread_only: bool = false, page: PageRequest = default) -> NotificationPage {
            call: |core, actor| core.forums().notifications(actor, unread_only, &page),
            access: read, paged: iter_forum_notifications, retry: yes, replica: yes,
            cli: "forum inbox",
        }
        /// Views and unique readers per month or quarter, of one board or of every board and all
        /// together (moderators and admins). Fewer than five readers come back as `null`.
        forum_stats(period: StatsPeriod, board: Option<BoardId> = None) -> Vec<ReaderStats> {
            call: |core, actor| core.forums().stats(actor, period, board),
            access: read, paged: no, retry: yes, replica: no,
            cli: "forum stats",
        }
        /// Searches the thread titles and posts the actor may read, best and newest first.
        search_forums(query: ForumQuery, page: PageRequest = default) -> ForumSearchPage {
            call: |core, actor| core.forums().search(actor, &query, &page),
            access: read, paged: iter_forum_search, retry: yes, replica: yes,
            cli: "forum search",
        }
        // ---- moderation ------------------------------------------------------------
        /// Reports a thread, post, profile or job posting (an account). Something that does not
        /// exist or that the actor cannot see throws `NotFound`; `other` needs a `detail`.
        report(new: NewReport) -> Report {
            call: |core, actor| core.moderation().report(actor, &new),
            access: write, paged: no, retry: no, replica: no,
            cli: "report",
        }
        /// Appeals an action that affected the actor, once, with a statement.
        appeal(action: ActionId, statement: String) -> Appeal {
            call: |core, actor| core.moderation().appeal(actor, action, &statement),
            access: write, paged: no, retry: no, replica: no,
            cli: "appeal",
        }
        /// A page of the review queue: crisis first, then by weighted reports, then oldest
        /// (moderators).
        review_queue(state: ItemState, page: PageRequest = default) -> ReviewPage {
            call: |core, actor| core.moderation().queue(actor, state, &page),
            access: read, paged: iter_review_queue, retry: yes, replica: no,
            cli: "mod queue",
        }
        /// One item with its reports and the target's history (moderators).
        review_item(id: ItemId) -> ItemDetail {
            call: |core, actor| core.moderation().item(actor, id),
            access: read, paged: no, retry: yes, replica: no,
            cli: "mod show",
        }
        /// Claims an item at the `version` the moderator saw; throws `Conflict` if it changed.
        claim_item(id: ItemId, version: u64) -> ReviewItem {
            call: |core, actor| core.moderation().claim(actor, id, version),
            access: write, paged: no, retry: no, replica: no,
            cli: "mod claim",
        }
        /// Acts on an item at the `version` the moderator saw and closes it; the affected person
        /// is notified with the reason and how to appeal.
        act_on_item(id: ItemId, version: u64, action: ModAction, reason: String) -> LogEntry {
            call: |core, actor| core.moderation().act(actor, id, version, &action, &reason),
            access: write, paged: no, retry: no, replica: no,
            cli: "mod act",
        }
        /// The moderation log, newest first, optionally of one target; moderators' accounts only
        /// for moderators.
        moderation_log(target: Option<Target> = None, page: PageRequest = default) -> LogPage {
            call: |core, actor| core.moderation().log(actor, target, &page),
            access: read, paged: iter_moderation_log, retry: yes, replica: no,
            cli: "mod log",
        }
        /// Open appeals, or decided ones (moderators).
        appeals(decided: bool = false, page: PageRequest = default) -> AppealPage {
            call: |core, actor| core.moderation().appeals(actor, decided, &page),
            access: read, paged: iter_appeals, retry: yes, replica: no,
            cli: "mod appeals",
        }
        /// Decides an appeal (not by the moderator who acted); overturning undoes the action.
        decide_appeal(appeal: AppealId, outcome: AppealOutcome, reason: String) -> Appeal {
            call: |core, actor| core.moderation().decide_appeal(actor, appeal, outcome, &reason),
            access: write, paged: no, retry: no, replica: no,
            cli: "mod decide",
        }
        /// Every watched word (moderators).
        watched_words() -> Vec<WatchedWord> {
            call: |core, actor| core.moderation().words(actor),
            access: read, paged: no, retry: yes, replica: no,
            cli: "mod words list",
        }
        /// Adds a watched word or changes its action (admins).
        add_watched_word(word: WatchedWord) -> WatchedWord {
            call: |core, actor| core.moderation().add_word(actor, &word),
            access: write, paged: no, retry: yes, replica: no,
            cli: "mod words add",
        }
        /// Removes a watched word (admins).
        remove_watched_word(language: String, pattern: String) -> () {
            call: |core, actor| core.moderation().remove_word(actor, &language, &pattern),
            access: write, paged: no, retry: yes, replica: no,
            cli: "mod words remove",
        }
        /// What the watched words find in a text, and why (moderators).
        test_watched_words(text: String, language: String) -> TextCheck {
            call: |core, actor| core.moderation().test_words(actor, &text, &language),
            access: read, paged: no, retry: yes, replica: no,
            cli: "mod words test",
        }
        /// Every crisis resource, verified or not.
        crisis_resources() -> Vec<CrisisResource> {
            call: |core, actor| core.moderation().resources(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "mod resources list",
        }
        /// The verified resources for someone in `country` writing in `language`.
        crisis_resources_for(country: String, language: String) -> Vec<CrisisResource> {
            call: |core, _actor| core.moderation().resources_for(&country, &language),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "mod resources list",
        }
        /// Adds or replaces a crisis resource (admins).
        set_crisis_resource(resource: CrisisResource) -> CrisisResource {
            call: |core, actor| core.moderation().set_resource(actor, &resource),
            access: write, paged: no, retry: yes, replica: no,
            cli: "mod resources set",
        }
        /// The trust and rate-limit rules in force.
        moderation_settings() -> ModerationSettings {
            call: |core, actor| core.moderation().settings(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "mod settings",
        }
        /// Changes the trust and rate-limit rules (admins).
        set_moderation_settings(settings: ModerationSettings) -> ModerationSettings {
            call: |core, actor| core.moderation().set_settings(actor, &settings),
            access: write, paged: no, retry: yes, replica: no,
            cli: "mod settings",
        }
        // ---- counsel ------------------------------------------------------------
        /// Opens an enquiry (no account needed). Returns the case code and the secret — show the
        /// secret once and let the person keep it — and crisis lines when the text needs them.
        /// Bad fields throw `InvalidInput`: `topic`, `language`, `message`, `postcode`.
        enquire(new: NewEnquiry) -> Opened {
            call: |core, actor| core.counsel().enquire(actor, &new),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel enquire",
        }
        /// The counselling topics to offer in an enquiry form.
        counsel_topics() -> Vec<String> {
            call: |core, actor| core.counsel().topics(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "counsel topics",
        }
        /// The case as its client sees it; marks the counsellor's replies read.
        client_case(case_code: String, secret: String) -> ClientCase {
            call: |core, _actor| core.counsel().client_case(&case_code, &secret),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel client show",
        }
        /// The client writes to the counsellor; crisis lines come back when the text needs them.
        client_reply(case_code: String, secret: String, text: String) -> ClientSent {
            call: |core, _actor| core.counsel().client_reply(&case_code, &secret, &text),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel client reply",
        }
        /// The client closes the case.
        client_close(case_code: String, secret: String) -> Enquiry {
            call: |core, _actor| core.counsel().client_close(&case_code, &secret),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel client close",
        }
        /// The client reopens a case closed less than 14 days ago.
        client_reopen(case_code: String, secret: String) -> Enquiry {
            call: |core, _actor| core.counsel().client_reopen(&case_code, &secret),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel client reopen",
        }
        /// The client consents to (or declines) a proposed handover.
        client_answer_handover(case_code: String, secret: String, consent: bool) -> Enquiry {
            call: |core, _actor| core.counsel().client_answer_handover(&case_code, &secret, consent),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel client handover",
        }
        /// A page of an organisation's team queue: urgent first, then oldest.
        counsel_queue(org: OrgId, page: PageRequest = default) -> EnquiryQueuePage {
            call: |core, actor| core.counsel().queue(actor, org, &page),
            access: read, paged: iter_counsel_queue, retry: yes, replica: no,
            cli: "counsel queue",
        }
        /// Claims an enquiry; `Conflict` when someone else was faster or it is closed.
        claim_enquiry(id: EnquiryId) -> Enquiry {
            call: |core, actor| core.counsel().claim(actor, id),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel claim",
        }
        /// Assigns an enquiry to a counsellor of a matching organisation (supervisors).
        assign_enquiry(id: EnquiryId, counsellor: AccountId) -> Enquiry {
            call: |core, actor| core.counsel().assign(actor, id, counsellor),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel assign",
        }
        /// Assigns an enquiry to the least busy free counsellor (supervisors).
        auto_assign_enquiry(id: EnquiryId) -> Enquiry {
            call: |core, actor| core.counsel().auto_assign(actor, id),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel assign",
        }
        /// A case's metadata, without content.
        enquiry(id: EnquiryId) -> Enquiry {
            call: |core, actor| core.counsel().enquiry(actor, id),
            access: read, paged: no, retry: yes, replica: no,
            cli: "counsel info",
        }
        /// The open cases this counsellor handles (their own, and those they stand in for).
        my_cases() -> Vec<Enquiry> {
            call: |core, actor| core.counsel().my_cases(actor),
            access: read, paged: no, retry: yes, replica: no,
            cli: "counsel mine",
        }
        /// A case with its conversation and notes (audited).
        counsel_case(id: EnquiryId) -> CaseView {
            call: |core, actor| core.counsel().case(actor, id),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel show",
        }
        /// Answers the client (a trainee's reply waits for a supervisor).
        counsel_reply(id: EnquiryId, text: String) -> Message {
            call: |core, actor| core.counsel().reply(actor, id, &text),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel reply",
        }
        /// Writes an internal note the client never sees.
        counsel_note(id: EnquiryId, text: String) -> Message {
            call: |core, actor| core.counsel().note(actor, id, &text),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel note",
        }
        /// Replies waiting for a supervisor of `org`.
        pending_replies(org: OrgId) -> Vec<PendingReply> {
            call: |core, actor| core.counsel().pending_replies(actor, org),
            access: read, paged: no, retry: yes, replica: no,
            cli: "counsel pending",
        }
        /// Approves a waiting reply: it is delivered now (supervisors).
        approve_reply(id: EnquiryId, message_id: MessageId) -> Message {
            call: |core, actor| core.counsel().approve(actor, id, message_id),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel approve",
        }
        /// Proposes handing the case to another counsellor of its organisation.
        propose_handover(id: EnquiryId, to: AccountId) -> Enquiry {
            call: |core, actor| core.counsel().propose_handover(actor, id, to),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel handover",
        }
        /// Closes the case.
        close_enquiry(id: EnquiryId, reason: CloseReason) -> Enquiry {
            call: |core, actor| core.counsel().close(actor, id, reason),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel close",
        }
        /// Sets (or with `null` ends) a counsellor's absence and substitute.
        set_absence(account: AccountId, absence: Option<Absence>) -> CounsellorProfile {
            call: |core, actor| core.counsel().set_absence(actor, account, absence),
            access: write, paged: no, retry: yes, replica: no,
            cli: "counsel absence",
        }
        /// Declares an organisation's counselling offer (its supervisors, admins).
        set_counsel_offer(offer: CounselOffer) -> CounselOffer {
            call: |core, actor| core.counsel().set_offer(actor, &offer),
            access: write, paged: no, retry: yes, replica: no,
            cli: "counsel offer",
        }
        /// Sets a counsellor's capacity, training status and what clients may prefer.
        set_counsellor_profile(profile: CounsellorProfile) -> CounsellorProfile {
            call: |core, actor| core.counsel().set_profile(actor, &profile),
            access: write, paged: no, retry: yes, replica: no,
            cli: "counsel profile",
        }
        /// Cases whose first response is overdue (all for admins, or one organisation's).
        overdue_enquiries(org: Option<OrgId> = None) -> Vec<Enquiry> {
            call: |core, actor| core.counsel().overdue(actor, org),
            access: read, paged: no, retry: yes, replica: no,
            cli: "counsel overdue",
        }
        /// The SLA sweep: breaches counted, unclaimed overdue cases overflow (admins).
        escalate_overdue() -> Escalation {
            call: |core, actor| core.counsel().escalate(actor),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel overdue",
        }
        /// A month's counselling statistics (`2026-03`); counts below 5 are null.
        counsel_stats(month: String) -> CounselStats {
            call: |core, actor| core.counsel().stats(actor, &month),
            access: read, paged: no, retry: yes, replica: no,
            cli: "counsel stats",
        }
        /// Purges cases closed longer ago than the retention period (admins).
        purge_enquiries(dry_run: bool) -> PurgeReport {
            call: |core, actor| core.counsel().purge(actor, dry_run),
            access: write, paged: no, retry: no, replica: no,
            cli: "counsel purge",
        }

        // ---- additions: operations the core had and a frontend lacked -------------------------
        /// Every organisation's counselling offer (anyone): topics, languages, regions, capacity.
        counsel_offers() -> Vec<CounselOffer> {
            call: |core, actor| core.counsel().offers(actor),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "counsel offers",
        }
        /// A counsellor's profile: capacity, training status, preferences, absence.
        counsellor_profile(account: AccountId) -> CounsellorProfile {
            call: |core, actor| core.counsel().profile(actor, account),
            access: read, paged: no, retry: yes, replica: no,
            cli: "counsel profile",
        }
        /// Replaces the counselling topics an enquiry form offers (admins); returns them.
        set_counsel_topics(topics: Vec<String>) -> Vec<String> {
            call: |core, actor| core.counsel().set_topics(actor, &topics),
            access: write, paged: no, retry: yes, replica: no,
            cli: "counsel topics",
        }
        /// How many days closed counselling cases are kept before `purge_enquiries` removes them.
        counsel_retention_days() -> u32 {
            call: |core, actor| core.counsel().retention_days(actor),
            access: read, paged: no, retry: yes, replica: no,
            cli: "counsel purge",
        }
        /// Sets how many days closed counselling cases are kept (admins); returns the new value.
        set_counsel_retention_days(days: u32) -> u32 {
            call: |core, actor| core.counsel().set_retention_days(actor, days),
            access: write, paged: no, retry: yes, replica: no,
            cli: "counsel purge",
        }
        /// Removes a crisis resource by country and name (admins).
        remove_crisis_resource(country: String, name: String) -> () {
            call: |core, actor| core.moderation().remove_resource(actor, &country, &name),
            access: write, paged: no, retry: yes, replica: no,
            cli: "mod resources remove",
        }

        // ---- the platform file --------------------------------------------------------------
        /// Counts records and checks that every record reads and every index agrees.
        integrity() -> IntegrityReport {
            call: |core, _actor| core.integrity(),
            access: read, paged: no, retry: yes, replica: yes,
            cli: "check",
        }
        /// Makes every earlier commit durable (after a batch opened with eventual durability).
        flush() -> () {
            call: |core, _actor| core.flush(),
            access: write, paged: no, retry: yes, replica: yes,
            cli: none("the CLI opens and closes the file per command, so every commit is already durable"),
        }
        /// Compacts the database file (admins and the operator), so records deleted earlier — a
        /// purged counselling case above all — no longer linger in freed pages of the file.
        ///
        /// Throws `Conflict` while another read or write on this platform is in progress.
        compact() -> CompactReport {
            call: |core, actor| core.compact(actor),
            access: write, paged: no, retry: yes, replica: no,
            cli: "counsel purge",
        }
        }
    };
}

/// Every operation of the manifest, in manifest order.
pub static OPERATIONS: &[Operation] = operations!(__operation_table);

/// Looks an operation up by name.
pub fn operation(name: &str) -> Result<&'static Operation> {
    OPERATIONS.iter().find(|op| op.name == name).ok_or_else(|| Error::not_found("operation", name))
}
