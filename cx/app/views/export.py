"""Export & report: the filtered rows as CSV or Excel, and the one-click review report."""

import streamlit as st

from cx import i18n
from cx.app import caches, widgets
from cx.app.state import present_link, setting
from cx.export import (
    COMPUTED,
    SEPARATORS,
    to_csv_bytes,
    to_xlsx_bytes,
    translate_headers,
    translate_workbook,
)
from cx.strings import EXPORT, UI

ctx = widgets.page_header(UI["page_export"])
if ctx is not None:
    st.subheader(UI["export_rows"])
    st.caption(UI["export_rows_help"].format(n=len(ctx.frame)))
    c1, c2 = st.columns(2)
    sep = setting(
        c1.radio,
        UI["export_sep"],
        "export.sep",
        list(SEPARATORS),
        format_func=lambda s: f"{s}  ({UI.get('sep_' + SEPARATORS[s], SEPARATORS[s])})",
        horizontal=True,
    )
    mask = widgets.mask_setting(ctx, c2)
    if "export.translated" not in st.session_state:  # kept in the view's link, as the mask is
        st.session_state["export.translated"] = ctx.view.settings.get("export.translated") == "yes"
    translated = st.checkbox(
        EXPORT["translated_headers"], key="export.translated", help=EXPORT["translated_headers_help"]
    )
    if translated:
        ctx.view.settings["export.translated"] = "yes"
    else:
        ctx.view.settings.pop("export.translated", None)
    if caches.current_themes(ctx) is None:
        st.caption(UI["export_no_themes"])

    def rows_csv() -> bytes:
        rows = caches.export_responses(ctx, mask)
        return to_csv_bytes(translate_headers(rows, COMPUTED) if translated else rows, sep)

    def workbook() -> bytes:
        sheets = caches.export_tables(ctx, mask)
        return to_xlsx_bytes(translate_workbook(sheets) if translated else sheets)

    b1, b2 = st.columns(2)
    b1.download_button(
        UI["export_csv"],
        i18n.keep_language(rows_csv),
        file_name="cx_lens_responses.csv",
        mime="text/csv",
        key="export_csv",
        icon=":material/download:",
    )
    b2.download_button(
        UI["export_xlsx"],
        i18n.keep_language(workbook),
        file_name="cx_lens_responses.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="export_xlsx",
        help=UI["export_xlsx_help"],
        icon=":material/download:",
    )
    st.subheader(UI["report_title"])
    st.caption(UI["report_help"])
    st.download_button(
        UI["report_download"],
        i18n.keep_language(lambda: caches.report_html(ctx).encode("utf-8")),
        file_name="cx_lens_review.html",
        mime="text/html",
        key="report_html",
        icon=":material/description:",
    )
    st.subheader(UI["page_present"])
    st.link_button(UI["present_open"], present_link(), icon=":material/slideshow:")
