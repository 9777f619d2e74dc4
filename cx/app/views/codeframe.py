"""Codeframe: the themes a team keeps. Save the current themes, edit them (each edit a version), go back
to any version, apply one to this data, export and import."""

import streamlit as st

from cx import codeframe as cf
from cx.app import codeframes as glue
from cx.app import widgets
from cx.app.state import theme_settings
from cx.strings import UI

SECTIONS = ["edit", "history", "apply", "files"]
COLUMNS = ["theme_id", "label", "comments", "examples", "keywords", "name", "version", "themes"]
COLUMNS += ["updated", "note", "time", "status", "share"]


def local_headers(table):
    """A table of the library with its headers in the run's language (its cells are data: unchanged)."""
    return table.rename(columns={c: UI[f"cf_col_{c}"] for c in COLUMNS if c in table.columns})


def share_column() -> dict:
    return {UI["cf_col_share"]: st.column_config.NumberColumn(UI["cf_col_share"], format="%.1f %%")}


def plain_error(text: str) -> None:
    st.error(widgets.md_escape(text), icon=":material/error:")


def import_box() -> None:
    st.file_uploader(UI["cf_import"], type=["json"], key="cf_import_file")
    st.text_input(UI["cf_import_name"], key="cf_import_name")
    st.button(UI["cf_import_button"], key="cf_import_button", on_click=glue.import_upload)


ctx = widgets.page_header(UI["page_codeframe"])
if ctx is not None:
    st.caption(UI["cf_intro"])
    store = glue.open_store()
    if isinstance(store, str):
        plain_error(UI["cf_store_failed"].format(message=store))
        widgets.end_page()
    with st.expander(UI["cf_save_header"], expanded=not ctx.view.codeframe):
        scope, k, model = theme_settings(ctx.view)
        scope_word = UI["scope_all"] if scope else UI["scope_complaints"]
        st.caption(widgets.md_escape(UI["cf_save_help"].format(scope=scope_word, k=k, model=model)))
        new_name = st.text_input(UI["cf_name"], key="cf_name")
        if st.button(UI["cf_save"], key="cf_save", icon=":material/bookmark_add:"):
            glue.save_current(ctx, store, new_name)
    glue.show_message()
    try:
        saved = glue.list_table(store)
        names = saved["name"].tolist()
        if not names:
            st.info(UI["cf_none"])
            import_box()
            widgets.end_page()
        with st.expander(UI["cf_all"].format(n=len(names))):
            st.dataframe(local_headers(saved), hide_index=True, width="stretch")
        if ctx.view.codeframe and ctx.view.codeframe not in names:
            missing = UI["cf_not_found"].format(name=ctx.view.codeframe, shown=names[0])
            st.warning(widgets.md_escape(missing))
        name = ctx.view.codeframe if ctx.view.codeframe in names else names[0]
        history = glue.history_table(name, store)
        versions = history["version"].tolist()
        latest = versions[-1]
        version = ctx.view.codeframe_version if ctx.view.codeframe_version in versions[:-1] else None
        ctx.view.codeframe, ctx.view.codeframe_version = name, version
        st.session_state["cf_pick"], st.session_state["cf_version"] = name, version or 0  # 0: the latest
        c1, c2 = st.columns([3, 1])
        c1.selectbox(UI["cf_pick"], names, key="cf_pick", on_change=glue.pick, args=("cf_pick",))
        c2.selectbox(
            UI["cf_version"],
            [0, *reversed(versions[:-1])],
            key="cf_version",
            format_func=lambda v: UI["cf_latest"].format(version=latest) if v == 0 else str(v),
            on_change=glue.pick,
            args=("cf_version",),
        )
        codeframe = cf.load(name, version, store)
        current = cf.load(name, store=store) if version else codeframe
    except glue.FAILURES as exc:
        plain_error(str(exc))
        widgets.end_page()
    shown = UI["cf_shown"].format(
        version=codeframe.version,
        latest=latest,
        n=len(codeframe.themes),
        model=codeframe.embedder_model,
        note=codeframe.note,
    )
    st.caption(widgets.md_escape(shown))
    if version is not None:
        st.caption(UI["cf_old_version"].format(latest=latest))
    st.dataframe(local_headers(glue.theme_table(codeframe)), hide_index=True, width="stretch")
    section = st.segmented_control(
        UI["cf_section"],
        SECTIONS,
        key="cf_section",
        default="edit",
        format_func=lambda s: UI[f"cf_section_{s}"],
    )
    if section != "files":  # every edit (a version) may carry the user's note
        st.text_input(UI["cf_note"], key="cf_note", max_chars=200, placeholder=UI["cf_note_hint"])
    if section in (None, "edit"):  # edits change the latest version
        labels = {t.id: f"{t.id} · {t.label}" for t in current.themes}
        left, right = st.columns(2)
        left.selectbox(UI["cf_theme"], list(labels), key="cf_theme", format_func=labels.get)
        left.text_input(UI["cf_label"], key="cf_label")
        b1, b2 = left.columns(2)
        b1.button(UI["cf_rename"], key="cf_rename", on_click=glue.rename, args=(name,))
        b2.button(
            UI["cf_delete"], key="cf_delete", on_click=glue.delete, args=(name,), icon=":material/delete:"
        )
        left.number_input(UI["cf_split_k"], min_value=2, max_value=10, value=2, key="cf_split_k")
        left.button(UI["cf_split"], key="cf_split", on_click=glue.split, args=(name,))
        right.multiselect(
            UI["cf_themes"],
            list(labels),
            key="cf_merge_ids",
            format_func=labels.get,
            help=UI["cf_merge_help"],
        )
        right.text_input(UI["cf_merge_label"], key="cf_merge_label")
        right.button(UI["cf_merge"], key="cf_merge", on_click=glue.merge, args=(name,))
        right.text_input(UI["cf_add_label"], key="cf_add_label")
        right.text_area(UI["cf_add_examples"], key="cf_add_examples", height=100)
        right.button(UI["cf_add"], key="cf_add", on_click=glue.add, args=(name,))
    elif section == "history":
        st.dataframe(local_headers(history), hide_index=True, width="stretch")
        st.selectbox(UI["cf_history_pick"], list(reversed(versions)), key="cf_revert_to")
        st.button(
            UI["cf_revert"], key="cf_revert", on_click=glue.revert, args=(name,), icon=":material/undo:"
        )
    elif section == "apply":
        applied = glue.applied(ctx, codeframe)
        if isinstance(applied, str):
            plain_error(applied)
            widgets.end_page()
        table = cf.counts(applied)
        total, new = len(applied.assignments), int(table["n"].iloc[-1])
        st.caption(UI["cf_apply_summary"].format(total=total, known=total - new, new=new))
        st.dataframe(local_headers(table), hide_index=True, width="stretch", column_config=share_column())
        st.subheader(UI["cf_candidates"])
        if applied.candidates.empty:
            st.caption(UI["cf_candidates_none"])
        columns = st.columns(2)
        for i, row in enumerate(applied.candidates.to_dict("records")):
            with columns[i % 2].container(border=True):
                st.text(
                    UI["cf_candidate"].format(label=row["label"], n=row["n"])
                )  # customers' words: plain text
                for quote in row["quotes"]:
                    st.text("“" + quote + "”")
                st.button(
                    UI["cf_add_candidate"],
                    key=f"cf_add_{row['candidate']}",
                    on_click=glue.add_candidate,
                    args=(name, row),
                )
    else:
        st.download_button(
            UI["cf_export"],
            cf.to_json(codeframe).encode("utf-8"),
            file_name=glue.export_name(codeframe),
            mime="application/json",
            key="cf_export",
            icon=":material/download:",
        )
        import_box()
