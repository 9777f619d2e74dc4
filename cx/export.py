"""Files that leave the app: rows as CSV or Excel, tables, chart images, and the review report.

Every text cell that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return)
is neutralised with a leading apostrophe, in CSV and in Excel (OWASP CSV-injection guidance); numbers stay
numbers. CSV is UTF-8 with a BOM so Excel shows accents and ñ.
"""

from __future__ import annotations

import io

import pandas as pd

from cx.schema import CANONICAL, Dataset
from cx.strings import EXPORT, HEADERS
from cx.text import detect_languages, mask_pii

# OWASP CSV injection guidance: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
COMPUTED = [
    "nps_group",
    "csat_satisfied",
    "is_complaint",
    "language",
    "theme_id",
    "theme_label",
    "all_theme_ids",
    "all_theme_labels",
]
SEPARATORS = {",": "comma", ";": "semicolon"}


def neutralise(value):
    """Prefix a text cell that a spreadsheet would execute with a single quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised."""
    out = frame.copy()
    for col in out.columns:
        if (
            out[col].dtype == object
            or pd.api.types.is_string_dtype(out[col])
            or isinstance(out[col].dtype, pd.CategoricalDtype)
        ):
            out[col] = out[col].astype(object).map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, sep: str = ",") -> bytes:
    """UTF-8 with BOM (so Excel reads accents and ñ), injection-safe."""
    if sep not in SEPARATORS:
        raise ValueError(f"separator must be one of {list(SEPARATORS)}")
    decimal = "," if sep == ";" else "."  # a semicolon file is for spreadsheets set to decimal commas
    # CRLF rows, as Excel writes them; it also makes pandas quote a field holding a bare carriage return,
    # which would otherwise split the row in two.
    return (
        safe_frame(frame)
        .to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\r\n")
        .encode("utf-8-sig")
    )


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame (first = the rows), injection-safe: text is stored as text,
    never as a formula or a link, and neutralised as in CSV."""
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        for name, frame in sheets.items():
            clean = safe_frame(_excel_ready(frame))
            clean.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            sheet.freeze_panes(1, 0)
            for i, col in enumerate(clean.columns):
                lengths = clean[col].astype(object).fillna("").astype(str).str.len()
                typical = int(lengths.quantile(0.9)) if len(lengths) else 0
                sheet.set_column(i, i, min(60, max(8, len(str(col)) + 2, typical + 2)))
    return buffer.getvalue()


def _excel_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Excel has no time zones, no nullable types and no dicts: plain values only."""
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[col] = series.dt.tz_localize(None)
        elif isinstance(series.dtype, (pd.BooleanDtype, pd.Int64Dtype, pd.StringDtype, pd.CategoricalDtype)):
            out[col] = series.astype(object).where(series.notna(), None)
        elif series.dtype == object:
            out[col] = series.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def _numeric_if_clean(series: pd.Series) -> pd.Series:
    """A text column whose every non-blank cell is a plain number becomes numbers (so Excel can sum it)."""
    if not (series.dtype == object or pd.api.types.is_string_dtype(series)):
        return series
    text = series.astype(object).fillna("").astype(str).str.strip()
    blank = series.isna() | (text == "")
    if blank.all():
        return series
    parsed = pd.to_numeric(text.where(~blank), errors="coerce")
    if parsed[~blank].notna().all() and text[~blank].str.fullmatch(r"-?\d+(\.\d+)?").all():
        return parsed
    return series


def export_rows(
    dataset: Dataset,
    frame: pd.DataFrame,
    languages: pd.Series | None = None,
    themes: pd.DataFrame | None = None,
    pairs: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The rows of `frame` (e.g. the filtered ones) with every original column plus the computed ones.

    Args:
        dataset: where the original columns come from (`raw`, aligned on the canonical frame's index for a
            single file; several combined files export the canonical columns and `source`).
        languages: detected language per frame index (None: column left empty).
        themes: `theme_id`, `theme_label` per frame index for the grouped comments (None: left empty).
        pairs: one row per (comment, theme) (`row`, `parent_id`, `parent_label`): a comment with several
            problems is in several top themes, listed in `all_theme_ids` / `all_theme_labels` ("1; 3").
    """
    single = len(dataset.raw) >= len(dataset.frame) and "source" not in dataset.frame.columns
    if single:
        original = dataset.raw.loc[frame.index].copy()
        original = original.apply(_numeric_if_clean)
    else:
        keep = [c for c in frame.columns if c in CANONICAL or c not in COMPUTED + ["ces"]]
        original = frame[[c for c in keep if c not in ("nps_group", "csat_satisfied", "is_complaint")]].copy()
    # An original column called like a computed one keeps its values under "<name> (original)".
    out = original.rename(columns={c: f"{c} (original)" for c in original.columns if c in COMPUTED})
    out["nps_group"] = frame["nps_group"].astype(object)
    out["csat_satisfied"] = frame["csat_satisfied"].astype(object)
    out["is_complaint"] = frame["is_complaint"]
    out["language"] = languages.reindex(frame.index) if languages is not None else None
    if themes is not None:
        assigned = themes.reindex(frame.index)
        out["theme_id"] = assigned["theme_id"].astype("Int64")
        out["theme_label"] = assigned["theme_label"]
    else:
        out["theme_id"], out["theme_label"] = None, None
    out["all_theme_ids"], out["all_theme_labels"] = None, None
    if pairs is not None and len(pairs) and {"row", "parent_id", "parent_label"} <= set(pairs.columns):
        top = pairs[["row", "parent_id", "parent_label"]].drop_duplicates(["row", "parent_id"])
        top = top.sort_values(["row", "parent_id"], kind="stable")
        joined = top.groupby("row").agg(
            ids=("parent_id", lambda v: "; ".join(str(int(i)) for i in v)),
            labels=("parent_label", lambda v: "; ".join(map(str, v))),
        )
        out["all_theme_ids"] = joined["ids"].reindex(frame.index).to_numpy()
        out["all_theme_labels"] = joined["labels"].reindex(frame.index).to_numpy()
    return out.reset_index(drop=True)


def chart_svg(chart) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_json()).encode("utf-8")


def chart_png(chart, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_json(), scale=scale)


def mask_text_columns(rows: pd.DataFrame) -> pd.DataFrame:
    """Personal data masked in every text column of an export (on by default)."""
    out = rows.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: mask_pii(v) if isinstance(v, str) else v)
    return out


def comment_languages(texts: pd.Series) -> pd.Series:
    """Detected language of every non-empty comment, by the index of `texts`."""
    texts = texts.dropna()
    return pd.Series(detect_languages([str(t) for t in texts]), index=texts.index, dtype=object)


def response_rows(
    dataset: Dataset,
    frame: pd.DataFrame,
    *,
    languages: pd.Series | None = None,
    themes=None,
    mask: bool = True,
) -> pd.DataFrame:
    """The rows the user sees (`frame`, filtered) as exported, by the app and the CLI alike.

    Args:
        languages: language per frame index (None: detected here).
        themes: the ThemeResult the user is looking at (None: theme columns left empty).
        mask: personal data masked in every text column.
    """
    if languages is None:
        languages = comment_languages(frame["text"])
    rows = export_rows(
        dataset,
        frame,
        languages,
        themes.assignments if themes is not None else None,
        getattr(themes, "pairs", None) if themes is not None else None,
    )
    return mask_text_columns(rows) if mask else rows


# The columns of `summarize` / `metrics_by` that belong to each metric: a sheet shows only the metrics the
# file has (no empty NPS columns in a file of tweets).
METRIC_SHEET_COLUMNS = {
    "nps": ["n_nps", "nps", "nps_low", "nps_high", "promoters", "passives", "detractors", "nps_below_min"],
    "csat": ["n_csat", "csat", "csat_low", "csat_high", "csat_mean", "csat_below_min"],
    "ces": ["n_ces", "ces", "ces_low", "ces_high", "ces_easy", "ces_below_min"],
    "sentiment": [
        "n_sentiment",
        "negative",
        "neutral",
        "positive",
        "sentiment",
        "sentiment_low",
        "sentiment_high",
        "sentiment_below_min",
    ],
    "volume": ["comments", "volume", "volume_share"],
}


def metric_sheet_columns(available: list[str], sentiment_source: str | None) -> list[str]:
    """The metric columns a workbook sheet keeps for these metrics.

    An estimated sentiment has no neutral or positive (the model only says "likely negative" or not), so
    those counts are left out rather than shown as zeros.
    """
    columns = []
    for metric in available:
        cols = METRIC_SHEET_COLUMNS.get(metric, [])
        if metric == "sentiment" and sentiment_source == "estimated":
            cols = [c for c in cols if c not in ("neutral", "positive")]
        columns += cols
    return columns


def workbook_sheets(
    dataset: Dataset,
    frame: pd.DataFrame,
    min_n: int,
    *,
    segments: list[str],
    languages: pd.Series | None = None,
    themes=None,
    mask: bool = True,
) -> dict[str, pd.DataFrame]:
    """The Excel workbook: the filtered rows, then the overall metrics, by segment, by month, lowest areas
    and themes.

    Every sheet is computed on `frame`, so the workbook matches what the user filtered, and shows the
    metrics this file has (`available_metrics`): NPS, CSAT, CES, the share of negative comments with its
    source ("column X" or "estimated"), and volume. "by month" is there when the rows have dates; the lowest
    areas are ranked on the first metric that ranks areas (NPS, CSAT, CES, then negative comments).
    """
    from cx.areas import AREA_METRICS, area_label, area_table
    from cx.metrics import available_metrics, key_columns, metrics_by, period_labels, summarize
    from cx.tables import metric_name
    from cx.themes import theme_metrics

    rows = response_rows(dataset, frame, languages=languages, themes=themes, mask=mask)
    source = dataset.sentiment_source
    available = available_metrics(frame)
    keep = metric_sheet_columns(available, source)
    s = summarize(frame, min_n)
    overall = {"n": s["n"], **{k: s[k] for k in keep}}
    if "volume" in available:
        overall["volume_basis"] = s["volume_basis"]
    if "sentiment" in available:
        overall["sentiment_source"] = source or ""
    sheets = {EXPORT["sheet_responses"]: rows, EXPORT["sheet_overall"]: pd.DataFrame([overall])}
    parts = []
    for col in segments:
        table = metrics_by(frame, col, min_n)
        table = table[[col, "n", *keep]].rename(columns={col: "value"})
        table.insert(0, "segment", col)
        parts.append(table)
    if parts:
        sheets[EXPORT["sheet_by_segment"]] = pd.concat(parts, ignore_index=True)
    if frame["date"].notna().any():
        table = metrics_by(frame, "month", min_n)
        if len(table):
            table = table[[*key_columns(table), "n", *keep]]
            table["period"] = period_labels(table["period"], "month")
            sheets[EXPORT["sheet_by_month"]] = table.rename(columns={"period": "month"})
    metric = next((m for m in available if m in AREA_METRICS), None)
    if segments and metric:
        area = area_table(frame, segments, metric, 2, min_n)
        if len(area):
            sheets[EXPORT["sheet_lowest"].format(metric=metric_name(metric))] = area.drop(
                columns=["segment", "pos", "neg"]
            ).assign(explained_by=area["explained_by"].map(lambda v: area_label(v) if v else ""))
    if themes is not None:
        table = theme_metrics(frame, themes, min_n)
        if mask:
            table["quotes"] = table["quotes"].map(lambda quotes: [mask_pii(q) for q in quotes])
        sheets[EXPORT["sheet_themes"]] = table
    return sheets


def translate_headers(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The same table with its computed and summary columns named in words, in the language of the run
    ("grupo NPS" for nps_group): the export option "translated headers".

    Args:
        columns: the only columns to rename (the rows of a file: `COMPUTED`, so the file's own "nps" or
            "csat" keeps its name); None: every column the catalogue names. A header that would repeat
            another one keeps its stable name.
    """
    names, taken = {}, {str(c) for c in frame.columns}
    for col in frame.columns:
        word = HEADERS.get(str(col)) if columns is None or col in columns else None
        if word and word != col and word not in taken:
            names[col] = word
            taken.add(word)
    return frame.rename(columns=names)


def translate_workbook(sheets: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The sheets of `workbook_sheets` with translated headers (the first, the rows, as `response_rows`)."""
    return {
        name: translate_headers(frame, COMPUTED if i == 0 else None)
        for i, (name, frame) in enumerate(sheets.items())
    }
