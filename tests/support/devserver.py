"""Test tooling shared by e2e tests, bench and scripts: `streamlit run` on a free port, Chromium flags."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

from mintqo.config import PROJECT_ROOT, Settings

# The same browser the app uses for PDF chart images (MINTQO_BROWSER_PATH, default Debian's Chromium).
CHROMIUM = Path(Settings.from_env().browser_path)
# The end-to-end tests drive Debian's headless build of the same Chromium (package
# chromium-headless-shell; what Playwright itself uses for headless runs): the same Blink, V8 and
# Skia, without the desktop browser's own window UI, whose address-bar popups alone cost about a
# second of CPU for every new browser context on a 2-core machine. Debian's full Chromium where the
# headless build is not installed.
HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
E2E_BROWSER = HEADLESS_SHELL if HEADLESS_SHELL.exists() else CHROMIUM
# Playwright cannot download its own browser here; these flags keep Debian's Chromium from
# reaching for the (closed) network and from prompting on first start.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def healthy(port: int) -> bool:
    """Whether Streamlit on this port answers /_stcore/health with "ok"."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            body: bytes = response.read()
            return body.decode().strip() == "ok"
    except OSError:  # refused, reset, timed out (URLError is an OSError too)
        return False


def start_streamlit(
    script: str, env: Mapping[str, str], log_path: Path, timeout: float = 60.0
) -> tuple[subprocess.Popen[bytes], str]:
    """Run `streamlit run SCRIPT` from the project root; return the process and its base URL.

    Raises RuntimeError with the server log when it exits or is not healthy in time.
    """
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=dict(env), stdout=log, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + timeout
    while not healthy(port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(
                f"streamlit run {script} did not become healthy:\n" + log_path.read_text(errors="replace")
            )
        time.sleep(0.2)
    return process, f"http://localhost:{port}"


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate a server process, killing it if it does not exit in time."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
