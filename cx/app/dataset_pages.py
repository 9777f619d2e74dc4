"""The pages that differ for a batch folder (`?dataset=`): Themes, Data, Export, the Lowest areas drill-down,
and the pages that need the rows in memory, which say so. Overview, Trends, Segments and Lowest areas are the
same page files for both (they ask cx/app/figures.py). Every figure here comes from BatchSource (DuckDB over
the folder's Parquet files); the rows are never loaded."""

from __future__ import annotations

import os
import tempfile

import pandas as pd
import streamlit as st

from cx import charts, i18n, tables
from cx.app import figures, widgets
from cx.app.markup import md_escape
from cx.app.sidebar import theme_filter_key
from cx.app.state import Context, edit_view
from cx.filters import Filters
from cx.strings import TABLES, UI
from cx.text import mask_pii
from cx.theme_views import theme_display

QUOTES = 20  # comments fetched for the chosen theme or area
EXPORT_MAX_ROWS = 500_000  # a browser download is held in the server's memory: more goes through the CLI
NOT_AVAILABLE = {
    "changes": "dataset_no_changes",
    "codeframe": "dataset_no_codeframe",
    "present": "dataset_no_present",
}


def unavailable(page_id: str, title: str) -> None:
    """A page that needs the rows in memory: what it would show, and how to get it for these rows."""
    widgets.source_header(title)
    st.info(UI[NOT_AVAILABLE[page_id]], icon=":material/info:")


def quote_lines(rows: pd.DataFrame) -> None:
    """Comments as plain text (customers' words are data, never Markdown), personal data masked."""
    excerpts = rows["excerpt"] if "excerpt" in rows else pd.Series(None, index=rows.index)
    with st.container(border=True):
        for text, excerpt in zip(rows["text"], excerpts, strict=True):
            if (
                isinstance(excerpt, str) and excerpt and excerpt != text
            ):  # the part in the theme, then the comment
                st.text("“" + mask_pii(excerpt) + "”")
                st.caption(md_escape("… " + mask_pii(str(text))))
            else:
                st.text("“" + mask_pii(str(text)) + "”")


def _filter_to(theme_id: int, label: str, widget: str) -> None:
    edit_view(lambda v: setattr(v.filters, "themes", {theme_id: label}))
    st.session_state[widget] = [theme_id]  # the sidebar's theme filter shows it (and keeps it)


def themes() -> None:
    """Themes of the batch (fixed by `cx batch`): volumes with NPS/CSAT per theme, the chosen theme's comments."""
    ctx = widgets.page_header(UI["page_themes"])
    if ctx is None:
        return
    table = figures.ask(ctx, "theme_table", min_n=ctx.min_n)
    if table.empty:
        st.info(UI["dataset_no_themes"])
        return
    model = ctx.batch.source.report.get("model") or {}
    k, embedder = model.get("k") or len(ctx.batch.memo("themes")), md_escape(str(model.get("embedder", "")))
    st.caption(UI["dataset_themes_note"].format(k=k, model=embedder))
    table = figures.with_quotes(ctx, table)
    theme_id = widgets.pick_by_id(  # a number, or a codeframe's id such as "3.1"
        theme_display(table),
        table["theme_id"],
        "themes_table",
        "themes.theme",
        column_config=widgets.theme_columns(),
    )
    st.caption(UI["themes_table_help"])
    picked = table[table["theme_id"] == theme_id].iloc[0]
    st.subheader(UI["theme_title"].format(id=theme_id))
    st.text(str(picked["label"]))  # the label is made of the customers' words: plain text
    widgets.theme_cards(picked, [m for m in ("nps", "csat") if m in figures.metrics(ctx)], ctx.min_n)
    one = figures.within(ctx, themes={theme_id: str(picked["label"])})
    st.markdown(f"**{UI['dataset_theme_quotes']}**")
    quote_lines(figures.ask(ctx, "quotes", filters=one, limit=QUOTES))
    if str(theme_id).isdigit():  # the app's theme filter (and its link) names themes by number
        st.button(
            UI["theme_filter_button"],
            key="theme_filter_button",
            on_click=_filter_to,
            args=(int(theme_id), str(picked["label"]), theme_filter_key(ctx.data_key)),
            icon=":material/filter_alt:",
        )
    if figures.has_dates(ctx):
        st.markdown(f"**{UI['dataset_theme_trend']}**")
        trend = figures.ask(ctx, "metrics_by", "month", filters=one, min_n=ctx.min_n)
        widgets.show_chart(charts.trend_chart(trend, "volume", "month", ctx.min_n), "theme_trend")


def area_drill(ctx: Context, area: pd.Series, metric: str) -> None:
    """The Lowest areas drill-down of a batch folder: the area over time, its themes, its comments."""
    inside = figures.within(ctx, area["segment"])
    if figures.has_dates(ctx):
        st.markdown(f"**{UI['areas_trend']}**")
        trend = figures.ask(ctx, "area_trend", area["segment"], area["label"], UI["areas_rest"], ctx.min_n)
        widgets.show_chart(charts.trend_chart(trend, metric, "month", ctx.min_n, split="group"), "area_trend")
    themes_here = figures.ask(ctx, "theme_table", filters=inside, min_n=ctx.min_n)
    if not themes_here.empty:
        st.markdown(f"**{UI['dataset_area_themes']}**")
        shown = theme_display(figures.with_quotes(ctx, themes_here))
        st.dataframe(shown, hide_index=True, width="stretch", column_config=widgets.theme_columns())
    comments = figures.ask(ctx, "quotes", filters=inside, limit=QUOTES)
    n = figures.ask(ctx, "summarize", filters=inside, min_n=ctx.min_n)["comments"]
    with st.expander(UI["dataset_area_comments"].format(n=n, shown=len(comments))):
        quote_lines(comments)


def data() -> None:
    """The batch folder: where it is, its row report per input file, and its first rows."""
    ctx = widgets.source_header(UI["page_data"])
    source = ctx.batch.source
    st.caption(UI["dataset_where"].format(path=md_escape(str(source.folder)), rows=source.rows))
    files = source.report.get("files") or {}
    rows = []
    for name, entry in files.items():
        report = entry.get("row_report") or {}
        reasons = report.get("rejected_by_reason") or {}
        rows.append(
            {
                UI["dataset_file"]: os.path.basename(name),
                UI["dataset_status"]: entry.get("status", ""),
                UI["rows_read"]: report.get("rows_read"),
                UI["rows_kept"]: report.get("rows_kept"),
                UI["rows_rejected"]: report.get("rows_rejected"),
                TABLES["reason"]: "; ".join(f"{k}: {v}" for k, v in reasons.items())
                or entry.get("error", ""),
            }
        )
    st.header(UI["quality_title"])
    report = pd.DataFrame(rows)
    if not report.empty:
        c1, c2, c3 = st.columns(3)
        for col, key in zip((c1, c2, c3), ("rows_read", "rows_kept", "rows_rejected"), strict=True):
            col.metric(UI[key], tables.fmt_int(int(report[UI[key]].fillna(0).sum())), border=True)
        st.dataframe(report, hide_index=True, width="stretch")
    st.subheader(UI["dataset_preview"])
    first = ctx.batch.memo("preview", Filters(), 500)
    st.dataframe(tables.preview(first).drop(columns=TABLES["row"]), hide_index=True, width="stretch")


def export() -> None:
    """The filtered rows as CSV, written by DuckDB (cells neutralised as cx.export does)."""
    ctx = widgets.page_header(UI["page_export"])
    if ctx is None:
        return
    n = figures.count(ctx)
    st.subheader(UI["export_rows"])
    st.caption(UI["dataset_export_help"].format(n=n))
    mask = widgets.mask_setting(ctx)
    if n > EXPORT_MAX_ROWS:
        st.info(UI["dataset_export_too_big"].format(n=n, limit=EXPORT_MAX_ROWS))
        return
    shared, filters = ctx.batch, ctx.filters

    def rows_csv() -> bytes:
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "rows.csv")
            shared("export_csv", filters, path, mask=mask)
            with open(path, "rb") as f:
                return f.read()

    st.download_button(
        UI["export_csv"],
        i18n.keep_language(rows_csv),
        file_name=f"cx_lens_{ctx.batch.source.name}.csv",
        mime="text/csv",
        key="export_csv",
        icon=":material/download:",
    )
    st.caption(UI["dataset_export_more"])


OWN = {"themes": themes, "data": data, "export": export}


def run(page_id: str, title: str) -> None:
    """Draw page `page_id` for a batch folder (a page of its own, or the message that it needs the rows)."""
    if page_id in OWN:
        OWN[page_id]()
    else:
        unavailable(page_id, title)
