"""A `cx batch` output folder as a data source for the dashboard: every figure from DuckDB over Parquet.

Every metric of cx/metrics.py is a function of additive per-row indicators (answers, promoters,
detractors, satisfied, sums of scores, comments, …; `cx.metrics.INDICATORS`). Here those indicators are
SQL sums, grouped in DuckDB with the filters as a parameterised WHERE, and the sums are finished by the
same pandas functions (`summary_from_counts`, `table_from_counts`, `cx.areas.area_table` on cells), so a
dataset folder and the same rows loaded in pandas give the same numbers, and 10 M rows never sit in a
pandas frame.

DIR/rollup.parquet (written at the end of `cx batch`, see `write_rollup`) holds the indicator sums per
combination of the segment columns and month: a question that only filters on segments and whole months
is answered from it (thousands of rows instead of millions); any other one scans responses/.
DIR/rollup_themes.parquet (written with it) holds the same sums per combination of top themes a comment
has (`theme_ids`, all_theme_ids as written: "1; 3"), segments and month, each commented response once: the
themes table sums it per theme (a response counted once in each of its themes), and a theme filter keeps
the combinations with any chosen theme (a response in two chosen themes counted once), exactly.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from cx.areas import AREA_METRICS, area_table, message_for
from cx.filters import Filters, fold
from cx.metrics import (
    BLANK_SEGMENT,
    DEFAULT_MIN_N,
    GRANULARITIES,
    INDICATORS,
    SCORED,
    summary_from_counts,
    table_from_counts,
)
from cx.schema import CANONICAL, DERIVED

ROLLUP = "rollup.parquet"
THEME_ROLLUP = "rollup_themes.parquet"
REPORT = "report.json"
# Columns the batch adds to the canonical ones: never segments.
BATCH_COLUMNS = [
    "source_file",
    "theme_id",
    "theme_label",
    "theme_status",
    "all_theme_ids",
    "all_theme_labels",
    "month",
]
OTHER_THEME = "0"  # all_theme_ids' Other (cx.themes.OTHER_ID): not a theme of the table
# Indicators stored in the roll-up (volume is comments or n, chosen per question: `volume_basis`).
STORED = [c for c in INDICATORS if c != "volume"]
_SUMS = ("csat_sum", "ces_sum", "ces_sq")
# The weights of each metric's lowest areas (cx.areas.answer_counts), as indicator sums.
AREA_WEIGHTS = {
    "nps": ("n_nps", "promoters", "detractors"),
    "csat": ("n_csat", "satisfied", None),
    "sentiment": ("n_sentiment", "negative", None),
    "ces": ("n_ces", "ces_sum", "ces_sq"),
}
# Python's str.split() whitespace within ASCII: an ASCII comment folds to lower case with these collapsed.
_ASCII_SPACE = "[\t\n\x0b\x0c\r\x1c-\x1f ]+"


class BatchQueryError(ValueError):
    """The folder is not a batch output, or a column asked for is not in it (one plain sentence)."""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _files(folder: Path) -> list[Path]:
    responses = folder / "responses"
    return sorted(responses.glob("month=*/*.parquet")) if responses.is_dir() else []


def is_batch_folder(path: str | Path) -> bool:
    """True when `path` is a folder with responses/ Parquet files and a report.json (a `cx batch` output)."""
    folder = Path(path)
    return folder.is_dir() and (folder / REPORT).is_file() and bool(_files(folder))


def _fold_arrow(texts):
    """cx.filters.fold over an Arrow array of comments (NULL stays NULL), for DuckDB."""
    import pyarrow as pa

    return pa.array(
        [None if t is None else fold(" ".join(t.split())) for t in texts.to_pylist()], type=pa.string()
    )


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _month_bounds(filters: Filters) -> tuple[dt.date | None, dt.date | None] | None:
    """The months a date filter keeps when its bounds are whole months (None when they are not)."""
    start, end = filters.date_from, filters.date_to
    if start and start.day != 1:
        return None
    if end and end.day != calendar.monthrange(end.year, end.month)[1]:
        return None
    return (start, end.replace(day=1) if end else None)


class BatchSource:
    """A `cx batch` output folder, queried with DuckDB (see the module's doc).

    Args:
        folder: the output folder of `cx batch`.
        cells_cache: how many filters' cells (the roll-up's sums, of the rows one filter keeps) to keep in
            memory, so that the tables of a filter the roll-up cannot answer cost one scan, not one each;
            0: scan for every question.

    Raises:
        BatchQueryError: the folder is not a batch output (one plain sentence).
    """

    def __init__(self, folder: str | Path, cells_cache: int = 2):
        import duckdb

        self.folder = Path(folder)
        self.name = self.folder.name
        if not self.folder.is_dir():
            raise BatchQueryError(f"{self.folder} is not a folder.")
        self._files = _files(self.folder)
        if not self._files or not (self.folder / REPORT).is_file():
            raise BatchQueryError(
                f"{self.folder} is not a `cx batch` output folder (it needs responses/ Parquet files and "
                "report.json): run `cx batch INPUT --out` into it first."
            )
        try:
            self._connect()
        except duckdb.Error as exc:
            raise BatchQueryError(f"{self.folder}: its responses/ files cannot be read ({exc}).") from None
        self.report = self._report()
        self.sentiment_source = self._sentiment_source()
        self._rollup = self._open_rollup()
        self._theme_rollup = self._rollup and self._open_theme_rollup()
        self._values: dict[str, list[str]] = {}
        self._cells_size = cells_cache
        self._cells: OrderedDict[str, str] = OrderedDict()  # repr(filters) -> table name
        self._cells_lock = threading.Lock()
        self._cells_made = 0

    def _connect(self, memory_limit: str | None = None) -> None:
        """A DuckDB connection with a `responses` view over every month's files; the columns and segments.

        Args:
            memory_limit: DuckDB's cap; default CX_DUCKDB_MEMORY or 300MB (the dashboard's process).
        """
        import duckdb

        limit = memory_limit or os.environ.get("CX_DUCKDB_MEMORY", "300MB")
        self._db = duckdb.connect(config={"memory_limit": limit})
        pattern = _sql_path(self.folder / "responses" / "month=*" / "*.parquet")
        self._db.execute(
            f"CREATE VIEW responses AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = true, "
            "union_by_name = true, filename = true, file_row_number = true, hive_types = {'month': VARCHAR})"
        )
        self._types = {row[0]: row[1] for row in self._db.execute("DESCRIBE responses").fetchall()}
        self.rows = int(self._db.execute("SELECT count(*) FROM responses").fetchall()[0][0])
        self.columns = [c for c in self._types if c not in ("month", "filename", "file_row_number")]
        fixed = set(CANONICAL) | set(DERIVED) | set(BATCH_COLUMNS)
        self.segments = [c for c in self.columns if c not in fixed and self._types[c] == "VARCHAR"]
        self._db.create_function(
            "cx_fold", _fold_arrow, ["VARCHAR"], "VARCHAR", type="arrow", side_effects=False
        )
        self._rollup = False
        self._theme_rollup = False

    # ---- folder facts ----------------------------------------------------------------------------------
    def _report(self) -> dict:
        try:
            return json.loads((self.folder / REPORT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _sentiment_source(self) -> str | None:
        """As `Dataset.sentiment_source` for the files combined ("column X", "estimated", or None)."""
        sources = set()
        for entry in (self.report.get("files") or {}).values():
            source = (entry.get("row_report") or {}).get("sentiment_source")
            if source:
                sources.add(source)
        return ", ".join(sorted(sources)) or None

    def _open_rollup(self) -> bool:
        """True when DIR/rollup.parquet is there and was written from the responses/ files present now."""
        path = self.folder / ROLLUP
        meta = self.report.get("rollup") or {}
        files = sorted(str(p.relative_to(self.folder)) for p in self._files)
        if not path.is_file() or meta.get("files") != files or meta.get("rows") != self.rows:
            return False
        self._db.execute(f"CREATE VIEW rollup AS SELECT * FROM read_parquet('{_sql_path(path)}')")
        columns = {row[0] for row in self._db.execute("DESCRIBE rollup").fetchall()}
        self._rollup_segments = [c for c in self.segments if c in columns]
        return {"month", "year_only", *STORED} <= columns

    def _theme_key(self) -> tuple[str, str] | None:
        """(name, SQL) of each response's themes as one text key: all_theme_ids ("1; 3"), or theme_id in a
        folder without it (a codeframe's, an older batch's); None when the folder has no themes."""
        if "all_theme_ids" in self._types:
            return "all_theme_ids", _quote("all_theme_ids")
        if "theme_id" in self._types:
            return "theme_id", f"{_quote('theme_id')}::VARCHAR"
        return None

    def _open_theme_rollup(self) -> bool:
        """True when DIR/rollup_themes.parquet was written with the roll-up in use, keyed as the files are."""
        meta = (self.report.get("rollup") or {}).get("themes") or {}
        path = self.folder / THEME_ROLLUP
        key = self._theme_key()
        if not path.is_file() or key is None or meta.get("key") != key[0]:
            return False
        self._db.execute(f"CREATE VIEW rollup_themes AS SELECT * FROM read_parquet('{_sql_path(path)}')")
        columns = {row[0] for row in self._db.execute("DESCRIBE rollup_themes").fetchall()}
        return {"theme_ids", *self._rollup_segments, "month", "year_only", *STORED} <= columns

    @property
    def uses_rollup(self) -> bool:
        """Whether this folder has an up-to-date roll-up (questions it can answer skip the scan)."""
        return self._rollup

    def _query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        cursor = self._db.cursor()  # one cursor per question: the app asks from several threads
        try:
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    def _col(self, name: str, cast: str | None = None) -> str:
        """A column of responses/ in SQL, or NULL when no file has it (year_only, sentiment_estimated…)."""
        if name not in self._types:
            return f"NULL::{cast or 'VARCHAR'}"
        return f"{_quote(name)}::{cast}" if cast else _quote(name)

    def _check(self, column: str) -> None:
        if column not in self.columns:
            raise BatchQueryError(
                f"{column!r} is not a column of {self.name}; columns: {', '.join(self.columns)}."
            )

    def segment_values(self, column: str) -> list[str]:
        """The column's values in the whole folder, sorted, with "(blank)" last when some rows have none."""
        self._check(column)
        if column not in self._values:
            table = "rollup" if self._rollup and column in self._rollup_segments else "responses"
            found = self._query(f"SELECT DISTINCT {_quote(column)}::VARCHAR AS v FROM {table}")["v"]
            values = sorted(str(v) for v in found if isinstance(v, str))
            missing = found.isna().any() and BLANK_SEGMENT not in values
            self._values[column] = values + ([BLANK_SEGMENT] if missing else [])
        return list(self._values[column])

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last day with responses; None when no row is dated."""
        if "date" not in self._types:
            return None
        low, high = self._query('SELECT min("date") AS lo, max("date") AS hi FROM responses').iloc[0]
        if pd.isna(low):
            return None
        return pd.Timestamp(low).date(), pd.Timestamp(high).date()

    def themes(self) -> pd.DataFrame:
        """themes.parquet (theme_id, label, terms, n, share, …); an empty frame when the batch has none."""
        path = self.folder / "themes.parquet"
        if not path.is_file():
            return pd.DataFrame(columns=["theme_id", "label", "n", "share"])
        return pd.read_parquet(path)

    # ---- filters ---------------------------------------------------------------------------------------
    def _where(self, filters: Filters | None, rollup: bool = False) -> tuple[str, list]:
        """The filters as a SQL condition with parameters, as cx.filters.apply_filters keeps rows.

        `rollup`: over a roll-up's cells (segments and whole months; a theme filter over the theme roll-up's
        theme_ids)."""
        filters = filters or Filters()
        clauses, params = [], []
        if rollup:
            months = _month_bounds(filters)
            if months and months[0]:
                clauses.append("month >= ?")
                params.append(months[0])
            if months and months[1]:
                clauses.append("month <= ?")
                params.append(months[1])
        else:
            date = self._col("date", "TIMESTAMP")
            if filters.date_from:
                # the month partitions first (a plain string test DuckDB prunes files with), then the day
                clauses.append(f"month >= ? AND {date} >= ?")
                params += [f"{filters.date_from:%Y-%m}", pd.Timestamp(filters.date_from).to_pydatetime()]
            if filters.date_to:
                clauses.append(f"month <= ? AND {date} < ?")
                end = pd.Timestamp(filters.date_to) + pd.Timedelta(days=1)
                params += [f"{filters.date_to:%Y-%m}", end.to_pydatetime()]
        for column, values in filters.segments.items():
            if not values or column not in self._types:  # as apply_filters: a column not here is no filter
                continue
            clauses.append(f"coalesce({_quote(column)}::VARCHAR, ?) IN ({', '.join('?' * len(values))})")
            params += [BLANK_SEGMENT, *map(str, values)]
        if rollup:
            if filters.themes:  # rollup_themes: the combinations with any chosen theme, each response once
                clauses.append("list_has_any(string_split(theme_ids, '; '), ?::VARCHAR[])")
                params.append([str(t) for t in filters.themes])
            return " AND ".join(clauses) or "TRUE", params
        if filters.nps_groups:
            clauses.append(f"{self._col('nps_group')} IN ({', '.join('?' * len(filters.nps_groups))})")
            params += [str(g) for g in filters.nps_groups]
        if filters.csat_values:
            clauses.append(f"{self._col('csat', 'DOUBLE')} IN ({', '.join('?' * len(filters.csat_values))})")
            params += [float(int(v)) for v in filters.csat_values]
        if filters.keyword.strip():
            needle = fold(" ".join(filters.keyword.split()))
            text = self._col("text")
            # ASCII comments fold in SQL (lower case, spaces collapsed: not needed for a single word, whose
            # characters are never spaces); the others through cx.filters.fold itself.
            ascii_fold = f"lower({text})"
            if " " in needle:
                ascii_fold = f"lower(regexp_replace({text}, '{_ASCII_SPACE}', ' ', 'g'))"
            folded = (
                f"CASE WHEN {text} IS NULL THEN '' WHEN strlen({text}) = length({text}) "
                f"THEN {ascii_fold} ELSE cx_fold({text}) END"
            )
            clauses.append(f"contains({folded}, ?)")
            params.append(needle)
        if filters.themes and "all_theme_ids" in self._types:
            # a comment in two themes passes a filter on either (cx.themes.theme_of_rows)
            clauses.append(f"list_has_any({self._theme_list()}, ?::VARCHAR[])")
            params.append([str(t) for t in filters.themes])
        elif filters.themes and "theme_id" in self._types:  # no themes in the folder: as no theme_of
            clauses.append(f"{self._col('theme_id')}::VARCHAR IN ({', '.join('?' * len(filters.themes))})")
            params += [str(t) for t in filters.themes]
        return " AND ".join(clauses) or "TRUE", params

    def _plan(self, filters: Filters | None, columns: list[str], months_ok: bool = True) -> list:
        """Parts whose indicator sums add up to the rows the filters keep: [(kind, Filters)].

        "rollup": the roll-up answers segment filters and whole months; a date range that cuts a month is
        the roll-up for the whole months inside it plus a "scan" of the one or two cut months (DuckDB
        reads only those months' files); with a theme filter, "rollup" means the theme roll-up's cells of
        the chosen themes. Any other filter (NPS group, CSAT answer, keyword, a theme without a theme
        roll-up), or a folder without a roll-up: "cells", the roll-up's sums of the rows this filter keeps,
        made by one scan and kept for the next questions (`cells_cache`). A group column that is not a segment, or a
        period finer than a month (`months_ok` False): "scan" of responses/.
        """
        filters = filters or Filters()
        scan = [("scan", filters)]
        if not months_ok or not all(c in self.segments for c in columns):
            return scan
        cells = [("cells", filters)] if getattr(self, "_cells_size", 0) > 0 else scan
        if not self._rollup:
            return cells
        if filters.nps_groups or filters.csat_values or filters.keyword.strip():
            return cells
        if filters.themes and not self._theme_rollup:
            return cells
        wanted = [c for c, v in filters.segments.items() if v and c in self._types] + list(columns)
        if not all(c in self._rollup_segments for c in wanted):
            return cells
        start, end = filters.date_from, filters.date_to
        if _month_bounds(filters) is not None:
            return [("rollup", filters)]
        if start and end and start > end:
            return scan
        parts = []
        first_full, last_full = start, end
        if start and start.day != 1:  # the cut first month, scanned from its day
            month_end = _month_end(start)
            parts.append(
                ("scan", replace(filters, date_from=start, date_to=min(end, month_end) if end else month_end))
            )
            first_full = month_end + dt.timedelta(days=1)
        if end and end != _month_end(end):  # the cut last month, unless it is the first one (done above)
            month_start = end.replace(day=1)
            if not (start and start.day != 1 and start.replace(day=1) == month_start):
                parts.append(
                    (
                        "scan",
                        replace(
                            filters, date_from=max(start, month_start) if start else month_start, date_to=end
                        ),
                    )
                )
            last_full = month_start - dt.timedelta(days=1)
        if first_full is None or last_full is None or first_full <= last_full:
            parts.append(("rollup", replace(filters, date_from=first_full, date_to=last_full)))
        return parts

    # ---- sums ------------------------------------------------------------------------------------------
    def _indicator_sql(self, rollup: bool) -> str:
        """The indicators as SQL aggregates: over responses, or summed again over the roll-up."""
        if rollup:
            return ", ".join(
                f"coalesce(sum({c}), 0)::{'DOUBLE' if c in _SUMS else 'BIGINT'} AS {c}" for c in STORED
            )
        return ", ".join(f"{expr} AS {name}" for name, expr in self._row_aggregates().items())

    def _row_aggregates(self) -> dict[str, str]:
        nps, csat, ces = (self._col(c, "DOUBLE") for c in ("nps", "csat", "ces"))
        sentiment = self._col("sentiment", "VARCHAR")
        estimated = f"coalesce({self._col('sentiment_estimated', 'BOOLEAN')}, false)"
        satisfied = f"coalesce({self._col('csat_satisfied', 'BOOLEAN')}, false)"
        return {
            "n_nps": f"count({nps})",
            "promoters": f"count(*) FILTER (WHERE {nps} >= 9)",
            "passives": f"count(*) FILTER (WHERE {nps} >= 7 AND {nps} <= 8)",
            "detractors": f"count(*) FILTER (WHERE {nps} <= 6)",
            "n_csat": f"count({csat})",
            "satisfied": f"count(*) FILTER (WHERE {satisfied})",
            "csat_sum": f"coalesce(sum({csat}), 0)::DOUBLE",
            "n_ces": f"count({ces})",
            "ces_sum": f"coalesce(sum({ces}), 0)::DOUBLE",
            "ces_sq": f"coalesce(sum({ces} * {ces}), 0)::DOUBLE",
            "ces_easy_n": f"count(*) FILTER (WHERE {ces} >= 5)",
            "n_sentiment": f"count(*) FILTER (WHERE {sentiment} IS NOT NULL OR {estimated})",
            "negative": f"count(*) FILTER (WHERE {sentiment} = 'neg')",
            "neutral": f"count(*) FILTER (WHERE {sentiment} = 'neu')",
            "positive": f"count(*) FILTER (WHERE {sentiment} = 'pos')",
            "comments": f"count({self._col('text')})",
            "n": "count(*)",
        }

    def _period_sql(self, granularity: str, rollup: bool) -> str:
        """Each row's period start as cx.metrics.periods_of gives it (NULL: undated or year-only)."""
        if rollup:
            start = f"date_trunc('{granularity}', month)::TIMESTAMP"
            year_only = "year_only"
        else:
            start = f"date_trunc('{granularity}', {self._col('date', 'TIMESTAMP')})::TIMESTAMP"
            year_only = f"coalesce({self._col('year_only', 'BOOLEAN')}, false)"
        if granularity == "year":
            return start
        return f"CASE WHEN {year_only} THEN NULL ELSE {start} END"

    def _counts(
        self, filters: Filters | None, keys: dict[str, str], rollup: bool, table: str | None = None
    ) -> pd.DataFrame:
        """Indicator sums per group of SQL key expressions (named), with the overall row as _all = 1.

        `table`: a cells table already filtered (`_cells_table`), read whole like the roll-up."""
        where, params = ("TRUE", []) if table else self._where(filters, rollup)
        themed = rollup and filters is not None and bool(filters.themes)
        table = table or ("rollup_themes" if themed else "rollup" if rollup else "responses")
        names = list(keys)
        select = "".join(f"{expr} AS {_quote(name)}, " for name, expr in keys.items())
        if names:
            # Grouped by the expressions (an alias named like a column would mean the column), a segment by
            # its raw column (much faster than by a string expression; a real "(blank)" value and the
            # missing one, both named "(blank)", are added up below).
            raw = {_segment_key(c): _quote(c) for c in names}
            exprs = ", ".join(raw.get(expr, expr) for expr in keys.values())
            group = f", GROUPING({exprs}) > 0 AS _all"
            sets = f" GROUP BY GROUPING SETS (({exprs}), ())"
        else:
            group, sets = ", true AS _all", ""
        sql = f"SELECT {select}{self._indicator_sql(rollup)}{group} FROM {table} WHERE {where}{sets}"
        counts = self._query(sql, params)
        if names and counts.duplicated([*names, "_all"]).any():
            counts = counts.groupby([*names, "_all"], dropna=False, sort=False).sum().reset_index()
        return counts

    def _cells_select(self, themes: bool = False) -> str:
        """The roll-up's keys and indicator sums over responses (its GROUP BY ALL makes the cells);
        `themes`: the theme roll-up's, with each response's themes (theme_ids) first."""
        keys = {"theme_ids": self._theme_key()[1]} if themes else {}
        keys.update({c: _quote(c) for c in self.segments})
        keys["month"] = f"date_trunc('month', {self._col('date', 'TIMESTAMP')})::DATE"
        keys["year_only"] = f"coalesce({self._col('year_only', 'BOOLEAN')}, false)"
        select = ", ".join(f"{expr} AS {_quote(name)}" for name, expr in keys.items())
        return f"{select}, {self._indicator_sql(rollup=False)}"

    def _cells_table(self, filters: Filters) -> str:
        """The name of an in-memory table of the cells of the rows `filters` keeps (made once, kept for
        the `cells_cache` most recent filters)."""
        key = repr(filters)
        with self._cells_lock:  # one thread makes it, the others wait for it
            if key in self._cells:
                self._cells.move_to_end(key)
                return self._cells[key]
            self._cells_made += 1
            name = f"cells_{self._cells_made}"
            where, params = self._where(filters)
            cursor = self._db.cursor()
            try:
                cursor.execute(
                    f"CREATE TABLE {name} AS SELECT {self._cells_select()} FROM responses WHERE {where} "
                    "GROUP BY ALL",
                    params,
                )
                self._cells[key] = name
                while len(self._cells) > self._cells_size:
                    _, old = self._cells.popitem(last=False)
                    cursor.execute(f"DROP TABLE IF EXISTS {old}")
            finally:
                cursor.close()
            return name

    def _sums(self, filters: Filters | None, keys_for, columns: list[str], months_ok: bool = True):
        """`_counts` over every part of `_plan`, added up per group (`keys_for(rollup)`: the SQL keys)."""
        import duckdb

        parts = []
        for kind, part in self._plan(filters, columns, months_ok):
            if kind != "cells":
                parts.append(self._counts(part, keys_for(kind == "rollup"), kind == "rollup"))
                continue
            for attempt in range(3):
                try:  # another thread may have dropped these cells (the oldest) since they were named
                    parts.append(self._counts(None, keys_for(True), True, table=self._cells_table(part)))
                    break
                except duckdb.CatalogException:
                    with self._cells_lock:
                        self._cells.pop(repr(part), None)
                    if attempt == 2:
                        raise
        if len(parts) == 1:
            return parts[0]
        names = [*keys_for(False), "_all"]
        both = pd.concat(parts, ignore_index=True)
        return both.groupby(names, dropna=False, sort=False).sum().reset_index()

    def count(self, filters: Filters | None = None) -> int:
        """Rows the filters keep."""
        return int(self._totals(filters)["n"].iloc[0])

    def _totals(self, filters: Filters | None) -> pd.DataFrame:
        return self._sums(filters, lambda rollup: {}, [])

    @staticmethod
    def _basis(total: pd.Series) -> str:
        return "comments" if int(total["comments"]) > 0 else "responses"

    def available_metrics(self, filters: Filters | None = None) -> list[str]:
        """The metrics the kept rows can show, as cx.metrics.available_metrics."""
        total = self._totals(filters).iloc[0]
        found = [m for m in SCORED if int(total[f"n_{m}"]) > 0]
        return found + (["volume"] if int(total["n"]) else [])

    def summarize(self, filters: Filters | None = None, min_n: int = DEFAULT_MIN_N) -> dict:
        """cx.metrics.summarize of the kept rows."""
        totals = self._totals(filters).drop(columns="_all")
        basis = self._basis(totals.iloc[0])
        totals["volume"] = totals["comments" if basis == "comments" else "n"]
        return summary_from_counts(totals, basis, min_n)

    def metrics_by(
        self, filters: Filters | None, by: list[str] | str | None = None, min_n: int = DEFAULT_MIN_N
    ) -> pd.DataFrame:
        """cx.metrics.metrics_by of the kept rows: segments and/or one granularity, same rows and order."""
        by = [by] if isinstance(by, str) else list(by or [])
        columns = [b for b in by if b not in GRANULARITIES]
        for column in columns:
            self._check(column)
        granularity = next((b for b in by if b in GRANULARITIES), None)

        def keys_for(rollup: bool) -> dict[str, str]:
            keys = {}
            for item in by:
                if item in GRANULARITIES:
                    keys["period"] = self._period_sql(item, rollup)
                else:
                    keys[item] = _segment_key(item)
            return keys

        keys = keys_for(False)
        counts = self._sums(filters, keys_for, columns, months_ok=granularity not in ("day", "week"))
        overall = counts[counts["_all"]].iloc[0] if len(counts) else None
        basis = self._basis(overall) if overall is not None else "responses"
        counts = counts[~counts["_all"]].drop(columns="_all")
        if "period" in keys:
            counts = counts[counts["period"].notna()]
            counts["period"] = pd.to_datetime(counts["period"]).astype("datetime64[ns]")
        for column in columns:
            categories = [v for v in self.segment_values(column) if v != BLANK_SEGMENT] + [BLANK_SEGMENT]
            counts[column] = pd.Categorical(counts[column], categories=categories)
        counts["volume"] = counts["comments" if basis == "comments" else "n"]
        if keys:
            counts = counts.sort_values(list(keys), kind="stable")
        counts = counts.reset_index(drop=True)
        return table_from_counts(counts, list(keys), basis, min_n)

    def area_table(
        self,
        filters: Filters | None,
        segments: list[str],
        metric: str = "nps",
        depth: int = 2,
        min_n: int = DEFAULT_MIN_N,
    ) -> pd.DataFrame:
        """cx.areas.area_table of the kept rows: one GROUP BY over the segment columns gives the cells."""
        segments = list(segments)
        for column in segments:
            self._check(column)
        if metric not in AREA_METRICS:
            area_table(pd.DataFrame(), [], metric)  # the same ValueError as on a frame
        keys = {c: _segment_key(c) for c in segments}
        cells = self._sums(filters, lambda rollup: keys, segments)
        cells = cells[~cells["_all"]].drop(columns="_all") if keys else cells.drop(columns="_all")
        for column in segments:
            categories = [v for v in self.segment_values(column) if v != BLANK_SEGMENT] + [BLANK_SEGMENT]
            cells[column] = pd.Categorical(cells[column], categories=categories)
        cells = cells.sort_values(segments, kind="stable").reset_index(drop=True) if segments else cells
        answered, pos, neg = AREA_WEIGHTS[metric]
        zeros = np.zeros(len(cells), dtype=np.int64)
        weights = (
            cells[answered].to_numpy(dtype=np.int64),
            cells[pos].to_numpy(dtype=np.float64 if pos in _SUMS else np.int64),
            zeros if neg is None else cells[neg].to_numpy(dtype=np.float64 if neg in _SUMS else np.int64),
        )
        return area_table(cells, segments, metric, depth, min_n, weights=weights)

    def areas_message(
        self,
        filters: Filters | None,
        metric: str,
        segments: list[str] | None = None,
        table: pd.DataFrame | None = None,
        min_n: int = DEFAULT_MIN_N,
    ) -> str | None:
        """cx.areas.areas_message for the kept rows: a plain sentence when the lowest-areas view has
        nothing to rank for this metric (none, no segment with two values, all too small…), else None."""
        if metric == "volume":
            return message_for(metric, [], True, table, min_n)
        varied = True
        present = [c for c in segments or [] if c in self._types]
        if segments is not None:
            keys = {c: _segment_key(c) for c in present}
            cells = self._sums(filters, lambda rollup: keys, present) if keys else None
            cells = cells[~cells["_all"]] if cells is not None else None
            varied = cells is not None and any(cells[c].nunique() >= 2 for c in present)
        return message_for(metric, self.available_metrics(filters), varied, table, min_n)

    def area_trend(
        self, filters: Filters | None, segment: dict, label: str, rest_label: str, min_n: int = DEFAULT_MIN_N
    ) -> pd.DataFrame:
        """cx.areas.area_trend of the kept rows: monthly metrics of the area (`segment`, column -> value,
        "(blank)" for missing) and of the rest, stacked with a `group` column (label / rest_label)."""
        columns = list(segment)
        for column in columns:
            self._check(column)

        def keys_for(rollup: bool) -> dict[str, str]:
            return {**{c: _segment_key(c) for c in columns}, "period": self._period_sql("month", rollup)}

        counts = self._sums(filters, keys_for, columns)
        overall = counts[counts["_all"]]
        basis = self._basis(overall.iloc[0]) if len(overall) else "responses"
        counts = counts[~counts["_all"]].drop(columns="_all")
        inside = np.ones(len(counts), dtype=bool)
        for column, value in segment.items():
            inside &= (counts[column].astype(str) == str(value)).to_numpy()
        group = np.where(inside, label, rest_label)
        # The categories pandas gives the column over every kept row (dated or not), then "(blank)".
        categories = sorted(set(group.tolist()))
        counts = counts.assign(group=pd.Categorical(group, categories=[*categories, BLANK_SEGMENT]))
        counts = counts[counts["period"].notna()]
        counts["period"] = pd.to_datetime(counts["period"]).astype("datetime64[ns]")
        counts["volume"] = counts["comments" if basis == "comments" else "n"]
        sums = counts.drop(columns=columns).groupby(["group", "period"], observed=True, sort=True).sum()
        return table_from_counts(sums.reset_index(), ["group", "period"], basis, min_n)

    # ---- themes and rows -------------------------------------------------------------------------------
    def _theme_list(self) -> str:
        """Each comment's top themes (all_theme_ids "1; 3") as a SQL list of strings."""
        return f"coalesce(string_split({_quote('all_theme_ids')}, '; '), [])"

    def theme_table(self, filters: Filters | None = None, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
        """Per top theme of the kept rows: theme_id, label, n (comments), share (of the comments with a
        theme), and the metrics of its responses (nps, csat, … as metrics_by); the biggest theme first.

        A batch of comment parts (all_theme_ids) counts a comment in every top theme one of its parts has,
        so shares can add up to more than 100 %, as the app's themes do; Other (0) is not a theme."""
        if "theme_id" not in self._types:
            return pd.DataFrame(columns=["theme_id", "label", "n", "share"])
        parts = self._plan(filters, [])
        if any(kind == "cells" for kind, _ in parts) or not self._theme_rollup:
            parts = [("scan", filters or Filters())]  # the cells have no themes: one scan
        found = [self._theme_counts(part, kind == "rollup") for kind, part in parts]
        counts = pd.concat([c for c, _ in found], ignore_index=True)
        if len(found) > 1:
            counts = counts.groupby("theme_id", sort=False).sum().reset_index()
        themed = None if found[0][1] is None else sum(t for _, t in found)
        counts["volume"] = counts["comments"]
        table = table_from_counts(counts.reset_index(drop=True), ["theme_id"], "comments", min_n)
        if pd.api.types.is_float_dtype(table["theme_id"]) or pd.api.types.is_integer_dtype(table["theme_id"]):
            table["theme_id"] = table["theme_id"].astype(np.int64)
        themes = self.themes()
        if "label" in themes and len(themes):
            labels = dict(zip(themes["theme_id"].astype(str), themes["label"], strict=False))
            table.insert(1, "label", table["theme_id"].astype(str).map(labels))
        else:
            table.insert(1, "label", None)
        total = int(table["n"].sum()) if themed is None else int(themed)
        table.insert(3, "share", table["n"] / max(total, 1))
        return table.sort_values(["n", "theme_id"], ascending=[False, True], kind="stable").reset_index(
            drop=True
        )

    def _theme_counts(self, filters: Filters, rollup: bool) -> tuple[pd.DataFrame, int | None]:
        """Indicator sums per top theme of the kept rows (a response once in each of its themes) and the
        responses with a theme (None where a response has one theme: the sizes add up to it), from the
        theme roll-up (`rollup`: segments and whole months) or a scan of responses/."""
        where, params = self._where(filters, rollup)
        if rollup:
            # the kept cells summed per combination of themes first (a few hundred), then per theme
            sums = self._indicator_sql(rollup=True)
            source = f"(SELECT theme_ids, {sums} FROM rollup_themes WHERE {where} GROUP BY theme_ids)"
            listed = "string_split(theme_ids, '; ')"
        else:
            sums = self._indicator_sql(rollup=False)
            source = f"(SELECT * FROM responses WHERE {where})"
            listed = self._theme_list() if "all_theme_ids" in self._types else f"[{self._theme_key()[1]}]"
        many = "all_theme_ids" in self._types
        other = f"_top <> '{OTHER_THEME}'" if many else "_top IS NOT NULL"
        counts = self._query(
            f"SELECT _top AS theme_id, {self._indicator_sql(rollup=True) if rollup else sums} FROM "
            f"(SELECT *, unnest({listed}) AS _top FROM {source}) WHERE {other} GROUP BY _top",
            params,
        )
        if many:
            counts["theme_id"] = counts["theme_id"].astype(np.int64)
        elif self._types["theme_id"] != "VARCHAR":  # an older batch's integer ids
            counts["theme_id"] = pd.to_numeric(counts["theme_id"]).astype(np.int64)
        if not many:
            return counts, None
        if rollup:
            total = self._query(f"SELECT coalesce(sum(n), 0) AS n FROM rollup_themes WHERE {where}", params)
        else:
            total = self._query(
                f"SELECT count(*) AS n FROM responses WHERE ({where}) AND all_theme_ids IS NOT NULL", params
            )
        return counts, int(total["n"].iloc[0])

    def _row_columns(self) -> list[str]:
        return [c for c in self.columns if c in self._types]

    def quotes(self, filters: Filters | None = None, theme_id=None, limit: int = 20) -> pd.DataFrame:
        """Comments of the kept rows (of one theme when given), the most recent first: response_id, text,
        date, the scores, sentiment, theme_id, theme_label."""
        where, params = self._where(filters)
        if theme_id is not None and "all_theme_ids" in self._types:  # every comment with a part in it
            where += f" AND list_contains({self._theme_list()}, ?)"
            params.append(str(theme_id))
        elif theme_id is not None:
            where += f" AND {self._col('theme_id')}::VARCHAR = ?"
            params.append(str(theme_id))
        wanted = ["response_id", "text", "date", "nps", "csat", "ces", "sentiment", "theme_id", "theme_label"]
        select = ", ".join(f"{self._col(c)} AS {_quote(c)}" for c in wanted)
        sql = (
            f"SELECT {select}, {self._col('source_file')} AS _file FROM responses WHERE {where} "
            f"AND {self._col('text')} IS NOT NULL "
            f"ORDER BY {self._col('date')} DESC NULLS LAST, {self._col('response_id')} LIMIT {int(limit)}"
        )
        rows = self._query(sql, params)
        wanted_themes = (
            [str(theme_id)] if theme_id is not None else [str(t) for t in (filters or Filters()).themes]
        )
        rows["excerpt"] = self._excerpts(rows, wanted_themes)
        return _frame_types(rows.drop(columns="_file"))

    def _excerpts(self, rows: pd.DataFrame, themes: list[str]) -> list:
        """The part of each comment that puts it in one of `themes` (its first; any theme when none is
        given): the quote the app shows. None where the folder has no parts (a codeframe, an old batch)."""
        folder = self.folder / "parts"
        if rows.empty or not folder.is_dir() or not any(folder.glob("*.parquet")):
            return [None] * len(rows)
        keys = pd.DataFrame(
            {"_file": rows["_file"].astype(str), "response_id": rows["response_id"].astype(str)}
        )
        cursor = self._db.cursor()
        try:
            cursor.register("_wanted", keys)
            theme_test = "parent_id::VARCHAR IN (SELECT unnest(?::VARCHAR[]))" if themes else "TRUE"
            found = cursor.execute(
                f"SELECT w._file, w.response_id, arg_min(p.text, p.part) AS excerpt FROM _wanted w JOIN "
                f"read_parquet('{_sql_path(folder)}/*.parquet') p ON p.source_file = w._file AND "
                f"p.response_id = w.response_id WHERE p.parent_id IS NOT NULL AND {theme_test} "
                "GROUP BY ALL",
                [themes] if themes else [],
            ).df()
        finally:
            cursor.close()
        found = found.set_index(["_file", "response_id"])["excerpt"]
        index = pd.MultiIndex.from_frame(keys)
        return [None if pd.isna(v) else str(v) for v in found.reindex(index)]

    def preview(self, filters: Filters | None = None, limit: int = 500) -> pd.DataFrame:
        """The first kept rows (in the folder's order: month, then file), every column but the partition."""
        where, params = self._where(filters)
        select = ", ".join(_quote(c) for c in self._row_columns())
        sql = f"SELECT {select} FROM responses WHERE {where} LIMIT {int(limit)}"
        return _frame_types(self._query(sql, params))

    def export_csv(self, filters: Filters | None, path: str | Path, mask: bool = False) -> int:
        """Write the kept rows to a CSV file as cx.export writes rows (UTF-8 with BOM, CRLF, text cells
        that a spreadsheet would run neutralised), in chunks; returns the number of rows written.

        Args:
            mask: personal data masked in every text column (cx.export.mask_text_columns).
        """
        from cx.export import FORMULA_PREFIXES, mask_text_columns, neutralise

        where, params = self._where(filters)
        # Text cells a spreadsheet would run get a leading apostrophe (cx.export.neutralise), in SQL.
        prefixes = ", ".join("'" + p + "'" for p in FORMULA_PREFIXES)
        select = ", ".join(
            f"CASE WHEN left({_quote(c)}, 1) IN ({prefixes}) THEN chr(39) || {_quote(c)} ELSE {_quote(c)} END "
            f"AS {_quote(c)}"
            if self._types[c] == "VARCHAR"
            else _quote(c)
            for c in self._row_columns()
        )
        path = Path(path)
        tmp = path.with_name(f".{path.name}.tmp")
        rows = 0
        cursor = self._db.cursor()
        try:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
                header = True
                # File by file in the folder's order, each in its own row order (a streamed result has no
                # order of its own), in chunks: memory stays bounded by one chunk.
                for file in self._files:
                    month = file.parent.name.removeprefix("month=")
                    cursor.execute(
                        f"SELECT {select} FROM responses WHERE month = ? AND filename = ? AND ({where}) "
                        "ORDER BY file_row_number",
                        [month, str(file), *params],
                    )
                    while len(chunk := cursor.fetch_df_chunk(10)):
                        chunk = _frame_types(chunk)
                        if mask:
                            chunk = mask_text_columns(chunk)
                        chunk.columns = [neutralise(str(c)) for c in chunk.columns]
                        chunk.to_csv(handle, index=False, header=header, lineterminator="\r\n")
                        rows += len(chunk)
                        header = False
                if header:  # nothing kept: the header alone
                    empty = self._query(f"SELECT {select} FROM responses LIMIT 0")
                    empty.columns = [neutralise(str(c)) for c in empty.columns]
                    empty.to_csv(handle, index=False, lineterminator="\r\n")
            os.replace(tmp, path)
        finally:
            cursor.close()
            tmp.unlink(missing_ok=True)
        return rows


def _segment_key(column: str) -> str:
    """A segment column as a group key: its values as text, "(blank)" where missing (as metrics_by)."""
    return f"coalesce({_quote(column)}::VARCHAR, '{BLANK_SEGMENT}')"


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _frame_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as the canonical frame types them: dates as datetime64, scores as Int64."""
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"]).astype("datetime64[ns]")
    for col in ("nps", "csat", "ces"):
        if col in frame and pd.api.types.is_numeric_dtype(frame[col]):
            frame[col] = frame[col].astype("Float64").round().astype("Int64")
    return frame


def write_rollup(folder: str | Path) -> dict:
    """Write DIR/rollup.parquet: the indicator sums per combination of the segment columns, month and
    year_only (a bare-year date), from the responses/ files there now; and, when the responses have themes,
    DIR/rollup_themes.parquet: the same per theme_ids (the response's themes, "1; 3") too, of the responses
    with a theme.

    Returns:
        Its report.json entry: keys, rows (responses summed), cells (roll-up rows), files (the responses/
        files it was made from: a folder whose files changed since is answered by scanning them), themes
        ({key: the column theme_ids is, cells, rows} or None); {} when there is no responses/ file.
    """
    import duckdb

    folder = Path(folder)
    files = _files(folder)
    if not files:
        return {}
    source = _Bare(folder)
    keys = [*source.segments, "month", "year_only"]
    key = source._theme_key()
    written = []
    try:
        cells = _copy_cells(source, folder / ROLLUP, source._cells_select(), "TRUE")
        written.append(folder / ROLLUP)
        themes = None
        if key is not None:
            theme_cells = _copy_cells(
                source, folder / THEME_ROLLUP, source._cells_select(themes=True), f"{key[1]} IS NOT NULL"
            )
            themed = source._db.execute(
                f"SELECT coalesce(sum(n), 0) FROM read_parquet('{_sql_path(folder / THEME_ROLLUP)}')"
            ).fetchall()[0][0]
            themes = {"key": key[0], "cells": theme_cells, "rows": int(themed)}
        else:
            (folder / THEME_ROLLUP).unlink(missing_ok=True)  # an earlier run's, of other files
    except duckdb.Error:
        for path in written:  # no roll-up rather than half of one
            path.unlink(missing_ok=True)
        raise
    return {
        "keys": keys,
        "rows": source.rows,
        "cells": cells,
        "files": sorted(str(p.relative_to(folder)) for p in files),
        "themes": themes,
    }


def _copy_cells(source: BatchSource, path: Path, select: str, where: str) -> int:
    """Write the cells (`select` grouped over the responses `where` keeps) to `path`; their count."""
    import duckdb

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        source._db.execute(
            f"COPY (SELECT {select} FROM responses WHERE {where} GROUP BY ALL ORDER BY ALL) "
            f"TO '{_sql_path(tmp)}' (FORMAT parquet)"
        )
        cells = int(
            source._db.execute(f"SELECT count(*) FROM read_parquet('{_sql_path(tmp)}')").fetchall()[0][0]
        )
        os.replace(tmp, path)
    except duckdb.Error:
        tmp.unlink(missing_ok=True)
        raise
    return cells


class _Bare(BatchSource):
    """A BatchSource over responses/ alone (no report.json, no roll-up): what the roll-up is made from."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.name = folder.name
        self._files = _files(folder)
        self._connect(memory_limit="2GB")  # the batch's process: a large roll-up may need more
