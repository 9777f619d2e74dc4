"""`cx batch`: local engine vs Ray Data on a generated survey, and DuckDB vs pandas on the output.

    python bench/batch_bench.py                 # 20,000 rows in 4 files, complaints only
    python bench/batch_bench.py --rows 307000 --all-comments --sample 20000 --scale-rows 0   # ~200 k comments
    python bench/batch_bench.py --banking77     # `cx batch` local vs --engine ray on Banking77's texts

Each engine starts with a cold embedding cache (a fresh temporary folder). The sample the themes are
fitted on (--sample, default 1,000; the command's default is 20,000) is embedded in the driver before the
engine starts ("fit s"); the engine embeds the rest ("comments/s" counts every comment over the
embed+assign stage, repeated texts included: the cache embeds each distinct text once).
The batch splits complaints into parts (sentences, clauses) and reads each part's sentiment on the engine;
comments/s counts comments, each one or more parts.
The same assignments are checked as exact agreement and the adjusted Rand index over every embedded
comment (Other, theme 0, included). The machine's load (`uptime`) is printed beside the figures: on a
shared machine they move with it. Measures; never fails.

After the engine table a projection for 3 M comments per worker count (1, 2, 8, 32), all distinct:
embed + assign = (3 M − the sample) ÷ (the measured rate per text the engine itself embedded, per worker
(Ray: ÷ actors; local: one process, every thread, is one worker) × workers); plus what does not shrink
with workers: Ray's start-up and the fit (sample embedding + KMeans, one process), and read + write scaled
linearly from this run and done by one process (on a cluster the command's process reads every file).
It assumes linear scaling (one CPU per actor, each as fast as one here, the driver keeps up, the network
is not the limit) and comments as long as these.

--banking77 runs the command line (`python -m cx batch`) on the 13,083 Banking77 texts (train + test,
written as --files CSV files of `id,text`, every comment grouped, k = 77, the same --seed) with the local
engine and with `--engine ray` (a local Ray, --concurrency actors), the embedding cache off so each engine
embeds every text itself; it prints the exact agreement and ARI between the two engines' theme_id, and
the NMI and ARI of each against the 77 intent labels.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
BANKING77 = ROOT.parent / "shared" / "data" / "banking77"
TARGET = 3_000_000
WORKERS = [1, 2, 8, 32]
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
    shared = [
        k for k in expected if k in overall
    ]  # a key the SQL side does not give yet is named, not a crash
    same = all(overall[k] == expected[k] for k in shared)
    missing = [k for k in expected if k not in overall]
    print(
        f"{what} ({len(frame):,} rows): overall, by month, 4 segments, themes: DuckDB {duck:.2f} s; pandas "
        f"load {load:.2f} s + compute {pandas_s:.2f} s (peak RSS {peak_before:,.0f} → {peak_after:,.0f} MB); "
        f"same overall numbers: {same}"
        + (f" (not in DuckDB's overall: {', '.join(missing)})" if missing else "")
    )


def assignments(out: Path) -> pd.Series:
    """The theme of every embedded comment of an output folder, by (source_file, response_id): for a batch
    of comment parts, the sub-theme ("3.2"; "0" = Other) of the comment's first grouped part ("-1": none
    grouped), from parts/; for whole comments (a codeframe, an older folder) its theme from embeddings/."""
    if (out / "parts").is_dir():
        parts = pd.read_parquet(out / "parts", columns=["source_file", "response_id", "part", "theme_id"])
        first = (
            parts.dropna(subset=["theme_id"])
            .sort_values("part")
            .drop_duplicates(["source_file", "response_id"])
        )
        every = parts.drop_duplicates(["source_file", "response_id"]).set_index(
            ["source_file", "response_id"]
        )
        theme = first.set_index(["source_file", "response_id"])["theme_id"].astype(str)
        return theme.reindex(every.index).fillna("-1").sort_index()
    frame = pd.read_parquet(out / "embeddings", columns=["source_file", "response_id", "theme_id"])
    return frame.set_index(["source_file", "response_id"])["theme_id"].astype(int).sort_index()


def embedded_texts(files: list[str], all_comments: bool, sample: int, seed: int) -> tuple[int, int]:
    """(distinct comment texts, those the engine itself embedded): `embed_texts` embeds each distinct text
    once, and the fit's sample is already in the cache when the engine starts. Rebuilt as `run_batch` builds
    them (the same files in the same order, the same seeded sample), after the timed runs."""
    from cx.batch.run import expand_inputs
    from cx.batch.stages import RoleFlags, comments_of, read_one, sample_positions

    paths, _ = expand_inputs(files)
    texts = [
        t for path in paths for t in comments_of(read_one(path, RoleFlags()).frame, all_comments)["text"]
    ]
    fitted = {texts[p] for p in sample_positions(len(texts), sample, seed)}
    distinct = set(texts)
    return len(distinct), len(distinct - fitted)


def projection(reports: dict[str, dict], texts: tuple[int, int], concurrency: int) -> None:
    """Projected wall time for TARGET comments per worker count, from each engine's measured run."""
    distinct, embedded = texts
    print(
        f"\n{distinct:,} distinct texts among the comments; the engines embedded {embedded:,} (the rest were "
        f"the fit's sample, already cached). Projected time for {TARGET:,} comments, all distinct, at each "
        "engine's rate per embedded text and worker (local: one process, every thread):"
    )
    print(
        "| engine | workers | per-worker rate (embedded texts/s) | embed+assign | fixed (start + fit) | read + write (one process) | total |"
    )
    print("|---|---|---|---|---|---|---|")
    for engine, report in reports.items():
        t, c = report["timings"], report["counts"]
        actors = concurrency if engine == "ray" else 1
        per_worker = embedded / t["embed_assign"] / actors
        fixed = t["engine_start"] + t["fit"]
        io = (t["read"] + t["write"]) * TARGET / max(c["comments"], 1)
        for workers in WORKERS if engine == "ray" else [1]:
            embed = (TARGET - report["model"]["n_sample"]) / (per_worker * workers)
            total = embed + fixed + io
            print(
                f"| {engine} | {workers} | {per_worker:,.0f} | {hms(embed)} | {hms(fixed)} | {hms(io)} | "
                f"**{hms(total)}** |"
            )


def hms(seconds: float) -> str:
    seconds = round(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h} h {m:02d} min" if h else f"{m} min {s:02d} s" if m else f"{s} s"


def banking77(args: argparse.Namespace) -> None:
    """`python -m cx batch` with each engine on Banking77; agreement and quality against the intents."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    data = pd.concat([pd.read_csv(args.data / name) for name in ("train.csv", "test.csv")], ignore_index=True)
    data.insert(0, "id", [f"b{i:05d}" for i in range(len(data))])
    print(f"before: {uptime()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = []
        for i in range(args.files):
            path = tmp / f"banking77-{i + 1}.csv"
            data.iloc[i :: args.files][["id", "text"]].to_csv(path, index=False)
            files.append(str(path))
        print(
            f"Banking77 train + test: {len(data):,} texts, {data['category'].nunique()} intents, in "
            f"{args.files} CSV files; k = {args.k}, seed {args.seed}, sample {args.sample:,}, cache off"
        )
        env = {**os.environ, "CX_LENS_CACHE": "off", "PYTHONPATH": str(ROOT)}
        theme = {}
        print(
            "| engine | comments | comments/s (embed+assign) | read s | fit s | start s | embed+assign s | total s | NMI vs intents | ARI vs intents |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        truth = data.set_index("id")["category"]
        for engine in args.engines.split(","):
            out = tmp / f"out-{engine}"
            command = [
                sys.executable,
                "-m",
                "cx",
                "batch",
                *files,
                "--out",
                str(out),
                "--engine",
                engine,
                "--all-comments",
                "--k",
                str(args.k),
                "--seed",
                str(args.seed),
                "--sample",
                str(args.sample),
                "--id",
                "id",
                "--text",
                "text",
            ]
            if engine == "ray":
                command += ["--concurrency", str(args.concurrency)]
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"| {engine} | failed (exit {done.returncode}): {done.stderr.strip()[-500:]} |")
                continue
            report = json.loads((out / "report.json").read_text())
            t, c = report["timings"], report["counts"]
            theme[engine] = assignments(out).droplevel("source_file")
            labels = truth.reindex(theme[engine].index)
            print(
                f"| {engine} | {c['comments']:,} | {c['comments_per_s']:,.0f} | {t['read']:.1f} | {t['fit']:.1f} | "
                f"{t['engine_start']:.1f} | {t['embed_assign']:.1f} | {t['total']:.1f} | "
                f"{normalized_mutual_info_score(labels, theme[engine]):.3f} | "
                f"{adjusted_rand_score(labels, theme[engine]):.3f} |"
            )
        if len(theme) == 2:
            a, b = theme.values()
            a, b = a.align(b, join="outer")
            a, b = a.fillna(-1), b.fillna(-1)
            print(
                f"local vs ray: same theme for {(a == b).mean():.2%} of {len(a):,} comments "
                f"({int((a != b).sum())} differ); ARI {adjusted_rand_score(a, b):.4f}"
            )
    print(f"after: {uptime()}")


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
        default=None,
        help="comments the themes are fitted on, embedded before the engine runs (default 1,000; "
        "--banking77: 20,000, the command's default, so every text)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--banking77",
        nargs="?",
        const=BANKING77,
        type=Path,
        dest="data",
        metavar="DIR",
        help=f"compare the engines on Banking77 through `cx batch` (default folder {BANKING77})",
    )
    parser.add_argument("--k", default="77", help="themes for --banking77 (default 77, the intents)")
    parser.add_argument(
        "--scale-rows",
        type=int,
        default=1_000_000,
        help="also time DuckDB vs pandas on the output repeated to this many rows (0: skip)",
    )
    args = parser.parse_args()
    if args.data:
        args.sample = args.sample or 20_000
        banking77(args)
        return
    args.sample = args.sample or 1_000
    print(f"before: {uptime()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = make_files(tmp, args.rows, args.files)
        outs, rows_by_engine, reports = {}, {}, {}
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
                seed=args.seed,
            )
            report = run_batch(files, options, log=lambda message: None)
            reports[engine] = report
            t, c = report["timings"], report["counts"]
            print(
                f"| {engine} | {c['rows_read'] / t['total']:,.0f} | {c['comments']:,} | "
                f"{c['comments_per_s']:,.0f} | {t['read']:.1f} | {t['fit']:.1f} | {t['engine_start']:.1f} | "
                f"{t['embed_assign']:.1f} | {t['write']:.1f} | {t['total']:.1f} |"
            )
            outs[engine] = out
            rows_by_engine[engine] = assignments(out)
        if len(rows_by_engine) == 2:
            from sklearn.metrics import adjusted_rand_score

            a, b = rows_by_engine.values()
            a, b = a.align(b, join="outer")  # a comment only one engine embedded counts as a difference
            a, b = a.fillna(-1), b.fillna(-1)
            print(
                f"same theme: {(a == b).mean():.2%} of {len(a):,} comments; "
                f"ARI {adjusted_rand_score(a.astype(int), b.astype(int)):.4f}"
            )
        out = next(iter(outs.values()))
        projection(
            reports, embedded_texts(files, args.all_comments, args.sample, args.seed), args.concurrency
        )
        print(f"load now: {uptime()}")
        compare(out, "the output")
        if args.scale_rows:
            compare(
                scaled(out, tmp / "scaled", args.scale_rows),
                f"the output repeated to {args.scale_rows:,} rows",
            )
    print(f"after: {uptime()}")


if __name__ == "__main__":
    main()
