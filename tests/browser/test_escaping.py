"""Text that looks like HTML is shown as text on every page, never run."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import create_user, sign_in

pytestmark = pytest.mark.browser

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def test_organization_name_with_markup_renders_as_text(live_server: str, page: Page) -> None:
    sign_in(page, live_server, create_user(PAYLOAD, kind="other"))
    page.goto(live_server + "/account")
    assert PAYLOAD in page.locator("section.panel p").first.inner_text()
    assert page.evaluate("window.__xss === undefined")
