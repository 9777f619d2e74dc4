"""The sidebar: data source, sheet choice, the global filters; builds the context of the run."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from cx.app.loading import FileInfo, load_sources, roles_json
from cx.app.markup import md_escape
from cx.app.state import Context, set_context, url_state, write_url
from cx.filters import Filters, apply_filters, segment_columns
from cx.metrics import DEFAULT_MIN_N
from cx.schema import NPS_GROUPS, Dataset
from cx.strings import UI


def sidebar_source() -> None:
    """Upload widget and, for workbooks, the sheet choice."""
    with st.sidebar:
        st.file_uploader(
            UI["upload"],
            type=None,  # the reader recognises formats by content and explains what it cannot use
            accept_multiple_files=True,
            key="uploads",
            help=UI["upload_help"],
        )


def sidebar_sheets(files: list[FileInfo]) -> None:
    for info in files:
        if len(info.sheets) > 1:
            st.sidebar.selectbox(
                UI["sheet"].format(name=info.name),
                info.sheets,
                index=info.sheets.index(info.sheet) if info.sheet in info.sheets else 0,
                key=f"sheet_{info.digest}",
            )


def _from_url(key: str, value) -> None:
    """Seed a widget from the shared link, once, before the widget is drawn (never over a user's choice)."""
    if value is not None and key not in st.session_state:
        st.session_state[key] = value


def sidebar_filters(dataset: Dataset, signature: str, is_sample: bool) -> tuple[Filters, int]:
    """Global filters, seeded from the URL and written back to it so the link reopens the same view.

    Widget keys carry the data's signature, so a new upload starts from the link's filters (or none).
    """
    frame = dataset.frame
    filters = Filters()
    link = url_state(is_sample)
    with st.sidebar:
        st.header(UI["filters"])
        dates = frame["date"].dropna()
        if not dates.empty:
            lo, hi = dates.min().date(), dates.max().date()
            start, end = link.get("from") or lo, link.get("to") or hi
            if link and lo <= start <= end <= hi:
                _from_url(f"f_date_{signature}", (start, end))
            key = f"f_date_{signature}"
            default = {} if key in st.session_state else {"value": (lo, hi)}
            chosen = st.date_input(UI["date_range"], min_value=lo, max_value=hi, key=key, **default)
            if isinstance(chosen, (tuple, list)) and len(chosen) == 2:
                if chosen[0] > lo:
                    filters.date_from = chosen[0]
                if chosen[1] < hi:
                    filters.date_to = chosen[1]
        if frame["nps"].notna().any():
            _from_url(f"f_group_{signature}", [g for g in link.get("group", []) if g in NPS_GROUPS] or None)
            filters.nps_groups = st.multiselect(UI["nps_group"], NPS_GROUPS, key=f"f_group_{signature}")
        if frame["csat"].notna().any():
            answers = sorted(int(v) for v in frame["csat"].dropna().unique())
            _from_url(
                f"f_csat_{signature}",
                [int(v) for v in link.get("csat", []) if v.isdigit() and int(v) in answers] or None,
            )
            filters.csat_values = st.multiselect(UI["csat_values"], answers, key=f"f_csat_{signature}")
        for col in segment_columns(frame):
            values = sorted(map(str, frame[col].dropna().unique()))
            _from_url(
                f"f_seg_{signature}_{col}",
                [v for v in link.get("seg", {}).get(col, []) if v in values] or None,
            )
            chosen = st.multiselect(md_escape(col), values, key=f"f_seg_{signature}_{col}")
            if chosen:
                filters.segments[col] = chosen
        if frame["text"].notna().any():
            _from_url(f"f_q_{signature}", link.get("q"))
            filters.keyword = st.text_input(UI["keyword"], key=f"f_q_{signature}", help=UI["keyword_help"])
        if "min_n" in link:
            _from_url("min_n", link["min_n"])
        default = {} if "min_n" in st.session_state else {"value": DEFAULT_MIN_N}
        min_n = st.number_input(
            UI["min_n"], min_value=1, max_value=10_000, step=5, key="min_n", help=UI["min_n_help"], **default
        )
    write_url(filters, int(min_n), is_sample)
    return filters, int(min_n)


def sidebar_theme_filter(filters: Filters, data_key: str) -> pd.Series | None:
    """The theme filter set from the Themes page, shown in the sidebar with a way to clear it."""
    chosen = st.session_state.get("theme_filter")
    if not chosen or chosen["data_key"] != data_key:
        return None
    filters.themes = dict(chosen["themes"])
    label = ", ".join(f"{i}: {name}" for i, name in filters.themes.items())
    st.sidebar.text(UI["theme_filter"].format(label=label))  # labels are the users' words: plain text
    st.sidebar.button(
        UI["clear_theme_filter"], key="clear_theme", on_click=st.session_state.pop, args=("theme_filter",)
    )
    return chosen["theme_of"]


def build_context() -> Context:
    sidebar_source()
    dataset, files, errors, source, is_sample = load_sources()
    sidebar_sheets(files)
    if dataset is None:
        ctx = Context(None, pd.DataFrame(), Filters(), DEFAULT_MIN_N, source, files, errors, [], is_sample)
    else:
        signature = hashlib.sha1("|".join(f.digest for f in files).encode()).hexdigest()[:8]
        data_key = hashlib.sha1("|".join(f.digest + roles_json(f.roles) for f in files).encode()).hexdigest()[
            :16
        ]
        filters, min_n = sidebar_filters(dataset, signature, is_sample)
        theme_of = sidebar_theme_filter(filters, data_key)
        frame = apply_filters(dataset.frame, filters, theme_of)
        ctx = Context(
            dataset, frame, filters, min_n, source, files, errors, list(dataset.notes), is_sample, data_key
        )
    set_context(ctx)
    return ctx
