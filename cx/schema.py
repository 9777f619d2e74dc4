"""Column roles: detect them, let the user override them, and build the canonical frame + row report.

The canonical frame (see DESIGN.md) has `response_id`, `date`, `nps`, `csat`, `ces`, `text`, the segment
columns under their own names, and the derived `nps_group`, `csat_satisfied`, `is_complaint`. Its index
is the row's position in the raw table, so every kept row can be traced back to the file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from cx.io import InputError, RawTable
from cx.strings import ERRORS, REASONS

CANONICAL = ["response_id", "date", "nps", "csat", "ces", "text"]
DERIVED = ["nps_group", "csat_satisfied", "is_complaint"]
NPS_GROUPS = ["detractor", "passive", "promoter"]
CSAT_SCALES = [(1, 5), (1, 7), (1, 10), (0, 10)]
MAX_SEGMENT_VALUES = 50
TEXT_JOINER = " | "

# Header names, after lower-casing and removing accents; English and Spanish (plus Galician/Portuguese
# where the word differs). Checked in this order, so "nps comment" is text, not a score.
NAME_PATTERNS = {
    "text": r"\b(comments?|comentarios?|feedback|verbatims?|texto?|opinion(es)?|observacion(es)?|why|motivos?|"
    r"reasons?|razon(es)?|reviews?|resenas?|messages?|mensajes?|notes?|notas?|suggestions?|sugerencias?)\b",
    "id": r"^((response|respondent|record|survey|ticket|case|customer|respuesta|encuesta|cliente)\s*)?"
    r"(id|uuid|identifier|identificador)(\s*(response|respuesta|encuesta|respondent))?$",
    "date": r"\b(date|fecha|dia|day|timestamp|datetime|created|submitted|completed|data)\b",
    "nps": r"\b(nps|recommend\w*|recomend\w*|likelihood|ltr|likely|probabilidad)\b",
    "ces": r"\b(ces|effort|esfuerzo|ease|facilidad)\b",
    "csat": r"\b(csat|satisf\w*|rating|valoracion|puntuacion|score|nota)\b",
}

# Satisfaction answers written out, on the default 1–5 scale.
SATISFACTION_WORDS = {
    "very satisfied": 5,
    "extremely satisfied": 5,
    "satisfied": 4,
    "neither satisfied nor dissatisfied": 3,
    "neither": 3,
    "neutral": 3,
    "dissatisfied": 2,
    "very dissatisfied": 1,
    "extremely dissatisfied": 1,
    "muy satisfecho": 5,
    "muy satisfecha": 5,
    "satisfecho": 4,
    "satisfecha": 4,
    "ni satisfecho ni insatisfecho": 3,
    "ni satisfecha ni insatisfecha": 3,
    "indiferente": 3,
    "insatisfecho": 2,
    "insatisfecha": 2,
    "muy insatisfecho": 1,
    "muy insatisfecha": 1,
}

# "9", "9.0", "9,0", "10 - Extremely likely", "0 (not at all)": an integer, then nothing or a label.
_LEADING_INT = re.compile(r"^\s*([+-]?\d+)(?:[.,]0+)?\s*(?:$|[-–—:)(/]\s*\D.*$|[a-zA-Z].*$)")


@dataclass
class Roles:
    """Which column plays which part. Any may be None, but a score or a text column must exist."""

    id: str | None = None
    date: str | None = None
    nps: str | None = None
    csat: str | None = None
    csat_scale: tuple[int, int] = (1, 5)
    ces: str | None = None
    text: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    dayfirst: bool | None = None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["csat_scale"] = f"{self.csat_scale[0]}-{self.csat_scale[1]}"
        return out

    def segments_in(self, frame: pd.DataFrame) -> list[str]:
        """The segment columns as named in the canonical frame (a clash with a canonical name is renamed)."""
        return [
            c if c not in CANONICAL + DERIVED else f"{c} (segment)"
            for c in self.segments
            if (c if c not in CANONICAL + DERIVED else f"{c} (segment)") in frame.columns
        ]

    def used_columns(self) -> list[str]:
        single = [self.id, self.date, self.nps, self.csat, self.ces]
        return [c for c in single if c] + list(self.text) + list(self.segments)


@dataclass
class Dataset:
    """The canonical frame and everything the user needs to trust it.

    Attributes:
        frame: the canonical frame (kept rows).
        raw: the file as read (all rows that the reader could split), for exports with original columns.
        roles: the roles used to build `frame`.
        rejected: one row per rejected input row: `row` (1-based data row), `reason`, original values.
        invalid_values: per source column, how many values could not be understood (set to missing).
        rows_read: data rows in the input (header and blank lines excluded).
        notes: plain sentences about what was decided (date convention, files joined...).
    """

    frame: pd.DataFrame
    raw: pd.DataFrame
    roles: Roles
    rejected: pd.DataFrame
    invalid_values: dict[str, int]
    rows_read: int
    notes: list[str] = field(default_factory=list)

    @property
    def rows_kept(self) -> int:
        return len(self.frame)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def report(self) -> dict:
        """The row report as plain values (what `python -m cx inspect` prints)."""
        by_reason = self.rejected["reason"].value_counts().to_dict() if len(self.rejected) else {}
        return {
            "rows_read": int(self.rows_read),
            "rows_kept": int(self.rows_kept),
            "rows_rejected": int(self.rows_rejected),
            "rejected_by_reason": {str(k): int(v) for k, v in by_reason.items()},
            "invalid_values": {k: int(v) for k, v in self.invalid_values.items() if v},
            "roles": self.roles.to_dict(),
        }


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# --------------------------------------------------------------------------------------------------
# Value parsing
# --------------------------------------------------------------------------------------------------


def _is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    if value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, str) and not value.strip()


def _score_of(value, lo: int, hi: int, words: bool):
    """One cell → int in [lo, hi], None (blank) or False (present but not understood)."""
    if _is_blank(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        number = int(value)
    elif isinstance(value, (float, np.floating)):
        if not float(value).is_integer():
            return False
        number = int(value)
    else:
        text = str(value).strip()
        match = _LEADING_INT.match(text)
        if match:
            number = int(match.group(1))
        elif words:
            key = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text).lower().strip(" .!"))
            number = SATISFACTION_WORDS.get(key)
            if number is None:
                return False
        else:
            return False
    return number if lo <= number <= hi else False


def parse_scores(values: pd.Series, lo: int, hi: int, words: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse a column of scores.

    Args:
        values: raw cells (strings, numbers or a mix).
        lo, hi: the valid range, inclusive.
        words: also accept written satisfaction answers ("Muy satisfecho" → 5); only for a 1–5 scale.

    Returns:
        (scores as nullable Int64, mask of cells that were present but invalid)
    """
    mapped = _map_unique(values, lambda u: _score_of(u, lo, hi, words))
    invalid = pd.Series([v is False for v in mapped], index=values.index, dtype=bool)
    scores = pd.array([v if type(v) is int else pd.NA for v in mapped], dtype="Int64")
    return pd.Series(scores, index=values.index), invalid


def _map_unique(values: pd.Series, func) -> list:
    """func applied once per distinct cell (survey columns repeat a handful of values millions of times)."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=False)
    results = [func(u) for u in uniques]
    return [results[c] for c in codes]


_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_YMD_SLASH = re.compile(r"^\d{4}[/.]\d{1,2}[/.]\d{1,2}$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?))?$")


def detect_dayfirst(values: pd.Series) -> bool | None:
    """Whether `a/b/yyyy` dates in this column are day-first: True, False, or None if nothing tells."""
    firsts, seconds = [], []
    for value in pd.unique(values.astype(str))[:5000]:
        match = _NUMERIC_DMY.match(value.strip())
        if match:
            firsts.append(int(match.group(1)))
            seconds.append(int(match.group(2)))
    if not firsts:
        return None
    if max(firsts) > 12 and max(seconds) <= 12:
        return True
    if max(seconds) > 12 and max(firsts) <= 12:
        return False
    return None


def _date_of(value, dayfirst: bool):
    if _is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_localize(None) if value.tzinfo else value
    if hasattr(value, "year") and hasattr(value, "month"):  # datetime / date from Excel or Parquet
        return (
            pd.Timestamp(value).tz_localize(None) if getattr(value, "tzinfo", None) else pd.Timestamp(value)
        )
    if isinstance(value, (int, np.integer)) and 1900 <= int(value) <= 2100:
        return pd.Timestamp(year=int(value), month=1, day=1)
    if isinstance(value, (float, np.floating)) and float(value).is_integer() and 1900 <= value <= 2100:
        return pd.Timestamp(year=int(value), month=1, day=1)
    text = str(value).strip()
    try:
        if _YEAR.match(text):
            return pd.Timestamp(year=int(text), month=1, day=1)
        if _ISO.match(text):
            stamp = pd.Timestamp(text)
            return stamp.tz_convert(None) if stamp.tzinfo else stamp
        if _YMD_SLASH.match(text):
            return pd.to_datetime(text.replace(".", "/"), format="%Y/%m/%d")
        match = _NUMERIC_DMY.match(text)
        if match:
            a, b, year = int(match.group(1)), int(match.group(2)), match.group(3)
            day, month = (a, b) if dayfirst else (b, a)
            year = int(year) + (2000 if len(year) == 2 else 0)
            stamp = pd.Timestamp(year=year, month=month, day=day)
            if match.group(4):
                hours = [int(x) for x in match.group(4).split(":")]
                stamp += pd.Timedelta(
                    hours=hours[0],
                    minutes=hours[1],
                    seconds=hours[2] if len(hours) > 2 else 0,
                )
            return stamp
        if re.search(r"[A-Za-z]{3}", text):  # "22 Oct 2016", "October 22, 2016"
            return pd.to_datetime(text, dayfirst=dayfirst, format="mixed")
    except (ValueError, OverflowError):
        return False
    return False


def parse_dates(values: pd.Series, dayfirst: bool | None = None) -> tuple[pd.Series, pd.Series, bool]:
    """Parse a date column with the file's own convention.

    Args:
        values: raw cells.
        dayfirst: force the convention; None detects it (day-first when the values do not tell).

    Returns:
        (datetime64 series, mask of cells present but unparseable, the dayfirst used)
    """
    if dayfirst is None:
        detected = detect_dayfirst(values)
        dayfirst = True if detected is None else detected
    mapped = _map_unique(values, lambda u: _date_of(u, dayfirst))
    invalid = pd.Series([v is False for v in mapped], index=values.index, dtype=bool)
    stamps = [v if isinstance(v, pd.Timestamp) else pd.NaT for v in mapped]
    dates = pd.Series(pd.DatetimeIndex(stamps).as_unit("ns"), index=values.index)
    return dates, invalid, dayfirst


# --------------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------------


def _nonblank(series: pd.Series, limit: int = 2000) -> pd.Series:
    sample = series.iloc[:limit]
    return sample[~sample.map(_is_blank)]


def _score_share(series: pd.Series, lo: int, hi: int, words: bool = False) -> float:
    sample = _nonblank(series)
    if sample.empty:
        return 0.0
    scores, invalid = parse_scores(sample, lo, hi, words)
    return float(scores.notna().mean())


def infer_csat_scale(series: pd.Series) -> tuple[int, int]:
    """The smallest standard scale that holds the column's values."""
    sample = _nonblank(series, limit=20000)
    scores, _ = parse_scores(sample, 0, 10, words=True)
    scores = scores.dropna()
    if scores.empty:
        return (1, 5)
    lo, hi = int(scores.min()), int(scores.max())
    if lo == 0:
        return (0, 10)
    for scale in CSAT_SCALES:
        if hi <= scale[1]:
            return scale
    return (1, 5)


def _date_share(series: pd.Series) -> float:
    sample = _nonblank(series, limit=500)
    if sample.empty:
        return 0.0
    if all(isinstance(v, (int, float, np.integer, np.floating)) for v in sample):
        return 0.0  # numbers are scores or counts, not bare years, unless the header says "date"
    dates, invalid, _ = parse_dates(sample)
    return float(dates.notna().mean())


def _is_texty(series: pd.Series) -> bool:
    sample = _nonblank(series).astype(str)
    if len(sample) < 1:
        return False
    words = sample.str.split().str.len().mean()
    unique = sample.nunique() / len(sample)
    return words >= 4 and unique > 0.3


def _is_code(series: pd.Series) -> bool:
    """Short values from a small set ("Price", "Delivery"): a category, even under a comment-like header."""
    values = _nonblank(series).astype(str)
    if values.empty:
        return False
    return values.str.split().str.len().mean() < 2.5 and values.nunique() <= min(20, max(2, len(values) // 2))


def detect_roles(frame: pd.DataFrame) -> Roles:
    """Guess each column's role from its header (English and Spanish) and then from its values."""
    roles = Roles()
    taken: set[str] = set()
    names = {col: normalise_name(col) for col in frame.columns}

    def take(role: str, col: str) -> None:
        taken.add(col)
        if role == "text":
            roles.text.append(col)
        else:
            setattr(roles, role, col)

    def score_check(role: str, lo: int, hi: int, words: bool = False):
        # A header that names the metric outright ("NPS", "csat_score") is believed even when most values
        # are broken (they are reported); a vaguer one ("rating", "score") must hold mostly valid scores.
        def check(series: pd.Series, name: str) -> bool:
            return bool(re.match(rf"^{role}\b", name)) or _score_share(series, lo, hi, words) >= 0.5

        return check

    checks = {
        "id": lambda s, name: True,
        "date": lambda s, name: _date_share(s) >= 0.5 or _nonblank(s).empty,
        "nps": score_check("nps", 0, 10),
        "ces": score_check("ces", 1, 7),
        "csat": score_check("csat", 0, 10, words=True),
        "text": lambda s, name: True,
    }
    for role, pattern in NAME_PATTERNS.items():
        for col in frame.columns:
            if col in taken or (role != "text" and getattr(roles, role)):
                continue
            if re.search(pattern, names[col]) and checks[role](frame[col], names[col]):
                if role == "text" and _is_code(frame[col]):
                    continue  # "Reason code" with a few short repeated values is a segment, not free text
                take(role, col)

    # Value-based fallbacks for columns whose header said nothing.
    for col in frame.columns:
        if col in taken:
            continue
        series = frame[col]
        if not roles.date and _date_share(series) >= 0.8:
            take("date", col)
        elif _is_texty(series):
            take("text", col)
        elif not roles.nps and _score_share(series, 0, 10) >= 0.95 and _nonblank(series).nunique() >= 6:
            take("nps", col)
    for col in frame.columns:
        if col in taken:
            continue
        sample = _nonblank(frame[col], limit=20000)
        distinct = sample.astype(str).nunique()
        if not roles.id and len(sample) == len(frame.iloc[:20000]) and distinct == len(sample) > 1:
            as_text = sample.astype(str)
            if as_text.str.len().max() <= 40 and as_text.str.contains(r"\d").all():
                take("id", col)
                continue
        if 2 <= distinct <= MAX_SEGMENT_VALUES and distinct <= max(2, len(sample) // 2):
            roles.segments.append(col)
            taken.add(col)
    if roles.csat:
        roles.csat_scale = infer_csat_scale(frame[roles.csat])
    if roles.date:
        roles.dayfirst = detect_dayfirst(frame[roles.date])
    return roles


# --------------------------------------------------------------------------------------------------
# Canonical frame
# --------------------------------------------------------------------------------------------------


def validate_roles(roles: Roles, columns) -> None:
    """Raise InputError when the roles cannot build a frame."""
    missing = [c for c in roles.used_columns() if c not in columns]
    if missing:
        raise InputError(ERRORS["missing_column"].format(columns=", ".join(missing)))
    if not (roles.nps or roles.csat or roles.ces or roles.text):
        raise InputError(ERRORS["no_measure"])
    if tuple(roles.csat_scale) not in CSAT_SCALES:
        raise InputError(ERRORS["bad_scale"].format(scale=f"{roles.csat_scale[0]}-{roles.csat_scale[1]}"))


def build_dataset(table: RawTable, roles: Roles | None = None) -> Dataset:
    """Apply roles to a raw table: parse every role, derive columns, and report every row not kept."""
    raw = table.frame
    roles = roles or detect_roles(raw)
    validate_roles(roles, raw.columns)
    n = len(raw)
    out = pd.DataFrame(index=raw.index)
    invalid_values: dict[str, int] = {}
    notes: list[str] = []

    if roles.id:
        ids = raw[roles.id].astype(str).str.strip()
        generated = pd.Series([f"row-{i + 1}" for i in range(n)], index=raw.index)
        out["response_id"] = ids.where(ids != "", generated).astype("string")
    else:
        out["response_id"] = pd.Series([f"row-{i + 1}" for i in range(n)], index=raw.index, dtype="string")

    if roles.date:
        dates, bad, dayfirst = parse_dates(raw[roles.date], roles.dayfirst)
        out["date"] = dates
        invalid_values[roles.date] = int(bad.sum())
        if (
            detect_dayfirst(raw[roles.date]) is None
            and roles.dayfirst is None
            and _has_ambiguous(raw[roles.date])
        ):
            notes.append(REASONS["dayfirst_assumed"])
    else:
        out["date"] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")

    score_cols = {
        "nps": (roles.nps, (0, 10), False),
        "csat": (roles.csat, tuple(roles.csat_scale), True),
    }
    score_cols["ces"] = (roles.ces, (1, 7), False)
    valid_score = pd.Series(False, index=raw.index)
    for name, (col, (lo, hi), words) in score_cols.items():
        if col:
            scores, bad = parse_scores(raw[col], lo, hi, words=words and (lo, hi) == (1, 5))
            invalid_values[col] = invalid_values.get(col, 0) + int(bad.sum())
            valid_score |= scores.notna()
        else:
            scores = pd.Series(pd.NA, index=raw.index, dtype="Int64")
        out[name] = scores

    if roles.text:
        parts = [raw[c].map(lambda v: "" if _is_blank(v) else str(v).strip()) for c in roles.text]
        joined = parts[0]
        for part in parts[1:]:
            joined = joined.str.cat(part, sep=TEXT_JOINER).str.strip(" |")
        out["text"] = joined.where(joined != "", None).astype("string")
    else:
        out["text"] = pd.Series(pd.NA, index=raw.index, dtype="string")

    for col in roles.segments:
        name = col if col not in CANONICAL + DERIVED else f"{col} (segment)"
        values = raw[col].map(lambda v: None if _is_blank(v) else str(v).strip())
        out[name] = values.astype("category")

    # Row rejections, first reason wins.
    reasons = pd.Series(None, index=raw.index, dtype=object)
    empty = raw.map(_is_blank).all(axis=1) if raw.shape[1] else pd.Series(True, index=raw.index)
    reasons[empty] = REASONS["empty_row"]
    dup = out["response_id"].duplicated(keep="first") & reasons.isna()
    if roles.id:
        reasons[dup] = REASONS["duplicate_id"]
    unusable = ~valid_score & out["text"].isna() & reasons.isna()
    reasons[unusable] = REASONS["no_measure"]

    rejected_mask = reasons.notna()
    rejected = raw[rejected_mask].copy()
    rejected.insert(0, "reason", reasons[rejected_mask])
    rejected.insert(0, "row", rejected.index + 1)
    if table.rejected:
        extra = pd.DataFrame(table.rejected, columns=["row", "reason", "line"])
        rejected = pd.concat([rejected, extra], ignore_index=True).sort_values("row", kind="stable")
    frame = add_derived(out[~rejected_mask], roles)
    return Dataset(
        frame=frame,
        raw=raw,
        roles=roles,
        rejected=rejected.reset_index(drop=True),
        invalid_values=invalid_values,
        rows_read=table.rows_read,
        notes=notes,
    )


def _has_ambiguous(values: pd.Series) -> bool:
    return values.astype(str).str.match(_NUMERIC_DMY.pattern).any()


def add_derived(frame: pd.DataFrame, roles: Roles, text_only=None) -> pd.DataFrame:
    """Add nps_group, csat_satisfied and is_complaint (DESIGN.md definitions).

    Args:
        text_only: boolean mask of rows that came from a file without scores; their comments count as
            complaints (a support ticket or a social post is one unless the user says otherwise).
    """
    frame = frame.copy()
    nps = frame["nps"]
    group = pd.Series(pd.NA, index=frame.index, dtype=object)
    group[nps.notna() & (nps >= 9)] = "promoter"
    group[nps.notna() & (nps >= 7) & (nps <= 8)] = "passive"
    group[nps.notna() & (nps <= 6)] = "detractor"
    frame["nps_group"] = pd.Categorical(group, categories=NPS_GROUPS)
    lo, hi = roles.csat_scale
    csat = frame["csat"]
    frame["csat_satisfied"] = (csat >= hi - 1).astype("boolean")
    if roles.nps or roles.csat:
        complaint = (nps <= 6).fillna(False) | (csat <= lo + 1).fillna(False)
        if text_only is not None:
            complaint |= frame["text"].notna() & pd.Series(text_only, index=frame.index)
    else:
        complaint = frame["text"].notna()
    frame["is_complaint"] = complaint.astype(bool)
    return frame
