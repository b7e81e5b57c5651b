"""The 指标评价 page in a real browser: sample panel (示例数据) with ranking, map, trend,
radar, coupling levels and weights; the province panel as a bar chart; an analyst's upload."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from jingjinji import auth
from jingjinji.store import create_db_engine, make_session_factory
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "indicators-browser-1"


def _chart_series_type(page: Page, element_id: str) -> str:
    return str(
        page.evaluate(
            """id => {
                const chart = echarts.getInstanceByDom(document.getElementById(id));
                return chart ? chart.getOption().series[0].type : "";
            }""",
            element_id,
        )
    )


def test_sample_panel_shows_ranking_charts_and_label(live_server: str, page: Page) -> None:
    page.goto(live_server + "/indicators")
    assert page.title() == "指标评价 · 京津冀协同发展平台"
    rows = page.locator("#ranking-table tbody tr")
    expect(rows).to_have_count(13, timeout=15_000)
    expect(page.locator("#sample-banner")).to_contain_text("示例数据")
    expect(page.locator("#result-sample")).to_be_visible()
    expect(page.locator("#busy")).to_be_hidden()
    # charts drawn: the index map (prefecture boundaries), trend lines, radar
    page.wait_for_function(
        """() => {
            const c = echarts.getInstanceByDom(document.getElementById("index-chart"));
            const o = c && c.getOption();  // a chart made but not yet drawn has no option
            return !!(o && o.series && o.series[0].type === "map");
        }""",
        timeout=15_000,
    )
    assert _chart_series_type(page, "trend-chart") == "line"
    assert _chart_series_type(page, "radar-chart") == "radar"
    assert page.locator("#trend-chart canvas").count() == 1
    assert rows.first.locator("td.rank").inner_text() == "1"
    expect(page.locator("#level-legend .level-chip")).to_have_count(10)
    expect(page.locator("#coupling-table tbody tr")).to_have_count(13)
    expect(page.locator("#weights-table tbody tr")).to_have_count(24)
    href = page.locator("#download-link").get_attribute("href") or ""
    assert href.startswith("/api/indicators/preview/workbook?")
    expect(page.locator("#dual-ten .monitor-card")).to_have_count(2)
    expect(page.locator("#facts [data-fact=beijing_hqd_index]")).to_contain_text("0.612")
    expect(page.locator("#facts [data-fact=beijing_hqd_index]")).to_contain_text("0.960")
    page.wait_for_timeout(800)  # let the chart animations finish before the screenshot
    assert screenshot(page, "indicators").stat().st_size > 50_000

    # another year: the table and the map follow
    page.select_option("#year-select", "2012")
    expect(page.locator("#ranking-caption")).to_contain_text("2012")


def test_province_panel_shows_bar_chart_and_nbs_provenance(live_server: str, page: Page) -> None:
    page.goto(live_server + "/indicators")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(13, timeout=15_000)
    page.select_option("#panel-select", "province")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(31, timeout=15_000)
    expect(page.locator("#real-banner")).to_contain_text("National Bureau of Statistics")
    expect(page.locator("#result-sample")).to_be_hidden()
    expect(page.locator("#result-meta")).to_contain_text("线性插值")
    assert _chart_series_type(page, "index-chart") == "bar"
    page.wait_for_timeout(800)
    screenshot(page, "indicators-province")


def _make_analyst() -> str:
    engine = create_db_engine(os.environ["JJJ_LIVE_DATABASE_URL"])
    with make_session_factory(engine)() as session:
        org = auth.create_organization(
            session, name=f"评价测试机构{uuid.uuid4().hex[:6]}", kind="government"
        )
        name = f"analyst_{uuid.uuid4().hex[:6]}"
        auth.create_user(
            session, username=name, password=PASSWORD, role="analyst", organization=org
        )
        session.commit()
    engine.dispose()
    return name


def test_analyst_uploads_a_panel_and_sees_located_errors(
    live_server: str, page: Page, tmp_path: Path
) -> None:
    username = _make_analyst()
    page.goto(live_server + "/login?next=/indicators")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(live_server + "/indicators")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(13, timeout=15_000)

    bad = tmp_path / "坏面板.csv"
    bad.write_text("地区,年份,指标,数值\n北京,2022,pm25,abc\n", encoding="utf-8")
    page.select_option("#panel-select", "upload")
    page.set_input_files("#panel-file", str(bad))
    page.click("#save-button")
    expect(page.locator("#eval-error")).to_contain_text("坏面板.csv", timeout=15_000)
    expect(page.locator("#eval-error")).to_contain_text("第 2 行")

    good = tmp_path / "四地面板.csv"  # the audit log shows the name an analyst gave
    lines = ["地区,年份,指标,数值"]
    response = page.request.get(live_server + "/api/indicator-systems")
    systems = {s["id"]: s for s in response.json()["data"]}
    indicators = [
        i["id"] for d in systems["high_quality_development"]["dimensions"] for i in d["indicators"]
    ]
    for n, place in enumerate(("北京", "天津", "保定", "廊坊")):
        for year in (2022, 2023):
            lines += [
                f"{place},{year},{ind},{10 + n + k + year - 2022}"
                for k, ind in enumerate(indicators)
            ]
    good.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.set_input_files("#panel-file", str(good))
    page.click("#save-button")
    expect(page.locator("#result-meta")).to_contain_text("已保存为第", timeout=15_000)
    expect(page.locator("#ranking-table tbody tr")).to_have_count(4)
    expect(page.locator("#eval-error")).to_be_hidden()
    expect(page.locator("#saved-table tbody tr")).to_have_count(1)
    assert "/api/evaluations/" in (page.locator("#download-link").get_attribute("href") or "")
    page.wait_for_timeout(800)
    screenshot(page, "indicators-upload")


DATA = Path(__file__).parents[1] / "indicators" / "data"


def test_analyst_brings_an_own_system_and_sees_disparity_and_stability(
    live_server: str, page: Page
) -> None:
    username = _make_analyst()
    page.goto(live_server + "/login?next=/indicators")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(live_server + "/indicators")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(13)
    # the sample preview already shows the disparity and the stability of its ranks
    expect(page.locator("#disparity-table tbody tr")).to_have_count(12)
    expect(page.locator("#stability-table tbody tr")).to_have_count(13)

    page.set_input_files("#system-file", str(DATA / "own_system.csv"))
    page.click("#system-upload")
    expect(page.locator("#system-table tbody tr")).to_have_count(6)
    expect(page.locator("#system-summary")).to_contain_text("京津冀城市协同发展")
    expect(page.locator("#system-table")).to_contain_text("适度（目标值 55）")
    expect(page.locator("#system-select")).to_have_value(re.compile(r"^custom_\d+$"))
    expect(page.locator("#drop-dimensions input")).to_have_count(2)

    panel = {  # as an analyst names a file: in Chinese (the audit log shows the name)
        "name": "城市协同面板.csv",
        "mimeType": "text/csv",
        "buffer": (DATA / "own_panel.csv").read_bytes(),
    }
    page.set_input_files("#panel-file", files=[panel])
    page.fill("#shift", "0.0001")
    page.select_option("#coupling-form", "traditional")
    page.click("#save-button")
    expect(page.locator("#result-title")).to_have_text("京津冀城市协同发展")
    expect(page.locator("#result-meta")).to_contain_text("耦合度：传统模型")
    expect(page.locator("#result-meta")).to_contain_text("熵值平移量：0.0001")
    expect(page.locator("#ranking-table tbody tr")).to_have_count(13)
    expect(page.locator("#coupling-note")).to_contain_text("传统模型")
    expect(page.locator("#disparity-table tbody tr")).to_have_count(3)
    expect(page.locator("#moran-table tbody tr")).to_have_count(3)
    expect(page.locator("#lisa-table tbody tr")).to_have_count(13)
    expect(page.locator("#stability-table tbody tr")).to_have_count(13)
    expect(page.locator("#eval-error")).to_be_hidden()
    screenshot(page, "indicators-own-system")

    bad = DATA.parent / "data" / "README.md"  # not a table: refused with the reason
    page.set_input_files("#system-file", str(bad))
    page.click("#system-upload")
    expect(page.locator("#system-error")).to_be_visible()
