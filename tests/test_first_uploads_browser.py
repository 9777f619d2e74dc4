"""The files people upload first, on every page, in a real browser (Debian's Chromium, internet blocked):
text only, text with a sentiment column, dated text without scores, scores without text, one row.

Each file is uploaded through the file chooser like a user does; every page (and the presentation's
headline and What-changed slides) must render with no exception box and no error alert, and say something
true about the file. Screenshots go to tests/artifacts/first_<file>_<page>.png for a human to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from cx.app import registry
from cx.io import read_bytes
from cx.metrics import summarize
from cx.schema import build_dataset
from cx.strings import METRICS, UI
from cx.tables import fmt_nps, fmt_pct
from tests.test_browser import (  # noqa: F401 (pytest finds the fixtures by name)
    app_url,
    artifacts,
    assert_no_failure,
    browser_context_args,
    browser_type_launch_args,
    metric_values,
    offline,
    screenshot,
    upload,
    wait_ready,
)
from tests.test_pages import FILES

pytestmark = pytest.mark.browser

CASES = ["text_only", "text_sentiment", "dated_text", "scores_only", "one_row"]
NAV = [p for p in registry.PAGES if p.id not in ("overview", "present")]  # Overview first, Present last


def no_error(page: Page, where: str) -> None:
    """No exception box, no error alert, no traceback text."""
    assert_no_failure(page)
    errors = page.locator('[data-testid="stAlertContentError"]')
    assert errors.count() == 0, (where, errors.all_inner_texts())


def true_overview(page: Page, case: str) -> None:
    """The Overview's headline says what this file holds, computed here from the same file."""
    dataset = build_dataset(read_bytes(FILES[case], f"{case}.csv"))
    s = summarize(dataset.frame, 30)
    cards = metric_values(page)
    assert cards[METRICS["responses"]] == f"{s['n']:,}", cards
    assert cards[METRICS["comments"]] == f"{s['comments']:,}", cards
    if case in ("text_only", "dated_text"):  # estimated: named as an estimate, never as a fact
        assert cards[METRICS["sentiment_likely"]] == fmt_pct(s["sentiment"]), cards
        assert METRICS["nps"] not in cards and METRICS["sentiment"] not in cards
    elif case == "text_sentiment":
        assert cards[METRICS["sentiment"]] == fmt_pct(s["sentiment"]), cards
        expect(page.get_by_text("• hotel Mar: ", exact=False)).to_be_visible()  # the most negative hotel
    elif case == "scores_only":
        assert cards[METRICS["nps"]] == fmt_nps(s["nps"]) and cards[METRICS["csat"]] == fmt_pct(s["csat"])
        assert METRICS["sentiment_likely"] not in cards
        expect(page.get_by_text(UI["overview_no_comments"], exact=True)).to_be_visible()
    else:  # one row: a number, and a plain word that it is too few to rely on
        assert cards[METRICS["nps"]] == "+100", cards
        expect(page.get_by_text("n < 30", exact=False).first).to_be_visible()


def test_first_uploads_on_every_page(page: Page, app_url: str, artifacts: Path, tmp_path: Path) -> None:  # noqa: F811
    for case in CASES:
        path = tmp_path / f"{case}.csv"
        path.write_bytes(FILES[case])
        page.goto(app_url + "/")
        wait_ready(page, "Showing the bundled sample data")
        upload(page, path)
        wait_ready(page, f"Showing {case}.csv.")
        no_error(page, f"{case}: overview")
        true_overview(page, case)
        screenshot(page, artifacts / f"first_{case}_overview.png")
        for spec in NAV:
            page.get_by_role("link", name=spec.title, exact=True).click()
            wait_ready(page, spec.title)
            expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(spec.title)
            no_error(page, f"{case}: {spec.id}")
            if case == "text_only" and spec.id in ("themes", "changes"):  # a few to look at, not all
                screenshot(page, artifacts / f"first_{case}_{spec.id}.png")
            if case == "scores_only" and spec.id == "themes":  # no comments: it says so, plainly
                expect(
                    page.get_by_test_id("stMain").get_by_text("no comments", exact=False).first
                ).to_be_visible()
        # The presentation from the Export page's link (same data, same view): headline and What changed.
        href = page.get_by_role("link", name=UI["present_open"]).get_attribute("href")
        page.goto(urljoin(page.url, href))
        wait_ready(page, METRICS["responses"])
        no_error(page, f"{case}: present")
        page.get_by_test_id("stButtonGroup").get_by_text(UI["present_slide_changes"], exact=True).click()
        wait_ready(page, UI["present_slide_changes"])
        no_error(page, f"{case}: present, what changed")
        main = page.get_by_test_id("stMain")
        if case == "text_only":  # no dates: it says why there is nothing to compare
            expect(main.get_by_text(UI["no_dates"], exact=True)).to_be_visible()
        if case == "dated_text":  # the last complete month against the one before, the estimate named
            expect(main.get_by_text(f"{METRICS['sentiment_likely']} · 2024-11", exact=True)).to_be_visible()
        screenshot(page, artifacts / f"first_{case}_present_changes.png")
