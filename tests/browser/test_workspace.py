"""我的工作台 in a real browser: an editor saves a draft, finds it on /me, opens it in the edit
form (a change made meanwhile elsewhere is refused with a Chinese message), edits its title,
publishes it and sees it under 已发布; the page and the form also fit a 390 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import create_user, screenshot, sign_in

pytestmark = pytest.mark.browser


def _save_draft(page: Page, base: str, title: str) -> str:
    """Save a draft demand through the publish form; returns its listing id."""
    page.goto(base + "/market/publish?kind=demand")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=summary]", "征集燃料电池膜电极的批量制备技术，要求可在保定中试。")
    page.select_option("select[name=place_adcode]", "130600")
    page.click("button[data-status=draft]")
    page.wait_for_url("**/market/listings/*")
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def _fits_the_width(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_edit_a_draft_from_the_workspace_and_publish_it(live_server: str, page: Page) -> None:
    sign_in(page, live_server, create_user("保定工作台测试企业", place="130600"))
    listing_id = _save_draft(page, live_server, "膜电极批量制备技术需求（草稿）")

    page.click("a[data-nav=me]")
    page.wait_for_url("**/me")
    draft = page.locator(f"#section-draft [data-listing-id='{listing_id}']")
    assert draft.is_visible() and "信息完整度" in draft.inner_text()
    assert page.locator("#tab-draft").get_attribute("aria-selected") == "true"
    screenshot(page, "workspace-me")
    draft.locator("a[data-action=edit]").click()
    page.wait_for_url(f"**/market/listings/{listing_id}/edit")
    assert page.input_value("input[name=title]") == "膜电极批量制备技术需求（草稿）"
    page.wait_for_function("() => document.querySelectorAll('#missing-list li').length > 0")
    screenshot(page, "workspace-edit")

    # Someone else saves the listing while this form is open: the form's save is refused.
    changed = page.evaluate(
        """async (id) => {
          const csrf = document.getElementById('csrf-token').value;
          const r = await fetch('/api/listings/' + id, {method: 'PATCH', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
            body: JSON.stringify({budget: 500})});
          return r.status;
        }""",
        listing_id,
    )
    assert changed == 200
    page.fill("input[name=title]", "旧页面上的改动")
    page.click("button[data-status=published]")
    error = page.locator("#publish-error")
    error.wait_for(state="visible")
    assert "已被他人修改" in error.inner_text()
    screenshot(page, "workspace-edit-conflict")
    error.locator("a", has_text="刷新页面").click()
    page.wait_for_function("() => document.querySelector('input[name=budget]').value === '500'")

    page.fill("input[name=title]", "膜电极批量制备技术需求")
    page.click("button[data-status=published]")
    page.wait_for_url(f"**/market/listings/{listing_id}")
    assert page.locator("#listing-title").inner_text() == "膜电极批量制备技术需求"
    assert page.locator("#edit-listing").is_visible()

    page.goto(live_server + "/me")
    assert page.locator(f"#section-draft [data-listing-id='{listing_id}']").count() == 0
    page.click("#tab-published")
    moved = page.locator(f"#section-published [data-listing-id='{listing_id}']")
    moved.wait_for(state="visible")
    assert "膜电极批量制备技术需求" in moved.inner_text()
    assert moved.locator("button[data-action=withdraw]").is_visible()

    # 撤回 moves it to 已关闭, where 续期 publishes it again.
    moved.locator("button[data-action=withdraw]").click()
    closed = page.locator(f"#section-closed [data-listing-id='{listing_id}']")
    closed.wait_for(state="visible")
    closed.locator("button[data-action=renew]").click()
    page.locator(f"#section-published [data-listing-id='{listing_id}']").wait_for(state="visible")
    screenshot(page, "workspace-me-published")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/me")
    assert _fits_the_width(page)
    nav = page.locator("a[data-nav=me]")
    nav.scroll_into_view_if_needed()
    assert nav.is_visible()
    screenshot(page, "workspace-me-390")
    page.goto(live_server + f"/market/listings/{listing_id}/edit")
    assert _fits_the_width(page)
    screenshot(page, "workspace-edit-390")


def test_anonymous_publish_page_asks_to_sign_in(live_server: str, page: Page) -> None:
    page.goto(live_server + "/market/publish?kind=achievement")
    assert page.locator("#publish-form").count() == 0
    page.click("#publish-login")
    page.wait_for_url("**/login?next=*")
    assert "kind%3Dachievement" in page.url or "kind=achievement" in page.url
    screenshot(page, "workspace-publish-anonymous")
