"""What changed between two periods: the metric in each, the change, where it came from, which themes moved.

The change of a metric between two periods is split, for every segment column, into one **mix** and one
**within** part per value (shift-share, symmetric form):

    mix_i    = (w1_i − w0_i) · (m̄_i − M̄)      its share of answers changed
    within_i = w̄_i · (m1_i − m0_i)             its own score changed

with w the value's share of answers in a period, m its score, m̄ and w̄ the averages of the two periods and
M̄ the average of the two overall scores. Because the shares sum to one in both periods, Σ mix + Σ within
is exactly the overall change, and a growing value only pulls the total down when it scores below
average. A value found in one period only has no within part: all of it is mix.

Intervals on the parts come from a seeded bootstrap of the answers within each period (resampling the
counts of (value, answer) cells, which is the same as resampling rows and fast at any size).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

from cx import i18n
from cx.io import InputError
from cx.metrics import DEFAULT_MIN_N, Z95, nps_interval, sentiment_counts, wilson_interval
from cx.strings import CHANGES, PERIODS

METRICS = ["nps", "csat", "ces", "sentiment", "churn"]
METRIC_NAMES = {
    "nps": "NPS",
    "csat": "CSAT",
    "ces": "CES",
    "sentiment": "Negative comments",
    "churn": "Churn",
}
# +1: higher is better; −1: higher is worse (share of negative comments, churn rate).
DIRECTION = {"nps": 1, "csat": 1, "ces": 1, "sentiment": -1, "churn": -1}
SHARE_METRICS = {"csat", "sentiment", "churn"}
OWN_SCORE = {
    "nps": "score",
    "csat": "score",
    "ces": "score",
    "sentiment": "share of negative comments",
    "churn": "churn",
}
BLANK = "(blank)"
DEFAULT_BOOTSTRAP = 500
DEFAULT_SEED = 0
DOMINANT = 0.9
PART_COLUMNS = ["column", "value", "effect", "contribution", "low", "high", "n_before", "n_after", "ranked"]


# --------------------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of dates: `start` inclusive, `end` exclusive; `kind` is month, quarter, week or range."""

    label: str
    start: pd.Timestamp
    end: pd.Timestamp
    kind: str

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Rows dated inside the period (a date that is only a year belongs to no month, week or range)."""
        dates = frame["date"]
        inside = (dates >= self.start) & (dates < self.end)
        if "year_only" in frame:
            inside &= ~frame["year_only"].fillna(False).astype(bool)
        return inside.fillna(False).astype(bool)

    def previous(self) -> Period:
        """The period of the same kind just before this one (a range: the same number of days before)."""
        if self.kind == "month":
            return month_period(self.start - pd.DateOffset(months=1))
        if self.kind == "quarter":
            return quarter_period(self.start - pd.DateOffset(months=3))
        if self.kind == "week":
            return week_period(self.start - pd.Timedelta(days=7))
        days = self.end - self.start
        start, end = self.start - days, self.start
        return Period(f"{start.date()}..{(end - pd.Timedelta(days=1)).date()}", start, end, "range")


def month_period(day) -> Period:
    start = pd.Timestamp(day).to_period("M").start_time
    return Period(start.strftime("%Y-%m"), start, start + pd.DateOffset(months=1), "month")


def quarter_period(day) -> Period:
    start = pd.Timestamp(day).to_period("Q").start_time
    return Period(f"{start.year}-Q{start.quarter}", start, start + pd.DateOffset(months=3), "quarter")


def week_period(day) -> Period:
    day = pd.Timestamp(day).normalize()
    start = day - pd.Timedelta(days=day.day_of_week)
    year, week, _ = start.isocalendar()
    return Period(f"{year}-W{week:02d}", start, start + pd.Timedelta(days=7), "week")


def parse_period(text: str) -> Period:
    """`2025-03`, `2025-Q1`, `2025-W09` (ISO week) or `2025-03-01..2025-03-15` (both days included)."""
    raw = str(text).strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", raw):
            return month_period(pd.Timestamp(year=int(m[1]), month=int(m[2]), day=1))
        if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", raw):
            return quarter_period(pd.Timestamp(year=int(m[1]), month=3 * int(m[2]) - 2, day=1))
        if m := re.fullmatch(r"(\d{4})-?[Ww](\d{1,2})", raw):
            return week_period(pd.Timestamp(dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)))
        if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", raw):
            first, last = pd.Timestamp(m[1]), pd.Timestamp(m[2])
            if last < first:
                raise InputError(PERIODS["reversed"].format(raw=raw))
            return Period(f"{first.date()}..{last.date()}", first, last + pd.Timedelta(days=1), "range")
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(PERIODS["not_a_date"].format(raw=raw, why=exc, formats=PERIODS["formats"])) from None
    raise InputError(PERIODS["not_understood"].format(raw=raw, formats=PERIODS["formats"]))


def default_periods(frame: pd.DataFrame) -> tuple[Period, Period]:
    """The last complete month of the data and the month before it.

    The month of the latest answer counts as complete when that answer falls in its last three days;
    otherwise the data stopped part-way through it and the month before is the last complete one (unless
    the data has no month before that one to compare with: then the latest two months).
    """
    dates = frame["date"]
    if "year_only" in frame:
        dates = dates[~frame["year_only"].fillna(False).astype(bool)]
    dates = dates.dropna()
    if dates.empty:
        raise InputError(PERIODS["no_dates"])
    latest = dates.max()
    after = month_period(latest)
    if latest < after.end - pd.Timedelta(days=3):
        before_complete = after.previous().previous()
        if ((dates >= before_complete.start) & (dates < before_complete.end)).any():
            after = after.previous()
        # else: the data holds too few months to skip the incomplete one; compare it as it is
    return after.previous(), after


# --------------------------------------------------------------------------------------------------
# Metric values
# --------------------------------------------------------------------------------------------------


def row_values(frame: pd.DataFrame, metric: str) -> pd.Series:
    """Each row's contribution to the metric, so that the metric is their mean (NaN: row not counted).

    NPS: +100 promoter, 0 passive, −100 detractor. CSAT: 100 when satisfied. CES: the answer.
    Sentiment: 100 when the comment is negative (comments with a known sentiment). Churn: 100 when left.
    """
    if metric not in METRICS:
        raise InputError(PERIODS["bad_metric"].format(metric=metric, metrics=", ".join(METRICS)))
    if metric == "nps":
        nps = frame["nps"].astype("Float64")
        out = pd.Series(np.nan, index=frame.index)
        out[(nps >= 9).fillna(False)] = 100.0
        out[((nps >= 7) & (nps <= 8)).fillna(False)] = 0.0
        out[(nps <= 6).fillna(False)] = -100.0
        return out
    if metric == "csat":
        known = frame["csat"].notna()
        sat = frame["csat_satisfied"].astype("boolean").fillna(False).astype(float) * 100
        return sat.where(known, np.nan).astype(float)
    if metric == "ces":
        return frame["ces"].astype("Float64").astype(float) if "ces" in frame else _nan(frame)
    if metric == "sentiment":
        # As on every page (metrics.sentiment_counts): a comment the model read and did not call negative
        # counts as read, not as missing, so an estimated share is never 100 % by construction.
        known, negative = sentiment_counts(frame)
        return pd.Series(np.where(known, np.where(negative, 100.0, 0.0), np.nan), index=frame.index)
    if "churned" not in frame:
        return _nan(frame)
    churned = frame["churned"].astype("boolean")
    return (churned.fillna(False).astype(float) * 100).where(churned.notna(), np.nan)


def _nan(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(np.nan, index=frame.index)


def has_metric(frame: pd.DataFrame, metric: str) -> bool:
    return bool(row_values(frame, metric).notna().any())


def estimate(values, metric: str) -> dict:
    """The metric over answered row values: {"value", "n", "ci": [low, high]} (NaN-free JSON-ready)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    n = len(v)
    if n == 0:
        return {"value": None, "n": 0, "ci": [None, None]}
    if metric == "nps":
        value, low, high = nps_interval((v == 100).sum(), (v == -100).sum(), n)
    elif metric in SHARE_METRICS:
        value, low, high = wilson_interval((v == 100).sum(), n)
    else:
        value = v.mean()
        if n > 1:
            half = student_t.ppf(0.975, n - 1) * v.std(ddof=1) / np.sqrt(n)
            low, high = value - half, value + half
        else:
            low = high = np.nan
    return {"value": float(value), "n": int(n), "ci": [_num(low), _num(high)]}


def _num(x) -> float | None:
    x = float(x)
    return None if np.isnan(x) else x


def change_interval(before, after, metric: str) -> tuple[float, float, float]:
    """after − before and its 95 % interval (Newcombe's hybrid score interval for shares; Wald otherwise)."""
    a = np.asarray(before, dtype=float)
    b = np.asarray(after, dtype=float)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if not len(a) or not len(b):
        return np.nan, np.nan, np.nan
    if metric in SHARE_METRICS:
        return newcombe((a == 100).sum(), len(a), (b == 100).sum(), len(b))
    change = b.mean() - a.mean()
    var = a.var(ddof=0 if metric == "nps" else 1) / len(a) if len(a) > 1 else np.nan
    var += b.var(ddof=0 if metric == "nps" else 1) / len(b) if len(b) > 1 else np.nan
    half = Z95 * np.sqrt(var)
    return float(change), float(change - half), float(change + half)


def newcombe(x0, n0, x1, n1) -> tuple[float, float, float]:
    """Difference of two shares (second − first) in percentage points with Newcombe's 95 % interval."""
    p0, l0, u0 = (float(v) for v in wilson_interval(x0, n0))
    p1, l1, u1 = (float(v) for v in wilson_interval(x1, n1))
    d = p1 - p0
    return d, d - np.hypot(p1 - l1, u0 - p0), d + np.hypot(u1 - p1, p0 - l0)


# --------------------------------------------------------------------------------------------------
# Shift-share decomposition
# --------------------------------------------------------------------------------------------------


def _parts(counts: np.ndarray, levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mix and within parts from cell counts of shape (..., 2 periods, S values, V answers)."""
    n = counts.sum(-1)  # (..., 2, S)
    total = n.sum(-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = n / total
        m = (counts * levels).sum(-1) / n
    overall = np.nansum(w * m, axis=-1)  # (..., 2)
    mbar_all = overall.mean(-1)[..., None]  # (..., 1)
    w0, w1, m0, m1 = w[..., 0, :], w[..., 1, :], m[..., 0, :], m[..., 1, :]
    in0, in1 = n[..., 0, :] > 0, n[..., 1, :] > 0
    both = in0 & in1
    mbar = np.where(both, (m0 + m1) / 2, np.where(in1, m1, m0))
    mix = np.where(in0 | in1, (w1 - w0) * (mbar - mbar_all), 0.0)
    within = np.where(both, (w0 + w1) / 2 * (m1 - m0), 0.0)
    return mix, within


def decompose(
    before: pd.DataFrame,
    after: pd.DataFrame,
    column: str,
    metric: str,
    min_n: int = DEFAULT_MIN_N,
    n_boot: int = DEFAULT_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """Mix and within parts of one segment column's values; they sum to the overall change.

    Returns:
        Two rows per value (effect "mix" and "within"): column, value, effect, contribution, low, high
        (bootstrap 95 % percentile interval), n_before, n_after, ranked (False for a value with fewer
        than `min_n` answers in a period where it appears, or with 90 % or more of the answers in both).
    """
    parts = []
    for period, rows in ((0, before), (1, after)):
        values = row_values(rows, metric)
        seg = rows[column].astype(object).where(rows[column].notna(), BLANK).astype(str)
        keep = values.notna()
        parts.append(pd.DataFrame({"p": period, "seg": seg[keep].to_numpy(), "v": values[keep].to_numpy()}))
    data = pd.concat(parts, ignore_index=True)
    columns = PART_COLUMNS
    if data.empty or data["p"].nunique() < 2:
        return pd.DataFrame(columns=columns)
    segs = sorted(data["seg"].unique())
    levels = np.sort(data["v"].unique())
    s_idx = pd.Categorical(data["seg"], categories=segs).codes
    v_idx = np.searchsorted(levels, data["v"].to_numpy())
    counts = np.zeros((2, len(segs), len(levels)))
    np.add.at(counts, (data["p"].to_numpy(), s_idx, v_idx), 1)
    mix, within = _parts(counts, levels)

    rng = np.random.default_rng(seed)
    boot = np.empty((n_boot, 2, len(segs), len(levels)))
    for p in (0, 1):
        flat = counts[p].ravel()
        boot[:, p] = rng.multinomial(int(flat.sum()), flat / flat.sum(), size=n_boot).reshape(
            n_boot, len(segs), len(levels)
        )
    b_mix, b_within = _parts(boot, levels)
    n_before, n_after = counts[0].sum(-1), counts[1].sum(-1)
    # A value with nearly every answer in both periods is the total itself, not a part of it: its within
    # part is the overall change, so ranking it would crowd out the values that explain something.
    dominant = (n_before >= DOMINANT * n_before.sum()) & (n_after >= DOMINANT * n_after.sum())
    rows = []
    for effect, point, reps in (("mix", mix, b_mix), ("within", within, b_within)):
        low, high = np.percentile(reps, [2.5, 97.5], axis=0)
        for i, seg in enumerate(segs):
            if effect == "within" and not (n_before[i] and n_after[i]):
                continue  # a value in one period only has no score change of its own
            ok = all(n == 0 or n >= min_n for n in (n_before[i], n_after[i])) and not dominant[i]
            rows.append(
                [column, seg, effect, point[i], low[i], high[i], int(n_before[i]), int(n_after[i]), ok]
            )
    return pd.DataFrame(rows, columns=columns)


def rank_drivers(parts: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The ranked parts (values with enough answers), the most harmful first: most negative for NPS,
    CSAT and CES; the largest rise for the negative-comment share and churn, where up is worse."""
    ranked = parts[parts["ranked"].astype(bool)].copy()
    ranked["_harm"] = ranked["contribution"] * DIRECTION[metric]
    return ranked.sort_values(["_harm", "column", "value"], kind="stable").drop(columns="_harm")


# --------------------------------------------------------------------------------------------------
# Themes
# --------------------------------------------------------------------------------------------------


def theme_changes(
    frame: pd.DataFrame,
    assignments: pd.DataFrame,
    before_mask: pd.Series,
    after_mask: pd.Series,
    known_themes=None,
) -> pd.DataFrame:
    """Share of comments in each theme before and after, the change with its 95 % interval, new themes.

    Args:
        frame: the canonical frame (both periods inside it).
        assignments: long table indexed by the frame's row index, columns theme_id and theme_label; a
            comment in several themes has several rows (multi-label).
        before_mask, after_mask: the two periods' rows.
        known_themes: theme ids of a saved codeframe; a theme not in it is new. None: a theme is new when
            it has no comment in the first period.

    Returns:
        theme_id, label, n_before, n_after, share_before, share_after (% of the period's comments),
        change (points), low, high (Newcombe), significant, new; the largest rise first.
    """
    comments = frame["text"].notna()
    base0 = int((comments & before_mask).sum())
    base1 = int((comments & after_mask).sum())
    cols = [
        "theme_id",
        "label",
        "n_before",
        "n_after",
        "share_before",
        "share_after",
        "change",
        "low",
        "high",
    ]
    if assignments is None or assignments.empty or not base0 or not base1:
        return pd.DataFrame(columns=[*cols, "significant", "new"])
    period = pd.Series(np.nan, index=frame.index)
    period[before_mask & comments] = 0
    period[after_mask & comments] = 1
    a = assignments[assignments.index.isin(frame.index)].rename_axis("_row").reset_index()
    a["period"] = period.reindex(a["_row"]).to_numpy()
    a = a.dropna(subset=["period"]).drop_duplicates(["_row", "theme_id"])  # one count per comment
    labels = assignments.groupby("theme_id")["theme_label"].first()
    counts = a.groupby(["theme_id", "period"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[0.0, 1.0], fill_value=0)
    rows = []
    for theme_id, (n0, n1) in counts.iterrows():
        change, low, high = newcombe(n0, base0, n1, base1)
        if known_themes is not None:
            new = theme_id not in set(known_themes)
        else:
            new = n0 == 0 and n1 > 0
        rows.append(
            [theme_id, str(labels.get(theme_id, theme_id)), int(n0), int(n1), 100 * n0 / base0]
            + [100 * n1 / base1, change, low, high, bool(low > 0 or high < 0), bool(new)]
        )
    out = pd.DataFrame(rows, columns=[*cols, "significant", "new"])
    return out.sort_values(["change", "theme_id"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )


def read_assignments(path, frame: pd.DataFrame) -> pd.DataFrame:
    """A themes assignment file (`python -m cx themes` writes one: response_id, theme_id, theme_label; one
    row per comment and theme) as a long table on the frame's index; a response id not in the frame, and
    the Other bucket (theme 0), are left out."""
    from cx.io import read_file

    table = read_file(path).frame
    missing = {"response_id", "theme_id", "theme_label"} - set(table.columns)
    if missing:
        raise InputError(PERIODS["themes_columns"].format(path=path))
    # The Other bucket (0) is not a complaint; a comment no saved theme took (a codeframe's "new") has none.
    table = table[table["theme_id"].notna() & ~table["theme_id"].astype(str).str.strip().isin({"0", ""})]
    ids = pd.Series(frame.index, index=frame["response_id"].astype(str).to_numpy())
    ids = ids[~ids.index.duplicated()]
    rid = table["response_id"].astype(str).str.strip()
    index = ids.reindex(rid.to_numpy())
    keep = index.notna().to_numpy()
    return pd.DataFrame(
        {
            "theme_id": table["theme_id"].to_numpy()[keep],
            "theme_label": table["theme_label"].to_numpy()[keep],
        },
        index=pd.Index(index.to_numpy()[keep].astype(int)),
    )


OTHER_THEME_IDS = {0, "0"}


def theme_long_table(result) -> pd.DataFrame:
    """A theme result as a long table on the frame's index (theme_id, theme_label), every theme of a comment.

    Takes the top-level themes of `result.pairs` (one row per comment and sub-theme) when the result has
    them, otherwise `result.assignments`. The Other bucket (id 0) is left out: it is not a complaint.
    """
    pairs = getattr(result, "pairs", None)
    if isinstance(pairs, pd.DataFrame) and {"row", "parent_id", "parent_label"} <= set(pairs.columns):
        table = pd.DataFrame(
            {"theme_id": pairs["parent_id"].to_numpy(), "theme_label": pairs["parent_label"].to_numpy()},
            index=pd.Index(pairs["row"].to_numpy()),
        )
    else:
        table = result.assignments[["theme_id", "theme_label"]]
    table = table[~table["theme_id"].isin(OTHER_THEME_IDS)]
    keys = pd.DataFrame({"row": table.index, "theme_id": table["theme_id"].to_numpy()})
    return table[~keys.duplicated().to_numpy()]


def theme_quotes(
    frame: pd.DataFrame, assignments: pd.DataFrame, theme_id, mask: pd.Series, k: int = 3
) -> list[str]:
    """Up to k comments of the theme inside `mask` (the new complaint's own words), in file order."""
    rows = assignments.index[assignments["theme_id"] == theme_id]
    texts = frame.loc[frame.index.isin(rows) & mask, "text"].dropna()
    return texts.head(k).astype(str).tolist()


# --------------------------------------------------------------------------------------------------
# The comparison
# --------------------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """What changed between two periods (see `compare`)."""

    metric: str
    before_period: Period
    after_period: Period
    before: dict
    after: dict
    change: float | None
    change_ci: list
    significant: bool
    parts: pd.DataFrame  # every value's mix and within part, ranked or not
    drivers: pd.DataFrame  # the ranked parts, most harmful first
    themes: pd.DataFrame
    min_n: int
    n_boot: int
    seed: int
    sentence: str = ""
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The CLI's JSON: metric, before, after, change, change_ci, drivers, themes (+ periods, sentence)."""
        drivers = [
            {
                "column": r.column,
                "value": r.value,
                "effect": r.effect,
                "contribution": float(r.contribution),
                "ci": [_num(r.low), _num(r.high)],
                "n_before": int(r.n_before),
                "n_after": int(r.n_after),
            }
            for r in self.drivers.itertuples()
        ]
        themes = [
            {
                "label": r.label,
                "share_before": float(r.share_before),
                "share_after": float(r.share_after),
                "change": float(r.change),
                "ci": [_num(r.low), _num(r.high)],
                "new": bool(r.new),
            }
            for r in self.themes.itertuples()
        ]
        return {
            "metric": self.metric,
            "before": {**self.before, "period": self.before_period.label},
            "after": {**self.after, "period": self.after_period.label},
            "change": _num(self.change) if self.change is not None else None,
            "change_ci": self.change_ci,
            "significant": self.significant,
            "drivers": drivers,
            "themes": themes,
            "sentence": self.sentence,
            "parameters": {"min_n": self.min_n, "bootstrap": self.n_boot, "seed": self.seed},
        }


def compare(
    frame: pd.DataFrame,
    before: Period,
    after: Period,
    metric: str = "nps",
    segments: list[str] | None = None,
    assignments: pd.DataFrame | None = None,
    known_themes=None,
    min_n: int = DEFAULT_MIN_N,
    n_boot: int = DEFAULT_BOOTSTRAP,
    seed: int = DEFAULT_SEED,
) -> Comparison:
    """Compare the metric between two periods of the frame (already filtered like every page).

    Args:
        segments: segment columns to decompose the change over.
        assignments: theme assignments (long table on the frame's index), for the theme shares.
        known_themes: theme ids of an applied codeframe; a theme outside it is marked new.
    """
    if not has_metric(frame, metric):
        raise InputError(PERIODS["no_answers"].format(metric=CHANGES.get(f"metric_{metric}", metric)))
    m0, m1 = before.mask(frame), after.mask(frame)
    rows0, rows1 = frame[m0], frame[m1]
    v0, v1 = row_values(rows0, metric), row_values(rows1, metric)
    for period, values in ((before, v0), (after, v1)):
        if not values.notna().any():
            raise InputError(
                PERIODS["no_answers_in"].format(
                    metric=CHANGES[f"metric_{metric}"],
                    period=period.label,
                    first=_date(frame["date"].min()),
                    last=_date(frame["date"].max()),
                )
            )
    est0, est1 = estimate(v0, metric), estimate(v1, metric)
    change, low, high = change_interval(v0, v1, metric)
    bound = 200.0 if metric == "nps" else 100.0 if metric in SHARE_METRICS else np.inf
    low, high = max(low, -bound), min(high, bound)
    significant = bool(low > 0 or high < 0)
    parts = [decompose(rows0, rows1, c, metric, min_n, n_boot, seed) for c in segments or []]
    parts = [p for p in parts if not p.empty]
    all_parts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PART_COLUMNS)
    themes = (
        theme_changes(frame, assignments, m0, m1, known_themes)
        if assignments is not None
        else theme_changes(frame, pd.DataFrame(columns=["theme_id", "theme_label"]), m0, m1)
    )
    result = Comparison(
        metric=metric,
        before_period=before,
        after_period=after,
        before=est0,
        after=est1,
        change=float(change),
        change_ci=[_num(low), _num(high)],
        significant=significant,
        parts=all_parts,
        drivers=rank_drivers(all_parts, metric).reset_index(drop=True),
        themes=themes,
        min_n=min_n,
        n_boot=n_boot,
        seed=seed,
    )
    result.sentence = summary_sentence(result)
    return result


def _date(value) -> str:
    return "?" if pd.isna(value) else str(pd.Timestamp(value).date())


def _fmt(metric: str, value: float, signed: bool = False, size: bool = False) -> str:
    """1 decimal (2 for CES); `signed` shows + or −, `size` drops the sign (a change said in words)."""
    digits = 2 if metric == "ces" else 1
    value = abs(value) if size else value
    if i18n.language() != i18n.DEFAULT:  # 5,7 / +1.234,5 in Spanish and Galician
        return i18n.number(value, digits, sign=signed)
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    return text.replace("-", "−")


def metric_name(metric: str) -> str:
    """The metric's name in the run's language ("NPS", "Negative comments", "Churn")."""
    return CHANGES[f"metric_{metric}"]


def summary_sentence(result: Comparison) -> str:
    """One plain sentence: the change, its largest part, a new complaint, and the largest mix part."""
    metric = result.metric
    unit = "" if metric == "ces" else CHANGES["unit_pts"]
    name = metric_name(metric)
    change = result.change
    before, after = result.before["value"], result.after["value"]
    verb = "same" if round(change, 2 if metric == "ces" else 1) == 0 else ("rose" if change > 0 else "fell")
    sig = CHANGES["significant"] if result.significant else CHANGES["not_significant"]
    small = [
        p
        for p, side in ((result.before_period, result.before), (result.after_period, result.after))
        if side["n"] < result.min_n
    ]
    if small:
        periods = CHANGES["and"].join(p.label for p in small)
        sig += CHANGES["small"].format(min_n=result.min_n, periods=periods)
    head = CHANGES[f"head_{verb}"].format(
        name=name,
        size=_fmt(metric, change, size=True),
        unit=unit,
        before=_fmt(metric, before),
        after=_fmt(metric, after),
        sig=sig,
    )
    pieces = [head]
    if result.significant or abs(change) > 0:
        # The largest part in the direction of the change; only parts whose own interval excludes zero
        # are named: the sentence never explains noise.
        clear = result.drivers[(result.drivers["low"] > 0) | (result.drivers["high"] < 0)]
        same_way = clear[np.sign(clear["contribution"]) == np.sign(change)]
        if change != 0 and not same_way.empty:
            top = same_way.reindex(same_way["contribution"].abs().sort_values(ascending=False).index).iloc[0]
            lead = "lead_most" if abs(top.contribution) >= abs(change) / 2 else "lead_largest"
            pieces.append(CHANGES[lead].format(part=_part_phrase(top, metric, unit)))
        else:
            top = None
        new = result.themes[result.themes["new"] & result.themes["significant"]]
        if not new.empty:
            t = new.iloc[0]
            pieces.append(
                CHANGES["new_complaint"].format(label=t.label, before=t.share_before, after=t.share_after)
            )
        mixes = clear[clear["effect"] == "mix"]
        if top is not None:
            mixes = mixes[~((mixes["column"] == top.column) & (mixes["value"] == top.value))]
        if change != 0 and not mixes.empty:
            worst = mixes.iloc[0]
            if worst.contribution * DIRECTION[metric] < 0 and abs(worst.contribution) >= 0.1 * abs(change):
                bigger = "mix_larger" if _share_grew(worst, result) else "mix_smaller"
                pieces.append(
                    CHANGES[bigger].format(
                        column=worst.column,
                        value=worst.value,
                        contribution=_fmt(metric, worst.contribution, signed=True),
                        unit=unit,
                    )
                )
    if len(pieces) == 1:
        return pieces[0] + "."
    return pieces[0] + ". " + "; ".join(pieces[1:]) + "."


def _share_grew(part, result: Comparison) -> bool:
    return part.n_after / max(result.after["n"], 1) > part.n_before / max(result.before["n"], 1)


def _part_phrase(part, metric: str, unit: str) -> str:
    key = "part_mix" if part.effect != "within" else ("part_rose" if part.contribution > 0 else "part_fell")
    return CHANGES[key].format(
        column=part.column,
        value=part.value,
        contribution=_fmt(metric, part.contribution, signed=True),
        unit=unit,
        own=CHANGES[f"own_{metric}"],
    )


# --------------------------------------------------------------------------------------------------
# For the page and the report
# --------------------------------------------------------------------------------------------------

PERIOD_KINDS = ["month", "quarter", "week"]


def available_periods(frame: pd.DataFrame, kind: str = "month") -> list[Period]:
    """The periods of this kind that hold at least one dated answer, oldest first."""
    maker = {"month": month_period, "quarter": quarter_period, "week": week_period}[kind]
    dates = frame["date"]
    if "year_only" in frame:
        dates = dates[~frame["year_only"].fillna(False).astype(bool)]
    dates = dates.dropna()
    if dates.empty:
        return []
    starts = {maker(d).start: maker(d) for d in dates.dt.normalize().unique()}
    return [starts[s] for s in sorted(starts)]


def drivers_table(result: Comparison, rows: int | None = None) -> pd.DataFrame:
    """The ranked parts as a readable table: segment, value, effect, contribution (pts), interval, n.

    The parts that moved the metric the way it went come first: the most harmful first after a fall,
    the most helpful first after a rise (the JSON keeps the most harmful first either way).
    Headers and words in the run's language.
    """
    unit = "" if result.metric == "ces" else CHANGES["unit_pts"]
    shown = result.drivers
    if result.change and result.change * DIRECTION[result.metric] > 0:
        shown = shown.iloc[::-1]
    shown = shown if rows is None else shown.head(rows)
    return pd.DataFrame(
        {
            CHANGES["segment"]: shown["column"].astype(str),
            CHANGES["value"]: shown["value"].astype(str),
            CHANGES["effect"]: shown["effect"].map(
                {"mix": CHANGES["effect_mix"], "within": CHANGES["effect_within"]}
            ),
            CHANGES["contribution"].format(unit=unit): shown["contribution"].round(2),
            CHANGES["interval"]: [
                CHANGES["interval_range"].format(
                    low=_fmt(result.metric, lo, signed=True), high=_fmt(result.metric, hi, signed=True)
                )
                for lo, hi in zip(shown["low"], shown["high"], strict=True)
            ],
            CHANGES["n_period"].format(period=result.before_period.label): shown["n_before"].astype(int),
            CHANGES["n_period"].format(period=result.after_period.label): shown["n_after"].astype(int),
        }
    )


def themes_table(result: Comparison) -> pd.DataFrame:
    """Theme shares before and after as a readable table (new themes say so), in the run's language."""
    t = result.themes
    return pd.DataFrame(
        {
            CHANGES["theme"]: t["label"].astype(str),
            CHANGES["share_period"].format(period=result.before_period.label): t["share_before"].round(1),
            CHANGES["share_period"].format(period=result.after_period.label): t["share_after"].round(1),
            CHANGES["change_pts"]: t["change"].round(1),
            CHANGES["interval"]: [
                CHANGES["interval_range"].format(
                    low=_fmt("nps", lo, signed=True), high=_fmt("nps", hi, signed=True)
                )
                for lo, hi in zip(t["low"], t["high"], strict=True)
            ],
            "n": [f"{a} → {b}" for a, b in zip(t["n_before"], t["n_after"], strict=True)],
            CHANGES["new"]: t["new"].map({True: CHANGES["new"], False: ""}),
        }
    )


# --------------------------------------------------------------------------------------------------
# The default comparison, for the report, the presentation slide and the Overview
# --------------------------------------------------------------------------------------------------


def first_metric(frame: pd.DataFrame) -> str | None:
    """The metric the default comparison uses: the first the frame has of nps, csat, ces, sentiment, churn."""
    return next((m for m in METRICS if has_metric(frame, m)), None)


def latest_change(
    frame: pd.DataFrame,
    segments: list[str] | None = None,
    assignments: pd.DataFrame | None = None,
    min_n: int = DEFAULT_MIN_N,
    n_boot: int = DEFAULT_BOOTSTRAP,
) -> Comparison | str:
    """The What-changed page's default view: the frame's first metric, the last complete month against the
    one before (same seed, same numbers as the page). A plain sentence instead when there is none: no
    dates, no metric, or no answers in one of the two months."""
    from cx.strings import UI

    metric = first_metric(frame)
    if metric is None:
        return UI["changes_no_metric"]
    if not frame["date"].notna().any():
        return UI["no_dates"]
    try:
        before, after = default_periods(frame)
        return compare(frame, before, after, metric, segments, assignments, min_n=min_n, n_boot=n_boot)
    except InputError as exc:
        message = str(exc)
        return message[:1].upper() + message[1:]


def period_rows(result: Comparison) -> list[list[str]]:
    """[period, value, 95 % interval, n] for the two periods, then the change with its interval."""
    from cx.strings import UI

    metric = result.metric
    unit = " %" if metric in SHARE_METRICS else ""  # a share reads as one; its change is in points
    points = "" if metric == "ces" else " pts"
    rows = []
    for period, side in ((result.before_period, result.before), (result.after_period, result.after)):
        low, high = side["ci"]
        interval = "–" if low is None else f"{_fmt(metric, low)} to {_fmt(metric, high)}{unit}"
        rows.append([period.label, _fmt(metric, side["value"]) + unit, interval, f"{side['n']:,}"])
    low, high = result.change_ci
    interval = (
        "–" if low is None else f"{_fmt(metric, low, signed=True)} to {_fmt(metric, high, signed=True)}"
    )
    verdict = UI["changes_sig"] if result.significant else UI["changes_not_sig"]
    change = _fmt(metric, result.change, signed=True) + points
    rows.append([UI["changes_change_row"], change, f"{interval}{points} ({verdict})", ""])
    return rows


def part_lines(result: Comparison, rows: int = 3) -> list[str]:
    """The largest parts of the change in words, in the page's order (most harmful first after a fall)."""
    from cx.strings import UI

    table = drivers_table(result, rows=rows)  # headers are in the run's language: read by position
    unit = "" if result.metric == "ces" else CHANGES["unit_pts"]
    lines = []
    for r in table.itertuples(index=False):
        segment, value, effect, contribution, interval, n_before, n_after = r
        lines.append(
            UI["changes_part_line"].format(
                segment=segment,
                value=value,
                effect=effect,
                contribution=_fmt(result.metric, contribution, signed=True) + unit,
                interval=interval,
                n_before=f"{n_before:,}",
                n_after=f"{n_after:,}",
            )
        )
    return lines
