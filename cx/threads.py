"""How many threads the native libraries use, and how their idle threads wait: one policy for the app, the CLI
and the batch path.

CX Lens rarely has the CPU to itself (a team's server, a screen-shared review, a CLI run beside the app). The
native thread pools behind the models (OpenBLAS under numpy for the multilingual encoder and scikit-learn,
OpenMP under torch for MiniLM and under scikit-learn's KMeans) default to one thread per core, and their idle
threads spin-wait for the next piece of work. Two such pools on the same cores take turns spinning instead of
working: two encoders at once ran at a sixth of what two single-thread encoders manage (issue 18).

The policy, set with the environment variable `CX_THREADS`:

- `auto` (the default): adaptive. The embedding workers (`cx.embed.SharedEmbedder`, each batch
  single-threaded) re-choose how many run at once about every quarter second from the cores the rest of the
  machine left free (Linux `/proc/stat`, the cores this process may run on): all of them when the machine is
  idle, one when another process is busy. Off Linux, all cores.
- a number N >= 1: N embedding workers, and N threads for every other library (OMP_NUM_THREADS, ...),
  whatever else runs (e.g. `CX_THREADS=1` on a server shared with other services).

Idle threads sleep instead of spinning, whatever the count. Once an embedder runs, BLAS (process-wide in
OpenBLAS) stays at one thread: parallel batches beat one batch spread over BLAS threads on this encoder's small
matrices, and numpy calls elsewhere in the process (one per session) are what run side by side.

The environment part (`configure_environment`) must run before a library loads its thread pool, so the
package runs it on import (`cx/__init__.py`): the CLI, `cxlens app` (its Streamlit server inherits the
settings) and the batch workers share it. A variable the user set explicitly (`OMP_NUM_THREADS`,
`OMP_WAIT_POLICY`, ...) is never overwritten. Libraries already loaded by then (numpy under `streamlit run`)
get the thread count at run time through threadpoolctl (`apply_limits`).
"""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
import time
from collections.abc import MutableMapping
from dataclasses import dataclass

ENV = "CX_THREADS"
AUTO = "auto"
# Idle threads sleep at once instead of spinning: GNU OpenMP (torch, scikit-learn), Intel OpenMP, OpenBLAS
# (its minimum timeout, 2**4 cycles, is no spin at all).
NO_SPIN = {"OMP_WAIT_POLICY": "PASSIVE", "KMP_BLOCKTIME": "0", "OPENBLAS_THREAD_TIMEOUT": "4"}
COUNT_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
SAMPLE_SECONDS = 0.25  # shortest window the adaptive choice measures (/proc/stat counts in 10 ms ticks)

log = logging.getLogger("cx")


def cpu_count() -> int:
    """Cores this process may run on (its CPU affinity, and a cgroup quota when there is one)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        quota, period = open("/sys/fs/cgroup/cpu.max").read().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


@dataclass(frozen=True)
class Policy:
    """The thread policy: `threads` is the fixed count, or None when adaptive (between 1 and `max_threads`).

    Attributes:
        threads: the fixed thread count, or None for adaptive.
        max_threads: the most threads any library gets (the cores this process may use, or `threads`).
        setting: the `CX_THREADS` value as given ("" when unset).
        problem: why the setting was not understood (then the policy is adaptive), else "".
    """

    threads: int | None
    max_threads: int
    setting: str = ""
    problem: str = ""

    @property
    def adaptive(self) -> bool:
        return self.threads is None

    def describe(self) -> str:
        if self.adaptive:
            return f"adaptive, 1 to {self.max_threads} threads (CX_THREADS=auto), idle threads sleep"
        return f"{self.threads} thread{'s' if self.threads != 1 else ''} (CX_THREADS={self.threads}), idle threads sleep"


def policy(environ: MutableMapping[str, str] | None = None) -> Policy:
    """The policy `CX_THREADS` asks for: "auto"/unset for adaptive, or a whole number of threads >= 1.

    A value that is neither is reported (`Policy.problem`, and a warning in the log) and treated as "auto",
    so a typo never stops the app.
    """
    environ = os.environ if environ is None else environ
    setting = environ.get(ENV, "").strip()
    cores = cpu_count()
    if setting.lower() in ("", AUTO):
        return Policy(None, cores, setting)
    try:
        threads = int(setting)
    except ValueError:
        threads = 0
    if threads < 1:
        problem = f"{ENV}={setting!r} is neither 'auto' nor a whole number of threads >= 1: using auto."
        return Policy(None, cores, setting, problem)
    return Policy(threads, threads, setting)


def configure_environment(environ: MutableMapping[str, str] | None = None) -> Policy:
    """Set the variables the native libraries read when they load: no spin-waiting, and for a fixed
    `CX_THREADS` the thread count of each. Only variables the user left unset are written.

    Returns:
        The policy in force.
    """
    environ = os.environ if environ is None else environ
    chosen = policy(environ)
    if chosen.problem:
        log.warning(chosen.problem)
    for name, value in NO_SPIN.items():
        environ.setdefault(name, value)
    if not chosen.adaptive:
        for name in COUNT_VARS:
            environ.setdefault(name, str(chosen.threads))
    return chosen


def apply_limits(threads: int) -> None:
    """Give the libraries already loaded `threads` threads, at run time: BLAS (process-wide), OpenMP (for
    the calling thread and the threads it starts), and torch's intra-op pool when torch is loaded."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=threads)
    except Exception as error:  # threadpoolctl missing or a library it cannot drive: keep the defaults
        log.debug("threadpoolctl: %s", error)
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def _busy_elsewhere_sample(cores: set[int] | None) -> tuple[float, float] | None:
    """(busy CPU seconds of the given cores since boot, idle CPU seconds), from /proc/stat; None off Linux."""
    try:
        with open("/proc/stat") as stat:
            lines = stat.read().splitlines()
    except OSError:
        return None
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    busy = idle = 0.0
    for line in lines:
        if not line.startswith("cpu") or line.startswith("cpu "):
            continue
        name, *fields = line.split()
        if cores is not None and int(name[3:]) not in cores:
            continue
        values = [int(v) for v in fields[:8]]  # user nice system idle iowait irq softirq steal
        idle += values[3] + values[4]
        busy += values[0] + values[1] + values[2] + values[5] + values[6] + values[7]
    return busy / tick, idle / tick


class Adaptive:
    """Chooses a thread count from the cores other processes left free over the last window.

    Busy CPU time of this process's cores, minus this process's own CPU time, is what others use; the rest
    is ours. Called before each batch; the answer changes at most every `SAMPLE_SECONDS`.
    """

    def __init__(self, max_threads: int, sampler=None):
        """`sampler` (for tests) returns (wall seconds, this process's CPU seconds, (busy, idle) CPU seconds of
        its cores or None); the default reads the clocks and /proc/stat."""
        self.max_threads = max_threads
        try:
            self._cores: set[int] | None = set(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            self._cores = None
        self._sample = sampler or self._sample_now
        self._lock = threading.Lock()
        self._last = self._sample()
        self.threads = 1  # until the first window is measured: never oversubscribe a busy machine
        self.others = 0.0

    def _sample_now(self):
        return time.monotonic(), time.process_time(), _busy_elsewhere_sample(self._cores)

    def choose(self) -> int:
        """Threads for the next batch."""
        if self.max_threads == 1:
            return 1
        with self._lock:
            now = self._sample()
            wall = now[0] - self._last[0]
            if wall < SAMPLE_SECONDS:
                return self.threads
            if now[2] is None or self._last[2] is None:  # no /proc/stat: nothing to measure, use every core
                self.threads = self.max_threads
            else:
                busy = (now[2][0] - self._last[2][0]) / wall
                ours = (now[1] - self._last[1]) / wall
                self.others = max(0.0, busy - ours)
                free = len(self._cores or ()) or self.max_threads
                # the free cores, rounded: a browser or a shell at rest leaves a core to us, a busy
                # process (or another encoder) takes one
                self.threads = max(1, min(self.max_threads, math.floor(free - self.others + 0.5)))
            self._last = now
            return self.threads


class ThreadChooser:
    """The thread count for each batch under a policy: fixed, or `Adaptive`."""

    def __init__(self, chosen: Policy | None = None):
        self.policy = chosen or policy()
        self._adaptive = Adaptive(self.policy.max_threads) if self.policy.adaptive else None

    def choose(self) -> int:
        return self._adaptive.choose() if self._adaptive else int(self.policy.threads)
