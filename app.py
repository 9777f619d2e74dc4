"""CX Lens: entry point. Page config, navigation, data source and global filters (sidebar)."""

import logging

import streamlit as st

from cx import ui
from cx.strings import UI

presenting = ui.presenting()
st.set_page_config(
    page_title=UI["app_title"],
    page_icon=":material/query_stats:",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "auto",
)

pages = [
    st.Page("views/overview.py", title=UI["page_overview"], icon=":material/dashboard:", default=True),
    st.Page("views/trends.py", title=UI["page_trends"], icon=":material/show_chart:"),
    st.Page("views/segments.py", title=UI["page_segments"], icon=":material/grid_view:"),
    st.Page("views/areas.py", title=UI["page_areas"], icon=":material/trending_down:"),
    st.Page("views/themes.py", title=UI["page_themes"], icon=":material/forum:"),
    st.Page("views/data.py", title=UI["page_data"], icon=":material/table_view:"),
    st.Page("views/export.py", title=UI["page_export"], icon=":material/download:"),
    st.Page("views/present.py", title=UI["page_present"], icon=":material/slideshow:"),
]
page = st.navigation(pages, position="hidden" if presenting else "top")
st.sidebar.title(UI["app_title"])
try:
    ui.build_context()
    page.run()
except Exception:  # st.stop/st.rerun are BaseExceptions and pass through; anything else is our bug
    logging.getLogger("cx").exception("page failed")
    st.error(UI["page_failed"])
