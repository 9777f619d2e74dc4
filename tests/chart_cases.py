"""The app's charts on the sample survey, by name: what tests/test_chart_specs.py compares with the specs
the builders drew before they were made cheaper (tests/data/chart_specs/, written by
`python3 -m tests.chart_cases` from the code of commit 76b1732, English)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd

from cx import charts
from cx.io import read_file
from cx.metrics import METRIC_ORDER, metrics_by, summarize
from cx.schema import build_dataset

ROOT = Path(__file__).resolve().parent.parent
SPECS = Path(__file__).resolve().parent / "data" / "chart_specs"
MIN_N = 30


def cases() -> dict:
    """Every builder, every metric it draws, on the sample; with a split, by year and by quarter."""
    frame = build_dataset(
        read_file(ROOT / "cx" / "data" / "sample_survey.csv"), estimate_sentiment=False
    ).frame
    s = summarize(frame, MIN_N)
    out = {
        "split_nps": lambda: charts.split_chart(s, "nps"),
        "split_sentiment": lambda: charts.split_chart(s, "sentiment"),
    }
    tables = {
        "month": metrics_by(frame, "month", MIN_N),
        "year": metrics_by(frame, "year", MIN_N),
        "quarter": metrics_by(frame, "quarter", MIN_N),
        "region_month": metrics_by(frame, ["region", "month"], MIN_N),
        "channel_week": metrics_by(frame[frame["date"] >= "2026-02-01"], ["channel", "week"], MIN_N),
        "region": metrics_by(frame, "region", MIN_N),
        "region_quarter": metrics_by(frame, ["region", "quarter"], MIN_N),
        "product_month": metrics_by(frame, ["product", "month"], MIN_N),
    }
    for metric in METRIC_ORDER:
        overall = s.get(metric)
        for g in ("month", "year", "quarter"):
            out[f"trend_{metric}_{g}"] = lambda m=metric, g=g: charts.trend_chart(tables[g], m, g, MIN_N)
        out[f"trend_{metric}_region"] = lambda m=metric: charts.trend_chart(
            tables["region_month"], m, "month", MIN_N, split="region"
        )
        out[f"trend_{metric}_channel_week"] = lambda m=metric: charts.trend_chart(
            tables["channel_week"], m, "week", MIN_N, split="channel"
        )
        out[f"segment_{metric}"] = lambda m=metric, o=overall: charts.segment_chart(
            tables["region"], "region", m, MIN_N, overall=o
        )
        out[f"heatmap_{metric}"] = lambda m=metric, o=overall: charts.heatmap_chart(
            tables["region_quarter"], "region", m, "quarter", MIN_N, o
        )
        out[f"heatmap_{metric}_month"] = lambda m=metric, o=overall: charts.heatmap_chart(
            tables["product_month"], "product", m, "month", MIN_N, o
        )
    months = pd.to_datetime(["2024-01-01", "2024-02-01", "2024-05-01", "2024-06-01"])
    theme = pd.DataFrame({"period": months, "n_theme": [3, 4, 2, 5], "n_all": [10, 10, 8, 9]})
    theme["share"] = theme["n_theme"] / theme["n_all"] * 100
    out["theme_trend"] = lambda: charts.theme_trend_chart(theme, "month")
    mix = pd.DataFrame(
        {
            "region": ["Multichannel customers in the northern region", "South", "East"],
            "n_theme": [5, 3, 2],
            "this theme": [50.0, 30.0, 20.0],
            "all grouped comments": [40.0, 35.0, 25.0],
        }
    )
    out["mix"] = lambda: charts.mix_chart(mix, "region")
    out["big_text"] = lambda: charts.big_text(["Delivery was late again and nobody called back", "x"], 26, 20)
    return out


def write() -> None:
    """Record the current builders' specs (run once, on the code before the optimisation)."""
    SPECS.mkdir(parents=True, exist_ok=True)
    for name, build in cases().items():
        spec = build().to_dict(validate=True)
        (SPECS / f"{name}.json").write_text(json.dumps(spec, sort_keys=True, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    os.environ.setdefault("CX_LANG", "en")
    write()
