"""Exports: injection-safe CSV and Excel, accents, computed columns, row counts; the review report."""

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from cx.export import FORMULA_PREFIXES, export_rows, to_csv_bytes, to_xlsx_bytes, workbook_sheets
from cx.filters import segment_columns
from cx.io import read_bytes
from cx.report import build_report
from cx.schema import build_dataset
from tests.test_report import TEXT_ONLY, labelled_reviews

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"
PAYLOADS = [
    "=1+2",
    "+41 600",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTAB=1",
    "\rCR=1",
    '=HYPERLINK("http://evil.example","x")',
]


def hostile_file() -> bytes:
    """Payloads in every position: the header, the id, the comment, a segment; accents beside them."""
    header = ["=id", "date", "nps", "comentario", "@región"]
    rows = [
        [f"{p}{i}", f"2025-01-{i + 1:02d}", str(i % 11), f"{p} señal ñandú {i}", p]
        for i, p in enumerate(PAYLOADS)
    ]
    return pd.DataFrame(rows, columns=header).to_csv(index=False, quoting=csv.QUOTE_ALL).encode("utf-8")


@pytest.fixture(scope="module")
def rows():
    dataset = build_dataset(read_bytes(hostile_file(), "hostile.csv"))
    assert dataset.rows_kept == len(PAYLOADS)
    return export_rows(dataset, dataset.frame)


def dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


@pytest.mark.parametrize("sep", [",", ";"])
def test_csv_neutralises_every_formula_and_keeps_accents_and_numbers(rows, sep):
    data = to_csv_bytes(rows, sep)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    back = pd.read_csv(io.BytesIO(data), sep=sep, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    cells = [*back.columns, *back.to_numpy().ravel()]
    assert not any(dangerous(c) for c in cells)
    assert "'=id" in back.columns and "'@región" in back.columns
    assert back["comentario"].str.contains("señal ñandú").all()
    assert set(back["'@región"]) == {"'" + p for p in PAYLOADS}
    assert back["nps"].tolist() == [str(i % 11) for i in range(len(PAYLOADS))]  # numbers are not prefixed


def test_xlsx_has_no_formula_cells_and_numbers_stay_numbers(rows):
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes({"responses": rows, "more": rows.head(2)})))
    assert book.sheetnames == ["responses", "more"]
    sheet = book["responses"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert not any(dangerous(c.value) for c in cells)
    header = [c.value for c in sheet[1]]
    assert header[0] == "'=id" and "nps_group" in header and "theme_label" in header
    nps = [row[header.index("nps")].value for row in sheet.iter_rows(min_row=2)]
    assert nps == list(range(len(PAYLOADS))) and all(isinstance(v, int) for v in nps)
    comments = [row[header.index("comentario")].value for row in sheet.iter_rows(min_row=2)]
    assert all("señal ñandú" in c for c in comments)


def test_export_has_original_and_computed_columns(rows):
    assert list(rows.columns[-8:]) == [
        "nps_group",
        "csat_satisfied",
        "is_complaint",
        "language",
        "theme_id",
        "theme_label",
        "all_theme_ids",
        "all_theme_labels",
    ]
    assert list(rows.columns[:5]) == ["=id", "date", "nps", "comentario", "@región"]


def test_cli_export_counts_exactly_the_filtered_rows(tmp_path):
    out = tmp_path / "north_phone.xlsx"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "cx",
            "export",
            str(SAMPLE),
            "--where",
            "region=North",
            "--where",
            "channel=Phone",
            "--where",
            "channel=Web",
            "--from",
            "2025-06-01",
            "--to",
            "2025-12-31",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr
    df = pd.read_csv(SAMPLE)
    expected = df[
        (df["region"] == "North")
        & df["channel"].isin(["Phone", "Web"])
        & df["date"].between("2025-06-01", "2025-12-31")
    ]
    got = pd.read_excel(out, sheet_name="responses", engine="openpyxl")
    assert len(got) == len(expected) and list(got["response_id"]) == list(expected["response_id"])
    assert set(got["nps_group"].dropna()) <= {"promoter", "passive", "detractor"}
    assert got["language"].dropna().isin(["en", "es", "pt", "ca", "fr", "de", "it"]).all()
    csv = tmp_path / "rows.csv"
    subprocess.run(
        [sys.executable, "-m", "cx", "export", str(SAMPLE), "--sep", ";", "--out", str(csv)],
        cwd=ROOT,
        check=True,
    )
    back = pd.read_csv(csv, sep=";", encoding="utf-8-sig")
    assert len(back) == len(df) and back["comment"].str.contains("ñ|á|é|í|ó|ú", regex=True).any()


def test_report_is_self_contained_and_shows_payloads_as_text():
    themes = pd.DataFrame(
        [
            {
                "label": "<script>alert(1)</script>",
                "n": 12,
                "share": 0.5,
                "quotes": ["<img src=x onerror=alert(2)>", "**bold**"],
            }
        ]
    )
    html = build_report(
        title="CX Lens review",
        source="x.csv",
        filter_summary="region: <b>North</b>",
        period="Jan 2025 – Mar 2026",
        cards=[("NPS", "+16", "95 % interval +14 to +18 · n = 4,120")],
        charts=[("NPS by month", "<svg></svg>")],
        areas=["region <i>North</i> × channel Phone: NPS −42"],
        themes=themes,
    )
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "region: &lt;b&gt;North&lt;/b&gt;" in html and "&lt;i&gt;North&lt;/i&gt;" in html
    for section in ("Headline", "NPS by month", "Lowest areas", "Top complaint themes"):
        assert f">{section}</h2>" in html
    assert "http" not in html.replace(
        "http://evil", ""
    )  # nothing is fetched: no external CSS, fonts or scripts


def _workbook(data: bytes, name: str):
    dataset = build_dataset(read_bytes(data, name))
    sheets = workbook_sheets(dataset, dataset.frame, 30, segments=segment_columns(dataset.frame), mask=True)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(sheets)))  # it opens as a workbook
    assert book.sheetnames == list(sheets)
    return dataset, sheets


def test_the_workbook_of_a_text_only_file_has_the_estimated_share_and_no_score_columns():
    dataset, sheets = _workbook(TEXT_ONLY, "tweets.csv")
    assert list(sheets) == ["responses", "overall"]
    overall = sheets["overall"].iloc[0]
    assert overall["n"] == 20 and overall["comments"] == 20 and overall["volume_basis"] == "comments"
    assert overall["sentiment_source"] == "estimated"
    assert overall["negative"] == (dataset.frame["sentiment"] == "neg").sum() and overall["n_sentiment"] == 20
    assert overall["sentiment_low"] <= overall["sentiment"] <= overall["sentiment_high"]
    # No NPS/CSAT/CES columns, and no neutral/positive zeros the model never counted.
    assert not {"nps", "n_nps", "csat", "ces", "neutral", "positive"} & set(sheets["overall"].columns)


def test_the_workbook_of_a_labelled_file_ranks_hotels_on_negative_share_and_has_months():
    _, sheets = _workbook(labelled_reviews(), "reviews.csv")
    assert list(sheets) == ["responses", "overall", "by segment", "by month", "lowest areas (% negative)"]
    overall = sheets["overall"].iloc[0]
    assert (overall["negative"], overall["positive"], overall["n_sentiment"]) == (44, 76, 120)
    assert overall["sentiment_source"] == "column sentiment"
    hotels = sheets["by segment"].set_index("value")
    assert hotels.loc["Mar", "negative"] == 28 and hotels.loc["Sol", "negative"] == 8
    assert round(hotels.loc["Mar", "sentiment"], 1) == 70.0 and "nps" not in hotels.columns
    months = sheets["by month"]
    assert list(months["month"]) == ["Jan 2025", "Feb 2025"] and list(months["volume"]) == [60, 60]
    lowest = sheets["lowest areas (% negative)"]
    assert lowest.iloc[0]["label"] == "hotel Mar" and bool(lowest.iloc[0]["worse"])
