"""The job board from Python: lifecycle, permissions, radius search, alerts, interest, bad input
by field, dates, import and export, seekers, threads and pandas."""

import datetime
import json
from concurrent.futures import ThreadPoolExecutor

import pytest

import trialog

def at(latitude, longitude):
    return {"type": "coordinates", "latitude": latitude, "longitude": longitude}


BERLIN = at(52.5200, 13.4050)
POTSDAM = at(52.3906, 13.0645)
HAMBURG = at(53.5511, 9.9937)
TVL = {"min": 3100, "max": 3600, "unit": "month", "currency": "EUR", "agreement": "TV-L", "group": "E 7"}


def posting(**override):
    fields = dict(
        location={"type": "coordinates", "latitude": BERLIN["latitude"], "longitude": BERLIN["longitude"], "place": "Berlin"},
        contract="permanent",
        hours={"min": 20, "max": 30},
        pay=TVL,
        requirement="training_accepted",
        languages=["de"],
    )
    fields.update(override)
    return fields


class Board:
    """A verified employer with one staff member, and one seeker."""

    def __init__(self, p):
        self.p = p
        staff = p.create_account("personal_wh", languages=["de"])
        self.staff = p.as_account(staff["id"])
        self.org = self.staff.create_organisation("Weglaufhaus Berlin", "employer", "DE-BE")
        p.verify_organisation(self.org["id"], True, "checked")
        self.seeker_id = p.create_account("Kranich", languages=["de"])["id"]
        self.seeker = p.as_account(self.seeker_id)

    def draft(self, title="Genesungsbegleiter:in", **override):
        return self.staff.create_job(self.org["id"], title, "Wir suchen Genesungsbegleiter:innen mit EX-IN.", **posting(**override))

    def post(self, title="Genesungsbegleiter:in", place=BERLIN, **override):
        return self.staff.publish_job(self.draft(title, location=place, **override)["id"])


@pytest.fixture
def board(platform):
    return Board(platform)


def hit_ids(page):
    return [hit["job"]["id"] for hit in page["items"]]


def test_a_posting_goes_from_draft_to_published_to_filled(board):
    draft = board.draft("Genesungsbegleiter:in (m/w/d)")
    assert draft["state"] == "draft" and draft["published_at"] is None
    anon = board.p.anonymous()
    assert anon.search_jobs(near=BERLIN, radius_km=10)["items"] == []
    with pytest.raises(trialog.NotFoundError):
        anon.job(draft["id"])

    published = board.staff.publish_job(draft["id"])
    assert published["state"] == "published"
    assert published["published_at"].tzinfo is not None
    assert published["expires_on"] == datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=60)
    assert hit_ids(anon.search_jobs(near=BERLIN, radius_km=10)) == [draft["id"]]
    with pytest.raises(trialog.ConflictError):
        board.staff.publish_job(draft["id"])

    assert board.staff.fill_job(draft["id"])["state"] == "filled"
    assert anon.search_jobs(near=BERLIN, radius_km=10)["items"] == []
    assert board.seeker.job(draft["id"])["state"] == "filled"
    with pytest.raises(trialog.ConflictError):
        board.staff.update_job(draft["id"], title="Neu")


def test_an_expiry_date_in_the_past_is_refused_and_withdrawn_postings_disappear(board):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    with pytest.raises(trialog.InvalidInputError) as past:
        board.draft(expires_on=yesterday)
    assert past.value.field == "expires_on"
    job = board.post()
    assert board.staff.withdraw_job(job["id"], "intern besetzt")["state"] == "withdrawn"
    with pytest.raises(trialog.NotFoundError):
        board.seeker.job(job["id"])
    own = board.staff.search_jobs(org=board.org["id"], include_unpublished=True)
    assert [h["job"]["state"] for h in own["items"]] == ["withdrawn"]


def test_only_staff_of_a_verified_employer_manage_postings_and_anyone_can_search(board):
    p = board.p
    newcomer = p.as_account(p.create_account("neu_staff")["id"])
    unverified = newcomer.create_organisation("Neu e.V.", "association", "DE-BE")
    with pytest.raises(trialog.PermissionDeniedError) as denied:
        newcomer.create_job(unverified["id"], "Peer", "Beschreibung", **posting())
    assert "not verified" in denied.value.reason
    with pytest.raises(trialog.PermissionDeniedError):
        board.seeker.create_job(board.org["id"], "Fremd", "Beschreibung", **posting())

    job = board.post("Genesungsbegleitung Mitte")
    with pytest.raises(trialog.PermissionDeniedError):
        board.seeker.withdraw_job(job["id"])
    anon = p.anonymous()
    assert hit_ids(anon.search_jobs()) == [job["id"]]
    anon.record_job_view(job["id"])
    board.seeker.record_job_view(job["id"])
    with pytest.raises(trialog.PermissionDeniedError):
        anon.job_views(job["id"])
    assert sum(m["views"] for m in board.staff.job_views(job["id"])) == 2
    assert sum(m["views"] for m in p.total_job_views()) == 2
    with pytest.raises(trialog.PermissionDeniedError):
        board.staff.total_job_views()


def test_radius_search_measures_distance_and_pages(board):
    berlin = board.post("Genesungsbegleitung Berlin", BERLIN)
    potsdam = board.post("Genesungsbegleitung Potsdam", POTSDAM)
    board.post("Genesungsbegleitung Hamburg", HAMBURG)
    page = board.seeker.search_jobs(near=BERLIN, radius_km=50, sort="distance")
    assert hit_ids(page) == [berlin["id"], potsdam["id"]]
    assert page["items"][0]["distance_km"] == pytest.approx(0, abs=0.01)
    assert page["items"][1]["distance_km"] == pytest.approx(27, abs=2)
    assert page["items"][1]["coordinates"] == {"latitude": POTSDAM["latitude"], "longitude": POTSDAM["longitude"]}
    as_dict = {"type": "coordinates", "latitude": BERLIN["latitude"], "longitude": BERLIN["longitude"]}
    assert hit_ids(board.seeker.search_jobs(near=as_dict, radius_km=50)) == hit_ids(page)

    first = board.seeker.search_jobs(near=BERLIN, radius_km=300, limit=2)
    rest = board.seeker.search_jobs(near=BERLIN, radius_km=300, limit=2, cursor=first["next_cursor"])
    assert len(set(hit_ids(first) + hit_ids(rest))) == 3 and rest["next_cursor"] is None
    assert len(list(board.seeker.iter_jobs(near=BERLIN, radius_km=300, page_size=1))) == 3

    text = board.seeker.search_jobs(text="POTSDAM")
    assert hit_ids(text) == [potsdam["id"]] and text["items"][0]["score"] > 0
    assert hit_ids(board.seeker.search_jobs(contracts=["fixed_term"])) == []
    rich = board.seeker.search_jobs(min_pay={"amount": 3500, "unit": "month", "currency": "EUR"}, hours={"min": 25, "max": 40})
    assert len(rich["items"]) == 3


def test_a_saved_search_puts_an_alert_into_the_inbox(board):
    search = board.seeker.save_search("Berlin unbefristet", near=BERLIN, radius_km=30, contracts=["permanent"])
    assert [s["id"] for s in board.seeker.saved_searches()] == [search["id"]]
    assert board.seeker.saved_searches()[0]["query"]["radius_km"] == 30
    job = board.post("Genesungsbegleitung Mitte", BERLIN)
    board.post("Genesungsbegleitung Hamburg", HAMBURG)

    inbox = board.seeker.inbox()
    assert inbox["unread"] == 1
    [note] = inbox["items"]
    assert note["event"] == {
        "type": "job_alert",
        "search": search["id"],
        "search_name": "Berlin unbefristet",
        "job": job["id"],
        "title": "Genesungsbegleitung Mitte",
    }
    assert note["at"].tzinfo is not None and note["read"] is False
    assert board.seeker.mark_notifications_read([note["id"]]) == 1
    assert board.seeker.inbox(unread_only=True)["items"] == []

    board.seeker.remove_saved_search(search["id"])
    board.post("Noch eine Stelle", BERLIN)
    assert board.seeker.inbox(unread_only=True)["items"] == []
    with pytest.raises(trialog.PermissionDeniedError):
        board.p.anonymous().save_search("x")


def test_interest_moves_to_hired_and_fills_the_posting(board):
    job = board.post("Genesungsbegleiter:in Station 4")
    interest = board.seeker.mark_interest(job["id"], "Ich habe das EX-IN-Zertifikat seit 2024.")
    assert interest["status"] == "new"
    with pytest.raises(trialog.ConflictError):
        board.seeker.mark_interest(job["id"])
    with pytest.raises(trialog.PermissionDeniedError):
        board.seeker.interests_for_job(job["id"])
    assert [i["pseudonym"] for i in board.staff.interests_for_job(job["id"])] == ["Kranich"]

    board.staff.advance_interest(interest["id"], "contacted")
    board.staff.advance_interest(interest["id"], "interviewing")
    with pytest.raises(trialog.InvalidInputError) as backwards:
        board.staff.advance_interest(interest["id"], "contacted")
    assert backwards.value.field == "status"
    with pytest.raises(trialog.InvalidInputError) as unknown:
        board.staff.advance_interest(interest["id"], "maybe")
    assert unknown.value.field == "status"
    assert board.staff.advance_interest(interest["id"], "hired")["status"] == "hired"
    assert board.seeker.job(job["id"])["state"] == "filled"
    assert [i["status"] for i in board.seeker.my_interests()] == ["hired"]
    updates = [n["event"]["status"] for n in board.seeker.inbox()["items"]]
    assert updates == ["hired", "interviewing", "contacted"]

    other = board.post("Zweite Stelle")
    second = board.seeker.mark_interest(other["id"])
    assert board.seeker.withdraw_interest(second["id"])["status"] == "withdrawn"


@pytest.mark.parametrize(
    "override, field",
    [
        ({"pay": {**TVL, "min": 4000}}, "pay.min"),
        ({"hours": (0, 10)}, "hours.min"),
        ({"hours": (10, 61)}, "hours.max"),
        ({"languages": []}, "languages"),
        ({"contract": "forever"}, "contract"),
        ({"pay": {**TVL, "unit": "week"}}, "pay.unit"),
        ({"hours": {"min": 10}}, "hours.max"),
        ({"openings": -1}, "openings"),
        ({"location": {"type": "postcode", "country": "DE", "postcode": "10115"}}, "postcode"),
        ({"expires_on": "31.12.2026"}, "expires_on"),
    ],
)
def test_bad_postings_name_the_field(board, override, field):
    with pytest.raises(trialog.InvalidInputError) as bad:
        board.draft(**override)
    assert bad.value.field == field, bad.value.reason
    assert board.staff.search_jobs(org=board.org["id"], include_unpublished=True)["items"] == []


def test_bad_searches_and_arguments(board):
    for radius in (0, -3, 1000.5):
        with pytest.raises(trialog.InvalidInputError) as bad:
            board.seeker.search_jobs(near=BERLIN, radius_km=radius)
        assert bad.value.field == "radius_km"
    with pytest.raises(trialog.InvalidInputError) as remote:
        board.seeker.search_jobs(near={"type": "remote"})
    assert remote.value.field == "near"
    with pytest.raises(trialog.InvalidInputError) as sort:
        board.seeker.search_jobs(sort="cheapest")
    assert sort.value.field == "sort"
    with pytest.raises(trialog.InvalidInputError) as contracts:
        board.seeker.search_jobs(contracts=["permanent", "gig"])
    assert contracts.value.field == "contracts[1]"
    with pytest.raises(TypeError, match="radius"):
        board.seeker.search_jobs(radius=10)
    with pytest.raises(TypeError, match="'location'"):
        board.staff.create_job(board.org["id"], "Titel", "Text", contract="permanent", hours={"min": 10, "max": 20}, languages=["de"])
    with pytest.raises(trialog.InvalidInputError) as naive:
        board.seeker.search_jobs(published_since=datetime.datetime(2026, 1, 1))
    assert naive.value.field == "published_since"


def test_dates_cross_as_datetime_date(board):
    start = (datetime.date.today() + datetime.timedelta(days=40)).replace(day=1)
    end = start + datetime.timedelta(days=45)
    job = board.draft(starts_on=start, expires_on=end)
    assert job["starts_on"] == start and isinstance(job["starts_on"], datetime.date)
    assert job["expires_on"] == end
    moved = board.staff.update_job(job["id"], expires_on=end + datetime.timedelta(days=10))
    assert moved["expires_on"] == end + datetime.timedelta(days=10)
    assert board.staff.update_job(job["id"], expires_on=end.isoformat())["expires_on"] == end
    with pytest.raises(trialog.InvalidInputError) as wrong_way:
        board.staff.update_job(job["id"], expires_on=start - datetime.timedelta(days=1))
    assert wrong_way.value.field == "expires_on"
    published = board.staff.publish_job(job["id"])
    since = published["published_at"] - datetime.timedelta(seconds=1)
    assert hit_ids(board.seeker.search_jobs(published_since=since)) == [job["id"]]


def test_import_reports_bad_rows_by_line_and_export_gives_json_ld(board):
    org = board.org["id"]
    def row(line, title, publish=False, **override):
        return {"line": line, "publish": publish, "job": {"org": org, "title": title, "description": "Text", **posting(**override)}}

    rows = [
        row(1, "Import eins", publish=True),
        row(2, "Import zwei", publish=True, hours={"min": 0, "max": 10}),
        row(42, "Import vier"),
    ]
    dry = board.staff.import_jobs(rows, "skip_bad_rows", dry_run=True)
    assert dry["valid_rows"] == 2 and dry["created"] == [] and dry["dry_run"] is True
    assert [(p["line"], p["field"]) for p in dry["problems"]] == [(2, "hours.min")]
    refused = board.staff.import_jobs(rows, "all_or_nothing")
    assert refused["created"] == [] and len(refused["problems"]) == 1 and refused["dry_run"] is False
    with pytest.raises(trialog.InvalidInputError) as unreadable:
        board.staff.import_jobs([row(3, "Import drei", contract="gig")], "skip_bad_rows")
    assert unreadable.value.field == "rows[0].job.contract"
    assert board.staff.export_jobs(org, include_unpublished=True) == []

    report = board.staff.import_jobs(rows, "skip_bad_rows")
    assert len(report["created"]) == 2 and report["published"] == 1
    assert [j["title"] for j in board.seeker.export_jobs()] == ["Import eins"]
    assert len(board.staff.export_jobs(org, include_unpublished=True)) == 2
    with pytest.raises(trialog.PermissionDeniedError):
        board.seeker.export_jobs(org, include_unpublished=True)

    [ld] = json.loads(board.seeker.export_jobs_json_ld())
    assert ld["@type"] == "JobPosting" and ld["title"] == "Import eins"
    assert ld["hiringOrganization"]["name"] == "Weglaufhaus Berlin"
    json.dumps(ld)


def test_an_import_again_updates_the_postings_its_refs_name(board):
    org = board.org["id"]
    def row(line, title, ref):
        return {"line": line, "publish": True, "ref": ref, "job": {"org": org, "title": title, "description": "Text", **posting()}}

    first = board.staff.import_jobs([row(1, "Eins", "A"), row(2, "Zwei", "B")], "skip_bad_rows")
    again = board.staff.import_jobs([row(1, "Eins neu", "A"), row(2, "Zwei", "B")], "skip_bad_rows")
    assert again["created"] == [] and again["updated"] == first["created"]
    assert sorted(j["title"] for j in board.seeker.export_jobs()) == ["Eins neu", "Zwei"]
    twice = board.staff.import_jobs([row(1, "C", "C"), row(2, "C2", "C")], "skip_bad_rows")
    assert [(p["line"], p["field"]) for p in twice["problems"]] == [(2, "ref")]


def test_seeker_profiles_are_private_until_the_seeker_opts_in(board):
    profile = dict(location=BERLIN, max_distance_km=40, hours={"min": 15, "max": 25}, contracts=["permanent"], exin="certified", languages=["de"])
    saved = board.seeker.set_seeker_profile(board.seeker_id, **profile)
    assert saved["findable"] is False and saved["exin"] == "certified"
    assert saved["location"]["coordinates"] == {"latitude": BERLIN["latitude"], "longitude": BERLIN["longitude"]}
    with pytest.raises(trialog.NotFoundError):  # a hidden profile answers like a missing one
        board.staff.seeker_profile(board.seeker_id)
    assert board.staff.list_findable_seekers()["items"] == []

    board.seeker.set_seeker_profile(board.seeker_id, findable=True, **profile)
    assert board.staff.seeker_profile(board.seeker_id)["pseudonym"] == "Kranich"
    assert len(board.staff.list_findable_seekers(near=POTSDAM)["items"]) == 1
    assert board.staff.list_findable_seekers(near=HAMBURG)["items"] == []
    with pytest.raises(trialog.InvalidInputError) as zero:
        board.seeker.set_seeker_profile(board.seeker_id, **{**profile, "max_distance_km": 0})
    assert zero.value.field == "max_distance_km"


def test_threads_post_search_and_count_views_at_once(board):
    job = board.post("Genesungsbegleitung für alle")

    def work(i):
        board.post(f"Stelle {i}", POTSDAM)
        board.seeker.record_job_view(job["id"])
        return len(board.seeker.search_jobs(near=BERLIN, radius_km=100, limit=5)["items"])

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert all(n >= 1 for n in pool.map(work, range(30)))
    assert sum(m["views"] for m in board.staff.job_views(job["id"])) == 30
    assert len(board.seeker.export_jobs()) == 31


def test_search_hits_go_straight_into_a_dataframe(board):
    pd = pytest.importorskip("pandas")
    board.post("Genesungsbegleitung Berlin", BERLIN)
    board.post("Genesungsbegleitung Potsdam", POTSDAM)
    hits = board.seeker.iter_jobs(near=BERLIN, radius_km=100, sort="distance")
    df = pd.json_normalize([{**hit["job"], "distance_km": hit["distance_km"]} for hit in hits])
    df["published_at"] = pd.to_datetime(df["published_at"], utc=True)
    assert list(df["title"]) == ["Genesungsbegleitung Berlin", "Genesungsbegleitung Potsdam"]
    assert df["distance_km"].is_monotonic_increasing
    assert str(df["published_at"].dt.tz) == "UTC"
    assert (df["contract"] == "permanent").all()
