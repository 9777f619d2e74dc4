"""What changed: two periods, the sentence, where the change came from, theme shares, drivers, alerts."""

import streamlit as st

from cx import i18n
from cx.alerts import alerts_table
from cx.app import caches, widgets
from cx.app.state import setting
from cx.changes import (
    METRIC_NAMES,
    PERIOD_KINDS,
    available_periods,
    compare,
    default_periods,
    drivers_table,
    has_metric,
    metric_name,
    theme_long_table,
    theme_quotes,
    themes_table,
)
from cx.churn import churn_by_group, churn_sentence, churn_table
from cx.drivers import quadrant_chart
from cx.io import InputError
from cx.strings import CHANGES, UI

ctx = widgets.page_header(UI["page_changes"])
if ctx is not None:
    frame = ctx.frame
    if not frame["date"].notna().any():
        st.info(UI["no_dates"])
        widgets.end_page()
    metrics = [m for m in METRIC_NAMES if has_metric(frame, m)]
    if not metrics:
        st.info(UI["changes_no_metric"])
        widgets.end_page()
    c1, c2, c3, c4 = st.columns([2, 3, 2, 2])
    metric = setting(c1.selectbox, UI["metric"], "changes.metric", metrics, format_func=metric_name)
    kind = setting(
        c2.segmented_control,
        UI["changes_kind"],
        "changes.kind",
        PERIOD_KINDS,
        "month",
        format_func=lambda k: UI[f"changes_kind_{k}"],
    )
    periods = {p.label: p for p in available_periods(frame, kind)}
    labels = list(periods)
    if len(labels) < 2:
        st.info(UI["changes_one_period"])
        widgets.end_page()
    first, last = labels[-2], labels[-1]
    if kind == "month":
        first, last = (p.label for p in default_periods(frame))
    before = setting(
        c3.selectbox, UI["changes_before"], "changes.from", labels, first if first in labels else labels[-2]
    )
    after = setting(
        c4.selectbox, UI["changes_after"], "changes.to", labels, last if last in labels else labels[-1]
    )
    themes = caches.current_themes(ctx)
    assignments = None if themes is None else theme_long_table(themes)
    segments = widgets.segment_columns(frame)
    try:
        result = compare(
            frame, periods[before], periods[after], metric, segments, assignments, min_n=ctx.min_n
        )
    except InputError as exc:
        st.info(str(exc))
        widgets.end_page()
    st.text(result.sentence)  # segment values and theme labels are the file's words: plain text

    cols = st.columns(3)
    for col, label, side in ((cols[0], before, result.before), (cols[1], after, result.after)):
        col.metric(f"{metric_name(metric)} · {label}", i18n.number(side["value"], 1), border=True)
        low, high = side["ci"]
        caption = UI["changes_interval"].format(low=low or 0, high=high or 0, n=side["n"])
        if side["n"] < ctx.min_n:
            caption += UI["changes_below_min"].format(min_n=ctx.min_n)
        col.caption(caption)
    low, high = result.change_ci
    cols[2].metric(UI["changes_change"], i18n.number(result.change, 1, sign=True), border=True)
    cols[2].caption(
        UI["changes_change_caption"].format(
            low=low, high=high, verdict=UI["changes_sig"] if result.significant else UI["changes_not_sig"]
        )
    )

    st.subheader(UI["changes_parts"])
    st.caption(UI["changes_parts_help"].format(min_n=ctx.min_n, boot=result.n_boot))
    parts = drivers_table(result, rows=10)
    st.dataframe(parts, hide_index=True, width="stretch")
    widgets.table_download(drivers_table(result), f"what_changed_{metric}_{before}_{after}")

    st.subheader(UI["changes_themes"])
    if themes is None:
        widgets.page_link("themes", UI["overview_themes_link"])
    elif result.themes.empty:
        st.info(UI["changes_no_theme_comments"])
    else:
        st.dataframe(themes_table(result), hide_index=True, width="stretch")
        for row in result.themes[result.themes["new"]].itertuples():
            with st.expander(UI["changes_new_quotes"].format(label=row.label, n=row.n_after)):
                for quote in theme_quotes(frame, assignments, row.theme_id, periods[after].mask(frame)):
                    st.text("“" + quote + "”")

    st.subheader(UI["changes_drivers"])
    drivers = caches.drivers(ctx, metric, assignments)
    if isinstance(drivers, str):
        st.info(drivers)  # why there are none, in a plain sentence
    else:
        st.caption(UI["changes_drivers_help"].format(r2=drivers.r2, n=drivers.n))
        for note in drivers.notes:
            st.caption(widgets.md_escape(note))
        columns = ["driver", "kind", "importance", "low", "high", "score"]
        shown = drivers.table[columns].round(1)
        shown["kind"] = shown["kind"].map(lambda k: CHANGES.get(f"kind_{k}", k))
        shown = shown.rename(columns={c: CHANGES[c] for c in columns})
        left, right = st.columns(2)
        left.dataframe(shown, hide_index=True, width="stretch")
        chart = quadrant_chart(drivers.table) if drivers.table["score"].notna().sum() >= 3 else None
        if chart is not None:
            with right:
                widgets.show_chart(chart, f"drivers_{metric}")

    st.subheader(UI["changes_alerts"])
    alerts = caches.alerts(ctx, "week" if kind == "week" else "month", metric, assignments)
    st.caption(alerts.describe())
    if alerts.alerts.empty:
        st.text(UI["changes_no_alerts"])
    else:
        st.dataframe(alerts_table(alerts), hide_index=True, width="stretch")

    if has_metric(frame, "churn") and frame["nps"].notna().any():
        st.subheader(UI["changes_churn"])
        st.caption(UI["changes_churn_definition"])
        by_group, gap = churn_by_group(frame)
        st.text(churn_sentence(gap, by_group))
        st.dataframe(churn_table(by_group), hide_index=True, width="stretch")
