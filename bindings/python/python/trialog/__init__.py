"""trialog: platforms for mental-health peer support, from Python.

A :class:`Platform` is one database file (or memory) and the actor its operations act as.
``Platform.open(path)`` and ``Platform.in_memory()`` act as the operator (whoever holds the file
has all rights); ``acting_as``, ``as_account``, ``anonymous`` and ``sign_in`` give handles for
other actors on the same platform. Results are plain dicts and lists, with timestamps as
timezone-aware :class:`datetime.datetime` in UTC, so they go straight into pandas::

    import pandas as pd
    import trialog

    p = trialog.Platform.in_memory()
    p.create_account("Kim_aus_Jena", perspective="lived_experience", languages=["de"])
    df = pd.DataFrame(list(p.iter_accounts()))

Every failure raises a subclass of :class:`TrialogError` carrying ``kind`` and the error's
fields as attributes (``InvalidInputError.field``, ``RateLimitedError.retry_after_secs``, ...).
Every operation releases the GIL, so one platform can serve many threads. The shapes of the
returned dicts are described, for type checkers, by the ``TypedDict`` classes in
:mod:`trialog.records`.

The matching solvers need no platform: :func:`assign_scores` (a score matrix: a numpy array
or DataFrame read in place with NaN, or nested lists with None, for pairs that are not
allowed), :func:`assign_guides` (peer-guides from attributes, with a score
breakdown per pair) and :func:`stable_match` (a placement round). They take and return plain
dicts and lists too: ``pd.DataFrame(trialog.assign_scores(scores, capacities)["pairs"])``.
"""

from . import records

from ._trialog import (
    AccountErasedError,
    ConflictError,
    DatabaseInUseError,
    InternalError,
    InvalidInputError,
    NotFoundError,
    PageIterator,
    PermissionDeniedError,
    Platform,
    RateLimitedError,
    Replica,
    StorageError,
    TrialogError,
    __version__,
    distance_km,
    assign_guides,
    assign_scores,
    stable_match,
    generate_content_key,
    post_html,
)

__all__ = [
    "Platform",
    "Replica",
    "PageIterator",
    "TrialogError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "ConflictError",
    "AccountErasedError",
    "RateLimitedError",
    "DatabaseInUseError",
    "StorageError",
    "InternalError",
    "records",
    "distance_km",
    "assign_scores",
    "assign_guides",
    "stable_match",
    "generate_content_key",
    "post_html",
    "__version__",
]
