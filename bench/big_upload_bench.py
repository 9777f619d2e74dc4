"""A big upload: read + detect + canonical frame for an N-row CSV, with rows/s and peak memory.

    python bench/big_upload_bench.py [--rows 500000] [--columns 12]

Each size runs in a fresh subprocess so its peak RSS (ru_maxrss) is its own. Baseline in the same run:
plain `pandas.read_csv` of the same file (what any tool pays just to parse it). Measures; never fails.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def make_csv(path: Path, rows: int, columns: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01")
    data = {
        "response_id": [f"R{i:08d}" for i in range(rows)],
        "date": (start + rng.integers(0, 730, rows).astype("timedelta64[D]")).astype(str),
        "nps": rng.integers(0, 11, rows),
        "csat": rng.integers(1, 6, rows),
        "comment": rng.choice(
            ["late card", "app crashes", "rude staff", "great service", "", "fees again"], rows
        ),
    }
    for i in range(columns - len(data)):
        data[f"segment_{i}"] = rng.choice([f"v{j}" for j in range(3 + i)], rows)
    pd.DataFrame(data).to_csv(path, index=False)


def child(mode: str, path: str) -> None:
    start = time.perf_counter()
    if mode == "pandas":
        rows = len(pd.read_csv(path, dtype=str))
    else:
        sys.path.insert(0, str(ROOT))
        from cx.io import read_file
        from cx.schema import build_dataset

        dataset = build_dataset(read_file(path))
        rows = dataset.rows_kept
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak}))


def measure(mode: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[500_000])
    parser.add_argument("--columns", type=int, default=12)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print("| rows × columns | file MB | what | seconds | rows/s | peak RSS MB |")
    print("|---|---|---|---|---|---|")
    for rows in args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "big.csv"
            make_csv(path, rows, args.columns)
            size = os.path.getsize(path) / 2**20
            base = measure("pandas", path)
            ours = measure("cx", path)
            for name, r in (
                ("pandas.read_csv (baseline)", base),
                ("CX Lens read + detect + canonical frame", ours),
            ):
                print(
                    f"| {rows:,} × {args.columns} | {size:.0f} | {name} | {r['seconds']:.1f} | "
                    f"{r['rows'] / r['seconds']:,.0f} | {r['peak_mb']:.0f} |"
                )
            print(f"\nratio CX Lens / pandas parse alone: {ours['seconds'] / base['seconds']:.1f}×")


if __name__ == "__main__":
    main()
