"""`cx batch`: local engine vs Ray Data on a generated survey, and DuckDB vs pandas on the output.

    python bench/batch_bench.py                 # 20,000 rows in 4 files, complaints only
    python bench/batch_bench.py --rows 200000 --all-comments --concurrency 2

Each engine starts with a cold embedding cache (a fresh temporary folder). The sample the themes are
fitted on (--sample, default 1,000) is embedded in the driver before the engine starts ("fit s"); the
engine embeds the rest ("comments/s" counts every comment over the embed+assign stage).
Comments are embedded whole (the batch does not split them into parts), so comments/s is sentences/s.
The same assignments are checked as exact agreement and the adjusted Rand index. The machine's load
(`uptime`) is printed beside the figures: on a shared machine they move with it. Measures; never fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "data"))

from cx.batch import BatchOptions, run_batch  # noqa: E402
from cx.batch.query import BatchQuery  # noqa: E402
from cx.metrics import metrics_by, summarize  # noqa: E402

SEGMENTS = ["region", "channel", "product", "journey_stage"]


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return f"load average {os.getloadavg()}"


def make_files(folder: Path, rows: int, parts: int) -> list[str]:
    from make_sample import build_survey

    df, _ = build_survey(seed=7, n_rows=rows)
    paths = []
    for i in range(parts):
        path = folder / f"export-{i + 1}.csv"
        df.iloc[i::parts].sort_values("date").to_csv(path, index=False)
        paths.append(str(path))
    return paths


def scaled(out: Path, folder: Path, rows: int) -> Path:
    """A batch folder holding the output's responses repeated (new ids, one file per month) to `rows` rows."""
    import pyarrow.parquet as pq

    frame = pd.read_parquet(out / "responses")
    copies = -(-rows // len(frame))
    big = pd.concat([frame.assign(response_id=frame["response_id"] + f"-{i}") for i in range(copies)]).head(
        rows
    )
    for month, part in big.groupby("month", observed=True):
        (folder / "responses" / f"month={month}").mkdir(parents=True, exist_ok=True)
        pq.write_table(
            pa_table(part.drop(columns="month")), folder / "responses" / f"month={month}" / "part.parquet"
        )
    (folder / "themes.parquet").write_bytes((out / "themes.parquet").read_bytes())
    return folder


def pa_table(frame: pd.DataFrame):
    import pyarrow as pa

    return pa.Table.from_pandas(frame, preserve_index=False)


def compare(out: Path, what: str) -> None:
    """DuckDB over the folder vs pandas (load, then the same aggregates), and whether the numbers agree."""
    import resource

    t0 = time.perf_counter()
    query = BatchQuery(out)
    overall = query.overall()
    query.by_month()
    for column in SEGMENTS:
        query.by_segment(column)
    query.theme_volumes()
    duck = time.perf_counter() - t0
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    frame = pd.read_parquet(out / "responses")
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    expected = summarize(frame)
    metrics_by(frame, "month")
    for column in SEGMENTS:
        metrics_by(frame, column)
    frame.groupby("theme_id").size()
    pandas_s = time.perf_counter() - t0
    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    same = all(overall[k] == expected[k] for k in expected)
    print(
        f"{what} ({len(frame):,} rows): overall, by month, 4 segments, themes: DuckDB {duck:.2f} s; pandas "
        f"load {load:.2f} s + compute {pandas_s:.2f} s (peak RSS {peak_before:,.0f} → {peak_after:,.0f} MB); "
        f"same overall numbers: {same}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--all-comments", action="store_true")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--engines", default="local,ray")
    parser.add_argument(
        "--sample",
        type=int,
        default=1_000,
        help="comments the themes are fitted on (embedded before the engine runs)",
    )
    parser.add_argument(
        "--scale-rows",
        type=int,
        default=1_000_000,
        help="also time DuckDB vs pandas on the output repeated to this many rows (0: skip)",
    )
    args = parser.parse_args()
    print(f"before: {uptime()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = make_files(tmp, args.rows, args.files)
        outs, rows_by_engine = {}, {}
        print(f"{args.rows:,} rows in {args.files} CSV files; Ray: {args.concurrency} actors × 1 CPU")
        print(
            "| engine | rows/s (whole run) | comments | comments/s (embed+assign) | read s | fit s | start s | embed+assign s | write s | total s |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        for engine in args.engines.split(","):
            os.environ["CX_LENS_CACHE"] = str(tmp / f"cache-{engine}")  # cold cache for each engine
            out = tmp / f"out-{engine}"
            options = BatchOptions(
                out=out,
                engine=engine,
                all_comments=args.all_comments,
                concurrency=args.concurrency,
                sample_size=args.sample,
            )
            report = run_batch(files, options, log=lambda message: None)
            t, c = report["timings"], report["counts"]
            print(
                f"| {engine} | {c['rows_read'] / t['total']:,.0f} | {c['comments']:,} | "
                f"{c['comments_per_s']:,.0f} | {t['read']:.1f} | {t['fit']:.1f} | {t['engine_start']:.1f} | "
                f"{t['embed_assign']:.1f} | {t['write']:.1f} | {t['total']:.1f} |"
            )
            outs[engine] = out
            rows_by_engine[engine] = pd.read_parquet(out / "responses").set_index(
                ["source_file", "response_id"]
            )
        if len(rows_by_engine) == 2:
            from sklearn.metrics import adjusted_rand_score

            a, b = (rows_by_engine[e]["theme_id"].dropna().sort_index() for e in rows_by_engine)
            a, b = a.align(b, join="inner")
            print(
                f"same theme: {(a == b).mean():.2%} of {len(a):,} comments; "
                f"ARI {adjusted_rand_score(a.astype(int), b.astype(int)):.4f}"
            )
        out = next(iter(outs.values()))
        compare(out, "the output")
        if args.scale_rows:
            compare(
                scaled(out, tmp / "scaled", args.scale_rows),
                f"the output repeated to {args.scale_rows:,} rows",
            )
    print(f"after: {uptime()}")


if __name__ == "__main__":
    main()
