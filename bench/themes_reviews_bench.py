"""Multi-problem reviews: does each review get a theme for each of its problems?

tests/data/reviews/reviews.csv: 240 Spanish and English tourist reviews (complaints), each with one to
three labelled problems (dirty, wait, rude, price, noise, food, smell, broken) mixed with praise and the
place's name. Each theme is mapped to its majority problem (the problem most of its reviews are labelled
with); then, per review:
  recall    = labelled problems found among its themes' problems / its labelled problems,
  precision = its themes whose problem it is labelled with / its themes,
and F1 over (review, problem) pairs, as the issue's reference figures (0.27 today; prototype 0.48–0.53).

Runs, in one process and on the same vectors where they share them:
  today       one theme per comment: whole comment, k by silhouette over 4–16 (before issue 12);
  parts, all  parts, every part grouped (no sentiment filter), new k, sub-themes;
  product     parts, only the negative parts of complaints, sub-themes and top themes.

    python bench/themes_reviews_bench.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from themes_common import REVIEWS, baseline_labels, canonical, load, markdown

from cx.embed import EmbeddingCache, embed_texts, get_embedder
from cx.text import clean
from cx.themes import OTHER_ID, find_themes


def score(given: dict[int, set], truth: dict[int, set]) -> dict:
    """given: review -> set of theme ids; truth: review -> set of problems."""
    members: dict = {}
    for review, themes in given.items():
        for theme in themes:
            members.setdefault(theme, []).extend(truth[review])
    problem_of = {t: pd.Series(p).value_counts().index[0] for t, p in members.items()}  # majority problem
    recalls, precisions, tp, n_pred = [], [], 0, 0
    for review, problems in truth.items():
        found = {problem_of[t] for t in given.get(review, set())}
        recalls.append(len(found & problems) / len(problems))
        themes = given.get(review, set())
        if themes:
            precisions.append(sum(problem_of[t] in problems for t in themes) / len(themes))
        tp += len(found & problems)
        n_pred += len(found)
    n_true = sum(len(p) for p in truth.values())
    precision, recall = tp / max(1, n_pred), tp / n_true
    return {
        "themes": len(members),
        "recall / review": float(np.mean(recalls)),
        "precision / review": float(np.mean(precisions)) if precisions else float("nan"),
        "pair F1": 2 * precision * recall / max(1e-9, precision + recall),
        "reviews with a theme": len(precisions) / len(truth),
    }


def main() -> None:
    data = pd.read_csv(REVIEWS)
    truth_by_id = dict(zip(data["id"], data["problems"].str.split(";").map(set), strict=True))
    dataset = canonical(data.drop(columns="problems"))
    frame = dataset.frame
    truth = {row: truth_by_id[rid] for row, rid in frame["response_id"].items()}
    print(f"{len(frame)} reviews, {sum(map(len, truth.values()))} labelled problems; {load()}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(Path(tmp))
        embedder = get_embedder("multilingual")
        start = time.perf_counter()
        texts = [clean(t) for t in frame["text"]]
        vectors, _ = embed_texts(texts, embedder, cache=cache)
        labels = baseline_labels(vectors)
        given = {row: {int(t)} for row, t in zip(frame.index, labels, strict=True)}
        rows.append(
            {"run": "today: one theme per comment", **score(given, truth), "s": time.perf_counter() - start}
        )

        for name, kwargs in (
            ("parts, every part grouped", {"negative": lambda texts, cache: (np.ones(len(texts)),) * 2}),
            ("product: negative parts", {}),
        ):
            start = time.perf_counter()
            result = find_themes(frame, cache=cache, **kwargs)
            seconds = time.perf_counter() - start
            pairs = result.pairs[result.pairs["parent_id"] != OTHER_ID]
            for level, column in (("sub-themes", "theme_id"), ("top themes", "parent_id")):
                given = pairs.groupby("row")[column].agg(set).to_dict()
                rows.append({"run": f"{name}, {level}", **score(given, truth), "s": seconds})
            other = result.pairs.loc[result.pairs["parent_id"] == OTHER_ID, "row"].nunique()
            print(
                f"{name}: {result.k} top themes, {result.k_sub} sub-themes, Other {other} reviews; {result.notes}"
            )
    table = pd.DataFrame(rows)
    print(markdown(table))
    print(load())


if __name__ == "__main__":
    main()
