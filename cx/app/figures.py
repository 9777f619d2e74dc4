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
from cx.app.state import Context, theme_settings
from cx.areas import areas_message as areas_message_of
from cx.filters import Filters, segment_columns
from cx.metrics import metrics_by


@st.cache_data(show_spinner=False, max_entries=512)
def _ask(folder: str, stamp: float, key: str, lang: str, _shared, _method: str, _args: tuple, _kwargs: dict):
    return _shared(_method, *_args, **_kwargs)


def ask(ctx: Context, method: str, *args, filters: Filters | None = None, key=None, **kwargs):
    """`ctx.batch.source.<method>(filters, *args, **kwargs)`, cached per folder, filters and arguments.

    Args:
        filters: the rows asked about (default: the view's filters).
        key: what identifies the arguments in the cache, when their repr does not (a DataFrame's is cut short).
    """
    filters = ctx.filters if filters is None else filters
    shared = ctx.batch
    key = repr((method, filters, args if key is None else key, sorted(kwargs.items())))
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
    """`cx.metrics.summarize` of the filtered rows (once per view for every session)."""
    if ctx.batch is not None:
        return ask(ctx, "summarize", min_n=ctx.min_n)
    return caches.summary(ctx)


def metrics(ctx: Context) -> list[str]:
    """The metrics the filtered rows can show (`cx.metrics.available_metrics`, once per view)."""
    if ctx.batch is not None:
        return ask(ctx, "available_metrics")
    return caches.metrics_available(ctx)


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


def with_quotes(ctx: Context, table: pd.DataFrame) -> pd.DataFrame:
    """A batch's theme_table with what `cx.theme_views.theme_display` shows beside it: each theme's
    representative quotes (found by `cx batch` over all its comments) and its share of negative comments."""
    themes = ctx.batch.memo("themes")
    if "level" in themes:  # a batch of comment parts: the table's themes are the top ones ("3", not "3.2")
        themes = themes[themes["level"] == "top"]
    themes = themes.assign(theme_id=themes["theme_id"].astype(str)).set_index("theme_id")
    quotes = (
        table["theme_id"].astype(str).map(themes["quotes"])
        if "quotes" in themes
        else pd.Series(None, index=table.index)
    )
    return table.assign(
        quotes=[[] if q is None or (isinstance(q, float) and q != q) else list(q) for q in quotes],
        sentiment=table["sentiment"] if "sentiment" in table else float("nan"),
    )


def all_comments(ctx: Context) -> bool:
    """Whether the themes shown group every comment (else the complaints): the batch's own setting for a
    folder, the Themes page's for an upload."""
    if ctx.batch is not None:
        return bool(ctx.batch.source.report.get("settings", {}).get("all_comments", False))
    return bool(theme_settings(ctx.view)[0])


def top_themes(ctx: Context, count: int = 3) -> pd.DataFrame:
    """The largest themes of a batch folder's filtered rows, with their representative quotes."""
    return with_quotes(ctx, ask(ctx, "theme_table", min_n=ctx.min_n)).head(count)


def area_lines(ctx: Context, metric: str, segments: list[str], likely: bool) -> list[str]:
    """The Overview's lines on the lowest areas for `metric`: why there are none, or one sentence per area,
    worst first (`likely`: the sentiment is the model's estimate)."""
    if ctx.batch is None:
        return caches.overview_areas(ctx, metric, segments, likely)
    table = areas(ctx, metric)
    return caches.area_lines(areas_message(ctx, metric, segments, table), table, metric, likely)


def areas_message(
    ctx: Context, metric: str, segments: list[str], table: pd.DataFrame | None = None
) -> str | None:
    """What the lowest-areas view can say for this metric (`cx.areas.areas_message`): None when it has areas."""
    if ctx.batch is not None:
        # The sentence reads the table only through which areas are ranked, significant and worse.
        seen = (
            None
            if table is None
            else tuple(table[["status", "significant", "worse"]].itertuples(index=False, name=None))
        )
        return ask(
            ctx, "areas_message", metric, segments, table, key=(metric, segments, seen), min_n=ctx.min_n
        )
    return areas_message_of(ctx.frame, metric, segments, table, ctx.min_n)
