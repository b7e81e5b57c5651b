"""The chain page with coverage in a real browser: 氢能 in 保定市."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

NODE_PIXEL = """(slug) => {
  const chart = echarts.getInstanceByDom(document.getElementById('chain-graph'));
  const node = chart.getOption().series[0].data.find((n) => n.id === slug);
  return chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);
}"""


UNCERTAIN_NODES = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('chain-graph'));
  return chart.getOption().series[0].data
    .filter((n) => n.label && String(n.label.formatter).includes('不确定')).map((n) => n.id);
}"""


def test_chain_page_hydrogen_baoding(live_server: str, page: Page) -> None:
    page.goto(live_server + "/chains/hydrogen?place=130600")
    page.wait_for_selector("#chain-graph[data-coverage='130600']", timeout=20_000)
    page.wait_for_selector("#coverage-map[data-ready='true']", timeout=20_000)
    page.wait_for_selector("#suggestion-table tbody tr[data-id]", timeout=20_000)
    assert page.locator("#coverage-place").input_value() == "130600"
    assert "保定市" in page.locator("#coverage-summary").inner_text()
    assert page.locator("#coverage-sample").is_visible()
    rows = page.locator("#suggestion-table tbody tr").all()
    ids = [row.get_attribute("data-id") or "" for row in rows]
    assert ids and all(".130600.hydrogen-" in value for value in ids)
    kinds = set(page.locator("#suggestion-table .kind").all_inner_texts())
    assert kinds and kinds <= {"补链", "延链", "强链"}
    # statuses few enterprises carry are marked 不确定 (bootstrap stability below 80%)
    api = page.request.get(live_server + "/api/industries/hydrogen/coverage?place=130600").json()
    expected = sorted(s["segment"] for s in api["segments"] if s["status_uncertain"])
    assert expected, "the sample registry has uncertain statuses in 保定"
    assert sorted(page.evaluate(UNCERTAIN_NODES)) == expected
    badge = page.locator("#coverage-uncertain")
    assert badge.inner_text() == f"不确定 {len(expected)} 个"
    assert "自助抽样" in (badge.get_attribute("title") or "")
    assert page.locator(".coverage-legend .uncertain-badge").inner_text() == "不确定"
    # Clicking a segment of the flow lists its enterprises in the selected place.
    x, y = page.evaluate(NODE_PIXEL, "hydrogen-fc-bop")
    box = page.locator("#chain-graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector("#coverage-enterprises .enterprise-list li", timeout=10_000)
    assert "燃料电池系统关键部件" in page.locator("#coverage-enterprises h2").inner_text()
    status = page.locator("#coverage-enterprises .segment-status").inner_text()
    assert status.startswith("状态：") and "% 的结果与此相同" in status
    bop = next(s for s in api["segments"] if s["segment"] == "hydrogen-fc-bop")
    percent = math.floor(bop["status_stability"] * 100 + 0.5)  # Math.round, not banker's
    assert f"自助抽样中 {percent}% 的结果与此相同" in status
    assert ("不确定" in status) is bop["status_uncertain"]
    page.mouse.move(5, 5)  # leave the node so the whole flow is shown, not its neighbourhood
    page.wait_for_timeout(800)
    assert screenshot(page, "chain-hydrogen-baoding").stat().st_size > 30_000
