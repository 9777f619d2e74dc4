"""Where satisfaction is lowest: every segment value and pair of values, compared with the rest.

For each area (a value of one segment column, or a pair of values of two columns): its score with the
95 % interval, the score of everything else ("the rest"), the gap, a two-sided test of the gap
(Benjamini–Hochberg across every area compared), and its **impact**: overall score minus the score of
everything except the area (leave-one-out, DESIGN.md). Areas are ranked by impact, most negative first.

Metrics: NPS and CSAT (higher is better), CES (mean on 1–7, higher is better; Welch's t-test) and the
share of negative comments ("sentiment", lower is better: the "lowest" areas are the most negative ones).
Volume is a count, not a score: it has no lowest areas (`areas_message` says so).

Areas nest (North × Phone lies inside North and inside Phone). When an outer area is no longer
significantly below the rest once an inner area is taken out of it, the inner area is the root cause:
the outer one is folded under it ("explained by") instead of being ranked above its cause. Then, from
the top of the ranking down, each visible root cause also folds its echoes: every other significantly
worse area that shares responses with it (North × Fibre, Phone × Mobile) and is no longer significantly
worse than the rest once the root cause's responses are taken out of the data. So the next visible rank
is a problem of its own, not the root cause seen through another pair of columns.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats import false_discovery_control, norm
from scipy.stats import t as student_t

from cx.metrics import (
    DEFAULT_MIN_N,
    METRIC_DIRECTION,
    available_metrics,
    mean_interval,
    metrics_by,
    nps_interval,
    sentiment_counts,
    wilson_interval,
)
from cx.strings import METRICS, UI

ALPHA = 0.05
BLANK = "(blank)"
RANKED, EXPLAINED, SMALL = "ranked", "explained", "small"
AREA_COLUMNS = [
    "segment", "label", "depth", "n", "pos", "neg", "score", "low", "high", "rest_n", "rest_score", "gap",
    "impact", "p", "q", "significant", "worse", "status", "explained_by",
]  # fmt: skip
AREA_METRICS = ["nps", "csat", "ces", "sentiment"]


def answer_counts(frame: pd.DataFrame, metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: answered (0/1) and two additive quantities from which `score_of` computes the score.

    NPS: promoter, detractor. CSAT: satisfied, 0. Sentiment: negative comment, 0 (answered = the
    sentiment is known). CES: the score and its square (for the mean and the variance).
    """
    if metric == "nps":
        score = frame["nps"]
        answered = score.notna().to_numpy(dtype=np.int64)
        return (
            answered,
            (score >= 9).fillna(False).to_numpy(dtype=np.int64),
            (score <= 6).fillna(False).to_numpy(dtype=np.int64),
        )
    if metric == "csat":
        answered = frame["csat"].notna().to_numpy(dtype=np.int64)
        return (
            answered,
            frame["csat_satisfied"].fillna(False).to_numpy(dtype=np.int64),
            np.zeros(len(frame), dtype=np.int64),
        )
    if metric == "sentiment":
        known, negative = sentiment_counts(frame)
        return known.astype(np.int64), negative.astype(np.int64), np.zeros(len(frame), dtype=np.int64)
    if metric == "ces":
        scores = (
            frame["ces"].to_numpy(dtype=np.float64, na_value=np.nan)
            if "ces" in frame
            else np.full(len(frame), np.nan)
        )
        answered = ~np.isnan(scores)
        values = np.where(answered, scores, 0.0)
        return answered.astype(np.int64), values, values**2
    if metric == "volume":
        raise ValueError(UI["areas_volume"])
    raise ValueError(f"metric must be one of {AREA_METRICS}")


def score_of(metric: str, n, pos, neg) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Score and 95 % interval from `answer_counts` sums (NPS points, CSAT %, % negative, CES mean)."""
    if metric == "nps":
        return nps_interval(pos, neg, n)
    if metric == "ces":
        return mean_interval(pos, neg, n)
    return wilson_interval(pos, n)


def gap_pvalue(metric: str, n1, pos1, neg1, n2, pos2, neg2) -> np.ndarray:
    """Two-sided p-value of the difference between two independent groups.

    NPS: z = (NPS₁ − NPS₂) / √(var₁ + var₂) with var = (p + d − (p − d)²) / n (DESIGN.md's variance).
    CSAT and negative share: the pooled two-proportion z-test (identical to a 2×2 chi-square test without
    continuity correction). CES: Welch's t-test from the sums and sums of squares.
    """
    n1, n2 = np.asarray(n1, dtype=float), np.asarray(n2, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = np.asarray(pos1) / n1, np.asarray(pos2) / n2
        if metric == "nps":
            d1, d2 = np.asarray(neg1) / n1, np.asarray(neg2) / n2
            s1, s2 = p1 - d1, p2 - d2
            var = (p1 + d1 - s1**2) / n1 + (p2 + d2 - s2**2) / n2
            diff = s1 - s2
            p = 2 * norm.sf(np.abs(diff / np.sqrt(var)))
        elif metric == "ces":
            # p1, p2 are the means; sample variances from the sums of squares.
            v1 = np.maximum(np.asarray(neg1) - n1 * p1**2, 0.0) / (n1 - 1) / n1
            v2 = np.maximum(np.asarray(neg2) - n2 * p2**2, 0.0) / (n2 - 1) / n2
            var = v1 + v2
            diff = p1 - p2
            df = var**2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
            p = 2 * student_t.sf(np.abs(diff / np.sqrt(var)), df)
        else:
            pooled = (np.asarray(pos1) + np.asarray(pos2)) / (n1 + n2)
            var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
            diff = p1 - p2
            p = 2 * norm.sf(np.abs(diff / np.sqrt(var)))
    # No spread at all: the groups are identical (p = 1) or certainly different (p = 0).
    p = np.where(var > 0, p, np.where(np.abs(diff) > 0, 0.0, 1.0))
    valid = (n1 > 0) & (n2 > 0)
    if metric == "ces":
        valid &= (n1 > 1) & (n2 > 1)  # one answer has no variance to test against
    return np.where(valid, p, np.nan)


def _codes(frame: pd.DataFrame, col: str) -> tuple[np.ndarray, list[str]]:
    """Integer code per row and the value of each code; a missing value is its own value, "(blank)"."""
    series = frame[col]
    if isinstance(series.dtype, pd.CategoricalDtype):  # the canonical frame's segments: no string work
        codes = series.cat.codes.to_numpy().astype(np.int64)
        values = [str(v) for v in series.cat.categories]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(values), codes)
            values.append(BLANK)
        present = np.bincount(codes, minlength=len(values)) > 0
        if not present.all():  # drop categories no row has (after filtering), keep codes dense
            remap = np.cumsum(present) - 1
            codes, values = remap[codes], [v for v, keep in zip(values, present, strict=True) if keep]
        return codes, values
    values = series.astype(object).where(series.notna(), BLANK).astype(str)
    codes, uniques = pd.factorize(values, sort=True)
    return codes, list(uniques)


def area_table(
    frame: pd.DataFrame,
    segments: list[str],
    metric: str = "nps",
    depth: int = 2,
    min_n: int = DEFAULT_MIN_N,
    alpha: float = ALPHA,
    weights: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Every area of depth 1 (and 2) with score, interval, rest, gap, p, BH q, impact and its status.

    Args:
        frame: the canonical frame (already filtered).
        segments: segment columns to consider; a column with a single value is skipped (nothing to
            compare), pairs are formed only from columns with at least two values.
        metric: "nps", "csat", "ces" or "sentiment" (volume has no lowest areas: ValueError).
        depth: 1 for single columns, 2 to add pairs of columns.
        min_n: areas with fewer answers are listed apart (status "small"), never ranked.
        weights: per row (answered, pos, neg) as `answer_counts` gives them, when `frame` is not one row
            per response but one row per cell (a combination of segment values) with these counts summed
            over its responses: every sum below is then the same, so is the table (the dataset path,
            cx/batch/source.py).

    Returns:
        One row per area: segment (dict column → value), label, depth, n, score, low, high, rest_n,
        rest_score, gap, impact, p, q, significant, worse (on the bad side of the rest for this metric's
        direction), status ("ranked", "explained", "small"), explained_by (dict or None); ranked areas
        first by impact, the most harmful first (most negative, or most positive for the negative share),
        then explained, then small.
    """
    if weights is None:
        answered, pos, neg = answer_counts(frame, metric)
    else:
        if metric not in AREA_METRICS:
            answer_counts(frame.iloc[:0], metric)  # the same ValueError as for rows
        answered, pos, neg = (np.asarray(w) for w in weights)
    N, P, D = int(answered.sum()), int(pos.sum()), int(neg.sum())
    overall = float(score_of(metric, N, P, D)[0])
    coded = {}
    for col in segments:
        codes, values = _codes(frame, col)
        if len(values) >= 2:
            coded[col] = (codes, values)
    combos = [(c,) for c in coded]
    if depth >= 2:
        combos += list(combinations(coded, 2))
    parts = []
    for combo in combos:
        if len(combo) == 1:
            key, shape = coded[combo[0]][0], [len(coded[combo[0]][1])]
        else:
            (ca, va), (cb, vb) = coded[combo[0]], coded[combo[1]]
            key, shape = ca.astype(np.int64) * len(vb) + cb, [len(va), len(vb)]
        size = int(np.prod(shape))
        n = np.bincount(key, weights=answered, minlength=size)
        cells = np.flatnonzero(n > 0)
        if cells.size == 0:
            continue
        p_ = np.bincount(key, weights=pos, minlength=size)[cells]
        d_ = np.bincount(key, weights=neg, minlength=size)[cells]
        idx = np.unravel_index(cells, shape)
        labels = [{col: coded[col][1][i[k]] for k, col in enumerate(combo)} for i in zip(*idx, strict=True)]
        parts.append(
            pd.DataFrame({"segment": labels, "depth": len(combo), "n": n[cells], "pos": p_, "neg": d_})
        )
    if not parts:
        return pd.DataFrame(columns=AREA_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    table["n"] = table["n"].astype(np.int64)
    table["rest_n"] = N - table["n"]
    rest_pos, rest_neg = P - table["pos"], D - table["neg"]
    table["score"], table["low"], table["high"] = score_of(metric, table["n"], table["pos"], table["neg"])
    table["rest_score"] = score_of(metric, table["rest_n"], rest_pos, rest_neg)[0]
    table["gap"] = table["score"] - table["rest_score"]
    table["impact"] = overall - table["rest_score"]  # everything except the area is exactly "the rest"
    table["p"] = gap_pvalue(
        metric, table["n"], table["pos"], table["neg"], table["rest_n"], rest_pos, rest_neg
    )
    eligible = (table["n"] >= min_n) & (table["rest_n"] >= min_n) & table["p"].notna()
    table["q"] = np.nan
    if eligible.any():
        table.loc[eligible, "q"] = false_discovery_control(table.loc[eligible, "p"].to_numpy(), method="bh")
    table["significant"] = eligible & (table["q"] < alpha)
    table["worse"] = METRIC_DIRECTION[metric] * table["gap"] < 0
    table["status"] = np.where(eligible, RANKED, SMALL)
    table["explained_by"] = None
    table["label"] = table["segment"].map(area_label)
    # "Still significantly worse" once rows are taken out of an area: its p-value within the ranking's
    # own Benjamini–Hochberg cut-off (the largest p-value judged significant), so the word means the same.
    cut = float(table.loc[table["significant"], "p"].max()) if table["significant"].any() else 0.0
    _fold(table, coded, (answered, pos, neg), metric, (N, P, D), cut)
    order = {RANKED: 0, EXPLAINED: 1, SMALL: 2}
    table["_o"] = table["status"].map(order)
    table["_harm"] = METRIC_DIRECTION[metric] * table["impact"]
    table = table.sort_values(["_o", "_harm", "label"], kind="stable").drop(columns=["_o", "_harm"])
    return table[AREA_COLUMNS].reset_index(drop=True)


def _rows_of(coded: dict, segment: dict) -> np.ndarray:
    """The rows of an area, as a boolean array."""
    inside = np.ones(len(next(iter(coded.values()))[0]), dtype=bool)
    for col, value in segment.items():
        codes, values = coded[col]
        inside &= codes == values.index(value)
    return inside


def _fold(table: pd.DataFrame, coded: dict, weights: tuple, metric: str, totals: tuple, cut: float) -> None:
    """Containers under their inner area, then echoes under their root cause (see the module's doc).

    A root cause that holds a significantly worse inner area and whose gap vanishes once that inner area
    and the other root causes are taken out (of it and of the rest) is a container after all (North =
    North × Phone + its share of an independent Basic × Web): it is folded under that inner area and the
    echoes are folded again, until no root cause is such a container.
    """
    N, P, D = totals
    sign = METRIC_DIRECTION[metric]
    answered, pos, neg = weights
    status, explained_by = table["status"].copy(), table["explained_by"].copy()
    segments = table["segment"].to_dict()
    candidates = list(table.index[table["significant"] & table["worse"]])
    holding: dict = {}  # (column, value) -> the candidates naming it
    for i in candidates:
        for item in segments[i].items():
            holding.setdefault(item, set()).add(i)
    inner_of = {  # the significantly worse areas inside each one (North × Phone inside North)
        o: sorted(set.intersection(*(holding[item] for item in segments[o].items())) - {o})
        for o in candidates
    }
    demoted: dict = {}  # a root cause found to be a container -> its inner area
    for _ in range(len(candidates) + 1):
        table["status"], table["explained_by"] = status.copy(), explained_by.copy()
        _fold_containers(table, metric, N, P, D, cut)
        for outer, inner in demoted.items():
            table.at[outer, "status"] = EXPLAINED
            table.at[outer, "explained_by"] = segments[inner]
        roots = _fold_echoes(table, coded, weights, metric, N, P, D, cut)
        if not any(inner_of[r] for r in roots):
            break
        cover = np.zeros(len(answered), dtype=np.int32)  # how many root causes hold each row
        rows = {}
        for r in roots:
            rows[r] = _rows_of(coded, segments[r])
            cover += rows[r]
        found = {}
        for outer in (r for r in roots if inner_of[r]):
            others = (cover - rows[outer]) > 0  # the rows of the other root causes
            best = None
            for inner in inner_of[outer]:
                keep = rows[outer] & ~_rows_of(coded, segments[inner]) & ~others
                rest = ~rows[outer] & ~others
                n, a_pos, a_neg = answered[keep].sum(), pos[keep].sum(), neg[keep].sum()
                rn, r_pos, r_neg = answered[rest].sum(), pos[rest].sum(), neg[rest].sum()
                if _explained_without(metric, cut, sign, n, a_pos, a_neg, rn, r_pos, r_neg):
                    if best is None or sign * table.at[inner, "impact"] < sign * table.at[best, "impact"]:
                        best = inner
            if best is not None:
                found[outer] = best
        if not found:
            break
        demoted.update(found)
    # A container folded under an inner area that a root cause has since folded: point to that root.
    by_label = dict(zip(table["label"], table.index, strict=True))
    for i in table.index[table["status"] == EXPLAINED]:
        seen = {i}
        target = by_label[area_label(table.at[i, "explained_by"])]
        while table.at[target, "status"] == EXPLAINED and target not in seen:
            seen.add(target)
            target = by_label[area_label(table.at[target, "explained_by"])]
        table.at[i, "explained_by"] = table.at[target, "segment"]


def _fold_containers(table: pd.DataFrame, metric: str, N: int, P: int, D: int, cut: float) -> None:
    """Fold each significantly-low outer area under the inner area that explains its gap."""
    sign = METRIC_DIRECTION[metric]
    inner = table[(table["depth"] == 2) & table["significant"] & table["worse"]]
    if inner.empty:
        return
    outer = table[(table["depth"] == 1) & table["significant"] & table["worse"]]
    for i, row in outer.iterrows():
        ((col, value),) = row["segment"].items()
        best = None
        for _, cand in inner.iterrows():
            if cand["segment"].get(col) != value:
                continue
            # The outer area without the inner one, against the same rest as before.
            n, pos, neg = row["n"] - cand["n"], row["pos"] - cand["pos"], row["neg"] - cand["neg"]
            rn, rpos, rneg = N - row["n"], P - row["pos"], D - row["neg"]
            p = gap_pvalue(metric, n, pos, neg, rn, rpos, rneg)
            still_low = sign * (score_of(metric, n, pos, neg)[0] - score_of(metric, rn, rpos, rneg)[0]) < 0
            if n == 0 or not (p <= cut and still_low):
                if best is None or sign * cand["impact"] < sign * best["impact"]:
                    best = cand
        if best is not None:
            table.at[i, "status"] = EXPLAINED
            table.at[i, "explained_by"] = best["segment"]


def _explained_without(metric, cut, sign, n, pos, neg, rest_n, rest_pos, rest_neg) -> np.ndarray:
    """True where an area (its counts without the root cause) is no longer significantly worse than the
    rest (without the root cause either): p above the ranking's BH cut-off, on the good side of the rest,
    or nothing left."""
    p = gap_pvalue(metric, n, pos, neg, rest_n, rest_pos, rest_neg)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = score_of(metric, n, pos, neg)[0] - score_of(metric, rest_n, rest_pos, rest_neg)[0]
    still_worse = (p <= cut) & (sign * gap < 0)  # NaN p (nothing left to test) is not still worse
    return ~still_worse


def _fold_echoes(
    table: pd.DataFrame,
    coded: dict,
    weights: tuple[np.ndarray, np.ndarray, np.ndarray],
    metric: str,
    N: int,
    P: int,
    D: int,
    cut: float,
) -> list:
    """Fold every echo of a visible root cause under it, from the top of the ranking down.

    The root causes are the ranked, significantly worse areas in ranking order (the containers already
    folded under their inner area are not). Each folds every other significantly worse area, whatever
    its shape, that shares responses with it and is no longer significantly worse than the rest once the
    responses of this root cause and of the root causes above it are taken out of both (for the first
    root cause and a container of it the rest is unchanged: the container rule above). An area that
    holds parts of two root causes (North × Basic: North × Phone and Basic × Web) goes under the second.
    Containers already folded under their inner area stay there (pointing, in the end, to its root). An area already folded under a higher root cause stays there;
    a container folded under an inner area that is itself folded points to that inner area's root cause.
    Cost: one pass over the root cause's own rows per root cause, only while echoes remain to test.
    """
    sign = METRIC_DIRECTION[metric]
    candidates = table.index[table["significant"] & table["worse"]]
    if len(candidates) < 2:
        return []
    harm = sign * table["impact"]
    roots = table.loc[candidates][table.loc[candidates, "status"] == RANKED]
    roots = roots.assign(_harm=harm[roots.index]).sort_values(["_harm", "label"], kind="stable").index
    answered, pos, neg = weights
    position = {col: {v: i for i, v in enumerate(values)} for col, (_, values) in coded.items()}
    # The candidates by shape (the columns they name) with their value codes, for one bincount per shape.
    shapes: dict[tuple, list] = {}
    for i in candidates:
        segment = table.at[i, "segment"]
        shapes.setdefault(tuple(segment), []).append(
            (i, tuple(position[col][value] for col, value in segment.items()))
        )
    claimed: set = set()  # roots, and areas folded under a root
    folded = set(table.index[table["status"] == EXPLAINED])  # containers stay under their inner area
    removed = np.zeros(len(answered), dtype=bool)  # the rows of the root causes so far
    for r in roots:
        if r in claimed:
            continue  # an echo of a higher root cause, not a cause of its own
        claimed.add(r)
        pending = {i for i in candidates if i not in claimed and i not in folded}
        if not pending:
            break
        inside = np.ones(len(answered), dtype=bool)
        for col, value in table.at[r, "segment"].items():
            inside &= coded[col][0] == position[col][value]
        removed |= inside
        rows = np.flatnonzero(removed)
        in_root = inside[rows].astype(np.int64)
        rn, rpos, rneg = answered[rows].sum(), pos[rows].sum(), neg[rows].sum()
        for cols, areas in shapes.items():
            areas = [(i, cell) for i, cell in areas if i in pending]
            if not areas:
                continue
            sizes = [len(coded[c][1]) for c in cols]
            key = np.ravel_multi_index(tuple(coded[c][0][rows] for c in cols), sizes)
            cells = np.ravel_multi_index(tuple(zip(*(cell for _, cell in areas), strict=True)), sizes)
            size = int(np.prod(sizes))
            overlap = np.bincount(key, weights=in_root, minlength=size)[cells] > 0
            shared_n = np.bincount(key, weights=answered[rows], minlength=size)[cells]
            shared_pos = np.bincount(key, weights=pos[rows], minlength=size)[cells]
            shared_neg = np.bincount(key, weights=neg[rows], minlength=size)[cells]
            index = [i for i, _ in areas]
            n = table.loc[index, "n"].to_numpy(dtype=float) - shared_n
            a_pos = table.loc[index, "pos"].to_numpy(dtype=float) - shared_pos
            a_neg = table.loc[index, "neg"].to_numpy(dtype=float) - shared_neg
            # The rest without the root causes: everything but them and what is left of the area.
            rest_n, rest_pos, rest_neg = N - rn - n, P - rpos - a_pos, D - rneg - a_neg
            echo = overlap & _explained_without(
                metric, cut, sign, n, a_pos, a_neg, rest_n, rest_pos, rest_neg
            )
            for i in np.asarray(index)[echo]:
                table.at[i, "status"] = EXPLAINED
                table.at[i, "explained_by"] = table.at[r, "segment"]
                claimed.add(i)
    return [r for r in roots if r in claimed]


def area_label(segment: dict) -> str:
    """ "region North × channel Phone"."""
    return " × ".join(f"{col} {value}" for col, value in segment.items())


def area_sentence(row: pd.Series | dict, metric: str, likely: bool = False) -> str:
    """One plain sentence, e.g. "region North × channel Phone: NPS −41 (±9, n = 298), 12 points below the
    rest; it pulls the overall NPS down by 4.1 points." """
    half = (row["high"] - row["low"]) / 2
    n = int(row["n"])
    gap, impact = abs(row["gap"]), abs(row["impact"])
    # Below the rest always pulls the total down (and above, up): one sentence each, in the run's language.
    if metric == "sentiment":  # up is worse: above the rest pushes the negative share up
        # `likely`: the sentiment was estimated by the model, and the sentence says so
        key = ("area_likely_" if likely else "area_negative_") + ("above" if row["gap"] > 0 else "below")
        return UI[key].format(label=row["label"], value=row["score"], half=half, n=n, gap=gap, impact=impact)
    if metric == "ces":
        spread = UI["area_no_interval"] if pd.isna(half) else UI["area_spread"].format(half=half)
        key = "area_ces_below" if row["gap"] < 0 else "area_ces_above"
        return UI[key].format(
            label=row["label"], value=row["score"], spread=spread, n=n, gap=gap, impact=impact
        )
    if metric not in ("nps", "csat"):
        raise ValueError(
            UI["areas_volume"] if metric == "volume" else f"metric must be one of {AREA_METRICS}"
        )
    name = METRICS[metric]
    unit = "" if metric == "nps" else " %"
    value = _num(row["score"], signed=metric == "nps")
    points = UI["points"] if metric == "nps" else UI["percentage_points"]
    return UI["area_below" if row["gap"] < 0 else "area_above"].format(
        label=row["label"],
        name=name,
        value=value,
        unit=unit,
        half=half,
        n=n,
        gap=gap,
        points=points,
        impact=impact,
    )


def _num(value: float, signed: bool) -> str:
    return f"{value:+.0f}".replace("-", "−") if signed else f"{value:.0f}"


def lowest(table: pd.DataFrame, count: int = 3) -> pd.DataFrame:
    """The areas a review should start with: ranked, significantly worse than the rest, worst impact first.

    "Worse" follows the metric's direction: below the rest on NPS, CSAT and CES, above it on the share
    of negative comments.
    """
    ranked = table[(table["status"] == RANKED) & table["significant"] & table["worse"].astype(bool)]
    return ranked.head(count)


def areas_message(
    frame: pd.DataFrame,
    metric: str,
    segments: list[str] | None = None,
    table: pd.DataFrame | None = None,
    min_n: int = DEFAULT_MIN_N,
) -> str | None:
    """What the lowest-areas view can say for this metric on this frame: None when it has areas to show.

    Args:
        frame: the (filtered) canonical frame.
        metric: the metric picked.
        segments: the segment columns offered; a message when there is none with two values.
        table: `area_table(frame, segments, metric)` when already computed: a message when no area is
            significantly worse than the rest, in the metric's own words.
        min_n: the minimum sample, for the message when every area is too small.

    Returns:
        A plain sentence that is true for this file (never "below on NPS" for a file without NPS), or
        None when `lowest(table)` has rows to show.
    """
    if metric == "volume":
        return UI["areas_volume"]
    varied = segments is None or any(frame[c].nunique(dropna=False) >= 2 for c in segments if c in frame)
    return message_for(metric, available_metrics(frame), varied, table, min_n)


def message_for(
    metric: str, available: list[str], varied: bool, table: pd.DataFrame | None, min_n: int = DEFAULT_MIN_N
) -> str | None:
    """`areas_message` from what it needs to know of the rows: the metrics they have (`available_metrics`)
    and whether a segment column offered has two values or more in them (`varied`)."""
    if metric == "volume":
        return UI["areas_volume"]
    if metric not in AREA_METRICS:
        raise ValueError(f"metric must be one of {AREA_METRICS} or volume")
    available = [m for m in available if m in AREA_METRICS]
    if metric not in available:
        if not available:
            return UI["areas_no_metric_none"]
        names = ", ".join(METRICS[m] for m in available)
        return UI["areas_no_metric"].format(metric=METRICS[metric], available=names)
    if not varied:
        return UI["no_segments"]
    if table is None or not lowest(table, 1).empty:
        return None
    if not (table["status"] == RANKED).any():
        return UI["areas_too_few"].format(min_n=min_n, metric=METRICS[metric])
    if metric == "sentiment":
        return UI["areas_none_high"]
    return UI["areas_none_low"].format(metric=METRICS[metric])


def area_mask(frame: pd.DataFrame, segment: dict) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, value in segment.items():
        values = frame[col].astype(object).where(frame[col].notna(), BLANK).astype(str)
        mask &= values == value
    return mask


def area_trend(
    frame: pd.DataFrame, inside: pd.Series, label: str, rest_label: str, min_n: int
) -> pd.DataFrame:
    """Monthly metrics of the area and of the rest, stacked with a `group` column for the trend chart."""
    data = frame.assign(group=pd.Categorical(inside.map({True: label, False: rest_label})))
    return metrics_by(data, ["group", "month"], min_n)
