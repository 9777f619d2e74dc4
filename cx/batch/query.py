"""Headline metrics of a batch output folder, computed by DuckDB over its Parquet files.

The dashboard uses cx.batch.source.BatchSource (every metric, filters, lowest areas, the roll-up); this
smaller reader stays for the CLI and the batch bench.

The counts (answers, promoters, detractors, satisfied…) are SQL aggregates over DIR/responses/, so the
rows never sit in a pandas frame; the scores and 95 % intervals come from the same formulas as
`cx.metrics` (`nps_interval`, `wilson_interval`) applied to those counts, so a batch folder and the
same rows loaded in pandas give the same numbers. Filters are SQL parameters, pushed down to the scan.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from cx.batch.source import BatchQueryError  # noqa: F401  (one error class for both readers)
from cx.metrics import BLANK_SEGMENT, COLUMNS, DEFAULT_MIN_N, nps_interval, wilson_interval

# The figures DuckDB computes today: NPS and CSAT (CES, sentiment and volume are pandas-only so far).
NPS_CSAT_COLUMNS = COLUMNS[: COLUMNS.index("csat_mean") + 1]

COUNTS = """
    count(*) AS n,
    count(nps) AS n_nps,
    count(*) FILTER (WHERE nps >= 9) AS promoters,
    count(*) FILTER (WHERE nps BETWEEN 7 AND 8) AS passives,
    count(*) FILTER (WHERE nps <= 6) AS detractors,
    count(csat) AS n_csat,
    count(*) FILTER (WHERE csat_satisfied) AS satisfied,
    coalesce(sum(csat), 0)::DOUBLE AS csat_sum,
    count(text) AS comments
"""


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class BatchQuery:
    """A DuckDB connection with a `responses` view over a batch folder (all months, all files).

    Args:
        folder: a `cx batch` output folder.
        segments: keep rows whose segment has one of these values ({column: [values]}).
        date_from, date_to: keep rows dated within these days (inclusive); undated rows drop out.
    """

    def __init__(
        self,
        folder: str | Path,
        segments: dict[str, list[str]] | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ):
        import duckdb

        self.folder = Path(folder)
        files = sorted((self.folder / "responses").glob("month=*/*.parquet"))
        if not files:
            raise BatchQueryError(
                f"{self.folder} has no responses/ Parquet files: run `cx batch` into it first."
            )
        self.db = duckdb.connect()
        pattern = str(self.folder / "responses" / "month=*" / "*.parquet").replace("'", "''")
        self.db.execute(
            f"CREATE VIEW responses AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = true, "
            "union_by_name = true, hive_types = {'month': VARCHAR})"
        )
        self.columns = [row[0] for row in self.db.execute("DESCRIBE responses").fetchall()]
        clauses, params = [], []
        for column, values in (segments or {}).items():
            self._check(column)
            clauses.append(f"coalesce({_quote(column)}::VARCHAR, ?) IN ({', '.join('?' * len(values))})")
            params += [BLANK_SEGMENT, *map(str, values)]
        if date_from:
            clauses.append("date >= ?")
            params.append(pd.Timestamp(date_from).to_pydatetime())
        if date_to:
            clauses.append("date < ?")
            params.append((pd.Timestamp(date_to) + pd.Timedelta(days=1)).to_pydatetime())
        self.where = " AND ".join(clauses) or "TRUE"
        self.params = params

    def _check(self, column: str) -> None:
        if column not in self.columns:
            raise BatchQueryError(
                f"{column!r} is not a column of {self.folder}; columns: {', '.join(self.columns)}."
            )

    def counts(self, keys: list[str] | None = None, extra_where: str = "TRUE") -> pd.DataFrame:
        """Answer counts per group of SQL key expressions (named k0, k1…), or overall."""
        keys = keys or []
        select = "".join(f"{k} AS k{i}, " for i, k in enumerate(keys))
        group = f" GROUP BY {', '.join(f'k{i}' for i in range(len(keys)))} ORDER BY ALL" if keys else ""
        sql = f"SELECT {select}{COUNTS} FROM responses WHERE ({self.where}) AND ({extra_where}){group}"
        return self.db.execute(sql, self.params).df()

    def overall(self, min_n: int = DEFAULT_MIN_N) -> dict:
        """The same dict as `cx.metrics.summarize` (n, n_nps, nps, nps_low, …, csat_mean, comments)."""
        row = finish(self.counts(), min_n).iloc[0].to_dict()
        return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}

    def by_month(self, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
        """Per month (dated rows only): period (the month's first day), n and the metric columns."""
        table = self.counts(["date_trunc('month', date)::TIMESTAMP"], "date IS NOT NULL")
        table = finish(table.rename(columns={"k0": "period"}), min_n)
        table["period"] = pd.to_datetime(table["period"]).astype("datetime64[ns]")
        return table[["period", "n", *NPS_CSAT_COLUMNS, "nps_below_min", "csat_below_min"]]

    def by_segment(self, column: str, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
        """Per value of a segment column (a blank value is "(blank)"): n and the metric columns."""
        self._check(column)
        key = f"coalesce({_quote(column)}::VARCHAR, '{BLANK_SEGMENT}')"
        table = finish(self.counts([key]).rename(columns={"k0": column}), min_n)
        return table[[column, "n", *NPS_CSAT_COLUMNS, "nps_below_min", "csat_below_min"]]

    def theme_volumes(self, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
        """Per theme: label, comments (n), share of grouped comments, NPS and CSAT of its responses."""
        table = finish(
            self.counts(["theme_id"], "theme_id IS NOT NULL").rename(columns={"k0": "theme_id"}), min_n
        )
        if pd.api.types.is_numeric_dtype(table["theme_id"]):  # a codeframe's ids are strings
            table["theme_id"] = table["theme_id"].astype(int)
        themes_file = self.folder / "themes.parquet"
        if themes_file.is_file():
            labels = pd.read_parquet(themes_file, columns=["theme_id", "label"])
            # ids "3" / "3.2" (two levels) or a codeframe's: matched as text
            label = dict(zip(labels["theme_id"].astype(str), labels["label"], strict=False))
            table.insert(0, "label", table["theme_id"].astype(str).map(label))
            table = table[["theme_id", *[c for c in table.columns if c != "theme_id"]]]
        table["share"] = table["n"] / max(int(table["n"].sum()), 1)
        return table.sort_values(["n", "theme_id"], ascending=[False, True]).reset_index(drop=True)


def finish(counts: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """Scores and 95 % intervals from answer counts, with the formulas of cx.metrics."""
    out = counts.copy()
    for col in ("n", "n_nps", "promoters", "passives", "detractors", "n_csat", "satisfied", "comments"):
        out[col] = out[col].astype(np.int64)
    out["nps"], out["nps_low"], out["nps_high"] = nps_interval(
        out["promoters"], out["detractors"], out["n_nps"]
    )
    out["csat"], out["csat_low"], out["csat_high"] = wilson_interval(out["satisfied"], out["n_csat"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["csat_mean"] = out["csat_sum"] / out["n_csat"].replace(0, np.nan)
    out["nps_below_min"] = out["n_nps"] < min_n
    out["csat_below_min"] = out["n_csat"] < min_n
    return out.drop(columns=["csat_sum", "satisfied"])
