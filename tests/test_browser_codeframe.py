"""The Codeframe page in a real headless Chromium (the server and fixtures of tests/test_browser.py):
save the sample's themes, apply them to the data, and a screenshot for a human to look at."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests import test_browser as shared
from tests.test_browser import assert_no_failure, screenshot, wait_ready

# The server, the browser and the offline guard of tests/test_browser.py (fixtures are found by name).
app_url = shared.app_url
artifacts = shared.artifacts
browser_context_args = shared.browser_context_args
browser_type_launch_args = shared.browser_type_launch_args
offline = shared.offline

pytestmark = pytest.mark.browser


def test_codeframe_save_and_apply(page: Page, app_url: str, artifacts: Path) -> None:
    page.goto(f"{app_url}/codeframe")
    wait_ready(page, "Codeframe", "Save the current themes")
    main = page.get_by_test_id("stMain")
    main.get_by_label("Codeframe name").fill("Quejas 2025")
    main.get_by_label("Codeframe name").press("Enter")
    main.get_by_role("button", name="Save as codeframe").click()
    wait_ready(page, "Saved “Quejas 2025” (version 1)")
    assert "codeframe=Quejas+2025" in page.url or "codeframe=Quejas%202025" in page.url
    main.get_by_test_id("stButtonGroup").get_by_text("Apply to this data", exact=True).click()
    wait_ready(page, "fit a saved theme", "Candidate new themes")
    quotes = main.get_by_test_id("stText").filter(has_text="“")
    expect(quotes.first).to_be_visible()
    screenshot(page, artifacts / "codeframe_apply.png")
    assert_no_failure(page)
    main.get_by_test_id("stButtonGroup").get_by_text("Edit", exact=True).click()
    wait_ready(page, "Example phrases or keywords")
    screenshot(page, artifacts / "codeframe_edit.png")
    assert_no_failure(page)
