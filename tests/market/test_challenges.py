"""揭榜挂帅 cycle: applications until the deadline, one per organization, who sees them, stages
one at a time with history, 立项 with milestones, 验收 with the reward paid, audit entries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.store.models import AuditEntry, ChallengeEvent, Listing, Organization, User
from tests.conftest import OrgFactory, UserFactory, browser_of, login

pytestmark = pytest.mark.db


@contextmanager
def acting(client: TestClient, user: User | None) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A separate browser signed in as ``user`` (anonymous when ``None``)."""
    with browser_of(client) as other:
        headers = {"X-CSRF-Token": login(other, user)} if user is not None else {}
        yield other, headers


def make_challenge(db: Session, org: Organization, **values: Any) -> Listing:
    fields: dict[str, Any] = {
        "kind": "challenge",
        "title": "揭榜挂帅：氢燃料电池膜电极攻关",
        "summary": "膜电极寿命提升",
        "organization_id": org.id,
        "place_adcode": "120116",
        "status": "published",
        "reward": 500.0,
        "deadline": date.today() + timedelta(days=30),
    }
    row = Listing(**{**fields, **values})
    db.add(row)
    db.commit()
    return row


def test_cycle_from_apply_to_acceptance(
    client: TestClient, db: Session, make_user: UserFactory, make_org: OrgFactory
) -> None:
    owner_org = make_org(name="天津氢能企业", place="120116")
    owner = make_user("editor", org=owner_org)
    uni_a, uni_b = make_org(name="北京甲大学", place="110108"), make_org(name="河北乙研究院")
    applicant_a, applicant_b = make_user("editor", org=uni_a), make_user("editor", org=uni_b)
    analyst, other = make_user("analyst"), make_user("editor")
    challenge = make_challenge(db, owner_org)
    base = f"/api/challenges/{challenge.id}"

    with acting(client, applicant_a) as (browser, headers):
        state = browser.get(base).json()
        assert state["stage"] == "发榜" and state["can_apply"] and state["applicants"] == 0
        created = browser.post(f"{base}/applications", json={"plan": "甲方案"}, headers=headers)
        assert created.status_code == 201, created.text
        assert created.json()["organization_name"] == "北京甲大学"
        again = browser.post(f"{base}/applications", json={"plan": "再来"}, headers=headers)
        assert again.status_code == 409 and "每个机构限一份" in again.json()["error"]["message"]
        # applicants see their own application only
        own = browser.get(f"{base}/applications").json()
        assert [a["plan"] for a in own["data"]] == ["甲方案"]
    with acting(client, applicant_b) as (browser, headers):
        assert (
            browser.post(
                f"{base}/applications", json={"plan": "乙方案"}, headers=headers
            ).status_code
            == 201
        )
        assert [a["plan"] for a in browser.get(f"{base}/applications").json()["data"]] == ["乙方案"]
    with acting(client, other) as (browser, _headers):
        assert browser.get(f"{base}/applications").json()["count"] == 0
    with acting(client, None) as (browser, _headers):
        assert browser.get(f"{base}/applications").json()["count"] == 0
        board = browser.get("/api/challenges").json()
        assert board["data"][0]["applicants"] == 2 and board["data"][0]["stage"] == "揭榜"
    with acting(client, analyst) as (browser, _headers):
        assert browser.get(f"{base}/applications").json()["count"] == 2

    with acting(client, owner) as (browser, headers):
        # the owner cannot apply to its own call
        refused = browser.post(f"{base}/applications", json={"plan": "x"}, headers=headers)
        assert refused.status_code == 403
        apps = browser.get(f"{base}/applications").json()["data"]
        assert len(apps) == 2
        url = f"{base}/transitions"
        skip = browser.post(
            url, json={"to": "立项", "application_id": apps[0]["id"]}, headers=headers
        )
        assert skip.status_code == 422 and "不能跳过" in skip.json()["error"]["message"]
        assert browser.post(url, json={"to": "评审"}, headers=headers).status_code == 200
        no_pick = browser.post(url, json={"to": "立项"}, headers=headers)
        assert no_pick.status_code == 422
        state = browser.post(
            url, json={"to": "立项", "application_id": apps[0]["id"]}, headers=headers
        ).json()
        assert state["stage"] == "立项"
        assert {a["organization_name"]: a["status"] for a in state["applications"]} == {
            "北京甲大学": "立项",
            "河北乙研究院": "未入选",
        }
        milestone = browser.post(
            f"{base}/milestones",
            json={"title": "样品通过测试", "due": "2027-03-01"},
            headers=headers,
        )
        assert milestone.status_code == 201, milestone.text
        early = browser.post(url, json={"to": "验收", "reward_paid": 500}, headers=headers)
        assert early.status_code == 422 and "里程碑未完成" in early.json()["error"]["message"]
        done = browser.post(f"{base}/milestones/{milestone.json()['id']}/complete", headers=headers)
        assert done.status_code == 200 and done.json()["status"] == "已完成"
        assert done.json()["completed_by"] == owner.username
        no_reward = browser.post(url, json={"to": "验收"}, headers=headers)
        assert no_reward.status_code == 422
        final = browser.post(
            url, json={"to": "验收", "reward_paid": 480, "note": "验收通过"}, headers=headers
        ).json()
        assert final["stage"] == "验收"
        assert [(e["from_stage"], e["to_stage"]) for e in final["history"]] == [
            ("发榜", "揭榜"),
            ("揭榜", "评审"),
            ("评审", "立项"),
            ("立项", "验收"),
        ]
        assert final["history"][0]["actor"] == applicant_a.username
        assert final["history"][-1]["actor"] == owner.username
        assert final["history"][-1]["reward_paid"] == 480
        winner = next(a for a in final["applications"] if a["status"] == "已验收")
        assert winner["reward_paid"] == 480
        over = browser.post(url, json={"to": "验收", "reward_paid": 1}, headers=headers)
        assert over.status_code == 422
    # another organization's editor cannot move the call
    with acting(client, other) as (browser, headers):
        assert (
            browser.post(f"{base}/transitions", json={"to": "评审"}, headers=headers).status_code
            == 403
        )
    assert db.scalar(select(func.count(ChallengeEvent.id))) == 4
    entities = set(db.scalars(select(AuditEntry.entity)).all())
    assert {"challenge", "challenge_application", "milestone"} <= entities


def test_deadline_and_stage_refuse_applications(
    client: TestClient, db: Session, make_user: UserFactory, make_org: OrgFactory
) -> None:
    owner_org = make_org()
    late = make_challenge(db, owner_org, deadline=date.today() - timedelta(days=1))
    reviewing = make_challenge(db, owner_org, challenge_stage="评审")
    today = make_challenge(db, owner_org, deadline=date.today())
    with acting(client, make_user("editor")) as (browser, headers):
        refused = browser.post(
            f"/api/challenges/{late.id}/applications", json={"plan": "x"}, headers=headers
        )
        assert refused.status_code == 422 and "截止" in refused.json()["error"]["message"]
        assert browser.get(f"/api/challenges/{late.id}").json()["can_apply"] is False
        refused = browser.post(
            f"/api/challenges/{reviewing.id}/applications", json={"plan": "x"}, headers=headers
        )
        assert refused.status_code == 422 and "评审" in refused.json()["error"]["message"]
        accepted = browser.post(
            f"/api/challenges/{today.id}/applications", json={"plan": "x"}, headers=headers
        )
        assert accepted.status_code == 201  # the deadline day itself is still open
    with acting(client, make_user("analyst")) as (browser, headers):
        assert (
            browser.post(
                f"/api/challenges/{today.id}/applications", json={"plan": "x"}, headers=headers
            ).status_code
            == 403
        )
    # review needs at least one application
    with acting(client, make_user("editor", org=owner_org)) as (browser, headers):
        empty = make_challenge(db, owner_org)
        assert (
            browser.post(
                f"/api/challenges/{empty.id}/transitions", json={"to": "揭榜"}, headers=headers
            ).status_code
            == 200
        )
        refused = browser.post(
            f"/api/challenges/{empty.id}/transitions", json={"to": "评审"}, headers=headers
        )
        assert refused.status_code == 422 and "尚无揭榜申请" in refused.json()["error"]["message"]
        back = browser.post(
            f"/api/challenges/{empty.id}/transitions", json={"to": "发榜"}, headers=headers
        )
        assert back.status_code == 422


def test_challenge_pages(
    client: TestClient, db: Session, make_user: UserFactory, make_org: OrgFactory
) -> None:
    challenge = make_challenge(db, make_org(name="发榜企业"))
    board = client.get("/market/challenges")
    assert board.status_code == 200 and challenge.title in board.text and "揭榜数" in board.text
    page = client.get(f"/market/challenges/{challenge.id}")
    assert page.status_code == 200 and "step-bar" in page.text and "登录" in page.text
    with acting(client, make_user("editor")) as (browser, _headers):
        page = browser.get(f"/market/challenges/{challenge.id}")
        assert 'id="apply-form"' in page.text
    assert client.get("/market/challenges/999999").status_code == 404
    owner = make_user("editor", org=db.get(Organization, challenge.organization_id))
    with acting(client, make_user("editor")) as (browser, headers):
        url = f"/api/challenges/{challenge.id}/applications"
        assert browser.post(url, json={"plan": "方案"}, headers=headers).status_code == 201
    with acting(client, owner) as (browser, headers):
        page = browser.get(f"/market/challenges/{challenge.id}")
        assert 'data-advance="评审"' in page.text and "方案" in page.text
        browser.post(
            f"/api/challenges/{challenge.id}/transitions", json={"to": "评审"}, headers=headers
        )
        page = browser.get(f"/market/challenges/{challenge.id}")
        assert "data-select=" in page.text and "选定立项" in page.text


def test_sample_applications_loader(db: Session) -> None:
    from jingjinji.atlas import load_atlas
    from jingjinji.market.challenges import load_sample_applications
    from jingjinji.market.samples import load_sample_listings
    from jingjinji.store.models import ChallengeApplication

    atlas = load_atlas()
    load_sample_listings(db, atlas)
    added = load_sample_applications(db, atlas)
    db.commit()
    assert added > 50
    assert load_sample_applications(db, atlas) == 0  # idempotent
    reviewing = db.scalar(select(Listing).where(Listing.challenge_stage == "评审"))
    assert reviewing is not None
    events = db.scalars(
        select(ChallengeEvent.to_stage).where(ChallengeEvent.challenge_id == reviewing.id)
    ).all()
    assert list(events) == ["揭榜", "评审"]
    assert db.scalar(
        select(func.count(ChallengeApplication.id)).where(
            ChallengeApplication.challenge_id == reviewing.id
        )
    )
