"""Many people at once: N sessions open the app at the same moment (loopback), measured two ways.

    python bench/load_bench.py [--sessions 10] [--rounds 2] [--client both|protocol|browser] [--servers 1]

1. The server's side (`--client protocol`): a client that speaks Streamlit's own websocket protocol and
   renders nothing. It connects to /_stcore/stream, sends the BackMsg `rerun_script` a browser sends for a
   link (`?data=HASH`, the Overview) and times until the ForwardMsg `script_finished`; a run counts only if
   the page really drew (its metric tiles, as many elements as the run alone, no exception, no error box).
   The uploads are put in a fresh store (CX_HOME) first, as links to files a user uploaded: one session
   alone (the file already open, and a file opened for the first time), N sessions on the same file, and N
   sessions on N different files (each first-time and already-open). Targets (issue 18): same file,
   p95 <= 3 x alone; different files, p95 <= 1.2 x (N / cores) x alone, the CPU-bound ideal.
   `--servers K` starts K servers on the same uploads and spreads the sessions at once over them: no
   hand-over and no shared cache between them, so it is the most any split of the page's work over K
   processes (a worker pool) could give on this machine.
2. Real browsers (`--client browser`), page ready = the Overview shows its NPS tile and the script has
   finished: (a) one viewer among N: one headless Chromium tab on an uploaded file's link while N - 1
   protocol sessions open the same link at the same moment (each viewer renders on their own machine), and
   (b) N Chromium tabs at once on the bundled sample. In (b) the N renderers share this 2-core machine
   with the server, so it measures the tabs as much as the server.

Beside each figure: the 1-min load average and the CPU that processes other than the bench and its server
used meanwhile (cores), and the server's CPU seconds; at the end the server's peak memory (VmHWM).
Measures and prints; never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"
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


def start_server(extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free port, once it answers its health check; returns (process, base URL/).

    The server starts under the thread policy (CX_THREADS), as `cxlens app` starts it; `extra_env` (e.g. a
    CX_HOME holding the uploads the bench opens by link) is added to its environment."""
    sys.path.insert(0, str(ROOT))
    from cx.threads import configure_environment

    env = dict(os.environ)
    configure_environment(env)
    env.update(extra_env or {})
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """Busy CPU seconds of the whole machine since boot (/proc/stat)."""
    fields = [int(v) for v in open("/proc/stat").readline().split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


class Load:
    """What else ran while a figure was taken: the 1-min load average at the start, and the cores that
    processes other than this bench and its server kept busy (machine busy time minus theirs, over wall)."""

    def __init__(self, server_pid: int | list[int]):
        self.pids = server_pid if isinstance(server_pid, list) else [server_pid]

    def __enter__(self) -> Load:
        self.load = os.getloadavg()[0]
        self.t0, self.busy0 = time.perf_counter(), machine_busy()
        self.server0, self.own0 = sum(map(cpu_seconds, self.pids)), sum(os.times()[:4])
        return self

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self.t0
        self.server = sum(map(cpu_seconds, self.pids)) - self.server0
        own = sum(os.times()[:4]) - self.own0  # this process and its finished children (Chromium: not all)
        self.others = max(0.0, (machine_busy() - self.busy0 - self.server - own) / max(wall, 1e-9))

    def __str__(self) -> str:
        return f"load {self.load:.1f}, others {self.others:.2f} cores, server CPU {self.server:.1f} s"


def p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


# --------------------------------------------------------------------------------------------------
# The server's side: Streamlit's websocket protocol, nothing rendered
# --------------------------------------------------------------------------------------------------


def variant(seed: int) -> bytes:
    """The bundled sample with its rows in another order: a different file (other bytes, other hash) that
    costs the same to read, check and draw."""
    header, *rows = SAMPLE.read_bytes().decode("utf-8").splitlines(keepends=True)
    random.Random(seed).shuffle(rows)
    return (header + "".join(rows)).encode("utf-8")


def kept_uploads(home: Path, count: int) -> list[str]:
    """`count` different uploads put in the store under `home`, as the app keeps a user's upload; their
    hashes (what a link's `?data=` carries)."""
    sys.path.insert(0, str(ROOT))
    from cx.store import Store

    store = Store(home)
    return [store.put(f"survey_{i}.csv", variant(i)).sha256 for i in range(count)]


class Drawn:
    """What came back for one page run."""

    def __init__(self) -> None:
        self.deltas = self.metrics = 0
        self.problems: list[str] = []

    def read(self, msg) -> None:
        kind = msg.WhichOneof("type")
        if kind != "delta" or msg.delta.WhichOneof("type") != "new_element":
            return
        self.deltas += 1
        element = msg.delta.new_element
        what = element.WhichOneof("type")
        if what == "metric":
            self.metrics += 1
        elif what == "exception":
            self.problems.append(f"exception: {element.exception.message[:120]}")
        elif what == "alert" and element.alert.format == element.alert.ERROR:
            self.problems.append(f"error box: {element.alert.body[:120]}")


async def protocol_session(port: int, query: str, timeout: float = 300) -> tuple[float, Drawn]:
    """One new session opening `?query` (the Overview); seconds from sending the rerun to script_finished."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    drawn = Drawn()
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
        back = BackMsg()
        back.rerun_script.query_string = query
        back.rerun_script.context_info.locale = "en-US"
        back.rerun_script.context_info.timezone = "UTC"
        back.rerun_script.context_info.url = f"http://127.0.0.1:{port}/?{query}"
        start = time.perf_counter()
        await ws.send(back.SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout))
            drawn.read(msg)
            if msg.WhichOneof("type") == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the page asked for a rerun: the user waits for the next one too
                if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    drawn.problems.append(f"script finished with status {msg.script_finished}")
                return time.perf_counter() - start, drawn


class ProtocolBench:
    """Sessions that open links to kept uploads (`hashes`, at least `protocol_files()` of them)."""

    def __init__(self, ports: list[int], pids: list[int], sessions: int, hashes: list[str]):
        """Several servers (`ports`, `pids`): sessions at once are spread over them in turn, and figures
        for one session alone use the first. Two servers on one machine are the most any split of the work
        over processes could give (no hand-over, no shared cache): the ceiling of a worker pool."""
        self.ports, self.pids, self.sessions, self.hashes = ports, pids, sessions, hashes
        self.port, self.pid = ports[0], pids[0]
        self.expected = 0  # elements the page draws (from the first run alone)
        self.bad: list[str] = []

    def check(self, label: str, drawn: Drawn) -> None:
        if drawn.problems or drawn.metrics < 2 or drawn.deltas < self.expected:
            self.bad.append(
                f"{label}: {drawn.deltas} elements, {drawn.metrics} metric tiles, {drawn.problems}"
            )

    async def at_once(self, label: str, queries: list[str]) -> tuple[list[float], Load]:
        ports = self.ports
        with Load(self.pids) as load:
            results = await asyncio.gather(
                *(protocol_session(ports[i % len(ports)], q) for i, q in enumerate(queries))
            )
        for _, drawn in results:
            self.check(label, drawn)
        return [t for t, _ in results], load

    async def run(self, rounds: int) -> None:
        """All the figures, with one idle session connected throughout: a server with nobody connected
        drops its compiled page scripts, so the first run after an idle spell compiles them again."""
        from contextlib import AsyncExitStack

        import websockets

        async with AsyncExitStack() as stack:
            for port in self.ports:
                url = f"ws://127.0.0.1:{port}/_stcore/stream"
                await stack.enter_async_context(websockets.connect(url, subprotocols=["streamlit"]))
            await self._run(rounds)

    async def _run(self, rounds: int) -> None:
        n = self.sessions
        cores = len(os.sched_getaffinity(0))
        q = [f"data={h}" for h in self.hashes]
        warm_file, cold_alone, rest = q[0], q[1:4], q[4:]
        # First run of each process (imports, first chart): not a figure.
        for port in self.ports:
            _, drawn = await protocol_session(port, warm_file)
            self.expected = drawn.deltas
            self.check("first run", drawn)
        rows = []
        warm_times, load = await self.sequential(warm_file, 5)
        alone_warm = statistics.median(warm_times)
        rows.append(("1 session alone, file already open (median of 5)", [alone_warm], load, None))
        cold_times, load = await self.sequential_each(cold_alone)
        alone_cold = statistics.median(cold_times)
        rows.append(
            ("1 session alone, file opened for the first time (median of 3)", [alone_cold], load, None)
        )
        ideal = n / cores
        for r in range(rounds):
            same, others = rest[0], rest[1 : 1 + n]
            rest = rest[1 + n :]
            times, load = await self.at_once("same, first", [same] * n)
            rows.append((f"{n} at once, same file, first open (round {r + 1})", times, load, 3 * alone_cold))
            times, load = await self.at_once("same, open", [same] * n)
            rows.append(
                (f"{n} at once, same file, already open (round {r + 1})", times, load, 3 * alone_warm)
            )
            times, load = await self.at_once("different, first", others)
            rows.append(
                (
                    f"{n} at once, {n} different files, first open (round {r + 1})",
                    times,
                    load,
                    1.2 * ideal * alone_cold,
                )
            )
            times, load = await self.at_once("different, open", others)
            rows.append(
                (
                    f"{n} at once, {n} different files, already open (round {r + 1})",
                    times,
                    load,
                    1.2 * ideal * alone_warm,
                )
            )
        print(
            "\n**Server side** (websocket protocol client, nothing rendered; page ready = rerun sent → script_finished)\n"
        )
        print(
            "| sessions | page ready p50 s | p95 s | max s | p95 / alone | target p95 s | met | load during the figure |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for label, times, load, target in rows:
            met = "" if target is None else ("yes" if p95(times) <= target else "**no**")
            goal = "" if target is None else f"{target:.2f}"
            alone = alone_cold if "first" in label else alone_warm
            print(
                f"| {label} | {statistics.median(times):.3f} | {p95(times):.3f} | {max(times):.3f} "
                f"| {p95(times) / alone:.1f} | {goal} | {met} | {load} |"
            )
        print(f"\n{cores} cores; CPU-bound ideal for {n} sessions = {n} / {cores} = {ideal:.1f} x alone")
        print(
            f"pages checked: {'all drew fully' if not self.bad else 'PROBLEMS: ' + '; '.join(self.bad[:5])}"
        )
        servers = f"{len(self.pids)} servers' " if len(self.pids) > 1 else "server "
        peak = sum(map(peak_rss_mb, self.pids))
        print(f"{servers}peak memory (VmHWM) after the protocol runs: {peak:.0f} MB")

    async def sequential(self, query: str, times: int) -> tuple[list[float], Load]:
        out = []
        with Load(self.pid) as load:
            for _ in range(times):
                t, drawn = await protocol_session(self.port, query)
                self.check("alone", drawn)
                out.append(t)
        return out, load

    async def sequential_each(self, queries: list[str]) -> tuple[list[float], Load]:
        out = []
        with Load(self.pid) as load:
            for query in queries:
                t, drawn = await protocol_session(self.port, query)
                self.check("alone, first open", drawn)
                out.append(t)
        return out, load


def protocol_files(sessions: int, rounds: int) -> int:
    return 4 + rounds * (1 + sessions)


# --------------------------------------------------------------------------------------------------
# Real browsers
# --------------------------------------------------------------------------------------------------


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
    from playwright.async_api import async_playwright

    print(
        f"\n**Real browsers** ({sessions} headless Chromium tabs on this machine's cores, the bundled sample; "
        "page ready = navigation → metric tile shown and script finished)\n"
    )
    print("| sessions | page ready p50 s | p95 s | max s | load during the figure |")
    print("|---|---|---|---|---|")
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        await session(browser, url)  # warms the server's caches, as a first visitor would
        with Load(pid) as load:
            alone = await session(browser, url)
        print(f"| 1 session alone (baseline) | {alone:.2f} | {alone:.2f} | {alone:.2f} | {load} |")
        for r in range(rounds):
            with Load(pid) as load:
                times = await asyncio.gather(*(session(browser, url) for _ in range(sessions)))
            print(
                f"| {sessions} tabs at once, round {r + 1} | {statistics.median(times):.2f} | {p95(times):.2f} "
                f"| {max(times):.2f} | {load} |"
            )
        await browser.close()
    print("\n(others: Chromium's renderers count as other processes here)")
    print(f"server peak memory (VmHWM) after the browser runs: {peak_rss_mb(pid):.0f} MB")


async def one_of_many(url: str, port: int, query: str, sessions: int, pid: int, trials: int = 3) -> None:
    """What one viewer sees when `sessions` people open the same link at once, each on their own machine:
    one Chromium tab, and `sessions - 1` protocol sessions sent the moment the tab's websocket sends its
    first message (so the server runs all the pages at once), against the same tab alone."""
    from playwright.async_api import async_playwright

    async def tab(browser, others: int) -> float:
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        page = await context.new_page()
        crowd: list[asyncio.Task] = []

        def on_websocket(ws) -> None:
            def first_frame(_payload) -> None:
                if not crowd and others:
                    crowd.extend(asyncio.ensure_future(protocol_session(port, query)) for _ in range(others))

            ws.on("framesent", first_frame)

        page.on("websocket", on_websocket)
        start = time.perf_counter()
        await page.goto(f"{url}?{query}")
        await page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
        await page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'",
            timeout=120_000,
        )
        seconds = time.perf_counter() - start
        await asyncio.gather(*crowd)
        await context.close()
        return seconds

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        await tab(browser, 0)  # the file opened once before, as a shared link's file is
        with Load(pid) as load_alone:
            alone = statistics.median([await tab(browser, 0) for _ in range(trials)])
        with Load(pid) as load_crowd:
            crowd = [await tab(browser, sessions - 1) for _ in range(trials)]
        await browser.close()
    print(
        f"\n**One viewer among {sessions}** (one Chromium tab on an uploaded file's link, already open; the other "
        f"{sessions - 1} sessions speak the protocol, sent when the tab's websocket opens; median of {trials})\n"
    )
    print("| what | page ready s | load during the figure |")
    print("|---|---|---|")
    print(f"| the tab alone | {alone:.2f} | {load_alone} |")
    print(
        f"| the tab while {sessions - 1} other sessions open the same link | {statistics.median(crowd):.2f} "
        f"(max {max(crowd):.2f}; {statistics.median(crowd) / alone:.2f} x alone) | {load_crowd} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--client", choices=["both", "protocol", "browser"], default="both")
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="protocol client only: N servers on the same kept uploads, sessions spread over them (the "
        "ceiling of splitting the work over processes)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cx-load-") as home:
        hashes = kept_uploads(Path(home), protocol_files(args.sessions, args.rounds))
        env = {"CX_HOME": home, "CX_LENS_CACHE": str(Path(home) / "cache")}
        server, url = start_server(env)
        more = [start_server(env) for _ in range(max(0, args.servers - 1))]
        try:
            print(
                f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, 1-min load at start {os.getloadavg()[0]:.1f}"
            )
            if args.client in ("both", "protocol"):
                ports = [int(u.rstrip("/").rsplit(":", 1)[1]) for u in [url] + [u for _, u in more]]
                pids = [server.pid] + [s.pid for s, _ in more]
                print(f"{len(pids)} server process(es); sessions at once spread over them in turn")
                bench = ProtocolBench(ports, pids, args.sessions, hashes)
                asyncio.run(bench.run(args.rounds))
            if args.client in ("both", "browser"):
                port = int(url.rstrip("/").rsplit(":", 1)[1])
                asyncio.run(one_of_many(url, port, f"data={hashes[0]}", args.sessions, server.pid))
                asyncio.run(run(url, args.sessions, args.rounds, server.pid))
        finally:
            for process in [server] + [s for s, _ in more]:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    main()
