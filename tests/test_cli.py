"""The command line prints the same numbers as the library (and the pages) and fails plainly."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"


def cx(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "cx", *map(str, args)], capture_output=True, text=True, cwd=ROOT
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_inspect_reports_rows_and_roles(tmp_path):
    path = tmp_path / "es.csv"
    path.write_bytes(
        "id;fecha;recomendación;comentario\n1;22/10/2025;9;bien\n2;23/10/2025;once;\n\n3;xx;5;malo\n".encode(
            "cp1252"
        )
    )
    report = json.loads(cx("inspect", path, "--format", "json").stdout)
    assert report["rows_read"] == 3
    assert report["rows_kept"] == 2 and report["rows_rejected"] == 1
    assert report["rejected_by_reason"] == {"no valid score or comment": 1}
    assert report["invalid_values"] == {"recomendación": 1, "fecha": 1}
    assert report["roles"]["nps"] == "recomendación" and report["roles"]["date"] == "fecha"


def test_metrics_overall_and_by_group_match_a_hand_count():
    df = pd.read_csv(SAMPLE)
    promoters, detractors = (df["nps"] >= 9).sum(), (df["nps"] <= 6).sum()
    expected = 100 * (promoters - detractors) / len(df)
    overall = json.loads(cx("metrics", SAMPLE, "--format", "json").stdout)
    assert len(overall) == 1 and overall[0]["n_nps"] == len(df)
    assert overall[0]["nps"] == pytest.approx(expected)
    assert overall[0]["csat"] == pytest.approx(100 * (df["csat"] >= 4).mean())
    by = pd.read_csv(pd.io.common.StringIO(cx("metrics", SAMPLE, "--by", "region", "--by", "quarter").stdout))
    assert list(by.columns[:3]) == ["region", "period", "n_nps"]
    assert by["n_nps"].sum() == len(df)
    north = df[df["region"] == "North"]
    row = json.loads(cx("metrics", SAMPLE, "--by", "region", "--format", "json").stdout)
    north_row = next(r for r in row if r["region"] == "North")
    assert north_row["nps"] == pytest.approx(100 * ((north["nps"] >= 9).mean() - (north["nps"] <= 6).mean()))


def test_role_flags_skip_detection(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b,c\n22/10/2025,9,x\n03/11/2025,2,y\n")
    result = json.loads(
        cx(
            "metrics", path, "--nps", "b", "--date", "a", "--by", "month", "--min-n", "1", "--format", "json"
        ).stdout
    )
    assert [r["period"] for r in result] == ["2025-10-01", "2025-11-01"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02\x03" * 100, b"only,a,header\n"])
def test_unusable_file_exits_2_with_one_error_line(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = cx("inspect", path, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_unknown_by_column_is_a_plain_error():
    result = cx("metrics", SAMPLE, "--by", "planet", check=False)
    assert result.returncode == 2 and "no such segment column" in result.stderr


def test_themes_writes_assignments_and_themes(tmp_path):
    out = tmp_path / "themes"
    result = cx("themes", SAMPLE, "--out", out, "--k", "8")
    assignments = pd.read_csv(out / "assignments.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    themes = pd.read_csv(out / "themes.csv", encoding="utf-8-sig", dtype={"theme_id": str, "parent_id": str})
    df = pd.read_csv(SAMPLE)
    complaints = df[((df["nps"] <= 6) | (df["csat"] <= 2)) & df["comment"].notna()]
    assert list(assignments.columns) == ["response_id", "theme_id", "theme_label", "parent_id", "excerpt"]
    # one row per (comment, theme): every complaint at least once, in input order, some more than once
    assert list(dict.fromkeys(assignments["response_id"])) == list(complaints["response_id"])
    assert len(assignments) > len(complaints)
    subs = assignments[assignments["theme_id"] != "0"]
    assert (subs["theme_id"].str.split(".").str[0] == subs["parent_id"]).all()
    comment = dict(zip(df["response_id"], df["comment"], strict=True))
    assert all(e[:20] in comment[r] for r, e in zip(subs["response_id"], subs["excerpt"], strict=True))
    assert list(themes.columns) == [
        *["theme_id", "parent_id", "label", "n", "share", "sentiment", "nps", "csat", "quotes"]
    ]
    top = themes[themes["parent_id"].isna() & (themes["theme_id"] != "0")]
    assert 5 <= len(top) <= 7 and themes["theme_id"].iloc[-1] == "0" and themes["label"].iloc[-1] == "Other"
    n_sub = themes["theme_id"].str.contains(".", regex=False).sum()
    assert len(top) <= n_sub <= 8  # --k sets the sub-themes; tiny ones go to Other
    assert "themes" in result.stderr and "more than 100 %" in result.stderr
    again = tmp_path / "again"
    cx("themes", SAMPLE, "--out", again, "--k", "8")
    assert (out / "themes.csv").read_bytes() == (again / "themes.csv").read_bytes()  # same data, same themes
    assert (out / "assignments.csv").read_bytes() == (again / "assignments.csv").read_bytes()


def test_themes_without_comments_is_a_plain_error(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("nps\n9\n3\n")
    result = cx("themes", path, "--out", tmp_path / "o", check=False)
    assert result.returncode == 2 and result.stderr.startswith("error: There are no comments")


def test_header_row_flag_on_every_verb(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text(
        "Informe de marzo,,\nid,nps,comentario\n1,9,bien\n2,3,mal\n3,10,genial\n", encoding="utf-8"
    )
    detected = json.loads(cx("inspect", path).stdout)
    assert detected["rows_read"] == 3 and detected["roles"]["nps"] == "nps"
    forced = cx("inspect", path, "--header-row", "1", check=False)  # the user's choice is obeyed
    assert forced.returncode == 2 and forced.stderr.startswith("error: No score or comment column")
    [overall] = json.loads(cx("metrics", path, "--header-row", "2", "--format", "json").stdout)
    assert overall["n_nps"] == 3 and overall["nps"] == pytest.approx(100 * (2 - 1) / 3)
    for verb in ("areas", "export", "themes"):
        assert "--header-row" in cx(verb, "--help").stdout
    bad = cx("inspect", path, "--header-row", "40", check=False)
    assert bad.returncode == 2 and "no row 40 with values" in bad.stderr


def test_a_flagged_column_loses_every_other_role(tmp_path):
    path = tmp_path / "x.csv"
    rows = "".join(
        f"{i},{'North' if i % 2 else 'South'},{i % 11},{'pos' if i % 3 else 'neg'}\n" for i in range(20)
    )
    path.write_text("id,region,nps,tone\n" + rows, encoding="utf-8")
    detected = json.loads(cx("inspect", path).stdout)["roles"]
    assert "region" in detected["segments"] and detected["sentiment"] == "tone"
    flagged = json.loads(cx("inspect", path, "--text", "region", "--sentiment", "tone").stdout)
    assert flagged["roles"]["text"] == ["region"] and "region" not in flagged["roles"]["segments"]
    assert flagged["sentiment_source"] == "column tone"


def test_areas_rank_any_metric_the_file_has(tmp_path):
    from tests.test_report import labelled_reviews

    path = tmp_path / "reviews.csv"
    path.write_bytes(labelled_reviews())  # hotel Mar: 28 of 40 reviews negative; Sol and Luna 8 of 40
    areas = json.loads(cx("areas", path, "--metric", "sentiment").stdout)
    first = areas[0]
    assert first["segment"] == {"hotel": "Mar"} and first["n"] == 40 and first["ranked"]
    assert first["score"] == pytest.approx(70.0) and first["rest_score"] == pytest.approx(20.0)
    assert first["impact"] > 0  # it pushes the share of negative comments up: the worst area
    missing = cx("areas", path, "--metric", "ces", check=False)
    assert (
        missing.returncode == 2
        and missing.stderr.startswith("error: ")
        and "no CES answers" in missing.stderr
    )
    scores = tmp_path / "scores.csv"
    scores.write_text(
        "nps,ces,region\n" + "".join(f"{i % 11},{1 + i % 7},{'NS'[i % 2]}\n" for i in range(60))
    )
    ces = json.loads(cx("areas", scores, "--metric", "ces", "--depth", "1").stdout)
    north = next(a for a in ces if a["segment"] == {"region": "N"})
    mean = sum(1 + i % 7 for i in range(0, 60, 2)) / 30  # the region's own mean effort, by hand
    assert north["n"] == 30 and north["score"] == pytest.approx(mean)
    no_text = cx("areas", scores, "--metric", "sentiment", check=False)
    assert no_text.returncode == 2 and "no comments with a known sentiment" in no_text.stderr
