"""Screenshot every page in headless Chromium, for people to look at before a release.

Starts `streamlit run app.py` on a temporary database with the demo analysis and writes
PNGs to test-artifacts/screens/. Run: .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-artifacts" / "screens"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://localhost:{port}"
    try:
        for _ in range(300):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(base)
            expect(page.get_by_role("textbox", name="Name der Initiative *")).to_be_visible()
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
            page.screenshot(path=OUT / "start.png")
            page.goto(f"{base}/?code={code}")
            expect(page.get_by_role("heading", name="A1 Bedarf und Ausgangslage")).to_be_visible()
            for name, heading, size in [
                ("durchfuehrung", "A1 Bedarf und Ausgangslage", (1280, 1600)),
                ("vorbereitung", "Vorbereitung", (1280, 1500)),
                ("ergebnisse", "Ihre Ergebnisse", (1440, 2600)),
            ]:
                if name != "durchfuehrung":
                    page.get_by_role(
                        "link", name=heading.split()[-1] if name == "ergebnisse" else heading
                    ).click()
                page.set_viewport_size({"width": size[0], "height": size[1]})
                expect(page.get_by_role("heading", name=heading)).to_be_visible()
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
                page.wait_for_timeout(1500)  # let plotly finish drawing
                page.screenshot(path=OUT / f"{name}.png")
            browser.close()
    finally:
        server.terminate()
    print(f"Screenshots in {OUT}")


if __name__ == "__main__":
    main()
