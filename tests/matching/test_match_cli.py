"""``jjj match evaluate`` on the shipped sets and the recorded outcomes; ``jjj match ID`` and
``jjj match show ID`` print the same matches; the API and the page say how a query was
expanded and can switch it off."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jingjinji import auth
from jingjinji.settings import Settings
from jingjinji.store import create_db_engine, make_session_factory
from jingjinji.store.models import Listing, Match
from tests.conftest import OrgFactory, UserFactory, login
from tests.jjj import run

pytestmark = pytest.mark.db


def _listing(org_id: int, kind: str, title: str, summary: str, place: str) -> Listing:
    return Listing(
        kind=kind,
        status="published",
        title=title,
        summary=summary,
        segments=["hydrogen-fc-stack"],
        stage="小批量",
        place_adcode=place,
        organization_id=org_id,
        published_at=datetime.now(UTC),
    )


@pytest.fixture
def seeded(settings: Settings) -> tuple[Settings, int, int]:
    """A demand in lay words, a matching achievement, and an accepted match between them."""
    engine = create_db_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        org = auth.create_organization(session, name="示例机构", kind="enterprise")
        session.flush()
        demand = _listing(
            org.id,
            "demand",
            "公交车冬天早上打不着火",
            "我们的氢能公交车冬天早上经常启动失败。",
            "130600",
        )
        offer = _listing(
            org.id,
            "achievement",
            "电堆零下30℃无辅助冷启动",
            "燃料电池电堆低温冷启动与停机吹扫策略，已小批量装车。",
            "110114",
        )
        session.add_all([demand, offer])
        session.flush()
        session.add(Match(demand_id=demand.id, achievement_id=offer.id, stage="意向", score=0.5))
        session.commit()
        ids = demand.id, offer.id
    engine.dispose()
    return settings, *ids


def test_evaluate_reports_every_retriever_on_the_sets_and_the_judgements(
    seeded: tuple[Settings, int, int],
) -> None:
    settings, _demand, _offer = seeded
    done = run("match", "evaluate", "--json", env={"JJJ_DATABASE_URL": settings.database_url})
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    assert set(report) == {"eval_set", "problem_set", "judgements"}
    assert report["problem_set"]["demands"] >= 40
    assert set(report["problem_set"]["retrievers"]) == {
        "lexical",
        "lexical+expansion",
        "dense",
        "fusion",
        "full",
        "full+expansion",
        "hybrid",
    }
    hard = report["problem_set"]["retrievers"]
    assert hard["hybrid"]["ndcg@10"] > hard["lexical"]["ndcg@10"] + 0.2
    judged = report["judgements"]
    assert (judged["demands"], judged["accepted"], judged["declined"]) == (1, 1, 0)
    # one achievement in the index: it is the first answer of its demand
    assert judged["retrievers"]["full+expansion"]["mrr"] == 1.0
    assert judged["retrievers"]["hybrid"]["mrr"] == 1.0


def test_match_id_is_match_show_id(seeded: tuple[Settings, int, int]) -> None:
    settings, demand, offer = seeded
    env = {"JJJ_DATABASE_URL": settings.database_url}
    short = run("match", str(demand), "--json", env=env)
    long = run("match", "show", str(demand), "--json", env=env)
    assert short.returncode == 0, short.stderr
    assert json.loads(short.stdout) == json.loads(long.stdout)
    assert [item["listing_id"] for item in json.loads(short.stdout)] == [offer]
    assert run("match", "999999", env=env).returncode == 1


DEMAND = {
    "kind": "demand",
    "status": "published",
    "title": "公交车冬天早上打不着火",
    "summary": "我们的氢能公交车冬天早上经常启动失败，影响发车。",
    "segments": ["hydrogen-fc-stack"],
    "place_adcode": "130600",
    "stage": "小批量",
}
ACHIEVEMENT = {
    "kind": "achievement",
    "status": "published",
    "title": "电堆零下30℃无辅助冷启动",
    "summary": "燃料电池电堆低温冷启动与停机吹扫策略，已小批量装车。",
    "segments": ["hydrogen-fc-stack"],
    "place_adcode": "110114",
    "stage": "小批量",
}


def test_the_expansion_is_shown_and_can_be_switched_off(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory, db: Session
) -> None:
    headers = {"X-CSRF-Token": login(client, make_user("editor"))}
    demand = client.post("/api/listings", json=DEMAND, headers=headers).json()
    assert client.post("/api/listings", json=ACHIEVEMENT, headers=headers).status_code == 201
    expanded = client.get(f"/api/listings/{demand['id']}/matches").json()
    assert "电堆" in expanded["expansion"]
    text = next(r for r in expanded["data"][0]["reasons"] if r["factor"] == "text")
    assert "来自所属产业环节的词汇扩展" in text["detail"]
    plain = client.get(f"/api/listings/{demand['id']}/matches", params={"expand": "false"})
    assert plain.json()["expansion"] == []
    plain_text = [r["detail"] for m in plain.json()["data"] for r in m["reasons"]]
    assert not any("词汇扩展" in detail for detail in plain_text)
    page = client.get(f"/market/listings/{demand['id']}")
    assert "检索已并入所属产业环节的词汇" in page.text and "不扩展，只用原文检索" in page.text
    off = client.get(f"/market/listings/{demand['id']}", params={"expand": "false"})
    assert "当前只用原文检索" in off.text
