"""Matching from Python: module-level functions on plain lists and dicts."""

import itertools
import json
import math
import pathlib
import random

import pytest

import trialog

EXAMPLES = pathlib.Path(__file__).resolve().parents[3] / "examples" / "matching"


def brute_force(scores, capacities):
    """The best (matched count, total score) over every feasible assignment."""
    options = [[None] + [g for g, s in enumerate(row) if s is not None] for row in scores]
    best = (0, 0.0)
    for choice in itertools.product(*options):
        used = [g for g in choice if g is not None]
        if any(used.count(g) > c for g, c in enumerate(capacities)):
            continue
        total = sum(scores[r][g] for r, g in enumerate(choice) if g is not None)
        best = max(best, (len(used), round(total, 6)))
    return best


def check_feasible(scores, capacities, result):
    load = [0] * len(capacities)
    for pair in result["pairs"]:
        assert scores[pair["client"]][pair["guide"]] == pair["score"], f"{pair} is not an allowed pair with its score"
        load[pair["guide"]] += 1
    assert all(l <= c for l, c in zip(load, capacities)), f"loads {load} exceed capacities {capacities}"
    matched = {p["client"] for p in result["pairs"]}
    unmatched = {u["client"] for u in result["unmatched"]}
    assert matched.isdisjoint(unmatched) and matched | unmatched == set(range(len(scores)))
    assert result["total_score"] == pytest.approx(sum(p["score"] for p in result["pairs"]))


def test_assign_scores_finds_the_known_optimum():
    scores = [
        [4.0, None, 1.5],
        [3.0, 2.0, None],
        [None, 5.0, 0.5],
        [2.5, 2.5, 2.5],
    ]
    result = trialog.assign_scores(scores, [1, 1, 1])
    # Three places for four clients; 4.0 + 5.0 + 2.5 is the best total of three pairs (client 1
    # is the one left out: its 3.0 with guide 0 would displace client 0's 4.0).
    assert (len(result["pairs"]), result["total_score"]) == (3, 11.5)
    assert [(p["client"], p["guide"]) for p in result["pairs"]] == [(0, 0), (2, 1), (3, 2)]
    assert result["unmatched"] == [{"client": 1, "reason": "eligible_guides_full"}]
    check_feasible(scores, [1, 1, 1], result)


def test_assign_scores_prefers_more_matches_and_accepts_ints():
    result = trialog.assign_scores([[9, 1], [8, None]], [1, 1])
    assert [(p["client"], p["guide"], p["score"]) for p in result["pairs"]] == [(0, 1, 1.0), (1, 0, 8.0)]
    assert result["total_score"] == 9.0
    assert result["unmatched"] == []


def test_assign_scores_fills_capacities_and_says_why_clients_are_left_out():
    scores = [[1.0, 0.0]] * 3 + [[None, None]]
    result = trialog.assign_scores(scores, (2, 5))
    assert sorted(p["guide"] for p in result["pairs"]) == [0, 0, 1]
    assert result["total_score"] == 2.0
    assert result["unmatched"] == [{"client": 3, "reason": "no_eligible_guide"}]


def test_assign_scores_equals_brute_force_on_random_matrices():
    rng = random.Random(20261104)
    for case in range(150):
        rows, cols = rng.randint(1, 5), rng.randint(1, 4)
        scores = [[None if rng.random() < 0.3 else rng.randint(-4, 8) / 2 for _ in range(cols)] for _ in range(rows)]
        capacities = [rng.randint(0, 2) for _ in range(cols)]
        result = trialog.assign_scores(scores, capacities)
        check_feasible(scores, capacities, result)
        found = (len(result["pairs"]), round(result["total_score"], 6))
        assert found == brute_force(scores, capacities), f"case {case}: {scores} with capacities {capacities}"


def test_assign_scores_takes_numpy_rows_and_gives_a_dataframe():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    scores = np.array([[5.0, 1.0], [4.0, 3.0]])
    result = trialog.assign_scores(scores, np.array([1, 1]))
    df = pd.DataFrame(result["pairs"])
    assert list(df.columns) == ["client", "guide", "score"]
    assert df["score"].sum() == 8.0
    assert df.set_index("client")["guide"].to_dict() == {0: 0, 1: 1}


def test_assign_guides_explains_the_example():
    data = json.loads((EXAMPLES / "assign-guides.json").read_text(encoding="utf-8"))
    result = trialog.assign_guides(data)
    assert [(p["client"], p["guide"]) for p in result["pairs"]] == [
        ("client-1", "mette"),
        ("client-2", "aylin"),
        ("client-3", "jonas"),
    ]
    for pair in result["pairs"]:
        assert [b["criterion"] for b in pair["breakdown"]] == ["language", "gender", "distance", "topics", "availability"]
        assert sum(b["points"] for b in pair["breakdown"]) == pytest.approx(pair["score"])
        assert all(b["reason"] for b in pair["breakdown"])
    assert result["total_score"] == pytest.approx(sum(p["score"] for p in result["pairs"]))
    assert result["unmatched"] == [{"client": "client-4", "reason": "no_eligible_guide"}]


def test_assign_guides_weights_change_the_choice():
    guides = [
        {"id": "near", "capacity": 1, "languages": ["da"], "location": {"latitude": 56.15, "longitude": 10.2}},
        {"id": "topic", "capacity": 1, "languages": ["da"], "topics": ["psychosis"],
         "location": {"latitude": 56.6, "longitude": 10.2}},
    ]
    client = {"id": "c", "languages": ["da"], "topics": ["psychosis"], "location": {"latitude": 56.15, "longitude": 10.2}}
    by_topic = trialog.assign_guides({"guides": guides, "clients": [client]})
    assert by_topic["pairs"][0]["guide"] == "topic"
    weights = {"language": 10, "gender": 10, "distance": 50, "topics": 1, "availability": 10}
    by_distance = trialog.assign_guides({"guides": guides, "clients": [client], "weights": weights})
    assert by_distance["pairs"][0]["guide"] == "near"


def test_stable_match_takes_dicts():
    result = trialog.stable_match(
        {"ana": ["clinic", "club"], "ben": ["clinic"], "cem": ["club"]},
        {"clinic": {"capacity": 1, "ranking": ["ben", "ana"]}, "club": {"capacity": 1, "ranking": ["ana", "cem"]}},
    )
    assert result["pairs"] == [
        {"applicant": "ana", "placement": "club"},
        {"applicant": "ben", "placement": "clinic"},
    ]
    assert result["unmatched_applicants"] == ["cem"]
    assert result["unfilled"] == []


def test_stable_match_reports_free_places():
    result = trialog.stable_match(
        {"ana": ["club"]}, {"clinic": {"capacity": 1, "ranking": ["ana"]}, "club": {"capacity": 3, "ranking": ["ana"]}}
    )
    assert result["pairs"] == [{"applicant": "ana", "placement": "club"}]
    assert result["unfilled"] == [{"placement": "clinic", "free": 1}, {"placement": "club", "free": 2}]


def blocking_pairs(applicants, placements, matched):
    """Applicant–placement pairs that would both rather have each other than what they got."""
    found = []
    for a, prefs in applicants.items():
        current = prefs.index(matched[a]) if a in matched else len(prefs)
        for p in prefs[:current]:
            ranking = placements[p]["ranking"]
            if a not in ranking:
                continue
            held = [b for b, q in matched.items() if q == p]
            if len(held) < placements[p]["capacity"] or any(ranking.index(b) > ranking.index(a) for b in held):
                found.append((a, p))
    return found


def all_stable_matchings(applicants, placements):
    names = list(applicants)
    options = [[None] + [p for p in applicants[a] if a in placements[p]["ranking"]] for a in names]
    for choice in itertools.product(*options):
        matched = {a: p for a, p in zip(names, choice) if p is not None}
        if any(list(matched.values()).count(p) > placements[p]["capacity"] for p in placements):
            continue
        if not blocking_pairs(applicants, placements, matched):
            yield matched


def random_round(rng):
    names = [f"t{i}" for i in range(rng.randint(1, 5))]
    places = [f"p{i}" for i in range(rng.randint(1, 3))]
    applicants = {a: rng.sample(places, rng.randint(0, len(places))) for a in names}
    placements = {
        p: {"capacity": rng.randint(0, 2), "ranking": rng.sample(names, rng.randint(0, len(names)))} for p in places
    }
    return applicants, placements


def test_stable_match_is_stable_and_trainee_optimal_against_brute_force():
    rng = random.Random(7)
    for case in range(150):
        applicants, placements = random_round(rng)
        result = trialog.stable_match(applicants, placements)
        matched = {pair["applicant"]: pair["placement"] for pair in result["pairs"]}
        assert blocking_pairs(applicants, placements, matched) == [], f"case {case}: {applicants} {placements}"
        stable = list(all_stable_matchings(applicants, placements))
        assert matched in stable
        for other in stable:
            for a, prefs in applicants.items():
                mine = prefs.index(matched[a]) if a in matched else math.inf
                theirs = prefs.index(other[a]) if a in other else math.inf
                assert mine <= theirs, f"case {case}: {a} does better in {other} than in {matched}"
        assert sorted(result["unmatched_applicants"]) == sorted(set(applicants) - set(matched))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: trialog.assign_scores([[1.0, 2.0], [1.0]], [1, 1]), "scores[1]"),
        (lambda: trialog.assign_scores([[1.0, 2.0], [1.0, float("nan")]], [1, 1]), "scores[1][1]"),
        (lambda: trialog.assign_scores([[float("inf")]], [1]), "scores[0][0]"),
        (lambda: trialog.assign_scores([[1.0, -math.inf]], [1, 1]), "scores[0][1]"),
        (lambda: trialog.assign_scores([[1.0, "high"]], [1, 1]), "scores[0][1]"),
        (lambda: trialog.assign_scores([[1.0], [True]], [1]), "scores[1][0]"),
        (lambda: trialog.assign_scores([[1.0], 2.0], [1]), "scores[1]"),
        (lambda: trialog.assign_scores([[1.0]], [-1]), "capacities[0]"),
        (lambda: trialog.assign_scores([[1.0, 1.0]], [1, 1.5]), "capacities[1]"),
        (lambda: trialog.assign_scores([[1.0]], 1), "capacities"),
        (lambda: trialog.assign_scores([[1.0]], [1, 1]), "scores[0]"),
        (lambda: trialog.assign_scores([], [1]), "scores"),
        (lambda: trialog.assign_scores("not a matrix", [1]), "scores"),
        (lambda: trialog.stable_match({"ana": ["zoo"]}, {}), "applicants.ana"),
        (
            lambda: trialog.stable_match({"ana": []}, {"p": {"capacity": 1, "ranking": ["ana", "ana"]}}),
            "placements.p.ranking",
        ),
        (lambda: trialog.stable_match({"ana": ["p"]}, {"p": {"capacity": -2, "ranking": []}}), "placements.p.capacity"),
        (lambda: trialog.stable_match({"ana": ["p"]}, {"p": {"capacity": 1.5, "ranking": []}}), "placements.p.capacity"),
        (lambda: trialog.stable_match({"ana": ["p", None]}, {"p": {"capacity": 1}}), "applicants.ana.preferences[1]"),
        (lambda: trialog.assign_guides({"guides": [], "clients": [{"id": "c1", "languages": []}]}), "clients[0].languages"),
        (
            lambda: trialog.assign_guides({"guides": [{"id": "g", "capacity": -1, "languages": ["de"]}], "clients": []}),
            "guides[0].capacity",
        ),
        (
            lambda: trialog.assign_guides(
                {"guides": [{"id": "g", "capacity": 1, "languages": ["de"], "max_travel_km": float("nan")}], "clients": []}
            ),
            "guides[0].max_travel_km",
        ),
        (lambda: trialog.assign_guides('{"guides": [], "clients": []}'), "input"),
    ],
)
def test_bad_input_names_the_place(call, field):
    with pytest.raises(trialog.InvalidInputError) as caught:
        call()
    assert caught.value.field == field, caught.value
    assert caught.value.reason
    assert isinstance(caught.value, trialog.TrialogError)
