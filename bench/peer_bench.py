"""Our themes against BERTopic on Banking77, with the same precomputed MiniLM embeddings.

    pip install -r bench/requirements-bertopic.txt   # BERTopic is a benchmark-only dependency
    python bench/peer_bench.py [--data ../shared/data/banking77/test.csv]

Reports, for each pipeline: time excluding embeddings, number of themes, share of outliers, NMI and ARI
against `category`. Rows: BERTopic defaults (UMAP + HDBSCAN), BERTopic with UMAP + KMeans(77), and ours
(KMeans on the embeddings, k = 77; and our automatic k over 20–120). Measures; never fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cx.embed import MINILM, EmbeddingCache, embed_texts, get_embedder  # noqa: E402
from cx.text import clean, stop_words  # noqa: E402
from cx.themes import ThemeModel  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "banking77" / "test.csv"


def score(name: str, truth: np.ndarray, labels: np.ndarray, seconds: float) -> dict:
    labels = np.asarray(labels)
    return {
        "pipeline": name,
        "seconds (no embedding)": seconds,
        "themes": len(set(labels[labels >= 0])),
        "outliers %": 100 * float((labels < 0).mean()),
        "NMI": normalized_mutual_info_score(truth, labels),
        "ARI": adjusted_rand_score(truth, labels),
    }


def ours(texts, vectors, truth, k, k_range=(4, 16)) -> dict:
    start = time.perf_counter()
    model = ThemeModel(n_themes=k, k_range=k_range, stop_words=stop_words(("en",))).fit(vectors, texts=texts)
    seconds = time.perf_counter() - start
    name = (
        f"CX Lens KMeans, k = {k}" if k != "auto" else f"CX Lens, automatic k over {k_range[0]}–{k_range[1]}"
    )
    return score(name, truth, model.labels_, seconds)


def bertopic(texts, vectors, truth, kmeans: int | None) -> dict:
    from bertopic import BERTopic
    from sklearn.cluster import KMeans

    start = time.perf_counter()
    if kmeans:
        model = BERTopic(hdbscan_model=KMeans(n_clusters=kmeans, random_state=0, n_init=1))
        name = f"BERTopic UMAP + KMeans({kmeans})"
    else:
        model = BERTopic()
        name = "BERTopic defaults (UMAP + HDBSCAN)"
    topics, _ = model.fit_transform(texts, embeddings=vectors)
    return score(name, truth, np.asarray(topics), time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    args = parser.parse_args()
    data = pd.read_csv(args.data)
    texts = [clean(t) for t in data["text"].astype(str)]
    truth = pd.factorize(data["category"])[0]
    with tempfile.TemporaryDirectory() as tmp:
        vectors, _ = embed_texts(texts, get_embedder(MINILM), cache=EmbeddingCache(Path(tmp)))
    rows = [ours(texts, vectors, truth, 77), ours(texts, vectors, truth, "auto", (20, 120))]
    try:
        rows += [bertopic(texts, vectors, truth, None), bertopic(texts, vectors, truth, 77)]
    except ImportError:
        print("BERTopic is not installed: pip install -r bench/requirements-bertopic.txt\n")
    table = pd.DataFrame(rows)
    base = table.loc[table["pipeline"].str.startswith("BERTopic defaults"), "seconds (no embedding)"]
    if len(base):
        table["× faster than BERTopic defaults"] = base.iloc[0] / table["seconds (no embedding)"]
    print(
        f"Banking77 {Path(args.data).name}: {len(texts):,} texts, {len(set(truth))} labels, all-MiniLM-L6-v2 embeddings\n"
    )
    print(table.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
