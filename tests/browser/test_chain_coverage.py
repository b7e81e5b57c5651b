"""The chain page with coverage in a real browser: 氢能 in 保定市."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

NODE_PIXEL = """(slug) => {
  const chart = echarts.getInstanceByDom(document.getElementById('chain-graph'));
  const node = chart.getOption().series[0].data.find((n) => n.id === slug);
  return chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);
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
    # Clicking a segment of the flow lists its enterprises in the selected place.
    x, y = page.evaluate(NODE_PIXEL, "hydrogen-fc-bop")
    box = page.locator("#chain-graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_selector("#coverage-enterprises .enterprise-list li", timeout=10_000)
    assert "燃料电池系统关键部件" in page.locator("#coverage-enterprises h2").inner_text()
    page.mouse.move(5, 5)  # leave the node so the whole flow is shown, not its neighbourhood
    page.wait_for_timeout(800)
    assert screenshot(page, "chain-hydrogen-baoding").stat().st_size > 30_000
