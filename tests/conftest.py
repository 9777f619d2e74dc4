"""Shared test set-up: the embedding cache lives in a temporary directory, never in the user's home."""

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def embedding_cache_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cx_cache")
    old = os.environ.get("CX_LENS_CACHE")
    os.environ["CX_LENS_CACHE"] = str(path)
    yield path
    if old is None:
        os.environ.pop("CX_LENS_CACHE", None)
    else:
        os.environ["CX_LENS_CACHE"] = old
