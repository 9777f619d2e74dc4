"""Lowest areas at scale: seconds and peak memory for N rows × C segment columns, depth 1 and 2.

    python bench/areas_bench.py [--rows 1000000] [--segments 20]

Baseline in the same run: the same aggregates with one pandas groupby per area column pair (the
straightforward way), so the ratio shows what the bincount implementation buys. Measures; never fails.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cx.areas import area_table  # noqa: E402
from cx.schema import Roles, add_derived  # noqa: E402


def synthetic(rows: int, segments: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "response_id": pd.array(np.arange(rows).astype(str), dtype="string"),
            "date": pd.NaT,
            "nps": pd.array(rng.integers(0, 11, rows), dtype="Int64"),
            "csat": pd.array(rng.integers(1, 6, rows), dtype="Int64"),
            "ces": pd.array([None] * rows, dtype="Int64"),
            "text": pd.array([None] * rows, dtype="string"),
        }
    )
    for i in range(segments):
        values = rng.integers(0, 3 + i % 10, rows)  # 3 to 12 values per column
        frame[f"seg{i:02d}"] = pd.Categorical.from_codes(values, [f"v{j}" for j in range(values.max() + 1)])
    return add_derived(frame, Roles(nps="nps", csat="csat"))


def groupby_baseline(frame: pd.DataFrame, segments: list[str]) -> int:
    """Counts per area with pandas groupby (one per column and per pair): what area_table replaces."""
    data = pd.DataFrame({"n": frame["nps"].notna(), "pos": frame["nps"] >= 9, "neg": frame["nps"] <= 6})
    data = data.astype("int64")
    cells = 0
    for combo in [(c,) for c in segments] + list(combinations(segments, 2)):
        keys = [frame[c] for c in combo]
        cells += len(data.groupby(keys, observed=True).sum())
    return cells


def timed(fn):
    tracemalloc.start()
    start = time.perf_counter()
    out = fn()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return out, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--segments", type=int, default=20)
    args = parser.parse_args()
    frame = synthetic(args.rows, args.segments)
    segments = [c for c in frame.columns if c.startswith("seg")]
    print(f"{args.rows:,} rows × {len(segments)} segment columns\n")
    print("| what | areas | seconds | peak MB (Python allocations) |")
    print("|---|---|---|---|")
    for depth in (1, 2):
        table, seconds, peak = timed(lambda d=depth: area_table(frame, segments, "nps", depth=d))
        print(f"| area_table, NPS, depth {depth} | {len(table):,} | {seconds:.2f} | {peak:.0f} |")
    cells, base, peak = timed(lambda: groupby_baseline(frame, segments))
    print(f"| baseline: pandas groupby per column pair (counts only) | {cells:,} | {base:.2f} | {peak:.0f} |")
    _, ours, _ = timed(lambda: area_table(frame, segments, "nps", depth=2))
    print(f"\nratio baseline / area_table (depth 2): {base / ours:.1f}×")


if __name__ == "__main__":
    main()
