"""The Codeframe page's glue: the store, the chosen codeframe (kept in the view), edits run from buttons
with their outcome kept as one message for the next run, and apply cached per codeframe version and data.

Everything a codeframe does is in cx/codeframe.py (the CLI uses the same functions); here are only the
Streamlit parts: callbacks, session state, a per-process cache.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd
import streamlit as st

from cx import codeframe as cf
from cx.app.caches import embedding_cache, themes_result
from cx.app.markup import md_escape
from cx.app.state import Context, edit_view, theme_settings
from cx.store import Store, StoreError, cx_home
from cx.strings import UI
from cx.view import View

MESSAGE = "cf_message"  # session state: (ok?, text) of the last action, shown once on the next run
# What an action can meet that is not a bug: a plain sentence (CodeframeError), a store that cannot be
# written (StoreError is an OSError), a database locked too long, a model that cannot be loaded.
FAILURES = (ValueError, OSError, sqlite3.Error)
_APPLIED: OrderedDict[tuple, cf.Applied | str] = OrderedDict()
_APPLIED_LOCK = threading.Lock()
APPLIED_ENTRIES = 8


def open_store() -> Store | str:
    """The store under CX_HOME, or the plain sentence saying why it cannot be used."""
    try:
        return Store()
    except StoreError as exc:
        return str(exc)


def say(ok: bool, text: str) -> None:
    st.session_state[MESSAGE] = (ok, text)


def show_message() -> None:
    """The outcome of the last action, once (the texts hold labels made of customers' words: escaped)."""
    ok, text = st.session_state.pop(MESSAGE, (None, ""))
    if ok is True:
        st.success(md_escape(text), icon=":material/check_circle:")
    elif ok is False:
        st.error(md_escape(text), icon=":material/error:")


def _show(v: View, name: str, version: int | None = None) -> None:
    v.codeframe, v.codeframe_version = name, version


def _done(codeframe: cf.Codeframe, message: str | None = None) -> None:
    say(True, message or UI["cf_done"].format(version=codeframe.version, note=codeframe.note))
    edit_view(lambda v: _show(v, codeframe.name))  # the new version is the latest: show it


def run_edit(make: Callable[[Store, str], cf.Codeframe]) -> None:
    """A button's callback: make one edit (a new version) with the user's note, and keep its note for
    the next run, or the plain reason it failed."""
    try:
        codeframe = make(Store(), value("cf_note") or "")
    except FAILURES as exc:
        say(False, str(exc))
        return
    st.session_state["cf_note"] = ""  # the note was for this edit
    _done(codeframe)


def value(key: str, default=None):
    return st.session_state.get(key, default)


def rename(name: str) -> None:
    run_edit(lambda s, note: cf.rename(name, value("cf_theme"), value("cf_label", ""), s, note=note))


def merge(name: str) -> None:
    label = (value("cf_merge_label") or "").strip() or None
    ids = value("cf_merge_ids") or []
    run_edit(lambda s, note: cf.merge(name, ids, label, s, cache=embedding_cache(), note=note))


def split(name: str) -> None:
    k = int(value("cf_split_k") or 2)
    run_edit(lambda s, note: cf.split(name, value("cf_theme"), k, s, cache=embedding_cache(), note=note))


def delete(name: str) -> None:
    run_edit(lambda s, note: cf.delete(name, value("cf_theme"), s, note=note))


def add(name: str) -> None:
    phrases = [line.strip() for line in (value("cf_add_examples") or "").splitlines() if line.strip()]
    label = value("cf_add_label") or ""
    run_edit(lambda s, note: cf.add(name, label, phrases, store=s, cache=embedding_cache(), note=note))


def add_candidate(name: str, candidate: dict) -> None:
    run_edit(lambda s, note: cf.add_candidate(name, candidate, store=s, cache=embedding_cache(), note=note))


def revert(name: str) -> None:
    run_edit(lambda s, note: cf.revert(name, int(value("cf_revert_to") or 1), s, note=note))


def pick(key: str) -> None:
    """The picker's callback: another codeframe (its latest version), or another version of this one."""
    if key == "cf_pick":
        edit_view(lambda v: _show(v, value(key)))
    else:
        edit_view(lambda v: setattr(v, "codeframe_version", value(key) or None))  # 0: the latest


def import_upload() -> None:
    """The Import button's callback: a JSON file saved as a new codeframe, or why it cannot be."""
    upload = value("cf_import_file")
    if upload is None:
        say(False, UI["cf_import_missing"])
        return
    text = upload.getvalue().decode("utf-8", errors="replace")
    try:
        codeframe = cf.import_text(text, upload.name, value("cf_import_name") or None, Store())
    except FAILURES as exc:
        say(False, str(exc))
        return
    _done(codeframe, UI["cf_imported"].format(name=codeframe.name, k=len(codeframe.themes)))


def save_current(ctx: Context, store: Store, name: str) -> None:
    """Save the themes the Themes page shows for this data and settings (computed now if they are not yet)."""
    if not name.strip():
        say(False, UI["cf_name_missing"])
        return
    all_comments = theme_settings(ctx.view)[0]
    result = themes_result(ctx.data_key, ctx.dataset.frame, *theme_settings(ctx.view), ctx.view.data)
    if isinstance(result, str):
        say(False, result)
        return
    try:
        codeframe = cf.save_from_themes(
            ctx.dataset.frame, result, name, all_comments=all_comments, store=store, cache=embedding_cache()
        )
    except FAILURES as exc:
        say(False, str(exc))
        return
    say(True, UI["cf_saved"].format(name=codeframe.name, k=len(codeframe.themes)))
    _show(ctx.view, codeframe.name)


def theme_table(codeframe: cf.Codeframe) -> pd.DataFrame:
    """The themes of one version as the page shows them: id, label, comments, examples, keywords."""
    return pd.DataFrame(
        {
            "theme_id": codeframe.ids(),
            "label": [t.label for t in codeframe.themes],
            "comments": [t.n for t in codeframe.themes],
            "examples": [len(t.examples) for t in codeframe.themes],
            "keywords": [", ".join(t.keywords) for t in codeframe.themes],
        }
    )


def export_name(codeframe: cf.Codeframe) -> str:
    """A file name for the download: the codeframe's name (letters, digits, - _ .) and its version."""
    stem = re.sub(r"[^\w.-]+", "_", codeframe.name).strip("._") or "codeframe"
    return f"{stem}-v{codeframe.version}.json"


def _when(seconds: pd.Series) -> pd.Series:
    return pd.to_datetime(seconds, unit="s", utc=True).dt.strftime("%Y-%m-%d %H:%M UTC")


def list_table(store: Store) -> pd.DataFrame:
    """Every codeframe in the store: name, latest version, its themes, when and why it was saved."""
    table = cf.names(store)
    table["updated"] = _when(table["updated"])
    return table[["name", "version", "themes", "updated", "note"]]


def history_table(name: str, store: Store) -> pd.DataFrame:
    table = cf.history(name, store)
    table["created"] = _when(table["created"])
    return table.rename(columns={"created": "time"})[["version", "time", "note", "themes"]]


def applied(ctx: Context, codeframe: cf.Codeframe) -> cf.Applied | str:
    """`cf.apply` of this version to the filtered rows (cached per version and filters), or why not."""
    key = (str(cx_home()), codeframe.name, codeframe.version, codeframe.created, ctx.data_key)
    key += (repr(ctx.filters),)
    with _APPLIED_LOCK:
        if key in _APPLIED:
            _APPLIED.move_to_end(key)
            return _APPLIED[key]
    try:
        with st.spinner(UI["cf_applying"]):
            result = cf.apply(codeframe, ctx.frame, cache=embedding_cache())
    except FAILURES as exc:
        return str(exc)
    with _APPLIED_LOCK:
        _APPLIED[key] = result
        while len(_APPLIED) > APPLIED_ENTRIES:
            _APPLIED.popitem(last=False)
    return result
