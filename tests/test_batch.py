"""`cx batch`: many files in, one Parquet folder out; resumable; local and Ray agree; DuckDB = pandas."""

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cx.batch import BatchOptions, run_batch
from cx.batch.query import BatchQuery, BatchQueryError
from cx.batch.stages import RoleFlags, read_one
from cx.metrics import metrics_by, summarize
from tests.test_cli import cx

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Two monthly exports (90 rows each, comments on all, one blank region; a CSV and a Parquet file) and
    one corrupt file."""
    folder = tmp_path_factory.mktemp("exports")
    df = pd.read_csv(SAMPLE)
    commented = df[df["comment"].notna()]
    jan = commented[commented["date"].str.startswith("2025-01")].head(90).copy()
    feb = commented[commented["date"].str.startswith("2025-02")].head(90).copy()
    jan.iloc[3, jan.columns.get_loc("region")] = None
    jan.to_csv(folder / "2025-01.csv", index=False)
    feb.to_parquet(folder / "2025-02.parquet", index=False)
    (folder / "broken.csv").write_bytes(b"\x00\x01\x02 not a survey \xff\xfe" * 10)
    return folder


@pytest.fixture(scope="module")
def batch(inputs, tmp_path_factory):
    """One local batch over the folder (every supported file in it), through the command line."""
    out = tmp_path_factory.mktemp("batch") / "out"
    result = cx("batch", inputs, "--out", out, "--k", "4", "--all-comments")
    return out, result


def canonical(inputs) -> pd.DataFrame:
    frames = [read_one(inputs / name, RoleFlags()).frame for name in ("2025-01.csv", "2025-02.parquet")]
    return pd.concat(frames, ignore_index=True)


def test_batch_writes_responses_by_month_with_themes(inputs, batch):
    out, result = batch
    report = json.loads((out / "report.json").read_text())
    assert report["engine"] == "local"
    assert report["counts"]["done"] == 2 and report["counts"]["failed"] == 1
    assert report["counts"]["comments"] == 180
    assert {p.name for p in (out / "responses").iterdir()} == {"month=2025-01", "month=2025-02"}
    rows = pd.read_parquet(out / "responses")
    assert len(rows) == 180
    assert rows.groupby("source_file")["month"].unique().map(list).to_dict() == {
        "2025-01.csv": ["2025-01"],
        "2025-02.parquet": ["2025-02"],
    }
    themes = pd.read_parquet(out / "themes.parquet")
    top = themes[themes["level"] == "top"]
    assert top["theme_id"].tolist() == [str(i) for i in range(1, len(top) + 1)] and len(top) >= 2
    subs = themes[themes["level"] == "sub"]
    assert len(subs) == report["model"]["k_sub"] and subs["parent_id"].isin(range(1, len(top) + 1)).all()
    assert (subs["theme_id"].str.split(".").str[0].astype(int) == subs["parent_id"]).all()  # "3.2" in 3
    assert rows["theme_id"].notna().all()  # --all-comments: every comment has a theme (Other is 0)
    labels = {0: "Other", **dict(zip(top["theme_id"].astype(int), top["label"], strict=True))}
    assert (rows["theme_label"] == rows["theme_id"].map(labels)).all()
    # a comment counts in every top theme one of its parts has; theme_id is the first of them
    listed = rows["all_theme_ids"].str.split("; ")
    assert all(str(t) in ids for t, ids in zip(rows["theme_id"], listed, strict=True))
    members = listed.explode().astype(int)
    assert top["n"].tolist() == [int((members == int(t)).sum()) for t in top["theme_id"]]
    assert (listed.str.len() > 1).any()  # some comments have parts in two themes
    parts = pd.read_parquet(out / "parts")
    assert {"response_id", "part", "text", "theme_id", "parent_id", "p_negative"} <= set(parts.columns)
    assert len(parts) == report["counts"]["parts"] > 180
    vectors = pd.read_parquet(out / "embeddings")
    assert len(vectors) == len(parts) and len(vectors["vector"].iloc[0]) == 512
    assert "2025-01.csv: 90 rows kept" in result.stderr
    assert "parts/s" in result.stderr


def test_a_broken_file_is_reported_and_the_others_go_on(inputs, batch):
    out, result = batch
    report = json.loads((out / "report.json").read_text())
    broken = report["files"][str(inputs / "broken.csv")]
    assert broken["status"] == "failed" and broken["error"]
    assert "failed: broken.csv" in result.stderr and "Traceback" not in result.stderr
    jan = report["files"][str(inputs / "2025-01.csv")]
    assert jan["row_report"]["rows_read"] == 90 and jan["row_report"]["rows_kept"] == 90


def test_only_broken_files_is_a_plain_error(tmp_path):
    (tmp_path / "x.csv").write_text("")
    result = cx("batch", tmp_path / "x.csv", "--out", tmp_path / "out", check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: no input file could be read")


def test_a_rerun_skips_files_already_done(inputs, batch, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(batch[0], out)
    before = {p: p.stat().st_mtime_ns for p in (out / "responses").rglob("*.parquet")}
    result = cx(
        "batch", str(inputs / "2025-*"), inputs / "broken.csv", "--out", out, "--k", "4", "--all-comments"
    )
    assert "skipped 1/3: 2025-01.csv" in result.stderr and "skipped 2/3: 2025-02.parquet" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in (out / "responses").rglob("*.parquet")} == before
    report = json.loads((out / "report.json").read_text())
    assert report["counts"]["skipped"] == 2 and report["counts"]["comments"] == 0
    # Other settings would mix two theme sets in one folder: refused, nothing touched.
    other = cx("batch", inputs, "--out", out, "--k", "6", "--all-comments", check=False)
    assert other.returncode == 2 and "other settings" in other.stderr


def test_a_changed_file_is_done_again_with_the_same_themes(inputs, batch, tmp_path):
    out, src = tmp_path / "out", tmp_path / "src"
    shutil.copytree(batch[0], out)
    src.mkdir()
    for name in ("2025-01.csv", "2025-02.parquet"):
        shutil.copy(inputs / name, src / name)
    report = json.loads((out / "report.json").read_text())
    report["files"] = {str(src / Path(k).name): v for k, v in report["files"].items()}
    (out / "report.json").write_text(json.dumps(report))
    feb = pd.read_parquet(src / "2025-02.parquet").head(40)
    feb.to_parquet(src / "2025-02.parquet", index=False)
    result = cx("batch", src, "--out", out, "--k", "4", "--all-comments")
    assert "skipped 1/2: 2025-01.csv" in result.stderr and "2025-02.parquet: 40 rows kept" in result.stderr
    rows = pd.read_parquet(out / "responses")
    assert rows["source_file"].value_counts().to_dict() == {"2025-01.csv": 90, "2025-02.parquet": 40}
    assert len(list((out / "responses").rglob("2025-02-*.parquet"))) == 1  # the old file's output is gone
    before = pd.read_parquet(batch[0] / "responses")
    merged = rows.merge(before, on=["source_file", "response_id"])
    assert len(merged) == 130 and (merged["theme_id_x"] == merged["theme_id_y"]).all()  # the saved model


def test_ray_engine_gives_the_same_assignments_as_local(inputs, tmp_path, monkeypatch):
    pytest.importorskip("ray")
    monkeypatch.setenv("CX_LENS_CACHE", "off")  # both engines embed for real
    files = [str(inputs / "2025-01.csv"), str(inputs / "2025-02.parquet"), str(inputs / "broken.csv")]
    results, reports = {}, {}
    for engine in ("local", "ray"):
        options = BatchOptions(out=tmp_path / engine, engine=engine, k=4, all_comments=True, batch_size=64)
        report = run_batch(files, options, log=lambda message: None)
        assert report["counts"]["comments"] == 180 and report["counts"]["failed"] == 1
        reports[engine] = report
        rows = pd.read_parquet(tmp_path / engine / "responses")
        results[engine] = rows.set_index(["source_file", "response_id"])[["theme_id", "all_theme_ids"]]
        results[engine] = results[engine].sort_index()
        parts = pd.read_parquet(tmp_path / engine / "parts")
        parts = parts.set_index(["source_file", "response_id", "part"]).sort_index()
        results[engine + " parts"] = parts
    import ray

    assert not ray.is_initialized()  # the local Ray was stopped
    assert len(results["ray"]) == 180
    assert (results["local"] == results["ray"]).all().all()
    local, on_ray = results["local parts"], results["ray parts"]
    assert len(local) == len(on_ray) > 180 and (local["theme_id"] == on_ray["theme_id"]).all()
    assert np.allclose(local["p_negative"], on_ray["p_negative"], atol=1e-5)  # the sentiment on the workers
    report = json.loads((tmp_path / "ray" / "report.json").read_text())
    assert report["engine"] == "ray" and report["timings"]["engine_start"] > 0
    for name, entry in reports["local"]["files"].items():  # read on Ray tasks: the same row reports
        assert reports["ray"]["files"][name].get("row_report") == entry.get("row_report")
        assert reports["ray"]["files"][name].get("error") == entry.get("error")


def assert_same_metrics(duck: dict, pandas: dict) -> None:
    """DuckDB computes the NPS and CSAT figures (not yet CES, sentiment or volume): each equals pandas'."""
    assert {"n", "comments", "n_nps", "nps", "nps_low", "n_csat", "csat", "csat_high"} <= set(duck)
    assert duck == {k: pandas[k] for k in duck}


def test_duckdb_metrics_equal_pandas(inputs, batch):
    frame = canonical(inputs)
    query = BatchQuery(batch[0])
    assert_same_metrics(query.overall(), summarize(frame))
    by_month = query.by_month()
    pd.testing.assert_frame_equal(by_month, metrics_by(frame, "month")[by_month.columns], check_dtype=False)
    by_region = query.by_segment("region")
    expected = metrics_by(frame, "region")
    assert "(blank)" in set(by_region["region"])
    pd.testing.assert_frame_equal(
        by_region.sort_values("region").reset_index(drop=True),
        expected.assign(region=expected["region"].astype(str))[by_region.columns]
        .sort_values("region")
        .reset_index(drop=True),
        check_dtype=False,
    )
    themes = query.theme_volumes()
    rows = pd.read_parquet(batch[0] / "responses")
    assert themes.set_index("theme_id")["n"].to_dict() == rows["theme_id"].value_counts().to_dict()
    first = rows[rows["theme_id"] == themes.iloc[0]["theme_id"]]  # by each comment's first theme
    assert themes.iloc[0]["nps"] == pytest.approx(summarize(first)["nps"])


def test_duckdb_filters_match_the_same_filter_in_pandas(inputs, batch):
    frame = canonical(inputs)
    query = BatchQuery(
        batch[0], segments={"region": ["North", "South"]}, date_from=pd.Timestamp("2025-01-10").date()
    )
    kept = frame[frame["region"].isin(["North", "South"]) & (frame["date"] >= "2025-01-10")]
    assert 0 < len(kept) < len(frame)
    assert_same_metrics(query.overall(), summarize(kept))
    with pytest.raises(BatchQueryError, match="not a column"):
        BatchQuery(batch[0], segments={"nope": ["x"]})
    assert np.isfinite(query.overall()["nps_low"])


def test_an_unreachable_cluster_is_a_plain_error_before_any_work(inputs, tmp_path):
    result = cx(
        "batch",
        inputs / "2025-01.csv",
        "--out",
        tmp_path / "out",
        "--engine",
        "ray",
        "--address",
        "ray://127.0.0.1:9",
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "error: the Ray cluster at ray://127.0.0.1:9 does not answer"
    )
    assert not (tmp_path / "out").exists()


def test_a_saved_codeframe_is_applied_as_cx_codeframe_apply_does(inputs, tmp_path):
    from cx import codeframe

    jan = read_one(inputs / "2025-01.csv", RoleFlags()).frame
    saved = codeframe.save_from_frame(jan, "batch-test", n_themes=4, all_comments=True)
    result = cx("batch", inputs, "--out", tmp_path / "out", "--codeframe", "batch-test")
    assert f"applying codeframe batch-test version 1 ({len(saved.ids())} themes)" in result.stderr
    rows = pd.read_parquet(tmp_path / "out" / "responses")
    feb = read_one(inputs / "2025-02.parquet", RoleFlags()).frame
    expected = codeframe.apply(saved, feb).assignments.set_index("response_id")
    got = rows[rows["source_file"] == "2025-02.parquet"].set_index("response_id").loc[expected.index]
    assert (got["theme_id"].fillna("new").astype(str) == expected["theme_id"].fillna("new").astype(str)).all()
    assert (got["theme_status"].astype(str) == expected["status"].astype(str)).all()
    themes = pd.read_parquet(tmp_path / "out" / "themes.parquet")
    assert list(themes["theme_id"]) == saved.ids()
    assert themes["n"].sum() == rows["theme_id"].notna().sum()
    volumes = BatchQuery(tmp_path / "out").theme_volumes()
    assert volumes.set_index("theme_id")["n"].to_dict() == rows["theme_id"].value_counts().to_dict()
    missing = cx("batch", inputs, "--out", tmp_path / "other", "--codeframe", "nope", check=False)
    assert missing.returncode == 2 and "no codeframe called 'nope'" in missing.stderr


def test_batch_themes_are_the_apps_themes_of_the_same_comments(tmp_path):
    """Multi-problem reviews with praise in them (complaints only, names of places in the text): the batch
    splits, masks, keeps the negative parts and fits the app's two-level model, so with every comment in
    the fit sample its top themes, their sizes and each comment's themes are find_themes' own."""
    from cx.embed import EmbeddingCache, default_cache_dir
    from cx.themes import find_themes

    reviews = pd.read_csv(ROOT / "tests" / "data" / "reviews" / "reviews.csv").head(160)
    reviews.to_csv(tmp_path / "reviews.csv", index=False)
    report = run_batch(
        [str(tmp_path / "reviews.csv")], BatchOptions(out=tmp_path / "out"), log=lambda m: None
    )
    frame = read_one(tmp_path / "reviews.csv", RoleFlags()).frame
    app = find_themes(frame, cache=EmbeddingCache(default_cache_dir()), random_state=0)
    themes = pd.read_parquet(tmp_path / "out" / "themes.parquet")
    top = themes[themes["level"] == "top"]
    assert report["model"]["k"] == app.k >= 2 and report["model"]["k_sub"] == app.k_sub
    assert top["label"].tolist() == app.themes["label"].tolist()
    assert top["n"].tolist() == app.themes["n"].tolist()
    assert not top["label"].str.contains("Museo|Hotel|Restaurante").any()  # names masked out of labels
    rows = pd.read_parquet(tmp_path / "out" / "responses").set_index("response_id")
    ids = frame["response_id"].astype(str)
    first = app.assignments["theme_id"].reindex(frame.index)
    assert (rows["theme_id"].reindex(ids).fillna(-1).to_numpy() == first.fillna(-1).to_numpy()).all()
    listed = app.pairs.groupby("row")["parent_id"].agg(lambda v: "; ".join(str(i) for i in sorted(set(v))))
    expected = listed.reindex(frame.index).fillna("").to_numpy()
    assert (rows["all_theme_ids"].reindex(ids).fillna("").to_numpy() == expected).all()
    assert (rows["all_theme_ids"].str.count(";") >= 1).sum() >= 10  # comments in two themes or more
    # praise inside a complaint is not grouped: the parts file says so, with the sentiment estimate
    parts = pd.read_parquet(tmp_path / "out" / "parts")
    assert (~parts["grouped"]).any() and parts.loc[~parts["grouped"], "theme_id"].isna().all()
    assert parts.loc[~parts["grouped"], "p_negative"].max() < parts.loc[parts["grouped"], "p_negative"].max()


def test_without_the_sentiment_model_every_part_is_grouped_and_the_report_says_so(tmp_path, monkeypatch):
    import cx.sentiment

    def missing(*_):
        raise OSError("no such file: sentiment_head.npz")

    monkeypatch.setattr(cx.sentiment, "load_head", missing)
    reviews = pd.read_csv(ROOT / "tests" / "data" / "reviews" / "reviews.csv").head(40)
    reviews.to_csv(tmp_path / "reviews.csv", index=False)
    report = run_batch(
        [str(tmp_path / "reviews.csv")], BatchOptions(out=tmp_path / "out"), log=lambda m: None
    )
    assert report["counts"]["done"] == 1
    assert any("every part was grouped" in note for note in report["model"]["notes"])
    parts = pd.read_parquet(tmp_path / "out" / "parts")
    assert parts["grouped"].all() and parts["p_negative"].isna().all() and parts["theme_id"].notna().all()
