"""One rule for the role flags: `cx inspect` (every single-file verb) and `cx batch` give a file the same roles."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cx.__main__ import load, parser
from cx.batch.stages import read_one
from cx.io import InputError
from cx.schema import RoleFlags

ROOT = Path(__file__).resolve().parent.parent

# Every flag that changes a role, on a file whose detection alone would decide otherwise: a title line above
# the header, a 1-7 rating, day-first dates, a yes/no churn column, two segment candidates.
FLAGS = [
    "--header-row", "2", "--id", "ref", "--date", "when", "--dayfirst", "--csat", "rating",
    "--nps", "likely", "--text", "remarks", "--segment", "region", "--churned", "left",
]  # fmt: skip


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    comments = ["slow delivery", "great staff", "app crashes", "billing error", "friendly support"]
    lines = ["Quarterly export (internal),,,,,,,", "ref,when,rating,likely,remarks,region,plan,left"]
    for i in range(30):
        lines.append(
            f"R{i:03d},{(i % 12) + 13:02d}/0{(i % 3) + 1}/2025,{i % 7 + 1},{i % 11},{comments[i % 5]} {i},"
            f"{'north' if i % 2 else 'south'},{'basic' if i % 3 else 'pro'},{'yes' if i % 4 == 0 else 'no'}"
        )
    path = tmp_path_factory.mktemp("flags") / "export.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_cx(*args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "cx", *map(str, args)], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result


def test_the_cli_and_the_batch_give_the_same_roles_for_the_same_flags(export, tmp_path):
    inspect = json.loads(run_cx("inspect", export, *FLAGS, "--format", "json").stdout)
    out = tmp_path / "out"
    run_cx("batch", export, "--out", out, "--k", "2", "--all-comments", *FLAGS)
    batch = json.loads((out / "report.json").read_text())["files"][str(export.resolve())]["row_report"]
    expected = {
        "id": "ref",
        "date": "when",
        "nps": "likely",
        "csat": "rating",
        "csat_scale": "1-7",  # inferred from the given column's values
        "ces": None,
        "text": ["remarks"],
        "segments": ["region"],  # the given segment only: plan is no longer one
        "dayfirst": True,
        "sentiment": None,
        "churned": "left",
    }
    assert inspect["roles"] == expected
    assert batch["roles"] == expected
    assert batch["rows_kept"] == inspect["rows_kept"] == 30


def test_the_in_process_readers_agree_and_a_bad_scale_is_a_plain_error(export):
    args = parser().parse_args(["inspect", str(export), *FLAGS, "--csat-scale", "1-5"])
    cli = load(args)
    batch = read_one(export, RoleFlags.from_args(args))
    assert cli.roles == batch.roles and cli.roles.csat_scale == (1, 5)
    assert cli.frame["date"].iloc[0] == batch.frame["date"].iloc[0]
    assert str(cli.frame["date"].iloc[0].date()) == "2025-01-13"  # 13/01/2025, day first
    bad = parser().parse_args(["inspect", str(export), *FLAGS, "--csat-scale", "2-9"])
    with pytest.raises(InputError, match="--csat-scale '2-9' is not one of 1-5, 1-7"):
        read_one(export, RoleFlags.from_args(bad))
    with pytest.raises(InputError, match="--csat-scale '2-9'"):
        load(bad)
