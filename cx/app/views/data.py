"""Data & columns: where the data came from, the column roles (editable) and the data quality report."""

import sqlite3

import streamlit as st

from cx import tables
from cx.app import roles, widgets
from cx.app.loading import forget, store
from cx.export import to_csv_bytes
from cx.strings import UI

ctx = widgets.source_header(UI["page_data"])
if message := st.session_state.pop("_forgotten", None):
    st.success(widgets.md_escape(message), icon=":material/delete:")
try:
    kept = store()
    st.caption(UI["store_where"].format(path=widgets.md_escape(kept.uploads_dir), days=kept.days))
except (OSError, sqlite3.Error) as exc:
    st.warning(UI["store_missing"].format(why=widgets.md_escape(getattr(exc, "strerror", None) or exc)))

st.header(UI["roles_title"])
st.caption(UI["roles_help"])
for info in ctx.files:
    with st.expander(roles.file_summary(info), expanded=len(ctx.files) == 1):
        roles.header_row(info)
        if info.roles is not None:
            roles.role_editor(info)
        if info.stored:
            st.button(
                UI["forget"],
                key=f"forget_{info.digest}",
                help=UI["forget_help"],
                on_click=forget,
                args=(info.position, info.digest, info.name),
                icon=":material/delete:",
            )

if ctx.dataset is not None:
    d = ctx.dataset
    st.header(UI["quality_title"])
    for note in d.notes:
        st.info(widgets.md_escape(note))
    c1, c2, c3 = st.columns(3)
    c1.metric(UI["rows_read"], tables.fmt_int(d.rows_read), border=True)
    c2.metric(UI["rows_kept"], tables.fmt_int(d.rows_kept), border=True)
    c3.metric(UI["rows_rejected"], tables.fmt_int(d.rows_rejected), border=True)
    report = d.report()
    left, right = st.columns(2)
    with left:
        st.subheader(UI["rejected_reasons"])
        if report["rejected_by_reason"]:
            st.dataframe(tables.two_columns(report["rejected_by_reason"], "reason", "rows"), hide_index=True)
            st.download_button(
                UI["download_report"],
                to_csv_bytes(d.rejected),
                file_name="cx_lens_rejected_rows.csv",
                mime="text/csv",
                key="dl_rejected",
            )
        else:
            st.success(UI["nothing_rejected"])
    with right:
        st.subheader(UI["invalid_values"])
        if report["invalid_values"]:
            st.dataframe(tables.two_columns(report["invalid_values"], "column", "values"), hide_index=True)
        else:
            st.success(UI["nothing_invalid"])
    st.subheader(UI["kept_preview"])
    st.dataframe(tables.preview(d.frame), hide_index=True, width="stretch")
