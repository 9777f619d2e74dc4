"""NPS and CSAT against hand computations (DESIGN.md definitions)."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest, t

from cx.metrics import (
    METRIC_DIRECTION,
    SENTIMENTS,
    available_metrics,
    fill_periods,
    key_columns,
    left_out_of_periods,
    mean_interval,
    metrics_by,
    nps_interval,
    period_start,
    summarize,
    wilson_interval,
)
from cx.schema import Roles, add_derived


def frame_of(
    nps=None, csat=None, text=None, scale=(1, 5), ces=None, sentiment=None, year_only=None, **segments
):
    """A canonical frame; sentiment and year_only are always present (absent values: NA / False)."""
    given = [v for v in (nps, csat, text, ces, sentiment) if v is not None]
    n = len(given[0]) if given else len(segments.get("date", []))
    data = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(n)],
            "date": pd.to_datetime(segments.pop("date", [pd.NaT] * n)),
            "nps": pd.array(nps if nps is not None else [None] * n, dtype="Int64"),
            "csat": pd.array(csat if csat is not None else [None] * n, dtype="Int64"),
            "ces": pd.array(ces if ces is not None else [None] * n, dtype="Int64"),
            "text": pd.array(text if text is not None else [None] * n, dtype="string"),
            "sentiment": pd.Categorical(
                sentiment if sentiment is not None else [None] * n, categories=SENTIMENTS
            ),
            "year_only": pd.array(year_only if year_only is not None else [False] * n, dtype="boolean"),
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


# Files without scores: sentiment, CES, volume, year-only dates --------------------------------------------


def test_negative_share_with_wilson_interval_counts_only_known_sentiment():
    # 3 negative of 8 comments with a known sentiment; 2 comments without one are not in n.
    sentiment = ["neg", "neg", "neg", "neu", "pos", "pos", "pos", "neu", None, None]
    s = summarize(frame_of(text=["t"] * 10, sentiment=sentiment))
    assert s["n_sentiment"] == 8 and (s["negative"], s["neutral"], s["positive"]) == (3, 2, 3)
    assert s["sentiment"] == pytest.approx(37.5)
    ci = binomtest(3, 8).proportion_ci(method="wilson")
    assert (s["sentiment_low"], s["sentiment_high"]) == pytest.approx((ci.low * 100, ci.high * 100))
    assert s["sentiment_below_min"] and s["comments"] == 10
    assert METRIC_DIRECTION["sentiment"] == -1 and METRIC_DIRECTION["nps"] == 1


def test_estimated_sentiment_counts_every_comment_the_model_read():
    # The model marks likely negative comments "neg" and leaves the others NA; all 5 it read are in n.
    f = frame_of(text=["a", "b", "c", "d", "e", None], sentiment=["neg", "neg", None, None, None, None])
    f["sentiment_estimated"] = [True] * 5 + [False]
    s = summarize(f)
    assert s["n_sentiment"] == 5 and s["negative"] == 2 and s["sentiment"] == pytest.approx(40.0)
    assert available_metrics(f) == ["sentiment", "volume"]


def test_ces_mean_with_student_t_interval():
    scores = [7, 6, 5, 5, 3, 2, 7, None]
    s = summarize(frame_of(ces=scores, text=["t"] * 8))
    answered = np.array([7, 6, 5, 5, 3, 2, 7], dtype=float)
    low, high = t.interval(0.95, 6, loc=answered.mean(), scale=answered.std(ddof=1) / math.sqrt(7))
    assert s["n_ces"] == 7 and s["ces"] == pytest.approx(35 / 7)
    assert (s["ces_low"], s["ces_high"]) == pytest.approx((low, high))
    assert s["ces_easy"] == pytest.approx(100 * 5 / 7)  # 5, 6 and 7 agree it was easy
    one = mean_interval(6, 36, 1)
    assert one[0] == 6 and math.isnan(one[1]) and math.isnan(one[2])


def test_available_metrics_follow_what_the_file_has():
    text_only = frame_of(text=["late", "fine", None])
    assert available_metrics(text_only) == ["volume"]
    with_sentiment = frame_of(text=["late", "fine"], sentiment=["neg", "pos"])
    assert available_metrics(with_sentiment) == ["sentiment", "volume"]
    full = frame_of(nps=[9, 3], csat=[5, 1], ces=[6, 2], text=["a", "b"], sentiment=["pos", None])
    assert available_metrics(full) == ["nps", "csat", "ces", "sentiment", "volume"]
    assert available_metrics(full.iloc[:0]) == []
    # A frame from before sentiment existed: no column, no sentiment metric, no error.
    assert available_metrics(frame_of(nps=[9]).drop(columns=["sentiment", "year_only"])) == ["nps", "volume"]


def test_volume_counts_comments_per_segment_with_their_share():
    f = frame_of(
        nps=[9, 9, 3, 3, 10],
        text=["a", None, "b", "c", "d"],
        region=["North", "North", "South", "South", "South"],
    )
    table = metrics_by(f, "region", min_n=1).set_index("region")
    assert list(table["volume"]) == [1, 3] and list(table["n"]) == [2, 3]
    assert list(table["volume_share"]) == pytest.approx([25.0, 75.0])
    assert table.attrs["volume_basis"] == "comments"
    # Scores without any comment: volume counts responses.
    no_text = frame_of(nps=[9, 9, 3], region=["North", "North", "South"])
    assert summarize(no_text)["volume_basis"] == "responses"
    assert list(metrics_by(no_text, "region", min_n=1)["volume"]) == [2, 1]


def test_metrics_work_without_sentiment_and_year_only_columns():
    f = frame_of(
        nps=[9, 0, 10], date=["2025-01-05", "2025-02-05", "2025-03-05"], region=["A", "B", "A"]
    ).drop(columns=["sentiment", "year_only"])
    monthly = metrics_by(f, ["region", "month"], min_n=1)
    assert monthly["n_sentiment"].sum() == 0 and monthly["n"].sum() == 3
    assert summarize(f)["n_sentiment"] == 0 and math.isnan(summarize(f)["sentiment"])


def test_year_only_dates_count_in_years_never_in_january():
    dates = ["2021-01-01", "2021-01-20", "2021-06-02", "2022-01-01"]
    f = frame_of(nps=[0, 10, 10, 0], date=dates, year_only=[True, False, False, True])
    monthly = metrics_by(f, "month", min_n=1)
    assert list(monthly["period"].dt.strftime("%Y-%m")) == ["2021-01", "2021-06"]
    assert list(monthly["n"]) == [1, 1]  # the bare "2021" is not a January answer
    yearly = metrics_by(f, "year", min_n=1)
    assert list(yearly["n"]) == [3, 1] and list(yearly["nps"]) == pytest.approx([100 / 3, -100])
    assert left_out_of_periods(f, "month") == {"no_date": 0, "year_only": 2}
    assert left_out_of_periods(f, "year") == {"no_date": 0, "year_only": 0}


def test_fill_periods_keeps_empty_months_as_gaps():
    f = frame_of(
        nps=[10, 0, 9, 9],
        date=["2025-01-10", "2025-01-12", "2025-04-02", "2025-04-20"],
        region=["A", "B", "A", "A"],
    )
    filled = fill_periods(metrics_by(f, "month", min_n=1), "month")
    assert list(filled["period"].dt.strftime("%m")) == ["01", "02", "03", "04"]
    assert list(filled["n"]) == [2, 0, 0, 2] and filled["nps"].isna().tolist() == [False, True, True, False]
    split = fill_periods(metrics_by(f, ["region", "month"], min_n=1), "month")
    assert len(split) == 8  # 2 regions × 4 months, B's empty months included
    b = split[split["region"] == "B"]
    assert list(b["n_nps"]) == [1, 0, 0, 0] and b["nps_below_min"].tolist()[1:] == [True] * 3
    assert key_columns(split) == ["region", "period"]
