"""Reading the data: the uploads (or the bundled sample), cached by content, and the column roles."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from cx.app.markup import md_escape
from cx.io import InputError, RawTable, read_bytes
from cx.schema import Dataset, Roles, build_dataset, detect_roles
from cx.sources import combine
from cx.strings import ERRORS, UI

# The one place that knows where the bundled sample lives.
SAMPLE_PATH = Path(__file__).resolve().parents[2] / "data" / "sample_survey.csv"
MAX_UPLOAD_MB = 200


@dataclass
class FileInfo:
    """What the Data page shows and edits for one input file."""

    name: str
    digest: str
    columns: list[str] = field(default_factory=list)
    roles: Roles | None = None
    detected: Roles | None = None
    kind: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    sheet: str | None = None
    error: str | None = None


@st.cache_resource(show_spinner=False, max_entries=16)
def _read(digest: str, name: str, sheet: str | None, _data: bytes) -> RawTable | str:
    try:
        return read_bytes(_data, name, sheet=sheet)
    except InputError as exc:
        return str(exc)
    except Exception as exc:  # a reader bug must still end in one plain sentence, never a traceback
        return ERRORS["unexpected"].format(name=name, why=type(exc).__name__)


@st.cache_resource(show_spinner=False, max_entries=16)
def _build(digest: str, sheet: str | None, roles_json: str, _table: RawTable) -> Dataset | str:
    roles = Roles(**json.loads(roles_json)) if roles_json else None
    if roles is not None:
        roles.csat_scale = tuple(roles.csat_scale)
    try:
        return build_dataset(_table, roles)
    except InputError as exc:
        return str(exc)


@st.cache_resource(show_spinner=False)
def _detect(digest: str, sheet: str | None, _table: RawTable) -> Roles:
    return detect_roles(_table.frame)


@st.cache_resource(show_spinner=False)
def _combine(key: tuple, _datasets: tuple, names: tuple) -> tuple[Dataset, list[str]]:
    return combine(list(_datasets), list(names))


@st.cache_data(show_spinner=False)
def _sample_bytes(path: str, mtime: float) -> bytes:
    return Path(path).read_bytes()


def roles_json(roles: Roles | None) -> str:
    if roles is None:
        return ""
    data = roles.__dict__.copy()
    data["csat_scale"] = list(roles.csat_scale)
    return json.dumps(data, sort_keys=True)


def content_digest(data: bytes, file_id: str | None = None) -> str:
    """Content hash of a file, computed once per uploaded file (reruns reuse it: 200 MB costs ~0.4 s)."""
    known = st.session_state.setdefault("_digests", {})
    if file_id is None or file_id not in known:
        digest = hashlib.sha256(data).hexdigest()[:16]
        if file_id is None:
            return digest
        known[file_id] = digest
    return known[file_id]


def _load_one(name: str, data: bytes, file_id: str | None = None) -> tuple[FileInfo, Dataset | None]:
    digest = content_digest(data, file_id)
    info = FileInfo(name=name, digest=digest)
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        info.error = ERRORS["too_big"].format(name=name, limit=MAX_UPLOAD_MB)
        return info, None
    sheet = st.session_state.get(f"sheet_{digest}")
    with st.spinner(UI["reading"].format(name=md_escape(name), size=len(data) / 2**20), show_time=True):
        table = _read(digest, name, sheet, data)
    if isinstance(table, str):
        info.error = table
        return info, None
    info.kind, info.encoding, info.delimiter = table.kind, table.encoding, table.delimiter
    info.sheets, info.sheet, info.columns = table.sheets, table.sheet, list(table.frame.columns)
    info.detected = _detect(digest, table.sheet, table)
    override = st.session_state.setdefault("roles", {}).get(digest)
    with st.spinner(UI["understanding"].format(name=md_escape(name), rows=table.rows_read), show_time=True):
        result = _build(digest, table.sheet, override or "", table)
    if isinstance(result, str):
        info.error = result
        info.roles = Roles(**json.loads(override)) if override else info.detected
        return info, None
    info.roles = result.roles
    return info, result


def load_sources() -> tuple[Dataset | None, list[FileInfo], list[str], str, bool]:
    """The dataset of this session: the uploads when there are any, else the bundled sample."""
    uploads = st.session_state.get("uploads") or []
    if uploads:
        files = [(u.name, u.getvalue(), u.file_id) for u in uploads]
        is_sample = False
    else:
        mtime = SAMPLE_PATH.stat().st_mtime
        files = [(SAMPLE_PATH.name, _sample_bytes(str(SAMPLE_PATH), mtime), f"sample:{mtime}")]
        is_sample = True
    source = ", ".join(f[0] for f in files)
    infos, datasets = [], []
    for name, data, file_id in files:
        info, dataset = _load_one(name, data, file_id)
        infos.append(info)
        if dataset is not None:
            datasets.append(dataset)
    errors = [
        f"{info.name}: {info.error}" if not info.error.startswith(info.name) else info.error
        for info in infos
        if info.error
    ]
    if not datasets:
        return None, infos, errors, source, is_sample
    good = [i for i in infos if not i.error]
    if len(datasets) == 1:
        dataset, notes = datasets[0], list(datasets[0].notes)
    else:
        key = tuple((i.digest, roles_json(i.roles)) for i in good)
        dataset, notes = _combine(key, tuple(datasets), tuple(i.name for i in good))
    return dataset, infos, errors, source, is_sample
