"""The What changed page in a real browser (Debian's Chromium): it renders, its chart draws, settings travel."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from cx.changes import compare, default_periods
from cx.io import read_file
from cx.schema import build_dataset
from tests.test_browser import (  # noqa: F401 (pytest finds the fixtures by name)
    SAMPLE,
    app_url,
    artifacts,
    assert_no_failure,
    browser_context_args,
    browser_type_launch_args,
    offline,
    screenshot,
    wait_ready,
)

pytestmark = pytest.mark.browser


def test_what_changed_page_in_the_browser(page: Page, app_url: str, artifacts: Path) -> None:  # noqa: F811
    data = build_dataset(read_file(SAMPLE))
    expected = compare(data.frame, *default_periods(data.frame), "nps", data.roles.segments_in(data.frame))
    page.goto(f"{app_url}/changes")
    wait_ready(page, "What changed", "Where it came from", "Alerts")
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("What changed")
    expect(page.get_by_text(expected.sentence, exact=True)).to_be_visible()
    expect(page.get_by_text("Key drivers", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(3)  # parts, drivers, alerts
    screenshot(page, artifacts / "changes.png")
    assert_no_failure(page)
    page.get_by_test_id("stMain").get_by_test_id("stButtonGroup").get_by_text("Quarter", exact=True).click()
    wait_ready(page, "2026-Q1")
    assert_no_failure(page)
    query = parse_qs(urlparse(page.url).query)
    assert query.get("changes.kind") == ["quarter"]
