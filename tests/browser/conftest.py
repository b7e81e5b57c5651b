"""Real-browser fixtures: the platform served by Uvicorn on a free loopback port, and
Playwright driving Debian's chromium (headless, no sandbox, background networking off)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.sample_database import sample_database
from tests.jjj import run

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


# Assertions wait for their condition up to 20 s (Playwright's default is 5 s, which a page
# reload on a loaded 2-core CI machine can exceed); a passing condition returns at once.
expect.set_options(timeout=20_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temporary folder (under xdist: shared by the workers)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server (``jjj serve``) on a free port with its own SQLite file, a copy of
    the sample database."""
    port = _free_port()
    db_file = tmp_path_factory.mktemp("live") / "live.sqlite3"
    sample = sample_database(_run_folder(tmp_path_factory))
    for part in sample.parent.glob("sample.sqlite3*"):  # the file, its journal, its index
        copy = db_file.with_name(part.name.replace("sample", "live", 1))
        if part.is_dir():
            shutil.copytree(part, copy)
        else:
            shutil.copyfile(part, copy)
    db_file.chmod(0o600)
    env = dict(
        os.environ,
        JJJ_DATABASE_URL=f"sqlite:///{db_file}",
        JJJ_PORT=str(port),
        JJJ_HOST="127.0.0.1",
        JJJ_LOG_LEVEL="warning",
    )
    jjj = Path(sys.executable).with_name("jjj")
    process = subprocess.Popen(
        [str(jjj), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stderr.read() if process.stderr else ''}")
    else:
        process.kill()
        raise RuntimeError("server did not start within 60 s")
    os.environ["JJJ_LIVE_DATABASE_URL"] = env["JJJ_DATABASE_URL"]
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed (make test installs it with apt-get)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(f"{exc} {exc.stack or ''}"[:600]))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


BROWSER_PASSWORD = "browser-test-password"


def create_user(
    org: str, *, role: str = "editor", kind: str = "enterprise", place: str | None = None
) -> str:
    """A user (and, if new, its organization) in the live server's database, made with the
    ``jjj`` command as an administrator would; returns the username."""
    env = {"JJJ_DATABASE_URL": os.environ["JJJ_LIVE_DATABASE_URL"]}
    org_args = ["--place", place] if place else []
    # an existing organization is fine: the user joins it
    run("orgs", "create", "--name", org, "--kind", kind, *org_args, env=env)
    name = f"{role}_{uuid.uuid4().hex[:6]}"
    made = run(
        *("users", "create", "--org", org, "--role", role),
        *("--username", name, "--password", BROWSER_PASSWORD),
        env=env,
    )
    assert made.returncode == 0, made.stderr
    return name


def sign_in(page: Page, base: str, username: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", BROWSER_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
