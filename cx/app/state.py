"""The view of this session (cx/view.py), kept in session state as plain query parameters and mirrored
in the URL after every run; the context a page reads.

The flow of one run: `start_view()` reads the view (the session's, or the URL's on a session's first run,
so a link or a new tab opens the same view); the sidebar and the page draw widgets seeded from it and write
their values back (`setting`); `save_view()` stores it and puts it in the address bar. Callbacks, which run
before the script, change the stored view with `edit_view`.

Why not Streamlit's `bind="query-params"`: a bound parameter leaves the URL when its widget is not drawn
(a page switch drops the parameters bound to other pages), so the link would lose every page's settings
but the current page's; and bound parameters cannot be written through `st.query_params`. The view needs
all of them in the link at all times, so it writes the URL itself, in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import pandas as pd
import streamlit as st

from cx import i18n
from cx.embed import AUTO, MINILM, MULTILINGUAL
from cx.filters import Filters
from cx.schema import Dataset
from cx.view import View

if TYPE_CHECKING:
    from cx.app.datasets import Shared
    from cx.app.loading import FileInfo


class PageEnd(Exception):  # noqa: N818 - not an error: the page has said all it can
    """Ends a page early (see `end_page`)."""


def end_page() -> NoReturn:
    """End this page here. Not st.stop(): a stopped run drops every message after it, and so the view's
    query parameters that main() writes back at the end of the run: the link would lose its settings."""
    raise PageEnd


VIEW_KEY = "cx_view"  # session state: the view as query parameters (plain lists of strings)
_VIEW: ContextVar[View] = ContextVar("cx_view")
_CONTEXT: ContextVar[Context] = ContextVar("cx_context")


@dataclass
class Context:
    """Everything a page needs for this run (lives for one run, never in session state)."""

    view: View
    dataset: Dataset | None
    frame: pd.DataFrame  # filtered canonical frame
    source: str
    files: list[FileInfo]
    errors: list[str]
    notes: list[str]
    is_sample: bool
    data_key: str = ""  # changes when the files, their sheets or their column roles change
    missing: list[str] = field(default_factory=list)  # data hashes of the link that this server does not keep
    batch: Shared | None = (
        None  # a batch folder opened instead of uploads (then `dataset` is None, `frame` empty)
    )
    dataset_error: str = ""  # why the link's batch folder cannot be opened (a sentence for the page)

    @property
    def filters(self) -> Filters:
        return self.view.filters

    @property
    def min_n(self) -> int:
        return self.view.min_n

    @property
    def total(self) -> int:
        if self.batch is not None:
            return self.batch.source.rows
        return 0 if self.dataset is None else len(self.dataset.frame)

    @property
    def sentiment_source(self) -> str | None:
        source = self.batch.source if self.batch is not None else self.dataset
        return None if source is None else source.sentiment_source


def url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def browser_language() -> str:
    """The interface language the browser asks for (es-* → es, gl-* → gl, anything else → en)."""
    try:
        return i18n.from_locale(st.context.locale)
    except Exception:  # no browser behind this run (a bare script run): English
        return i18n.DEFAULT


def start_view() -> View:
    """The view of this run: the session's, or the URL's on the session's first run.

    Sets the language of the run (the view's, else the browser's) before anything is drawn, and keeps it
    in the view, so a link opens in the language it was shared in.
    """
    saved = st.session_state.get(VIEW_KEY)
    view = View.from_params(saved if saved is not None else url_params())
    view.lang = i18n.set_language(view.lang or browser_language())
    _VIEW.set(view)
    return view


def view() -> View:
    return _VIEW.get()


def save_view() -> None:
    """Keep the view for the next run and put it in the address bar (only when it changed)."""
    params = view().to_params()
    st.session_state[VIEW_KEY] = params
    if url_params() != params:
        st.query_params.from_dict(params)


def edit_view(change: Callable[[View], None]) -> None:
    """Change the stored view from a callback (callbacks run before the script reads the view)."""
    saved = st.session_state.get(VIEW_KEY)
    current = View.from_params(saved if saved is not None else url_params())
    change(current)
    st.session_state[VIEW_KEY] = current.to_params()


def context() -> Context:
    """This run's context, built by `main()` before the page runs."""
    return _CONTEXT.get()


def set_context(ctx: Context) -> None:
    _CONTEXT.set(ctx)


def presenting() -> bool:
    return view().present


def encode(value: Any) -> str:
    return "" if value is None else str(value)


def setting(draw: Callable, label: str, key: str, options: Sequence, default: Any = None, **kwargs) -> Any:
    """A single-choice widget (selectbox, segmented_control, radio) whose value lives in the view.

    The widget is seeded from the view (so a link, or coming back to the page, shows the same choice) and its
    value is written back; a value that is not among `options` (another file, a hostile link) gives `default`.

    Args:
        draw: the widget function, e.g. `st.selectbox` or `column.segmented_control`.
        key: the view's setting ("page.name", see cx/view.py SETTINGS), also the widget key.
        default: the choice when the view has none (default: the first option).
    """
    options = list(options)
    default = options[0] if default is None and options else default
    current = view()
    if key not in st.session_state or st.session_state[key] not in options:
        stored = current.settings.get(key)
        st.session_state[key] = next((o for o in options if encode(o) == stored), default)
    chosen = draw(label, options, key=key, **kwargs)
    if chosen is None or chosen not in options:  # a segmented control clicked off
        chosen = default
    if chosen == default:
        current.settings.pop(key, None)
    else:
        current.settings[key] = encode(chosen)
    return chosen


def theme_settings(v: View) -> tuple[bool, int | str, str]:
    """(all comments?, number of themes or "auto", embedder) of the themes the view looks at."""
    s = v.settings
    k = s.get("themes.k", "auto")
    k = int(k) if k.isdigit() and 2 <= int(k) <= 20 else "auto"
    model = s.get("themes.model", AUTO)
    model = s.get("themes.custom", "").strip() or (model if model in (AUTO, MULTILINGUAL, MINILM) else AUTO)
    return s.get("themes.scope") == "all", k, model


def present_link(exit: bool = False) -> str:
    """A relative link to the presentation (or back) that keeps the whole view: data, roles, filters."""
    target = view().copy()
    target.present = not exit
    query = target.query_string()
    return ("./present" if not exit else "./") + ("?" + query if query else "")
