"""Presentation mode: one message per screen, large type, no controls but the slide buttons."""

import streamlit as st

from cx import charts, tables
from cx.app import caches, state, widgets
from cx.areas import AREA_METRICS, area_sentence, areas_message, lowest
from cx.changes import METRIC_NAMES, part_lines, period_rows
from cx.metrics import available_metrics, metrics_by
from cx.strings import METRICS, UI
from cx.themes import theme_metrics

ctx = state.context()
if ctx.missing:
    widgets.missing_data()
    widgets.end_page()
slides = list(UI["present_slides"])
slides.insert(2, UI["present_slide_changes"])  # headline, trend, what changed, lowest areas, themes
slide = state.setting(
    st.segmented_control, UI["present_slide"], "present.slide", slides, label_visibility="collapsed"
)
if ctx.dataset is None:
    st.error(UI["load_failed"].format(message=widgets.md_escape(" ".join(ctx.errors))))
    widgets.end_page()
s = widgets.overall(ctx)
st.caption(  # the file's names and values are the user's words: escaped where Streamlit reads Markdown
    f"{widgets.md_escape(ctx.source)} · "
    + UI["filter_count"].format(n=len(ctx.frame), total=ctx.total)
    + (
        ""
        if ctx.filters.is_empty()
        else " " + UI["filter_summary"].format(summary=widgets.md_escape(ctx.filters.summary()))
    )
)
source = ctx.dataset.sentiment_source
metrics = [m for m in available_metrics(ctx.frame) if m != "volume"]
if slide == slides[0]:
    cols = st.columns(len(metrics) + 1, border=True)
    for col, m in zip(cols, metrics, strict=False):
        col.subheader(tables.metric_label(m, source))
        value = tables.fmt_pct(s[m]) if m == "sentiment" else tables.fmt_metric(s[m], m)
        col.title(value)  # our numbers: large type
        col.caption(tables.interval_caption(s, m, ctx.min_n))
    cols[-1].subheader(METRICS["responses"])
    cols[-1].title(tables.fmt_int(s["n"]))
    cols[-1].caption(f"{tables.fmt_int(s['comments'])} {METRICS['comments'].lower()}")
    widgets.sentiment_source(ctx, "sentiment" if "sentiment" in metrics else None)
elif slide == slides[1]:
    st.title(UI["trend_title"])
    if not ctx.frame["date"].notna().any():
        st.info(UI["no_dates"])
    else:
        table = metrics_by(ctx.frame, "month", ctx.min_n)
        for m in metrics or ["volume"]:
            st.subheader(tables.metric_label(m, source))
            st.altair_chart(charts.trend_chart(table, m, "month", ctx.min_n), width="stretch")
elif slide == slides[2]:
    st.title(UI["present_slide_changes"])
    result = caches.latest_change(ctx)
    if isinstance(result, str):
        st.info(widgets.md_escape(result))  # why there is no comparison, in a plain sentence
    else:
        cols = st.columns(3, border=True)
        for col, (period, value, interval, n) in zip(cols, period_rows(result), strict=True):
            name = tables.metric_label("sentiment", source) if result.metric == "sentiment" else None
            col.subheader(f"{name or METRIC_NAMES[result.metric]} · {period}")
            col.title(value)
            col.caption(f"{UI['report_changes_interval']} {interval}" + (f" · n = {n}" if n else ""))
        lines = [result.sentence, *part_lines(result, rows=3)]
        st.altair_chart(charts.big_text(lines, size=24, width=70), width="stretch")
elif slide == slides[3]:
    st.title(UI["overview_areas"])
    segments = widgets.segment_columns(ctx.frame)
    ranked = [m for m in metrics if m in AREA_METRICS] if segments else []
    likely = "estimated" in (source or "")
    lines = [area_sentence(r, m, likely) for m in ranked for _, r in lowest(caches.areas(ctx, m)).iterrows()]
    if not lines:  # why not, in words true for this file (never "below on NPS" for a file without NPS)
        first = ranked[0] if ranked else next((m for m in metrics if m in AREA_METRICS), "nps")
        table = caches.areas(ctx, first) if ranked else None
        lines = [areas_message(ctx.frame, first, segments, table, ctx.min_n) or ""]
    st.altair_chart(charts.big_text(lines, size=28, width=60), width="stretch")
else:
    st.title(UI["overview_themes"])
    # The slide the presenter chose: compute the view's themes if this session has not (a new tab).
    result = caches.themes_result(
        ctx.data_key, ctx.dataset.frame, *state.theme_settings(ctx.view), ctx.view.data
    )
    if isinstance(result, str):
        st.warning(result)
    elif (top := theme_metrics(ctx.frame, result, ctx.min_n).head(3)).empty:
        st.info(UI["themes_none"])
    else:
        lines = []
        for _, theme in top.iterrows():
            lines += [
                UI["theme_line"].format(label=theme["label"], n=int(theme["n"])),
                f"   “{theme['quotes'][0]}”",
            ]
        st.altair_chart(charts.big_text(lines, size=26, width=64), width="stretch")
st.link_button(UI["present_exit"], state.present_link(exit=True), type="tertiary")
