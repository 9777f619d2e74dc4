"""Where a server's time goes when a session opens a file for the first time (issue 18): py-spy samples the
Streamlit server while one session at a time opens links to kept uploads it has not read yet.

    pip install py-spy   # a profiler, for this script only (not a dependency of the app)
    python bench/first_open_profile.py [--files 8] [--rate 250]

The server is started as `bench/load_bench.py` starts it; its first run (imports, first chart) and one more
file are opened before sampling starts. Each sample of a thread running Python is put in the first share
below whose function is on its stack: read + detect + build are the work of `cx/app/loading.py`
(`_read`, `_detect`, `_build`); the Overview's aggregates, lowest areas, alerts and charts come after; what
is left is drawing (Streamlit elements) and the server's own thread (sessions, sending messages). Which share
could run in another process decides whether a worker pool can help 10 sessions opening 10 files at once:
Python runs one thread of a process at a time. Measures and prints; never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load_bench  # noqa: E402

# (share, function names as py-spy writes a frame: "name (file:line)"), first match wins
SHARES = [
    ("read: cx.io.read_bytes", ["read_bytes ("]),
    ("detect: cx.schema.detect_roles", ["detect_roles ("]),
    ("build: cx.schema.build_dataset (the canonical frame)", ["build_dataset ("]),
    ("rest of loading (store, sidebar, view)", ["build_context ("]),
    ("Overview: lowest areas and their sentences", ["_overview_areas ("]),
    ("Overview: alerts", ["_overview_alerts ("]),
    (
        "Overview: headline figures, segments",
        ["summary (cx/app/caches", "segments (", "has_dates (", "overall ("],
    ),
    ("charts: building the Altair charts (trend, split)", ["trend_chart (", "split_chart (", "table_by ("]),
    ("charts: Altair -> Vega-Lite spec", ["_shared_chart (cx/app/widgets.py:200"]),
    ("drawing: Streamlit elements of the page", ["ScriptRunner._run_script ("]),
    ("server thread: sessions, sending messages", [""]),
]
PARALLEL = {s for s, _ in SHARES[:9]}  # work that needs nothing but the data: could run in another process
LOADING = {s for s, _ in SHARES[:3]}


def shares(raw: Path) -> tuple[collections.Counter, int]:
    counts: collections.Counter = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        frames, samples = stack.split(";"), int(n)
        total += samples
        for share, starts in SHARES:
            if any(f.startswith(s) for f in frames for s in starts):
                counts[share] += samples
                break
    return counts, total


async def open_files(port: int, hashes: list[str], spy_args: list[str], at_once: bool = False) -> list[float]:
    import websockets

    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"]):  # keeps the compiled pages
        for query in hashes[:2]:  # imports, first chart, a second file: not sampled
            await load_bench.protocol_session(port, f"data={query}")
        spy = subprocess.Popen(spy_args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        await asyncio.sleep(2)  # py-spy attaches
        if at_once:  # every session at the same moment, as 10 people opening 10 links
            done = await asyncio.gather(*(load_bench.protocol_session(port, f"data={q}") for q in hashes[2:]))
            times = [seconds for seconds, _ in done]
        else:
            times = []
            for query in hashes[2:]:
                seconds, _ = await load_bench.protocol_session(port, f"data={query}")
                times.append(seconds)
        await asyncio.sleep(0.5)
        spy.send_signal(2)
        spy.wait(timeout=60)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=8, help="first opens sampled, one after another")
    parser.add_argument("--rate", type=int, default=250, help="samples per second")
    parser.add_argument(
        "--at-once",
        action="store_true",
        help="open the files at the same moment (compare the samples per share)",
    )
    parser.add_argument("--gil", action="store_true", help="sample only the thread holding Python's lock")
    args = parser.parse_args()
    if shutil.which("py-spy") is None:
        print("py-spy is not installed (pip install py-spy): nothing measured")
        return
    with tempfile.TemporaryDirectory(prefix="cx-profile-") as home:
        hashes = load_bench.kept_uploads(Path(home), args.files + 2)
        server, url = load_bench.start_server({"CX_HOME": home, "CX_LENS_CACHE": str(Path(home) / "cache")})
        raw = Path(home) / "samples.txt"
        spy = ["py-spy", "record", "--pid", str(server.pid), "--format", "raw", "-o", str(raw)]
        spy += ["--rate", str(args.rate), "--nonblocking"] + (["--gil"] if args.gil else [])
        try:
            port = int(url.rstrip("/").rsplit(":", 1)[1])
            load = os.getloadavg()[0]
            cpu0 = load_bench.cpu_seconds(server.pid)
            times = asyncio.run(open_files(port, hashes, spy, args.at_once))
            cpu = load_bench.cpu_seconds(server.pid) - cpu0
        finally:
            server.terminate()
            server.wait(timeout=30)
        if not raw.exists():
            print("py-spy wrote no samples (it needs ptrace rights on the server process)")
            return
        counts, total = shares(raw)
    times.sort()
    print(
        f"{len(times)} first opens {'at once' if args.at_once else 'one after another'}: median {times[len(times) // 2]:.3f} s page ready, "
        f"server CPU {cpu / len(times):.2f} s per open (with py-spy's pauses), 1-min load {load:.1f}\n"
    )
    print("| share of the server's busy samples | % | samples per open |")
    print("|---|---|---|")
    for share, _ in SHARES:
        print(f"| {share} | {100 * counts[share] / max(total, 1):.1f} | {counts[share] / len(times):.0f} |")
    loading = sum(counts[s] for s in LOADING) / max(total, 1)
    parallel = sum(counts[s] for s in PARALLEL) / max(total, 1)
    print(
        f"\n{total} samples. read + detect + build: {100 * loading:.0f} %; all the work that needs only the data"
    )
    print(f"(loading, the Overview's figures, charts and their specs): {100 * parallel:.0f} %.")
    cores, n = len(os.sched_getaffinity(0)), 10
    for label, share in (("read + detect + build", loading), ("all of that", parallel)):
        # Amdahl: the rest runs on the server's one Python thread at a time, the share on every core
        bound = max((1 - share) * n, n / cores)
        print(
            f"In other processes, {label}: {n} sessions on {n} new files at once >= {bound:.1f} x alone "
            f"(target 1.2 x {n} / {cores} = {1.2 * n / cores:.1f} x), before any hand-over cost"
        )


if __name__ == "__main__":
    main()
