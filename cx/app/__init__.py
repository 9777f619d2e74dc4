"""The Streamlit glue of CX Lens, by concern: the one view (state <-> URL), loading and the upload store,
the sidebar filters, shared widgets, caches and the page registry. The only Streamlit code in `cx/`."""
