"""Themes: what people complain about, in their own words, with the evidence."""

import streamlit as st

from cx import charts, tables
from cx.app import caches, figures, widgets
from cx.app.state import edit_view, setting, theme_settings
from cx.embed import AUTO, MINILM, MULTILINGUAL
from cx.strings import UI
from cx.theme_views import sunburst_chart, theme_display, theme_quotes, two_levels
from cx.themes import other_bucket, theme_metrics, theme_mix, theme_trend
from cx.view import View


def forget_theme_choice(v: View) -> None:
    """Other themes: a theme filter or a picked theme would name a different group of comments."""
    v.filters.themes = {}
    v.settings.pop("themes.theme", None)
    v.settings.pop("themes.sub", None)


def _order(theme_id: str) -> tuple[int, ...]:
    return tuple(int(x) for x in theme_id.split("."))


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
    result = caches.themes_result(ctx.data_key, ctx.dataset.frame, *theme_settings(ctx.view), ctx.view.data)
    if isinstance(result, str):
        st.warning(result)
        widgets.end_page()
    languages = ", ".join(f"{lang} {tables.fmt_int(n)}" for lang, n in result.languages.items())
    st.caption(
        UI["themes_summary"].format(
            n=len(result.assignments),
            k=result.k,
            k_sub=result.k_sub,
            model=result.embedder,
            reason=result.reason,
            languages=languages,
        )
    )
    for note in result.notes:  # the library's own sentences (counts only, no file words)
        st.caption(note)
    table = theme_metrics(ctx.frame, result, ctx.min_n)
    if table.empty:
        st.info(UI["themes_none"])
        widgets.end_page()
    if len(ctx.frame) < ctx.total:
        scope_word = UI["themes_scope_complaints"] if scope == "complaints" else UI["themes_scope_all"]
        grouped = result.pairs.loc[result.pairs["row"].isin(ctx.frame.index), "row"].nunique()
        st.caption(UI["themes_filtered"].format(scope=scope_word, n=grouped))
    order = setting(
        st.segmented_control,
        UI["themes_order"],
        "themes.order",
        ["size"] + [f"{m}_impact" for m in ("nps", "csat") if m in figures.metrics(ctx)],  # what the file has
        format_func=lambda v: UI[f"themes_order_{v}"],
    )
    if order != "size":
        table = table.sort_values([order, "theme_id"]).reset_index(drop=True)
    subs = theme_metrics(ctx.frame, result, ctx.min_n, level="sub")
    left, right = st.columns([3, 2])
    shown = theme_display(table)
    with left:
        theme_id = int(
            widgets.pick_by_id(
                shown,
                table["theme_id"],
                "themes_table",
                "themes.theme",
                column_config=widgets.theme_columns(),
            )
        )
        st.caption(UI["themes_table_help"])
        with st.expander(UI["themes_tree"]):  # both levels: each theme followed by its sub-themes
            st.dataframe(theme_display(two_levels(table, subs)), hide_index=True, width="stretch")
        widgets.table_download(theme_display(two_levels(table, subs)), "themes")
    with right:
        st.markdown(f"**{UI['themes_sunburst']}**")
        widgets.show_chart(sunburst_chart(table, subs), "themes_sunburst")
    other = other_bucket(ctx.frame, result)
    if other["n"]:
        with st.expander(UI["themes_other"].format(n=other["n"], share=other["share"])):
            for quote in other["quotes"]:
                st.text("“" + quote + "”")  # customer text is data: plain text, never Markdown or HTML

    theme = table[table["theme_id"] == theme_id].iloc[0]
    children = subs[subs["parent_id"] == theme_id].sort_values("theme_id", key=lambda ids: ids.map(_order))
    st.subheader(UI["theme_title"].format(id=theme_id))
    st.text(str(theme["label"]))  # the label is made of the customers' words: plain text, never Markdown
    labels = dict(zip(children["theme_id"], children["label"], strict=True))
    level = setting(
        st.selectbox,
        UI["theme_sub"],
        "themes.sub",
        [str(theme_id), *labels],
        format_func=lambda i: UI["theme_sub_all"].format(id=i) if i == str(theme_id) else f"{i}: {labels[i]}",
    )
    picked = theme if level == str(theme_id) else children[children["theme_id"] == level].iloc[0]
    chosen = theme_id if level == str(theme_id) else level
    scores = [m for m in ("nps", "csat") if ctx.frame[m].notna().any()]  # no card for a score the file lacks
    widgets.theme_cards(picked, scores, ctx.min_n)
    st.markdown(f"**{UI['theme_quotes']}**")
    with st.container(border=True):
        for i, quote in theme_quotes(ctx.frame, result, chosen).iterrows():
            st.text("“" + quote["excerpt"] + "”")  # customer text is data: plain text, never Markdown
            with st.expander(UI["theme_whole"], key=f"whole_{chosen}_{i}"):
                st.text(quote["comment"])
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
                charts.theme_trend_chart(theme_trend(ctx.frame, result, chosen)), "theme_trend"
            )
    segments = widgets.segment_columns(ctx.frame)
    if segments:
        segment = setting(right.selectbox, UI["theme_mix"], "themes.mix", segments)
        with right:
            widgets.show_chart(
                charts.mix_chart(theme_mix(ctx.frame, result, chosen, segment), segment), "theme_mix"
            )

    comments = ctx.frame.loc[ctx.frame.index.intersection(result.members(chosen))]
    with st.expander(UI["theme_comments"].format(n=len(comments))):
        st.dataframe(tables.preview(comments, rows=len(comments)), hide_index=True, width="stretch")
