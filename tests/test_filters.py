import datetime as dt

import pandas as pd

from cx.filters import Filters, apply_filters, segment_columns
from cx.io import read_bytes
from cx.schema import build_dataset
from tests.test_metrics import frame_of


def sample():
    return frame_of(
        nps=[10, 9, 5, 7, 0],
        date=["2025-01-01", "2025-02-10", "2025-03-05", None, "2025-03-31"],
        region=["North", "South", "North", "South", "East"],
    )


def test_empty_filter_keeps_everything():
    assert len(apply_filters(sample(), Filters())) == 5
    assert Filters().summary() == "no filter"


def test_date_bounds_are_inclusive_and_drop_undated_rows():
    kept = apply_filters(sample(), Filters(date_from=dt.date(2025, 2, 10), date_to=dt.date(2025, 3, 31)))
    assert list(kept["response_id"]) == ["r1", "r2", "r4"]


def test_segment_and_group_filters_combine():
    f = Filters(segments={"region": ["North", "East"]}, nps_groups=["detractor"])
    kept = apply_filters(sample(), f)
    assert list(kept["response_id"]) == ["r2", "r4"]
    assert "region: North, East" in f.summary() and "NPS group: detractor" in f.summary()


def test_filter_never_adds_rows():
    f = sample()
    for filters in [Filters(segments={"region": ["Nowhere"]}), Filters(nps_groups=["promoter"])]:
        kept = apply_filters(f, filters)
        assert len(kept) <= len(f) and kept.index.isin(f.index).all()
    assert isinstance(apply_filters(f, Filters()), pd.DataFrame)


def test_csat_values_and_keyword_ignore_case_and_accents():
    f = frame_of(
        nps=[10, 9, 5, 7, 0],
        csat=[5, 4, 2, None, 1],
        text=["El ENVÍO llegó tarde", "fast delivery", None, "envio perdido", "nothing"],
    )
    assert list(apply_filters(f, Filters(csat_values=[1, 2]))["response_id"]) == ["r2", "r4"]
    assert list(apply_filters(f, Filters(keyword="envío"))["response_id"]) == ["r0", "r3"]
    assert list(apply_filters(f, Filters(keyword="  Llegó   TARDE "))["response_id"]) == ["r0"]
    assert list(apply_filters(f, Filters(keyword="(.*)"))["response_id"]) == []  # text, not a pattern
    assert 'comments containing "envío"' in Filters(keyword="envío").summary()


def test_segment_columns_are_the_users_segments_not_derived_columns():
    text = "id,nps,comment,region,sentiment\n" + "".join(
        f"{i},{i % 11},ok {i},{'NS'[i % 2]},pos\n" for i in range(30)
    )
    frame = build_dataset(read_bytes(text.encode(), "s.csv")).frame
    assert "sentiment" in frame.columns and "nps_group" in frame.columns
    assert segment_columns(frame) == ["region"]
