"""我的工作台 and editing listings: each organization sees its own listings in the right
section, its deals from both sides with what waits for whom, its projects, follows, inbox and
evaluations; the edit form is for owners only and refuses a stale version; anonymous
visitors of the publish page see what publishing needs."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jingjinji import market
from jingjinji.store.models import (
    Evaluation,
    Follow,
    GapListing,
    InboxItem,
    Listing,
    Match,
    Organization,
    Project,
    User,
)
from tests.conftest import OrgFactory, UserFactory, login

pytestmark = pytest.mark.db

TODAY = date.today()


def _listing(db: Session, org: Organization, title: str, **values: Any) -> Listing:
    row = Listing(
        kind=values.pop("kind", "demand"),
        title=title,
        summary=values.pop("summary", f"{title}的说明"),
        organization_id=org.id,
        place_adcode=values.pop("place_adcode", "130600"),
        status=values.pop("status", "draft"),
        **values,
    )
    db.add(row)
    db.commit()
    return row


def _as(client: TestClient, user: User) -> str:
    """Sign ``client`` in as ``user`` (after signing out whoever was signed in)."""
    client.cookies.clear()
    return login(client, user)


def _sections(body: dict[str, Any]) -> dict[str, list[str]]:
    return {s["key"]: [item["title"] for item in s["data"]] for s in body["sections"]}


def _section_html(page: str, key: str) -> str:
    """The markup of one listing section of the /me page."""
    start = page.index(f'id="section-{key}"')
    end = page.find('<div class="ws-section"', start + 1)
    return page[start : end if end > 0 else page.index('id="ws-deals"')]


def test_anonymous_is_sent_to_sign_in(client: TestClient) -> None:
    page = client.get("/me", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/me"
    assert client.get("/api/me").status_code == 401
    assert 'href="/me"' not in client.get("/").text


def test_listings_by_section_own_organization_only(
    client: TestClient, make_org: OrgFactory, make_user: UserFactory, db: Session
) -> None:
    org_a, org_b = make_org(name="甲机构"), make_org(name="乙机构")
    draft = _listing(db, org_a, "甲的草稿", valid_until=TODAY + timedelta(days=30))
    published = _listing(db, org_a, "甲的已发布", status="published", budget=300.0)
    closed = _listing(db, org_a, "甲的已关闭", status="closed")
    expired = _listing(
        db, org_a, "甲的已过期", status="published", valid_until=TODAY - timedelta(days=1)
    )
    _listing(db, org_b, "乙的草稿")
    _listing(db, org_b, "乙的已发布", status="published")
    gap = GapListing(
        suggestion_id="fill.130600.hydrogen-fc-mea",
        kind="fill",
        industry="hydrogen",
        segment="hydrogen-fc-mea",
        place_key="130600",
        listing_id=draft.id,
        organization_id=org_a.id,
    )
    db.add(gap)
    db.commit()

    _as(client, make_user("editor", org=org_a))
    body = client.get("/api/me").json()
    assert _sections(body) == {
        "draft": ["甲的草稿"],
        "published": ["甲的已发布"],
        "closed": ["甲的已关闭"],
        "expired": ["甲的已过期"],
    }
    counts = body["counts"]
    assert (counts["draft"], counts["published"], counts["closed"], counts["expired"]) == (
        1,
        1,
        1,
        1,
    )
    items = {item["id"]: item for s in body["sections"] for item in s["data"]}
    assert items[draft.id]["actions"] == ["edit", "publish"]
    assert items[published.id]["actions"] == ["edit", "withdraw"]
    assert items[closed.id]["actions"] == ["edit", "renew"]
    assert items[expired.id]["actions"] == ["edit", "renew"]
    values = {c.key: getattr(published, c.key) for c in Listing.__table__.columns}
    expected = market.completeness("demand", values)
    assert items[published.id]["completeness"] == expected.score
    assert items[published.id]["missing"] == expected.missing
    assert items[draft.id]["gap"]["place_name"] == "保定市"
    assert items[draft.id]["gap"]["segment_name"] == "膜电极"
    assert items[draft.id]["gap"]["gap_label"] == "补链"
    assert items[published.id]["gap"] is None
    assert body["evaluations"] is None  # editors do not run evaluations

    page = client.get("/me")
    assert page.status_code == 200 and 'href="/me"' in page.text
    assert "甲的草稿" in _section_html(page.text, "draft")
    assert "来自链图缺口" in _section_html(page.text, "draft")
    assert "保定市 · 膜电极（补链）" in _section_html(page.text, "draft")
    assert "甲的已过期" in _section_html(page.text, "expired")
    assert "甲的已过期" not in _section_html(page.text, "published")
    assert "乙的" not in page.text

    _as(client, make_user("editor", org=org_b))
    assert _sections(client.get("/api/me").json()) == {
        "draft": ["乙的草稿"],
        "published": ["乙的已发布"],
        "closed": [],
        "expired": [],
    }
    empty = client.get("/me").text
    assert "发布第一条需求" not in empty  # 乙 has a published listing
    _as(client, make_user("editor", org=make_org(name="丙机构")))
    empty = client.get("/me").text
    assert "发布第一条需求" in empty and 'href="/market/publish"' in empty
    assert "暂无对接" in empty and "暂无项目" in empty


def _deal(
    db: Session,
    demand_org: Organization,
    offer_org: Organization,
    name: str,
    **state: Any,
) -> Match:
    demand = _listing(db, demand_org, f"{name}需求", status="published")
    offer = _listing(db, offer_org, f"{name}成果", kind="achievement", status="published")
    match = Match(demand_id=demand.id, achievement_id=offer.id, score=0.5, reasons=[], **state)
    db.add(match)
    db.commit()
    return match


def _deal_items(page: str) -> dict[int, str]:
    """Each deal's markup on the /me page, by match id."""
    found = re.findall(r'<li class="ws-deal[^"]*" data-match="(\d+)">(.*?)</li>', page, re.S)
    return {int(match_id): html for match_id, html in found}


def test_deals_from_both_sides_with_what_waits_for_whom(
    client: TestClient, make_org: OrgFactory, make_user: UserFactory, db: Session
) -> None:
    org_a, org_b, org_c = make_org(name="需求企业"), make_org(name="成果高校"), make_org()
    intent = _deal(db, org_a, org_b, "意向", stage="意向", intent_org_id=org_a.id)
    proposal = _deal(
        db, org_a, org_b, "签约", stage="洽谈", pending_stage="签约", pending_org_id=org_b.id
    )
    _deal(db, org_a, org_b, "推荐", stage="推荐")  # only recommended: not a deal yet
    landed = _deal(db, org_a, org_c, "落地", stage="落地")

    _as(client, make_user("editor", org=org_a))
    deals = client.get("/api/me").json()["deals"]
    assert [d["match_id"] for d in deals] == [proposal.id, intent.id, landed.id]
    first, second = deals[0], deals[1]
    assert first["waiting_for_me"] and first["label"] == "等待我方确认签约"
    assert first["side"] == "demand" and first["counterpart"] == "成果高校"
    assert first["demand_title"] == "签约需求" and first["achievement_title"] == "签约成果"
    assert first["url"] == f"/market/deals/{proposal.id}" and "签约" in first["can"]
    assert not second["waiting_for_me"] and second["label"] == "等待对方接受意向"
    items = _deal_items(client.get("/me").text)
    assert "待我处理" in items[proposal.id] and "待我处理" not in items[intent.id]
    assert f'href="/market/deals/{proposal.id}"' in items[proposal.id]

    _as(client, make_user("editor", org=org_b))
    body = client.get("/api/me").json()
    deals = {d["match_id"]: d for d in body["deals"]}
    assert set(deals) == {intent.id, proposal.id}
    assert deals[intent.id]["waiting_for_me"] and deals[intent.id]["label"] == "等待我方接受意向"
    assert deals[intent.id]["side"] == "achievement"
    assert deals[intent.id]["counterpart"] == "需求企业"
    assert not deals[proposal.id]["waiting_for_me"]
    assert body["deals"][0]["match_id"] == intent.id
    assert (body["counts"]["deals"], body["counts"]["deals_waiting"]) == (2, 1)
    items = _deal_items(client.get("/me").text)
    assert "待我处理" in items[intent.id] and "待我处理" not in items[proposal.id]


def test_projects_inbox_follows_and_evaluations(
    client: TestClient, make_org: OrgFactory, make_user: UserFactory, db: Session
) -> None:
    org, other = make_org(name="评价机构"), make_org()
    analyst = make_user("analyst", org=org)
    listing = _listing(db, other, "被关注的成果", kind="achievement", status="published")
    deal = _deal(db, org, other, "通知", stage="意向", intent_org_id=other.id)
    db.add_all(
        [
            Project(
                name="保定膜电极产线",
                origin_adcode="110108",
                destination_adcode="130600",
                investment=2.5,
                stage="签约",
                organization_id=org.id,
            ),
            Project(
                name="别家的项目",
                origin_adcode="110108",
                destination_adcode="130600",
                investment=1.0,
                stage="签约",
                organization_id=other.id,
            ),
            Follow(user_id=analyst.id, target_kind="listing", target=str(listing.id)),
            InboxItem(user_id=analyst.id, listing_id=listing.id, message="关注的成果已发布"),
            InboxItem(
                user_id=analyst.id,
                listing_id=listing.id,
                message="对方表达了意向",
                kind="对接",
                match_id=deal.id,
            ),
            _evaluation(org.id, "京津冀协同发展指数"),
            _evaluation(other.id, "别家的评价"),
        ]
    )
    db.commit()

    _as(client, analyst)
    body = client.get("/api/me").json()
    assert [p["name"] for p in body["projects"]] == ["保定膜电极产线"]
    project = body["projects"][0]
    assert project["url"] == f"/projects/{project['id']}"
    assert project["destination_name"] == "保定市"
    inbox = {item["message"]: item for item in body["inbox"]}
    assert inbox["对方表达了意向"]["url"] == f"/market/deals/{deal.id}"
    assert inbox["关注的成果已发布"]["url"] == f"/market/listings/{listing.id}"
    assert body["counts"]["inbox_unread"] == 2
    assert [f["label"] for f in body["follows"]] == ["被关注的成果"]
    assert [e["system_name"] for e in body["evaluations"]] == ["京津冀协同发展指数"]
    assert body["user"]["can_edit"] is False
    assert all(item["actions"] == [] for s in body["sections"] for item in s["data"])
    page = client.get("/me").text
    assert "保定膜电极产线" in page and "别家的项目" not in page
    assert f'href="/market/deals/{deal.id}"' in page and "未读消息" in page
    assert 'id="ws-evaluations"' in page and "京津冀协同发展指数" in page


def _evaluation(org_id: int, name: str) -> Evaluation:
    return Evaluation(
        organization_id=org_id,
        system_id="dual_ten",
        system_name=name,
        weighting="entropy",
        aggregation="linear",
        scope="region",
        panel_kind="shipped",
        panel_name="sample",
        input_digest="0" * 64,
        params_digest="1" * 64,
        result={},
        is_sample=True,
    )


def test_edit_form_is_for_owners_only(
    client: TestClient, make_org: OrgFactory, make_user: UserFactory, db: Session
) -> None:
    owner_org, other_org = make_org(), make_org()
    draft = _listing(db, owner_org, "只给本机构看的草稿")
    public = _listing(db, owner_org, "公开的需求", status="published", place_adcode="110108")
    for listing, expected in ((draft, 404), (public, 403)):
        page = client.get(f"/market/listings/{listing.id}/edit")
        assert page.status_code == expected and "text/html" in page.headers["content-type"]
    assert "发布机构的编辑" in client.get(f"/market/listings/{public.id}/edit").text
    for role, org in (("editor", other_org), ("analyst", other_org)):
        _as(client, make_user(role, org=org))
        assert client.get(f"/market/listings/{public.id}/edit").status_code == 403
        expected = 404 if role == "editor" else 403  # analysts see drafts, editors do not
        assert client.get(f"/market/listings/{draft.id}/edit").status_code == expected
        assert 'id="edit-listing"' not in client.get(f"/market/listings/{public.id}").text
    assert client.get("/market/listings/999999/edit").status_code == 404
    assert client.get("/market/listings/abc/edit").status_code == 422
    assert client.get(f"/market/listings/{2**40}/edit").status_code == 422
    for user in (make_user("editor", org=owner_org), make_user("admin")):
        _as(client, user)
        page = client.get(f"/market/listings/{public.id}/edit")
        assert page.status_code == 200 and 'value="公开的需求"' in page.text
        assert '<option value="110108" selected>' in page.text  # a Beijing district is kept
        listing_page = client.get(f"/market/listings/{public.id}").text
        assert f'href="/market/listings/{public.id}/edit"' in listing_page


def test_edit_form_is_filled_and_a_stale_version_conflicts(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    editor = make_user("editor")
    listing = _listing(
        db,
        editor.organization,
        "氢燃料电池膜电极需求",
        budget=300.0,
        keywords=["膜电极", "催化剂"],
        stage="中试",
        valid_until=date(2031, 5, 1),
    )
    csrf = _as(client, editor)
    page = client.get(f"/market/listings/{listing.id}/edit").text
    for filled in (
        'value="氢燃料电池膜电极需求"',
        'value="300"',
        'value="膜电极、催化剂"',
        "<option selected>中试</option>",
        'value="2031-05-01"',
        f'data-version="{listing.version}"',
        "保存并发布",
    ):
        assert filled in page, filled
    values = {c.key: getattr(listing, c.key) for c in Listing.__table__.columns}
    state = market.completeness("demand", values)
    assert f'id="completeness-score">{state.score}%<' in page
    assert all(f"<li>{label}</li>" in page for label in state.missing)
    version = int(re.search(r'data-version="(\d+)"', page).group(1))  # type: ignore[union-attr]
    headers = {"X-CSRF-Token": csrf}
    url = f"/api/listings/{listing.id}"
    first = client.patch(url, json={"title": "新名称", "version": version}, headers=headers)
    assert first.status_code == 200 and first.json()["version"] == version + 1
    stale = client.patch(url, json={"title": "旧页面的改动", "version": version}, headers=headers)
    assert stale.status_code == 409 and "他人修改" in stale.json()["error"]["message"]
    db.expire_all()
    assert db.get(Listing, listing.id).title == "新名称"  # type: ignore[union-attr]


def test_publish_page_asks_anonymous_visitors_to_sign_in(
    client: TestClient, make_user: UserFactory
) -> None:
    page = client.get("/market/publish?kind=achievement").text
    assert 'id="publish-form"' not in page and 'id="import-form"' not in page
    assert 'href="/login?next=%2Fmarket%2Fpublish%3Fkind%3Dachievement"' in page
    assert "编辑</strong>账号登录" in page and "成果简介" in page
    _as(client, make_user("analyst"))
    page = client.get("/market/publish").text
    assert 'id="publish-form"' not in page and "不能发布信息" in page
    _as(client, make_user("editor"))
    page = client.get("/market/publish").text
    assert 'id="publish-form"' in page and 'id="publish-needs"' not in page


def test_workspace_copes_with_odd_rows(
    client: TestClient, make_org: OrgFactory, make_user: UserFactory, db: Session
) -> None:
    """Rows the atlas does not know (old imports) still render, never a server error."""
    editor: User = make_user("editor")
    draft = _listing(db, editor.organization, "未知地点", place_adcode="999999", segments=["x"])
    db.add(
        GapListing(
            suggestion_id="nonsense",
            kind="fill",
            industry="none",
            segment="no-such-segment",
            place_key="000000",
            listing_id=draft.id,
            organization_id=editor.organization_id,
        )
    )
    db.commit()
    odd = _deal(db, editor.organization, make_org(), "旧数据", stage="评估")
    _as(client, editor)
    assert client.get("/me").status_code == 200
    deal = client.get("/api/me").json()["deals"][0]
    assert deal["match_id"] == odd.id and not deal["waiting_for_me"] and deal["can"] == []
    gap = client.get("/api/me").json()["sections"][0]["data"][0]["gap"]
    assert gap["segment_name"] == "no-such-segment" and gap["url"] is None
    assert client.get(f"/market/listings/{draft.id}/edit").status_code == 200
