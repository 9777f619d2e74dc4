"""Shared test set-up: the embedding cache and the store (CX_HOME) live in temporary directories, never in
the user's home."""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def embedding_cache_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cx_cache")
    home = tmp_path_factory.mktemp("cx_home")  # the store (uploads database) of every test
    old = {name: os.environ.get(name) for name in ("CX_LENS_CACHE", "CX_HOME", "CX_LANG")}
    os.environ["CX_LENS_CACHE"] = str(path)
    os.environ["CX_HOME"] = str(home)
    os.environ["CX_LANG"] = "en"  # tests read English whatever the machine's locale (cx/i18n.py)
    yield path
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
