"""The platform's own story in two browsers, as two organizations live it: a gap in 保定 becomes
a draft demand, is edited and published from 我的工作台; a Beijing university's achievement
matches it; the 保定 side expresses 意向, the university accepts, 签约 is proposed with contract
terms and confirmed, 落地 likewise; the deal is registered as a project whose stage is set to 投产
on the project page; the chain map and 协同成效 change, and each side sees the other's steps in
its inbox."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import create_user, screenshot, sign_in

pytestmark = pytest.mark.browser

PLACE = "130600"


@pytest.fixture
def two_sides(browser: Browser) -> Iterator[tuple[Page, Page]]:
    """Two browser contexts (two people, two organizations); JavaScript errors fail the test."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        tab = context.new_page()
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        contexts.append(context)
        pages.append(tab)
    yield pages[0], pages[1]
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def csrf(page: Page) -> str:
    return page.locator("input[name=csrf_token]").first.get_attribute("value") or ""


def get_json(page: Page, url: str) -> dict:  # type: ignore[type-arg]
    response = page.request.get(url)
    assert response.ok, response.text()
    return dict(response.json())


def open_deal(page: Page, base: str, match_id: str) -> None:
    page.goto(f"{base}/market/deals/{match_id}")
    deal_ready(page)


def deal_ready(page: Page) -> None:
    """Wait until deal.js has bound the page's buttons and forms (it marks #deal)."""
    page.wait_for_selector("#deal[data-ready=true]")


def wait_stage(page: Page, stage: str) -> None:
    page.wait_for_function(
        "stage => { const deal = document.querySelector('#deal');"
        " return deal?.dataset.stage === stage && deal.dataset.ready === 'true'; }",
        arg=stage,
    )


def test_gap_to_deal_to_project_with_two_parties(
    live_server: str, two_sides: tuple[Page, Page]
) -> None:
    baoding, beijing = two_sides
    sign_in(
        baoding, live_server, create_user("保定市协同测试促进中心", kind="government", place=PLACE)
    )
    sign_in(
        beijing, live_server, create_user("北京协同测试大学", kind="university", place="110108")
    )

    # the gap and what the chain map and the loop say before
    suggestions = get_json(
        baoding, f"{live_server}/api/industries/hydrogen/suggestions?place={PLACE}"
    )
    gap = suggestions["data"][0]
    segment = gap["segment"]
    industry = get_json(baoding, f"{live_server}/api/industries/hydrogen")
    info = next(s for s in industry["segments"] if s["slug"] == segment)
    before = get_json(baoding, f"{live_server}/api/loop?industry=hydrogen&place={PLACE}")

    # the university publishes an achievement on that segment
    beijing.goto(live_server + "/market")
    offer = beijing.request.post(
        f"{live_server}/api/listings",
        headers={"X-CSRF-Token": csrf(beijing), "Content-Type": "application/json"},
        data=json.dumps(
            {
                "kind": "achievement",
                "status": "published",
                "title": f"{info['name']}关键技术与工程化",
                "summary": f"{info['name']}：{'、'.join(info['keywords'][:6])}，已完成中试验证。",
                "keywords": info["keywords"][:6],
                "segments": [segment],
                "place_adcode": "110108",
                "stage": "中试",
                "contact": "技术转移办公室 王老师 010-0000 0000（示例）",
            },
            ensure_ascii=False,
        ),
    )
    assert offer.ok, offer.text()
    offer_id = offer.json()["id"]

    # 1. the 保定 planner turns the gap into a draft demand on the chain page
    baoding.goto(f"{live_server}/chains/hydrogen?place={PLACE}")
    button = baoding.locator(
        f"#suggestion-table button[data-draft='{gap['id']}'][data-kind=demand]"
    )
    button.wait_for(timeout=60_000)
    button.click()
    draft = baoding.locator("#suggestion-table tr.draft-row a[data-listing]")
    draft.wait_for(timeout=30_000)
    demand_id = draft.get_attribute("data-listing")
    screenshot(baoding, "story-1-draft")

    # 2. it waits in 我的工作台 as a draft, opens in the edit form, is edited and published
    baoding.goto(live_server + "/me")
    row = baoding.locator(f"#section-draft li[data-listing-id='{demand_id}']")
    row.wait_for()
    row.locator("[data-action=edit]").click()
    baoding.wait_for_selector("#publish-form[data-listing-id]")
    title = baoding.locator("#publish-form input[name=title]")
    title.fill(title.input_value() + "（冬季工况）")
    screenshot(baoding, "story-2-edit")
    baoding.locator("#publish-form button[type=submit][data-status=published]").click()
    baoding.wait_for_url(f"**/market/listings/{demand_id}")
    assert "（冬季工况）" in baoding.locator("h1").first.inner_text()

    # 3. the 保定 side expresses 意向 to the university's achievement
    match = baoding.locator(f"#match-list li.match:has(a[href='/market/listings/{offer_id}'])")
    match.wait_for()
    match.locator("button[data-transition=意向]").click()
    baoding.wait_for_selector(
        f"#match-list li.match:has(a[href='/market/listings/{offer_id}']) .tag.stage:text('意向')"
    )
    match_id = match.get_attribute("data-match") or ""
    open_deal(baoding, live_server, match_id)
    assert "等待对方接受意向" in baoding.locator("#deal-turn").inner_text()
    assert "双方接受洽谈后可见" in baoding.locator("[data-party=achievement]").inner_text()
    screenshot(baoding, "story-3-intent")

    # 4. the university is told, opens the deal from its inbox and accepts
    beijing.goto(live_server + "/inbox")
    notice = beijing.locator(f"#inbox-list a[href='/market/deals/{match_id}']").first
    notice.wait_for()
    assert "表达了对接意向" in notice.inner_text()
    notice.click()
    deal_ready(beijing)
    assert "待我方处理" in beijing.locator("#deal-turn").inner_text()
    beijing.locator("button[data-step=洽谈]").click()
    wait_stage(beijing, "洽谈")
    assert "双方接受洽谈后可见" not in beijing.locator("[data-party=demand]").inner_text()
    screenshot(beijing, "story-4-accepted")

    # 5. 保定 proposes 签约 with the contract; the university confirms
    open_deal(baoding, live_server, match_id)
    assert "王老师" in baoding.locator("[data-party=achievement]").inner_text()
    form = baoding.locator("form.contract-form[data-step=签约]").first
    form.locator("select[name=type]").select_option("技术许可")
    form.locator("input[name=amount]").fill("350")
    form.locator("input[name=signed_on]").fill("2026-11-20")
    form.locator("button[type=submit]").click()
    baoding.wait_for_selector("#deal-pending")
    assert "等待对方确认签约" in baoding.locator("#deal-turn").inner_text()
    screenshot(baoding, "story-5-proposed")
    open_deal(beijing, live_server, match_id)
    assert "350 万元" in beijing.locator("#deal-pending").inner_text()
    beijing.locator("button[data-step=签约]").click()
    wait_stage(beijing, "签约")
    assert "350 万元" in beijing.locator("#deal-contract").inner_text()

    # 6. the university proposes 落地; 保定 confirms and registers the project
    beijing.locator("button[data-step=落地]").click()
    beijing.wait_for_selector("#deal-pending")
    open_deal(baoding, live_server, match_id)
    baoding.locator("button[data-step=落地]").click()
    wait_stage(baoding, "落地")
    screenshot(baoding, "story-6-landed")
    baoding.locator("#register-project").click()
    baoding.wait_for_url("**/projects/*")
    baoding.wait_for_selector("#project-detail[data-ready=true]")
    assert "0.04" in baoding.locator("#fact-investment").inner_text()  # 350 万元 in 亿元

    # 7. its stage is set to 投产 from the project page
    baoding.locator("#stage-form input[value=投产]").check()
    baoding.locator("#stage-date").fill("2026-11-30")
    baoding.locator("#stage-form button[type=submit]").click()
    baoding.wait_for_function(
        "() => document.querySelector('#project-stage')?.textContent.trim() === '投产'"
    )
    assert "投产" in baoding.locator("#project-history").inner_text()
    screenshot(baoding, "story-7-operating")

    # 8. the chain map and the 协同成效 figures changed
    coverage = get_json(baoding, f"{live_server}/api/industries/hydrogen/coverage?place={PLACE}")
    row_after = next(s for s in coverage["segments"] if s["segment"] == segment)
    assert row_after["projects_operating"] >= 1
    after = get_json(baoding, f"{live_server}/api/loop?industry=hydrogen&place={PLACE}")
    for key in ("deals_signed", "deals_landed", "projects_operating"):
        assert after["totals"][key] == before["totals"][key] + 1, key
    baoding.goto(f"{live_server}/chains/hydrogen?place={PLACE}")
    baoding.wait_for_selector("#suggestion-table")
    screenshot(baoding, "story-8-chain")

    # 9. each side saw the other's steps in its inbox
    baoding.goto(live_server + "/inbox")
    told = baoding.locator(f"#inbox-list a[href='/market/deals/{match_id}']")
    texts = " ".join(told.all_inner_texts())
    assert "接受了意向" in texts and "确认签约" in texts and "提议落地" in texts
    beijing.goto(live_server + "/inbox")
    texts = " ".join(
        beijing.locator(f"#inbox-list a[href='/market/deals/{match_id}']").all_inner_texts()
    )
    assert "提议签约" in texts and "确认落地" in texts
