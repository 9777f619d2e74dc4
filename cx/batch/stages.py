"""The batch stages, each a plain function or a small class both engines call.

read (one file → canonical frame + row report) → parts (each comment split and its names masked, as
`cx.themes.find_themes` does; whole comments for a codeframe) → fit (run.py: the app's two-level ThemeModel
on the parts of a seeded sample of comments) → embed + sentiment + assign (`EmbedAssign`, a callable class: Ray Data builds one per
worker, so each worker loads its model once; the local engine builds one in the process).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from cx.embed import (
    MULTILINGUAL,
    EmbeddingCache,
    MultilingualEmbedder,
    SentenceTransformerEmbedder,
    embed_texts,
)
from cx.io import InputError
from cx.schema import Dataset, RoleFlags, load_with_flags
from cx.text import clean
from cx.themes import ThemeError, comments_for_themes, segment_values, split_comments

LANGUAGE_SAMPLE = 2_000


def file_hash(path: Path) -> str:
    """Content hash of a file (what a rerun compares to skip files already done)."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_one(path: Path, flags: RoleFlags) -> Dataset:
    """Read and validate one file exactly as `python -m cx inspect` does: the same reader, row report and
    role flags (`cx.schema.load_with_flags`, which the command line's verbs use too).

    Raises:
        InputError: the file cannot be used (the message says why).
    """
    return load_with_flags(path, flags)


def read_or_reason(path: Path, flags: RoleFlags) -> Dataset | str:
    """`read_one`, with the reason as a plain string when the file cannot be used (a worker returns it
    instead of raising, so one bad file never stops the others)."""
    try:
        return read_one(path, flags)
    except InputError as exc:
        return str(exc)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def comments_of(frame: pd.DataFrame, all_comments: bool) -> pd.DataFrame:
    """The comments to group (complaints by default), cleaned as `cx.themes.find_themes` cleans them.

    Returns:
        `row` (position in `frame`) and `text` (cleaned), one row per comment not empty once cleaned.
    """
    texts = comments_for_themes(frame, all_comments)
    cleaned = pd.Series([clean(t) for t in texts], index=texts.index, dtype=object)
    cleaned = cleaned[cleaned != ""]
    return pd.DataFrame(
        {"row": frame.index.get_indexer(cleaned.index), "text": cleaned.to_numpy(dtype=object)}
    )


PART_COLUMNS = ["row", "part", "text", "masked", "junk"]


def parts_of(frame: pd.DataFrame, all_comments: bool) -> tuple[pd.DataFrame, list[str], frozenset]:
    """One file's comments to group (complaints by default), split into parts with the file's names
    masked, exactly as `cx.themes.find_themes` splits and masks an upload (`cx.themes.split_comments`).

    Returns:
        (parts: row (position in `frame`), part (1, 2, …), text (as quoted), masked (as embedded), junk;
        the cleaned comments (for the languages); the names masked)
    """
    texts = comments_for_themes(frame, all_comments)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in PART_COLUMNS})
    if texts.empty:
        return empty, [], frozenset()
    try:
        prepared = split_comments(texts, segment_values(frame))
    except ThemeError:  # every comment empty once cleaned
        return empty, [], frozenset()
    parts = prepared.parts.copy()
    parts["row"] = frame.index.get_indexer(parts["row"])
    return parts, prepared.comments["cleaned"].tolist(), prepared.names


def sample_positions(n: int, size: int, seed: int) -> np.ndarray:
    """Sorted positions of a seeded sample of `size` out of `n` (all of them when n ≤ size)."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size, replace=False))


def load_embedder(name: str, threads: int | None = None):
    """A fresh embedder for one worker, limited to `threads` CPU threads (None: the library's default).

    One thread per worker: the multilingual encoder with every core ran 5–9× slower while another
    process used the CPUs (issue 17), and Ray gives each worker one CPU.
    """
    if name == MULTILINGUAL:
        return MultilingualEmbedder(threads=threads)
    if threads:
        import torch

        torch.set_num_threads(threads)
    return SentenceTransformerEmbedder(None if name == "minilm" else name)


class CodeframeAssigner:
    """A saved codeframe (cx/codeframe.py) used as the model: `predict` gives each vector the codeframe's
    nearest theme whose threshold it passes, by the rule of `cx.codeframe.apply` (similarities rounded to
    4 decimals, a merged theme's parts each compared), or 0 when it passes none ("new").

    Attributes:
        ids_, labels_: the codeframe's theme ids and labels; predict's i + 1 is theme i.
        themes_: theme_id (the codeframe's own ids), label.
    """

    def __init__(self, codeframe):
        owner, centroids, limits = [], [], []
        for i, theme in enumerate(codeframe.themes):
            for centroid, limit in theme.targets():
                owner.append(i)
                centroids.append(np.asarray(centroid, dtype=np.float32))
                limits.append(limit)
        self.owner_ = np.array(owner, dtype=np.int64)
        self.centroids_ = np.vstack(centroids)
        self.limits_ = np.array(limits, dtype=np.float64)
        self.ids_ = [str(i) for i in codeframe.ids()]
        self.labels_ = [t.label for t in codeframe.themes]
        self.themes_ = pd.DataFrame({"theme_id": self.ids_, "label": self.labels_})
        self.k_ = len(self.ids_)

    def predict(self, vectors: np.ndarray) -> np.ndarray:
        if len(vectors) == 0:
            return np.zeros(0, dtype=np.int64)
        if vectors.shape[1] != self.centroids_.shape[1]:
            raise ThemeError(
                f"the codeframe's centroids have {self.centroids_.shape[1]} dimensions and the embedder "
                f"gives {vectors.shape[1]}: re-embed the codeframe."
            )
        sims = np.round(vectors @ self.centroids_.T, 4)
        passed = np.where(sims >= self.limits_[None, :], sims, -np.inf)
        known = np.isfinite(passed).any(axis=1)
        return np.where(known, self.owner_[passed.argmax(axis=1)] + 1, 0).astype(np.int64)


class EmbedAssign:
    """Embed a batch of texts (comment parts, or whole comments for a codeframe), read each part's
    sentiment and assign each to its nearest theme.

    A callable class: Ray Data's `map_batches` builds one per worker (the models load once per worker);
    the local engine builds one in the driver. Batches are dicts of numpy arrays: `key` (int) and `text`
    (the masked part) in; `key`, `theme_id` (the model's id, 0 for an empty text), `p_negative` (the
    bundled sentiment model's P(negative) from the multilingual vectors, as `cx.sentiment` reads it; NaN
    without `sentiment` or for an empty text) and `vector` (n × dim float32, the theme embedder's) out,
    so the caller joins by key whatever the order the batches come back in.
    """

    def __init__(
        self,
        embedder,
        model,
        cache_dir: str | None = None,
        threads: int | None = None,
        sentiment: bool = False,
    ):
        self.threads = threads
        self.embedder = self._load(embedder)
        if isinstance(model, list):  # on a Ray worker: [ObjectRef] of the fitted model, fetched once
            import ray

            model = ray.get(model[0])
        self.model = model
        self.cache = EmbeddingCache(Path(cache_dir)) if cache_dir else None
        self.sentiment = None
        if sentiment:
            from cx.sentiment import load_head

            try:
                self.head = load_head()
            except (ImportError, OSError):  # not installed: no part is scored (the fit said so)
                return
            same = getattr(self.embedder, "name", None) == self.head.embedder
            self.sentiment = self.embedder if same else self._load(MULTILINGUAL)

    def _load(self, embedder):
        if not isinstance(embedder, str):
            return embedder
        from cx.embed import get_embedder

        return load_embedder(embedder, self.threads) if self.threads else get_embedder(embedder)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from cx.sentiment import _cleaned

        texts = [str(t) for t in batch["text"]]
        n = len(texts)
        keep = [i for i, t in enumerate(texts) if t]
        kept = [texts[i] for i in keep]
        vectors, _ = embed_texts(kept, self.embedder, cache=self.cache)
        dim = vectors.shape[1] if len(kept) else int(getattr(self.model, "n_features_in_", 0) or 0)
        out_vectors = np.zeros((n, dim), dtype=np.float32)
        theme = np.zeros(n, dtype=np.int64)
        p_negative = np.full(n, np.nan)
        if kept:
            out_vectors[keep] = vectors
            theme[keep] = np.asarray(self.model.predict(vectors), dtype=np.int64)
        if self.sentiment is not None and kept:
            # exactly as cx.sentiment.estimate_negative reads a part: cleaned, multilingual vectors, the head
            readable = _cleaned(kept)
            where = [keep[i] for i, t in enumerate(readable) if t]
            readable = [t for t in readable if t]
            if readable:
                same_texts = self.sentiment is self.embedder and readable == [texts[i] for i in where]
                if same_texts:
                    sent_vectors = out_vectors[where]
                else:
                    sent_vectors, _ = embed_texts(readable, self.sentiment, cache=self.cache)
                p_negative[where] = self.head.predict(sent_vectors, readable)
        return {
            "key": np.asarray(batch["key"], dtype=np.int64),
            "theme_id": theme,
            "p_negative": p_negative,
            "vector": out_vectors,
        }
