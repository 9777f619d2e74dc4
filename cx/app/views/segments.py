"""Segments: compare the values of a segment column, and a segment × period heatmap."""

import streamlit as st

from cx import charts, tables
from cx.app import figures, widgets
from cx.app.state import setting
from cx.metrics import GRANULARITIES
from cx.strings import GRANULARITIES as GRAN_LABELS
from cx.strings import UI

ctx = widgets.page_header(UI["page_segments"])
if ctx is not None:
    segments = widgets.segments_or_stop(ctx)
    c1, c2 = st.columns(2)
    segment = setting(c1.selectbox, UI["segment_column"], "segments.column", segments)
    metric = widgets.metric_picker(c2, ctx, "segments.metric")
    s = widgets.overall(ctx)
    name = tables.metric_label(metric, ctx.sentiment_source)
    basis = s["volume_basis"]
    score = None if metric == "volume" else s[metric]  # a count has no "overall" line to compare with
    overall = tables.fmt_pct(score) if metric == "sentiment" else tables.fmt_metric(score, metric)
    table = figures.table_by(ctx, segment)
    widgets.show_chart(
        charts.segment_chart(table, segment, metric, ctx.min_n, overall=score), f"{metric}_by_segment"
    )
    if metric == "volume":
        st.caption(UI["segment_legend_volume"].format(basis=basis))
    else:
        st.caption(UI["segment_legend"].format(metric=name, overall=overall, min_n=ctx.min_n))
    widgets.sentiment_source(ctx, metric)
    shown = tables.display_table(table, metric)
    st.dataframe(shown, hide_index=True, width="stretch")
    widgets.table_download(shown, f"{metric}_by_segment")

    if figures.has_dates(ctx):
        st.subheader(UI["heatmap_title"].format(segment=widgets.md_escape(segment), metric=name))
        granularity = setting(
            st.segmented_control,
            UI["granularity"],
            "segments.period",
            GRANULARITIES[1:],
            "quarter",
            format_func=GRAN_LABELS.get,
        )
        grid = figures.table_by(ctx, [segment, granularity])
        chart = charts.heatmap_chart(grid, segment, metric, granularity, ctx.min_n, overall=score)
        widgets.show_chart(chart, f"{metric}_heatmap")
        if metric == "volume":
            st.caption(UI["heatmap_legend_volume"].format(basis=basis))
        else:
            st.caption(UI["heatmap_legend"].format(metric=name, overall=overall, min_n=ctx.min_n))
        widgets.year_only_note(ctx, granularity)
