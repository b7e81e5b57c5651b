"""Listings API: visibility, contacts, completeness, search, matches with reasons, the deal
workflow, conflicts, import and the sample loader."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.market.importing import import_listings
from jingjinji.market.samples import generate_listings, load_sample_listings
from jingjinji.store.models import AuditEntry, Listing, Match, Organization
from tests.conftest import OrgFactory, UserFactory, login

pytestmark = pytest.mark.db

ACHIEVEMENT: dict[str, Any] = {
    "kind": "achievement",
    "title": "谐波减速器柔轮精密加工工艺",
    "status": "published",
    "summary": "面向工业机器人关节的谐波减速器加工工艺，传动精度优于1弧分。",
    "place_adcode": "110108",
    "stage": "小批量",
    "price_min": 100,
    "keywords": ["谐波减速器"],
    "contact": "张老师 010-12345678",
}
DEMAND: dict[str, Any] = {
    "kind": "demand",
    "title": "机器人关节精密减速器国产化",
    "status": "published",
    "summary": "我公司生产工业机器人，寻求谐波减速器技术。",
    "place_adcode": "130200",
    "stage": "中试",
    "budget": 300,
    "contact": "王工 0315-1234567",
    "contact_public": False,
}


def signed_in(client: TestClient, make_user: UserFactory, **kwargs: Any) -> dict[str, str]:
    return {"X-CSRF-Token": login(client, make_user("editor", **kwargs))}


def test_publish_search_match_and_reasons(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory, db: Session
) -> None:
    uni = make_org(name="测试大学", kind="university", place="110108")
    uni_editor = make_user("editor", org=uni)
    headers = {"X-CSRF-Token": login(client, uni_editor)}
    created = client.post("/api/listings", json=ACHIEVEMENT, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert "robot-reducer" in [s["slug"] for s in body["segments"]]  # suggested from text
    assert (
        body["trl"] == "TRL 8"
        and 0 < body["completeness"] < 100
        and "经济性对比" in body["missing"]
    )
    assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "listing")) == 1
    client.post("/api/auth/logout", headers=headers)
    headers = signed_in(client, make_user, org=make_org(place="130200"))
    demand = client.post("/api/listings", json=DEMAND, headers=headers).json()
    # searchable at once, without a rebuild
    found = client.get("/api/listings", params={"q": "谐波减速器", "kind": "achievement"}).json()
    assert [item["id"] for item in found["data"]] == [body["id"]]
    matches = client.get(f"/api/listings/{demand['id']}/matches", params={"top": 5}).json()
    assert matches["count"] == 1
    top = matches["data"][0]
    # a read writes nothing: no one has acted on the pair, so there is no stored match yet
    assert top["listing"]["id"] == body["id"] and top["stage"] is None and top["match_id"] is None
    assert db.scalar(select(func.count(Match.id))) == 0
    factors = {reason["factor"]: reason for reason in top["reasons"]}
    assert set(factors) == {
        "text",
        "segment",
        "maturity",
        "place",
        "corridor",
        "freshness",
        "price",
    }
    assert "谐波减速器" in [term for term, _part in factors["text"]["terms"]]
    assert factors["place"]["detail"].startswith("北京成果对接河北需求")
    assert sum(r["points"] for r in top["reasons"]) == pytest.approx(top["score"], abs=1e-3)
    # the deal workflow: forward one stage at a time, then decline with a reason
    pair = {"demand_id": demand["id"], "achievement_id": body["id"]}
    opened = client.post("/api/matches", json=pair, headers=headers)
    assert opened.status_code == 201 and opened.json()["stage"] == "推荐"
    again = client.post("/api/matches", json=pair, headers=headers)
    assert again.status_code == 200 and again.json()["id"] == opened.json()["id"]
    stored = db.scalars(select(Match)).one()
    assert stored.score == pytest.approx(top["score"], abs=1e-6)  # the pair's score as listed
    match_id = opened.json()["id"]
    listed = client.get(f"/api/listings/{demand['id']}/matches", params={"top": 5}).json()
    assert listed["data"][0]["match_id"] == match_id and listed["data"][0]["stage"] == "推荐"
    url = f"/api/matches/{match_id}/transitions"
    assert client.post(url, json={"to": "洽谈"}, headers=headers).status_code == 422
    assert client.post(url, json={"to": "意向"}, headers=headers).json()["stage"] == "意向"
    declined = client.post(url, json={"to": "已拒绝"}, headers=headers)
    assert declined.status_code == 422 and "原因" in declined.json()["error"]["message"]
    state = client.post(url, json={"to": "已拒绝", "reason": "价格不合适"}, headers=headers).json()
    assert state["stage"] == "已拒绝" and [e["to_stage"] for e in state["history"]] == [
        "意向",
        "已拒绝",
    ]
    stats = client.get("/api/market/statistics").json()
    assert stats["declines"] == {"价格不合适": 1}


def test_visibility_contacts_and_owner_edits(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory, db: Session
) -> None:
    org = make_org()
    headers = signed_in(client, make_user, org=org)
    draft = client.post("/api/listings", json={**DEMAND, "status": "draft"}, headers=headers).json()
    published = client.post("/api/listings", json=DEMAND, headers=headers).json()
    assert published["contact"] == DEMAND["contact"]  # the owner sees it
    client.post("/api/auth/logout", headers=headers)
    anonymous = client.get("/api/listings").json()
    assert [item["id"] for item in anonymous["data"]] == [published["id"]]
    assert anonymous["data"][0]["contact"] is None
    assert client.get(f"/api/listings/{draft['id']}").status_code == 404
    # expired listings leave search and matching but stay readable to their owners
    row = db.get(Listing, published["id"])
    assert row is not None
    row.valid_until = date.today() - timedelta(days=1)
    db.commit()
    assert client.get("/api/listings").json()["count"] == 0
    headers = signed_in(client, make_user, org=org)
    assert client.get(f"/api/listings/{published['id']}").status_code == 200
    stale = client.patch(
        f"/api/listings/{draft['id']}", json={"summary": "x", "version": 99}, headers=headers
    )
    assert stale.status_code == 409
    ok = client.patch(f"/api/listings/{draft['id']}", json={"status": "published"}, headers=headers)
    assert ok.status_code == 200 and ok.json()["published_at"] is not None
    client.post("/api/auth/logout", headers=headers)
    other = signed_in(client, make_user)
    refused = client.patch(f"/api/listings/{draft['id']}", json={"summary": "x"}, headers=other)
    assert refused.status_code == 403


@pytest.mark.parametrize("q", ['"', "%", "_", "\\", "a" * 200, "' OR 1=1 --", "<script>"])
def test_odd_search_strings(client: TestClient, q: str) -> None:
    response = client.get("/api/listings", params={"q": q})
    assert response.status_code == 200


def test_bad_input_names_the_field(client: TestClient, make_user: UserFactory) -> None:
    headers = signed_in(client, make_user)
    bad = client.post("/api/listings", json={**DEMAND, "place_adcode": "999999"}, headers=headers)
    assert (
        bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "body.place_adcode"
    )
    bad = client.post("/api/listings", json={**DEMAND, "segments": ["no-such"]}, headers=headers)
    assert bad.status_code == 422 and "no-such" in bad.json()["error"]["message"]
    assert (
        client.post("/api/listings", json={**DEMAND, "stage": "x"}, headers=headers).status_code
        == 422
    )


def test_import_is_all_or_nothing(db: Session, make_org: OrgFactory) -> None:
    org = make_org(name="导入测试大学", kind="university", place="110108")
    atlas = load_atlas()
    bad = "标题,简介,所在地,成熟度,价格下限\n好成果,膜电极,海淀区,中试,10\n,x,火星,超级,abc\n"
    result = import_listings(
        db, bad.encode(), "list.csv", kind="achievement", organization_id=org.id, atlas=atlas
    )
    assert result.added == 0
    problems = {(p.row, p.column) for p in result.problems}
    assert problems == {(3, "所在地"), (3, "成熟度"), (3, "价格下限"), (3, "标题")}
    assert db.scalar(select(func.count(Listing.id))) == 0
    good = "标题,简介,所在地,关键词\n膜电极涂布,膜电极卷对卷涂布,海淀区,膜电极、涂布\n"
    result = import_listings(
        db, good.encode(), "list.csv", kind="achievement", organization_id=org.id, atlas=atlas
    )
    db.commit()
    assert result.added == 1 and not result.problems
    row = db.scalar(select(Listing))
    assert row is not None and row.keywords == ["膜电极", "涂布"] and row.segments


def test_sample_generator_is_reproducible_and_labelled() -> None:
    atlas = load_atlas()
    first = list(generate_listings(atlas, achievements=50, demands=20, challenges=5, instruments=5))
    again = list(generate_listings(atlas, achievements=50, demands=20, challenges=5, instruments=5))
    assert [r["title"] for r in first] == [r["title"] for r in again]
    assert {r["provenance"] for r in first} == {"demo"}
    assert {r["kind"] for r in first} == {"achievement", "demand", "challenge", "instrument"}
    achievements = [r for r in first if r["kind"] == "achievement"]
    assert all(atlas.province_of(r["place_adcode"]).adcode == "110000" for r in achievements)
    demands = [r for r in first if r["kind"] == "demand"]
    assert all(atlas.province_of(r["place_adcode"]).adcode != "110000" for r in demands)


@pytest.mark.slow
def test_sample_loader_bulk_and_idempotent(db: Session) -> None:
    atlas = load_atlas()
    assert load_sample_listings(db, atlas) == 7400
    db.commit()
    assert load_sample_listings(db, atlas) == 0
    assert db.scalar(
        select(func.count(Organization.id).filter(Organization.name.like("%（示例）")))
    )
    assert db.scalar(select(func.count(Match.id))) == 0


def test_index_sees_other_writers_and_survives_restart(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory, db: Session, settings: Any
) -> None:
    import time

    from jingjinji.market import MarketIndex, index_folder, weights_from
    from jingjinji.market.index import listing_document

    org = make_org(name="索引测试大学", kind="university", place="110108")
    headers = signed_in(client, make_user, org=org)
    first = client.post("/api/listings", json=ACHIEVEMENT, headers=headers).json()
    assert client.get("/api/listings", params={"q": "柔轮"}).json()["count"] == 1
    # another process (the CLI, an import) writes a listing: searchable on the next request
    row = Listing(
        kind="achievement",
        title="膜电极卷对卷涂布",
        summary="膜电极涂布工艺",
        organization_id=org.id,
        place_adcode="110108",
        status="published",
    )
    db.add(row)
    db.commit()
    start = time.perf_counter()
    found = client.get("/api/listings", params={"q": "膜电极涂布"}).json()
    assert [item["id"] for item in found["data"]] == [row.id]
    assert time.perf_counter() - start < 1.0
    # closing withdraws it from search and matching
    client.patch(f"/api/listings/{first['id']}", json={"status": "closed"}, headers=headers)
    client.post("/api/auth/logout", headers=headers)
    assert client.get("/api/listings", params={"q": "柔轮"}).json()["count"] == 0
    # a fresh index on the same database loads the saved one and replays the changes
    index = MarketIndex(load_atlas(), folder=index_folder(settings), weights=weights_from(settings))
    matcher = index.ensure(db)
    assert [key for key, _s in matcher.search("膜电极涂布")] == [row.id]
    assert matcher.search("柔轮") == []
    assert listing_document(row).profile.kind == "achievement"


def test_warm_matches_computes_the_newest_listings_pages_ask_for(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory, db: Session
) -> None:
    """The start-up warm-up computes the matches of the newest listings as their pages ask
    for them: afterwards a page is served from the kept answer (no BM25 ranking at all), and
    it is the same answer a fresh computation gives."""
    from jingjinji import market

    headers = signed_in(client, make_user, org=make_org(kind="university", place="110108"))
    achievement = client.post("/api/listings", json=ACHIEVEMENT, headers=headers).json()
    client.post("/api/auth/logout", headers=headers)
    headers = signed_in(client, make_user, org=make_org(place="130200"))
    demand = client.post("/api/listings", json=DEMAND, headers=headers).json()
    index = client.app.state.market_index  # type: ignore[attr-defined]
    fresh = client.get(f"/api/listings/{demand['id']}/matches").json()
    index.matcher._forget()  # a change elsewhere: what was kept is of an older state
    index.matcher.stale_seconds = 0.0
    warmed_ids = market.warm_matches(db, index, per_kind=1)  # one demand, one achievement
    assert sorted(warmed_ids) == sorted([demand["id"], achievement["id"]])
    matcher = index.matcher

    def not_again(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("computed again although warmed")

    matcher._match = not_again  # type: ignore[method-assign]
    warmed = client.get(f"/api/listings/{demand['id']}/matches").json()
    assert [m["listing"]["id"] for m in warmed["data"]] == [achievement["id"]]
    assert warmed["data"][0]["score"] == fresh["data"][0]["score"]
    other = client.get(f"/api/listings/{achievement['id']}/matches").json()
    assert [m["listing"]["id"] for m in other["data"]] == [demand["id"]]
