"""Trends: a metric per period (NPS, CSAT, CES, negative share with its band and n; volume as bars),
optionally one series per segment value."""

import streamlit as st

from cx import charts, tables
from cx.app import figures, widgets
from cx.app.state import setting
from cx.metrics import GRANULARITIES
from cx.strings import GRANULARITIES as GRAN_LABELS
from cx.strings import UI

ctx = widgets.page_header(UI["page_trends"])
if ctx is not None:
    if not figures.has_dates(ctx):
        st.info(UI["no_dates"])
        widgets.end_page()
    c1, c2, c3 = st.columns([3, 2, 3])
    granularity = setting(
        c1.segmented_control,
        UI["granularity"],
        "trends.period",
        GRANULARITIES,
        "month",
        format_func=GRAN_LABELS.get,
    )
    metric = widgets.metric_picker(c2, ctx, "trends.metric")
    split = setting(
        c3.selectbox,
        UI["split_by"],
        "trends.split",
        [None, *figures.segments(ctx)],
        format_func=lambda v: UI["none"] if v is None else v,
    )
    table = figures.table_by(ctx, [split, granularity] if split else [granularity])
    widgets.show_chart(
        charts.trend_chart(table, metric, granularity, ctx.min_n, split=split), f"{metric}_by_{granularity}"
    )
    legend = "trend_legend_volume" if metric == "volume" else "trend_legend"
    st.caption(UI[legend].format(min_n=ctx.min_n, basis=table.attrs["volume_basis"]))
    widgets.sentiment_source(ctx, metric)
    widgets.year_only_note(ctx, granularity)
    shown = tables.display_table(table, metric, granularity)
    st.dataframe(shown, hide_index=True, width="stretch")
    widgets.table_download(shown, f"{metric}_by_{granularity}")
