"""Themes: what people complain about, in their own words, with the evidence."""

import streamlit as st

from cx import charts, tables
from cx.app import caches, widgets
from cx.app.state import edit_view, setting, theme_settings
from cx.embed import AUTO, MINILM, MULTILINGUAL
from cx.strings import METRICS, UI
from cx.themes import theme_metrics, theme_mix, theme_trend
from cx.view import View


def forget_theme_choice(v: View) -> None:
    """Other themes: a theme filter or a picked theme would name a different group of comments."""
    v.filters.themes = {}
    v.settings.pop("themes.theme", None)


def filter_to(theme_id: int) -> None:
    edit_view(lambda v: setattr(v.filters, "themes", {theme_id: ""}))


ctx = widgets.page_header(UI["page_themes"])
if ctx is not None:
    changed = {"on_change": edit_view, "args": (forget_theme_choice,)}
    c1, c2, c3 = st.columns([2, 2, 3])
    scope = setting(
        c1.segmented_control,
        UI["themes_scope"],
        "themes.scope",
        ["complaints", "all"],
        format_func=lambda v: UI["scope_complaints"] if v == "complaints" else UI["scope_all"],
        **changed,
    )
    k = setting(
        c2.selectbox,
        UI["themes_k"],
        "themes.k",
        ["auto", *range(2, 21)],
        format_func=lambda v: UI["themes_auto"] if v == "auto" else str(v),
        **changed,
    )
    setting(
        c3.selectbox,
        UI["themes_model"],
        "themes.model",
        [AUTO, MULTILINGUAL, MINILM],
        help=UI["themes_model_help"],
        **changed,
    )
    with st.expander(UI["themes_other_model"]):
        if "themes.custom" not in st.session_state:
            st.session_state["themes.custom"] = ctx.view.settings.get("themes.custom", "")
        custom = st.text_input(
            UI["themes_custom_model"], key="themes.custom", placeholder="/path/to/model", **changed
        ).strip()
        if custom:
            ctx.view.settings["themes.custom"] = custom
        else:
            ctx.view.settings.pop("themes.custom", None)
    result = caches.themes_result(ctx.data_key, ctx.dataset.frame, *theme_settings(ctx.view))
    if isinstance(result, str):
        st.warning(result)
        st.stop()
    languages = ", ".join(f"{lang} {tables.fmt_int(n)}" for lang, n in result.languages.items())
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
        scope_word = UI["themes_scope_complaints"] if scope == "complaints" else UI["themes_scope_all"]
        st.caption(UI["themes_filtered"].format(scope=scope_word, n=int(table["n"].sum())))
    order = setting(
        st.segmented_control,
        UI["themes_order"],
        "themes.order",
        ["size", "nps_impact", "csat_impact"],
        format_func=lambda v: UI[f"themes_order_{v}"],
    )
    if order != "size":
        table = table.sort_values([order, "theme_id"]).reset_index(drop=True)
    shown = tables.theme_table(table)
    theme_id = int(
        widgets.pick_by_id(
            shown, table["theme_id"], "themes_table", "themes.theme", column_config=widgets.theme_columns()
        )
    )
    st.caption(UI["themes_table_help"])
    widgets.table_download(shown, "themes")
    theme = table[table["theme_id"] == theme_id].iloc[0]

    st.subheader(UI["theme_title"].format(id=theme_id))
    st.text(str(theme["label"]))  # the label is made of the customers' words: plain text, never Markdown
    scores = [m for m in ("nps", "csat") if ctx.frame[m].notna().any()]  # no card for a score the file lacks
    m1, m2, *score_cols = st.columns(4)
    m1.metric(METRICS["comments"], tables.fmt_int(theme["n"]), border=True)
    m2.metric(UI["share"], tables.fmt_pct(100 * theme["share"]), border=True)
    for col, m in zip(score_cols, scores, strict=False):
        col.metric(METRICS[m], tables.fmt_metric(theme[m], m), border=True)
        col.caption(tables.interval_caption(theme, m, ctx.min_n))
    st.markdown(f"**{UI['theme_quotes']}**")
    with st.container(border=True):
        for quote in theme["quotes"]:
            st.text("“" + quote + "”")  # customer text is data: plain text, never Markdown or HTML
    st.button(
        UI["theme_filter_button"],
        key="theme_filter_button",
        on_click=filter_to,
        args=(theme_id,),
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
        segment = setting(right.selectbox, UI["theme_mix"], "themes.mix", segments)
        with right:
            widgets.show_chart(
                charts.mix_chart(theme_mix(ctx.frame, result, theme_id, segment), segment), "theme_mix"
            )

    members = result.assignments.index[result.assignments["theme_id"] == theme_id]
    comments = ctx.frame.loc[ctx.frame.index.intersection(members)]
    with st.expander(UI["theme_comments"].format(n=len(comments))):
        st.dataframe(tables.preview(comments, rows=len(comments)), hide_index=True, width="stretch")
