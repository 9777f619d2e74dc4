"""Dataset mode: BatchSource (DuckDB over a `cx batch` folder) gives the numbers pandas gives on the same rows.

The whole bundled sample (4,120 responses, 2,677 comments) goes through `cx batch` once (local engine, the
real embedder; about 10 s), split in two files (2025 as CSV, 2026 as Parquet) with a CES and a sentiment
column added, a few blank regions, bare-year and missing dates, and comments a spreadsheet would run.
Every figure is checked twice: answered from DIR/rollup.parquet where the filters allow it, and from a
copy of the folder without the roll-up (a scan of responses/).
"""

import datetime as dt
import json
import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cx.areas import area_mask, area_table, area_trend, areas_message
from cx.batch.source import (
    ROLLUP,
    THEME_ROLLUP,
    BatchQueryError,
    BatchSource,
    is_batch_folder,
    write_rollup,
)
from cx.batch.stages import RoleFlags, read_one
from cx.export import to_csv_bytes
from cx.filters import Filters, apply_filters
from cx.metrics import metrics_by, summarize
from tests.test_cli import cx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"
FILES = ("2025.csv", "2026.parquet")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    df = pd.read_csv(SAMPLE, dtype=str)
    rng = np.random.default_rng(7)
    df["effort"] = rng.integers(1, 8, len(df)).astype(str)
    df.loc[rng.random(len(df)) < 0.3, "effort"] = None
    df["sentiment"] = rng.choice(["negative", "neutral", "positive", None], len(df))
    df.loc[[5, 40, 41, 300], "region"] = None
    df.loc[[7, 8], "date"] = "2025"  # a bare year: in the 2025 group, in no month or week
    df.loc[9, "date"] = None  # undated: in no period, out of any date filter
    commented = df.index[df["comment"].notna()]
    df.loc[commented[0], "comment"] = '=HYPERLINK("http://x.example","reclamación")'
    df.loc[commented[1], "comment"] = "@admin la reclamación sigue abierta"
    df.loc[commented[2], "comment"] = "La  app\tva MUY   lenta"  # runs of spaces and a tab, ASCII only
    df.loc[commented[3], "comment"] = "Está  muy\u00a0LENTA la web"  # a no-break space, accents
    in_2026 = df["date"].fillna("").str.startswith("2026")
    df[~in_2026].to_csv(folder / FILES[0], index=False)
    df[in_2026].to_parquet(folder / FILES[1], index=False)
    return folder


@pytest.fixture(scope="module")
def batch(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "out"
    cx("batch", inputs, "--out", out, "--k", "5", "--all-comments")
    return out


@pytest.fixture(scope="module")
def scanned(batch, tmp_path_factory):
    """The same folder without its roll-up: every question scans responses/."""
    out = tmp_path_factory.mktemp("scan") / "out"
    shutil.copytree(batch, out)
    (out / ROLLUP).unlink()
    (out / THEME_ROLLUP).unlink()
    return out


@pytest.fixture(scope="module", params=["rollup", "cells", "scan"])
def source(request, batch, scanned):
    """The three ways to the sums: the batch's roll-up; without it, each filter's cells made by one scan and
    kept; and a scan for every question."""
    if request.param == "rollup":
        src = BatchSource(batch)
    else:
        src = BatchSource(scanned, cells_cache=2 if request.param == "cells" else 0)
    assert src.uses_rollup == (request.param == "rollup")
    return src


@pytest.fixture(scope="module")
def frame(inputs, batch):
    """The same rows in pandas, as one upload of them would be: segment columns categorical."""
    parts = [read_one(inputs / name, RoleFlags()).frame.assign(_file=name) for name in FILES]
    frame = pd.concat(parts, ignore_index=True)
    for col in ("region", "channel", "product", "journey_stage"):
        frame[col] = frame[col].astype("category")
    rows = pd.read_parquet(
        batch / "responses", columns=["source_file", "response_id", "theme_id", "all_theme_ids"]
    )
    rows = rows.set_index(["source_file", "response_id"])
    rows = rows.reindex(pd.MultiIndex.from_arrays([frame["_file"], frame["response_id"]]))
    # As the app's theme filter (cx.themes.theme_of_rows) for the themes FILTERS asks for: a comment with
    # parts in several themes passes a filter on any of them.
    theme = rows["theme_id"].to_numpy(dtype=object)
    listed = rows["all_theme_ids"].fillna("").str.split("; ").to_numpy()
    for wanted in reversed(list(FILTERS["theme"].themes)):
        theme = np.array(
            [wanted if str(wanted) in ids else t for t, ids in zip(theme, listed, strict=True)], dtype=object
        )
    frame.attrs["theme_of"] = pd.Series(theme, index=frame.index)
    frame.attrs["all_theme_ids"] = pd.Series(rows["all_theme_ids"].to_numpy(dtype=object), index=frame.index)
    return frame.drop(columns="_file")


def same_summary(got: dict, expected: dict) -> None:
    assert set(got) == set(expected)
    for key, value in expected.items():
        if isinstance(value, float) and math.isnan(value):
            assert isinstance(got[key], float) and math.isnan(got[key]), key
        elif isinstance(value, float):
            assert got[key] == pytest.approx(value, rel=1e-12, abs=1e-9), key
        else:
            assert got[key] == value, key


def same_table(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    expected = expected.copy()
    for col in expected.columns:  # segment keys: the same values and order (categorical or not)
        if isinstance(expected[col].dtype, pd.CategoricalDtype):
            expected[col] = expected[col].astype(str)
            got = got.assign(**{col: got[col].astype(str)})
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), expected.reset_index(drop=True), check_dtype=False, rtol=1e-12, atol=1e-9
    )
    assert got.attrs.get("volume_basis") == expected.attrs.get("volume_basis")


FILTERS = {
    "none": Filters(),
    "segment with blank": Filters(segments={"region": ["(blank)", "North"]}),
    "two segments": Filters(segments={"region": ["South", "East"], "channel": ["App"]}),
    "whole months": Filters(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 6, 30)),
    "days": Filters(date_from=dt.date(2025, 3, 4), date_to=dt.date(2026, 1, 20)),
    "from a day": Filters(date_from=dt.date(2025, 11, 15), segments={"product": ["Cards"]}),
    "within a month": Filters(date_from=dt.date(2025, 5, 3), date_to=dt.date(2025, 5, 31)),
    "up to a day": Filters(date_to=dt.date(2025, 2, 10), segments={"region": ["West"]}),
    "nps group": Filters(nps_groups=["detractor", "passive"]),
    "csat values": Filters(csat_values=[1, 2]),
    "keyword with accents": Filters(keyword="RECLAMACIÓN"),
    "keyword without": Filters(keyword="  reclamacion "),
    "phrase with spaces": Filters(keyword="muy  lenta"),
    "theme": Filters(themes={1: "", 3: ""}),
}


def test_the_folder_is_described_as_its_rows(source, frame):
    assert source.rows == len(frame) == 4120
    assert source.segments == ["region", "channel", "product", "journey_stage"]
    assert source.segment_values("region") == ["Central", "East", "North", "South", "West", "(blank)"]
    assert source.date_range() == (dt.date(2025, 1, 1), dt.date(2026, 3, 31))
    assert source.sentiment_source == "column sentiment"
    assert source.available_metrics(Filters()) == ["nps", "csat", "ces", "sentiment", "volume"]
    assert is_batch_folder(source.folder)


@pytest.mark.parametrize("name", list(FILTERS))
def test_filters_keep_the_rows_pandas_keeps_with_the_same_metrics(source, frame, name):
    filters = FILTERS[name]
    kept = apply_filters(frame, filters, frame.attrs["theme_of"])
    assert 0 < len(kept) < len(frame) or name == "none"
    assert source.count(filters) == len(kept)
    same_summary(source.summarize(filters), summarize(kept))
    same_table(source.metrics_by(filters, ["region", "month"]), metrics_by(kept, ["region", "month"]))
    same_table(source.area_table(filters, source.segments, "nps"), area_table(kept, source.segments, "nps"))


def test_the_roll_up_answers_segments_and_months_the_cells_other_filters(batch):
    src = BatchSource(batch)
    plans = {name: src._plan(f, ["region"]) for name, f in FILTERS.items()}
    kinds = {name: [kind for kind, _ in plan] for name, plan in plans.items()}
    assert {name for name, k in kinds.items() if k == ["rollup"]} == {
        "none",
        "segment with blank",
        "two segments",
        "whole months",
        "theme",  # from the theme roll-up, a comment in both themes once
    }
    assert kinds["days"] == ["scan", "scan", "rollup"] and kinds["from a day"] == ["scan", "rollup"]
    days = [(p.date_from, p.date_to) for _, p in plans["days"]]
    assert days == [
        (dt.date(2025, 3, 4), dt.date(2025, 3, 31)),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 20)),
        (dt.date(2025, 4, 1), dt.date(2025, 12, 31)),
    ]
    assert {name for name, k in kinds.items() if k == ["cells"]} == {
        "nps group",
        "csat values",
        "keyword with accents",
        "keyword without",
        "phrase with spaces",
    }
    assert kinds["within a month"] == ["scan"]  # one cut month: nothing whole for the roll-up
    assert kinds["up to a day"] == ["scan", "rollup"]
    assert [
        k for k, _ in src._plan(Filters(date_from=dt.date(2025, 3, 4), date_to=dt.date(2025, 3, 9)), [])
    ] == ["scan"]
    assert src._plan(Filters(), [], months_ok=False)[0][0] == "scan"  # weeks and days: no roll-up
    assert src._plan(Filters(), ["nps_group"])[0][0] == "scan"  # not a segment: not in the cells
    assert BatchSource(batch, cells_cache=0)._plan(FILTERS["nps group"], [])[0][0] == "scan"


def test_the_keyword_ignores_case_and_accents(source, frame):
    assert source.count(Filters(keyword="reclamacion")) == source.count(Filters(keyword="ReClAmAcIóN")) > 2
    texts = source.quotes(Filters(keyword="reclamación"), limit=1000)["text"]
    assert texts.str.lower().str.contains("reclamaci").all()
    phrase = set(source.quotes(Filters(keyword="MUY LENTA"), limit=1000)["text"])
    assert {"La  app\tva MUY   lenta", "Está  muy\u00a0LENTA la web"} <= phrase


@pytest.mark.parametrize("by", ["month", "week", "quarter", "year", "region", ["channel", "month"], "day"])
def test_metrics_by_periods_and_segments_equal_pandas(source, frame, by):
    same_table(source.metrics_by(Filters(), by), metrics_by(frame, by))


def test_bare_years_and_undated_rows_are_counted_as_pandas_counts_them(source, frame):
    by_year = source.metrics_by(Filters(), "year")
    by_month = source.metrics_by(Filters(), "month")
    assert by_year["n"].sum() == len(frame) - 1  # only the undated row is in no year
    assert by_month["n"].sum() == len(frame) - 3  # and the two bare years are in no month


@pytest.mark.parametrize("metric", ["nps", "csat", "ces", "sentiment"])
def test_lowest_areas_equal_pandas(source, frame, metric):
    got = source.area_table(Filters(), source.segments, metric, depth=2)
    expected = area_table(frame, source.segments, metric, depth=2)
    assert len(got) > 30 and (got["status"] == "ranked").any()
    same_table(got, expected)
    single = source.area_table(Filters(), ["region"], metric, depth=1)
    same_table(single, area_table(frame, ["region"], metric, depth=1))


def test_the_lowest_areas_message_is_the_one_pandas_gives(source, frame):
    north = Filters(segments={"region": ["North"]})
    kept = apply_filters(frame, north)
    cases = [
        (Filters(), "volume", source.segments),
        (north, "nps", ["region"]),  # one value left: nothing to compare
        (Filters(), "nps", None),
    ]
    for filters, metric, segments in cases:
        rows = apply_filters(frame, filters)
        expected = areas_message(rows, metric, segments, min_n=30)
        assert source.areas_message(filters, metric, segments, min_n=30) == expected
    one_value = source.areas_message(north, "nps", ["region"])
    assert one_value is not None and one_value == areas_message(kept, "nps", ["region"])
    table = source.area_table(north, source.segments, "csat", min_n=5000)
    assert source.areas_message(north, "csat", source.segments, table, 5000) == areas_message(
        kept, "csat", source.segments, area_table(kept, source.segments, "csat", min_n=5000), 5000
    )
    assert "5000" in source.areas_message(north, "csat", source.segments, table, 5000)


def test_volume_has_no_lowest_areas_and_an_unknown_column_is_a_plain_error(source):
    with pytest.raises(ValueError, match="olume"):
        source.area_table(Filters(), source.segments, "volume")
    with pytest.raises(BatchQueryError, match="'nope' is not a column"):
        source.metrics_by(Filters(), "nope")
    # as apply_filters: a filter on a column this folder does not have keeps every row
    assert source.count(Filters(segments={"nope": ["x"]})) == source.rows


def test_a_filter_that_keeps_nothing_gives_empty_tables_as_pandas(source, frame):
    filters = Filters(segments={"region": ["North"]}, date_from=dt.date(2030, 1, 1))
    empty = apply_filters(frame, filters)
    assert source.count(filters) == len(empty) == 0
    same_summary(source.summarize(filters), summarize(empty))
    assert source.metrics_by(filters, "month").empty and source.available_metrics(filters) == []
    assert source.area_table(filters, source.segments).empty
    assert source.quotes(filters).empty and source.preview(filters).empty


def test_theme_table_and_quotes_are_the_themes_comments(source, batch):
    rows = pd.read_parquet(batch / "responses")
    members = rows.assign(top=rows["all_theme_ids"].str.split("; ")).explode("top").dropna(subset=["top"])
    members = members[members["top"] != "0"].assign(top=lambda f: f["top"].astype(int))  # Other is no theme
    table = source.theme_table(Filters())
    assert table.set_index("theme_id")["n"].to_dict() == members["top"].value_counts().to_dict()
    themed = rows["all_theme_ids"].notna().sum()
    assert table["n"].is_monotonic_decreasing
    assert table["share"].tolist() == pytest.approx((table["n"] / themed).tolist())
    labels = pd.read_parquet(batch / "themes.parquet").set_index("theme_id")["label"]
    assert (table["label"] == table["theme_id"].astype(str).map(labels)).all()
    first = members[members["top"] == table["theme_id"].iloc[0]]
    assert table["nps"].iloc[0] == pytest.approx(summarize(first)["nps"])
    parts = pd.read_parquet(batch / "parts")
    for theme_id in table["theme_id"]:
        quotes = source.quotes(Filters(), theme_id=theme_id, limit=5)
        assert len(quotes) == 5
        of_theme = members[members["top"] == theme_id].set_index("response_id")["text"]
        assert (quotes["text"].to_numpy() == of_theme.loc[quotes["response_id"]].to_numpy()).all()
        assert quotes["date"].is_monotonic_decreasing  # the most recent first
        # the quote is the comment's first part in the theme (the whole comment beside it)
        in_theme = parts[parts["parent_id"] == theme_id].sort_values("part")
        excerpt = in_theme.drop_duplicates(["source_file", "response_id"]).set_index("response_id")["text"]
        assert (quotes["excerpt"].to_numpy() == excerpt.loc[quotes["response_id"]].to_numpy()).all()


def test_a_comment_with_problems_in_two_themes_counts_in_both(source, batch):
    rows = pd.read_parquet(batch / "responses")
    listed = (
        rows["all_theme_ids"]
        .fillna("")
        .str.split("; ")
        .map(lambda ids: [i for i in ids if i not in ("", "0")])
    )
    two = rows[listed.str.len() >= 2]
    assert len(two) >= 20  # the sample's long comments mention several problems
    table = source.theme_table(Filters())
    n = table.set_index("theme_id")["n"]
    for theme in n.index:  # each theme counts every comment with a part in it, not only its first theme
        assert (
            n[theme]
            == listed.map(lambda ids, t=str(theme): t in ids).sum()
            >= (rows["theme_id"] == theme).sum()
        )
    assert (n > rows["theme_id"].value_counts().reindex(n.index)).any()
    assert n.sum() > (listed.str.len() > 0).sum()  # sizes add up to more than the comments with a theme
    one = two.iloc[0]
    for theme in listed.loc[two.index[0]]:  # a filter on either theme keeps that comment, as the app's does
        kept = source.quotes(Filters(themes={int(theme): ""}), limit=10_000)
        assert one["response_id"] in set(kept["response_id"])
        assert source.count(Filters(themes={int(theme): ""})) == int(n[int(theme)]) == len(kept)


THEME_FILTERS = [
    "none",
    "segment with blank",
    "two segments",
    "whole months",
    "days",
    "theme",
    "nps group",
    "keyword without",
]


@pytest.mark.parametrize("name", THEME_FILTERS)
def test_theme_table_from_the_theme_roll_up_equals_a_scan_and_pandas(source, frame, batch, name):
    filters = FILTERS[name]
    kept = apply_filters(frame, filters, frame.attrs["theme_of"])
    ids = frame.attrs["all_theme_ids"].loc[kept.index]
    members = kept.assign(theme_id=ids.str.split("; ")).explode("theme_id").dropna(subset=["theme_id"])
    members = members[members["theme_id"] != "0"].assign(theme_id=lambda f: f["theme_id"].astype(int))
    expected = metrics_by(members, "theme_id")
    table = source.theme_table(filters)
    got = table.sort_values("theme_id").drop(columns=["label", "share"]).reset_index(drop=True)
    same_table(got, expected.assign(theme_id=expected["theme_id"].astype(int)))
    assert table["share"].tolist() == pytest.approx((table["n"] / ids.notna().sum()).tolist())
    # the same table whichever way it was summed: the theme roll-up, or a scan of responses/
    scan = BatchSource(batch, cells_cache=0)
    scan._theme_rollup = False
    pd.testing.assert_frame_equal(table, scan.theme_table(filters))


def test_the_theme_roll_up_counts_a_comment_in_two_themes_once_per_theme_and_once_in_a_filter(batch):
    rolled = pd.read_parquet(batch / THEME_ROLLUP)
    rows = pd.read_parquet(batch / "responses", columns=["all_theme_ids"])
    assert rolled["n"].sum() == rows["all_theme_ids"].notna().sum()  # each commented response once
    both = rows["all_theme_ids"].fillna("").str.split("; ").map(lambda ids: {"1", "3"} <= set(ids))
    assert both.sum() >= 1  # FILTERS["theme"] (1 or 3) has comments in both themes
    source = BatchSource(batch)
    assert source._plan(FILTERS["theme"], [])[0][0] == "rollup"
    table = source.theme_table(Filters()).set_index("theme_id")["n"]
    assert source.count(FILTERS["theme"]) == table[1] + table[3] - both.sum()
    asked = []
    query = source._query
    source._query = lambda sql, params=None: asked.append(sql) or query(sql, params)
    source.theme_table(FILTERS["two segments"])
    source.theme_table(FILTERS["theme"])
    assert asked and not any("FROM responses" in sql for sql in asked)  # no scan of the rows


def test_export_writes_the_kept_rows_with_formulas_neutralised(source, frame, tmp_path):
    filters = Filters(keyword="reclamación")
    path = tmp_path / "rows.csv"
    written = source.export_csv(filters, path)
    assert written == source.count(filters) == len(apply_filters(frame, filters))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    assert len(back) == written and "month" not in back.columns
    assert '\'=HYPERLINK("http://x.example","reclamación")' in set(back["text"])
    assert "'@admin la reclamación sigue abierta" in set(back["text"])
    assert not back["text"].str.startswith(("=", "@", "+", "-")).any()
    # Byte for byte what cx.export writes for the same rows.
    assert raw == to_csv_bytes(source.preview(filters, limit=10_000))
    everything = source.export_csv(Filters(), tmp_path / "all.csv")
    assert everything == 4120


def test_preview_shows_the_first_kept_rows(source):
    rows = source.preview(Filters(segments={"region": ["North"]}), limit=25)
    assert len(rows) == 25 and (rows["region"] == "North").all()
    assert {"response_id", "date", "nps", "text", "theme_id", "theme_label"} <= set(rows.columns)
    assert str(rows["date"].dtype).startswith("datetime64")


def test_a_folder_that_is_not_a_batch_output_is_a_plain_error(tmp_path, inputs):
    for folder in (tmp_path / "missing", inputs, tmp_path):
        with pytest.raises(BatchQueryError) as info:
            BatchSource(folder)
        message = str(info.value)
        assert "\n" not in message and str(folder) in message
        assert "cx batch" in message or "not a folder" in message
        assert not is_batch_folder(folder)


def test_a_rerun_rewrites_the_roll_up_and_a_stale_one_is_not_used(inputs, batch, tmp_path):
    out, src = tmp_path / "out", tmp_path / "src"
    shutil.copytree(batch, out)
    src.mkdir()
    for name in FILES:
        shutil.copy(inputs / name, src / name)
    report = json.loads((out / "report.json").read_text())
    report["files"] = {str(src / Path(k).name): v for k, v in report["files"].items()}
    (out / "report.json").write_text(json.dumps(report))
    shorter = pd.read_parquet(src / FILES[1]).head(100)
    shorter.to_parquet(src / FILES[1], index=False)
    cx("batch", src, "--out", out, "--k", "5", "--all-comments")
    rerun = BatchSource(out)
    expected = pd.concat([read_one(src / name, RoleFlags()).frame for name in FILES], ignore_index=True)
    assert rerun.uses_rollup and rerun.rows == len(expected) < 4120
    assert rerun.count(Filters(date_from=dt.date(2026, 1, 1))) == 100
    same_summary(rerun.summarize(Filters()), summarize(expected))
    rollup = pd.read_parquet(out / ROLLUP)
    assert rollup["n"].sum() == rerun.rows
    themed = pd.read_parquet(out / "responses", columns=["all_theme_ids"])["all_theme_ids"].notna().sum()
    assert rerun._theme_rollup and pd.read_parquet(out / THEME_ROLLUP)["n"].sum() == themed
    # A responses/ file removed by hand: the roll-up no longer matches, the folder is scanned.
    next((out / "responses").glob("month=2026-01/*.parquet")).unlink()
    stale = BatchSource(out)
    assert not stale.uses_rollup and not stale._theme_rollup
    assert stale._plan(Filters(themes={1: ""}), [])[0][0] == "cells"  # the theme roll-up is as stale
    assert (
        stale.count(Filters(segments={"region": ["North"]}))
        == stale.metrics_by(Filters(), "region").set_index("region").loc["North", "n"]
        < rerun.count(Filters(segments={"region": ["North"]}))
    )


def test_a_folder_with_plain_dates_and_without_optional_columns(tmp_path):
    """Files written by another tool: dates as date32, no year_only / csat_satisfied columns, a comments-only
    file whose sentiment was estimated (sentiment_estimated without a sentiment for "not likely negative")."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    days = [dt.date(2025, 1, 3), dt.date(2025, 1, 20), dt.date(2025, 2, 1), None, dt.date(2025, 2, 28)]
    table = pa.table(
        {
            "response_id": ["a", "b", "c", "d", "e"],
            "date": pa.array(days, pa.date32()),
            "nps": pa.array([10, 3, None, 8, 9], pa.int64()),
            "csat": pa.array([5, None, 2, 4, 1], pa.int64()),
            "ces": pa.array([None, None, None, None, None], pa.int64()),
            "text": ["bien", None, "mal", "lento", None],
            "sentiment": ["neg", None, None, "neg", None],
            "sentiment_estimated": [True, False, True, True, False],
            "store": ["Norte", "Sur", None, "Sur", "Norte"],
        }
    )
    for month in ("2025-01", "2025-02", "undated"):
        keep = [m == month for m in (f"{d:%Y-%m}" if d else "undated" for d in days)]
        (tmp_path / "responses" / f"month={month}").mkdir(parents=True)
        pq.write_table(table.filter(pa.array(keep)), tmp_path / "responses" / f"month={month}" / "x.parquet")
    (tmp_path / "report.json").write_text("{}")
    src = BatchSource(tmp_path)
    frame = table.to_pandas()
    frame["date"] = pd.to_datetime(frame["date"])
    frame["store"] = frame["store"].astype("category")
    assert src.segments == ["store"] and not src.uses_rollup
    same_summary(src.summarize(Filters()), summarize(frame))
    assert src.summarize(Filters())["n_sentiment"] == 3 and src.summarize(Filters())["negative"] == 2
    for by in ("month", "year", "store", ["store", "week"]):
        same_table(src.metrics_by(Filters(), by), metrics_by(frame, by))
    dated = Filters(date_from=dt.date(2025, 1, 10), date_to=dt.date(2025, 2, 28))
    assert src.count(dated) == len(apply_filters(frame, dated)) == 3
    assert src.date_range() == (dt.date(2025, 1, 3), dt.date(2025, 2, 28))
    assert str(src.preview(Filters())["date"].dtype).startswith("datetime64")
    # The roll-up of such a folder answers the same.
    (tmp_path / "report.json").write_text(json.dumps({"rollup": write_rollup(tmp_path)}))
    rolled = BatchSource(tmp_path)
    assert rolled.uses_rollup
    same_summary(rolled.summarize(dated), summarize(apply_filters(frame, dated)))
    same_table(rolled.metrics_by(Filters(), ["store", "month"]), metrics_by(frame, ["store", "month"]))


def test_a_codeframe_folder_one_theme_per_comment_has_a_theme_roll_up_too(tmp_path):
    """A codeframe's batch: theme_id (saved ids, text) and no all_theme_ids; the theme roll-up is keyed by it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "response_id": ["a", "b", "c", "d", "e", "f"],
            "date": pa.array([dt.date(2025, 1, d) for d in (3, 5, 9, 12, 20, 28)], pa.date32()),
            "nps": pa.array([10, 3, 0, 8, 9, 2], pa.int64()),
            "text": ["bien", None, "caro", "lento", "caro", "mal"],
            "theme_id": ["2", None, "1.1", "2", "1.1", None],
            "store": ["Norte", "Sur", "Sur", "Sur", "Norte", "Norte"],
        }
    )
    (tmp_path / "responses" / "month=2025-01").mkdir(parents=True)
    pq.write_table(table, tmp_path / "responses" / "month=2025-01" / "x.parquet")
    (tmp_path / "report.json").write_text(json.dumps({"rollup": write_rollup(tmp_path)}))
    rolled, scan = BatchSource(tmp_path), BatchSource(tmp_path, cells_cache=0)
    scan._theme_rollup = False
    assert rolled._theme_rollup and pd.read_parquet(tmp_path / THEME_ROLLUP)["n"].sum() == 4
    for filters in (Filters(), Filters(segments={"store": ["Sur"]}), Filters(themes={"1.1": ""})):
        got = rolled.theme_table(filters)
        pd.testing.assert_frame_equal(got, scan.theme_table(filters))
        assert rolled._plan(filters, [])[0][0] == "rollup"
    assert rolled.theme_table(Filters())[["theme_id", "n"]].values.tolist() == [["1.1", 2], ["2", 2]]
    assert rolled.theme_table(Filters())["nps"].tolist() == [0.0, 50.0]  # NPS 0 and 9; 10 and 8
    assert rolled.count(Filters(themes={"1.1": "", "2": ""})) == 4
    assert rolled.summarize(Filters(themes={"1.1": ""}))["detractors"] == 1


def test_the_cells_of_a_filter_are_made_once_and_the_oldest_dropped(scanned):
    src = BatchSource(scanned, cells_cache=2)
    first, second, third = (Filters(nps_groups=[g]) for g in ("detractor", "passive", "promoter"))
    src.summarize(first)
    src.metrics_by(first, ["region", "month"])
    src.area_table(first, src.segments)
    assert list(src._cells) == [repr(first)] and src._cells_made == 1
    src.summarize(second)
    src.summarize(third)
    assert list(src._cells) == [repr(second), repr(third)] and src._cells_made == 3
    tables = {row[0] for row in src._db.execute("SHOW TABLES").fetchall()}
    assert {t for t in tables if t.startswith("cells_")} == {"cells_2", "cells_3"}
    # every answer is in one NPS group: the three filters' cells add up to the NPS answers
    assert src.count(first) + src.count(second) + src.count(third) == src.summarize(Filters())["n_nps"]


def test_a_blank_segment_value_keeps_the_rows_without_one_in_both_paths(source, frame):
    only_blank = Filters(segments={"region": ["(blank)"]})
    kept = apply_filters(frame, only_blank)
    assert len(kept) == 4 and kept["region"].isna().all()  # the four regions blanked in the input
    assert source.count(only_blank) == 4


@pytest.mark.parametrize(
    "name,segment",
    [
        ("none", {"region": "North", "channel": "Phone"}),
        ("none", {"region": "(blank)"}),
        ("days", {"region": "West", "journey_stage": "Billing"}),
        ("nps group", {"product": "Cards"}),
    ],
)
def test_the_trend_of_an_area_and_the_rest_equals_pandas(source, frame, name, segment):
    kept = apply_filters(frame, FILTERS[name], frame.attrs["theme_of"])
    got = source.area_trend(FILTERS[name], segment, "the area", "the rest", 30)
    expected = area_trend(kept, area_mask(kept, segment), "the area", "the rest", 30)
    assert set(got["group"].astype(str)) == {"the area", "the rest"}
    same_table(got, expected)


def test_one_source_answers_several_threads_at_once(scanned):
    """The app shares one BatchSource between sessions (threads): answers are the ones asked alone."""
    from concurrent.futures import ThreadPoolExecutor

    shared = BatchSource(scanned, cells_cache=1)  # every new filter drops the previous one's cells
    names = ["nps group", "csat values", "theme", "keyword without", "segment with blank", "days"] * 3

    def ask(name):
        filters = FILTERS[name]
        return name, shared.summarize(filters)["nps"], len(shared.area_table(filters, ["region", "channel"]))

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(ask, names))
    alone = BatchSource(scanned, cells_cache=0)
    for name, nps, areas in answers:
        assert nps == pytest.approx(alone.summarize(FILTERS[name])["nps"], rel=1e-12)
        assert areas == len(alone.area_table(FILTERS[name], ["region", "channel"]))
