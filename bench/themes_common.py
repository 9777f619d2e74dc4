"""Shared by the themes benches: today's flat baseline, data loading, the machine's load."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cx.io import read_file  # noqa: E402
from cx.schema import build_dataset  # noqa: E402
from cx.themes import ctfidf_terms, neighbour_mean  # noqa: E402

REVIEWS = ROOT / "tests" / "data" / "reviews" / "reviews.csv"


def load() -> str:
    """`uptime`'s load averages: the machine is shared, so every time is printed beside them."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def baseline_labels(embeddings: np.ndarray, random_state: int = 0, k_range=(4, 16)) -> np.ndarray:
    """The flat themes before issue 12, one per text: k by plain silhouette over 4–16 on a 2,000 sample
    (coarse grid then refinement there; here every k), KMeans on neighbour-smoothed vectors."""
    rng = np.random.default_rng(random_state)
    take = np.sort(rng.choice(len(embeddings), min(len(embeddings), 2000), replace=False))
    sample = embeddings[take]
    lo, hi = (
        k_range[0],
        min(k_range[1], len(np.unique(embeddings.round(5), axis=0)) - 1, len(embeddings) // 10),
    )
    scores = {}
    for k in range(max(2, lo), max(2, hi) + 1):
        labels = KMeans(n_clusters=k, random_state=random_state, n_init=1).fit_predict(sample)
        scores[k] = silhouette_score(sample, labels, metric="cosine")
    k = max(scores, key=lambda k: (round(scores[k], 3), k))
    points = neighbour_mean(embeddings, 5) if len(embeddings) <= 12_000 else embeddings
    n_init = int(np.clip(200_000 // max(1, len(embeddings) * k), 1, 8))
    return KMeans(n_clusters=k, random_state=random_state, n_init=n_init).fit_predict(points) + 1


def baseline_term_labels(texts: list[str], labels: np.ndarray, stop: frozenset[str]) -> list[str]:
    """Before issue 12 a theme was labelled with its top three c-TF-IDF terms."""
    k = int(labels.max())
    terms = ctfidf_terms(texts, labels, k, 3, stop)
    return [" · ".join(terms.get(t, [])) for t in range(1, k + 1)]


def canonical(frame: pd.DataFrame):
    """A raw frame through the app's own reader and role detection (a temporary CSV)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        frame.to_csv(path, index=False)
        return build_dataset(read_file(path))


def markdown(table: pd.DataFrame, digits: int = 2) -> str:
    """A Markdown table (no tabulate needed)."""

    def cell(value) -> str:
        if isinstance(value, float | np.floating):
            return "" if np.isnan(value) else f"{value:.{digits}f}"
        return str(value)

    lines = ["| " + " | ".join(map(str, table.columns)) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)
