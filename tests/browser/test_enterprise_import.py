"""An editor imports a registry export in 企查查 layout through the browser, then reads the
chain map as it stood at the end of a year."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import create_user, screenshot, sign_in
from tests.chains.test_api import _code
from tests.chains.test_registry_import import QCC_HEADER, SCOPE, _qcc_row, _xlsx

pytestmark = pytest.mark.browser


def test_editor_imports_a_qcc_export_and_sees_what_was_ignored(
    live_server: str, page: Page, tmp_path: Path
) -> None:
    page.goto(live_server + "/chains/import")
    assert "登录" in page.locator("main").inner_text()  # anonymous: sign in first, no form
    assert page.locator("#enterprise-import form").count() == 0
    assert page.locator("a[href='/api/templates/enterprises']").count() == 1

    sign_in(page, live_server, create_user("保定某区工信局", role="editor", kind="government"))
    rows = [
        _qcc_row(
            "保定浏览器甲电池有限公司",
            _code("MB000900130606"),
            "存续",
            "2016-01-04",
            "莲池区",
            SCOPE,
        ),
        _qcc_row(
            "保定浏览器乙电池有限公司",
            _code("MB000901130606"),
            "注销",
            "2013-02-01",
            "竞秀区",
            SCOPE,
        ),
    ]
    path = tmp_path / "企查查导出.xlsx"
    path.write_bytes(_xlsx(QCC_HEADER, rows))
    page.goto(live_server + "/chains/import")
    page.set_input_files("#enterprise-import form input[type=file]", str(path))
    page.click("#enterprise-import form button[type=submit]")
    page.wait_for_selector("#enterprise-import .import-result:not([hidden])", timeout=20_000)
    assert "新增 2 家" in page.locator("#enterprise-import .import-summary").inner_text()
    ignored = page.locator("#enterprise-import .import-ignored").inner_text()
    assert "注册资本" in ignored and "参保人数" in ignored and "筛选条件" in ignored
    screenshot(page, "enterprise-import-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "enterprise-import-390")

    # a file with a missing column: every problem located, nothing imported
    bad = tmp_path / "缺列.xlsx"
    header = [h for h in QCC_HEADER if h != "统一社会信用代码"]
    bad.write_bytes(_xlsx(header, [["某公司"] * len(header)]))
    page.set_input_files("#enterprise-import form input[type=file]", str(bad))
    page.click("#enterprise-import form button[type=submit]")
    errors = "#enterprise-import .import-errors"
    page.wait_for_selector(errors + ":not([hidden]) tbody tr", timeout=20_000)
    assert "可用的列名" in page.locator("#enterprise-import .import-errors").inner_text()


def test_chain_map_as_of_a_year(live_server: str, page: Page) -> None:
    page.goto(live_server + "/chains/nev-icv?place=130600")
    page.wait_for_selector("#chain-graph[data-coverage='130600']", timeout=20_000)
    page.select_option("#coverage-year", "2014")
    page.wait_for_function(
        "() => document.getElementById('coverage-summary').textContent.includes('截至 2014 年末')",
        timeout=20_000,
    )
    assert "year=2014" in page.url
