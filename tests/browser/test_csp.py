"""The Content-Security-Policy in a real browser: every page runs its scripts, draws its
charts and renders the API docs with no violation reported, signed out and signed in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Page

from jingjinji.web.hardening import CONTENT_SECURITY_POLICY
from tests.browser.conftest import create_user, screenshot, sign_in

pytestmark = pytest.mark.browser

PAGES = ["/", "/market", "/chains/hydrogen", "/docs", "/loop", "/projects", "/policies", "/login"]
CHARTED = {"/", "/chains/hydrogen", "/loop", "/projects"}
SIGNED_IN_PAGES = ["/projects", "/policies", "/market", "/me", "/account"]

#: Records the browser's ``securitypolicyviolation`` events (injected by Playwright, which
#: the page's policy does not govern).
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def watched(page: Page) -> Iterator[tuple[Page, list[str]]]:
    """The page, and every console message it logs."""
    messages: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        messages.append(f"{message.type}: {message.text}")

    page.on("console", keep)
    page.add_init_script(WATCH_VIOLATIONS)
    yield page, messages


def _visit(page: Page, url: str, messages: list[str]) -> None:
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    page.wait_for_function("() => document.readyState === 'complete'")
    refused = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
    assert refused == [], (url, refused)
    assert page.evaluate("() => window.__cspViolations") == [], url


def test_pages_run_under_the_policy(live_server: str, watched: tuple[Page, list[str]]) -> None:
    page, messages = watched
    for path in PAGES:
        _visit(page, live_server + path, messages)
        if path in CHARTED:  # the page's own script ran and drew with the vendored ECharts
            page.wait_for_selector("main [_echarts_instance_] canvas")
    screenshot(page, "csp-login")


def test_api_docs_render_their_operations(
    live_server: str, watched: tuple[Page, list[str]]
) -> None:
    page, messages = watched
    _visit(page, live_server + "/docs", messages)
    page.wait_for_selector("#swagger-ui .opblock")
    operations = page.locator("#swagger-ui .opblock").count()
    assert operations > 50
    assert (
        page.locator("#swagger-ui .info .title").inner_text().startswith("京津冀协同发展平台 API")
    )
    page.locator("#swagger-ui .opblock-summary").first.click()
    page.wait_for_selector("#swagger-ui .opblock.is-open")
    screenshot(page, "api-docs")
    _visit(page, live_server + "/docs", messages)  # again: nothing refused after the click


def test_signed_in_pages_run_under_the_policy(
    live_server: str, watched: tuple[Page, list[str]]
) -> None:
    page, messages = watched
    sign_in(page, live_server, create_user("策略测试机构", role="editor"))
    for path in SIGNED_IN_PAGES:
        _visit(page, live_server + path, messages)
    screenshot(page, "csp-signed-in-account")
