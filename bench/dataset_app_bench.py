"""The dashboard on a batch folder (`?dataset=`), in a real browser: first page, a filter change, Lowest areas.

    python bench/dataset_bench.py --dir /tmp/cx-10m --write-only           # a 10 M-row folder (once)
    flock /work/notes/bench.lock python bench/dataset_app_bench.py /tmp/cx-10m

Starts `streamlit run app.py` with CX_DATASETS set to the folder's parent, opens headless Chromium and times,
from the click (or the address) until the page shows its figures and the script has finished:
- the Overview of `?dataset=DIR` in a fresh server (cold: the folder is opened, nothing cached), then in a new
  session (warm: the answers are cached per folder and filters, shared by sessions);
- a filter change: one value of the first segment column picked in the sidebar (the Overview again);
- the Lowest areas page (every value and pair of the segment columns) with that filter, then without it;
and the peak RSS of the server process (VmHWM) at the end. The machine's load is printed beside the figures.
Measures; never fails.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_bench import ARGS, peak_rss_mb, start_server  # noqa: E402

READY = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"
TIMEOUT_MS = 300_000


def ready(page, text: str) -> None:
    """`text` is on the page and the script has finished."""
    page.get_by_test_id("stMain").get_by_text(text).first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_function(READY, timeout=TIMEOUT_MS)


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cx-10m").resolve()
    os.environ["CX_DATASETS"] = str(folder.parent)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from cx.batch.source import BatchSource

    source = BatchSource(folder)
    column = source.segments[0]
    value = [v for v in source.segment_values(column) if v != "(blank)"][0]
    rows = f"{source.rows:,}"
    del source
    print(
        f"folder {folder}: {rows} responses, roll-up {'yes' if (folder / 'rollup.parquet').exists() else 'no'}"
    )
    print(f"load average at start {os.getloadavg()}")
    server, url = start_server()
    timings = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)

            def new_page():
                return browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()

            link = f"{url}?dataset={quote(str(folder))}"
            for name in ("Overview, cold (fresh server)", "Overview, warm (new session)"):
                page = new_page()
                start = time.perf_counter()
                page.goto(link)
                ready(page, f"of {rows} responses match")
                timings.append((name, time.perf_counter() - start))
            sidebar = page.get_by_test_id("stSidebar")
            box = sidebar.get_by_test_id("stMultiSelect").filter(has_text=column).first
            start = time.perf_counter()
            box.click()
            page.get_by_role("option", name=value, exact=True).click()
            page.keyboard.press("Escape")
            ready(page, "Filter:")
            timings.append((f"filter change ({column} = {value}), Overview", time.perf_counter() - start))
            start = time.perf_counter()
            page.get_by_role("link", name="Lowest areas", exact=True).click()
            ready(page, "Ranking by impact")
            timings.append(
                (f"Lowest areas, {column} = {value}, values and pairs", time.perf_counter() - start)
            )
            page = new_page()
            start = time.perf_counter()
            page.goto(link.replace("?", "areas?", 1))
            ready(page, "Ranking by impact")
            timings.append(("Lowest areas, no filter (new session)", time.perf_counter() - start))
            browser.close()
        rss = peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("| what | seconds |")
    print("|---|---|")
    for name, seconds in timings:
        print(f"| {name} | {seconds:.2f} |")
    print(f"| peak RSS of the server process | {rss:.0f} MB |")
    print(f"load average at the end {os.getloadavg()}")


if __name__ == "__main__":
    main()
