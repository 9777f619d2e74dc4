"""The dashboard on a `cx batch` output folder (`?dataset=`), driven through Streamlit's AppTest: the figures
come from BatchSource (DuckDB over the Parquet files), filters change them, links keep the folder and the
filters, and a folder the server may not open gets one plain message, never the sample and never a traceback."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cx.app.markup import md_escape
from cx.batch.source import BatchSource
from cx.filters import Filters
from cx.tables import fmt_int, fmt_metric
from tests.test_app import assert_clean, captions, metric, new_app, open_link, page, url

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"


def build_batch(inputs: Path, name: str) -> Path:
    """A real `cx batch` output (local engine) of two monthly exports of the sample, written in
    CX_HOME/datasets/<name> (the default root)."""
    df = pd.read_csv(SAMPLE)
    df[df["date"].str.startswith("2025-01")].head(260).to_csv(inputs / "2025-01.csv", index=False)
    df[df["date"].str.startswith("2025-02")].head(260).to_csv(inputs / "2025-02.csv", index=False)
    out = Path(os.environ["CX_HOME"]) / "datasets" / name
    result = subprocess.run(
        [sys.executable, "-m", "cx", "batch", str(inputs), "--out", str(out), "--k", "3", "--all-comments"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def folder(embedding_cache_dir, tmp_path_factory) -> Path:
    return build_batch(tmp_path_factory.mktemp("monthly"), "survey")


@pytest.fixture(scope="module")
def source(folder) -> BatchSource:
    return BatchSource(folder)


@pytest.fixture
def outside(folder, tmp_path) -> Path:
    """A copy of the batch folder outside every allowed root."""
    copy = tmp_path / "elsewhere"
    shutil.copytree(folder, copy)
    return copy


def segment_box(at, label: str):
    return at.multiselect(key=next(w.key for w in at.sidebar.multiselect if w.label == label))


def test_a_link_to_a_batch_folder_shows_its_figures(folder, source):
    at = open_link({"dataset": [str(folder)]})
    assert_clean(at)
    s = source.summarize(Filters())
    assert metric(at, "NPS") == fmt_metric(s["nps"], "nps")
    assert metric(at, "CSAT") == fmt_metric(s["csat"], "csat")
    assert metric(at, "Responses") == fmt_int(s["n"]) == fmt_int(source.rows)
    assert metric(at, "Comments") == fmt_int(s["comments"])
    text = captions(at)
    assert "Showing the batch folder survey" in text
    assert f"{source.rows:,} of {source.rows:,} responses match the filters." in text
    assert f"n = {s['n_nps']:,}" in text
    assert f"Batch folder **survey**: {source.rows:,} responses." in [c.value for c in at.sidebar.caption]


def test_a_folder_name_is_looked_up_under_the_roots(folder, source):
    at = open_link({"dataset": ["survey"]})
    assert_clean(at)
    assert metric(at, "Responses") == fmt_int(source.rows)


def test_a_segment_filter_changes_the_figures_and_stays_in_the_link(folder, source):
    at = open_link({"dataset": [str(folder)]})
    segment_box(at, "region").set_value(["North"]).run()
    assert_clean(at)
    north = source.summarize(Filters(segments={"region": ["North"]}))
    overall = source.summarize(Filters())
    assert north["n"] < overall["n"] and north["nps"] != overall["nps"]
    assert metric(at, "Responses") == fmt_int(north["n"])
    assert metric(at, "NPS") == fmt_metric(north["nps"], "nps")
    assert f"{north['n']:,} of {source.rows:,} responses match the filters." in captions(at)
    link = url(at)
    assert link["dataset"] == [str(folder)] and link["seg.region"] == ["North"]
    at.switch_page(page("trends")).run()  # another page keeps the folder and the filter
    assert_clean(at)
    assert url(at)["dataset"] == [str(folder)] and url(at)["seg.region"] == ["North"]
    assert at.dataframe[0].value["n"].sum() == north["n"]  # every row is dated: the months add up
    again = open_link(url(at), page("overview"))  # a colleague opens the link
    assert_clean(again)
    assert metric(again, "NPS") == fmt_metric(north["nps"], "nps")
    assert segment_box(again, "region").value == ["North"]


def test_every_page_draws_a_batch_folder_or_says_why_it_cannot(folder, source):
    at = open_link({"dataset": [str(folder)]})
    for page_id in ("trends", "segments", "areas", "themes", "data", "export"):
        at.switch_page(page(page_id)).run()
        assert_clean(at)
        assert at.title[0].value
    for page_id, words in (
        ("changes", "python -m cx changes"),
        ("codeframe", "--codeframe NAME"),
        ("present", "Presentation mode needs the responses in memory"),
    ):
        at.switch_page(page(page_id)).run()
        assert_clean(at)
        assert any(words in i.value for i in at.info), page_id


def test_lowest_areas_rank_what_the_batch_source_ranks(folder, source):
    at = open_link({"dataset": [str(folder)], "areas.depth": ["1"]}, page("areas"))
    assert_clean(at)
    table = source.area_table(Filters(), source.segments, "nps", depth=1)
    ranked = table[table["status"] == "ranked"]
    shown = at.dataframe[0].value
    assert len(shown) == len(ranked)
    assert list(shown.iloc[:, 0]) == list(ranked["label"])
    # The first area, drilled into: its months against the rest, and its latest comments by query.
    area = ranked.iloc[0]
    assert [t.value for t in at.text if t.value == area["label"]]
    assert "**Over time, against the rest**" in [m.value for m in at.markdown]
    trend = source.area_trend(Filters(), area["segment"], area["label"], "rest", 30)
    assert set(trend["group"]) == {area["label"], "rest"}  # what the chart draws
    inside = Filters(segments={c: [v] for c, v in area["segment"].items()})
    n = source.summarize(inside)["comments"]
    assert any(f"Comments from this area: {n:,}" in e.label for e in at.expander)


def test_themes_show_volumes_and_fetch_the_chosen_themes_comments(folder, source):
    at = open_link({"dataset": [str(folder)]}, page("themes"))
    assert_clean(at)
    themes = source.theme_table(Filters())
    shown = at.dataframe[0].value
    assert list(shown["comments"]) == list(themes["n"])
    first = int(themes["theme_id"].iloc[0])
    quotes = source.quotes(Filters(themes={first: ""}), limit=20)
    texts = [t.value for t in at.text]
    assert texts[0] == str(themes["label"].iloc[0])
    # each comment's part in the theme is the quote (plain text, masked PII aside), the whole comment under it
    assert quotes["excerpt"].notna().all() and (quotes["excerpt"] != quotes["text"]).any()
    assert all(f"“{q}”" in texts for q in quotes["excerpt"] if "@" not in q)
    captions = [c.value for c in at.caption]
    whole = quotes[(quotes["excerpt"] != quotes["text"]) & ~quotes["text"].str.contains("@")]
    assert len(whole) and all(md_escape("… " + str(t)) in captions for t in whole["text"])
    at.button(key="theme_filter_button").click().run()
    assert_clean(at)
    assert url(at)["theme"] == [str(first)]
    assert metric(at.switch_page(page("overview")).run(), "Responses") == fmt_int(
        source.count(Filters(themes={first: ""}))
    )


def test_the_data_page_shows_the_row_report_of_every_file(folder, source):
    at = open_link({"dataset": [str(folder)]}, page("data"))
    assert_clean(at)
    report = at.dataframe[0].value
    assert sorted(report["file"]) == ["2025-01.csv", "2025-02.csv"]
    assert report["Rows kept"].sum() == source.rows
    assert len(at.dataframe[1].value) == min(500, source.rows)


@pytest.mark.parametrize("how", ["absolute", "dotdot", "relative", "symlink"])
def test_a_folder_outside_the_roots_gets_a_message_not_the_sample(folder, outside, how):
    root = folder.parent
    link = {
        "absolute": str(outside),
        "dotdot": os.path.join(str(root), os.path.relpath(outside, root)),  # root/../../…/elsewhere
        "relative": os.path.relpath(outside, root),  # ../../…/elsewhere, looked up under the root
        "symlink": str(root / "shortcut"),
    }[how]
    if how == "symlink":
        (root / "shortcut").unlink(missing_ok=True)
        (root / "shortcut").symlink_to(outside, target_is_directory=True)
    at = open_link({"dataset": [link]})
    assert not at.exception
    assert len(at.error) == 1 and "is outside the folders this server opens" in at.error[0].value
    assert not at.metric  # never the sample instead
    assert at.button(key="open_sample")  # the way out, as for a missing upload
    at.button(key="open_sample").click().run()
    assert_clean(at)
    assert "Showing the bundled sample data" in captions(at) and "dataset" not in url(at)


def test_the_roots_come_from_cx_datasets(folder, outside, monkeypatch):
    monkeypatch.setenv("CX_DATASETS", os.pathsep.join(["/nonexistent-root", str(outside.parent)]))
    at = open_link({"dataset": [str(outside)]})
    assert_clean(at)
    assert metric(at, "Responses") == fmt_int(BatchSource(outside).rows)
    refused = open_link({"dataset": [str(folder)]})  # the default root is no longer allowed
    assert "is outside the folders" in refused.error[0].value


def test_a_folder_that_is_not_a_batch_gets_a_message(folder):
    plain = folder.parent / "not-a-batch"
    plain.mkdir(exist_ok=True)
    (plain / "notes.txt").write_text("hello")
    at = open_link({"dataset": [str(plain)]})
    assert not at.exception
    assert len(at.error) == 1 and "is not a batch output folder" in at.error[0].value
    missing = open_link({"dataset": [str(folder.parent / "no-such-folder")]})
    assert not missing.exception and "does not exist on this server" in missing.error[0].value
    hostile = open_link({"dataset": ["<b>x</b>\x00" + "a/" * 400]})  # markup, a NUL, 800 characters
    assert not hostile.exception and "does not exist on this server" in hostile.error[0].value
    assert r"\<b\>x\</b\>" in hostile.error[0].value  # escaped for Markdown: shown as typed, never markup


def test_the_sidebar_opens_a_folder_and_goes_back_to_uploads(folder, source):
    at = new_app().run()
    assert "Showing the bundled sample data" in captions(at)
    at.text_input(key="dataset_path").set_value(str(folder)).run()
    assert_clean(at)
    assert metric(at, "Responses") == fmt_int(source.rows)
    assert url(at)["dataset"] == [str(folder)]
    at.button(key="dataset_back").click().run()
    assert_clean(at)
    assert "Showing the bundled sample data" in captions(at) and "dataset" not in url(at)


def test_the_export_page_counts_the_filtered_rows(folder, source):
    at = open_link({"dataset": [str(folder)], "seg.channel": ["Web"]}, page("export"))
    assert_clean(at)
    n = source.count(Filters(segments={"channel": ["Web"]}))
    assert 0 < n < source.rows
    assert f"{n:,} responses pass the filters" in captions(at)
    assert [b.label for b in at.get("download_button")] == ["Download CSV"]


def test_a_batch_folder_in_spanish(folder, source):
    at = open_link({"dataset": [str(folder)], "lang": ["es"]})
    assert_clean(at)
    assert at.button(key="dataset_back").label == "Volver a los archivos subidos"
    assert "Se muestra la carpeta de lote survey" in captions(at)
    at.switch_page(page("changes")).run()
    assert "Qué cambió necesita las respuestas en memoria" in at.info[0].value
