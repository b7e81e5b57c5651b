"""Statistics over time on a hand-computed set; bulk import through the web, all or nothing,
with every bad row located."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.store.models import Listing, ListingSegment, Match
from jingjinji.store.tabular import write_xlsx
from tests.conftest import OrgFactory, UserFactory
from tests.market.test_challenges import acting

pytestmark = pytest.mark.db


def test_statistics_over_time_by_hand(
    client: TestClient, db: Session, make_org: OrgFactory
) -> None:
    org = make_org(place="130203")

    def listing(kind: str, month: int, place: str = "130203") -> Listing:
        row = Listing(
            kind=kind,
            title=f"{kind}{month}",
            organization_id=org.id,
            status="published",
            place_adcode=place,
            published_at=datetime(2026, month, 15, tzinfo=UTC),
            segments=["robot-reducer"],
        )
        row.segment_rows = [ListingSegment(segment="robot-reducer", industry="robotics")]
        db.add(row)
        db.flush()
        return row

    d1, d2, d3, d4 = (listing("demand", m) for m in (1, 1, 1, 2))
    a1, a2 = listing("achievement", 1, "110108"), listing("achievement", 2, "110108")
    # d1: only recommended; d2: 意向 (and a declined one); d3: 签约; d4: declined
    db.add_all(
        [
            Match(demand_id=d1.id, achievement_id=a1.id, stage="推荐"),
            Match(demand_id=d2.id, achievement_id=a1.id, stage="意向"),
            Match(demand_id=d2.id, achievement_id=a2.id, stage="已拒绝", decline_reason="方向不符"),
            Match(demand_id=d3.id, achievement_id=a1.id, stage="签约"),
            Match(
                demand_id=d4.id, achievement_id=a2.id, stage="已拒绝", decline_reason="价格不合适"
            ),
        ]
    )
    db.commit()
    stats = client.get("/api/market/statistics").json()
    # the current fields are kept: 2 of 4 demands matched, 1 of 4 signed
    assert stats["listings"] == {"demand": 4, "achievement": 2}
    assert stats["matching_rate"] == 0.5 and stats["signing_rate"] == 0.25
    assert stats["declines"] == {"方向不符": 1, "价格不合适": 1}
    trends = stats["trends"]
    assert trends["period"] == "month" and trends["periods"] == ["2026-01", "2026-02"]
    assert trends["published"]["demand"] == [3, 1] and trends["published"]["achievement"] == [1, 1]
    assert trends["demands"] == [3, 1]
    assert trends["matching_rates"] == [0.6667, 0.0]  # January: d2, d3 of d1–d3
    assert trends["signing_rates"] == [0.3333, 0.0]  # January: d3
    assert trends["by_place"][0] == {"adcode": "130200", "name": "唐山市", "count": 4}
    # every prefecture-level unit is listed, 雄安新区 too, with 0 where nothing was published
    assert [p["count"] for p in trends["by_place"]] == [4, 2] + [0] * 12
    assert {"雄安新区", "北京市"} <= {p["name"] for p in trends["by_place"]}
    assert trends["by_segment"][0] == {"slug": "robot-reducer", "name": "精密减速器", "count": 6}
    assert trends["is_sample"] is False
    yearly = client.get("/api/market/statistics", params={"period": "year"}).json()["trends"]
    assert yearly["periods"] == ["2026"] and yearly["matching_rates"] == [0.5]
    assert client.get("/api/market/statistics", params={"period": "week"}).status_code == 422
    page = client.get("/market")
    assert page.status_code == 200 and 'id="market-trends"' in page.text


GOOD = "标题,简介,所在地,关键词\n膜电极涂布,膜电极卷对卷涂布,海淀区,膜电极、涂布\n"
BAD = "标题,简介,所在地,成熟度,价格下限\n好成果,膜电极,海淀区,中试,10\n,x,火星,超级,abc\n"


def test_web_import_all_or_nothing(
    client: TestClient, db: Session, make_user: UserFactory, make_org: OrgFactory
) -> None:
    editor = make_user("editor", org=make_org(name="导入大学", place="110108"))
    with acting(client, editor) as (browser, headers):
        files = {"file": ("list.csv", BAD.encode(), "text/csv")}
        refused = browser.post(
            "/api/listings/import", params={"kind": "achievement"}, files=files, headers=headers
        )
        assert refused.status_code == 422
        error = refused.json()["error"]
        assert "未导入任何数据" in error["message"] and "第 3 行" in error["message"]
        located = {(f["sheet"], f["row"], f["column"]) for f in error["fields"]}
        assert {r for _s, r, _c in located} == {"3"}
        assert {c for _s, _r, c in located} == {"所在地", "成熟度", "价格下限", "标题"}
        assert all(f["message"] for f in error["fields"])
        assert db.scalar(select(func.count(Listing.id))) == 0
        # XLSX with a good sheet: imported, published, owned by the caller's organization
        header = ["标题", "简介", "所在地", "关键词"]
        data = write_xlsx(
            {"成果": (header, [["膜电极涂布", "膜电极卷对卷涂布", "海淀区", "膜电极、涂布"]])}
        )
        files = {"file": ("list.xlsx", data, "application/octet-stream")}
        done = browser.post(
            "/api/listings/import", params={"kind": "achievement"}, files=files, headers=headers
        )
        assert done.status_code == 201, done.text
        assert done.json()["added"] == 1
        row = db.scalar(select(Listing))
        assert row is not None and row.organization_id == editor.organization_id
        assert row.status == "published"
        # a non-admin may not import for another organization
        other = make_org(name="别家企业")
        foreign = f"标题,简介,所在地,单位\n别人的成果,说明,海淀区,{other.name}\n"
        files = {"file": ("list.csv", foreign.encode(), "text/csv")}
        refused = browser.post(
            "/api/listings/import", params={"kind": "achievement"}, files=files, headers=headers
        )
        assert refused.status_code == 422 and "本机构" in refused.json()["error"]["message"]
        assert db.scalar(select(func.count(Listing.id))) == 1
        page = browser.get("/market/publish?kind=achievement")
        assert 'id="import-form"' in page.text
    with acting(client, make_user("analyst")) as (browser, headers):
        files = {"file": ("list.csv", GOOD.encode(), "text/csv")}
        assert browser.post("/api/listings/import", files=files, headers=headers).status_code == 403
