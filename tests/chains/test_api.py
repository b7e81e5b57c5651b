"""The chain-map API: import (all-or-nothing), review, coverage, suggestions, classify."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.store.models import AuditEntry, Enterprise, EnterpriseSegment
from tests.conftest import UserFactory, login

HEADER = "企业名称,统一社会信用代码,注册地址,行业代码,经营范围,主要产品,标签,规模,营业收入\n"
GOOD = (
    "保定某氢能装备有限公司,91130600MA0000000A,河北省保定市莲池区东风路1号,C3849,"
    "燃料电池电堆研发生产,金属板电堆,专精特新小巨人,中型,12000\n"
)


def _code(body: str) -> str:
    from jingjinji.chains.credit_code import check_character, organization_check_character

    org = body[:8] + organization_check_character(body[:8])
    first = "91" + body[8:14] + org
    return first + check_character(first)


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(rows)).encode("utf-8")


@pytest.mark.db
def test_import_is_all_or_nothing_and_reports_every_bad_row(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    csrf = login(client, make_user("editor"))
    good = GOOD.replace("91130600MA0000000A", _code("MA000000130606"))
    bad_code = GOOD.replace("91130600MA0000000A", "914403001922038217")
    bad_place = good.replace("河北省保定市莲池区东风路1号", "火星基地").replace(
        _code("MA000000130606"), _code("MA000001130606")
    )
    response = client.post(
        "/api/enterprises/import",
        files={"file": ("e.csv", _csv(good, bad_code, bad_place), "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422, response.text
    fields = response.json()["error"]["fields"]
    assert [f["field"] for f in fields] == ["csv!3!统一社会信用代码", "csv!4!注册地址"]
    assert "校验位" in fields[0]["message"]
    assert db.scalar(select(Enterprise.id)) is None  # nothing written

    response = client.post(
        "/api/enterprises/import",
        files={"file": ("e.csv", _csv(good), "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1
    row = db.scalars(select(Enterprise)).one()
    assert row.place_adcode == "130606" and row.tag_list == ["小巨人"]
    segments = {s.segment: s for s in row.segments}
    assert segments["hydrogen-fc-stack"].decision == "confirmed"
    assert db.scalar(select(AuditEntry.id).where(AuditEntry.entity == "enterprise"))

    # A reviewer rejects the automatic segment and adds one; a re-import keeps both decisions.
    analyst_client = TestClient(client.app)
    with analyst_client:
        analyst_csrf = login(analyst_client, make_user("analyst"))
        for segment, decision in (
            ("hydrogen-fc-stack", "rejected"),
            ("hydrogen-fc-mea", "confirmed"),
        ):
            reviewed = analyst_client.post(
                f"/api/enterprises/{row.id}/segments",
                json={"segment": segment, "decision": decision, "note": "核实"},
                headers={"X-CSRF-Token": analyst_csrf},
            )
            assert reviewed.status_code == 200, reviewed.text
    updated = good.replace("12000", "15000")
    response = client.post(
        "/api/enterprises/import",
        files={"file": ("e.csv", _csv(updated), "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.json()["updated"] == 1 and response.json()["created"] == 0
    db.expire_all()
    row = db.scalars(select(Enterprise)).one()
    assert row.revenue == 15000
    kept = {
        s.segment: (s.decision, s.source)
        for s in db.scalars(
            select(EnterpriseSegment).where(EnterpriseSegment.enterprise_id == row.id)
        )
    }
    assert kept["hydrogen-fc-stack"] == ("rejected", "review")
    assert kept["hydrogen-fc-mea"] == ("confirmed", "review")

    listed = client.get(
        "/api/enterprises", params={"place": "130600", "segment": "hydrogen-fc-mea"}
    )
    assert listed.json()["count"] == 1
    assert client.get("/api/enterprises", params={"tag": "链主"}).json()["count"] == 0
    assert client.get("/api/enterprises", params={"tag": "%_\\'"}).status_code == 200


@pytest.mark.db
def test_coverage_suggestions_export_and_classify(client: TestClient, db: Session) -> None:
    from jingjinji.atlas import load_atlas
    from jingjinji.chains.repository import load_sample_enterprises

    assert load_sample_enterprises(db, load_atlas(), count=1500) == 1500
    db.commit()
    assert load_sample_enterprises(db, load_atlas(), count=1500) == 0  # only into an empty table
    cov = client.get("/api/industries/hydrogen/coverage", params={"place": "130600"})
    assert cov.status_code == 200, cov.text
    body = cov.json()
    assert body["place"]["name"] == "保定市" and body["is_sample"]
    assert len(body["segments"]) == 22
    assert {s["status"] for s in body["segments"]} <= {"strong", "present", "thin", "missing"}
    # each status carries its bootstrap stability (200 resamples of the registry)
    assert body["stability"]["method"] == "bootstrap" and body["stability"]["resamples"] == 200
    # the enterprises resampled: those on the map (a confirmed segment in a county)
    from jingjinji.chains.repository import chain_context

    placed = chain_context(db, load_atlas()).frame["enterprise_id"].nunique()
    assert 1000 < placed <= 1500
    assert body["stability"]["threshold"] == 0.8 and body["stability"]["enterprises"] == placed
    for row in body["segments"]:
        assert 0.0 <= row["status_stability"] <= 1.0
        assert row["status_uncertain"] is (row["status_stability"] < 0.8)
        if row["count"] == 0:  # no enterprise to resample: 缺失 in every resample
            assert row["status_stability"] == 1.0
        if row["count"] == 1 and not row["landed"]:  # 缺失 whenever it is not drawn (37%)
            assert row["status_uncertain"]
    uncertain = sum(row["status_uncertain"] for row in body["segments"])
    assert body["stability"]["uncertain"] == uncertain
    sug = client.get("/api/industries/hydrogen/suggestions", params={"place": "130600"}).json()
    assert all(item["id"].split(".")[1] == "130600" for item in sug["data"])
    again = client.get("/api/industries/hydrogen/suggestions", params={"place": "130600"}).json()
    assert [i["id"] for i in again["data"]] == [i["id"] for i in sug["data"]]
    assert (
        client.get("/api/industries/nope/coverage", params={"place": "130600"}).status_code == 404
    )
    assert (
        client.get("/api/industries/hydrogen/coverage", params={"place": "999999"}).status_code
        == 404
    )
    xlsx = client.get("/api/industries/hydrogen/chain-map.xlsx", params={"place": "region"})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["覆盖情况", "招商建议"]
    header = [cell.value for cell in workbook["覆盖情况"][1]]
    assert "状态稳定性（自助抽样）" in header and "状态不确定" in header
    classified = client.post("/api/classify", json={"text": "主营PEM电解槽与制氢电源"})
    assert classified.status_code == 200
    assert classified.json()["data"][0]["segment"] == "hydrogen-electrolyzer"
    assert client.post("/api/classify", json={"text": ""}).status_code == 422
