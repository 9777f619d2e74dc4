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
    generated: dt.datetime | None = None,
) -> str:
    """The report as an HTML string.

    Args:
        cards: (label, value, caption) for the headline metrics.
        charts: (title, SVG markup made by vl-convert from our own chart specs) pairs.
        areas: one sentence per lowest area.
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
    for name, svg in charts:
        parts.append(f"<h2>{escape(name)}</h2><div class='chart'>{svg}</div>")
    parts.append(f"<h2>{escape(REPORT['lowest'])}</h2>")
    if areas:
        parts.append("<ol>" + "".join(f"<li>{escape(s)}</li>" for s in areas) + "</ol>")
    else:
        parts.append(f"<p>{escape(REPORT['none_low'])}</p>")
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


def review_report(
    frame: pd.DataFrame,
    *,
    source: str,
    filter_summary: str,
    min_n: int,
    segments: list[str],
    themes=None,
    title: str | None = None,
) -> str:
    """The review report of `frame` (the filtered rows): headline, monthly trends, lowest areas and the top
    themes with quotes taken from these rows. The app and the CLI both call this.

    Args:
        themes: the ThemeResult the user is looking at (None: the report says themes were not computed).
    """
    from cx.areas import area_sentence, area_table, lowest
    from cx.charts import trend_chart
    from cx.export import chart_svg
    from cx.metrics import metrics_by, summarize
    from cx.strings import METRICS
    from cx.tables import fmt_nps, fmt_pct, interval_caption
    from cx.themes import theme_metrics

    s = summarize(frame, min_n)
    measured = [m for m in ("nps", "csat") if s[f"n_{m}"]]
    cards = [
        (METRICS[m], fmt_nps(s[m]) if m == "nps" else fmt_pct(s[m]), interval_caption(s, m, min_n))
        for m in measured
    ]
    cards += [
        (METRICS["responses"], i18n.number(s["n"]), ""),
        (METRICS["comments"], i18n.number(s["comments"]), ""),
    ]
    dates = frame["date"].dropna()
    period = f"{_day(dates.min())} – {_day(dates.max())}" if not dates.empty else REPORT["no_dates"]
    charts = []
    if not dates.empty:
        table = metrics_by(frame, "month", min_n)
        for m in measured:
            chart = trend_chart(table, m, "month", min_n).properties(width=640)
            charts.append((REPORT["by_month"].format(metric=METRICS[m]), chart_svg(chart).decode("utf-8")))
    sentences = []
    if segments:
        for m in measured:
            sentences += [
                area_sentence(r, m) for _, r in lowest(area_table(frame, segments, m, 2, min_n)).iterrows()
            ]
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
    )
