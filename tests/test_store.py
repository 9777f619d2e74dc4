"""The store: uploads kept by content hash under CX_HOME, expiry, forget, and several writers at once."""

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from cx.store import StaleVersion, Store, StoreError, cx_home, is_hash, sha256, upload_days

DATA = b"id;nps\n1;9\n2;3\n"
DAY = 86_400


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "home", days=30)


def test_an_upload_is_kept_by_its_hash_and_reopened_from_another_store_object(store: Store):
    kept = store.put("encuesta.csv", DATA)
    assert kept.sha256 == sha256(DATA) and kept.name == "encuesta.csv" and kept.size == len(DATA)
    assert (store.home / "uploads" / kept.sha256).read_bytes() == DATA
    # Another session (or the CLI) opens the same home and finds the same file by its hash alone.
    upload, data = Store(store.home).get(kept.sha256)
    assert data == DATA and upload.name == "encuesta.csv"


def test_the_same_bytes_twice_are_one_upload_with_the_latest_name(store: Store):
    store.put("a.csv", DATA, now=1_000)
    again = store.put("b.csv", DATA, now=2_000)
    assert [u.name for u in store.uploads()] == ["b.csv"]
    assert again.created == 1_000 and again.last_used == 2_000


def test_unknown_and_hostile_hashes_find_nothing_and_touch_no_path(store: Store):
    assert store.get("0" * 64) is None
    for hostile in ("../cx.sqlite3", "..", "/etc/passwd", "A" * 64, "sample", "", None, "0" * 63 + "/"):
        assert not is_hash(hostile)
        assert store.get(hostile) is None and store.info(hostile) is None and not store.forget(hostile)
    assert store.db_path.exists()  # nothing outside uploads/ was deleted


def test_uploads_expire_after_the_configured_days_of_disuse(store: Store):
    now = time.time()
    old = store.put("old.csv", b"old,1\n", now=now - 31 * DAY)
    recent = store.put("recent.csv", b"recent,1\n", now=now - 29 * DAY)
    assert store.get(old.sha256, now=now) is None  # expired: gone even before a purge
    deleted = []
    assert store.purge(now=now, on_delete=deleted.append) == 1
    assert deleted == [old.sha256]  # so what was derived from it (its themes' parts) goes too
    assert not (store.uploads_dir / old.sha256).exists()
    assert [u.name for u in store.uploads()] == ["recent.csv"]
    # Using an upload starts its time again.
    assert store.get(recent.sha256, now=now) is not None
    assert store.purge(now=now + 2 * DAY) == 0 and store.info(recent.sha256) is not None


def test_forget_deletes_one_upload_now(store: Store):
    keep, drop = store.put("keep.csv", b"a,1\n"), store.put("drop.csv", b"b,2\n")
    assert store.forget(drop.sha256)
    assert store.get(drop.sha256) is None and not (store.uploads_dir / drop.sha256).exists()
    assert store.get(keep.sha256) is not None
    assert not store.forget(drop.sha256)  # already gone


def test_a_damaged_file_is_not_served(store: Store):
    kept = store.put("x.csv", DATA)
    (store.uploads_dir / kept.sha256).write_bytes(b"something else")
    assert store.get(kept.sha256) is None


def test_orphan_files_are_purged_once_old(store: Store):
    orphan = store.uploads_dir / sha256(b"nobody")
    orphan.write_bytes(b"nobody")
    assert store.purge() == 0 and orphan.exists()  # may be a put in progress elsewhere
    assert store.purge(now=time.time() + 2 * 3_600) == 1 and not orphan.exists()


def test_the_database_is_sqlite_in_wal_mode_with_an_uploads_table(store: Store):
    store.put("a.csv", DATA)
    db = sqlite3.connect(store.db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT name, size FROM uploads").fetchall() == [("a.csv", len(DATA))]


def test_several_sessions_write_at_once(store: Store):
    errors = []

    def work(i: int) -> None:
        try:
            s = Store(store.home)
            for j in range(10):
                s.put(f"f{i}_{j}.csv", f"{i},{j}\n".encode())
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(store.uploads()) == 60


def test_home_and_expiry_come_from_the_environment(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("CX_HOME", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("CX_UPLOAD_DAYS", "7")
    assert cx_home() == tmp_path / "elsewhere" and upload_days() == 7
    assert Store().uploads_dir == tmp_path / "elsewhere" / "uploads"
    monkeypatch.setenv("CX_UPLOAD_DAYS", "soon")
    assert upload_days() == 30  # a value that is not a number falls back to the default
    monkeypatch.delenv("CX_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert cx_home().name == "cx-lens"


def test_a_store_of_schema_version_1_migrates_and_keeps_its_uploads(tmp_path: Path):
    home = tmp_path / "old"
    (home / "uploads").mkdir(parents=True)
    db = sqlite3.connect(home / "cx.sqlite3")
    db.executescript(
        "CREATE TABLE uploads (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, size INTEGER NOT NULL, "
        "created REAL NOT NULL, last_used REAL NOT NULL); PRAGMA user_version = 1;"
    )
    digest = sha256(DATA)
    db.execute(
        "INSERT INTO uploads VALUES (?, 'old.csv', ?, ?, ?)", (digest, len(DATA), time.time(), time.time())
    )
    db.commit()
    db.close()
    (home / "uploads" / digest).write_bytes(DATA)
    store = Store(home)
    assert store.schema_version() == 2
    assert [u.name for u in store.uploads()] == ["old.csv"] and store.get(digest)[1] == DATA
    assert store.codeframes() == []  # the codeframe tables exist, empty


def test_a_store_that_cannot_be_written_gives_one_plain_error(tmp_path: Path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot be opened for writing.*set CX_HOME"):
        Store(blocker / "home")


def test_a_read_only_folder_gives_one_plain_error(tmp_path: Path):
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        if os.access(readonly, os.W_OK):  # root writes anywhere: only the first case applies
            pytest.skip("running as root")
        with pytest.raises(StoreError, match="cannot be opened for writing"):
            Store(readonly / "home")
    finally:
        readonly.chmod(0o700)


def test_a_codeframe_version_written_from_a_stale_base_is_refused(store: Store):
    theme = {"theme_id": "1", "label": "Late", "centroid": b"\0\0\0\0", "data": "{}"}
    assert store.write_codeframe_version("cf", [theme], {}, "{}", "saved", base=None) == 1
    assert store.write_codeframe_version("cf", [theme], {}, "{}", "edit", base=1) == 2
    with pytest.raises(StaleVersion):
        store.write_codeframe_version("cf", [theme], {}, "{}", "late edit", base=1)
    with pytest.raises(StaleVersion):
        store.write_codeframe_version("cf", [theme], {}, "{}", "again", base=None)
    assert [v["note"] for v in store.codeframe_history("cf")] == ["saved", "edit"]
    assert store.delete_codeframe("cf") and store.codeframe_version("cf") is None
