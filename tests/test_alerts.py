"""Alerts: planted moves alert, the tiny segment and a stable history never do, parameters are stated."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cx.alerts import benjamini_hochberg, find_alerts, latest_alerts
from cx.io import read_bytes
from cx.schema import build_dataset
from tests.planted import NEW_COMPLAINT, planted_survey, theme_assignments

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dataset():
    return build_dataset(read_bytes(planted_survey().to_csv(index=False).encode(), "planted.csv"))


@pytest.fixture(scope="module")
def result(dataset):
    frame = dataset.frame
    return find_alerts(frame, "month", "nps", ["channel", "region", "plan"], theme_assignments(frame))


def test_planted_moves_alert_in_june_and_nowhere_else(result):
    alerts = result.alerts
    assert set(alerts["period"]) == {"2025-06"}
    found = set(zip(alerts["kind"], alerts["value"].fillna(""), strict=True))
    assert ("score_drop", "Phone") in found
    assert ("theme_rise", NEW_COMPLAINT) in found
    phone = alerts[alerts["value"] == "Phone"].iloc[0]
    assert phone["observed"] < phone["expected"] - 50 and phone["n"] == 396
    assert (np.diff(alerts["p"]) >= 0).all()  # strongest first


def test_tiny_segment_is_never_tested_so_never_alerts(result):
    # plan Tiny: 6 answers a month, all 0 in June (a 100-point fall), under the minimum of 30
    assert "Tiny" not in set(result.tests["value"].dropna())
    assert "Tiny" not in set(result.alerts["value"].dropna())


def test_parameters_are_stated(result):
    p = result.parameters
    assert (p["fdr"], p["window"], p["min_n"], p["min_history"]) == (0.05, 6, 30, 3)
    assert p["tests"] == len(result.tests) and p["periods_tested"] == 3  # April, May, June have 3+ before
    text = result.describe()
    assert "Benjamini–Hochberg at 5%" in text and "under 30 answers are not tested" in text
    assert f"{len(result.alerts)} alerts" in text


def test_a_stable_history_gives_no_alerts():
    rng = np.random.default_rng(3)
    n = 12 * 400
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D"),
            "nps": pd.array(rng.integers(0, 11, n), dtype="Int64"),
            "region": rng.choice(list("ABCDEFGH"), n),
            "text": None,
        }
    )
    result = find_alerts(frame, "month", "nps", ["region"])
    assert len(result.tests) > 80  # 9 testable months × (overall + 8 regions), plus volume
    assert result.alerts.empty


def test_latest_period_alerts(result):
    latest = latest_alerts(result)
    assert len(latest) == len(result.alerts) and set(latest["period"]) == {"2025-06"}


def test_benjamini_hochberg_matches_a_hand_computation():
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.2]))
    # sorted 0.01, 0.03, 0.04, 0.2 → ×4/rank 0.04, 0.06, 0.0533, 0.2 → running minimum from the top
    assert q == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.2])


def test_cli_alerts_json(tmp_path):
    path = tmp_path / "planted.csv"
    planted_survey().to_csv(path, index=False)
    out = subprocess.run(
        [sys.executable, "-m", "cx", "alerts", path], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data and set(data[0]) == {
        "period",
        "kind",
        "column",
        "value",
        "label",
        "observed",
        "expected",
        "p",
        "n",
    }
    assert any(a["kind"] == "score_drop" and a["value"] == "Phone" for a in data)
    assert all(a["value"] != "Tiny" for a in data)
    assert "Benjamini–Hochberg" in out.stderr


def test_a_new_theme_with_a_handful_of_comments_never_alerts(dataset):
    frame = dataset.frame
    june = frame.index[(frame["date"].dt.month == 6) & frame["text"].notna()]
    handful = pd.DataFrame({"theme_id": 99, "theme_label": "tres quejas"}, index=june[:3])
    many = pd.DataFrame({"theme_id": 98, "theme_label": "muchas quejas"}, index=june[:40])
    result = find_alerts(frame, "month", "nps", [], pd.concat([handful, many]))
    tested = set(result.tests.loc[result.tests["kind"] == "theme_rise", "value"])
    assert "tres quejas" not in tested and "muchas quejas" in tested
    assert result.parameters["min_theme_comments"] == 5
    assert "muchas quejas" in set(result.alerts["value"])
