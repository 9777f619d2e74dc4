"""The interface language in a real browser: the browser's locale chooses it, `?lang=` overrides it, and
the address bar keeps it (screenshots in tests/artifacts/). Run with `pytest -m browser tests/test_i18n_browser.py`."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, expect

from tests.test_browser import (  # noqa: F401  (fixtures: the server, Chromium's launch arguments)
    ROOT,
    VIEWPORT,
    app_url,
    artifacts,
    block_internet,
    browser_type_launch_args,
    screenshot,
    wait_ready,
)

pytestmark = pytest.mark.browser


def open_app(browser: Browser, url: str, locale: str):
    context = browser.new_context(locale=locale, viewport=VIEWPORT)
    attempted = block_internet(context)
    page = context.new_page()
    page.goto(url)
    return context, page, attempted


def lang_of(url: str) -> list[str]:
    return parse_qs(urlparse(url).query).get("lang", [])


def test_a_spanish_browser_gets_spanish_and_the_link_keeps_it(
    browser: Browser,
    app_url: str,  # noqa: F811  (the fixture imported above)
    artifacts: Path,  # noqa: F811
):
    context, page, attempted = open_app(browser, app_url + "/", "es-ES")
    wait_ready(
        page, "Resumen", "Se muestran los datos de ejemplo incluidos", "respuestas cumplen los filtros"
    )
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("IC 95 %").first).to_be_visible()
    expect(main.get_by_text("Promotores, pasivos y detractores")).to_be_visible()
    expect(main.get_by_text("Overview")).to_have_count(0)
    assert lang_of(page.url) == ["es"]  # a link copied from here opens in Spanish anywhere
    screenshot(page, artifacts / "overview_es.png")
    shutil.copyfile(artifacts / "overview_es.png", ROOT / "docs" / "overview_es.png")
    context.close()
    assert not attempted


def test_lang_in_the_link_wins_over_the_browser(
    browser: Browser,
    app_url: str,  # noqa: F811
    artifacts: Path,  # noqa: F811
):
    context, page, attempted = open_app(browser, app_url + "/trends?lang=gl", "en-US")
    wait_ready(page, "Tendencias", "Amósanse os datos de exemplo incluídos")
    expect(page.get_by_test_id("stMain").get_by_text("Banda sombreada").first).to_be_visible()
    assert lang_of(page.url) == ["gl"]
    screenshot(page, artifacts / "trends_gl.png")
    context.close()
    assert not attempted
