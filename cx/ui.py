"""The Streamlit glue: caching, session state, the sidebar (data source + global filters).

This is the only module in `cx/` that imports streamlit. Pages call `context()` and render.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from cx.areas import area_label, area_sentence, area_table, lowest
from cx.charts import trend_chart
from cx.embed import EmbeddingCache, default_cache_dir
from cx.export import chart_png, chart_svg, export_rows, mask_text_columns, to_csv_bytes
from cx.filters import Filters, apply_filters
from cx.io import InputError, RawTable, read_bytes
from cx.metrics import COLUMNS, DEFAULT_MIN_N, metrics_by, summarize
from cx.report import build_report
from cx.schema import NPS_GROUPS, Dataset, Roles, build_dataset, detect_roles
from cx.sources import combine
from cx.strings import ERRORS, METRICS, UI
from cx.tables import fmt_nps, fmt_pct, interval_caption
from cx.text import detect_languages
from cx.themes import ThemeError, ThemeResult, find_themes, theme_metrics

SAMPLE_PATH = Path(__file__).resolve().parent / "data" / "sample_survey.csv"
MAX_UPLOAD_MB = 200


@dataclass
class FileInfo:
    """What the Data page shows and edits for one input file."""

    name: str
    digest: str
    columns: list[str] = field(default_factory=list)
    roles: Roles | None = None
    detected: Roles | None = None
    kind: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    error: str | None = None


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


# --------------------------------------------------------------------------------------------------
# Loading (cached by content, shared across sessions: the result is never mutated)
# --------------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=16)
def _read(digest: str, name: str, sheet: str | None, _data: bytes) -> RawTable | str:
    try:
        return read_bytes(_data, name, sheet=sheet)
    except InputError as exc:
        return str(exc)
    except Exception as exc:  # a reader bug must still end in one plain sentence, never a traceback
        return ERRORS["unexpected"].format(name=name, why=type(exc).__name__)


@st.cache_resource(show_spinner=False, max_entries=16)
def _build(digest: str, sheet: str | None, roles_json: str, _table: RawTable) -> Dataset | str:
    roles = Roles(**json.loads(roles_json)) if roles_json else None
    if roles is not None:
        roles.csat_scale = tuple(roles.csat_scale)
    try:
        return build_dataset(_table, roles)
    except InputError as exc:
        return str(exc)


@st.cache_resource(show_spinner=False)
def _detect(digest: str, sheet: str | None, _table: RawTable) -> Roles:
    return detect_roles(_table.frame)


@st.cache_resource(show_spinner=False)
def _combine(key: tuple, _datasets: tuple, names: tuple) -> tuple[Dataset, list[str]]:
    return combine(list(_datasets), list(names))


@st.cache_data(show_spinner=False)
def _sample_bytes(path: str, mtime: float) -> bytes:
    return Path(path).read_bytes()


def roles_json(roles: Roles | None) -> str:
    if roles is None:
        return ""
    data = roles.__dict__.copy()
    data["csat_scale"] = list(roles.csat_scale)
    return json.dumps(data, sort_keys=True)


def content_digest(data: bytes, file_id: str | None = None) -> str:
    """Content hash of a file, computed once per uploaded file (reruns reuse it: 200 MB costs ~0.4 s)."""
    known = st.session_state.setdefault("_digests", {})
    if file_id is None or file_id not in known:
        digest = hashlib.sha256(data).hexdigest()[:16]
        if file_id is None:
            return digest
        known[file_id] = digest
    return known[file_id]


def _load_one(name: str, data: bytes, file_id: str | None = None) -> tuple[FileInfo, Dataset | None]:
    digest = content_digest(data, file_id)
    info = FileInfo(name=name, digest=digest)
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        info.error = ERRORS["too_big"].format(name=name, limit=MAX_UPLOAD_MB)
        return info, None
    sheet = st.session_state.get(f"sheet_{digest}")
    with st.spinner(UI["reading"].format(name=md_escape(name), size=len(data) / 2**20), show_time=True):
        table = _read(digest, name, sheet, data)
    if isinstance(table, str):
        info.error = table
        return info, None
    info.kind, info.encoding, info.delimiter = table.kind, table.encoding, table.delimiter
    info.sheets, info.sheet, info.columns = table.sheets, table.sheet, list(table.frame.columns)
    info.detected = _detect(digest, table.sheet, table)
    override = st.session_state.setdefault("roles", {}).get(digest)
    with st.spinner(UI["understanding"].format(name=md_escape(name), rows=table.rows_read), show_time=True):
        result = _build(digest, table.sheet, override or "", table)
    if isinstance(result, str):
        info.error = result
        info.roles = Roles(**json.loads(override)) if override else info.detected
        return info, None
    info.roles = result.roles
    return info, result


def load_sources() -> tuple[Dataset | None, list[FileInfo], list[str], str, bool]:
    """The dataset of this session: the uploads when there are any, else the bundled sample."""
    uploads = st.session_state.get("uploads") or []
    if uploads:
        files = [(u.name, u.getvalue(), u.file_id) for u in uploads]
        is_sample = False
    else:
        mtime = SAMPLE_PATH.stat().st_mtime
        files = [(SAMPLE_PATH.name, _sample_bytes(str(SAMPLE_PATH), mtime), f"sample:{mtime}")]
        is_sample = True
    source = ", ".join(f[0] for f in files)
    infos, datasets = [], []
    for name, data, file_id in files:
        info, dataset = _load_one(name, data, file_id)
        infos.append(info)
        if dataset is not None:
            datasets.append(dataset)
    errors = [
        f"{info.name}: {info.error}" if not info.error.startswith(info.name) else info.error
        for info in infos
        if info.error
    ]
    if not datasets:
        return None, infos, errors, source, is_sample
    good = [i for i in infos if not i.error]
    if len(datasets) == 1:
        dataset, notes = datasets[0], list(datasets[0].notes)
    else:
        key = tuple((i.digest, roles_json(i.roles)) for i in good)
        dataset, notes = _combine(key, tuple(datasets), tuple(i.name for i in good))
    return dataset, infos, errors, source, is_sample


# --------------------------------------------------------------------------------------------------
# Sidebar
# --------------------------------------------------------------------------------------------------


def sidebar_source() -> None:
    """Upload widget and, for workbooks, the sheet choice."""
    with st.sidebar:
        st.file_uploader(
            UI["upload"],
            type=None,  # the reader recognises formats by content and explains what it cannot use
            accept_multiple_files=True,
            key="uploads",
            help=UI["upload_help"],
        )


def sidebar_sheets(files: list[FileInfo]) -> None:
    for info in files:
        if len(info.sheets) > 1:
            st.sidebar.selectbox(
                UI["sheet"].format(name=info.name),
                info.sheets,
                index=info.sheets.index(info.sheet) if info.sheet in info.sheets else 0,
                key=f"sheet_{info.digest}",
            )


def _from_url(key: str, value) -> None:
    """Seed a widget from the shared link, once, before the widget is drawn (never over a user's choice)."""
    if value is not None and key not in st.session_state:
        st.session_state[key] = value


def sidebar_filters(dataset: Dataset, signature: str, is_sample: bool) -> tuple[Filters, int]:
    """Global filters, seeded from the URL and written back to it so the link reopens the same view.

    Widget keys carry the data's signature, so a new upload starts from the link's filters (or none).
    """
    frame = dataset.frame
    filters = Filters()
    link = url_state(is_sample)
    with st.sidebar:
        st.header(UI["filters"])
        dates = frame["date"].dropna()
        if not dates.empty:
            lo, hi = dates.min().date(), dates.max().date()
            start, end = link.get("from") or lo, link.get("to") or hi
            if link and lo <= start <= end <= hi:
                _from_url(f"f_date_{signature}", (start, end))
            key = f"f_date_{signature}"
            default = {} if key in st.session_state else {"value": (lo, hi)}
            chosen = st.date_input(UI["date_range"], min_value=lo, max_value=hi, key=key, **default)
            if isinstance(chosen, (tuple, list)) and len(chosen) == 2:
                if chosen[0] > lo:
                    filters.date_from = chosen[0]
                if chosen[1] < hi:
                    filters.date_to = chosen[1]
        if frame["nps"].notna().any():
            _from_url(f"f_group_{signature}", [g for g in link.get("group", []) if g in NPS_GROUPS] or None)
            filters.nps_groups = st.multiselect(UI["nps_group"], NPS_GROUPS, key=f"f_group_{signature}")
        if frame["csat"].notna().any():
            answers = sorted(int(v) for v in frame["csat"].dropna().unique())
            _from_url(
                f"f_csat_{signature}",
                [int(v) for v in link.get("csat", []) if v.isdigit() and int(v) in answers] or None,
            )
            filters.csat_values = st.multiselect(UI["csat_values"], answers, key=f"f_csat_{signature}")
        for col in segment_columns(frame, dataset):
            values = sorted(map(str, frame[col].dropna().unique()))
            _from_url(
                f"f_seg_{signature}_{col}",
                [v for v in link.get("seg", {}).get(col, []) if v in values] or None,
            )
            chosen = st.multiselect(md_escape(col), values, key=f"f_seg_{signature}_{col}")
            if chosen:
                filters.segments[col] = chosen
        if frame["text"].notna().any():
            _from_url(f"f_q_{signature}", link.get("q"))
            filters.keyword = st.text_input(UI["keyword"], key=f"f_q_{signature}", help=UI["keyword_help"])
        if "min_n" in link:
            _from_url("min_n", link["min_n"])
        default = {} if "min_n" in st.session_state else {"value": DEFAULT_MIN_N}
        min_n = st.number_input(
            UI["min_n"], min_value=1, max_value=10_000, step=5, key="min_n", help=UI["min_n_help"], **default
        )
    write_url(filters, int(min_n), is_sample)
    return filters, int(min_n)


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


def md_escape(text: str) -> str:
    """A file's own words (column names, values) as literal text where Streamlit would read Markdown:
    emphasis, links, images, HTML-looking tags, headings, tables, math and :directives: are escaped."""
    return re.sub(r"([\\`*_\[\]<>#|~$:])", r"\\\1", str(text))


def sidebar_theme_filter(filters: Filters, data_key: str) -> pd.Series | None:
    """The theme filter set from the Themes page, shown in the sidebar with a way to clear it."""
    chosen = st.session_state.get("theme_filter")
    if not chosen or chosen["data_key"] != data_key:
        return None
    filters.themes = dict(chosen["themes"])
    label = ", ".join(f"{i}: {name}" for i, name in filters.themes.items())
    st.sidebar.text(UI["theme_filter"].format(label=label))  # labels are the users' words: plain text
    st.sidebar.button(
        UI["clear_theme_filter"], key="clear_theme", on_click=st.session_state.pop, args=("theme_filter",)
    )
    return chosen["theme_of"]


def segment_columns(frame: pd.DataFrame, dataset: Dataset) -> list[str]:
    """Segment columns of the canonical frame (categoricals that are not derived)."""
    return [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype) and c != "nps_group"]


def context() -> Context:
    """Build this run's context once (app.py) and hand it to the page."""
    return st.session_state["_ctx"]


def build_context() -> Context:
    sidebar_source()
    dataset, files, errors, source, is_sample = load_sources()
    sidebar_sheets(files)
    if dataset is None:
        ctx = Context(None, pd.DataFrame(), Filters(), DEFAULT_MIN_N, source, files, errors, [], is_sample)
    else:
        signature = hashlib.sha1("|".join(f.digest for f in files).encode()).hexdigest()[:8]
        data_key = hashlib.sha1("|".join(f.digest + roles_json(f.roles) for f in files).encode()).hexdigest()[
            :16
        ]
        filters, min_n = sidebar_filters(dataset, signature, is_sample)
        theme_of = sidebar_theme_filter(filters, data_key)
        frame = apply_filters(dataset.frame, filters, theme_of)
        ctx = Context(
            dataset, frame, filters, min_n, source, files, errors, list(dataset.notes), is_sample, data_key
        )
    st.session_state["_ctx"] = ctx
    return ctx


# --------------------------------------------------------------------------------------------------
# Shared page pieces
# --------------------------------------------------------------------------------------------------


def source_header(title: str) -> Context:
    """Title, where the data came from, and whole-file problems."""
    ctx = context()
    st.title(title)
    # File names, values and the filter summary are the user's words: escaped wherever Streamlit reads Markdown.
    st.caption(
        UI["using_sample"] if ctx.is_sample else UI["using_upload"].format(names=md_escape(ctx.source))
    )
    for message in ctx.errors:
        st.error(UI["load_failed"].format(message=md_escape(message)), icon=":material/error:")
    return ctx


def page_header(title: str) -> Context | None:
    """Title, data source, load problems and the filter count; None when there is nothing to show."""
    ctx = source_header(title)
    if ctx.is_sample and st.query_params.get("data") == "upload":
        st.info(UI["link_from_upload"])
    if ctx.dataset is None:
        return None
    for note in ctx.notes:
        st.info(md_escape(note))
    n, total = len(ctx.frame), ctx.total
    line = UI["filter_count"].format(n=n, total=total)
    if not ctx.filters.is_empty():
        line += " " + UI["filter_summary"].format(summary=md_escape(ctx.filters.summary()))
    if ctx.dataset.rows_rejected:
        line += " " + UI["rows_not_kept"].format(n=ctx.dataset.rows_rejected)
    st.caption(line)
    if n == 0:
        st.warning(UI["filter_none"])
        return None
    return ctx


def overall(ctx: Context) -> dict:
    return summarize(ctx.frame, ctx.min_n)


def segments_or_stop(ctx: Context) -> list[str]:
    """The segment columns; without any, say how to get some and end the page."""
    segments = segment_columns(ctx.frame, ctx.dataset)
    if not segments:
        st.info(UI["no_segments"])
        st.stop()
    return segments


def pick_row(table: pd.DataFrame, key: str, **options) -> int:
    """A table the user can click; the position of the clicked row (the first row until one is clicked)."""
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        **options,
    )
    rows = event.selection.rows if event and event.selection else []
    return rows[0] if rows else 0


def top_themes(ctx: Context, count: int = 3) -> pd.DataFrame | None:
    """The largest complaint themes of the filtered rows if themes were computed; else a link to compute them."""
    themes = cached_themes(ctx)
    if themes is None:
        st.page_link("views/themes.py", label=UI["overview_themes_link"], icon=":material/forum:")
        return None
    return theme_metrics(ctx.frame, themes, ctx.min_n).head(count)


def metric_picker(where, frame: pd.DataFrame, key: str) -> str:
    """NPS / CSAT switch (only the metrics the file has) in `where` (a column or st)."""
    metrics = available_metrics(frame)
    choice = where.segmented_control(
        UI["metric"], metrics, default=metrics[0], format_func=METRICS.get, key=key
    )
    return choice or metrics[0]


def available_metrics(frame: pd.DataFrame) -> list[str]:
    found = [m for m in ("nps", "csat") if frame[m].notna().any()]
    return found or ["nps"]


ROLE_FIELDS = ["id", "date", "nps", "csat", "ces"]
DATE_CONVENTIONS = {"auto": None, "day-first (22/10/2016)": True, "month-first (10/22/2016)": False}


def file_summary(info: FileInfo) -> str:
    parts = [info.name, info.kind.upper() if info.kind else ""]
    if info.encoding:
        parts.append(info.encoding)
    if info.delimiter:
        parts.append("delimiter " + {"\t": "tab", " ": "space"}.get(info.delimiter, info.delimiter))
    if info.sheet:
        parts.append(f"sheet {info.sheet}")
    return md_escape(" · ".join(p for p in parts if p))


def _store_roles(digest: str) -> None:
    state = st.session_state
    roles = Roles(
        **{f: state.get(f"role_{f}_{digest}") for f in ROLE_FIELDS},
        csat_scale=tuple(int(x) for x in state[f"role_scale_{digest}"].split("-")),
        text=list(state.get(f"role_text_{digest}") or []),
        segments=list(state.get(f"role_segments_{digest}") or []),
        dayfirst=DATE_CONVENTIONS[state[f"role_dayfirst_{digest}"]],
    )
    state.setdefault("roles", {})[digest] = roles_json(roles)


def _reset_roles(digest: str) -> None:
    st.session_state.setdefault("roles", {}).pop(digest, None)
    for key in [k for k in st.session_state if str(k).startswith("role_") and str(k).endswith(digest)]:
        del st.session_state[key]


def role_editor(info: FileInfo) -> None:
    """Selectboxes for every role of one file; a change rebuilds the dataset on the next run."""
    roles, digest, cols = info.roles, info.digest, info.columns
    options = [None, *cols]
    on_change, args = _store_roles, (digest,)
    label = {"id": "Response id", "date": "Date", "nps": "NPS (0–10)", "csat": "CSAT", "ces": "CES (effort)"}
    grid = st.columns(3)
    for i, f in enumerate(ROLE_FIELDS):
        current = getattr(roles, f)
        grid[i % 3].selectbox(
            label[f],
            options,
            index=options.index(current) if current in options else 0,
            format_func=lambda v: UI["none"] if v is None else v,
            key=f"role_{f}_{digest}",
            on_change=on_change,
            args=args,
        )
    scales = ["1-5", "1-7", "1-10", "0-10"]
    scale = f"{roles.csat_scale[0]}-{roles.csat_scale[1]}"
    grid[2].selectbox(
        "CSAT scale",
        scales,
        index=scales.index(scale),
        key=f"role_scale_{digest}",
        on_change=on_change,
        args=args,
    )
    conventions = list(DATE_CONVENTIONS)
    current = next(k for k, v in DATE_CONVENTIONS.items() if v == roles.dayfirst)
    st.radio(
        "Dates",
        conventions,
        index=conventions.index(current),
        horizontal=True,
        key=f"role_dayfirst_{digest}",
        on_change=on_change,
        args=args,
    )
    st.multiselect(
        "Comment columns",
        cols,
        default=[c for c in roles.text if c in cols],
        key=f"role_text_{digest}",
        on_change=on_change,
        args=args,
    )
    st.multiselect(
        "Segment columns",
        cols,
        default=[c for c in roles.segments if c in cols],
        key=f"role_segments_{digest}",
        on_change=on_change,
        args=args,
    )
    if st.session_state.get("roles", {}).get(digest):
        st.button("Reset to detected roles", key=f"role_reset_{digest}", on_click=_reset_roles, args=args)


# --------------------------------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def embedding_cache() -> EmbeddingCache:
    return EmbeddingCache(default_cache_dir())


_THEMES: OrderedDict[tuple, ThemeResult | str] = OrderedDict()
_THEMES_LOCK = threading.Lock()
THEME_CACHE_ENTRIES = 8


def _themes(
    data_key: str, all_comments: bool, n_themes, embedder: str, frame: pd.DataFrame, progress
) -> ThemeResult | str:
    # A plain per-process LRU rather than st.cache_resource: the progress bar is drawn from inside the
    # computation, and Streamlit would try to replay it on a cache hit.
    key = (data_key, all_comments, n_themes, embedder)
    with _THEMES_LOCK:
        if key in _THEMES:
            _THEMES.move_to_end(key)
            return _THEMES[key]
    try:
        result = find_themes(
            frame,
            all_comments=all_comments,
            n_themes=n_themes,
            embedder=embedder,
            cache=embedding_cache(),
            progress=progress,
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


def themes_result(ctx: Context, all_comments: bool, n_themes, embedder: str) -> ThemeResult | str:
    """Themes of the whole dataset (not the filtered rows, so they stay put while filtering), with a
    progress bar that counts the comments embedded; cached per content and settings."""
    bar = st.empty()

    def progress(done: int, total: int) -> None:
        if total:
            bar.progress(done / total, text=UI["themes_progress"].format(done=done, total=total))

    result = _themes(ctx.data_key, all_comments, n_themes, embedder, ctx.dataset.frame, progress)
    bar.empty()
    return result


def cached_themes(ctx: Context) -> ThemeResult | None:
    """The default themes (complaints, automatic k and model) if they were already computed, else None:
    the Overview never makes a manager wait for embeddings."""
    with _THEMES_LOCK:
        result = _THEMES.get((ctx.data_key, False, "auto", "auto"))
    return result if isinstance(result, ThemeResult) else None


def set_theme_filter(ctx: Context, result: ThemeResult, theme_id: int, label: str) -> None:
    st.session_state["theme_filter"] = {
        "data_key": ctx.data_key,
        "themes": {int(theme_id): label},
        "theme_of": result.assignments["theme_id"],
    }


THEME_COLUMNS = {
    "share": st.column_config.NumberColumn("share", format="%.0f %%"),
    "quote": st.column_config.TextColumn("representative comment", width="large"),
}


# --------------------------------------------------------------------------------------------------
# Lowest areas
# --------------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def _areas(
    data_key: str, filters: str, metric: str, depth: int, min_n: int, _frame: pd.DataFrame, segments: tuple
) -> pd.DataFrame:
    return area_table(_frame, list(segments), metric, depth, min_n)


def areas(ctx: Context, metric: str, depth: int = 2) -> pd.DataFrame:
    """The area ranking of the filtered rows, cached per data, filter and settings."""
    segments = tuple(segment_columns(ctx.frame, ctx.dataset))
    return _areas(ctx.data_key, repr(ctx.filters), metric, depth, ctx.min_n, ctx.frame, segments)


# --------------------------------------------------------------------------------------------------
# Downloads, exports, report
# --------------------------------------------------------------------------------------------------


def show_chart(chart, name: str) -> None:
    """A chart, and under it PNG and SVG downloads (drawn only when clicked)."""
    st.altair_chart(chart, width="stretch")
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


@st.cache_data(show_spinner=False, max_entries=4)
def _languages(data_key: str, _texts: pd.Series) -> pd.Series:
    texts = _texts.dropna()
    return pd.Series(detect_languages([str(t) for t in texts]), index=texts.index, dtype=object)


def languages(ctx: Context) -> pd.Series:
    """Detected language of every comment of the dataset (cached per data)."""
    return _languages(ctx.data_key, ctx.dataset.frame["text"])


def export_responses(ctx: Context, mask: bool) -> pd.DataFrame:
    """The filtered rows with every original and computed column (what the CSV holds)."""
    themes = cached_themes(ctx)
    rows = export_rows(ctx.dataset, ctx.frame, languages(ctx), themes.assignments if themes else None)
    return mask_text_columns(rows) if mask else rows


def export_tables(ctx: Context, mask: bool) -> dict[str, pd.DataFrame]:
    """The workbook: the filtered rows, then the overall metrics, by segment, lowest areas and themes."""
    themes = cached_themes(ctx)
    rows = export_responses(ctx, mask)
    s = summarize(ctx.frame, ctx.min_n)
    sheets = {"responses": rows, "overall": pd.DataFrame([{k: s[k] for k in ("n", "comments", *COLUMNS)}])}
    parts = []
    for col in segment_columns(ctx.frame, ctx.dataset):
        table = metrics_by(ctx.frame, col, ctx.min_n).rename(columns={col: "value"})
        table.insert(0, "segment", col)
        parts.append(table)
    if parts:
        sheets["by segment"] = pd.concat(parts, ignore_index=True)
    metric = available_metrics(ctx.frame)[0]
    area = areas(ctx, metric)
    if len(area):
        sheets[f"lowest areas ({METRICS[metric]})"] = area.drop(columns=["segment", "pos", "neg"]).assign(
            explained_by=area["explained_by"].map(lambda v: area_label(v) if v else "")
        )
    if themes is not None:
        sheets["themes"] = theme_metrics(ctx.frame, themes, ctx.min_n)
    return sheets


def report_html(ctx: Context) -> str:
    """The review report of the current view (filters included)."""
    s = summarize(ctx.frame, ctx.min_n)
    cards = [
        (METRICS[m], fmt_nps(s[m]) if m == "nps" else fmt_pct(s[m]), interval_caption(s, m, ctx.min_n))
        for m in ("nps", "csat")
        if s[f"n_{m}"]
    ]
    cards += [(METRICS["responses"], f"{s['n']:,}", ""), (METRICS["comments"], f"{s['comments']:,}", "")]
    dates = ctx.frame["date"].dropna()
    period = f"{dates.min():%d %b %Y} – {dates.max():%d %b %Y}" if not dates.empty else "no dates"
    charts = []
    if not dates.empty:
        table = metrics_by(ctx.frame, "month", ctx.min_n)
        for m in ("nps", "csat"):
            if s[f"n_{m}"]:
                chart = trend_chart(table, m, "month", ctx.min_n).properties(width=640)
                charts.append((f"{METRICS[m]} by month", chart_svg(chart).decode("utf-8")))
    sentences = []
    if segment_columns(ctx.frame, ctx.dataset):
        for m in ("nps", "csat"):
            if s[f"n_{m}"]:
                sentences += [area_sentence(r, m) for _, r in lowest(areas(ctx, m)).iterrows()]
    themes = cached_themes(ctx)
    top = theme_metrics(ctx.frame, themes, ctx.min_n).head(5) if themes else None
    return build_report(
        title="CX Lens review",
        source=ctx.source,
        filter_summary=ctx.filters.summary(),
        period=period,
        cards=cards,
        charts=charts,
        areas=sentences,
        themes=top,
    )


def presenting() -> bool:
    return st.query_params.get("present") == "1"


def present_link(exit: bool = False) -> str:
    """A relative link to the presentation (or back) that keeps every filter of the current view."""
    from urllib.parse import urlencode

    params = [(k, v) for k in st.query_params if k != "present" for v in st.query_params.get_all(k)]
    if not exit:
        params.append(("present", "1"))
    return ("./present" if not exit else "./") + ("?" + urlencode(params) if params else "")
