"""Every page on the files people upload first, through Streamlit's AppTest (issue 11, "every page works"):
text only, text with a sentiment column, dated text without scores, scores without text, a one-row file
and the bundled sample. No exception, no error box, and what each page says is true for the file: never
a claim about a metric the file does not have."""

import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cx.alerts import find_alerts, latest_alert_lines
from cx.app import registry
from cx.areas import AREA_METRICS, area_table, areas_message
from cx.changes import latest_change, period_rows
from cx.filters import segment_columns
from cx.io import read_bytes
from cx.metrics import available_metrics, summarize
from cx.schema import build_dataset
from cx.strings import METRICS, UI
from cx.tables import fmt_pct, metric_label
from tests.planted import planted_survey

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")

REVIEWS = [
    "The room was clean and the staff were lovely",
    "Breakfast was cold and nobody came to help",
    "Check-in took forty minutes",
    "Great location, we will come back",
    "The wifi did not work at all",
    "An average stay, nothing special",
]


def _csv(header: str, rows: list[str]) -> bytes:
    return (header + "\n" + "\n".join(rows) + "\n").encode("utf-8")


def _reviews(n: int = 240) -> list[str]:
    """Hotel reviews with a sentiment label; hotel Mar (a real word for a hotel, and a month name) gets
    60 % negative reviews, the others 25 %."""
    rng = np.random.default_rng(11)
    rows = []
    for i in range(n):
        hotel = rng.choice(["Sol", "Luna", "Mar"])
        neg = 0.6 if hotel == "Mar" else 0.25
        mood = rng.choice(["negative", "neutral", "positive"], p=[neg, 0.15, 0.85 - neg])
        rows.append(f'"{REVIEWS[i % 6]} (#{i})",{mood},{hotel}')
    return rows


FILES = {
    # Tweets or tickets: one column of text.
    "text_only": _csv("comment", [f'"{REVIEWS[i % 6]} (#{i})"' for i in range(60)]),
    # Reviews labelled by a sentiment column, with a segment.
    "text_sentiment": _csv("review,sentiment,hotel", _reviews()),
    # Dated comments with a channel, no score; March to May 2024 have none (gaps, not zig-zags).
    "dated_text": _csv(
        "date,comment,channel",
        [
            f'2024-{[1, 2, 6, 7, 8, 9, 10, 11, 12][i % 9]:02d}-{i % 27 + 1:02d},"{REVIEWS[i % 6]} (#{i})",'
            f"{['Email', 'Chat', 'Phone'][i % 3]}"
            for i in range(150)
        ],
    ),
    # Scores without any comment.
    "scores_only": _csv(
        "date,nps,csat,region",
        [f"2024-{i % 6 + 1:02d}-15,{i % 11},{i % 5 + 1},{['North', 'South'][i % 2]}" for i in range(120)],
    ),
    "one_row": _csv("id,date,nps,comment,region", ['1,2024-03-05,9,"Lovely people",North']),
}
CASES = [*FILES, "sample"]
# The presentation's slides in their order: "What changed" sits after the trend.
SLIDES = [*UI["present_slides"][:2], UI["present_slide_changes"], *UI["present_slides"][2:]]
PAGES = [p.id for p in registry.PAGES]


def page(page_id: str) -> str:
    return str(registry.page(page_id).path.relative_to(ROOT))


def dataset_of(case: str):
    return build_dataset(read_bytes(FILES[case], f"{case}.csv"))


def frame_of(case: str):
    return dataset_of(case).frame


def said(at: AppTest) -> str:
    """Everything the page says in words: titles, text, captions, notices, metric cards."""
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "info", "success", "warning", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))  # what the reader sees of escaped Markdown


_sessions: dict[str, AppTest] = {}


def session(case: str) -> AppTest:
    """One browser session per file: opened once, then taken from page to page like a user does."""
    if case not in _sessions:
        at = AppTest.from_file(APP, default_timeout=180).run()
        if case != "sample":
            at.file_uploader(key="uploads").set_value((f"{case}.csv", FILES[case], "text/csv")).run()
        _sessions[case] = at
    return _sessions[case]


@pytest.mark.parametrize("page_id", PAGES)
@pytest.mark.parametrize("case", CASES)
def test_every_page_works_on_every_first_upload(case, page_id):
    at = session(case).switch_page(page(page_id)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title and at.title[0].value or page_id == "present"
    if case == "sample":
        return
    frame = frame_of(case)
    text = said(at)
    cards = {m.label for m in at.metric}
    for metric in ("nps", "csat", "ces"):
        if metric not in available_metrics(frame):
            name = METRICS[metric]
            # Never a claim about a metric the file lacks ("No area significantly below on NPS"), nor a
            # card for it.
            assert f"below the rest on {name}" not in text and name not in cards, text
    source = dataset_of(case).sentiment_source
    offered = [w for w in at.segmented_control if w.label == UI["metric"]]
    for widget in offered:  # the metric picker offers what the file can show, nothing else
        expected = available_metrics(frame)
        if page_id == "areas":
            expected = [m for m in expected if m in AREA_METRICS]
        assert list(widget.options) == [metric_label(m, source) for m in expected]


def test_themes_of_a_text_only_file_show_no_score_columns_or_orders():
    at = session("text_only").switch_page(page("themes")).run()
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert UI["theme_negative"] in shown.columns and len(shown) >= 2
    assert METRICS["nps"] not in shown.columns and METRICS["csat"] not in shown.columns  # no "None" column
    order = next(w for w in at.segmented_control if w.label == UI["themes_order"])
    assert list(order.options) == [UI["themes_order_size"]]  # no "Impact on NPS" for a file without NPS


def test_overview_of_a_text_only_file_counts_comments_and_estimates_complaints():
    at = session("text_only").switch_page(page("overview")).run()
    s = summarize(frame_of("text_only"), 30)
    cards = {m.label: m.value for m in at.metric}
    # No score: the counts, and the model's estimate named as one ("likely negative"), never "Negative".
    assert cards == {"Responses": "60", "Comments": "60", "Likely negative comments": fmt_pct(s["sentiment"])}
    text = said(at)
    assert UI["sentiment_source_estimated"] in text and UI["no_dates"] in text
    assert UI["no_segments"] not in text and "Lowest areas" not in text  # no segment: no areas section


def test_overview_of_reviews_with_sentiment_shows_the_negative_share_and_its_source():
    at = session("text_sentiment").switch_page(page("overview")).run()
    s = summarize(frame_of("text_sentiment"), 30)
    cards = {m.label: m.value for m in at.metric}
    assert cards[METRICS["sentiment"]] == fmt_pct(s["sentiment"])
    text = said(at)
    assert f"95 % interval {s['sentiment_low']:.0f}–{s['sentiment_high']:.0f} % · n = 240" in text
    assert UI["sentiment_source_column"].format(column="sentiment") in text
    # The hotel with most negative reviews is named as the lowest area, in the metric's own words.
    assert "• hotel Mar: " in text and "% negative comments" in text and "below the rest" not in text


def test_lowest_areas_page_says_what_it_can_for_each_file():
    at = session("text_sentiment").switch_page(page("areas")).run()
    assert [t.value[:13] for t in at.text if t.value.startswith("• ")] == ["• hotel Mar: "]
    # Scores without text, two regions alike: the message names the file's own metric.
    at = session("scores_only").switch_page(page("areas")).run()
    f = frame_of("scores_only")
    expected = areas_message(f, "nps", ["region"], area_table(f, ["region"], "nps", 2, 30), 30)
    assert expected.startswith("No area is significantly below the rest on NPS") and expected in said(at)


def test_trends_of_dated_comments_show_volume_with_gaps():
    at = session("dated_text").switch_page(page("trends")).run()
    at.segmented_control(key="trends.metric").set_value("volume").run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["period", "comments", "% of all", "responses"]
    assert table["comments"].sum() == 150 and "Mar 2024" not in set(table["period"])
    assert UI["trend_legend_volume"].format(basis="comments") in said(at)


def test_segments_without_scores_compare_volumes():
    at = session("dated_text").switch_page(page("segments")).run()
    at.segmented_control(key="segments.metric").set_value("volume").run()
    table = at.dataframe[0].value
    assert list(table["comments"]) == [50, 50, 50] and table["% of all"].sum() == pytest.approx(100, abs=0.2)
    assert UI["segment_legend_volume"].format(basis="comments") in said(at)


def test_a_one_row_file_says_it_is_too_small_to_rank():
    at = session("one_row").switch_page(page("overview")).run()
    cards = {m.label: m.value for m in at.metric}
    assert cards["NPS"] == "+100" and cards["Responses"] == "1"
    assert "n < 30" in said(at)


def test_segment_columns_of_the_files_are_what_the_tests_expect():
    # Guards the fixtures: a change in role detection would make the page tests above vacuous.
    assert segment_columns(frame_of("text_sentiment")) == ["hotel"]
    assert segment_columns(frame_of("dated_text")) == ["channel"]
    assert dataset_of("text_sentiment").sentiment_source == "column sentiment"
    assert available_metrics(frame_of("text_sentiment")) == ["sentiment", "volume"]
    assert dataset_of("text_only").sentiment_source == "estimated"  # the model read the comments
    assert available_metrics(frame_of("text_only")) == ["sentiment", "volume"]
    assert available_metrics(frame_of("scores_only")) == ["nps", "csat", "volume"]


@pytest.mark.parametrize("case", CASES)
def test_every_presentation_slide_works(case):
    at = session(case).switch_page(page("present")).run()
    assert list(at.segmented_control(key="present.slide").options) == SLIDES
    for slide in SLIDES:
        at.segmented_control(key="present.slide").set_value(slide).run()
        assert not at.exception, (slide, [e.value for e in at.exception])
        assert not at.error, (slide, [e.value for e in at.error])
        if case != "sample":
            text = said(at)
            for metric in ("nps", "csat"):
                if metric not in available_metrics(frame_of(case)):
                    assert f"on {METRICS[metric]}" not in text and METRICS[metric] not in {
                        s.value for s in at.subheader
                    }
    at.segmented_control(key="present.slide").set_value(UI["present_slides"][0]).run()


def test_years_alone_are_left_out_of_months_and_say_so():
    rows = [f"{2021 + i % 2},{i % 11}" for i in range(40)] + [
        f"2022-0{i % 9 + 1}-10,{i % 11}" for i in range(40)
    ]
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.file_uploader(key="uploads").set_value(("years.csv", _csv("year,nps", rows), "text/csv")).run()
    at.switch_page(page("trends")).run()
    assert not at.exception and not at.error
    months = at.dataframe[0].value
    assert months["n"].sum() == 40 and "Jan 2021" not in set(months["period"])
    text = said(at)
    assert UI["year_only_left_out"].format(n=40, granularity="month") in text
    at.segmented_control(key="trends.period").set_value("year").run()
    years = at.dataframe[0].value
    assert list(years["period"]) == ["2021", "2022"] and list(years["n"]) == [20, 60]
    assert "dated only by a year" not in said(at)


def test_the_what_changed_slide_shows_both_months_the_change_and_why():
    at = session("sample").switch_page(page("present")).run()
    at.segmented_control(key="present.slide").set_value(UI["present_slide_changes"]).run()
    assert not at.exception and not at.error
    frame = build_dataset(
        read_bytes((ROOT / "cx" / "data" / "sample_survey.csv").read_bytes(), "s.csv")
    ).frame
    expected = latest_change(frame, segment_columns(frame), None, 30)
    rows = period_rows(expected)  # [period, value, interval, n]: the two months, then the change
    assert [t.value for t in at.main.title] == [UI["present_slide_changes"], *(r[1] for r in rows)]
    assert [s.value for s in at.main.subheader] == [f"NPS · {r[0]}" for r in rows]
    captions = [c.value for c in at.main.caption][-3:]
    assert captions == [f"95 % interval {r[2]}" + (f" · n = {r[3]}" if r[3] else "") for r in rows]
    assert rows[0][3] == f"{expected.before['n']:,}" and "significant" in captions[2]
    at.segmented_control(key="present.slide").set_value(UI["present_slides"][0]).run()
    # A file without dates: the slide says why there is nothing to compare.
    at = session("text_only").switch_page(page("present")).run()
    at.segmented_control(key="present.slide").set_value(UI["present_slide_changes"]).run()
    assert UI["no_dates"] in said(at) and not at.exception
    at.segmented_control(key="present.slide").set_value(UI["present_slides"][0]).run()


def test_the_overview_opens_with_the_latest_months_alerts_and_nothing_when_there_are_none():
    data = planted_survey().to_csv(index=False).encode()
    frame = build_dataset(read_bytes(data, "planted.csv")).frame
    expected = latest_alert_lines(find_alerts(frame, "month", "nps", segment_columns(frame), None, 30))
    assert any("NPS of channel Phone fell to" in line for line in expected)  # the planted drop
    assert all(line.startswith("2025-06: ") for line in expected)  # the latest month only
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.file_uploader(key="uploads").set_value(("planted.csv", data, "text/csv")).run()
    assert not at.exception and not at.error
    shown = re.sub(r"\\(.)", r"\1", at.warning[0].value).split("  \n")
    assert len(expected) > 5 and shown == [*expected[:5], UI["alerts_more_n"].format(n=len(expected) - 5)]
    # Dated comments with no month of 30: nothing tested, nothing shown.
    at = session("dated_text").switch_page(page("overview")).run()
    assert not any(UI["alerts_more"] in w.value or "more: What changed" in w.value for w in at.warning)
