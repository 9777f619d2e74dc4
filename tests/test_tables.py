"""Numbers and tables as people read them."""

import math

import pandas as pd

from cx.areas import area_table
from cx.metrics import metrics_by, summarize
from cx.tables import (
    areas_display,
    display_table,
    fmt_metric,
    fmt_nps,
    fmt_pct,
    interval_caption,
    metric_label,
    sentiment_source_lines,
)
from tests.test_metrics import frame_of


def test_numbers_read_like_a_report():
    assert (
        fmt_nps(16.4) == "+16"
        and fmt_nps(-41.6) == "−42"
        and fmt_nps(-0.2) == "0"
        and fmt_nps(math.nan) == "–"
    )
    assert fmt_pct(67.6) == "68 %" and fmt_pct(math.nan) == "–"


def test_interval_caption_says_n_and_flags_small_samples():
    s = {"n_nps": 12, "nps_low": -20.0, "nps_high": 40.0}
    assert (
        interval_caption(s, "nps", 30)
        == "95 % interval −20 to +40 · n = 12 · n < 30: too few responses to rely on"
    )
    assert interval_caption({"n_csat": 0}, "csat", 30) == "This file has no CSAT column."


def test_display_table_shows_one_metric_with_periods_named():
    f = frame_of(nps=[10, 0, 9], date=["2025-07-03", "2025-07-30", "2025-10-01"])
    table = display_table(metrics_by(f, "quarter", min_n=2), "nps", "quarter")
    assert list(table["period"]) == ["Q3 2025", "Q4 2025"]
    assert list(table["sample"]) == ["", "too few"] and list(table["n"]) == [2, 1]
    assert isinstance(table, pd.DataFrame) and "CSAT" not in table.columns


def test_each_metric_reads_in_its_own_unit():
    assert fmt_metric(16.4, "nps") == "+16" and fmt_metric(67.6, "csat") == "68 %"
    assert fmt_metric(23.4, "sentiment") == "23 % negative" and fmt_metric(4.26, "ces") == "4.3"
    assert fmt_metric(12345, "volume") == "12,345" and fmt_metric(math.nan, "sentiment") == "–"


def test_captions_for_files_without_scores():
    f = frame_of(text=["a", "b", "c", "d", None], sentiment=["neg", "pos", "pos", None, None])
    s = summarize(f, 30)
    assert interval_caption(s, "sentiment", 30) == (
        f"95 % interval {s['sentiment_low']:.0f}–{s['sentiment_high']:.0f} % · n = 3 comments with a known "
        "sentiment · n < 30: too few responses to rely on"
    )
    assert interval_caption(s, "volume", 30) == "4 comments in 5 responses"
    assert interval_caption(s, "ces", 30) == "This file has no CES column."
    no_text = summarize(frame_of(nps=[9, 10]), 30)
    assert interval_caption(no_text, "volume", 30) == "2 responses · no comments in this file"
    assert interval_caption(no_text, "sentiment", 30).startswith("No comment has a known sentiment")
    ces = summarize(frame_of(ces=[7, 6, 2]), 2)
    assert interval_caption(ces, "ces", 2) == (
        f"95 % interval {ces['ces_low']:.1f}–{ces['ces_high']:.1f} · n = 3 · 67 % easy (5–7)"
    )


def test_volume_table_is_a_count_with_shares():
    f = frame_of(text=["a", "b", None, "c"], region=["North", "North", "South", "South"])
    table = display_table(metrics_by(f, "region", min_n=30), "volume")
    assert list(table.columns) == ["region", "comments", "% of all", "responses"]
    assert list(table["comments"]) == [2, 1] and list(table["% of all"]) == [66.7, 33.3]
    assert list(table["responses"]) == [2, 2]


def test_sentiment_table_says_percent_negative():
    f = frame_of(
        text=["a"] * 5,
        sentiment=["neg", "neg", "pos", "neu", None],
        date=["2025-01-02"] * 3 + ["2025-02-03"] * 2,
    )
    table = display_table(metrics_by(f, "month", min_n=30), "sentiment", "month")
    assert list(table.columns) == ["period", "n", "% negative", "95 % low", "95 % high", "sample"]
    assert list(table["period"]) == ["Jan 2025", "Feb 2025"]
    assert list(table["% negative"]) == [66.7, 0.0] and list(table["n"]) == [3, 1]


def test_areas_table_names_the_negative_share():
    f = frame_of(text=["a"] * 4, sentiment=["neg", "neg", "pos", "pos"], region=["A", "A", "B", "B"])
    shown = areas_display(area_table(f, ["region"], "sentiment", depth=1, min_n=1), "sentiment")
    assert {"% negative", "rest % negative"} <= set(shown.columns)
    assert shown.set_index("area").loc["region A", "% negative"] == 100


def test_estimated_sentiment_is_named_as_an_estimate():
    assert metric_label("sentiment", "column tono") == "Negative comments"
    assert metric_label("sentiment", "estimated") == "Likely negative comments"
    assert metric_label("nps", "estimated") == "NPS"
    assert sentiment_source_lines("column tono") == ["Sentiment from column tono."]
    both = sentiment_source_lines("column tono, estimated")
    assert len(both) == 2 and "likely negative" in both[1] and "not as a fact" in both[1]
    assert sentiment_source_lines(None) == []
