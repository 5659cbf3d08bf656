"""The self-help directory from Python: a contact point's lists (its groups, the stale list and
its shared inbox of contact requests) into pandas records, and bad input by field."""

import datetime

import pandas as pd
import pytest

import trialog

GAZETTEER = (
    "DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4\n"
    "DE\t07545\tGera\tThüringen\tTH\t\t00\tKreisfreie Stadt Gera\t16052\t50.8765\t12.0806\t4\n"
)


@pytest.fixture
def directory(platform, tmp_path):
    path = tmp_path / "DE.txt"
    path.write_text(GAZETTEER, encoding="utf-8")
    platform.import_gazetteer(path)
    kiss = platform.create_organisation("KISS Gera", "self_help_contact_point", "DE-TH")
    staff = platform.create_account("Kontakt_Gera")
    platform.grant_role(staff["id"], "employer_staff", org=kiss["id"])
    return platform, platform.as_account(staff["id"]), kiss["id"]


def group(name, org, postcode, confidential=False):
    return {
        "name": name,
        "audience": "both",
        "languages": ["de"],
        "status": "active",
        "format": "in_person",
        "contact_point": org,
        "place": {"country": "DE", "postcode": postcode, "street": "Hinterhof 3", "confidential": confidential},
        "meetings": [{"rule": "FREQ=WEEKLY;BYDAY=TH", "starts": "17:00", "ends": "18:30"}],
        "accessibility": ["step_free"],
    }


def test_a_contact_points_lists_load_into_pandas(directory):
    p, staff, org = directory
    open_group = staff.create_group(group("Angehörige Gera", org, "07545"))
    hidden = staff.create_group(group("Geschützte Runde", org, "07743", confidential=True))

    groups = pd.DataFrame.from_records(list(staff.iter_contact_point_groups(org)))
    assert list(groups["name"]) == ["Angehörige Gera", "Geschützte Runde"]
    assert list(groups["place_confidential"]) == [False, True]
    assert groups["last_confirmed"].map(lambda t: isinstance(t, datetime.datetime)).all()

    person = p.as_account(p.create_account("Neu_hier")["id"])
    person.ask_to_join_group({"group": open_group["id"], "message": "Darf ich kommen?", "reach": "inbox"})
    person.ask_to_join_group({"group": hidden["id"], "message": "Und hier?", "reach": "0151 000"})
    inbox = pd.DataFrame.from_records(list(staff.iter_group_requests(org)))
    assert sorted(inbox["group_name"]) == ["Angehörige Gera", "Geschützte Runde"]
    assert set(inbox["state"]) == {"new"}
    assert inbox["group_contact"].isna().all()

    # The public search never shows the confidential place.
    hits = pd.DataFrame.from_records(
        [h["group"] for h in p.anonymous().iter_group_hits(postcode="07545", country="DE", radius_km=50)]
    )
    assert list(hits["name"]) == ["Angehörige Gera", "Geschützte Runde"]
    assert hits.loc[1, "place"] is None

    # Nothing is stale yet.
    assert list(staff.iter_stale_groups(org)) == []


def test_bad_input_names_the_field(directory):
    _, staff, org = directory
    bad = group("Fehler", org, "07545")
    bad["meetings"][0]["ends"] = "16:00"
    with pytest.raises(trialog.InvalidInputError) as err:
        staff.create_group(bad)
    assert err.value.field == "meetings[0].ends"
    wrong_rule = group("Täglich", org, "07545")
    wrong_rule["meetings"][0]["rule"] = "FREQ=DAILY;BYDAY=TH"
    with pytest.raises(trialog.InvalidInputError) as err:
        staff.create_group(wrong_rule)
    assert err.value.field == "meetings[0].rule"


def test_the_next_dates_of_several_groups_in_one_call(directory):
    p, staff, org = directory
    online = {"format": "online", "place": None}
    thursdays = staff.create_group({**group("Angehörige online", org, "07545"), **online})
    mondays = staff.create_group(
        {
            **group("Montagsrunde", org, "07545"),
            **online,
            "meetings": [{"rule": "FREQ=WEEKLY;BYDAY=MO", "starts": "19:00", "ends": "21:00"}],
        }
    )
    utc = datetime.timezone.utc
    # The schedules hold from today: ask about March 2030 (summer time begins on the 31st).
    at = datetime.datetime(2030, 3, 25, tzinfo=utc)
    dates = p.anonymous().next_meetings_of_groups([mondays["id"], thursdays["id"]], 2, at=at)
    assert [d["group"] for d in dates] == [mondays["id"], thursdays["id"]]
    # Mondays 25 March at 19:00 CET (18:00 UTC) and 1 April at 19:00 CEST (17:00 UTC);
    # Thursdays 28 March at 17:00 CET and 4 April at 17:00 CEST.
    assert [d["start"] for d in dates[0]["dates"]] == [
        datetime.datetime(2030, 3, 25, 18, 0, tzinfo=utc),
        datetime.datetime(2030, 4, 1, 17, 0, tzinfo=utc),
    ]
    assert [d["start"] for d in dates[1]["dates"]] == [
        datetime.datetime(2030, 3, 28, 16, 0, tzinfo=utc),
        datetime.datetime(2030, 4, 4, 15, 0, tzinfo=utc),
    ]
    with pytest.raises(trialog.InvalidInputError) as err:
        p.next_meetings_of_groups([mondays["id"], mondays["id"]])
    assert err.value.field == "ids"
