"""A batch output folder (`?dataset=`) in a real browser (Debian's Chromium, internet blocked): the Overview
shows BatchSource's figures, Lowest areas ranks its areas; screenshots in tests/artifacts/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from playwright.sync_api import Page, expect

from cx.areas import area_sentence, lowest
from cx.batch.source import BatchSource
from cx.filters import Filters
from cx.tables import fmt_int, fmt_metric
from tests.test_app_dataset import build_batch
from tests.test_browser import (  # noqa: F401 (pytest finds the fixtures by name)
    app_url,
    artifacts,
    assert_no_failure,
    browser_context_args,
    browser_type_launch_args,
    metric_values,
    offline,
    screenshot,
    wait_ready,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def folder(embedding_cache_dir, tmp_path_factory) -> Path:
    return build_batch(tmp_path_factory.mktemp("monthly"), "survey-browser")


def test_a_batch_folder_in_the_browser(page: Page, app_url: str, artifacts: Path, folder: Path) -> None:  # noqa: F811
    source = BatchSource(folder)
    s = source.summarize(Filters())
    page.goto(f"{app_url}/?dataset={quote(str(folder))}")
    wait_ready(page, "Overview", "Showing the batch folder survey-browser", "Lowest areas")
    values = metric_values(page)
    assert values["NPS"] == fmt_metric(s["nps"], "nps") and values["CSAT"] == fmt_metric(s["csat"], "csat")
    assert values["Responses"] == fmt_int(source.rows) and values["Comments"] == fmt_int(s["comments"])
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(f"{source.rows:,} responses")).to_be_visible()
    expect(sidebar.get_by_role("button", name="Back to uploads")).to_be_visible()
    assert_no_failure(page)
    screenshot(page, artifacts / "dataset_overview.png")

    page.get_by_role("link", name="Lowest areas").first.click()
    wait_ready(page, "Lowest areas", "Ranking by impact")
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Lowest areas")
    table = source.area_table(Filters(), source.segments, "nps", depth=2)
    for _, row in lowest(table).iterrows():  # the worst areas, in the library's own sentences
        expect(page.get_by_text("• " + area_sentence(row, "nps"), exact=True)).to_be_visible()
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    assert parse_qs(urlparse(page.url).query).get("dataset") == [str(folder)], (
        page.url
    )  # the link keeps the folder
    assert_no_failure(page)
    screenshot(page, artifacts / "dataset_areas.png")

    page.get_by_role("link", name="Themes", exact=True).click()
    wait_ready(page, "Themes", "Latest comments of this theme")
    assert_no_failure(page)
    screenshot(page, artifacts / "dataset_themes.png")
