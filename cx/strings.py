"""Every user-facing string, in one place, so a Spanish interface is one table away.

Metric names and their explanations read the same on every page, in the CLI and in exports.
The English text here is the source; cx/locales/<lang>.json translates it (cx/i18n.py): every UPPER-CASE
dict below answers in the language of the run, key by key, English where a translation lacks the key.
"""

from __future__ import annotations

import sys

from cx.i18n import wrap_module

wrap_module(sys.modules[__name__])

# Whole-file problems: one plain sentence that says what is wrong and what to do.
ERRORS = {
    "empty_file": "{name} is empty: export the survey again and upload the file that has the responses.",
    "header_only": "{name} has a header row but no responses: export it again with the data rows included.",
    "no_rows": "{name} has no data rows: check that you exported the responses, not just the column list.",
    "binary": "{name} is not a text table: upload a CSV, TSV, Excel (.xlsx), Parquet or JSON export.",
    "html": "{name} is a web page (HTML), not a survey export: download the export file itself (CSV or "
    "Excel) from your survey tool.",
    "old_excel": "{name} is an old Excel .xls workbook: save it as .xlsx or CSV and upload that.",
    "bad_excel": "{name} could not be opened as an Excel workbook: save it again as .xlsx or CSV.",
    "no_sheet": "{name} has no sheet called '{sheet}': choose one of {sheets}.",
    "bad_parquet": "{name} could not be read as Parquet: export it again or upload a CSV instead.",
    "bad_json": '{name} is not a list of records in JSON: upload a CSV, or JSON like [{{"nps": 9, ...}}].',
    "unreadable": "{name} could not be opened ({why}).",
    "missing_column": "These columns are not in the file: {columns}. Check the column mapping.",
    "no_measure": "No score or comment column was found: mark the NPS, CSAT or comment column in Data & columns.",
    "bad_scale": "CSAT scale {scale} is not supported: use 1-5, 1-7, 1-10 or 0-10.",
    "too_big": "{name} is larger than the {limit} MB upload limit: filter the export or split it.",
    "unexpected": "{name} could not be read: {why}. Try saving it again as UTF-8 CSV.",
    "bad_header_row": "{name}: header row {row} is not a row number; rows are counted from 1.",
    "no_header_row": "{name} has no row {row} with values to use as the header: choose another header row.",
}

# Reasons a row is not kept, and notes about decisions taken on the user's behalf.
REASONS = {
    "empty_row": "empty row",
    "duplicate_id": "duplicate response_id",
    "no_measure": "no valid score or comment",
    "extra_fields": "more fields than the header",
    "totals_row": "totals or average row, not a response",
    "not_answered": "survey offered but not answered",
    "dayfirst_assumed": "Dates such as 03/04/2025 could be read either way; they were read day-first "
    "(3 April). Switch to month-first in Data & columns if that is wrong.",
}

# What the reader and the role detection decided, in sentences for the Data page and `inspect`.
NOTES = {
    "row_title": "a title above the table",
    "row_import_ids": "Qualtrics import ids",
    "row_sub_answers": "answer labels under each question (SurveyMonkey)",
    "row_questions": "the question text of each column",
    "header_found": "The header is row {row}; rows {rows} are not responses ({kinds}). Choose another header "
    "row in Data & columns (or --header-row) if that is wrong.",
    "header_found_one": "The header is row {row}; row {rows} is not a response ({kinds}). Choose another "
    "header row in Data & columns (or --header-row) if that is wrong.",
    "sheet_chosen": "Sheet '{sheet}' was read: it has the most filled rows ({n:,}); the other sheets "
    "({others}) look like notes or summaries. Choose another sheet in Data & columns (or --sheet).",
    "merged_filled": "Merged cells in {columns} were filled down: each row gets the value of its merged block.",
    "year_only": "{n:,} dates are a year only (such as 2021): they count in yearly figures but are kept out of "
    "daily, weekly, monthly and quarterly trends.",
    "two_point_csat": "{column} is a two-point answer (good / bad): CSAT is the share of good answers.",
    "nps_group_ignored": "{columns} hold the tool's own promoter/passive/detractor codes; NPS is computed from "
    "the 0–10 answers instead.",
    "sentiment_complaints": "This file has no NPS or CSAT: complaints are the comments whose sentiment "
    "(column {column}) is negative.",
    "sentiment_estimated": "This file has no NPS, CSAT or sentiment column: the bundled model estimated the "
    "sentiment of {total:,} comments and calls {n:,} likely negative; those are its complaints. An "
    "estimate, not a label from the file.",
    "sentiment_not_estimated": "Sentiment could not be estimated ({reason}): every comment counts as a "
    "complaint.",
}

# Table headers and the number phrases of cx/tables.py (what a reader sees above a column or under a number).
TABLES = {
    "interval_nps": "95 % interval {low} to {high} · n = {n}",
    "interval_csat": "95 % interval {low}–{high} % · n = {n} · mean {mean}",
    "interval_sentiment": "95 % interval {low:.0f}–{high:.0f} % · n = {n:,} comments with a known sentiment",
    "interval_ces": "95 % interval {low:.1f}–{high:.1f}",
    "ces_no_interval": "no interval from one answer",
    "ces_caption": "{spread} · n = {n:,} · {easy:.0f} % easy (5–7)",
    "volume_responses": "{n:,} responses · no comments in this file",
    "volume_comments": "{comments:,} comments in {n:,} responses",
    "negative_value": "{value:.0f} % negative",
    "pct_negative": "% negative",
    "easy_share": "% easy (5–7)",
    "responses": "responses",
    "period": "period",
    "low": "95 % low",
    "high": "95 % high",
    "mean_score": "mean score",
    "sample": "sample",
    "row": "row",
    "theme": "theme",
    "label": "label",
    "comments": "comments",
    "share": "share",
    "nps_impact": "NPS impact",
    "csat_impact": "CSAT impact",
    "quote": "quote",
    "area": "area",
    "rest": "rest {metric}",
    "gap": "gap",
    "impact": "impact",
    "significant": "significant",
    "explained_by": "explained by",
    "yes": "yes",
    "no": "no",
    "reason": "reason",
    "rows": "rows",
    "column": "column",
    "values": "values",
    "quote_label": "representative comment",
}

# The column-role editor of the Data page (cx/app/roles.py).
ROLES = {
    "id": "Response id",
    "date": "Date",
    "nps": "NPS (0–10)",
    "csat": "CSAT",
    "ces": "CES (effort)",
    "sentiment": "Sentiment (neg / neu / pos)",
    "churned": "Churned (left / stayed, or a cancellation date)",
    "csat_scale": "CSAT scale",
    "dates": "Dates",
    "dates_auto": "auto",
    "dates_day": "day-first (22/10/2016)",
    "dates_month": "month-first (10/22/2016)",
    "text": "Comment columns",
    "segments": "Segment columns",
    "reset": "Reset to detected roles",
    "delimiter": "delimiter {delimiter}",
    "tab": "tab",
    "space": "space",
    "sheet": "sheet {sheet}",
    "header_on": "header on row {row}",
}

# The review report (cx/report.py).
REPORT = {
    "title": "CX Lens review",
    "meta": "Data: {source} · Period: {period} · Filter: {filter} · Generated {generated}",
    "headline": "Headline",
    "lowest": "Lowest areas",
    "none_low": "No area is significantly below the rest.",
    "themes": "Top complaint themes",
    "no_themes": "Themes were not computed for this view (open the Themes page first).",
    "theme_size": "{n:,} comments",
    "no_dates": "no dates",
    "by_month": "{metric} by month",
}

METRICS = {
    "nps": "NPS",
    "csat": "CSAT",
    "nps_help": "Net Promoter Score: % promoters (9–10) minus % detractors (0–6) among those who answered "
    "the 0–10 recommendation question. Range −100 to +100. The interval is 95 %.",
    "csat_help": "Customer satisfaction: % of answers in the top two boxes of the scale (4–5 on 1–5), "
    "with a Wilson 95 % interval. The mean score is shown beside it.",
    "responses": "Responses",
    "comments": "Comments",
    "responses_help": "Rows kept after import that pass the current filter.",
    "comments_help": "Responses with a non-empty comment.",
    "promoter": "Promoters (9–10)",
    "passive": "Passives (7–8)",
    "detractor": "Detractors (0–6)",
    "below_min": "n < {min_n}: too few responses to rely on",
    "no_data": "no answers",
    # Metrics for files with or without scores (cx/metrics.py METRIC_ORDER).
    "ces": "CES",
    "ces_help": 'Customer effort score (CES 2.0): the mean answer on 1–7 to "the company made it easy to handle '
    'my issue", higher is easier, with a Student-t 95 % interval. The share answering 5–7 (easy) is shown '
    "beside it.",
    "sentiment": "Negative comments",
    "sentiment_help": "% of comments whose sentiment is negative, among comments with a known sentiment, with a "
    "Wilson 95 % interval. Lower is better.",
    "sentiment_axis": "% negative comments",
    "volume": "Volume",
    "volume_help": "How many comments there are (or responses, in a file without comments), and each group's "
    "share of them. A count: it has no interval and no better or worse.",
    "volume_comments": "Comments",
    "volume_responses": "Responses",
    "volume_share": "% of all",
    "sentiment_likely": "Likely negative comments",
}

UI = {
    "app_title": "CX Lens",
    "language": "Language",
    "choose_options": "Choose options",
    "theme_size": "{n:,} comments · {share:.0f} % of complaints",
    "theme_line": "{label} — {n:,} comments",
    "share": "Share",
    "themes_scope_complaints": "complaint",
    "themes_scope_all": "comment",
    "sep_comma": "comma",
    "sep_semicolon": "semicolon",
    "page_overview": "Overview",
    "page_trends": "Trends",
    "page_segments": "Segments",
    "page_data": "Data & columns",
    "source": "Data",
    "upload": "Upload survey exports",
    "upload_help": "CSV/TSV (any delimiter or encoding), Excel .xlsx, Parquet or JSON. Several files: "
    "a survey export and a comments file are joined on a shared id, or stacked as extra feedback.",
    "using_sample": "Showing the bundled sample data. Upload your own export in the sidebar.",
    "using_upload": "Showing {names}.",
    "filters": "Filters",
    "date_range": "Date range",
    "nps_group": "NPS group",
    "min_n": "Minimum sample (n)",
    "min_n_help": "Values from fewer responses are greyed and never ranked.",
    "filter_count": "{n:,} of {total:,} responses match the filters.",
    "filter_summary": "Filter: {summary}.",
    "rows_not_kept": "{n:,} rows of the file were not kept (see Data & columns).",
    "sample_small": "too few",
    "trend_legend": "Shaded band: 95 % interval. Hollow grey diamonds: fewer than {min_n} answers, too few "
    "to rely on.",
    "segment_legend": "Dot: score; bar: 95 % interval; dashed line: overall {metric} {overall}. Grey: fewer "
    "than {min_n} answers.",
    "heatmap_legend": "Blue: better than the overall {metric} ({overall}); vermillion: worse. Grey cells: "
    "fewer than {min_n} answers (their n is shown).",
    "nothing_rejected": "No rows were rejected: every data row of the file is in the analysis.",
    "nothing_invalid": "Every value was understood.",
    "theme_filter": "Theme filter: {label}",
    "clear_theme_filter": "Clear theme filter",
    "page_themes": "Themes",
    "themes_scope": "Group",
    "scope_complaints": "Complaints",
    "scope_all": "All comments",
    "themes_k": "Number of themes",
    "themes_auto": "Automatic",
    "themes_model": "Model",
    "themes_model_help": "auto: the English model (MiniLM) when nearly all comments are English, the "
    "multilingual one otherwise. Or the path of a sentence-transformers model on this computer.",
    "themes_other_model": "Use another model",
    "themes_custom_model": "Path of a sentence-transformers model on this computer (nothing is downloaded)",
    "themes_progress": "Embedding comments: {done:,} of {total:,}",
    "themes_summary": "{n:,} comments grouped into {k} themes by {model}. {reason} Languages: {languages}.",
    "themes_filtered": "Themes are found on every {scope} of the file, so they stay the same when you filter; "
    "the table counts the {n:,} comments that match the current filter.",
    "themes_table_help": "Click a row to read that theme's comments.",
    "theme_title": "Theme {id}",
    "theme_quotes": "Representative comments (nearest the theme's centre)",
    "theme_trend": "Share of grouped comments over time",
    "theme_mix": "Split by",
    "theme_filter_button": "Filter the whole app to this theme",
    "theme_comments": "All {n:,} comments in this theme",
    "themes_failed": "Themes could not be computed: {message}",
    "themes_none": "No grouped comment matches the current filter.",
    "overview_themes": "Top complaint themes",
    "overview_themes_link": "Find what people complain about (Themes)",
    "page_areas": "Lowest areas",
    "page_changes": "What changed",
    "changes_no_metric": "This file has no score, sentiment or churn answers to compare between periods.",
    "changes_one_period": "The data covers only one period of this kind: pick a shorter one (week) to compare.",
    "changes_kind": "Periods",
    "changes_kind_month": "Month",
    "changes_kind_quarter": "Quarter",
    "changes_kind_week": "Week",
    "changes_before": "Before",
    "changes_after": "After",
    "changes_interval": "95 % interval {low:.1f} to {high:.1f} · n = {n:,}",
    "changes_below_min": " · under the minimum sample of {min_n}",
    "changes_change": "Change",
    "changes_change_caption": "95 % interval {low:+.1f} to {high:+.1f} · {verdict}",
    "changes_sig": "significant",
    "changes_not_sig": "not significant",
    "changes_parts": "Where it came from",
    "changes_parts_help": "For every segment value: its share of answers changed (share of answers) or its own "
    "score changed (own score); the parts of one segment column add up to the change. The parts that moved it the way it went come "
    "first; "
    "95 % intervals from {boot} bootstrap resamples; values under {min_n} answers are never ranked.",
    "changes_themes": "Complaint themes before and after",
    "changes_no_theme_comments": "No themed comments in one of the two periods.",
    "changes_new_quotes": "New theme: {label} ({n} comments): what people say",
    "changes_drivers": "Key drivers",
    "changes_drivers_help": "Share of the explained variance (R² = {r2:.2f}, n = {n:,}) by relative weights, "
    "robust to correlated questions; 95 % bootstrap intervals. Fix first: important and scoring low.",
    "changes_alerts": "Alerts",
    "changes_no_alerts": "No alerts: nothing moved beyond its own history.",
    "changes_churn": "Churn by NPS group",
    "changes_churn_definition": "Churn = share of respondents who left (Wilson 95 % interval); from customer "
    "counts, (customers at start − customers at end) / customers at start (500 → 450: 10 %).",
    "areas_depth": "Areas",
    "areas_depth_1": "Single segments",
    "areas_depth_2": "Segments and pairs",
    "areas_none_low": "No area is significantly below the rest on {metric} (after correcting for the number "
    "of areas compared).",
    "areas_ranking": "Ranking by impact",
    "areas_ranking_help": "Impact: the overall score minus the score of everything except the area; negative "
    "means the area pulls the total down. Gap: the area's score minus the rest's. Significant: the gap "
    "survives a Benjamini–Hochberg correction across all areas compared (5 %). Areas with fewer than {min_n} "
    "answers are listed apart. Click a row to see why.",
    "areas_explained": "{n} areas explained by an area inside them (their gap disappears without it)",
    "areas_small": "{n} areas with fewer than {min_n} answers (not ranked)",
    "areas_drill": "Why is this area low?",
    "areas_trend": "Over time, against the rest",
    "areas_rest": "the rest",
    "areas_themes": "Complaint themes here compared with the rest",
    "areas_comments": "Comments from this area ({n:,})",
    "area_below": "{label}: {name} {value}{unit} (±{half:.0f}, n = {n:,}), {gap:.0f} {points} below the rest; it pulls the overall {name} down by {impact:.1f} {points}.",
    "area_above": "{label}: {name} {value}{unit} (±{half:.0f}, n = {n:,}), {gap:.0f} {points} above the rest; it pulls the overall {name} up by {impact:.1f} {points}.",
    "area_negative_above": "{label}: {value:.0f} % negative comments (±{half:.0f}, n = {n:,}), {gap:.0f} percentage points above the rest; it pushes the overall share of negative comments up by {impact:.1f} percentage points.",
    "area_negative_below": "{label}: {value:.0f} % negative comments (±{half:.0f}, n = {n:,}), {gap:.0f} percentage points below the rest; it pushes the overall share of negative comments down by {impact:.1f} percentage points.",
    "area_ces_below": "{label}: CES {value:.1f} ({spread}, n = {n:,}), {gap:.1f} points below the rest; it pulls the overall CES down by {impact:.2f} points.",
    "area_ces_above": "{label}: CES {value:.1f} ({spread}, n = {n:,}), {gap:.1f} points above the rest; it pulls the overall CES up by {impact:.2f} points.",
    "area_spread": "±{half:.1f}",
    "area_no_interval": "no interval",
    "points": "points",
    "percentage_points": "percentage points",
    "themes_order": "Order by",
    "themes_order_size": "Size",
    "themes_order_nps_impact": "Impact on NPS",
    "themes_order_csat_impact": "Impact on CSAT",
    "overview_areas": "Lowest areas",
    "overview_areas_link": "Full ranking and why (Lowest areas)",
    "csat_values": "CSAT answer",
    "keyword": "Comments containing",
    "keyword_help": "A word or phrase; case and accents are ignored (envio finds envío).",
    "download_chart": "Download chart",
    "download_table": "Download table (CSV)",
    "page_export": "Export & report",
    "export_rows": "Filtered responses",
    "export_rows_help": "Every original column plus nps_group, csat_satisfied, is_complaint, language, theme_id and "
    "theme_label; exactly the {n:,} responses that match the filters. Cells that a spreadsheet would run as a "
    "formula are neutralised.",
    "export_sep": "CSV separator",
    "export_mask": "Mask personal data (emails, phone numbers, cards, IBANs) in text columns",
    "export_csv": "Download CSV",
    "export_xlsx": "Download Excel (.xlsx)",
    "export_xlsx_help": "Sheets: responses, overall, by segment, lowest areas, themes.",
    "export_no_themes": "theme_id and theme_label are empty until themes are computed on the Themes page.",
    "report_title": "Review report",
    "report_help": "One self-contained HTML file: filter, period, headline metrics with intervals, trend, lowest "
    "areas, top themes with quotes. Open it in a browser; print it to PDF from there.",
    "report_download": "Download report (HTML)",
    "page_present": "Present",
    "present_open": "Open presentation mode (same view, no controls)",
    "present_slide": "Slide",
    "present_slides": ["Headline", "Trend", "Lowest areas", "Complaint themes"],
    "present_exit": "Leave presentation mode",
    "reading": "Reading {name} ({size:.1f} MB)…",
    "understanding": "Checking {rows:,} rows of {name}: dates, scores, duplicates…",
    "filter_none": "No responses match the filters: widen them in the sidebar.",
    "reset_filters": "Clear filters",
    "sheet": "Sheet of {name}",
    "granularity": "Period",
    "split_by": "Split by segment",
    "none": "(none)",
    "segment_column": "Segment",
    "metric": "Metric",
    "no_nps": "This file has no NPS column.",
    "no_csat": "This file has no CSAT column.",
    "no_dates": "This file has no date column, so there is no trend. Map one in Data & columns.",
    "no_segments": "No segment columns: mark region, channel, product… as segments in Data & columns.",
    "trend_title": "Trend by month",
    "split_title": "Promoters, passives and detractors",
    "sentiment_split_title": "Negative, neutral and positive comments",
    "heatmap_title": "{metric} by {segment} over time",
    "quality_title": "Data quality",
    "roles_title": "Column roles",
    "roles_help": "Detected from the headers and the values. Correct any of them; the whole app follows.",
    "download_report": "Download rejected rows (CSV)",
    "kept_preview": "Kept rows (first 500, as the app reads them; a value not understood is left empty)",
    "rows_read": "Rows read",
    "rows_kept": "Rows kept",
    "rows_rejected": "Rows rejected",
    "invalid_values": "Values not understood",
    "rejected_reasons": "Rejected rows by reason",
    "page_failed": "Something went wrong while drawing this page. Your data is safe; try another page or "
    "clear the filters. If it happens again, report it with the file's shape (not its content).",
    "load_failed": "This upload could not be used. {message}",
    "files_joined": "{left} and {right} were joined on {key}: {matched:,} of {total:,} comments matched a "
    "survey response; {unmatched:,} unmatched comments were added as extra feedback.",
    "files_stacked": "{right} has no id shared with {left}, so its {n:,} rows were added as extra feedback "
    "(column 'source' tells them apart).",
    "no_ces": "This file has no CES column.",
    "no_sentiment": "No comment has a known sentiment (no sentiment column, and none estimated).",
    "no_volume": "No responses match the filters.",
    "metric_absent": "This file has no {metric} answers, so nothing can be shown on {metric}.",
    "sentiment_source_column": "Sentiment from column {column}.",
    "sentiment_source_estimated": "Sentiment estimated by the bundled model from the comments' words: read "
    'the share as "likely negative", not as a fact.',
    "segment_legend_volume": "Bars: {basis} of each value, with its share of all {basis}.",
    "heatmap_legend_volume": "Darker: more {basis}. Empty cells: none in that period.",
    "trend_legend_volume": "Bars: {basis} per period; a period without any has no bar.",
    "areas_volume": "Lowest areas rank a score against the rest; volume is a count, with no better or worse, so "
    "there are no lowest areas on volume. Segments shows the comments of each segment.",
    "areas_no_metric": "There are no lowest areas on {metric}: this file has no {metric} answers. Choose another "
    "metric ({available}).",
    "areas_no_metric_none": "There are no lowest areas: this file has no score and no known sentiment.",
    "areas_none_high": "No area has a significantly higher share of negative comments than the rest (after "
    "correcting for the number of areas compared).",
    "areas_too_few": "No area has {min_n} or more {metric} answers on both sides (the area and the rest), so none "
    "can be ranked. Lower the minimum sample in the sidebar to see smaller areas.",
    "year_only_left_out": "{n:,} responses are dated only by a year: they are left out of {granularity} periods "
    "(a year is not 1 January). Choose Year to include them.",
    "files_concat": "{right} has the same kind of data as {left}: its {n:,} rows were appended.",
    # The upload store and links (cx/store.py, cx/view.py)
    "data_missing": "This link's data is not on this server: it was never uploaded here, or it was deleted "
    "(uploads are kept {days:g} days after their last use; “Forget this file” deletes one at once). Upload the "
    "file again below: the link's filters and column roles apply to it.",
    "open_sample": "Show the bundled sample instead",
    "header_row": "Header row (the row with the column names)",
    "header_row_help": "Detected from the file; title rows above it are skipped. Say which row it is if the "
    "column names look wrong: the roles are then detected again.",
    "store_failed": "{name} could not be kept on this server ({why}): it works in this tab, but a link or a new "
    "tab will not reopen it.",
    "store_where": "Uploaded files are kept on this server, in {path}, for {days:g} days after their last use, "
    "so a link, a new tab or presentation mode reopens them; a link names a file only by its content hash.",
    "store_missing": "Uploads cannot be kept on this server ({why}): files work in this tab only. Set CX_HOME to a "
    "folder the app can write.",
    "forget": "Forget this file",
    "forget_help": "Delete this server's copy of the file now. Links to it stop working.",
    "forgotten": "{name} was deleted from this server.",
    "theme_filter_failed": "The link's theme filter was not applied: {message}",
    # The Codeframe page (cx/app/views/codeframe.py)
    "page_codeframe": "Codeframe",
    "cf_intro": "A codeframe is a set of themes your team keeps: ids that never change, labels you choose, "
    "every edit saved as a new version. Apply it to any file to count its comments by the same themes.",
    "cf_store_failed": "Codeframes cannot be kept on this server: {message}",
    "cf_save_header": "Save the current themes",
    "cf_save_help": "The themes of the Themes page for this data and its settings ({scope}, {k} themes, "
    "model {model}).",
    "cf_name": "Codeframe name",
    "cf_save": "Save as codeframe",
    "cf_name_missing": "Give the codeframe a name first.",
    "cf_saved": "Saved “{name}” (version 1) with {k} themes.",
    "cf_none": "No codeframe is saved yet: save the current themes above, or import a codeframe file.",
    "cf_all": "Codeframes on this server ({n})",
    "cf_pick": "Codeframe",
    "cf_version": "Version",
    "cf_latest": "latest ({version})",
    "cf_shown": "Version {version} of {latest} · {n} themes · embedder {model} · {note}",
    "cf_old_version": "This is an older version: edits apply to the latest one ({latest}).",
    "cf_theme": "Theme",
    "cf_themes": "Themes to merge",
    "cf_label": "New label",
    "cf_rename": "Rename",
    "cf_merge": "Merge",
    "cf_merge_help": "The first theme chosen keeps its id; the others point to it.",
    "cf_merge_label": "Label of the merged theme (optional)",
    "cf_split_k": "Sub-themes",
    "cf_split": "Split into sub-themes",
    "cf_delete": "Delete this theme",
    "cf_add_label": "Label of the new theme",
    "cf_add_examples": "Example phrases or keywords, one a line",
    "cf_add": "Add theme",
    "cf_done": "Version {version}: {note}",
    "cf_history_pick": "Version to go back to",
    "cf_revert": "Revert to this version",
    "cf_apply_summary": "{total:,} comments of the filtered data: {known:,} fit a saved theme, {new:,} are new.",
    "cf_apply_none": "The filtered data has no comments to apply the codeframe to.",
    "cf_candidates": "Candidate new themes",
    "cf_candidates_none": "Every comment fits a saved theme.",
    "cf_candidate": "{label} · {n:,} comments",
    "cf_add_candidate": "Add as theme",
    "cf_export": "Download this version (JSON)",
    "cf_import": "Codeframe file (JSON)",
    "cf_import_name": "Save as (optional: the file's own name)",
    "cf_import_button": "Import",
    "cf_import_missing": "Choose a codeframe file first.",
    "cf_imported": "Imported “{name}” with {k} themes.",
    "cf_applying": "Applying the codeframe to the filtered comments…",
    "cf_section": "Show",
    "cf_note": "Note for the next change (optional)",
    "cf_note_hint": "e.g. agreed in the March review",
    "cf_not_found": "There is no codeframe called “{name}” on this server; showing “{shown}”.",
    "cf_section_edit": "Edit",
    "cf_section_history": "History",
    "cf_section_apply": "Apply to this data",
    "cf_section_files": "Export / import",
}

GRANULARITIES = {
    "day": "Day",
    "week": "Week",
    "month": "Month",
    "quarter": "Quarter",
    "year": "Year",
}
