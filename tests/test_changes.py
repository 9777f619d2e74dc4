"""What changed between two periods: the parts sum to the change and name the planted causes."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cx.changes import compare, default_periods, drivers_table, newcombe, parse_period, theme_changes
from cx.io import InputError, read_bytes
from cx.schema import build_dataset
from tests.planted import NEW_COMPLAINT, planted_survey, theme_assignments

ROOT = Path(__file__).resolve().parent.parent
SEGMENTS = ["channel", "region", "plan"]


@pytest.fixture(scope="module")
def dataset():
    return build_dataset(read_bytes(planted_survey().to_csv(index=False).encode(), "planted.csv"))


@pytest.fixture(scope="module")
def result(dataset):
    frame = dataset.frame
    before, after = default_periods(frame)
    return compare(frame, before, after, "nps", SEGMENTS, theme_assignments(frame))


def test_periods_parse_every_form():
    assert (parse_period("2025-03").start, parse_period("2025-03").end) == (
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2025-04-01"),
    )
    q = parse_period("2025-Q2")
    assert (q.start, q.end, q.label) == (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-07-01"), "2025-Q2")
    w = parse_period("2025-W01")  # ISO week 1 of 2025 starts on Monday 30 December 2024
    assert (w.start, w.end) == (pd.Timestamp("2024-12-30"), pd.Timestamp("2025-01-06"))
    r = parse_period("2025-03-01..2025-03-15")
    assert (r.start, r.end) == (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-16"))
    assert r.previous().label == "2025-02-14..2025-02-28"
    assert parse_period("2025-01").previous().label == "2024-12"
    for bad in ("2025-13", "March", "2025-03-10..2025-03-01", "2025-W60"):
        with pytest.raises(InputError, match="period"):
            parse_period(bad)


def test_default_periods_are_the_last_complete_month_and_the_one_before():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-04-03", "2025-05-30", "2025-06-10"])})
    before, after = default_periods(frame)
    assert (before.label, after.label) == ("2025-04", "2025-05")  # June stops on the 10th: incomplete
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-04-03", "2025-06-29"])})
    assert [p.label for p in default_periods(frame)] == ["2025-05", "2025-06"]


def test_metric_and_change_match_a_hand_count(dataset, result):
    frame = dataset.frame
    for period, side in (("2025-05", result.before), ("2025-06", result.after)):
        rows = frame[frame["date"].dt.strftime("%Y-%m") == period]
        expected = 100 * ((rows["nps"] >= 9).mean() - (rows["nps"] <= 6).mean())
        assert side["value"] == pytest.approx(expected)
        assert side["n"] == len(rows) == 1206
        assert side["ci"][0] < side["value"] < side["ci"][1]
    assert result.change == pytest.approx(result.after["value"] - result.before["value"])
    assert result.change_ci[1] < 0 and result.significant


def test_parts_sum_exactly_to_the_change_for_every_column(result):
    sums = result.parts.groupby("column")["contribution"].sum()
    assert set(sums.index) == set(SEGMENTS)
    for column, total in sums.items():
        assert total == pytest.approx(result.change, abs=1e-9), column


def test_planted_causes_come_first_in_order(result):
    top = result.drivers.head(2)
    assert list(zip(top["column"], top["value"], top["effect"], strict=True)) == [
        ("channel", "Phone", "within"),
        ("region", "East", "mix"),
    ]
    phone, east = top.iloc[0], top.iloc[1]
    assert phone["low"] < phone["contribution"] < phone["high"] < 0
    assert east["high"] < 0 and east["n_after"] > 2 * east["n_before"]
    assert (np.diff(result.drivers["contribution"]) >= 0).all()  # most negative first


def test_tiny_and_dominant_values_are_never_ranked(result):
    tiny = result.parts[result.parts["value"] == "Tiny"]
    assert len(tiny) == 2 and not tiny["ranked"].any() and set(tiny["n_after"]) == {6}
    assert "Tiny" not in set(result.drivers["value"])
    assert "Standard" not in set(result.drivers["value"])  # 99.5 % of answers: the total, not a part


def test_new_complaint_is_marked_new_with_its_share(dataset, result):
    themes = result.themes
    new = themes[themes["new"]]
    assert list(new["label"]) == [NEW_COMPLAINT]
    row = new.iloc[0]
    frame = dataset.frame
    june = frame[frame["date"].dt.month == 6]
    assert row["n_before"] == 0 and row["share_before"] == 0
    assert row["share_after"] == pytest.approx(
        100 * (june["text"] == NEW_COMPLAINT).sum() / june["text"].notna().sum()
    )
    assert row["low"] > 0 and row["significant"]
    assert not themes.loc[~themes["new"], "new"].any() and len(themes) == 4


def test_sentence_says_it_plainly(result):
    s = result.sentence
    assert s.startswith(f"NPS fell {abs(result.change):.1f} pts (")
    assert "significant" in s and "not significant" not in s
    assert "channel Phone (−" in s and "its own score fell" in s
    assert f"'{NEW_COMPLAINT}' is a new complaint (0 % →" in s
    assert "region East's larger share of answers explains −" in s


def test_multi_label_comment_counts_once_per_theme():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-05", "2025-01-06", "2025-02-05", "2025-02-06"]),
            "text": ["a", "b", "c", "d"],
        }
    )
    assign = pd.DataFrame(
        {"theme_id": [1, 1, 2, 1, 1], "theme_label": ["x", "x", "y", "x", "x"]}, index=[0, 2, 2, 3, 3]
    )
    jan, feb = parse_period("2025-01").mask(frame), parse_period("2025-02").mask(frame)
    table = theme_changes(frame, assign, jan, feb).set_index("label")
    assert table.loc["x", "n_before"] == 1 and table.loc["x", "n_after"] == 2  # row 3 listed twice
    assert table.loc["x", "share_after"] == 100 and table.loc["y", "share_after"] == 50
    assert table.loc["y", "new"] and not table.loc["x", "new"]
    known = theme_changes(frame, assign, jan, feb, known_themes=[1, 2]).set_index("label")
    assert not known["new"].any()


def test_newcombe_interval_is_sound_at_zero():
    d, low, high = newcombe(0, 100, 14, 100)
    assert d == pytest.approx(14) and 0 < low < 14 < high


def test_cli_changes_json(tmp_path):
    path = tmp_path / "planted.csv"
    planted_survey().to_csv(path, index=False)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cx",
            "changes",
            path,
            "--from",
            "2025-05",
            "--to",
            "2025-06",
            "--bootstrap",
            "100",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"metric", "before", "after", "change", "change_ci", "drivers", "themes"} <= set(data)
    assert data["before"]["n"] == data["after"]["n"] == 1206
    assert set(data["drivers"][0]) == {
        "column",
        "value",
        "effect",
        "contribution",
        "ci",
        "n_before",
        "n_after",
    }
    contributions = [d["contribution"] for d in data["drivers"]]
    assert contributions == sorted(contributions)
    assert (data["drivers"][0]["column"], data["drivers"][0]["value"]) == ("channel", "Phone")
    assert data["themes"] == []  # no --themes file given
    bad = subprocess.run(
        [sys.executable, "-m", "cx", "changes", path, "--to", "2019-04"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert bad.returncode == 2 and bad.stderr.startswith("error: no NPS answers in 2019-03")
    assert "Traceback" not in bad.stderr


def test_periods_on_offer_and_readable_tables(dataset, result):
    from cx.changes import available_periods, drivers_table, themes_table

    assert [p.label for p in available_periods(dataset.frame, "quarter")] == ["2025-Q1", "2025-Q2"]
    assert [p.label for p in available_periods(dataset.frame, "month")][-2:] == ["2025-05", "2025-06"]
    table = drivers_table(result, rows=3)
    assert list(table["value"]) == ["Phone", "East", result.drivers.iloc[2]["value"]]
    assert table.iloc[0]["effect"] == "own score" and table.iloc[1]["effect"] == "share of answers"
    assert table.iloc[0]["n 2025-06"] == 396
    themes = themes_table(result)
    assert themes.iloc[0]["theme"] == NEW_COMPLAINT and themes.iloc[0]["new"] == "new"


def test_small_file_without_segments_says_its_periods_are_under_the_minimum():
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2025-01-03", "2025-01-05", "2025-02-03", "2025-02-04"]),
            "nps": pd.array([9, 3, 10, 10], dtype="Int64"),
            "text": pd.array([None] * 4, dtype="string"),
        }
    )
    before, after = default_periods(frame)  # February stops on the 4th, but there is no month before January
    assert (before.label, after.label) == ("2025-01", "2025-02")
    result = compare(frame, before, after, "nps", [])
    assert result.drivers.empty and result.themes.empty
    assert result.change == pytest.approx(100) and not result.significant
    assert result.change_ci[1] <= 200  # NPS cannot move more than 200 points
    assert result.sentence == (
        "NPS rose 100.0 pts (0.0 → 100.0, not significant; under 30 answers in 2025-01 and 2025-02)."
    )


# ---- the What changed page ---------------------------------------------------------------------------


def test_what_changed_page_matches_the_library_and_follows_the_filters():
    from streamlit.testing.v1 import AppTest

    from cx.app import registry
    from cx.filters import Filters, apply_filters
    from cx.io import read_file

    sample = ROOT / "cx" / "data" / "sample_survey.csv"
    data = build_dataset(read_file(sample))
    frame, segments = data.frame, data.roles.segments_in(data.frame)
    expected = compare(frame, *default_periods(frame), "nps", segments)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(str(registry.page("changes").path.relative_to(ROOT))).run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert at.title[0].value == "What changed"
    texts = [t.value for t in at.text]
    assert expected.sentence in texts
    assert at.selectbox(key="changes.from").value == expected.before_period.label
    assert at.selectbox(key="changes.to").value == expected.after_period.label
    parts = at.dataframe[0].value
    assert list(parts["value"]) == list(drivers_table(expected, rows=10)["value"])
    assert parts.iloc[0]["value"] == "Phone" and expected.change > 0  # the rise's largest part comes first
    captions = " ".join(c.value for c in at.caption)
    assert f"n = {expected.before['n']:,}" in captions and f"n = {expected.after['n']:,}" in captions
    assert "Benjamini–Hochberg" in captions and "R² =" in captions

    region = next(w for w in at.sidebar.multiselect if w.label == "region")
    region.select("North").run()
    north = apply_filters(frame, Filters(segments={"region": ["North"]}))
    filtered = compare(north, *default_periods(north), "nps", segments)
    assert filtered.sentence in [t.value for t in at.text]
    assert filtered.sentence != expected.sentence

    at.segmented_control(key="changes.kind").set_value("quarter").run()
    assert not at.exception and not at.error
    quarters = compare(north, parse_period("2025-Q4"), parse_period("2026-Q1"), "nps", segments)
    assert at.selectbox(key="changes.to").value == "2026-Q1"
    assert quarters.sentence in [t.value for t in at.text]


def test_theme_results_become_a_long_table_without_the_other_bucket():
    from types import SimpleNamespace

    from cx.changes import theme_long_table, theme_quotes

    pairs = pd.DataFrame(
        {
            "row": [0, 0, 0, 1, 2],
            "parent_id": [1, 1, 2, 0, 2],
            "parent_label": ["late", "late", "rude", "Other", "rude"],
        }
    )
    table = theme_long_table(SimpleNamespace(pairs=pairs))
    assert list(zip(table.index, table["theme_id"], strict=True)) == [(0, 1), (0, 2), (2, 2)]
    single = SimpleNamespace(
        assignments=pd.DataFrame({"theme_id": [3, 0], "theme_label": ["x", "Other"]}, index=[5, 6])
    )
    assert list(theme_long_table(single)["theme_label"]) == ["x"]
    frame = pd.DataFrame({"text": ["llegó tarde", "ok", "muy borde"]})
    assert theme_quotes(frame, table, 2, pd.Series(True, index=frame.index)) == ["llegó tarde", "muy borde"]


def test_cli_changes_reads_a_themes_file(dataset, tmp_path):
    path, themes = tmp_path / "planted.csv", tmp_path / "assignments.csv"
    planted_survey().to_csv(path, index=False)
    frame = dataset.frame
    table = theme_assignments(frame).join(frame["response_id"])[["response_id", "theme_id", "theme_label"]]
    other = pd.DataFrame(
        {"response_id": [frame["response_id"].iloc[-1]], "theme_id": [0], "theme_label": ["Other"]}
    )
    pd.concat([table, other]).to_csv(themes, index=False)
    out = subprocess.run(
        [sys.executable, "-m", "cx", "changes", path, "--themes", themes, "--bootstrap", "50"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [t["label"] for t in data["themes"] if t["new"]] == [NEW_COMPLAINT]
    assert "Other" not in [t["label"] for t in data["themes"]] and len(data["themes"]) == 4
    assert f"'{NEW_COMPLAINT}' is a new complaint (0 % → 31 % of comments)" in data["sentence"]


def test_what_changed_page_on_an_upload_with_churn(dataset):
    from streamlit.testing.v1 import AppTest

    from cx.app import registry
    from cx.churn import churn_by_group, churn_sentence
    from cx.filters import segment_columns

    frame = dataset.frame
    expected = compare(frame, *default_periods(frame), "nps", segment_columns(frame))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.file_uploader(key="uploads").set_value(
        ("planted.csv", planted_survey().to_csv(index=False).encode(), "text/csv")
    ).run()
    at.switch_page(str(registry.page("changes").path.relative_to(ROOT))).run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    texts = [t.value for t in at.text]
    assert expected.sentence in texts and expected.sentence.startswith("NPS fell 44.6 pts")
    table, gap = churn_by_group(frame)
    assert churn_sentence(gap, table) in texts
    assert "Churn" in at.selectbox(key="changes.metric").options
    at.selectbox(key="changes.metric").select("churn").run()
    churn = compare(frame, *default_periods(frame), "churn", segment_columns(frame))
    assert churn.sentence in [t.value for t in at.text] and churn.sentence.startswith("Churn rose")


def test_an_estimated_sentiment_share_counts_every_comment_the_model_read():
    """The model leaves a comment it does not call negative without a label: it still counts as read, so the
    share compared between months is the one every page shows (never 100 % by construction)."""
    from cx.metrics import metrics_by
    from tests.test_pages import FILES

    frame = build_dataset(read_bytes(FILES["dated_text"], "dated.csv")).frame
    months = metrics_by(frame, "month", 30)
    months["label"] = pd.to_datetime(months["period"]).dt.strftime("%Y-%m")
    result = compare(frame, parse_period("2024-06"), parse_period("2024-07"), "sentiment", ["channel"])
    for side, label in ((result.before, "2024-06"), (result.after, "2024-07")):
        row = months[months["label"] == label].iloc[0]
        assert side["n"] == row["n_sentiment"] == row["comments"]  # every comment was read
        assert side["value"] == pytest.approx(row["sentiment"])
