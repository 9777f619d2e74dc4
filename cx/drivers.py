"""Key drivers: which ratings, segments and themes explain the metric, robust to correlated predictors.

Importance is Johnson's **relative weights** (2000): the predictors are replaced by their closest
orthogonal counterparts, the outcome is regressed on those, and each predictor's share of R² is read back
through the (squared) loadings. The weights are never negative, sum to R², and split the credit of two
correlated predictors by what each adds, where a plain regression's coefficients would let one take all
of it or flip its sign. A segment column enters as one dummy per value with at least `min_n` answers (the
most common value is the reference) and its importance is the sum over its dummies; a theme enters as
"the comment is in this theme" (0/1). Importance is shown as a percentage of R², with a seeded bootstrap
95 % interval.

Performance ("score", for the importance × performance quadrant): a rating's top-two-box share (%) on its
own scale; a theme's metric among the comments in it; a segment column has none.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cx.changes import METRIC_NAMES, estimate, row_values
from cx.io import InputError
from cx.metrics import DEFAULT_MIN_N
from cx.schema import Dataset, parse_scores, satisfied_threshold
from cx.strings import CHANGES, DRIVERS

RATING_SCALES = [(1, 5), (1, 7), (0, 10), (1, 10)]
DEFAULT_BOOTSTRAP = 200
BLOCKS = 1000  # rows are resampled in this many random blocks (each row alone in a smaller file)
MIN_ANSWERED = 0.5  # a rating answered by fewer of the rows than this is left out (and said so)


@dataclass
class DriverResult:
    """table: driver, kind, importance (% of R²), low, high, score, direction (+1/−1), n_answers."""

    table: pd.DataFrame
    r2: float
    n: int
    metric: str
    notes: list[str]
    parameters: dict

    def to_json(self) -> list[dict]:
        """The CLI's list: driver, kind, importance, ci, score; most important first."""
        out = []
        for r in self.table.itertuples():
            out.append(
                {
                    "driver": r.driver,
                    "kind": r.kind,
                    "importance": float(r.importance),
                    "ci": [float(r.low), float(r.high)],
                    "score": None if pd.isna(r.score) else float(r.score),
                }
            )
        return out


def rating_columns(dataset: Dataset, rows: pd.Index, exclude: str | None = None) -> dict[str, tuple]:
    """Columns answered on a 1–5, 1–7, 0–10 or 1–10 scale: the NPS, CSAT and CES roles (except the
    outcome's own) and any other column.

    Returns:
        name -> (scores as floats on `rows`, (lo, hi) scale)
    """
    roles = dataset.roles
    out: dict[str, tuple] = {}
    frame = dataset.frame.loc[rows]
    if roles.nps and exclude != "nps" and frame["nps"].notna().any():
        out[roles.nps] = (frame["nps"].astype("Float64").astype(float), (0, 10))
    if roles.csat and exclude != "csat" and frame["csat"].notna().any() and tuple(roles.csat_scale) != (0, 1):
        out[roles.csat] = (frame["csat"].astype("Float64").astype(float), tuple(roles.csat_scale))
    if roles.ces and exclude != "ces" and frame["ces"].notna().any():
        out[roles.ces] = (frame["ces"].astype("Float64").astype(float), (1, 7))
    skip = {
        roles.id,
        roles.date,
        roles.nps,
        roles.csat,
        roles.ces,
        roles.sentiment,
        roles.churned,
        *roles.text,
    }
    raw = dataset.raw.loc[rows]
    for col in raw.columns:
        if col in skip or col in out:
            continue
        values = raw[col]
        scores, bad = parse_scores(values, 0, 10)
        present = values.notna() & (values.astype(str).str.strip() != "")
        if not present.any() or bad.sum() > 0.1 * present.sum() or scores.nunique() < 3:
            continue
        lo, hi = int(scores.min()), int(scores.max())
        scale = next(((a, b) for a, b in RATING_SCALES if a <= lo and hi <= b), None)
        if scale is None or (scale == (0, 10) and hi <= 5):
            continue
        out[col] = (scores.astype("Float64").astype(float), scale)
    return out


def relative_weights(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's relative weights: each column's share of R² (non-negative, summing to R²)."""
    A = np.column_stack([X, y, np.ones(len(y))]).astype(float)
    return weights_from_moments(A.T @ A)


def weights_from_moments(M: np.ndarray) -> np.ndarray:
    """Relative weights from the moment matrix AᵀA of A = [X, y, 1] (so sums of blocks can be resampled)."""
    n = M[-1, -1]
    mean = M[:-1, -1] / n
    cov = M[:-1, :-1] / n - np.outer(mean, mean)
    var = np.diag(cov).copy()
    p = len(var) - 1
    weights = np.zeros(p)
    live = var[:p] > 1e-12 * max(1.0, var[:p].max(initial=0.0))
    if not live.any() or var[p] <= 1e-12:
        return weights
    keep = np.append(live, True)
    sd = np.sqrt(var[keep])
    corr = cov[np.ix_(keep, keep)] / np.outer(sd, sd)
    R, r = corr[:-1, :-1], corr[:-1, -1]
    eigval, eigvec = np.linalg.eigh(R)
    eigval = np.clip(eigval, 0, None)
    root_vals = np.sqrt(eigval)
    root = (eigvec * root_vals) @ eigvec.T  # loadings of X on its orthogonal counterparts
    inverse = np.divide(
        1.0, root_vals, out=np.zeros_like(root_vals), where=root_vals > 1e-5 * root_vals.max()
    )
    beta = (eigvec * inverse) @ (eigvec.T @ r)  # y on the orthogonal counterparts (pseudo-inverse)
    weights[live] = (root**2) @ (beta**2)
    return weights


def _block_moments(A: np.ndarray, blocks: int, rng: np.random.Generator) -> np.ndarray:
    """AᵀA of `blocks` random blocks of rows (each row its own block when there are few rows).

    Resampling whole blocks of randomly assigned rows is a bootstrap of the rows (the rows are
    exchangeable), at the cost of one pass over the data instead of one per resample.
    """
    n = len(A)
    if n <= blocks:
        return np.einsum("ni,nj->nij", A, A)
    shuffled = A[rng.permutation(n)]
    bounds = np.linspace(0, n, blocks + 1).astype(int)
    out = np.empty((blocks, A.shape[1], A.shape[1]))
    for g in range(blocks):
        part = shuffled[bounds[g] : bounds[g + 1]]
        out[g] = part.T @ part
    return out


def key_drivers(
    dataset: Dataset,
    frame: pd.DataFrame | None = None,
    metric: str = "nps",
    segments: list[str] | None = None,
    assignments: pd.DataFrame | None = None,
    min_n: int = DEFAULT_MIN_N,
    n_boot: int = DEFAULT_BOOTSTRAP,
    seed: int = 0,
) -> DriverResult:
    """Relative importance of every rating, segment column and theme for the metric, with intervals.

    Args:
        dataset: the dataset (its raw table holds the extra rating columns).
        frame: the rows to use (the filtered frame); default every row.
        segments: segment columns (default: the dataset's); a column that is a rating scale is a rating.
        assignments: theme assignments, a long table on the frame's index (theme_id, theme_label).
    """
    frame = dataset.frame if frame is None else frame
    y_all = row_values(frame, metric)
    rows = frame.index[y_all.notna()]
    if len(rows) < min_n:
        raise InputError(DRIVERS["too_few"].format(n=len(rows), metric=_name(metric), min_n=min_n))
    notes: list[str] = []
    ratings = rating_columns(dataset, rows, exclude=metric)
    columns, groups, kinds, scores = [], [], {}, {}
    for name, (values, scale) in ratings.items():
        if values.notna().mean() < MIN_ANSWERED:
            notes.append(DRIVERS["left_out"].format(name=name, share=values.notna().mean()))
            continue
        columns.append(values.rename(name))
        groups.append(name)
        kinds[name] = "rating"
        top, _ = satisfied_threshold(scale)
        answered = values.dropna()
        scores[name] = 100 * float((answered >= top).mean())
    segments = dataset.roles.segments_in(dataset.frame) if segments is None else segments
    rated_names = set(ratings)
    for column in segments:
        if column in rated_names or column not in frame:
            continue
        values = frame.loc[rows, column].astype(object)
        counts = values.value_counts()
        kept = counts[counts >= min_n]
        if len(kept) < 2:
            continue
        for value in kept.index[1:]:  # the most common value is the reference
            columns.append((values == value).astype(float).rename(f"{column}\x00{value}"))
            groups.append(column)
        kinds[column] = "segment"
        scores[column] = np.nan
    if assignments is not None and not assignments.empty and _circular(frame, assignments, metric):
        notes.append(DRIVERS["themes_left_out"])
    elif assignments is not None and not assignments.empty:
        labels = assignments.groupby("theme_id")["theme_label"].first()
        for theme_id, label in labels.items():
            members = assignments.index[assignments["theme_id"] == theme_id]
            inside = pd.Series(rows.isin(members), index=rows).astype(float)
            if inside.sum() < min_n:
                continue
            name = f"theme: {label}"
            columns.append(inside.rename(name))
            groups.append(name)
            kinds[name] = "theme"
            scores[name] = estimate(y_all[members.intersection(rows)], metric)["value"]
    if not columns:
        raise InputError(DRIVERS["nothing"].format(min_n=min_n))
    X = pd.concat(columns, axis=1)
    complete = X.notna().all(axis=1)
    X, y = X[complete].to_numpy(dtype=float), y_all[rows][complete].to_numpy(dtype=float)
    if len(y) < max(min_n, 3 * X.shape[1]):
        raise InputError(DRIVERS["too_few_complete"].format(n=len(y), need=max(min_n, 3 * X.shape[1])))
    if complete.sum() < len(rows):
        notes.append(DRIVERS["incomplete"].format(n=len(rows) - int(complete.sum())))
    names = list(dict.fromkeys(groups))
    member = np.array([[g == name for g in groups] for name in names], dtype=float)  # (G, P)

    A = np.column_stack([X, y, np.ones(len(y))])
    rng = np.random.default_rng(seed)
    moments = _block_moments(A, BLOCKS, rng)
    w = weights_from_moments(moments.sum(axis=0))
    point, r2 = member @ w, w.sum()
    boot = np.empty((n_boot, len(names)))
    for b in range(n_boot):
        counts = rng.multinomial(len(moments), np.full(len(moments), 1 / len(moments)))
        wb = weights_from_moments(np.tensordot(counts, moments, axes=1))
        boot[b] = 100 * (member @ wb) / wb.sum() if wb.sum() > 0 else 0.0
    low, high = np.percentile(boot, [2.5, 97.5], axis=0)
    corr = [
        np.corrcoef(X[:, np.array(groups) == n][:, 0], y)[0, 1] if kinds[n] != "segment" else np.nan
        for n in names
    ]
    table = pd.DataFrame(
        {
            "driver": names,
            "kind": [kinds[n] for n in names],
            "importance": 100 * point / r2 if r2 > 0 else 0.0 * point,
            "low": low,
            "high": high,
            "score": [scores[n] for n in names],
            "direction": np.sign(corr),
        }
    )
    table = table.sort_values(["importance", "driver"], ascending=[False, True], kind="stable").reset_index(
        drop=True
    )
    parameters = {
        "method": "relative weights (Johnson 2000)",
        "bootstrap": n_boot,
        "seed": seed,
        "min_n": min_n,
    }
    return DriverResult(table, float(r2), int(len(y)), metric, notes, parameters)


def _name(metric: str) -> str:
    """NPS, CSAT, Negative comments (Comentarios negativos) in the language of the run."""
    return CHANGES.get(f"metric_{metric}", METRIC_NAMES.get(metric, metric))


def _circular(frame: pd.DataFrame, assignments: pd.DataFrame, metric: str) -> bool:
    """True when every themed comment is a complaint and complaints are defined by this metric's score."""
    if metric not in ("nps", "csat", "sentiment") or "is_complaint" not in frame:
        return False
    themed = frame.index.isin(assignments.index)
    return bool(themed.any() and frame.loc[themed, "is_complaint"].all())


def quadrant(table: pd.DataFrame) -> pd.DataFrame:
    """Drivers with a score, each placed in the importance × performance quadrant.

    "fix first": importance above the drivers' median and score below theirs; "keep": both above;
    "watch": low importance, low score; "maintain": low importance, high score.
    """
    rated = table[table["score"].notna()].copy()
    if rated.empty:
        return rated.assign(quadrant=pd.Series(dtype=object))
    imp, perf = rated["importance"].median(), rated["score"].median()
    high_imp, high_perf = rated["importance"] >= imp, rated["score"] >= perf
    rated["quadrant"] = np.select(
        [high_imp & ~high_perf, high_imp & high_perf, ~high_imp & ~high_perf],
        ["fix first", "keep", "watch"],
        "maintain",
    )
    return rated


QUADRANT_COLORS = {"fix first": "#D55E00", "keep": "#0072B2", "watch": "#E69F00", "maintain": "#009E73"}


def quadrant_chart(table: pd.DataFrame):
    """Importance × performance: each scored driver a labelled point, median lines, coloured by quadrant."""
    import altair as alt

    rated = quadrant(table)
    if rated.empty:
        return None
    data = rated[["driver", "importance", "score", "quadrant", "low", "high"]].copy()
    names = {q: DRIVERS[f"quadrant_{q.replace(' ', '_')}"] for q in QUADRANT_COLORS}  # in the run's language
    data["quadrant"] = data["quadrant"].map(names)
    base = alt.Chart(data)
    points = base.mark_circle(size=120).encode(
        x=alt.X("score:Q", title=DRIVERS["axis_performance"]),
        y=alt.Y("importance:Q", title=DRIVERS["axis_importance"]),
        color=alt.Color(
            "quadrant:N",
            scale=alt.Scale(domain=list(names.values()), range=list(QUADRANT_COLORS.values())),
            title=None,
        ),
        tooltip=[
            alt.Tooltip("driver:N", title=CHANGES["driver"]),
            alt.Tooltip("importance:Q", format=".1f", title=CHANGES["importance"]),
            alt.Tooltip("score:Q", format=".1f", title=CHANGES["score"]),
        ],
    )
    labels = base.mark_text(align="left", dx=8).encode(x="score:Q", y="importance:Q", text="driver:N")
    rules = [
        alt.Chart(pd.DataFrame({"v": [data["score"].median()]})).mark_rule(strokeDash=[4, 4]).encode(x="v:Q"),
        alt.Chart(pd.DataFrame({"v": [data["importance"].median()]}))
        .mark_rule(strokeDash=[4, 4])
        .encode(y="v:Q"),
    ]
    return alt.layer(points, labels, *rules).properties(height=320)
