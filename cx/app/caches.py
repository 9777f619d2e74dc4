"""Per-process caches of the heavy work (themes, areas, languages) and the downloads built from them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from cx import i18n
from cx.app.state import Context, theme_settings
from cx.areas import area_sentence, area_table, areas_message, lowest
from cx.embed import EmbeddingCache, default_cache_dir
from cx.export import comment_languages, response_rows, workbook_sheets
from cx.filters import segment_columns
from cx.metrics import available_metrics, summarize
from cx.report import review_report
from cx.strings import UI
from cx.themes import ThemeError, ThemeResult, find_themes


@st.cache_resource(show_spinner=False)
def embedding_cache() -> EmbeddingCache:
    return EmbeddingCache(default_cache_dir())


_THEMES: OrderedDict[tuple, ThemeResult | str] = OrderedDict()
_THEMES_LOCK = threading.Lock()
THEME_CACHE_ENTRIES = 8
# Themes being computed, by key: a lock the computing session holds and the last progress it reported. Ten tabs
# opening the same file compute its themes once; the others wait on the lock and draw the same progress.
_COMPUTING: dict[tuple, tuple[threading.Lock, list]] = {}


def _themes(
    data_key: str,
    all_comments: bool,
    n_themes,
    embedder: str,
    frame: pd.DataFrame,
    progress,
    sources: Sequence[str] = (),
) -> ThemeResult | str:
    # A plain per-process LRU rather than st.cache_resource: the progress bar is drawn from inside the
    # computation, and Streamlit would try to replay it on a cache hit.
    key = (data_key, all_comments, n_themes, embedder)
    with _THEMES_LOCK:
        if key in _THEMES:
            _THEMES.move_to_end(key)
            return _THEMES[key]
        running, seen = _COMPUTING.setdefault(key, (threading.Lock(), []))
    while not running.acquire(timeout=0.25):  # another session computes these themes: show its progress
        if seen:
            progress(*seen[-1])
    try:
        with _THEMES_LOCK:
            if key in _THEMES:
                return _THEMES[key]

        def report(done: int, total: int) -> None:
            seen[:] = [(done, total)]
            progress(done, total)

        try:
            result = find_themes(
                frame,
                all_comments=all_comments,
                n_themes=n_themes,
                embedder=embedder,
                cache=embedding_cache(),
                progress=report,
                sources=sources,
            )
        except ThemeError as exc:
            result = str(exc)
        except (OSError, ValueError) as exc:  # e.g. a model path that does not exist
            result = UI["themes_failed"].format(message=f"{type(exc).__name__}: {exc}")
        with _THEMES_LOCK:
            _THEMES[key] = result
            while len(_THEMES) > THEME_CACHE_ENTRIES:
                _THEMES.popitem(last=False)
        return result
    finally:
        with _THEMES_LOCK:
            if _COMPUTING.get(key, (None,))[0] is running:
                del _COMPUTING[key]
        running.release()


def themes_result(
    data_key: str,
    frame: pd.DataFrame,
    all_comments: bool,
    n_themes,
    embedder: str,
    sources: Sequence[str] = (),
) -> ThemeResult | str:
    """Themes of the whole dataset `frame` (not the filtered rows, so they stay put while filtering), with a
    progress bar that counts the comments embedded; cached per content and settings. `sources`: the
    uploads' hashes (what is kept on disk is deleted with them, see loading.forget)."""
    bar = st.empty()

    def progress(done: int, total: int) -> None:
        if total:
            bar.progress(done / total, text=UI["themes_progress"].format(done=done, total=total))

    result = _themes(data_key, all_comments, n_themes, embedder, frame, progress, sources)
    bar.empty()
    return result


def current_themes(ctx: Context) -> ThemeResult | None:
    """The themes the view looks at (its Themes settings) if they were already computed, else None:
    the Overview, exports and slides never make a manager wait for embeddings."""
    with _THEMES_LOCK:
        result = _THEMES.get((ctx.data_key, *theme_settings(ctx.view)))
    return result if isinstance(result, ThemeResult) else None


def view_key(ctx: Context) -> tuple:
    """The rows a view shows, as a cache key: the data, the filters, and the theme settings when a theme
    filter is on (its theme ids mean other comments under other settings)."""
    themes = theme_settings(ctx.view) if ctx.filters.themes else ()
    return ctx.data_key, repr(ctx.filters), themes


@st.cache_resource(show_spinner=False, max_entries=64)
def _summary(key: tuple, min_n: int, _frame: pd.DataFrame) -> dict:
    return summarize(_frame, min_n)


@st.cache_resource(show_spinner=False, max_entries=64)
def _available(key: tuple, _frame: pd.DataFrame) -> list[str]:
    return available_metrics(_frame)


def metrics_available(ctx: Context) -> list[str]:
    """The metrics the filtered rows can show (`cx.metrics.available_metrics`), once per view."""
    return list(_available(view_key(ctx), ctx.frame))


def summary(ctx: Context) -> dict:
    """The headline metrics of the filtered rows (`cx.metrics.summarize`), computed once per process for
    every session on the same view and minimum sample."""
    return dict(_summary(view_key(ctx), ctx.min_n, ctx.frame))


@st.cache_data(show_spinner=False, max_entries=32)
def _areas(
    data_key: str, filters: str, metric: str, depth: int, min_n: int, _frame: pd.DataFrame, segments: tuple
) -> pd.DataFrame:
    return area_table(_frame, list(segments), metric, depth, min_n)


def areas(ctx: Context, metric: str, depth: int = 2) -> pd.DataFrame:
    """The area ranking of the filtered rows, cached per data, filter and settings."""
    segments = tuple(segment_columns(ctx.frame))
    return _areas(ctx.data_key, repr(ctx.filters), metric, depth, ctx.min_n, ctx.frame, segments)


@st.cache_data(show_spinner=False, max_entries=4)
def _languages(data_key: str, _texts: pd.Series) -> pd.Series:
    return comment_languages(_texts)


def languages(ctx: Context) -> pd.Series:
    """Detected language of every comment of the dataset (cached per data)."""
    return _languages(ctx.data_key, ctx.dataset.frame["text"])


def export_responses(ctx: Context, mask: bool) -> pd.DataFrame:
    """The filtered rows with every original and computed column (what the CSV holds)."""
    return response_rows(
        ctx.dataset, ctx.frame, languages=languages(ctx), themes=current_themes(ctx), mask=mask
    )


def export_tables(ctx: Context, mask: bool) -> dict[str, pd.DataFrame]:
    """The workbook of the current view (the library builds it, as for the CLI)."""
    return workbook_sheets(
        ctx.dataset,
        ctx.frame,
        ctx.min_n,
        segments=segment_columns(ctx.frame),
        languages=languages(ctx),
        themes=current_themes(ctx),
        mask=mask,
    )


def report_html(ctx: Context) -> str:
    """The review report of the current view (filters included)."""
    return review_report(
        ctx.frame,
        source=ctx.source,
        filter_summary=ctx.filters.summary(),
        min_n=ctx.min_n,
        segments=segment_columns(ctx.frame),
        themes=current_themes(ctx),
        sentiment_source=ctx.dataset.sentiment_source,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _drivers(
    data_key: str,
    filters: str,
    metric: str,
    min_n: int,
    themes: tuple,
    _dataset,
    _frame,
    segments: tuple,
    _assign,
    lang: str,  # its notes and reasons are sentences in the language of the page
):
    from cx.drivers import key_drivers
    from cx.io import InputError

    try:
        return key_drivers(_dataset, _frame, metric, list(segments), _assign, min_n, n_boot=100)
    except InputError as exc:
        return str(exc)


def drivers(ctx: Context, metric: str, assignments: pd.DataFrame | None):
    """Key drivers of the filtered rows (a DriverResult, or the reason there are none), cached per data,
    filter, metric and theme settings."""
    themes = theme_settings(ctx.view) if assignments is not None else ()
    segments = tuple(segment_columns(ctx.frame))
    return _drivers(
        ctx.data_key,
        repr(ctx.filters),
        metric,
        ctx.min_n,
        themes,
        ctx.dataset,
        ctx.frame,
        segments,
        assignments,
        i18n.language(),
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _alerts(
    data_key: str,
    filters: str,
    granularity: str,
    metric: str,
    min_n: int,
    themes: tuple,
    _frame,
    segments,
    _assign,
):
    from cx.alerts import find_alerts

    return find_alerts(_frame, granularity, metric, list(segments), _assign, min_n)


def alerts(ctx: Context, granularity: str, metric: str, assignments: pd.DataFrame | None):
    """Alerts of the filtered rows, cached per data, filter, period kind, metric and theme settings."""
    themes = theme_settings(ctx.view) if assignments is not None else ()
    segments = tuple(segment_columns(ctx.frame))
    return _alerts(
        ctx.data_key,
        repr(ctx.filters),
        granularity,
        metric,
        ctx.min_n,
        themes,
        ctx.frame,
        segments,
        assignments,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _latest_change(
    data_key: str, filters: str, min_n: int, themes: tuple, _frame, segments: tuple, _assign, lang: str
):
    from cx.changes import latest_change

    return latest_change(_frame, list(segments), _assign, min_n)


def latest_change(ctx: Context):
    """The What-changed page's default comparison of the filtered rows (a Comparison, or why there is
    none), for the presentation slide; cached per data, filter and theme settings."""
    from cx.changes import theme_long_table

    themes = current_themes(ctx)
    assignments = None if themes is None else theme_long_table(themes)
    settings = theme_settings(ctx.view) if themes is not None else ()
    segments = tuple(segment_columns(ctx.frame))
    return _latest_change(
        ctx.data_key,
        repr(ctx.filters),
        ctx.min_n,
        settings,
        ctx.frame,
        segments,
        assignments,
        i18n.language(),
    )


def overview_alerts(ctx: Context) -> list[str]:
    """The alerts of the latest month of the filtered rows, one short line each (none without dates);
    worked out once per process for every session on the same view, minimum sample, themes and language."""
    if ctx.batch is not None:  # alerts need the rows in memory
        return []
    themes = current_themes(ctx)
    settings = theme_settings(ctx.view) if themes is not None else ()
    return list(_overview_alerts(view_key(ctx), ctx.min_n, settings, i18n.language(), ctx, themes))


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview_alerts(
    view: tuple, min_n: int, themes_key: tuple, lang: str, _ctx: Context, _themes
) -> list[str]:
    from cx.alerts import latest_alert_lines
    from cx.changes import first_metric, theme_long_table

    if not _ctx.frame["date"].notna().any():
        return []
    assignments = None if _themes is None else theme_long_table(_themes)
    metric = first_metric(_ctx.frame) or "nps"  # no metric: only the volume of comments is tested
    return latest_alert_lines(alerts(_ctx, "month", metric, assignments))


def overview_areas(ctx: Context, metric: str, segments: list[str], likely: bool) -> list[str]:
    """The Overview's lines on the lowest areas for `metric`: why there are none, or one sentence per area
    (worst first); worked out once per process for every session on the same view, minimum sample and
    language. `likely`: the sentiment is the model's estimate."""
    key = (view_key(ctx), metric, tuple(segments), ctx.min_n, likely, i18n.language())
    return list(_overview_areas(key, ctx, metric, segments, likely))


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview_areas(key: tuple, _ctx: Context, metric: str, segments: list[str], likely: bool) -> list[str]:
    table = areas(_ctx, metric)
    return area_lines(areas_message(_ctx.frame, metric, segments, table, _ctx.min_n), table, metric, likely)


def area_lines(message: str | None, table: pd.DataFrame, metric: str, likely: bool) -> list[str]:
    """Why no area is ranked (`message`), then one sentence per lowest area, worst first; the segment values
    are the file's words, so the page shows these lines as plain text."""
    return ([message] if message else []) + [
        "• " + area_sentence(row, metric, likely) for _, row in lowest(table).iterrows()
    ]
