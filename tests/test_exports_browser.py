"""Survey-tool exports uploaded in a real browser (Debian's Chromium, internet blocked), as a manager does it:
a Qualtrics UTF-16 Spanish TSV (three header rows), a SurveyMonkey workbook (two header rows) and a Microsoft
Forms workbook in Spanish (the Qualtrics one on every page). The Overview shows the hand-counted NPS and responses of tests/test_exports.py with
no flag set, and the Data page accounts for every row read. Screenshots: tests/artifacts/export_<file>_*.png.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cx.app import registry
from cx.strings import METRICS, UI
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
from tests.test_exports import CASES, EXPORTS, hand_nps

pytestmark = pytest.mark.browser

FILES = ["qualtrics_es_utf16.tsv", "surveymonkey.xlsx", "microsoft_forms_es.xlsx"]


def shown_nps(answers: list[int]) -> str:
    value = round(hand_nps(answers))
    return f"{value:+d}".replace("-", "−") if value else "0"


def test_tool_exports_read_right_in_the_browser(page: Page, app_url: str, artifacts: Path) -> None:  # noqa: F811
    for name in FILES:
        case = CASES[name]
        page.goto(app_url + "/")
        wait_ready(page, "Showing the bundled sample data")
        upload(page, EXPORTS / name)
        wait_ready(page, f"Showing {name}.")
        assert_no_failure(page)
        cards = metric_values(page)
        assert cards[METRICS["responses"]] == f"{case['kept']:,}", (name, cards)
        if case["read"] - case["kept"] == 1:  # one row, said in the singular
            expect(page.get_by_text(UI["rows_not_kept_one"], exact=False)).to_be_visible()
        if "nps" in case:
            assert cards[METRICS["nps"]] == shown_nps(case["nps"]), (name, cards)
        screenshot(page, artifacts / f"export_{Path(name).stem}_overview.png")
        page.get_by_role("link", name=UI["page_data"], exact=True).click()
        wait_ready(page, UI["rows_read"])
        assert_no_failure(page)
        cards = metric_values(page)
        assert cards[UI["rows_read"]] == f"{case['read']:,}", (name, cards)
        assert cards[UI["rows_kept"]] == f"{case['kept']:,}", (name, cards)
        screenshot(page, artifacts / f"export_{Path(name).stem}_data.png")
        if name == FILES[0]:  # every other page on the Qualtrics export: no failure, a title, a screenshot
            for spec in registry.PAGES:
                if spec.id in ("data", "present"):
                    continue
                page.get_by_role("link", name=spec.title, exact=True).click()
                wait_ready(page, spec.title)
                assert_no_failure(page)
                errors = page.locator('[data-testid="stAlertContentError"]')
                assert errors.count() == 0, (spec.id, errors.all_inner_texts())
                screenshot(page, artifacts / f"export_{Path(name).stem}_{spec.id}.png")
