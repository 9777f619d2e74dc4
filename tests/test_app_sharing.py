"""Work shared between sessions: the same file opened in several tabs is read, profiled and themed once."""

import threading
import time
from collections import OrderedDict
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from cx.app import caches, loading, registry

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
THEMES_PAGE = str(registry.page("themes").path.relative_to(ROOT))

SURVEY = (
    "id,nps,comment,region\n"
    + "".join(
        f"{i},{i % 11},{text} ({i}),{'NS'[i % 2]}\n"
        for i, text in enumerate(
            ["the parcel arrived late again", "la app se cierra al pagar", "rude staff at the branch"] * 30
        )
    )
).encode()


def test_sessions_asking_for_the_same_themes_at_once_compute_them_once(monkeypatch):
    """Two sessions (threads of one server) ask for the themes of one file while they are being computed:
    one computes, the other waits, draws the computing one's progress and gets the same result.

    Driven at the cache, not through two AppTests in threads: AppTest keeps its mock runtime in a global
    (`Runtime._instance`, reset to None when any run ends), so two overlapping AppTest runs break each
    other at random (the flaky failure seen in earlier full runs). The app's part is tested below, one tab
    after the other."""
    calls, progress = [], {"tab 1": [], "tab 2": []}
    started = threading.Event()

    def slow_find(frame, **options):
        calls.append(len(frame))
        options["progress"](1, 2)
        started.set()
        time.sleep(1.0)  # the second session asks while the first computes
        options["progress"](2, 2)
        return f"themes of {len(frame)} rows"

    monkeypatch.setattr(caches, "find_themes", slow_find)
    monkeypatch.setattr(caches, "_THEMES", OrderedDict())
    frame = pd.DataFrame({"text": ["late parcel"] * 90})
    results = {}

    def session(name: str) -> None:
        report = lambda done, total: progress[name].append((done, total))  # noqa: E731
        results[name] = caches._themes("same-file", False, "auto", "auto", frame, report)

    first = threading.Thread(target=session, args=("tab 1",))
    first.start()
    assert started.wait(60)
    second = threading.Thread(target=session, args=("tab 2",))
    second.start()
    for tab in (first, second):
        tab.join(timeout=120)
    assert calls == [90]  # computed once for both sessions
    assert results == {"tab 1": "themes of 90 rows", "tab 2": "themes of 90 rows"}
    assert (1, 2) in progress["tab 2"]  # the waiting session drew the computing one's progress
    assert caches._themes("same-file", False, "auto", "auto", frame, lambda *a: None) == results["tab 1"]
    assert calls == [90]  # and a later session gets it from the cache


def test_a_second_tab_on_the_link_gets_the_themes_and_the_read_of_the_first(monkeypatch):
    calls, reads = [], []
    real_find, real_read = caches.find_themes, loading.read_bytes

    def counted_find(frame, **options):
        calls.append(len(frame))
        return real_find(frame, **options)

    def counted_read(data, name, **options):
        reads.append(name)
        return real_read(data, name, **options)

    monkeypatch.setattr(caches, "find_themes", counted_find)
    monkeypatch.setattr(caches, "_THEMES", OrderedDict())
    monkeypatch.setattr(loading, "read_bytes", counted_read)
    first = AppTest.from_file(APP, default_timeout=180).run()
    first.file_uploader(key="uploads").set_value(("same_review.csv", SURVEY, "text/csv")).run()
    first.switch_page(THEMES_PAGE).run()
    second = AppTest.from_file(APP, default_timeout=180)  # the first tab's link, opened in another tab
    second.query_params.update(first.query_params)
    second.switch_page(THEMES_PAGE).run()
    for at in (first, second):
        assert not [*at.exception, *at.error], [e.value for e in [*at.exception, *at.error]]
    assert calls == [90]  # 90 comments themed once for both tabs
    assert reads.count("same_review.csv") == 1  # the upload read (and its roles detected) once
    one, two = first.dataframe[0].value, second.dataframe[0].value
    assert one["label"].tolist() == two["label"].tolist() and len(one) >= 2
    assert one["comments"].tolist() == two["comments"].tolist()


def _charts(at) -> list[tuple[str, list[bytes]]]:
    return [(e.proto.spec, [d.data.data for d in e.proto.datasets]) for e in at.get("vega_lite_chart")]


def test_sessions_on_the_same_view_share_the_overview_and_a_filter_gets_its_own(monkeypatch):
    from cx import charts
    from cx.app import widgets

    built = []
    real_trend = charts.trend_chart

    def counted_trend(table, metric, *args, **kwargs):
        built.append(metric)
        return real_trend(table, metric, *args, **kwargs)

    summaries, area_tables = [], []
    real_summarize, real_area_table = caches.summarize, caches.area_table
    monkeypatch.setattr(charts, "trend_chart", counted_trend)
    monkeypatch.setattr(caches, "summarize", lambda *a: summaries.append(1) or real_summarize(*a))
    monkeypatch.setattr(caches, "area_table", lambda *a: area_tables.append(1) or real_area_table(*a))
    for cached in (widgets._shared_chart, caches._summary, caches._overview_areas, caches._areas):
        cached.clear()
    first = AppTest.from_file(APP, default_timeout=180).run()
    monthly = len(built)
    assert monthly >= 2  # the sample's NPS and CSAT (and more) by month
    assert len(summaries) == 1 and len(area_tables) >= 1
    areas_computed = len(area_tables)
    second = AppTest.from_file(APP, default_timeout=180).run()  # a second tab on the same view
    assert not [*first.exception, *second.exception]
    assert len(built) == monthly  # drawn from the first session's charts
    assert _charts(second) == _charts(first) and all(data for _, data in _charts(first))
    # ... and from its headline numbers and lowest-area sentences, the same on both pages
    assert len(summaries) == 1 and len(area_tables) == areas_computed
    assert [m.value for m in second.metric] == [m.value for m in first.metric]
    assert [t.value for t in second.text] == [t.value for t in first.text]
    assert any(t.value.startswith("• ") for t in first.text)  # the lowest areas, one line each

    # What st.altair_chart draws from the same charts, element for element.
    monkeypatch.setattr(widgets, "_convert_altair_to_vega_lite_spec", None)
    widgets._shared_chart.clear()
    plain = AppTest.from_file(APP, default_timeout=180).run()
    assert _charts(plain) == _charts(first)

    # A filter is another view: its own charts, not the unfiltered ones.
    filtered = AppTest.from_file(APP, default_timeout=180).run()
    region = next(w for w in filtered.multiselect if w.label == "region")
    region.set_value([region.options[0]]).run()
    assert not filtered.exception
    assert _charts(filtered) != _charts(first)
    assert len(built) == 3 * monthly  # built again without the shared spec, then for the filter
    assert [m.value for m in filtered.metric] != [m.value for m in first.metric]  # its own numbers
    assert len(summaries) == 2


def test_tabs_opening_one_link_mark_its_upload_used_once(monkeypatch):
    from cx.store import Store

    digest = loading.store().put("shared_link.csv", SURVEY).sha256
    writes = []
    real_touch = Store.touch
    monkeypatch.setattr(
        Store, "touch", lambda self, d, now=None: writes.append(d) or real_touch(self, d, now)
    )
    monkeypatch.setattr(loading, "_TOUCHED", {})
    captions = []
    for _ in range(3):  # three people opening the link of one upload
        at = AppTest.from_file(APP, default_timeout=180)
        at.query_params["data"] = digest
        at.run()
        assert not at.exception
        captions.append(at.caption[0].value)
    assert captions == ["Showing shared\\_link.csv."] * 3
    assert writes == [digest]  # its expiry restarted once, not once per tab
