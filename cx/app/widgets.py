"""Shared page pieces: headers, clickable tables, metric picker, chart and table downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cx.app.caches import cached_themes
from cx.app.markup import md_escape
from cx.app.registry import page as page_spec
from cx.app.state import Context, context
from cx.export import chart_png, chart_svg, to_csv_bytes
from cx.filters import segment_columns
from cx.metrics import summarize
from cx.strings import METRICS, UI
from cx.themes import theme_metrics


def source_header(title: str) -> Context:
    """Title, where the data came from, and whole-file problems."""
    ctx = context()
    st.title(title)
    # File names, values and the filter summary are the user's words: escaped wherever Streamlit reads Markdown.
    st.caption(
        UI["using_sample"] if ctx.is_sample else UI["using_upload"].format(names=md_escape(ctx.source))
    )
    for message in ctx.errors:
        st.error(UI["load_failed"].format(message=md_escape(message)), icon=":material/error:")
    return ctx


def page_header(title: str) -> Context | None:
    """Title, data source, load problems and the filter count; None when there is nothing to show."""
    ctx = source_header(title)
    if ctx.is_sample and st.query_params.get("data") == "upload":
        st.info(UI["link_from_upload"])
    if ctx.dataset is None:
        return None
    for note in ctx.notes:
        st.info(md_escape(note))
    n, total = len(ctx.frame), ctx.total
    line = UI["filter_count"].format(n=n, total=total)
    if not ctx.filters.is_empty():
        line += " " + UI["filter_summary"].format(summary=md_escape(ctx.filters.summary()))
    if ctx.dataset.rows_rejected:
        line += " " + UI["rows_not_kept"].format(n=ctx.dataset.rows_rejected)
    st.caption(line)
    if n == 0:
        st.warning(UI["filter_none"])
        return None
    return ctx


def overall(ctx: Context) -> dict:
    return summarize(ctx.frame, ctx.min_n)


def segments_or_stop(ctx: Context) -> list[str]:
    """The segment columns; without any, say how to get some and end the page."""
    segments = segment_columns(ctx.frame)
    if not segments:
        st.info(UI["no_segments"])
        st.stop()
    return segments


def pick_row(table: pd.DataFrame, key: str, **options) -> int:
    """A table the user can click; the position of the clicked row (the first row until one is clicked)."""
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        **options,
    )
    rows = event.selection.rows if event and event.selection else []
    return rows[0] if rows else 0


def top_themes(ctx: Context, count: int = 3) -> pd.DataFrame | None:
    """The largest complaint themes of the filtered rows if themes were computed; else a link to compute them."""
    themes = cached_themes(ctx)
    if themes is None:
        st.page_link(page_spec("themes").path, label=UI["overview_themes_link"], icon=":material/forum:")
        return None
    return theme_metrics(ctx.frame, themes, ctx.min_n).head(count)


def metric_picker(where, frame: pd.DataFrame, key: str) -> str:
    """NPS / CSAT switch (only the metrics the file has) in `where` (a column or st)."""
    metrics = available_metrics(frame)
    choice = where.segmented_control(
        UI["metric"], metrics, default=metrics[0], format_func=METRICS.get, key=key
    )
    return choice or metrics[0]


def available_metrics(frame: pd.DataFrame) -> list[str]:
    found = [m for m in ("nps", "csat") if frame[m].notna().any()]
    return found or ["nps"]


THEME_COLUMNS = {
    "share": st.column_config.NumberColumn("share", format="%.0f %%"),
    "quote": st.column_config.TextColumn("representative comment", width="large"),
}


def show_chart(chart, name: str) -> None:
    """A chart, and under it PNG and SVG downloads (drawn only when clicked)."""
    st.altair_chart(chart, width="stretch")
    with st.popover(UI["download_chart"], icon=":material/download:"):
        st.download_button(
            "PNG", lambda: chart_png(chart), file_name=f"{name}.png", mime="image/png", key=f"png_{name}"
        )
        st.download_button(
            "SVG", lambda: chart_svg(chart), file_name=f"{name}.svg", mime="image/svg+xml", key=f"svg_{name}"
        )


def table_download(table: pd.DataFrame, name: str) -> None:
    st.download_button(
        UI["download_table"],
        to_csv_bytes(table),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        icon=":material/download:",
    )
