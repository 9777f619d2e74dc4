"""The app as a user drives it, through Streamlit's AppTest: every page, uploads, filters, role overrides."""

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cx.app import registry
from cx.io import read_file
from cx.metrics import summarize
from cx.schema import build_dataset
from cx.store import Store, sha256
from cx.strings import UI

ROOT = Path(__file__).resolve().parent.parent


def page(page_id: str) -> str:
    """A page's file as AppTest wants it (relative to app.py), from the one page registry."""
    return str(registry.page(page_id).path.relative_to(ROOT))


APP = str(ROOT / "app.py")
SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"
PAGES = [
    page("overview"),
    page("trends"),
    page("segments"),
    page("data"),
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


def url(at: AppTest) -> dict[str, list[str]]:
    """The query parameters of the address bar after the run."""
    return {k: v if isinstance(v, list) else [v] for k, v in at.query_params.items()}


def open_link(params: dict[str, list[str]], page: str | None = None) -> AppTest:
    """A new session (another tab, a colleague) opening a link with these parameters."""
    at = new_app()
    for key, values in params.items():
        at.query_params[key] = values
    at.run()
    if page:
        at.switch_page(page).run()
    return at


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
    at.switch_page(page("trends")).run()
    table = at.dataframe[0].value
    assert list(table.columns) == ["period", "n", "NPS", "95 % low", "95 % high", "sample"]
    assert table["n"].sum() == 4120 and table["period"].iloc[0] == "Jan 2025"
    at.selectbox(key="trends.split").set_value("region").run()
    assert_clean(at)
    assert "region" in at.dataframe[0].value.columns
    at.switch_page(page("segments")).run()
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
    at.switch_page(page("data")).run()
    nps_box = next(s for s in at.selectbox if s.label == "NPS (0–10)")
    assert nps_box.value == "recomendación"
    nps_box.select_index(0).run()  # "(none)"
    assert_clean(at)
    at.switch_page(page("overview")).run()
    assert "NPS" not in [m.label for m in at.metric]  # no NPS column any more: no NPS card, not a blank one
    assert metric(at, "CSAT") == "75 %"


def test_data_quality_report_counts_rows():
    bad = SPANISH + "41;99/99/2025;once;;;Norte\n;;;;;\n".encode("cp1252")
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("encuesta.csv", bad, "text/csv")).run()
    at.switch_page(page("data")).run()
    assert_clean(at)
    assert (metric(at, "Rows read"), metric(at, "Rows kept"), metric(at, "Rows rejected")) == (
        "42",
        "40",
        "2",
    )
    assert "2 rows of the file were not kept" in captions(at.switch_page(page("overview")).run())
    at.switch_page(page("data")).run()
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
    at.switch_page(page("themes")).run()
    assert_clean(at)
    assert any("comments grouped into" in c.value and "use-multilingual-v3" in c.value for c in at.caption)
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "theme",
        "label",
        "comments",
        "share",
        "Likely negative",
        "NPS",
        "CSAT",
        "quote",
    ]
    assert 5 <= len(table) <= 12 and any(
        "sub-themes" in c.value and "more than 100 %" in c.value for c in at.caption
    )
    assert table["label"].str.len().min() > 3 and table["comments"].is_monotonic_decreasing
    quotes = [t.value for t in at.text if t.value.startswith("“")]
    assert len(quotes) >= 3  # the theme's parts (and Other's examples)
    whole = [e for e in at.expander if e.label == "Whole comment"]
    assert len(whole) == 3 and quotes[-1].strip("“”") in whole[-1].text[0].value  # the part, in its comment
    first_n = int(table["comments"].iloc[0])
    at.button(key="theme_filter_button").click().run()
    assert_clean(at)
    assert f"{first_n:,} of 4,120 responses match the filters." in captions(at)
    at.switch_page(page("overview")).run()
    assert metric(at, "Responses") == f"{first_n:,}"
    at.button(key="clear_theme").click().run()
    assert metric(at, "Responses") == "4,120"


def test_themes_page_on_a_file_without_comments_says_so():
    survey = "nps,region\n" + "".join(f"{i % 11},{'NS'[i % 2]}\n" for i in range(40))
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("scores.csv", survey.encode(), "text/csv")).run()
    at.switch_page(page("themes")).run()
    assert not at.exception and not at.error
    assert "no comments to group" in at.warning[0].value


def test_overview_shows_top_themes_once_they_are_computed():
    at = new_app().run()
    at.switch_page(page("themes")).run()
    labels = list(at.dataframe[0].value["label"].head(3))
    at.switch_page(page("overview")).run()
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
    at.switch_page(page("areas")).run()
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
    at.text_input(key=next(w.key for w in at.sidebar.text_input if w.label == "Comments containing")).input(
        "app"
    ).run()
    params = url(at)
    assert params["q"] == ["app"] and params["seg.channel"] == ["Phone", "Web"] and "data" not in params


def test_a_link_to_data_this_server_does_not_keep_says_so_and_waits_for_the_file():
    Store().forget(sha256(SPANISH))  # expired, forgotten, or never uploaded to this server
    at = new_app()
    at.query_params["data"] = sha256(SPANISH)
    at.query_params["seg.región"] = "Norte"
    at.run()
    assert not at.exception
    assert "This link's data is not on this server" in at.error[0].value
    assert not at.metric and "bundled sample" not in captions(at)  # never the sample, silently
    at.file_uploader(key="uploads").set_value(("encuesta.csv", SPANISH, "text/csv")).run()
    assert_clean(at)
    assert "20 of 40 responses match the filters." in captions(at)  # the link's filter applies


def test_personal_data_is_masked_on_screen():
    text = "id,nps,comment\n1,2,Call me on +34 612 345 678 or write to ana.lopez@mail.es please\n2,9,fine thanks a lot\n"
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("pii.csv", text.encode(), "text/csv")).run()
    at.switch_page(page("data")).run()
    shown = at.dataframe[-1].value
    assert "[phone]" in shown["text"].iloc[0] and "[email]" in shown["text"].iloc[0]
    assert "612 345 678" not in " ".join(shown["text"]) and "ana.lopez" not in " ".join(shown["text"])


THEMES_PAGE, DATA_PAGE = page("themes"), page("data")


def sidebar_multiselect(at: AppTest, label: str):
    return at.multiselect(key=next(w.key for w in at.sidebar.multiselect if w.label == label))


def test_an_upload_reopens_in_a_new_session_with_its_roles_and_filters():
    """A new tab, presentation mode or a colleague's browser: the link alone brings back the same view."""
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("encuesta.csv", SPANISH, "text/csv")).run()
    at.switch_page(DATA_PAGE).run()
    next(s for s in at.selectbox if s.label == "NPS (0–10)").select_index(0).run()  # "(none)"
    sidebar_multiselect(at, "región").set_value(["Norte"]).run()
    assert_clean(at)
    params = url(at)
    assert params["data"] == [sha256(SPANISH)] and params["seg.región"] == ["Norte"]
    assert params["r1.csat"] == ["satisfacción"] and "r1.nps" not in params  # the edited roles travel
    other = open_link(params)
    assert_clean(other)
    assert "Showing encuesta.csv." in captions(other)
    assert "20 of 40 responses match the filters." in captions(other)
    assert "NPS" not in [m.label for m in other.metric]  # no NPS role: no NPS card
    assert metric(other, "CSAT") == "100 %"  # Norte: all 5s
    assert url(other) == params  # and the new session's own link is the same


def test_settings_stay_when_changing_pages_and_travel_in_the_link():
    at = new_app().run()
    at.switch_page(THEMES_PAGE).run()
    at.selectbox(key="themes.k").set_value(4).run()
    at.button_group(key="themes.order").set_value("nps_impact").run()
    with_k4 = next(c.value for c in at.caption if "comments grouped into" in c.value)
    at.switch_page(page("trends")).run()
    at.button_group(key="trends.metric").set_value("csat").run()
    at.button_group(key="trends.period").set_value("quarter").run()
    for path in (page("overview"), DATA_PAGE, THEMES_PAGE):
        at.switch_page(path).run()
        assert_clean(at)
    assert (
        at.selectbox(key="themes.k").value == 4 and at.button_group(key="themes.order").value == "nps_impact"
    )
    assert with_k4 in [c.value for c in at.caption]  # the themes of k = 4, not recomputed with the default
    at.switch_page(page("trends")).run()
    assert at.button_group(key="trends.metric").value == "csat"
    assert (
        list(at.dataframe[0].value.columns)[2] == "CSAT"
        and at.dataframe[0].value["period"].iloc[0] == "Q1 2025"
    )
    params = url(at)
    assert (
        params["themes.k"] == ["4"]
        and params["trends.metric"] == ["csat"]
        and params["trends.period"] == ["quarter"]
    )
    other = open_link(params, THEMES_PAGE)
    assert other.selectbox(key="themes.k").value == 4


def test_filtering_to_the_third_theme_shows_that_theme():
    at = new_app().run()
    at.switch_page(THEMES_PAGE).run()
    table = at.dataframe[0].value
    third, n = int(table["theme"].iloc[2]), int(table["comments"].iloc[2])
    # The theme picked in the table lives in the view by id (AppTest cannot click a table row; the
    # browser test does): a link that picked the third theme.
    at = open_link({**url(at), "themes.theme": [str(third)]}, THEMES_PAGE)
    assert at.subheader[0].value == f"Theme {third}"
    at.button(key="theme_filter_button").click().run()
    assert_clean(at)
    assert at.subheader[0].value == f"Theme {third}"  # still the theme the user chose, not the first row
    # every filtered comment is in this theme (some also in others: a comment with two problems)
    filtered = at.dataframe[0].value
    assert filtered["theme"].iloc[0] == str(third) and int(filtered["comments"].iloc[0]) == n
    assert f"{n:,} of 4,120 responses match the filters." in captions(at)
    assert url(at)["theme"] == [str(third)]
    # Another session opening the link computes the same themes and applies the same filter.
    other = open_link(url(at))
    assert_clean(other)
    assert metric(other, "Responses") == f"{n:,}"
    # Other themes (another number of themes): the filter named a group that no longer exists, so it goes.
    at.selectbox(key="themes.k").set_value(4).run()
    assert_clean(at)
    assert "4,120 of 4,120 responses match the filters." in captions(at) and "theme" not in url(at)


def test_forget_this_file_deletes_it_from_the_server():
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("encuesta.csv", SPANISH, "text/csv")).run()
    digest = sha256(SPANISH)
    assert Store().info(digest) is not None
    at.switch_page(DATA_PAGE).run()
    assert "Uploaded files are kept on this server" in captions(at)
    at.button(key=f"forget_{digest}").click().run()
    assert_clean(at)
    assert Store().info(digest) is None
    assert "encuesta.csv was deleted from this server." in at.success[0].value
    assert "Showing the bundled sample data" in captions(at) and "data" not in url(at)
    link = open_link({"data": [digest], "seg.región": ["Norte"]})
    assert "This link's data is not on this server" in link.error[0].value
    link.button(key="open_sample").click().run()  # the way out, chosen by the user
    assert_clean(link)
    # The sample, with nothing of the old link but its language.
    assert "4,120 of 4,120 responses match the filters." in captions(link) and url(link) == {"lang": ["en"]}


def test_forgetting_a_file_also_deletes_the_comment_parts_kept_with_its_themes():
    from cx.embed import default_cache_dir

    survey = "id,nps,comment\n" + "".join(
        f"{i},{i % 11},{text} number {i}\n"
        for i, text in enumerate(["the parcel arrived late", "la app se cierra al pagar", "rude staff"] * 20)
    )
    data = survey.encode()
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("forget_me.csv", data, "text/csv")).run()
    at.switch_page(THEMES_PAGE).run()
    assert_clean(at)
    folder = default_cache_dir()

    def kept_from_this_file() -> list[str]:
        names = []
        for path in sorted(folder.glob("*.npz")):
            with np.load(path, allow_pickle=False) as arrays:
                if sha256(data) in json.loads(arrays["meta"].tobytes().decode())["sources"]:
                    names.append(path.name.split("-")[0])
        return names

    assert sorted(kept_from_this_file()) == ["parts", "themes"]  # kept for a restart or another tab
    at.switch_page(DATA_PAGE).run()
    at.button(key=f"forget_{sha256(data)}").click().run()
    assert_clean(at)
    assert kept_from_this_file() == []


def test_a_page_that_ends_early_keeps_the_link():
    """Trends on a file without dates says so and ends there, cleanly (the page's early end is not an error)
    and with the whole view in the URL. AppTest reads the URL at the end of the run even after st.stop(),
    so the URL lost by a real browser then is checked in test_browser.py."""
    data = b"id,nps,comment,region\n" + b"".join(
        f"{i},{i % 11},slow app number {i},{'NS'[i % 2]}\n".encode() for i in range(40)
    )
    digest = Store().put("undated.csv", data).sha256
    at = open_link({"data": [digest], "min_n": ["12"], "seg.region": ["N"]})
    at.switch_page(page("trends")).run()
    assert_clean(at)
    assert [i.value for i in at.info] == [UI["no_dates"]]
    link = url(at)
    assert link["data"] == [digest] and link["min_n"] == ["12"] and link["seg.region"] == ["N"], link


def test_themes_of_every_comment_are_not_called_complaints_on_the_overview():
    data = b"id,nps,comment\n" + b"".join(
        f"{i},{i % 11},{text} ({i})\n".encode()
        for i, text in enumerate(["the parcel arrived late", "great staff, thank you", "app crashes"] * 20)
    )
    digest = Store().put("all_comments.csv", data).sha256
    for scope, heading, share in [
        ("all", "Top themes", "% of comments"),
        ("", "Top complaint themes", "% of complaints"),
    ]:
        params = {"data": [digest], **({"themes.scope": [scope]} if scope else {})}
        at = open_link(params, THEMES_PAGE)  # themes computed under this setting
        at.switch_page(page("overview")).run()
        assert_clean(at)
        assert heading in [h.value for h in at.subheader]
        sizes = [c.value for c in at.caption if " comments · " in c.value]
        assert sizes and all(c.endswith(share) for c in sizes), sizes


def test_a_hostile_link_is_ignored_not_obeyed():
    at = open_link(
        {
            "min_n": ["-3"],
            "seg.region": ["<script>alert(1)</script>"],
            "seg.nope": ["x"],
            "themes.k": ["999"],
            "from": ["yesterday"],
            "data": ["sample"],
            "trends.metric": ["drop table"],
        }
    )
    assert_clean(at)
    assert "4,120 of 4,120 responses match the filters." in captions(at)
    at.switch_page(page("trends")).run()
    assert_clean(at)
    assert at.button_group(key="trends.metric").value == "nps"


PLAIN = (str, int, float, bool, type(None), dt.date)


def plain(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(plain(v) for v in value)
    return isinstance(value, PLAIN)


def test_session_state_holds_only_plain_values():
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("encuesta.csv", SPANISH, "text/csv")).run()
    for path in (page("trends"), THEMES_PAGE, DATA_PAGE, page("areas")):
        at.switch_page(path).run()
        assert_clean(at)
    at.switch_page(THEMES_PAGE).run()
    at.button(key="theme_filter_button").click().run()
    assert_clean(at)
    odd = {k: type(v).__name__ for k, v in at.session_state.items() if k != "uploads" and not plain(v)}
    assert not odd  # no frames, series or context objects: the view is query parameters
    assert at.session_state["cx_view"]["data"] == [sha256(SPANISH)]


def test_the_packaged_entry_file_runs_the_same_app():
    """`cxlens app` runs cx/app/streamlit_app.py: the same two lines as app.py."""
    at = AppTest.from_file(str(ROOT / "cx" / "app" / "streamlit_app.py"), default_timeout=120).run()
    assert_clean(at)
    assert at.title[0].value == "Overview" and metric(at, "Responses") == "4,120"
    assert (ROOT / "app.py").read_text().split('"""')[-1] == (
        ROOT / "cx/app/streamlit_app.py"
    ).read_text().split('"""')[-1]


def test_a_header_row_chosen_by_the_user_travels_in_the_link():
    at = new_app().run()
    at.file_uploader(key="uploads").set_value(("encuesta.csv", SPANISH, "text/csv")).run()
    at.switch_page(DATA_PAGE).run()
    key = next(w.key for w in at.number_input if w.label.startswith("Header row"))
    assert at.number_input(key=key).value == 1
    at.number_input(key=key).set_value(2).run()  # the first response taken for the column names
    assert_clean(at)
    assert metric(at, "Rows read") == "39"
    assert url(at)["header.1"] == ["2"]
    other = open_link(url(at), DATA_PAGE)
    assert_clean(other)
    assert metric(other, "Rows read") == "39"
    at.number_input(key=key).set_value(500).run()  # no such row: a plain message, and the box to fix it
    assert not at.exception and "no row 500" in at.error[0].value
    at.number_input(key=key).set_value(1).run()
    assert_clean(at)
    assert metric(at, "Rows read") == "40"
