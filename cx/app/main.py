"""What the entry file runs: page config, navigation over the page registry, the sidebar, the page."""

from __future__ import annotations

import logging

import streamlit as st

from cx.app import registry
from cx.app.sidebar import build_context
from cx.app.state import presenting
from cx.strings import UI


def main() -> None:
    present = presenting()
    st.set_page_config(
        page_title=UI["app_title"],
        page_icon=":material/query_stats:",
        layout="wide",
        initial_sidebar_state="collapsed" if present else "auto",
    )
    pages = [
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.id, default=i == 0)
        for i, spec in enumerate(registry.PAGES)
    ]
    page = st.navigation(pages, position="hidden" if present else "top")
    st.sidebar.title(UI["app_title"])
    try:
        build_context()
        page.run()
    except Exception:  # st.stop/st.rerun are BaseExceptions and pass through; anything else is our bug
        logging.getLogger("cx").exception("page failed")
        st.error(UI["page_failed"])
