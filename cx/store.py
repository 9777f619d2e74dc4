"""The store: one embedded SQLite database under CX_HOME, and uploaded files kept by content hash.

    CX_HOME/cx.sqlite3          metadata: uploads, and codeframes (saved theme sets) with their versions
    CX_HOME/uploads/<sha256>    the bytes of each upload, named by their SHA-256

A link carries only the hash, so any tab or session on the same server reopens the same data. Uploads
expire `CX_UPLOAD_DAYS` days (default 30) after they were last used; `purge()` deletes the expired ones
and `forget()` deletes one now. Writes are transactional (WAL), so several sessions and the CLI can use
the store at once; file bytes are written to a temporary name and renamed, so a reader never sees half
a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DEFAULT_UPLOAD_DAYS = 30.0
HASH = re.compile(r"[0-9a-f]{64}")
SCHEMA_VERSION = 2  # PRAGMA user_version; MIGRATIONS[v] takes a store from version v - 1 to v
UPLOADS = """
CREATE TABLE IF NOT EXISTS uploads (
    sha256    TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    size      INTEGER NOT NULL,
    created   REAL NOT NULL,
    last_used REAL NOT NULL
);
"""
# A codeframe is a named list of versions; each version is a full snapshot (its themes and its aliases),
# so history, revert and export read one version and never replay edits.
CODEFRAMES = """
CREATE TABLE IF NOT EXISTS codeframes (
    name     TEXT PRIMARY KEY,
    created  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS codeframe_versions (
    codeframe TEXT NOT NULL REFERENCES codeframes(name) ON DELETE CASCADE,
    version   INTEGER NOT NULL,
    created   REAL NOT NULL,
    note      TEXT NOT NULL,
    meta      TEXT NOT NULL,
    PRIMARY KEY (codeframe, version)
);
CREATE TABLE IF NOT EXISTS codeframe_themes (
    codeframe TEXT NOT NULL,
    version   INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    theme_id  TEXT NOT NULL,
    label     TEXT NOT NULL,
    centroid  BLOB NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (codeframe, version, theme_id),
    FOREIGN KEY (codeframe, version) REFERENCES codeframe_versions(codeframe, version) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS codeframe_aliases (
    codeframe TEXT NOT NULL,
    version   INTEGER NOT NULL,
    alias     TEXT NOT NULL,
    theme_id  TEXT NOT NULL,
    PRIMARY KEY (codeframe, version, alias),
    FOREIGN KEY (codeframe, version) REFERENCES codeframe_versions(codeframe, version) ON DELETE CASCADE
);
"""
MIGRATIONS = {1: UPLOADS, 2: CODEFRAMES}
SCHEMA = UPLOADS  # what version 1 created (kept for readers of the old name)


class StoreError(OSError):
    """The store cannot be opened or written; the message says where and why in one sentence."""


class StaleVersion(Exception):
    """Another session saved a version of this codeframe after the one an edit started from."""


def cx_home() -> Path:
    """Where CX Lens keeps its data: $CX_HOME, else the user data directory of this system."""
    if os.environ.get("CX_HOME"):
        return Path(os.environ["CX_HOME"]).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "cx-lens"


def upload_days() -> float:
    """How many days an upload is kept after its last use ($CX_UPLOAD_DAYS, default 30)."""
    try:
        days = float(os.environ.get("CX_UPLOAD_DAYS", DEFAULT_UPLOAD_DAYS))
    except ValueError:
        return DEFAULT_UPLOAD_DAYS
    return days if days > 0 else DEFAULT_UPLOAD_DAYS


def is_hash(value: object) -> bool:
    """A full lower-case SHA-256 in hex: the only thing ever joined to a path of the store."""
    return isinstance(value, str) and HASH.fullmatch(value) is not None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Upload:
    """One kept upload: its hash, the name it was uploaded under, size in bytes, and times (epoch s)."""

    sha256: str
    name: str
    size: int
    created: float
    last_used: float


class Store:
    """The database and the upload folder under one home (created on first use).

    Args:
        home: the folder (default `cx_home()`).
        days: days an upload is kept after its last use (default `upload_days()`).
    """

    def __init__(self, home: Path | str | None = None, days: float | None = None):
        self.home = Path(home) if home is not None else cx_home()
        self.days = days if days is not None else upload_days()
        self.uploads_dir = self.home / "uploads"
        self.db_path = self.home / "cx.sqlite3"
        try:
            self.uploads_dir.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
                self._migrate(db)
            finally:
                db.close()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"the store in {self.home} cannot be opened for writing ({exc}); set CX_HOME to a folder "
                "you can write to."
            ) from None

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """Bring the schema up to SCHEMA_VERSION, each step in one transaction (another process may race)."""
        db.execute("BEGIN IMMEDIATE")
        try:
            current = db.execute("PRAGMA user_version").fetchone()[0]
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        db.execute(statement)
            if current < SCHEMA_VERSION:
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        with self._connect(write=False) as db:
            return db.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def _connect(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """One connection per operation (safe across threads and processes), in one transaction."""
        db = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def _path(self, digest: str) -> Path:
        if not is_hash(digest):
            raise ValueError("not a SHA-256 hash")
        return self.uploads_dir / digest

    # ------------------------------------------------------------------------------------------
    # Uploads
    # ------------------------------------------------------------------------------------------

    def put(self, name: str, data: bytes, digest: str | None = None, now: float | None = None) -> Upload:
        """Keep `data` (uploaded as `name`); the same bytes again only refresh the name and last use."""
        digest = digest or sha256(data)
        now = time.time() if now is None else now
        path = self._path(digest)
        if not path.exists() or path.stat().st_size != len(data):
            fd, tmp = tempfile.mkstemp(dir=self.uploads_dir, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        with self._connect() as db:
            db.execute(
                "INSERT INTO uploads (sha256, name, size, created, last_used) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(sha256) DO UPDATE SET name = excluded.name, last_used = excluded.last_used",
                (digest, name, len(data), now, now),
            )
            row = db.execute("SELECT * FROM uploads WHERE sha256 = ?", (digest,)).fetchone()
        return Upload(*row)

    def info(self, digest: str) -> Upload | None:
        """What the store knows of one upload (None: unknown, expired or its file is gone)."""
        if not is_hash(digest):
            return None
        with self._connect(write=False) as db:
            row = db.execute("SELECT * FROM uploads WHERE sha256 = ?", (digest,)).fetchone()
        if row is None or not self._path(digest).exists():
            return None
        upload = Upload(*row)
        return None if self._expired(upload, time.time()) else upload

    def get(self, digest: str, now: float | None = None) -> tuple[Upload, bytes] | None:
        """The upload and its bytes, marking it used now; None when it is unknown or expired."""
        now = time.time() if now is None else now
        upload = self.info(digest)
        if upload is None or self._expired(upload, now):
            return None
        try:
            data = self._path(digest).read_bytes()
        except OSError:
            return None
        if sha256(data) != digest:  # a damaged file is no file
            return None
        with self._connect() as db:
            db.execute("UPDATE uploads SET last_used = ? WHERE sha256 = ?", (now, digest))
        return upload, data

    def touch(self, digest: str, now: float | None = None) -> None:
        """Mark an upload used now (its expiry starts again)."""
        if is_hash(digest):
            with self._connect() as db:
                db.execute(
                    "UPDATE uploads SET last_used = ? WHERE sha256 = ?",
                    (time.time() if now is None else now, digest),
                )

    def forget(self, digest: str) -> bool:
        """Delete one upload now (its row and its file); True when there was one."""
        if not is_hash(digest):
            return False
        with self._connect() as db:
            deleted = db.execute("DELETE FROM uploads WHERE sha256 = ?", (digest,)).rowcount
        path = self._path(digest)
        existed = path.exists()
        path.unlink(missing_ok=True)
        return bool(deleted) or existed

    def uploads(self) -> list[Upload]:
        """Every kept upload, most recently used first."""
        with self._connect(write=False) as db:
            rows = db.execute("SELECT * FROM uploads ORDER BY last_used DESC").fetchall()
        return [Upload(*row) for row in rows]

    def purge(self, now: float | None = None, on_delete: Callable[[str], object] | None = None) -> int:
        """Delete the uploads not used for `days` days, and files without a row; how many were deleted.

        Args:
            on_delete: called with the hash of each upload deleted (to delete what was derived from it).
        """
        now = time.time() if now is None else now
        cutoff = now - self.days * 86_400
        with self._connect() as db:
            expired = [r[0] for r in db.execute("SELECT sha256 FROM uploads WHERE last_used < ?", (cutoff,))]
            db.execute("DELETE FROM uploads WHERE last_used < ?", (cutoff,))
            known = {r[0] for r in db.execute("SELECT sha256 FROM uploads")}
        for digest in expired:
            self._path(digest).unlink(missing_ok=True)
        strays = 0
        for path in self.uploads_dir.iterdir():
            # Files no row describes (a crash between the two writes) and unfinished parts, once they are
            # an hour old (younger ones may belong to a `put` running right now in another session).
            old = path.stat().st_mtime < now - 3_600
            orphan = old and is_hash(path.name) and path.name not in known
            stale_part = old and path.name.startswith(".part-")
            if orphan or stale_part:
                path.unlink(missing_ok=True)
                strays += orphan
                if orphan:
                    expired.append(path.name)
        for digest in expired if on_delete else ():
            on_delete(digest)
        return len(expired)

    def _expired(self, upload: Upload, now: float) -> bool:
        return upload.last_used < now - self.days * 86_400

    # ------------------------------------------------------------------------------------------
    # Codeframes (cx/codeframe.py gives them meaning; here they are rows)
    # ------------------------------------------------------------------------------------------

    def codeframes(self) -> list[dict]:
        """Every codeframe: name, created, latest version, its time and note, and its number of themes."""
        with self._connect(write=False) as db:
            rows = db.execute(
                "SELECT c.name, c.created, v.version, v.created, v.note, "
                "(SELECT COUNT(*) FROM codeframe_themes t WHERE t.codeframe = v.codeframe AND t.version = v.version) "
                "FROM codeframes c JOIN codeframe_versions v ON v.codeframe = c.name "
                "AND v.version = (SELECT MAX(version) FROM codeframe_versions WHERE codeframe = c.name) "
                "ORDER BY c.name"
            ).fetchall()
        keys = ("name", "created", "version", "updated", "note", "themes")
        return [dict(zip(keys, row, strict=True)) for row in rows]

    def codeframe_history(self, name: str) -> list[dict]:
        """The versions of one codeframe, oldest first: version, created, note, themes."""
        with self._connect(write=False) as db:
            rows = db.execute(
                "SELECT v.version, v.created, v.note, "
                "(SELECT COUNT(*) FROM codeframe_themes t WHERE t.codeframe = v.codeframe AND t.version = v.version) "
                "FROM codeframe_versions v WHERE v.codeframe = ? ORDER BY v.version",
                (name,),
            ).fetchall()
        return [dict(zip(("version", "created", "note", "themes"), row, strict=True)) for row in rows]

    def codeframe_version(self, name: str, version: int | None = None) -> dict | None:
        """One version (the latest by default) as stored: version, created, note, meta (JSON text),
        themes (theme_id, label, centroid bytes, data JSON text, in order) and aliases; None if absent."""
        with self._connect(write=False) as db:
            if version is None:
                row = db.execute(
                    "SELECT version, created, note, meta FROM codeframe_versions WHERE codeframe = ? "
                    "ORDER BY version DESC LIMIT 1",
                    (name,),
                ).fetchone()
            else:
                row = db.execute(
                    "SELECT version, created, note, meta FROM codeframe_versions WHERE codeframe = ? AND version = ?",
                    (name, int(version)),
                ).fetchone()
            if row is None:
                return None
            themes = db.execute(
                "SELECT theme_id, label, centroid, data FROM codeframe_themes WHERE codeframe = ? AND version = ? "
                "ORDER BY position",
                (name, row[0]),
            ).fetchall()
            aliases = db.execute(
                "SELECT alias, theme_id FROM codeframe_aliases WHERE codeframe = ? AND version = ? ORDER BY alias",
                (name, row[0]),
            ).fetchall()
        return {
            "version": row[0],
            "created": row[1],
            "note": row[2],
            "meta": row[3],
            "themes": [dict(zip(("theme_id", "label", "centroid", "data"), t, strict=True)) for t in themes],
            "aliases": dict(aliases),
        }

    def codeframe_ids_ever(self, name: str) -> set[str]:
        """Every theme id and alias any version of this codeframe has used (so a new id is never an old one)."""
        with self._connect(write=False) as db:
            ids = {
                r[0] for r in db.execute("SELECT theme_id FROM codeframe_themes WHERE codeframe = ?", (name,))
            }
            ids |= {
                r[0] for r in db.execute("SELECT alias FROM codeframe_aliases WHERE codeframe = ?", (name,))
            }
        return ids

    def write_codeframe_version(
        self,
        name: str,
        themes: list[dict],
        aliases: dict[str, str],
        meta: str,
        note: str,
        base: int | None,
        now: float | None = None,
    ) -> int:
        """Save the next version of `name` in one transaction and return its number.

        Args:
            themes: in order, each with theme_id, label, centroid (bytes) and data (JSON text).
            base: the version the edit started from; None creates the codeframe (version 1).

        Raises:
            StaleVersion: another writer saved a version after `base` (or `name` exists and base is None).
            KeyError: `base` is given and the codeframe does not exist.
        """
        now = time.time() if now is None else now
        with self._connect() as db:
            latest = db.execute(
                "SELECT MAX(version) FROM codeframe_versions WHERE codeframe = ?", (name,)
            ).fetchone()[0]
            if base is None:
                if latest is not None:
                    raise StaleVersion(f"a codeframe called {name!r} already exists")
                db.execute("INSERT INTO codeframes (name, created) VALUES (?, ?)", (name, now))
            elif latest is None:
                raise KeyError(name)
            elif latest != base:
                raise StaleVersion(f"{name!r} is at version {latest}, not {base}")
            version = 1 if latest is None else latest + 1
            db.execute(
                "INSERT INTO codeframe_versions (codeframe, version, created, note, meta) VALUES (?, ?, ?, ?, ?)",
                (name, version, now, note, meta),
            )
            db.executemany(
                "INSERT INTO codeframe_themes (codeframe, version, position, theme_id, label, centroid, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (name, version, i, t["theme_id"], t["label"], t["centroid"], t["data"])
                    for i, t in enumerate(themes)
                ],
            )
            db.executemany(
                "INSERT INTO codeframe_aliases (codeframe, version, alias, theme_id) VALUES (?, ?, ?, ?)",
                [(name, version, alias, target) for alias, target in sorted(aliases.items())],
            )
        return version

    def delete_codeframe(self, name: str) -> bool:
        """Delete a codeframe and all its versions; True when there was one."""
        with self._connect() as db:
            for table in ("codeframe_aliases", "codeframe_themes", "codeframe_versions"):
                db.execute(f"DELETE FROM {table} WHERE codeframe = ?", (name,))
            return bool(db.execute("DELETE FROM codeframes WHERE name = ?", (name,)).rowcount)
