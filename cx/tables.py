"""Tables and numbers as people read them: readable headers, rounded values, intervals in words.

Pure pandas (no Streamlit): the pages, the report and the presentation format the same way.
"""

from __future__ import annotations

import pandas as pd

from cx import i18n
from cx.areas import area_label
from cx.metrics import key_columns, period_labels
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


def fmt_metric(value: float, metric: str) -> str:
    """A metric's value as a headline: "+16" (NPS), "68 %" (CSAT), "4.2" (CES), "23 % negative",
    "1,234" (volume); – when there is no value."""
    if pd.isna(value):
        return "–"
    if metric == "nps":
        return fmt_nps(value)
    if metric == "ces":
        return i18n.number(value, 1)
    if metric == "sentiment":
        return TABLES["negative_value"].format(value=value)
    if metric == "volume":
        return fmt_int(value)
    return fmt_pct(value)


def interval_caption(summary: dict, metric: str, min_n: int) -> str:
    """ "95 % interval +18 to +28 · n = 2,340" ("IC 95 %: +18 a +28 · n = 2.340"), or why there is no number."""
    if metric == "volume":
        basis = summary.get("volume_basis", "comments")
        if basis == "responses":
            return TABLES["volume_responses"].format(n=summary["n"])
        return TABLES["volume_comments"].format(comments=summary["comments"], n=summary["n"])
    n = summary[f"n_{metric}"]
    if not n:
        return UI[f"no_{metric}"]
    low, high = summary[f"{metric}_low"], summary[f"{metric}_high"]
    if metric == "nps":
        text = TABLES["interval_nps"].format(low=fmt_nps(low), high=fmt_nps(high), n=fmt_int(n))
    elif metric == "csat":
        text = TABLES["interval_csat"].format(
            low=i18n.number(low),
            high=i18n.number(high),
            n=fmt_int(n),
            mean=i18n.number(summary["csat_mean"], 2),
        )
    elif metric == "sentiment":
        text = TABLES["interval_sentiment"].format(low=low, high=high, n=n)
    else:
        if pd.isna(low):
            spread = TABLES["ces_no_interval"]
        else:
            spread = TABLES["interval_ces"].format(low=low, high=high)
        text = TABLES["ces_caption"].format(spread=spread, n=n, easy=summary["ces_easy"])
    if n < min_n:
        text += " · " + METRICS["below_min"].format(min_n=min_n)
    return text


def metric_label(metric: str, sentiment_source: str | None = None) -> str:
    """A metric's name on a card or a picker: "NPS", "Negative comments", or "Likely negative comments"
    when the sentiment was estimated by the model (an estimate is never presented as a fact)."""
    if metric == "sentiment" and sentiment_source and "estimated" in sentiment_source:
        return METRICS["sentiment_likely"]
    return METRICS[metric]


def sentiment_source_lines(sentiment_source: str | None) -> list[str]:
    """Where the sentiment comes from, in words: "Sentiment from column tone." and/or the estimate's caveat.

    Args:
        sentiment_source: `Dataset.sentiment_source` ("column X", "estimated", both joined by ", ", or None).
    """
    lines = []
    for part in (sentiment_source or "").split(", "):
        if part.startswith("column "):
            lines.append(UI["sentiment_source_column"].format(column=part.removeprefix("column ")))
        elif part == "estimated":
            lines.append(UI["sentiment_source_estimated"])
    return lines


def metric_name(metric: str, basis: str = "comments") -> str:
    """A metric's column header in tables: "NPS", "CSAT", "CES", "% negative", "comments"."""
    if metric == "sentiment":
        return TABLES["pct_negative"]
    if metric == "volume":
        return TABLES[basis]
    return METRICS[metric]


def display_table(table: pd.DataFrame, metric: str, granularity: str | None = None) -> pd.DataFrame:
    """A metrics table for one metric: readable headers, rounded numbers, the sample flag in words.

    Volume is a count with its share of the total ("% of all"); the other metrics have n, the value, the
    95 % interval and the sample flag. Groups without an answer to the metric are left out.
    """
    out = table[key_columns(table)].copy()
    if "period" in out:
        out["period"] = period_labels(out["period"], granularity or "day")
        out = out.rename(columns={"period": TABLES["period"]})
    if metric == "volume":
        basis = table.attrs.get("volume_basis", "comments")
        out[TABLES[basis]] = table["volume"]
        out[METRICS["volume_share"]] = table["volume_share"].round(1)
        if basis == "comments":
            out[TABLES["responses"]] = table["n"]
        return out[table["volume"] > 0]
    name = metric_name(metric)
    digits = 2 if metric == "ces" else 1
    out["n"] = table[f"n_{metric}"]
    out[name] = table[metric].round(digits)
    out[TABLES["low"]] = table[f"{metric}_low"].round(digits)
    out[TABLES["high"]] = table[f"{metric}_high"].round(digits)
    if metric == "csat":
        out[TABLES["mean_score"]] = table["csat_mean"].round(2)
    if metric == "ces":
        out[TABLES["easy_share"]] = table["ces_easy"].round(1)
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
    if "year_only" in out and not out["year_only"].fillna(False).any():  # a flag worth a column only when set
        out = out.drop(columns="year_only")
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
    """The areas table as shown: area, n, score (NPS, CSAT %, CES, % negative), interval, rest, gap, impact."""
    name = metric_name(metric)
    digits = 2 if metric == "ces" else 1
    out = pd.DataFrame(
        {
            TABLES["area"]: table["label"],
            "n": table["n"],
            name: table["score"].round(digits),
            TABLES["low"]: table["low"].round(digits),
            TABLES["high"]: table["high"].round(digits),
            TABLES["rest"].format(metric=name): table["rest_score"].round(digits),
            TABLES["gap"]: table["gap"].round(digits),
            TABLES["impact"]: table["impact"].round(2),
            TABLES["significant"]: table["significant"].map({True: TABLES["yes"], False: TABLES["no"]}),
        }
    )
    if explained:
        out[TABLES["explained_by"]] = table["explained_by"].map(lambda s: area_label(s) if s else "")
    return out
