"""关注 and the inbox: follow a segment, a place or a listing; publishing a listing creates an
inbox item for its followers only, in the publishing transaction."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.store.models import InboxItem
from tests.conftest import OrgFactory, UserFactory
from tests.market.test_challenges import acting

pytestmark = pytest.mark.db

DEMAND: dict[str, Any] = {
    "kind": "demand",
    "title": "机器人关节精密减速器国产化",
    "status": "published",
    "summary": "我公司生产工业机器人，寻求谐波减速器技术。",
    "place_adcode": "130203",
    "stage": "中试",
    "budget": 300,
    "segments": ["robot-reducer"],
}
ACHIEVEMENT: dict[str, Any] = {
    "kind": "achievement",
    "title": "谐波减速器柔轮精密加工工艺",
    "status": "published",
    "summary": "面向工业机器人关节的谐波减速器加工工艺，传动精度优于1弧分。",
    "place_adcode": "110108",
    "stage": "小批量",
    "keywords": ["谐波减速器"],
    "segments": ["robot-reducer"],
}


def test_follow_api_validates_and_is_idempotent(client: TestClient, make_user: UserFactory) -> None:
    with acting(client, make_user("analyst")) as (browser, headers):
        first = browser.post(
            "/api/follows",
            json={"target_kind": "segment", "target": "robot-reducer"},
            headers=headers,
        )
        assert first.status_code == 201 and first.json()["label"]
        again = browser.post(
            "/api/follows",
            json={"target_kind": "segment", "target": "robot-reducer"},
            headers=headers,
        )
        assert again.json()["id"] == first.json()["id"]
        bad = browser.post(
            "/api/follows", json={"target_kind": "place", "target": "999999"}, headers=headers
        )
        assert bad.status_code == 422 and "不存在" in bad.json()["error"]["message"]
        assert (
            browser.post(
                "/api/follows", json={"target_kind": "listing", "target": "x'%_"}, headers=headers
            ).status_code
            == 422
        )
        assert browser.get("/api/follows").json()["count"] == 1
        params = {"target_kind": "segment", "target": "robot-reducer"}
        assert browser.delete("/api/follows", params=params, headers=headers).status_code == 204
        assert browser.delete("/api/follows", params=params, headers=headers).status_code == 404
        assert browser.get("/api/follows").json()["count"] == 0
    with acting(client, None) as (browser, _headers):
        assert browser.get("/api/follows").status_code == 401
        assert browser.get("/api/inbox").status_code == 401
        assert browser.get("/inbox", follow_redirects=False).status_code == 303


def test_publish_notifies_followers_only(
    client: TestClient, db: Session, make_user: UserFactory, make_org: OrgFactory
) -> None:
    seg_fan, place_fan, listing_fan = make_user("analyst"), make_user("editor"), make_user("editor")
    bystander = make_user("editor")
    uni_editor = make_user("editor", org=make_org(name="测试大学", place="110108"))
    with acting(client, uni_editor) as (browser, headers):
        offer = browser.post("/api/listings", json=ACHIEVEMENT, headers=headers).json()
    follows = [
        (seg_fan, "segment", "robot-reducer"),
        (place_fan, "place", "130200"),  # 唐山市: the demand is in 路南区 (130203), within it
        (listing_fan, "listing", str(offer["id"])),
        (bystander, "place", "120000"),  # 天津: not reached
        (bystander, "segment", "hydrogen-electrolyzer"),
    ]
    for user, kind, target in follows:
        with acting(client, user) as (browser, headers):
            response = browser.post(
                "/api/follows", json={"target_kind": kind, "target": target}, headers=headers
            )
            assert response.status_code == 201, response.text
    # a draft reaches nobody; publishing it (PATCH) does
    with acting(client, make_user("editor", org=make_org(place="130203"))) as (browser, headers):
        draft = browser.post(
            "/api/listings", json={**DEMAND, "status": "draft"}, headers=headers
        ).json()
        assert db.scalar(select(func.count(InboxItem.id))) == 0
        published = browser.patch(
            f"/api/listings/{draft['id']}", json={"status": "published"}, headers=headers
        )
        assert published.status_code == 200, published.text
    messages: dict[str, str] = {}
    for user in (seg_fan, place_fan, listing_fan, bystander):
        with acting(client, user) as (browser, headers):
            inbox = browser.get("/api/inbox").json()
            messages[user.username] = " ".join(item["message"] for item in inbox["data"])
            assert inbox["count"] == (0 if user is bystander else 1), (user.username, inbox)
            if inbox["data"]:
                item = inbox["data"][0]
                assert item["listing_id"] == draft["id"] and inbox["unread"] == 1
                read = browser.post(f"/api/inbox/{item['id']}/read", headers=headers)
                assert read.status_code == 200 and read.json()["read_at"]
                assert browser.get("/api/inbox").json()["unread"] == 0
                page = browser.get("/inbox")
                assert page.status_code == 200 and DEMAND["title"] in page.text
    assert "产业环节" in messages[seg_fan.username]
    assert "唐山" in messages[place_fan.username]
    assert "谐波减速器柔轮" in messages[listing_fan.username]
    # someone else's item is not found
    item_id = db.scalar(select(InboxItem.id).where(InboxItem.user_id == seg_fan.id))
    with acting(client, bystander) as (browser, headers):
        assert browser.post(f"/api/inbox/{item_id}/read", headers=headers).status_code == 404


def test_follow_buttons_on_listing_page(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory
) -> None:
    with acting(client, make_user("editor", org=make_org(place="110108"))) as (browser, headers):
        offer = browser.post("/api/listings", json=ACHIEVEMENT, headers=headers).json()
        page = browser.get(f"/market/listings/{offer['id']}")
        assert 'data-follow-kind="segment"' in page.text and 'data-follow-kind="place"' in page.text
        assert 'href="/inbox"' in page.text
