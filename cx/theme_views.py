"""What the Themes page draws, as plain data and Altair charts (no Streamlit here): the table of themes
as shown, the quotes of a theme with their whole comments, and the two-level sunburst."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from cx.strings import METRICS, TABLES, UI
from cx.themes import ThemeResult

INNER, OUTER = (0, 70), (74, 130)  # ring radii of the top themes and of their sub-themes


def theme_display(table: pd.DataFrame) -> pd.DataFrame:
    """A theme_metrics table as shown: id, label, comments, share, likely negative, NPS, CSAT, a quote; a
    metric the file does not have (every value empty: no NPS column, no sentiment) is left out, not shown
    as a column of "None"."""
    shown = pd.DataFrame(
        {
            TABLES["theme"]: table["theme_id"].astype(str),
            TABLES["label"]: table["label"],
            TABLES["comments"]: table["n"],
            TABLES["share"]: (100 * table["share"]).round(1),
            UI["theme_negative"]: (100 * table["sentiment"]).round(0),
            METRICS["nps"]: table["nps"].round(0),
            METRICS["csat"]: table["csat"].round(0),
            TABLES["quote"]: table["quotes"].map(lambda q: q[0] if len(q) else ""),
        }
    )
    empty = [UI["theme_negative"], METRICS["nps"], METRICS["csat"]]
    return shown.drop(columns=[c for c in empty if shown[c].isna().all()])


def two_levels(top: pd.DataFrame, sub: pd.DataFrame) -> pd.DataFrame:
    """Each top theme followed by its sub-themes (ids "3", "3.1", "3.2"…), sub-theme labels indented."""
    top = top.assign(order=top["theme_id"].map(lambda t: (int(t), 0)))
    sub = sub.assign(
        order=sub["theme_id"].map(lambda t: tuple(int(x) for x in str(t).split("."))),
        label="   " + sub["label"].astype(str),
    )
    rows = pd.concat([top, sub.drop(columns="parent_id")], ignore_index=True)
    return rows.sort_values("order", kind="stable").drop(columns="order").reset_index(drop=True)


def theme_quotes(frame: pd.DataFrame, result: ThemeResult, theme_id, count: int = 3) -> pd.DataFrame:
    """The parts of `frame`'s comments nearest the theme's centre (top theme id or "3.2"), each with its
    whole comment: columns excerpt, comment. Distinct excerpts, at most `count`."""
    pairs = result.pairs[result.pairs["row"].isin(frame.index)]
    if isinstance(theme_id, str) and "." in theme_id:
        pairs, closeness = pairs[pairs["theme_id"] == theme_id], "closeness"
    else:
        pairs, closeness = pairs[pairs["parent_id"] == int(theme_id)], "top_closeness"
    ranked = pairs.sort_values([closeness, "row"], ascending=[False, True], kind="stable")
    return ranked.drop_duplicates("excerpt").head(count)[["excerpt", "comment"]].reset_index(drop=True)


def sunburst_data(top: pd.DataFrame, sub: pd.DataFrame) -> pd.DataFrame:
    """Arcs of the two rings: a top theme's angle is its share of the comments in themes; its sub-themes
    split that angle in proportion to their sizes (a comment in two sub-themes counts in both, so the
    outer ring shows proportions within the theme, the inner ring the themes' sizes)."""
    rows = []
    total = float(top["n"].sum()) or 1.0
    start = 0.0
    for _, theme in top.sort_values("theme_id").iterrows():
        width = 2 * math.pi * theme["n"] / total
        rows.append(
            _arc(
                str(theme["theme_id"]),
                theme["label"],
                theme["n"],
                start,
                width,
                INNER,
                str(theme["theme_id"]),
            )
        )
        children = sub[sub["parent_id"] == theme["theme_id"]]
        inner_total = float(children["n"].sum()) or 1.0
        at = start
        for _, child in children.iterrows():
            share = width * child["n"] / inner_total
            rows.append(
                _arc(child["theme_id"], child["label"], child["n"], at, share, OUTER, str(theme["theme_id"]))
            )
            at += share
        start += width
    return pd.DataFrame(rows)


def _arc(theme_id: str, label: str, n: int, start: float, width: float, radius, parent: str) -> dict:
    return {
        "theme": theme_id,
        "label": str(label),
        "comments": int(n),
        "start": start,
        "end": start + width,
        "inner": radius[0],
        "outer": radius[1],
        "top": parent,
    }


def sunburst_chart(top: pd.DataFrame, sub: pd.DataFrame) -> alt.Chart:
    """Top themes (inner ring) and their sub-themes (outer ring), one colour per top theme."""
    data = sunburst_data(top, sub)
    return (
        alt.Chart(data)
        .mark_arc(stroke="white", strokeWidth=1)
        .encode(
            theta=alt.Theta("start:Q", scale=None),
            theta2="end:Q",
            radius=alt.Radius("inner:Q", scale=None),
            radius2="outer:Q",
            color=alt.Color(
                "top:N", title="theme", sort=list(dict.fromkeys(data["top"])) if len(data) else None
            ),
            tooltip=[alt.Tooltip("theme:N"), alt.Tooltip("label:N"), alt.Tooltip("comments:Q", format=",")],
        )
        .properties(width=280, height=280)
    )
