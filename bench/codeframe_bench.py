"""How well a codeframe tells new complaints from known ones, on Banking77 (measures and prints only).

A codeframe is made from the training texts of some intents (KMeans with one theme per intent, labels and
thresholds exactly as `codeframe save` makes them), then applied to held-out test texts of every intent.
Texts of the intents it never saw should be "new"; the others should be known, in a theme whose own
training texts were mostly of the same intent.

    python bench/codeframe_bench.py [--known 40] [--train-per-intent 20] [--test-per-intent 10] [--quantile Q ...]

Banking77's intents are fine-grained siblings of one domain (card_arrival, card_delivery_estimate…), so
this is a hard case for "new": an unseen intent usually has a seen sibling.

Prints: new-intent precision and recall, the share of known-intent texts kept known, and of those the
share put in a theme of their own intent (stability), for the default threshold rule and any other
quantiles given.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cx import codeframe as cf  # noqa: E402
from cx.embed import EmbeddingCache, default_cache_dir, embed_texts, get_embedder  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "banking77"


def sample(frame: pd.DataFrame, intents: list[str], per: int, seed: int) -> pd.DataFrame:
    parts = [
        frame[frame["category"] == i].sample(
            n=min(per, int((frame["category"] == i).sum())), random_state=seed
        )
        for i in intents
    ]
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--known", type=int, default=40, help="intents the codeframe is made from (of 77)")
    ap.add_argument("--train-per-intent", type=int, default=20)
    ap.add_argument("--test-per-intent", type=int, default=10)
    ap.add_argument("--quantile", type=float, action="append", default=[], help="other threshold quantiles")
    args = ap.parse_args()
    train, test = (pd.read_csv(Path(args.data) / name) for name in ("train.csv", "test.csv"))
    intents = sorted(train["category"].unique())
    rng = np.random.default_rng(0)
    known = sorted(rng.choice(intents, size=args.known, replace=False).tolist())
    fit = sample(train, known, args.train_per_intent, 0)
    check = sample(test, intents, args.test_per_intent, 0)
    embedder = get_embedder("multilingual")
    cache = EmbeddingCache(default_cache_dir())
    start = time.perf_counter()
    vectors, _ = embed_texts(fit["text"].tolist(), embedder, cache=cache)
    # One theme per intent, as a perfect theme run would give: the bench measures "new" detection alone.
    codes = {intent: str(i + 1) for i, intent in enumerate(known)}
    base = cf.build(
        "bench",
        fit["text"].tolist(),
        vectors,
        fit["category"].map(codes).tolist(),
        {v: k for k, v in codes.items()},
        "multilingual",
    )
    frame = pd.DataFrame({"response_id": range(len(check)), "text": check["text"], "is_complaint": True})
    truth_new = ~check["category"].isin(known).to_numpy()
    print(
        f"Banking77: codeframe from {len(fit)} texts of {len(known)} intents; applied to {len(check)} test "
        f"texts of {len(intents)} intents ({truth_new.sum()} of unseen intents)"
    )
    print(
        f"{'threshold rule':<34}{'new precision':>14}{'new recall':>11}{'known kept':>11}{'stable':>8}{'s':>7}"
    )
    rules = [(cf.QUANTILE, None)] + [(q, None) for q in args.quantile] + [(None, cf.CUSTOM_THRESHOLD)]
    for quantile, fixed in rules:
        t0 = time.perf_counter()
        codeframe = cf._copy(base)
        if quantile is not None:
            old = cf.QUANTILE
            cf.QUANTILE = quantile
            for theme in codeframe.themes:
                members = vectors[fit["category"].map(codes).to_numpy() == theme.id]
                theme.threshold = cf.calibrate(cf.loo_similarities(members))
            cf.QUANTILE = old
        out = cf.apply(codeframe, frame, cache=cache, threshold=fixed, new_k=1).assignments
        said_new = (out["status"] == cf.NEW).to_numpy()
        tp = int((said_new & truth_new).sum())
        precision = tp / max(1, said_new.sum())
        recall = tp / max(1, truth_new.sum())
        kept = (~said_new & ~truth_new).sum() / max(1, (~truth_new).sum())
        right = (
            out["theme_id"].map({v: k for k, v in codes.items()}).to_numpy() == check["category"].to_numpy()
        )
        stable = (right & ~said_new & ~truth_new).sum() / max(1, (~said_new & ~truth_new).sum())
        name = f"own 5th pct → q={quantile}" if quantile is not None else f"one fixed {fixed}"
        print(
            f"{name:<34}{precision:>14.3f}{recall:>11.3f}{kept:>11.3f}{stable:>8.3f}{time.perf_counter() - t0:>7.1f}"
        )
    # How separable "new" is at all, whatever the threshold: AUROC of (1 - similarity to the nearest theme).
    from sklearn.metrics import roc_auc_score

    nearest = cf.apply(base, frame, cache=cache, threshold=1.0, new_k=1).assignments["similarity"]
    print(f"AUROC of 1 - nearest similarity for unseen intents: {roc_auc_score(truth_new, -nearest):.3f}")
    print(f"total {time.perf_counter() - start:.1f} s (embedding included, cached on a rerun)")


if __name__ == "__main__":
    os.environ.setdefault("CX_HOME", tempfile.mkdtemp())
    main()
