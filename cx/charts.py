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


# Building ------------------------------------------------------------------------------------------------
# The builders write their Vega-Lite encodings and marks as plain dicts and hand them to Altair in one
# step: Altair's channel classes, shorthand parsing and copies (`encode`, `properties`, `configure_*`)
# cost more than the drawing's own work and add nothing to a spec that is already complete.
# tests/test_chart_specs.py checks that every builder's spec is the one the Altair-built charts drew, and
# validates it against the Vega-Lite schema.
Q, N, ORD, T = "quantitative", "nominal", "ordinal", "temporal"


class _Known:
    """A chart whose spec is known to be valid Vega-Lite (the tests validate every builder's spec):
    `to_dict()` (what Streamlit's conversion calls) skips Altair's schema validation; `to_dict(validate=True)`
    and `to_json()` (exports) still validate."""

    def to_dict(self, validate: bool = False, **kwargs):
        return super().to_dict(validate, **kwargs)


class KnownChart(_Known, alt.Chart):
    """A single-view `alt.Chart` built by this module."""


class KnownLayerChart(_Known, alt.LayerChart):
    """A layered `alt.LayerChart` built by this module."""


def _field(name: str, kind: str | None = None, **props) -> dict:
    """A field definition: {"field": name, "type": kind, ...props}."""
    spec = {"field": name}
    if kind:
        spec["type"] = kind
    spec.update(props)
    return spec


def _tip(name: str, kind: str, title: str, fmt: str | None = None) -> dict:
    spec = {"field": name, "type": kind, "title": title}
    if fmt is not None:
        spec["format"] = fmt
    return spec


def _value(value) -> dict:
    return {"value": value}


def _when(test: str, yes: dict, no: dict) -> dict:
    """Vega-Lite's condition: `yes` (a value or a field) where `test` holds, `no` elsewhere."""
    return {"condition": {"test": test, **yes}, **no}


def _mark(kind: str, **props) -> dict:
    return {"type": kind, **props}


def _view(data, mark: dict, encoding: dict, cls=alt.Chart, **props) -> alt.Chart:
    """One view: data, its mark and its encodings (dicts), in one Altair object."""
    return cls(data=data, mark=mark, encoding=alt.FacetedEncoding(**encoding), **props)


def _config() -> dict:
    # Axis numbers and dates in the language of the run (1.234,5; mar 2025), in the app and in exports.
    return {
        "locale": d3_locale(),
        "axis": {"labelFontSize": FONT - 1, "titleFontSize": FONT},
        "legend": {
            "labelFontSize": FONT - 1,
            "titleFontSize": FONT,
            "orient": "bottom",
            "labelLimit": LABEL_LIMIT,
        },
        "view": {"stroke": None},
    }


def _layered(layers: list, height) -> alt.LayerChart:
    return KnownLayerChart(layer=layers, config=_config(), height=height)


def _step(step: int) -> dict:
    return {"step": step}


def _score_axis(metric: str, data: pd.DataFrame) -> dict:
    """Zoomed to the intervals shown (differences of a few points must be visible), within the scale."""
    lo_limit, hi_limit = SCALE[metric]
    pad = 0.3 if metric == "ces" else 5
    low = pd.concat([data[f"{metric}_low"], data[metric]]).min()
    high = pd.concat([data[f"{metric}_high"], data[metric]]).max()
    lo = lo_limit if pd.isna(low) else max(lo_limit, float(low) - pad)
    hi = hi_limit if pd.isna(high) else min(hi_limit, float(high) + pad)
    return {"domain": [lo, hi], "clamp": True, "nice": True}


def _legend(title: str | None, entries: int) -> dict:
    """A legend under the chart, in columns, with wrapped labels that are never truncated."""
    return {
        "title": title,
        "orient": "bottom",
        "direction": "horizontal",
        "columns": max(1, min(entries, 3)),
        "labelLimit": LABEL_LIMIT,
        "labelExpr": LINES,
        "symbolLimit": 0,
        "symbolOpacity": 1,
        "symbolType": "circle",
    }


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
    data["mid"] = data["share"].cumsum() - data["share"] / 2  # where each share's label sits
    bars = _view(
        data,
        _mark("bar", height=36),
        {
            "x": _field("share", Q, stack="zero", title=None, axis=None, scale={"domain": [0, 100]}),
            "order": _field("order", Q),
            "color": _field(
                "label",
                N,
                scale={"domain": list(data["label"]), "range": [GROUP_COLORS[g] for g in data["group"]]},
                legend=_legend(None, 3),
            ),
            "tooltip": [
                _tip("label", N, CHARTS["group"]),
                _tip("count", Q, METRICS["volume_responses" if metric == "nps" else "volume_comments"], ","),
                _tip("share", Q, CHARTS["share"], ".1f"),
            ],
        },
    )
    text = _view(
        data,
        _mark("text", color="white", fontSize=FONT + 2, fontWeight="bold"),
        {"x": _field("mid", Q, scale={"domain": [0, 100]}), "text": _field("text", N)},
    )
    return _layered([bars, text], 70)


def nps_split_chart(summary: dict) -> alt.Chart:
    """One horizontal bar: detractors, passives and promoters as shares of NPS answers."""
    return split_chart(summary, "nps")


def _period_axis(granularity: str, periods: int) -> dict:
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
        return {"labelExpr": label, **common}
    return {"format": PERIOD_FORMAT[granularity], **common}


def _period_x(granularity: str, periods: int) -> dict:
    """The time axis: by year, a year axis (a bare year is a year, never 1 January)."""
    axis = _period_axis(granularity, periods)
    if granularity == "year":
        return _field("period", T, timeUnit="year", title=None, axis=axis, scale={"padding": 16})
    return _field("period", T, title=None, axis=axis, scale={"padding": 16})


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
        _field("series", N, title=split, scale={"range": SERIES_PALETTE}, legend=_legend(split, series))
        if split
        else _value(METRIC_COLORS[metric])
    )
    if metric == "volume":
        data["share"] = data["volume_share"]
        tooltip = [
            _tip("period_label", N, CHARTS["period"]),
            _tip("volume", Q, METRICS[f"volume_{basis}"], ","),
            _tip("share", Q, METRICS["volume_share"], ".1f"),
        ]
        if split:
            tooltip.insert(0, _tip(SEGMENT, N, split))
        # Each bar spans its period; series are stacked here (Vega-Lite does not stack ranged bars).
        data["period_end"] = _period_end(data["period"], granularity)
        data = data.sort_values(["period", "series"] if split else ["period"], kind="stable")
        data["top"] = data.groupby("period")["volume"].cumsum()
        data["bottom"] = data["top"] - data["volume"]
        encoding = {
            "x": x,
            "x2": _field("period_end"),
            "y": _field("top", Q, title=metric_title("volume", basis), scale={"zero": True}),
            "y2": _field("bottom"),
            "color": color,
            "tooltip": tooltip,
        }
        mark = _mark("bar", stroke="white", strokeWidth=1)
        return _view(data, mark, encoding, cls=KnownChart, config=_config(), height=320)
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
    scale = {"zero": False, "nice": True}
    if data[metric].isna().all():
        scale["domain"] = list(SCALE[metric])
    y = _field(metric, Q, title=metric_title(metric), scale=scale)
    fmt = _value_format(metric)
    tooltip = [
        _tip("period_label", N, CHARTS["period"]),
        _tip(metric, Q, METRICS[metric], fmt),
        _tip(f"{metric}_low", Q, CHARTS["low"], fmt),
        _tip(f"{metric}_high", Q, CHARTS["high"], fmt),
        _tip("n", Q, "n", ","),
        _tip("status", N, CHARTS["sample"]),
    ]
    if split:
        tooltip.insert(0, _tip(SEGMENT, N, split))
    # One legend: the colour channel's; the points' fill and stroke use the same colours without a legend.
    quiet = (
        _field("series", N, scale={"range": SERIES_PALETTE}, legend=None)
        if split
        else _value(METRIC_COLORS[metric])
    )
    gaps = "break-paths-show-domains"
    interval = {"y": _field(f"{metric}_low", Q), "y2": _field(f"{metric}_high")}
    band = _view(data, _mark("area", opacity=0.15, invalid=gaps), {"x": x, **interval, "color": color})
    line = _view(data, _mark("line", strokeWidth=2.5, invalid=gaps), {"x": x, "y": y, "color": color})
    shown = data[~empty]
    # Each period's interval as a thin rule too: a period between two gaps has no band to show it.
    whiskers = _view(shown, _mark("rule", strokeWidth=1.5, opacity=0.5), {"x": x, **interval, "color": color})
    # Reliable periods: a filled dot in the series colour. Too-small samples: a hollow grey diamond.
    points = _view(
        shown,
        _mark("point", size=110, strokeWidth=2.5, opacity=1),
        {
            "x": x,
            "y": y,
            "stroke": quiet if split else _when("datum.reliable", quiet, _value(BELOW_MIN)),
            "fill": _when("datum.reliable", quiet, _value("white")),
            "shape": _when("datum.reliable", _value("circle"), _value("diamond")),
            "tooltip": tooltip,
        },
    )
    layers = [band, whiskers, line, points]
    if metric == "nps":
        zero = _view(
            pd.DataFrame({"y": [0]}), _mark("rule", color="#666", strokeDash=[4, 4]), {"y": _field("y", Q)}
        )
        layers.insert(0, zero)
    return _layered(layers, 320)


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
    y_axis = {"labelLimit": LABEL_LIMIT, "labelExpr": LINES}
    if metric == "volume":
        data["share"] = data["volume_share"]
        data["text"] = data["share"].map("{:.0f} %".format)
        order = data.sort_values("volume", ascending=False)["label"].tolist()
        y = _field("label", N, sort=order, title=None, axis=y_axis)
        tooltip = [
            _tip(SEGMENT, N, segment),
            _tip("volume", Q, METRICS[f"volume_{basis}"], ","),
            _tip("share", Q, METRICS["volume_share"], ".1f"),
        ]
        bars = _view(
            data,
            _mark("bar", color=METRIC_COLORS["volume"]),
            {"y": y, "x": _field("volume", Q, title=metric_title("volume", basis)), "tooltip": tooltip},
        )
        text = _view(
            data,
            _mark("text", align="left", dx=4, fontSize=FONT - 1),
            {"y": y, "x": _field("volume", Q), "text": _field("text", N)},
        )
        return _layered([bars, text], _step(36))
    data["reliable"] = ~data[f"{metric}_below_min"]
    # Best at the top, worst at the bottom: for the negative share, the highest share is the worst.
    order = data.sort_values(metric, ascending=METRIC_DIRECTION[metric] < 0)["label"].tolist()
    y = _field("label", N, sort=order, title=None, axis=y_axis)
    fmt = _value_format(metric)
    tooltip = [
        _tip(SEGMENT, N, segment),
        _tip(metric, Q, METRICS[metric], fmt),
        _tip(f"{metric}_low", Q, CHARTS["low"], fmt),
        _tip(f"{metric}_high", Q, CHARTS["high"], fmt),
        _tip("n", Q, "n", ","),
    ]
    colour = _when("datum.reliable", _value(METRIC_COLORS[metric]), _value(BELOW_MIN))
    rules = _view(
        data,
        _mark("rule", strokeWidth=3),
        {
            "y": y,
            "x": _field(
                f"{metric}_low",
                Q,
                title=metric_title(metric) + CHARTS["with_interval"],
                scale=_score_axis(metric, data),
                axis={"tickCount": 8},
            ),
            "x2": _field(f"{metric}_high"),
            "color": colour,
            "tooltip": tooltip,
        },
    )
    dots = _view(
        data,
        _mark("point", size=120, filled=True),
        {"y": y, "x": _field(metric, Q), "color": colour, "tooltip": tooltip},
    )
    layers = [rules, dots]
    if overall is not None and not pd.isna(overall):
        ref = pd.DataFrame({"x": [overall]})
        layers.append(_view(ref, _mark("rule", strokeDash=[5, 4], color="#444"), {"x": _field("x", Q)}))
    return _layered(layers, _step(36))


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
    x_axis = {
        "labelAngle": angle,
        "labelAlign": "center" if angle == 0 else "left",
        "labelOverlap": "parity",
        "labelFontSize": FONT - 1 if many <= 12 else FONT - 3,
        "labelLimit": LABEL_LIMIT,
        "orient": "top",
    }
    if metric == "volume":
        colour = _field(
            "volume", Q, title=METRICS[f"volume_{basis}"], scale={"scheme": "blues", "zero": True}
        )
    else:
        centre = overall if overall is not None and not pd.isna(overall) else data[metric].mean()
        centre = sum(SCALE[metric]) / 2 if pd.isna(centre) else float(centre)
        spread = (data.loc[data["reliable"], metric] - centre).abs().max()
        floor = 0.5 if metric == "ces" else 10.0
        spread = floor if pd.isna(spread) else max(floor, float(spread))
        colour = _when(
            "datum.reliable",
            _field(
                metric,
                Q,
                title=metric_title(metric),
                scale={
                    "scheme": "blueorange",
                    "reverse": METRIC_DIRECTION[metric] > 0,  # better is always blue
                    "domain": [centre - spread, centre + spread],
                    "domainMid": centre,
                },
            ),
            _value("#E6E6E6"),
        )
    axes = {
        "x": _field("period_label", ORD, title=None, sort=periods, scale={"domain": periods}, axis=x_axis),
        "y": _field("row_label", N, title=None, axis={"labelLimit": LABEL_LIMIT, "labelExpr": LINES}),
    }
    fmt = _value_format(metric)
    tooltip = [
        _tip(SEGMENT, N, segment),
        _tip("period_label", N, CHARTS["period"]),
        _tip(metric, Q, METRICS[metric], fmt),
    ]
    if metric != "volume":
        tooltip += [
            _tip(f"{metric}_low", Q, CHARTS["low"], fmt),
            _tip(f"{metric}_high", Q, CHARTS["high"], fmt),
        ]
    tooltip.append(_tip("n", Q, "n", ","))
    cells = _view(
        data, _mark("rect", stroke="white", strokeWidth=1), {**axes, "color": colour, "tooltip": tooltip}
    )
    layers = [cells]
    if many <= 16:  # beyond that a cell is too narrow for its number: the tooltip has it
        layers.append(
            _view(
                data,
                _mark("text", fontSize=13 if many <= 8 else 10),
                {
                    **axes,
                    "text": _field("text", N),
                    "color": _when("datum.reliable", _value("black"), _value("#666")),
                },
            )
        )
    lines = int(data["row_label"].str.count("\n").max() + 1) if len(data) else 1
    return _layered(layers, _step(max(32, 16 * lines + 8)))


def theme_trend_chart(table: pd.DataFrame, granularity: str = "month") -> alt.Chart:
    """Share of the period's grouped comments that fall in one theme (a theme growing or fading).

    A period without grouped comments is a gap (null share), not a zero.
    """
    data = table.copy()
    if len(data):
        full = pd.DataFrame({"period": period_range(data["period"], granularity)})
        data = full.merge(data, on="period", how="left")
    data["period_label"] = period_labels(data["period"], granularity)
    mark = _mark(
        "line",
        strokeWidth=2.5,
        color=PROMOTER,
        invalid="break-paths-show-domains",
        point={"size": 60, "color": PROMOTER},
    )
    encoding = {
        "x": _period_x(granularity, data["period"].nunique()),
        "y": _field("share", Q, title=CHARTS["pct_grouped"], scale={"zero": True}),
        "tooltip": [
            _tip("period_label", N, CHARTS["period"]),
            _tip("share", Q, CHARTS["pct_comments"], ".1f"),
            _tip("n_theme", Q, CHARTS["in_theme"], ","),
            _tip("n_all", Q, CHARTS["all_grouped"], ","),
        ],
    }
    return _view(data, mark, encoding, cls=KnownChart, config=_config(), height=240)


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
    encoding = {
        "y": _field(
            "row_label", N, title=None, sort="-x", axis={"labelLimit": LABEL_LIMIT, "labelExpr": LINES}
        ),
        "yOffset": _field("who", N, sort=who),
        "x": _field("share", Q, title=CHARTS["pct_comments"]),
        "color": _field(
            "who", N, scale={"domain": who, "range": [PROMOTER, PASSIVE]}, title=None, legend=_legend(None, 2)
        ),
        "tooltip": [
            _tip(SEGMENT, N, segment),
            _tip("who", N, CHARTS["of"]),
            _tip("share", Q, "%", ".1f"),
            _tip("n_theme", Q, CHARTS["comments_in_theme"], ","),
        ],
    }
    return _view(data, _mark("bar"), encoding, cls=KnownChart, config=_config(), height=_step(14))


def big_text(lines: list[str], size: int = 26, width: int = 70) -> alt.Chart:
    """Lines of large text drawn by Vega (always plain text, never markup), wrapped at `width` characters.

    Used where a file's own words (area names, theme labels, quotes) must read at a distance.
    """
    rows = []
    for i, line in enumerate(lines):
        for j, part in enumerate(textwrap.wrap(line, width) or [""]):
            rows.append({"order": len(rows), "text": part, "first": j == 0, "item": i})
    data = pd.DataFrame(rows, columns=["order", "text", "first", "item"])
    encoding = {
        "y": _field("order", ORD, axis=None),
        "x": _value(4),
        "text": _field("text", N),
        "color": _when("datum.first", _value("#111111"), _value("#333333")),
    }
    mark = _mark("text", align="left", baseline="middle", fontSize=size, limit=0)
    return _view(
        data, mark, encoding, cls=KnownChart, config={"view": {"stroke": None}}, height=_step(int(size * 1.6))
    )
