"""Deals with two parties: each side's steps, proposals confirmed by the other side, contract
terms, contacts revealed at 洽谈, inbox notices, audit, admins acting with a reason,
projects registered only from one's own deal, trials, milestones and confidentiality."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.store.models import (
    AuditEntry,
    ConfidentialityAcceptance,
    InboxItem,
    Listing,
    Match,
    User,
)
from tests.conftest import OrgFactory, UserFactory, login

pytestmark = pytest.mark.db

CONTRACT = {"type": "技术许可", "amount": 420.0, "signed_on": "2026-11-20", "registration_no": "1"}


class Deal:
    """A published demand of a 保定 enterprise and an achievement of a Beijing university,
    with their match at 推荐, and one editor on each side."""

    def __init__(self, db: Session, make_org: OrgFactory, make_user: UserFactory) -> None:
        self.firm = make_org("保定测试整车企业", kind="enterprise", place="130600")
        self.lab = make_org("北京测试大学实验室", kind="university", place="110108")
        self.buyer = make_user("editor", org=self.firm)
        self.seller = make_user("editor", org=self.lab)
        self.demand = Listing(
            kind="demand",
            title="氢燃料电池公交冬季冷启动",
            summary="冬天早上打不着火",
            organization_id=self.firm.id,
            place_adcode="130600",
            status="published",
            contact="李工 0312-0000000",
        )
        self.offer = Listing(
            kind="achievement",
            title="电堆零下30℃无辅助冷启动",
            summary="低温启动策略",
            organization_id=self.lab.id,
            place_adcode="110108",
            status="published",
            contact="王老师 010-0000000",
            confidential="电堆活化曲线与报价单",
        )
        db.add_all([self.demand, self.offer])
        db.flush()
        self.match = Match(
            demand_id=self.demand.id, achievement_id=self.offer.id, score=0.7, reasons=[]
        )
        db.add(self.match)
        db.commit()

    def url(self, tail: str = "") -> str:
        return f"/api/matches/{self.match.id}{tail}"


def as_user(client: TestClient, user: User) -> dict[str, str]:
    client.cookies.clear()
    return {"X-CSRF-Token": login(client, user)}


def step(client: TestClient, deal: Deal, user: User, to: str, **extra: Any) -> Any:
    headers = as_user(client, user)
    return client.post(deal.url("/transitions"), json={"to": to, **extra}, headers=headers)


@pytest.fixture
def deal(db: Session, make_org: OrgFactory, make_user: UserFactory) -> Deal:
    return Deal(db, make_org, make_user)


def test_one_side_alone_cannot_move_past_intent(client: TestClient, deal: Deal) -> None:
    assert step(client, deal, deal.buyer, "意向").json()["stage"] == "意向"
    alone = step(client, deal, deal.buyer, "洽谈")
    assert alone.status_code == 409 and "等待对方接受意向" in alone.json()["error"]["message"]
    skipped = step(client, deal, deal.buyer, "签约", contract=CONTRACT)
    assert skipped.status_code == 422
    accepted = step(client, deal, deal.seller, "洽谈").json()
    assert accepted["stage"] == "洽谈" and accepted["turn"]["label"] == "任一方可提议签约"
    assert [e["action"] for e in accepted["history"]] == ["表达意向", "接受意向"]
    assert [e["organization_name"] for e in accepted["history"]] == [
        "保定测试整车企业",
        "北京测试大学实验室",
    ]


def test_signing_is_proposed_by_one_side_and_confirmed_by_the_other(
    client: TestClient, deal: Deal, db: Session
) -> None:
    step(client, deal, deal.seller, "意向")
    step(client, deal, deal.buyer, "洽谈")
    missing = step(client, deal, deal.buyer, "签约")
    assert missing.status_code == 422 and "合同" in missing.json()["error"]["message"]
    proposed = step(client, deal, deal.buyer, "签约", contract=CONTRACT).json()
    assert proposed["stage"] == "洽谈"
    assert proposed["pending"]["stage"] == "签约"
    assert proposed["pending"]["proposed_by"] == "demand"
    assert proposed["pending"]["contract"]["amount"] == 420.0
    assert proposed["turn"]["label"] == "等待对方确认签约" and not proposed["turn"]["mine"]
    again = step(client, deal, deal.buyer, "签约", contract=CONTRACT)
    assert again.status_code == 409  # the proposer cannot confirm its own proposal
    seen = client.get(deal.url(), headers=as_user(client, deal.seller)).json()
    assert seen["turn"]["mine"] and seen["turn"]["label"] == "等待我方确认签约"
    counter = dict(CONTRACT, amount=380.0)
    countered = step(client, deal, deal.seller, "签约", contract=counter).json()
    assert countered["stage"] == "洽谈" and countered["pending"]["proposed_by"] == "achievement"
    signed = step(client, deal, deal.buyer, "签约").json()
    assert signed["stage"] == "签约" and signed["pending"] is None
    assert signed["contract"]["amount"] == 380.0 and signed["contract"]["type"] == "技术许可"
    step(client, deal, deal.seller, "落地")
    landed = step(client, deal, deal.buyer, "落地").json()
    assert landed["stage"] == "落地"
    actions = [(e["action"], e["to_stage"]) for e in landed["history"]]
    assert actions == [
        ("表达意向", "意向"),
        ("接受意向", "洽谈"),
        ("提议", "签约"),
        ("提议", "签约"),
        ("确认", "签约"),
        ("提议", "落地"),
        ("确认", "落地"),
    ]
    audited = db.scalars(
        select(AuditEntry).where(
            AuditEntry.entity == "match", AuditEntry.entity_id == str(deal.match.id)
        )
    ).all()
    assert len(audited) == 7
    assert {a.actor for a in audited} == {deal.buyer.username, deal.seller.username}


def test_contacts_stay_hidden_until_both_accept(client: TestClient, deal: Deal) -> None:
    as_user(client, deal.buyer)
    assert client.get(deal.url()).json()["achievement"]["contact"] is None
    assert client.get(f"/api/listings/{deal.offer.id}").json()["contact"] is None
    step(client, deal, deal.buyer, "意向")
    assert client.get(deal.url()).json()["achievement"]["contact"] is None
    step(client, deal, deal.seller, "洽谈")
    as_user(client, deal.buyer)
    state = client.get(deal.url()).json()
    assert state["achievement"]["contact"] == "王老师 010-0000000"
    assert client.get(f"/api/listings/{deal.offer.id}").json()["contact"] == "王老师 010-0000000"
    as_user(client, deal.seller)
    assert client.get(f"/api/listings/{deal.demand.id}").json()["contact"] == "李工 0312-0000000"
    client.cookies.clear()
    assert client.get(f"/api/listings/{deal.offer.id}").json()["contact"] is None


def test_each_side_is_told_in_its_inbox(client: TestClient, deal: Deal, db: Session) -> None:
    step(client, deal, deal.buyer, "意向")
    notices = db.scalars(select(InboxItem).where(InboxItem.user_id == deal.seller.id)).all()
    assert [(n.kind, n.match_id) for n in notices] == [("对接", deal.match.id)]
    assert "保定测试整车企业表达了对接意向" in notices[0].message
    assert not db.scalars(select(InboxItem).where(InboxItem.user_id == deal.buyer.id)).all()
    step(client, deal, deal.seller, "已拒绝", reason="方向不符")
    told = db.scalars(select(InboxItem).where(InboxItem.user_id == deal.buyer.id)).all()
    assert len(told) == 1 and "拒绝了对接" in told[0].message
    inbox = client.get("/api/inbox", headers=as_user(client, deal.buyer)).json()
    assert any("拒绝了对接" in str(item) for item in inbox["data"])


def test_strangers_analysts_and_admins(
    client: TestClient, deal: Deal, db: Session, make_user: UserFactory
) -> None:
    stranger = make_user("editor")
    assert step(client, deal, stranger, "意向").status_code == 403
    assert client.get(deal.url()).status_code == 404
    analyst = make_user("analyst")
    as_user(client, analyst)
    assert client.get(deal.url()).status_code == 200
    assert step(client, deal, analyst, "意向").status_code == 403
    admin = make_user("admin")
    refused = step(client, deal, admin, "意向", on_behalf_of="demand")
    assert refused.status_code == 422 and "理由" in refused.json()["error"]["message"]
    done = step(
        client, deal, admin, "意向", on_behalf_of="demand", on_behalf_reason="企业电话委托代办"
    ).json()
    assert done["stage"] == "意向" and done["history"][0]["on_behalf_reason"] == "企业电话委托代办"
    assert done["history"][0]["organization_name"] == "保定测试整车企业"
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "match")).one()
    assert "企业电话委托代办" in entry.actor and admin.username in entry.actor


def test_a_project_comes_only_from_ones_own_landed_deal(
    client: TestClient, deal: Deal, make_user: UserFactory, db: Session
) -> None:
    step(client, deal, deal.buyer, "意向")
    step(client, deal, deal.seller, "洽谈")
    step(client, deal, deal.seller, "签约", contract=CONTRACT)
    step(client, deal, deal.buyer, "签约")
    early = client.post(deal.url("/project"), json={}, headers=as_user(client, deal.buyer))
    assert early.status_code == 409
    step(client, deal, deal.buyer, "落地")
    step(client, deal, deal.seller, "落地")
    stranger = make_user("editor")
    refused = client.post(deal.url("/project"), json={}, headers=as_user(client, stranger))
    assert refused.status_code == 403
    made = client.post(deal.url("/project"), json={}, headers=as_user(client, deal.seller))
    assert made.status_code == 200, made.text
    project = made.json()["project"]
    assert project["investment"] == pytest.approx(0.042)  # 420 万元 = 0.042 亿元
    assert project["signed_on"] == "2026-11-20"
    assert project["organization_id"] == deal.lab.id
    again = client.post(deal.url("/project"), json={}, headers=as_user(client, deal.buyer))
    assert again.json()["created"] is False and again.json()["project"]["id"] == project["id"]
    assert client.get(deal.url()).json()["project_id"] == project["id"]


def test_trial_then_pay_converts_and_is_counted(client: TestClient, deal: Deal) -> None:
    step(client, deal, deal.buyer, "意向")
    step(client, deal, deal.seller, "洽谈")
    trial = {"type": "先使用后付费", "amount": 60, "signed_on": "2026-10-01"}
    missing = step(client, deal, deal.seller, "签约", contract=trial)
    assert missing.status_code == 422 and "试用期" in missing.json()["error"]["message"]
    step(client, deal, deal.seller, "签约", contract={**trial, "trial_months": 6})
    signed = step(client, deal, deal.buyer, "签约").json()
    assert signed["contract"]["trial_outcome"] == "试用中"
    headers = as_user(client, deal.buyer)
    no_date = client.patch(deal.url("/contract"), json={"outcome": "已转化"}, headers=headers)
    assert no_date.status_code == 422
    done = client.patch(
        deal.url("/contract"),
        json={"outcome": "已转化", "converted_on": "2027-04-01"},
        headers=headers,
    ).json()
    assert done["contract"]["trial_outcome"] == "已转化"
    stats = client.get("/api/market/statistics").json()["contracts"]
    assert stats["trials"] == 1 and stats["trials_converted"] == 1
    assert stats["trial_conversion_rate"] == 1.0 and stats["amount"] == 60.0


def test_milestones_and_payments_after_signature(client: TestClient, deal: Deal) -> None:
    headers = as_user(client, deal.buyer)
    body = {"kind": "付款", "title": "首付款", "planned_on": "2027-01-15", "planned_amount": 120}
    early = client.post(deal.url("/milestones"), json=body, headers=headers)
    assert early.status_code == 409
    step(client, deal, deal.buyer, "意向")
    step(client, deal, deal.seller, "洽谈")
    step(client, deal, deal.seller, "签约", contract=CONTRACT)
    step(client, deal, deal.buyer, "签约")
    headers = as_user(client, deal.buyer)
    made = client.post(deal.url("/milestones"), json=body, headers=headers)
    assert made.status_code == 201, made.text
    headers = as_user(client, deal.seller)
    actual = client.patch(
        deal.url(f"/milestones/{made.json()['id']}"),
        json={"actual_on": "2027-01-20", "actual_amount": 100},
        headers=headers,
    ).json()
    assert actual["actual_amount"] == 100 and actual["planned_amount"] == 120
    listed = client.get(deal.url()).json()["milestones"]
    assert [(m["title"], m["planned_amount"], m["actual_amount"]) for m in listed] == [
        ("首付款", 120, 100)
    ]


def test_confidential_details_behind_a_recorded_agreement(
    client: TestClient, deal: Deal, db: Session
) -> None:
    headers = as_user(client, deal.buyer)
    seen = client.get(f"/api/listings/{deal.offer.id}").json()
    assert seen["has_confidential"] is True and seen["confidential_details"] is None
    page = client.get(f"/market/listings/{deal.offer.id}").text
    assert "接受保密协议并查看" in page and "电堆活化曲线与报价单" not in page
    url = f"/api/listings/{deal.offer.id}/confidentiality"
    assert client.get(url).json() == {
        "listing_id": deal.offer.id,
        "accepted": False,
        "details": None,
    }
    accepted = client.post(url, headers=headers).json()
    assert accepted["details"] == "电堆活化曲线与报价单"
    client.post(url, headers=headers)  # accepted once per organization
    rows = db.scalars(select(ConfidentialityAcceptance)).all()
    assert [(r.listing_id, r.organization_id) for r in rows] == [(deal.offer.id, deal.firm.id)]
    assert client.get(url).json()["accepted"] is True
    listing = client.get(f"/api/listings/{deal.offer.id}").json()
    assert listing["confidential_details"] == "电堆活化曲线与报价单"
    page = client.get(f"/market/listings/{deal.offer.id}").text
    assert "电堆活化曲线与报价单" in page
    as_user(client, deal.seller)  # the owner always reads its own details
    details = client.get(f"/api/listings/{deal.offer.id}").json()["confidential_details"]
    assert details == "电堆活化曲线与报价单"


def test_deal_page_shows_each_side_its_step(
    client: TestClient, deal: Deal, make_user: UserFactory
) -> None:
    page = f"/market/deals/{deal.match.id}"
    client.cookies.clear()
    assert client.get(page).status_code == 404
    as_user(client, make_user("editor"))
    assert client.get(page).status_code == 404
    as_user(client, deal.buyer)
    html = client.get(page).text
    assert "表达对接意向" in html and "双方接受洽谈后可见" in html
    assert "王老师" not in html
    step(client, deal, deal.buyer, "意向")
    html = client.get(page).text
    assert "等待对方接受意向" in html and "接受意向，进入洽谈" not in html
    as_user(client, deal.seller)
    html = client.get(page).text
    assert "待我方处理" in html and "接受意向，进入洽谈" in html
    step(client, deal, deal.seller, "洽谈")
    html = client.get(page).text
    assert "李工 0312-0000000" in html and "提议签约" in html and "合同类型" in html
    admin = make_user("admin")
    as_user(client, admin)
    html = client.get(page).text
    assert "代为操作的理由" in html and "代需求方：提议签约" in html
    for hostile in ("0", "-1", "99999999999", "abc"):
        assert client.get(f"/market/deals/{hostile}").status_code in (404, 422)
