"""Suggestions between postings and seekers, the weights setting, and stored match runs with
re-matching, from Python."""

import datetime

import pandas as pd
import pytest

import trialog

BERLIN = {"type": "coordinates", "latitude": 52.5200, "longitude": 13.4050}
HAMBURG = {"type": "coordinates", "latitude": 53.5511, "longitude": 9.9937}
PAY = {"min": 3100, "max": 3600, "unit": "month", "currency": "EUR"}


class Board:
    """A verified employer with its staff, a findable seeker in Berlin and two postings."""

    def __init__(self, p):
        self.p = p
        staff = p.create_account("personal_sugg", languages=["de"])
        self.staff = p.as_account(staff["id"])
        self.org = self.staff.create_organisation("Peer-Netz Berlin", "employer", "DE-BE")
        p.verify_organisation(self.org["id"], True, "checked")
        self.seeker_id = p.create_account("Kranich", languages=["de"])["id"]
        self.seeker = p.as_account(self.seeker_id)
        self.seeker.set_seeker_profile(
            self.seeker_id,
            location=BERLIN,
            max_distance_km=40,
            hours={"min": 20, "max": 30},
            contracts=["permanent"],
            exin="in_training",
            languages=["de"],
            findable=True,
            min_pay={"amount": 3000, "unit": "month", "currency": "EUR"},
        )
        self.berlin = self.post("Genesungsbegleitung Mitte", BERLIN)
        self.hamburg = self.post("Peer-Arbeit Hamburg", HAMBURG)

    def post(self, title, place):
        job = self.staff.create_job(
            self.org["id"], title, "Genesungsbegleitung im Team.",
            location=place, contract="permanent", hours={"min": 20, "max": 30}, pay=PAY,
            requirement="training_accepted", languages=["de"],
        )
        return self.staff.publish_job(job["id"])


@pytest.fixture
def board(platform):
    return Board(platform)


def test_a_seeker_gets_flat_explained_suggestions(board):
    found = board.seeker.suggest_jobs(board.seeker_id)
    assert [s["job"]["id"] for s in found] == [board.berlin["id"]], "Hamburg is beyond 40 km"
    best = found[0]
    assert best["job"]["title"] == "Genesungsbegleitung Mitte"
    assert [p["criterion"] for p in best["breakdown"]] == ["distance", "hours", "pay", "requirement", "recency"]
    assert sum(p["points"] for p in best["breakdown"]) == pytest.approx(best["score"])
    assert best["distance_km"] < 0.1
    assert isinstance(best["job"]["published_at"], datetime.datetime)
    frame = pd.DataFrame(found)
    assert list(frame["score"]) == [best["score"]]
    with pytest.raises(trialog.PermissionDeniedError):
        board.staff.suggest_jobs(board.seeker_id)
    with pytest.raises(trialog.InvalidInputError) as error:
        board.seeker.suggest_jobs(board.seeker_id, limit=0)
    assert error.value.field == "limit"


def test_staff_see_only_seekers_who_opted_in(board):
    found = board.staff.suggest_seekers(board.berlin["id"])
    assert [s["seeker"]["pseudonym"] for s in found] == ["Kranich"]
    assert found[0]["seeker"]["min_pay"] == {"amount": 3000.0, "unit": "month", "currency": "EUR"}
    board.seeker.set_seeker_profile(board.seeker_id, location=BERLIN, languages=["de"], findable=False)
    assert board.staff.suggest_seekers(board.berlin["id"]) == []
    with pytest.raises(trialog.PermissionDeniedError):
        board.seeker.suggest_seekers(board.berlin["id"])


def test_admins_change_the_weights(board):
    p = board.p
    assert board.seeker.suggestion_weights() == {"distance": 30.0, "hours": 20.0, "pay": 20.0, "requirement": 15.0, "recency": 15.0}
    weights = p.suggestion_weights()
    changed = p.set_suggestion_weights(**{**weights, "hours": 0, "recency": 0})
    assert (changed["hours"], changed["recency"], changed["distance"]) == (0.0, 0.0, 30.0)
    assert board.seeker.suggest_jobs(board.seeker_id)[0]["breakdown"][1]["points"] == 0.0
    with pytest.raises(trialog.PermissionDeniedError):
        board.seeker.set_suggestion_weights(**{**weights, "pay": 1})
    with pytest.raises(trialog.InvalidInputError) as error:
        p.set_suggestion_weights(**{**weights, "pay": -1})
    assert error.value.field == "weights.pay"
    assert p.reset_suggestion_weights()["hours"] == 20.0


GUIDES = {
    "guides": [
        {"id": "mette", "capacity": 1, "languages": ["da"], "topics": ["psychosis"]},
        {"id": "jonas", "capacity": 1, "languages": ["da"], "topics": ["work"]},
    ],
    "clients": [{"id": "c1", "languages": ["da"], "topics": ["psychosis"]}],
}


def test_a_declined_pair_is_left_out_of_the_next_run_of_the_cohort(platform):
    p = platform
    clinic = p.create_organisation("Psykiatrien Aarhus", "clinic", "DK-82")
    coordinator_id = p.create_account("Koordinatorin")["id"]
    p.grant_role(coordinator_id, {"role": "supervisor", "org": clinic["id"]})
    coordinator = p.as_account(coordinator_id)

    first = coordinator.run_matching("Aarhus forår", "guides", input=GUIDES)
    assert [(x["person"], x["partner"]) for x in first["pairs"]] == [("c1", "mette")]
    assert first["kind"] == "guides" and first["run_by"] == {"kind": "account", "id": coordinator_id}
    assert isinstance(first["run_at"], datetime.datetime)
    declined = coordinator.decline_pair(first["id"], "c1", reason="they know each other")
    assert declined["pairs"][0]["decision"] == "declined"
    with pytest.raises(trialog.ConflictError):
        coordinator.accept_pair(first["id"], "c1")

    second = coordinator.run_matching("Aarhus forår", "guides", input=GUIDES)
    assert [(x["person"], x["partner"]) for x in second["pairs"]] == [("c1", "jonas")]
    assert second["excluded"] == [{"person": "c1", "partner": "mette", "declined_in": first["id"]}]
    coordinator.accept_pair(second["id"], "c1")

    matrix = coordinator.run_matching("Matrix", "scores", scores=[[9, 1], [8, None]], capacities=[1, 1])
    assert [(x["person"], x["partner"]) for x in matrix["pairs"]] == [("0", "1"), ("1", "0")]
    round_ = coordinator.run_matching(
        "Praktik", "placements", input={"applicants": [{"id": "ana", "preferences": ["klinik"]}], "placements": [{"id": "klinik", "capacity": 1, "ranking": ["ana"]}]}
    )
    assert round_["pairs"][0]["score"] is None

    page = coordinator.match_runs(cohort="Aarhus forår", limit=1)
    assert [r["id"] for r in page["items"]] == [second["id"]]
    rest = coordinator.match_runs(cohort="Aarhus forår", limit=1, cursor=page["next_cursor"])
    assert [(r["id"], r["declined"]) for r in rest["items"]] == [(first["id"], 1)]
    assert [r["id"] for r in coordinator.iter_match_runs(page_size=2)] == [round_["id"], matrix["id"], second["id"], first["id"]]
    assert coordinator.match_run(second["id"])["pairs"][0]["decision"] == "accepted"

    member = p.as_account(p.create_account("Medlem")["id"])
    with pytest.raises(trialog.PermissionDeniedError):
        member.run_matching("Aarhus forår", "guides", input=GUIDES)
    with pytest.raises(trialog.InvalidInputError) as error:
        p.run_matching("x", "scores", scores=[[1, 2], [1]], capacities=[1, 1])
    assert error.value.field == "scores[1]"
    with pytest.raises(trialog.InvalidInputError) as error:
        p.run_matching("x", "guides", input={"rows": []})
    assert error.value.field == "input"  # an unknown key ("rows") of the input is named by its parent
