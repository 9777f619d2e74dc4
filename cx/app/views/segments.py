"""Segments: compare the values of a segment column, and a segment × period heatmap."""

import streamlit as st

from cx import charts, tables
from cx.app import widgets
from cx.app.state import setting
from cx.metrics import GRANULARITIES, metrics_by
from cx.strings import GRANULARITIES as GRAN_LABELS
from cx.strings import METRICS, UI

ctx = widgets.page_header(UI["page_segments"])
if ctx is not None:
    segments = widgets.segments_or_stop(ctx)
    c1, c2 = st.columns(2)
    segment = setting(c1.selectbox, UI["segment_column"], "segments.column", segments)
    metric = widgets.metric_picker(c2, ctx.frame, "segments.metric")
    s = widgets.overall(ctx)
    overall = tables.fmt_nps(s[metric]) if metric == "nps" else tables.fmt_pct(s[metric])
    table = metrics_by(ctx.frame, segment, ctx.min_n)
    widgets.show_chart(
        charts.segment_chart(table, segment, metric, ctx.min_n, overall=s[metric]), f"{metric}_by_segment"
    )
    st.caption(UI["segment_legend"].format(metric=METRICS[metric], overall=overall, min_n=ctx.min_n))
    shown = tables.display_table(table, metric)
    st.dataframe(shown, hide_index=True, width="stretch")
    widgets.table_download(shown, f"{metric}_by_segment")

    if ctx.frame["date"].notna().any():
        st.subheader(UI["heatmap_title"].format(segment=widgets.md_escape(segment), metric=METRICS[metric]))
        granularity = setting(
            st.segmented_control,
            UI["granularity"],
            "segments.period",
            GRANULARITIES[1:],
            "quarter",
            format_func=GRAN_LABELS.get,
        )
        grid = metrics_by(ctx.frame, [segment, granularity], ctx.min_n)
        chart = charts.heatmap_chart(grid, segment, metric, granularity, ctx.min_n, overall=s[metric])
        widgets.show_chart(chart, f"{metric}_heatmap")
        st.caption(UI["heatmap_legend"].format(metric=METRICS[metric], overall=overall, min_n=ctx.min_n))
