"""Every tool's export (tests/data/exports, written by make_exports.py) read with NO flags, through the CLI.

For each file: the rows kept are the respondents, the roles are the right columns, and NPS / CSAT equal a
hand count of the answers written out below (the same invented respondents as make_exports.py, copied by
hand, never computed by the library).
"""

import csv
import io
import json
from pathlib import Path

import pytest

from cx.__main__ import main
from cx.io import read_file

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = ROOT / "tests" / "data" / "exports"


def qualtrics_metadata(path: Path) -> list[str]:
    """The export's own metadata columns: every header of its first row that is not a question (Q…)."""
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text), delimiter="\t" if path.suffix == ".tsv" else ","))
    return [name for name in header if not name.startswith("Q")]


def hand_nps(answers: list[int]) -> float:
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    return 100 * (promoters - detractors) / len(answers)


def hand_csat(answers: list, top: set) -> float:
    return 100 * sum(1 for a in answers if a in top) / len(answers)


QUALTRICS_NPS = [10, 9, 7, 3, 0, 8, 9, 6, 10]  # the tenth respondent answered nothing
QUALTRICS_CSAT = [5, 4, 4, 1, 2, 3, 2, 5]  # respondent 7 skipped the question
FORMS_NPS = [10, 9, 8, 5, 9, 3, 10]
FORMS_CSAT = [5, 5, 4, 2, 4, 1, 5]
ZENDESK_ANSWERED = ["Good", "Bad", "Good", "Good", "Bad", "Good"]  # plus one Offered, one Unoffered
DELIGHTED_NPS = [10, 9, 6, 8, 0, 10, 7, 3]

# file -> rows read, rows kept, rejected by reason, roles, NPS answers, CSAT answers and the top boxes.
CASES = {
    "qualtrics_numeric.csv": dict(
        read=10,
        kept=9,
        rejected={"no valid score or comment": 1},
        roles=dict(id="ResponseId", date="RecordedDate", nps="Q1", csat="Q2", text=["Q3"], segments=["Q4"]),
        nps=QUALTRICS_NPS,
        csat=QUALTRICS_CSAT,
        top={4, 5},
    ),
    "qualtrics_choice_text.csv": dict(
        read=10,
        kept=9,
        rejected={"no valid score or comment": 1},
        roles=dict(id="ResponseId", date="RecordedDate", nps="Q1", csat="Q2", text=["Q3"], segments=["Q4"]),
        nps=QUALTRICS_NPS,
        csat=["Extremely", "Somewhat", "Somewhat", "Extremely dis", "Somewhat dis", "Neither", "Somewhat dis"]
        + ["Extremely"],
        top={"Extremely", "Somewhat"},
    ),
    "qualtrics_es_utf16.tsv": dict(
        read=10,
        kept=9,
        rejected={"no valid score or comment": 1},
        roles=dict(id="ResponseId", date="RecordedDate", nps="Q1", csat="Q2", text=["Q3"], segments=["Q4"]),
        nps=QUALTRICS_NPS,
        csat=["Extremadamente", "Algo", "Algo", "Extremadamente in", "Algo in", "Ni", "Algo in"]
        + ["Extremadamente"],
        top={"Extremadamente", "Algo"},
    ),
    "qualtrics_legacy.csv": dict(
        read=9,
        kept=9,
        rejected={},
        roles=dict(id="ResponseID", date="EndDate", nps="Q1", csat="Q2", text=["Q3"], segments=[]),
        nps=QUALTRICS_NPS,
        csat=QUALTRICS_CSAT,
        top={4, 5},
    ),
    "surveymonkey.csv": dict(
        read=8,
        kept=7,
        rejected={"no valid score or comment": 1},
        roles=dict(
            id="Respondent ID",
            date="End Date",
            nps="How likely is it that you would recommend Example Shop to a friend or colleague?",
            csat="Overall, how satisfied are you with Example Shop?",
            text=["What is the main reason for your score?"],
        ),
        nps=[10, 9, 8, 2, 6, 9, 7],
        csat=["Very", "Somewhat", "Neither", "Very dis", "Somewhat dis", "Very", "Somewhat"],
        top={"Very", "Somewhat"},
    ),
    "google_forms_en.csv": dict(
        read=7,
        kept=7,
        rejected={},
        roles=dict(
            date="Timestamp",
            nps="How likely are you to recommend us to a friend?",
            csat="How satisfied were you with your visit?",
            text=["What could we do better?"],
            segments=["Which restaurant did you visit?"],
        ),
        nps=FORMS_NPS,
        csat=FORMS_CSAT,
        top={4, 5},
    ),
    "google_forms_es.csv": dict(
        read=7,
        kept=7,
        rejected={},
        roles=dict(
            date="Marca temporal",
            nps="¿Qué probabilidad hay de que nos recomiendes a un amigo?",
            csat="¿Cuál es tu grado de satisfacción con la visita?",
            text=["¿Qué podríamos mejorar?"],
            segments=["¿Qué local visitaste?"],
        ),
        nps=FORMS_NPS,
        csat=FORMS_CSAT,
        top={4, 5},
    ),
    "microsoft_forms_en.xlsx": dict(
        read=7,
        kept=7,
        rejected={},
        roles=dict(
            id="ID",
            date="Completion time",
            nps="How likely are you to recommend Contoso to a friend or colleague?",
            csat="How satisfied are you with the support you received?",
            text=["Tell us more about your experience"],
            segments=["Which location did you visit?"],
        ),
        nps=FORMS_NPS,
        csat=FORMS_CSAT,
        top={4, 5},
    ),
    "microsoft_forms_es.xlsx": dict(
        read=7,
        kept=7,
        rejected={},
        roles=dict(
            id="Id.",
            date="Hora de finalización",
            nps="¿Qué probabilidad hay de que recomiende Contoso a un amigo o compañero?",
            csat="¿Cuál es su grado de satisfacción con la atención recibida?",
            text=["Cuéntenos más sobre su experiencia"],
            segments=["¿Qué local visitó?"],
        ),
        nps=FORMS_NPS,
        csat=FORMS_CSAT,
        top={4, 5},
    ),
    "typeform.csv": dict(
        read=6,
        kept=6,
        rejected={},
        roles=dict(
            id="#",
            date="Submit Date (UTC)",
            nps="How likely are you to recommend Example App to a friend?",
            ces="How easy was it to get started?",
            csat=None,
            text=["What's the main reason?"],
            segments=["Which plan are you on?"],
        ),
        nps=[9, 10, 4, 7, 8, 2],
    ),
    "zendesk_explore.csv": dict(
        read=8,
        kept=6,
        rejected={"survey offered but not answered": 2},
        roles=dict(
            id="Ticket ID",
            date="Ticket solved - Date",
            csat="Ticket satisfaction rating",
            csat_scale="0-1",
            nps=None,
            text=["Ticket satisfaction comment"],
            segments=["Ticket group"],
        ),
        csat=ZENDESK_ANSWERED,
        top={"Good"},
    ),
    "zendesk_api.json": dict(
        read=8,
        kept=6,
        rejected={"survey offered but not answered": 2},
        roles=dict(id="id", date="created_at", csat="score", csat_scale="0-1", nps=None),
        csat=ZENDESK_ANSWERED,
        top={"Good"},
    ),
    "delighted.csv": dict(
        read=8,
        kept=8,
        rejected={},
        roles=dict(
            id="Response ID",
            date="Created",
            nps="Score",
            csat=None,
            text=["Comment"],
            segments=["Plan", "Country"],
        ),
        nps=DELIGHTED_NPS,
    ),
    "delighted_api.json": dict(
        read=8,
        kept=8,
        rejected={},
        roles=dict(
            id="id",
            date="created_at",
            nps="score",
            csat=None,
            text=["comment"],
            segments=["person_properties.Plan", "person_properties.Country"],
        ),
        nps=DELIGHTED_NPS,
    ),
    "spanish_handmade.xlsx": dict(
        read=10,
        kept=9,
        rejected={"totals or average row, not a response": 1},
        roles=dict(
            id="Nº",
            date="Fecha",
            nps="Recomendación (0-10)",
            csat="Satisfacción",
            text=["Comentario"],
            segments=["Región", "Tienda"],
        ),
        nps=[9, 10, 4, 8, 6, 2, 9, 10, 7],
        csat=[5, 5, 2, 4, 3, 1, 4, 5, 4],
        top={4, 5},
    ),
    "reviews_stars.csv": dict(
        read=6,
        kept=6,
        rejected={},
        roles=dict(id="review_id", date="fecha", csat="Estrellas", text=["Reseña"], nps=None),
        csat=["★★★★★", "★★★★☆", "★★☆☆☆", "★☆☆☆☆", "★★★☆☆", "★★★★★"],
        top={"★★★★★", "★★★★☆"},
    ),
    "labelled_reviews.csv": dict(
        read=7,
        kept=7,
        rejected={},
        roles=dict(date="Date", csat="Label", csat_scale="1-5", text=["Text"], segments=[], nps=None),
        csat=[5, 4, 2, 1, 3, 5, 4],
        top={4, 5},
    ),
    "tweets_sentiment.csv": dict(
        read=7,
        kept=7,
        rejected={},
        roles=dict(
            id="tweet_id", date="created_at", sentiment="sentimiento", nps=None, csat=None, text=["texto"]
        ),
    ),
}
CASES["surveymonkey.xlsx"] = CASES["surveymonkey.csv"]


def test_every_export_file_has_a_case():
    files = {p.name for p in EXPORTS.iterdir() if p.suffix != ".py" and p.is_file()}
    assert files == set(CASES)


def cli(capsys, *args) -> dict | list:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in out + err
    return json.loads(out)


@pytest.mark.parametrize("name", sorted(CASES))
def test_export_reads_right_with_no_flags(name, capsys):
    case = CASES[name]
    report = cli(capsys, "inspect", EXPORTS / name)
    assert report["rows_read"] == case["read"]
    assert report["rows_kept"] == case["kept"]
    assert report["rows_kept"] + report["rows_rejected"] == report["rows_read"]
    assert report["rejected_by_reason"] == case["rejected"]
    assert report["invalid_values"] == {}
    for role, column in case["roles"].items():
        assert report["roles"][role] == column, role
    [overall] = cli(capsys, "metrics", EXPORTS / name, "--format", "json")
    if "nps" in case:
        assert overall["n_nps"] == len(case["nps"])
        assert overall["nps"] == pytest.approx(hand_nps(case["nps"]))
    else:
        assert overall["n_nps"] == 0
    if "csat" in case:
        assert overall["n_csat"] == len(case["csat"])
        assert overall["csat"] == pytest.approx(hand_csat(case["csat"], case["top"]))
    else:
        assert overall["n_csat"] == 0


@pytest.mark.parametrize(
    "name", ["qualtrics_numeric.csv", "qualtrics_choice_text.csv", "qualtrics_es_utf16.tsv"]
)
def test_qualtrics_metadata_and_nps_group_are_never_segments_or_scores(name, capsys):
    report = cli(capsys, "inspect", EXPORTS / name)
    roles = report["roles"]
    assert roles["nps"] != "Q1_NPS_GROUP" and "Q1_NPS_GROUP" not in roles["segments"]
    metadata = qualtrics_metadata(EXPORTS / name)
    assert "ResponseId" in metadata and "StartDate" in metadata  # the file really has Qualtrics' columns
    assert not set(metadata) & set(roles["segments"] + roles["text"])
    assert any("rows 2, 3 are not responses" in note for note in report["notes"])
    assert any("Q1_NPS_GROUP" in note for note in report["notes"])


def test_surveymonkey_columns_are_named_from_both_header_rows():
    for name in ("surveymonkey.csv", "surveymonkey.xlsx"):
        table = read_file(EXPORTS / name)
        columns = list(table.frame.columns)
        assert "Which of these did you use? - Website" in columns
        assert "Which of these did you use? - Mobile app" in columns
        assert "Which of these did you use? - Other (please specify)" in columns
        assert "What is the main reason for your score?" in columns  # "Open-Ended Response" adds nothing
        assert table.header_row == 1 and [n for n, _ in table.skipped_rows] == [2]


def test_the_handmade_workbook_fills_merged_regions_and_says_which_sheet(capsys):
    table = read_file(EXPORTS / "spanish_handmade.xlsx")
    assert table.sheet == "Respuestas" and table.header_row == 3
    assert list(table.frame["Región"]) == ["Norte"] * 4 + ["Sur"] * 5
    report = cli(capsys, "inspect", EXPORTS / "spanish_handmade.xlsx")
    assert any("Sheet 'Respuestas' was read" in note for note in report["notes"])
    assert any("Merged cells in Región" in note for note in report["notes"])
    by = cli(
        capsys,
        "metrics",
        EXPORTS / "spanish_handmade.xlsx",
        "--by",
        "Región",
        "--min-n",
        "1",
        "--format",
        "json",
    )
    nps = {row["Región"]: (row["n_nps"], row["nps"]) for row in by}
    assert nps["Norte"] == (4, pytest.approx(hand_nps([9, 10, 4, 8])))
    assert nps["Sur"] == (5, pytest.approx(hand_nps([6, 2, 9, 10, 7])))
    other = cli(capsys, "inspect", EXPORTS / "spanish_handmade.xlsx", "--sheet", "Resumen")
    assert other["rows_read"] == 2


def test_epoch_milliseconds_and_twelve_hour_spanish_times_are_dates(capsys):
    months = cli(
        capsys, "metrics", EXPORTS / "reviews_stars.csv", "--by", "month", "--min-n", "1", "--format", "json"
    )
    assert [m["period"] for m in months] == ["2015-02-01", "2015-03-01", "2015-04-01", "2015-05-01"]
    assert [m["n_csat"] for m in months] == [1, 2, 1, 2]
    weeks = cli(capsys, "metrics", EXPORTS / "spanish_handmade.xlsx", "--by", "month", "--format", "json")
    assert [w["period"] for w in weeks] == ["2025-02-01"] and weeks[0]["n_nps"] == 9


def test_bare_years_are_flagged_and_said(capsys):
    report = cli(capsys, "inspect", EXPORTS / "labelled_reviews.csv")
    assert any(note.startswith("3 dates are a year only") for note in report["notes"])


def test_sentiment_column_makes_the_complaints(tmp_path, capsys):
    report = cli(capsys, "inspect", EXPORTS / "tweets_sentiment.csv")
    assert report["sentiment_source"] == "column sentimiento"
    out = tmp_path / "rows.csv"
    assert main(["export", str(EXPORTS / "tweets_sentiment.csv"), "--out", str(out)]) == 0
    capsys.readouterr()
    import pandas as pd

    rows = pd.read_csv(out, encoding="utf-8-sig")
    # negativo, Negativo, negativo: three complaints of seven tweets, whatever the case of the label.
    assert rows["is_complaint"].tolist() == [True, False, False, True, False, True, False]


@pytest.mark.parametrize("name", ["qualtrics_numeric.csv", "surveymonkey.xlsx", "delighted_api.json"])
def test_exports_uploaded_through_the_app(name):
    """The same files through the upload box (the approach of test_app.py / test_corpus.py)."""
    from streamlit.testing.v1 import AppTest

    case = CASES[name]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.file_uploader(key="uploads").set_value(
        (name, (EXPORTS / name).read_bytes(), "application/octet-stream")
    )
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Responses"] == f"{case['kept']:,}"
    shown = round(hand_nps(case["nps"]))
    assert metrics["NPS"] == (f"{shown:+d}".replace("-", "−") if shown else "0")
    at.switch_page("cx/app/views/data.py").run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows read"] == f"{case['read']:,}" and metrics["Rows kept"] == f"{case['kept']:,}"
