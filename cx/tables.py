"""Tables and numbers as people read them: readable headers, rounded values, intervals in words.

Pure pandas (no Streamlit): the pages, the report and the presentation format the same way.
"""

from __future__ import annotations

import pandas as pd

from cx import i18n
from cx.areas import area_label
from cx.metrics import COLUMNS, period_labels
from cx.strings import METRICS, TABLES, UI
from cx.text import mask_pii


def fmt_nps(value: float) -> str:
    """+16, −4 (a true minus sign, as on the chart axes), or – when there is no value."""
    if pd.isna(value):
        return "–"
    return i18n.number(float(value), 0, sign=True)


def fmt_pct(value: float) -> str:
    """68 %, in the language's digits (– when there is no value)."""
    return "–" if pd.isna(value) else i18n.percent(float(value))


def fmt_int(value: int) -> str:
    """1,234 / 1.234."""
    return i18n.number(int(value))


def fmt_period(periods: pd.Series, granularity: str) -> pd.Series:
    """Period starts named in the active language: "Q3 2025" / "T3 2025", "Jul 2025" / "jul 2025"."""
    if i18n.language() == i18n.DEFAULT:
        return period_labels(periods, granularity)
    return pd.to_datetime(periods).map(lambda p: i18n.period(p, granularity))


def interval_caption(summary: dict, metric: str, min_n: int) -> str:
    """ "95 % interval +18 to +28 · n = 2,340" ("IC 95 %: +18 a +28 · n = 2.340"), or why there is no number."""
    n = summary[f"n_{metric}"]
    if not n:
        return UI[f"no_{metric}"]
    low, high = summary[f"{metric}_low"], summary[f"{metric}_high"]
    if metric == "nps":
        text = TABLES["interval_nps"].format(low=fmt_nps(low), high=fmt_nps(high), n=fmt_int(n))
    else:
        text = TABLES["interval_csat"].format(
            low=i18n.number(low),
            high=i18n.number(high),
            n=fmt_int(n),
            mean=i18n.number(summary["csat_mean"], 2),
        )
    if n < min_n:
        text += " · " + METRICS["below_min"].format(min_n=min_n)
    return text


def display_table(table: pd.DataFrame, metric: str, granularity: str | None = None) -> pd.DataFrame:
    """A metrics table for one metric: readable headers, rounded numbers, the sample flag in words."""
    keys = [c for c in table.columns if c not in ("n", *COLUMNS, "nps_below_min", "csat_below_min")]
    out = table[keys].copy()
    if "period" in out:
        out["period"] = fmt_period(out["period"], granularity or "day")
        out = out.rename(columns={"period": TABLES["period"]})
    name = METRICS[metric]
    out["n"] = table[f"n_{metric}"]
    out[name] = table[metric].round(1)
    out[TABLES["low"]] = table[f"{metric}_low"].round(1)
    out[TABLES["high"]] = table[f"{metric}_high"].round(1)
    if metric == "csat":
        out[TABLES["mean_score"]] = table["csat_mean"].round(2)
    out[TABLES["sample"]] = table[f"{metric}_below_min"].map({True: UI["sample_small"], False: ""})
    return out[table[f"n_{metric}"] > 0]


def two_columns(mapping: dict, key: str, value: str) -> pd.DataFrame:
    """A two-column table of a mapping; `key` and `value` name the headers (TABLES keys, or the headers)."""
    return pd.DataFrame(list(mapping.items()), columns=[TABLES.get(key, key), TABLES.get(value, value)])


def preview(frame: pd.DataFrame, rows: int = 500) -> pd.DataFrame:
    """The first kept rows as the app reads them: the file's row number first, empty roles left out."""
    out = frame.head(rows).copy()
    out.insert(0, TABLES["row"], out.index + 1)
    if "text" in out:  # personal data never shows on screen (exports mask it too, by default)
        out["text"] = out["text"].map(lambda t: mask_pii(t) if isinstance(t, str) else t)
    if "date" in out and out["date"].notna().any():
        out["date"] = out["date"].dt.date
    return out[[c for c in out.columns if out[c].notna().any() or c in ("nps", "csat", "text")]]


def theme_table(table: pd.DataFrame) -> pd.DataFrame:
    """The themes table as shown: id, label, size, share, NPS, CSAT and one quote."""
    return pd.DataFrame(
        {
            TABLES["theme"]: table["theme_id"],
            TABLES["label"]: table["label"],
            TABLES["comments"]: table["n"],
            TABLES["share"]: (100 * table["share"]).round(1),
            METRICS["nps"]: table["nps"].round(0),
            METRICS["csat"]: table["csat"].round(0),
            TABLES["nps_impact"]: table["nps_impact"].round(2),
            TABLES["csat_impact"]: table["csat_impact"].round(2),
            TABLES["quote"]: table["quotes"].map(lambda q: q[0] if len(q) else ""),
        }
    )


def areas_display(table: pd.DataFrame, metric: str, explained: bool = False) -> pd.DataFrame:
    name = METRICS[metric]
    out = pd.DataFrame(
        {
            TABLES["area"]: table["label"],
            "n": table["n"],
            name: table["score"].round(1),
            TABLES["low"]: table["low"].round(1),
            TABLES["high"]: table["high"].round(1),
            TABLES["rest"].format(metric=name): table["rest_score"].round(1),
            TABLES["gap"]: table["gap"].round(1),
            TABLES["impact"]: table["impact"].round(2),
            TABLES["significant"]: table["significant"].map({True: TABLES["yes"], False: TABLES["no"]}),
        }
    )
    if explained:
        out[TABLES["explained_by"]] = table["explained_by"].map(lambda s: area_label(s) if s else "")
    return out
