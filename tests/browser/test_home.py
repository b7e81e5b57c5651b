"""The home page in a real browser: title, navigation, assets, error page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from jingjinji.web.templating import NAV
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_page_title_navigation_and_echarts(live_server: str, page: Page) -> None:
    page.goto(live_server + "/")
    assert page.title() == "总览 · 京津冀协同发展平台"
    links = page.locator("nav.mainnav a")
    assert links.all_inner_texts() == [label for _key, label, _path in NAV]
    assert page.evaluate("typeof echarts === 'object' && typeof echarts.init === 'function'")
    assert page.locator("nav.mainnav a.active").inner_text() == "总览"
    assert screenshot(page, "home").stat().st_size > 10_000


def test_unknown_page_shows_chinese_404(live_server: str, page: Page) -> None:
    response = page.goto(live_server + "/no/such/page")
    assert response is not None and response.status == 404
    assert "页面不存在" in page.locator("h1").inner_text()
