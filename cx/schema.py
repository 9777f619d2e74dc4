"""Column roles: detect them, let the user override them, and build the canonical frame + row report.

The canonical frame (see DESIGN.md) has `response_id`, `date`, `year_only` (the date was a bare year),
`nps`, `csat`, `ces`, `text`, `sentiment` (categorical neg/neu/pos, NA when unknown), the segment columns
under their own names, and the derived `nps_group`, `csat_satisfied`, `is_complaint`. Its index is the
row's position in the raw table, so every kept row can be traced back to the file.

Detection reads the header (and a Qualtrics question text under it) in English and Spanish, then the
values; survey-tool metadata columns are given the id or date role or left alone, never made segments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from cx.io import InputError, RawTable, read_file
from cx.strings import ERRORS, NOTES, REASONS

CANONICAL = ["response_id", "date", "year_only", "nps", "csat", "ces", "text", "sentiment", "churned"]
DERIVED = ["nps_group", "csat_satisfied", "is_complaint", "sentiment_estimated"]
NPS_GROUPS = ["detractor", "passive", "promoter"]
SENTIMENTS = ["neg", "neu", "pos"]
# (0, 1) is a two-point answer (good / bad, thumbs): 1 = good, and CSAT is the share of good answers.
CSAT_SCALES = [(1, 5), (1, 7), (1, 10), (0, 10), (0, 1)]
SCALE_CHOICES = [f"{lo}-{hi}" for lo, hi in CSAT_SCALES]
MAX_SEGMENT_VALUES = 50
TEXT_JOINER = " | "

# A churn column whose header speaks of staying (renewed, bought again) says yes for a customer who stayed.
RETENTION_NAME = (
    r"\b(renew\w*|renov\w*|retain\w*|retention|retenid\w*|repurchas\w*|recompr\w*|bought again|"
    r"volvio a comprar|stayed)\b"
)
# Answers that mean left / stayed whatever the header says, then yes/no answers that follow the header.
CHURN_WORDS = {
    "churned": True,
    "churn": True,
    "left": True,
    "cancelled": True,
    "canceled": True,
    "cancelado": True,
    "cancelada": True,
    "baja": True,
    "de baja": True,
    "dado de baja": True,
    "lost": True,
    "perdido": True,
    "inactive": True,
    "inactivo": True,
    "abandono": True,
    "gone": True,
    "active": False,
    "activo": False,
    "activa": False,
    "stayed": False,
    "retained": False,
    "renewed": False,
    "renovado": False,
    "renovo": False,
    "alta": False,
    "de alta": False,
    "current": False,
    "continua": False,
}
YES_NO_WORDS = {
    "si": True,
    "s": True,
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "verdadero": True,
    "x": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "falso": False,
}

# Header names, after lower-casing and removing accents; English and Spanish (plus Galician/Portuguese
# where the word differs). Checked in this order, so "nps comment" is text, not a score, and "review id"
# is the id, not a comment.
NAME_PATTERNS = {
    "id": r"^((response|respondent|record|survey|ticket|case|review|feedback|submission|answer|respuesta|"
    r"encuesta|resena|opinion|caso|ticket|comentario)\s*)?(id|uuid|identifier|identificador)"
    r"(\s*(response|respuesta|encuesta|respondent))?$",
    "text": r"\b(comments?|comentarios?|feedback|verbatims?|texto?|opinion(es)?|observacion(es)?|why|motivos?|"
    r"reasons?|razon(es)?|reviews?|resenas?|messages?|mensajes?|notes?|notas?|suggestions?|sugerencias?|"
    r"improve\w*|mejora\w*|tweets?)\b",
    "churned": r"\b(churn\w*|cancel\w*|baja|abandon\w*|left|attrition|unsubscrib\w*|renew\w*|renov\w*|"
    r"retain\w*|retention|retenid\w*|repurchas\w*|recompr\w*|bought again|volvio a comprar|stayed)\b",
    "date": r"\b(date|fecha|dia|day|timestamp|datetime|created|submitted|completed|data|time|hora|"
    r"marca temporal|recorded|submit|creado|enviado)\b",
    "nps": r"\b(nps|recommend\w*|recomend\w*|recomiend\w*|likelihood|ltr|likely|probabilidad)\b",
    "ces": r"\b(ces|effort|esfuerzo|ease|easy|easily|facil\w*|sencill\w*)\b",
    "sentiment": r"\b(sentiments?|sentimientos?|sentimento|polarity|polaridad|polaridade|tone|tono)\b",
    "csat": r"\b(csat|satisf\w*|rating|ratings|valoracion|puntuacion|score|nota|calificacion|label|stars?|"
    r"estrellas?)\b",
}
# A "score" header that says nothing about the scale: 0-10 values under it are the NPS (Delighted's
# `Score`), 1-5 values a CSAT.
GENERIC_SCORE = r"^(score|puntuacion|puntaje|nota|valor)$"
# Date columns, most telling first: the moment the answer was recorded beats the moment it was started.
DATE_PREFERENCE = [
    r"\b(recorded|submit\w*|completed|completion|finalizacion|marca temporal|timestamp)\b",
    r"\b(end|fin|enviado)\b",
    r"\b(created|creado|date|fecha|datetime|data|dia|day)\b",
    r"\b(start|inicio|started|comienzo)\b",
]
# Survey-tool bookkeeping: given a role when it has one (id, date), never a segment, comment or score.
METADATA = re.compile(
    r"^(ip ?address|ip|progress|duration( in seconds)?|finished|status|response type|response set|"
    r"recipient .*|location .*|distribution channel|user ?language|external (data )?reference|"
    r"collector id|network id|user agent|browser|platform|device|permalink|url|href|custom data \d+|"
    r"email( address)?|e ?mail|correo( electronico)?|direccion de correo electronico|first name|last name|"
    r"name|nombre|apellidos?|q (ballot box stuffing|recaptcha score|relevant.*|totalduration|url)|"
    r"(start|end|submit) date( utc)?|hora de (inicio|finalizacion)|start time|completion time|"
    r"last modified time|hora de la ultima modificacion|tags|survey type|updated( at)?|updated|"
    r"delighted .*|assignee id|group id|requester id|person id|person\.?.*id|url|score\.?source)$"
)
NPS_GROUP = re.compile(r"\bnps group\b|\bgrupo nps\b")

# Satisfaction answers written out, on the default 1–5 scale; keys lower-case without accents.
SATISFACTION_WORDS = {
    "very satisfied": 5,
    "extremely satisfied": 5,
    "completely satisfied": 5,
    "satisfied": 4,
    "somewhat satisfied": 4,
    "moderately satisfied": 4,
    "slightly satisfied": 4,
    "neither satisfied nor dissatisfied": 3,
    "neither": 3,
    "neutral": 3,
    "somewhat dissatisfied": 2,
    "slightly dissatisfied": 2,
    "moderately dissatisfied": 2,
    "dissatisfied": 2,
    "unsatisfied": 2,
    "very dissatisfied": 1,
    "very unsatisfied": 1,
    "extremely dissatisfied": 1,
    "completely dissatisfied": 1,
    "muy satisfecho": 5,
    "extremadamente satisfecho": 5,
    "totalmente satisfecho": 5,
    "satisfecho": 4,
    "algo satisfecho": 4,
    "bastante satisfecho": 4,
    "ni satisfecho ni insatisfecho": 3,
    "indiferente": 3,
    "algo insatisfecho": 2,
    "insatisfecho": 2,
    "poco satisfecho": 2,
    "muy insatisfecho": 1,
    "extremadamente insatisfecho": 1,
    "totalmente insatisfecho": 1,
    "nada satisfecho": 1,
    "excellent": 5,
    "very good": 5,
    "good": 4,
    "fair": 3,
    "average": 3,
    "poor": 2,
    "very poor": 1,
    "terrible": 1,
    "excelente": 5,
    "muy bueno": 5,
    "bueno": 4,
    "regular": 3,
    "malo": 2,
    "muy malo": 1,
    "pesimo": 1,
}
# Two-point answers (Zendesk's "Good, I'm satisfied" / "Bad, I'm unsatisfied", thumbs).
TWO_POINT_WORDS = {
    "good": 1,
    "bad": 0,
    "bueno": 1,
    "malo": 0,
    "buena": 1,
    "mala": 0,
    "thumbs up": 1,
    "thumbs down": 0,
    "pulgar arriba": 1,
    "pulgar abajo": 0,
    "\U0001f44d": 1,
    "\U0001f44e": 0,
    "like": 1,
    "dislike": 0,
    "satisfied": 1,
    "unsatisfied": 0,
    "dissatisfied": 0,
}
# A survey sent but never answered (Zendesk `offered`, `unoffered`): no answer, not a bad value.
UNANSWERED = {
    "offered",
    "unoffered",
    "not offered",
    "no ofrecida",
    "ofrecida",
    "sin respuesta",
    "not answered",
}
SENTIMENT_WORDS = {
    "positive": "pos",
    "positivo": "pos",
    "positiva": "pos",
    "pos": "pos",
    "p": "pos",
    "negative": "neg",
    "negativo": "neg",
    "negativa": "neg",
    "neg": "neg",
    "n": "neg",
    "neutral": "neu",
    "neutro": "neu",
    "neutra": "neu",
    "neu": "neu",
    "none": "neu",
    "1": "pos",
    "+1": "pos",
    "0": "neu",
    "-1": "neg",
}

# "9", "9.0", "9,0", "10 - Extremely likely", "0 (not at all)": an integer, then nothing or a label.
_LEADING_INT = re.compile(r"^\s*([+-]?\d+)(?:[.,]0+)?\s*(?:$|[-–—:)(/]\s*\D.*$|[a-zA-Z].*$)")


@dataclass
class Roles:
    """Which column plays which part. Any may be None, but a score, text or sentiment column must exist.

    `csat_scale` is one of CSAT_SCALES. (0, 1) is a two-point answer (Good/Bad, Bueno/Malo, thumbs):
    `csat` holds 1 for good and 0 for bad, CSAT is the share of 1s (the top box) and a complaint is a 0.
    `sentiment` names a column of positive/negative/neutral labels (canonical `sentiment`: neg/neu/pos).
    """

    id: str | None = None
    date: str | None = None
    nps: str | None = None
    csat: str | None = None
    csat_scale: tuple[int, int] = (1, 5)
    ces: str | None = None
    text: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    dayfirst: bool | None = None
    sentiment: str | None = None
    churned: str | None = None

    def to_dict(self) -> dict:
        out = asdict(self)
        out["csat_scale"] = f"{self.csat_scale[0]}-{self.csat_scale[1]}"
        return out

    def with_user_roles(self, **given) -> Roles:
        """These roles with the user's choices applied; a column the user gives a role loses every other.

        Args:
            given: role name -> column (a list for `text` and `segments`); None or [] leaves it detected.
        """
        roles = Roles(**{**self.__dict__, "text": list(self.text), "segments": list(self.segments)})
        chosen = {k: v for k, v in given.items() if v}
        columns = set()
        for value in chosen.values():
            columns |= set(value) if isinstance(value, list) else {value}
        for role in ("id", "date", "nps", "csat", "ces", "sentiment", "churned"):
            if role in chosen:
                setattr(roles, role, chosen[role])
            elif getattr(roles, role) in columns:
                setattr(roles, role, None)
        for role in ("text", "segments"):
            if role in chosen:
                setattr(roles, role, list(chosen[role]))
            else:
                setattr(roles, role, [c for c in getattr(roles, role) if c not in columns])
        return roles

    def segments_in(self, frame: pd.DataFrame) -> list[str]:
        """The segment columns as named in the canonical frame (a clash with a canonical name is renamed)."""
        return [
            c if c not in CANONICAL + DERIVED else f"{c} (segment)"
            for c in self.segments
            if (c if c not in CANONICAL + DERIVED else f"{c} (segment)") in frame.columns
        ]

    def used_columns(self) -> list[str]:
        single = [self.id, self.date, self.nps, self.csat, self.ces, self.sentiment, self.churned]
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
        notes: plain sentences about what was decided (header row, sheet, date convention, files joined...).
        sentiment_source: "column <name>" when sentiment comes from the file, "estimated" when the bundled
            model estimated it (a file with comments and no score or sentiment column), else None.
    """

    frame: pd.DataFrame
    raw: pd.DataFrame
    roles: Roles
    rejected: pd.DataFrame
    invalid_values: dict[str, int]
    rows_read: int
    notes: list[str] = field(default_factory=list)
    sentiment_source: str | None = None

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
            "sentiment_source": self.sentiment_source,
            "notes": list(self.notes),
        }


def normalise_name(name: str) -> str:
    """Lower case, no accents, words split ("RecordedDate" -> "recorded date", "review_id" -> "review id")."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", str(name))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
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


def _word_key(text: str) -> str:
    """'Muy Satisfecho.' -> 'muy satisfecho'; 'Good, I'm satisfied' -> 'good i m satisfied'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return re.sub(r"[^\w\U0001f44d\U0001f44e]+", " ", text.lower()).strip()


def _word_score(text: str, lo: int, hi: int):
    """A written answer on the scale (lo, hi): a number, None (no answer) or False (not understood)."""
    stripped = text.strip()
    stars = set("★☆✩✭⭐ ")
    if (lo, hi) == (1, 5) and stripped and set(stripped) <= stars and ("★" in stripped or "⭐" in stripped):
        return sum(1 for ch in stripped if ch in "★⭐")
    key = re.sub(
        r"\b(satisfech|insatisfech|buen|mal|pesim|bastante satisfech)a\b", r"\1o", _word_key(stripped)
    )
    if not key and stripped in ("\U0001f44d", "\U0001f44e"):
        key = stripped
    if key in UNANSWERED:
        return None
    if (lo, hi) == (0, 1):
        if key in TWO_POINT_WORDS:
            return TWO_POINT_WORDS[key]
        first = key.split(" ")[0] if key else ""
        return TWO_POINT_WORDS.get(first, False)  # "Good, I'm satisfied"
    if (lo, hi) == (1, 5):
        return SATISFACTION_WORDS.get(key, False)
    return False


def _score_of(value, lo: int, hi: int, words: bool):
    """One cell → int in [lo, hi], None (blank) or False (present but not understood)."""
    if _is_blank(value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return int(value) if (lo, hi) == (0, 1) else False
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
            number = _word_score(text, lo, hi)
            if number is None or number is False:
                return number
        elif _word_key(text) in UNANSWERED:
            return None
        else:
            return False
    return number if lo <= number <= hi else False


def parse_scores(values: pd.Series, lo: int, hi: int, words: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse a column of scores.

    Args:
        values: raw cells (strings, numbers or a mix).
        lo, hi: the valid range, inclusive.
        words: also accept written answers: "Muy satisfecho" → 5 and "★★★★☆" → 4 on 1–5, "Good" → 1 and
            "Bad" → 0 on the two-point scale (0, 1). "offered"/"unoffered" (sent, never answered) are blank.

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


_ISO = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?\s?(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(19|20)\d{2}$")
_YMD_SLASH = re.compile(r"^\d{4}[/.]\d{1,2}[/.]\d{1,2}$")
# 22/10/2016, 10/22/2016 14:05, 3/14/2025 2:05:33 PM, 14/03/2025 2:05 p. m.
_NUMERIC_DMY = re.compile(
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:,?[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"(?:\s*([aApP])\.?\s?[mM]\.?)?)?$"
)
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def detect_dayfirst(values: pd.Series) -> bool | None:
    """Whether `a/b/yyyy` dates in this column are day-first: True, False, or None if nothing tells."""
    firsts, seconds = [], []
    for value in pd.unique(values.dropna().astype(str))[:5000]:
        match = _NUMERIC_DMY.match(str(value).strip())
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


def _naive(stamp) -> pd.Timestamp:
    """One clock for the whole column: an aware time is converted to UTC, then the zone is dropped."""
    stamp = pd.Timestamp(stamp)
    return stamp.tz_convert(None) if stamp.tzinfo is not None else stamp


def _number_date(number: float):
    """A bare year, an Excel serial day number, or a Unix time in seconds or milliseconds."""
    if float(number).is_integer() and 1900 <= number <= 2100:
        return pd.Timestamp(year=int(number), month=1, day=1)
    if 20000 <= number < 80000:  # Excel serials: 1954..2119
        return (EXCEL_EPOCH + pd.to_timedelta(number, unit="D")).round("s")
    if 1e8 <= number < 1e11:
        return pd.Timestamp(int(number), unit="s")
    if 1e11 <= number < 1e14:
        return pd.Timestamp(int(number), unit="ms")
    return False


def _date_of(value, dayfirst: bool):
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
    elif _is_blank(value):
        return None
    elif isinstance(value, (bool, np.bool_)):
        return False
    elif isinstance(value, pd.Timestamp) or (hasattr(value, "year") and hasattr(value, "month")):
        return _naive(value)  # datetime / date from Excel, Parquet or JSON
    elif isinstance(value, (int, np.integer, float, np.floating)):
        return False if np.isnan(float(value)) else _number_date(float(value))
    else:
        text = str(value).strip()
    try:
        if _NUMBER.match(text):
            return _number_date(float(text))
        if _ISO.match(text):
            return _naive(re.sub(r"\s?(UTC|GMT)$", "Z", text, flags=re.IGNORECASE))
        if _YMD_SLASH.match(text):
            return pd.to_datetime(text.replace(".", "/"), format="%Y/%m/%d")
        match = _NUMERIC_DMY.match(text)
        if match:
            a, b, year = int(match.group(1)), int(match.group(2)), match.group(3)
            day, month = (a, b) if dayfirst else (b, a)
            year = int(year) + (2000 if len(year) == 2 else 0)
            stamp = pd.Timestamp(year=year, month=month, day=day)
            if match.group(4):
                hour, minute, second = int(match.group(4)), int(match.group(5)), int(match.group(6) or 0)
                half = (match.group(7) or "").lower()
                if half and not 1 <= hour <= 12:
                    return False
                if half == "p" and hour != 12:
                    hour += 12
                elif half == "a" and hour == 12:
                    hour = 0
                if hour > 23 or minute > 59 or second > 59:
                    return False
                stamp += pd.Timedelta(hours=hour, minutes=minute, seconds=second)
            return stamp
        # "22 Oct 2016", "October 22, 2016", "Mon, 17 Mar 2025 10:00 +0000"; a word alone ("Mar", a hotel
        # or a month name) is no date: without a number pandas makes it year 1, out of range.
        if re.search(r"[A-Za-z]{3}", text) and re.search(r"\d", text):
            return _naive(pd.to_datetime(text, dayfirst=dayfirst, format="mixed"))
    except (ValueError, OverflowError, TypeError):
        return False
    return False


def parse_dates(values: pd.Series, dayfirst: bool | None = None) -> tuple[pd.Series, pd.Series, bool]:
    """Parse a date column with the file's own convention.

    Accepts ISO (with `Z` or an offset), d/m/y or m/d/y with 12- or 24-hour clocks, month names, Excel
    serial numbers, Unix seconds or milliseconds, and bare years (see `year_only_mask`). A column that
    mixes times with and without a zone is put on one clock (UTC for the zoned ones).

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


def year_only_mask(values: pd.Series) -> pd.Series:
    """True where the cell is a year and nothing more ("2021", 2021): a year, not 1 January."""

    if values.map(type).isin([bool, np.bool_]).any():
        values = values.where(~values.map(type).isin([bool, np.bool_]), None)
    text = values.astype("string").str.strip()
    return text.str.fullmatch(r"(19|20)\d{2}(\.0+)?").fillna(False).astype(bool)


def parse_sentiment(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a sentiment column: positive/negative/neutral (en/es, any case, accents), pos/neg/neu, 1/0/-1.

    Returns:
        (categorical series with categories neg, neu, pos; mask of cells present but not understood)
    """

    def one(value):
        if _is_blank(value):
            return None
        if isinstance(value, (bool, np.bool_)):
            return False
        if isinstance(value, (int, np.integer, float, np.floating)):
            return {1: "pos", 0: "neu", -1: "neg"}.get(float(value), False)
        text = str(value).strip().replace("\u2212", "-")
        if re.match(r"^[+-]?\d+(\.0+)?$", text):
            return {1: "pos", 0: "neu", -1: "neg"}.get(int(float(text)), False)
        return SENTIMENT_WORDS.get(_word_key(text), False)

    mapped = _map_unique(values, one)
    invalid = pd.Series([v is False for v in mapped], index=values.index, dtype=bool)
    labels = [v if isinstance(v, str) else None for v in mapped]
    return pd.Series(pd.Categorical(labels, categories=SENTIMENTS), index=values.index), invalid


def is_retention_column(name: str) -> bool:
    """True when the header asks whether the customer stayed ("renewed", "bought again", "renovó")."""
    return bool(re.search(RETENTION_NAME, normalise_name(name))) and not re.search(
        r"\b(churn\w*|cancel\w*|baja|left)\b", normalise_name(name)
    )


def parse_churn(values: pd.Series, retention: bool = False) -> tuple[pd.Series, pd.Series]:
    """Parse a churn column into True (left), False (stayed) or NA.

    Accepts Sí/No, yes/no, true/false, 1/0 (yes means left, or stayed when `retention`), words that say it
    whatever the header (churned/active, cancelado/activo, left/stayed), and a cancellation date: when
    most answers are dates, a date means left and a blank means stayed (a renewal date: stayed).

    Returns:
        (boolean series, mask of cells present but not understood)
    """
    nonblank = values[~values.map(_is_blank)]
    date_mode = False
    if len(nonblank):
        words = nonblank.map(lambda v: _churn_word(v, retention) is not None)
        dates, _, _ = parse_dates(nonblank[~words.to_numpy()].iloc[:500])
        date_mode = bool(dates.notna().sum() >= 0.8 * len(nonblank))

    def one(value):
        if _is_blank(value):
            return False if date_mode and not retention else None
        word = _churn_word(value, retention)
        if word is not None:
            return word
        if date_mode and isinstance(_date_of(value, True), pd.Timestamp):
            return not retention
        return "bad"

    mapped = _map_unique(values, one)
    invalid = pd.Series([v == "bad" for v in mapped], index=values.index, dtype=bool)
    out = pd.array([v if isinstance(v, bool) else pd.NA for v in mapped], dtype="boolean")
    return pd.Series(out, index=values.index), invalid


def _churn_word(value, retention: bool):
    if isinstance(value, (bool, np.bool_)):
        return bool(value) != retention
    if isinstance(value, (int, np.integer, float, np.floating)) and float(value) in (0.0, 1.0):
        return (float(value) == 1.0) != retention
    key = _word_key(str(value))
    if key in CHURN_WORDS:
        return CHURN_WORDS[key]
    if key in YES_NO_WORDS:
        return YES_NO_WORDS[key] != retention
    return None


def _churn_share(series: pd.Series, name: str) -> float:
    sample = _nonblank(series)
    if sample.empty:
        return 0.0
    parsed, invalid = parse_churn(sample, is_retention_column(name))
    return float(parsed.notna().mean())


# --------------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------------


def _nonblank(series: pd.Series, limit: int = 2000) -> pd.Series:
    """The first `limit` values that are not blank (`_is_blank`, vectorised: detection runs on every column
    of every file opened, and a call per cell was most of it)."""
    sample = series.iloc[:limit]
    blank = sample.isna().to_numpy(dtype=bool, copy=True)
    if sample.dtype.kind not in "biufcmM":  # values that can be text (object, string, category)
        try:
            spaces = sample.str.strip().eq("")  # strings only: other values give a missing value here
        except (AttributeError, TypeError):  # no text among the values (datetimes, bytes): none is blank
            spaces = None
        if spaces is not None:
            blank |= spaces.fillna(False).to_numpy(dtype=bool)
    return sample[~blank]


def _score_share(series: pd.Series, lo: int, hi: int, words: bool = False) -> float:
    sample = _nonblank(series)
    if sample.empty:
        return 0.0
    scores, invalid = parse_scores(sample, lo, hi, words)
    return float(scores.notna().mean())


def infer_csat_scale(series: pd.Series) -> tuple[int, int]:
    """The smallest standard scale that holds the column's values."""
    sample = _nonblank(series, limit=20000)
    if _word_share(sample, (0, 1)) >= 0.8:
        # Good/Bad, Bueno/Malo, thumbs: two points, unless the answers also use a 5-point scale's words.
        five, _ = parse_scores(sample.astype(str), 1, 5, words=True)
        if not five.isin([1, 3, 5]).any():
            return (0, 1)
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


def _date_share(series: pd.Series, numbers: bool = False) -> float:
    """Share of values that are dates; numbers (years, serials, Unix times) only when `numbers`."""
    sample = _nonblank(series, limit=500)
    if sample.empty:
        return 0.0
    if not numbers and all(
        isinstance(v, (int, float, np.integer, np.floating)) or bool(_NUMBER.match(str(v).strip()))
        for v in sample
    ):
        return 0.0  # numbers are scores, counts or ids, not dates, unless the header says "date"
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
    """Short values from a small set ("Price", "Delivery"): a category, even under a comment-like header.

    A set is only small when values repeat: in a file of one or two short comments ("Too slow") nothing
    says "category", so a comment-like header is trusted.
    """
    values = _nonblank(series).astype(str)
    if values.empty:
        return False
    distinct = values.nunique()
    return (
        values.str.split().str.len().mean() < 2.5
        and distinct <= min(20, max(2, len(values) // 2))
        and distinct < len(values)
    )


def _is_idlike(series: pd.Series) -> bool:
    """Unique values without spaces ("R_1dKx9", "es_cafe_casa_7_JoseLuis_2015-02-16"): an id, not words."""
    values = _nonblank(series, limit=20000).astype(str).str.strip()
    if len(values) < 2 or len(values) < 0.9 * min(len(series), 20000) or values.nunique() != len(values):
        return False
    if values.str.contains(r"\s").any() or values.str.len().max() > 80:
        return False
    return bool(values.str.contains(r"\d").all()) and values.str.len().mean() >= 4


def _is_json_cells(series: pd.Series) -> bool:
    values = _nonblank(series, limit=500)
    if values.empty or not all(isinstance(v, str) for v in values):
        return False
    return bool(values.str.match(r"^\s*[\[{]").all() and values.str.contains(r"[\]}]\s*$").all())


def _sentiment_share(series: pd.Series) -> float:
    sample = _nonblank(series)
    if sample.empty:
        return 0.0
    labels, _ = parse_sentiment(sample)
    return float(labels.notna().mean())


def _word_share(series: pd.Series, scale: tuple[int, int]) -> float:
    """Share of values that are written answers on this scale (not plain numbers)."""
    sample = _nonblank(series).astype(str)
    if sample.empty or sample.str.strip().str.match(r"^[+-]?\d").mean() > 0.5:
        return 0.0
    keys = sample.map(_word_key)
    answered = sample[~keys.isin(UNANSWERED)]
    if answered.empty:
        return 0.0
    scores, _ = parse_scores(answered, *scale, words=True)
    return float(scores.notna().mean())


def detect_roles(frame: pd.DataFrame, questions: dict[str, str] | None = None) -> Roles:
    """Guess each column's role from its header (English and Spanish) and then from its values.

    Args:
        frame: the raw frame.
        questions: column -> question text from a second header row (Qualtrics); by default the reader's
            `frame.attrs["questions"]`. The question counts as part of the header.
    """
    roles = Roles()
    taken: set[str] = set()
    questions = questions if questions is not None else frame.attrs.get("questions", {}) or {}
    own = {col: normalise_name(col) for col in frame.columns}
    names = {col: (own[col] + " " + normalise_name(questions.get(col, ""))).strip() for col in frame.columns}
    metadata = {col for col in frame.columns if METADATA.match(own[col])}
    nps_groups = {col for col in frame.columns if NPS_GROUP.search(own[col])}
    # JSON lists kept whole (Delighted's notes, tags) answer nothing; empty columns come last, so an empty
    # "Notes" never joins a filled "Comment", yet a file whose only NPS column is empty still has its role.
    empty = {col for col in frame.columns if _nonblank(frame[col], limit=20000).empty}
    unusable = {col for col in frame.columns if col not in empty and _is_json_cells(frame[col])}
    by_name_order = [c for c in frame.columns if c not in empty] + [c for c in frame.columns if c in empty]

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
            if re.match(rf"^{role}\b", name):
                return True
            if words and max(_word_share(series, (1, 5)), _word_share(series, (0, 1))) >= 0.5:
                return True
            return _score_share(series, lo, hi) >= 0.5

        return check

    checks = {
        "id": lambda s, name: True,
        "text": lambda s, name: not _is_code(s) and not _is_idlike(s),
        "date": lambda s, name: _date_share(s, numbers=True) >= 0.5,
        "nps": score_check("nps", 0, 10),
        "ces": score_check("ces", 1, 7),
        "sentiment": lambda s, name: _sentiment_share(s) >= 0.5,
        "churned": lambda s, name: _churn_share(s, name) >= 0.8,
        "csat": score_check("csat", 0, 10, words=True),
    }
    for role, pattern in NAME_PATTERNS.items():
        if role == "date":
            continue
        for col in by_name_order:
            if col in taken or col in nps_groups or (role != "text" and getattr(roles, role)):
                continue
            if role == "text" and col in empty and roles.text:
                continue
            name = own[col] if role == "id" else names[col]
            if role == "id" and col.strip() == "#":  # Typeform's response token
                take("id", col)
                continue
            if role in ("text", "csat", "nps", "ces", "sentiment", "churned") and (
                col in metadata or col in unusable
            ):
                continue
            if re.search(pattern, name) and checks[role](frame[col], name):
                take(role, col)
    # The date: every column whose header says date and whose values are dates, the most telling first.
    candidates = [
        col
        for col in frame.columns
        if col not in taken
        and re.search(NAME_PATTERNS["date"], names[col])
        and not _nonblank(frame[col]).empty
        and checks["date"](frame[col], names[col])
    ]
    if candidates:
        rank = {
            col: next(
                (i for i, p in enumerate(DATE_PREFERENCE) if re.search(p, own[col])), len(DATE_PREFERENCE)
            )
            for col in candidates
        }
        take("date", min(candidates, key=lambda c: rank[c]))
    other_dates = {c for c in candidates if c != roles.date}  # a second date is never the id
    # Delighted's "Score" with 0-10 answers is the NPS question, not a satisfaction scale.
    if roles.csat and not roles.nps and re.match(GENERIC_SCORE, own[roles.csat]):
        scores, _ = parse_scores(_nonblank(frame[roles.csat], 20000), 0, 10)
        scores = scores.dropna()
        if len(scores) and (scores.max() > 7 or scores.min() == 0):
            roles.nps, roles.csat = roles.csat, None

    # Value-based fallbacks for columns whose header said nothing.
    for col in frame.columns:
        if col in taken or col in nps_groups or col in metadata or col in unusable or col in empty:
            continue
        series = frame[col]
        if not roles.date and _date_share(series) >= 0.8:
            take("date", col)
        elif not roles.id and _is_idlike(series) and col not in other_dates:
            take("id", col)
        elif _is_texty(series):
            take("text", col)
        elif re.search(NAME_PATTERNS["text"], names[col]):
            continue  # "comment: good / bad" is a short comment or a category, never a score
        elif not roles.sentiment and _sentiment_share(series) >= 0.9 and not _score_share(series, 0, 10):
            take("sentiment", col)
        elif not roles.csat and (_word_share(series, (1, 5)) >= 0.8 or _word_share(series, (0, 1)) >= 0.8):
            take("csat", col)
        elif not roles.nps and _score_share(series, 0, 10) >= 0.95 and _nonblank(series).nunique() >= 6:
            take("nps", col)
    for col in frame.columns:
        if col in taken or col in metadata or col in nps_groups or col in unusable or col in empty:
            continue
        sample = _nonblank(frame[col], limit=20000)
        distinct = sample.astype(str).nunique()
        if (
            not roles.id
            and col not in other_dates
            and len(sample) == len(frame.iloc[:20000])
            and distinct == len(sample) > 1
        ):
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
    if not (roles.nps or roles.csat or roles.ces or roles.text or roles.sentiment or roles.churned):
        raise InputError(ERRORS["no_measure"])
    if tuple(roles.csat_scale) not in CSAT_SCALES:
        raise InputError(ERRORS["bad_scale"].format(scale=f"{roles.csat_scale[0]}-{roles.csat_scale[1]}"))


def build_dataset(table: RawTable, roles: Roles | None = None, estimate_sentiment: bool = True) -> Dataset:
    """Apply roles to a raw table: parse every role, derive columns, and report every row not kept.

    A file with comments but no NPS, CSAT or sentiment column gets an estimated sentiment (cx.sentiment):
    its complaints are the comments likely negative, and `sentiment_source` is "estimated"
    (`estimate_sentiment=False` skips that, and every comment counts as a complaint).

    A row is kept when it has at least one answer: a valid score (NPS, CSAT, CES), a comment or a
    sentiment label. Otherwise it is rejected with its reason (empty row, survey offered but not
    answered, no valid score or comment), as are duplicate ids and the reader's own rejections.
    """
    raw = table.frame
    roles = roles or detect_roles(raw, table.questions)
    validate_roles(roles, raw.columns)
    n = len(raw)
    out = pd.DataFrame(index=raw.index)
    invalid_values: dict[str, int] = {}
    notes: list[str] = list(table.notes)

    if roles.id:
        ids = raw[roles.id].map(lambda v: "" if _is_blank(v) else str(v).strip())
        generated = pd.Series([f"row-{i + 1}" for i in range(n)], index=raw.index)
        out["response_id"] = ids.where(ids != "", generated).astype("string")
    else:
        out["response_id"] = pd.Series([f"row-{i + 1}" for i in range(n)], index=raw.index, dtype="string")

    if roles.date:
        dates, bad, dayfirst = parse_dates(raw[roles.date], roles.dayfirst)
        out["date"] = dates
        out["year_only"] = year_only_mask(raw[roles.date]) & dates.notna()
        invalid_values[roles.date] = int(bad.sum())
        if (
            detect_dayfirst(raw[roles.date]) is None
            and roles.dayfirst is None
            and _has_ambiguous(raw[roles.date])
        ):
            notes.append(REASONS["dayfirst_assumed"])
    else:
        out["date"] = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
        out["year_only"] = False
    out["year_only"] = out["year_only"].astype(bool)

    score_cols = {
        "nps": (roles.nps, (0, 10), False),
        "csat": (roles.csat, tuple(roles.csat_scale), True),
    }
    score_cols["ces"] = (roles.ces, (1, 7), False)
    valid_score = pd.Series(False, index=raw.index)
    unanswered = pd.Series(False, index=raw.index)
    for name, (col, (lo, hi), words) in score_cols.items():
        if col:
            scores, bad = parse_scores(raw[col], lo, hi, words=words and (lo, hi) in ((1, 5), (0, 1)))
            invalid_values[col] = invalid_values.get(col, 0) + int(bad.sum())
            valid_score |= scores.notna()
            if words:
                unanswered |= pd.Series(
                    _map_unique(raw[col], lambda v: isinstance(v, str) and _word_key(v) in UNANSWERED),
                    index=raw.index,
                    dtype=bool,
                )
        else:
            scores = pd.Series(pd.NA, index=raw.index, dtype="Int64")
        out[name] = scores
    if roles.csat and tuple(roles.csat_scale) == (0, 1):
        notes.append(NOTES["two_point_csat"].format(column=roles.csat))

    if roles.text:
        parts = [raw[c].map(lambda v: "" if _is_blank(v) else str(v).strip()) for c in roles.text]
        joined = parts[0]
        for part in parts[1:]:
            joined = joined.str.cat(part, sep=TEXT_JOINER).str.strip(" |")
        out["text"] = joined.where(joined != "", None).astype("string")
    else:
        out["text"] = pd.Series(pd.NA, index=raw.index, dtype="string")

    if roles.sentiment:
        out["sentiment"], bad = parse_sentiment(raw[roles.sentiment])
        invalid_values[roles.sentiment] = invalid_values.get(roles.sentiment, 0) + int(bad.sum())
    else:
        out["sentiment"] = pd.Series(pd.Categorical([None] * n, categories=SENTIMENTS), index=raw.index)

    if roles.churned:
        out["churned"], bad = parse_churn(raw[roles.churned], is_retention_column(roles.churned))
        invalid_values[roles.churned] = invalid_values.get(roles.churned, 0) + int(bad.sum())
        valid_score |= out["churned"].notna().to_numpy(dtype=bool)
    else:
        out["churned"] = pd.Series(pd.NA, index=raw.index, dtype="boolean")

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
    unusable = ~valid_score & out["text"].isna() & out["sentiment"].isna() & reasons.isna()
    reasons[unusable & unanswered] = REASONS["not_answered"]
    reasons[unusable & ~unanswered] = REASONS["no_measure"]

    rejected_mask = reasons.notna()
    rejected = raw[rejected_mask].copy()
    rejected.columns = [f"{c} (original)" if c in ("row", "reason", "line") else c for c in rejected.columns]
    rejected.insert(0, "reason", reasons[rejected_mask])
    rejected.insert(0, "row", rejected.index + 1)
    if table.rejected:
        extra = pd.DataFrame(table.rejected, columns=["row", "reason", "line"])
        rejected = pd.concat([rejected, extra], ignore_index=True).sort_values("row", kind="stable")
    kept = out[~rejected_mask]
    sentiment_source = f"column {roles.sentiment}" if roles.sentiment else None
    if estimate_sentiment and not (roles.nps or roles.csat or roles.sentiment) and kept["text"].notna().any():
        kept, sentiment_source = _estimate_sentiment(kept, notes)
    frame = add_derived(kept, roles)
    years = int(frame["year_only"].sum())
    if years:
        notes.append(NOTES["year_only"].format(n=years))
    nps_groups = [
        c for c in raw.columns if NPS_GROUP.search(normalise_name(c)) and c not in roles.used_columns()
    ]
    if nps_groups and roles.nps:
        notes.append(NOTES["nps_group_ignored"].format(columns=", ".join(nps_groups)))
    if roles.sentiment and not (roles.nps or roles.csat):
        notes.append(NOTES["sentiment_complaints"].format(column=roles.sentiment))
    return Dataset(
        frame=frame,
        raw=raw,
        roles=roles,
        rejected=rejected.reset_index(drop=True),
        invalid_values=invalid_values,
        rows_read=table.rows_read,
        notes=notes,
        sentiment_source=sentiment_source,
    )


def _estimate_sentiment(frame: pd.DataFrame, notes: list[str]) -> tuple[pd.DataFrame, str | None]:
    """The frame with its likely negative comments marked (cx.sentiment), and the sentiment source."""
    from cx.sentiment import add_estimated_sentiment

    try:
        out = add_estimated_sentiment(frame)
    except Exception as error:  # a broken model install must not cost the user the file
        notes.append(NOTES["sentiment_not_estimated"].format(reason=f"{type(error).__name__}: {error}"))
        return frame, None
    read = out["sentiment_estimated"]
    if not read.any():  # every comment was empty once cleaned (links, handles): nothing was estimated
        return frame, None
    negative = int((read & (out["sentiment"] == "neg")).sum())
    if int(read.sum()) == 1:
        verdict = NOTES["likely_negative"] if negative else NOTES["not_likely_negative"]
        notes.append(NOTES["sentiment_estimated_one"].format(verdict=verdict))
    else:
        notes.append(NOTES["sentiment_estimated"].format(n=negative, total=int(read.sum())))
    return out, "estimated"


def _has_ambiguous(values: pd.Series) -> bool:
    return bool(values.dropna().astype(str).str.strip().str.match(_NUMERIC_DMY.pattern).any())


def satisfied_threshold(scale: tuple[int, int]) -> tuple[int, int]:
    """(lowest satisfied answer, highest complaint answer): top and bottom two boxes; one box on two points."""
    lo, hi = scale
    return (hi, lo) if hi - lo < 2 else (hi - 1, lo + 1)


def add_derived(frame: pd.DataFrame, roles: Roles, text_only=None) -> pd.DataFrame:
    """Add nps_group, csat_satisfied and is_complaint (DESIGN.md definitions).

    Complaints: NPS detractors and CSAT bottom boxes when the file has a score; otherwise comments whose
    sentiment is negative when it has a sentiment; otherwise every comment (a support ticket or a social
    post is one unless the user says otherwise). Each rule is one function in `COMPLAINT_RULES` order, so
    an estimated sentiment can be added as one more.

    Args:
        text_only: boolean mask of rows that came from a file without scores; their comments count as
            complaints (a support ticket or a social post is one unless the user says otherwise).
    """
    frame = frame.copy()
    if "sentiment" not in frame:
        frame["sentiment"] = pd.Categorical([None] * len(frame), categories=SENTIMENTS)
    else:
        frame["sentiment"] = pd.Categorical(frame["sentiment"].astype(object), categories=SENTIMENTS)
    if "sentiment_estimated" in frame:  # rows stacked from a file that was not estimated: not estimated
        frame["sentiment_estimated"] = (
            frame["sentiment_estimated"].astype("boolean").fillna(False).astype(bool)
        )
    if "year_only" not in frame:
        frame["year_only"] = False
    frame["year_only"] = frame["year_only"].fillna(False).astype(bool)
    nps = frame["nps"]
    group = pd.Series(pd.NA, index=frame.index, dtype=object)
    group[nps.notna() & (nps >= 9)] = "promoter"
    group[nps.notna() & (nps >= 7) & (nps <= 8)] = "passive"
    group[nps.notna() & (nps <= 6)] = "detractor"
    frame["nps_group"] = pd.Categorical(group, categories=NPS_GROUPS)
    top, bottom = satisfied_threshold(tuple(roles.csat_scale))
    csat = frame["csat"]
    frame["csat_satisfied"] = (csat >= top).astype("boolean")
    for rule in COMPLAINT_RULES:
        complaint = rule(frame, roles, text_only, bottom)
        if complaint is not None:
            break
    frame["is_complaint"] = complaint.astype(bool)
    return frame


def _complaints_from_scores(frame, roles, text_only, bottom):
    if not (roles.nps or roles.csat):
        return None
    complaint = (frame["nps"] <= 6).fillna(False) | (frame["csat"] <= bottom).fillna(False)
    if text_only is not None:
        extra = frame["text"].notna() & pd.Series(text_only, index=frame.index)
        if "sentiment_estimated" in frame:  # a comments-only file's complaints: its likely negative comments
            extra &= ~frame["sentiment_estimated"] | (frame["sentiment"] == "neg").fillna(False)
        complaint |= extra
    return complaint


def _complaints_from_sentiment(frame, roles, text_only, bottom):
    if not roles.sentiment:
        return None
    return (frame["sentiment"] == "neg").fillna(False)


def _complaints_from_estimate(frame, roles, text_only, bottom):
    if "sentiment_estimated" not in frame or not frame["sentiment_estimated"].any():
        return None
    return (frame["sentiment"] == "neg").fillna(False)


def _every_comment(frame, roles, text_only, bottom):
    return frame["text"].notna()


COMPLAINT_RULES = [
    _complaints_from_scores,
    _complaints_from_sentiment,
    _complaints_from_estimate,
    _every_comment,
]


# --------------------------------------------------------------------------------------------------
# Role flags (the command line's --nps, --csat, --text, --header-row …): one rule for every verb
# --------------------------------------------------------------------------------------------------


@dataclass
class RoleFlags:
    """The role flags of the command line (None: detected). The field names are the flags' argparse
    destinations, so `RoleFlags.from_args(args)` takes them from any verb's parsed arguments; `cx batch`
    applies the same flags to every file, and keeps them in its folder's settings."""

    id: str | None = None
    date: str | None = None
    nps: str | None = None
    csat: str | None = None
    csat_scale: str | None = None
    ces: str | None = None
    text: list[str] | None = None
    segment: list[str] | None = None
    sentiment: str | None = None
    churned: str | None = None
    dayfirst: bool | None = None
    sheet: str | None = None
    header_row: int | None = None

    @classmethod
    def from_args(cls, args) -> RoleFlags:
        """The flags of a parsed command line (an argparse Namespace; a flag it lacks is None)."""
        return cls(**{name: getattr(args, name, None) for name in cls.__dataclass_fields__})


def roles_with_flags(table: RawTable, flags: RoleFlags) -> Roles:
    """The table's detected roles with the flags applied over them.

    A column given a role by flag loses every role detection gave it; a given date column's day/month
    order is detected from that column (unless --dayfirst/--monthfirst says it); a given CSAT column's
    scale is inferred from its values unless --csat-scale names it.

    Raises:
        InputError: --csat-scale is not one of SCALE_CHOICES.
    """
    given = {
        name: getattr(flags, name) for name in ("id", "date", "nps", "csat", "ces", "sentiment", "churned")
    }
    roles = detect_roles(table.frame, table.questions).with_user_roles(
        **given, text=flags.text, segments=flags.segment
    )
    if flags.date:
        roles.dayfirst = None  # the given column's own convention, detected when the dataset is built
    if flags.csat_scale:
        try:
            lo, hi = (int(x) for x in flags.csat_scale.split("-"))
            if (lo, hi) not in CSAT_SCALES:
                raise ValueError
        except ValueError:
            raise InputError(
                f"--csat-scale {flags.csat_scale!r} is not one of {', '.join(SCALE_CHOICES)}."
            ) from None
        roles.csat_scale = (lo, hi)
    elif flags.csat:
        roles.csat_scale = (
            infer_csat_scale(table.frame[flags.csat]) if flags.csat in table.frame else CSAT_SCALES[0]
        )
    if flags.dayfirst is not None:
        roles.dayfirst = flags.dayfirst
    return roles


def load_with_flags(path, flags: RoleFlags) -> Dataset:
    """Read one file (--sheet, --header-row) and build its dataset with the role flags applied: what every
    command-line verb and each file of `cx batch` do.

    Raises:
        InputError: the file cannot be used (the message says why).
    """
    table = read_file(path, sheet=flags.sheet, header_row=flags.header_row)
    return build_dataset(table, roles_with_flags(table, flags))
