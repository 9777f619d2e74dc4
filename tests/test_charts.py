"""Chart builders, read through their Vega-Lite specs: what a room would see on the screen."""

import math

import numpy as np
import pandas as pd
import pytest

from cx import charts
from cx.metrics import METRIC_ORDER, metrics_by, summarize
from tests.test_metrics import frame_of

LONG = "Multichannel customers in the northern region"


def spec_of(chart) -> dict:
    """The chart's Vega-Lite spec, validated against the schema by Altair (the app's own conversion skips
    the validation: these tests and tests/test_chart_specs.py are where every builder's spec is checked)."""
    return chart.to_dict(validate=True)


def rows(spec: dict, layer: int | None = None) -> list[dict]:
    """The data rows behind the chart, or behind one layer."""
    named = (
        spec["layer"][layer]["data"]["name"] if layer is not None and "data" in spec["layer"][layer] else None
    )
    name = named or (spec["data"] if "data" in spec else spec["layer"][0]["data"])["name"]
    return spec["datasets"][name]


def find(node, key: str) -> list:
    """Every value of `key` anywhere in the spec."""
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                found.append(v)
            found += find(v, key)
    elif isinstance(node, list):
        for item in node:
            found += find(item, key)
    return found


def layer_with(spec: dict, mark: str) -> int:
    types = [
        (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"])
        for layer in spec["layer"]
    ]
    return types.index(mark)


def full_survey(n: int = 400, seed: int = 0, empty_months=(3, 4)) -> pd.DataFrame:
    """Every metric present, dates over 2024 with some months empty, a long segment value."""
    rng = np.random.default_rng(seed)
    dates = pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    dates = dates.where(~dates.month.isin(empty_months), pd.Timestamp("2024-07-15"))
    return frame_of(
        nps=rng.integers(0, 11, n).tolist(),
        csat=rng.integers(1, 6, n).tolist(),
        ces=rng.integers(1, 8, n).tolist(),
        text=["a comment"] * n,
        sentiment=rng.choice(["neg", "neu", "pos"], n).tolist(),
        date=dates,
        region=rng.choice([LONG, "South", "East", "West"], n).tolist(),
    )


def text_only(n: int = 60) -> pd.DataFrame:
    """Comments with a date and a segment, no score and no sentiment (tweets, tickets)."""
    rng = np.random.default_rng(1)
    dates = pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 200, n), unit="D")
    return frame_of(text=["a tweet"] * n, date=dates, channel=rng.choice(["Twitter", "Email"], n).tolist())


# Trends ---------------------------------------------------------------------------------------------------


def test_trend_keeps_empty_months_as_nulls_so_the_line_breaks():
    table = metrics_by(full_survey(), "month", min_n=30)
    assert len(table) == 10  # March and April have no answers: metrics_by leaves them out...
    spec = spec_of(charts.trend_chart(table, "nps", "month", 30))
    line = spec["layer"][layer_with(spec, "line")]
    data = rows(spec, layer_with(spec, "line"))
    by_month = {row["period"][:7]: row for row in data}
    assert len(by_month) == 12  # ...the chart has them, with no score: a gap
    assert by_month["2024-03"]["nps"] is None and by_month["2024-04"]["nps_low"] is None
    assert by_month["2024-02"]["nps"] is not None and by_month["2024-02"]["n"] > 0
    assert line["mark"]["invalid"] == "break-paths-show-domains"
    assert spec["layer"][layer_with(spec, "area")]["mark"]["invalid"] == "break-paths-show-domains"
    # The dots are drawn only where there are answers.
    points = rows(spec, layer_with(spec, "point"))
    assert all(row["nps"] is not None for row in points) and len(points) == 10


@pytest.mark.parametrize(
    ("metric", "title"),
    [
        ("nps", "NPS"),
        ("csat", "CSAT (% top-two boxes)"),
        ("ces", "CES (mean, 1–7)"),
        ("sentiment", "% negative comments"),
        ("volume", "Comments"),
    ],
)
def test_trend_axis_names_the_metric(metric, title):
    table = metrics_by(full_survey(), "month", min_n=30)
    spec = spec_of(charts.trend_chart(table, metric, "month", 30))
    assert title in find(spec, "title")


def test_volume_trend_is_bars_per_period_with_true_zeros():
    table = metrics_by(full_survey(), ["region", "month"], min_n=30)
    spec = spec_of(charts.trend_chart(table, "volume", "month", 30, split="region"))
    assert spec["mark"]["type"] == "bar"
    data = pd.DataFrame(rows(spec))
    march = data[data["period"].str.startswith("2024-03")]
    assert len(march) == 4 and (march["volume"] == 0).all()  # no comments in March: a zero, for each region
    totals = data.groupby("period")["top"].max()
    assert totals.sum() == 400  # stacked: each month's bar reaches its total number of comments
    assert spec["encoding"]["x2"]["field"] == "period_end"


def test_trend_split_legend_wraps_long_values_and_is_never_cut():
    table = metrics_by(full_survey(), ["region", "month"], min_n=30)
    spec = spec_of(charts.trend_chart(table, "sentiment", "month", 30, split="region"))
    encodings = [(channel, enc) for layer in spec["layer"] for channel, enc in layer["encoding"].items()]
    legends = [
        (channel, enc["legend"]) for channel, enc in encodings if isinstance(enc, dict) and "legend" in enc
    ]
    drawn = [legend for _, legend in legends if legend is not None]
    assert drawn and all(
        legend["labelLimit"] == 0 and legend["labelExpr"] == charts.LINES for legend in drawn
    )
    assert spec["config"]["legend"]["labelLimit"] == 0
    # One legend only (the colour's): the points' fill and stroke do not draw a second one.
    assert {channel for channel, legend in legends if legend is not None} == {"color"}
    others = [enc for channel, enc in encodings if channel in ("fill", "stroke")]
    assert len(others) == 2 and all(find(enc, "legend") == [None] for enc in others)
    series = {row["series"] for row in rows(spec, layer_with(spec, "line"))}
    wrapped = charts.wrap_label(LONG)
    assert wrapped in series and all(len(line) <= charts.WRAP for line in wrapped.split("\n"))
    assert wrapped.replace("\n", " ") == LONG  # every word is kept


def test_year_trend_uses_a_year_axis_and_bare_years_stay_out_of_months():
    f = frame_of(
        nps=[10, 10, 0, 9],
        date=["2021-01-01", "2021-03-04", "2022-01-01", "2022-05-06"],
        year_only=[True, False, True, False],
    )
    yearly = spec_of(charts.trend_chart(metrics_by(f, "year", min_n=1), "nps", "year", 1))
    x = yearly["layer"][layer_with(yearly, "line")]["encoding"]["x"]
    assert x["timeUnit"] == "year" and x["axis"]["format"] == "%Y"
    assert [row["n"] for row in rows(yearly, layer_with(yearly, "line"))] == [2, 2]
    monthly = spec_of(charts.trend_chart(metrics_by(f, "month", min_n=1), "nps", "month", 1))
    data = rows(monthly, layer_with(monthly, "line"))
    by_month = {row["period"][:7]: row for row in data}
    assert "2021-01" not in by_month  # the months run from the first full date (March 2021)...
    assert (
        by_month["2022-01"]["n"] == 0 and by_month["2022-01"]["nps"] is None
    )  # ...and January 2022 is empty
    assert sum(row["n"] for row in data) == 2  # only the two full dates


# Segments -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", METRIC_ORDER)
def test_segment_chart_for_every_metric(metric):
    f = full_survey()
    s = summarize(f, 30)
    table = metrics_by(f, "region", min_n=30)
    spec = spec_of(charts.segment_chart(table, "region", metric, 30, overall=s[metric]))
    labels = [row["label"] for row in rows(spec)]
    assert len(labels) == 4 and all("(n = " in label for label in labels)
    long = next(label for label in labels if label.startswith("Multichannel"))
    lines = long.split("\n")
    assert all(len(line) <= 2 * charts.WRAP for line in lines)  # wrapped, never cut...
    assert lines[-1].startswith("(n = ") and " ".join(lines[:-1]) == LONG  # ...the n kept whole
    assert find(spec, "labelLimit")[0] == 0


def test_segment_chart_puts_the_most_negative_share_at_the_bottom():
    f = full_survey()
    table = metrics_by(f, "region", min_n=30)
    spec = spec_of(charts.segment_chart(table, "region", "sentiment", 30))
    order = spec["layer"][0]["encoding"]["y"]["sort"]
    share = {row["label"]: row["sentiment"] for row in rows(spec)}
    assert [share[label] for label in order] == sorted(share.values())  # lowest (best) first, worst last
    nps_spec = spec_of(charts.segment_chart(table, "region", "nps", 30))
    nps = {row["label"]: row["nps"] for row in rows(nps_spec)}
    assert [nps[label] for label in nps_spec["layer"][0]["encoding"]["y"]["sort"]] == sorted(nps.values())[
        ::-1
    ]


def test_volume_segment_chart_shows_counts_and_shares():
    f = text_only()
    spec = spec_of(charts.segment_chart(metrics_by(f, "channel", min_n=30), "channel", "volume", 30))
    data = rows(spec)
    assert sum(row["volume"] for row in data) == 60
    assert sum(row["share"] for row in data) == pytest.approx(100)
    assert {row["text"] for row in data} == {f"{row['share']:.0f} %" for row in data}
    assert "Comments" in find(spec, "title")


def test_segment_chart_without_answers_is_empty_not_an_error():
    # A text-only file asked for NPS: no row to draw, a finite axis, no exception (today: TypeError).
    spec = spec_of(
        charts.segment_chart(metrics_by(text_only(), "channel", 30), "channel", "nps", 30, math.nan)
    )
    assert rows(spec) == []
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [-100, 100]
    assert len(spec["layer"]) == 2  # no "overall" line for a metric the file lacks


# Heatmap --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("granularity", "angle", "text"), [("quarter", 0, True), ("month", -45, True), ("week", -90, False)]
)
def test_heatmap_period_labels_never_overlap(granularity, angle, text):
    f = full_survey(n=2000)
    grid = metrics_by(f, ["region", granularity], min_n=30)
    spec = spec_of(charts.heatmap_chart(grid, "region", "nps", granularity, 30, overall=summarize(f)["nps"]))
    x = spec["layer"][0]["encoding"]["x"]
    assert x["axis"]["labelAngle"] == angle and x["axis"]["labelOverlap"] == "parity"
    # Every period is a column, empty ones included (March and April 2024 have no answers).
    expected = {"quarter": 4, "month": 12, "week": 53}[granularity]
    assert len(x["scale"]["domain"]) == expected
    # Numbers in the cells only while the cells are wide enough for them.
    assert (len(spec["layer"]) == 2) is text
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] == 0


def test_heatmap_colours_follow_the_metric_direction():
    f = full_survey()
    s = summarize(f, 30)
    grid = metrics_by(f, ["region", "quarter"], min_n=30)

    def scale(metric):
        spec = spec_of(charts.heatmap_chart(grid, "region", metric, "quarter", 30, overall=s.get(metric)))
        return spec["layer"][0]["encoding"]["color"]["condition"]["scale"]

    assert scale("nps")["reverse"] is True and scale("ces")["reverse"] is True  # higher = blue
    assert scale("sentiment")["reverse"] is False  # a higher negative share = vermillion
    assert scale("sentiment")["domainMid"] == pytest.approx(s["sentiment"])
    volume = spec_of(charts.heatmap_chart(grid, "region", "volume", "quarter", 30, overall=None))
    assert volume["layer"][0]["encoding"]["color"]["scale"]["scheme"] == "blues"
    assert sum(row["n"] for row in rows(volume)) == 400


# Splits, themes, text -------------------------------------------------------------------------------------


def test_split_chart_for_nps_and_sentiment():
    s = summarize(frame_of(nps=[10, 9, 7, 3], text=["a"] * 4, sentiment=["neg", "neg", "pos", None]))
    nps = rows(spec_of(charts.split_chart(s, "nps")), 0)
    assert [row["share"] for row in nps] == [25, 25, 50]
    sentiment = rows(spec_of(charts.split_chart(s, "sentiment")), 0)
    assert [(row["label"], row["count"]) for row in sentiment] == [
        ("Negative", 2),
        ("Neutral", 0),
        ("Positive", 1),
    ]
    assert sentiment[0]["share"] == pytest.approx(200 / 3)
    assert rows(spec_of(charts.nps_split_chart(s)), 0) == nps
    with pytest.raises(ValueError):
        charts.split_chart(s, "volume")


def test_theme_trend_breaks_at_months_without_grouped_comments():
    table = pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-05-01"]),
            "n_theme": [3, 4, 2],
            "n_all": [10, 10, 8],
            "share": [30.0, 40.0, 25.0],
        }
    )
    spec = spec_of(charts.theme_trend_chart(table, "month"))
    data = rows(spec)
    assert [row["share"] for row in data] == [30.0, 40.0, None, None, 25.0]
    assert spec["mark"]["invalid"] == "break-paths-show-domains"


def test_mix_chart_wraps_long_segment_values():
    table = pd.DataFrame(
        {
            "region": [LONG, "South"],
            "n_theme": [5, 3],
            "this theme": [62.5, 37.5],
            "all grouped comments": [40.0, 60.0],
        }
    )
    spec = spec_of(charts.mix_chart(table, "region"))
    assert charts.wrap_label(LONG) in {row["row_label"] for row in rows(spec)}
    assert spec["encoding"]["y"]["axis"]["labelExpr"] == charts.LINES
    assert spec["encoding"]["color"]["legend"]["labelLimit"] == 0


def test_big_text_wraps_and_keeps_every_word():
    spec = spec_of(charts.big_text(["one two three four five six", "x"], width=10))
    assert [row["text"] for row in rows(spec)] == ["one two", "three four", "five six", "x"]
    assert spec_of(charts.big_text([]))["mark"]["type"] == "text"


# Every builder, every metric, on files without scores ---------------------------------------------------


@pytest.mark.parametrize("metric", METRIC_ORDER)
@pytest.mark.parametrize("kind", ["text_only", "one_row", "scores_without_text"])
def test_every_builder_draws_every_metric_on_any_file(kind, metric):
    if kind == "text_only":
        f = text_only()
    elif kind == "one_row":
        f = frame_of(nps=[9], text=["ok"], date=["2024-02-02"], channel=["Email"])
    else:
        f = frame_of(
            nps=[9, 3, 10],
            csat=[5, 2, 4],
            date=["2024-01-02", "2024-03-03", "2024-03-09"],
            channel=["Web", "Email", "Web"],
        )
    s = summarize(f, 30)
    overall = s.get(metric)
    for granularity in ("month", "year"):
        spec_of(charts.trend_chart(metrics_by(f, granularity, 30), metric, granularity, 30))
        spec_of(
            charts.trend_chart(
                metrics_by(f, ["channel", granularity], 30), metric, granularity, 30, split="channel"
            )
        )
    spec_of(charts.segment_chart(metrics_by(f, "channel", 30), "channel", metric, 30, overall=overall))
    spec_of(
        charts.heatmap_chart(
            metrics_by(f, ["channel", "quarter"], 30), "channel", metric, "quarter", 30, overall
        )
    )
    if metric == "volume":
        expected = "Comments" if kind != "scores_without_text" else "Responses"
        trend = spec_of(charts.trend_chart(metrics_by(f, "month", 30), metric, "month", 30))
        assert expected in find(trend, "title")
