"""The view and its one serialisation: round trips, unknown keys ignored, hostile values dropped."""

import datetime as dt
from urllib.parse import parse_qs

from hypothesis import given, settings
from hypothesis import strategies as st

from cx.filters import Filters
from cx.metrics import DEFAULT_MIN_N
from cx.schema import Roles
from cx.view import MAX_CHARS, MAX_VALUES, View, roles_from_params, roles_to_params

HASH = "3f" * 32


def full_view() -> View:
    return View(
        data=[HASH, "ab" * 32],
        roles={
            1: Roles(
                id="id", nps="recomendación", csat_scale=(1, 7), text=["comentario", "otro"], dayfirst=True
            )
        },
        sheets={0: "Hoja 2"},
        headers={1: 3},
        filters=Filters(
            date_from=dt.date(2025, 3, 1),
            date_to=dt.date(2025, 6, 30),
            segments={"región": ["Norte", "Sur & Este"], "canal": ["Web"]},
            nps_groups=["detractor"],
            csat_values=[1, 2],
            keyword="envío tarde",
            themes={3: ""},
        ),
        min_n=50,
        settings={"themes.k": "8", "themes.scope": "all", "trends.metric": "csat", "present.slide": "Trend"},
        present=True,
        codeframe="Quejas 2025 & co",
        codeframe_version=3,
    )


def test_a_full_view_survives_the_round_trip_through_a_url():
    view = full_view()
    params = parse_qs(view.query_string(), keep_blank_values=True)  # what a browser hands back
    assert View.from_params(params) == view


def test_the_default_view_is_an_empty_query_and_the_sample():
    assert View().to_params() == {} and View().query_string() == ""
    view = View.from_params({})
    assert view.data == [] and view.filters.is_empty() and view.min_n == DEFAULT_MIN_N
    assert View.from_params({"data": "sample"}).data == []  # links made before hashes


def test_parameters_read_like_the_documentation():
    params = full_view().to_params()
    assert params["data"] == [HASH, "ab" * 32]
    assert params["r2.nps"] == ["recomendación"] and params["r2.text"] == ["comentario", "otro"]
    assert params["r2.csat_scale"] == ["1-7"] and params["r2.dayfirst"] == ["day"]
    assert params["seg.región"] == ["Norte", "Sur & Este"] and params["theme"] == ["3"]
    assert params["from"] == ["2025-03-01"] and params["min_n"] == ["50"] and params["themes.k"] == ["8"]
    assert params["sheet.1"] == ["Hoja 2"] and params["header.2"] == ["3"] and params["present"] == ["1"]
    assert params["codeframe"] == ["Quejas 2025 & co"] and params["codeframe.version"] == ["3"]


def test_unknown_keys_are_ignored():
    view = View.from_params(
        {"utm_source": "mail", "themes.colour": "red", "seg.": "x", "r0.nps": "a", "x": ["1"]}
    )
    assert view == View()


def test_hostile_values_are_dropped_not_raised():
    view = View.from_params(
        {
            "data": ["../../etc/passwd", "<script>"],
            "from": "yesterday",
            "to": "2025-02-30",
            "group": ["detractor", "admin"],
            "csat": ["1", "-1", "1e9", "x", "99999"],
            "theme": ["2", "two", "-1", "99999999"],
            "min_n": "-5",
            "r1.csat_scale": "1-x",
            "r1.dayfirst": "sometimes",
            "header.1": "-2",
            "header.2": "x",
        }
    )
    assert view.data == ["invalid"]  # a link to data we cannot name: never the sample
    assert view.filters.date_from is None and view.filters.date_to is None
    assert view.filters.nps_groups == ["detractor"] and view.filters.csat_values == [1]
    assert view.filters.themes == {2: ""} and view.min_n == DEFAULT_MIN_N
    assert view.roles[0].csat_scale == (1, 5) and view.roles[0].dayfirst is None and view.headers == {}
    assert View.from_params({"min_n": "999999"}).min_n == 10_000
    assert View.from_params({"min_n": "0"}).min_n == 1


def test_huge_parameters_are_bounded():
    view = View.from_params({"seg.region": [f"v{i}" for i in range(10_000)], "q": "x" * 100_000})
    assert len(view.filters.segments["region"]) == MAX_VALUES and len(view.filters.keyword) == MAX_CHARS
    assert "\x00" not in View.from_params({"q": "a\x00b"}).filters.keyword


def test_roles_serialise_every_field_so_new_roles_need_no_new_code():
    roles = Roles(date="fecha", csat="sat", csat_scale=(0, 10), segments=["región"], dayfirst=False)
    assert roles_from_params(roles_to_params(roles)) == roles
    assert roles_to_params(Roles())["csat_scale"] == ["1-5"]  # always written: marks the roles as edited


text = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)


@settings(max_examples=60, deadline=None)
@given(
    segments=st.dictionaries(text, st.lists(text, min_size=1, max_size=4, unique=True), max_size=3),
    keyword=st.one_of(st.just(""), text),
    min_n=st.integers(1, 10_000),
    themes=st.lists(st.integers(1, 99), max_size=3, unique=True),
    k=st.sampled_from(["auto", "2", "20"]),
)
def test_any_view_round_trips(segments, keyword, min_n, themes, k):
    view = View(
        filters=Filters(segments=segments, keyword=keyword, themes=dict.fromkeys(themes, "")),
        min_n=min_n,
        settings={"themes.k": k},
    )
    assert View.from_params(parse_qs(view.query_string(), keep_blank_values=True)) == view


def test_a_codeframe_link_keeps_name_and_version_and_drops_a_bad_version():
    view = View.from_params({"codeframe": " Quejas ", "codeframe.version": "2"})
    assert (view.codeframe, view.codeframe_version) == ("Quejas", 2)
    latest = View.from_params({"codeframe": "Quejas", "codeframe.version": ["0", "x"]})
    assert latest.codeframe == "Quejas" and latest.codeframe_version is None  # the latest version
    assert View.from_params({"codeframe.version": "2"}) == View()  # a version of no codeframe means nothing
    assert "codeframe" not in View(codeframe_version=4).to_params()


def test_a_dataset_view_keeps_its_folder_and_filters_and_has_no_uploads():
    view = full_view()
    view.data, view.roles, view.sheets, view.headers = [], {}, {}, {}
    view.dataset = "/srv/cx/datasets/encuesta 2025 & co"
    params = parse_qs(view.query_string(), keep_blank_values=True)
    assert params["dataset"] == ["/srv/cx/datasets/encuesta 2025 & co"] and "data" not in params
    assert params["seg.región"] == ["Norte", "Sur & Este"] and params["theme"] == ["3"]
    assert View.from_params(params) == view
    # A link naming both a folder and uploads (hand-made) opens the folder, without the uploads' roles.
    mixed = View.from_params({"dataset": "encuesta", "data": HASH, "r1.nps": "nps", "sheet.1": "Hoja"})
    assert (mixed.dataset, mixed.data, mixed.roles, mixed.sheets) == ("encuesta", [], {}, {})
