"""Altair chart builders: a DataFrame in, an `alt.Chart` out; nothing is displayed here.

Colours mean the same everywhere and are colour-blind safe (Okabe–Ito): blue is better / promoter,
vermillion is worse / detractor, grey is passive or "too few responses to rely on".
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from cx.i18n import d3_locale
from cx.metrics import PERIOD_FORMAT, period_labels
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
FONT = 14
# Segment columns are named by the file; Vega-Lite reads dots and brackets in a field name as paths, so
# every chart puts the segment's values under this fixed field and shows the column's name as a title.
SEGMENT = "segment_value"


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
        # Axis numbers and dates in the language of the run (1.234,5; mar 2025), in the app and in exports.
        chart.configure(locale=d3_locale())
        .configure_axis(labelFontSize=FONT - 1, titleFontSize=FONT)
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


def _period_axis(granularity: str, periods: int) -> alt.Axis:
    """One tick per period (or per few periods when there are many), labelled like the tables."""
    unit, step = {"day": ("day", 1), "week": ("week", 1), "month": ("month", 1), "quarter": ("month", 3)}.get(
        granularity, ("year", 1)
    )
    step *= max(1, -(-periods // 8))
    if granularity == "quarter":
        label = "'Q' + (floor(month(datum.value) / 3) + 1) + ' ' + year(datum.value)"
        return alt.Axis(labelExpr=label, tickCount={"interval": unit, "step": step}, labelAngle=0, grid=False)
    return alt.Axis(
        format=PERIOD_FORMAT[granularity],
        tickCount={"interval": unit, "step": step},
        labelAngle=0,
        grid=False,
    )


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
    data["period_label"] = period_labels(data["period"], granularity)
    x = alt.X(
        "period:T",
        title=None,
        axis=_period_axis(granularity, data["period"].nunique()),
        scale=alt.Scale(padding=16),
    )
    y = alt.Y(f"{metric}:Q", title=_label(metric), scale=alt.Scale(zero=False, nice=True))
    tooltip = [
        alt.Tooltip("period_label:N", title="Period"),
        alt.Tooltip(f"{metric}:Q", title=METRICS[metric], format=".1f"),
        alt.Tooltip(f"{metric}_low:Q", title="95 % low", format=".1f"),
        alt.Tooltip(f"{metric}_high:Q", title="95 % high", format=".1f"),
        alt.Tooltip("n:Q", title="n", format=","),
        alt.Tooltip("status:N", title="Sample"),
    ]
    if split:
        data[SEGMENT] = data.pop(split).astype(str)
        tooltip.insert(0, alt.Tooltip(f"{SEGMENT}:N", title=split))
        color = alt.Color(f"{SEGMENT}:N", title=split, scale=alt.Scale(range=SERIES_PALETTE))
    else:
        color = alt.value(METRIC_COLORS[metric])
    base = alt.Chart(data).encode(x=x)
    band = base.mark_area(opacity=0.15).encode(y=f"{metric}_low:Q", y2=f"{metric}_high:Q", color=color)
    line = base.mark_line(strokeWidth=2.5).encode(y=y, color=color)
    # Reliable periods: a filled dot in the series colour. Too-small samples: a hollow grey diamond.
    stroke = alt.condition("datum.reliable", color, alt.value(BELOW_MIN))
    points = base.mark_point(size=110, strokeWidth=2.5, opacity=1).encode(
        y=y,
        stroke=stroke if not split else color,
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
    data[SEGMENT] = data.pop(segment).astype(str)
    data["n"] = data[f"n_{metric}"]
    data["reliable"] = ~data[f"{metric}_below_min"]
    data["label"] = data[SEGMENT] + "  (n = " + data["n"].map("{:,}".format) + ")"
    order = data.sort_values(metric, ascending=False)["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    tooltip = [
        alt.Tooltip(f"{SEGMENT}:N", title=segment),
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
            axis=alt.Axis(tickCount=8),
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


def _signed(value: float) -> str:
    return f"{value:+.0f}".replace("-", "−")


def heatmap_chart(
    table: pd.DataFrame, segment: str, metric: str, granularity: str, min_n: int, overall: float
) -> alt.Chart:
    """Segment × period grid: blue where the score beats `overall`, vermillion where it is worse.

    The colour scale is centred on the overall score and spans the cells shown, so real differences are
    visible; cells under the minimum sample are light grey and show their n instead of a score.
    """
    data = table[table[f"n_{metric}"] > 0].copy()
    data[SEGMENT] = data.pop(segment).astype(str)
    data["n"] = data[f"n_{metric}"]
    data["reliable"] = ~data[f"{metric}_below_min"]
    show = _signed if metric == "nps" else "{:.0f}".format
    data["text"] = [
        show(v) if ok else f"n={n}"
        for v, ok, n in zip(data[metric], data["reliable"], data["n"], strict=True)
    ]
    data = data.sort_values("period")
    data["period_label"] = period_labels(data["period"], granularity)
    spread = (data.loc[data["reliable"], metric] - overall).abs().max()
    spread = 10.0 if pd.isna(spread) else max(10.0, float(spread))
    domain = [overall - spread, overall + spread]
    base = alt.Chart(data).encode(
        x=alt.X(
            "period_label:O",
            title=None,
            sort=list(dict.fromkeys(data["period_label"])),
            axis=alt.Axis(labelAngle=0, orient="top"),
        ),
        y=alt.Y(f"{SEGMENT}:N", title=None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.condition(
            "datum.reliable",
            alt.Color(
                f"{metric}:Q",
                title=_label(metric),
                scale=alt.Scale(scheme="blueorange", reverse=True, domain=domain, domainMid=overall),
            ),
            alt.value("#E6E6E6"),
        ),
        tooltip=[
            alt.Tooltip(f"{SEGMENT}:N", title=segment),
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip(f"{metric}:Q", title=METRICS[metric], format=".1f"),
            alt.Tooltip(f"{metric}_low:Q", title="95 % low", format=".1f"),
            alt.Tooltip(f"{metric}_high:Q", title="95 % high", format=".1f"),
            alt.Tooltip("n:Q", title="n", format=","),
        ],
    )
    labels = base.mark_text(fontSize=13).encode(
        text="text:N",
        color=alt.condition("datum.reliable", alt.value("black"), alt.value("#666")),
    )
    return _configure(alt.layer(cells, labels).properties(height=alt.Step(32)))


def theme_trend_chart(table: pd.DataFrame, granularity: str = "month") -> alt.Chart:
    """Share of the period's grouped comments that fall in one theme (a theme growing or fading)."""
    data = table.copy()
    data["period_label"] = period_labels(data["period"], granularity)
    axis = _period_axis(granularity, data["period"].nunique())
    base = alt.Chart(data).encode(x=alt.X("period:T", title=None, axis=axis, scale=alt.Scale(padding=16)))
    line = base.mark_line(
        strokeWidth=2.5, color=PROMOTER, point=alt.OverlayMarkDef(size=60, color=PROMOTER)
    ).encode(
        y=alt.Y("share:Q", title="% of grouped comments", scale=alt.Scale(zero=True)),
        tooltip=[
            alt.Tooltip("period_label:N", title="Period"),
            alt.Tooltip("share:Q", title="% of comments", format=".1f"),
            alt.Tooltip("n_theme:Q", title="In this theme", format=","),
            alt.Tooltip("n_all:Q", title="All grouped", format=","),
        ],
    )
    return _configure(line.properties(height=240))


def mix_chart(table: pd.DataFrame, segment: str) -> alt.Chart:
    """How a theme splits across a segment, beside how all grouped comments split (over-representation)."""
    data = table.rename(columns={segment: SEGMENT}).melt(
        id_vars=[SEGMENT, "n_theme"],
        value_vars=["this theme", "all grouped comments"],
        var_name="who",
        value_name="share",
    )
    data[SEGMENT] = data[SEGMENT].astype(str)
    colours = alt.Scale(domain=["this theme", "all grouped comments"], range=[PROMOTER, PASSIVE])
    return _configure(
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(f"{SEGMENT}:N", title=None, sort="-x"),
            yOffset=alt.YOffset("who:N", sort=["this theme", "all grouped comments"]),
            x=alt.X("share:Q", title="% of comments"),
            color=alt.Color("who:N", scale=colours, title=None),
            tooltip=[
                alt.Tooltip(f"{SEGMENT}:N", title=segment),
                alt.Tooltip("who:N", title="Of"),
                alt.Tooltip("share:Q", title="%", format=".1f"),
                alt.Tooltip("n_theme:Q", title="Comments in this theme", format=","),
            ],
        )
        .properties(height=alt.Step(14))
    )


def big_text(lines: list[str], size: int = 26, width: int = 70) -> alt.Chart:
    """Lines of large text drawn by Vega (always plain text, never markup), wrapped at `width` characters.

    Used where a file's own words (area names, theme labels, quotes) must read at a distance.
    """
    import textwrap

    rows = []
    for i, line in enumerate(lines):
        for j, part in enumerate(textwrap.wrap(line, width) or [""]):
            rows.append({"order": len(rows), "text": part, "first": j == 0, "item": i})
    data = pd.DataFrame(rows)
    chart = (
        alt.Chart(data)
        .mark_text(align="left", baseline="middle", fontSize=size, limit=0)
        .encode(
            y=alt.Y("order:O", axis=None),
            x=alt.value(4),
            text="text:N",
            color=alt.condition("datum.first", alt.value("#111111"), alt.value("#333333")),
        )
        .properties(height=alt.Step(int(size * 1.6)))
    )
    return chart.configure_view(stroke=None)
