"""The old Python names still work for one release, each with a DeprecationWarning naming the
new one."""

import datetime

import pytest

import trialog


def test_old_names_warn_and_call_the_new_operation(platform):
    p = platform
    with pytest.warns(DeprecationWarning, match="test_watched_words"):
        assert p.check_text("Ich denke an Suizid")["matches"][0]["action"] == "crisis"

    org = p.create_organisation("Psykiatrien Aarhus", "clinic", "DK-82")
    anna = p.create_account("Anna_Beraterin")["id"]
    ben = p.create_account("Ben_Berater")["id"]
    for account in (anna, ben):
        p.grant_role(account, "counsellor", org=org["id"])
    until = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    with pytest.warns(DeprecationWarning, match="set_absence"):
        absent = p.set_counsel_absence(anna, until=until, substitute=ben)
    assert absent["absence"]["until"] == until and absent["absence"]["substitute"] == ben
    with pytest.warns(DeprecationWarning):
        assert p.set_counsel_absence(anna)["absence"] is None

    with pytest.warns(DeprecationWarning, match="run_matching"):
        scores = p.run_assignment("Matrix", {"scores": [[9, 1], [8, None]], "capacities": [1, 1]})
    assert [(x["person"], x["partner"]) for x in scores["pairs"]] == [("0", "1"), ("1", "0")]
    with pytest.warns(DeprecationWarning, match="run_matching"):
        placed = p.run_placement_round(
            "Praktik", {"applicants": {"ana": ["klinik"]}, "placements": {"klinik": {"capacity": 1, "ranking": ["ana"]}}}
        )
    assert [(x["person"], x["partner"]) for x in placed["pairs"]] == [("ana", "klinik")]
    with pytest.raises(trialog.InvalidInputError):
        with pytest.warns(DeprecationWarning):
            p.run_assignment("x", {"scores": [[1, 2], [1]], "capacities": [1, 1]})
