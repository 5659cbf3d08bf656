#!/usr/bin/env python3
"""Prints the medians of the last criterion run as a Markdown table.

    python3 benches/summary.py [target/criterion]

Criterion keeps each benchmark's latest estimates in
target/criterion/<group>/<function>/new/estimates.json; this reads the median and its 95 %
confidence interval from every one it finds.
"""

import json
import pathlib
import sys


def human(ns: float) -> str:
    for unit, size in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= size:
            return f"{ns / size:.3g} {unit}"
    return f"{ns:.3g} ns"


def main() -> None:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/criterion")
    rows = []
    for bench in sorted(root.glob("**/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        median = json.loads((bench.parent / "estimates.json").read_text())["median"]
        ci = median["confidence_interval"]
        rows.append((meta["full_id"], median["point_estimate"], ci["lower_bound"], ci["upper_bound"]))
    if not rows:
        sys.exit(f"no criterion results under {root}: run `cargo bench --bench accounts` first")
    print("| benchmark | median | 95 % interval |")
    print("|---|---|---|")
    for name, point, low, high in rows:
        print(f"| `{name}` | {human(point)} | {human(low)} – {human(high)} |")


if __name__ == "__main__":
    main()
