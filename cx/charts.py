"""Altair chart builders: a DataFrame in, an `alt.Chart` out; nothing is displayed here.

Colours mean the same everywhere and are colour-blind safe (Okabe–Ito): blue is better / promoter,
vermillion is worse / detractor, grey is passive or "too few responses to rely on".

Every builder takes a metric among nps, csat, ces, sentiment (the share of negative comments, where lower
is better) and volume (a count: bars, no interval). Charts must read in a meeting room: labels are wrapped,
never cut; period axes never crowd; a period without answers is a gap in the line, never a straight
segment joining its neighbours.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from cx.i18n import d3_locale
from cx.metrics import METRIC_DIRECTION, PERIOD_FORMAT, fill_periods, period_labels, period_range
from cx.strings import CHARTS, METRICS

PROMOTER = "#0072B2"
PASSIVE = "#B8B8B8"
DETRACTOR = "#D55E00"
BELOW_MIN = "#9E9E9E"
GROUP_COLORS = {"detractor": DETRACTOR, "passive": PASSIVE, "promoter": PROMOTER}
METRIC_COLORS = {
    "nps": "#0072B2",
    "csat": "#009E73",
    "ces": "#CC79A7",
    "sentiment": DETRACTOR,  # the share of negative comments: the "worse" colour
    "volume": "#56B4E9",
}
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
# Long labels (segment values, theme names) are wrapped onto lines of this many characters, and Vega
# draws each line: a label is never cut to "Mu…".
WRAP = 24
LINES = "split(datum.label, '\\n')"
LABEL_LIMIT = 0  # no truncation: labels are already wrapped to a readable width
SCALE = {"nps": (-100, 100), "csat": (0, 100), "sentiment": (0, 100), "ces": (1, 7)}
SCORED = ("nps", "csat", "ces", "sentiment")


def wrap_label(text: object, width: int = WRAP) -> str:
    """A label wrapped onto lines of at most `width` characters, joined with newlines (for `LINES`)."""
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=True) or [str(text)])


def _with_n(value: str, n: int, width: int = 2 * WRAP) -> str:
    """ "North  (n = 1,234)", wrapped, the n kept whole on the last line."""
    lines = wrap_label(value, width).split("\n")
    suffix = f"(n = {n:,})"
    if len(lines[-1]) + len(suffix) + 2 <= width:
        lines[-1] += "  " + suffix
    else:
        lines.append(suffix)
    return "\n".join(lines)


def metric_title(metric: str, basis: str = "comments") -> str:
    """The axis or legend title of a metric: "NPS", "CSAT (% top-two boxes)", "% negative comments"…

    Args:
        basis: what volume counts, "comments" or "responses" (`cx.metrics.volume_basis`).
    """
    if metric == "csat":
        return METRICS["csat"] + CHARTS["csat_suffix"]
    if metric == "ces":
        return METRICS["ces"] + CHARTS["ces_suffix"]
    if metric == "sentiment":
        return METRICS["sentiment_axis"]
    if metric == "volume":
        return METRICS[f"volume_{basis}"]
    if metric == "nps":
        return METRICS["nps"]
    raise ValueError(f"unknown metric {metric!r}")


def _volume_basis(table: pd.DataFrame) -> str:
    """What the table's volume counts: set by `metrics_by`; otherwise comments when there are any."""
    if "volume_basis" in table.attrs:
        return table.attrs["volume_basis"]
    return "comments" if "comments" in table and table["comments"].sum() > 0 else "responses"


def _value_format(metric: str) -> str:
    return {"ces": ".2f", "volume": ","}.get(metric, ".1f")


def _score_axis(metric: str, data: pd.DataFrame) -> alt.Scale:
    """Zoomed to the intervals shown (differences of a few points must be visible), within the scale."""
    lo_limit, hi_limit = SCALE[metric]
    pad = 0.3 if metric == "ces" else 5
    low = pd.concat([data[f"{metric}_low"], data[metric]]).min()
    high = pd.concat([data[f"{metric}_high"], data[metric]]).max()
    lo = lo_limit if pd.isna(low) else max(lo_limit, float(low) - pad)
    hi = hi_limit if pd.isna(high) else min(hi_limit, float(high) + pad)
    return alt.Scale(domain=[lo, hi], clamp=True, nice=True)


def _legend(title: str | None, entries: int) -> alt.Legend:
    """A legend under the chart, in columns, with wrapped labels that are never truncated."""
    return alt.Legend(
        title=title,
        orient="bottom",
        direction="horizontal",
        columns=max(1, min(entries, 3)),
        labelLimit=LABEL_LIMIT,
        labelExpr=LINES,
        symbolLimit=0,
        symbolOpacity=1,
        symbolType="circle",
    )


def _configure(chart: alt.Chart) -> alt.Chart:
    return (
        # Axis numbers and dates in the language of the run (1.234,5; mar 2025), in the app and in exports.
        chart.configure(locale=d3_locale())
        .configure_axis(labelFontSize=FONT - 1, titleFontSize=FONT)
        .configure_legend(labelFontSize=FONT - 1, titleFontSize=FONT, orient="bottom", labelLimit=LABEL_LIMIT)
        .configure_view(stroke=None)
    )


def split_chart(summary: dict, metric: str = "nps") -> alt.Chart:
    """One horizontal bar of shares: detractors / passives / promoters (NPS), or negative / neutral /
    positive comments (sentiment)."""
    if metric == "nps":
        n = summary["n_nps"] or 1
        groups = ["detractor", "passive", "promoter"]
        labels = [METRICS["detractor"], METRICS["passive"], METRICS["promoter"]]
        counts = [summary["detractors"], summary["passives"], summary["promoters"]]
    elif metric == "sentiment":
        n = summary["n_sentiment"] or 1
        groups = ["detractor", "passive", "promoter"]  # the same colours: worse, neutral, better
        labels = [CHARTS["negative"], CHARTS["neutral"], CHARTS["positive"]]
        counts = [summary["negative"], summary["neutral"], summary["positive"]]
    else:
        raise ValueError("a split chart shows nps or sentiment")
    data = pd.DataFrame({"group": groups, "label": labels, "count": counts})
    data["share"] = data["count"] / n * 100
    data["order"] = range(3)
    data["text"] = data["share"].map(lambda s: f"{s:.0f} %" if s >= 6 else "")
    bars = (
        alt.Chart(data)
        .mark_bar(height=36)
        .encode(
            x=alt.X("share:Q", stack="zero", title=None, axis=None, scale=alt.Scale(domain=[0, 100])),
            order=alt.Order("order:Q"),
            color=alt.Color(
                "label:N",
                scale=alt.Scale(domain=list(data["label"]), range=[GROUP_COLORS[g] for g in data["group"]]),
                legend=_legend(None, 3),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=CHARTS["group"]),
                alt.Tooltip(
                    "count:Q",
                    title=METRICS["volume_responses" if metric == "nps" else "volume_comments"],
                    format=",",
                ),
                alt.Tooltip("share:Q", title=CHARTS["share"], format=".1f"),
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


def nps_split_chart(summary: dict) -> alt.Chart:
    """One horizontal bar: detractors, passives and promoters as shares of NPS answers."""
    return split_chart(summary, "nps")


def _period_axis(granularity: str, periods: int) -> alt.Axis:
    """One tick per period (or per few periods when there are many), labelled like the tables."""
    unit, step = {"day": ("day", 1), "week": ("week", 1), "month": ("month", 1), "quarter": ("month", 3)}.get(
        granularity, ("year", 1)
    )
    step *= max(1, -(-periods // 8))
    common = {
        "tickCount": {"interval": unit, "step": step},
        "labelAngle": 0,
        "grid": False,
        "labelOverlap": True,
    }
    if granularity == "quarter":
        label = "'Q' + (floor(month(datum.value) / 3) + 1) + ' ' + year(datum.value)"
        return alt.Axis(labelExpr=label, **common)
    return alt.Axis(format=PERIOD_FORMAT[granularity], **common)


def _period_x(granularity: str, periods: int) -> alt.X:
    """The time axis: by year, a year axis (a bare year is a year, never 1 January)."""
    axis = _period_axis(granularity, periods)
    if granularity == "year":
        return alt.X("period:T", timeUnit="year", title=None, axis=axis, scale=alt.Scale(padding=16))
    return alt.X("period:T", title=None, axis=axis, scale=alt.Scale(padding=16))


def _period_end(periods: pd.Series, granularity: str) -> pd.Series:
    """The start of the next period (where a period's bar ends)."""
    step = {
        "day": pd.DateOffset(days=1),
        "week": pd.DateOffset(weeks=1),
        "month": pd.DateOffset(months=1),
        "quarter": pd.DateOffset(months=3),
        "year": pd.DateOffset(years=1),
    }[granularity]
    return pd.to_datetime(periods) + step


def trend_chart(
    table: pd.DataFrame,
    metric: str,
    granularity: str,
    min_n: int,
    split: str | None = None,
) -> alt.Chart:
    """Score per period with its 95 % band; periods below the minimum sample are hollow grey points.

    Periods without answers between the first and the last stay in the data with null scores, so the
    line and the band break there. Volume is drawn as bars (a count: an empty period is a true zero).

    Args:
        table: `metrics_by(frame, [split?, granularity])` output (has `period`).
        metric: "nps", "csat", "ces", "sentiment" or "volume".
        granularity: used for the date format of the axis and tooltips.
        min_n: the minimum sample (for the tooltip text).
        split: a segment column for one line per value, or None.
    """
    basis = _volume_basis(table)
    data = fill_periods(table, granularity)
    if split:
        data[SEGMENT] = data.pop(split).astype(str)
        data["series"] = data[SEGMENT].map(wrap_label)
    data["period_label"] = period_labels(data["period"], granularity)
    x = _period_x(granularity, data["period"].nunique())
    series = len(data["series"].unique()) if split else 1
    color = (
        alt.Color(
            "series:N", title=split, scale=alt.Scale(range=SERIES_PALETTE), legend=_legend(split, series)
        )
        if split
        else alt.value(METRIC_COLORS[metric])
    )
    if metric == "volume":
        data["share"] = data["volume_share"]
        tooltip = [
            alt.Tooltip("period_label:N", title=CHARTS["period"]),
            alt.Tooltip("volume:Q", title=METRICS[f"volume_{basis}"], format=","),
            alt.Tooltip("share:Q", title=METRICS["volume_share"], format=".1f"),
        ]
        if split:
            tooltip.insert(0, alt.Tooltip(f"{SEGMENT}:N", title=split))
        # Each bar spans its period; series are stacked here (Vega-Lite does not stack ranged bars).
        data["period_end"] = _period_end(data["period"], granularity)
        data = data.sort_values(["period", "series"] if split else ["period"], kind="stable")
        data["top"] = data.groupby("period")["volume"].cumsum()
        data["bottom"] = data["top"] - data["volume"]
        bars = (
            alt.Chart(data)
            .mark_bar(stroke="white", strokeWidth=1)
            .encode(
                x=x,
                x2="period_end:T",
                y=alt.Y("top:Q", title=metric_title("volume", basis), scale=alt.Scale(zero=True)),
                y2="bottom:Q",
                color=color,
                tooltip=tooltip,
            )
        )
        return _configure(bars.properties(height=320))
    if metric not in SCORED:
        raise ValueError(f"unknown metric {metric!r}")
    empty = data[f"n_{metric}"] == 0
    for col in (metric, f"{metric}_low", f"{metric}_high"):
        data[col] = data[col].where(~empty)  # null, not zero: a gap
    data["reliable"] = ~data[f"{metric}_below_min"]
    data["n"] = data[f"n_{metric}"]
    data["status"] = data["reliable"].map(
        {True: CHARTS["reliable"].format(min_n=min_n), False: METRICS["below_min"].format(min_n=min_n)}
    )
    data.loc[empty, "status"] = METRICS["no_data"]
    y = alt.Y(
        f"{metric}:Q",
        title=metric_title(metric),
        scale=alt.Scale(
            zero=False, nice=True, domain=list(SCALE[metric]) if data[metric].isna().all() else alt.Undefined
        ),
    )
    tooltip = [
        alt.Tooltip("period_label:N", title=CHARTS["period"]),
        alt.Tooltip(f"{metric}:Q", title=METRICS[metric], format=_value_format(metric)),
        alt.Tooltip(f"{metric}_low:Q", title=CHARTS["low"], format=_value_format(metric)),
        alt.Tooltip(f"{metric}_high:Q", title=CHARTS["high"], format=_value_format(metric)),
        alt.Tooltip("n:Q", title="n", format=","),
        alt.Tooltip("status:N", title=CHARTS["sample"]),
    ]
    if split:
        tooltip.insert(0, alt.Tooltip(f"{SEGMENT}:N", title=split))
    # One legend: the colour channel's; the points' fill and stroke use the same colours without a legend.
    quiet = (
        alt.Color("series:N", scale=alt.Scale(range=SERIES_PALETTE), legend=None)
        if split
        else alt.value(METRIC_COLORS[metric])
    )
    base = alt.Chart(data).encode(x=x)
    gaps = "break-paths-show-domains"
    band = base.mark_area(opacity=0.15, invalid=gaps).encode(
        y=f"{metric}_low:Q", y2=f"{metric}_high:Q", color=color
    )
    line = base.mark_line(strokeWidth=2.5, invalid=gaps).encode(y=y, color=color)
    shown = alt.Chart(data[~empty]).encode(x=x)
    # Each period's interval as a thin rule too: a period between two gaps has no band to show it.
    whiskers = shown.mark_rule(strokeWidth=1.5, opacity=0.5).encode(
        y=f"{metric}_low:Q", y2=f"{metric}_high:Q", color=color
    )
    # Reliable periods: a filled dot in the series colour. Too-small samples: a hollow grey diamond.
    stroke = alt.condition("datum.reliable", quiet, alt.value(BELOW_MIN))
    points = shown.mark_point(size=110, strokeWidth=2.5, opacity=1).encode(
        y=y,
        stroke=stroke if not split else quiet,
        fill=alt.condition("datum.reliable", quiet, alt.value("white")),
        shape=alt.condition("datum.reliable", alt.value("circle"), alt.value("diamond")),
        tooltip=tooltip,
    )
    layers = [band, whiskers, line, points]
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

    Values below the minimum sample are grey. A dashed line marks the overall score. Volume: one bar per
    value with its count and its share of all comments, largest first.
    """
    basis = _volume_basis(table)
    count = "volume" if metric == "volume" else f"n_{metric}"
    if metric != "volume" and metric not in SCORED:
        raise ValueError(f"unknown metric {metric!r}")
    data = table[table[count] > 0].copy()
    data[SEGMENT] = data.pop(segment).astype(str)
    data["n"] = data[count]
    data["label"] = [_with_n(value, n) for value, n in zip(data[SEGMENT], data["n"], strict=True)]
    y_axis = alt.Axis(labelLimit=LABEL_LIMIT, labelExpr=LINES)
    if metric == "volume":
        data["share"] = data["volume_share"]
        data["text"] = data["share"].map("{:.0f} %".format)
        order = data.sort_values("volume", ascending=False)["label"].tolist()
        base = alt.Chart(data).encode(y=alt.Y("label:N", sort=order, title=None, axis=y_axis))
        tooltip = [
            alt.Tooltip(f"{SEGMENT}:N", title=segment),
            alt.Tooltip("volume:Q", title=METRICS[f"volume_{basis}"], format=","),
            alt.Tooltip("share:Q", title=METRICS["volume_share"], format=".1f"),
        ]
        bars = base.mark_bar(color=METRIC_COLORS["volume"]).encode(
            x=alt.X("volume:Q", title=metric_title("volume", basis)), tooltip=tooltip
        )
        text = base.mark_text(align="left", dx=4, fontSize=FONT - 1).encode(x="volume:Q", text="text:N")
        return _configure(alt.layer(bars, text).properties(height=alt.Step(36)))
    data["reliable"] = ~data[f"{metric}_below_min"]
    # Best at the top, worst at the bottom: for the negative share, the highest share is the worst.
    order = data.sort_values(metric, ascending=METRIC_DIRECTION[metric] < 0)["label"].tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=y_axis)
    fmt = _value_format(metric)
    tooltip = [
        alt.Tooltip(f"{SEGMENT}:N", title=segment),
        alt.Tooltip(f"{metric}:Q", title=METRICS[metric], format=fmt),
        alt.Tooltip(f"{metric}_low:Q", title=CHARTS["low"], format=fmt),
        alt.Tooltip(f"{metric}_high:Q", title=CHARTS["high"], format=fmt),
        alt.Tooltip("n:Q", title="n", format=","),
    ]
    colour = alt.condition("datum.reliable", alt.value(METRIC_COLORS[metric]), alt.value(BELOW_MIN))
    base = alt.Chart(data).encode(y=y)
    rules = base.mark_rule(strokeWidth=3).encode(
        x=alt.X(
            f"{metric}_low:Q",
            title=metric_title(metric) + CHARTS["with_interval"],
            scale=_score_axis(metric, data),
            axis=alt.Axis(tickCount=8),
        ),
        x2=f"{metric}_high:Q",
        color=colour,
        tooltip=tooltip,
    )
    dots = base.mark_point(size=120, filled=True).encode(x=f"{metric}:Q", color=colour, tooltip=tooltip)
    layers = [rules, dots]
    if overall is not None and not pd.isna(overall):
        ref = pd.DataFrame({"x": [overall]})
        layers.append(alt.Chart(ref).mark_rule(strokeDash=[5, 4], color="#444").encode(x="x:Q"))
    return _configure(alt.layer(*layers).properties(height=alt.Step(36)))


def _signed(value: float) -> str:
    return f"{value:+.0f}".replace("-", "−")


def _cell_text(metric: str):
    return {"nps": _signed, "ces": "{:.1f}".format, "volume": "{:,.0f}".format}.get(metric, "{:.0f}".format)


def heatmap_chart(
    table: pd.DataFrame, segment: str, metric: str, granularity: str, min_n: int, overall: float | None
) -> alt.Chart:
    """Segment × period grid: blue where the score beats `overall`, vermillion where it is worse.

    The colour scale is centred on the overall score and spans the cells shown, so real differences are
    visible; cells under the minimum sample are light grey and show their n instead of a score. For the
    negative share, higher is worse (vermillion). Volume: a single-hue scale of counts (no better/worse).
    Period labels turn, thin out and shrink with the number of periods, so they never overlap.
    """
    basis = _volume_basis(table)
    count = "volume" if metric == "volume" else f"n_{metric}"
    if metric != "volume" and metric not in SCORED:
        raise ValueError(f"unknown metric {metric!r}")
    data = table[table[count] > 0].copy()
    data[SEGMENT] = data.pop(segment).astype(str)
    data["row_label"] = data[SEGMENT].map(wrap_label)
    data["n"] = data[count]
    data["reliable"] = True if metric == "volume" else ~data[f"{metric}_below_min"]
    show = _cell_text(metric)
    data["text"] = [
        show(v) if ok else f"n={n}"
        for v, ok, n in zip(data[metric], data["reliable"], data["n"], strict=True)
    ]
    data = data.sort_values("period")
    data["period_label"] = period_labels(data["period"], granularity)
    # Every period from the first to the last is a column, empty ones too: time reads evenly.
    periods = list(period_labels(pd.Series(period_range(data["period"], granularity)), granularity))
    many = len(periods)
    angle = 0 if many <= 6 else (-45 if many <= 24 else -90)
    x_axis = alt.Axis(
        labelAngle=angle,
        labelAlign="center" if angle == 0 else "left",
        labelOverlap="parity",
        labelFontSize=FONT - 1 if many <= 12 else FONT - 3,
        labelLimit=LABEL_LIMIT,
        orient="top",
    )
    if metric == "volume":
        colour = alt.Color(
            "volume:Q", title=METRICS[f"volume_{basis}"], scale=alt.Scale(scheme="blues", zero=True)
        )
    else:
        centre = overall if overall is not None and not pd.isna(overall) else data[metric].mean()
        centre = sum(SCALE[metric]) / 2 if pd.isna(centre) else float(centre)
        spread = (data.loc[data["reliable"], metric] - centre).abs().max()
        floor = 0.5 if metric == "ces" else 10.0
        spread = floor if pd.isna(spread) else max(floor, float(spread))
        colour = alt.condition(
            "datum.reliable",
            alt.Color(
                f"{metric}:Q",
                title=metric_title(metric),
                scale=alt.Scale(
                    scheme="blueorange",
                    reverse=METRIC_DIRECTION[metric] > 0,  # better is always blue
                    domain=[centre - spread, centre + spread],
                    domainMid=centre,
                ),
            ),
            alt.value("#E6E6E6"),
        )
    base = alt.Chart(data).encode(
        x=alt.X("period_label:O", title=None, sort=periods, scale=alt.Scale(domain=periods), axis=x_axis),
        y=alt.Y("row_label:N", title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT, labelExpr=LINES)),
    )
    fmt = _value_format(metric)
    tooltip = [
        alt.Tooltip(f"{SEGMENT}:N", title=segment),
        alt.Tooltip("period_label:N", title=CHARTS["period"]),
        alt.Tooltip(f"{metric}:Q", title=METRICS[metric], format=fmt),
    ]
    if metric != "volume":
        tooltip += [
            alt.Tooltip(f"{metric}_low:Q", title=CHARTS["low"], format=fmt),
            alt.Tooltip(f"{metric}_high:Q", title=CHARTS["high"], format=fmt),
        ]
    tooltip.append(alt.Tooltip("n:Q", title="n", format=","))
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(color=colour, tooltip=tooltip)
    layers = [cells]
    if many <= 16:  # beyond that a cell is too narrow for its number: the tooltip has it
        layers.append(
            base.mark_text(fontSize=13 if many <= 8 else 10).encode(
                text="text:N",
                color=alt.condition("datum.reliable", alt.value("black"), alt.value("#666")),
            )
        )
    lines = int(data["row_label"].str.count("\n").max() + 1) if len(data) else 1
    return _configure(alt.layer(*layers).properties(height=alt.Step(max(32, 16 * lines + 8))))


def theme_trend_chart(table: pd.DataFrame, granularity: str = "month") -> alt.Chart:
    """Share of the period's grouped comments that fall in one theme (a theme growing or fading).

    A period without grouped comments is a gap (null share), not a zero.
    """
    data = table.copy()
    if len(data):
        full = pd.DataFrame({"period": period_range(data["period"], granularity)})
        data = full.merge(data, on="period", how="left")
    data["period_label"] = period_labels(data["period"], granularity)
    x = _period_x(granularity, data["period"].nunique())
    base = alt.Chart(data).encode(x=x)
    line = base.mark_line(
        strokeWidth=2.5,
        color=PROMOTER,
        invalid="break-paths-show-domains",
        point=alt.OverlayMarkDef(size=60, color=PROMOTER),
    ).encode(
        y=alt.Y("share:Q", title=CHARTS["pct_grouped"], scale=alt.Scale(zero=True)),
        tooltip=[
            alt.Tooltip("period_label:N", title=CHARTS["period"]),
            alt.Tooltip("share:Q", title=CHARTS["pct_comments"], format=".1f"),
            alt.Tooltip("n_theme:Q", title=CHARTS["in_theme"], format=","),
            alt.Tooltip("n_all:Q", title=CHARTS["all_grouped"], format=","),
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
    who = [CHARTS["this_theme"], CHARTS["all_grouped_comments"]]
    data["who"] = data["who"].map(dict(zip(["this theme", "all grouped comments"], who, strict=True)))
    data[SEGMENT] = data[SEGMENT].astype(str)
    data["row_label"] = data[SEGMENT].map(wrap_label)
    colours = alt.Scale(domain=who, range=[PROMOTER, PASSIVE])
    return _configure(
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "row_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=LABEL_LIMIT, labelExpr=LINES)
            ),
            yOffset=alt.YOffset("who:N", sort=who),
            x=alt.X("share:Q", title=CHARTS["pct_comments"]),
            color=alt.Color("who:N", scale=colours, title=None, legend=_legend(None, 2)),
            tooltip=[
                alt.Tooltip(f"{SEGMENT}:N", title=segment),
                alt.Tooltip("who:N", title=CHARTS["of"]),
                alt.Tooltip("share:Q", title="%", format=".1f"),
                alt.Tooltip("n_theme:Q", title=CHARTS["comments_in_theme"], format=","),
            ],
        )
        .properties(height=alt.Step(14))
    )


def big_text(lines: list[str], size: int = 26, width: int = 70) -> alt.Chart:
    """Lines of large text drawn by Vega (always plain text, never markup), wrapped at `width` characters.

    Used where a file's own words (area names, theme labels, quotes) must read at a distance.
    """
    rows = []
    for i, line in enumerate(lines):
        for j, part in enumerate(textwrap.wrap(line, width) or [""]):
            rows.append({"order": len(rows), "text": part, "first": j == 0, "item": i})
    data = pd.DataFrame(rows, columns=["order", "text", "first", "item"])
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
