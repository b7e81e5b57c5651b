"""The loop in a real browser: the 总览 with key figures, completeness, deals, challenge calls
and alerts; the 协同成效 page; and the thread from a gap on the chain page to a draft demand
and an achievement's destinations (the deal itself: test_deal_story.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import create_user, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_home_tells_the_story(live_server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(live_server + "/")
    page.wait_for_selector("#overview-loop[data-ready=true]", timeout=60_000)
    page.wait_for_selector("#overview-map[data-ready=true]", timeout=30_000)
    fact = page.locator("[data-fact=beijing_tech_contracts_to_tj_hb_2019]")
    # the source by its title, not its file name
    text = fact.inner_text()
    assert (
        "7.8" in text and "《“京津冀高质量协同发展”智库圆桌专家会》" in text and "seed:" not in text
    )
    assert page.locator("#platform-figures .key-figure").count() == 6
    assert page.locator("#platform-figures .sample-badge").count() >= 5
    assert page.locator("#overview-completeness tbody tr").count() == 9
    assert page.locator("#overview-alerts li[data-kind=dual_ten]").count() == 2
    assert page.locator("#overview-deals .feed li a").count() >= 2
    assert page.locator("#overview-challenges .feed li a").count() >= 1
    assert page.locator("a#loop-link").get_attribute("href") == "/loop"
    assert screenshot(page, "home").stat().st_size > 10_000


def test_loop_page_figures_and_reference(live_server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(live_server + "/loop?industry=hydrogen&place=130600")
    page.wait_for_selector("#loop-toolbar[data-ready=true]", timeout=60_000)
    assert page.title() == "协同成效 · 京津冀协同发展平台"
    assert page.locator("#reference-value").inner_text() == "7.8%"
    assert (
        page.locator("#reference-source").inner_text() == "《“京津冀高质量协同发展”智库圆桌专家会》"
    )
    assert not page.locator("#loop-sample").is_hidden()
    assert page.locator("#loop-cards .loop-card").count() == 6
    assert page.locator("#chart-gaps canvas").count() == 1
    assert page.locator("#gap-table tbody tr").count() >= 1
    # Beijing's deals by contract value beside the 7.8%, the share of deals second; the
    # share of achievements present in Tianjin or Hebei (100% by construction) is gone
    assert page.locator("#share-value").inner_text().endswith("%")
    assert "合同金额" in page.locator("#share-value-detail").inner_text()
    assert "项数口径" in page.locator("#share-deals-detail").inner_text()
    assert page.locator("#degree-a").count() == 0
    assert "同为技术合同成交额" in page.locator("#loop-reference").inner_text()
    assert not page.locator("#loop-platform-flows [data-sample]").is_hidden()
    assert screenshot(page, "loop").stat().st_size > 10_000


def test_thread_from_gap_to_destinations(live_server: str, page: Page) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    sign_in(page, live_server, create_user("保定市闭环测试中心", kind="government", place="130600"))
    page.goto(live_server + "/chains/hydrogen?place=130600")
    button = page.locator("#suggestion-table button[data-kind=demand]").first
    button.wait_for(timeout=60_000)
    button.click()
    draft = page.locator("#suggestion-table tr.draft-row a[data-listing]")
    draft.wait_for(timeout=30_000)
    assert "保定市" in draft.inner_text()
    screenshot(page, "loop-draft")
    listing_id = draft.get_attribute("data-listing")
    csrf = page.locator("#suggestion-table").get_attribute("data-csrf") or ""
    headers = {"X-CSRF-Token": csrf, "Content-Type": "application/json"}
    published = page.request.patch(
        f"{live_server}/api/listings/{listing_id}", data='{"status": "published"}', headers=headers
    )
    assert published.ok, published.text()
    matches = page.request.get(f"{live_server}/api/listings/{listing_id}/matches?top=5").json()
    top = next(m for m in matches["data"] if m["listing"]["place_adcode"].startswith("11"))
    # the two-party deal up to the project: tests/browser/test_deal_story.py
    page.goto(f"{live_server}/market/listings/{top['listing']['id']}")
    page.wait_for_selector("#destinations[data-ready=true]", timeout=30_000)
    rows = page.locator("#destinations-table tbody tr")
    assert rows.count() >= 3
    assert not (rows.first.get_attribute("data-adcode") or "").startswith("11")
    screenshot(page, "loop-destinations")
