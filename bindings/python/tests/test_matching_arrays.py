"""assign_scores on numpy arrays: the same optimum as SciPy, forbidden pairs by NaN or a mask,
every layout numpy and pandas hand out, and the GIL released while solving."""

import threading
import time

import pytest

import trialog

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
optimize = pytest.importorskip("scipy.optimize")


def outcome(result):
    """What every optimal assignment shares: the matched count and the total (to 10**-6)."""
    return len(result["pairs"]), round(result["total_score"], 6)


def scipy_outcome(scores, capacities):
    """SciPy's optimum for capacities by repeating each guide's column `capacity` times."""
    expanded = np.repeat(scores, capacities, axis=1)
    if expanded.shape[1] == 0:
        return 0, 0.0
    rows, cols = optimize.linear_sum_assignment(expanded, maximize=True)
    return len(rows), round(float(expanded[rows, cols].sum()), 6)


def check_pairs(scores, capacities, result):
    load = np.zeros(len(capacities), dtype=int)
    for pair in result["pairs"]:
        assert scores[pair["client"], pair["guide"]] == pair["score"]
        load[pair["guide"]] += 1
    assert (load <= np.asarray(capacities)).all(), f"loads {load} exceed capacities {capacities}"


def instances(seed, cases, largest, low, high):
    """Seeded random integer score matrices up to `largest` × `largest`, with their generator."""
    rng = np.random.default_rng(seed)
    for case in range(cases):
        rows, cols = rng.integers(1, largest, size=2)
        yield case, rng, rng.integers(low, high, size=(rows, cols)).astype(float)


def test_dense_arrays_reach_scipys_optimum():
    for case, rng, scores in instances(27, 120, 40, 0, 20):
        rows, cols = scores.shape
        # Integer scores make ties common; a third of the cases have fractional ones.
        if case % 3 == 0:
            scores = rng.random((rows, cols)) * 100
        result = trialog.assign_scores(scores, [1] * cols)
        check_pairs(scores, [1] * cols, result)
        assert outcome(result) == scipy_outcome(scores, [1] * cols), f"case {case}: {rows} × {cols}"


def test_capacities_match_scipy_on_expanded_columns():
    for case, rng, scores in instances(4, 80, 30, -5, 10):
        capacities = rng.integers(0, 4, size=scores.shape[1])
        result = trialog.assign_scores(scores, capacities)
        check_pairs(scores, capacities, result)
        assert outcome(result) == scipy_outcome(scores, capacities), f"case {case}: capacities {capacities}"


def test_nan_and_mask_forbid_pairs_like_none_in_lists():
    for case, rng, scores in instances(8, 80, 25, 0, 10):
        forbidden = rng.random(scores.shape) < 0.4
        capacities = rng.integers(0, 3, size=scores.shape[1])
        rows_with_none = [[None if out else float(s) for s, out in zip(r, m)] for r, m in zip(scores, forbidden)]
        sparse = trialog.assign_scores(rows_with_none, capacities)
        with_nan = np.where(forbidden, np.nan, scores)
        assert trialog.assign_scores(with_nan, capacities) == sparse, f"case {case}"
        assert trialog.assign_scores(scores, capacities, forbidden=forbidden) == sparse, f"case {case}"
        assert trialog.assign_scores(scores.tolist(), capacities, forbidden=forbidden.tolist()) == sparse


def test_forbidden_pairs_match_scipy_with_a_large_negative_score():
    for case, rng, scores in instances(15, 40, 30, 0, 100):
        forbidden = rng.random(scores.shape) < 0.6
        result = trialog.assign_scores(scores, [1] * scores.shape[1], forbidden=forbidden)
        penalised = np.where(forbidden, -1e9, scores)
        r, c = optimize.linear_sum_assignment(penalised, maximize=True)
        allowed = ~forbidden[r, c]
        expected = (int(allowed.sum()), round(float(scores[r, c][allowed].sum()), 6))
        assert outcome(result) == expected, f"case {case}"


def test_every_layout_gives_the_same_result():
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 50, size=(30, 20)).astype(float)
    capacities = [2] * 20
    expected = trialog.assign_scores(scores.tolist(), capacities)
    frame = pd.DataFrame(scores, columns=[f"guide {g}" for g in range(20)])
    wide = np.zeros((30, 40))
    wide[:, ::2] = scores
    layouts = {
        "row-major": scores,
        "column-major": np.asfortranarray(scores),
        "strided slice": wide[:, ::2],
        "reversed": scores[::-1][::-1],
        "int64": scores.astype(np.int64),
        "float32": scores.astype(np.float32),
        "DataFrame.values": frame.values,
        "DataFrame": frame,
    }
    for name, layout in layouts.items():
        assert trialog.assign_scores(layout, capacities) == expected, name


def test_bad_arrays_name_the_field():
    cases = [
        (lambda: trialog.assign_scores(np.ones((2, 2, 2)), [1, 1]), "scores"),
        (lambda: trialog.assign_scores(np.array([[1.0, np.inf]]), [1, 1]), "scores[0][1]"),
        (lambda: trialog.assign_scores(np.array([[1.0, 2e6]]), [1, 1]), "scores[0][1]"),
        (lambda: trialog.assign_scores(np.array([["a", "b"]]), [1, 1]), "scores"),
        (lambda: trialog.assign_scores(np.ones((2, 2)), [1]), "capacities"),
        (lambda: trialog.assign_scores(np.ones((2, 2)), [1, 1], forbidden=np.zeros((2, 3), bool)), "forbidden"),
        (lambda: trialog.assign_scores(np.ones((2, 2)), [1, 1], forbidden=np.zeros((2, 2))), "forbidden"),
        (lambda: trialog.assign_scores([[1.0, 2.0]], [1, 1], forbidden=[[True]]), "forbidden"),
        (lambda: trialog.assign_scores(np.ones((0, 2)), [1, 1]), "scores"),
    ]
    for call, field in cases:
        with pytest.raises(trialog.InvalidInputError) as caught:
            call()
        assert caught.value.field == field


def test_the_gil_is_released_while_solving():
    scores = np.random.default_rng(3).random((1500, 1500))
    done = {}
    worker = threading.Thread(target=lambda: done.setdefault("result", trialog.assign_scores(scores, [1] * 1500)))
    worker.start()
    ticks = 0
    while worker.is_alive():
        ticks += 1
        time.sleep(0.001)
    worker.join()
    assert len(done["result"]["pairs"]) == 1500
    # Had the solve held the GIL, this thread could not have woken up until it ended.
    assert ticks >= 10, f"only {ticks} ticks while solving"
