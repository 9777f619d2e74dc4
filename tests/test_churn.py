"""Churn as a metric: the seeds' formula, the share who left, and detractors against promoters."""

import pandas as pd
import pytest

from cx.churn import churn_by_group, churn_from_counts, churn_rate
from cx.io import InputError, read_bytes
from cx.schema import build_dataset
from tests.planted import planted_survey


def test_seed_formula_500_to_450_is_ten_percent():
    out = churn_from_counts(500, 450)
    assert out["churn"] == pytest.approx(10.0) and out["left"] == 50 and out["n"] == 500
    assert out["low"] < 10 < out["high"]
    with pytest.raises(InputError, match="new customers joined"):
        churn_from_counts(450, 500)


def test_churn_by_nps_group_matches_a_hand_count():
    raw = planted_survey()
    d = build_dataset(read_bytes(raw.to_csv(index=False).encode(), "planted.csv"))
    assert d.roles.churned == "cancelled"
    table, diff = churn_by_group(d.frame)
    table = table.set_index("nps_group")
    left = raw["cancelled"] == "Sí"
    for group, mask in {
        "detractor": raw["nps"] <= 6,
        "passive": raw["nps"].between(7, 8),
        "promoter": raw["nps"] >= 9,
    }.items():
        assert table.loc[group, "n"] == mask.sum()
        assert table.loc[group, "left"] == (left & mask).sum()
        assert table.loc[group, "churn"] == pytest.approx(100 * (left & mask).sum() / mask.sum())
    expected = table.loc["detractor", "churn"] - table.loc["promoter", "churn"]
    assert diff["difference"] == pytest.approx(expected)
    assert 0 < diff["low"] < expected < diff["high"]  # detractors leave more, and the interval says so
    overall = churn_rate(d.frame)
    assert overall["n"] == len(raw) and overall["churn"] == pytest.approx(100 * left.mean())


def test_no_churn_column_gives_no_rate():
    frame = pd.DataFrame({"nps": [9, 3], "nps_group": ["promoter", "detractor"]})
    assert churn_rate(frame)["churn"] is None
    _, diff = churn_by_group(frame)
    assert diff["difference"] is None


def test_churn_sentence_says_how_much_more_detractors_leave():
    from cx.churn import churn_sentence

    table = pd.DataFrame(
        {
            "nps_group": ["detractor", "passive", "promoter"],
            "left": [40, 10, 5],
            "n": [100, 50, 100],
            "churn": [40.0, 20.0, 5.0],
        }
    )
    _, diff = churn_by_group(
        pd.DataFrame(
            {
                "nps_group": ["detractor"] * 100 + ["passive"] * 50 + ["promoter"] * 100,
                "churned": [True] * 40
                + [False] * 60
                + [True] * 10
                + [False] * 40
                + [True] * 5
                + [False] * 95,
            }
        )
    )
    text = churn_sentence(diff, table)
    assert text.startswith(
        "Detractors left 40.0 % of the time (n = 100), promoters 5.0 % (n = 100): 35.0 pts more"
    )
    assert text.endswith(", significant).")
