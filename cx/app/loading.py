"""Reading the data of the view: uploads kept in the store (by SHA-256), or the bundled sample; every read
and build cached by content, shared across sessions (the cached results are never mutated)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import streamlit as st

from cx import i18n
from cx.app.markup import md_escape
from cx.app.state import edit_view
from cx.filters import Filters
from cx.io import InputError, RawTable, read_bytes
from cx.schema import Dataset, Roles, build_dataset, detect_roles
from cx.sources import combine
from cx.store import Store, is_hash, sha256
from cx.strings import ERRORS, UI
from cx.view import View, roles_from_params, roles_to_params

# The one place that knows where the bundled sample lives.
SAMPLE_PATH = Path(__file__).resolve().parents[1] / "data" / "sample_survey.csv"
MAX_UPLOAD_MB = 200
PURGE_EVERY_S = 3_600
CACHED_FILES = 16  # files read and built kept in memory per process


@dataclass
class FileInfo:
    """What the Data page shows and edits for one input file."""

    name: str
    digest: str
    position: int  # in the view's data (the sample is file 0)
    stored: bool = False  # kept in the store (an upload), not the bundled sample
    columns: list[str] = field(default_factory=list)
    roles: Roles | None = None
    detected: Roles | None = None
    kind: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    header_row: int | None = None  # the header's row in the file (1-based), detected or chosen
    error: str | None = None


@dataclass
class Sources:
    dataset: Dataset | None
    files: list[FileInfo]
    errors: list[str]
    source: str
    is_sample: bool
    missing: list[str]


# --------------------------------------------------------------------------------------------------
# The store (one per server process; purged on start and at most hourly on access)
# --------------------------------------------------------------------------------------------------

_PURGED = {"at": 0.0}
_PURGE_LOCK = threading.Lock()


@st.cache_resource(show_spinner=False)
def _store() -> Store:
    return Store()


def _forget_derived(digest: str) -> None:
    """What was kept from an upload besides the file itself (its comments' parts and themes)."""
    from cx.app.caches import embedding_cache
    from cx.themes import forget_theme_results

    forget_theme_results(embedding_cache(), digest)


def store() -> Store:
    s = _store()
    with _PURGE_LOCK:
        if time.monotonic() - _PURGED["at"] > PURGE_EVERY_S or _PURGED["at"] == 0.0:
            _PURGED["at"] = time.monotonic()
            s.purge(on_delete=_forget_derived)
    return s


# --------------------------------------------------------------------------------------------------
# Cached reading
# --------------------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=CACHED_FILES)
def _read(
    digest: str,
    name: str,
    sheet: str | None,
    header_row: int | None,
    _load: Callable[[], bytes | None],
    lang: str = "en",  # messages and notes are written in the run's language: one entry per language
) -> RawTable | str:
    try:
        data = _load()
        if data is None:
            return ERRORS["unexpected"].format(name=name, why="the kept copy could not be read")
        return read_bytes(data, name, sheet=sheet, header_row=header_row)
    except InputError as exc:
        return str(exc)
    except Exception as exc:  # a reader bug must still end in one plain sentence, never a traceback
        return ERRORS["unexpected"].format(name=name, why=type(exc).__name__)


@st.cache_resource(show_spinner=False, max_entries=CACHED_FILES)
def _build(
    digest: str,
    sheet: str | None,
    header_row: int | None,
    roles: str,
    _table: RawTable,
    lang: str = "en",
    _detected: Roles | None = None,
) -> Dataset | str:
    """The dataset of a table under `roles` (the user's, as a key), else under the roles `_detected` on the
    same table (detection is half of the work; done once, by `_detect`)."""
    try:
        return build_dataset(_table, roles_from_key(roles) or _detected)
    except InputError as exc:
        return str(exc)


@st.cache_resource(show_spinner=False)
def _detect(digest: str, sheet: str | None, header_row: int | None, _table: RawTable) -> Roles:
    return detect_roles(_table.frame)


@st.cache_resource(show_spinner=False)
def _combine(key: tuple, _datasets: tuple, names: tuple, lang: str = "en") -> tuple[Dataset, list[str]]:
    return combine(list(_datasets), list(names))


@st.cache_data(show_spinner=False)
def _sample(path: str, mtime: float) -> tuple[bytes, str]:
    data = Path(path).read_bytes()
    return data, sha256(data)


def roles_key(roles: Roles | None) -> str:
    """Column roles as text (the view's own serialisation): a cache key, and a value callbacks can carry."""
    return "" if roles is None else urlencode(roles_to_params(roles), doseq=True)


def roles_from_key(key: str) -> Roles | None:
    return roles_from_params(parse_qs(key, keep_blank_values=True)) if key else None


# --------------------------------------------------------------------------------------------------
# Uploads -> store -> view
# --------------------------------------------------------------------------------------------------


def uploader_key() -> str:
    """The upload widget's key; "Forget this file" moves to a new key, which empties the widget."""
    n = st.session_state.get("uploader_n", 0)
    return "uploads" if n == 0 else f"uploads_{n}"


def sync_uploads(view: View) -> tuple[dict[str, tuple[str, int, Callable[[], bytes]]], list[str]]:
    """Keep every new upload in the store (hashed once per uploaded file) and, when the user changed the
    upload widget, point the view at its files. A link's filters and roles stay only when the same files
    come back (a link made on an upload waits for that file); other files start from a clean view.

    Returns:
        the uploads in memory by hash (name, size, bytes loader), and messages about files the store refused.
    """
    uploads = st.session_state.get(uploader_key()) or []
    digests: dict[str, str] = st.session_state.setdefault("_digests", {})  # file_id -> sha256 (plain strings)
    problems = []
    for u in uploads:
        if u.file_id not in digests:
            data = u.getvalue()
            digest = sha256(data)
            digests[u.file_id] = digest
            if len(data) <= MAX_UPLOAD_MB * 1024 * 1024:
                try:
                    store().put(u.name, data, digest)
                except (OSError, sqlite3.Error) as exc:  # a full or read-only disk: the file still works here
                    why = getattr(exc, "strerror", None) or str(exc)
                    problems.append(UI["store_failed"].format(name=u.name, why=why))
    ids = [u.file_id for u in uploads]
    if ids != st.session_state.setdefault("_uploader_ids", []):
        st.session_state["_uploader_ids"] = ids
        new = [digests[i] for i in ids]
        if new != view.data:
            if sorted(new) != sorted(view.data):
                view.roles, view.sheets, view.headers, view.filters = {}, {}, {}, Filters()
            view.data = new
    in_memory = {digests[u.file_id]: (u.name, u.size, u.getvalue) for u in uploads}
    return in_memory, problems


def forget(position: int, digest: str, name: str) -> None:
    """ "Forget this file": delete the server's copy now, and the comments' parts kept with its themes, take it
    out of the view, empty the upload box."""
    store().forget(digest)
    _forget_derived(digest)

    def drop(v: View) -> None:
        v.data = [d for d in v.data if d != digest]
        v.roles = {(i - 1 if i > position else i): r for i, r in v.roles.items() if i != position}
        v.sheets = {(i - 1 if i > position else i): s for i, s in v.sheets.items() if i != position}
        v.headers = {(i - 1 if i > position else i): h for i, h in v.headers.items() if i != position}

    edit_view(drop)
    st.session_state["uploader_n"] = st.session_state.get("uploader_n", 0) + 1
    st.session_state["_uploader_ids"] = []
    st.session_state["_forgotten"] = UI["forgotten"].format(name=name)


def load_sources(view: View) -> Sources:
    """The dataset of the view: its kept uploads, or the bundled sample when it names none."""
    in_memory, problems = sync_uploads(view)
    files: list[tuple[int, str, int, str, Callable[[], bytes | None], bool]] = []
    missing = []
    if not view.data:
        data, digest = _sample(str(SAMPLE_PATH), SAMPLE_PATH.stat().st_mtime)
        files.append((0, SAMPLE_PATH.name, len(data), digest, lambda: data, False))
    touched = st.session_state.setdefault("_touched", [])
    for position, digest in enumerate(view.data):
        if digest in in_memory:
            name, size, loader = in_memory[digest]
            files.append((position, name, size, digest, loader, True))
            continue
        try:
            kept = store().info(digest) if is_hash(digest) else None
        except (OSError, sqlite3.Error):  # no store on this server (read-only home): nothing kept to reopen
            kept = None
        if kept is None:
            missing.append(digest)
            continue
        if digest not in touched:  # a link in use keeps its data: the expiry counts from the last use
            _touch(digest)
            touched.append(digest)
        files.append((position, kept.name, kept.size, digest, lambda d=digest: _stored_bytes(d), True))
    if missing:
        return Sources(None, [], problems, "", False, missing)
    infos, datasets = [], []
    for position, name, size, digest, loader, stored in files:
        info, dataset = _load_one(view, position, name, size, digest, loader, stored)
        infos.append(info)
        if dataset is not None:
            datasets.append(dataset)
    source = ", ".join(i.name for i in infos)
    errors = problems + [
        f"{info.name}: {info.error}" if not info.error.startswith(info.name) else info.error
        for info in infos
        if info.error
    ]
    is_sample = not view.data
    if not datasets:
        return Sources(None, infos, errors, source, is_sample, [])
    good = [i for i in infos if not i.error]
    if len(datasets) == 1:
        dataset = datasets[0]
    else:
        key = tuple((i.digest, i.sheet, i.header_row, roles_key(i.roles)) for i in good)
        dataset, _ = _combine(key, tuple(datasets), tuple(i.name for i in good), i18n.language())
    return Sources(dataset, infos, errors, source, is_sample, [])


_TOUCHED: dict[str, float] = {}  # digest -> when this process last marked it used (time.monotonic)
_TOUCH_LOCK = threading.Lock()
TOUCH_EVERY_S = 3_600  # uploads expire after days: marking a link used once an hour per server is enough


def _touch(digest: str) -> None:
    """Mark a kept upload used (its expiry starts again), at most once an hour per server process: ten tabs
    opening one link would otherwise queue for the store's write lock, one write each."""
    now = time.monotonic()
    with _TOUCH_LOCK:
        if now - _TOUCHED.get(digest, -TOUCH_EVERY_S) < TOUCH_EVERY_S:
            return
        _TOUCHED[digest] = now
    store().touch(digest)


def _stored_bytes(digest: str) -> bytes | None:
    kept = store().get(digest)
    return None if kept is None else kept[1]


# Reads and builds this process already has (the keys of _read and _build, most recent last, as many as those
# caches keep): a session drawing a file another one opened gets no spinner, which costs a timer thread and
# two messages a run, for work it does not do.
_DONE: OrderedDict[tuple, None] = OrderedDict()
_DONE_LOCK = threading.Lock()


def _busy(key: tuple, text: str):
    """A spinner with `text` unless the work under `key` is already cached in this process."""
    with _DONE_LOCK:
        if key in _DONE:
            _DONE.move_to_end(key)
            return nullcontext()
    return st.spinner(text, show_time=True)


def _done(key: tuple) -> None:
    with _DONE_LOCK:
        _DONE[key] = None
        _DONE.move_to_end(key)
        while len(_DONE) > 2 * CACHED_FILES:  # one read and one build per file
            _DONE.popitem(last=False)


def _load_one(
    view: View,
    position: int,
    name: str,
    size: int,
    digest: str,
    loader: Callable[[], bytes | None],
    stored: bool,
) -> tuple[FileInfo, Dataset | None]:
    info = FileInfo(name=name, digest=digest, position=position, stored=stored)
    sheet, header, lang = view.sheets.get(position), view.headers.get(position), i18n.language()
    key = ("read", digest, name, sheet, header, lang)
    with _busy(key, UI["reading"].format(name=md_escape(name), size=size / 2**20)):
        table = _read(digest, name, sheet, header, _checked(loader, name), lang)
    _done(key)
    if isinstance(table, str):
        info.error = table
        info.header_row = view.headers.get(position)  # so the Data page can show it, and the user change it
        return info, None
    info.kind, info.encoding, info.delimiter = table.kind, table.encoding, table.delimiter
    info.sheets, info.sheet, info.columns = table.sheets, table.sheet, list(table.frame.columns)
    info.header_row = table.header_row
    info.detected = _detect(digest, table.sheet, table.header_row, table)
    override = roles_key(view.roles.get(position))
    key = ("build", digest, table.sheet, table.header_row, override, lang)
    with _busy(key, UI["understanding"].format(name=md_escape(name), rows=table.rows_read)):
        result = _build(digest, table.sheet, table.header_row, override, table, lang, info.detected)
    _done(key)
    if isinstance(result, str):
        info.error = result
        info.roles = view.roles.get(position) or info.detected
        return info, None
    info.roles = result.roles
    return info, result


def _checked(loader: Callable[[], bytes | None], name: str) -> Callable[[], bytes | None]:
    """The loader, refusing files over the upload limit with a plain message (raised as InputError)."""

    def load() -> bytes | None:
        data = loader()
        if data is not None and len(data) > MAX_UPLOAD_MB * 1024 * 1024:
            raise InputError(ERRORS["too_big"].format(name=name, limit=MAX_UPLOAD_MB))
        return data

    return load
