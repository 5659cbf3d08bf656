"""Typed stubs of the Rust extension ``trialog._trialog`` (re-exported by ``trialog``)."""

import datetime
import os
from typing import Any, Iterator, Mapping, Optional, Sequence, TypeVar, Union, final

from .records import (
    Account,
    AccountPage,
    Assignment,
    AuditEntry,
    AuditPage,
    DurabilityName,
    GuideAssignment,
    IntegrityReport,
    Organisation,
    OrganisationPage,
    StableMatching,
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
        path: _StrPath, *, cache_bytes: Optional[int] = None, durability: DurabilityName = "immediate", create: bool = True
    ) -> "Platform":
        """Opens (or creates) a database file, acting as the operator.

        With create=False a missing file raises NotFoundError instead of starting an empty platform.

        Raises DatabaseInUseError when the file is already open (in this process or another).
        """
    @staticmethod
    def in_memory() -> "Platform":
        """A platform in memory only, acting as the operator."""
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
        languages: Sequence[str] = (),
        home_region: Optional[str] = None,
        email: Optional[str] = None,
    ) -> Account:
        """Creates an account with the member role; ``perspective`` is a PerspectiveName."""
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
