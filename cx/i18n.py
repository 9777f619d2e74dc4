"""The language of this run, and the translations of cx/strings.py.

English is the source: every dict of cx/strings.py is the English catalogue. A translation is one plain
JSON file per language, cx/locales/<lang>.json, `{"UI": {"key": "text", ...}, "METRICS": {...}, ...}`.
A key a translation lacks shows in English, so a key someone adds to cx/strings.py works at once.

The active language lives in a ContextVar: the app sets it at the start of every Streamlit run (each
session runs in its own thread, so two browsers in two languages never mix), the CLI once per command.
Text read from a catalogue in Spanish or Galician formats its numbers the local way:
`UI["filter_count"].format(n=1234, total=5000)` gives "1.234 de 5.000 ...".
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import os
import re
import string
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import TypeVar

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal

LANGUAGES = {"en": "English", "es": "Español", "gl": "Galego"}
DEFAULT = "en"
LOCALES = Path(__file__).resolve().parent / "locales"

_LANG: ContextVar[str] = ContextVar("cx_lang", default=DEFAULT)
T = TypeVar("T")


def language() -> str:
    """The language of this run ("en", "es" or "gl")."""
    return _LANG.get()


def set_language(lang: str | None) -> str:
    """Make `lang` the language of this run (anything unknown: English); returns the one set."""
    lang = lang if lang in LANGUAGES else DEFAULT
    _LANG.set(lang)
    return lang


def keep_language(call: Callable[[], T]) -> Callable[[], T]:
    """`call`, run later in the language of now (Streamlit runs a deferred download in another thread)."""
    lang = language()

    def run() -> T:
        token = _LANG.set(lang)
        try:
            return call()
        finally:
            _LANG.reset(token)

    return run


def from_locale(tag: str | None) -> str:
    """The language for a browser or environment locale: es-ES, es_AR.UTF-8 → es; gl-ES → gl; else en."""
    head = re.split(r"[-_.@]", (tag or "").strip().lower(), maxsplit=1)[0]
    return head if head in LANGUAGES else DEFAULT


def environment_language() -> str:
    """The language of the environment: CX_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG; POSIX order)."""
    for name in ("CX_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return from_locale(os.environ[name])
    return DEFAULT


@cache
def translations(lang: str) -> dict[str, dict]:
    """The translation file of `lang` (empty for English or a language without a file)."""
    path = LOCALES / f"{lang}.json"
    if lang == DEFAULT or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


class Text(str):
    """A translated catalogue string: `.format` writes numbers the way the language does (1.234,5)."""

    __slots__ = ("lang",)

    def __new__(cls, value: str, lang: str) -> Text:
        text = super().__new__(cls, value)
        text.lang = lang
        return text

    def __getnewargs__(self) -> tuple[str, str]:  # pickle and deepcopy (st.cache_data pickles results)
        return str(self), self.lang

    def format(self, *args, **kwargs) -> str:
        return _LocalFormatter(self.lang).vformat(str(self), args, kwargs)


class _LocalFormatter(string.Formatter):
    SPEC = re.compile(r"(?P<sign>[+]?)(?P<width>\d*)(?P<group>,?)(?:\.(?P<digits>\d+))?(?P<kind>[dfg%]?)")

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        match = self.SPEC.fullmatch(format_spec)
        if (
            match
            and format_spec
            and isinstance(value, numbers.Real)  # numpy's integers and floats too
            and not isinstance(value, bool)
            and math.isfinite(value)
        ):
            digits, width = match["digits"], int(match["width"] or 0)
            if match["kind"] == "f" and digits is not None:
                return number(value, int(digits), sign=bool(match["sign"]), lang=self.lang).rjust(width)
            if match["kind"] == "%":  # {share:.0%}: 0.4 → "40 %"
                return percent(100 * value, int(digits or 0), lang=self.lang).rjust(width)
            if match["kind"] in ("", "d", "g") and digits is None:
                text = format_decimal(value, locale=self.lang, group_separator=bool(match["group"]))
                return (("+" + text) if match["sign"] and value > 0 else text).rjust(width)
        return super().format_field(value, format_spec)


class Catalogue(Mapping):
    """One dict of cx/strings.py that answers in the active language (English where not translated).

    Reads like the dict it wraps (`UI["upload"]`, `METRICS.get(m)`, `key in UI`), so no caller changes.
    """

    def __init__(self, name: str, english: dict) -> None:
        self.name = name
        self.english = english

    def __getitem__(self, key: str):
        value = self.english[key]
        lang = _LANG.get()
        if lang == DEFAULT:
            return value
        local = translations(lang).get(self.name, {}).get(key)
        if local is None or type(local) is not type(value):
            return value
        return Text(local, lang) if isinstance(local, str) else local

    def __iter__(self) -> Iterator[str]:
        return iter(self.english)

    def __len__(self) -> int:
        return len(self.english)

    def __repr__(self) -> str:
        return f"Catalogue({self.name!r}, {len(self)} keys)"


def wrap_module(module) -> None:
    """Make every UPPER-CASE dict of `module` (cx/strings.py) a Catalogue when it is imported from.

    Done on attribute access, so a dict that anyone adds to the module later is translated too.
    """
    wrapped: dict[str, Catalogue] = {}

    class CatalogueModule(type(module)):
        def __getattribute__(self, name: str):
            value = super().__getattribute__(name)
            if name.isupper() and isinstance(value, dict):
                found = wrapped.get(name)
                if found is None or found.english is not value:
                    found = wrapped[name] = Catalogue(name, value)
                return found
            return value

    module.__class__ = CatalogueModule


# ----------------------------------------------------------------------------------------------
# Numbers and dates, the local way (Babel)
# ----------------------------------------------------------------------------------------------

MINUS = "−"  # a true minus sign, as on the chart axes


def number(value: float, digits: int = 0, sign: bool = False, lang: str | None = None) -> str:
    """4,1 / 1.234 / +16 / −4 in the active language (– when there is no value)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    lang = lang or _LANG.get()
    rounded = round(float(value), digits)
    if rounded == 0:
        rounded = 0.0  # never "−0"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    text = format_decimal(abs(rounded), format=pattern, locale=lang)
    if rounded < 0:
        return MINUS + text
    return ("+" + text) if sign and rounded > 0 else text


def percent(value: float, digits: int = 0, lang: str | None = None) -> str:
    """ "41 %", "4,5 %" (a space before the sign in every language, as the app has always written it)."""
    text = number(value, digits, lang=lang)
    return text if text == "–" else f"{text} %"


def month_year(value: dt.date, lang: str | None = None) -> str:
    """March 2025 / marzo de 2025."""
    return format_skeleton("yMMMM", value, locale=lang or _LANG.get())


def short_date(value: dt.date, lang: str | None = None) -> str:
    """Mar 1, 2025 / 1 mar 2025."""
    return format_skeleton("yMMMd", value, locale=lang or _LANG.get())


def d3_locale(lang: str | None = None) -> dict:
    """The d3 number and time locale of a language, for Vega-Lite's `config.locale` (Altair charts)."""
    loc = Locale.parse(lang or _LANG.get())
    decimal = loc.number_symbols["latn"]["decimal"]
    group = loc.number_symbols["latn"]["group"]
    months, days = loc.months["format"], loc.days["format"]
    order = [6, 0, 1, 2, 3, 4, 5]  # d3 weeks start on Sunday; Babel numbers days from Monday
    date_format = {"en": "%m/%d/%Y", "es": "%d/%m/%Y", "gl": "%d/%m/%Y"}.get(str(loc), "%d/%m/%Y")
    return {
        "number": {"decimal": decimal, "thousands": group, "grouping": [3], "currency": ["", " €"]},
        "time": {
            "dateTime": f"%a, {date_format} %H:%M:%S",
            "date": date_format,
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": [days["wide"][i] for i in order],
            "shortDays": [days["abbreviated"][i] for i in order],
            "months": [months["wide"][i] for i in range(1, 13)],
            "shortMonths": [months["abbreviated"][i] for i in range(1, 13)],
        },
    }


PERIOD_SKELETONS = {"day": "yMMMd", "week": "yMMMd", "month": "yMMM", "quarter": "yQQQ", "year": "y"}


def period(value: dt.date, granularity: str, lang: str | None = None) -> str:
    """A period by its start: 1 mar 2025 (day, week), mar 2025, T1 2025, 2025."""
    return format_skeleton(PERIOD_SKELETONS.get(granularity, "yMMMd"), value, locale=lang or _LANG.get())
