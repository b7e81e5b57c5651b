"""项目库 and 政策清单 in a real browser: filters, Sankey, map, search results, screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_project_library_filters_and_draws_the_sankey(live_server: str, page: Page) -> None:
    page.goto(live_server + "/projects")
    assert page.title() == "项目库 · 京津冀协同发展平台"
    assert "示例数据" in page.locator("h1").inner_text()
    total = int(page.locator("#kpi-count").inner_text().replace(",", ""))
    assert total >= 1900
    page.select_option("select[name=destination]", "130600")
    page.select_option("select[name=industry]", "hydrogen")
    page.click("#project-filters button[type=submit]")
    page.wait_for_url("**/projects?*destination=130600*")
    filtered = int(page.locator("#kpi-count").inner_text().replace(",", ""))
    assert 0 < filtered < total
    rows = page.locator("#project-table tbody tr")
    assert rows.count() >= 1
    destinations = page.locator("#project-table tbody tr td:nth-child(3)").all_inner_texts()
    assert "保定市" in destinations or "雄安新区" in destinations
    page.goto(live_server + "/projects")
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('sankey'));"
        " const o = c && c.getOption();"  # a chart made but not yet drawn has no option
        " return !!(o && o.series && o.series[0].type === 'sankey'"
        " && o.series[0].links.length > 5); }"
    )
    page.wait_for_function(
        "() => { const c = echarts.getInstanceByDom(document.getElementById('destination-map'));"
        " const o = c && c.getOption();"
        " return !!(o && o.series && o.series[0].data.length >= 10); }"
    )
    assert page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('destination-map')).getOption().geo"
        " !== undefined"
    )
    href = page.locator("#export-projects").get_attribute("href")
    assert href is not None and href.startswith("/api/projects/export")
    page.wait_for_timeout(600)
    assert screenshot(page, "projects").stat().st_size > 50_000


def test_policy_list_search_eligibility_and_compare(live_server: str, page: Page) -> None:
    page.goto(live_server + "/policies")
    assert page.title() == "政策清单 · 京津冀协同发展平台"
    assert page.locator(".policy-item").count() >= 20
    page.fill("#policy-q", "氢能")
    page.click("#policy-search button[type=submit]")
    page.wait_for_url("**/policies?q=*")
    items = page.locator("#policy-results .policy-item")
    expect(items.first).to_contain_text("氢能")
    assert 1 <= items.count() < 20
    assert page.locator("#policy-results .sample-badge").count() == items.count()
    page.fill("#policy-q", "%_\\\"'")
    page.click("#policy-search button[type=submit]")
    expect(page.locator("#policy-results")).to_contain_text("没有找到")
    page.goto(live_server + "/policies?q=" + "补贴")
    page.wait_for_timeout(200)
    screenshot(page, "policies")
    page.goto(live_server + "/policies?status=expired")
    assert page.locator(".expired-tag").count() == page.locator(".policy-item").count() >= 2
    page.goto(live_server + "/policies/eligibility")
    page.select_option("#eligibility-form select[name=place]", "130600")
    page.select_option("#eligibility-form select[name=industry]", "power-equipment")
    page.select_option("#eligibility-form select[name=size]", "中型")
    page.click("#eligibility-form button[type=submit]")
    results = page.locator("#eligibility-results")
    expect(results).to_contain_text("保定市电力装备产业集群发展扶持政策")
    assert page.locator("#eligibility-results li.met").count() >= 3
    assert page.locator("#eligibility-results li.unmet").count() >= 1
    screenshot(page, "policies-eligibility")
    page.goto(live_server + "/policies/compare?industry=hydrogen")
    columns = page.locator("#compare-grid > .panel")
    assert columns.count() == 3
    expect(columns.nth(0)).to_contain_text("北京市支持氢能产业")
    page.locator("#compare-grid .policy-item a").first.click()
    expect(page.locator("#policy-detail")).to_contain_text("适用地区")
