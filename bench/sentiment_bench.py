"""How well the shipped "likely negative" estimate does on labelled text it never saw, per language.

Prints accuracy and negative-vs-rest macro-F1 for, in the same run:
  - the shipped head (cx/models/sentiment_head.npz, its shipped threshold),
  - the baseline measured before issue 11: a logistic head over the same multilingual USE vectors,
    trained here on OpeNER + XED only (threshold 0.5),
  - the majority class ("nothing is negative").

Held-back sets (none is in the training data of either head):
  - tweets es/en/pt: the UMSAB test splits (cardiffnlp/xlm-t, data/sentiment/<language>/test_*), general
    tweets, 1/3 negative; another domain than any training source. Used here only to measure.
  - hotel sentences es/en: the OpeNER test split (jbarnesspain/blse), the training domain's own test.
  - review sentences en: UCI "Sentiment Labelled Sentences" (Amazon, Yelp, IMDb), half negative.
  - survey comments es/en/pt/gl: the project's synthetic sample (data/make_sample.py, regenerated with
    each comment's language); detractors (NPS 0-6) count as negative, promoters as the rest, passives
    are left out. Synthetic, so a check of the wiring more than of the model; the only Galician here.

Usage: python bench/sentiment_bench.py DATA_DIR   (DATA_DIR as for scripts/train_sentiment.py, plus
xlm-t/ = https://github.com/cardiffnlp/xlm-t and uci/ = a copy of the UCI "sentiment labelled
sentences" folder). Sets whose files are missing are skipped. `--cache DIR` keeps the vectors between runs.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _module(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


train_script = _module(ROOT / "scripts" / "train_sentiment.py", "train_sentiment")


def tweets(data: Path) -> dict[str, list]:
    out = {}
    for lang, name in (("es", "spanish"), ("en", "english"), ("pt", "portuguese")):
        base = data / "xlm-t" / "data" / "sentiment" / name
        if not (base / "test_text.txt").exists():
            continue
        texts = (base / "test_text.txt").read_text(encoding="utf-8").splitlines()
        labels = (base / "test_labels.txt").read_text(encoding="utf-8").split()
        out[f"tweets {lang}"] = [
            (t, int(y == "0"), lang, "umsab") for t, y in zip(texts, labels, strict=True)
        ]
    return out


def uci_reviews(data: Path) -> dict[str, list]:
    base = data / "uci" / "sentiment labelled sentences"
    rows = []
    for name in ("amazon_cells", "yelp", "imdb"):
        path = base / f"{name}_labelled.txt"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                text, _, label = line.rpartition("\t")
                if text.strip() and label.strip() in ("0", "1"):
                    rows.append((text.strip(), int(label.strip() == "0"), "en", "uci"))
    return {"reviews en (UCI)": rows} if rows else {}


def sample_comments() -> dict[str, list]:
    make_sample = _module(ROOT / "data" / "make_sample.py", "make_sample")
    frame, langs = make_sample.build_survey()
    out: dict[str, list] = {}
    for text, nps, lang in zip(frame["comment"], frame["nps"], langs, strict=True):
        if isinstance(text, str) and text.strip() and lang and (nps <= 6 or nps >= 9):
            out.setdefault(f"survey {lang} (synthetic)", []).append((text, int(nps <= 6), lang, "sample"))
    return dict(sorted(out.items()))


def scores(y: np.ndarray, predicted: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import accuracy_score, f1_score

    return accuracy_score(y, predicted), f1_score(y, predicted, average="macro", zero_division=0)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__)
        return 2
    data = Path(argv[0])
    cache_dir = Path(argv[argv.index("--cache") + 1]) if "--cache" in argv else None
    from cx.embed import EmbeddingCache
    from cx.sentiment import estimate_negative, label_negative, load_head

    started = time.time()
    sets = {}
    for lang in ("es", "en"):
        opener = train_script.load_opener(data, lang, ("test",)) if (data / "blse").exists() else []
        if opener:
            sets[f"hotels {lang} (OpeNER test)"] = opener
    sets.update(tweets(data))
    sets.update(uci_reviews(data))
    sets.update(sample_comments())

    with tempfile.TemporaryDirectory() as tmp:
        tmp = cache_dir or Path(tmp)
        cache = EmbeddingCache(tmp)
        # The baseline: USE-only logistic head on OpeNER + XED (the figures issue 11 started from).
        base_train = []
        for lang in ("es", "en"):
            base_train += train_script.load_opener(data, lang, ("train", "dev"))
        for lang in ("es", "pt", "en"):
            base_train += [e for e in train_script.load_xed(data, lang) if not train_script._held_out(e[0])]
        base_train = train_script.clean_examples(base_train)
        base_vectors = train_script.embed([e[0] for e in base_train], tmp)
        from sklearn.linear_model import LogisticRegression

        baseline = LogisticRegression(max_iter=3000).fit(base_vectors, [e[1] for e in base_train])

        head = load_head()
        print(f"shipped head: threshold {head.threshold:.2f}, {len(head.char_weights)} n-gram buckets")
        header = f"{'held-back set':32s} {'n':>5s} {'neg':>4s} | {'shipped acc':>11s} {'F1':>5s} | {'baseline acc':>12s} {'F1':>5s} | {'majority acc':>12s} {'F1':>5s}"
        print(header)
        print("-" * len(header))
        for name, rows in sets.items():
            rows = [r for r in train_script.clean_examples(rows)]
            texts = [r[0] for r in rows]
            y = np.array([r[1] for r in rows])
            shipped = label_negative(estimate_negative(texts, cache=cache))
            vectors = train_script.embed(texts, tmp)
            base = baseline.predict_proba(vectors)[:, 1] >= 0.5
            majority = np.zeros_like(y, dtype=bool)
            line = f"{name:32s} {len(y):5d} {y.mean():4.0%} |"
            for predicted, width in ((shipped, 11), (base, 12), (majority, 12)):
                acc, f1 = scores(y, predicted)
                line += f" {acc:{width}.2f} {f1:5.2f} |"
            print(line.rstrip(" |"))
        every = list(
            dict.fromkeys(t for rows in sets.values() for t, *_ in train_script.clean_examples(rows))
        )
    with tempfile.TemporaryDirectory() as fresh:
        cache = EmbeddingCache(Path(fresh))
        t0 = time.perf_counter()
        estimate_negative(every, cache=cache)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        estimate_negative(every, cache=cache)
        warm = time.perf_counter() - t0
    print(
        f"speed: {len(every)} distinct texts, {cold:.1f} s with an empty cache, {warm:.1f} s once the vectors"
        " are cached (what the themes or a second estimate then pay)"
    )
    print(f"({time.time() - started:.0f} s; F1 = macro-F1 of negative vs rest)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
