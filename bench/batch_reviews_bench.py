"""`cx batch` on multi-problem reviews: pair F1 of its themes, before (whole comments) and after (parts).

Scores batch output folders made from tests/data/reviews/reviews.csv (240 Spanish/English complaints with
one to three labelled problems each) with the scoring of bench/themes_reviews_bench.py: each theme mapped to
its majority problem, then per-review recall/precision and F1 over (review, problem) pairs.

  after   this tree's `cx batch` (parts, negative parts only, two levels): top themes from
          responses/all_theme_ids, sub-themes from parts/ (theme_id "3.2");
  before  a folder made by the batch before this change (one theme per whole comment), given with
          --before DIR (make it from an older checkout: `git archive fe5a0ab | tar -x -C OLD`, then
          `PYTHONPATH=OLD python3 -m cx batch tests/data/reviews/reviews.csv --out DIR`).

    flock /work/notes/bench.lock python3 bench/batch_reviews_bench.py [--before DIR] [--engine ray]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from themes_common import REVIEWS, load, markdown
from themes_reviews_bench import score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cx.batch import BatchOptions, run_batch  # noqa: E402


def truth_of(folder: Path) -> tuple[pd.DataFrame, dict]:
    data = pd.read_csv(REVIEWS)
    truth = dict(zip(data["id"].astype(str), data["problems"].str.split(";").map(set), strict=True))
    rows = pd.read_parquet(folder / "responses")
    return rows.assign(response_id=rows["response_id"].astype(str)), truth


def score_folder(folder: Path, name: str, seconds: float | None) -> list[dict]:
    rows, truth = truth_of(folder)
    out = []
    if "all_theme_ids" in rows:
        listed = rows.set_index("response_id")["all_theme_ids"].dropna().str.split("; ")
        given = {r: {int(t) for t in ids if t != "0"} for r, ids in listed.items()}
        given = {r: t for r, t in given.items() if t}
        out.append({"run": f"{name}, top themes", **score(given, truth), "s": seconds})
        parts = pd.read_parquet(folder / "parts")
        parts = parts[parts["parent_id"].notna() & (parts["parent_id"] != 0)]
        given = parts.assign(response_id=parts["response_id"].astype(str)).groupby("response_id")["theme_id"]
        out.append({"run": f"{name}, sub-themes", **score(given.agg(set).to_dict(), truth), "s": seconds})
    else:
        themed = rows[rows["theme_id"].notna() & (rows["theme_id"].astype(str) != "0")]
        given = {r: {int(t)} for r, t in zip(themed["response_id"], themed["theme_id"], strict=True)}
        out.append({"run": f"{name}, one theme per comment", **score(given, truth), "s": seconds})
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, help="a batch folder made by the batch before parts")
    parser.add_argument("--engine", default="local")
    args = parser.parse_args()
    print(load())
    rows = []
    if args.before:
        rows += score_folder(args.before, "before: whole comments", None)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = run_batch([str(REVIEWS)], BatchOptions(out=Path(tmp) / "out", engine=args.engine), log=print)
        seconds = time.perf_counter() - start
        print(
            {
                k: report["model"][k]
                for k in ("embedder", "k", "k_sub", "n_sample", "n_sample_parts", "fallbacks")
            }
        )
        rows += score_folder(Path(tmp) / "out", f"after: parts ({args.engine})", seconds)
    print(markdown(pd.DataFrame(rows)))
    print(load())


if __name__ == "__main__":
    main()
