"""The one-click review report: one self-contained HTML file (inline CSS and SVG charts, no scripts).

Every value that comes from the file (segment values, theme labels, quotes, the filter summary) is
escaped: the report shows text, never markup. It prints well (A4, page breaks between sections).
"""

from __future__ import annotations

import datetime as dt
from html import escape

import pandas as pd

from cx import i18n
from cx.strings import REPORT

CSS = """
body { font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; color: #1a1a1a; margin: 2.2em auto;
       max-width: 60em; padding: 0 1.5em; line-height: 1.45; }
h1 { font-size: 2.1em; margin-bottom: 0.1em; } h2 { margin-top: 1.6em; border-bottom: 2px solid #0072B2; }
.meta { color: #555; } .cards { display: flex; gap: 1em; flex-wrap: wrap; }
.card { border: 1px solid #ccc; border-radius: 8px; padding: 0.8em 1.2em; min-width: 11em; }
.card .v { font-size: 2.4em; font-weight: 600; } .card .l { color: #555; } .card .s { color: #555; font-size: 0.9em; }
ol li { margin-bottom: 0.5em; } blockquote { margin: 0.3em 0 0.8em 1em; color: #333; border-left: 3px solid #B8B8B8;
  padding-left: 0.8em; } table { border-collapse: collapse; } td, th { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd;
  text-align: left; } .chart svg { max-width: 100%; height: auto; }
@media print { body { margin: 0; max-width: none; } h2 { break-before: auto; } .chart, .card, li { break-inside: avoid; } }
@page { size: A4; margin: 16mm; }
"""


def _day(value: pd.Timestamp) -> str:
    """01 Mar 2025 in English (as always), 1 mar 2025 in Spanish."""
    return f"{value:%d %b %Y}" if i18n.language() == i18n.DEFAULT else i18n.short_date(value.date())


def card(label: str, value: str, sub: str) -> str:
    return f'<div class="card"><div class="l">{escape(label)}</div><div class="v">{escape(value)}</div><div class="s">{escape(sub)}</div></div>'


def build_report(
    *,
    title: str,
    source: str,
    filter_summary: str,
    period: str,
    cards: list[tuple[str, str, str]],
    charts: list[tuple[str, str]],
    areas: list[str],
    themes: pd.DataFrame | None,
    notes: list[str] | None = None,
    areas_note: str | None = None,
    changes: dict | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """The report as an HTML string.

    Args:
        cards: (label, value, caption) for the headline metrics.
        charts: (title, SVG markup made by vl-convert from our own chart specs) pairs.
        areas: one sentence per lowest area.
        notes: plain lines under the headline cards (where the sentiment comes from).
        areas_note: why there is no lowest area, in words true for this file (shown when `areas` is empty).
        changes: the "What changed" section: {"message"} when there is no comparison, else {"sentence",
            "header", "rows" (the two periods and the change), "parts" (one line each)}; None: no section.
        themes: top themes with `label`, `n`, `share` and `quotes` (None: not computed).
    """
    generated = generated or dt.datetime.now()
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{i18n.language()}"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        '<p class="meta">'
        + REPORT["meta"].format(
            source=escape(source),
            period=escape(period),
            filter=escape(filter_summary),
            generated=f"{generated:%Y-%m-%d %H:%M}",
        )
        + "</p>",
        f"<h2>{escape(REPORT['headline'])}</h2>",
        '<div class="cards">' + "".join(card(*c) for c in cards) + "</div>",
    ]
    parts += [f'<p class="meta">{escape(line)}</p>' for line in notes or []]
    if changes is not None:
        parts.append(_changes_html(changes))
    for name, svg in charts:
        parts.append(f"<h2>{escape(name)}</h2><div class='chart'>{svg}</div>")
    parts.append(f"<h2>{escape(REPORT['lowest'])}</h2>")
    if areas:
        parts.append("<ol>" + "".join(f"<li>{escape(s)}</li>" for s in areas) + "</ol>")
    else:
        parts.append(f"<p>{escape(areas_note or REPORT['none_low'])}</p>")
    parts.append(f"<h2>{escape(REPORT['themes'])}</h2>")
    if themes is None or themes.empty:
        parts.append(f"<p>{escape(REPORT['no_themes'])}</p>")
    else:
        items = []
        for _, theme in themes.iterrows():
            quotes = "".join(f"<blockquote>“{escape(q)}”</blockquote>" for q in theme["quotes"][:2])
            items.append(
                f"<li><strong>{escape(str(theme['label']))}</strong> — "
                f"{escape(REPORT['theme_size'].format(n=int(theme['n'])))} "
                f"({escape(i18n.percent(100 * theme['share']))}){quotes}</li>"
            )
        parts.append("<ol>" + "".join(items) + "</ol>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _changes_html(changes: dict) -> str:
    from cx.strings import UI

    out = [f"<h2>{escape(UI['report_changes'])}</h2>"]
    if changes.get("message"):
        return out[0] + f"<p>{escape(changes['message'])}</p>"
    out.append(f"<p><strong>{escape(changes['sentence'])}</strong></p>")
    head = "".join(f"<th>{escape(h)}</th>" for h in changes["header"])
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in changes["rows"]
    )
    out.append(f"<table><tr>{head}</tr>{body}</table>")
    if changes["parts"]:
        out.append(f"<p>{escape(UI['report_changes_parts'])}</p>")
        out.append("<ol>" + "".join(f"<li>{escape(line)}</li>" for line in changes["parts"]) + "</ol>")
    else:
        out.append(f"<p>{escape(UI['report_changes_no_parts'])}</p>")
    return "".join(out)


def changes_section(
    frame: pd.DataFrame, segments: list[str], themes, min_n: int, sentiment_source: str | None = None
) -> dict:
    """The report's "What changed": the page's default comparison (last complete month against the one
    before, on the file's first metric) as the sentence, the two periods with n and interval, top parts."""
    from cx.changes import METRIC_NAMES, latest_change, part_lines, period_rows, theme_long_table
    from cx.strings import UI
    from cx.tables import metric_label

    assignments = theme_long_table(themes) if themes is not None else None
    result = latest_change(frame, segments, assignments, min_n)
    if isinstance(result, str):
        return {"message": result}
    name = metric_label("sentiment", sentiment_source) if result.metric == "sentiment" else None
    header = [
        UI["report_changes_period"],
        name or METRIC_NAMES[result.metric],
        UI["report_changes_interval"],
        "n",
    ]
    return {
        "sentence": result.sentence,
        "header": header,
        "rows": period_rows(result),
        "parts": part_lines(result, rows=3),
    }


def review_report(
    frame: pd.DataFrame,
    *,
    source: str,
    filter_summary: str,
    min_n: int,
    segments: list[str],
    themes=None,
    sentiment_source: str | None = None,
    title: str | None = None,
) -> str:
    """The review report of `frame` (the filtered rows): headline, what changed, monthly trends, lowest areas
    and the top themes with quotes taken from these rows. The app and the CLI both call this.

    It shows the metrics the file has: NPS, CSAT, CES and the share of negative comments (named "likely
    negative" when estimated, with its source), each with its interval and n; responses and comments; a
    trend per metric (comments per month when the file has no score and no sentiment); the lowest areas on
    every metric that ranks areas, or why there are none.

    Args:
        themes: the ThemeResult the user is looking at (None: the report says themes were not computed).
        sentiment_source: `Dataset.sentiment_source` ("column X", "estimated" or None).
    """
    from cx.areas import AREA_METRICS, area_sentence, area_table, areas_message, lowest
    from cx.charts import trend_chart
    from cx.export import chart_svg
    from cx.metrics import available_metrics, metrics_by, summarize
    from cx.strings import METRICS, UI
    from cx.tables import fmt_metric, fmt_pct, interval_caption, metric_label, sentiment_source_lines
    from cx.themes import theme_metrics

    s = summarize(frame, min_n)
    available = available_metrics(frame)
    measured = [m for m in available if m in AREA_METRICS]
    cards = [
        (
            metric_label(m, sentiment_source),
            fmt_pct(s[m]) if m == "sentiment" else fmt_metric(s[m], m),
            interval_caption(s, m, min_n),
        )
        for m in measured
    ]
    cards += [
        (METRICS["responses"], i18n.number(s["n"]), ""),
        (METRICS["comments"], i18n.number(s["comments"]), ""),
    ]
    notes = sentiment_source_lines(sentiment_source) if "sentiment" in measured else []
    dates = frame["date"].dropna()
    period = f"{_day(dates.min())} – {_day(dates.max())}" if not dates.empty else REPORT["no_dates"]
    charts = []
    if not dates.empty:
        table = metrics_by(frame, "month", min_n)
        for m in measured or (["volume"] if "volume" in available else []):
            chart = trend_chart(table, m, "month", min_n).properties(width=640)
            name = (
                UI["report_volume_by_month"].format(basis=s["volume_basis"].capitalize())
                if m == "volume"
                else None
            )
            name = name or REPORT["by_month"].format(metric=metric_label(m, sentiment_source))
            charts.append((name, chart_svg(chart).decode("utf-8")))
    sentences, tables = [], {}
    likely = "estimated" in (sentiment_source or "")  # the model's estimate is never presented as a fact
    if segments:
        for m in measured:
            tables[m] = area_table(frame, segments, m, 2, min_n)
            sentences += [area_sentence(r, m, likely) for _, r in lowest(tables[m]).iterrows()]
    areas_note = None
    if not sentences:  # why not, in words true for this file (never "below on NPS" for a file without NPS)
        first = measured[0] if measured else "nps"
        areas_note = areas_message(frame, first, segments, tables.get(first), min_n)
    top = theme_metrics(frame, themes, min_n).head(5) if themes is not None else None
    return build_report(
        title=title or REPORT["title"],
        source=source,
        filter_summary=filter_summary,
        period=period,
        cards=cards,
        charts=charts,
        areas=sentences,
        themes=top,
        notes=notes,
        areas_note=areas_note,
        changes=changes_section(frame, segments, themes, min_n, sentiment_source),
    )
