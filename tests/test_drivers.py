"""Key drivers: the planted strongest driver comes first, a correlated bystander does not steal its credit."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cx.drivers import key_drivers, quadrant, relative_weights
from cx.io import InputError, read_bytes
from cx.schema import build_dataset
from tests.planted import planted_survey, theme_assignments

ROOT = Path(__file__).resolve().parent.parent


def correlated_survey(n=1500, seed=11) -> pd.DataFrame:
    """NPS driven by `speed` only; `friendliness` equals speed in 70 % of answers; `price` is noise."""
    rng = np.random.default_rng(seed)
    speed = rng.integers(1, 6, n)
    friendliness = np.where(rng.random(n) < 0.7, speed, rng.integers(1, 6, n))
    price = rng.integers(1, 6, n)
    nps = np.clip(np.round(1.9 * speed + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    return pd.DataFrame({"nps": nps, "speed": speed, "friendliness": friendliness, "price": price})


def test_relative_weights_sum_to_r2_and_are_never_negative():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(500, 3))
    X[:, 1] = X[:, 0] + 0.3 * rng.normal(size=500)
    y = X[:, 0] + 0.5 * X[:, 2] + rng.normal(size=500)
    w = relative_weights(X, y)
    design = np.column_stack([np.ones(500), X])
    fitted = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    r2 = 1 - ((y - fitted) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    assert w.sum() == pytest.approx(r2) and (w >= 0).all()


def test_planted_strongest_driver_comes_first_above_a_correlated_bystander():
    raw = correlated_survey()
    d = build_dataset(read_bytes(raw.to_csv(index=False).encode(), "drivers.csv"))
    result = key_drivers(d, metric="nps", n_boot=100)
    table = result.table.set_index("driver")
    assert list(result.table["driver"]) == ["speed", "friendliness", "price"]
    assert table.loc["speed", "low"] > table.loc["friendliness", "high"]  # the intervals do not overlap
    assert table.loc["price", "importance"] < 2
    # friendliness correlates well with NPS through speed, yet gets less than a third of the credit
    nps_row = np.where(raw["nps"] >= 9, 100, np.where(raw["nps"] <= 6, -100, 0))
    assert np.corrcoef(raw["friendliness"], nps_row)[0, 1] > 0.6 * np.corrcoef(raw["speed"], nps_row)[0, 1]
    assert table.loc["friendliness", "importance"] < 33
    assert table["importance"].sum() == pytest.approx(100)
    assert table.loc["speed", "score"] == pytest.approx(100 * (raw["speed"] >= 4).mean())
    assert result.n == len(raw)


def test_planted_survey_segment_and_ratings_in_order():
    d = build_dataset(read_bytes(planted_survey().to_csv(index=False).encode(), "planted.csv"))
    result = key_drivers(d, metric="nps", n_boot=50, assignments=theme_assignments(d.frame))
    order = list(result.table["driver"])
    assert order[0] == "region"  # East scores 60 points below the rest
    assert order.index("wait") < order.index("staff") < order.index("price")
    assert result.table.set_index("driver").loc["region", "kind"] == "segment"
    # themes here come from complaints only, which the score itself defines: left out, and said so
    assert not (result.table["kind"] == "theme").any()
    assert any("themes left out" in note for note in result.notes)


def test_quadrant_puts_important_low_scores_in_fix_first():
    table = pd.DataFrame(
        {"driver": ["a", "b", "c", "d"], "importance": [40, 30, 5, 3], "score": [20.0, 80.0, 10.0, 90.0]}
    )
    q = quadrant(table).set_index("driver")["quadrant"]
    assert q.to_dict() == {"a": "fix first", "b": "keep", "c": "watch", "d": "maintain"}


def test_too_few_answers_is_a_plain_error():
    raw = correlated_survey(n=20)
    d = build_dataset(read_bytes(raw.to_csv(index=False).encode(), "small.csv"))
    with pytest.raises(InputError, match="key drivers need at least 30"):
        key_drivers(d)


def test_cli_drivers_json(tmp_path):
    path = tmp_path / "drivers.csv"
    correlated_survey().to_csv(path, index=False)
    out = subprocess.run(
        [sys.executable, "-m", "cx", "drivers", path, "--bootstrap", "50"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [d["driver"] for d in data] == ["speed", "friendliness", "price"]
    assert set(data[0]) == {"driver", "kind", "importance", "ci", "score"} and data[0]["kind"] == "rating"
    assert data[0]["ci"][0] < data[0]["importance"] < data[0]["ci"][1]
    assert "R²" in out.stderr


def test_nps_drives_churn_in_the_planted_survey():
    raw = planted_survey()
    d = build_dataset(read_bytes(raw.to_csv(index=False).encode(), "planted.csv"))
    result = key_drivers(d, metric="churn", n_boot=50)
    top = result.table.iloc[0]
    assert (top["driver"], top["kind"]) == ("nps", "rating")  # detractors leave 8 times as often
    assert top["score"] == pytest.approx(100 * (raw["nps"] >= 9).mean())
    assert top["low"] > result.table.iloc[1]["high"]


def test_quadrant_chart_plots_every_scored_driver_with_its_quadrant():
    from cx.drivers import quadrant_chart

    table = pd.DataFrame(
        {
            "driver": ["a", "b", "c", "d", "region"],
            "importance": [40.0, 30.0, 5.0, 3.0, 20.0],
            "score": [20.0, 80.0, 10.0, 90.0, np.nan],  # a segment column has no score: not plotted
            "low": [35.0, 25.0, 2.0, 1.0, 15.0],
            "high": [45.0, 35.0, 8.0, 5.0, 25.0],
        }
    )
    spec = quadrant_chart(table).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {r["driver"]: r["quadrant"] for r in rows} == {
        "a": "fix first",
        "b": "keep",
        "c": "watch",
        "d": "maintain",
    }
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Importance (% of R²)"
