"""NPS, CSAT, CES, negative-sentiment share and volume, overall, by period and by segment.

Definitions in DESIGN.md and the README. Files without scores still have metrics: the share of negative
comments (from a sentiment column, or estimated) and the volume of comments per period or segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm
from scipy.stats import t as student_t

from cx import i18n

Z95 = float(norm.ppf(0.975))
GRANULARITIES = ["day", "week", "month", "quarter", "year"]
PERIOD_FORMAT = {"day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}
DEFAULT_MIN_N = 30
BLANK_SEGMENT = "(blank)"
# Every metric the app can show, in the order it offers them.
METRIC_ORDER = ["nps", "csat", "ces", "sentiment", "volume"]
# +1: higher is better; −1: lower is better (sentiment is the share of NEGATIVE comments); 0: neither (a count).
METRIC_DIRECTION = {"nps": 1, "csat": 1, "ces": 1, "sentiment": -1, "volume": 0}
# Metrics estimated from answers, with n, a 95 % interval and a minimum-sample flag.
SCORED = ["nps", "csat", "ces", "sentiment"]
SENTIMENTS = ["neg", "neu", "pos"]
CES_EASY = 5  # CES 2.0 on 1–7: 5, 6 and 7 agree that the company made it easy
COLUMNS = [
    "n_nps",
    "nps",
    "nps_low",
    "nps_high",
    "promoters",
    "passives",
    "detractors",
    "n_csat",
    "csat",
    "csat_low",
    "csat_high",
    "csat_mean",
    "n_ces",
    "ces",
    "ces_low",
    "ces_high",
    "ces_easy",
    "n_sentiment",
    "negative",
    "neutral",
    "positive",
    "sentiment",
    "sentiment_low",
    "sentiment_high",
    "comments",
    "volume",
    "volume_share",
    "ces_below_min",  # in COLUMNS so that older readers (the CLI) never take them for group keys
    "sentiment_below_min",
]
FLAGS = ["nps_below_min", "csat_below_min", "ces_below_min", "sentiment_below_min"]
_OUT = ["n", *COLUMNS, "nps_below_min", "csat_below_min"]


def nps_interval(promoters, detractors, n) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """NPS and its 95 % interval from counts; works on scalars or arrays.

    var = (p + d − (p − d)²) / n with p, d the promoter and detractor shares; NPS ± 1.96·√var·100,
    clipped to [−100, 100]. n = 0 gives NaN.
    """
    promoters, detractors, n = (np.asarray(x, dtype=float) for x in (promoters, detractors, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        p, d = promoters / n, detractors / n
        score = p - d
        var = (p + d - score**2) / n
        half = Z95 * np.sqrt(np.maximum(var, 0.0))
    low = np.clip(score - half, -1, 1) * 100
    high = np.clip(score + half, -1, 1) * 100
    return score * 100, low, high


def wilson_interval(successes, n) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Share of successes in percent with its Wilson 95 % interval; works on scalars or arrays."""
    successes, n = np.asarray(successes, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denom = 1 + Z95**2 / n
        centre = (p + Z95**2 / (2 * n)) / denom
        half = Z95 * np.sqrt(p * (1 - p) / n + Z95**2 / (4 * n**2)) / denom
    low, high = np.clip(centre - half, 0, 1) * 100, np.clip(centre + half, 0, 1) * 100
    # At p = 0 or 1 rounding can leave a bound a hair past the estimate (1.7e-16 > 0): keep it around it.
    return p * 100, np.fmin(low, p * 100), np.fmax(high, p * 100)


def mean_interval(total, total_sq, n) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and its 95 % Student-t interval from the sum, the sum of squares and n (scalars or arrays).

    mean ± t(0.975, n − 1) · s / √n with s the sample standard deviation; n = 0 gives NaN, and n = 1 a
    mean without an interval (NaN bounds: one answer says nothing about the spread).
    """
    total, total_sq, n = (np.asarray(x, dtype=float) for x in (total, total_sq, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
        var = np.maximum(total_sq - n * mean**2, 0.0) / (n - 1)
        half = student_t.ppf(0.975, np.where(n > 1, n - 1, np.nan)) * np.sqrt(var / n)
    return mean, mean - half, mean + half


def sentiment_counts(frame: pd.DataFrame, value: str = "neg") -> tuple[np.ndarray, np.ndarray]:
    """Per row: sentiment known (bool), sentiment is `value` (bool); all False without a sentiment column.

    A comment the bundled model read (`sentiment_estimated`) counts as known even when it was not called
    negative (its sentiment stays NA: "not likely negative" is neither neutral nor positive), so the
    estimated negative share is negative / read.
    """
    if "sentiment" not in frame:
        none = np.zeros(len(frame), dtype=bool)
        return none, none
    values = frame["sentiment"]
    known = values.notna().to_numpy(dtype=bool)
    if "sentiment_estimated" in frame:
        known = known | frame["sentiment_estimated"].fillna(False).to_numpy(dtype=bool)
    return known, (values == value).fillna(False).to_numpy(dtype=bool) & known


def year_only(frame: pd.DataFrame) -> np.ndarray:
    """True for rows whose date was only a year ("2021"): they belong to a year, never to 1 January."""
    if "year_only" not in frame:
        return np.zeros(len(frame), dtype=bool)
    return frame["year_only"].fillna(False).to_numpy(dtype=bool)


def volume_basis(frame: pd.DataFrame) -> str:
    """What "volume" counts in this frame: "comments" when it has any, otherwise "responses"."""
    return "comments" if "text" in frame and frame["text"].notna().any() else "responses"


def available_metrics(frame: pd.DataFrame) -> list[str]:
    """The metrics this frame can show, in the order nps, csat, ces, sentiment, volume.

    A score metric needs at least one answer; sentiment needs one comment with a known sentiment; volume
    needs one row. An empty frame shows nothing.
    """
    found = [m for m in ("nps", "csat", "ces") if m in frame and frame[m].notna().any()]
    if sentiment_counts(frame)[0].any():
        found.append("sentiment")
    if len(frame):
        found.append("volume")
    return found


def key_columns(table: pd.DataFrame) -> list[str]:
    """The group keys of a `metrics_by` table (segment columns and/or `period`)."""
    return [c for c in table.columns if c not in ("n", *COLUMNS, *FLAGS)]


def period_start(dates: pd.Series, granularity: str) -> pd.Series:
    """The first day of each date's period (weeks start on Monday, ISO 8601)."""
    if granularity not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {GRANULARITIES}")
    dates = pd.to_datetime(dates)
    if granularity == "day":
        return dates.dt.normalize()
    if granularity == "week":
        return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    freq = {"month": "M", "quarter": "Q", "year": "Y"}[granularity]
    return dates.dt.to_period(freq).dt.start_time


def periods_of(frame: pd.DataFrame, granularity: str) -> pd.Series:
    """Each row's period start; NaT for undated rows, and for year-only dates unless by year."""
    periods = period_start(frame["date"], granularity)
    if granularity != "year":
        periods = periods.where(~year_only(frame))
    return periods


def left_out_of_periods(frame: pd.DataFrame, granularity: str) -> dict[str, int]:
    """How many rows a period view leaves out, and why: {"no_date": …, "year_only": …}."""
    dated = frame["date"].notna().to_numpy(dtype=bool)
    by_year = year_only(frame) & dated
    return {
        "no_date": int((~dated).sum()),
        "year_only": 0 if granularity == "year" else int(by_year.sum()),
    }


def period_range(periods: pd.Series, granularity: str) -> pd.DatetimeIndex:
    """Every period start from the first to the last present, empty periods included."""
    periods = pd.to_datetime(pd.Series(periods)).dropna()
    if periods.empty:
        return pd.DatetimeIndex([])
    freq = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}[granularity]
    return pd.date_range(periods.min(), periods.max(), freq=freq)


def fill_periods(table: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """A period table with every empty period present: counts 0, scores NaN (a gap, never a zero).

    Charts draw lines from this so that a missing month breaks the line instead of joining its
    neighbours. Other group keys (a split by segment) are completed for every period too.
    """
    if table.empty or "period" not in table:
        return table
    others = [k for k in key_columns(table) if k != "period"]
    full = period_range(table["period"], granularity)
    if others:
        combos = table[others].drop_duplicates()
        grid = combos.merge(pd.DataFrame({"period": full}), how="cross")
    else:
        grid = pd.DataFrame({"period": full})
    for col in others:  # categoricals merge on their values, keep the table's dtype
        grid[col] = grid[col].astype(table[col].dtype)
    out = grid.merge(table, on=[*others, "period"], how="left", sort=False)
    counts = ["n", *[c for c in COLUMNS if c.startswith("n_")], "promoters", "passives", "detractors"]
    counts += ["negative", "neutral", "positive", "comments", "volume", "volume_share"]
    for col in counts:
        if col in out:
            out[col] = out[col].fillna(0)
    for flag in FLAGS:
        if flag in out:
            out[flag] = out[flag].astype("boolean").fillna(True).astype(bool)
    return out.sort_values([*others, "period"], kind="stable").reset_index(drop=True)


def period_labels(periods: pd.Series, granularity: str) -> pd.Series:
    """Readable names for period starts: "Q3 2025", "Jul 2025", "07 Jul 2025" (a week by its Monday); in
    the language of the run (Babel): "T3 2025", "jul 2025", "7 jul 2025"."""
    periods = pd.to_datetime(periods)
    if i18n.language() != i18n.DEFAULT:
        names = {p: i18n.period(p, granularity) for p in periods.dropna().unique()}
        return periods.map(names)
    if granularity == "quarter":
        return "Q" + periods.dt.quarter.astype(str) + " " + periods.dt.year.astype(str)
    return periods.dt.strftime(PERIOD_FORMAT[granularity])


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return frame[name].to_numpy(dtype=np.float64, na_value=np.nan)


def _indicators(frame: pd.DataFrame, basis: str) -> pd.DataFrame:
    # Plain float arrays (NaN for missing): comparisons on them are several times faster than on Int64.
    nps = _column(frame, "nps")
    csat = _column(frame, "csat")
    ces = _column(frame, "ces")
    if "csat_satisfied" in frame:
        satisfied = frame["csat_satisfied"].to_numpy(dtype=np.float64, na_value=0.0)
    else:
        satisfied = np.zeros(len(frame))
    known, negative = sentiment_counts(frame)
    has_text = (
        frame["text"].notna().to_numpy(dtype=bool) if "text" in frame else np.zeros(len(frame), dtype=bool)
    )
    ones = np.ones(len(frame), dtype=np.int64)
    return pd.DataFrame(
        {
            "n_nps": (~np.isnan(nps)).astype(np.int64),
            "promoters": (nps >= 9).astype(np.int64),
            "passives": ((nps >= 7) & (nps <= 8)).astype(np.int64),
            "detractors": (nps <= 6).astype(np.int64),
            "n_csat": (~np.isnan(csat)).astype(np.int64),
            "satisfied": satisfied.astype(np.int64),
            "csat_sum": np.nan_to_num(csat, nan=0.0),
            "n_ces": (~np.isnan(ces)).astype(np.int64),
            "ces_sum": np.nan_to_num(ces, nan=0.0),
            "ces_sq": np.nan_to_num(ces, nan=0.0) ** 2,
            "ces_easy_n": (ces >= CES_EASY).astype(np.int64),
            "n_sentiment": known.astype(np.int64),
            "negative": negative.astype(np.int64),
            "neutral": sentiment_counts(frame, "neu")[1].astype(np.int64),
            "positive": sentiment_counts(frame, "pos")[1].astype(np.int64),
            "comments": has_text.astype(np.int64),
            "volume": has_text.astype(np.int64) if basis == "comments" else ones,
            "n": ones,
        },
        index=frame.index,
    )


_SUMS = ("csat_sum", "ces_sum", "ces_sq")
# The additive per-row quantities every metric is finished from (`_finish`): sums of these over any set of
# rows, in pandas or in SQL, give that set's metrics.
INDICATORS = [
    "n_nps", "promoters", "passives", "detractors", "n_csat", "satisfied", "csat_sum", "n_ces", "ces_sum",
    "ces_sq", "ces_easy_n", "n_sentiment", "negative", "neutral", "positive", "comments", "volume", "n",
]  # fmt: skip


def _typed(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts as int64 and the three sums as float64, whichever engine summed them."""
    out = counts.copy()
    for col in INDICATORS:
        if col in out:
            out[col] = out[col].astype(np.float64 if col in _SUMS else np.int64)
    return out


def _totals(data: pd.DataFrame) -> pd.DataFrame:
    sums = data.sum()
    return pd.DataFrame([{k: (float(v) if k in _SUMS else int(v)) for k, v in sums.items()}])


def _finish(counts: pd.DataFrame, min_n: int, total_volume: float) -> pd.DataFrame:
    out = counts.copy()
    out["nps"], out["nps_low"], out["nps_high"] = nps_interval(
        out["promoters"], out["detractors"], out["n_nps"]
    )
    out["csat"], out["csat_low"], out["csat_high"] = wilson_interval(out["satisfied"], out["n_csat"])
    out["ces"], out["ces_low"], out["ces_high"] = mean_interval(out["ces_sum"], out["ces_sq"], out["n_ces"])
    out["sentiment"], out["sentiment_low"], out["sentiment_high"] = wilson_interval(
        out["negative"], out["n_sentiment"]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["csat_mean"] = out["csat_sum"] / out["n_csat"].replace(0, np.nan)
        out["ces_easy"] = 100 * out["ces_easy_n"] / out["n_ces"].replace(0, np.nan)
        out["volume_share"] = 100 * out["volume"] / total_volume if total_volume else np.nan
    for metric in SCORED:
        out[f"{metric}_below_min"] = out[f"n_{metric}"] < min_n
    return out.drop(columns=["csat_sum", "satisfied", "ces_sum", "ces_sq", "ces_easy_n"])


def summarize(frame: pd.DataFrame, min_n: int = DEFAULT_MIN_N) -> dict:
    """Overall metrics of a canonical frame as a flat dict.

    Keys: n, comments, volume, volume_basis ("comments" or "responses"), then for each of nps, csat, ces
    and sentiment its n_<metric>, value, <metric>_low, <metric>_high and <metric>_below_min; plus the NPS
    counts, csat_mean, ces_easy and the sentiment counts (negative, neutral, positive).
    """
    basis = volume_basis(frame)
    return summary_from_counts(_totals(_indicators(frame, basis)), basis, min_n)


def summary_from_counts(totals: pd.DataFrame, basis: str, min_n: int = DEFAULT_MIN_N) -> dict:
    """`summarize`'s dict from one row of indicator sums (`INDICATORS`, `volume` as `basis` counts it).

    The batch path (cx/batch/source.py) sums the same indicators in SQL and finishes them here, so a
    dataset folder and the same rows in pandas give the same numbers.
    """
    totals = _typed(totals)
    row = _finish(totals, min_n, float(totals["volume"].iloc[0])).iloc[0].to_dict()
    row["volume_basis"] = basis
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def table_from_counts(
    counts: pd.DataFrame, keys: list[str], basis: str, min_n: int = DEFAULT_MIN_N
) -> pd.DataFrame:
    """`metrics_by`'s table from indicator sums per group (the key columns, then `INDICATORS`).

    `volume_share` is each group's % of the table's total volume; no keys: the overall row.
    """
    counts = _typed(counts)
    out = _finish(counts, min_n, float(counts["volume"].sum()))[[*keys, *_OUT]]
    out.attrs["volume_basis"] = basis
    return out


def metrics_by(
    frame: pd.DataFrame, by: list[str] | str | None = None, min_n: int = DEFAULT_MIN_N
) -> pd.DataFrame:
    """Metrics per group.

    Args:
        frame: the canonical frame.
        by: segment column names and/or a granularity ("day", "week", "month", "quarter", "year"),
            which groups by a `period` column holding each period's first day. Rows without a date are
            left out of period groups, and so are rows dated only by a year except in "year" groups;
            a blank segment value is its own group, "(blank)".
        min_n: groups with fewer answers than this are flagged (`nps_below_min`, `csat_below_min`,
            `ces_below_min`, `sentiment_below_min`).

    Returns:
        One row per group present (empty periods are absent: see `fill_periods`) with the group keys,
        `n`, `COLUMNS` and the flags; the overall row when `by` is empty. `volume` counts comments (or
        responses in a file without comments, see `volume_basis`) and `volume_share` is its % of the
        table's total.
    """
    by = [by] if isinstance(by, str) else list(by or [])
    basis = volume_basis(frame)
    data = _indicators(frame, basis)
    if not by:
        return table_from_counts(_totals(data), [], basis, min_n)
    keys = {}
    for item in by:
        if item in GRANULARITIES:
            keys["period"] = periods_of(frame, item)
        elif item in frame.columns:
            values = frame[item]
            if isinstance(values.dtype, pd.CategoricalDtype):
                if BLANK_SEGMENT not in values.cat.categories:
                    values = values.cat.add_categories(BLANK_SEGMENT)
                values = values.fillna(BLANK_SEGMENT)
            else:
                values = values.astype(object).where(values.notna(), BLANK_SEGMENT)
            keys[item] = values
        else:
            raise KeyError(f"no column or period called {item!r}")
    for name, values in keys.items():
        data[name] = values.array  # categoricals stay categorical: grouping on codes, not strings
    if "period" in keys:
        data = data[data["period"].notna()]
    counts = data.groupby(list(keys), observed=True, sort=True).sum().reset_index()
    return table_from_counts(counts, list(keys), basis, min_n)
