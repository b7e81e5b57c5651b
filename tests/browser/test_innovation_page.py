"""创新链与产业链 in a real browser: the four cases of a city on the chain page (氢能 in 保定市
and in a district of 天津), the matrix, the 创新链 layer of the chain graph; the patent list
and the patent import page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import create_user, screenshot, sign_in

pytestmark = pytest.mark.browser

FOUR = ("协同", "成果外溢", "技术需求", "缺口")
#: chain_innovation.js's node fills per case.
CASE_FILL = {
    "协同": "#2f855a",
    "成果外溢": "#2b6cb0",
    "技术需求": "#ed8936",
    "缺口": "#cbd5e0",
    "无": "#f7fafc",
}

NODE_COLOURS = """() => {
  const chart = echarts.getInstanceByDom(document.getElementById('chain-graph'));
  const out = {};
  chart.getOption().series[0].data.forEach((n) => {
    out[n.id] = n.itemStyle && n.itemStyle.color ? n.itemStyle.color : null;
  });
  return out;
}"""


def _innovation(page: Page, base: str, query: str) -> dict[str, Any]:
    response = page.request.get(f"{base}/api/industries/hydrogen/innovation?{query}")
    assert response.ok, response.text()
    body: dict[str, Any] = response.json()
    return body


def _check_city(page: Page, api: dict[str, Any]) -> None:
    """The cards, the table and the matrix show what the API says of the city."""
    cases = api["place_cases"]
    for case in FOUR:
        card = page.locator(f'#innovation-cases .case-card[data-case="{case}"] .case-count')
        expect(card).to_have_text(str(cases[case]))
    rows = page.locator("#innovation-table tbody tr")
    expect(rows).to_have_count(len(api["place_cells"]))
    shown = [
        (row.get_attribute("data-segment"), row.get_attribute("data-case")) for row in rows.all()
    ]
    assert shown == [(c["segment"], c["case"]) for c in api["place_cells"]]
    for cell in api["place_cells"]:
        row = page.locator(f'#innovation-table tr[data-segment="{cell["segment"]}"]')
        text = row.inner_text()
        assert cell["segment_name"] in text and cell["case"] in text and cell["advice"] in text
        for partner in cell["partners"]:
            assert partner["place_name"] in text
        if cell["partners"] and cell["case"] == "成果外溢":
            assert "可承接的地市" in text
        elif cell["partners"] and cell["case"] in ("技术需求", "缺口"):
            assert "可对接的成果来源" in text
    matrix = page.locator("#innovation-matrix")
    expect(matrix.locator("tbody tr")).to_have_count(len(api["segments"]))
    expect(matrix.locator("thead th")).to_have_count(len(api["places"]) + 1)
    expect(matrix.locator("td.matrix-cell")).to_have_count(
        len(api["segments"]) * len(api["places"])
    )
    chosen = matrix.locator(f'td.is-place[data-place="{api["place"]["adcode"]}"]')
    expect(chosen).to_have_count(len(api["segments"]))
    first = api["segments"][0]
    for cell in first["cells"]:
        td = matrix.locator(
            f'tr[data-segment="{first["segment"]}"] td[data-place="{cell["place"]}"]'
        )
        expect(td).to_have_text(f"{cell['patents']} / {cell['enterprises']}")
        assert td.get_attribute("data-case") == cell["case"]


def test_chain_page_innovation_baoding(live_server: str, page: Page) -> None:
    page.goto(live_server + "/chains/hydrogen?place=130600")
    page.wait_for_selector("#innovation[data-ready='true'][data-place='130600']")
    api = _innovation(page, live_server, "place=130600")
    assert api["is_sample"], "the sample database has sample patents"
    assert sum(api["place_cases"][c] for c in FOUR) > 0
    expect(page.locator("#innovation-place-title")).to_have_text("保定市：两链情形")
    _check_city(page, api)
    expect(page.locator("#innovation-sample")).to_be_visible()
    expect(page.locator("#innovation-provenance")).to_contain_text(api["provenance"]["note"])
    # the method, collapsed until opened
    method = page.locator("#innovation-method")
    expect(method).to_be_hidden()
    page.locator(".innovation-method summary").click()
    expect(method).to_have_text(api["method"])

    # the 创新链 layer colours each segment of the graph by its case in 保定
    page.wait_for_selector("#chain-graph[data-coverage='130600']")
    before = page.evaluate(NODE_COLOURS)
    toggle = page.locator("#layer-toggle button[data-layer='innovation']")
    expect(toggle).to_be_enabled()
    toggle.click()
    page.wait_for_selector("#chain-graph[data-layer='innovation'][data-innovation='130600']")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    colours = page.evaluate(NODE_COLOURS)
    expected = {c["segment"]: CASE_FILL[c["case"]] for c in api["place_cells"]}
    assert colours == expected
    page.locator("#chain-graph").scroll_into_view_if_needed()
    assert screenshot(page, "chain-hydrogen-innovation-baoding").stat().st_size > 30_000
    # back to 产业链: chain_coverage.js's colours return
    page.locator("#layer-toggle button[data-layer='chain']").click()
    page.wait_for_selector("#chain-graph[data-layer='chain']")
    assert page.evaluate(NODE_COLOURS) == before

    # counting design and lapsed patents reloads the figures with the API's
    page.locator("#innovation-design").check()
    page.locator("#innovation-lapsed").check()
    page.wait_for_url("**design=true**")
    page.wait_for_selector("#innovation[data-ready='true'][data-place='130600']")
    wider = _innovation(page, live_server, "place=130600&design=true&lapsed=true")
    _check_city(page, wider)
    total = sum(cell["patents"] for cell in wider["place_cells"])
    assert total >= sum(cell["patents"] for cell in api["place_cells"])


def test_chain_page_innovation_tianjin_district(live_server: str, page: Page) -> None:
    """A district of 天津 shows 天津市 (the API counts prefecture-level units); the 创新链
    layer follows a change of place in the coverage toolbar."""
    page.goto(live_server + "/chains/hydrogen?place=120116")
    page.wait_for_selector("#innovation[data-ready='true'][data-place='120000']")
    api = _innovation(page, live_server, "place=120000")
    expect(page.locator("#innovation-place-title")).to_have_text("天津市：两链情形")
    expect(page.locator("#innovation-place-note")).to_contain_text("所在的天津市")
    _check_city(page, api)
    page.locator("#layer-toggle button[data-layer='innovation']").click()
    page.wait_for_selector("#chain-graph[data-innovation='120000']")
    # another city in the toolbar: the cards and the layer follow
    page.select_option("#coverage-place", "130200")
    page.wait_for_selector("#innovation[data-ready='true'][data-place='130200']")
    page.wait_for_selector("#chain-graph[data-innovation='130200'][data-coverage='130200']")
    tangshan = _innovation(page, live_server, "place=130200")
    _check_city(page, tangshan)
    expected = {c["segment"]: CASE_FILL[c["case"]] for c in tangshan["place_cells"]}
    assert page.evaluate(NODE_COLOURS) == expected


def test_chain_page_innovation_region_shows_the_matrix_only(live_server: str, page: Page) -> None:
    page.goto(live_server + "/chains/hydrogen?place=region")
    page.wait_for_selector("#innovation[data-ready='true'][data-place='none']")
    api = _innovation(page, live_server, "")
    expect(page.locator("#innovation-place")).to_be_hidden()
    expect(page.locator("#innovation-scope-note")).to_be_visible()
    expect(page.locator("#innovation-matrix tbody tr")).to_have_count(len(api["segments"]))
    expect(page.locator("#layer-toggle button[data-layer='innovation']")).to_be_disabled()
    # a province that is no city (河北省): the matrix too, no error
    page.select_option("#coverage-place", "130000")
    page.wait_for_selector("#innovation[data-ready='true'][data-place='none']")
    expect(page.locator("#innovation-scope-note")).to_be_visible()
    expect(page.locator("#innovation-status")).to_have_text("")


def test_patent_list_shows_sample_patents_and_evidence(live_server: str, page: Page) -> None:
    page.goto(live_server + "/patents")
    expect(page.locator("h1")).to_have_text("专利与创新链")
    items = page.locator("li.patent")
    expect(items.first).to_be_visible()
    expect(page.locator("#patent-sample")).to_have_text("示例数据")
    expect(items.first.locator(".sample-badge")).to_have_text("示例数据")
    api = page.request.get(live_server + "/api/patents?limit=20").json()
    expect(page.locator("#patent-count")).to_contain_text(f"共 {api['count']} 件")
    first = api["data"][0]
    assert items.first.get_attribute("data-id") == str(first["id"])
    # the evidence of a patent on a segment: IPC groups with their basis, words found
    placed = next(p for p in api["data"] if p["segments"])
    item = page.locator(f"#patent-{placed['id']}")
    details = item.locator("details.patent-detail")
    details.locator("summary").click()
    evidence = details.locator(".evidence")
    expect(evidence).to_have_count(len(placed["segments"]))
    for segment in placed["segments"]:
        expect(details).to_contain_text(segment["segment_name"])
        for entry in segment["evidence"]:
            if entry.get("kind") == "ipc":
                expect(details).to_contain_text(entry["group"])
                expect(details).to_contain_text(entry["basis"])
            else:
                expect(details).to_contain_text(f"“{entry['word']}”")
    # filtering by industry reloads the list with the API's count
    page.select_option("#patent-industry", "hydrogen")
    page.wait_for_url("**industry=hydrogen**")
    hydrogen = page.request.get(live_server + "/api/patents?industry=hydrogen&limit=1").json()
    expect(page.locator("#patent-count")).to_contain_text(f"共 {hydrogen['count']} 件")
    expect(page.locator("#patent-segment")).to_be_visible()
    expect(page.locator(".hero-actions a[href='/chains/hydrogen#innovation']")).to_be_visible()
    assert screenshot(page, "patents-hydrogen").stat().st_size > 20_000


def test_patent_import_page(live_server: str, page: Page) -> None:
    page.goto(live_server + "/patents/import")
    expect(page.locator("h1")).to_have_text("导入专利")
    expect(page.locator("a[href='/api/templates/patents']")).to_be_visible()
    columns = page.locator("#patent-columns")
    for header in ("申请号", "申请(专利权)人", "主分类号", "法律状态"):
        expect(columns).to_contain_text(header)
    expect(page.locator(".import-notes")).to_contain_text("按申请号更新")
    template = page.request.get(live_server + "/api/templates/patents")
    assert template.ok and template.body()[:2] == b"PK"
    # an editor gets the upload form posting to the patent import
    sign_in(page, live_server, create_user("浏览器测试专利导入单位", place="130600"))
    page.goto(live_server + "/patents/import")
    form = page.locator("#patent-import form[data-import-url='/api/patents/import']")
    expect(form).to_be_visible()
    expect(page.locator("#patent-import a[href='/api/templates/patents']")).to_be_visible()


def test_an_editor_drafts_a_push_and_a_demand_from_the_two_chains(
    page: Page, live_server: str
) -> None:
    """The suggestions of the chosen city are listed; a click drafts a listing of the editor's
    organization, a second click returns the same draft."""
    sign_in(page, live_server, create_user("浏览器测试两链对接单位", place="110000"))
    page.goto(f"{live_server}/chains/hydrogen?place=110000")
    expect(page.locator("#innovation[data-ready=true]")).to_have_count(1, timeout=20_000)
    api = page.request.get(f"{live_server}/api/industries/hydrogen/innovation/suggestions").json()
    pushes = [item for item in api["data"] if item["kind"] == "push"]
    assert pushes, "the sample has Beijing patents without deals"
    items = page.locator("#innovation-suggestion-list li.innovation-suggestion[data-kind=push]")
    expect(items).to_have_count(min(len(pushes), 12), timeout=20_000)
    first = items.first
    segment = first.get_attribute("data-segment")
    first.locator("button[data-draft=push]").click()
    link = first.locator("a[data-draft-link]")
    expect(link).to_have_count(1, timeout=20_000)
    listing_id = link.get_attribute("data-draft-link")
    listing = page.request.get(f"{live_server}/api/listings/{listing_id}").json()
    assert listing["kind"] == "achievement" and listing["status"] == "draft"
    assert segment in listing["segments"] or segment in str(listing["segments"])
    screenshot(page, "innovation-drafts")
