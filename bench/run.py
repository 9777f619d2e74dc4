"""Runs every benchmark and prints its table: small sizes by default, the issue's sizes with --full.

    python bench/run.py          # a few minutes on 2 cores
    python bench/run.py --full   # 1 M rows, 200 k comments, 10 concurrent sessions (tens of minutes)

Each script measures and prints; nothing here passes or fails. BERTopic (bench/peer_bench.py) runs when it
is installed: pip install -r bench/requirements-bertopic.txt
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

SMALL = [
    ("Read + detect + canonical frame", ["big_upload_bench.py", "--rows", "100000"]),
    ("Rerun after a filter change", ["filter_bench.py", "--rows", "200000"]),
    ("Lowest areas, 20 segment columns", ["areas_bench.py", "--rows", "200000"]),
    ("Theme quality and speed on Banking77", ["themes_bench.py"]),
    ("Themes at 10k comments", ["themes_scale_bench.py"]),
    ("Encoder throughput when the CPU is shared", ["contention_bench.py", "--seconds", "4"]),
    ("Peer baseline: BERTopic", ["peer_bench.py"]),
    ("The app in a real browser", ["app_bench.py"]),
    ("Concurrent sessions", ["load_bench.py", "--sessions", "5", "--rounds", "1"]),
]
FULL = {
    "big_upload_bench.py": ["--rows", "500000", "1000000"],
    "filter_bench.py": ["--rows", "1000000"],
    "areas_bench.py": ["--rows", "1000000"],
    "themes_scale_bench.py": ["--full"],
    "contention_bench.py": ["--seconds", "8"],
    "load_bench.py": ["--sessions", "10", "--rounds", "2"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    print(
        f"# CX Lens benchmarks ({'full' if args.full else 'small'}): {platform.machine()}, "
        f"{platform.processor() or 'cpu'}, Python {platform.python_version()}\n"
    )
    for title, command in SMALL:
        script, options = command[0], command[1:]
        if args.full and script in FULL:
            options = FULL[script]
        print(f"## {title} ({script} {' '.join(options)})\n", flush=True)
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(HERE / script), *options], capture_output=True, text=True
        )
        lines = [line for line in result.stdout.splitlines() if not line.startswith("Loading weights")]
        print("\n".join(lines) if lines else "(no output)")
        if result.returncode:
            print(
                f"\n(exit {result.returncode}: {result.stderr.strip().splitlines()[-1] if result.stderr else ''})"
            )
        print(f"\n_{time.perf_counter() - start:.0f} s_\n", flush=True)


if __name__ == "__main__":
    main()
