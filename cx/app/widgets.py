"""Shared page pieces: headers, the missing-data message, tables picked by id, the metric picker, chart and
table downloads, links to other pages that keep the view."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from cx import i18n
from cx.app.caches import current_themes, summary, view_key
from cx.app.markup import md_escape
from cx.app.registry import page as page_spec
from cx.app.state import Context, context, edit_view, setting, view
from cx.export import chart_png, chart_svg, to_csv_bytes
from cx.filters import Filters, segment_columns
from cx.metrics import available_metrics, left_out_of_periods
from cx.store import upload_days
from cx.strings import GRANULARITIES, TABLES, UI
from cx.tables import metric_label, sentiment_source_lines
from cx.themes import theme_metrics
from cx.view import View

__all__ = ["md_escape", "segment_columns"]  # re-exported for the pages


def source_header(title: str) -> Context:
    """Title, where the data came from, and whole-file problems; a link whose data this server does not
    keep gets the message and the upload box, never the sample."""
    ctx = context()
    st.title(title)
    if ctx.missing:
        missing_data()
        st.stop()
    # File names, values and the filter summary are the user's words: escaped wherever Streamlit reads Markdown.
    st.caption(
        UI["using_sample"] if ctx.is_sample else UI["using_upload"].format(names=md_escape(ctx.source))
    )
    for message in ctx.errors:
        st.error(UI["load_failed"].format(message=md_escape(message)), icon=":material/error:")
    return ctx


def missing_data() -> None:
    from cx.app.sidebar import upload_box  # the sidebar module builds the context that this page reads

    st.error(UI["data_missing"].format(days=upload_days()), icon=":material/link_off:")
    upload_box(st)
    st.button(UI["open_sample"], key="open_sample", on_click=edit_view, args=(_to_sample,))


def _to_sample(v: View) -> None:
    v.data, v.roles, v.sheets, v.headers, v.filters = [], {}, {}, {}, Filters()


def page_header(title: str) -> Context | None:
    """Title, data source, load problems and the filter count; None when there is nothing to show."""
    ctx = source_header(title)
    if ctx.dataset is None:
        return None
    for note in ctx.notes:
        st.info(md_escape(note))
    n, total = len(ctx.frame), ctx.total
    line = UI["filter_count"].format(n=n, total=total)
    if not ctx.filters.is_empty():
        line += " " + UI["filter_summary"].format(summary=md_escape(ctx.filters.summary()))
    if ctx.dataset.rows_rejected:
        rejected = ctx.dataset.rows_rejected
        line += " " + (UI["rows_not_kept_one"] if rejected == 1 else UI["rows_not_kept"].format(n=rejected))
    st.caption(line)
    if n == 0:
        st.warning(UI["filter_none"])
        return None
    return ctx


def overall(ctx: Context) -> dict:
    return summary(ctx)


def segments_or_stop(ctx: Context) -> list[str]:
    """The segment columns; without any, say how to get some and end the page."""
    segments = segment_columns(ctx.frame)
    if not segments:
        st.info(UI["no_segments"])
        st.stop()
    return segments


def _pick(key: str, setting_key: str, ids: list[str]) -> None:
    rows = st.session_state[key]["selection"]["rows"]
    if rows and rows[0] < len(ids):
        edit_view(lambda v: v.settings.__setitem__(setting_key, ids[rows[0]]))


def pick_by_id(table: pd.DataFrame, ids: Sequence, key: str, setting_key: str, **options):
    """A table the user can click; the id of the row picked (kept in the view under `setting_key`, so it
    survives filtering, reordering, page changes and links). The first row's id until one is picked, or
    when the picked one is not in this table; None for an empty table.

    Args:
        ids: one id per row of `table`, in its order.
    """
    ids = list(ids)
    if not ids:
        st.dataframe(table, hide_index=True, width="stretch", **options)
        return None
    as_text = [str(i) for i in ids]
    wanted = view().settings.get(setting_key)
    position = as_text.index(wanted) if wanted in as_text else 0
    # The widget's key changes with the rows: a click on an old table never picks a row of a new one.
    key = f"{key}_{hashlib.sha1('|'.join(as_text).encode()).hexdigest()[:10]}"
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select=functools.partial(_pick, key, setting_key, as_text),
        selection_mode="single-row",
        selection_default={"selection": {"rows": [position]}},
        key=key,
        **options,
    )
    return ids[position]


def page_link(page_id: str, label: str) -> None:
    """A link to another page that keeps the whole view."""
    spec = page_spec(page_id)
    st.page_link(spec.path, label=label, icon=spec.icon, query_params=view().to_params())


def top_themes(ctx: Context, count: int = 3) -> pd.DataFrame | None:
    """The largest complaint themes of the filtered rows if themes were computed; else a link to compute them."""
    themes = current_themes(ctx)
    if themes is None:
        page_link("themes", UI["overview_themes_link"])
        return None
    return theme_metrics(ctx.frame, themes, ctx.min_n).head(count)


def metric_picker(where, ctx: Context, key: str, metrics: list[str] | None = None) -> str:
    """The metric switch in `where` (a column or st), kept in the view: the metrics this file can show
    (`cx.metrics.available_metrics`), or `metrics` when the page shows fewer (Lowest areas: no volume)."""
    options = available_metrics(ctx.frame) if metrics is None else metrics
    label = functools.partial(metric_label, sentiment_source=ctx.dataset.sentiment_source)
    return setting(where.segmented_control, UI["metric"], key, options, format_func=label)


def sentiment_source(ctx: Context, metric: str | None = "sentiment") -> None:
    """Under anything that shows sentiment: where it comes from (a column, or the model's estimate)."""
    if metric == "sentiment":
        for line in sentiment_source_lines(ctx.dataset.sentiment_source):
            st.caption(md_escape(line))


def year_only_note(ctx: Context, granularity: str) -> None:
    """Say how many answers dated only by a year a day/week/month/quarter view leaves out."""
    n = left_out_of_periods(ctx.frame, granularity)["year_only"]
    if n:
        st.caption(UI["year_only_left_out"].format(n=n, granularity=GRANULARITIES[granularity].lower()))


def theme_columns() -> dict:
    """Formats of the themes table's columns, under its headers in the run's language (tables.theme_table)."""
    return {
        TABLES["share"]: st.column_config.NumberColumn(TABLES["share"], format="%.0f %%"),
        TABLES["quote"]: st.column_config.TextColumn(TABLES["quote_label"], width="large"),
    }


def show_chart(chart, name: str) -> None:
    """A chart, and under it PNG and SVG downloads (drawn only when clicked)."""
    st.altair_chart(chart, width="stretch")
    _chart_downloads(chart, name)


try:  # Streamlit's own Altair -> Vega-Lite conversion (what st.altair_chart runs on every call)
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
except ImportError:  # another Streamlit: every session converts its charts itself
    _convert_altair_to_vega_lite_spec = None


@st.cache_resource(show_spinner=False, max_entries=64)
def _shared_chart(view: tuple, min_n: int, lang: str, name: str, settings: tuple, _build):
    chart = _build()
    spec = None if _convert_altair_to_vega_lite_spec is None else _convert_altair_to_vega_lite_spec(chart)
    return chart, spec


def shared_chart(ctx: Context, name: str, build: Callable[[], object], *settings) -> None:
    """A chart of the view's filtered rows, built and converted to Vega-Lite once per process for every
    session that shows the same data, filters, minimum sample, language, `name` and `settings` (ten tabs on
    one link draw it from one spec; building and validating an Altair chart is most of a page's CPU, and
    Python runs one session at a time). `build()` must depend on nothing else. Downloads as `show_chart`."""
    chart, spec = _shared_chart(view_key(ctx), ctx.min_n, i18n.language(), name, settings, build)
    if spec is None:
        st.altair_chart(chart, width="stretch")
    else:  # the same element st.altair_chart draws; the copy keeps the shared spec whole
        st.vega_lite_chart(spec=dict(spec), width="stretch")  # Streamlit changes top-level keys only
    _chart_downloads(chart, name)


def _chart_downloads(chart, name: str) -> None:
    with st.popover(UI["download_chart"], icon=":material/download:"):
        st.download_button(
            "PNG", lambda: chart_png(chart), file_name=f"{name}.png", mime="image/png", key=f"png_{name}"
        )
        st.download_button(
            "SVG", lambda: chart_svg(chart), file_name=f"{name}.svg", mime="image/svg+xml", key=f"svg_{name}"
        )


def table_download(table: pd.DataFrame, name: str) -> None:
    st.download_button(
        UI["download_table"],
        to_csv_bytes(table),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        icon=":material/download:",
    )
