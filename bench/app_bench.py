"""The app in a real browser: upload the sample file → Overview ready, in seconds.

    python bench/app_bench.py

Starts `streamlit run app.py`, opens headless Chromium, uploads cx/data/sample_survey.csv and waits until the
Overview shows its numbers and the script has finished. Run twice: cold (the server has never seen the
file) and warm (a new session uploading the same bytes: content-keyed caches). Baseline in the same run:
opening the app with no upload (the bundled sample, already cached). Measures; never fails.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_bench import ARGS, ROOT, start_server  # noqa: E402

SAMPLE = ROOT / "cx" / "data" / "sample_survey.csv"
READY = "() => document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'"


def main() -> None:
    server, url = start_server()
    try:
        print("| what | seconds |")
        print("|---|---|")
        # The bundled sample's bytes are cached when the app opens; one byte more makes the upload new to
        # the server, so the first upload pays for reading and checking it.
        upload = Path(tempfile.mkdtemp()) / "survey_export.csv"
        upload.write_bytes(SAMPLE.read_bytes() + b"\n")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for name in (
                "open the app (sample, no upload)",
                "upload sample → Overview ready, cold",
                "upload sample → Overview ready, warm (new session)",
            ):
                page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                start = time.perf_counter()
                page.goto(url)
                page.get_by_test_id("stMetricValue").first.wait_for(timeout=120_000)
                page.wait_for_function(READY, timeout=120_000)
                if "upload" in name:
                    start = time.perf_counter()
                    with page.expect_file_chooser() as chooser:
                        page.get_by_test_id("stFileUploaderDropzone").click()
                    chooser.value.set_files(upload)
                    page.get_by_text(f"Showing {upload.name}.").wait_for(timeout=120_000)
                    page.wait_for_function(READY, timeout=120_000)
                print(f"| {name} | {time.perf_counter() - start:.2f} |")
                page.context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
