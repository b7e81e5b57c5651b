"""The evaluations API: systems and panels, public preview, saved evaluations (analysts),
uploads with located errors, permissions, digests and reproducibility, workbooks."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.indicators import evaluate, sample_panel
from jingjinji.indicators.report import SHEETS
from jingjinji.store.models import AuditEntry, Evaluation
from tests.conftest import OrgFactory, UserFactory, login

HQD = "high_quality_development"
CI = "collaborative_innovation"


def _sample_csv(places: int = 13, years: tuple[int, ...] = (2021, 2022, 2023)) -> bytes:
    """A small long-format panel taken from the sample panel (Chinese place names)."""
    panel = sample_panel()
    codes = panel.places[:places]
    data = panel.data[panel.data["place"].isin(codes) & panel.data["year"].isin(years)]
    lines = ["地区,年份,指标,数值"]
    lines += [
        f"{panel.name(r.place)},{r.year},{r.indicator},{r.value}"
        for r in data.itertuples(index=False)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- public


def test_indicator_systems_list_templates_with_indicators(client: TestClient) -> None:
    body = client.get("/api/indicator-systems").json()
    systems = {s["id"]: s for s in body["data"]}
    assert body["count"] == len(systems) >= 3
    hqd = systems[HQD]
    assert [d["name"] for d in hqd["dimensions"]] == [
        "经济",
        "社会",
        "生态",
        "创新",
        "文化",
        "治理",
    ]
    assert sum(len(d["indicators"]) for d in hqd["dimensions"]) == 24
    assert systems["dual_ten"]["is_monitor"] and not hqd["is_monitor"]


def test_panels_carry_provenance_and_sample_label(client: TestClient) -> None:
    panels = {p["name"]: p for p in client.get("/api/panels").json()["data"]}
    sample, province = panels["sample"], panels["province"]
    assert sample["is_sample"] and "示例数据" in sample["label"] and sample["places"] == 13
    assert sample["years"] == list(range(2012, 2024))
    assert not province["is_sample"] and province["places"] == 31
    assert "National Bureau of Statistics" in province["provenance"]
    assert province["source_url"].startswith("https://") and province["default_fill"] == "linear"


def test_preview_of_the_sample_panel_is_public(client: TestClient) -> None:
    response = client.get("/api/indicators/preview", params={"system": HQD, "panel": "sample"})
    assert response.status_code == 200, response.text
    body = response.json()
    result = body["result"]
    assert body["is_sample"] and result["is_sample"]
    assert len(result["places"]) == 13 and result["years"][-1] == 2023
    latest = [s for s in result["scores"] if s["year"] == 2023]
    assert sorted(s["rank"] for s in latest) == list(range(1, 14))
    assert all(0 <= s["index"] <= 1 and len(s["dims"]) == 6 for s in latest)
    assert abs(sum(result["weights"]["values"][0]) - 1) < 1e-5
    levels = {r["level"] for r in result["coupling"]["rows"]}
    assert levels <= set(result["levels"]) and len(result["levels"]) == 10
    assert len(body["input_digest"]) == 64 and len(body["params_digest"]) == 64


def test_preview_of_the_province_panel_fills_the_2017_gap(client: TestClient) -> None:
    response = client.get(
        "/api/indicators/preview",
        params={"system": CI, "panel": "province", "aggregation": "topsis", "coupling": "places"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["fill"] == "linear" and not body["is_sample"]
    result = body["result"]
    assert len(result["places"]) == 31 and result["filled"]
    assert 2017 in {f[1] for f in result["filled"]}
    latest = {s["place"]: s["rank"] for s in result["scores"] if s["year"] == 2023}
    assert latest["110000"] < latest["130000"]  # Beijing ranks above Hebei
    assert result["coupling"]["between"] == "places"
    assert all(r["place"] is None for r in result["coupling"]["rows"])


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"system": "dual_ten"}, 422),
        ({"system": HQD, "panel": "province"}, 422),
        ({"system": "no_such_system"}, 422),
        ({"system": HQD, "weighting": "magic"}, 422),
        ({"system": "x' OR 1=1 --"}, 422),
    ],
)
def test_preview_refuses_bad_requests(
    client: TestClient, params: dict[str, str], status: int
) -> None:
    response = client.get("/api/indicators/preview", params=params)
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]


def test_preview_workbook_is_an_xlsx_with_the_report_sheets(client: TestClient) -> None:
    response = client.get("/api/indicators/preview/workbook", params={"system": HQD})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == list(SHEETS)
    disposition = response.headers["content-disposition"]
    assert "filename*=UTF-8''" in disposition and quote("评价结果-") in disposition


# --------------------------------------------------------------------------- saving


@pytest.mark.db
def test_anonymous_and_editors_cannot_run_evaluations(
    client: TestClient, make_user: UserFactory
) -> None:
    response = client.post("/api/evaluations", data={"panel": "sample", "system": HQD})
    assert response.status_code == 401
    csrf = login(client, make_user("editor"))
    response = client.post(
        "/api/evaluations",
        data={"panel": "sample", "system": HQD},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 403


@pytest.mark.db
def test_analyst_runs_and_saves_a_reproducible_evaluation(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    analyst = make_user("analyst")
    csrf = login(client, analyst)
    form = {"panel": "sample", "system": HQD, "aggregation": "topsis", "coupling": "dimensions"}
    first = client.post("/api/evaluations", data=form, headers={"X-CSRF-Token": csrf})
    assert first.status_code == 201, first.text
    saved = first.json()
    assert saved["is_sample"] and saved["panel_kind"] == "shipped"
    assert saved["organization_id"] == analyst.organization_id
    assert saved["input_digest"] == sample_panel().digest()
    second = client.post("/api/evaluations", data=form, headers={"X-CSRF-Token": csrf}).json()
    assert second["id"] != saved["id"]
    assert (second["input_digest"], second["params_digest"]) == (
        saved["input_digest"],
        saved["params_digest"],
    )
    assert second["result"]["scores"] == saved["result"]["scores"]
    # the saved index is the engine's index for the same input and method
    direct = evaluate(sample_panel(), HQD, aggregation="topsis", coupling="dimensions")
    by_key = {(s["place"], s["year"]): s["index"] for s in saved["result"]["scores"]}
    assert all(abs(by_key[k] - v) < 1e-6 for k, v in direct.index.items())
    other = client.post(
        "/api/evaluations", data={**form, "weighting": "critic"}, headers={"X-CSRF-Token": csrf}
    ).json()
    assert other["input_digest"] == saved["input_digest"]
    assert other["params_digest"] != saved["params_digest"]

    row = db.get(Evaluation, saved["id"])
    assert row is not None and row.system_id == HQD and row.result["coupling"]["rows"]
    audit = db.scalars(
        select(AuditEntry).where(AuditEntry.entity == "evaluation", AuditEntry.action == "create")
    ).all()
    assert len(audit) == 3 and audit[0].after and "result" not in audit[0].after


@pytest.mark.db
def test_analyst_uploads_a_panel(client: TestClient, make_user: UserFactory) -> None:
    csrf = login(client, make_user("analyst"))
    raw = _sample_csv()
    files = {"file": ("样例面板.csv", raw, "text/csv")}
    response = client.post(
        "/api/evaluations",
        data={"system": HQD, "scope": "per_year"},
        files=files,
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["panel_kind"] == "upload" and body["panel_name"] == "样例面板.csv"
    assert not body["is_sample"]  # an upload is the analyst's data, not the shipped sample
    assert body["result"]["years"] == [2021, 2022, 2023]
    assert body["result"]["weights"]["scopes"] == ["2021", "2022", "2023"]
    again = client.post(
        "/api/evaluations",
        data={"system": HQD, "scope": "per_year"},
        files={"file": ("copy.csv", raw, "text/csv")},
        headers={"X-CSRF-Token": csrf},
    ).json()
    assert again["input_digest"] == body["input_digest"]
    assert again["result"]["scores"] == body["result"]["scores"]

    # the same data as XLSX has the same content digest
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in raw.decode("utf-8").splitlines():
        cells = line.split(",")
        sheet.append(
            cells if cells[0] == "地区" else [cells[0], int(cells[1]), cells[2], float(cells[3])]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = client.post(
        "/api/evaluations",
        data={"system": HQD, "scope": "per_year"},
        files={"file": ("panel.xlsx", buffer.getvalue(), "application/octet-stream")},
        headers={"X-CSRF-Token": csrf},
    ).json()
    assert xlsx["input_digest"] == body["input_digest"]


@pytest.mark.db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "地区,年份,指标,数值\n北京,2022,gdp_per_capita,abc\n",
            ["panel.csv", "第 2 行", "数值", "不是数字"],
        ),
        ("地区,年份,指标,数值\n火星,2022,gdp_per_capita,1\n", ["第 2 行", "地区", "无法识别"]),
        ("地区,年份,指标,数值\n北京,2022,no_such,1\n", ["第 2 行", "指标", "未知指标"]),
        (
            "地区,年份,指标,数值\n北京,2022,pm25,1\n北京,2022,pm25,2\n",
            ["第 3 行", "重复"],
        ),
    ],
)
def test_bad_upload_is_refused_with_its_location(
    client: TestClient, make_user: UserFactory, content: str, expected: list[str]
) -> None:
    csrf = login(client, make_user("analyst"))
    response = client.post(
        "/api/evaluations",
        data={"system": HQD},
        files={"file": ("panel.csv", content.encode("utf-8"), "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_panel"
    for part in expected:
        assert part in error["message"], error["message"]
    assert error["fields"][0]["row"]


@pytest.mark.db
def test_bad_xlsx_names_sheet_row_and_column(client: TestClient, make_user: UserFactory) -> None:
    csrf = login(client, make_user("analyst"))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "面板"
    sheet.append(["地区", "年份", "人均地区生产总值"])
    sheet.append(["保定", 2022, "n/a?"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post(
        "/api/evaluations",
        data={"system": HQD},
        files={"file": ("city.xlsx", buffer.getvalue(), "application/octet-stream")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert "city.xlsx" in message and "工作表“面板”" in message
    assert "第 2 行" in message and "人均地区生产总值" in message


@pytest.mark.db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("panel.xlsx", b"not a zip at all"),
        ("panel.csv", b"\x00\x01\x02binary"),
        ("panel.csv", "地区,年份,指标,数值\n北京,2022,pm25,1\n".encode("utf-16-le")),
        ("panel.xlsx", b"PK\x03\x04broken zip"),
        ("panel.png", b"\x89PNG\r\n"),
    ],
)
def test_unreadable_uploads_are_422_not_500(
    client: TestClient, make_user: UserFactory, name: str, content: bytes
) -> None:
    csrf = login(client, make_user("analyst"))
    response = client.post(
        "/api/evaluations",
        data={"system": HQD},
        files={"file": (name, content, "application/octet-stream")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422, response.text


@pytest.mark.db
def test_panel_or_file_is_required(client: TestClient, make_user: UserFactory) -> None:
    csrf = login(client, make_user("analyst"))
    response = client.post("/api/evaluations", data={"system": HQD}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "panel_required"


# --------------------------------------------------------------------------- reading


@pytest.mark.db
def test_saved_evaluations_are_readable_by_analysts_and_the_owning_org(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory
) -> None:
    org = make_org(kind="government")
    analyst = make_user("analyst", org=org)
    colleague = make_user("editor", org=org)
    stranger = make_user("editor")
    other_analyst = make_user("analyst")
    csrf = login(client, analyst)
    created = client.post(
        "/api/evaluations",
        data={"panel": "province", "system": CI},
        headers={"X-CSRF-Token": csrf},
    )
    assert created.status_code == 201, created.text
    ident = created.json()["id"]
    assert created.json()["fill"] == "linear"

    client.cookies.clear()
    assert client.get(f"/api/evaluations/{ident}").status_code == 401
    assert client.get("/api/evaluations").status_code == 401
    for user, status, count in ((colleague, 200, 1), (stranger, 403, 0), (other_analyst, 200, 1)):
        client.cookies.clear()
        login(client, user)
        assert client.get(f"/api/evaluations/{ident}").status_code == status
        assert client.get("/api/evaluations").json()["count"] == count
    assert client.get("/api/evaluations/999999").status_code == 404


@pytest.mark.db
def test_saved_workbooks_for_shipped_and_uploaded_panels(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("analyst"))
    shipped = client.post(
        "/api/evaluations",
        data={"panel": "sample", "system": HQD, "coupling": "places"},
        headers={"X-CSRF-Token": csrf},
    ).json()
    uploaded = client.post(
        "/api/evaluations",
        data={"system": HQD},
        files={"file": ("p.csv", _sample_csv(places=4), "text/csv")},
        headers={"X-CSRF-Token": csrf},
    ).json()
    for saved, normalized_rows in ((shipped, 13 * 12), (uploaded, 1)):
        response = client.get(f"/api/evaluations/{saved['id']}/workbook")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        about = {r[0]: r[1] for r in book["说明"].iter_rows(min_row=2, values_only=True)}
        assert about["输入数据 SHA-256"] == saved["input_digest"]
        assert about["方法参数 SHA-256"] == saved["params_digest"]
        assert len(list(book["标准化矩阵"].iter_rows(min_row=2))) == normalized_rows
        nature = {r[-1] for r in book["综合指数"].iter_rows(min_row=2, values_only=True)}
        assert nature == ({"示例数据"} if saved is shipped else {"真实数据"})
        ranks = list(book["综合指数"].iter_rows(min_row=2, values_only=True))
        assert len(ranks) == len(saved["result"]["scores"])
