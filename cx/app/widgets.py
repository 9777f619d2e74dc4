"""Shared page pieces: headers, the missing-data message, tables picked by id, the metric picker, chart and
table downloads, links to other pages that keep the view."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from cx import i18n
from cx.app import figures
from cx.app.caches import current_themes, view_key
from cx.app.markup import md_escape
from cx.app.registry import page as page_spec
from cx.app.state import Context, context, edit_view, end_page, setting, view
from cx.export import chart_png, chart_svg, to_csv_bytes
from cx.filters import Filters, segment_columns
from cx.metrics import left_out_of_periods
from cx.store import upload_days
from cx.strings import GRANULARITIES, METRICS, TABLES, UI
from cx.tables import fmt_int, fmt_metric, fmt_pct, interval_caption, metric_label, sentiment_source_lines
from cx.themes import theme_metrics
from cx.view import View

__all__ = ["end_page", "md_escape", "segment_columns"]  # re-exported for the pages


def source_header(title: str) -> Context:
    """Title, where the data came from, and whole-file problems; a link whose data this server does not
    keep gets the message and the upload box, never the sample."""
    ctx = context()
    st.title(title)
    if ctx.missing or ctx.dataset_error:
        missing_data(ctx.dataset_error)
        end_page()
    # File names, values and the filter summary are the user's words: escaped wherever Streamlit reads Markdown.
    if ctx.batch is not None:
        st.caption(UI["using_dataset"].format(name=md_escape(ctx.source)))
    else:
        st.caption(
            UI["using_sample"] if ctx.is_sample else UI["using_upload"].format(names=md_escape(ctx.source))
        )
    for message in ctx.errors:
        st.error(UI["load_failed"].format(message=md_escape(message)), icon=":material/error:")
    return ctx


def missing_data(message: str = "") -> None:
    """The link's data cannot be shown (an upload this server no longer keeps, or a batch folder it may not
    open): why, in one sentence, then the upload box and the sample; never the sample silently."""
    from cx.app.sidebar import upload_box  # the sidebar module builds the context that this page reads

    st.error(message or UI["data_missing"].format(days=upload_days()), icon=":material/link_off:")
    upload_box(st)
    st.button(UI["open_sample"], key="open_sample", on_click=edit_view, args=(_to_sample,))


def _to_sample(v: View) -> None:
    v.dataset, v.data, v.roles, v.sheets, v.headers, v.filters = "", [], {}, {}, {}, Filters()


def page_header(title: str) -> Context | None:
    """Title, data source, load problems and the filter count; None when there is nothing to show."""
    ctx = source_header(title)
    if ctx.dataset is None and ctx.batch is None:
        return None
    for note in ctx.notes:
        st.info(md_escape(note))
    n, total = figures.count(ctx), ctx.total
    line = UI["filter_count"].format(n=n, total=total)
    if not ctx.filters.is_empty():
        line += " " + UI["filter_summary"].format(summary=md_escape(ctx.filters.summary()))
    if ctx.dataset is not None and ctx.dataset.rows_rejected:
        rejected = ctx.dataset.rows_rejected
        line += " " + (UI["rows_not_kept_one"] if rejected == 1 else UI["rows_not_kept"].format(n=rejected))
    st.caption(line)
    if n == 0:
        st.warning(UI["filter_none"])
        return None
    return ctx


def overall(ctx: Context) -> dict:
    return figures.summary(ctx)


def segments_or_stop(ctx: Context) -> list[str]:
    """The segment columns; without any, say how to get some and end the page."""
    segments = figures.segments(ctx)
    if not segments:
        st.info(UI["no_segments"])
        end_page()
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
    """The largest complaint themes of the filtered rows if themes were computed (a batch folder's always
    are); else a link to compute them."""
    if ctx.batch is not None:
        return figures.top_themes(ctx, count)
    themes = current_themes(ctx)
    if themes is None:
        page_link("themes", UI["overview_themes_link"])
        return None
    return theme_metrics(ctx.frame, themes, ctx.min_n).head(count)


def metric_picker(where, ctx: Context, key: str, metrics: list[str] | None = None) -> str:
    """The metric switch in `where` (a column or st), kept in the view: the metrics this file can show
    (`cx.metrics.available_metrics`), or `metrics` when the page shows fewer (Lowest areas: no volume)."""
    options = figures.metrics(ctx) if metrics is None else metrics
    label = functools.partial(metric_label, sentiment_source=ctx.sentiment_source)
    return setting(where.segmented_control, UI["metric"], key, options, format_func=label)


def sentiment_source(ctx: Context, metric: str | None = "sentiment") -> None:
    """Under anything that shows sentiment: where it comes from (a column, or the model's estimate)."""
    if metric == "sentiment":
        for line in sentiment_source_lines(ctx.sentiment_source):
            st.caption(md_escape(line))


def year_only_note(ctx: Context, granularity: str) -> None:
    """Say how many answers dated only by a year a day/week/month/quarter view leaves out."""
    if ctx.batch is not None:  # a batch folder's rows are not in memory to count (see the report)
        return
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
    one link draw it from one spec; building and converting the charts was 40 % of a first open's CPU
    before cx.charts wrote Vega-Lite dicts, and Python runs one session at a time). `build()` must depend on nothing else. Downloads as `show_chart`."""
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


def theme_cards(picked: pd.Series, scores: list[str], min_n: int) -> None:
    """A theme's comments, share, negative share (when known) and scores (with intervals) as metric cards."""
    cols = iter(st.columns(5))
    next(cols).metric(METRICS["comments"], fmt_int(picked["n"]), border=True)
    next(cols).metric(UI["share"], fmt_pct(100 * picked["share"]), border=True)
    if pd.notna(picked["sentiment"]):  # a batch without sentiment has no negative share, not "nan %"
        next(cols).metric(UI["theme_negative"], fmt_pct(100 * picked["sentiment"]), border=True)
    for col, m in zip(cols, scores, strict=False):
        col.metric(METRICS[m], fmt_metric(picked[m], m), border=True)
        col.caption(interval_caption(picked, m, min_n))


def mask_setting(ctx: Context, where=None) -> bool:
    """The export's "mask personal data" box (on by default), kept in the view's link."""
    if "export.mask" not in st.session_state:
        st.session_state["export.mask"] = ctx.view.settings.get("export.mask") != "no"
    mask = (where or st).checkbox(UI["export_mask"], key="export.mask")
    if mask:
        ctx.view.settings.pop("export.mask", None)
    else:
        ctx.view.settings["export.mask"] = "no"
    return mask
