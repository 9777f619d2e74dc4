"""Numbers and tables as people read them."""

import math

import pandas as pd

from cx.metrics import metrics_by
from cx.tables import display_table, fmt_nps, fmt_pct, interval_caption
from tests.test_metrics import frame_of


def test_numbers_read_like_a_report():
    assert (
        fmt_nps(16.4) == "+16"
        and fmt_nps(-41.6) == "−42"
        and fmt_nps(-0.2) == "0"
        and fmt_nps(math.nan) == "–"
    )
    assert fmt_pct(67.6) == "68 %" and fmt_pct(math.nan) == "–"


def test_interval_caption_says_n_and_flags_small_samples():
    s = {"n_nps": 12, "nps_low": -20.0, "nps_high": 40.0}
    assert (
        interval_caption(s, "nps", 30)
        == "95 % interval −20 to +40 · n = 12 · n < 30: too few responses to rely on"
    )
    assert interval_caption({"n_csat": 0}, "csat", 30) == "This file has no CSAT column."


def test_display_table_shows_one_metric_with_periods_named():
    f = frame_of(nps=[10, 0, 9], date=["2025-07-03", "2025-07-30", "2025-10-01"])
    table = display_table(metrics_by(f, "quarter", min_n=2), "nps", "quarter")
    assert list(table["period"]) == ["Q3 2025", "Q4 2025"]
    assert list(table["sample"]) == ["", "too few"] and list(table["n"]) == [2, 1]
    assert isinstance(table, pd.DataFrame) and "CSAT" not in table.columns
