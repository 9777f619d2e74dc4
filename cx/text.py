"""Comment text: cleaning before embedding, PII masking for display, language detection, stop words."""

from __future__ import annotations

import re
import unicodedata
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


# ------------------------------------------------------------------------------------------------
# Parts: sentences and clauses, so that a comment with three problems gives three things to group
# ------------------------------------------------------------------------------------------------

# A sentence ends at . ! ? … ; or a line break. A full stop after a one-letter word or a common
# abbreviation ("Sr.", "e.g.", "approx.") or between digits ("3.5") does not end one.
_ABBREVIATIONS = frozenset(
    "sr sra srta dr dra mr mrs ms st vs etc eg ie approx aprox min max núm num no nº pág pag tel ud uds av avda".split()
)
_SENTENCE_END = re.compile(r"(?:[.!?…]+|;|\n+)(?=\s|$|[\"'”»)])")
# Words that join two clauses that may be about different things (contrast, addition), in en/es/gl/pt.
# Ambiguous ones ("mas", "mais": "but" in Portuguese/Galician, "more" elsewhere; "while") only after a comma.
_JOINERS = [
    # English
    "but also",
    "but",
    "however",
    "although",
    "though",
    "and also",
    "also",
    "plus",
    "on top of that",
    "apart from that",
    "besides",
    "yet",
    "whereas",
    # Spanish
    "pero además",
    "pero también",
    "pero",
    "aunque",
    "sin embargo",
    "no obstante",
    "y además",
    "además",
    "y también",
    "también",
    "encima",
    "aparte de eso",
    "en cambio",
    "mientras que",
    # Galician
    "pero ademais",
    "ademais",
    "e tamén",
    "tamén",
    "aínda que",
    "non obstante",
    "polo contrario",
    # Portuguese
    "porém",
    "contudo",
    "embora",
    "no entanto",
    "todavia",
    "e também",
    "também",
    "além disso",
    "entretanto",
]
_COMMA_JOINERS = ["mas", "mais", "while", "and", "y", "e"]
_JOINER = re.compile(
    r"(?:(?<=[\s,(])|^)(?:"
    + "|".join(re.escape(j) for j in sorted(_JOINERS, key=len, reverse=True))
    + r")\b[,:]?\s*"
    + r"|,\s*(?:"
    + "|".join(_COMMA_JOINERS)
    + r")\s+(?=\w)",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")
MIN_PART_WORDS = 2


def split_sentences(text: str) -> list[str]:
    """Sentences of a text (see _SENTENCE_END), stripped, empty ones dropped."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()]
        last = re.findall(r"[\wº]+$", before)
        if match.group().startswith(".") and last and len(match.group()) == 1:
            word = last[0].lower()
            following = text[match.end() : match.end() + 2]
            if len(word) == 1 or word in _ABBREVIATIONS or (word.isdigit() and following[:1].isdigit()):
                continue
        sentences.append(text[start : match.end()])
        start = match.end()
    sentences.append(text[start:])
    return [s.strip() for s in sentences if _LETTER.search(s)]


def split_clauses(sentence: str) -> list[str]:
    """A sentence cut before each joining word ("but", "pero", "aunque", "e tamén", ", mais"…).

    The joining word itself is dropped ("the food was good but the room was dirty" gives "the food was
    good" and "the room was dirty"). A piece of fewer than MIN_PART_WORDS words stays with its neighbour
    ("ok but" is not a part).
    """
    pieces, start = [], 0
    for match in _JOINER.finditer(sentence):
        pieces.append((sentence[start : match.start()], match.group()))
        start = match.end()
    pieces.append((sentence[start:], ""))
    parts: list[str] = []
    pending = ""
    for text, joiner in pieces:
        text = text.strip(" ,;:-–—")
        if not text:
            pending = (pending + " " + joiner).strip() if pending else ""
            continue
        if len(text.split()) < MIN_PART_WORDS:
            if parts and not pending:
                parts[-1] = f"{parts[-1]} {text}".strip()  # keep "not good" with what it follows
                continue
            pending = f"{pending} {text} {joiner}".strip()
            continue
        parts.append(f"{pending} {text}".strip() if pending else text)
        pending = ""
    if pending:
        if parts:
            parts[-1] = f"{parts[-1]} {pending}".strip(" ,;:")
        else:
            parts.append(pending.strip(" ,;:"))
    return [p.strip(" ,;:") for p in parts if _LETTER.search(p)]


def split_parts(text: str) -> list[str]:
    """The parts of a comment: its sentences, each cut at words that join clauses about different things.

    Works the same in English, Spanish, Galician and Portuguese (the joining words of all four are
    known); a comment with no sentence end and no joining word is one part.
    """
    return [part for sentence in split_sentences(str(text)) for part in split_clauses(sentence)]


# ------------------------------------------------------------------------------------------------
# Names: what a theme must not be about (places, products, airlines, handles)
# ------------------------------------------------------------------------------------------------

_HASHTAG = re.compile(r"#(\w+)")
_DOT_HANDLE = re.compile(r"(?:(?<=\s)|^)\.@\w{2,}")  # ".@delta": a tweet's public reply
_RT = re.compile(r"(?<!\w)rt\b:?", re.IGNORECASE)
_NUMBER = re.compile(r"(?<!\w)[#№nº]*\d[\d.,:/%º°hH€$£-]*(?!\w)")
_CURRENCY = re.compile(r"(?<!\w)[€$£¥%]+(?!\w)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
MAX_NAME_VALUES = 2_000  # a "segment" with more distinct values than this is free text, not names


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


# Accented Latin letters to their base letter, one character for one (positions are kept).
_FOLD_TABLE = {
    code: base
    for code in range(0xC0, 0x250)
    if len(base := _fold_char(chr(code).lower())) == 1 and base != chr(code).lower()
}


def _fold(word: str) -> str:
    """Lower case without accents: how names are compared ("Málaga" = "malaga")."""
    folded = word.lower().translate(_FOLD_TABLE)
    if folded.isascii():
        return folded
    return "".join(_fold_char(c) for c in word.casefold())


class NameMasker:
    """Removes the file's own names from comments before they are embedded and labelled.

    Names are: every value of the segment columns (places, products, airlines), the @handles and the
    hashtags that name one of them, "RT", numbers, URLs. Whole values are removed wherever they appear;
    a word of a longer value ("Guanajuato" in "Museo de las Momias de Guanajuato") is removed where the
    comments write it as a name, that is capitalised in most of its occurrences, so "delivery" stays a
    word when one segment value is "Delivery".

    Args:
        values: the segment values (any iterable of strings; blanks and numbers are ignored).
        texts: the comments, to learn the @handles they mention and which words they write as names.
        stop: words never treated as names (stop words of the languages present).
    """

    def __init__(self, values=(), texts=(), stop: frozenset[str] = frozenset()):
        capital: dict[str, int] = {}
        lower: dict[str, int] = {}
        handles: set[str] = set()
        for text in texts:
            text = str(text)
            handles.update(_fold(h) for h in re.findall(r"(?<![\w.])@(\w{2,})", text))
            text = _HASHTAG.sub(" ", _HANDLE.sub(" ", _URL.sub(" ", text)))  # the words as written
            for i, match in enumerate(_WORD.finditer(text)):
                word = match.group()
                key = _fold(word)
                if word[:1].isupper():
                    # the first word of a text or sentence is capitalised whatever it is
                    if i and text[max(0, match.start() - 2) : match.start()].strip() not in {".", "!", "?"}:
                        capital[key] = capital.get(key, 0) + 1
                else:
                    lower[key] = lower.get(key, 0) + 1
        stop = frozenset(_fold(w) for w in stop)
        phrases: set[str] = set()
        for value in values:
            value = str(value).strip()
            if not _LETTER.search(value) or len(value) < 2:
                continue
            words = [_fold(w) for w in _WORD.findall(value)]
            if len(words) > 1 or (words and words[0] not in stop and _is_name(words[0], capital, lower)):
                phrases.add(" ".join(words))
            for word in words:
                if len(words) > 1 and len(word) > 2 and word not in stop and _is_name(word, capital, lower):
                    phrases.add(word)
        # Handles name brands: "@united" makes "united" and "#united" names too.
        phrases |= {h for h in handles if h not in stop and len(h) > 2 and _is_name(h, capital, lower, 0.0)}
        self.names = frozenset(phrases)
        self._brands = tuple(sorted(p for p in phrases if " " not in p and len(p) > 2))
        self._pattern = None
        if phrases:
            alternatives = sorted(phrases, key=len, reverse=True)
            body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in alternatives)
            self._pattern = re.compile(rf"(?<!\w)#?(?:{body})(?!\w)")

    def __call__(self, text: str) -> str:
        """The comment without names, handles, URLs, RT and numbers, whitespace collapsed."""
        text = _URL.sub(" ", str(text))
        text = _HANDLE.sub(" ", _DOT_HANDLE.sub(" ", text))
        text = _RT.sub(" ", text)
        text = mask_pii(text)
        if self._pattern is not None:
            folded = _fold_keep_length(text)
            pieces, start = [], 0
            for match in self._pattern.finditer(folded):
                pieces.append(text[start : match.start()])
                start = match.end()
            pieces.append(text[start:])
            text = " ".join(pieces)
        text = _HASHTAG.sub(self._hashtag, text)
        text = _NUMBER.sub(" ", text)
        text = _CURRENCY.sub(" ", text)  # "60 €" leaves "€"
        text = re.sub(r"\s+([,.;:!?])", r"\1", text)
        return _SPACE.sub(" ", text).strip(" ,;:-")

    def _hashtag(self, match: re.Match) -> str:
        """A hashtag made of a name ("#DeltaFail", "#unitedairlines") goes; any other keeps its word."""
        word = _fold(match.group(1))
        return " " if any(word.startswith(b) or word.endswith(b) for b in self._brands) else match.group(1)

    def contains_name(self, text: str) -> bool:
        """Whether the text still holds a name, a handle, a URL, a hashtag or "RT"."""
        raw = str(text)
        if _URL.search(raw) or _HANDLE.search(raw) or _HASHTAG.search(raw) or _RT.search(raw):
            return True
        return bool(self._pattern and self._pattern.search(_fold_keep_length(raw)))


def _is_name(word: str, capital: dict[str, int], lower: dict[str, int], share: float = 0.5) -> bool:
    seen = capital.get(word, 0) + lower.get(word, 0)
    return seen == 0 or capital.get(word, 0) / seen > share


def _fold_keep_length(text: str) -> str:
    """`_fold` character by character, so positions in the folded text are positions in the original."""
    lowered = text.lower()
    if len(lowered) == len(text):  # "İ" is the one common letter whose lower case is two characters
        return lowered.translate(_FOLD_TABLE)
    out = []
    for ch in text:
        folded = _fold_char(ch.lower())
        out.append(folded if len(folded) == 1 else ch.lower()[:1] or " ")
    return "".join(out)
