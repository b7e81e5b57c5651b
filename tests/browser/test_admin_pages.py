"""系统管理 and 我的账户 in a real browser: an admin creates an organization and a user, resets
the user's password; the one-time link works in a second browser; the user then changes their
password on 我的账户. Screenshots at desktop (1440 px) and phone (390 px) widths."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import create_user, screenshot, sign_in

pytestmark = pytest.mark.browser

FIRST_PASSWORD = "初始密码-browser-1"
RESET_PASSWORD = "重置后的密码-browser-2"
FINAL_PASSWORD = "最后的密码-browser-3"


def _sign_in_as(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.form button[type=submit]")
    expect(page.locator(".account .user-name")).to_be_visible()


def _shoot_both_widths(page: Page, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays at the top of the shot
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, f"{name}-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1440, "height": 900})


def test_admin_creates_user_resets_password_and_user_changes_it(
    live_server: str, page: Page, browser: Browser
) -> None:
    admin = create_user("京津冀协同发展平台管理组", role="admin", kind="government")
    sign_in(page, live_server, admin)
    page.on("dialog", lambda dialog: dialog.accept())

    # an organization, created in the browser
    org_name = f"保定市科学技术局（测试{uuid.uuid4().hex[:4]}）"
    page.click("a.admin-link")
    page.click(".admin-tabs a:has-text('机构')")
    page.fill("#create-org-form input[name=name]", org_name)
    page.select_option("#create-org-form select[name=kind]", "government")
    page.select_option("#create-org-form select[name=place_adcode]", "130600")
    page.click("#create-org-form button[type=submit]")
    expect(page.locator("#orgs-table")).to_contain_text(org_name)
    expect(page.locator("#orgs-table")).to_contain_text("保定市")

    # a user with an initial password
    username = f"zhang_{uuid.uuid4().hex[:6]}"
    page.goto(live_server + "/admin/users")
    form = page.locator("#create-user-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=display_name]").fill("张敏")
    form.locator("select[name=role]").select_option("editor")
    form.locator("select[name=organization_id]").select_option(label=org_name)
    form.locator("input[name=password_mode][value=password]").check()
    form.locator("input[name=password]").fill(FIRST_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("#create-user-status")).to_contain_text(f"已创建用户 {username}")
    page.reload()
    row = page.locator(f"#users-table tr[data-username='{username}']")
    expect(row).to_contain_text("张敏")
    expect(row).to_contain_text(org_name)

    # a one-time reset link, shown once to the admin
    row.locator("[data-reset]").click()
    expect(page.locator("#link-box")).to_be_visible()
    link = page.locator("#link-url").inner_text()
    assert link.startswith(live_server + "/password-reset/")
    _shoot_both_widths(page, "admin-users")

    # the user opens the link in a browser of their own
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        user_page = context.new_page()
        errors: list[str] = []
        user_page.on("pageerror", lambda exc: errors.append(str(exc)))
        user_page.goto(link)
        expect(user_page.locator("#password-reset")).to_contain_text(username)
        user_page.fill("input[name=new_password]", RESET_PASSWORD)
        user_page.fill("input[name=confirm_password]", RESET_PASSWORD)
        user_page.click("#password-reset button[type=submit]")
        expect(user_page.locator("#password-reset .notice")).to_contain_text("新密码已设置")
        user_page.goto(link)
        expect(user_page.locator("#password-reset .alert")).to_contain_text("链接无效")

        _sign_in_as(user_page, live_server, username, RESET_PASSWORD)
        user_page.click(".account .user-name")
        expect(user_page.locator("h1")).to_have_text("我的账户")
        expect(user_page.locator("#sessions-table")).to_contain_text("当前会话")
        user_page.fill("#password-form input[name=current_password]", RESET_PASSWORD)
        user_page.fill("#password-form input[name=new_password]", FINAL_PASSWORD)
        user_page.fill("#password-form input[name=confirm_password]", FINAL_PASSWORD + "x")
        user_page.click("#password-form button[type=submit]")
        expect(user_page.locator("#password-status")).to_have_text("两次输入的新密码不一致")
        user_page.fill("#password-form input[name=confirm_password]", FINAL_PASSWORD)
        user_page.click("#password-form button[type=submit]")
        expect(user_page.locator("#password-status")).to_contain_text("密码已修改")
        _shoot_both_widths(user_page, "account")

        user_page.click(".account button:has-text('退出')")
        _sign_in_as(user_page, live_server, username, FINAL_PASSWORD)
        assert not errors, errors
    finally:
        context.close()

    # the admin reads what happened in the audit log
    page.goto(live_server + "/admin/audit")
    page.select_option("#audit-filters select[name=entity]", "user")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_url("**/admin/audit?*entity=user*")
    table = page.locator("#audit-table")
    expect(table).to_contain_text("修改密码")
    expect(table).to_contain_text("通过链接重设密码")
    expect(table).to_contain_text("张敏")
    _shoot_both_widths(page, "admin-audit")
