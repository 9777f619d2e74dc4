"""End-to-end checks in a real headless Chromium against `streamlit run app.py`.

One Streamlit server is started for the module; every test gets a fresh browser context (so a fresh
Streamlit session). Screenshots go to tests/artifacts/ (git-ignored) for a human to look at.

Run: python -m pytest tests/test_browser.py -q   (or deselect with -m "not browser")
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pandas as pd
import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from cx.store import sha256
from cx.strings import UI

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1400, "height": 1000}
SERVER_START_TIMEOUT_S = 60
READY_TIMEOUT_MS = 45_000

# What the app shows instead of a traceback (client.showErrorDetails = "none" and app.py's catch-all).
FAILURE_TEXTS = ("Traceback", "Something went wrong", "This upload could not be used")

if not Path(CHROMIUM).exists():  # no downloads here: the system Chromium is the only browser
    pytest.skip(f"{CHROMIUM} not found", allow_module_level=True)


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free port; yields its base URL (no trailing slash)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("streamlit") / "server.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _healthy(url):
                if server.poll() is not None or time.monotonic() > deadline:
                    why = f"exited with {server.returncode}" if server.poll() is not None else "timed out"
                    pytest.fail(f"Streamlit did not become healthy ({why}):\n{log_path.read_text()}")
                time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """pytest-playwright: launch Debian's Chromium (no `playwright install` here)."""
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": VIEWPORT}


def block_internet(context: BrowserContext) -> list[str]:
    """Let the browser reach this machine only; returns the list of every other request it attempted."""
    attempted: list[str] = []

    def handle(route: Route) -> None:
        url = urlparse(route.request.url)
        if url.scheme in ("data", "blob", "file") or url.hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return attempted


@pytest.fixture(autouse=True)
def offline(context: BrowserContext) -> Iterator[list[str]]:
    """Every test runs with the internet blocked, and fails if the app tried to reach it (icon, fonts...)."""
    attempted = block_internet(context)
    yield attempted
    assert not attempted, f"requests that would leave the machine: {attempted}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------


def wait_ready(page: Page, *texts: str, timeout: int = READY_TIMEOUT_MS) -> None:
    """The app is connected, each of `texts` is on the page, the script has finished and the DOM is settled.

    The texts come first: after an upload, the previous run's page is still there (and reads as finished)
    until the rerun starts, so only text that the new run writes proves that it has happened.
    """
    app = page.get_by_test_id("stApp")
    expect(app).to_be_visible(timeout=timeout)
    main = page.get_by_test_id("stMain")
    for text in texts:
        expect(main.get_by_text(text, exact=False).first).to_be_visible(timeout=timeout)
    # Streamlit marks the script state on stApp (initial → running → notRunning).
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    # The header's "Running..." widget (absent with toolbarMode = "minimal" in 1.67, checked in case).
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout)
    # Placeholders and elements left over from the previous run (marked stale) must be gone.
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout)
    # Elements (charts especially) mount a little after the script ends: wait until the page stops
    # changing, then until every Vega-Lite chart has drawn its canvas.
    page.wait_for_function(
        """() => {
            const sig = document.querySelectorAll('[data-testid]').length + ':'
                + document.querySelectorAll('[data-testid="stVegaLiteChart"] canvas, '
                    + '[data-testid="stVegaLiteChart"] svg').length;
            const now = Date.now();
            if (window.__cxSig !== sig) { window.__cxSig = sig; window.__cxSince = now; return false; }
            return now - window.__cxSince > 600;
        }""",
        polling=100,
        timeout=timeout,
    )
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                 .every(c => c.querySelector('canvas, svg'))""",
        timeout=timeout,
    )


def screenshot(page: Page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its own containers, so `full_page` alone stops at the fold.

    The viewport is made as tall as the tallest scrolling container for the shot, then put back.
    """
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight, ...[
            '[data-testid="stMain"]', '[data-testid="stAppViewContainer"]',
            '[data-testid="stSidebarContent"]', '[data-testid="stSidebarUserContent"]',
        ].map(s => document.querySelector(s)?.scrollHeight ?? 0))"""
    )
    page.set_viewport_size(
        {"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], min(height, 12_000))}
    )
    page.wait_for_timeout(500)  # let Vega re-lay out and redraw at the new size
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size(VIEWPORT)


def assert_no_failure(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    body = page.locator("body").inner_text()
    for text in FAILURE_TEXTS:
        assert text not in body, f"page shows {text!r}:\n{body}"


def metric_values(page: Page) -> dict[str, str]:
    """{label: value} of the st.metric tiles on the page."""
    values = {}
    for tile in page.get_by_test_id("stMetric").all():
        label = tile.get_by_test_id("stMetricLabel").inner_text().strip()
        values[label] = tile.get_by_test_id("stMetricValue").inner_text().strip()
    return values


def fmt_nps(value: float) -> str:
    return f"{value:+.0f}"


def fmt_pct(value: float) -> str:
    return f"{value:.0f} %"


def sample_expectations() -> dict[str, str]:
    """NPS, CSAT (top two boxes of 1–5) and counts of the bundled sample, computed from the CSV by hand.

    The sample is clean (every row is kept), so the definitions apply to the raw rows directly.
    """
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    nps = [int(r["nps"]) for r in rows if r["nps"].strip()]
    csat = [int(r["csat"]) for r in rows if r["csat"].strip()]
    promoters, detractors = sum(v >= 9 for v in nps), sum(v <= 6 for v in nps)
    return {
        "NPS": fmt_nps(100 * (promoters - detractors) / len(nps)),
        "CSAT": fmt_pct(100 * sum(v >= 4 for v in csat) / len(csat)),
        "Responses": f"{len(rows):,}",
        "Comments": f"{sum(bool(r['comment'].strip()) for r in rows):,}",
    }


# A Spanish survey-tool export: ';'-separated, Windows-1252, CRLF, day-first dates, accented headers.
SPANISH_NAME = "encuesta_otoño_2025.csv"
SPANISH_COMMENTS = [
    "Atención excelente, el técnico resolvió todo en el acto.",
    "La app va muy rápida y es fácil de usar.",
    "Me cobraron 5 € de más en la factura de octubre.",
    "Esperé 40 minutos al teléfono; pésimo servicio.",
    "El señor de la tienda fue muy amable con mi niña.",
    "¿Por qué tarda tanto la devolución? Tres semanas ya.",
    "Todo correcto, aunque la web da errores de vez en cuando.",
    "¡Genial! Volveré a comprar sin duda.",
    "No entiendo la nueva tarifa, nadie me lo explicó.",
    "La cobertura en Cataluña es mejorable.",
]
SPANISH_REGIONS = ["Andalucía", "Cataluña", "Madrid", "Castilla y León"]


def spanish_export(path: Path) -> dict[str, str]:
    """Write the export and return what the Overview must show for it.

    40 rows: 20 promoters (9/10), 10 passives (7/8), 10 detractors (0–6) → NPS = 100·(20 − 10)/40 = +25.
    CSAT 1–5: promoters 4/5 (20 satisfied), passives 6×4 and 4×3 (6 satisfied), detractors 1–3 (none)
    → 26/40 = 65 %. Every fourth row has no comment → 30 comments.
    """
    nps = [9, 10] * 10 + [7, 8] * 5 + [0, 2, 3, 4, 5, 6, 6, 5, 3, 1]
    csat = [5, 4] * 10 + [4] * 6 + [3] * 4 + [1, 2, 3, 1, 2, 3, 2, 1, 3, 2]
    rows = [["id", "fecha", "recomendación", "satisfacción", "comentario", "región"]]
    for i in range(40):
        day, month = 13 + i % 16, 10 + i % 3  # days 13–28: unambiguously day-first, e.g. 22/10/2025
        comment = "" if i % 4 == 3 else SPANISH_COMMENTS[i % len(SPANISH_COMMENTS)]
        region = SPANISH_REGIONS[i % len(SPANISH_REGIONS)]
        rows.append([f"ES-{i + 1:04d}", f"{day:02d}/{month:02d}/2025", nps[i], csat[i], comment, region])
    # csv quotes the comment that contains ';', as survey tools do.
    with path.open("w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows)

    promoters, detractors = sum(v >= 9 for v in nps), sum(v <= 6 for v in nps)
    assert (promoters, detractors, len(nps)) == (20, 10, 40)
    return {
        "NPS": fmt_nps(100 * (promoters - detractors) / len(nps)),  # +25
        "CSAT": fmt_pct(100 * sum(v >= 4 for v in csat) / len(csat)),  # 65 %
        "Responses": "40",
        "Comments": "30",
    }


# --------------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------------


def test_sample_overview(page: Page, app_url: str, artifacts: Path) -> None:
    expected = sample_expectations()
    page.goto(app_url + "/")
    wait_ready(page, "Overview", "Showing the bundled sample data", expected["Responses"])

    expect(page.get_by_test_id("stMetric")).to_have_count(4)
    values = metric_values(page)
    assert values == expected, values
    expect(page.get_by_test_id("stMain").get_by_text("95 % interval").first).to_be_visible()
    expect(page.get_by_test_id("stMain").get_by_text(f"n = {expected['Responses']}").first).to_be_visible()
    assert_no_failure(page)
    screenshot(page, artifacts / "overview_sample.png")


def test_upload_spanish_export(page: Page, app_url: str, artifacts: Path, tmp_path: Path) -> None:
    path = tmp_path / SPANISH_NAME
    expected = spanish_export(path)
    page.goto(app_url + "/")
    wait_ready(page, "Showing the bundled sample data")

    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("stFileUploaderDropzone").click()
    chooser.value.set_files(path)

    wait_ready(page, f"Showing {SPANISH_NAME}.", "40 of 40 responses")
    expect(page.get_by_test_id("stMetricValue").first).to_have_text(expected["NPS"])
    values = metric_values(page)
    assert values == expected, values
    # Dates were read (day-first), so the Overview draws the monthly trend.
    expect(page.get_by_test_id("stMain").get_by_text(UI["trend_title"])).to_be_visible()
    # The uploader lists the file (its visible name is shortened; the remove button has it in full).
    expect(page.get_by_role("button", name=f"Remove {SPANISH_NAME}")).to_be_visible()
    assert_no_failure(page)
    screenshot(page, artifacts / "overview_upload.png")


@pytest.mark.parametrize(
    ("slug", "title", "marker", "charts"),
    [
        ("trends", "Trends", "Showing the bundled sample data", True),
        ("segments", "Segments", "Showing the bundled sample data", True),
        ("data", "Data & columns", "Kept rows", False),
        ("themes", "Themes", "Representative parts", True),
        ("areas", "Lowest areas", "Ranking by impact", True),
    ],
)
def test_pages_render(
    page: Page, app_url: str, artifacts: Path, slug: str, title: str, marker: str, charts: bool
) -> None:
    page.goto(f"{app_url}/{slug}")
    wait_ready(page, title, marker)
    heading = page.get_by_test_id("stMain").locator("h1")
    expect(heading).to_have_text(title)
    screenshot(page, artifacts / f"{slug}.png")
    assert_no_failure(page)
    if charts:
        chart = page.get_by_test_id("stVegaLiteChart").first  # what st.altair_chart renders in 1.67
        expect(chart.locator("canvas, svg").first).to_be_visible()


def test_themes_page_quotes_and_theme_filter(page: Page, app_url: str, artifacts: Path) -> None:
    page.goto(f"{app_url}/themes")
    wait_ready(page, "Themes", "Representative parts")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("comments grouped into").first).to_be_visible()
    quotes = main.locator('[data-testid="stText"]:visible').filter(
        has_text="“"
    )  # not the folded Other bucket
    expect(quotes.first).to_be_visible()
    assert quotes.count() >= 3
    main.get_by_role("button", name="Filter the whole app to this theme").click()
    wait_ready(page, "Themes", "Filter: theme")
    expect(page.get_by_test_id("stSidebar").get_by_text("Theme filter:")).to_be_visible()
    expect(main.get_by_text("of 4,120 responses match the filters").first).to_be_visible()
    screenshot(page, artifacts / "themes_filtered.png")
    assert_no_failure(page)


def test_shared_link_export_and_report(page: Page, app_url: str, artifacts: Path, tmp_path: Path) -> None:
    """A link with filters reopens the view; the export has exactly those rows; the report renders."""
    df = pd.read_csv(SAMPLE)
    keep = df[(df["region"] == "North") & df["csat"].isin([1, 2])]
    page.goto(f"{app_url}/export?data=sample&seg.region=North&csat=1&csat=2")
    wait_ready(page, "Export & report", f"{len(keep):,} of 4,120 responses match the filters")
    main = page.get_by_test_id("stMain")
    with page.expect_download(timeout=90_000) as download:  # built on click: slow on 2 busy cores
        main.get_by_role("button", name="Download CSV").click()
    path = tmp_path / "rows.csv"
    download.value.save_as(path)
    rows = pd.read_csv(path, encoding="utf-8-sig")
    assert list(rows["response_id"]) == list(keep["response_id"])
    assert {"nps_group", "csat_satisfied", "is_complaint", "language", "theme_id", "theme_label"} <= set(
        rows.columns
    )
    with page.expect_download(timeout=90_000) as download:  # built on click: slow on 2 busy cores
        main.get_by_role("button", name="Download report (HTML)").click()
    report = tmp_path / "report.html"
    download.value.save_as(report)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(report.as_uri())
    for heading in ("Headline", "NPS by month", "Lowest areas", "Top complaint themes"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("region: North; CSAT: 1, 2")).to_be_visible()
    page.screenshot(path=str(artifacts / "report.png"), full_page=True)
    page.pdf(path=str(artifacts / "report.pdf"), format="A4")  # what "print" gives a reader
    assert not dialogs


def test_presentation_mode(page: Page, app_url: str, artifacts: Path) -> None:
    page.goto(f"{app_url}/present?present=1&data=sample&seg.channel=Phone")
    wait_ready(page, "Responses")
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    expect(page.get_by_role("link", name="Trends")).to_have_count(0)  # no navigation while presenting
    screenshot(page, artifacts / "present_headline.png")
    for slide, marker, name in [
        ("Trend", "Trend by month", "trend"),
        ("Lowest areas", "Lowest areas", "areas"),
    ]:
        page.get_by_test_id("stButtonGroup").get_by_text(slide, exact=True).click()
        wait_ready(page, marker)
        screenshot(page, artifacts / f"present_{name}.png")
        assert_no_failure(page)
        expect(page.get_by_role("link", name="Trends")).to_have_count(0)  # still presenting after a click
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")


CORPUS = ROOT / "tests" / "data" / "corpus"


def upload(page: Page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_test_id("stFileUploaderDropzone").click()
    chooser.value.set_files(path)


def test_markup_in_comments_columns_and_values_never_runs(page: Page, app_url: str, artifacts: Path) -> None:
    """xss.csv has <script>, <img onerror>, <svg onload>, Markdown links and tags in comments, in a column
    name and in segment values. Visit every page: nothing may run, and the payload shows as text."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app_url + "/")
    wait_ready(page, "Showing the bundled sample data")
    upload(page, CORPUS / "xss.csv")
    wait_ready(page, "Showing xss.csv.", "40 of 40 responses")
    sidebar = page.get_by_test_id("stSidebar")
    expect(
        sidebar.get_by_text('<img src=x onerror="window.__xss=1;alert(9)">')
    ).to_be_visible()  # a label, as text
    for slug, title in [
        ("trends", "Trends"),
        ("segments", "Segments"),
        ("areas", "Lowest areas"),
        ("themes", "Themes"),
        ("data", "Data & columns"),
        ("export", "Export & report"),
        ("", "Overview"),
    ]:
        page.get_by_role("link", name=title, exact=True).click()
        wait_ready(page, title)
        if slug == "themes":
            wait_ready(page, "Representative parts")
            quotes = page.get_by_test_id("stMain").get_by_test_id("stText").filter(has_text="“<")
            expect(quotes.first).to_be_visible()  # comments with tags are shown, as text
        screenshot(page, artifacts / f"xss_{slug or 'overview'}.png")
        assert page.evaluate("() => window.__xss") is None, f"payload ran on {title}"
        assert page.locator("script:has-text('__xss'), img[onerror], svg[onload]").count() == 0
        assert not dialogs, (title, dialogs)


def test_two_sessions_see_only_their_own_data(browser, app_url: str, tmp_path: Path) -> None:
    """Two people upload different files at the same time on one server: each sees only their own numbers."""
    first, second = browser.new_context(viewport=VIEWPORT), browser.new_context(viewport=VIEWPORT)
    blocked = [block_internet(first), block_internet(second)]
    a, b = first.new_page(), second.new_page()
    files = {
        "alpha.csv": "nps,comment\n" + "10,great\n" * 30 + "0,awful\n" * 10,  # NPS +50, 40 responses
        "beta.csv": "nps,comment\n" + "0,bad\n" * 21,  # NPS −100, 21 responses
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    for p in (a, b):
        p.goto(app_url + "/")
    for p in (a, b):
        wait_ready(p, "Showing the bundled sample data")
    upload(a, tmp_path / "alpha.csv")
    upload(b, tmp_path / "beta.csv")  # while the first upload is still being processed
    wait_ready(a, "Showing alpha.csv.", "40 of 40 responses")
    wait_ready(b, "Showing beta.csv.", "21 of 21 responses")
    assert metric_values(a)["NPS"] == "+50" and metric_values(b)["NPS"] == "−100"
    a.get_by_role("link", name="Trends", exact=True).click()
    b.get_by_role("link", name="Data & columns").click()
    wait_ready(a, "Trends", "Showing alpha.csv.", "40 of 40 responses")
    wait_ready(b, "Rows read")
    assert "beta" not in a.locator("body").inner_text() and "alpha" not in b.locator("body").inner_text()
    first.close()
    second.close()
    assert blocked == [[], []]


# --------------------------------------------------------------------------------------------------
# The view survives: new contexts (a new tab, presentation mode, a colleague), page changes, selections
# --------------------------------------------------------------------------------------------------


def pick(page: Page, widget: str, label: str, option: str) -> None:
    """Choose `option` in the selectbox or multiselect (test id `widget`) whose label is `label`."""
    page.get_by_test_id(widget).filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def segment(page: Page, label: str) -> None:
    page.get_by_test_id("stMain").get_by_test_id("stButtonGroup").get_by_text(label, exact=True).click()


def active_segments(page: Page) -> list[str]:
    chosen = (
        page.get_by_test_id("stMain")
        .get_by_test_id("stButtonGroup")
        .locator("[role=radio][aria-checked=true]")
    )
    return [b.inner_text().strip() for b in chosen.all()]


def test_an_upload_reopens_in_presentation_mode_and_from_the_link_in_new_contexts(
    page: Page, browser, app_url: str, artifacts: Path, tmp_path: Path
) -> None:
    path = tmp_path / SPANISH_NAME
    spanish_export(path)
    rows = pd.read_csv(path, sep=";", encoding="cp1252")
    madrid = rows[rows["región"] == "Madrid"]
    nps = 100 * ((madrid["recomendación"] >= 9).mean() - (madrid["recomendación"] <= 6).mean())
    page.goto(app_url + "/")
    wait_ready(page, "Showing the bundled sample data")
    upload(page, path)
    wait_ready(page, f"Showing {SPANISH_NAME}.", "40 of 40 responses")
    # A role the user corrects: CSAT read on a 1–7 scale, so 4 and 5 are no longer the top two boxes.
    page.get_by_role("link", name="Data & columns", exact=True).click()
    wait_ready(page, "Column roles")
    pick(page, "stSelectbox", "CSAT scale", "1-7")
    wait_ready(page, "Column roles")
    pick(page, "stMultiSelect", "región", "Madrid")
    page.get_by_role("link", name="Export & report", exact=True).click()
    wait_ready(page, "Export & report", f"{len(madrid)} of 40 responses match the filters")
    params = parse_qs(urlparse(page.url).query)
    assert params["data"] == [sha256(path.read_bytes())] and params["r1.csat_scale"] == ["1-7"]
    assert params["seg.región"] == ["Madrid"]
    present = urljoin(page.url, page.get_by_role("link", name=UI["present_open"]).get_attribute("href"))
    page.get_by_role("link", name="Overview", exact=True).click()
    wait_ready(page, "Overview", f"{len(madrid)} of 40 responses")
    share = page.url
    mine = metric_values(page)
    assert mine["NPS"] == fmt_nps(nps).replace("-", "−") and mine["CSAT"] == "0 %"

    for name, link, marker in [("present", present, "Responses"), ("share", share, "Overview")]:
        other = browser.new_context(viewport=VIEWPORT)  # another tab's session, or a colleague's browser
        blocked = block_internet(other)
        theirs = other.new_page()
        theirs.goto(link)
        wait_ready(theirs, marker, f"{len(madrid)} of 40 responses")
        body = theirs.locator("body").inner_text()
        assert SPANISH_NAME in body and "bundled sample" not in body
        if name == "share":
            assert metric_values(theirs) == mine
        else:  # the headline slide: the same numbers in large type, the link still presenting
            main = theirs.get_by_test_id("stMain")
            expect(main.locator("h1").filter(has_text=mine["NPS"]).first).to_be_visible()
            expect(main.locator("h1").filter(has_text="0 %").first).to_be_visible()
            expect(theirs.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
        assert parse_qs(urlparse(theirs.url).query) == parse_qs(urlparse(link).query)
        screenshot(theirs, artifacts / f"reopened_{name}.png")
        other.close()
        assert not blocked


def test_settings_are_kept_when_changing_pages(page: Page, app_url: str, artifacts: Path) -> None:
    page.goto(f"{app_url}/themes")
    wait_ready(page, "Themes", "Representative parts")
    default = page.get_by_test_id("stMain").get_by_text("comments grouped into").first.inner_text()
    pick(page, "stSelectbox", "Number of sub-themes", "5")
    wait_ready(page, "sub-themes by")
    expect(page.get_by_test_id("stMain").get_by_text(default)).to_have_count(0)  # recomputed with k = 5
    with_k5 = page.get_by_test_id("stMain").get_by_text("comments grouped into").first.inner_text()
    segment(page, "Impact on NPS")
    wait_ready(page, "Representative parts")
    page.get_by_role("link", name="Trends", exact=True).click()
    wait_ready(page, "Trends", "4,120 of 4,120")
    segment(page, "CSAT")
    wait_ready(page, "Trends")
    segment(page, "Quarter")
    wait_ready(page, "Trends", "Q1 2025")
    for name, marker in [("Overview", "Overview"), ("Themes", "Representative parts")]:
        page.get_by_role("link", name=name, exact=True).click()
        wait_ready(page, marker)
    expect(page.get_by_test_id("stMain").get_by_text(with_k5).first).to_be_visible()
    screenshot(page, artifacts / "settings_kept_themes.png")
    assert "Impact on NPS" in active_segments(page)
    page.get_by_role("link", name="Trends", exact=True).click()
    wait_ready(page, "Trends", "Q1 2025")
    assert {"CSAT", "Quarter"} <= set(active_segments(page))
    params = parse_qs(urlparse(page.url).query)
    assert params["themes.k"] == ["5"] and params["trends.metric"] == ["csat"]
    assert_no_failure(page)


def test_a_page_that_ends_early_keeps_the_link(page: Page, app_url: str) -> None:
    """Trends on a file without dates says so and ends there: the address bar keeps the file and the
    settings (an st.stop() there dropped the run's URL update: a copied link lost its file)."""
    from cx.store import Store

    data = b"id,nps,comment\n" + b"".join(f"{i},{i % 11},slow app number {i}\n".encode() for i in range(40))
    digest = Store().put("undated.csv", data).sha256
    page.goto(f"{app_url}/?data={digest}&min_n=12")
    wait_ready(page, "Showing undated.csv.")
    page.get_by_role("link", name="Trends", exact=True).click()
    wait_ready(page, UI["no_dates"])
    params = parse_qs(urlparse(page.url).query)
    assert params.get("data") == [digest] and params.get("min_n") == ["12"], page.url
    assert_no_failure(page)


def test_filtering_to_the_third_theme_keeps_that_theme_and_the_export_follows(
    page: Page, app_url: str, artifacts: Path, tmp_path: Path
) -> None:
    page.goto(f"{app_url}/themes")
    wait_ready(page, "Themes", "Representative parts")
    default = page.get_by_test_id("stMain").get_by_text("comments grouped into").first.inner_text()
    pick(
        page, "stSelectbox", "Number of sub-themes", "4"
    )  # not the default run: the export must follow the view
    wait_ready(page, "sub-themes by")
    expect(page.get_by_test_id("stMain").get_by_text(default)).to_have_count(0)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", name="Theme 1")).to_be_visible()
    # Click the third row's selection box (the grid is a canvas: a row is 35 px under a 35 px header).
    grid = main.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 35 + 2 * 35 + 17)
    wait_ready(page, "Theme 3")  # sorted by size: the third row is theme 3
    main.get_by_role("button", name="Filter the whole app to this theme").click()
    wait_ready(page, "Filter: theme: 3 (")
    expect(main.get_by_role("heading", name="Theme 3")).to_be_visible()
    shown = page.get_by_test_id("stSidebar").get_by_text("Theme filter: 3:").inner_text()
    label = shown.split("Theme filter: 3:", 1)[1].strip()
    n = int(
        main.get_by_text(" of 4,120 responses match").first.inner_text().split(" of ")[0].replace(",", "")
    )
    assert parse_qs(urlparse(page.url).query)["theme"] == ["3"]
    screenshot(page, artifacts / "themes_third_filtered.png")
    assert_no_failure(page)
    page.get_by_role("link", name="Export & report", exact=True).click()
    wait_ready(page, "Export & report", f"{n:,} of 4,120 responses")
    with page.expect_download(timeout=90_000) as download:  # built on click: slow on 2 busy cores
        page.get_by_test_id("stMain").get_by_role("button", name="Download CSV").click()
    path = tmp_path / "theme3.csv"
    download.value.save_as(path)
    rows = pd.read_csv(path, encoding="utf-8-sig")
    # Every exported row is in theme 3 (a comment with several problems lists all its themes).
    assert len(rows) == n and all("3" in str(ids).split("; ") for ids in rows["all_theme_ids"])
    assert all(label in str(labels).split("; ") for labels in rows["all_theme_labels"])


def test_a_link_to_data_the_server_does_not_keep_asks_for_the_file(
    page: Page, app_url: str, artifacts: Path, tmp_path: Path
) -> None:
    path = tmp_path / SPANISH_NAME
    expected = spanish_export(path)
    unknown = sha256(path.read_bytes() + b"\n")  # a file this server never kept
    page.goto(f"{app_url}/?data={unknown}&seg.región=Madrid")
    wait_ready(page, "This link's data is not on this server")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stFileUploaderDropzone")).to_be_visible()  # the upload box, in the page
    expect(page.get_by_test_id("stMetric")).to_have_count(0)  # and never the sample's numbers instead
    assert "Showing the bundled sample" not in page.locator("body").inner_text()
    expect(main.get_by_role("button", name="Show the bundled sample instead")).to_be_visible()  # a way out
    screenshot(page, artifacts / "link_data_missing.png")
    with page.expect_file_chooser() as chooser:
        main.get_by_test_id("stFileUploaderDropzone").click()
    chooser.value.set_files(path)
    wait_ready(page, f"Showing {SPANISH_NAME}.", "40 of 40 responses")  # other data: a clean view
    assert metric_values(page) == expected
