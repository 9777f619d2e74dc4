"""Dataset mode at scale: BatchSource (DuckDB over Parquet + the batch's roll-up) on 10 M synthetic responses.

    flock /work/notes/bench.lock python bench/dataset_bench.py                # a temporary folder
    python bench/dataset_bench.py --dir /tmp/cx-10m --write-only              # keep it (open it in the app)
    flock /work/notes/bench.lock python bench/dataset_bench.py --dir /tmp/cx-10m   # measure a kept one

The folder is written in the batch layout (responses/month=YYYY-MM/*.parquet, themes.parquet, report.json,
rollup.parquet, rollup_themes.parquet) by a child process, so its memory is not the measured one: invented
values, 24 months, 6 segment columns (5 × 4 × 4 × 5 × 3 × 6 values), NPS (90 % answered), CSAT (60 %), a
comment on 30 % of the rows (200 phrases of 6 words, most with an accented word) with its top themes as
`cx batch` writes them for comment parts: 10 themes (themes.parquet: 10 top themes, level "top", and 3
sub-themes each, level "sub"), all_theme_ids "2; 7" (20 % of comments in two themes, 5 % in three, 5 % in
Other "0" alone), theme_id the first. No parts/ folder (quotes have no excerpt). The roll-ups are the ones
`cx batch` writes (cx.batch.source.write_rollup).

Measured in this process, each cold (first call) and warm (median of 3 more):
- open: BatchSource(DIR) (the Parquet schema, row count, roll-up check);
- first page: summarize + metrics_by(month) + area_table(nps, the 6 columns, depth 2: all values and pairs);
- filter change: the same three with 2 segment values + a date range of whole months (the roll-up answers)
  and with a date range that cuts months (the roll-up for the whole months + a scan of the 2 cut ones);
- lowest areas alone: area_table(nps, 6 columns, depth 2);
- a filter the roll-up cannot answer (NPS group, keyword): the first page, cold = one scan of responses/
  into in-memory cells, warm = from those cells;
- the themes table (no filter, 2 segment values, a theme filter of 2 themes) from the theme roll-up and
  from a scan of responses/ (the same folder, rollup_themes.parquet ignored), and the first page with that
  theme filter both ways (the theme roll-up; without it, one scan into cells);
- 20 quotes of one theme (a scan of responses/), a CSV export;
- without the roll-up (the same folder, rollup.parquet ignored): the first page (one scan into cells);
- peak RSS of this process after the DuckDB part.
Baseline, after that in the same process: pandas on the first 1 M rows (the first months' files) read
into a canonical frame, then the same first page with cx.metrics / cx.areas; seconds and the RSS it added,
multiplied by 10 for 10 M rows (a linear projection: every step is a pass over the rows; pandas needs
the rows in memory, so memory scales at least linearly). The machine's load is printed beside the figures.
Measures; never fails.
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEGMENTS = {
    "region": ["Central", "East", "North", "South", "West"],
    "channel": ["App", "Phone", "Store", "Web"],
    "product": ["Accounts", "Cards", "Insurance", "Loans"],
    "journey_stage": ["Billing", "Cancellation", "Onboarding", "Support", "Usage"],
    "tier": ["Basic", "Plus", "Premium"],
    "country": ["AR", "CL", "CO", "ES", "MX", "PE"],
}
MONTHS = [(2024 + m // 12, m % 12 + 1) for m in range(24)]
THEMES = 10
# Some words accented, as in Spanish comments (those comments are folded by Python, not SQL, for a keyword).
WORDS = (
    "app card fee slow branch staff transfer refund login error great helpful wait phone loan rate".split()
)
WORDS += "atención comisión está rápido trámite gestión".split()


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return f"load average {os.getloadavg()}"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_dataset(folder: Path, rows: int) -> None:
    """The batch layout with invented values, month by month (one Parquet file each), then the roll-up."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from cx.batch.source import write_rollup

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(17)
    phrases = np.array([" ".join(rng.choice(WORDS, 6)) for _ in range(200)], dtype=object)
    labels = [f"theme {i}" for i in range(1, THEMES + 1)]
    per_month = rows // len(MONTHS)
    start_id = 0
    files = {}
    for i, (year, month) in enumerate(MONTHS):
        n = per_month + (rows - per_month * len(MONTHS) if i == len(MONTHS) - 1 else 0)
        r = np.random.default_rng(i)
        days = calendar.monthrange(year, month)[1]
        day = np.datetime64(f"{year}-{month:02d}-01", "ns") + r.integers(0, days * 86400, n).astype(
            "timedelta64[s]"
        ).astype("timedelta64[ns]")
        seg_codes = {c: r.integers(0, len(v), n) for c, v in SEGMENTS.items()}
        # Scores move with the segments, so the lowest areas have something to find.
        shift = (seg_codes["region"] == 2) * -1.5 + (seg_codes["channel"] == 1) * -1.0
        shift += ((seg_codes["product"] == 3) & (seg_codes["tier"] == 0)) * -2.0
        nps = np.clip(np.round(r.normal(7.5, 2.2, n) + shift), 0, 10).astype(np.int64)
        nps_valid = r.random(n) < 0.9
        csat = np.clip(np.round(r.normal(3.8, 1.0, n) + shift / 2), 1, 5).astype(np.int64)
        csat_valid = r.random(n) < 0.6
        has_text = r.random(n) < 0.3
        text_idx = r.integers(0, len(phrases), n)
        # Top themes per comment as cx batch writes them: the first (theme_id) and all, sorted ("2; 7").
        tops = np.argsort(r.random((n, THEMES)), axis=1)[:, :3] + 1  # three different themes
        first = tops[:, 0]
        draw = r.random(n)
        other = draw < 0.05  # Other alone (0)
        count = np.where(draw < 0.05, 1, np.where(draw < 0.10, 3, np.where(draw < 0.30, 2, 1)))
        theme = np.where(other, 0, first)
        all_ids = np.full(n, None, dtype=object)
        for k in (1, 2, 3):
            pick = has_text & ~other & (count == k)
            ids = np.sort(tops[pick, :k], axis=1).astype(str)
            all_ids[pick] = ids[:, 0] if k == 1 else ["; ".join(row) for row in ids]
        all_ids[has_text & other] = "0"
        top_labels = np.array(["Other", *labels], dtype=object)
        group = np.where(nps >= 9, "promoter", np.where(nps >= 7, "passive", "detractor"))
        ids = np.char.add("S", np.arange(start_id, start_id + n).astype(str))
        start_id += n
        columns = {
            "response_id": pa.array(ids),
            "date": pa.array(day),
            "year_only": pa.array(np.zeros(n, dtype=bool)),
            "nps": pa.array(nps, mask=~nps_valid),
            "csat": pa.array(csat, mask=~csat_valid),
            "ces": pa.nulls(n, pa.int64()),
            "text": pa.DictionaryArray.from_arrays(
                pa.array(text_idx.astype(np.int32), mask=~has_text), pa.array(phrases, pa.string())
            ),
            "sentiment": pa.nulls(n, pa.string()),
            "churned": pa.nulls(n, pa.bool_()),
        }
        for col, values in SEGMENTS.items():
            columns[col] = pa.DictionaryArray.from_arrays(
                pa.array(seg_codes[col].astype(np.int32)), pa.array(values, pa.string())
            )
        columns["nps_group"] = pa.array(np.where(nps_valid, group, None).tolist(), pa.string())
        columns["csat_satisfied"] = pa.array(np.where(csat_valid, csat >= 4, False))
        columns["is_complaint"] = pa.array(has_text & (nps <= 6))
        columns["source_file"] = pa.array(np.full(n, f"export-{year}-{month:02d}.csv"))
        columns["theme_id"] = pa.array(theme, mask=~has_text)
        columns["theme_label"] = pa.DictionaryArray.from_arrays(
            pa.array(theme.astype(np.int32), mask=~has_text), pa.array(top_labels, pa.string())
        )
        columns["all_theme_ids"] = pa.array(all_ids, pa.string())
        table = pa.table(columns)
        rel = f"responses/month={year}-{month:02d}/export-{year}-{month:02d}.parquet"
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / rel)
        files[f"export-{year}-{month:02d}.csv"] = {"status": "done", "outputs": [rel], "rows": n}
    import pandas as pd

    subs = [(f"{t}.{s}", t, f"{labels[t - 1]}, part {s}") for t in range(1, THEMES + 1) for s in (1, 2, 3)]
    pd.DataFrame(
        {
            "theme_id": [str(t) for t in range(1, THEMES + 1)] + [k for k, _, _ in subs],
            "level": ["top"] * THEMES + ["sub"] * len(subs),
            "parent_id": pd.array([pd.NA] * THEMES + [p for _, p, _ in subs], dtype="Int64"),
            "label": labels + [label for _, _, label in subs],
            "n": 0,
            "share": 0.0,
        }
    ).to_parquet(folder / "themes.parquet", index=False)
    report = {"engine": "synthetic (bench/dataset_bench.py)", "files": files}
    t0 = time.perf_counter()
    report["rollup"] = write_rollup(folder)
    report["timings"] = {"rollup": round(time.perf_counter() - t0, 2)}
    (folder / "report.json").write_text(json.dumps(report, indent=2))


def timed(fn, repeat: int = 3) -> tuple[float, float]:
    """(cold seconds, warm median seconds of `repeat` more calls)."""
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    warm = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - t0)
    return cold, statistics.median(warm)


def measure(folder: Path) -> tuple[list[tuple[str, str, str]], int]:
    import datetime as dt

    from cx.batch.source import BatchSource
    from cx.filters import Filters

    results = []
    t0 = time.perf_counter()
    source = BatchSource(folder)
    results.append(("open (schema, rows, roll-up check)", f"{time.perf_counter() - t0:.2f}", ""))
    segments = list(SEGMENTS)

    def first_page(filters):
        source.summarize(filters)
        source.metrics_by(filters, "month")
        return source.area_table(filters, segments, "nps", depth=2)

    none = Filters()
    months = Filters(
        segments={"region": ["North", "South"]}, date_from=dt.date(2024, 3, 1), date_to=dt.date(2025, 2, 28)
    )
    days = Filters(
        segments={"region": ["North", "South"]}, date_from=dt.date(2024, 3, 10), date_to=dt.date(2025, 2, 20)
    )
    for name, fn in [
        ("first page (summary + by month + areas nps depth 2)", lambda: first_page(none)),
        ("filter change: 2 values + whole months (roll-up)", lambda: first_page(months)),
        ("filter change: 2 values + days (roll-up + 2 cut months)", lambda: first_page(days)),
        ("lowest areas alone (6 columns, all pairs)", lambda: source.area_table(none, segments, "nps")),
    ]:
        cold, warm = timed(fn)
        results.append((name, f"{cold:.2f}", f"{warm:.2f}"))
    areas = source.area_table(none, segments, "nps")
    region = Filters(segments={"region": ["North", "South"]})
    themes = Filters(themes={2: "", 5: ""})
    for way in ("theme roll-up", "scan"):
        source._theme_rollup = way == "theme roll-up" and BatchSource(folder)._theme_rollup
        for name, fn in [
            (f"themes table, no filter ({way})", lambda: source.theme_table(none)),
            (f"themes table, 2 region values ({way})", lambda: source.theme_table(region)),
            (f"themes table, themes 2 or 5 ({way})", lambda: source.theme_table(themes)),
            (
                f"first page, themes 2 or 5 ({way if way != 'scan' else '1 scan into cells'})",
                lambda: first_page(themes),
            ),
        ]:
            cold, warm = timed(fn)
            results.append((name, f"{cold:.2f}", f"{warm:.2f}"))
    source._theme_rollup = BatchSource(folder)._theme_rollup
    for name, fn in [
        ("20 quotes of a theme, most recent first (scan)", lambda: source.quotes(none, theme_id=3)),
        (
            "filter change: NPS detractors (1 scan into cells)",
            lambda: first_page(Filters(nps_groups=["detractor"])),
        ),
        (
            "filter change: a keyword (1 scan, case/accents folded)",
            lambda: first_page(Filters(keyword="Refund")),
        ),
        ("filter change: an accented phrase (1 scan)", lambda: first_page(Filters(keyword="COMISION  esta"))),
    ]:
        cold, warm = timed(fn, repeat=1)
        results.append((name, f"{cold:.2f}", f"{warm:.2f}"))
    one_month = Filters(
        segments={"region": ["North"]}, date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31)
    )
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        written = source.export_csv(one_month, Path(tmp) / "rows.csv")
        results.append(
            (f"export_csv of {written:,} rows (1 region, 1 month)", f"{time.perf_counter() - t0:.2f}", "")
        )
    source._rollup = source._theme_rollup = False  # the same folder as if it had no roll-up
    cold, warm = timed(lambda: first_page(none), repeat=1)
    results.append(("first page without the roll-up (1 scan into cells)", f"{cold:.2f}", f"{warm:.2f}"))
    results.append(("areas ranked / compared", f"{(areas['status'] == 'ranked').sum()}", f"{len(areas)}"))
    results.append(("peak RSS after DuckDB part (MB)", f"{peak_mb():.0f}", ""))
    return results, source.rows


def baseline(folder: Path, rows: int, total: int) -> list[tuple[str, str, str]]:
    """pandas on the first `rows` rows (whole monthly files), projected linearly to `total` rows."""
    import pandas as pd

    from cx.areas import area_table
    from cx.metrics import metrics_by, summarize

    before = peak_mb()
    files = sorted((folder / "responses").glob("month=*/*.parquet"))
    t0 = time.perf_counter()
    parts, n = [], 0
    for path in files:
        parts.append(pd.read_parquet(path))
        n += len(parts[-1])
        if n >= rows:
            break
    frame = pd.concat(parts, ignore_index=True)
    for col in [*SEGMENTS, "nps_group", "sentiment"]:
        frame[col] = frame[col].astype("category")
    frame["date"] = pd.to_datetime(frame["date"])
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    summarize(frame)
    metrics_by(frame, "month")
    area_table(frame, list(SEGMENTS), "nps", depth=2)
    compute = time.perf_counter() - t0
    added = peak_mb() - before
    scale = total / len(frame)
    return [
        (f"pandas on {len(frame):,} rows: load", f"{load:.2f}", f"×{scale:.1f} = {load * scale:.1f}"),
        ("pandas: first page", f"{compute:.2f}", f"×{scale:.1f} = {compute * scale:.1f}"),
        ("pandas: RSS added (MB)", f"{added:.0f}", f"×{scale:.1f} = {added * scale:.0f}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, help="keep the dataset here (written when missing)")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--write-only", action="store_true", help="write the dataset and stop")
    parser.add_argument("--baseline-rows", type=int, default=1_000_000)
    parser.add_argument("--_child-write", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child_write:
        write_dataset(args._child_write, args.rows)
        return
    temp = None
    folder = args.dir
    if folder is None:
        temp = tempfile.TemporaryDirectory(prefix="cx-dataset-")
        folder = Path(temp.name) / "dataset"
    print(uptime(), flush=True)
    if not (folder / "report.json").is_file():
        t0 = time.perf_counter()
        cmd = [sys.executable, __file__, "--rows", str(args.rows), "--_child-write", str(folder)]
        subprocess.run(cmd, check=True)
        size = sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 2**20
        print(
            f"wrote {args.rows:,} responses to {folder} ({size:.0f} MiB) in {time.perf_counter() - t0:.1f} s"
        )
    report = json.loads((folder / "report.json").read_text())
    rollup = report.get("rollup") or {}
    print(
        f"roll-up: {rollup.get('cells', 0):,} cells; theme roll-up: "
        f"{(rollup.get('themes') or {}).get('cells', 0):,} cells of "
        f"{(rollup.get('themes') or {}).get('rows', 0):,} responses with a theme; both written in "
        f"{(report.get('timings') or {}).get('rollup', '?')} s"
    )
    if args.write_only:
        return
    results, total = measure(folder)
    results += baseline(folder, args.baseline_rows, total)
    width = max(len(r[0]) for r in results)
    print(f"\n{'':{width}}  {'cold s':>8}  {'warm s':>14}")
    for name, cold, warm in results:
        print(f"{name:{width}}  {cold:>8}  {warm:>14}")
    print(uptime())
    if temp:
        temp.cleanup()


if __name__ == "__main__":
    main()
