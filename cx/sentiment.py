"""Sentiment estimate: which comments are likely negative, for files with no scores and no sentiment column.

A logistic head (numpy only, a few kilobytes in cx/models/) over two views of each cleaned comment:
  - its multilingual Universal Sentence Encoder vector, the same vector the themes compute and cache
    (same cleaning, same model, same cache), so the estimate and the themes share one embedding pass;
  - hashed character 2-4-grams inside words, which catch the words of complaint the sentence vector
    blurs ("péssimo", "roto", "crashes").
It answers negative versus the rest: the rest is neutral *or* positive, so "not likely negative" is never
read as praise. The head was trained by scripts/train_sentiment.py on openly licensed data (see
cx/models/ATTRIBUTION.txt) and measured by bench/sentiment_bench.py. It is an estimate: pages call it
"likely negative", never a fact.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from cx.embed import MULTILINGUAL, EmbeddingCache, Progress, default_cache_dir, embed_texts, get_embedder
from cx.text import clean

MODEL_FILE = Path(__file__).resolve().parent / "models" / "sentiment_head.npz"
SENTIMENT_VALUES = ["neg", "neu", "pos"]
NGRAMS = (2, 3, 4)
BUCKETS = 4096
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: spreads the rolling hash over the buckets
_BASE = np.uint64(1_000_003)


def char_ngrams(texts: Sequence[str], buckets: int = BUCKETS) -> tuple[np.ndarray, np.ndarray]:
    """Every character n-gram (n in NGRAMS) inside the words of each text, hashed to a bucket.

    Words are lower-cased, NFC-normalised and padded with one space each side ("malo" gives " m", "ma",
    " ma", "mal", ...); n-grams never cross words. Pure numpy, deterministic on every platform.

    Returns:
        (row, bucket): for each n-gram occurrence, the index of its text and its bucket.
    """
    if buckets & (buckets - 1):
        raise ValueError("buckets must be a power of two")
    parts = [
        "".join(f" {word} \0" for word in unicodedata.normalize("NFC", str(text)).lower().split())
        for text in texts
    ]
    c = np.frombuffer("".join(parts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(c) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    r = np.repeat(np.arange(len(parts), dtype=np.int64), [len(part) for part in parts])
    sep = np.concatenate([[0], np.cumsum(c == 0)])
    shift = np.uint64(64 - int(np.log2(buckets)))
    out_rows, out_buckets = [], []
    h = np.zeros(len(c), dtype=np.uint64)
    for n in range(1, max(NGRAMS) + 1):
        # h[i] is the rolling hash of c[i : i + n] (uint64 arithmetic wraps, on purpose)
        h = h[: len(c) - n + 1] * _BASE + c[n - 1 :]
        if n in NGRAMS:
            valid = sep[n:] - sep[: len(c) - n + 1] == 0  # no separator inside the window
            mixed = (h[valid] + np.uint64(n)) * _MIX
            out_buckets.append((mixed >> shift).astype(np.int64))
            out_rows.append(r[: len(c) - n + 1][valid])
    return np.concatenate(out_rows), np.concatenate(out_buckets)


@dataclass(frozen=True)
class SentimentHead:
    """The shipped head: P(negative) = sigmoid(vector · embed_weights + chars · char_weights + bias).

    `chars` is the L2-normalised vector of bucket counts from char_ngrams; `threshold` was tuned on
    held-out data by the training script.
    """

    embed_weights: np.ndarray
    char_weights: np.ndarray
    bias: float
    threshold: float
    embedder: str

    def predict(self, vectors: np.ndarray, texts: Sequence[str], chunk: int = 4096) -> np.ndarray:
        """P(negative) for each (embedding, cleaned text) pair."""
        vectors = np.asarray(vectors, dtype=np.float64).reshape(len(texts), -1)
        out = np.zeros(len(texts))
        for start in range(0, len(texts), chunk):  # bounded memory: n-grams of one chunk at a time
            part = list(texts[start : start + chunk])
            logit = vectors[start : start + chunk] @ self.embed_weights
            logit += char_scores(part, self.char_weights) + self.bias
            out[start : start + chunk] = 1.0 / (1.0 + np.exp(-logit))
        return out


def char_scores(texts: Sequence[str], weights: np.ndarray) -> np.ndarray:
    """For each text, its L2-normalised vector of n-gram bucket counts, times `weights`."""
    n, buckets = len(texts), len(weights)
    rows, hashed = char_ngrams(texts, buckets)
    dot = np.bincount(rows, weights=weights[hashed], minlength=n)
    # squared norm of each text's bucket counts: the sum over its distinct buckets of count**2
    keys, counts = np.unique(rows * buckets + hashed, return_counts=True)
    norm = np.sqrt(np.bincount(keys // buckets, weights=counts**2.0, minlength=n))
    return np.divide(dot, norm, out=np.zeros(n), where=norm > 0)


@lru_cache(maxsize=1)
def load_head(path: str | None = None) -> SentimentHead:
    """The shipped head from cx/models (no network; numpy's own format, no pickle)."""
    with np.load(path or MODEL_FILE, allow_pickle=False) as data:
        return SentimentHead(
            embed_weights=data["embed_weights"].astype(np.float64),
            char_weights=data["char_weights"].astype(np.float64),
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            embedder=str(data["embedder"]),
        )


def _cleaned(texts: Sequence) -> list[str]:
    return [
        "" if t is None or (isinstance(t, float) and np.isnan(t)) or t is pd.NA else clean(t) for t in texts
    ]


def estimate_negative(
    texts: list[str], cache: EmbeddingCache | None = None, progress: Progress | None = None
) -> np.ndarray:
    """P(negative) in [0, 1] for each text; NaN for a text with nothing to read (empty, only a URL).

    Args:
        texts: the comments as written (they are cleaned here exactly as the themes clean them).
        cache: the embedding cache to read and fill; None uses the default one (CX_LENS_CACHE), the one
            the themes use, so whichever runs second finds the vectors there.
        progress: called with (texts embedded so far, texts to embed).
    """
    head = load_head()
    cleaned = _cleaned(texts)
    keep = [i for i, t in enumerate(cleaned) if t]
    out = np.full(len(cleaned), np.nan)
    if not keep:
        return out
    embedder = get_embedder(MULTILINGUAL)
    if embedder.name != head.embedder:
        raise RuntimeError(f"the sentiment head was trained on {head.embedder}, not {embedder.name}")
    if cache is None:
        cache = EmbeddingCache(default_cache_dir())
    kept = [cleaned[i] for i in keep]
    vectors, _ = embed_texts(kept, embedder, cache=cache, progress=progress)
    out[keep] = head.predict(vectors, kept)
    return out


def label_negative(p: np.ndarray) -> np.ndarray:
    """True where the estimate says "likely negative" (the shipped, tuned threshold); NaN is False."""
    p = np.asarray(p, dtype=np.float64)
    return np.nan_to_num(p, nan=-1.0) >= load_head().threshold


def add_estimated_sentiment(frame: pd.DataFrame, cache: EmbeddingCache | None = None) -> pd.DataFrame:
    """A copy of a canonical frame with `sentiment` = "neg" where a comment without sentiment is likely
    negative, and `sentiment_estimated` = True on every row the model read.

    Only missing sentiment is filled; a value from the file is never changed. A comment the model does
    not call negative keeps NA: "not likely negative" is not "positive" nor "neutral", so no value is
    invented for it. Among rows with `sentiment_estimated`, the share of "neg" is the estimated negative
    share. Rows are never added or dropped.
    """
    out = frame.copy()
    if "sentiment" in out.columns:
        current = out["sentiment"]
        if isinstance(current.dtype, pd.CategoricalDtype):
            extra = [v for v in SENTIMENT_VALUES if v not in current.cat.categories]
            current = current.cat.add_categories(extra) if extra else current
        else:
            current = current.astype(pd.CategoricalDtype(SENTIMENT_VALUES))
    else:
        current = pd.Series(pd.Categorical([None] * len(out), categories=SENTIMENT_VALUES), index=out.index)
    text = out["text"] if "text" in out.columns else pd.Series(pd.NA, index=out.index, dtype="string")
    todo = np.flatnonzero((current.isna() & text.notna()).to_numpy())  # positions: any index works
    estimated = np.zeros(len(out), dtype=bool)
    if len(todo):
        p = estimate_negative(text.iloc[todo].tolist(), cache=cache)
        estimated[todo[~np.isnan(p)]] = True
        current = current.copy()
        current.iloc[todo[label_negative(p)]] = "neg"
    out["sentiment"] = current
    out["sentiment_estimated"] = estimated
    return out
