"""Read an uploaded file's bytes into a raw DataFrame.

The raw frame keeps every cell as the file gave it (strings for text formats, native values for Excel,
Parquet and JSON); meaning is assigned later by `cx.schema`. Rows the reader itself cannot use (a line
with more fields than the header) are returned in `RawTable.rejected` so the row report can list them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cx.strings import ERRORS, REASONS

REASON_EXTRA_FIELDS = REASONS["extra_fields"]

DELIMITERS = [",", ";", "\t", "|"]
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ""}


class InputError(ValueError):
    """A whole file cannot be used; the message is one plain sentence for the user."""


@dataclass
class RawTable:
    """A file as read, before any column gets a meaning.

    Attributes:
        frame: one row per data row, columns named by the header (made unique).
        name: the file name it came from.
        kind: "csv", "excel", "parquet" or "json".
        encoding: the text encoding used (text formats only).
        delimiter: the field separator (text formats only).
        sheets: sheet names of a workbook; `sheet` is the one read.
        rejected: (data row number, reason, the row as text) for rows the reader could not keep.
    """

    frame: pd.DataFrame
    name: str
    kind: str
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    rejected: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.frame) + len(self.rejected)


def read_file(path: str | Path, sheet: str | None = None) -> RawTable:
    """Read a file from disk (the CLI's entry point)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(ERRORS["unreadable"].format(name=path.name, why=exc.strerror or exc)) from exc
    return read_bytes(data, path.name, sheet=sheet)


def read_bytes(data: bytes, name: str, sheet: str | None = None) -> RawTable:
    """Read any supported file from its bytes; the format is recognised by content, not by name."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise InputError(ERRORS["empty_file"].format(name=name))
    if data[:4] == b"PK\x03\x04":
        table = _read_excel(data, name, sheet)
    elif data[:4] == b"PAR1":
        table = _read_parquet(data, name)
    elif data[:2] == b"\xd0\xcf":
        raise InputError(ERRORS["old_excel"].format(name=name))
    else:
        text, encoding = decode(data, name)
        if re.match(r"\s*(<!doctype html|<html)", text[:200], re.IGNORECASE):
            raise InputError(ERRORS["html"].format(name=name))
        if text.lstrip()[:1] in ("[", "{"):
            table = _read_json(text, name)
        else:
            table = _read_csv(text, name)
        table.encoding = encoding
    table.frame.columns = unique_names(table.frame.columns)
    if table.frame.shape[1] == 0 or table.rows_read == 0:
        raise InputError(ERRORS["no_rows"].format(name=name))
    return table


def decode(data: bytes, name: str = "file") -> tuple[str, str]:
    """Decode text bytes: BOMs first, then strict UTF-8, then a detected or Windows encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM puts a NUL beside every ASCII character; anything else with NULs is binary.
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if text.isprintable() or _looks_textual(text):
                return text, enc
        raise InputError(ERRORS["binary"].format(name=name))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if not _looks_textual(data[:65536].decode("latin-1")):
        raise InputError(ERRORS["binary"].format(name=name))
    # Spreadsheet exports that are not UTF-8 are nearly always Windows-1252 (a superset of Latin-1 for
    # printable text); charset detection on short files tends to guess exotic code pages instead.
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _looks_textual(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return control / len(sample) < 0.01


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most fields, consistently."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delim))
        except csv.Error:
            continue
        counts = [len(r) for r in rows]
        header = counts[0]
        if header < 2:
            continue
        consistent = sum(1 for c in counts if c == header) / len(counts)
        score = consistent * 10 + min(header, 50) / 50
        if score > best_score:
            best, best_score = delim, score
    return best


def _read_csv(text: str, name: str) -> RawTable:
    delimiter = sniff_delimiter(text)
    # header=None keeps the user's own column names (pandas would rename a duplicate "score" to "score.1").
    options = dict(sep=delimiter, header=None, dtype=str, keep_default_na=False, skip_blank_lines=True)
    try:
        frame = pd.read_csv(io.StringIO(text), engine="c", **options)
    except pd.errors.EmptyDataError as exc:
        raise InputError(ERRORS["empty_file"].format(name=name)) from exc
    except pd.errors.ParserError:
        return _read_ragged_csv(text, name, delimiter)
    if frame.empty:
        raise InputError(ERRORS["empty_file"].format(name=name))
    header = frame.iloc[0].fillna("").tolist()
    frame = frame.iloc[1:].reset_index(drop=True).fillna("")
    frame.columns = unique_names(header)
    if frame.empty:
        raise InputError(ERRORS["header_only"].format(name=name))
    return RawTable(frame=frame, name=name, kind="csv", delimiter=delimiter)


def _read_ragged_csv(text: str, name: str, delimiter: str) -> RawTable:
    """Rows of uneven length: short rows are padded, rows with extra non-empty fields are reported.

    The frame's index is each kept row's position among the data rows, so a reported row number is the
    one the user finds in the file (counting data rows, blank lines excluded).
    """
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]  # [] = blank line
    header, body = rows[0], rows[1:]
    width = len(header)
    kept, positions, rejected = [], [], []
    for i, row in enumerate(body):
        if len(row) > width and any(f.strip() for f in row[width:]):
            rejected.append((i + 1, REASON_EXTRA_FIELDS, delimiter.join(row)))
            continue
        kept.append((row + [""] * width)[:width])
        positions.append(i)
    frame = pd.DataFrame(kept, columns=unique_names(header), index=positions, dtype=object)
    if not body:
        raise InputError(ERRORS["header_only"].format(name=name))
    return RawTable(frame=frame, name=name, kind="csv", delimiter=delimiter, rejected=rejected)


def _read_excel(data: bytes, name: str, sheet: str | None) -> RawTable:
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="calamine")
    except Exception as exc:  # calamine raises its own error types for anything that is not a workbook
        raise InputError(ERRORS["bad_excel"].format(name=name)) from exc
    sheets = [str(s) for s in book.sheet_names]
    if sheet is None:
        sheet = _first_nonempty_sheet(book, sheets)
    elif sheet not in sheets:
        raise InputError(ERRORS["no_sheet"].format(name=name, sheet=sheet, sheets=", ".join(sheets)))
    frame = pd.read_excel(book, sheet_name=sheet, dtype=object)
    frame = frame.dropna(how="all").reset_index(drop=True)
    frame = frame.astype(object).where(frame.notna(), "")
    return RawTable(frame=frame, name=name, kind="excel", sheets=sheets, sheet=sheet)


def _first_nonempty_sheet(book: pd.ExcelFile, sheets: list[str]) -> str:
    for candidate in sheets:
        if not pd.read_excel(book, sheet_name=candidate, nrows=2).empty:
            return candidate
    return sheets[0]


def _read_parquet(data: bytes, name: str) -> RawTable:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow's errors vary by what is broken
        raise InputError(ERRORS["bad_parquet"].format(name=name)) from exc
    return RawTable(frame=frame.reset_index(drop=True), name=name, kind="parquet")


def _read_json(text: str, name: str) -> RawTable:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError:
        try:
            frame = pd.read_json(io.StringIO(text), lines=True, dtype=False)
        except ValueError as exc:
            raise InputError(ERRORS["bad_json"].format(name=name)) from exc
        return RawTable(frame=frame, name=name, kind="json")
    if isinstance(payload, dict):
        # {"responses": [...]} or similar: take the first list of records.
        lists = [v for v in payload.values() if isinstance(v, list)]
        payload = lists[0] if lists else [payload]
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise InputError(ERRORS["bad_json"].format(name=name))
    frame = pd.DataFrame.from_records(payload)
    return RawTable(frame=frame, name=name, kind="json")


def unique_names(columns) -> list[str]:
    """Column names as non-empty, unique strings ("score", "score (2)", "column 3")."""
    seen: dict[str, int] = {}
    out = []
    for i, col in enumerate(columns, start=1):
        base = str(col).strip()
        if not base or base.startswith("Unnamed:"):
            base = f"column {i}"
        label = base
        n = seen.get(base, 0)
        if n:
            label = f"{base} ({n + 1})"
        seen[base] = n + 1
        out.append(label)
    return out
