"""Many people at once: N browser sessions open the app on the sample data at the same moment (loopback).

    python bench/load_bench.py [--sessions 10] [--rounds 2]

Starts `streamlit run app.py`, then opens N isolated browser contexts (Debian's chromium through
Playwright) concurrently, each waiting until the Overview shows its NPS tile and the script has finished.
Prints page-ready seconds p50/p95/max per round and the server's peak memory (VmHWM). Baseline in the same
run: one session alone. Measures; never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port, once it answers its health check; returns (process, base URL/).

    The server starts under the thread policy (CX_THREADS), as `cxlens app` starts it."""
    sys.path.insert(0, str(ROOT))
    from cx.threads import configure_environment

    env = dict(os.environ)
    configure_environment(env)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            if urllib.request.urlopen(url + "_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    return server, url


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def session(browser, url: str) -> float:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url)
    await page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
    await page.wait_for_function(
        "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'",
        timeout=120_000,
    )
    seconds = time.perf_counter() - start
    await context.close()
    return seconds


async def run(url: str, sessions: int, rounds: int, pid: int) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        alone = await session(browser, url)  # also warms the server's caches, as a first visitor would
        alone = await session(browser, url)
        print(f"| 1 session alone (baseline) | {alone:.2f} | {alone:.2f} | {alone:.2f} |")
        for r in range(rounds):
            times = sorted(await asyncio.gather(*(session(browser, url) for _ in range(sessions))))
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            print(
                f"| {sessions} sessions at once, round {r + 1} | {statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} |"
            )
        await browser.close()
    print(f"\nserver peak memory (VmHWM): {peak_rss_mb(pid):.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    server, url = start_server()
    try:
        print("| load | page ready p50 s | p95 s | max s |")
        print("|---|---|---|---|")
        asyncio.run(run(url, args.sessions, args.rounds, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
