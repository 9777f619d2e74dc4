"""NPS and CSAT with 95 % intervals, overall, by period and by segment (definitions in DESIGN.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

Z95 = float(norm.ppf(0.975))
GRANULARITIES = ["day", "week", "month", "quarter", "year"]
PERIOD_FORMAT = {"day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}
DEFAULT_MIN_N = 30
BLANK_SEGMENT = "(blank)"
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
]


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


def period_labels(periods: pd.Series, granularity: str) -> pd.Series:
    """Readable names for period starts: "Q3 2025", "Jul 2025", "07 Jul 2025" (a week by its Monday)."""
    periods = pd.to_datetime(periods)
    if granularity == "quarter":
        return "Q" + periods.dt.quarter.astype(str) + " " + periods.dt.year.astype(str)
    return periods.dt.strftime(PERIOD_FORMAT[granularity])


def _indicators(frame: pd.DataFrame) -> pd.DataFrame:
    # Plain float arrays (NaN for missing): comparisons on them are several times faster than on Int64.
    nps = frame["nps"].to_numpy(dtype=np.float64, na_value=np.nan)
    csat = frame["csat"].to_numpy(dtype=np.float64, na_value=np.nan)
    satisfied = frame["csat_satisfied"].to_numpy(dtype=np.float64, na_value=0.0)
    return pd.DataFrame(
        {
            "n_nps": (~np.isnan(nps)).astype(np.int64),
            "promoters": (nps >= 9).astype(np.int64),
            "passives": ((nps >= 7) & (nps <= 8)).astype(np.int64),
            "detractors": (nps <= 6).astype(np.int64),
            "n_csat": (~np.isnan(csat)).astype(np.int64),
            "satisfied": satisfied.astype(np.int64),
            "csat_sum": np.nan_to_num(csat, nan=0.0),
            "n": np.ones(len(frame), dtype=np.int64),
        },
        index=frame.index,
    )


def _totals(frame: pd.DataFrame) -> pd.DataFrame:
    sums = _indicators(frame).sum()
    return pd.DataFrame([{k: (float(v) if k == "csat_sum" else int(v)) for k, v in sums.items()}])


def _finish(counts: pd.DataFrame, min_n: int) -> pd.DataFrame:
    out = counts.copy()
    out["nps"], out["nps_low"], out["nps_high"] = nps_interval(
        out["promoters"], out["detractors"], out["n_nps"]
    )
    out["csat"], out["csat_low"], out["csat_high"] = wilson_interval(out["satisfied"], out["n_csat"])
    with np.errstate(invalid="ignore", divide="ignore"):
        out["csat_mean"] = out["csat_sum"] / out["n_csat"].replace(0, np.nan)
    out["nps_below_min"] = out["n_nps"] < min_n
    out["csat_below_min"] = out["n_csat"] < min_n
    return out.drop(columns=["csat_sum", "satisfied"])


def summarize(frame: pd.DataFrame, min_n: int = DEFAULT_MIN_N) -> dict:
    """Overall metrics of a canonical frame as a flat dict (n, n_nps, nps, nps_low, ..., csat_mean)."""
    row = _finish(_totals(frame), min_n).iloc[0].to_dict()
    row["comments"] = int(frame["text"].notna().sum())
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}


def metrics_by(
    frame: pd.DataFrame, by: list[str] | str | None = None, min_n: int = DEFAULT_MIN_N
) -> pd.DataFrame:
    """Metrics per group.

    Args:
        frame: the canonical frame.
        by: segment column names and/or a granularity ("day", "week", "month", "quarter", "year"),
            which groups by a `period` column holding each period's first day. Rows without a date are
            left out of period groups; a blank segment value is its own group, "(blank)".
        min_n: groups with fewer answers than this are flagged (`nps_below_min`, `csat_below_min`).

    Returns:
        One row per group with the group keys, `n`, then `COLUMNS` and the below-minimum flags; the
        overall row when `by` is empty.
    """
    by = [by] if isinstance(by, str) else list(by or [])
    if not by:
        return _finish(_totals(frame), min_n)[["n", *COLUMNS, "nps_below_min", "csat_below_min"]]
    keys = {}
    for item in by:
        if item in GRANULARITIES:
            keys["period"] = period_start(frame["date"], item)
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
    data = _indicators(frame)
    for name, values in keys.items():
        data[name] = values.array  # categoricals stay categorical: grouping on codes, not strings
    if "period" in keys:
        data = data[data["period"].notna()]
    counts = data.groupby(list(keys), observed=True, sort=True).sum().reset_index()
    out = _finish(counts, min_n)
    return out[[*keys, "n", *COLUMNS, "nps_below_min", "csat_below_min"]]
