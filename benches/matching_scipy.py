"""trialog.assign_scores side by side with SciPy's linear_sum_assignment, in one process.

Usage (a release wheel of trialog, numpy and scipy installed):
    python benches/matching_scipy.py            # the sizes of issue 27 (several minutes)
    python benches/matching_scipy.py --quick    # small sizes, a few seconds

Each comparison alternates the two solvers on the same seeded instance (trialog, SciPy,
trialog, SciPy, ...), so that load from other processes on a shared machine hits both alike,
checks that both reach the same optimum (matched count and total), and prints the median of
each and their ratio. Targets (benches/README.md):
  - dense n × n, every pair allowed, from a numpy array: trialog no slower than SciPy;
  - sparse 10,000 clients × 1,000 guides of capacity 10, ~30 eligible guides each: trialog
    (forbidden pairs as NaN) at least 10× faster than SciPy on the same instance as a dense
    matrix (each guide's column repeated 10 times, forbidden pairs at a large negative score);
  - a call on a 2000 × 2000 array with every capacity 0 (reading and checking every score,
    nothing to solve): under 5 ms.
"""

import argparse
import statistics
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

import trialog

FORBIDDEN_SCORE = -1e9  # far below any total of allowed scores, so SciPy avoids it when it can


def timed(call):
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def trialog_outcome(result):
    return len(result["pairs"]), round(result["total_score"], 6)


def scipy_outcome(scores, rows, cols, allowed=None):
    if allowed is None:
        return len(rows), round(float(scores[rows, cols].sum()), 6)
    keep = allowed[rows, cols]
    return int(keep.sum()), round(float(scores[rows, cols][keep].sum()), 6)


def side_by_side(name, rounds, ours, theirs, target):
    """Alternates `ours` and `theirs` `rounds` times; both return (count, total)."""
    our_times, their_times = [], []
    for _ in range(rounds):
        t, our_outcome = timed(ours)
        our_times.append(t)
        t, their_outcome = timed(theirs)
        their_times.append(t)
        if our_outcome != their_outcome:
            sys.exit(f"{name}: trialog reached {our_outcome}, SciPy {their_outcome}")
    ours_s, theirs_s = statistics.median(our_times), statistics.median(their_times)
    ratio = theirs_s / ours_s
    print(
        f"{name:<40} trialog {ours_s * 1e3:9.1f} ms   SciPy {theirs_s * 1e3:9.1f} ms   "
        f"SciPy/trialog {ratio:6.2f}×   (target {target}; {rounds} rounds, optimum {our_outcome})",
        flush=True,
    )


def dense(n, rounds, rng):
    scores = rng.integers(0, 1000, size=(n, n)).astype(np.float64)
    capacities = np.ones(n, dtype=np.int64)
    side_by_side(
        f"dense {n} × {n}, integer scores 0–999",
        rounds,
        lambda: trialog_outcome(trialog.assign_scores(scores, capacities)),
        lambda: scipy_outcome(scores, *linear_sum_assignment(scores, maximize=True)),
        "≥ 1×",
    )


def sparse(clients, guides, capacity, per_client, rounds, rng):
    scores = np.full((clients, guides), np.nan)
    for client in range(clients):
        eligible = rng.choice(guides, size=per_client, replace=False)
        scores[client, eligible] = rng.integers(0, 10_000, size=per_client) / 100
    allowed = ~np.isnan(scores)
    capacities = np.full(guides, capacity, dtype=np.int64)
    # SciPy has no capacities: each guide's column `capacity` times, forbidden pairs penalised.
    expanded = np.repeat(np.where(allowed, scores, FORBIDDEN_SCORE), capacity, axis=1)
    expanded_allowed = np.repeat(allowed, capacity, axis=1)
    side_by_side(
        f"sparse {clients} × {guides}, capacity {capacity}, {per_client} each",
        rounds,
        lambda: trialog_outcome(trialog.assign_scores(scores, capacities)),
        lambda: scipy_outcome(expanded, *linear_sum_assignment(expanded, maximize=True), expanded_allowed),
        "≥ 10×",
    )


def conversion(n, rounds, rng):
    scores = rng.random((n, n)) * 100
    closed = np.zeros(n, dtype=np.int64)
    times = []
    for _ in range(rounds):
        t, result = timed(lambda: trialog.assign_scores(scores, closed))
        assert len(result["unmatched"]) == n
        times.append(t)
    print(
        f"{'conversion ' + str(n) + ' × ' + str(n) + ' (capacities 0)':<40} trialog {statistics.median(times) * 1e3:9.2f} ms"
        f"   (target < 5 ms; median of {rounds}, reads and checks every score, builds {n} unmatched rows)",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    args = parser.parse_args()
    rng = np.random.default_rng(27)
    print(f"numpy {np.__version__}, scipy {sys.modules['scipy'].__version__}, trialog {trialog.__version__}")
    if args.quick:
        conversion(500, 5, rng)
        for n in (200, 400):
            dense(n, 3, rng)
        sparse(1_000, 100, 10, 30, 1, rng)
        return
    conversion(2000, 15, rng)
    dense(1000, 7, rng)
    dense(2000, 5, rng)
    dense(5000, 2, rng)
    sparse(10_000, 1_000, 10, 30, 1, rng)


if __name__ == "__main__":
    main()
