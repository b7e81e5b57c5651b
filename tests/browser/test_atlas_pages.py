"""The atlas pages in a real browser: the overview map and an industry's chain map."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PREFECTURE_UNITS = [
    "110000",
    "120000",
    "130100",
    "130200",
    "130300",
    "130400",
    "130500",
    "130600",
    "130700",
    "130800",
    "130900",
    "131000",
    "131100",
    "133100",  # 雄安新区, a unit of its own
]


def test_overview_map_renders_all_prefecture_boundaries(live_server: str, page: Page) -> None:
    page.goto(live_server + "/")
    page.wait_for_selector("#overview-map[data-ready='true']", timeout=20_000)
    page.wait_for_timeout(800)  # let the first frame finish
    state = page.evaluate(
        """() => {
        const chart = echarts.getInstanceByDom(document.getElementById('overview-map'));
        const option = chart.getOption();
        const map = echarts.getMap('jingjinji');
        const box = chart.getDom().getBoundingClientRect();
        const centres = map.geoJSON.features.map((f) => {
            const [x, y] = chart.convertToPixel({geoIndex: 0}, f.properties.center);
            return {adcode: f.properties.adcode,
                    inside: x > 0 && y > 0 && x < box.width && y < box.height};
        });
        return {
            codes: map.geoJSON.features.map((f) => f.properties.adcode),
            regions: option.series[0].data.map((d) => d.name),
            centres: centres,
            series: option.series.map((s) => [s.type, s.name, s.data.length]),
            legend: option.legend[0].data.map((d) => d.name),
        };
    }"""
    )
    assert state["codes"] == PREFECTURE_UNITS
    assert len(state["regions"]) == 14 and {"保定市", "雄安新区"} <= set(state["regions"])
    assert all(c["inside"] for c in state["centres"]), state["centres"]
    lines = [s for s in state["series"] if s[0] == "lines"]
    assert [name for _, name, _ in lines] == [
        "京津新一代信息技术",
        "京保石新能源装备",
        "京唐秦机器人",
        "京张承绿色算力和绿色能源",
        "京雄空天信息",
    ]
    scatter = {name: count for kind, name, count in state["series"] if kind == "scatter"}
    assert scatter["高新区联盟"] == 9
    assert scatter["“2+4+N”承接平台"] >= 6
    assert "高新区联盟" in state["legend"]
    assert screenshot(page, "overview").stat().st_size > 30_000


def test_legend_toggles_a_layer(live_server: str, page: Page) -> None:
    page.goto(live_server + "/")
    page.wait_for_selector("#overview-map[data-ready='true']", timeout=20_000)
    selected = page.evaluate(
        """() => {
        const chart = echarts.getInstanceByDom(document.getElementById('overview-map'));
        chart.dispatchAction({type: 'legendToggleSelect', name: '高新区联盟'});
        return chart.getOption().legend[0].selected;
    }"""
    )
    assert selected["高新区联盟"] is False


def test_clicking_a_city_opens_its_panel(live_server: str, page: Page) -> None:
    page.goto(live_server + "/")
    page.wait_for_selector("#overview-map[data-ready='true']", timeout=20_000)
    page.locator("#overview-map").scroll_into_view_if_needed()  # the map sits below key figures
    page.wait_for_timeout(500)
    point = page.evaluate(
        """() => {
        const chart = echarts.getInstanceByDom(document.getElementById('overview-map'));
        const feature = echarts.getMap('jingjinji').geoJSON.features
            .find((f) => f.properties.adcode === '130200');
        const [x, y] = chart.convertToPixel({geoIndex: 0}, [118.35, 39.9]);
        const box = chart.getDom().getBoundingClientRect();
        return {x: box.left + x, y: box.top + y, name: feature.properties.name};
    }"""
    )
    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#place-panel .side-body")
    panel.locator("h2[data-adcode='130200']").wait_for(timeout=10_000)
    text = panel.inner_text()
    assert "唐山市" in text
    assert "京唐秦机器人产业廊道" in text
    assert "唐山高新区" in text
    assert "机器人" in text
    assert panel.locator("a[href='/chains/robotics']").count() == 1


def test_chain_page_shows_the_flow(live_server: str, page: Page) -> None:
    page.goto(live_server + "/chains")
    assert page.locator(".chain-card").count() == 9
    page.goto(live_server + "/chains/hydrogen")
    page.wait_for_selector("#chain-graph[data-ready='true']", timeout=20_000)
    page.wait_for_timeout(900)
    state = page.evaluate(
        """() => {
        const chart = echarts.getInstanceByDom(document.getElementById('chain-graph'));
        const series = chart.getOption().series[0];
        const xs = {};
        for (const node of series.data) { xs[node.id] = node.x; }
        return {nodes: series.data.length, links: series.links.length, xs: xs,
                categories: series.categories.map((c) => c.name)};
    }"""
    )
    assert state["nodes"] == 22
    assert state["links"] == 31
    assert state["categories"] == ["上游", "中游", "下游"]
    xs = state["xs"]
    assert (
        xs["hydrogen-electrolyzer"] < xs["hydrogen-refueling-station"] < xs["hydrogen-fc-vehicle"]
    )
    assert xs["hydrogen-fc-mea"] < xs["hydrogen-fc-stack"] < xs["hydrogen-fc-system"]
    assert page.locator("#segment-hydrogen-fc-mea").inner_text().count("膜电极") >= 1
    screenshot(page, "chain-hydrogen")
    node = page.evaluate(
        """() => {
        const chart = echarts.getInstanceByDom(document.getElementById('chain-graph'));
        const [x, y] = chart.convertToPixel({seriesIndex: 0}, [0, 0]);
        return chart.getOption().series[0].data.find((n) => n.id === 'hydrogen-fc-mea');
    }"""
    )
    assert node["name"] == "膜电极"
