"""Overview: headline NPS and CSAT with intervals and n, the NPS split, the monthly trend."""

import streamlit as st

from cx import charts, tables
from cx.app import caches, widgets
from cx.areas import area_sentence, lowest
from cx.metrics import metrics_by
from cx.strings import METRICS, UI

ctx = widgets.page_header(UI["page_overview"])
if ctx is not None:
    s = widgets.overall(ctx)
    cols = st.columns(4)
    with cols[0]:
        st.metric(METRICS["nps"], tables.fmt_nps(s["nps"]), help=METRICS["nps_help"], border=True)
        st.caption(tables.interval_caption(s, "nps", ctx.min_n))
    with cols[1]:
        st.metric(METRICS["csat"], tables.fmt_pct(s["csat"]), help=METRICS["csat_help"], border=True)
        st.caption(tables.interval_caption(s, "csat", ctx.min_n))
    cols[2].metric(METRICS["responses"], tables.fmt_int(s["n"]), help=METRICS["responses_help"], border=True)
    cols[3].metric(
        METRICS["comments"], tables.fmt_int(s["comments"]), help=METRICS["comments_help"], border=True
    )

    segments = widgets.segment_columns(ctx.frame)
    if segments:
        st.subheader(UI["overview_areas"])
        for metric in [m for m in ("nps", "csat") if s[f"n_{m}"]]:
            worst = lowest(caches.areas(ctx, metric))
            if worst.empty:
                st.text(UI["areas_none_low"].format(metric=METRICS[metric]))
            for _, row in worst.iterrows():
                st.text("• " + area_sentence(row, metric))  # segment values are the file's words
        widgets.page_link("areas", UI["overview_areas_link"])

    if s["n_nps"]:
        st.subheader(UI["split_title"])
        widgets.show_chart(charts.nps_split_chart(s), "nps_split")

    if ctx.frame["date"].notna().any():
        st.subheader(UI["trend_title"])
        table = metrics_by(ctx.frame, "month", ctx.min_n)
        metrics = [m for m in ("nps", "csat") if s[f"n_{m}"]]
        for col, metric in zip(st.columns(len(metrics)), metrics, strict=True):
            col.markdown(f"**{METRICS[metric]}**")
            with col:
                widgets.show_chart(
                    charts.trend_chart(table, metric, "month", ctx.min_n), f"{metric}_by_month"
                )
        st.caption(UI["trend_legend"].format(min_n=ctx.min_n))
    else:
        st.info(UI["no_dates"])

    st.subheader(UI["overview_themes"])
    top = widgets.top_themes(ctx)
    if top is not None:
        for col, (_, theme) in zip(st.columns(3), top.iterrows(), strict=False):
            with col.container(border=True):
                st.text(f"{theme['label']}")  # labels are the customers' own words: plain text
                st.caption(UI["theme_size"].format(n=int(theme["n"]), share=100 * theme["share"]))
                st.text("“" + theme["quotes"][0] + "”")
