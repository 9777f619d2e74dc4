"""The figures a page draws, from wherever the view's data lives: the filtered rows in memory (an upload,
the sample) or a batch folder (DuckDB over its Parquet files, through BatchSource: the rows never load).

Pages ask here instead of calling cx.metrics on `ctx.frame`, so one page file serves both. Answers from a
batch folder are cached per folder, filters and arguments (a second look, or another session, is instant).
"""

from __future__ import annotations

import copy

import pandas as pd
import streamlit as st

from cx import i18n
from cx.app import caches
from cx.app.state import Context
from cx.filters import Filters, segment_columns
from cx.metrics import available_metrics, metrics_by, summarize


@st.cache_data(show_spinner=False, max_entries=512)
def _ask(folder: str, stamp: float, key: str, lang: str, _shared, _method: str, _args: tuple, _kwargs: dict):
    return _shared(_method, *_args, **_kwargs)


def ask(ctx: Context, method: str, *args, **kwargs):
    """`ctx.batch.source.<method>(ctx.filters, *args, **kwargs)`, cached; `filters=` overrides the view's."""
    filters = kwargs.pop("filters", ctx.filters)
    shared = ctx.batch
    key = repr((method, filters, args, sorted(kwargs.items())))
    return _ask(
        str(shared.source.folder),
        shared.stamp,
        key,
        i18n.language(),
        shared,
        method,
        (filters, *args),
        kwargs,
    )


def summary(ctx: Context) -> dict:
    """`cx.metrics.summarize` of the filtered rows."""
    if ctx.batch is not None:
        return ask(ctx, "summarize", min_n=ctx.min_n)
    return summarize(ctx.frame, ctx.min_n)


def metrics(ctx: Context) -> list[str]:
    """The metrics the filtered rows can show (`cx.metrics.available_metrics`)."""
    if ctx.batch is not None:
        return ask(ctx, "available_metrics")
    return available_metrics(ctx.frame)


def table_by(ctx: Context, by: list[str] | str) -> pd.DataFrame:
    """`cx.metrics.metrics_by` of the filtered rows."""
    if ctx.batch is not None:
        return ask(ctx, "metrics_by", by, min_n=ctx.min_n)
    return metrics_by(ctx.frame, by, ctx.min_n)


def count(ctx: Context) -> int:
    """How many responses pass the filters."""
    if ctx.batch is not None:
        return ask(ctx, "count")
    return len(ctx.frame)


def segments(ctx: Context) -> list[str]:
    """The segment columns."""
    return list(ctx.batch.source.segments) if ctx.batch is not None else segment_columns(ctx.frame)


def has_dates(ctx: Context) -> bool:
    """Whether the rows have dates (a batch folder: any of its rows)."""
    if ctx.batch is not None:
        return ctx.batch.memo("date_range") is not None
    return bool(ctx.frame["date"].notna().any())


def areas(ctx: Context, metric: str, depth: int = 2) -> pd.DataFrame:
    """`cx.areas.area_table` of the filtered rows over every segment column (cached)."""
    if ctx.batch is not None:
        return ask(ctx, "area_table", segments(ctx), metric, depth, min_n=ctx.min_n)
    return caches.areas(ctx, metric, depth)


def within(ctx: Context, segment: dict | None = None, themes: dict[int, str] | None = None) -> Filters:
    """The view's filters narrowed to one area ({column: value}, as `cx.areas.area_mask` keeps rows) or to
    some themes (instead of the view's theme filter)."""
    narrowed = copy.deepcopy(ctx.filters)
    for col, value in (segment or {}).items():
        narrowed.segments[col] = [str(value)]
    if themes is not None:
        narrowed.themes = dict(themes)
    return narrowed
