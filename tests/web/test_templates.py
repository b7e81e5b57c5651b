"""Import templates: every import has one; its headers are the form labels, it explains each
column, and a filled template imports, exports and imports again without change."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.store.models import Enterprise, Listing, Match, Policy, Project
from jingjinji.store.tabular import GUIDE_SHEET
from tests.conftest import UserFactory, browser_of, login

KINDS = ("enterprises", "achievement", "demand", "challenge", "instrument", "projects", "policies")


def _sheets(content: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


@pytest.mark.parametrize("kind", [*KINDS, "panel"])
@pytest.mark.db
def test_every_import_has_a_template_with_a_guide(client: TestClient, kind: str) -> None:
    response = client.get(f"/api/templates/{kind}")
    assert response.status_code == 200, response.text
    assert "UTF-8''" in response.headers["content-disposition"]
    sheets = _sheets(response.content)
    data_name = next(name for name in sheets if name != GUIDE_SHEET)
    header, example = sheets[data_name][0], sheets[data_name][1]
    assert len(header) == len(example) and all(isinstance(h, str) and h for h in header)
    guide = sheets[GUIDE_SHEET]
    assert guide[0] == ["列名", "是否必填", "填写说明与可选值"]
    assert [row[0] for row in guide[2:]] == header  # every column explained, in order
    assert any(row[1] == "必填" for row in guide[2:])


@pytest.mark.db
def test_unknown_template_or_system_is_refused(client: TestClient) -> None:
    assert client.get("/api/templates/rockets").status_code == 422
    assert client.get("/api/templates/panel", params={"system": "nope"}).status_code == 404
    panel = _sheets(client.get("/api/templates/panel", params={"system": "dual_ten"}).content)
    assert "京津冀地区生产总值占全国比重" in next(iter(panel.values()))[0]


def _upload(client: TestClient, csrf: str, url: str, content: bytes, **params: str) -> dict:
    response = client.post(
        url,
        params=params,
        files={"file": ("模板.xlsx", content, "application/octet-stream")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


@pytest.mark.db
def test_templates_import_as_they_are_and_round_trip(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    csrf = login(client, make_user("editor"))
    template = client.get("/api/templates/enterprises").content
    assert _upload(client, csrf, "/api/enterprises/import", template)["created"] == 1
    again = _upload(client, csrf, "/api/enterprises/import", template)
    assert (again["created"], again["updated"], again["ignored_columns"]) == (0, 1, [])
    assert db.scalar(select(func.count(Enterprise.id))) == 1

    for kind, url, model in (
        ("projects", "/api/projects", Project),
        ("policies", "/api/policies", Policy),
    ):
        template = client.get(f"/api/templates/{kind}").content
        assert _upload(client, csrf, f"{url}/import", template)["created"] == 1
        exported = client.get(f"{url}/export")
        assert exported.status_code == 200, exported.text
        report = _upload(client, csrf, f"{url}/import", exported.content)
        assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 1), kind
        assert db.scalar(select(func.count(model.id))) == 1

    for kind in ("achievement", "demand", "challenge", "instrument"):
        template = client.get(f"/api/templates/{kind}").content
        assert _upload(client, csrf, "/api/listings/import", template, kind=kind)["added"] == 1
    kinds = db.scalars(select(Listing.kind)).all()
    assert sorted(kinds) == ["achievement", "challenge", "demand", "instrument"]


@pytest.mark.db
def test_an_unknown_listing_header_is_reported(client: TestClient, make_user: UserFactory) -> None:
    csrf = login(client, make_user("editor"))
    body = "标题,所在地,简介,备注栏\n某成果,海淀区,简介文字,随便写\n".encode()
    response = client.post(
        "/api/listings/import",
        params={"kind": "achievement"},
        files={"file": ("l.csv", body, "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert "备注栏" in response.text


@pytest.mark.db
def test_listing_export_imports_back_unchanged(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    csrf = login(client, make_user("editor"))
    for kind in ("achievement", "demand"):
        template = client.get(f"/api/templates/{kind}").content
        assert _upload(client, csrf, "/api/listings/import", template, kind=kind)["added"] == 1
        again = _upload(client, csrf, "/api/listings/import", template, kind=kind)
        assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 1)
        for fmt in ("xlsx", "csv"):
            exported = client.get("/api/exports/listings", params={"kind": kind, "format": fmt})
            assert exported.status_code == 200, exported.text
            name = f"e.{fmt}"
            response = client.post(
                "/api/listings/import",
                params={"kind": kind},
                files={"file": (name, exported.content, "application/octet-stream")},
                headers={"X-CSRF-Token": csrf},
            )
            assert response.status_code == 201, response.text
            report = response.json()
            assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 1), fmt
    assert db.scalar(select(func.count(Listing.id))) == 2
    sheet = next(iter(_sheets(client.get("/api/exports/listings").content).values()))
    assert sheet[0][0] == "编号" and sheet[0][-3:] == ["单位", "状态", "数据性质"]
    assert sheet[1][-1] == "导入"


@pytest.mark.db
def test_match_export_lists_the_callers_deals_from_both_sides(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    assert client.get("/api/exports/matches").status_code == 401
    lab, plant, other = (make_user("editor") for _ in range(3))
    ids = {}
    for user, kind in ((lab, "achievement"), (plant, "demand")):
        with browser_of(client) as party:
            csrf = login(party, user)
            content = party.get(f"/api/templates/{kind}").content
            ids[kind] = _upload(party, csrf, "/api/listings/import", content, kind=kind)["ids"][0]
    db.add(
        Match(demand_id=ids["demand"], achievement_id=ids["achievement"], score=0.8, stage="洽谈")
    )
    db.commit()
    for user, expected in ((lab, 1), (plant, 1), (other, 0)):
        with browser_of(client) as party:
            login(party, user)
            response = party.get("/api/exports/matches")
            assert response.status_code == 200, response.text
            rows = next(iter(_sheets(response.content).values()))
            assert rows[0][:3] == ["对接编号", "阶段", "匹配得分"]
            assert len(rows) - 1 == expected, user.username
            if expected:
                assert rows[1][1] == "洽谈" and "冷启动" in str(rows[1][4])
