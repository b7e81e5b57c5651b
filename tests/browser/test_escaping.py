"""Text that looks like HTML is shown as text on every page, never run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

JJJ = str(Path(sys.executable).with_name("jjj"))
PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def test_organization_name_with_markup_renders_as_text(live_server: str, page: Page) -> None:
    env = {**os.environ, "JJJ_DATABASE_URL": os.environ["JJJ_LIVE_DATABASE_URL"]}
    subprocess.run(
        [JJJ, "orgs", "create", "--name", PAYLOAD, "--kind", "other"],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            JJJ,
            "users",
            "create",
            "--org",
            PAYLOAD,
            "--role",
            "editor",
            "--username",
            "xss_probe",
            "--password",
            "xss-probe-password",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    page.goto(live_server + "/login")
    page.fill("input[name=username]", "xss_probe")
    page.fill("input[name=password]", "xss-probe-password")
    page.click("form.form button[type=submit]")
    page.goto(live_server + "/account")
    assert PAYLOAD in page.locator("section.panel p").first.inner_text()
    assert page.evaluate("window.__xss === undefined")
