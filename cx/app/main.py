"""What the entry file runs: the view of this session, page config, navigation over the page registry,
the sidebar, the page; the view goes back into the URL at the end of every run."""

from __future__ import annotations

import logging

import streamlit as st

from cx.app import dataset_pages, registry, state
from cx.app.sidebar import build_context
from cx.strings import UI

ICON = registry.ASSETS / "icon.png"  # served by the app itself: nothing is fetched from the internet


def main() -> None:
    view = state.start_view()
    st.set_page_config(
        page_title=UI["app_title"],
        page_icon=str(ICON),
        layout="wide",
        initial_sidebar_state="collapsed" if view.present else "auto",
    )
    pages = {
        spec.id: st.Page(
            spec.path,
            title=UI.get(f"page_{spec.id}", spec.title),
            icon=spec.icon,
            url_path=spec.id,
            default=i == 0,
        )
        for i, spec in enumerate(registry.PAGES)
    }
    page = st.navigation(list(pages.values()), position="hidden" if view.present else "top")
    page_id = next(i for i, p in pages.items() if p is page)
    st.sidebar.title(UI["app_title"])
    try:
        ctx = build_context(view)
        if ctx.batch is not None and page_id not in registry.SAME_FOR_DATASETS:
            dataset_pages.run(page_id, page.title)  # a batch folder: its own page, or why there is none
        else:
            page.run()
    except state.PageEnd:  # the page said all it can; the view is still written back below
        pass
    except Exception:  # st.stop/st.rerun are BaseExceptions and pass through; anything else is our bug
        logging.getLogger("cx").exception("page failed")
        st.error(UI["page_failed"])
    finally:
        state.save_view()
