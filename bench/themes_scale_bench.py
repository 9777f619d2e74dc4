"""Themes at scale: embedding throughput per backend, themes cold vs embedding alone, themes warm.

    python bench/themes_scale_bench.py            # 10,003 Banking77 train texts
    python bench/themes_scale_bench.py --full     # also 200,000 comments (MiniBatchKMeans), slow

The pipeline is the app's (`cx.themes.find_themes`: clean, detect languages, embed with the disk cache,
KMeans with automatic k, labels, quotes). "Embedding alone" is the same backend on the same texts in the
same process: the baseline the cold run is compared with. Measures; never fails.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cx.embed import MINILM, MULTILINGUAL, EmbeddingCache, get_embedder  # noqa: E402
from cx.text import clean, detect_languages  # noqa: E402
from cx.themes import find_themes  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "banking77" / "train.csv"


def frame_of(texts: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"text": pd.array(texts, dtype="string"), "is_complaint": True})


def comments(n: int) -> list[str]:
    base = pd.read_csv(DATA)["text"].astype(str).tolist()
    if n <= len(base):
        return base[:n]
    # Distinct comments beyond the data set: each query with one of a few everyday suffixes and a number.
    tails = ["", " please help", " thanks", " asap", " again today", " since Monday"]
    return [
        f"{base[i % len(base)]}{tails[(i // len(base)) % len(tails)]} (ref {i // (len(base) * len(tails))})"
        for i in range(n)
    ]


def run(texts: list[str], backend: str) -> dict:
    frame = frame_of(texts)
    embedder = get_embedder(backend)
    embedder.embed(["warm up"])
    cleaned = [clean(t) for t in texts]
    start = time.perf_counter()
    embedder.embed(list(dict.fromkeys(cleaned)))
    embed_alone = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(Path(tmp))
        start = time.perf_counter()
        cold = find_themes(frame, all_comments=True, embedder=backend, cache=cache)
        cold_s = time.perf_counter() - start
        start = time.perf_counter()
        warm = find_themes(frame, all_comments=True, embedder=backend, cache=cache)
        warm_s = time.perf_counter() - start
    assert warm.embedded == 0
    return {
        "comments": f"{len(texts):,}",
        "backend": cold.embedder,
        "sentences/s": f"{len(set(cleaned)) / embed_alone:,.0f}",
        "embedding alone s": f"{embed_alone:.1f}",
        "themes cold s": f"{cold_s:.1f}",
        "cold / embedding": f"{cold_s / embed_alone:.2f}",
        "themes warm s": f"{warm_s:.2f}",
        "k": cold.k,
        "peak RSS MB": f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full", action="store_true", help="also 200,000 comments with the multilingual model"
    )
    args = parser.parse_args()
    detect_languages(["warm up the language models"])
    rows = [run(comments(10_003), MULTILINGUAL), run(comments(10_003), MINILM)]
    if args.full:
        rows.append(run(comments(200_000), MULTILINGUAL))
    table = pd.DataFrame(rows)
    print("| " + " | ".join(table.columns) + " |")
    print("|" + "---|" * len(table.columns))
    for _, row in table.iterrows():
        print("| " + " | ".join(str(v) for v in row) + " |")


if __name__ == "__main__":
    main()
