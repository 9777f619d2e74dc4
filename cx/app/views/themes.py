"""Themes: what people complain about, in their own words, with the evidence."""

import streamlit as st

from cx import charts, tables
from cx.app import caches, widgets
from cx.embed import AUTO, MINILM, MULTILINGUAL
from cx.strings import METRICS, UI
from cx.themes import theme_metrics, theme_mix, theme_trend

ctx = widgets.page_header(UI["page_themes"])
if ctx is not None:
    c1, c2, c3 = st.columns([2, 2, 3])
    scope = (
        c1.segmented_control(
            UI["themes_scope"],
            ["complaints", "all"],
            default="complaints",
            key="themes_scope",
            format_func=lambda v: UI["scope_complaints"] if v == "complaints" else UI["scope_all"],
        )
        or "complaints"
    )
    k = c2.selectbox(
        UI["themes_k"],
        ["auto", *range(2, 21)],
        key="themes_k",
        format_func=lambda v: UI["themes_auto"] if v == "auto" else str(v),
    )
    model = c3.selectbox(
        UI["themes_model"], [AUTO, MULTILINGUAL, MINILM], key="themes_model", help=UI["themes_model_help"]
    )
    with st.expander(UI["themes_other_model"]):
        custom = st.text_input(UI["themes_custom_model"], key="themes_custom", placeholder="/path/to/model")
    custom = custom.strip()
    result = caches.themes_result(ctx, scope == "all", k, custom or model)
    if isinstance(result, str):
        st.warning(result)
        st.stop()
    languages = ", ".join(f"{lang} {n:,}" for lang, n in result.languages.items())
    st.caption(
        UI["themes_summary"].format(
            n=len(result.assignments),
            k=result.k,
            model=result.embedder,
            reason=result.reason,
            languages=languages,
        )
    )
    table = theme_metrics(ctx.frame, result, ctx.min_n)
    if table.empty:
        st.info(UI["themes_none"])
        st.stop()
    if len(ctx.frame) < ctx.total:
        st.caption(
            UI["themes_filtered"].format(
                scope="complaint" if scope == "complaints" else "comment", n=int(table["n"].sum())
            )
        )
    order = (
        st.segmented_control(
            UI["themes_order"],
            ["size", "nps_impact", "csat_impact"],
            default="size",
            key="themes_order",
            format_func=lambda v: UI[f"themes_order_{v}"],
        )
        or "size"
    )
    if order != "size":
        table = table.sort_values([order, "theme_id"]).reset_index(drop=True)
    shown = tables.theme_table(table)
    picked = widgets.pick_row(shown, "themes_table", column_config=widgets.THEME_COLUMNS)
    st.caption(UI["themes_table_help"])
    widgets.table_download(shown, "themes")
    theme = table.iloc[picked]
    theme_id, label = int(theme["theme_id"]), str(theme["label"])

    st.subheader(UI["theme_title"].format(id=theme_id))
    st.text(label)  # the label is made of the customers' words: plain text, never Markdown
    m1, m2, m3, m4 = st.columns(4)
    m1.metric(METRICS["comments"], f"{int(theme['n']):,}", border=True)
    m2.metric("Share", f"{100 * theme['share']:.0f} %", border=True)
    m3.metric(METRICS["nps"], tables.fmt_nps(theme["nps"]), border=True)
    m3.caption(tables.interval_caption(theme, "nps", ctx.min_n))
    m4.metric(METRICS["csat"], tables.fmt_pct(theme["csat"]), border=True)
    m4.caption(tables.interval_caption(theme, "csat", ctx.min_n))
    st.markdown(f"**{UI['theme_quotes']}**")
    with st.container(border=True):
        for quote in theme["quotes"]:
            st.text("“" + quote + "”")  # customer text is data: plain text, never Markdown or HTML
    st.button(
        UI["theme_filter_button"],
        key="theme_filter_button",
        on_click=caches.set_theme_filter,
        args=(ctx, result, theme_id, label),
        icon=":material/filter_alt:",
    )

    left, right = st.columns(2)
    if ctx.frame["date"].notna().any():
        left.markdown(f"**{UI['theme_trend']}**")
        with left:
            widgets.show_chart(
                charts.theme_trend_chart(theme_trend(ctx.frame, result, theme_id)), "theme_trend"
            )
    segments = widgets.segment_columns(ctx.frame)
    if segments:
        segment = right.selectbox(UI["theme_mix"], segments, key="theme_mix_segment")
        with right:
            widgets.show_chart(
                charts.mix_chart(theme_mix(ctx.frame, result, theme_id, segment), segment), "theme_mix"
            )

    members = result.assignments.index[result.assignments["theme_id"] == theme_id]
    comments = ctx.frame.loc[ctx.frame.index.intersection(members)]
    with st.expander(UI["theme_comments"].format(n=len(comments))):
        st.dataframe(tables.preview(comments, rows=len(comments)), hide_index=True, width="stretch")
