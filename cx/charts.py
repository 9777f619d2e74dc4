"""Altair chart builders: a DataFrame in, an `alt.Chart` out; nothing is displayed here.

Colours mean the same everywhere and are colour-blind safe (Okabe–Ito): blue is better / promoter,
vermillion is worse / detractor, grey is passive or "too few responses to rely on".
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.strings import METRICS

PROMOTER = "#0072B2"
PASSIVE = "#B8B8B8"
DETRACTOR = "#D55E00"
BELOW_MIN = "#9E9E9E"
GROUP_COLORS = {"detractor": DETRACTOR, "passive": PASSIVE, "promoter": PROMOTER}
METRIC_COLORS = {"nps": "#0072B2", "csat": "#009E73"}
SERIES_PALETTE = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
]
PERIOD_FORMAT = {
    "day": "%d %b %Y",
    "week": "%d %b %Y",
    "month": "%b %Y",
    "quarter": "%b %Y",
    "year": "%Y",
}
FONT = 14


def _score_axis(metric: str, data: pd.DataFrame) -> alt.Scale:
    """Zoomed to the intervals shown (differences of a few points must be visible), within the scale."""
    lo_limit = -100 if metric == "nps" else 0
    lo = max(lo_limit, float(data[f"{metric}_low"].min()) - 5)
    hi = min(100, float(data[f"{metric}_high"].max()) + 5)
    return alt.Scale(domain=[lo, hi], clamp=True, nice=True)


def _label(metric: str) -> str:
    return METRICS[metric] + (" (% top-two boxes)" if metric == "csat" else "")


def _configure(chart: alt.Chart) -> alt.Chart:
    return (
        chart.configure_axis(labelFontSize=FONT - 1, titleFontSize=FONT)
        .configure_legend(labelFontSize=FONT - 1, titleFontSize=FONT, orient="bottom")
        .configure_view(stroke=None)
    )


def nps_split_chart(summary: dict) -> alt.Chart:
    """One horizontal bar: detractors, passives and promoters as shares of NPS answers."""
    n = summary["n_nps"] or 1
    data = pd.DataFrame(
        {
            "group": ["detractor", "passive", "promoter"],
            "label": [METRICS["detractor"], METRICS["passive"], METRICS["promoter"]],
            "count": [summary["detractors"], summary["passives"], summary["promoters"]],
        }
    )
    data["share"] = data["count"] / n * 100
    data["order"] = range(3)
    data["text"] = data["share"].map(lambda s: f"{s:.0f} %" if s >= 6 else "")
    bars = (
        alt.Chart(data)
        .mark_bar(height=36)
        .encode(
            x=alt.X(
                "share:Q",
                stack="zero",
                title=None,
                axis=None,
                scale=alt.Scale(domain=[0, 100]),
            ),
            order=alt.Order("order:Q"),
            color=alt.Color(
                "label:N",
                scale=alt.Scale(
                    domain=list(data["label"]),
                    range=[GROUP_COLORS[g] for g in data["group"]],
                ),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Group"),
                alt.Tooltip("count:Q", title="Responses", format=","),
                alt.Tooltip("share:Q", title="Share (%)", format=".1f"),
            ],
        )
    )
    data["mid"] = data["share"].cumsum() - data["share"] / 2
    text = (
        alt.Chart(data)
        .mark_text(color="white", fontSize=FONT + 2, fontWeight="bold")
        .encode(x=alt.X("mid:Q", scale=alt.Scale(domain=[0, 100])), text="text:N")
    )
    return _configure(alt.layer(bars, text).properties(height=70))


def trend_chart(
    table: pd.DataFrame,
    metric: str,
    granularity: str,
    min_n: int,
    split: str | None = None,
) -> alt.Chart:
    """Score per period with its 95 % band; periods below the minimum sample are hollow grey points.

    Args:
        table: `metrics_by(frame, [split?, granularity])` output (has `period`).
        metric: "nps" or "csat".
        granularity: used for the date format of the axis and tooltips.
        min_n: the minimum sample (for the tooltip text).
        split: a segment column for one line per value, or None.
    """
    data = table.copy()
    data = data[data[f"n_{metric}"] > 0]
    data["reliable"] = ~data[f"{metric}_below_min"]
    data["n"] = data[f"n_{metric}"]
    data["status"] = data["reliable"].map(
        {True: "n ≥ " + str(min_n), False: METRICS["below_min"].format(min_n=min_n)}
    )
    fmt = PERIOD_FORMAT[granularity]
    x = alt.X("period:T", title=None, axis=alt.Axis(format=fmt, labelAngle=0))
    y = alt.Y(f"{metric}:Q", title=_label(metric), scale=alt.Scale(zero=False, nice=True))
    tooltip = [
        alt.Tooltip("period:T", title="Period", format=fmt),
        alt.Tooltip(f"{metric}:Q", title=METRICS[metric], format=".1f"),
        alt.Tooltip(f"{metric}_low:Q", title="95 % low", format=".1f"),
        alt.Tooltip(f"{metric}_high:Q", title="95 % high", format=".1f"),
        alt.Tooltip("n:Q", title="n", format=","),
        alt.Tooltip("status:N", title="Sample"),
    ]
    if split:
        data[split] = data[split].astype(str)
        tooltip.insert(0, alt.Tooltip(f"{split}:N", title=split))
        color = alt.Color(f"{split}:N", title=split, scale=alt.Scale(range=SERIES_PALETTE))
    else:
        color = alt.value(METRIC_COLORS[metric])
    base = alt.Chart(data).encode(x=x)
    band = base.mark_area(opacity=0.15).encode(y=f"{metric}_low:Q", y2=f"{metric}_high:Q", color=color)
    line = base.mark_line(strokeWidth=2.5).encode(y=y, color=color)
    points = base.mark_point(size=70, filled=True).encode(
        y=y,
        color=alt.condition("datum.reliable", color, alt.value(BELOW_MIN)) if not split else color,
        fill=alt.condition("datum.reliable", color, alt.value("white")),
        shape=alt.condition("datum.reliable", alt.value("circle"), alt.value("diamond")),
        tooltip=tooltip,
    )
    layers = [band, line, points]
    if metric == "nps":
        layers.insert(
            0,
            alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#666", strokeDash=[4, 4]).encode(y="y:Q"),
        )
    return _configure(alt.layer(*layers).properties(height=320))


def segment_chart(
    table: pd.DataFrame,
    segment: str,
    metric: str,
    min_n: int,
    overall: float | None = None,
) -> alt.Chart:
    """Each value of a segment: its score as a dot with the 95 % interval, worst at the bottom.

    Values below the minimum sample are grey. A dashed line marks the overall score.
    """
    data = table[table[f"n_{metric}"] > 0].copy()
    data[segment] = data[segment].astype(str)
    data["n"] = data[f"n_{metric}"]
    data["reliable"] = ~data[f"{metric}_below_min"]
    data["label"] = data[segment] + "  (n = " + data["n"].map("{:,}".format) + ")"
    order = data.sort_values(metric, ascending=False)["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    tooltip = [
        alt.Tooltip(f"{segment}:N", title=segment),
        alt.Tooltip(f"{metric}:Q", title=METRICS[metric], format=".1f"),
        alt.Tooltip(f"{metric}_low:Q", title="95 % low", format=".1f"),
        alt.Tooltip(f"{metric}_high:Q", title="95 % high", format=".1f"),
        alt.Tooltip("n:Q", title="n", format=","),
    ]
    colour = alt.condition("datum.reliable", alt.value(METRIC_COLORS[metric]), alt.value(BELOW_MIN))
    base = alt.Chart(data).encode(y=y)
    rules = base.mark_rule(strokeWidth=3).encode(
        x=alt.X(
            f"{metric}_low:Q",
            title=_label(metric) + " with 95 % interval",
            scale=_score_axis(metric, data),
        ),
        x2=f"{metric}_high:Q",
        color=colour,
        tooltip=tooltip,
    )
    dots = base.mark_point(size=120, filled=True).encode(x=f"{metric}:Q", color=colour, tooltip=tooltip)
    layers = [rules, dots]
    if overall is not None:
        ref = pd.DataFrame({"x": [overall], "text": [f"overall {overall:.0f}"]})
        layers.append(alt.Chart(ref).mark_rule(strokeDash=[5, 4], color="#444").encode(x="x:Q"))
    return _configure(alt.layer(*layers).properties(height=alt.Step(36)))


def heatmap_chart(table: pd.DataFrame, segment: str, metric: str, granularity: str, min_n: int) -> alt.Chart:
    """Segment × period grid coloured by score (vermillion worse → blue better); too-small cells grey."""
    data = table[table[f"n_{metric}"] > 0].copy()
    data[segment] = data[segment].astype(str)
    data["n"] = data[f"n_{metric}"]
    data["reliable"] = ~data[f"{metric}_below_min"]
    data["text"] = data.apply(lambda r: f"{r[metric]:.0f}" if r["reliable"] else f"n={r['n']}", axis=1)
    fmt = PERIOD_FORMAT[granularity]
    data = data.sort_values("period")
    data["period_label"] = pd.to_datetime(data["period"]).dt.strftime(fmt)
    domain = [-100, 100] if metric == "nps" else [0, 100]
    base = alt.Chart(data).encode(
        x=alt.X(
            "period_label:O",
            title=None,
            sort=list(dict.fromkeys(data["period_label"])),
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y(f"{segment}:N", title=None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.condition(
            "datum.reliable",
            alt.Color(
                f"{metric}:Q",
                title=_label(metric),
                scale=alt.Scale(scheme="blueorange", reverse=True, domain=domain),
            ),
            alt.value("#E6E6E6"),
        ),
        tooltip=[
            alt.Tooltip(f"{segment}:N", title=segment),
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip(f"{metric}:Q", title=METRICS[metric], format=".1f"),
            alt.Tooltip(f"{metric}_low:Q", title="95 % low", format=".1f"),
            alt.Tooltip(f"{metric}_high:Q", title="95 % high", format=".1f"),
            alt.Tooltip("n:Q", title="n", format=","),
        ],
    )
    labels = base.mark_text(fontSize=11).encode(
        text="text:N",
        color=alt.condition("datum.reliable", alt.value("black"), alt.value("#666")),
    )
    return _configure(alt.layer(cells, labels).properties(height=alt.Step(32)))
