"""The whole thread through the API: a gap in a Hebei city → a draft demand with matches →
the match carried to 落地 → a project → the project in production counts in coverage →
the 协同成效 figures change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jingjinji.store.models import Enterprise, EnterpriseSegment, Listing, Organization
from tests.conftest import OrgFactory, UserFactory, login

SEGMENT = "hydrogen-fc-mea"
GAP = f"fill.130600.{SEGMENT}"


def add_enterprise(db: Session, n: int, county: str, segment: str) -> None:
    code = f"91120000MA{n:07d}X"[:18]
    row = Enterprise(
        name=f"测试企业{n}", credit_code=code, place_adcode=county, provenance="import", tags=""
    )
    db.add(row)
    db.flush()
    db.add(
        EnterpriseSegment(
            enterprise_id=row.id,
            segment=segment,
            industry="hydrogen",
            confidence=0.9,
            decision="confirmed",
            evidence=[],
        )
    )


def seed_registry(db: Session) -> None:
    """膜电极 in Tianjin (3) and Langfang (1), none in Baoding; other segments spread."""
    n = 0
    for county in ("120116", "120116", "120116", "131002"):
        n += 1
        add_enterprise(db, n, county, SEGMENT)
    for county in ("130602", "130602", "130602", "120116", "131002", "110108"):
        n += 1
        add_enterprise(db, n, county, "hydrogen-electrolyzer")
    db.commit()


def seed_achievement(db: Session, org: Organization) -> Listing:
    row = Listing(
        kind="achievement",
        status="published",
        title="高功率密度膜电极制备技术",
        summary="面向氢燃料电池的膜电极（MEA）与催化剂涂覆膜连续化制备工艺，已完成中试。",
        organization_id=org.id,
        place_adcode="110108",
        stage="小批量",
        segments=[SEGMENT],
        industries=["hydrogen"],
        keywords=["膜电极", "CCM"],
        published_at=datetime(2024, 3, 1, tzinfo=UTC),
    )
    from jingjinji.atlas import load_atlas
    from jingjinji.market import set_segments

    set_segments(row, [SEGMENT], load_atlas())
    db.add(row)
    db.commit()
    return row


@pytest.mark.db
def test_gap_to_project_to_coverage_to_figures(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    seed_registry(db)
    baoding = make_org("保定市氢能产业促进中心", kind="government", place="130600")
    university = make_org("北京测试大学", kind="university", place="110108")
    offer = seed_achievement(db, university)
    editor = make_user("editor", org=baoding)
    csrf = login(client, editor)
    headers = {"X-CSRF-Token": csrf}

    # the gap is there
    suggestions = client.get("/api/industries/hydrogen/suggestions?place=130600").json()
    assert GAP in [s["id"] for s in suggestions["data"]]
    before = client.get("/api/industries/hydrogen/coverage?place=130600").json()
    row = next(s for s in before["segments"] if s["segment"] == SEGMENT)
    assert (row["count"], row["projects"], row["deals"]) == (0, 0, 0)
    figures = client.get("/api/loop?industry=hydrogen&place=130600").json()
    assert figures["totals"]["gaps_closed"] == 0
    assert SEGMENT in [g["segment"] for g in figures["gaps"]]

    # 1. gap → draft demand with the Beijing achievement matched, with reasons
    response = client.post(
        f"/api/industries/hydrogen/suggestions/{GAP}/demand", json={}, headers=headers
    )
    assert response.status_code == 201, response.text
    draft = response.json()
    assert draft["created"] is True
    demand = draft["listing"]
    assert demand["status"] == "draft" and demand["kind"] == "demand"
    assert demand["place_adcode"] == "130600"
    assert "保定市" in demand["title"] and "膜电极" in demand["title"]
    # the gap is named in words (no internal id in what a reader sees) and kept as the link
    assert GAP not in demand["summary"] and "补链建议" in demand["summary"]
    assert draft["suggestion"]["id"] == GAP
    assert [s["slug"] for s in demand["segments"]] == [SEGMENT]
    assert draft["matches"], "the Beijing achievement should match"
    top = draft["matches"][0]
    assert top["listing"]["id"] == offer.id and top["reasons"] and top["match_id"] is None
    again = client.post(
        f"/api/industries/hydrogen/suggestions/{GAP}/demand", json={}, headers=headers
    ).json()
    assert again["created"] is False and again["listing"]["id"] == demand["id"]
    challenge = client.post(
        f"/api/industries/hydrogen/suggestions/{GAP}/demand",
        json={"kind": "challenge"},
        headers=headers,
    ).json()
    assert (
        challenge["listing"]["kind"] == "challenge" and "揭榜挂帅" in challenge["listing"]["title"]
    )

    # 2. the achievement's destinations: Tianjin/Hebei only, with reasons
    dest = client.get(f"/api/listings/{offer.id}/destinations").json()
    assert dest["count"] and all(not d["adcode"].startswith("11") for d in dest["data"])
    assert dest["data"][0]["reasons"][0]["segment"] == SEGMENT

    # publish, then carry the match to 落地
    published = client.patch(
        f"/api/listings/{demand['id']}", json={"status": "published"}, headers=headers
    )
    assert published.status_code == 200, published.text
    opened = client.post(
        "/api/matches",
        json={"demand_id": demand["id"], "achievement_id": offer.id},
        headers=headers,
    )
    assert opened.status_code == 201, opened.text
    match_id = opened.json()["id"]
    early = client.post(f"/api/matches/{match_id}/project", json={}, headers=headers)
    assert early.status_code == 409
    partner = make_user("editor", org=university)

    def act(user: object, stage: str, **extra: object) -> dict[str, object]:
        client.cookies.clear()
        token = login(client, user)  # type: ignore[arg-type]
        moved = client.post(
            f"/api/matches/{match_id}/transitions",
            json={"to": stage, **extra},
            headers={"X-CSRF-Token": token},
        )
        assert moved.status_code == 200, moved.text
        return dict(moved.json())

    contract = {"type": "技术许可", "amount": 350.0, "signed_on": "2026-11-20"}
    assert act(editor, "意向")["stage"] == "意向"
    assert act(partner, "洽谈")["stage"] == "洽谈"
    assert act(editor, "签约", contract=contract)["stage"] == "洽谈"  # proposed
    assert act(partner, "签约")["stage"] == "签约"  # confirmed
    assert act(partner, "落地")["pending"]["stage"] == "落地"  # type: ignore[index]
    assert act(editor, "落地")["stage"] == "落地"
    client.cookies.clear()
    headers = {"X-CSRF-Token": login(client, editor)}

    # 3. the deal becomes a project, once
    made = client.post(
        f"/api/matches/{match_id}/project", json={"investment": 3.5}, headers=headers
    )
    assert made.status_code == 200, made.text
    project = made.json()["project"]
    assert made.json()["created"] is True
    assert project["match_id"] == match_id
    assert project["origin_adcode"] == "110108" and project["destination_adcode"] == "130600"
    assert project["segments"] == [SEGMENT] and project["industry"] == "hydrogen"
    assert project["addresses"] == GAP and project["investment"] == 3.5
    same = client.post(f"/api/matches/{match_id}/project", json={}, headers=headers).json()
    assert same["created"] is False and same["project"]["id"] == project["id"]

    mid = client.get("/api/industries/hydrogen/coverage?place=130600").json()
    row = next(s for s in mid["segments"] if s["segment"] == SEGMENT)
    assert (row["count"], row["projects"], row["deals"]) == (0, 1, 1)

    # 4. in production: the segment's coverage counts it
    today = datetime.now(UTC).date().isoformat()
    done = client.patch(
        f"/api/projects/{project['id']}",
        headers=headers,
        json={
            "stage": "投产",
            "started_on": today,
            "operating_on": today,
            "version": project["version"],
        },
    )
    assert done.status_code == 200, done.text
    after = client.get("/api/industries/hydrogen/coverage?place=130600").json()
    row = next(s for s in after["segments"] if s["segment"] == SEGMENT)
    assert row["count"] == 1 and row["status"] == "present" and row["projects_operating"] == 1
    assert after["completeness"] > before["completeness"]

    # 5. the 协同成效 figures changed
    figures = client.get("/api/loop?industry=hydrogen&place=130600").json()
    totals = figures["totals"]
    assert totals["gaps_closed"] == 1
    assert totals["demands"] == 1 and totals["demands_matched"] == 1
    assert totals["deals_signed"] == 1 and totals["deals_landed"] == 1
    assert totals["projects"] == 1 and totals["projects_operating"] == 1
    assert totals["projects_from_matches"] == 1 and totals["investment"] == 3.5
    # the one deal: a Beijing achievement, its demand in Baoding, a contract of 350 万元
    assert totals["beijing_deal_value_share"] == 1.0 and totals["beijing_deal_value"] == 350.0
    assert totals["beijing_deals_with_amount"] == 1 and totals["beijing_deals_without_amount"] == 0
    assert totals["beijing_deals_count_share"] == 1.0 and figures["notes"] == {}
    assert "achievements_present_share" not in totals  # withdrawn: 100% by construction
    assert figures["reference"]["value"] == 7.8
    assert figures["reference"]["provenance"] == "seed:001_4b6e042be49c5569.txt"
    assert figures["is_sample"] is False
    year = datetime.now(UTC).year
    assert figures["series"]["gaps_closed"][figures["years"].index(year)] == 1
