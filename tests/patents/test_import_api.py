"""A patent export imported through the web and the command line, and the two chains of the
API checked against figures worked out by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.store.models import Enterprise, EnterpriseSegment, Patent
from tests.chains.test_api import _code
from tests.conftest import UserFactory, login
from tests.jjj import run

HEADER = (
    "申请号,申请日,名称,主分类号,IPC分类号,申请(专利权)人,申请人地址,专利类型,法律状态,发明人\n"
)
SEGMENT = "hydrogen-electrolyzer"


def _row(n: int, applicant: str, address: str, kind: str = "发明", status: str = "有效") -> str:
    return (
        f"CN2023100{n:05d}.1,2023-0{1 + n % 9}-10,一种碱性电解槽的极板结构,C25B1/04,"
        f"C25B1/04;C25B9/00,{applicant},{address},{kind},{status},张某\n"
    )


def _export() -> bytes:
    rows = [
        _row(i, "甲理工大学" if i < 3 else "乙能源研究院", "北京市海淀区学院路1号")
        for i in range(5)
    ]
    rows.append(_row(5, "丙大学", "北京市海淀区学院路2号", kind="外观设计"))
    rows.append(_row(6, "丙大学", "北京市海淀区学院路2号", status="未缴年费专利权终止"))
    rows.append(_row(7, "丁大学", "河北省保定市莲池区东风路1号"))
    rows.append(_row(8, "保定某氢能装备有限公司", ""))  # placed by the registry
    rows.append(_row(9, "某某公司", "上海市浦东新区张江路1号"))  # outside: kept, unplaced
    return (HEADER + "".join(rows)).encode("utf-8")


def _registry(db: Session) -> None:
    names = [
        "保定某氢能装备有限公司",
        "保定某电解槽有限公司",
        "保定某制氢有限公司",
        "保定某氢源有限公司",
    ]
    for i, name in enumerate(names):
        enterprise = Enterprise(
            name=name,
            credit_code=_code(f"MA00010{i}130606"),
            address="河北省保定市莲池区东风路9号",
            place_adcode="130606",
            provenance="import",
        )
        db.add(enterprise)
        db.flush()
        db.add(
            EnterpriseSegment(
                enterprise_id=enterprise.id,
                segment=SEGMENT,
                industry="hydrogen",
                confidence=0.9,
                decision="confirmed",
                evidence=[],
            )
        )
    db.commit()


@pytest.mark.db
def test_import_places_classifies_and_the_two_chains_are_computed_as_by_hand(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    _registry(db)
    csrf = login(client, make_user("editor"))
    response = client.post(
        "/api/patents/import",
        files={"file": ("专利.csv", _export(), "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["rows"], report["created"], report["updated"]) == (10, 10, 0)
    assert report["located_by_registry"] == 1 and report["unlocated"] == 1
    assert report["ignored_columns"] == ["发明人"]
    by_registry = db.scalar(select(Patent).where(Patent.applicants == "保定某氢能装备有限公司"))
    assert by_registry is not None and by_registry.place_adcode == "130606"
    assert by_registry.place_source == "registry" and by_registry.applicant_kind == "enterprise"

    one = client.get(f"/api/patents/{by_registry.id}").json()
    segment = next(s for s in one["segments"] if s["segment"] == SEGMENT)
    assert segment["decision"] == "confirmed" and segment["source"] == "both"
    assert any(e.get("kind") == "ipc" and e["ipc"] == "C25B1/04" for e in segment["evidence"])

    # Hand figures (default: no design, no lapsed patents): 北京 5 patents (甲 3, 乙 2), 保定 2
    # (丁大学 and the registry-placed one); 7 placed on the segment in all, the only segment.
    # LQ_P(北京) = (5/5)/(7/7) = 1.0 ≥ 1 with 5 ≥ 3: strong. LQ_P(保定) = 1.0 but 2 < 3.
    # Enterprises: 保定 4 of 4: LQ_E = 1.0, 4 ≥ 3: strong.
    body = client.get("/api/industries/hydrogen/innovation", params={"place": "保定市"}).json()
    assert body["place"]["name"] == "保定市" and body["is_sample"] is False
    cell = next(c for c in body["place_cells"] if c["segment"] == SEGMENT)
    assert (cell["patents"], cell["inventions"], cell["applicants"], cell["enterprises"]) == (
        2,
        2,
        2,
        4,
    )
    assert cell["lq_patents"] == pytest.approx(1.0) and cell["lq_enterprises"] == pytest.approx(1.0)
    assert cell["case"] == "技术需求"
    assert cell["partners"] == [{"place": "110000", "place_name": "北京市", "count": 5}]
    assert body["place_cases"]["技术需求"] == 1
    assert body["place_cases"]["无"] == len(body["segments"]) - 1
    row = next(s for s in body["segments"] if s["segment"] == SEGMENT)["cells"]
    beijing = next(c for c in row if c["place"] == "110000")
    assert (beijing["patents"], beijing["applicants"], beijing["case"]) == (5, 2, "成果外溢")
    assert beijing["partners"] == [{"place": "130600", "place_name": "保定市", "count": 4}]
    # U1(北京) = 1, U2(北京) = 0 -> D = 0; U1(保定) = mean(2/5, 2/5, 2/2) = 0.6, U2 = 1
    assert beijing["coordination"] == pytest.approx(0.0)
    baoding_u1 = (2 / 5 + 2 / 5 + 1) / 3
    assert cell["u_innovation"] == pytest.approx(baoding_u1, abs=1e-4)
    everything = client.get(
        "/api/industries/hydrogen/innovation", params={"design": "true", "lapsed": "true"}
    ).json()
    row = next(s for s in everything["segments"] if s["segment"] == SEGMENT)["cells"]
    assert next(c for c in row if c["place"] == "110000")["patents"] == 7
    assert "区位熵" in body["method"] and body["provenance"]["label"] == "导入数据"

    suggestions = client.get("/api/industries/hydrogen/innovation/suggestions").json()
    push = next(s for s in suggestions["data"] if s["kind"] == "push")
    assert push["segment"] == SEGMENT and push["patents"] == 5
    assert [o["name"] for o in push["owners"]] == ["甲理工大学", "乙能源研究院"]
    assert [d["place_name"] for d in push["destinations"]] == ["保定市"]
    assert push["draft"]["kind"] == "achievement" and "电解槽" in push["draft"]["title"]
    demand = next(s for s in suggestions["data"] if s["kind"] == "demand")
    assert demand["place_name"] == "保定市" and demand["draft"]["kind"] == "demand"

    # 协同成效 in 保定: one segment with data; U1 = 0.6, U2 = 1 -> C = sqrt(0.6 * 0.6) = 0.6,
    # T = 0.8, D = sqrt(0.48)
    loop = client.get("/api/loop", params={"industry": "hydrogen", "place": "130600"}).json()
    summary = loop["innovation"]
    assert summary["segments"] == 1 and summary["cases"]["技术需求"] == 1
    assert summary["coordination"] == pytest.approx(0.48**0.5, abs=1e-4)
    assert summary["level"] == "初级协调"
    assert client.get("/api/loop", params={"industry": "hydrogen"}).json()["innovation"] is None

    # a push becomes a draft achievement list of the editor's organization, once
    drafted = client.post(
        "/api/industries/hydrogen/innovation/drafts",
        json={"kind": "push", "segment": SEGMENT},
        headers={"X-CSRF-Token": csrf},
    )
    assert drafted.status_code == 201, drafted.text
    listing = drafted.json()["listing"]
    assert drafted.json()["created"] and listing["kind"] == "achievement"
    assert listing["status"] == "draft" and listing["title"] == push["draft"]["title"]
    again = client.post(
        "/api/industries/hydrogen/innovation/drafts",
        json={"kind": "push", "segment": SEGMENT},
        headers={"X-CSRF-Token": csrf},
    ).json()
    assert not again["created"] and again["listing"]["id"] == listing["id"]
    demand_draft = client.post(
        "/api/industries/hydrogen/innovation/drafts",
        json={"kind": "demand", "segment": SEGMENT, "place": "130600"},
        headers={"X-CSRF-Token": csrf},
    )
    assert demand_draft.status_code == 201 and demand_draft.json()["listing"]["kind"] == "demand"
    gone = client.post(
        "/api/industries/hydrogen/innovation/drafts",
        json={"kind": "demand", "segment": SEGMENT, "place": "110000"},
        headers={"X-CSRF-Token": csrf},
    )
    assert gone.status_code == 404 and "建议" in gone.json()["error"]["message"]

    listed = client.get("/api/patents", params={"segment": SEGMENT, "place": "130600"}).json()
    assert listed["count"] == 2 and not listed["includes_sample"]


@pytest.mark.db
def test_a_bad_export_writes_nothing_and_names_every_bad_cell(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    csrf = login(client, make_user("editor"))
    good = _row(1, "甲理工大学", "北京市海淀区学院路1号")
    bad = _row(2, "乙大学", "北京市海淀区").replace("C25B1/04;C25B9/00", "电解槽")
    repeat = _row(1, "甲理工大学", "北京市海淀区学院路1号")
    response = client.post(
        "/api/patents/import",
        files={"file": ("p.csv", (HEADER + good + bad + repeat).encode(), "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    fields = {f["field"]: f["message"] for f in response.json()["error"]["fields"]}
    assert "国际专利分类号" in fields["csv!3!IPC分类号"]
    assert "重复" in fields["csv!4!申请号"]
    assert db.scalar(select(func.count(Patent.id))) == 0
    missing = client.post(
        "/api/patents/import",
        files={"file": ("p.csv", "名称\n一种装置\n".encode(), "text/csv")},
        headers={"X-CSRF-Token": csrf},
    )
    assert missing.status_code == 422 and "申请号" in missing.json()["error"]["message"]


@pytest.mark.db
def test_the_command_imports_and_re_import_updates_by_application_number(
    client: TestClient, db: Session, tmp_path: Path, database_url: str
) -> None:
    env = {"JJJ_DATABASE_URL": database_url}
    path = tmp_path / "专利导出.csv"
    path.write_bytes(_export())
    first = run("patents", "import", str(path), env=env)
    assert first.returncode == 0, first.stderr + first.stdout
    assert "10 created" in first.stdout
    path.write_bytes(
        _export().replace("一种碱性电解槽的极板结构".encode(), "一种电解槽".encode(), 1)
    )
    again = run("patents", "import", str(path), env=env)
    assert "0 created, 10 updated" in again.stdout
    assert db.scalar(select(func.count(Patent.id))) == 10
    assert db.scalar(select(func.count()).where(Patent.title == "一种电解槽")) == 1
    check = run("patents", "check", env=env)
    assert check.returncode == 0 and "segments reached" in check.stdout


@pytest.mark.db
def test_the_template_imports_as_it_is_and_its_number_cannot_exist(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    from jingjinji.patents.table import check_character

    template = client.get("/api/templates/patents")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    csrf = login(client, make_user("editor"))
    response = client.post(
        "/api/patents/import",
        files={"file": ("专利导入模板.xlsx", template.content, "application/octet-stream")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["created"] == 1 and report["rows"] == 1  # the 填写说明 sheet is no data
    patent = db.scalar(select(Patent))
    assert patent is not None and patent.place_adcode == "110108"
    digits, check = patent.application_number.removeprefix("CN").split(".")
    assert check != check_character(digits)  # a wrong check character: no real patent has it
