"""The reference deployment without Docker: PostgreSQL, one migration, two replicas behind Debian's nginx
running deploy/'s own configuration, driven in Chromium (state shared, downloads sticky, a killed replica
loses nothing)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.support.browser_tab import START_HEADING, close_page_not_found, screenshot_pages, start_walkthrough
from tests.support.devserver import free_port, start_streamlit, stop

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 900}
APP_TIMEOUT_MS = 30_000
NGINX = Path("/usr/sbin/nginx")
DEPLOY_NGINX = PROJECT_ROOT / "deploy" / "nginx" / "mintqo"
POOL_SIZE, MAX_OVERFLOW = 3, 2  # per replica; small on purpose, the test measures what is used
FOLLOW_TIMEOUT_MS = 15_000  # the participant's "Sie sind hier" fragment polls every 4 s
COOKIE = "mintqo_affinity"


@dataclass
class Deployment:
    url: str  # nginx
    database_url: str
    replicas: list[subprocess.Popen[bytes]]
    upstreams: list[str]  # "127.0.0.1:port" per replica
    access_log: Path
    codes: dict[str, str]


def _postgres_server_url() -> str:
    url = os.environ.get("MINTQO_TEST_POSTGRES_URL")
    if url:
        return url
    message = "MINTQO_TEST_POSTGRES_URL is not set: the multi-replica test needs PostgreSQL (scripts/test.sh)"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mintqo", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"mintqo {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _demo_codes(output: str) -> dict[str, str]:
    codes = {}
    for label in ("Moderationscode", "Teilnehmer-Code 1"):
        match = re.search(rf"{label}: (\S+)", output)
        assert match, output
        codes[label] = match.group(1)
    return codes


def _start_nginx(workdir: Path, upstreams: list[str]) -> tuple[subprocess.Popen[bytes], str, Path]:
    """Debian's nginx, unprivileged, with deploy/nginx/mintqo/{http,proxy}.conf as they are."""
    conf = workdir / "nginx"
    (conf / "mintqo").mkdir(parents=True)
    for name in ("http.conf", "proxy.conf"):
        shutil.copy(DEPLOY_NGINX / name, conf / "mintqo" / name)
    servers = "".join(f"server {u} max_fails=1 fail_timeout=10s;\n" for u in upstreams)
    (conf / "mintqo" / "upstreams.conf").write_text(servers)
    port = free_port()
    temp = "\n".join(
        f"    {kind}_temp_path {conf / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (conf / "nginx.conf").write_text(
        f"daemon off;\nworker_processes 1;\npid {conf / 'nginx.pid'};\nerror_log {conf / 'error.log'} info;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n{temp}\n    include mintqo/http.conf;\n"
        f"    server {{\n        listen 127.0.0.1:{port};\n        include mintqo/proxy.conf;\n    }}\n}}\n"
    )
    access_log = conf / "access.log"  # nginx's stdout: proxy.conf logs to /dev/stdout
    with access_log.open("w") as out:
        process = subprocess.Popen(
            [str(NGINX), "-p", str(conf), "-e", str(conf / "error.log"), "-c", str(conf / "nginx.conf")],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("nginx did not start:\n" + (conf / "error.log").read_text(errors="replace"))
        time.sleep(0.2)
    return process, f"http://127.0.0.1:{port}", access_log


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A fresh database on the test PostgreSQL server, init-db once, two replicas, nginx."""
    if not NGINX.exists():
        pytest.fail(f"nginx not found at {NGINX}: apt-get install nginx", pytrace=False)
    server = make_url(_postgres_server_url())
    name = f"mintqo_multi_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    database_url = server.set(database=name).render_as_string(hide_password=False)
    workdir = tmp_path_factory.mktemp("mintqo-multi")
    env = {**os.environ, "MINTQO_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    env.pop("MINTQO_BASE_URL", None)
    processes: list[subprocess.Popen[bytes]] = []
    nginx = None
    try:
        _cli({**env, "MINTQO_DB_APPLICATION_NAME": "mintqo-migrate"}, "init-db")
        codes = _demo_codes(_cli({**env, "MINTQO_AUTO_MIGRATE": "false"}, "demo"))
        upstreams = []
        for number in (1, 2):
            replica_env = {
                **env,
                "MINTQO_AUTO_MIGRATE": "false",
                "MINTQO_DB_POOL_SIZE": str(POOL_SIZE),
                "MINTQO_DB_MAX_OVERFLOW": str(MAX_OVERFLOW),
                "MINTQO_DB_APPLICATION_NAME": f"mintqo-replica{number}",
                "MINTQO_LOG_FORMAT": "json",
            }
            try:
                process, url = start_streamlit("app.py", replica_env, workdir / f"replica{number}.log")
            except RuntimeError as exc:
                pytest.fail(str(exc), pytrace=False)
            processes.append(process)
            upstreams.append(f"127.0.0.1:{urlsplit(url).port}")
        nginx, url, access_log = _start_nginx(workdir, upstreams)
        yield Deployment(url, database_url, processes, upstreams, access_log, codes)
    finally:
        if nginx is not None:
            nginx.terminate()
            nginx.wait(10)
        for process in processes:
            if process.poll() is None:
                stop(process)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _affinity_cookies(d: Deployment) -> list[str]:
    """For each replica, an affinity cookie value that nginx hashes to it (learnt from the access log)."""
    found: dict[str, str] = {}
    for n in range(200):
        value = f"probe{n}"
        before = len(d.access_log.read_text().splitlines())
        request = urllib.request.Request(f"{d.url}/_stcore/health", headers={"Cookie": f"{COOKIE}={value}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            set_cookies = " ".join(response.headers.get_all("Set-Cookie") or [])
            assert COOKIE not in set_cookies, "a browser that has the affinity cookie keeps it"
        deadline = time.monotonic() + 5
        while len(lines := d.access_log.read_text().splitlines()) <= before:
            assert time.monotonic() < deadline, "nginx wrote no access log line"
            time.sleep(0.05)
        upstream = re.search(r"upstream=(\S+)", lines[-1])
        assert upstream, lines[-1]
        found.setdefault(upstream.group(1), value)
        if len(found) == len(d.upstreams):
            return [found[u] for u in d.upstreams]
    raise AssertionError(f"no cookie value found for every replica: {found}")


def _route(context: BrowserContext, d: Deployment, value: str) -> None:
    context.add_cookies([{"name": COOKIE, "value": value, "url": d.url}])


class ConnectionPeaks:
    """Samples pg_stat_activity in a thread: the most connections each replica held at once."""

    def __init__(self, database_url: str) -> None:
        self.peaks: dict[str, int] = {}
        self._engine = create_engine(database_url, pool_size=1, max_overflow=0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        query = text(
            "SELECT application_name, count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1"
        )
        with self._engine.connect() as conn:
            while not self._stop.wait(0.1):
                for name, count in conn.execute(query).all():
                    self.peaks[name] = max(count, self.peaks.get(name, 0))
                conn.rollback()

    def stop(self) -> dict[str, int]:
        self._stop.set()
        self._thread.join(10)
        self._engine.dispose()
        return dict(self.peaks)


@pytest.fixture
def device(
    browser: Browser, deployment: Deployment, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Page]]:
    """`device(cookie)`: a fresh browser context routed by nginx to the replica of that cookie.

    After a failure every open page is saved as a screenshot in test-artifacts/.
    """
    contexts: list[BrowserContext] = []

    def make(cookie: str) -> Page:
        context = browser.new_context(viewport=VIEWPORT, locale="de-DE", accept_downloads=True)
        context.set_default_timeout(APP_TIMEOUT_MS)
        _route(context, deployment, cookie)
        contexts.append(context)
        return context.new_page()

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        screenshot_pages(contexts, "multi-replica")
    for context in contexts:
        context.close()


def _radio(page: Page, statement_id: str) -> object:
    return page.get_by_role("radiogroup", name=re.compile(rf"^\W*{re.escape(statement_id)}\b"))


def _answer(page: Page, wait: Callable[..., None], statement_id: str, answered: int) -> None:
    group = _radio(page, statement_id)
    group.get_by_text("trifft voll zu", exact=True).click()  # type: ignore[attr-defined]
    expect(group.get_by_role("radio", name="trifft voll zu", exact=True)).to_be_checked()  # type: ignore[attr-defined]
    wait(page, page.get_by_text(re.compile(rf"^{answered} von \d+ Aussagen beantwortet$")))


def _reload_on_walkthrough(page: Page, wait: Callable[..., None]) -> None:
    """Reload the walkthrough page (after a change of replica) and wait for step A1 (a fresh
    process's "Page not found" notice is Streamlit's, not the deployment's: closed here)."""
    page.reload()
    wait(page, page.get_by_role("heading", name="A1 Bedarf und Ausgangslage"))
    close_page_not_found(page)


def _checked(page: Page, statement_id: str) -> None:
    expect(_radio(page, statement_id).get_by_role("radio", name="trifft voll zu", exact=True)).to_be_checked()  # type: ignore[attr-defined]


def test_two_replicas_behind_nginx_share_state_and_survive_a_kill(
    deployment: Deployment, device: Callable[[str], Page], wait_for_app: Callable[..., None]
) -> None:
    d = deployment
    peaks = ConnectionPeaks(d.database_url)
    first, second = _affinity_cookies(d)

    # A browser without the cookie gets one; query strings never reach the access log.
    fresh = device(first)
    fresh.context.clear_cookies()
    response = fresh.goto(f"{d.url}/?code=ABCD-EFGH-JKMN-PQRS")
    assert response is not None and COOKIE in (response.header_value("set-cookie") or "")
    assert any(c["name"] == COOKIE for c in fresh.context.cookies())

    # --- An answer given on replica 1 is there after a reload on replica 2, and back -----------
    page = device(first)
    page.goto(d.url)
    wait_for_app(page, page.get_by_role("heading", name=START_HEADING, exact=True))
    start_walkthrough(page, wait_for_app, "Forscherwerkstatt Nordstadt", "Robotik-AG")
    _answer(page, wait_for_app, "A1.1", 1)
    _answer(page, wait_for_app, "A1.2", 2)

    _route(page.context, d, second)
    _reload_on_walkthrough(page, wait_for_app)
    _checked(page, "A1.1")
    _checked(page, "A1.2")
    _answer(page, wait_for_app, "A1.3", 3)
    _route(page.context, d, first)
    _reload_on_walkthrough(page, wait_for_app)
    _checked(page, "A1.3")

    # --- The presentation step set on replica 1 reaches a participant on replica 2 -------------
    mod = device(first)
    mod.goto(f"{d.url}/moderation")
    wait_for_app(mod, mod.get_by_role("heading", name="Moderation von Workshopgruppen"))
    mod.get_by_role("textbox", name="Moderationscode").fill(d.codes["Moderationscode"])
    mod.get_by_role("button", name="Anmelden").click()
    wait_for_app(mod, mod.get_by_role("button", name="Präsentation starten"))
    mod.get_by_role("button", name="Präsentation starten").click()
    title = mod.locator(".slide-title")
    wait_for_app(mod, title.filter(has_text="Überblick: das Gruppenbild"))

    participant = device(second)
    participant.goto(f"{d.url}/?code={d.codes['Teilnehmer-Code 1']}")
    here = participant.locator(".st-key-results-you-are-here")
    wait_for_app(participant, participant.get_by_role("heading", name="Ihre Ergebnisse"), here)
    expect(here).to_contain_text("Sie sind hier · Überblick: das Gruppenbild")
    mod.get_by_role("button", name="Weiter →").click()
    wait_for_app(mod, title.filter(has_text="A Angebotsqualität"))
    expect(here).to_contain_text("Sie sind hier · A Angebotsqualität", timeout=FOLLOW_TIMEOUT_MS)

    # --- A download made by replica 2 is served through nginx (media live in that process) ----
    xlsx = participant.get_by_role("button", name=re.compile(r"^Excel"))
    xlsx.scroll_into_view_if_needed()
    with participant.expect_download() as download:
        xlsx.click()
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"  # an .xlsx is a zip file
    assert download.value.failure() is None

    # --- Killing replica 1 loses no saved answer: the reload lands on replica 2 ----------------
    _answer(page, wait_for_app, "A1.4", 4)
    d.replicas[0].kill()
    d.replicas[0].wait(10)
    _reload_on_walkthrough(page, wait_for_app)
    for statement_id in ("A1.1", "A1.2", "A1.3", "A1.4"):
        _checked(page, statement_id)

    used = peaks.stop()
    print(f"\npeak connections, 3 browsers on 2 replicas (pool {POOL_SIZE}+{MAX_OVERFLOW} each): {used}")
    for number in (1, 2):
        assert 1 <= used.get(f"mintqo-replica{number}", 0) <= POOL_SIZE + MAX_OVERFLOW

    log = d.access_log.read_text()
    assert "sitzung=" not in log and "code=" not in log and "ABCD-EFGH" not in log
    assert f"upstream={d.upstreams[1]}" in log and f"upstream={d.upstreams[0]}" in log

    # A replica stops on the first SIGTERM (no second signal needed).
    d.replicas[1].terminate()
    d.replicas[1].wait(15)
