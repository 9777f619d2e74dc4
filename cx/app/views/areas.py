"""Lowest areas: where satisfaction is lowest, whether it matters, and what is behind it."""

import streamlit as st

from cx import charts, tables
from cx.app import caches, dataset_pages, figures, widgets
from cx.app.state import setting
from cx.areas import (
    AREA_METRICS,
    EXPLAINED,
    RANKED,
    SMALL,
    area_mask,
    area_sentence,
    area_trend,
    lowest,
)
from cx.strings import UI
from cx.themes import themes_in_area

ctx = widgets.page_header(UI["page_areas"])
if ctx is not None:
    segments = widgets.segments_or_stop(ctx)
    ranked_metrics = [m for m in figures.metrics(ctx) if m in AREA_METRICS]  # volume has none
    if not ranked_metrics:
        st.info(figures.areas_message(ctx, "nps", segments))
        widgets.end_page()
    c1, c2 = st.columns(2)
    metric = widgets.metric_picker(c1, ctx, "areas.metric", ranked_metrics)
    depth = setting(
        c2.segmented_control,
        UI["areas_depth"],
        "areas.depth",
        [1, 2],
        2,
        format_func=lambda d: UI[f"areas_depth_{d}"],
    )
    table = figures.areas(ctx, metric, depth)
    worst = lowest(table)
    message = figures.areas_message(ctx, metric, segments, table)
    if message:
        st.info(message)
    widgets.sentiment_source(ctx, metric)
    for _, row in worst.iterrows():
        st.text(
            "• " + area_sentence(row, metric, "estimated" in (ctx.sentiment_source or ""))
        )  # segment values are the file's words: plain text

    st.subheader(UI["areas_ranking"])
    st.caption(UI["areas_ranking_help"].format(min_n=ctx.min_n))
    ranked = table[table["status"] == RANKED].reset_index(drop=True)
    shown = tables.areas_display(ranked, metric)
    picked = widgets.pick_by_id(shown, ranked["label"], "areas_table", "areas.area")
    widgets.table_download(shown, f"lowest_areas_{metric}")
    explained = table[table["status"] == EXPLAINED]
    if not explained.empty:
        with st.expander(UI["areas_explained"].format(n=len(explained))):
            st.dataframe(
                tables.areas_display(explained, metric, explained=True), hide_index=True, width="stretch"
            )
    small = table[table["status"] == SMALL]
    if not small.empty:
        with st.expander(UI["areas_small"].format(n=len(small), min_n=ctx.min_n)):
            st.dataframe(tables.areas_display(small, metric), hide_index=True, width="stretch")

    # No widgets.end_page() here: a stopped run never writes the view back into the address bar.
    if not ranked.empty:
        area = ranked[ranked["label"] == picked].iloc[0]
        st.subheader(UI["areas_drill"])
        st.text(area["label"])  # segment values are the file's words: plain text
        if ctx.batch is not None:
            dataset_pages.area_drill(ctx, area, metric)
        else:
            inside = area_mask(ctx.frame, area["segment"])
            if ctx.frame["date"].notna().any():
                st.markdown(f"**{UI['areas_trend']}**")
                trend = area_trend(ctx.frame, inside, area["label"], UI["areas_rest"], ctx.min_n)
                widgets.show_chart(
                    charts.trend_chart(trend, metric, "month", ctx.min_n, split="group"), "area_trend"
                )
            st.markdown(f"**{UI['areas_themes']}**")
            themes = caches.current_themes(ctx)
            if themes is None:
                widgets.page_link("themes", UI["overview_themes_link"])
            else:
                st.dataframe(themes_in_area(ctx.frame, inside, themes), hide_index=True, width="stretch")
            comments = ctx.frame[inside & ctx.frame["text"].notna()]
            with st.expander(UI["areas_comments"].format(n=len(comments))):
                st.dataframe(tables.preview(comments, rows=len(comments)), hide_index=True, width="stretch")
