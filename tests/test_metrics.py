"""NPS and CSAT against hand computations (DESIGN.md definitions)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from cx.metrics import metrics_by, nps_interval, period_start, summarize, wilson_interval
from cx.schema import Roles, add_derived


def frame_of(nps=None, csat=None, text=None, scale=(1, 5), **segments):
    n = len(nps if nps is not None else csat)
    data = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "date": pd.to_datetime(segments.pop("date", [pd.NaT] * n)),
            "nps": pd.array(nps if nps is not None else [None] * n, dtype="Int64"),
            "csat": pd.array(csat if csat is not None else [None] * n, dtype="Int64"),
            "ces": pd.array([None] * n, dtype="Int64"),
            "text": pd.array(text if text is not None else [None] * n, dtype="string"),
        }
    )
    for name, values in segments.items():
        data[name] = pd.Categorical(values)
    return add_derived(data, Roles(nps="nps", csat="csat", csat_scale=scale))


def test_nps_hand_computed():
    # 5 promoters, 3 passives, 2 detractors of 10: NPS = 100 * (0.5 - 0.2) = 30.
    s = summarize(frame_of(nps=[9, 10, 9, 10, 9, 7, 8, 7, 0, 6]))
    assert s["n_nps"] == 10 and s["promoters"] == 5 and s["passives"] == 3 and s["detractors"] == 2
    assert s["nps"] == pytest.approx(30.0)
    var = (0.5 + 0.2 - 0.3**2) / 10
    half = 1.959964 * math.sqrt(var) * 100
    assert s["nps_low"] == pytest.approx(30 - half, abs=1e-3)
    assert s["nps_high"] == pytest.approx(30 + half, abs=1e-3)


def test_nps_all_promoters_and_all_detractors():
    top = summarize(frame_of(nps=[9, 10, 10]))
    assert (top["nps"], top["nps_low"], top["nps_high"]) == (100, 100, 100)
    bottom = summarize(frame_of(nps=[0, 3, 6, 6]))
    assert (bottom["nps"], bottom["nps_low"], bottom["nps_high"]) == (-100, -100, -100)


def test_nps_single_answer_and_missing_values():
    one = summarize(frame_of(nps=[8]))
    assert one["n_nps"] == 1 and one["nps"] == 0
    # Missing answers are not in the denominator.
    s = summarize(frame_of(nps=[10, None, 0, None]))
    assert s["n_nps"] == 2 and s["nps"] == 0 and s["n"] == 4
    empty = summarize(frame_of(nps=[None, None]))
    assert empty["n_nps"] == 0 and math.isnan(empty["nps"])


def test_interval_is_clipped_to_the_scale():
    score, low, high = nps_interval(3, 0, 4)  # 3 promoters, 1 passive
    assert score == 75 and -100 <= low <= score <= high <= 100


def test_csat_top_two_boxes_with_wilson_interval():
    s = summarize(frame_of(csat=[5, 4, 4, 3, 1, None]))
    assert s["n_csat"] == 5
    assert s["csat"] == pytest.approx(60.0)
    assert s["csat_mean"] == pytest.approx(17 / 5)
    ci = binomtest(3, 5).proportion_ci(method="wilson")
    assert s["csat_low"] == pytest.approx(ci.low * 100, abs=1e-6)
    assert s["csat_high"] == pytest.approx(ci.high * 100, abs=1e-6)


@pytest.mark.parametrize(
    ("scale", "scores", "expected"), [((1, 7), [7, 6, 5, 1], 50.0), ((0, 10), [10, 9, 8, 0], 50.0)]
)
def test_csat_other_scales_use_their_top_two_boxes(scale, scores, expected):
    assert summarize(frame_of(csat=scores, scale=scale))["csat"] == pytest.approx(expected)


def test_wilson_matches_scipy_on_many_cases():
    for k, n in [(0, 1), (1, 1), (7, 30), (29, 30), (500, 1000)]:
        _, low, high = wilson_interval(k, n)
        ci = binomtest(k, n).proportion_ci(method="wilson")
        assert (low, high) == pytest.approx((ci.low * 100, ci.high * 100), abs=1e-9)


def test_metrics_by_segment_flags_small_groups():
    f = frame_of(nps=[10] * 30 + [0] * 5, region=["North"] * 30 + ["South"] * 5)
    table = metrics_by(f, "region", min_n=30).set_index("region")
    assert table.loc["North", "nps"] == 100 and not table.loc["North", "nps_below_min"]
    assert table.loc["South", "nps"] == -100 and table.loc["South", "nps_below_min"]


def test_blank_segment_is_its_own_group():
    f = frame_of(nps=[10, 0, 9], region=["North", None, "North"])
    table = metrics_by(f, "region", min_n=1)
    assert set(table["region"]) == {"North", "(blank)"}
    assert table["n_nps"].sum() == 3


def test_metrics_by_period_and_week_starts_monday():
    dates = ["2025-01-06", "2025-01-12", "2025-01-13", None]  # Monday, Sunday, next Monday, no date
    f = frame_of(nps=[10, 0, 9, 9], date=dates)
    weekly = metrics_by(f, "week", min_n=1)
    assert list(weekly["period"].dt.strftime("%Y-%m-%d")) == ["2025-01-06", "2025-01-13"]
    assert list(weekly["n_nps"]) == [2, 1]  # the undated row is in no period
    quarters = period_start(pd.Series(pd.to_datetime(["2025-05-17", "2025-12-31"])), "quarter")
    assert list(quarters.dt.strftime("%Y-%m-%d")) == ["2025-04-01", "2025-10-01"]


def test_group_counts_add_up_to_overall():
    rng = np.random.default_rng(1)
    nps = rng.integers(0, 11, 500).tolist()
    region = rng.choice(["A", "B", "C"], 500).tolist()
    f = frame_of(nps=nps, region=region)
    table = metrics_by(f, "region")
    overall = summarize(f)
    assert table["promoters"].sum() == overall["promoters"]
    assert table["detractors"].sum() == overall["detractors"]
