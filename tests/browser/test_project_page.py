"""A project in a real browser: an editor creates it from the 项目库 page, edits a field, moves
it to 投产 from its page and sees the new stage and history entry; an editor of another
organization sees the page read-only. Screenshots at 1440 px and 390 px."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import create_user, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_an_editor_edits_and_advances_a_project_others_only_read_it(
    live_server: str, page: Page, browser: Browser
) -> None:
    editor = create_user("浏览器测试保定项目单位", place="130600")
    outsider = create_user("浏览器测试天津其他单位", place="120000")
    name = f"浏览器测试膜电极项目{uuid.uuid4().hex[:6]}"

    sign_in(page, live_server, editor)
    page.goto(live_server + "/projects")
    page.click("#open-create")
    form = page.locator("#project-create-form")
    expect(form).to_be_visible()
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=origin_adcode]").select_option("110000")
    form.locator("select[name=destination_adcode]").select_option("130600")
    form.locator("select[name=industry]").select_option("hydrogen")
    form.locator("label.check:has(input[value=hydrogen-fc-mea])").click()
    form.locator("input[name=investment]").fill("2.5")
    form.locator("input[name=signed_on]").fill("2025-01-15")
    form.locator("textarea[name=enterprises]").fill("北京测试大学\n保定测试氢能公司")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/projects/\d+$"))
    url = page.url
    expect(page.locator("#project-name")).to_have_text(name)
    expect(page.locator("#project-stage")).to_have_text("签约")
    expect(page.locator("#project-facts")).to_contain_text("膜电极")
    expect(page.locator("#project-history")).to_contain_text("登记为")

    # edit a field
    edit = page.locator("#project-edit")
    edit.locator("input[name=investment]").fill("4.2")
    edit.locator("button[type=submit]").click()
    expect(page.locator("#fact-investment")).to_have_text("4.20 亿元")

    # 终止 without a reason is refused on the page
    stage = page.locator("#stage-form")
    stage.locator("label.stage-choice:has-text('终止')").click()
    stage.locator("button[type=submit]").click()
    expect(page.locator("#stage-status")).to_have_text("终止项目须填写终止原因")

    # move it to 投产
    stage.locator("label.stage-choice:has-text('投产')").click()
    expect(page.locator("#stage-date")).not_to_have_value("")
    stage.locator("button[type=submit]").click()
    expect(page.locator("#project-stage")).to_have_text("投产")
    latest = page.locator("#project-history li").last
    expect(latest).to_contain_text("签约")
    expect(latest).to_contain_text("投产")
    expect(latest).to_contain_text("浏览器测试保定项目单位")
    expect(page.locator("#stage-form label.stage-choice")).to_have_count(1)
    page.wait_for_function(
        "() => document.getElementById('project-route').getAttribute('data-ready') === 'true'"
    )
    assert screenshot(page, "project-page-1440").stat().st_size > 30_000

    # on a phone
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        tab = phone.new_page()
        sign_in(tab, live_server, editor)
        tab.goto(url)
        expect(tab.locator("#stage-form")).to_be_visible()
        tab.wait_for_function(
            "() => document.getElementById('project-route').getAttribute('data-ready') === 'true'"
        )
        width = tab.evaluate("document.documentElement.scrollWidth")
        assert width <= 392, f"the page scrolls sideways on a phone: {width}px"
        screenshot(tab, "project-page-390")
    finally:
        phone.close()

    # an editor of another organization: read-only
    other = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        tab = other.new_page()
        sign_in(tab, live_server, outsider)
        tab.goto(url)
        expect(tab.locator("#project-stage")).to_have_text("投产")
        expect(tab.locator("#readonly-note")).to_contain_text("只有项目所属机构")
        assert tab.locator("#stage-form, #project-edit, #stage-panel").count() == 0
        assert tab.locator("form button[type=submit]:not(.link)").count() == 0
        screenshot(tab, "project-page-readonly")
    finally:
        other.close()
