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


__all__ = [
    "Account",
    "AccountPage",
    "ActorRecord",
    "AuditEntry",
    "AuditPage",
    "DurabilityName",
    "IntegrityReport",
    "OrgKindName",
    "Organisation",
    "OrganisationPage",
    "PerspectiveName",
    "RestrictionName",
    "Role",
    "RoleName",
    "Status",
    "StatusName",
]


class RowProblem(TypedDict):
    line: int
    field: str
    reason: str


class Coordinates(TypedDict):
    latitude: float
    longitude: float


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
