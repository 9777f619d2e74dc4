"""Alerts: what moved beyond its own history, with a stated false-alarm rate.

Every period (month or week) that has at least `min_history` earlier periods in its window is tested:

- **score_drop**: the metric of the whole file and of every segment value moving the bad way (NPS, CSAT,
  CES falling; the share of negative comments or churn rising), against the same group's pooled answers
  over the previous `window` periods;
- **theme_rise**: each theme's share of the period's comments, against its share over the window (a
  theme with fewer than 5 comments in the period is not tested);
- **volume_spike**: the number of comments (of responses when the file has none), against the window's
  counts.

Each test is a one-sided z-score whose variance holds both the sampling noise (from the pooled answers)
and how much the history's periods already differ from each other beyond that noise, so a group that
always wobbles does not alert on a wobble. A group with fewer than `min_n` answers in the period or in its
history is never tested, so it can never alert. The p-values of everything tested are adjusted together
with Benjamini–Hochberg: among the alerts shown, the expected share of false alarms is at most `fdr`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm

from cx import i18n
from cx.changes import DIRECTION, METRIC_NAMES, row_values
from cx.io import InputError
from cx.metrics import DEFAULT_MIN_N
from cx.strings import CHANGES, PERIODS, UI

KINDS = ["score_drop", "theme_rise", "volume_spike"]
DEFAULT_FDR = 0.05
DEFAULT_WINDOW = 6
DEFAULT_MIN_HISTORY = 3
MIN_THEME_COMMENTS = 5  # a theme rise needs at least this many of its comments in the period
COLUMNS = ["period", "kind", "column", "value", "label", "observed", "expected", "z", "p", "q", "n"]


@dataclass
class AlertResult:
    """alerts: the tests that passed the false-discovery threshold, strongest first; tests: all of them."""

    alerts: pd.DataFrame
    tests: pd.DataFrame
    parameters: dict

    def to_json(self) -> list[dict]:
        """The CLI's list: period, kind, column, value, label, observed, expected, p, n."""
        keys = ["period", "kind", "column", "value", "label", "observed", "expected", "p", "n"]
        out = []
        for row in self.alerts[keys].to_dict(orient="records"):
            row = {k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()}
            row["n"] = int(row["n"])
            row["observed"], row["expected"], row["p"] = (
                float(row[k]) for k in ("observed", "expected", "p")
            )
            out.append(row)
        return out

    def describe(self) -> str:
        """The parameters in one plain sentence (shown beside every alert list)."""
        p = self.parameters
        n = len(self.alerts)
        english = i18n.language() == i18n.DEFAULT
        return CHANGES["alerts_describe"].format(
            tests=p["tests"],
            periods=p["periods_tested"],
            unit=CHANGES[f"alerts_{p['granularity']}"],
            window=p["window"],
            min_history=p["min_history"],
            min_n=p["min_n"],
            fdr=f"{p['fdr']:.0%}" if english else i18n.percent(100 * p["fdr"]),
            count=CHANGES["alerts_one"] if n == 1 else CHANGES["alerts_many"].format(n=n),
        )


def period_label(start: pd.Timestamp, granularity: str) -> str:
    if granularity == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m")


def _periods(frame: pd.DataFrame, granularity: str) -> pd.Series:
    if granularity not in ("month", "week"):
        raise InputError(PERIODS["alerts_granularity"].format(granularity=granularity))
    dates = frame["date"]
    if "year_only" in frame:
        dates = dates.where(~frame["year_only"].fillna(False).astype(bool))
    if granularity == "month":
        return dates.dt.to_period("M").dt.start_time
    day = dates.dt.normalize()
    return day - pd.to_timedelta(day.dt.day_of_week, unit="D")


def _z_test(
    values: np.ndarray, periods: np.ndarray, order: list, t: int, window: int, min_n: int, min_history: int
):
    """(observed, expected, z, n) of period order[t] against the window before it; None if not testable."""
    history = order[max(0, t - window) : t]
    current = values[periods == order[t]]
    if len(current) < min_n:
        return None
    means, noise, past = [], [], []
    for p in history:
        v = values[periods == p]
        if len(v):
            means.append(v.mean())
            noise.append(v.var() / len(v))
            past.append(v)
    if len(past) < min_history:
        return None
    past = np.concatenate(past)
    if len(past) < min_n:
        return None
    both = np.concatenate([current, past])
    sampling = both.var() * (1 / len(current) + 1 / len(past))
    between = max(0.0, np.var(means, ddof=1) - np.mean(noise)) if len(means) > 1 else 0.0
    se = np.sqrt(sampling + between)
    observed, expected = current.mean(), past.mean()
    z = (observed - expected) / se if se > 0 else 0.0
    return observed, expected, z, len(current)


def find_alerts(
    frame: pd.DataFrame,
    granularity: str = "month",
    metric: str = "nps",
    segments: list[str] | None = None,
    assignments: pd.DataFrame | None = None,
    min_n: int = DEFAULT_MIN_N,
    window: int = DEFAULT_WINDOW,
    min_history: int = DEFAULT_MIN_HISTORY,
    fdr: float = DEFAULT_FDR,
) -> AlertResult:
    """Test every period against its own history and keep what passes Benjamini–Hochberg at `fdr`.

    Args:
        frame: the canonical frame (filtered like the page).
        metric: the score tested for drops (nps, csat, ces, sentiment, churn; for the share of negative
            comments and churn a rise is the bad direction).
        segments: segment columns whose values are tested one by one.
        assignments: theme assignments (long table on the frame's index: theme_id, theme_label).
    """
    if not 0 < fdr < 1:
        raise InputError(PERIODS["alerts_fdr"].format(fdr=fdr))
    periods = _periods(frame, granularity)
    dated = periods.notna()
    order = sorted(periods[dated].unique())
    rows = []
    values = row_values(frame, metric)
    bad_way = -DIRECTION[metric]  # the sign of a harmful move
    groups = [(None, None, pd.Series(True, index=frame.index))]
    for column in segments or []:
        for value in frame[column].dropna().unique():
            groups.append((column, str(value), frame[column] == value))
    name = METRIC_NAMES[metric]
    for column, value, mask in groups:
        keep = (mask & dated & values.notna()).to_numpy()
        v, p = values.to_numpy()[keep], periods.to_numpy()[keep]
        for t in range(len(order)):
            res = _z_test(v, p, order, t, window, min_n, min_history)
            if res is None:
                continue
            observed, expected, z, n = res
            label = f"{name} of {column} {value}" if column else f"{name} overall"
            rows.append([order[t], "score_drop", column, value, label, observed, expected, z * bad_way, n])

    comments = frame["text"].notna() & dated if "text" in frame else dated & False
    if assignments is not None and not assignments.empty and comments.any():
        idx = frame.index[comments]
        labels = assignments.groupby("theme_id")["theme_label"].first()
        for theme_id, label in labels.items():
            members = assignments.index[assignments["theme_id"] == theme_id]
            inside = pd.Series(idx.isin(members) * 100.0, index=idx).to_numpy()
            p = periods[comments].to_numpy()
            for t in range(len(order)):
                res = _z_test(inside, p, order, t, window, min_n, min_history)
                if res is None:
                    continue
                observed, expected, z, n = res
                if observed * n / 100 < MIN_THEME_COMMENTS:
                    continue  # a handful of comments is an anecdote, and the normal approximation fails
                rows.append(
                    [order[t], "theme_rise", "theme", str(label), str(label), observed, expected, z, n]
                )

    basis = comments if comments.any() else dated
    counts = periods[basis].value_counts().reindex(order, fill_value=0).to_numpy(dtype=float)
    for t in range(len(order)):
        past = counts[max(0, t - window) : t]
        past = past[past > 0]
        if len(past) < min_history or counts[t] < min_n or past.mean() < min_n:
            continue
        expected = past.mean()
        sd = np.sqrt(max(expected, np.var(past, ddof=1)))  # Poisson at least, more if counts wobble
        what = "comments" if comments.any() else "responses"
        rows.append(
            [
                order[t],
                "volume_spike",
                None,
                None,
                f"Number of {what}",
                counts[t],
                expected,
                (counts[t] - expected) / sd,
                int(counts[t]),
            ]
        )

    tests = pd.DataFrame(
        rows, columns=["start", "kind", "column", "value", "label", "observed", "expected", "z", "n"]
    )
    tests["p"] = norm.sf(tests["z"].astype(float)) if len(tests) else []
    tests["q"] = benjamini_hochberg(tests["p"].to_numpy(dtype=float))
    tests["period"] = [period_label(pd.Timestamp(s), granularity) for s in tests["start"]]
    tests = tests.sort_values(["p", "z"], ascending=[True, False], kind="stable").reset_index(drop=True)
    alerts = tests[tests["q"] <= fdr]
    parameters = {
        "method": "one-sided z-score against the window's pooled answers (sampling + period-to-period "
        "variance), Benjamini–Hochberg across every test",
        "fdr": fdr,
        "window": window,
        "min_history": min_history,
        "min_n": min_n,
        "min_theme_comments": MIN_THEME_COMMENTS,
        "metric": metric,
        "granularity": granularity,
        "tests": int(len(tests)),
        "periods_tested": int(tests["start"].nunique()) if len(tests) else 0,
    }
    return AlertResult(alerts[COLUMNS].reset_index(drop=True), tests[COLUMNS + ["start"]], parameters)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q): reject every test with q ≤ the chosen rate."""
    m = len(p)
    if not m:
        return np.array([])
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


def latest_alerts(result: AlertResult) -> pd.DataFrame:
    """The alerts of the latest period tested (what the Overview opens with)."""
    if result.tests.empty:
        return result.alerts
    latest = result.tests["start"].max()
    latest_label = result.tests.loc[result.tests["start"] == latest, "period"].iloc[0]
    return result.alerts[result.alerts["period"] == latest_label]


def alerts_table(result: AlertResult) -> pd.DataFrame:
    """The alerts as a readable table: period, what, observed, expected, n, p."""
    a = result.alerts
    kinds = {k: CHANGES[k] for k in ("score_drop", "theme_rise", "volume_spike")}
    return pd.DataFrame(
        {
            CHANGES["period"]: a["period"],
            CHANGES["alert"]: a["kind"].map(kinds),
            CHANGES["what"]: [_what(row, result.parameters.get("metric")) for row in a.itertuples()],
            CHANGES["observed"]: a["observed"].round(1),
            CHANGES["expected"]: a["expected"].round(1),
            "n": a["n"].astype(int),
            "p": a["p"].map(lambda p: f"{p:.1g}"),
        }
    )


def _what(alert, metric: str | None) -> str:
    """What moved, in the run's language (the stored label is English; a theme's label is the file's words)."""
    if alert.kind == "score_drop" and metric in METRIC_NAMES:
        name = CHANGES[f"metric_{metric}"]
        if alert.column is None or pd.isna(alert.column):
            return CHANGES["alert_overall"].format(name=name)
        return CHANGES["alert_segment"].format(name=name, column=alert.column, value=alert.value)
    if alert.kind == "volume_spike":
        return CHANGES["alert_responses" if alert.label == "Number of responses" else "alert_comments"]
    return str(alert.label)


def _value(metric: str, value: float) -> str:
    if metric == "nps":
        return f"{value:+.0f}".replace("-", "−")
    if metric == "ces":
        return f"{value:.1f}"
    return f"{value:.0f} %"


def alert_line(row, metric: str) -> str:
    """One short line for an alert (a row of `AlertResult.alerts`), e.g. "2025-06: NPS of channel Phone
    fell to −12 (expected +20 from its history, n = 120)."; a share of negative comments or churn "rose"."""
    if row["kind"] == "theme_rise":
        return UI["alert_theme_rise"].format(
            period=row["period"],
            label=_what(row, metric),
            observed=row["observed"],
            expected=row["expected"],
            n=row["n"],
        )
    if row["kind"] == "volume_spike":
        return UI["alert_volume_spike"].format(
            period=row["period"], label=_what(row, metric), observed=row["observed"], expected=row["expected"]
        )
    key = "alert_score_fell" if DIRECTION[metric] > 0 else "alert_score_rose"
    return UI[key].format(
        period=row["period"],
        label=_what(row, metric),
        observed=_value(metric, row["observed"]),
        expected=_value(metric, row["expected"]),
        n=int(row["n"]),
    )


def latest_alert_lines(result: AlertResult) -> list[str]:
    """The alerts of the latest period, one short line each, strongest first (empty when there are none)."""
    return [alert_line(row, result.parameters["metric"]) for _, row in latest_alerts(result).iterrows()]
