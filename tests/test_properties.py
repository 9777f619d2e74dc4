"""Properties that must hold for any input (hypothesis): parsing accounts for every row, metrics stay in
range with the estimate inside its interval, filters never add rows."""

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cx.filters import Filters, apply_filters
from cx.io import InputError, read_bytes
from cx.metrics import metrics_by, nps_interval, summarize, wilson_interval
from cx.schema import build_dataset
from tests.test_metrics import frame_of

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cells = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "9",
            "10",
            "0",
            "-1",
            "11",
            "9.5",
            "9,0",
            "N/A",
            "Muy satisfecho",
            "2025-02-30",
            "22/10/2025",
            "=1+2",
            "<b>x</b>",
            "ñandú",
            '"',
            ",",
            ";",
            "\n",
        ]
    ),
    st.text(max_size=12),
)


@SETTINGS
@given(
    # Two or more columns: with a single column nothing tells a delimiter apart from text (see the note).
    header=st.lists(
        st.sampled_from(["id", "nps", "csat", "comment", "date", "region", "x"]), min_size=2, max_size=6
    ),
    rows=st.lists(st.lists(cells, min_size=1, max_size=8), min_size=0, max_size=25),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_every_row_is_kept_or_reported(header, rows, sep, encoding):
    quote = lambda v: '"' + v.replace('"', '""') + '"'  # noqa: E731
    text = "\r\n".join(sep.join(quote(c) for c in row) for row in [header, *rows])
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        dataset = build_dataset(read_bytes(data, "random.csv"))
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)  # one plain sentence
        return
    report = dataset.report()
    assert report["rows_kept"] + report["rows_rejected"] == report["rows_read"]
    assert report["rows_read"] <= len(rows)
    assert dataset.frame["nps"].dropna().between(0, 10).all()
    assert dataset.frame["response_id"].is_unique


@SETTINGS
@given(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=1, max_size=300))
def test_nps_is_in_range_and_inside_its_interval(scores):
    s = summarize(frame_of(nps=scores))
    if s["n_nps"] == 0:
        assert np.isnan(s["nps"])
        return
    assert -100 <= s["nps_low"] <= s["nps"] <= s["nps_high"] <= 100
    assert s["promoters"] + s["passives"] + s["detractors"] == s["n_nps"]


@SETTINGS
@given(st.integers(0, 500), st.integers(1, 500))
def test_csat_interval_contains_the_estimate(successes, n):
    successes = min(successes, n)
    value, low, high = wilson_interval(successes, n)
    assert 0 <= low <= value <= high <= 100


@SETTINGS
@given(st.integers(0, 200), st.integers(0, 200), st.integers(1, 400))
def test_nps_interval_from_counts(promoters, detractors, n):
    if promoters + detractors > n:
        return
    value, low, high = nps_interval(promoters, detractors, n)
    assert -100 <= low <= value <= high <= 100


@SETTINGS
@given(
    data=st.lists(
        st.tuples(st.integers(0, 10), st.sampled_from(["N", "S", "E", None]), st.integers(0, 90)),
        min_size=1,
        max_size=80,
    ),
    regions=st.lists(st.sampled_from(["N", "S", "E", "W"]), max_size=3),
    groups=st.lists(st.sampled_from(["promoter", "passive", "detractor"]), max_size=2),
    start=st.integers(0, 90),
    keyword=st.sampled_from(["", "late", "é"]),
)
def test_filters_never_add_rows(data, regions, groups, start, keyword):
    base = dt.date(2025, 1, 1)
    frame = frame_of(
        nps=[d[0] for d in data],
        text=["late delivery" if d[0] < 7 else "café" for d in data],
        region=[d[1] for d in data],
        date=[pd.Timestamp(base + dt.timedelta(days=d[2])) for d in data],
    )
    filters = Filters(
        date_from=base + dt.timedelta(days=start),
        segments={"region": regions},
        nps_groups=groups,
        keyword=keyword,
    )
    kept = apply_filters(frame, filters)
    assert len(kept) <= len(frame) and kept.index.isin(frame.index).all()
    # Group counts of the kept rows never exceed the whole.
    if len(kept):
        assert metrics_by(kept, "region")["n"].sum() == len(kept)
