"""The app as a user drives it, through Streamlit's AppTest: every page, uploads, filters, role overrides."""

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cx.io import read_file
from cx.metrics import summarize
from cx.schema import build_dataset

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SAMPLE = ROOT / "data" / "sample_survey.csv"
PAGES = [
    "cx/app/views/overview.py",
    "cx/app/views/trends.py",
    "cx/app/views/segments.py",
    "cx/app/views/data.py",
]

SPANISH = (
    "id;fecha;recomendación;satisfacción;comentario;región\n"
    + "".join(
        f"{i};{(i % 28) + 1:02d}/0{i % 3 + 1}/2025;{s};{c};Comentario número {i}, con eñe y acentos;{r}\n"
        for i, (s, c, r) in enumerate([(10, 5, "Norte")] * 20 + [(7, 4, "Sur")] * 10 + [(2, 1, "Sur")] * 10)
    )
).encode("cp1252")  # 20 promoters, 10 passives, 10 detractors: NPS +25; CSAT 4-5: 30 of 40 = 75 %


def new_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=120)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def unescape(markdown: str) -> str:
    """What the reader sees of a Markdown string the app escaped (a backslash before punctuation)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


@pytest.fixture(scope="module")
def sample_app():
    return new_app().run()


def test_overview_of_the_sample_matches_the_library(sample_app):
    at = sample_app
    assert_clean(at)
    s = summarize(build_dataset(read_file(SAMPLE)).frame)
    assert metric(at, "NPS") == f"{s['nps']:+.0f}"
    assert metric(at, "CSAT") == f"{s['csat']:.0f} %"
    assert metric(at, "Responses") == f"{s['n']:,}"
    assert metric(at, "Comments") == f"{s['comments']:,}"
    text = captions(at)
    assert f"95 % interval {s['nps_low']:+.0f} to {s['nps_high']:+.0f} · n = {s['n_nps']:,}" in text
    assert f"95 % interval {s['csat_low']:.0f}–{s['csat_high']:.0f} % · n = {s['n_csat']:,}" in text
    assert "Showing the bundled sample data" in text
    assert f"{s['n']:,} of {s['n']:,} responses match the filters." in text


@pytest.mark.parametrize("page", PAGES[1:])
def test_every_page_renders_on_the_sample(sample_app, page):
    at = sample_app.switch_page(page).run()
    assert_clean(at)
    assert at.title[0].value in {"Trends", "Segments", "Data & columns"}


def test_trends_and_segments_show_tables_with_n():
    at = new_app().run()
    at.switch_page("cx/app/views/trends.py").run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["period", "n", "NPS", "95 % low", "95 % high", "sample"]
    assert table["n"].sum() == 4120 and table["period"].iloc[0] == "Jan 2025"
    at.selectbox(key="trend_split").set_value("region").run()
    assert_clean(at)
    assert "region" in at.dataframe[0].value.columns
    at.switch_page("cx/app/views/segments.py").run()
    seg = at.dataframe[0].value
    assert seg["n"].sum() == 4120
    worst = seg.sort_values("NPS").iloc[0]
    assert worst["NPS"] < seg["NPS"].median()


def test_filters_apply_everywhere_and_survive_page_changes():
    at = new_app().run()
    at.multiselect(key=next(w.key for w in at.sidebar.multiselect if w.label == "region")).set_value(
        ["North"]
    ).run()
    df = pd.read_csv(SAMPLE)
    north = df[df["region"] == "North"]
    assert f"{len(north):,} of 4,120 responses match the filters." in captions(at)
    assert metric(at, "Responses") == f"{len(north):,}"
    expected = 100 * ((north["nps"] >= 9).mean() - (north["nps"] <= 6).mean())
    assert metric(at, "NPS") == f"{expected:+.0f}".replace("-", "−")
    for page in PAGES[1:3]:
        at.switch_page(page).run()
        assert_clean(at)
        assert f"{len(north):,} of 4,120 responses" in captions(at)
    at.switch_page(PAGES[0]).run()
    assert metric(at, "Responses") == f"{len(north):,}"


def test_nps_group_filter():
    at = new_app().run()
    at.multiselect(key=next(w.key for w in at.sidebar.multiselect if w.label == "NPS group")).set_value(
        ["detractor"]
    ).run()
    assert metric(at, "NPS") == "−100"


def test_upload_a_spanish_export():
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("encuesta.csv", SPANISH, "text/csv")).run()
    assert_clean(at)
    assert metric(at, "NPS") == "+25"
    assert metric(at, "CSAT") == "75 %"
    assert metric(at, "Responses") == "40"
    assert "Showing encuesta.csv." in captions(at)
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert_clean(at)


def test_role_override_on_the_data_page_changes_the_numbers():
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("encuesta.csv", SPANISH, "text/csv")).run()
    at.switch_page("cx/app/views/data.py").run()
    nps_box = next(s for s in at.selectbox if s.label == "NPS (0–10)")
    assert nps_box.value == "recomendación"
    nps_box.select_index(0).run()  # "(none)"
    assert_clean(at)
    at.switch_page("cx/app/views/overview.py").run()
    assert metric(at, "NPS") == "–"
    assert metric(at, "CSAT") == "75 %"


def test_data_quality_report_counts_rows():
    bad = SPANISH + "41;99/99/2025;once;;;Norte\n;;;;;\n".encode("cp1252")
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("encuesta.csv", bad, "text/csv")).run()
    at.switch_page("cx/app/views/data.py").run()
    assert_clean(at)
    assert (metric(at, "Rows read"), metric(at, "Rows kept"), metric(at, "Rows rejected")) == (
        "42",
        "40",
        "2",
    )
    assert "2 rows of the file were not kept" in captions(at.switch_page("cx/app/views/overview.py").run())
    at.switch_page("cx/app/views/data.py").run()
    reasons = at.dataframe[0].value.set_index("reason")["rows"].to_dict()
    assert reasons == {"no valid score or comment": 1, "empty row": 1}
    invalid = at.dataframe[1].value.set_index("column")["values"].to_dict()
    assert invalid == {"fecha": 1, "recomendación": 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"\x00\x01\x02\xff" * 300, "not a text table"), (b"id;nps\n", "no responses")],
)
def test_unusable_upload_gets_a_plain_message(content, message):
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("broken.csv", content, "text/csv")).run()
    assert not at.exception
    assert len(at.error) == 1 and message in at.error[0].value and "Traceback" not in at.error[0].value


def test_two_files_are_joined_and_the_page_says_so():
    survey = "response_id,date,nps\n" + "".join(
        f"R{i},2025-03-{i + 1:02d},{9 if i % 2 else 3}\n" for i in range(20)
    )
    comments = "response_id,comment\nR1,la tarjeta llegó con tres semanas de retraso\nR2,the app crashes whenever I log in\nZ1,nobody ever answers the phone\n"
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(
        [("survey.csv", survey.encode(), "text/csv"), ("comments.csv", comments.encode(), "text/csv")]
    ).run()
    assert_clean(at)
    infos = [unescape(i.value) for i in at.info]
    assert any("joined on response_id: 2 of 3 comments matched" in i for i in infos)
    assert metric(at, "Responses") == "21" and metric(at, "Comments") == "3"


def test_themes_page_shows_labelled_themes_with_quotes_and_filters_the_app():
    at = new_app().run()
    at.switch_page("cx/app/views/themes.py").run()
    assert_clean(at)
    assert any("comments grouped into" in c.value and "use-multilingual-v3" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "theme",
        "label",
        "comments",
        "share",
        "NPS",
        "CSAT",
        "NPS impact",
        "CSAT impact",
        "quote",
    ]
    assert table["label"].str.len().min() > 3 and table["comments"].is_monotonic_decreasing
    quotes = [t.value for t in at.text if t.value.startswith("“")]
    assert len(quotes) == 3
    first_n = int(table["comments"].iloc[0])
    at.button(key="theme_filter_button").click().run()
    assert_clean(at)
    assert f"{first_n:,} of 4,120 responses match the filters." in captions(at)
    at.switch_page("cx/app/views/overview.py").run()
    assert metric(at, "Responses") == f"{first_n:,}"
    at.button(key="clear_theme").click().run()
    assert metric(at, "Responses") == "4,120"


def test_themes_page_on_a_file_without_comments_says_so():
    survey = "nps,region\n" + "".join(f"{i % 11},{'NS'[i % 2]}\n" for i in range(40))
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("scores.csv", survey.encode(), "text/csv")).run()
    at.switch_page("cx/app/views/themes.py").run()
    assert not at.exception and not at.error
    assert "no comments to group" in at.warning[0].value


def test_overview_shows_top_themes_once_they_are_computed():
    at = new_app().run()
    at.switch_page("cx/app/views/themes.py").run()
    labels = list(at.dataframe[0].value["label"].head(3))
    at.switch_page("cx/app/views/overview.py").run()
    assert_clean(at)
    texts = [t.value for t in at.text]
    for label in labels:
        assert texts[texts.index(label) + 1].startswith("“")  # each top theme with a quote


def test_lowest_areas_page_and_overview_sentences():
    at = new_app().run()
    sentences = [t.value for t in at.text if t.value.startswith("• ")]
    assert sentences[0].startswith("• region North × channel Phone: NPS −")  # the planted worst area
    assert "pulls the overall NPS down by" in sentences[0]
    assert any("CSAT" in s for s in sentences)
    at.switch_page("cx/app/views/areas.py").run()
    assert_clean(at)
    ranking = at.dataframe[0].value
    assert (
        ranking.iloc[0]["area"] == "region North × channel Phone" and ranking.iloc[0]["significant"] == "yes"
    )
    assert list(ranking["impact"]) == sorted(ranking["impact"])
    assert any(s.value == "Why is this area low?" for s in at.subheader)
    assert "region North × channel Phone" in [t.value for t in at.text]
    at.multiselect(key=next(w.key for w in at.sidebar.multiselect if w.label == "region")).set_value(
        ["South"]
    ).run()
    assert_clean(at)
    assert "region North" not in " ".join(at.dataframe[0].value["area"])  # follows the global filters


def test_a_link_reopens_the_same_filtered_view():
    df = pd.read_csv(SAMPLE)
    keep = df[(df["region"] == "North") & (df["channel"].isin(["Phone", "Web"])) & (df["csat"] <= 2)]
    at = new_app()
    at.query_params["data"] = "sample"
    at.query_params["seg.region"] = "North"
    at.query_params["seg.channel"] = ["Phone", "Web"]
    at.query_params["csat"] = ["1", "2"]
    at.run()
    assert_clean(at)
    assert f"{len(keep):,} of 4,120 responses match the filters." in captions(at)
    # ...and the app writes what the user chooses back into the link.
    at.text_input(key=next(w.key for w in at.sidebar.text_input)).input("app").run()
    params = {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}
    assert (
        params["q"] == ["app"] and params["seg.channel"] == ["Phone", "Web"] and params["data"] == ["sample"]
    )


def test_a_link_made_on_an_upload_waits_for_the_file():
    at = new_app()
    at.query_params["data"] = "upload"
    at.query_params["seg.región"] = "Norte"
    at.run()
    assert "upload the same file" in at.info[0].value
    assert "4,120 of 4,120" in captions(at)  # the sample is shown unfiltered meanwhile
    at.file_uploader(key="uploads").set_value(("encuesta.csv", SPANISH, "text/csv")).run()
    assert "20 of 40 responses match the filters." in captions(at)


def test_personal_data_is_masked_on_screen():
    text = "id,nps,comment\n1,2,Call me on +34 612 345 678 or write to ana.lopez@mail.es please\n2,9,fine thanks a lot\n"
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("pii.csv", text.encode(), "text/csv")).run()
    at.switch_page("cx/app/views/data.py").run()
    shown = at.dataframe[-1].value
    assert "[phone]" in shown["text"].iloc[0] and "[email]" in shown["text"].iloc[0]
    assert "612 345 678" not in " ".join(shown["text"]) and "ana.lopez" not in " ".join(shown["text"])
