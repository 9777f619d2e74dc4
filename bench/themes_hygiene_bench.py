"""Label hygiene: do theme labels name a place, an airline, a handle or a link instead of a problem?

Two files: the reviews set (tests/data/reviews, a `place` column whose names appear in the texts) and a
tweet-like file built here (an `airline` column; @handles, "RT", links, brand hashtags and numbers in
the texts, as in airline tweets). For each, the share of theme labels (top and sub-themes) that contain
  - a segment value (whole, accents and case ignored), or a word of one (4+ letters) written as a name,
  - a handle ("@"), a hashtag ("#"), a URL fragment ("http", "www", "t.co", ".com") or the token "rt",
before (labels = top c-TF-IDF terms of whole comments, flat k 4–16) and now, in the same run.

    python bench/themes_hygiene_bench.py
"""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from themes_common import REVIEWS, baseline_labels, baseline_term_labels, canonical, load, markdown

from cx.embed import EmbeddingCache, embed_texts, get_embedder
from cx.text import _fold, clean, detect_languages, stop_words
from cx.themes import find_themes

AIRLINES = {
    "United": "united",
    "Delta": "delta",
    "American": "americanair",
    "Southwest": "southwestair",
    "JetBlue": "jetblue",
    "Virgin America": "virginamerica",
}
PROBLEMS = [
    "flight delayed {n} hours and no explanation",
    "my flight got cancelled again and nobody told me",
    "lost my bag for the second time this month",
    "my luggage still hasn't arrived after {n} days",
    "on hold for {n} minutes with customer service",
    "the flight attendant was so rude to my mother",
    "no legroom at all, seats are tiny",
    "charged me ${n} for a carry-on, ridiculous",
    "missed my connection because of your delay",
    "the wifi on board never works",
]
OPENERS = ["", "RT @{h}: ", "@{h} ", "@{h} @{h} ", ".@{h} "]
CLOSERS = ["", " http://t.co/{code}", " #{brand}", " #{brand}fail", " #fail", " {n}th time!!", " thanks @{h}"]


def tweets(n: int = 600, seed: int = 3) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        airline, handle = rng.choice(list(AIRLINES.items()))
        body = rng.choice(PROBLEMS).format(n=rng.randint(2, 9))
        if rng.random() < 0.4:
            body = f"{airline} {body}"
        text = (
            rng.choice(OPENERS).format(h=handle)
            + body
            + rng.choice(CLOSERS).format(
                code="".join(rng.choices("abcdefXYZ123", k=8)),
                brand=airline.replace(" ", ""),
                n=rng.randint(2, 9),
                h=handle,
            )
        )
        rows.append({"tweet_id": f"T{i:04d}", "airline": airline, "sentiment": "negative", "text": text})
    return pd.DataFrame(rows)


URL_BITS = ("http", "www", "t.co", ".com")


def dirty(label: str, values: list[str], words: set[str]) -> bool:
    folded = _fold(label)
    tokens = set(re.findall(r"\w+", folded))
    if "@" in label or "#" in label or "rt" in tokens or any(b in folded for b in URL_BITS):
        return True
    if any(re.search(rf"(?<!\w){re.escape(_fold(v))}(?!\w)", folded) for v in values):
        return True
    return bool(tokens & words)


def measure(name: str, frame: pd.DataFrame, segment: str, cache: EmbeddingCache) -> list[dict]:
    values = sorted(frame[segment].dropna().astype(str).unique())
    words = {w for v in values for w in re.findall(r"\w{4,}", _fold(v))}
    words |= {_fold(h) for h in AIRLINES.values()}
    texts = [clean(t) for t in frame["text"].dropna()]
    languages = detect_languages(texts)
    stop = stop_words(tuple(sorted({lang for lang in languages if lang})))
    vectors, _ = embed_texts(texts, get_embedder("multilingual"), cache=cache)
    before = baseline_term_labels(texts, baseline_labels(vectors), stop)
    result = find_themes(frame, all_comments=True, embedder="multilingual", cache=cache)
    after = list(result.themes["label"]) + list(result.subthemes["label"])
    rows = []
    for run, labels in (
        ("before: c-TF-IDF terms, flat", before),
        ("now: two levels, parts, names masked", after),
    ):
        bad = [label for label in labels if dirty(label, values, words)]
        rows.append(
            {
                "file": name,
                "run": run,
                "labels": len(labels),
                "with a name, handle or URL": f"{len(bad) / max(1, len(labels)):.0%}",
                "examples": "; ".join(bad[:3]),
            }
        )
    print(f"{name}: now {len(after)} labels, e.g. {after[:6]}")
    return rows


def main() -> None:
    print(load())
    reviews = canonical(pd.read_csv(REVIEWS).drop(columns="problems")).frame
    airline = canonical(tweets()).frame
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(Path(tmp))
        rows += measure("reviews (place column)", reviews, "place", cache)
        rows += measure("tweet-like (airline column)", airline, "airline", cache)
    print(markdown(pd.DataFrame(rows)))
    print(load())


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
