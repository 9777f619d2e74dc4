"""Overview: the headline metrics the file has (with intervals and n), lowest areas, splits, monthly trends."""

import streamlit as st

from cx import charts, tables
from cx.app import caches, figures, widgets
from cx.areas import AREA_METRICS
from cx.strings import METRICS, UI

ALERTS_SHOWN = 5
ctx = widgets.page_header(UI["page_overview"])
if ctx is not None:
    if alert_lines := caches.overview_alerts(ctx):  # what moved in the latest month, first
        # The strongest few, readable at a glance; What changed lists them all.
        lines = [widgets.md_escape(line) for line in alert_lines[:ALERTS_SHOWN]]
        hidden = len(alert_lines) - ALERTS_SHOWN
        lines.append(UI["alerts_more_n"].format(n=hidden) if hidden > 0 else UI["alerts_more"])
        st.warning("  \n".join(lines), icon=":material/notifications_active:")
    s = widgets.overall(ctx)
    source = ctx.sentiment_source
    scored = [m for m in figures.metrics(ctx) if m != "volume"]  # volume: the two count cards
    cols = st.columns(len(scored) + 2)
    for col, metric in zip(cols, scored, strict=False):
        with col:
            value = (
                tables.fmt_pct(s[metric]) if metric == "sentiment" else tables.fmt_metric(s[metric], metric)
            )
            label = tables.metric_label(metric, source)
            st.metric(label, value, help=METRICS[f"{metric}_help"], border=True)
            st.caption(tables.interval_caption(s, metric, ctx.min_n))
    cols[-2].metric(METRICS["responses"], tables.fmt_int(s["n"]), help=METRICS["responses_help"], border=True)
    cols[-1].metric(
        METRICS["comments"], tables.fmt_int(s["comments"]), help=METRICS["comments_help"], border=True
    )
    widgets.sentiment_source(ctx, "sentiment" if "sentiment" in scored else None)

    segments = figures.segments(ctx)
    if segments:
        st.subheader(UI["overview_areas"])
        ranked = [m for m in scored if m in AREA_METRICS]
        for metric in ranked:
            for line in figures.area_lines(ctx, metric, segments, "estimated" in (source or "")):
                st.text(line)  # segment values are the file's words
        if not ranked:
            st.text(figures.areas_message(ctx, "nps", segments))
        widgets.page_link("areas", UI["overview_areas_link"])

    # Charts are shared by every session on the same data and filters (built once per process).
    if s["n_nps"]:
        st.subheader(UI["split_title"])
        widgets.shared_chart(ctx, "nps_split", lambda: charts.split_chart(s, "nps"))
    if s["n_sentiment"] and source and "estimated" not in source:  # the estimate has no neutral/positive
        st.subheader(UI["sentiment_split_title"])
        widgets.shared_chart(ctx, "sentiment_split", lambda: charts.split_chart(s, "sentiment"))

    if figures.has_dates(ctx):
        st.subheader(UI["trend_title"])
        shown = scored or ["volume"]
        for start in range(0, len(shown), 2):  # two charts a row: each stays wide enough to read
            pair = shown[start : start + 2]
            for col, metric in zip(st.columns(2), pair, strict=False):
                col.markdown(f"**{tables.metric_label(metric, source)}**")
                with col:
                    widgets.shared_chart(
                        ctx,
                        f"{metric}_by_month",
                        lambda m=metric: charts.trend_chart(
                            figures.table_by(ctx, "month"), m, "month", ctx.min_n
                        ),
                    )
        legend = "trend_legend_volume" if shown == ["volume"] else "trend_legend"
        st.caption(UI[legend].format(min_n=ctx.min_n, basis=s["volume_basis"]))
        widgets.year_only_note(ctx, "month")
    else:
        st.info(UI["no_dates"])

    st.subheader(UI["overview_themes_all" if figures.all_comments(ctx) else "overview_themes"])
    top = widgets.top_themes(ctx) if s["comments"] else None
    if not s["comments"]:  # scores without text: no link to a page that has nothing to group
        st.text(UI["overview_no_comments"])
    elif top is not None:
        for col, (_, theme) in zip(st.columns(3), top.iterrows(), strict=False):
            with col.container(border=True):
                st.text(f"{theme['label']}")  # labels are the customers' own words: plain text
                size = UI["theme_size_all" if figures.all_comments(ctx) else "theme_size"]
                st.caption(size.format(n=int(theme["n"]), share=100 * theme["share"]))
                if len(theme["quotes"]):
                    st.text("“" + theme["quotes"][0] + "”")
