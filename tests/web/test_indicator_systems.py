"""Own indicator systems through the API: template, upload with located errors, use in a
saved evaluation with every method choice, permissions, disparity and rank stability."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import OrgFactory, UserFactory, login

DATA = Path(__file__).parents[1] / "indicators" / "data"
SYSTEM = (DATA / "own_system.csv").read_bytes()
PANEL = (DATA / "own_panel.csv").read_bytes()


def _upload(client: TestClient, csrf: str, content: bytes = SYSTEM, name: str = "体系.csv"):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/indicator-systems",
        files={"file": (name, content, "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )


def test_template_is_a_chinese_table_anyone_can_download(client: TestClient) -> None:
    response = client.get("/api/indicator-systems/template")
    assert response.status_code == 200
    assert quote("指标体系模板.xlsx") in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    header = next(book["指标体系"].iter_rows(values_only=True))
    assert header[:7] == ("目标层", "准则层", "指标", "代码", "单位", "方向", "目标值")
    directions = {r[5] for r in book["指标体系"].iter_rows(min_row=2, values_only=True)}
    assert directions == {"正向", "负向", "适度"}
    shipped = client.get("/api/indicator-systems/high_quality_development/table")
    assert shipped.status_code == 200
    rows = list(load_workbook(io.BytesIO(shipped.content))["指标体系"].iter_rows(min_row=2))
    assert len(rows) == 24


def test_only_analysts_upload_and_bad_tables_are_located(
    client: TestClient, make_user: UserFactory
) -> None:
    assert _upload(client, "x").status_code in (401, 403)
    csrf = login(client, make_user("editor"))
    assert _upload(client, csrf).status_code == 403
    client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    csrf = login(client, make_user("analyst"))
    bad = "准则层,指标,方向\n经济,人均GDP,越高越好\n经济,,正向\n".encode()
    response = _upload(client, csrf, bad, "坏表.csv")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_system"
    messages = [f["message"] for f in error["fields"]]
    assert "第 2 行“方向”列：方向“越高越好”无法识别，应为正向、负向或适度" in messages
    assert "第 3 行“指标”列：指标为空" in messages
    assert "坏表.csv" in error["message"]


def test_own_system_evaluates_an_uploaded_panel_with_stated_methods(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("analyst"))
    created = _upload(client, csrf)
    assert created.status_code == 201, created.text
    system = created.json()
    assert system["own"] and system["id"].startswith("custom_")
    assert system["name"] == "京津冀城市协同发展"
    moderate = [i for d in system["dimensions"] for i in d["indicators"] if i["direction"] == 0]
    assert moderate[0]["name"] == "工业资产负债率" and moderate[0]["target"] == 55
    listed = {s["id"] for s in client.get("/api/indicator-systems").json()["data"]}
    assert system["id"] in listed
    saved = client.post(
        "/api/evaluations",
        data={
            "system": system["id"],
            "shift": "0.0001",
            "coupling": "dimensions",
            "coupling_form": "traditional",
            "normalization": "minmax",
        },
        files={"file": ("我的面板.csv", PANEL, "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert (body["coupling_form"], body["shift"], body["normalization"]) == (
        "traditional",
        0.0001,
        "minmax",
    )
    result = body["result"]
    assert result["coupling_form"] == "traditional"
    assert len(result["scores"]) == 13 * 3
    analysis = result["analysis"]
    assert [row["year"] for row in analysis["disparity"]] == [2021, 2022, 2023]
    first = analysis["disparity"][0]
    assert first["groups"] == 3  # 北京, 天津, 河北
    parts = first["dagum_gw"] + first["dagum_gnb"] + first["dagum_gt"]
    assert abs(parts - first["dagum_gini"]) < 1e-12
    assert abs(first["theil_within"] + first["theil_between"] - first["theil"]) < 1e-12
    assert len(analysis["moran"]) == 3 and analysis["moran"][0]["n"] == 13
    assert len(analysis["stability"]["rows"]) == 13 * 3
    assert analysis["stability"]["draws"] == 500
    workbook = client.get(f"/api/evaluations/{body['id']}/workbook")
    about = {
        r[0]: r[1]
        for r in load_workbook(io.BytesIO(workbook.content))["说明"].iter_rows(values_only=True)
    }
    assert (
        about["耦合度模型"].startswith("传统")
        and about["方法参数 SHA-256"] == body["params_digest"]
    )
    client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    login(client, make_user("admin"))
    audit = client.get("/admin/audit", params={"entity": "evaluation"}).text
    audit_text = re.sub(r"<[^>]+>", " ", audit)
    assert "耦合度模型" in audit_text and "传统耦合度模型" in audit_text
    assert f"自有体系 {system['id'].removeprefix('custom_')}" in audit_text
    assert "熵值平移量" in audit_text and "上传的面板" in audit_text
    for raw in ("coupling_form", "traditional", "minmax", "input_digest", system["id"]):
        assert raw not in audit_text, raw
    systems_audit = client.get("/admin/audit", params={"entity": "indicator_system"}).text
    assert "指标体系" in systems_audit and "指标数" in systems_audit


def test_partial_panel_only_with_dimensions_dropped(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("analyst"))
    system = _upload(client, csrf).json()["id"]
    lines = PANEL.decode().splitlines()
    partial = ("\n".join(",".join(line.split(",")[:5]) for line in lines) + "\n").encode()
    refused = client.post(
        "/api/evaluations",
        data={"system": system},
        files={"file": ("部分.csv", partial, "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status_code == 422
    assert "R&D经费投入强度" in refused.json()["error"]["message"]
    assert "x4" not in refused.json()["error"]["message"]
    done = client.post(
        "/api/evaluations",
        data={"system": system, "drop_dimensions": ["创新与结构"]},
        files={"file": ("部分.csv", partial, "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert done.status_code == 201, done.text
    assert done.json()["drop_dimensions"] == ["创新与结构"]
    assert [d["name"] for d in done.json()["result"]["dimensions"]] == ["经济活力"]


def test_another_organizations_member_cannot_use_the_system(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory
) -> None:
    csrf = login(client, make_user("analyst"))
    system = _upload(client, csrf).json()["id"]
    client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf})
    login(client, make_user("editor", org=make_org()))
    listed = {s["id"] for s in client.get("/api/indicator-systems").json()["data"]}
    assert system not in listed
    assert client.get(f"/api/indicator-systems/{system}/table").status_code == 404


def test_ahp_matrix_upload_weights_an_evaluation(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("analyst"))
    system = _upload(client, csrf).json()["id"]
    matrix = ",经济活力,创新与结构\n经济活力,1,2\n创新与结构,1/2,1\n".encode()
    saved = client.post(
        "/api/evaluations",
        data={"system": system, "weighting": "entropy", "subjective": "ahp", "alpha": "0.5"},
        files={
            "file": ("面板.csv", PANEL, "text/csv"),
            "ahp_matrix": ("判断矩阵.csv", matrix, "text/csv"),
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert saved.status_code == 201, saved.text
    body = saved.json()
    assert (body["subjective"], body["alpha"]) == ("ahp", 0.5)
    subjective = body["result"]["subjective"]
    assert subjective["consistency"]["level"] == "dimensions"
    assert [round(w, 6) for w in subjective["weights"]] == [0.222222] * 3 + [0.111111] * 3
    inconsistent = b",a,b,c\na,1,9,1/9\nb,1/9,1,9\nc,9,1/9,1\n"
    refused = client.post(
        "/api/evaluations",
        data={"system": system, "weighting": "ahp"},
        files={
            "file": ("面板.csv", PANEL, "text/csv"),
            "ahp_matrix": ("判断矩阵.csv", inconsistent, "text/csv"),
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status_code == 422
    assert "一致性比率 CR" in refused.json()["error"]["message"]
