"""This run's context (what every page reads) and the view's mirror in the URL."""

from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from cx.app.loading import FileInfo
from cx.filters import Filters
from cx.metrics import DEFAULT_MIN_N
from cx.schema import Dataset


@dataclass
class Context:
    """Everything a page needs for this run."""

    dataset: Dataset | None
    frame: pd.DataFrame  # filtered canonical frame
    filters: Filters
    min_n: int
    source: str
    files: list[FileInfo]
    errors: list[str]
    notes: list[str]
    is_sample: bool
    data_key: str = ""  # changes when the files or their column roles change
    unfiltered_theme: pd.DataFrame | None = None

    @property
    def total(self) -> int:
        return 0 if self.dataset is None else len(self.dataset.frame)


def url_state(is_sample: bool) -> dict:
    """The filters the page's link carries (empty when the link was made on an upload and this is the sample)."""
    params = st.query_params
    if params.get("data") == "upload" and is_sample:
        return {}
    out: dict = {"seg": {}}
    for key in params:
        values = params.get_all(key)
        if key.startswith("seg."):
            out["seg"][key[4:]] = values
        elif key in ("group", "csat"):
            out[key] = values
        elif key in ("from", "to"):
            try:
                out[key] = dt.date.fromisoformat(values[0])
            except ValueError:
                pass
        elif key == "q":
            out["q"] = values[0]
        elif key == "min_n" and values[0].isdigit():
            out["min_n"] = max(1, int(values[0]))
    return out if len(out) > 1 or out["seg"] else {}


def write_url(filters: Filters, min_n: int, is_sample: bool) -> None:
    """Put the current filters in the address bar, so copying the link shares this exact view."""
    if is_sample and st.query_params.get("data") == "upload":
        return  # a link made on an upload waits, untouched, for that file to be uploaded again
    params: dict[str, str | list[str]] = {"data": "sample" if is_sample else "upload"}
    if filters.date_from:
        params["from"] = filters.date_from.isoformat()
    if filters.date_to:
        params["to"] = filters.date_to.isoformat()
    if filters.nps_groups:
        params["group"] = list(filters.nps_groups)
    if filters.csat_values:
        params["csat"] = [str(v) for v in filters.csat_values]
    for col, values in filters.segments.items():
        params[f"seg.{col}"] = list(values)
    if filters.keyword.strip():
        params["q"] = filters.keyword.strip()
    if min_n != DEFAULT_MIN_N:
        params["min_n"] = str(min_n)
    if presenting():
        params["present"] = "1"
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if current != wanted:
        st.query_params.from_dict(params)


_CONTEXT: ContextVar[Context] = ContextVar("cx_context")


def context() -> Context:
    """This run's context, built once by `main()` before the page runs (never kept in session state:
    a script run is one thread, and the context holds frames, not plain values)."""
    return _CONTEXT.get()


def set_context(ctx: Context) -> None:
    _CONTEXT.set(ctx)


def presenting() -> bool:
    return st.query_params.get("present") == "1"


def present_link(exit: bool = False) -> str:
    """A relative link to the presentation (or back) that keeps every filter of the current view."""
    from urllib.parse import urlencode

    params = [(k, v) for k in st.query_params if k != "present" for v in st.query_params.get_all(k)]
    if not exit:
        params.append(("present", "1"))
    return ("./present" if not exit else "./") + ("?" + urlencode(params) if params else "")
