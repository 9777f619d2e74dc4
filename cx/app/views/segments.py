"""Segments: compare the values of a segment column, and a segment × period heatmap."""

import streamlit as st

from cx import charts, tables
from cx.app import widgets
from cx.metrics import GRANULARITIES, metrics_by
from cx.strings import GRANULARITIES as GRAN_LABELS
from cx.strings import METRICS, UI

ctx = widgets.page_header(UI["page_segments"])
if ctx is not None:
    segments = widgets.segments_or_stop(ctx)
    c1, c2 = st.columns(2)
    segment = c1.selectbox(UI["segment_column"], segments, key="seg_col")
    metric = widgets.metric_picker(c2, ctx.frame, "seg_metric")
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
        granularity = (
            st.segmented_control(
                UI["granularity"],
                GRANULARITIES[1:],
                default="quarter",
                format_func=GRAN_LABELS.get,
                key="seg_gran",
            )
            or "quarter"
        )
        grid = metrics_by(ctx.frame, [segment, granularity], ctx.min_n)
        chart = charts.heatmap_chart(grid, segment, metric, granularity, ctx.min_n, overall=s[metric])
        widgets.show_chart(chart, f"{metric}_heatmap")
        st.caption(UI["heatmap_legend"].format(metric=METRICS[metric], overall=overall, min_n=ctx.min_n))
