"""Installed like a user installs it: a wheel of the project in a fresh virtual environment, `cxlens` run
from a directory that is not the repository.

The fresh environment reuses this environment's packages through a .pth file (installing torch again
would take minutes), and gets the project itself only from the wheel (`--no-deps`).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import site
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import venv
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from cx.__main__ import STREAMLIT_OPTIONS, app_command

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = "cx/data/sample_survey.csv"


def _setuptools_can_build() -> bool:
    """setuptools >= 70.1 here (it builds wheels by itself): build without fetching it from an index."""
    if importlib.util.find_spec("setuptools") is None:
        return False
    from importlib.metadata import version

    major, minor = (int(x) for x in version("setuptools").split(".")[:2])
    return (major, minor) >= (70, 1)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built the way `pip install .` builds one, from a copy (the checkout stays clean)."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "cx", src / "cx", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    isolation = ["--no-build-isolation"] if _setuptools_can_build() else []
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-w", str(work / "dist"), str(src)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = (work / "dist").glob("cx_lens-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its bin/ (Scripts\\ on Windows) folder."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = next(p for p in (env_dir / "bin" / "python", env_dir / "Scripts" / "python.exe") if p.exists())
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The dependencies: this environment's site-packages, after the venv's own (where cx will be).
    Path(purelib, "_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return python.parent


def _user_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _run(args, cwd, check=True) -> subprocess.CompletedProcess:
    result = subprocess.run(list(map(str, args)), capture_output=True, text=True, cwd=cwd, env=_user_env())
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_wheel_holds_every_file_under_cx(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    in_tree = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "cx").rglob("*")
        if path.is_file() and path.suffix != ".pyc" and "__pycache__" not in path.parts
    }
    assert SAMPLE in in_tree
    assert in_tree - names == set()
    if (ROOT / "cx" / "app").is_dir():  # the dashboard: its entry script and its pages
        assert "cx/app/streamlit_app.py" in names
        assert any(n.startswith("cx/app/views/") and n.endswith(".py") for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "cxlens = cx.__main__:main" in zipfile.ZipFile(wheel).read(meta).decode()


def test_dependencies_are_the_runtime_pins_of_requirements_txt(wheel):
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    runtime = lines[: next(i for i, line in enumerate(lines) if line.startswith("# Tests"))]
    pins = [line for line in runtime if line and not line.startswith("#")]
    meta = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/METADATA"))
    text = zipfile.ZipFile(wheel).read(meta).decode()
    required = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Requires-Dist: ")]
    required = [r for r in required if "extra ==" not in r]
    assert required == pins
    assert required[0] == "torch==2.13.0"


def test_fresh_venv_runs_cxlens_from_another_directory(installed, tmp_path):
    cxlens = installed / "cxlens"
    python = installed / "python"
    found = _run([python, "-c", "import cx, pathlib; print(pathlib.Path(cx.__file__).parent)"], tmp_path)
    package = Path(found.stdout.strip())
    assert installed.parent in package.parents  # the wheel's copy, not the checkout
    sample = package / "data" / "sample_survey.csv"

    help_text = _run([cxlens, "--help"], tmp_path).stdout
    assert help_text.startswith("usage: cxlens")
    for command in ("app", "inspect", "metrics", "themes", "export"):
        assert command in help_text
    report = json.loads(_run([cxlens, "inspect", sample], tmp_path).stdout)
    assert report["rows_read"] == len(pd.read_csv(ROOT / SAMPLE)) and report["rows_rejected"] == 0
    assert report["roles"]["nps"] == "nps"
    assert json.loads(_run([python, "-m", "cx", "inspect", sample], tmp_path).stdout) == report

    missing = _run([cxlens, "inspect", "no-such-file.csv"], tmp_path, check=False)
    assert missing.returncode == 2 and missing.stderr.startswith("error:")
    assert "Traceback" not in missing.stderr


def test_app_flags_are_the_settings_of_streamlit_config_toml(tmp_path):
    with open(ROOT / ".streamlit" / "config.toml", "rb") as f:
        wanted = {f"{section}.{k}": v for section, opts in tomllib.load(f).items() for k, v in opts.items()}
    assert STREAMLIT_OPTIONS == wanted
    # Streamlit itself, in a folder without .streamlit/, reads the flags back as those settings.
    command = app_command([])
    flags = command[command.index("run") + 2 :]
    shown = _run([sys.executable, "-m", "streamlit", "config", "show", *flags], tmp_path).stdout
    effective = tomllib.loads(shown[shown.index("\n[") :])
    hidden = []
    for key, value in wanted.items():
        section, option = key.split(".")
        if option not in effective.get(section, {}):  # `config show` leaves out hidden options
            hidden.append(key)
            continue
        assert effective[section][option] == value, key
    assert hidden == ["runner.postScriptGC"]


def test_the_server_skips_the_full_garbage_collection_after_every_page_run(tmp_path):
    # Streamlit's default runs gc.collect(2) after each run, holding the GIL about as long as the run itself:
    # ten sessions opening a link at once waited on nine collections (issue 18). Off in the checkout's
    # config and in the flags of `cxlens app`, and Streamlit reads both as off.
    assert STREAMLIT_OPTIONS["runner.postScriptGC"] is False
    read = "from streamlit import config; print(config.get_option('runner.postScriptGC'))"
    assert _run([sys.executable, "-c", read], ROOT).stdout.strip() == "False"
    command = app_command([])
    flags = command[command.index("run") + 2 :]
    assert "--runner.postScriptGC=false" in flags


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cxlens_app_serves_the_dashboard_from_another_directory(installed, wheel, tmp_path):
    has_app = "cx/app/streamlit_app.py" in zipfile.ZipFile(wheel).namelist()
    if has_app:
        command, env = [installed / "cxlens", "app"], _user_env()
    else:
        # Until cx/app/ exists the installed package has no dashboard: say so plainly...
        result = _run([installed / "cxlens", "app"], tmp_path, check=False)
        assert result.returncode == 2
        assert result.stderr.startswith("error: the dashboard is not part of this installation")
        # ...and a checkout's `python -m cx app` falls back to its app.py.
        command, env = [sys.executable, "-m", "cx", "app"], {**_user_env(), "PYTHONPATH": str(ROOT)}
    port = _free_port()
    server = subprocess.Popen(
        [*map(str, command), f"--server.port={port}"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                    assert r.read() == b"ok"
                    break
            except OSError:
                assert time.monotonic() < deadline, "the dashboard did not start within 30 s"
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200 and b'id="root"' in r.read()
    finally:
        server.terminate()
        server.wait(timeout=10)
