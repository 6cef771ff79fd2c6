"""Screenshot every page in headless Chromium, for people to look at before a release.

Starts `streamlit run app.py` on a temporary database with the demo analysis and writes
PNGs to test-artifacts/screens/. Run: .venv/bin/python -m scripts.screenshots
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from mintqo.config import PROJECT_ROOT as ROOT
from mintqo.devserver import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop

OUT = ROOT / "test-artifacts" / "screens"


def main() -> None:
    """Start the app with demo data and capture each page."""
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="mintqo-shots-"))
    env = {**os.environ, "MINTQO_DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}"}
    demo = subprocess.run(
        [sys.executable, "-m", "mintqo", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    code = re.search(r"Zugangscode: (\S+)", demo.stdout).group(1)
    server, base = start_streamlit("app.py", env, tmp / "streamlit.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(base)
            expect(page.get_by_role("textbox", name="Name der Initiative *")).to_be_visible()
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
            page.screenshot(path=OUT / "start.png")
            page.goto(f"{base}/?code={code}")  # the demo is submitted: opens on its results
            expect(page.get_by_role("heading", name="Ihre Ergebnisse")).to_be_visible()
            for name, link, heading, size in [
                ("durchfuehrung", "Durchführung", "A1 Bedarf und Ausgangslage", (1280, 1600)),
                ("vorbereitung", "Vorbereitung", "Vorbereitung", (1280, 1500)),
                ("ergebnisse", "Ergebnisse", "Ihre Ergebnisse", (1440, 2600)),
            ]:
                page.get_by_role("link", name=link).click()
                page.set_viewport_size({"width": size[0], "height": size[1]})
                expect(page.get_by_role("heading", name=heading)).to_be_visible()
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
                page.wait_for_timeout(1500)  # let plotly finish drawing
                page.screenshot(path=OUT / f"{name}.png")
            browser.close()
    finally:
        stop(server)
    print(f"Screenshots in {OUT}")


if __name__ == "__main__":
    main()
