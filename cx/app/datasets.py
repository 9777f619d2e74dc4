"""Batch output folders (`cx batch --out DIR`) opened by the dashboard: which folders this server may open,
and one BatchSource per folder, shared by every session of the process.

Only folders inside an allowed root are opened: the folders in $CX_DATASETS (os.pathsep-separated), or by
default CX_HOME/datasets. A link is text anyone can write, so the path is resolved (symlinks, `..`) before it
is compared with the roots; a relative path is looked up under the roots, in order.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from cx.app.markup import md_escape
from cx.store import cx_home
from cx.strings import UI

ENV = "CX_DATASETS"


class DatasetRefused(Exception):
    """The folder of a link cannot be opened (one plain sentence, already escaped for Markdown)."""


def roots() -> list[Path]:
    """The folders under which batch outputs may be opened, resolved."""
    listed = [p for p in os.environ.get(ENV, "").split(os.pathsep) if p.strip()]
    folders = [Path(p.strip()).expanduser() for p in listed] or [cx_home() / "datasets"]
    return [p.resolve() for p in folders]


def resolve(path: str) -> Path:
    """The batch folder a link names, checked: inside a root, present, and a batch output.

    Raises:
        DatasetRefused: with the sentence the page shows.
    """
    from cx.batch.source import is_batch_folder

    allowed = roots()
    given = Path(path).expanduser()
    if given.is_absolute():
        candidates = [given]
    else:  # "survey-2025" is a folder in one of the roots: the first that has it
        candidates = [root / given for root in allowed]
        candidates = [c for c in candidates if c.exists()] or candidates[:1]
    shown = md_escape(path)
    try:
        folder = candidates[0].resolve()
    except (OSError, RuntimeError):  # a symlink loop, a path the system refuses
        raise DatasetRefused(UI["dataset_missing"].format(path=shown)) from None
    if not any(folder.is_relative_to(root) for root in allowed):
        where = ", ".join(md_escape(str(r)) for r in allowed)
        raise DatasetRefused(UI["dataset_outside"].format(path=shown, roots=where, env=ENV))
    try:
        if not folder.is_dir():
            raise DatasetRefused(UI["dataset_missing"].format(path=shown))
        batch = is_batch_folder(folder)
    except OSError:  # no permission to look inside
        raise DatasetRefused(UI["dataset_missing"].format(path=shown)) from None
    if not batch:
        raise DatasetRefused(UI["dataset_not_batch"].format(path=shown))
    return folder


class Shared:
    """A BatchSource shared by every session (its methods are safe from several threads: a DuckDB cursor per
    question), and the answers that do not depend on the filters (dates, segment values, themes), kept for
    the life of the source."""

    def __init__(self, source, stamp: float):
        self.source = source
        self.stamp = stamp
        self._memo: dict[str, object] = {}

    def __call__(self, method: str, *args, **kwargs):
        return getattr(self.source, method)(*args, **kwargs)

    def memo(self, method: str, *args):
        """An answer about the whole folder (no filters), computed once."""
        key = repr((method, *args))
        if key not in self._memo:
            self._memo[key] = self(method, *args)
        return self._memo[key]


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(folder: str, stamp: float, lang: str) -> Shared | str:
    from cx.batch.source import BatchQueryError, BatchSource

    try:
        return Shared(BatchSource(folder), stamp)
    except BatchQueryError as exc:
        return md_escape(str(exc))


def stamp(folder: Path) -> float:
    """When the folder's report.json last changed: a rerun of `cx batch` into it opens it afresh."""
    try:
        return (folder / "report.json").stat().st_mtime
    except OSError:
        return 0.0


def open_folder(path: str, lang: str) -> Shared:
    """The shared source of the folder a link names.

    Raises:
        DatasetRefused: outside the roots, missing, not a batch folder, or unreadable.
    """
    folder = resolve(path)
    shared = _open(str(folder), stamp(folder), lang)
    if isinstance(shared, str):
        raise DatasetRefused(shared)
    return shared
