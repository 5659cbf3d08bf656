"""Typed stubs of the Rust extension ``trialog._trialog`` (re-exported by ``trialog``)."""

import datetime
import os
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union, final

from .records import (
    Appeal,
    AppealPage,
    CrisisResource,
    ItemDetail,
    ItemStateName,
    LogEntry,
    LogPage,
    ModActionName,
    ModerationSettings,
    Report,
    ReportReasonName,
    ReviewItem,
    ReviewPage,
    TextCheck,
    WatchedWord,
    WordActionName,
    Account,
    Board,
    BoardOverview,
    BoardPage,
    ForumHit,
    ForumSearchPage,
    ModerationActionName,
    ModerationModeName,
    Post,
    Posted,
    QueuePage,
    ReaderStats,
    RestrictionName,
    Revision,
    StatsPeriodName,
    Thread,
    ThreadPage,
    ThreadUnread,
    Watching,
    AccountPage,
    Assignment,
    AuditEntry,
    AuditPage,
    ContractName,
    CountryGazetteer,
    DurabilityName,
    ExInRequirementName,
    ExInStatusName,
    GazetteerImport,
    GuideAssignment,
    HoursInput,
    CompactReport,
    IntegrityReport,
    Interest,
    InterestStatusName,
    Job,
    JobHit,
    JobImport,
    JobSearchPage,
    JobSortName,
    JobSuggestion,
    LocationInput,
    MatchRun,
    MatchRunPage,
    MatchRunSummary,
    MinPay,
    MonthlyViews,
    NotificationPage,
    Organisation,
    OrganisationPage,
    Pay,
    Place,
    SavedSearch,
    SeekerPage,
    SeekerProfile,
    SeekerSuggestion,
    StableMatching,
    SuggestionWeights,
)

__all__ = [
    "Platform",
    "PageIterator",
    "TrialogError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "ConflictError",
    "RateLimitedError",
    "DatabaseInUseError",
    "StorageError",
    "InternalError",
    "distance_km",
    "post_html",
    "_trigger_panic_for_tests",
    "assign_scores",
    "assign_guides",
    "stable_match",
    "__version__",
]

__version__: str

_T = TypeVar("_T")
_StrPath = Union[str, "os.PathLike[str]"]
_Time = Union[datetime.datetime, str]
_Date = Union[datetime.date, str]
_BoardRef = Union[int, str]
"""A board: its id, or its slug such as ``"ausbildung-ex-in"``."""
"""A calendar date: ``datetime.date`` or ``"YYYY-MM-DD"``."""

# ---- exceptions ---------------------------------------------------------------------------

class TrialogError(Exception):
    """Base class of every error trialog raises."""

    kind: str
    """A stable name of the error: "invalid_input", "not_found", "permission_denied", ..."""

class InvalidInputError(TrialogError):
    kind: str
    field: str
    """The offending argument or record field: "pseudonym", "region", "perspective", "until", ..."""
    reason: str

class NotFoundError(TrialogError):
    kind: str
    what: str
    """What was looked for: "account", "organisation", ..."""
    key: str

class PermissionDeniedError(TrialogError):
    kind: str
    action: str
    reason: str

class ConflictError(TrialogError):
    kind: str
    reason: str

class RateLimitedError(TrialogError):
    kind: str
    retry_after_secs: int

class DatabaseInUseError(TrialogError):
    kind: str
    path: str

class StorageError(TrialogError):
    kind: str
    detail: str

class InternalError(TrialogError):
    kind: str
    detail: str

# ---- the platform -------------------------------------------------------------------------

@final
class PageIterator(Iterator[_T]):
    """Walks every page of a listing, fetching the next page when the current one is used up."""

    def __iter__(self) -> "PageIterator[_T]": ...
    def __next__(self) -> _T: ...

@final
class Platform:
    """A trialog platform over one database file, acting as one actor.

    Handles are cheap; all handles made from one ``open`` share the database and may be used
    from many threads at once. They are a convenience for scripts that hold the file, not a
    security boundary: to act for a person who is not trusted, use ``sign_in``.
    """

    @staticmethod
    def open(
        path: _StrPath,
        *,
        cache_bytes: Optional[int] = None,
        durability: DurabilityName = "immediate",
        create: bool = True,
        content_key: Optional[bytes] = None,
    ) -> "Platform":
        """Opens (or creates) a database file, acting as the operator.

        With create=False a missing file raises NotFoundError instead of starting an empty platform.

        Raises DatabaseInUseError when the file is already open (in this process or another).
        """
    @staticmethod
    def in_memory(*, content_key: Optional[bytes] = None) -> "Platform":
        """A platform in memory only, acting as the operator; ``content_key`` (32 bytes) enables
        counselling content."""
    def acting_as(self, pseudonym: str) -> "Platform":
        """A handle acting as the account with this pseudonym (NotFoundError if there is none)."""
    def as_account(self, id: int) -> "Platform":
        """A handle acting as account ``id`` (NotFoundError if there is none)."""
    def anonymous(self) -> "Platform":
        """A handle acting as someone not signed in."""
    def sign_in(self, pseudonym: str, password: str) -> "Platform":
        """A handle acting as the account, after checking its password.

        Raises PermissionDeniedError for a wrong pseudonym or password, RateLimitedError after
        five failures in a row.
        """
    @property
    def actor(self) -> str:
        """Who this handle acts as: "operator", "anonymous" or "account:<id>"."""
    @property
    def account_id(self) -> Optional[int]:
        """The account this handle acts as, or None."""

    # organisations
    def create_organisation(
        self, name: str, kind: str, region: str, city: Optional[str] = None, website: Optional[str] = None
    ) -> Organisation:
        """Registers an organisation, unverified; ``kind`` is an OrgKindName."""
    def organisation(self, id: int) -> Organisation: ...
    def list_organisations(
        self,
        *,
        kind: Optional[str] = None,
        verified: Optional[bool] = None,
        region: Optional[str] = None,
        name_contains: Optional[str] = None,
        cursor: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> OrganisationPage:
        """One page (``limit`` 1..500, default 50); pass ``next_cursor`` back as ``cursor``."""
    def iter_organisations(
        self,
        *,
        kind: Optional[str] = None,
        verified: Optional[bool] = None,
        region: Optional[str] = None,
        name_contains: Optional[str] = None,
        page_size: Optional[int] = None,
    ) -> PageIterator[Organisation]: ...
    def update_organisation(
        self,
        id: int,
        *,
        name: Optional[str] = None,
        kind: Optional[str] = None,
        region: Optional[str] = None,
        city: Optional[str] = None,
        website: Optional[str] = None,
    ) -> Organisation:
        """Changes the given fields; an empty string clears ``city`` or ``website``."""
    def verify_organisation(self, id: int, verified: bool = True, reason: Optional[str] = None) -> Organisation: ...

    # accounts
    def create_account(
        self,
        pseudonym: str,
        *,
        perspective: str = "undisclosed",
        perspective_visibility: str = "nobody",
        languages: Sequence[str] = (),
        home_region: Optional[str] = None,
        email: Optional[str] = None,
    ) -> Account:
        """Creates an account with the member role; ``perspective`` is a PerspectiveName,
        ``perspective_visibility`` ("public", "members", "nobody") who else sees it."""
    def account(self, id: int) -> Account: ...
    def account_by_pseudonym(self, name: str) -> Account: ...
    def list_accounts(
        self,
        *,
        role: Optional[str] = None,
        org: Optional[int] = None,
        status: Optional[str] = None,
        perspective: Optional[str] = None,
        pseudonym_prefix: Optional[str] = None,
        cursor: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> AccountPage:
        """One page of accounts (moderators, admins and the operator only)."""
    def iter_accounts(
        self,
        *,
        role: Optional[str] = None,
        org: Optional[int] = None,
        status: Optional[str] = None,
        perspective: Optional[str] = None,
        pseudonym_prefix: Optional[str] = None,
        page_size: Optional[int] = None,
    ) -> PageIterator[Account]: ...
    def update_account(
        self,
        id: int,
        *,
        perspective: Optional[str] = None,
        perspective_visibility: Optional[str] = None,
        languages: Optional[Sequence[str]] = None,
        home_region: Optional[str] = None,
        email: Optional[str] = None,
    ) -> Account:
        """Changes the given fields; an empty string clears ``home_region`` or ``email``."""
    def grant_role(self, id: int, role: str, reason: Optional[str] = None) -> Account:
        """``role`` is "member", "moderator", "admin" or "counsellor:<org>", "supervisor:<org>", "employer_staff:<org>"."""
    def revoke_role(self, id: int, role: str, reason: Optional[str] = None) -> Account: ...
    def restrict_account(
        self, id: int, restriction: str, *, until: Optional[_Time] = None, reason: str
    ) -> Account:
        """``restriction`` is a RestrictionName; silence and suspend need ``until`` (aware datetime or ISO 8601)."""
    def set_password(self, id: int, password: str) -> None: ...

    # audit and maintenance
    def audit_log(
        self,
        *,
        action_prefix: Optional[str] = None,
        target: Optional[str] = None,
        cursor: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> AuditPage:
        """One page of the audit log, newest first (admins and the operator only)."""
    def iter_audit(
        self, *, action_prefix: Optional[str] = None, target: Optional[str] = None, page_size: Optional[int] = None
    ) -> PageIterator[AuditEntry]: ...
    def integrity(self) -> IntegrityReport: ...
    def flush(self) -> None:
        """Makes earlier changes durable (after work with durability="eventual")."""
    def compact(self) -> CompactReport:
        """Compacts the file (admins, operator) so purged records leave it; ConflictError while
        another read or write is in progress. In memory, bytes_before/bytes_after are None."""

    # job board: postings. Bad values raise InvalidInputError naming the field ("pay.min",
    # "hours.min", "expires_on", "contracts[1]"); unknown or missing keywords raise TypeError.
    def create_job(
        self,
        org: int,
        title: str,
        description: str,
        *,
        location: LocationInput,
        contract: ContractName,
        hours: HoursInput,
        languages: Sequence[str],
        pay: Optional[Pay] = None,
        requirement: Optional[ExInRequirementName] = None,
        starts_on: Optional[_Date] = None,
        expires_on: Optional[_Date] = None,
        openings: Optional[int] = None,
        contact: Optional[str] = None,
    ) -> Job:
        """Creates a draft posting (staff of a verified organisation, or an admin)."""
    def job(self, id: int) -> Job:
        """One posting; drafts and withdrawn ones only for their staff and admins."""
    def update_job(
        self,
        id: int,
        *,
        title: Optional[str] = None,
        description: Optional[str] = None,
        location: Optional[LocationInput] = None,
        contract: Optional[ContractName] = None,
        hours: Optional[HoursInput] = None,
        pay: Optional[Pay] = None,
        requirement: Optional[ExInRequirementName] = None,
        languages: Optional[Sequence[str]] = None,
        starts_on: Optional[_Date] = None,
        expires_on: Optional[_Date] = None,
        openings: Optional[int] = None,
        contact: Optional[str] = None,
    ) -> Job:
        """Changes the given fields of a draft or published posting; an empty ``contact`` clears it."""
    def publish_job(self, id: int) -> Job:
        """Publishes a draft (shown 60 days without ``expires_on``); matching saved searches get an alert."""
    def publish_jobs(self, ids: Sequence[int]) -> List[Job]:
        """Publishes several drafts in one transaction: all or none."""
    def withdraw_job(self, id: int, reason: Optional[str] = None) -> Job: ...
    def fill_job(self, id: int) -> Job: ...
    def search_jobs(
        self,
        *,
        near: Optional[LocationInput] = None,
        radius_km: Optional[float] = None,
        text: Optional[str] = None,
        contracts: Optional[Sequence[ContractName]] = None,
        hours: Optional[HoursInput] = None,
        min_pay: Optional[MinPay] = None,
        exin: Optional[ExInStatusName] = None,
        language: Optional[str] = None,
        include_remote: bool = False,
        org: Optional[int] = None,
        published_since: Optional[_Time] = None,
        include_unpublished: bool = False,
        sort: Optional[JobSortName] = None,
        cursor: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> JobSearchPage:
        """One page of hits; each hit is the posting's fields plus distance_km, coordinates, score.

        ``radius_km`` is in (0, 1000], 50 when ``near`` is given without it.
        """
    def iter_jobs(
        self,
        *,
        near: Optional[LocationInput] = None,
        radius_km: Optional[float] = None,
        text: Optional[str] = None,
        contracts: Optional[Sequence[ContractName]] = None,
        hours: Optional[HoursInput] = None,
        min_pay: Optional[MinPay] = None,
        exin: Optional[ExInStatusName] = None,
        language: Optional[str] = None,
        include_remote: bool = False,
        org: Optional[int] = None,
        published_since: Optional[_Time] = None,
        include_unpublished: bool = False,
        sort: Optional[JobSortName] = None,
        page_size: Optional[int] = None,
    ) -> PageIterator[JobHit]:
        """Every hit of a search, walking all pages; ``pd.DataFrame(list(...))`` gives one row a posting."""
    def record_job_view(self, id: int) -> None: ...
    def job_views(self, id: int) -> List[MonthlyViews]:
        """Views per month, oldest first (the posting's staff and admins)."""
    def total_job_views(self) -> List[MonthlyViews]:
        """Views of all postings per month (admins and the operator)."""
    def import_jobs(
        self, rows: Iterable[Mapping[str, Any]], *, all_or_nothing: bool = False, dry_run: bool = False
    ) -> JobImport:
        """Imports dicts with the keywords of ``create_job`` plus ``org``, ``title``, ``description``,
        optional ``publish`` and ``line`` (default: index + 1). Bad rows are reported by line and field."""
    def export_jobs(self, org: Optional[int] = None, include_unpublished: bool = False) -> List[Job]: ...
    def export_jobs_json_ld(self, org: Optional[int] = None, include_unpublished: bool = False) -> List[Dict[str, Any]]:
        """The same postings as schema.org ``JobPosting`` dicts, ready for ``json.dumps``."""

    # job board: seekers, saved searches, inbox, interest
    def set_seeker_profile(
        self,
        account: int,
        *,
        location: Optional[LocationInput] = None,
        max_distance_km: Optional[int] = None,
        hours: Optional[HoursInput] = None,
        contracts: Sequence[ContractName] = (),
        exin: Optional[ExInStatusName] = None,
        languages: Sequence[str] = (),
        open_to_remote: bool = False,
        findable: bool = False,
        min_pay: Optional[MinPay] = None,
    ) -> SeekerProfile:
        """Replaces the profile (its owner or an admin); private unless ``findable``.

        ``min_pay`` is the least pay wanted; it counts in job suggestions and filters nothing."""
    def seeker_profile(self, account: int) -> SeekerProfile: ...
    def list_findable_seekers(
        self,
        *,
        near: Optional[LocationInput] = None,
        exin: Optional[ExInStatusName] = None,
        language: Optional[str] = None,
        cursor: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> SeekerPage:
        """Findable seekers (staff of verified employers and admins)."""
    def save_search(
        self,
        name: str,
        *,
        near: Optional[LocationInput] = None,
        radius_km: Optional[float] = None,
        text: Optional[str] = None,
        contracts: Optional[Sequence[ContractName]] = None,
        hours: Optional[HoursInput] = None,
        min_pay: Optional[MinPay] = None,
        exin: Optional[ExInStatusName] = None,
        language: Optional[str] = None,
        include_remote: bool = False,
        org: Optional[int] = None,
        published_since: Optional[_Time] = None,
        sort: Optional[JobSortName] = None,
    ) -> SavedSearch:
        """Saves a search; postings published later that match it land in the inbox."""
    def saved_searches(self) -> List[SavedSearch]: ...
    def remove_saved_search(self, id: int) -> None: ...
    def inbox(
        self, *, unread_only: bool = False, cursor: Optional[str] = None, limit: Optional[int] = None
    ) -> NotificationPage:
        """The acting account's notifications, newest first, with the unread count."""
    def mark_notifications_read(self, ids: Sequence[int] = ()) -> int:
        """Marks these notifications (all when none are given) read; returns how many changed."""
    def mark_interest(self, job: int, note: Optional[str] = None) -> Interest: ...
    def interests_for_job(self, job: int) -> List[Interest]: ...
    def my_interests(self) -> List[Interest]: ...
    def advance_interest(self, id: int, status: InterestStatusName) -> Interest:
        """new → contacted → interviewing → hired | declined; hiring can fill the posting."""
    def withdraw_interest(self, id: int) -> Interest: ...

    # suggestions and match runs
    def suggest_jobs(self, account: int, limit: Optional[int] = None) -> List[JobSuggestion]:
        """Published postings that suit the seeker, best first (the seeker and admins); limit 1..200 (20).

        Raises InvalidInputError (field "languages" or "location") for a profile no posting could pass."""
    def suggest_seekers(self, job: int, limit: Optional[int] = None) -> List[SeekerSuggestion]:
        """Findable seekers who suit the posting, best first (its staff and admins)."""
    def suggestion_weights(self) -> SuggestionWeights: ...
    def set_suggestion_weights(
        self,
        *,
        distance: Optional[float] = None,
        hours: Optional[float] = None,
        pay: Optional[float] = None,
        requirement: Optional[float] = None,
        recency: Optional[float] = None,
    ) -> SuggestionWeights:
        """Changes the given weights (admins), each 0..1000; InvalidInputError names ``weights.<name>``."""
    def reset_suggestion_weights(self) -> SuggestionWeights: ...
    def run_assignment(self, cohort: str, input: Mapping[str, Any]) -> MatchRun:
        """Assigns clients to guides ({"guides", "clients", "weights"} or {"scores", "capacities"}) and stores the run.

        Supervisors and admins; pairs declined in the cohort's earlier runs are not allowed."""
    def run_placement_round(self, cohort: str, input: Mapping[str, Any]) -> MatchRun:
        """A stable placement round ({"applicants": {...}, "placements": {...}}), stored."""
    def match_runs(
        self, *, cohort: Optional[str] = None, cursor: Optional[str] = None, limit: Optional[int] = None
    ) -> MatchRunPage:
        """Stored runs, newest first."""
    def iter_match_runs(
        self, *, cohort: Optional[str] = None, page_size: Optional[int] = None
    ) -> PageIterator[MatchRunSummary]: ...
    def match_run(self, id: int) -> MatchRun: ...
    def accept_pair(self, id: int, person: str, reason: Optional[str] = None) -> MatchRun:
        """Confirms the pair proposed for ``person``; decisions are final (ConflictError)."""
    def decline_pair(self, id: int, person: str, reason: Optional[str] = None) -> MatchRun:
        """Turns the pair down; later runs of the cohort leave it out."""

    # geo: the gazetteer
    def import_gazetteer(self, path: _StrPath) -> GazetteerImport:
        """Imports a GeoNames postal-code file (admins and the operator); a country imported again is replaced.

        Bad rows are skipped and listed in ``problems`` as {line, field, reason}.
        """
    def lookup_postcode(self, country: str, postcode: str) -> Place:
        """The place of a postcode; InvalidInputError (field "postcode") when unknown or not loaded."""
    def search_places(self, prefix: str, country: Optional[str] = None, limit: int = 20) -> List[Place]:
        """Places whose name starts with ``prefix``, ignoring case and accents, sorted by name; limit 1..100."""
    def gazetteer_countries(self) -> List[CountryGazetteer]: ...

    # forums: boards are named by id (int) or slug (str)
    def create_board(
        self,
        slug: str,
        title: str,
        language: str,
        *,
        description: str = "",
        position: Optional[int] = None,
        audience: str = "members",
        moderation: ModerationModeName = "open",
    ) -> Board:
        """Creates a board (admins). ``audience``: "public", "members", a perspective such as
        "relative", "perspectives:relative,professional" or "org:ID"."""
    def update_board(
        self,
        board: _BoardRef,
        *,
        title: Optional[str] = None,
        description: Optional[str] = None,
        language: Optional[str] = None,
        position: Optional[int] = None,
        audience: Optional[str] = None,
        moderation: Optional[ModerationModeName] = None,
    ) -> Board: ...
    def archive_board(self, board: _BoardRef, archived: bool = True) -> Board: ...
    def board(self, board: _BoardRef) -> Board: ...
    def boards(self) -> List[BoardOverview]:
        """The boards the actor may read, with sizes, unread threads and whether watched."""
    def create_thread(
        self, board: _BoardRef, title: str, body: str, *, tags: Sequence[str] = (), anonymous: bool = False
    ) -> Posted:
        """Starts a thread (an account); ``held`` says why it waits for a moderator when it does."""
    def board_page(self, board: _BoardRef, *, cursor: Optional[str] = None, limit: Optional[int] = None) -> BoardPage:
        """Pinned threads first, then the most recently active."""
    def iter_threads(self, board: _BoardRef, *, page_size: Optional[int] = None) -> PageIterator[Thread]: ...
    def thread(self, id: int) -> Thread: ...
    def thread_page(self, id: int, *, cursor: Optional[str] = None, limit: Optional[int] = None) -> ThreadPage: ...
    def iter_posts(self, thread: int, *, page_size: Optional[int] = None) -> PageIterator[Post]: ...
    def read_thread(
        self, id: int, *, visitor: Optional[str] = None, cursor: Optional[str] = None, limit: Optional[int] = None
    ) -> ThreadPage:
        """Counts the view and moves the account's read position to the last post shown."""
    def record_thread_view(self, id: int, *, visitor: Optional[str] = None) -> None: ...
    def reply(self, thread: int, body: str, *, reply_to: Optional[int] = None, anonymous: bool = False) -> Posted: ...
    def post(self, id: int) -> Post: ...
    def edit_post(self, id: int, body: str, *, title: Optional[str] = None) -> Posted:
        """Edits within five minutes of a version merge into it."""
    def delete_post(self, id: int) -> Post: ...
    def post_history(self, id: int) -> List[Revision]: ...
    def pin_thread(self, id: int, pinned: bool = True) -> Thread: ...
    def lock_thread(self, id: int, locked: bool = True) -> Thread: ...
    def move_thread(self, id: int, board: _BoardRef) -> Thread: ...
    def moderate_thread(self, id: int, action: ModerationActionName, *, reason: Optional[str] = None) -> Thread: ...
    def moderate_post(self, id: int, action: ModerationActionName, *, reason: Optional[str] = None) -> Post: ...
    def restrict_author(
        self, post: int, restriction: RestrictionName, *, until: Optional[_Time] = None, reason: str
    ) -> None:
        """Restricts the author of a post without learning who it is (moderators, for members)."""
    def moderation_queue(self, *, cursor: Optional[str] = None, limit: Optional[int] = None) -> QueuePage: ...
    # ---- moderation ----
    def report(self, target: str, reason: ReportReasonName, *, detail: Optional[str] = None) -> Report:
        """Reports "thread:ID", "post:ID", "account:ID" or "job:ID" (an account); "other" needs ``detail``."""
    def appeal(self, action: int, statement: str) -> Appeal:
        """Appeals an action that affected the actor, once."""
    def review_queue(
        self, *, state: ItemStateName = "pending", cursor: Optional[str] = None, limit: Optional[int] = None
    ) -> ReviewPage:
        """Crisis first, then by weighted reports, then oldest (moderators)."""
    def review_item(self, id: int) -> ItemDetail: ...
    def claim_item(self, id: int, version: int) -> ReviewItem:
        """Raises ConflictError when the item changed since ``version``."""
    def act_on_item(
        self,
        id: int,
        version: int,
        action: ModActionName,
        reason: str = "",
        *,
        until: Optional[_Time] = None,
        passage: Optional[str] = None,
        note: Optional[str] = None,
    ) -> LogEntry:
        """Acts and closes the item; a stale ``version`` raises ConflictError."""
    def moderation_log(
        self, *, target: Optional[str] = None, cursor: Optional[str] = None, limit: Optional[int] = None
    ) -> LogPage:
        """Everyone may read it; ``moderator`` is filled for moderators and admins only."""
    def appeals(self, *, decided: bool = False, cursor: Optional[str] = None, limit: Optional[int] = None) -> AppealPage: ...
    def decide_appeal(self, appeal: int, outcome: str, reason: str) -> Appeal:
        """"upheld" or "overturned"; not by the moderator who acted."""
    def watched_words(self) -> List[WatchedWord]: ...
    def add_watched_word(self, language: str, pattern: str, action: WordActionName) -> WatchedWord: ...
    def remove_watched_word(self, language: str, pattern: str) -> None: ...
    def test_watched_words(self, text: str, language: str = "de") -> TextCheck: ...
    def check_text(self, text: str, language: str = "de") -> TextCheck: ...
    def crisis_resources(self, *, country: Optional[str] = None, language: str = "de") -> List[CrisisResource]: ...
    def set_crisis_resource(
        self,
        country: str,
        name: str,
        *,
        language: Optional[str] = None,
        detail: str = "",
        contact: Optional[str] = None,
        url: Optional[str] = None,
        verified: bool = True,
    ) -> CrisisResource: ...
    def moderation_settings(self) -> ModerationSettings: ...
    def set_moderation_settings(
        self, *, recommended: bool = False, trust_posts: Optional[int] = None, rate_limits: Optional[bool] = None
    ) -> ModerationSettings: ...
    def mark_thread_read(self, thread: int, *, up_to: Optional[int] = None) -> ThreadUnread: ...
    def mark_board_read(self, board: _BoardRef) -> int: ...
    def unread_threads(self) -> List[ThreadUnread]: ...
    def watch_thread(self, thread: int, on: bool = True) -> None: ...
    def watch_board(self, board: _BoardRef, on: bool = True) -> None: ...
    def watching(self) -> Watching: ...
    def forum_notifications(
        self, *, unread_only: bool = False, cursor: Optional[str] = None, limit: Optional[int] = None
    ) -> NotificationPage: ...
    def forum_stats(self, period: StatsPeriodName = "month", *, board: Optional[_BoardRef] = None) -> List[ReaderStats]:
        """Views and unique readers (None below five) per month or quarter (moderators and admins)."""
    def search_forums(
        self, text: str, *, board: Optional[_BoardRef] = None, cursor: Optional[str] = None, limit: Optional[int] = None
    ) -> ForumSearchPage: ...
    def iter_forum_search(
        self, text: str, *, board: Optional[_BoardRef] = None, page_size: Optional[int] = None
    ) -> PageIterator[ForumHit]: ...

    # Counselling: statistics and administration. Content needs the content key (open(...,
    # content_key=...)); message text never reaches these methods' results.
    def set_counsel_offer(
        self,
        org: int,
        languages: Sequence[str],
        *,
        topics: Sequence[str] = ...,
        regions: Sequence[str] = ...,
        first_response_hours: int = 48,
        business_days: bool = False,
    ) -> Dict[str, Any]:
        """Declares what a partner organisation offers (its supervisors, admins)."""
    def counsel_offers(self) -> List[Dict[str, Any]]: ...
    def set_counsellor_profile(
        self,
        account: int,
        *,
        capacity: int = 10,
        in_training: bool = False,
        lived_experience: bool = False,
        gender: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Capacity, training status ("in training" replies wait for a supervisor), gender."""
    def set_counsel_absence(
        self,
        account: int,
        *,
        until: Optional[datetime.datetime] = None,
        substitute: Optional[int] = None,
        start: Optional[datetime.datetime] = None,
    ) -> Dict[str, Any]:
        """Sets an absence with a substitute, or ends it (neither until nor substitute)."""
    def counsel_topics(self) -> List[str]: ...
    def set_counsel_topics(self, topics: Sequence[str]) -> List[str]: ...
    def enquire(
        self,
        topic: str,
        language: str,
        text: str,
        *,
        postcode: Optional[str] = None,
        prefer_lived_experience: bool = False,
        prefer_gender: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Opens an enquiry: {case_code, secret, priority, resources}; the secret is shown once."""
    def counsel_queue(self, org: int, *, cursor: Optional[str] = None, limit: Optional[int] = None) -> Dict[str, Any]:
        """An organisation's team queue: {items, next_cursor}, urgent first, then oldest."""
    def enquiry(self, id: int) -> Dict[str, Any]:
        """A case's metadata, without content."""
    def assign_enquiry(self, id: int, counsellor: Optional[int] = None) -> Dict[str, Any]:
        """Assigns to ``counsellor``, or to the least busy free one when None."""
    def overdue_enquiries(self, org: Optional[int] = None) -> List[Dict[str, Any]]: ...
    def escalate_overdue(self) -> Dict[str, Any]:
        """The SLA sweep: {breached, overflowed} (admins)."""
    def counsel_stats(self, month: str) -> Dict[str, Any]:
        """A month ("2026-03"): enquiries by topic, org and language, response times, breaches;
        counts below 5 are None."""
    def counsel_retention_days(self) -> int: ...
    def set_counsel_retention_days(self, days: int) -> int: ...
    def purge_enquiries(self, *, dry_run: bool = False) -> Dict[str, Any]:
        """Purges cases closed longer ago than the retention period: {dry_run, purged, retention_days}."""

def generate_content_key() -> bytes:
    """A new random platform content key (32 bytes) for counselling."""

def post_html(body: str) -> str:
    """A post body's light markup as safe HTML: ``p``, ``br``, ``blockquote`` and ``a`` only."""

def distance_km(a: Tuple[float, float], b: Tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) pairs in degrees."""

def _trigger_panic_for_tests(platform: Optional[Platform] = None) -> None:
    """Only in builds with the ``fault-injection`` feature.

    Without a platform, raises InternalError from a panic at once; with one, makes its next
    operation panic inside the core (raising InternalError).
    """

# ---- matching (module-level; no platform or database needed) ---------------------------------

def assign_scores(scores: Sequence[Sequence[Optional[float]]], capacities: Sequence[int]) -> Assignment:
    """Assigns clients (rows) to guides (columns) by score; None marks a pair that is not allowed.

    As many clients as possible are matched, then the total score is maximised, within every
    guide's capacity (``capacities[g]`` clients for guide ``g``). Exact and deterministic;
    scores are compared to 10**-6. Rows may be lists, tuples or numpy arrays::

        result = trialog.assign_scores([[9, 1], [8, None]], [1, 1])
        result["pairs"]        # [{"client": 0, "guide": 1, "score": 1.0}, {"client": 1, "guide": 0, "score": 8.0}]
        result["total_score"]  # 9.0

    Raises InvalidInputError naming the place: ``scores[1]`` for a row of the wrong length,
    ``scores[0][2]`` for NaN, infinity or a value that is not a number, ``capacities[3]`` for a
    negative or non-integer capacity.
    """

def assign_guides(input: Mapping[str, Any]) -> GuideAssignment:
    """Assigns clients to peer-guides from their attributes, explaining every pair.

    ``input`` is a dict ``{"guides": [...], "clients": [...], "weights": {...}}`` (weights
    optional), the form of examples/matching/assign-guides.json: pass ``json.load(file)``.
    Guides: ``id``, ``capacity``, ``languages`` and optionally ``gender``, ``location``
    (``{"latitude", "longitude"}``), ``max_travel_km``, ``topics``, ``availability``. Clients:
    ``id``, ``languages`` and optionally ``gender_preference`` (``{"gender", "hard"}``),
    ``location``, ``topics``, ``availability``. Errors name the place (``clients[0].languages``).
    """

def stable_match(
    applicants: Mapping[str, Sequence[str]], placements: Mapping[str, Mapping[str, Any]]
) -> StableMatching:
    """Runs a placement round: the trainee-optimal stable matching (deferred acceptance).

    ``applicants`` maps an applicant id to the placement ids it would take, best first;
    ``placements`` maps a placement id to ``{"capacity": n, "ranking": [applicant ids]}``, best
    first. A placement takes only applicants it ranks. No applicant and placement would both
    rather have each other, and every applicant gets its best placement among all stable
    matchings. Errors name the place (``placements.clinic.ranking``, ``applicants.ana``).
    """
