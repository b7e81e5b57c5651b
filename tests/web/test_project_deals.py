"""Projects and the deals they come from, over HTTP: only a party to a deal at 落地 may register
it, once; the contract amount is the default investment; stage changes are recorded, 终止
needs a reason; a project in production fills its gap on the chain map as in /loop."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.market import set_segments
from jingjinji.store.models import (
    Enterprise,
    EnterpriseSegment,
    Listing,
    Match,
    Organization,
    Project,
    ProjectEvent,
)
from jingjinji.store.tabular import write_xlsx
from tests.conftest import OrgFactory, UserFactory, login

pytestmark = pytest.mark.db

SEGMENT = "hydrogen-fc-mea"
GAP = f"fill.130600.{SEGMENT}"


def make_deal(
    db: Session,
    demand_org: Organization,
    offer_org: Organization,
    *,
    stage: str = "落地",
    contract: dict[str, Any] | None = None,
) -> Match:
    """A deal between a demand of ``demand_org`` in 保定 and an achievement of ``offer_org``."""
    atlas = load_atlas()
    demand = Listing(
        kind="demand",
        title="膜电极量产需求",
        organization_id=demand_org.id,
        place_adcode="130600",
        status="published",
    )
    offer = Listing(
        kind="achievement",
        title="高功率膜电极技术",
        organization_id=offer_org.id,
        place_adcode="110108",
        status="published",
    )
    for row in (demand, offer):
        set_segments(row, [SEGMENT], atlas)
    db.add_all([demand, offer])
    db.flush()
    match = Match(
        demand_id=demand.id,
        achievement_id=offer.id,
        score=0.8,
        reasons=[],
        stage=stage,
        contract=contract,
    )
    db.add(match)
    db.commit()
    return match


def body(**extra: Any) -> dict[str, Any]:
    return {
        "name": "膜电极产业化项目",
        "origin_adcode": "110108",
        "destination_adcode": "130600",
        "stage": "签约",
        "industry": "hydrogen",
        "segments": [SEGMENT],
        **extra,
    }


def test_a_party_registers_its_landed_deal_once_with_the_contract_amount(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    baoding, university = make_org("保定氢能中心"), make_org("北京测试大学", place="110108")
    deal = make_deal(db, baoding, university, contract={"type": "技术转让", "amount": 3500})
    csrf = login(client, make_user("editor", org=university))
    created = client.post(
        "/api/projects", json=body(match_id=deal.id), headers={"X-CSRF-Token": csrf}
    )
    assert created.status_code == 201, created.text
    project = created.json()
    assert project["match_id"] == deal.id and project["investment"] == 0.35
    assert project["organization_id"] == university.id
    again = client.post(
        "/api/projects",
        json=body(name="另一个项目", match_id=deal.id, investment=1),
        headers={"X-CSRF-Token": csrf},
    )
    assert again.status_code == 409
    assert again.json()["error"]["fields"][0]["field"] == "body.match_id"
    history = client.get(f"/api/projects/{project['id']}/history").json()
    assert [(e["from_stage"], e["to_stage"]) for e in history["data"]] == [("", "签约")]


def test_the_demand_side_may_register_and_an_explicit_investment_wins(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    baoding, university = make_org(), make_org(place="110108")
    deal = make_deal(db, baoding, university, contract={"amount": 3500})
    csrf = login(client, make_user("editor", org=baoding))
    made = client.post(
        "/api/projects",
        json=body(match_id=deal.id, investment=12.5),
        headers={"X-CSRF-Token": csrf},
    )
    assert made.status_code == 201, made.text
    assert made.json()["investment"] == 12.5 and made.json()["organization_id"] == baoding.id


def test_another_organizations_deal_is_forbidden(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    deal = make_deal(db, make_org(), make_org(place="110108"), contract={"amount": 100})
    csrf = login(client, make_user("editor"))
    response = client.post(
        "/api/projects", json=body(match_id=deal.id), headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 403
    assert "本机构" in response.json()["error"]["message"]
    assert db.scalar(select(Project.id)) is None


@pytest.mark.parametrize("stage", ["推荐", "意向", "洽谈", "签约"])
def test_a_deal_not_at_landing_is_refused(
    stage: str, client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    org = make_org()
    deal = make_deal(db, org, make_org(place="110108"), stage=stage)
    csrf = login(client, make_user("editor", org=org))
    response = client.post(
        "/api/projects", json=body(match_id=deal.id, investment=1), headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 422
    assert stage in response.json()["error"]["message"]


def test_a_missing_deal_is_refused(client: TestClient, make_user: UserFactory) -> None:
    csrf = login(client, make_user("editor"))
    response = client.post(
        "/api/projects", json=body(match_id=987654, investment=1), headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [
        {"field": "body.match_id", "message": "对接记录 987654 不存在"}
    ]


def test_without_investment_or_contract_amount_nothing_is_invented(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    org = make_org()
    deal = make_deal(db, org, make_org(place="110108"), contract={"type": "技术服务"})
    csrf = login(client, make_user("editor", org=org))
    for payload in (body(match_id=deal.id), body(name="无对接项目")):
        response = client.post("/api/projects", json=payload, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 422
        assert response.json()["error"]["fields"][0]["field"] == "body.investment"
    assert db.scalar(select(Project.id)) is None


def test_an_admin_registers_any_deal_for_its_demand_side(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    baoding = make_org()
    deal = make_deal(db, baoding, make_org(place="110108"), contract={"amount": 20000})
    csrf = login(client, make_user("admin"))
    made = client.post("/api/projects", json=body(match_id=deal.id), headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text
    assert made.json()["investment"] == 2.0 and made.json()["organization_id"] == baoding.id


def test_patch_cannot_point_a_project_at_another_organizations_deal(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    org = make_org()
    csrf = login(client, make_user("editor", org=org))
    made = client.post("/api/projects", json=body(investment=1), headers={"X-CSRF-Token": csrf})
    foreign = make_deal(db, make_org(), make_org(place="110108"))
    response = client.patch(
        f"/api/projects/{made.json()['id']}",
        json={"match_id": foreign.id},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 403


def test_an_import_row_naming_another_organizations_deal_is_refused(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    foreign = make_deal(db, make_org(), make_org(place="110108"))
    csrf = login(client, make_user("editor"))
    header = ["项目名称", "来源地", "落地地", "投资额（亿元）", "阶段", "来源对接编号"]
    data = write_xlsx({"项目": (header, [["冒名项目", "北京", "保定", 5, "签约", foreign.id]])})
    response = client.post(
        "/api/projects/import",
        files={"file": ("p.xlsx", data)},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert "本机构" in response.json()["error"]["message"]
    assert db.scalar(select(Project.id)) is None


def test_stage_changes_are_recorded_and_termination_needs_a_reason(
    client: TestClient, db: Session, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("editor"))
    headers = {"X-CSRF-Token": csrf}
    project = client.post("/api/projects", json=body(investment=2), headers=headers).json()
    url = f"/api/projects/{project['id']}"
    assert client.patch(url, json={"stage": "开工"}, headers=headers).status_code == 200
    assert client.patch(url, json={"investment": 3}, headers=headers).status_code == 200
    refused = client.patch(url, json={"stage": "终止", "reason": "  "}, headers=headers)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["message"] == "终止项目须填写终止原因"
    assert error["fields"] == [{"field": "body.reason", "message": "终止项目须填写终止原因"}]
    assert client.get(url).json()["stage"] == "开工"
    ended = client.patch(url, json={"stage": "终止", "reason": "企业调整投资计划"}, headers=headers)
    assert ended.status_code == 200, ended.text
    history = client.get(f"{url}/history").json()
    assert history["count"] == 3
    moves = [(e["from_stage"], e["to_stage"], e["reason"]) for e in history["data"]]
    assert moves == [("", "签约", ""), ("签约", "开工", ""), ("开工", "终止", "企业调整投资计划")]
    assert all(e["organization_name"] for e in history["data"])
    db.expire_all()
    stored = db.scalars(select(ProjectEvent).where(ProjectEvent.project_id == project["id"]))
    assert len(list(stored)) == 3
    assert client.get("/api/projects/999999/history").status_code == 404


def _add_enterprise(db: Session, n: int, county: str) -> None:
    row = Enterprise(
        name=f"膜电极企业{n}",
        credit_code=f"91130600MA{n:07d}X"[:18],
        place_adcode=county,
        provenance="import",
        tags="",
    )
    db.add(row)
    db.flush()
    db.add(
        EnterpriseSegment(
            enterprise_id=row.id,
            segment=SEGMENT,
            industry="hydrogen",
            confidence=0.9,
            decision="confirmed",
            evidence=[],
        )
    )


def _segment(client: TestClient) -> dict[str, Any]:
    payload = client.get("/api/industries/hydrogen/coverage?place=130600").json()
    row: dict[str, Any] = next(s for s in payload["segments"] if s["segment"] == SEGMENT)
    return row


def _gap(client: TestClient) -> dict[str, Any] | None:
    payload = client.get("/api/loop?industry=hydrogen&place=130600").json()
    return next((g for g in payload["gaps"] if g["segment"] == SEGMENT), None)


def test_a_project_in_production_fills_the_gap_on_the_chain_map_and_in_the_loop(
    client: TestClient, db: Session, make_user: UserFactory
) -> None:
    for n, county in enumerate(("120116", "120116", "120116", "130602"), start=1):
        _add_enterprise(db, n, county)  # one in 保定: 薄弱 there
    db.commit()
    before = _segment(client)
    assert (before["status"], before["count"]) == ("thin", 1)
    gap = _gap(client)
    assert gap is not None and gap["closed_year"] is None
    suggestions = client.get("/api/industries/hydrogen/suggestions?place=130600").json()
    assert GAP in [s["id"] for s in suggestions["data"]]

    csrf = login(client, make_user("editor"))
    headers = {"X-CSRF-Token": csrf}
    project = client.post(
        "/api/projects", json=body(investment=3.5, addresses=GAP), headers=headers
    ).json()
    moved = client.patch(
        f"/api/projects/{project['id']}",
        json={"stage": "投产", "operating_on": "2025-06-30", "version": project["version"]},
        headers=headers,
    )
    assert moved.status_code == 200, moved.text

    after = _segment(client)
    assert after["count"] == 2 and after["landed"] == 1 and after["projects_operating"] == 1
    assert after["status"] == "present" and after["filled"] is True
    assert after["status_zh"] == "具备（已补：项目投产）"
    gap = _gap(client)
    assert gap is not None and gap["closed_year"] == 2025
    totals = client.get("/api/loop?industry=hydrogen&place=130600").json()["totals"]
    assert totals["projects_operating"] == 1 and totals["gaps_closed"] >= 1
    suggestions = client.get("/api/industries/hydrogen/suggestions?place=130600").json()
    assert GAP not in [s["id"] for s in suggestions["data"]]

    # back out of production (终止): both views reopen the gap
    ended = client.patch(
        f"/api/projects/{project['id']}",
        json={"stage": "终止", "reason": "设备未通过验收"},
        headers=headers,
    )
    assert ended.status_code == 200, ended.text
    assert _segment(client)["status"] == "thin"
    gap = _gap(client)
    assert gap is not None and gap["closed_year"] is None
