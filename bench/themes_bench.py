"""Theme quality and speed on Banking77 (3,080 labelled English queries, 77 intents).

For each embedding backend: NMI and ARI of our themes against the `category` labels, with k = 77 and
with automatic k; wall time split into embedding and everything else (cleaning, language detection,
KMeans, labels, quotes); and the same pipeline again with every vector from the on-disk cache.

    python bench/themes_bench.py [--data ../shared/data/banking77/test.csv] [--backends multilingual minilm]

Prints a Markdown table (paste it into the README). Measures; never passes or fails.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cx.embed import EmbeddingCache, embed_texts, get_embedder  # noqa: E402
from cx.text import clean, detect_languages, stop_words  # noqa: E402
from cx.themes import ThemeModel  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "banking77" / "test.csv"


def run(texts: list[str], truth: np.ndarray, backend: str, k, cache: EmbeddingCache) -> dict:
    """The same steps as `cx.themes.find_themes`, timed separately."""
    start = time.perf_counter()
    cleaned = [clean(t) for t in texts]
    languages = detect_languages(cleaned[:: max(1, len(cleaned) // 2000)])
    prep = time.perf_counter() - start

    embedder = get_embedder(backend)
    start = time.perf_counter()
    vectors, embedded = embed_texts(cleaned, embedder, cache=cache)
    embed_s = time.perf_counter() - start

    start = time.perf_counter()
    k, k_range = k if isinstance(k, tuple) else (k, (4, 16))
    model = ThemeModel(n_themes=k, k_range=k_range)
    model.stop_words = stop_words(tuple(sorted({lang for lang in languages if lang})))
    model.fit(vectors, texts=cleaned)
    cluster_s = time.perf_counter() - start
    return {
        "backend": embedder.name,
        "k": f"{model.k_}" + (" (auto)" if k == "auto" else ""),
        "NMI": normalized_mutual_info_score(truth, model.labels_),
        "ARI": adjusted_rand_score(truth, model.labels_),
        "embedded": embedded,
        "embed s": embed_s,
        "rest s": prep + cluster_s,
        "rest / embed": (prep + cluster_s) / embed_s if embedded else float("nan"),
        "sentences/s": embedded / embed_s if embedded else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--backends", nargs="+", default=["multilingual", "minilm"])
    args = parser.parse_args()
    data = pd.read_csv(args.data)
    texts, truth = data["text"].astype(str).tolist(), pd.factorize(data["category"])[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(Path(tmp))
        for backend in args.backends:
            get_embedder(backend).embed(["warm up the model"])  # model loads are one-off per process:
            detect_languages(["warm up the language models"])  # not part of the per-run figures
            rows.append({"run": "cold, k = 77", **run(texts, truth, backend, 77, cache)})
            rows.append({"run": "cached, k = 77", **run(texts, truth, backend, 77, cache)})
            rows.append(
                {"run": "cached, auto k (app default 4–16)", **run(texts, truth, backend, "auto", cache)}
            )
            rows.append(
                {"run": "cached, auto k (20–120)", **run(texts, truth, backend, ("auto", (20, 120)), cache)}
            )
    table = pd.DataFrame(rows)
    print(
        f"Banking77 {Path(args.data).name}: {len(texts):,} texts, {len(set(truth))} labels; "
        f"{platform.machine()}, {platform.python_version()}, {__import__('os').cpu_count()} CPUs\n"
    )
    print(table.to_markdown(index=False, floatfmt=".3f") if _has_tabulate() else table.to_string(index=False))


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
