"""The thread policy (CX_THREADS): what each library is told, in a fresh process as the CLI and app start."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cx import threads
from cx.threads import Adaptive, configure_environment, policy

ROOT = Path(__file__).resolve().parent.parent


def test_setting_is_auto_by_default_or_a_whole_number():
    auto = policy({})
    assert auto.adaptive and auto.max_threads == threads.cpu_count() and not auto.problem
    assert policy({"CX_THREADS": "auto"}).adaptive
    fixed = policy({"CX_THREADS": " 3 "})
    assert fixed.threads == 3 and fixed.max_threads == 3 and "3 threads" in fixed.describe()


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_bad_setting_says_so_and_falls_back_to_auto(value):
    chosen = policy({"CX_THREADS": value})
    assert chosen.adaptive
    assert f"CX_THREADS='{value}'" in chosen.problem and "using auto" in chosen.problem


def test_environment_stops_spinning_and_fixes_counts_but_keeps_what_the_user_set():
    env = {"CX_THREADS": "2", "OMP_WAIT_POLICY": "ACTIVE"}
    configure_environment(env)
    assert env["OMP_WAIT_POLICY"] == "ACTIVE"  # the user's own choice wins
    assert env["OPENBLAS_THREAD_TIMEOUT"] == "4" and env["KMP_BLOCKTIME"] == "0"
    assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == env["MKL_NUM_THREADS"] == "2"
    auto = {}
    configure_environment(auto)
    assert (
        auto["OMP_WAIT_POLICY"] == "PASSIVE" and "OMP_NUM_THREADS" not in auto
    )  # adaptive: chosen at run time


class Clock:
    """A fake sampler: each step advances the wall clock, our CPU and the busy CPU of a 2-core machine."""

    def __init__(self):
        self.wall = self.ours = self.busy = 0.0

    def __call__(self):
        return self.wall, self.ours, (self.busy, 2 * self.wall - self.busy)

    def run(self, seconds, ours, others):
        self.wall += seconds
        self.ours += ours * seconds
        self.busy += (ours + others) * seconds


def test_adaptive_uses_every_core_when_idle_and_one_beside_a_busy_process(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    clock = Clock()
    chooser = Adaptive(2, sampler=clock)
    assert chooser.choose() == 1  # nothing measured yet: never oversubscribe
    clock.run(0.5, ours=1.0, others=0.1)  # a browser at rest
    assert chooser.choose() == 2
    clock.run(0.1, ours=2.0, others=0.0)
    assert chooser.choose() == 2  # a window under SAMPLE_SECONDS keeps the last answer
    clock.run(0.5, ours=1.0, others=1.0)  # another encoder or a busy process
    assert chooser.choose() == 1
    assert chooser.others == pytest.approx(0.5 / 0.6, abs=0.02)  # the short window counts in the next one
    clock.run(0.5, ours=1.0, others=0.0)  # it finished
    assert chooser.choose() == 2


def test_adaptive_without_proc_stat_uses_every_core():
    chooser = Adaptive(4, sampler=lambda: (time.monotonic(), 0.0, None))
    time.sleep(threads.SAMPLE_SECONDS + 0.05)
    assert chooser.choose() == 4


@pytest.mark.skipif(
    not Path("/proc/stat").exists() or threads.cpu_count() < 2, reason="needs Linux, 2+ cores"
)
def test_adaptive_leaves_a_core_to_a_real_busy_process():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        chooser = Adaptive(threads.cpu_count())
        time.sleep(0.6)
        assert chooser.choose() < threads.cpu_count()
        assert chooser.others >= 0.5
    finally:
        busy.kill()
        busy.wait()


PROBE = """
import json, os
from cx.embed import get_embedder
from threadpoolctl import threadpool_info
use = get_embedder("multilingual")
use.embed(["el envío llegó tarde", "my card never arrived"])
minilm = get_embedder("minilm")
if os.environ.get("PROBE_MINILM"):
    minilm.embed(["my card never arrived"])
import torch
blas = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas" and "numpy" in i["filepath"]]
print(json.dumps({
    "use": use.threads, "use_backend": use.inner._model._backend.threads, "minilm": minilm.threads,
    "torch": torch.get_num_threads(), "interop": torch.get_num_interop_threads(), "blas": blas,
    "env": {k: os.environ.get(k) for k in ("OMP_WAIT_POLICY", "OPENBLAS_THREAD_TIMEOUT", "OMP_NUM_THREADS")},
}))
"""


def probe(setting: str | None, minilm: bool = False) -> dict:
    """Start a fresh process as the CLI does (cx imported before numpy), embed with both models, report."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("CX_THREADS", "OMP_WAIT_POLICY", "OMP_NUM_THREADS")
    }
    env.pop("OPENBLAS_THREAD_TIMEOUT", None)
    if setting is not None:
        env["CX_THREADS"] = setting
    if minilm:
        env["PROBE_MINILM"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_one_thread_setting_reaches_every_library_and_nothing_spins():
    seen = probe("1", minilm=True)
    assert seen["use"] == seen["use_backend"] == seen["minilm"] == 1  # one worker, one thread
    assert seen["torch"] == 1 and seen["interop"] == 1 and seen["blas"] == [1]
    assert seen["env"] == {
        "OMP_WAIT_POLICY": "PASSIVE",
        "OPENBLAS_THREAD_TIMEOUT": "4",
        "OMP_NUM_THREADS": "1",
    }


def test_default_is_adaptive_within_the_cores_and_nothing_spins():
    seen = probe(None)
    assert 1 <= seen["use"] <= threads.cpu_count()  # workers at once, chosen by the adaptive policy
    assert seen["use_backend"] == 1 and seen["blas"] == [1]  # each batch single-threaded: nothing to spin
    assert seen["env"] == {
        "OMP_WAIT_POLICY": "PASSIVE",
        "OPENBLAS_THREAD_TIMEOUT": "4",
        "OMP_NUM_THREADS": None,
    }
