"""The shapes of the plain dicts trialog returns, for type checkers and editors.

Every record is an ordinary ``dict``; these ``TypedDict`` classes only describe its keys::

    from trialog.records import Account

    def label(account: Account) -> str:
        return f"{account['pseudonym']} ({account['perspective']})"

Timestamps are timezone-aware ``datetime.datetime`` values in UTC.
"""

import datetime
from typing import List, Literal, Optional, TypedDict

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
    """An account; ``email`` is None unless the viewer is the account itself, an admin or the operator."""

    id: int
    pseudonym: str
    perspective: PerspectiveName
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


class IntegrityReport(TypedDict):
    schema_version: int
    organisations: int
    accounts: int
    audit_entries: int
    file_intact: Optional[bool]
    problems: List[str]


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
    criterion: Literal["language", "gender", "distance", "topics", "availability"]
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
    "DurabilityName",
    "GuideAssignment",
    "GuidePair",
    "IntegrityReport",
    "OrgKindName",
    "Organisation",
    "OrganisationPage",
    "PerspectiveName",
    "RestrictionName",
    "Role",
    "RoleName",
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
