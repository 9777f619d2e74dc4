"""What building and converting the app's charts costs on the sample (issue 18): per builder, the time to
build the Altair chart, to convert it with schema validation (`to_dict()`), without (`to_dict(validate=
False)`), and Streamlit's own conversion (what `st.altair_chart` and the Overview's shared charts run).

    flock /work/notes/bench.lock python3 bench/chart_bench.py [--repeat 20] [--profile trend_nps]

Medians in ms over `--repeat` runs; the machine's load is printed beside them. Measures; never fails.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cx import charts  # noqa: E402
from cx.io import read_file  # noqa: E402
from cx.metrics import metrics_by, summarize  # noqa: E402
from cx.schema import build_dataset  # noqa: E402

try:
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
except ImportError:
    _convert_altair_to_vega_lite_spec = None


def builders() -> dict:
    """The sample's charts, as the Overview, Trends and Segments pages build them."""
    frame = build_dataset(
        read_file(ROOT / "cx" / "data" / "sample_survey.csv"), estimate_sentiment=False
    ).frame
    s = summarize(frame, 30)
    month = metrics_by(frame, "month", 30)
    by_region = metrics_by(frame, ["region", "month"], 30)
    region = metrics_by(frame, "region", 30)
    grid = metrics_by(frame, ["region", "quarter"], 30)
    return {
        "split_nps": lambda: charts.split_chart(s, "nps"),
        "split_sentiment": lambda: charts.split_chart(s, "sentiment"),
        "trend_nps": lambda: charts.trend_chart(month, "nps", "month", 30),
        "trend_csat": lambda: charts.trend_chart(month, "csat", "month", 30),
        "trend_volume": lambda: charts.trend_chart(month, "volume", "month", 30),
        "trend_nps_split": lambda: charts.trend_chart(by_region, "nps", "month", 30, split="region"),
        "segment_nps": lambda: charts.segment_chart(region, "region", "nps", 30, overall=s["nps"]),
        "heatmap_nps": lambda: charts.heatmap_chart(grid, "region", "nps", "quarter", 30, s["nps"]),
    }


def median_ms(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", help="a builder's name: print its cProfile (build + to_dict)")
    args = parser.parse_args()
    built = builders()
    if args.profile:
        build = built[args.profile]
        build().to_dict()
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(10):
            build().to_dict()
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        return
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    print(f"{'chart':18} {'build':>7} {'validated':>9} {'no valid.':>9} {'streamlit':>9}  (median ms)")
    totals = [0.0, 0.0, 0.0, 0.0]
    for name, build in built.items():
        chart = build()
        row = [
            median_ms(build, args.repeat),
            median_ms(lambda c=chart: c.to_dict(validate=True), args.repeat),
            median_ms(lambda c=chart: c.to_dict(validate=False), args.repeat),
            median_ms(lambda c=chart: _convert_altair_to_vega_lite_spec(c), args.repeat)
            if _convert_altair_to_vega_lite_spec
            else float("nan"),
        ]
        totals = [t + r for t, r in zip(totals, row, strict=True)]
        print(f"{name:18} " + " ".join(f"{v:8.1f}" for v in row))
    print(f"{'total':18} " + " ".join(f"{v:8.1f}" for v in totals))
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
