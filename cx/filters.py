"""Global filters: one small value object applied the same way on every page, in the CLI and in exports."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cx import i18n
from cx.metrics import BLANK_SEGMENT
from cx.schema import CANONICAL, DERIVED
from cx.strings import FILTERS


@dataclass
class Filters:
    """What the user keeps. Empty selections keep everything.

    Attributes:
        date_from, date_to: inclusive bounds; rows without a date are dropped only when a bound is set.
        segments: column → allowed values ("(blank)": the rows without a value).
        nps_groups: allowed `nps_group` values; rows without an NPS answer are dropped when set.
        csat_values: allowed CSAT answers; rows without one are dropped when set.
        keyword: a phrase the comment must contain (case and accents ignored).
        themes: theme id → label; keeps the comments assigned to these themes (see `apply_filters`).
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    segments: dict[str, list[str]] = field(default_factory=dict)
    nps_groups: list[str] = field(default_factory=list)
    csat_values: list[int] = field(default_factory=list)
    keyword: str = ""
    themes: dict[int, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (
            self.date_from
            or self.date_to
            or any(self.segments.values())
            or self.nps_groups
            or self.csat_values
            or self.keyword.strip()
            or self.themes
        )

    def summary(self) -> str:
        """One line a person can read aloud, in the language of the run: "date 2025-03-01 – …; region:
        North, South" ("fecha 1 mar 2025 – …; region: Norte")."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(FILTERS["date"].format(start=_day(self.date_from), end=_day(self.date_to)))
        for col, values in self.segments.items():
            if values:
                parts.append(f"{col}: {', '.join(map(str, values))}")
        if self.nps_groups:
            groups = ", ".join(FILTERS.get(f"group_{g}", g) for g in self.nps_groups)
            parts.append(FILTERS["nps_group"].format(groups=groups))
        if self.csat_values:
            parts.append(FILTERS["csat"].format(values=", ".join(map(str, self.csat_values))))
        if self.keyword.strip():
            parts.append(FILTERS["keyword"].format(keyword=self.keyword.strip()))
        if self.themes:
            themes = ", ".join(f"{i} ({label})" if label else str(i) for i, label in self.themes.items())
            parts.append(FILTERS["theme"].format(themes=themes))
        return "; ".join(parts) if parts else FILTERS["none"]


def _day(day: dt.date | None) -> str:
    """A filter bound: 2025-03-01 in English (as it always read), 1 mar 2025 in Spanish; … when open."""
    if not day:
        return "…"
    return str(day) if i18n.language() == i18n.DEFAULT else i18n.short_date(day)


def apply_filters(frame: pd.DataFrame, filters: Filters, theme_of: pd.Series | None = None) -> pd.DataFrame:
    """The rows of `frame` that pass `filters` (never more rows than it was given).

    Args:
        theme_of: theme id by frame index, for the comments that were grouped; needed for a theme filter.
    """
    mask = pd.Series(True, index=frame.index)
    if filters.date_from:
        mask &= (frame["date"] >= pd.Timestamp(filters.date_from)).fillna(False)
    if filters.date_to:
        mask &= (frame["date"] < pd.Timestamp(filters.date_to) + pd.Timedelta(days=1)).fillna(False)
    for col, values in filters.segments.items():
        if values and col in frame.columns:  # "(blank)" keeps the rows without a value, as tables name them
            column = frame[col].astype(object)
            mask &= column.where(column.notna(), BLANK_SEGMENT).isin(list(values))
    if filters.nps_groups:
        mask &= frame["nps_group"].astype(object).isin(list(filters.nps_groups))
    if filters.csat_values:
        mask &= frame["csat"].isin([int(v) for v in filters.csat_values]).fillna(False).to_numpy(dtype=bool)
    if filters.keyword.strip():
        mask &= keyword_mask(frame["text"], filters.keyword)
    if filters.themes and theme_of is not None:
        ids = theme_of.reindex(frame.index)
        mask &= ids.isin(list(filters.themes)).to_numpy()
    return frame[mask.to_numpy(dtype=bool)]


def segment_columns(frame: pd.DataFrame) -> list[str]:
    """Segment columns of a canonical frame: its categorical columns that are not canonical or derived
    (`sentiment`, `nps_group`); a combined dataset's `source` is one."""
    fixed = set(CANONICAL) | set(DERIVED)
    return [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype) and c not in fixed]


def fold(text: str) -> str:
    """Lower case without accents, so "envio" finds "envío" and "ENVÍO"."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def keyword_mask(texts: pd.Series, keyword: str) -> np.ndarray:
    """Comments containing the phrase, ignoring case and accents (a plain substring, not a pattern)."""
    needle = fold(" ".join(keyword.split()))
    folded = texts.astype(object).map(lambda t: fold(" ".join(str(t).split())) if isinstance(t, str) else "")
    return folded.str.contains(needle, regex=False).to_numpy(dtype=bool)
