"""The sidebar: the upload box, the sheet choice and the global filters, all seeded from the view and
written back to it; builds the context of the run."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from cx import i18n
from cx.app import caches
from cx.app.datasets import DatasetRefused, Shared, open_folder, roots
from cx.app.loading import FileInfo, load_sources, roles_key, sync_uploads, uploader_key
from cx.app.markup import md_escape
from cx.app.state import Context, edit_view, set_context, theme_settings
from cx.filters import Filters, apply_filters, segment_columns
from cx.schema import NPS_GROUPS, Dataset
from cx.strings import METRICS, UI
from cx.themes import ThemeResult, theme_of_rows
from cx.view import View


def upload_box(where=None) -> None:
    """The upload widget (in the sidebar; in the page when the link's data is missing)."""
    (where or st.sidebar).file_uploader(
        UI["upload"],
        type=None,  # the reader recognises formats by content and explains what it cannot use
        accept_multiple_files=True,
        key=uploader_key(),
        help=UI["upload_help"],
    )


LANGUAGE_KEY = "cx_lang"
DATE_FORMATS = {"en": "YYYY/MM/DD", "es": "DD/MM/YYYY", "gl": "DD/MM/YYYY"}  # what st.date_input can show


def _group_name(group: str) -> str:
    """ "Promoters (9–10)" for "promoter": the group as the metrics name it, in the run's language."""
    return METRICS.get(group, group)


def _choose_language() -> None:
    edit_view(lambda v: setattr(v, "lang", st.session_state[LANGUAGE_KEY]))


def language_picker(view: View) -> None:
    """The interface language, kept in the view (and so in the URL and every link)."""
    if st.session_state.get(LANGUAGE_KEY) != view.lang:
        st.session_state[LANGUAGE_KEY] = view.lang
    st.sidebar.selectbox(
        UI["language"],
        list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=LANGUAGE_KEY,
        on_change=_choose_language,
    )


def _choose_sheet(position: int, key: str) -> None:
    edit_view(lambda v: v.sheets.__setitem__(position, st.session_state[key]))


def sidebar_sheets(files: list[FileInfo]) -> None:
    for info in files:
        if len(info.sheets) > 1:
            key = f"sheet_{info.digest}"
            if st.session_state.get(key) not in info.sheets:
                st.session_state[key] = info.sheet if info.sheet in info.sheets else info.sheets[0]
            st.sidebar.selectbox(
                UI["sheet"].format(name=md_escape(info.name)),
                info.sheets,
                key=key,
                on_change=_choose_sheet,
                args=(info.position, key),
            )


def _seed(key: str, value) -> None:
    """Give a widget the view's value when it is drawn for the first time (never over a user's choice)."""
    if key not in st.session_state:
        st.session_state[key] = value


@dataclass
class FilterChoices:
    """What the sidebar offers to filter on, from the rows in memory or from a batch folder."""

    dates: tuple[dt.date, dt.date] | None = None
    nps: bool = False
    csat: list[int] = field(default_factory=list)
    segments: dict[str, list[str]] = field(default_factory=dict)
    text: bool = False
    themes: dict[int, str] | None = (
        None  # a batch folder's themes (fixed by `cx batch`); None: the Themes page's
    )


def frame_choices(data_key: str, frame: pd.DataFrame) -> FilterChoices:
    """What the filters offer for the rows in memory (never changed by the caller: shared by sessions)."""
    return _frame_choices(data_key, frame)


@st.cache_resource(show_spinner=False, max_entries=16)
def _frame_choices(data_key: str, _frame: pd.DataFrame) -> FilterChoices:
    """Worked out once per data (its date range and values), for every session."""
    dates = _frame["date"].dropna()
    return FilterChoices(
        dates=None if dates.empty else (dates.min().date(), dates.max().date()),
        nps=bool(_frame["nps"].notna().any()),
        csat=sorted(int(v) for v in _frame["csat"].dropna().unique()),
        segments={col: sorted(map(str, _frame[col].dropna().unique())) for col in segment_columns(_frame)},
        text=bool(_frame["text"].notna().any()),
    )


def batch_choices(shared: Shared) -> FilterChoices:
    source = shared.source
    every = shared.memo("available_metrics", Filters())
    themes = shared.memo("themes")
    return FilterChoices(
        dates=shared.memo("date_range"),
        nps="nps" in every,
        csat=[int(v) for v in shared.memo("segment_values", "csat") if str(v).isdigit()]
        if "csat" in every
        else [],
        segments={col: shared.memo("segment_values", col) for col in source.segments},
        text="text" in source.columns,
        themes={  # by number, as links name them (a codeframe's "3.1" is not offered)
            int(i): str(label)
            for i, label in zip(themes["theme_id"], themes["label"], strict=True)
            if str(i).isdigit()
        },
    )


def theme_filter_key(signature: str) -> str:
    """The key of a batch folder's theme filter (the Themes page's "filter to this theme" sets it too)."""
    return f"f_theme_{signature}"


def sidebar_filters(offered: FilterChoices, signature: str, view: View) -> None:
    """Global filters, seeded from the view and written back to it (so the URL carries them).

    Widget keys carry the data's signature, so other data starts with fresh widgets (seeded from the view).
    The signature includes the column roles: a role edit can change the dates or the values on offer.
    """
    wanted = view.filters
    chosen = Filters(themes=wanted.themes)
    with st.sidebar:
        st.header(UI["filters"])
        if offered.dates is not None:
            lo, hi = offered.dates
            start = min(max(wanted.date_from or lo, lo), hi)
            end = max(min(wanted.date_to or hi, hi), lo)
            key = f"f_date_{signature}"
            _seed(key, (start, end) if start <= end else (lo, hi))
            picked = st.date_input(
                UI["date_range"], min_value=lo, max_value=hi, key=key, format=DATE_FORMATS[i18n.language()]
            )
            if isinstance(picked, (tuple, list)) and len(picked) == 2:
                chosen.date_from = picked[0] if picked[0] > lo else None
                chosen.date_to = picked[1] if picked[1] < hi else None
        if offered.nps:
            key = f"f_group_{signature}"
            _seed(key, [g for g in wanted.nps_groups if g in NPS_GROUPS])
            chosen.nps_groups = st.multiselect(
                UI["nps_group"],
                NPS_GROUPS,
                key=key,
                format_func=_group_name,
                placeholder=UI["choose_options"],
            )
        if offered.csat:
            key = f"f_csat_{signature}"
            _seed(key, [v for v in wanted.csat_values if v in offered.csat])
            chosen.csat_values = st.multiselect(
                UI["csat_values"], offered.csat, key=key, placeholder=UI["choose_options"]
            )
        for col, values in offered.segments.items():
            key = f"f_seg_{signature}_{col}"
            _seed(key, [v for v in wanted.segments.get(col, []) if v in values])
            picked = st.multiselect(md_escape(col), values, key=key, placeholder=UI["choose_options"])
            if picked:
                chosen.segments[col] = picked
        if offered.themes:
            key = theme_filter_key(signature)
            _seed(key, [i for i in wanted.themes if i in offered.themes])
            picked = st.multiselect(
                UI["theme_filter_label"],
                list(offered.themes),
                key=key,
                format_func=lambda i: f"{i}: {offered.themes[i]}",
                placeholder=UI["choose_options"],
            )
            chosen.themes = {i: offered.themes[i] for i in picked}
        elif offered.themes is not None:  # a batch folder without themes: nothing to filter on
            chosen.themes = {}
        if offered.text:
            key = f"f_q_{signature}"
            _seed(key, wanted.keyword)
            chosen.keyword = st.text_input(UI["keyword"], key=key, help=UI["keyword_help"]).strip()
        _seed("min_n", view.min_n)
        view.min_n = int(
            st.number_input(
                UI["min_n"], min_value=1, max_value=10_000, step=5, key="min_n", help=UI["min_n_help"]
            )
        )
    view.filters = chosen


def _clear_theme_filter() -> None:
    def clear(v: View) -> None:
        v.filters.themes = {}

    edit_view(clear)


def theme_filter(ctx_key: str, dataset: Dataset, view: View) -> pd.Series | None:
    """The theme filter of the view (theme ids of the themes its settings define): the theme of every
    grouped comment, with the filter shown in the sidebar and a way to clear it. Computes the themes when a
    link brought the filter into a new session."""
    if not view.filters.themes:
        return None
    result = caches.themes_result(ctx_key, dataset.frame, *theme_settings(view), view.data)
    if isinstance(result, str):
        st.sidebar.warning(UI["theme_filter_failed"].format(message=md_escape(result)))
        view.filters.themes = {}
        return None
    labels = _labels(result)
    view.filters.themes = {i: labels[i] for i in view.filters.themes if i in labels}
    if not view.filters.themes:
        return None
    label = ", ".join(f"{i}: {name}" for i, name in view.filters.themes.items())
    st.sidebar.text(UI["theme_filter"].format(label=label))  # labels are the users' words: plain text
    st.sidebar.button(UI["clear_theme_filter"], key="clear_theme", on_click=_clear_theme_filter)
    return theme_of_rows(result, list(view.filters.themes))  # a comment is in every theme of its parts


def _labels(result: ThemeResult) -> dict[int, str]:
    return {
        int(i): str(label) for i, label in zip(result.themes["theme_id"], result.themes["label"], strict=True)
    }


DATASET_KEY = "dataset_path"
BEFORE_KEY = "_before_dataset"  # the view's data before a batch folder was opened, for "Back to uploads"


def _open_dataset() -> None:
    path = st.session_state[DATASET_KEY].strip()
    if not path:
        _back_to_uploads()
        return

    def open_it(v: View) -> None:
        if not v.dataset:
            st.session_state[BEFORE_KEY] = v.to_params()
        v.dataset, v.data, v.roles, v.sheets, v.headers, v.filters = path, [], {}, {}, {}, Filters()

    edit_view(open_it)
    st.session_state["_uploader_ids"] = []  # the upload box, drawn again later, starts empty: not a change


def _back_to_uploads() -> None:
    before = View.from_params(st.session_state.pop(BEFORE_KEY, {}))

    def back(v: View) -> None:
        v.dataset = ""
        v.data, v.roles, v.sheets, v.headers, v.filters = (
            before.data,
            before.roles,
            before.sheets,
            before.headers,
            before.filters,
        )

    edit_view(back)
    st.session_state[DATASET_KEY] = ""


def dataset_box(view: View) -> None:
    """The field that opens a batch output folder on the server (the link's folder while one is open)."""
    st.session_state[DATASET_KEY] = view.dataset
    st.sidebar.text_input(
        UI["dataset_open"],
        key=DATASET_KEY,
        on_change=_open_dataset,
        help=UI["dataset_open_help"].format(roots=", ".join(md_escape(str(r)) for r in roots())),
        placeholder=UI["dataset_placeholder"],
    )


def dataset_context(view: View) -> Context:
    """The context of a view on a batch folder: the folder checked and opened, its filters in the sidebar."""
    dataset_box(view)
    try:
        shared = open_folder(view.dataset, i18n.language())
    except DatasetRefused as exc:  # the page says why, with the upload box and the sample
        ctx = Context(view, None, pd.DataFrame(), view.dataset, [], [], [], False, dataset_error=str(exc))
        set_context(ctx)
        return ctx
    source = shared.source
    st.sidebar.caption(UI["dataset_info"].format(name=md_escape(source.name), rows=source.rows))
    st.sidebar.button(UI["dataset_back"], key="dataset_back", on_click=_back_to_uploads)
    signature = hashlib.sha1(f"{source.folder}:{shared.stamp}".encode()).hexdigest()[:8]
    sidebar_filters(batch_choices(shared), signature, view)
    ctx = Context(
        view,
        None,
        pd.DataFrame(),
        source.name,
        [],
        [],
        [],
        False,
        data_key=signature,
        batch=shared,
    )
    set_context(ctx)
    return ctx


def build_context(view: View) -> Context:
    """Load the view's data, draw the sidebar, apply the filters: the context every page reads."""
    language_picker(view)
    if view.dataset:
        sync_uploads(
            view
        )  # a file dropped in the page's upload box (a folder that failed) replaces the folder
        if view.data:
            view.dataset = ""
    if view.dataset:
        return dataset_context(view)
    sources = load_sources(view)
    if sources.missing:
        ctx = Context(view, None, pd.DataFrame(), "", [], sources.errors, [], False, missing=sources.missing)
        set_context(ctx)
        return ctx  # the page shows the message and the upload box
    upload_box()
    dataset_box(view)
    sidebar_sheets(sources.files)
    if sources.dataset is None:
        ctx = Context(
            view, None, pd.DataFrame(), sources.source, sources.files, sources.errors, [], sources.is_sample
        )
        set_context(ctx)
        return ctx
    dataset = sources.dataset
    data_key = hashlib.sha1(
        "|".join(f"{f.digest}:{f.sheet}:{f.header_row}:{roles_key(f.roles)}" for f in sources.files).encode()
    ).hexdigest()[:16]
    # Filter widgets are keyed by the data as built: other files, sheets, header rows or roles (other dates,
    # other values) get fresh widgets, seeded from the view's filters and clipped to what the data holds.
    sidebar_filters(frame_choices(data_key, dataset.frame), data_key[:8], view)
    theme_of = theme_filter(data_key, dataset, view)
    frame = apply_filters(dataset.frame, view.filters, theme_of)
    ctx = Context(
        view,
        dataset,
        frame,
        sources.source,
        sources.files,
        sources.errors,
        list(dataset.notes),
        sources.is_sample,
        data_key,
    )
    set_context(ctx)
    return ctx
