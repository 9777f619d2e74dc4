"""Read an uploaded file's bytes into a raw DataFrame.

The raw frame keeps every cell as the file gave it (strings for text formats, native values for Excel,
Parquet and JSON); meaning is assigned later by `cx.schema`. Rows the reader itself cannot use (a line
with more fields than the header, a totals row under the table) are returned in `RawTable.rejected` so the
row report can list them.

Survey tools write more than one header row, and hand-made sheets put a title above the table. The reader
finds the header row (or takes the one the user gives with `header_row`), skips the rows that belong to the
header (Qualtrics' question text and `{"ImportId": ...}` rows, SurveyMonkey's sub-answer row) and records
what it decided on the RawTable (`header_row`, `skipped_rows`, `questions`, `notes`). Rows above the header
and header rows are not data: they are not counted in `rows_read`; a totals row under the data is, and is
rejected with its reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cx.strings import ERRORS, NOTES, REASONS

REASON_EXTRA_FIELDS = REASONS["extra_fields"]

DELIMITERS = [",", ";", "\t", "|"]
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ""}
HEAD_ROWS = 40  # rows looked at to find the header

# Second-row labels under a SurveyMonkey question: the question's own answer, not an option of it.
SUBHEADER_GENERIC = {"response", "open ended response", "respuesta", "respuesta abierta", "resposta"}
SUBHEADER_WORDS = SUBHEADER_GENERIC | {
    "other please specify",
    "otro especifique",
    "otro por favor especifique",
}
# The first cell of a summary row under the data ("Total", "Media: 8,2").
TOTALS = re.compile(
    r"^(total(es)?|total general|grand total|sub ?total|sum|suma|media|promedio|average|mean|avg|overall)\b"
)
_NUMBERLIKE = re.compile(r"^[+-]?\d+([.,]\d+)?%?$")
_DATELIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?$")


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
        sheets: sheet names of a workbook; `sheet` is the one read, `sheet_reason` why it was chosen.
        rejected: (data row number, reason, the row as text) for rows the reader could not keep.
        header_row: the header's row number in the file (line for text, sheet row for Excel), 1-based.
        skipped_rows: (row number, what it was) for title rows above the header and extra header rows.
        questions: column -> question text, from a header row that holds the questions (Qualtrics row 2).
        notes: plain sentences about what the reader decided (shown on the Data page).
    """

    frame: pd.DataFrame
    name: str
    kind: str
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    header_row: int | None = None
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sheet_reason: str | None = None

    @property
    def rows_read(self) -> int:
        """Data rows under the header (title and header rows excluded; totals rows included)."""
        return len(self.frame) + len(self.rejected)


def read_file(path: str | Path, sheet: str | None = None, header_row: int | None = None) -> RawTable:
    """Read a file from disk (the CLI's entry point)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(ERRORS["unreadable"].format(name=path.name, why=exc.strerror or exc)) from exc
    return read_bytes(data, path.name, sheet=sheet, header_row=header_row)


def read_bytes(data: bytes, name: str, sheet: str | None = None, header_row: int | None = None) -> RawTable:
    """Read any supported file from its bytes; the format is recognised by content, not by name.

    Args:
        sheet: the workbook sheet to read; None picks the one that looks like responses.
        header_row: the header's row number (1-based, as a spreadsheet or editor shows it); None detects it.
    """
    if header_row is not None and header_row < 1:
        raise InputError(ERRORS["bad_header_row"].format(name=name, row=header_row))
    if not data or not data.strip(b" \t\r\n\x00"):
        raise InputError(ERRORS["empty_file"].format(name=name))
    if data[:4] == b"PK\x03\x04":
        table = _read_excel(data, name, sheet, header_row)
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
            table = _read_csv(text, name, header_row)
        table.encoding = encoding
    table.frame.columns = unique_names(table.frame.columns)
    if table.frame.shape[1] == 0 or table.rows_read == 0:
        raise InputError(ERRORS["no_rows"].format(name=name))
    _reject_totals(table)
    table.frame.attrs["questions"] = {c: q for c, q in table.questions.items() if c in table.frame.columns}
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
    """The delimiter that splits the first lines into the most fields, consistently.

    Judged on the most common field count, not the first line's, so a title line above the table does
    not hide the delimiter.
    """
    lines = [line for line in text[:200_000].splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(lines, delimiter=delim))
        except csv.Error:
            continue
        counts = [len(r) for r in rows]
        # Rows of one field (a title, a blank answer) say nothing about the delimiter: a short file with
        # more of those than of real rows must not hide it.
        split = [c for c in counts if c >= 2]
        if not split:
            continue
        width = max(set(split), key=lambda c: (split.count(c), c))
        consistent = sum(1 for c in counts if c == width) / len(counts)
        score = consistent * 10 + min(width, 50) / 50
        if score > best_score:
            best, best_score = delim, score
    return best


# --------------------------------------------------------------------------------------------------
# Header rows
# --------------------------------------------------------------------------------------------------


def _norm(value) -> str:
    text = unicodedata.normalize("NFKD", _cell(value)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()


def _filled(row) -> int:
    return sum(1 for v in row if _cell(v))


def _is_numberish(text: str) -> bool:
    return bool(_NUMBERLIKE.match(text) or _DATELIKE.match(text))


@dataclass
class _Header:
    index: int  # position of the header among the head rows
    end: int  # position of the first data row
    names: list[str]
    skipped: list[tuple[int, str]]
    questions: dict[int, str]


def _find_header(rows: list[list], numbers: list[int], header_row: int | None, name: str) -> _Header:
    """Decide which of the first rows is the header, and which rows after it still belong to it.

    Rows after the header that carry a tool's signature (Qualtrics import ids, SurveyMonkey's answer
    labels) are header rows always; a row of question text is recognised only when the header was not
    chosen by the user, whose choice otherwise stands as given.

    Args:
        rows: the first non-blank rows (cells as read).
        numbers: each row's number in the file (1-based).
        header_row: the user's choice, or None to detect.
    """
    skipped: list[tuple[int, str]] = []
    if header_row is not None:
        if header_row not in numbers:
            raise InputError(ERRORS["no_header_row"].format(name=name, row=header_row))
        index = numbers.index(header_row)
    else:
        width = max(_filled(r) for r in rows)
        # A title ("Encuesta de satisfacción 2024", "Exportado el 05/01/2025") fills one or two cells.
        index = next(i for i, r in enumerate(rows) if _filled(r) >= max(min(2, width), 0.4 * width))
        names = [_cell(v) for v in rows[index] if _cell(v)]
        if index and sum(map(_is_numberish, names)) > len(names) / 2:
            index = 0  # the wide row is data: the first row is a header with unnamed columns
    skipped += [(numbers[i], NOTES["row_title"]) for i in range(index) if _filled(rows[i])]
    header = [_cell(v) for v in rows[index]]
    names = list(header)
    questions: dict[int, str] = {}
    end = index + 1
    for _ in range(2):
        if end >= len(rows):
            break
        row = [_cell(v) for v in rows[end]] + [""] * max(0, len(header) - len(rows[end]))
        filled = [v for v in row if v]
        if not filled:
            break
        if sum(v.startswith('{"ImportId"') for v in filled) >= max(1, len(filled) // 2):
            skipped.append((numbers[end], NOTES["row_import_ids"]))
        elif any(_norm(v) in SUBHEADER_WORDS for v in filled) and (
            any(not h for h in header) or all(_norm(v) in SUBHEADER_GENERIC for v in filled)
        ):
            names = _combine_subheader(header, row)
            skipped.append((numbers[end], NOTES["row_sub_answers"]))
        elif header_row is None and _is_question_row(header, row, rows[end + 1 :]):
            questions.update({k: v for k, v in enumerate(row) if v and k < len(header)})
            skipped.append((numbers[end], NOTES["row_questions"]))
        else:
            break
        end += 1
    return _Header(index=index, end=end, names=names, skipped=skipped, questions=questions)


def _combine_subheader(header: list[str], sub: list[str]) -> list[str]:
    """SurveyMonkey: a question heads its first column; the row below names each column's answer."""
    names, question = [], ""
    for k, top in enumerate(header):
        below = sub[k] if k < len(sub) else ""
        question = top or question
        if top and (not below or _norm(below) in SUBHEADER_GENERIC):
            names.append(top)
        elif below:
            names.append(f"{question} - {below}" if question else below)
        else:
            names.append(top)
    return names


def _is_question_row(header: list[str], row: list[str], below: list[list]) -> bool:
    """A second header row: it repeats header names (legacy Qualtrics) or holds text over number columns."""
    compact = [re.sub(r"\s", "", _norm(h)) for h in header]
    repeats = sum(
        1
        for k, v in enumerate(row)
        if k < len(compact) and compact[k] and re.sub(r"\s", "", _norm(v)) == compact[k]
    )
    if repeats >= 2:
        return True
    data = [[_cell(v) for v in r] for r in below[:30]]
    numeric = []
    for k in range(len(header)):
        values = [r[k] for r in data if k < len(r) and r[k]]
        if len(values) >= 2 and sum(map(_is_numberish, values)) >= 0.8 * len(values):
            numeric.append(k)
    if len(numeric) < 2:
        return False
    # Text where the data has numbers, and written like labels: "Start Date", "How likely…?" — a data row
    # with "N/A" in its score columns is a response with missing answers, not a header.
    missing = {"n a", "na", "null", "none", "nan", "", "no answer", "sin respuesta", "ns nc"}
    texts = [row[k] for k in numeric if row[k] and not _is_numberish(row[k]) and _norm(row[k]) not in missing]
    worded = any(len(t.split()) >= 2 or t.endswith("?") for t in texts)
    return worded and len(texts) >= 0.8 * len(numeric)


def _apply_header(table: RawTable, found: _Header, header_number: int) -> None:
    table.header_row = header_number
    table.skipped_rows = found.skipped
    names = unique_names(found.names)
    table.questions = {names[k]: q for k, q in found.questions.items() if k < len(names)}
    if found.skipped:
        rows = ", ".join(str(n) for n, _ in found.skipped)
        kinds = "; ".join(dict.fromkeys(kind for _, kind in found.skipped))
        key = "header_found" if len(found.skipped) > 1 else "header_found_one"
        table.notes.append(NOTES[key].format(row=header_number, rows=rows, kinds=kinds))


def _drop_empty_columns(frame: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Columns with no header and no value (a trailing delimiter, an empty first spreadsheet column)."""
    keep = [
        k
        for k in range(frame.shape[1])
        if (k < len(names) and names[k]) or frame.iloc[:, k].map(_cell).ne("").any()
    ]
    return frame.iloc[:, keep]


# --------------------------------------------------------------------------------------------------
# Text tables
# --------------------------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _head_records(text: str, delimiter: str, limit: int):
    """The first `limit` non-blank records, each with its first line number and the text offset after it."""
    state = {"pos": 0, "line": 0}

    def lines():
        for match in _LINE.finditer(text):
            state["pos"] = match.end()
            state["line"] += 1
            yield match.group()

    reader = csv.reader(lines(), delimiter=delimiter)
    records, numbers, ends = [], [], []
    while len(records) < limit:
        start = state["line"] + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            break
        if not row or not any(f.strip() for f in row) and len(row) == 1:
            continue
        records.append(row)
        numbers.append(start)
        ends.append(state["pos"])
    return records, numbers, ends


def _read_csv(text: str, name: str, header_row: int | None = None) -> RawTable:
    delimiter = sniff_delimiter(text)
    records, numbers, ends = _head_records(text, delimiter, max(HEAD_ROWS, (header_row or 0) + 3))
    if not records:
        raise InputError(ERRORS["empty_file"].format(name=name))
    found = _find_header(records, numbers, header_row, name)
    table = RawTable(frame=pd.DataFrame(), name=name, kind="csv", delimiter=delimiter)
    _apply_header(table, found, numbers[found.index])
    body = text[ends[found.end - 1] :]
    width = len(found.names)
    if not body.strip():
        raise InputError(ERRORS["header_only"].format(name=name))
    # header=None and our own names keep the user's column names (pandas would rename a duplicate).
    options = dict(
        sep=delimiter,
        header=None,
        names=range(width),
        index_col=False,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=True,
    )
    try:
        with warnings.catch_warnings():
            # pandas warns, and drops the extra fields, when the first data line is longer than the header.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(body), engine="c", **options)
    except pd.errors.EmptyDataError as exc:
        raise InputError(ERRORS["header_only"].format(name=name)) from exc
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        frame, table.rejected = _read_ragged(body, width, delimiter)
    frame = frame.fillna("")
    frame = _drop_empty_columns(frame, found.names)
    frame.columns = unique_names([found.names[k] for k in frame.columns])
    if frame.empty and not table.rejected:
        raise InputError(ERRORS["header_only"].format(name=name))
    table.frame = frame
    return table


def _read_ragged(body: str, width: int, delimiter: str) -> tuple[pd.DataFrame, list]:
    """Rows of uneven length: short rows are padded, rows with extra non-empty fields are reported.

    The frame's index is each kept row's position among the data rows, so a reported row number is the
    one the user finds in the file (counting data rows, blank lines excluded).
    """
    rows = [r for r in csv.reader(io.StringIO(body, newline=""), delimiter=delimiter) if r]  # [] = blank
    kept, positions, rejected = [], [], []
    for i, row in enumerate(rows):
        if len(row) > width and any(f.strip() for f in row[width:]):
            rejected.append((i + 1, REASON_EXTRA_FIELDS, delimiter.join(row)))
            continue
        kept.append((row + [""] * width)[:width])
        positions.append(i)
    return pd.DataFrame(kept, columns=range(width), index=positions, dtype=object), rejected


# --------------------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------------------


def _read_excel(data: bytes, name: str, sheet: str | None, header_row: int | None = None) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [str(s) for s in book.sheet_names]
    except Exception as exc:  # calamine raises its own error types for anything that is not a workbook
        raise InputError(ERRORS["bad_excel"].format(name=name)) from exc
    reason = None
    if sheet is None:
        sheet, reason = _pick_sheet(book, sheets)
    elif sheet not in sheets:
        raise InputError(ERRORS["no_sheet"].format(name=name, sheet=sheet, sheets=", ".join(sheets)))
    try:
        grid = pd.read_excel(io.BytesIO(data), sheet_name=sheet, header=None, dtype=object, engine="calamine")
        merged = book.get_sheet_by_name(sheet).merged_cell_ranges or []
    except Exception as exc:
        raise InputError(ERRORS["bad_excel"].format(name=name)) from exc
    present = grid.notna() & ~grid.isin(["", " "])
    grid = grid.astype(object).where(grid.notna(), "")
    table = RawTable(frame=pd.DataFrame(), name=name, kind="excel", sheets=sheets, sheet=sheet)
    table.sheet_reason = reason
    if reason:
        table.notes.append(reason)
    positions = np.flatnonzero(present.any(axis=1).to_numpy())
    if not len(positions):
        raise InputError(ERRORS["no_rows"].format(name=name))
    head = positions[: max(HEAD_ROWS, (header_row or 0) + 3)]
    found = _find_header([grid.iloc[p].tolist() for p in head], [int(p) + 1 for p in head], header_row, name)
    _apply_header(table, found, int(head[found.index]) + 1)
    first_data = int(head[found.end]) if found.end < len(head) else int(head[-1]) + 1
    filled_down = _fill_merged(grid, merged, first_data)
    body = grid.iloc[first_data:]
    if filled_down:
        present = grid.notna() & ~grid.isin(["", " "])
    body = body[present.iloc[first_data:].any(axis=1).to_numpy()].reset_index(drop=True)
    names = found.names + [""] * (grid.shape[1] - len(found.names))
    body = _drop_empty_columns(body, names)
    body.columns = unique_names([names[k] for k in body.columns])
    if filled_down:
        cols = [names[k] or f"column {k + 1}" for k in filled_down]
        table.notes.append(NOTES["merged_filled"].format(columns=", ".join(cols)))
    if body.empty:
        raise InputError(ERRORS["header_only"].format(name=name))
    table.frame = body
    return table


def _fill_merged(grid: pd.DataFrame, merged, first_data: int) -> list[str]:
    """Give every cell of a merged range (below the header) the value of its top-left cell."""
    touched = []
    for (r0, c0), (r1, c1) in merged:
        if r0 < first_data or r0 >= grid.shape[0] or c0 >= grid.shape[1]:
            continue
        value = grid.iat[r0, c0]
        grid.iloc[r0 : r1 + 1, c0 : c1 + 1] = value
        touched.append(c0)
    return sorted(set(touched))


def _pick_sheet(book, sheets: list[str]) -> tuple[str, str | None]:
    """The sheet with the most rows of two or more values: responses, not a cover, notes or a summary."""
    counts = {}
    for candidate in sheets:
        try:
            rows = book.get_sheet_by_name(candidate).to_python()
        except Exception:  # a chart sheet or an unreadable one: never the responses
            rows = []
        counts[candidate] = sum(1 for r in rows if sum(1 for v in r if _cell(v)) >= 2)
    best = max(sheets, key=lambda s: (counts[s], -sheets.index(s)))
    others = [s for s in sheets if s != best and counts[s]]
    if not others:
        return best, None
    return best, NOTES["sheet_chosen"].format(sheet=best, n=counts[best], others=", ".join(others))


def _read_parquet(data: bytes, name: str) -> RawTable:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow's errors vary by what is broken
        raise InputError(ERRORS["bad_parquet"].format(name=name)) from exc
    return RawTable(frame=frame.reset_index(drop=True), name=name, kind="parquet")


# --------------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------------

RECORD_KEYS = ("data", "responses", "results", "records", "items", "rows", "satisfaction_ratings")


def _read_json(text: str, name: str) -> RawTable:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError:
        payload = []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                payload.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(ERRORS["bad_json"].format(name=name)) from exc
    if isinstance(payload, dict):
        # {"responses": [...]}, {"data": [...]}, Zendesk's {"satisfaction_ratings": [...], "count": 3}.
        lists = {k: v for k, v in payload.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
        named = [k for k in RECORD_KEYS if k in lists]
        if named:
            payload = lists[named[0]]
        elif lists:
            payload = max(lists.values(), key=len)
        else:
            payload = [payload]
    if not isinstance(payload, list) or not payload or not all(isinstance(r, dict) for r in payload):
        raise InputError(ERRORS["bad_json"].format(name=name))
    # Nested objects become dotted columns (person.email, person_properties.Plan); lists stay one cell.
    frame = pd.json_normalize(payload, sep=".")
    for col in frame.columns:
        if frame[col].map(lambda v: isinstance(v, (list, dict))).any():
            frame[col] = frame[col].map(_json_cell)
    return RawTable(frame=frame, name=name, kind="json")


def _json_cell(value):
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


# --------------------------------------------------------------------------------------------------
# Rows under the data
# --------------------------------------------------------------------------------------------------


def _reject_totals(table: RawTable) -> None:
    """A totals or average row at the bottom of a hand-made sheet is a summary, not a respondent."""
    frame = table.frame
    drop = []
    for position in range(len(frame) - 1, max(-1, len(frame) - 4), -1):
        row = frame.iloc[position]
        first = next((_cell(v) for v in row if _cell(v)), "")
        if not first or not TOTALS.match(_norm(first)):
            break
        drop.append(position)
    if not drop:
        return
    for position in sorted(drop):
        index = frame.index[position]
        line = " | ".join(_cell(v) for v in frame.iloc[position] if _cell(v))
        table.rejected.append((int(index) + 1, REASONS["totals_row"], line))
    table.rejected.sort(key=lambda r: r[0])
    table.frame = frame.drop(index=frame.index[drop])


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
