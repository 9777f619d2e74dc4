"""A filter change at scale: every aggregate the pages show, recomputed for a new filter on N rows.

    python bench/filter_bench.py [--rows 1000000] [--segments 7]

Measures one rerun's data work after a filter change (the app caches nothing across filters): apply the
filter; overall NPS/CSAT; monthly trend; every segment's table; one segment × quarter heatmap; and the lowest
areas (depth 2, both metrics) that the Overview's sentences need. Baseline in the same run: the same rows
filtered with a plain boolean mask and `DataFrame.groupby(...).mean()` for the monthly NPS alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from areas_bench import synthetic  # noqa: E402

from cx.areas import area_table  # noqa: E402
from cx.filters import Filters, apply_filters  # noqa: E402
from cx.metrics import metrics_by, summarize  # noqa: E402


def with_dates(frame: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, len(frame)), unit="D")
    return frame


def rerun(frame: pd.DataFrame, filters: Filters, segments: list[str]) -> dict[str, float]:
    times = {}
    start = time.perf_counter()
    kept = apply_filters(frame, filters)
    times["filter"] = time.perf_counter() - start
    t = time.perf_counter()
    summarize(kept)
    metrics_by(kept, "month")
    for col in segments:
        metrics_by(kept, col)
    metrics_by(kept, [segments[0], "quarter"])
    times["overview, trends, segments aggregates"] = time.perf_counter() - t
    t = time.perf_counter()
    for metric in ("nps", "csat"):
        area_table(kept, segments, metric, depth=2)
    times["lowest areas, depth 2, NPS + CSAT"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - start
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--segments", type=int, default=7)
    args = parser.parse_args()
    frame = with_dates(synthetic(args.rows, args.segments))
    segments = [c for c in frame.columns if c.startswith("seg")]
    filters = Filters(segments={segments[1]: ["v0", "v1"]}, date_from=pd.Timestamp("2024-06-01").date())
    times = rerun(frame, filters, segments)
    start = time.perf_counter()
    mask = frame[segments[1]].isin(["v0", "v1"]) & (frame["date"] >= "2024-06-01")
    frame[mask].groupby(frame.loc[mask, "date"].dt.to_period("M"))["nps"].mean()
    base = time.perf_counter() - start
    print(f"{args.rows:,} rows × {len(segments)} segment columns, filter keeps {mask.sum():,}\n")
    print("| step | seconds |")
    print("|---|---|")
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.2f} |")
    print(f"| baseline: boolean mask + groupby mean, monthly NPS only | {base:.2f} |")


if __name__ == "__main__":
    main()
