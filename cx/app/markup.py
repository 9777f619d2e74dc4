"""Escaping the file's own words where Streamlit reads Markdown."""

import re


def md_escape(text: str) -> str:
    """A file's own words (column names, values) as literal text where Streamlit would read Markdown:
    emphasis, links, images, HTML-looking tags, headings, tables, math and :directives: are escaped."""
    return re.sub(r"([\\`*_\[\]<>#|~$:])", r"\\\1", str(text))
