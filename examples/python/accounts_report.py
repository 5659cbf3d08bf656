"""Accounts by perspective: the kind of report a partner organisation's analyst writes.

Builds a small platform in a temporary file (in real use: ``trialog.Platform.open("platform.redb")``
on a copy of the file), then summarises the accounts by perspective and home region. Uses pandas
when it is installed, plain Python otherwise.

    python examples/python/accounts_report.py
"""

import collections
import datetime as dt
import pathlib
import tempfile
from typing import List, Optional, Tuple

import trialog
from trialog.records import Perspective

PEOPLE: List[Tuple[str, Perspective, List[str], Optional[str]]] = [
    # pseudonym, perspective, languages, home region
    ("Kim_aus_Jena", "lived_experience", ["de"], "DE-TH"),
    ("Sonne", "lived_experience", ["de", "en"], "DE-BE"),
    ("Mor til Emil", "relative", ["da"], "DK-84"),
    ("Papa Bär", "relative", ["de"], "DE-TH"),
    ("Dr Ines", "professional", ["de", "en"], "DE-TH"),
    ("Lars.K", "professional", ["da", "en"], "DK-82"),
    ("Nachtfalter", "undisclosed", ["de"], None),
]


def build(platform: trialog.Platform) -> None:
    """A clinic, a self-help contact point, and a few people with roles and one restriction."""
    clinic = platform.create_organisation("Soteria Jena", "clinic", "DE-TH", city="Jena")
    platform.create_organisation("Selvhjælp København", "self_help_contact_point", "DK-84", city="København")
    platform.verify_organisation(clinic["id"], reason="listed in the hospital register")
    for pseudonym, perspective, languages, region in PEOPLE:
        platform.create_account(pseudonym, perspective=perspective, languages=languages, home_region=region)
    ines = platform.account_by_pseudonym("Dr Ines")
    platform.grant_role(ines["id"], "counsellor", org=clinic["id"], reason="EX-IN trainer")
    falter = platform.account_by_pseudonym("Nachtfalter")
    until = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=7)
    platform.restrict_account(falter["id"], "silence", until=until, reason="cool-down after a heated thread")


def report(platform: trialog.Platform) -> None:
    accounts = list(platform.iter_accounts())
    try:
        import pandas as pd
    except ImportError:
        pd = None  # type: ignore[assignment]

    if pd is not None:
        df = pd.DataFrame(accounts)
        df["country"] = df["home_region"].str[:2].fillna("?")
        df["status"] = df["status"].map(lambda status: status["state"])
        print(pd.crosstab(df["perspective"], df["country"], margins=True, margins_name="all"))
        print()
        print(f"newest account: {df['created_at'].max():%Y-%m-%d %H:%M} UTC")
        print(f"not active: {', '.join(df.loc[df['status'] != 'active', 'pseudonym'])}")
    else:
        counts = collections.Counter(a["perspective"] for a in accounts)
        for perspective, n in counts.most_common():
            print(f"{perspective:<18} {n}")
        print(f"newest account: {max(a['created_at'] for a in accounts):%Y-%m-%d %H:%M} UTC")

    counsellors = [a["pseudonym"] for a in platform.iter_accounts(role="counsellor")]
    print(f"counsellors: {', '.join(counsellors)}")
    print(f"audit entries: {sum(1 for _ in platform.iter_audit())}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        platform = trialog.Platform.open(pathlib.Path(tmp) / "platform.redb", cache_bytes=16 << 20)
        build(platform)
        report(platform)
        assert platform.integrity()["problems"] == []


if __name__ == "__main__":
    main()
