"""The one page registry: id, title, icon and file of every page (the URL path is the id)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cx.strings import UI

VIEWS = Path(__file__).resolve().parent / "views"
ASSETS = Path(__file__).resolve().parent / "assets"


@dataclass(frozen=True)
class PageSpec:
    id: str
    title: str
    icon: str

    @property
    def path(self) -> Path:
        return VIEWS / f"{self.id}.py"


PAGES = [
    PageSpec("overview", UI["page_overview"], ":material/dashboard:"),
    PageSpec("trends", UI["page_trends"], ":material/show_chart:"),
    PageSpec("segments", UI["page_segments"], ":material/grid_view:"),
    PageSpec("areas", UI["page_areas"], ":material/trending_down:"),
    PageSpec("changes", UI["page_changes"], ":material/compare_arrows:"),
    PageSpec("themes", UI["page_themes"], ":material/forum:"),
    PageSpec("codeframe", UI["page_codeframe"], ":material/bookmarks:"),
    PageSpec("data", UI["page_data"], ":material/table_view:"),
    PageSpec("export", UI["page_export"], ":material/download:"),
    PageSpec("present", UI["page_present"], ":material/slideshow:"),
]
BY_ID = {p.id: p for p in PAGES}
# The page files that also draw a batch folder (`?dataset=`, through cx/app/figures.py); the others are drawn
# by cx/app/dataset_pages.py for a folder (a page of their own, or why they need the rows in memory).
SAME_FOR_DATASETS = frozenset({"overview", "trends", "segments", "areas"})


def page(page_id: str) -> PageSpec:
    return BY_ID[page_id]
