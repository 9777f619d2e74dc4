"""Train the shipped "likely negative" head (cx/models/sentiment_head.npz) from local copies of its data.

Nothing is downloaded: DATA_DIR must already hold these public repositories (a `git clone` of each, or
just the files named below), each in the sub-folder given here:

    blse/        https://github.com/jbarnesspain/blse   OpeNER (es/en) and MultiBooked (ca) hotel sentences
                 (CC BY): datasets/{es,en,ca}/opener_sents/{train,dev,test}/{strneg,neg,pos,strpos}.txt
    XED/         https://github.com/Helsinki-NLP/XED           movie subtitles, emotions (CC BY 4.0)
                 Projections/{es,pt,en}-projections.tsv, AnnotatedData/en-annotated.tsv
    goemotions/  https://github.com/monologg/GoEmotions-pytorch  a copy of Google's GoEmotions
                 (Reddit comments, 27 emotions; Apache 2.0): data/original/{train,dev,test}.tsv

Each source is mapped to two classes, negative and rest (neutral or positive). Emotions count as negative
when a line has a negative emotion and no positive one; lines with both are left out, as are OpeNER's
"mixed" sentences. Every text is cleaned as the app cleans comments (cx.text.clean) and embedded with the
multilingual Universal Sentence Encoder, the model the themes use, so at run time the head costs nothing
beyond the embeddings the themes already cache.

Usage:
    python scripts/train_sentiment.py DATA_DIR [--out cx/models/sentiment_head.npz]
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# XED: anger 1, anticipation 2, disgust 3, fear 4, joy 5, sadness 6, surprise 7, trust 8 (0 neutral).
XED_NEGATIVE = {1, 3, 4, 6}
XED_POSITIVE = {5, 8}
# GoEmotions label ids in data/original/labels.txt order; negative and positive as grouped in its paper.
GOEMOTIONS_LABELS = (
    "admiration amusement anger annoyance approval caring confusion curiosity desire disappointment "
    "disapproval disgust embarrassment excitement fear gratitude grief joy love nervousness optimism "
    "pride realization relief remorse sadness surprise neutral"
).split()
GOEMOTIONS_NEGATIVE = {
    "anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment", "fear", "grief",
    "nervousness", "remorse", "sadness",
}  # fmt: skip
GOEMOTIONS_POSITIVE = {
    "admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude", "joy", "love",
    "optimism", "pride", "relief",
}  # fmt: skip

Examples = list[tuple[str, int, str, str]]  # (text, 1 if negative else 0, language, source)


def _lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_opener(data: Path, lang: str, splits: tuple[str, ...]) -> Examples:
    """OpeNER hotel-review sentences: strneg/neg are negative, pos/strpos the rest, mixed left out."""
    out: Examples = []
    base = data / "blse" / "datasets" / lang / "opener_sents"
    for split in splits:
        for name, label in (("strneg", 1), ("neg", 1), ("pos", 0), ("strpos", 0)):
            out += [(t, label, lang, "opener") for t in _lines(base / split / f"{name}.txt")]
    return out


def _emotion_label(labels: set, negative: set, positive: set) -> int | None:
    if labels & negative and labels & positive:
        return None
    return 1 if labels & negative else 0


def load_xed(data: Path, lang: str) -> Examples:
    """XED subtitle lines (projected for es/pt, annotated for en)."""
    path = (
        data
        / "XED"
        / ("AnnotatedData/en-annotated.tsv" if lang == "en" else f"Projections/{lang}-projections.tsv")
    )
    out: Examples = []
    for line in _lines(path):
        text, _, codes = line.rpartition("\t")
        try:
            labels = {int(c) for c in codes.replace(" ", "").split(",") if c}
        except ValueError:
            continue
        label = _emotion_label(labels, XED_NEGATIVE, XED_POSITIVE)
        if text and label is not None:
            out.append((text, label, lang, "xed"))
    return out


def load_goemotions(data: Path, split: str) -> Examples:
    """GoEmotions Reddit comments (English)."""
    out: Examples = []
    for line in _lines(data / "goemotions" / "data" / "original" / f"{split}.tsv"):
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        labels = {GOEMOTIONS_LABELS[int(i)] for i in parts[1].split(",") if i.strip().isdigit()}
        label = _emotion_label(labels, GOEMOTIONS_NEGATIVE, GOEMOTIONS_POSITIVE)
        if label is not None:
            out.append((parts[0], label, "en", "goemotions"))
    return out


def _held_out(text: str, share: int = 20) -> bool:
    """A stable 1-in-5 split by text (XED has no split of its own)."""
    return zlib.crc32(text.encode("utf-8")) % 100 < share


def training_sets(data: Path) -> tuple[Examples, Examples]:
    """(train, dev): the dev part picks the threshold and is never trained on."""
    train: Examples = []
    dev: Examples = []
    for lang in ("es", "en", "ca"):  # Catalan: close kin of Spanish and Galician; it helps both
        train += load_opener(data, lang, ("train",))
        dev += load_opener(data, lang, ("dev",))
    for lang in ("es", "pt", "en"):
        for example in load_xed(data, lang):
            (dev if _held_out(example[0]) else train).append(example)
    train += load_goemotions(data, "train")
    dev += load_goemotions(data, "dev")
    return train, dev


def clean_examples(examples: Examples) -> Examples:
    """Cleaned as the app cleans comments; empty ones dropped."""
    from cx.text import clean

    out = [(clean(t), y, lang, src) for t, y, lang, src in examples]
    return [e for e in out if e[0]]


def embed(texts: list[str], cache_dir: Path | None) -> np.ndarray:
    from cx.embed import MULTILINGUAL, EmbeddingCache, embed_texts, get_embedder

    vectors, _ = embed_texts(texts, get_embedder(MULTILINGUAL), cache=EmbeddingCache(cache_dir))
    return vectors


def char_matrix(texts: list[str], buckets: int):
    """The L2-normalised n-gram bucket counts of cx.sentiment, as a sparse matrix (training only)."""
    from scipy import sparse

    from cx.sentiment import char_ngrams

    rows, cols = char_ngrams(texts, buckets)
    m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), buckets))
    m.sum_duplicates()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return sparse.diags(1.0 / np.where(norms == 0, 1, norms)) @ m


def balanced_weights(examples: Examples) -> np.ndarray:
    """Each (source, language) weighs the same in total, and within it negative and rest weigh the same:
    no corpus's size or its share of negatives decides the prior."""
    groups = np.array([f"{src}/{lang}" for _, _, lang, src in examples])
    y = np.array([e[1] for e in examples])
    w = np.zeros(len(examples))
    names = np.unique(groups)
    for g in names:
        m = groups == g
        for label in (0, 1):
            part = m & (y == label)
            if part.any():
                w[part] = len(examples) / (len(names) * 2 * part.sum())
    return w


def fit_head(examples: Examples, vectors: np.ndarray, buckets: int, c: float = 1.0):
    """Logistic regression on [embedding, char n-grams]; returns (embed_weights, char_weights, bias)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    texts = [e[0] for e in examples]
    y = np.array([e[1] for e in examples])
    parts = [sparse.csr_matrix(vectors)]
    if buckets:
        parts.append(char_matrix(texts, buckets))
    x = sparse.hstack(parts).tocsr()
    model = LogisticRegression(C=c, solver="liblinear", max_iter=5000)
    model.fit(x, y, sample_weight=balanced_weights(examples))
    coef = model.coef_.ravel()
    dim = vectors.shape[1]
    return coef[:dim], coef[dim:], float(model.intercept_[0])


def best_threshold(examples: Examples, p: np.ndarray) -> float:
    """The threshold with the best mean negative-vs-rest macro-F1 over the dev (source, language) groups."""
    from sklearn.metrics import f1_score

    groups = np.array([f"{src}/{lang}" for _, _, lang, src in examples])
    y = np.array([e[1] for e in examples])
    grid = np.round(np.arange(0.30, 0.71, 0.01), 2)

    def score(t: float) -> float:
        return float(
            np.mean(
                [f1_score(y[groups == g], p[groups == g] >= t, average="macro") for g in np.unique(groups)]
            )
        )

    return float(max(grid, key=score))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="folder holding blse/, XED/ and goemotions/ (see above)")
    parser.add_argument("--out", type=Path, default=ROOT / "cx" / "models" / "sentiment_head.npz")
    parser.add_argument("--cache", type=Path, default=None, help="embedding cache folder (default: none)")
    parser.add_argument(
        "--buckets", type=int, default=4096, help="character n-gram buckets (0: embeddings only)"
    )
    parser.add_argument("-C", type=float, default=1.0, help="inverse regularisation strength")
    args = parser.parse_args(argv)

    from cx.embed import MultilingualEmbedder
    from cx.sentiment import NGRAMS, SentimentHead

    started = time.time()
    train, dev = (clean_examples(part) for part in training_sets(args.data))
    print(f"train {len(train)} texts ({np.mean([e[1] for e in train]):.0%} negative), dev {len(dev)}")
    vectors = embed([e[0] for e in train + dev], args.cache)
    train_vectors, dev_vectors = vectors[: len(train)], vectors[len(train) :]
    embed_w, char_w, bias = fit_head(train, train_vectors, args.buckets, args.C)
    if not args.buckets:
        char_w = np.zeros(1)  # a single zero bucket: the char part adds nothing
    head = SentimentHead(embed_w, char_w, bias, 0.5, MultilingualEmbedder.name)
    threshold = best_threshold(dev, head.predict(dev_vectors, [e[0] for e in dev]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        args.out,
        embed_weights=embed_w.astype(np.float32),
        char_weights=char_w.astype(np.float32),
        bias=np.float64(bias),
        threshold=np.float64(threshold),
        embedder=np.str_(MultilingualEmbedder.name),
        ngrams=np.array(NGRAMS),
        trained_on=np.str_(
            "OpeNER es/en + MultiBooked ca train (CC BY); XED es/pt/en, 80% (CC BY 4.0); GoEmotions train (Apache-2.0)"
        ),
    )
    print(
        f"threshold {threshold:.2f}; wrote {args.out} ({args.out.stat().st_size} bytes) in {time.time() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
