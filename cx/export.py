"""Files that leave the app: CSV that Excel opens correctly, with spreadsheet formulas neutralised."""

from __future__ import annotations

import pandas as pd

# OWASP CSV injection guidance: a cell starting with one of these is read as a formula by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text cell that a spreadsheet would execute with a single quote; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or isinstance(out[col].dtype, (pd.StringDtype, pd.CategoricalDtype)):
            out[col] = out[col].astype(object).map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(frame: pd.DataFrame, sep: str = ",") -> bytes:
    """UTF-8 with BOM (so Excel reads accents and ñ), injection-safe."""
    return safe_frame(frame).to_csv(index=False, sep=sep).encode("utf-8-sig")
