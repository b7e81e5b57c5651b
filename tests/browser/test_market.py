"""供需对接 in a real browser: publish a demand through the form, find it in the list, open it
and see its matches with reasons; markup in a title renders as text."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import create_user, screenshot, sign_in

pytestmark = pytest.mark.browser


def _publish(page: Page, base: str, title: str, summary: str) -> None:
    page.goto(base + "/market/publish?kind=demand")
    page.fill("input[name=title]", title)
    page.fill("textarea[name=summary]", summary)
    page.select_option("select[name=place_adcode]", "130200")
    page.fill("input[name=keywords]", "谐波减速器、RV减速器")
    page.select_option("select[name=stage]", "中试")
    page.fill("input[name=budget]", "300")
    page.wait_for_function(
        "() => document.getElementById('completeness-score').textContent !== '0%'"
    )
    screenshot(page, "market-publish")
    page.click("button[data-status=published]")
    page.wait_for_url("**/market/listings/*", timeout=60_000)


def test_publish_demand_list_open_and_see_matches(live_server: str, page: Page) -> None:
    sign_in(page, live_server, create_user("唐山减速器测试企业"))
    title = "机器人关节谐波减速器国产化需求"
    _publish(
        page,
        live_server,
        title,
        "我公司生产六轴工业机器人，关节谐波减速器依赖进口，寻求可批量供货的精密减速器技术。",
    )
    assert page.locator("#listing-title").inner_text() == title
    matches = page.locator("#match-list li.match")
    assert matches.count() >= 5
    first = matches.first
    assert "文本相关" in first.inner_text() and "共同关键词" in first.inner_text()
    assert "产业环节" in first.inner_text() and "成熟度" in first.inner_text()
    screenshot(page, "market-listing")
    page.goto(live_server + "/market?q=" + "谐波减速器国产化需求" + "&kind=demand")
    assert title in page.locator("#listing-list").inner_text()
    screenshot(page, "market-list")
    page.goto(live_server + "/market/challenges")
    assert page.locator("table tbody tr").count() > 10
    screenshot(page, "market-challenges")


def test_a_demand_in_lay_words_finds_achievements_by_meaning(live_server: str, page: Page) -> None:
    """An enterprise states its problem without one technical term and names no segment: the
    page says which segment's vocabulary was suggested, and matches found by the semantic
    retriever quote the achievement's closest sentence."""
    sign_in(page, live_server, create_user("张家口公交测试企业"))
    page.goto(live_server + "/market/publish?kind=demand")
    page.fill("input[name=title]", "氢能公交车冬天早上打不着火")
    page.fill(
        "textarea[name=summary]",
        "我们的氢燃料电池公交车一到冬天夜里停在露天场站，第二天早上经常启动失败，要烤很久才能发车。",
    )
    page.select_option("select[name=place_adcode]", "130700")
    page.wait_for_function(
        "() => document.getElementById('completeness-score').textContent !== '0%'"
    )
    page.click("button[data-status=published]")
    page.wait_for_url("**/market/listings/*", timeout=60_000)
    matches = page.locator("#match-list li.match")
    assert matches.count() >= 5
    text = page.locator("#match-list").inner_text()
    assert "语义检索第" in text and "语义相似度" in text
    assert page.locator("#match-list .passage").count() >= 1
    passage = page.locator("#match-list .passage").first.inner_text()
    assert "最相近的一句" in passage and len(passage) > 12
    screenshot(page, "market-lay-demand")


def test_listing_title_with_markup_renders_as_text(live_server: str, page: Page) -> None:
    sign_in(page, live_server, create_user("转义测试企业"))
    payload = "<script>alert(1)</script>"
    page.on("dialog", lambda dialog: pytest.fail(f"a dialog opened: {dialog.message}"))
    _publish(page, live_server, payload, "标题含有 <b>标记</b> 的测试需求，谐波减速器。")
    assert page.locator("#listing-title").inner_text() == payload
    assert "<b>标记</b>" in page.locator(".listing-summary").first.inner_text()
    listing = page.url.rstrip("/").rsplit("/", 1)[-1]
    token = page.locator("#csrf-token").input_value()
    page.goto(live_server + "/market?kind=demand&q=" + "标记")
    assert payload in page.locator("#listing-list").inner_text()
    screenshot(page, "market-escaping")
    # withdrawn again, so that the pages other tests read on this server show no test markup
    closed = page.request.patch(
        f"{live_server}/api/listings/{listing}",
        data={"status": "closed"},
        headers={"X-CSRF-Token": token},
    )
    assert closed.status == 200, closed.text()


def test_challenge_board_page_and_apply(live_server: str, page: Page) -> None:
    sign_in(page, live_server, create_user("北京揭榜测试研究院"))
    page.goto(live_server + "/market/challenges")
    board = page.locator("#challenge-board tbody tr")
    assert board.count() > 10
    assert "揭榜数" in page.locator("#challenge-board thead").inner_text()
    open_call = page.locator("#challenge-board tbody tr", has_text="揭榜中").first
    open_call.locator("a").first.click()
    page.wait_for_url("**/market/challenges/*")
    steps = page.locator("#step-bar li")
    assert steps.count() == 5 and page.locator("#step-bar li.current").count() == 1
    plan = "依托本院中试平台，12 个月内完成样机并通过第三方检测。"
    page.fill("#apply-form textarea[name=plan]", plan)
    page.click("#apply-form button[type=submit]")
    page.wait_for_selector("text=本机构已提交揭榜申请")
    assert "北京揭榜测试研究院" in page.locator("#application-list").inner_text()
    assert "揭榜" in page.locator("#step-bar li.current").inner_text()
    screenshot(page, "market-challenge")
    page.goto(live_server + "/market")
    page.wait_for_function(
        "() => document.querySelector('#chart-rates canvas') !== null"
        " && document.querySelector('#chart-rates canvas').height > 100"
        " && !document.getElementById('trends-sample').hidden"
    )
    screenshot(page, "market-trends")
