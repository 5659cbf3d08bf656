"""Reports for funders from Python: each report is a list of records for pandas, one row per
period and figure, withheld cells None with a flag; only those who may see them read them."""

import datetime

import pytest

import trialog

pd = pytest.importorskip("pandas")

JENA = {"type": "coordinates", "latitude": 50.93, "longitude": 11.59, "place": "Jena"}


def org_with_views(p, name, views):
    """A verified organisation with one published posting viewed `views` times."""
    org = p.create_organisation(name, "association", "DE-TH")
    p.verify_organisation(org["id"], True, "checked")
    draft = p.create_job(
        org["id"], "Genesungsbegleitung", "Wir suchen Menschen mit Erfahrung.", location=JENA,
        contract="permanent", hours={"min": 20, "max": 30},
        pay={"min": 3100, "max": 3600, "unit": "month", "currency": "EUR"}, languages=["de"],
    )
    job = p.publish_job(draft["id"])
    anonymous = p.anonymous()
    for _ in range(views):
        anonymous.record_job_view(job["id"])
    return org["id"]


def this_month_and_quarter():
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m"), f"{now.year}-Q{(now.month + 2) // 3}"


def test_a_quarter_report_is_one_row_per_period_and_figure_for_pandas(platform):
    big = org_with_views(platform, "Selbsthilfe Jena", 30)
    small = org_with_views(platform, "Selbsthilfe Gera", 2)
    month, quarter = this_month_and_quarter()
    df = pd.DataFrame(platform.platform_report(quarter))
    assert list(df.columns) == ["period", "span", "figure", "org", "category", "value", "withheld"]
    assert set(df["span"]) <= {"month", "quarter"} and quarter in set(df["period"])
    assert not df.duplicated(["period", "figure", "category"]).any(), "one row per period, figure and category"
    assert (df["withheld"] == df["value"].isna()).all()
    views = df[(df["figure"] == "job_views") & df["category"].isna()].set_index("period")["value"]
    assert views[month] == 32 and views[quarter] == 32
    # Two views of the small organisation are withheld; 32 − 30 would give them back, so the
    # big organisation's month goes too.
    mine = platform.org_report(small, month)
    theirs = platform.org_report(big, month)
    for rows in (mine, theirs):
        row = next(r for r in rows if r["figure"] == "job_views" and r["category"] is None)
        assert row["value"] is None and row["withheld"] is True
    postings = df[(df["figure"] == "job_postings") & (df["period"] == month)]
    assert set(postings["category"].dropna()) == {"contract:permanent", "region:DE-TH"}
    assert postings["withheld"].all(), "two postings are a count of 1 to k"


def test_only_supervisors_admins_and_the_organisations_own_people_read_reports(platform):
    org = org_with_views(platform, "Selbsthilfe Jena", 12)
    month, _ = this_month_and_quarter()
    member = platform.as_account(platform.create_account("Mitglied")["id"])
    with pytest.raises(trialog.PermissionDeniedError):
        member.platform_report(month)
    with pytest.raises(trialog.PermissionDeniedError):
        member.org_report(org, month)
    with pytest.raises(trialog.InvalidInputError) as bad:
        platform.platform_report("2026-Q5")
    assert bad.value.field == "period"
    html = platform.report_html(month, org=org)
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "<script" not in html
