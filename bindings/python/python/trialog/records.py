"""The shapes of the plain dicts trialog returns, for type checkers and editors.

Every record is an ordinary ``dict``; these ``TypedDict`` classes only describe its keys::

    from trialog.records import Account

    def label(account: Account) -> str:
        return f"{account['pseudonym']} ({account['perspective']})"

Timestamps are timezone-aware ``datetime.datetime`` values in UTC; calendar dates (keys
ending in ``_on``) are ``datetime.date``.
"""

import datetime
from typing import Any, Dict, List, Literal, Optional, Tuple, TypedDict, Union

PerspectiveName = Literal["lived_experience", "relative", "professional", "undisclosed"]
OrgKindName = Literal[
    "clinic", "municipality", "association", "self_help_contact_point", "training_provider", "employer"
]
RoleName = Literal["member", "employer_staff", "counsellor", "supervisor", "moderator", "admin"]
StatusName = Literal["active", "silenced", "suspended", "banned"]
RestrictionName = Literal["silence", "suspend", "ban", "reinstate"]
DurabilityName = Literal["immediate", "eventual"]


class _RoleBase(TypedDict):
    role: RoleName


class Role(_RoleBase, total=False):
    """``{"role": "member"}``, or for a role bound to an organisation ``{"role": "counsellor", "org": 3}``."""

    org: int


class _StatusBase(TypedDict):
    state: StatusName


class Status(_StatusBase, total=False):
    """``{"state": "active"}``; silenced and suspended states also carry ``until``."""

    until: datetime.datetime


class _ActorBase(TypedDict):
    kind: Literal["operator", "account", "anonymous"]


class ActorRecord(_ActorBase, total=False):
    """Who did something: ``{"kind": "operator"}`` or ``{"kind": "account", "id": 7}``."""

    id: int


class Organisation(TypedDict):
    id: int
    name: str
    kind: OrgKindName
    region: str
    city: Optional[str]
    website: Optional[str]
    verified: bool
    verified_at: Optional[datetime.datetime]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class Account(TypedDict):
    """An account; ``email`` is None unless the viewer is the account itself, an admin or the operator;
    ``perspective`` is "undisclosed" to viewers ``perspective_visibility`` does not include."""

    id: int
    pseudonym: str
    perspective: PerspectiveName
    perspective_visibility: Literal["public", "members", "nobody"]
    roles: List[Role]
    languages: List[str]
    home_region: Optional[str]
    email: Optional[str]
    status: Status
    created_at: datetime.datetime
    updated_at: datetime.datetime


class AuditEntry(TypedDict):
    id: int
    at: datetime.datetime
    actor: ActorRecord
    action: str
    target: str
    reason: Optional[str]


class AccountPage(TypedDict):
    items: List[Account]
    next_cursor: Optional[str]


class OrganisationPage(TypedDict):
    items: List[Organisation]
    next_cursor: Optional[str]


class AuditPage(TypedDict):
    items: List[AuditEntry]
    next_cursor: Optional[str]


class CompactReport(TypedDict):
    passes: int
    bytes_before: Optional[int]
    bytes_after: Optional[int]


class IntegrityReport(TypedDict):
    schema_version: int
    organisations: int
    accounts: int
    audit_entries: int
    forum_posts: int
    file_intact: Optional[bool]
    problems: List[str]


# ---- job board ----------------------------------------------------------------------------

ContractName = Literal["permanent", "fixed_term", "mini_job", "freelance", "placement", "volunteer"]
PayUnitName = Literal["hour", "month", "year"]
ExInRequirementName = Literal["none", "training_accepted", "certificate_required"]
ExInStatusName = Literal["none", "in_training", "certified"]
JobStateName = Literal["draft", "published", "filled", "withdrawn", "expired"]
JobSortName = Literal["relevance", "newest", "distance", "pay"]
InterestStatusName = Literal["new", "contacted", "interviewing", "hired", "declined", "withdrawn"]


class Coordinates(TypedDict):
    latitude: float
    longitude: float


class _CoordinatesInputBase(TypedDict):
    type: Literal["coordinates"]
    latitude: float
    longitude: float


class CoordinatesInput(_CoordinatesInputBase, total=False):
    place: Optional[str]


class PostcodeInput(TypedDict):
    type: Literal["postcode"]
    country: str
    postcode: str


class RemoteInput(TypedDict):
    type: Literal["remote"]


LocationInput = Union[CoordinatesInput, PostcodeInput, RemoteInput, Tuple[float, float]]
"""Where a job is (or a search is centred): a dict, or ``(latitude, longitude)``."""


class OnSite(TypedDict):
    type: Literal["on_site"]
    coordinates: Coordinates
    place: Optional[str]
    postcode: Optional[str]
    country: Optional[str]


Location = Union[OnSite, RemoteInput]


class Hours(TypedDict):
    min: int
    max: int


HoursInput = Union[Hours, Tuple[int, int]]
"""Weekly hours: ``{"min": 20, "max": 30}`` or ``(20, 30)``."""


class _PayBase(TypedDict):
    min: float
    unit: PayUnitName
    currency: str


class Pay(_PayBase, total=False):
    """``{"min": 3100, "max": 3600, "unit": "month", "currency": "EUR", "agreement": "TV-L", "group": "E 7"}``."""

    max: Optional[float]
    agreement: Optional[str]
    group: Optional[str]


class MinPay(TypedDict):
    amount: float
    unit: PayUnitName
    currency: str


class Job(TypedDict):
    id: int
    org: int
    title: str
    description: str
    location: Location
    contract: ContractName
    hours: Hours
    pay: Optional[Pay]
    requirement: ExInRequirementName
    languages: List[str]
    starts_on: Optional[datetime.date]
    expires_on: Optional[datetime.date]
    openings: int
    contact: Optional[str]
    state: JobStateName
    created_at: datetime.datetime
    updated_at: datetime.datetime
    published_at: Optional[datetime.datetime]


class JobHit(Job):
    """A search hit: the posting's fields, flat, plus where it is and how well it matched."""

    distance_km: Optional[float]
    coordinates: Optional[Coordinates]
    score: Optional[float]


class JobSearchPage(TypedDict):
    items: List[JobHit]
    next_cursor: Optional[str]


class MonthlyViews(TypedDict):
    month: str
    """``YYYY-MM``."""
    views: int


class RowProblem(TypedDict):
    line: int
    field: str
    reason: str


class JobImport(TypedDict):
    created: List[int]
    valid_rows: int
    published: int
    problems: List[RowProblem]
    dry_run: bool


class JobQuery(TypedDict, total=False):
    """A saved search's criteria, as stored (the keywords of ``search_jobs``)."""

    near: Optional[Union[CoordinatesInput, PostcodeInput]]
    radius_km: Optional[float]
    text: Optional[str]
    contracts: List[ContractName]
    hours: Optional[Hours]
    min_pay: Optional[MinPay]
    exin: Optional[ExInStatusName]
    language: Optional[str]
    include_remote: bool
    org: Optional[int]
    published_since: Optional[datetime.datetime]
    include_unpublished: bool
    sort: Optional[JobSortName]


class SavedSearch(TypedDict):
    id: int
    owner: int
    name: str
    query: JobQuery
    created_at: datetime.datetime


class SeekerProfile(TypedDict):
    account: int
    pseudonym: str
    location: Optional[Location]
    max_distance_km: Optional[int]
    hours: Optional[Hours]
    contracts: List[ContractName]
    exin: ExInStatusName
    languages: List[str]
    open_to_remote: bool
    findable: bool
    updated_at: datetime.datetime
    min_pay: Optional[MinPay]


class SeekerPage(TypedDict):
    items: List[SeekerProfile]
    next_cursor: Optional[str]


class JobAlert(TypedDict):
    type: Literal["job_alert"]
    search: int
    search_name: str
    job: int
    title: str


class InterestUpdated(TypedDict):
    type: Literal["interest_updated"]
    interest: int
    job: int
    title: str
    status: InterestStatusName


class ForumReply(TypedDict):
    """A new reply in a watched thread (``author`` is "anonymous" for an anonymous reply)."""

    type: Literal["forum_reply"]
    board: int
    thread: int
    post: int
    thread_title: str
    author: str


class ForumThread(TypedDict):
    """A new thread in a watched board."""

    type: Literal["forum_thread"]
    board: int
    board_title: str
    thread: int
    title: str
    author: str


class ForumReplyToYou(TypedDict):
    """A reply to (quoting) one of the account's posts."""

    type: Literal["forum_reply_to_you"]
    thread: int
    post: int
    your_post: int
    thread_title: str
    author: str


class Moderated(TypedDict):
    """A moderator acted on the account's content or the account; ``appeal`` says how to appeal."""

    type: Literal["moderated"]
    action: int
    target: str
    kind: str
    reason: str
    until: Optional[datetime.datetime]
    appeal: str


class AppealDecided(TypedDict):
    """An appeal of the account was decided: ``outcome`` is "upheld" or "overturned"."""

    type: Literal["appeal_decided"]
    appeal: int
    action: int
    outcome: str
    reason: str


class OrganisationUnverified(TypedDict):
    """The account's organisation lost its verification; an admin verifies it again."""

    type: Literal["organisation_unverified"]
    org: int
    name: str
    reason: str


class Notification(TypedDict):
    id: int
    account: int
    at: datetime.datetime
    event: Union[
        JobAlert, InterestUpdated, ForumReply, ForumThread, ForumReplyToYou, Moderated, AppealDecided, OrganisationUnverified
    ]
    read: bool


class NotificationPage(TypedDict):
    items: List[Notification]
    next_cursor: Optional[str]
    unread: int
    """Unread notifications in the whole inbox."""


class Interest(TypedDict):
    id: int
    job: int
    seeker: int
    pseudonym: str
    note: Optional[str]
    status: InterestStatusName
    created_at: datetime.datetime
    updated_at: datetime.datetime

# ---- matching results ------------------------------------------------------------------------

UnmatchedReasonName = Literal["no_eligible_guide", "eligible_guides_full"]
"""Why a client has no guide: none is allowed at all, or every allowed one is needed elsewhere."""


class AssignedPair(TypedDict):
    """A client (row index) and its guide (column index), with the pair's score."""

    client: int
    guide: int
    score: float


class UnmatchedClient(TypedDict):
    client: int
    reason: UnmatchedReasonName


class Assignment(TypedDict):
    """The result of ``assign_scores``; ``pd.DataFrame(result["pairs"])`` gives one row per pair."""

    pairs: List[AssignedPair]
    total_score: float
    unmatched: List[UnmatchedClient]


class ScorePart(TypedDict):
    """One criterion's share of a score, with the reason a person reads: for a peer-guide pair
    ``language``, ``gender``, ``distance``, ``topics`` or ``availability``; for a job suggestion
    ``distance``, ``hours``, ``pay``, ``requirement`` or ``recency``."""

    criterion: str
    points: float
    reason: str


class GuidePair(TypedDict):
    """A client and its guide by id; ``breakdown`` explains the score, one entry per criterion."""

    client: str
    guide: str
    score: float
    breakdown: List[ScorePart]


class UnmatchedGuideClient(TypedDict):
    client: str
    reason: UnmatchedReasonName


class GuideAssignment(TypedDict):
    """The result of ``assign_guides``."""

    pairs: List[GuidePair]
    total_score: float
    unmatched: List[UnmatchedGuideClient]


class StablePair(TypedDict):
    applicant: str
    placement: str


class UnfilledPlacement(TypedDict):
    placement: str
    free: int


class StableMatching(TypedDict):
    """The result of ``stable_match``: pairs and unmatched applicants in input order."""

    pairs: List[StablePair]
    unmatched_applicants: List[str]
    unfilled: List[UnfilledPlacement]


__all__ = [
    "Account",
    "AccountPage",
    "ActorRecord",
    "AssignedPair",
    "Assignment",
    "AuditEntry",
    "AuditPage",
    "ContractName",
    "Coordinates",
    "CoordinatesInput",
    "DurabilityName",
    "ExInRequirementName",
    "ExInStatusName",
    "Hours",
    "HoursInput",
    "GuideAssignment",
    "GuidePair",
    "CompactReport",
    "IntegrityReport",
    "Interest",
    "InterestStatusName",
    "InterestUpdated",
    "Job",
    "JobAlert",
    "JobHit",
    "JobImport",
    "JobQuery",
    "JobSearchPage",
    "JobSortName",
    "JobStateName",
    "Location",
    "LocationInput",
    "MinPay",
    "MonthlyViews",
    "Notification",
    "NotificationPage",
    "OnSite",
    "OrgKindName",
    "Organisation",
    "OrganisationPage",
    "OrganisationUnverified",
    "Pay",
    "PayUnitName",
    "PerspectiveName",
    "PostcodeInput",
    "RemoteInput",
    "RestrictionName",
    "Role",
    "RoleName",
    "RowProblem",
    "SavedSearch",
    "SeekerPage",
    "SeekerProfile",
    "ScorePart",
    "StableMatching",
    "StablePair",
    "Status",
    "StatusName",
    "UnfilledPlacement",
    "UnmatchedClient",
    "UnmatchedGuideClient",
    "UnmatchedReasonName",
]


class Place(TypedDict):
    country: str
    postcode: str
    names: List[str]
    coordinates: Coordinates
    region: Optional[str]
    region_code: Optional[str]
    district: Optional[str]
    rows: int


class GazetteerImport(TypedDict):
    countries: List[str]
    rows: int
    postcodes: int
    problems: List[RowProblem]


class CountryGazetteer(TypedDict):
    country: str
    postcodes: int
    imported_at: datetime.datetime


# ---- suggestions and match runs -----------------------------------------------------------

RunKindName = Literal["guides", "scores", "placements"]
PairDecisionName = Literal["proposed", "accepted", "declined"]


class JobSuggestion(Job):
    """A posting suggested to a seeker: its fields, flat, plus the score and why."""

    score: float
    distance_km: Optional[float]
    breakdown: List[ScorePart]


class SeekerSuggestion(SeekerProfile):
    """A findable seeker suggested for a posting: the profile's fields, flat, plus the score and why."""

    score: float
    distance_km: Optional[float]
    breakdown: List[ScorePart]


class SuggestionWeights(TypedDict):
    """The most points each criterion gives; defaults 30, 20, 20, 15, 15."""

    distance: float
    hours: float
    pay: float
    requirement: float
    recency: float


class ProposedPair(TypedDict):
    """A pair a run proposed: ``person`` (client or trainee; a row for a matrix) and ``partner``."""

    person: str
    partner: str
    score: Optional[float]
    decision: PairDecisionName
    decided_by: Optional[ActorRecord]
    decided_at: Optional[datetime.datetime]
    reason: Optional[str]


class ExcludedPair(TypedDict):
    """A pair a run was not allowed to propose: declined in run ``declined_in`` of the cohort."""

    person: str
    partner: str
    declined_in: int


class MatchRun(TypedDict):
    """A stored run. ``input`` and ``result`` are ``{"kind": ..., ...}`` dicts of the solver's forms."""

    id: int
    cohort: str
    kind: RunKindName
    input: Dict[str, Any]
    weights: Optional[Dict[str, float]]
    excluded: List[ExcludedPair]
    result: Dict[str, Any]
    pairs: List[ProposedPair]
    run_by: ActorRecord
    run_at: datetime.datetime


class MatchRunSummary(TypedDict):
    id: int
    cohort: str
    kind: RunKindName
    run_by: ActorRecord
    run_at: datetime.datetime
    pairs: int
    accepted: int
    declined: int
    unmatched: int


class MatchRunPage(TypedDict):
    items: List[MatchRunSummary]
# ---- forums -------------------------------------------------------------------------------

ContentStateName = Literal["visible", "pending", "hidden", "removed"]
ModerationModeName = Literal["open", "pre_moderated"]
ModerationActionName = Literal["approve", "hide", "restore", "remove"]
StatsPeriodName = Literal["month", "quarter"]


class _AudienceBase(TypedDict):
    kind: Literal["public", "members", "perspectives", "organisation"]


class Audience(_AudienceBase, total=False):
    """``{"kind": "public"}``, ``{"kind": "perspectives", "perspectives": ["relative"]}`` or
    ``{"kind": "organisation", "org": 3}``. As an argument it is written as a string:
    ``"public"``, ``"members"``, ``"relative"``, ``"perspectives:relative,professional"``, ``"org:3"``."""

    perspectives: List[PerspectiveName]
    org: int


class Board(TypedDict):
    id: int
    slug: str
    title: str
    description: str
    language: str
    position: int
    audience: Audience
    moderation: ModerationModeName
    archived: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BoardOverview(TypedDict):
    board: Board
    threads: int
    posts: int
    unread_threads: Optional[int]
    watching: bool


class Author(TypedDict):
    """``account`` is None and ``name`` "anonymous" for anonymous posts, except to admins and the author."""

    account: Optional[int]
    name: str
    anonymous: bool
    yours: bool


class Thread(TypedDict):
    id: int
    board: int
    title: str
    first_post: int
    author: Author
    tags: List[str]
    pinned: bool
    locked: bool
    state: ContentStateName
    created_at: datetime.datetime
    last_activity: datetime.datetime
    reply_count: int
    last_seq: int
    excerpt: str
    views: int
    unread: Optional[int]


class Post(TypedDict):
    id: int
    thread: int
    board: int
    seq: int
    author: Author
    body: str
    excerpt: str
    reply_to: Optional[int]
    state: ContentStateName
    deleted: bool
    created_at: datetime.datetime
    edited_at: Optional[datetime.datetime]
    revisions: int


class Signpost(TypedDict):
    title: str
    detail: str
    contact: Optional[str]
    url: Optional[str]


class Posted(TypedDict):
    thread: Thread
    post: Post
    held: Optional[str]
    signposts: List[Signpost]


class Revision(TypedDict):
    number: int
    body: str
    saved_at: datetime.datetime


class BoardPage(TypedDict):
    board: Board
    threads: List[Thread]
    next_cursor: Optional[str]


class ThreadPage(TypedDict):
    thread: Thread
    posts: List[Post]
    next_cursor: Optional[str]


class QueueItem(TypedDict):
    post: Post
    thread_title: str
    new_thread: bool
    reason: str


class QueuePage(TypedDict):
    items: List[QueueItem]
    next_cursor: Optional[str]


class ThreadUnread(TypedDict):
    thread: int
    board: int
    unread: int
    last_activity: datetime.datetime


class Watching(TypedDict):
    boards: List[int]
    threads: List[int]


class ReaderStats(TypedDict):
    """``board`` is None for all boards together; ``readers`` is None below five."""

    board: Optional[int]
    period: str
    views: int
    readers: Optional[int]


class Fragment(TypedDict):
    text: str
    matched: bool


class ForumHit(TypedDict):
    post: int
    thread: int
    board: int
    first_post: bool
    thread_title: str
    title: List[Fragment]
    snippet: List[Fragment]
    author: Author
    created_at: datetime.datetime
    score: float


class ForumSearchPage(TypedDict):
    items: List[ForumHit]
    next_cursor: Optional[str]


# ---- moderation ------------------------------------------------------------------------

ReportReasonName = Literal[
    "crisis", "harassment", "spam", "personal_data", "misinformation", "off_topic", "other"
]
ItemStateName = Literal["pending", "actioned", "dismissed", "ignored"]
ModActionName = Literal[
    "approve", "hide", "remove", "restore", "edit_out", "lock", "unlock", "warn",
    "silence", "suspend", "ban", "dismiss", "ignore",
]
WordActionName = Literal["flag", "require_approval", "block", "crisis"]


class ModerationTarget(TypedDict):
    """What a report or action is about: {"kind": "post", "id": 12}."""

    kind: Literal["thread", "post", "account", "job"]
    id: int


class Report(TypedDict):
    id: int
    item: int
    reporter: Optional[int]
    reason: ReportReasonName
    detail: Optional[str]
    at: datetime.datetime


class WordMatch(TypedDict):
    language: str
    pattern: str
    action: WordActionName
    matched: str
    start: int
    end: int
    why: str


class TextCheck(TypedDict):
    matches: List[WordMatch]


class AutoFlag(TypedDict):
    at: datetime.datetime
    reason: str
    crisis: bool
    matches: List[WordMatch]


class ReviewItem(TypedDict):
    id: int
    target: ModerationTarget
    state: ItemStateName
    priority: int
    crisis: bool
    reports: int
    reporters: int
    reasons: List[ReportReasonName]
    flags: List[AutoFlag]
    summary: str
    board: Optional[int]
    claimed_by: Optional[int]
    version: int
    """Pass it back to claim or act: a stale one raises ConflictError."""
    created_at: datetime.datetime
    updated_at: datetime.datetime
    last_action: Optional[int]


class ReviewPage(TypedDict):
    items: List[ReviewItem]
    next_cursor: Optional[str]


class LogEntry(TypedDict):
    id: int
    item: Optional[int]
    target: ModerationTarget
    action: str
    reason: str
    moderator: Optional[int]
    """Shown to moderators and admins only."""
    at: datetime.datetime
    expires: Optional[datetime.datetime]
    appeal: Optional[int]


class LogPage(TypedDict):
    items: List[LogEntry]
    next_cursor: Optional[str]


class ItemDetail(TypedDict):
    item: ReviewItem
    reports: List[Report]
    history: List[LogEntry]


class Appeal(TypedDict):
    id: int
    action: int
    target: ModerationTarget
    action_kind: str
    appellant: int
    statement: str
    at: datetime.datetime
    outcome: Optional[Literal["upheld", "overturned"]]
    decided_by: Optional[int]
    decided_at: Optional[datetime.datetime]
    decision_reason: Optional[str]


class AppealPage(TypedDict):
    items: List[Appeal]
    next_cursor: Optional[str]


class WatchedWord(TypedDict):
    language: str
    pattern: str
    action: WordActionName


class CrisisResource(TypedDict):
    country: str
    language: Optional[str]
    name: str
    detail: str
    contact: Optional[str]
    url: Optional[str]
    verified: bool
    """Unverified entries are placeholders for the operator and are never shown to writers."""


class ModerationSettings(TypedDict):
    trust_posts: int
    rate_limits: bool
    first_day_threads: int
    first_day_replies: int
    hourly_threads: int
    hourly_replies: int
    hourly_reports: int
    min_seconds_between_posts: int
