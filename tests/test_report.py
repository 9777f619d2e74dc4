"""The review report and the workbook of a filtered view: everything follows the filters, quotes included;
the CLI and the app build them with the same library functions."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from cx.export import workbook_sheets
from cx.filters import Filters, apply_filters, segment_columns
from cx.io import read_bytes
from cx.report import review_report
from cx.schema import build_dataset
from cx.themes import ThemeResult, theme_metrics

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dataset():
    """40 detractors with comments: 20 from North, 20 from South, dated over three months."""
    lines = ["id,date,nps,comment,region"]
    for i in range(40):
        region = "North" if i < 20 else "South"
        lines.append(
            f"{i},2025-0{1 + i % 3}-{1 + i % 28:02d},{i % 4},{region.lower()} delivery late number {i},{region}"
        )
    return build_dataset(read_bytes("\n".join(lines).encode(), "late.csv"))


@pytest.fixture(scope="module")
def themes(dataset):
    """One theme holding every comment; the South's comments sit nearest its centre."""
    frame = dataset.frame
    assignments = pd.DataFrame(
        {
            "theme_id": 1,
            "theme_label": "delivery · late",
            "closeness": np.where(frame["region"].astype(str) == "South", 0.9, 0.5) - np.arange(40) / 1000,
        },
        index=frame.index,
    )
    quotes = [str(t) for t in frame["text"].iloc[20:23]]
    table = pd.DataFrame(
        [
            {
                "theme_id": 1,
                "label": "delivery · late",
                "terms": ["delivery"],
                "n": 40,
                "share": 1.0,
                "quotes": quotes,
            }
        ]
    )
    return ThemeResult(assignments=assignments, themes=table, embedder="test", reason="", k=1, embedded=0)


def test_quotes_come_from_the_filtered_rows(dataset, themes):
    everyone = theme_metrics(dataset.frame, themes, 30)
    assert everyone.loc[0, "quotes"] == themes.themes.loc[0, "quotes"]  # unfiltered: the run's own quotes
    north = apply_filters(dataset.frame, Filters(segments={"region": ["North"]}))
    quotes = theme_metrics(north, themes, 30).loc[0, "quotes"]
    assert quotes == [
        "north delivery late number 0",
        "north delivery late number 1",
        "north delivery late number 2",
    ]


def test_the_report_of_a_filtered_view_shows_its_quotes_and_filter(dataset, themes):
    north = apply_filters(dataset.frame, Filters(segments={"region": ["North"]}))
    html = review_report(
        north,
        source="late.csv",
        filter_summary="region: North",
        min_n=5,
        segments=segment_columns(north),
        themes=themes,
    )
    assert "Filter: region: North" in html and "north delivery late number 0" in html
    assert "south delivery" not in html
    assert ">20</div>" in html  # the Responses card counts the filtered rows
    assert html.count("<svg") == 1  # the NPS trend, drawn inline


def test_the_workbook_follows_the_filter_in_every_sheet(dataset, themes):
    north = apply_filters(dataset.frame, Filters(segments={"region": ["North"]}))
    sheets = workbook_sheets(dataset, north, 5, segments=segment_columns(north), themes=themes, mask=True)
    assert list(sheets) == ["responses", "overall", "by segment", "by month", "themes"]
    assert sheets["by month"]["n"].sum() == 20  # the months of the North's rows only
    assert len(sheets["responses"]) == 20 and set(sheets["responses"]["theme_id"]) == {1}
    assert sheets["overall"].loc[0, "n"] == 20 and sheets["themes"].loc[0, "n"] == 20
    assert list(sheets["by segment"]["value"]) == ["North"]
    assert all(q.startswith("north") for q in sheets["themes"].loc[0, "quotes"])


def test_the_cli_writes_the_same_workbook_sheets_as_the_app(tmp_path):
    sample = ROOT / "cx" / "data" / "sample_survey.csv"
    out = tmp_path / "all.xlsx"
    subprocess.run(
        [sys.executable, "-m", "cx", "export", str(sample), "--out", str(out)], cwd=ROOT, check=True
    )
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    dataset = build_dataset(read_bytes(sample.read_bytes(), sample.name))
    app = workbook_sheets(dataset, dataset.frame, 30, segments=segment_columns(dataset.frame))
    assert names == list(app) == ["responses", "overall", "by segment", "by month", "lowest areas (NPS)"]


# Files without scores (issue 11): the report shows what the file has, never an NPS it lacks.
TEXT_ONLY = ("comment\n" + "\n".join(f'"The wifi did not work at all, room {i}"' for i in range(20))).encode()


def labelled_reviews() -> bytes:
    """120 dated reviews with a sentiment column: hotel Mar has 28 negative of 40, Sol and Luna 8 of 40."""
    lines = ["date,review,sentiment,hotel"]
    for i in range(120):
        hotel = ["Mar", "Sol", "Luna"][i % 3]
        negative = (i // 3) < (28 if hotel == "Mar" else 8)
        lines.append(
            f'2025-0{1 + i % 2}-{1 + i % 28:02d},"Review {i}",{"negative" if negative else "positive"},{hotel}'
        )
    return "\n".join(lines).encode()


def _report(dataset) -> str:
    frame = dataset.frame
    return review_report(
        frame,
        source="file.csv",
        filter_summary="none",
        min_n=30,
        segments=segment_columns(frame),
        sentiment_source=dataset.sentiment_source,
    )


def test_the_report_of_a_text_only_file_shows_the_estimated_negative_share():
    dataset = build_dataset(read_bytes(TEXT_ONLY, "tweets.csv"))
    assert dataset.sentiment_source == "estimated"
    negative = int((dataset.frame["sentiment"] == "neg").sum())
    html = _report(dataset)
    card = f'<div class="l">Likely negative comments</div><div class="v">{100 * negative / 20:.0f} %</div>'
    assert card in html and "n = 20 comments with a known sentiment" in html
    assert "estimated by the bundled model" in html  # the source, an estimate never presented as a fact
    assert "NPS" not in html and "CSAT" not in html
    assert "No segment columns" in html  # why there is no lowest area, true for this file


def test_the_report_of_a_labelled_file_shows_the_share_its_source_trend_and_lowest_hotel():
    dataset = build_dataset(read_bytes(labelled_reviews(), "reviews.csv"))
    html = _report(dataset)
    # 44 negative of 120: 36.7 %, Wilson 95 % interval 28.6–45.6 %.
    assert '<div class="l">Negative comments</div><div class="v">37 %</div>' in html
    assert "95 % interval 29–46 % · n = 120 comments with a known sentiment" in html
    assert "Sentiment from column sentiment." in html and "Likely" not in html
    assert ">Negative comments by month</h2>" in html and html.count("<svg") == 1
    assert "hotel Mar: 70 % negative comments" in html  # 28 of 40: the lowest area, above the rest
    assert "NPS" not in html


def test_the_report_says_what_changed_last_month_with_both_periods_and_the_top_parts():
    from html import escape

    from cx.changes import compare, default_periods, part_lines
    from cx.strings import UI
    from tests.planted import planted_survey

    dataset = build_dataset(read_bytes(planted_survey().to_csv(index=False).encode(), "planted.csv"))
    frame = dataset.frame
    expected = compare(frame, *default_periods(frame), "nps", segment_columns(frame))
    html = _report(dataset)
    section = html[html.index(f"<h2>{UI['report_changes']}</h2>") : html.index("<h2>NPS by month</h2>")]
    assert f"<strong>{escape(expected.sentence)}</strong>" in section and "NPS fell" in section
    before, after = expected.before, expected.after
    assert (
        f"<td>2025-05</td><td>{before['value']:.1f}</td>" in section
        and f"<td>{before['n']:,}</td>" in section
    )
    assert "<td>2025-06</td><td>" + f"{after['value']:.1f}</td>".replace("-", "−") in section
    assert f"<td>{after['n']:,}</td>" in section and "(significant)" in section
    lines = part_lines(expected, rows=3)
    assert lines[0].startswith("channel Phone, own score: −") and f"<li>{escape(lines[0])}</li>" in section
    # No dates: the section says why there is no comparison.
    text_only = _report(build_dataset(read_bytes(TEXT_ONLY, "tweets.csv")))
    assert f"<h2>What changed</h2><p>{escape(UI['no_dates'])}</p>" in text_only
