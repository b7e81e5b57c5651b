"""Hybrid matching on the platform: dense vectors are made when the index is built or a
listing is published (never in a request), saved with the index and loaded after a restart;
the match reasons name the retrievers and quote the counterpart's closest sentence."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jingjinji import auth
from jingjinji.settings import Settings
from jingjinji.store import create_db_engine, make_session_factory, upgrade
from jingjinji.store.models import Listing, Organization
from jingjinji.web.app import create_app

DEMAND = ("公交车冬天早上打不着火", "我们的氢能公交车一到冬天早上经常启动失败，要烤很久才能发车。")
COLD_START = (
    "电堆零下30℃无辅助冷启动",
    "本成果面向燃料电池商用车。通过停机吹扫与膜电极含水量控制，实现电堆零下30℃无辅助冷启动，"
    "启动时间小于60秒。已在多款车型上小批量装车。",
)
SECURITY = ("工控协议白名单与异常指令检测", "面向水厂与电厂的工业控制系统安全防护。")


def _listing(org: Organization, kind: str, text: tuple[str, str], segment: str) -> Listing:
    return Listing(
        kind=kind,
        status="published",
        title=text[0],
        summary=text[1],
        segments=[segment],
        place_adcode="130700" if kind == "demand" else "110108",
        organization_id=org.id,
        published_at=datetime.now(UTC),
        stage="小批量" if kind == "achievement" else None,
    )


@pytest.fixture
def seeded(tmp_path: Path) -> Settings:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'jjj.sqlite3'}", warm_up=False)
    engine = create_db_engine(settings.database_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        org = auth.create_organization(session, name="测试机构", kind="enterprise")
        session.flush()
        session.add(_listing(org, "demand", DEMAND, "hydrogen-fc-stack"))
        session.add(_listing(org, "achievement", COLD_START, "hydrogen-fc-stack"))
        session.add(_listing(org, "achievement", SECURITY, "hydrogen-fc-stack"))
        session.commit()
    engine.dispose()
    return settings


def _demand_id(settings: Settings) -> int:
    engine = create_db_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        found = session.scalar(select(Listing.id).where(Listing.kind == "demand"))
    engine.dispose()
    assert found is not None
    return found


def _text_reason(match: dict[str, object]) -> dict[str, object]:
    reasons = match["reasons"]
    assert isinstance(reasons, list)
    return next(r for r in reasons if r["factor"] == "text")


def test_matches_name_their_retrievers_and_survive_a_restart(seeded: Settings) -> None:
    demand = _demand_id(seeded)
    with TestClient(create_app(seeded)) as client:
        index = client.app.state.market_index  # type: ignore[attr-defined]
        assert index.builds == 1 and index.matcher.embedder is not None
        assert len(index.matcher.dense["achievement"]) == 2
        found = client.get(f"/api/listings/{demand}/matches").json()["data"]
        first = found[0]
        assert first["listing"]["title"] == COLD_START[0]
        reason = _text_reason(first)
        assert dict(reason["found_by"])["dense"] == 1  # type: ignore[call-overload]
        assert "语义检索第 1 位" in str(reason["detail"])
        assert reason["passage"] and str(reason["passage"]) in COLD_START[1]
        assert 0 < float(reason["similarity"]) <= 1  # type: ignore[arg-type]
        page = client.get(f"/market/listings/{demand}")
        assert "最相近的一句" in page.text and "语义检索" in page.text
        # a publication is embedded as the index catches up
        engine = create_db_engine(seeded.database_url)
        with make_session_factory(engine)() as session:
            org = session.scalars(select(Organization)).one()
            late = _listing(
                org,
                "achievement",
                ("燃料电池低温启动加热模块", "冬季低温快速启动。"),
                "hydrogen-fc-stack",
            )
            session.add(late)
            session.commit()
            late_id = late.id
        engine.dispose()
        client.get(f"/api/listings/{demand}/matches")
        assert index.matcher.dense["achievement"].vector(late_id) is not None
    # the next start loads the saved index with its vectors (nothing is built), and the
    # catch-up replays the publication made since it was saved
    with TestClient(create_app(seeded)) as client:
        index = client.app.state.market_index  # type: ignore[attr-defined]
        assert index.builds == 0 and len(index.matcher.dense["achievement"]) == 2
        again = client.get(f"/api/listings/{demand}/matches").json()["data"]
        assert again[0]["listing"]["title"] == COLD_START[0]
        assert index.matcher.dense["achievement"].vector(late_id) is not None


def test_dense_retrieval_can_be_switched_off(seeded: Settings) -> None:
    demand = _demand_id(seeded)
    plain = seeded.model_copy(update={"dense_retrieval": False})
    with TestClient(create_app(plain)) as client:
        index = client.app.state.market_index  # type: ignore[attr-defined]
        assert index.matcher.embedder is None and index.matcher.dense == {}
        for match in client.get(f"/api/listings/{demand}/matches").json()["data"]:
            reason = _text_reason(match)
            assert dict(reason["found_by"]).keys() <= {"lexical"}  # type: ignore[call-overload]
            assert reason["passage"] == "" and "语义" not in str(reason["detail"])
