"""The project library and policy list over HTTP: import (all or nothing, idempotent),
export, statistics, edits with audit entries, search with hostile strings, eligibility."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.policies.repository import load_sample_policies
from jingjinji.store.models import AuditEntry, Policy, Project
from jingjinji.store.tabular import read_table, write_xlsx
from tests.conftest import UserFactory, login

pytestmark = pytest.mark.db

HEADER = [
    "项目名称",
    "来源地",
    "落地地",
    "产业链",
    "产业链环节",
    "投资额（亿元）",
    "阶段",
    "签约日期",
]
ROWS: list[list[Any]] = [
    ["氢能装备基地", "北京", "保定", "氢能", "电解槽装备", 12.5, "签约", "2023-05-01"],
    ["封测厂", "上海", "天津", "集成电路", "", 30, "在建", "2022-03-01"],
    ["机器人产业园", "110108", "唐山", "机器人", "", 7.5, "投产", "2021-01-15"],
]


def _upload(
    client: TestClient, csrf: str, path: str, rows: list[list[Any]], header: list[str] = HEADER
) -> Any:
    data = write_xlsx({"项目": (header, rows)})
    return client.post(path, files={"file": ("p.xlsx", data)}, headers={"X-CSRF-Token": csrf})


def test_import_reimport_and_export_round_trip(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    csrf = login(client, make_user("editor"))
    first = _upload(client, csrf, "/api/projects/import", ROWS)
    assert first.status_code == 200, first.text
    assert first.json() == {"created": 3, "updated": 0, "unchanged": 0}
    versions = dict(db.execute(select(Project.name, Project.version)).all())
    audits = db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "project"))
    again = _upload(client, csrf, "/api/projects/import", ROWS)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3}
    db.expire_all()
    assert dict(db.execute(select(Project.name, Project.version)).all()) == versions
    assert (
        db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "project")) == audits
    )
    exported = client.get("/api/projects/export")
    assert exported.status_code == 200
    sheet = read_table(exported.content, "projects.xlsx")[0]
    assert len(sheet.rows) == 3
    reimport = client.post(
        "/api/projects/import",
        files={"file": ("e.xlsx", exported.content)},
        headers={"X-CSRF-Token": csrf},
    )
    assert reimport.json() == {"created": 0, "updated": 0, "unchanged": 3}


def test_bad_rows_name_row_and_column_and_nothing_is_written(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    csrf = login(client, make_user("editor"))
    bad = [*ROWS, ["坏", "火星", "保定", "氢能", "", "很多", "签约", None]]
    response = _upload(client, csrf, "/api/projects/import", bad)
    assert response.status_code == 422
    error = response.json()["error"]
    assert "第 5 行" in error["message"] and "未导入任何数据" in error["message"]
    fields = {f["field"] for f in error["fields"]}
    assert {"项目!5:来源地", "项目!5:投资额（亿元）"} <= fields
    assert db.scalar(select(func.count(Project.id))) == 0


def test_statistics_flows_and_filters(client: TestClient, make_user: UserFactory) -> None:
    csrf = login(client, make_user("editor"))
    _upload(client, csrf, "/api/projects/import", ROWS)
    stats = client.get("/api/projects/stats", params={"by": "destination"}).json()
    assert stats["total_count"] == 3 and stats["total_investment"] == 50.0
    assert [(b["label"], b["investment"]) for b in stats["data"]] == [
        ("天津市", 30.0),
        ("保定市", 12.5),
        ("唐山市", 7.5),
    ]
    flows = client.get("/api/projects/flows", params={"origin": "110000"}).json()
    assert {(f["source_label"], f["target_label"]) for f in flows["data"]} == {
        ("北京市", "保定市"),
        ("北京市", "唐山市"),
    }
    listed = client.get("/api/projects", params={"destination": "130000", "q": "%_"}).json()
    assert listed["count"] == 0
    listed = client.get(
        "/api/projects", params={"destination": "130000", "segment": "hydrogen-electrolyzer"}
    ).json()
    assert [p["name"] for p in listed["data"]] == ["氢能装备基地"]
    assert client.get("/api/projects/stats", params={"by": "colour"}).status_code == 422


def test_edit_checks_owner_version_and_audits(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    editor = make_user("editor")
    csrf = login(client, editor)
    body = {
        "name": "新项目",
        "origin_adcode": "310000",
        "destination_adcode": "130600",
        "investment": 3.0,
        "stage": "签约",
        "industry": "hydrogen",
        "segments": ["hydrogen-electrolyzer"],
    }
    created = client.post("/api/projects", json=body, headers={"X-CSRF-Token": csrf})
    assert created.status_code == 201, created.text
    project = created.json()
    assert (
        project["origin_name"] == "上海市" and project["organization_id"] == editor.organization_id
    )
    duplicate = client.post("/api/projects", json=body, headers={"X-CSRF-Token": csrf})
    assert duplicate.status_code == 422
    wrong = client.post(
        "/api/projects",
        json={**body, "name": "x", "segments": ["robot-servo"]},
        headers={"X-CSRF-Token": csrf},
    )
    assert wrong.status_code == 422
    url = f"/api/projects/{project['id']}"
    stale = client.patch(url, json={"stage": "开工", "version": 99}, headers={"X-CSRF-Token": csrf})
    assert stale.status_code == 409
    changed = client.patch(
        url,
        json={"stage": "开工", "started_on": "2024-01-01", "version": 1},
        headers={"X-CSRF-Token": csrf},
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert client.delete(url, headers={"X-CSRF-Token": csrf}).status_code == 204
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity == "project")).all()
    assert actions == ["create", "update", "delete"]
    assert client.get(url).status_code == 404


HOSTILE = ['"', "'", "%", "_", "\\", "%_\\'\"", "' OR 1=1 --", "“”", "<b>", '氢能 "补贴']


def test_policy_search_with_hostile_strings(client: TestClient, db: Session) -> None:
    load_sample_policies(db, load_atlas())
    db.commit()
    for query in HOSTILE:
        response = client.get("/api/policies/search", params={"q": query})
        assert response.status_code == 200, (query, response.text)
    found = client.get("/api/policies/search", params={"q": "氢能"}).json()
    assert found["count"] >= 2 and "氢能" in found["data"][0]["policy"]["title"]
    too_long = client.get("/api/policies/search", params={"q": "氢" * 201})
    assert too_long.status_code == 422 and "200" in too_long.json()["error"]["message"]
    assert client.get("/api/policies/search", params={"q": ""}).status_code == 422
    page = client.get("/policies", params={"q": "%_\\\"'"})
    assert page.status_code == 200


def test_policy_list_filters_eligibility_and_compare(client: TestClient, db: Session) -> None:
    load_sample_policies(db, load_atlas())
    db.commit()
    expired = client.get("/api/policies", params={"expired": "true"}).json()
    assert expired["count"] >= 2 and all(p["expired"] for p in expired["data"])
    baoding = client.get("/api/policies", params={"place": "130600", "type": "资金"}).json()
    places = {p["place_adcode"] for p in baoding["data"]}
    assert places <= {"130600", "130000"} and "130600" in places
    result = client.get(
        "/api/policies/eligible",
        params={
            "place": "130602",
            "industry": "power-equipment",
            "segment": "pe-transformers",
            "size": "中型",
            "tag": "高新技术企业",
        },
    ).json()
    titles = {item["policy"]["title"]: item for item in result["data"]}
    baoding_policy = titles["【示例】保定市电力装备产业集群发展扶持政策"]
    assert baoding_policy["eligible"] and len(baoding_policy["met"]) == 3
    beijing = titles["【示例】北京市支持氢能产业高质量发展若干措施"]
    assert not beijing["eligible"]
    assert {c["kind"] for c in beijing["unmet"]} == {"place_in", "industry_in"}
    assert [c["kind"] for c in beijing["met"]] == ["size_in"]
    compare = client.get("/api/policies/compare", params={"industry": "hydrogen"}).json()
    assert [c["place_name"] for c in compare["columns"]] == ["北京市", "天津市", "河北省"]
    assert compare["columns"][0]["targeted"]
    missing = client.get("/api/policies/eligible", params={"enterprise": 999999})
    assert missing.status_code == 404
    policy_id = baoding_policy["policy"]["id"]
    detail = client.get(f"/api/policies/{policy_id}").json()
    assert detail["is_sample"] and detail["conditions"][0]["text"] == "注册地在：保定市"


def test_policy_import_is_idempotent(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    csrf = login(client, make_user("editor"))
    header = ["标题", "发文地区", "政策类型", "文号", "适用产业链", "企业标签", "失效日期"]
    rows = [
        ["测试政策甲", "天津", "资金", "测〔2025〕1号", "氢能", "高新技术企业", "2030-12-31"],
        ["测试政策乙", "保定", "人才", "", "", "", ""],
    ]
    data = write_xlsx({"政策": (header, rows)})
    first = client.post(
        "/api/policies/import", files={"file": ("x.xlsx", data)}, headers={"X-CSRF-Token": csrf}
    )
    assert first.json() == {"created": 2, "updated": 0, "unchanged": 0}, first.text
    second = client.post(
        "/api/policies/import", files={"file": ("x.xlsx", data)}, headers={"X-CSRF-Token": csrf}
    )
    assert second.json() == {"created": 0, "updated": 0, "unchanged": 2}
    stored = db.scalar(select(Policy).where(Policy.number == "测〔2025〕1号"))
    assert stored is not None and [c["kind"] for c in stored.conditions] == [
        "industry_in",
        "tag_in",
    ]


def test_eligibility_for_a_registry_enterprise(client: TestClient, db: Session) -> None:
    from jingjinji.store.models import Enterprise, EnterpriseSegment

    load_sample_policies(db, load_atlas())
    enterprise = Enterprise(
        name="示例电气有限公司",
        credit_code="91130600MA0000001X",
        place_adcode="130602",
        tags="|高新技术企业|",
        size="中型",
        revenue=8000.0,
    )
    enterprise.segments.append(
        EnterpriseSegment(
            segment="pe-transformers",
            industry="power-equipment",
            confidence=0.9,
            decision="confirmed",
        )
    )
    db.add(enterprise)
    db.commit()
    result = client.get("/api/policies/eligible", params={"enterprise": enterprise.id}).json()
    assert result["profile"]["segments"] == ["pe-transformers"]
    assert result["profile"]["tags"] == ["高新技术企业"]
    eligible = {item["policy"]["title"] for item in result["data"] if item["eligible"]}
    assert "【示例】保定市电力装备产业集群发展扶持政策" in eligible
