"""Global filters: one small value object applied the same way on every page, in the CLI and in exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Filters:
    """What the user keeps. Empty selections keep everything.

    Attributes:
        date_from, date_to: inclusive bounds; rows without a date are dropped only when a bound is set.
        segments: column → allowed values.
        nps_groups: allowed `nps_group` values; rows without an NPS answer are dropped when set.
        themes: theme id → label; keeps the comments assigned to these themes (see `apply_filters`).
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    segments: dict[str, list[str]] = field(default_factory=dict)
    nps_groups: list[str] = field(default_factory=list)
    themes: dict[int, str] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (
            self.date_from or self.date_to or any(self.segments.values()) or self.nps_groups or self.themes
        )

    def summary(self) -> str:
        """One line a person can read aloud: "month ≥ 2025-03-01; region: North, South"."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"date {self.date_from or '…'} – {self.date_to or '…'}")
        for col, values in self.segments.items():
            if values:
                parts.append(f"{col}: {', '.join(map(str, values))}")
        if self.nps_groups:
            parts.append(f"NPS group: {', '.join(self.nps_groups)}")
        if self.themes:
            parts.append("theme: " + ", ".join(f"{i} ({label})" for i, label in self.themes.items()))
        return "; ".join(parts) if parts else "no filter"


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
        if values and col in frame.columns:
            mask &= frame[col].astype(object).isin(list(values))
    if filters.nps_groups:
        mask &= frame["nps_group"].astype(object).isin(list(filters.nps_groups))
    if filters.themes and theme_of is not None:
        ids = theme_of.reindex(frame.index)
        mask &= ids.isin(list(filters.themes)).to_numpy()
    return frame[mask.to_numpy(dtype=bool)]
