"""Encoder throughput when the CPU is shared: alone, beside a busy process, and two or four encoders at once,
per thread policy (issue 18).

    python bench/contention_bench.py [--seconds 6] [--backend multilingual|minilm] [--policies ...]

Each encoder is its own process (an app server and a CLI run, or two servers), loads the model, waits for the
start signal, then embeds 256-text batches of short texts (Banking77 queries, cycled) through
`cx.embed.get_embedder`, as the app does, for `--seconds`, and reports sentences/s. Policies:

- `before`: the behaviour before issue 18, the model called directly with every core as BLAS threads and
  the libraries' default spin-wait (OPENBLAS_THREAD_TIMEOUT=28 and GOMP_SPINCOUNT=300000 are OpenBLAS's and
  GNU OpenMP's defaults)
- `1`: one thread (CX_THREADS=1)
- `cores`: every core, idle threads sleep (CX_THREADS=cores, cx's default OPENBLAS_THREAD_TIMEOUT=4)
- `auto`: adaptive, the default (CX_THREADS unset)
- `shared`: auto, and the encoders are threads of ONE process (sessions of one server) going through its one
  shared worker

Baselines in the same run: "alone" is compared with the best alone figure of any policy, "two/four at once"
with the aggregate of the same number of single-thread encoders (policy `1`). Beside each scenario: the 1-min
load average when it started and the CPU that processes other than the bench's used during it (cores), so a
figure taken on a busy machine says so. Measures and prints; never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cx import threads  # noqa: E402  (sets this process's environment; the encoders get their own)

DATA = ROOT.parent / "shared" / "data" / "banking77" / "test.csv"
BATCH = 256
POLICIES = ["before", "1", "cores", "auto", "shared"]
SCENARIOS = [
    ("alone", 1, False),
    ("beside a busy process", 1, True),
    ("two at once", 2, False),
    ("four at once", 4, False),
]


def texts(n: int = 4000) -> list[str]:
    """n short texts: Banking77 queries (cycled with a suffix past 3,080), or generated ones without the data."""
    if DATA.exists():
        import csv

        with DATA.open(encoding="utf-8") as f:
            base = [row["text"] for row in csv.DictReader(f)]
    else:
        words = "card delivery app refund late rude login fee branch transfer blocked support".split()
        base = [
            f"my {words[i % 12]} was {words[(i * 7) % 12]} again, {words[(i * 5) % 12]} please"
            for i in range(997)
        ]
    return [base[i % len(base)] + ("" if i < len(base) else f" ({i // len(base)})") for i in range(n)]


def cpu_busy() -> float:
    """Busy CPU seconds of the whole machine since boot (/proc/stat)."""
    fields = [int(v) for v in open("/proc/stat").readline().split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


EXTRA_ENV: dict[str, str] = {}  # --env KEY=VALUE: to try a variable under every policy but before


def policy_env(policy: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("CX_THREADS", "GOMP_SPINCOUNT", *threads.NO_SPIN, *threads.COUNT_VARS)
    }
    cores = str(len(os.sched_getaffinity(0)))
    env["CX_LENS_CACHE"] = "off"
    if policy == "before":
        # the libraries' own defaults: OpenBLAS spins 2**28 cycles, GNU OpenMP 300,000 spins (GOMP_SPINCOUNT
        # given explicitly wins over the PASSIVE policy cx sets)
        env.update(
            CX_THREADS=cores, OPENBLAS_THREAD_TIMEOUT="28", GOMP_SPINCOUNT="300000", CX_BENCH_DIRECT="1"
        )
    else:
        env.update(EXTRA_ENV)
    if policy == "cores":
        env["CX_THREADS"] = cores
    elif policy == "1":
        env["CX_THREADS"] = "1"
    return env


def worker(backend: str, sessions: int, seconds: float) -> None:
    """One encoder process (`sessions` threads sharing its worker): warm up, say ready, wait for go, embed."""
    if os.environ.get("CX_BENCH_DIRECT"):  # policy `before`: the model itself, all cores as BLAS threads

        class Direct:
            def __init__(self):
                from cx.embed import MINILM, MultilingualEmbedder, SentenceTransformerEmbedder

                self.inner = MultilingualEmbedder() if backend != MINILM else SentenceTransformerEmbedder()
                self.threads = len(os.sched_getaffinity(0))
                self.inner.set_threads(self.threads)

            def embed(self, texts):
                return self.inner.embed(texts)

        embedder = Direct()
    else:
        from cx.embed import get_embedder

        embedder = get_embedder(backend)
    corpus = texts()
    embedder.embed(corpus[:BATCH])
    print("ready", flush=True)
    sys.stdin.readline()
    counts = [0] * sessions
    cpu0, start = time.process_time(), time.perf_counter()
    deadline = start + seconds

    def session(i: int) -> None:
        at = (i * 997) % len(corpus)
        while time.perf_counter() < deadline:
            batch = corpus[at : at + BATCH] or corpus[:BATCH]
            embedder.embed(batch)
            counts[i] += len(batch)
            at = (at + BATCH) % len(corpus)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    print(json.dumps({"rates": [c / wall for c in counts], "cpu": time.process_time() - cpu0, "wall": wall,
                      "threads": embedder.threads}), flush=True)  # fmt: skip


def busy_loop() -> None:
    """The busy single-thread process: spins until told to stop (a thread watches stdin)."""
    stop = threading.Event()
    threading.Thread(
        target=lambda: (sys.stdin.readline(), sys.stdin.readline(), stop.set()), daemon=True
    ).start()
    print("ready", flush=True)
    cpu0, start = time.process_time(), time.perf_counter()
    x = 0
    while not stop.is_set():
        x += 1
    print(json.dumps({"cpu": time.process_time() - cpu0, "wall": time.perf_counter() - start}), flush=True)


def scenario(backend: str, policy: str, encoders: int, busy: bool, seconds: float) -> dict:
    env = policy_env(policy)
    me = [sys.executable, __file__, "--backend", backend, "--seconds", str(seconds)]
    if policy == "shared":
        procs = [subprocess.Popen([*me, "--worker", str(encoders)], env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)]  # fmt: skip
    else:
        procs = [subprocess.Popen([*me, "--worker", "1"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True) for _ in range(encoders)]  # fmt: skip
    spin = None
    if busy:
        spin = subprocess.Popen([*me, "--busy"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for p in [*procs, *([spin] if spin else [])]:
        while p.stdout.readline().strip() != "ready":
            pass
    load = os.getloadavg()[0]
    busy0, start = cpu_busy(), time.perf_counter()
    for p in [*procs, *([spin] if spin else [])]:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [json.loads(p.stdout.readline()) for p in procs]
    ours = sum(r["cpu"] for r in results)
    if spin:
        spin.stdin.write("stop\n")
        spin.stdin.flush()
        ours += json.loads(spin.stdout.readline())["cpu"]
    wall = time.perf_counter() - start
    others = max(0.0, (cpu_busy() - busy0 - ours) / wall)
    for p in [*procs, *([spin] if spin else [])]:
        p.stdin.close()
        p.wait()
    rates = [r for res in results for r in res["rates"]]
    return {"rates": rates, "total": sum(rates), "load": load, "others": others,
            "threads": [res["threads"] for res in results]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--backend", default="multilingual")
    parser.add_argument("--policies", nargs="+", default=POLICIES, choices=POLICIES)
    parser.add_argument("--scenarios", nargs="+", default=[s[0] for s in SCENARIOS])
    parser.add_argument("--env", nargs="*", default=[], help="KEY=VALUE set for every policy but before")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--busy", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.backend, args.worker, args.seconds)
    if args.busy:
        return busy_loop()

    EXTRA_ENV.update(item.split("=", 1) for item in args.env)
    cores = len(os.sched_getaffinity(0))
    print(f"# Encoder throughput under contention: {args.backend}, {cores} cores, {args.seconds:g} s per figure, "
          f"load average at start {os.getloadavg()[0]:.2f}{', ' + ' '.join(args.env) if args.env else ''}\n")  # fmt: skip
    figures: dict[tuple[str, str], dict] = {}
    for policy in args.policies:
        for name, encoders, busy in SCENARIOS:
            if name in args.scenarios:
                figures[policy, name] = scenario(args.backend, policy, encoders, busy, args.seconds)
                f = figures[policy, name]
                print(f"{policy:>10} | {name:<22} | {' + '.join(f'{r:,.0f}' for r in f['rates']):>24} = "
                      f"{f['total']:6,.0f}/s | threads {f['threads']} | load {f['load']:.2f}, others "
                      f"{f['others']:.2f} cores", file=sys.stderr, flush=True)  # fmt: skip

    best_alone = max((f["total"] for (_, s), f in figures.items() if s == "alone"), default=float("nan"))
    print("| policy | scenario | sentences/s (each) | total | ratio | baseline | load avg / others' CPU |")
    print("|---|---|---|---|---|---|---|")
    for (policy, name), f in figures.items():
        if name == "alone":
            ratio, base = f["total"] / best_alone, "best alone"
        else:
            single = figures.get(("1", name))
            ratio = f["total"] / single["total"] if single else float("nan")
            base = f"policy 1, {name}"
        each = " + ".join(f"{r:,.0f}" for r in f["rates"])
        print(f"| {policy} | {name} | {each} | {f['total']:,.0f} | {ratio:.2f} × | {base} | "
              f"{f['load']:.2f} / {f['others']:.2f} cores |")  # fmt: skip


if __name__ == "__main__":
    main()
