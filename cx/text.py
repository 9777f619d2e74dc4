"""Comment text: cleaning before embedding, PII masking for display, language detection, stop words."""

from __future__ import annotations

import re
from functools import lru_cache

# What a person sees instead of the personal data (also what a label may contain).
MASKS = {"email": "[email]", "iban": "[iban]", "card": "[card]", "phone": "[phone]"}

_URL = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.])@\w{2,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
# Phone numbers: an optional +country code, then 8 to 14 digits with spaces, dots, dashes or brackets.
_PHONE = re.compile(r"(?<![\w/])(?:\+|00)?\d{1,3}?[ .-]?(?:\(\d{1,4}\)[ .-]?)?(?:\d[ .-]?){7,13}\d\b")
_SPACE = re.compile(r"\s+")

# Languages worth telling apart in CX files; lingua has no Galician (it is reported as pt or es).
LANGUAGES = ["en", "es", "pt", "ca", "fr", "de", "it"]


def mask_pii(text: str) -> str:
    """Replace emails, IBANs, card-like numbers and phone numbers with a placeholder."""
    text = _EMAIL.sub(MASKS["email"], text)
    text = _IBAN.sub(MASKS["iban"], text)
    text = _CARD.sub(lambda m: MASKS["card"] if _luhn_ok(m.group()) else m.group(), text)
    return _PHONE.sub(MASKS["phone"], text)


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def clean(text: str) -> str:
    """Text as it is embedded: URLs and @handles removed, PII masked, whitespace collapsed."""
    text = _URL.sub(" ", str(text))
    text = _HANDLE.sub(" ", text)
    text = mask_pii(text)
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).build()


def detect_languages(texts: list[str]) -> list[str | None]:
    """ISO 639-1 code of each text's language (None when it cannot tell, e.g. "ok")."""
    if not texts:
        return []
    results = _detector().detect_languages_in_parallel_of(list(texts))
    return [r.iso_code_639_1.name.lower() if r is not None else None for r in results]


@lru_cache(maxsize=16)
def stop_words(languages: tuple[str, ...]) -> frozenset[str]:
    """Stop words of every language given (plus Galician with Spanish/Portuguese, which lingua cannot tell)."""
    import stopwordsiso

    codes = set(languages) | {"en"}
    if codes & {"es", "pt"}:
        codes.add("gl")
    words: set[str] = set()
    for code in sorted(codes):
        if stopwordsiso.has_lang(code):
            words |= set(stopwordsiso.stopwords(code))
    return frozenset(w.lower() for w in words)
