"""Churn (or retention) as a metric: the share of respondents who left, with its interval, by NPS group.

Definitions (DESIGN.md, from the seed articles): churn = share of respondents who left; when the file
gives customer counts, churn = (customers at start − customers at end) / customers at start
(500 → 450: 10 %). Retention is 100 − churn.
"""

from __future__ import annotations

import pandas as pd

from cx.changes import newcombe
from cx.io import InputError
from cx.metrics import wilson_interval
from cx.schema import NPS_GROUPS
from cx.strings import CHURN, METRICS


def churn_rate(frame: pd.DataFrame) -> dict:
    """Share of respondents who left, in %, with its Wilson 95 % interval and n (answers known)."""
    known = frame["churned"].dropna().astype(bool) if "churned" in frame else pd.Series(dtype=bool)
    left, n = int(known.sum()), len(known)
    rate, low, high = (float(v) for v in wilson_interval(left, n))
    return {
        "churn": rate if n else None,
        "low": low if n else None,
        "high": high if n else None,
        "left": left,
        "n": n,
    }


def churn_from_counts(start: float, end: float) -> dict:
    """The seeds' formula: (customers at start − customers at end) / customers at start, in %.

    The interval treats the customers lost as a share of those at start (Wilson); it only holds when no
    new customers joined in between (then end − start would hide the ones who left).
    """
    if not start or start <= 0 or end is None or end < 0:
        raise InputError(CHURN["counts_needed"])
    if end > start:
        raise InputError(CHURN["counts_grew"].format(end=end, start=start))
    lost = start - end
    rate, low, high = (float(v) for v in wilson_interval(lost, start))
    return {"churn": rate, "low": low, "high": high, "left": lost, "n": start}


def churn_by_group(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Churn per NPS group (detractor, passive, promoter), and detractors' churn minus promoters'.

    Returns:
        (table with nps_group, left, n, churn, low, high; the difference {"difference", "low", "high",
        "detractors", "promoters"} in points with Newcombe's 95 % interval, None values when a group is
        empty)
    """
    if "churned" not in frame:
        frame = frame.assign(churned=pd.Series(pd.NA, index=frame.index, dtype="boolean"))
    rows = frame[frame["churned"].notna() & frame["nps_group"].notna()]
    table = []
    for group in NPS_GROUPS:
        left = rows.loc[rows["nps_group"] == group, "churned"].astype(bool)
        rate, low, high = (float(v) for v in wilson_interval(int(left.sum()), len(left)))
        table.append(
            {
                "nps_group": group,
                "left": int(left.sum()),
                "n": len(left),
                "churn": rate,
                "low": low,
                "high": high,
            }
        )
    out = pd.DataFrame(table)
    det, pro = out.set_index("nps_group").loc["detractor"], out.set_index("nps_group").loc["promoter"]
    if det["n"] and pro["n"]:
        d, low, high = newcombe(pro["left"], pro["n"], det["left"], det["n"])
        diff = {"difference": d, "low": low, "high": high}
    else:
        diff = {"difference": None, "low": None, "high": None}
    diff.update({"detractors": int(det["n"]), "promoters": int(pro["n"])})
    return out, diff


def churn_sentence(diff: dict, table: pd.DataFrame) -> str:
    """Do detractors leave more? One plain sentence with both rates, their n and the gap's interval."""
    if diff["difference"] is None:
        return CHURN["needs_both"]
    rows = table.set_index("nps_group")
    det, pro = rows.loc["detractor"], rows.loc["promoter"]
    gap, low, high = diff["difference"], diff["low"], diff["high"]
    verdict = CHURN["significant"] if low > 0 or high < 0 else CHURN["not_significant"]
    return (
        CHURN["sentence_more" if gap >= 0 else "sentence_less"]
        .format(
            det=det["churn"],
            n_det=int(det["n"]),
            pro=pro["churn"],
            n_pro=int(pro["n"]),
            gap=abs(gap),
            low=low,
            high=high,
            verdict=verdict,
        )
        .replace("-", "−")
    )


CHURN_COLUMNS = {
    "nps_group": "col_group",
    "left": "col_left",
    "n": "col_n",
    "churn": "col_churn",
    "low": "col_low",
    "high": "col_high",
}


def churn_table(table: pd.DataFrame) -> pd.DataFrame:
    """The churn-by-group table as a reader sees it: the groups by their names (Promoters (9–10),
    Promotores (9–10)), rates rounded to one decimal, headers in the language of the run."""
    out = table.round(1)
    out["nps_group"] = out["nps_group"].map(lambda g: METRICS.get(g, g))
    return out.rename(columns={c: CHURN[key] for c, key in CHURN_COLUMNS.items()})
