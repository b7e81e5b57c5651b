"""Follows never reveal a listing its followers may no longer see: withdrawn to draft,
closed or deleted, it leaves their follow labels, their inbox (API, page, workspace) and the
matches they are told about; published again, it comes back."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from jingjinji.store.models import InboxItem, Listing, User
from tests.conftest import OrgFactory, UserFactory
from tests.market.test_challenges import acting
from tests.market.test_follows import ACHIEVEMENT, DEMAND

pytestmark = pytest.mark.db

SECRET = "谐波减速器柔轮精密加工工艺"  # ACHIEVEMENT's title


def _post(client: TestClient, user: User, path: str, body: dict[str, Any]) -> dict[str, Any]:
    with acting(client, user) as (browser, headers):
        response = browser.post(path, json=body, headers=headers)
        assert response.status_code == 201, response.text
        return dict(response.json())


def _set_status(client: TestClient, owner: User, listing_id: int, status: str) -> None:
    with acting(client, owner) as (browser, headers):
        response = browser.patch(
            f"/api/listings/{listing_id}", json={"status": status}, headers=headers
        )
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status


def _seen_by(client: TestClient, user: User) -> dict[str, Any]:
    """What ``user`` reads about their follows: labels, inbox (API and page), workspace."""
    with acting(client, user) as (browser, _headers):
        follows = browser.get("/api/follows").json()
        inbox = browser.get("/api/inbox").json()
        page = browser.get("/inbox")
        workspace = browser.get("/api/me").json()
        me_page = browser.get("/me")
    assert page.status_code == me_page.status_code == 200
    return {
        "labels": [item["label"] for item in follows["data"]],
        "inbox": inbox,
        "page": page.text,
        "workspace_labels": [item["label"] for item in workspace["follows"]],
        "workspace_inbox": [item["message"] for item in workspace["inbox"]],
        "me_page": me_page.text,
    }


@pytest.fixture
def offer_and_fan(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory
) -> tuple[User, User, dict[str, Any]]:
    """A university's published achievement (ACHIEVEMENT) and an editor elsewhere who
    follows both the listing itself and its segment, and was told when it was published."""
    owner = make_user("editor", org=make_org(name="测试大学", place="110108"))
    fan = make_user("editor")
    _post(client, fan, "/api/follows", {"target_kind": "segment", "target": "robot-reducer"})
    offer = _post(client, owner, "/api/listings", ACHIEVEMENT)
    _post(client, fan, "/api/follows", {"target_kind": "listing", "target": str(offer["id"])})
    return owner, fan, offer


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_a_withdrawn_listing_leaves_labels_inbox_and_workspace(
    client: TestClient, offer_and_fan: tuple[User, User, dict[str, Any]], status: str
) -> None:
    owner, fan, offer = offer_and_fan
    before = _seen_by(client, fan)
    assert before["labels"] == ["精密减速器", SECRET]
    assert before["inbox"]["count"] == 1 and before["inbox"]["unread"] == 1
    item = before["inbox"]["data"][0]
    assert item["listing_id"] == offer["id"] and SECRET in item["message"]
    assert SECRET in before["page"] and SECRET in before["me_page"]
    assert before["workspace_labels"] == before["labels"]

    _set_status(client, owner, offer["id"], status)
    after = _seen_by(client, fan)
    assert after["labels"] == ["精密减速器", f"供需信息 #{offer['id']}（已下线）"]
    assert after["inbox"] == {"data": [], "count": 0, "unread": 0}
    assert after["workspace_labels"] == after["labels"] and after["workspace_inbox"] == []
    assert SECRET not in after["page"] and SECRET not in after["me_page"]
    with acting(client, fan) as (browser, headers):
        hidden = browser.post(f"/api/inbox/{item['id']}/read", headers=headers)
        assert hidden.status_code == 404 and hidden.json()["error"]["message"] == "消息不存在"
        again = browser.post(
            "/api/follows",
            json={"target_kind": "listing", "target": str(offer["id"])},
            headers=headers,
        )
        assert again.status_code == 422 and SECRET not in again.text

    # its own organization still sees it, under its title
    with acting(client, owner) as (browser, headers):
        own = browser.post(
            "/api/follows",
            json={"target_kind": "listing", "target": str(offer["id"])},
            headers=headers,
        )
        assert own.status_code == 201 and own.json()["label"] == SECRET

    _set_status(client, owner, offer["id"], "published")
    back = _seen_by(client, fan)
    assert back["labels"] == before["labels"]
    # the first notice is back, and publishing again told the follower anew
    assert item["id"] in [i["id"] for i in back["inbox"]["data"]]
    assert {i["listing_id"] for i in back["inbox"]["data"]} == {offer["id"]}


def test_a_deleted_listing_is_named_by_number_only(
    client: TestClient, db: Session, offer_and_fan: tuple[User, User, dict[str, Any]]
) -> None:
    _owner, fan, offer = offer_and_fan
    db.execute(delete(Listing).where(Listing.id == offer["id"]))
    db.commit()
    after = _seen_by(client, fan)
    assert after["labels"] == ["精密减速器", f"供需信息 #{offer['id']}（已下线）"]
    assert after["inbox"]["count"] == 0
    assert db.scalar(select(func.count(InboxItem.id))) == 0  # cascaded with the listing


def test_a_new_match_of_a_withdrawn_listing_tells_nobody_its_title(
    client: TestClient,
    db: Session,
    make_user: UserFactory,
    offer_and_fan: tuple[User, User, dict[str, Any]],
) -> None:
    owner, fan, offer = offer_and_fan
    listing_only = make_user("editor")
    _post(
        client, listing_only, "/api/follows", {"target_kind": "listing", "target": str(offer["id"])}
    )
    _set_status(client, owner, offer["id"], "draft")
    publisher = make_user("editor")
    demand = _post(client, publisher, "/api/listings", DEMAND)
    # the segment follower hears of the new demand, without the withdrawn listing's title
    fan_items = db.scalars(select(InboxItem).where(InboxItem.user_id == fan.id)).all()
    new = [i for i in fan_items if i.listing_id == demand["id"]]
    assert len(new) == 1 and "产业环节" in new[0].message and SECRET not in new[0].message
    # the follower of the withdrawn listing only is not told of a match with it
    told = db.scalars(select(InboxItem.message).where(InboxItem.user_id == listing_only.id)).all()
    assert told == []
    # while published, the same demand would have told them (control)
    _set_status(client, owner, offer["id"], "published")
    again = _post(client, publisher, "/api/listings", {**DEMAND, "title": "谐波减速器国产化二期"})
    told = db.scalars(
        select(InboxItem.message).where(
            InboxItem.user_id == listing_only.id, InboxItem.listing_id == again["id"]
        )
    ).all()
    assert len(told) == 1 and SECRET in told[0]
