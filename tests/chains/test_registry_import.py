"""Registry exports as users get them (企查查, 天眼查, 启信宝, 国家企业信用信息公示系统 layouts):
headers, industries by name, places from 省/市/区县 columns, former names and zones, 登记状态
and dates, closed enterprises off the chain map, the chain map as of a year."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.chains.places import resolve_address
from jingjinji.chains.registry_fields import (
    IndustryError,
    StatusError,
    canonical_status,
    industry_code_of,
)
from jingjinji.chains.repository import chain_context
from jingjinji.chains.table import find_columns, missing_columns, parse_row
from jingjinji.store.models import Enterprise
from tests.chains.test_api import _code
from tests.conftest import UserFactory, login
from tests.jjj import run

QCC_HEADER = [
    "公司名称",
    "登记状态",
    "法定代表人",
    "注册资本",
    "成立日期",
    "统一社会信用代码",
    "所属省份",
    "所属城市",
    "所属区县",
    "电话",
    "企业类型",
    "所属行业",
    "企业地址",
    "参保人数",
    "经营范围",
]


def _qcc_row(name: str, code: str, status: str, founded: str, county: str, scope: str) -> list:
    return [
        name,
        status,
        "张某",
        "5000万元人民币",
        founded,
        code,
        "河北省",
        "保定市",
        county,
        "-",
        "有限责任公司（自然人投资或控股）",
        "锂离子电池制造",
        "-",
        "12",
        scope,
    ]


def _xlsx(header: list[str], rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "企业列表"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.create_sheet("筛选条件").append(["导出条件：保定市 电池制造"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SCOPE = (
    "一般项目：动力电池电芯、电池模组与电池包的研发制造；技术服务、技术开发、技术咨询、技术交流、"
    "技术转让、技术推广。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
)


def test_headers_of_the_common_exports_are_understood() -> None:
    columns, ignored = find_columns(QCC_HEADER)
    assert columns["name"] == "公司名称" and columns["address"] == "企业地址"
    assert columns["status"] == "登记状态" and columns["founded_on"] == "成立日期"
    assert (columns["province"], columns["city"], columns["county"]) == (
        "所属省份",
        "所属城市",
        "所属区县",
    )
    assert columns["industry"] == "所属行业"
    assert ignored == ["法定代表人", "注册资本", "电话", "企业类型", "参保人数"]
    tyc, _ = find_columns(["企业名称", "经营状态", "注册地址", "国标行业", "统一社会信用代码"])
    assert tyc["status"] == "经营状态" and tyc["industry"] == "国标行业"


def test_a_missing_column_is_named_with_the_headers_it_accepts() -> None:
    columns, _ = find_columns(["公司名称", "注册资本"])
    missing = {column: zh for column, _en, zh in missing_columns(columns)}
    assert set(missing) == {"credit_code", "address"}
    assert "统一社会信用代码" in missing["credit_code"] and "信用代码" in missing["credit_code"]
    assert "企业地址" in missing["address"] and "所属区县" in missing["address"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("锂离子电池制造", "C3841"),
        ("集成电路制造", "C3973"),
        ("C3973", "C3973"),
        ("3973", "C3973"),
        ("I6513 应用软件开发", "I6513"),
        ("制造业-计算机、通信和其他电子设备制造业-集成电路制造", "C3973"),
        ("电池制造", "C384"),
        ("-", None),
    ],
)
def test_industries_resolve_by_code_or_gbt4754_name(text: str, code: str | None) -> None:
    assert industry_code_of(load_atlas(), text) == code


def test_an_unknown_industry_or_status_is_an_error_naming_what_is_accepted() -> None:
    with pytest.raises(IndustryError, match="GB/T 4754"):
        industry_code_of(load_atlas(), "宇宙飞船维修")
    with pytest.raises(IndustryError):
        industry_code_of(load_atlas(), "9999")
    with pytest.raises(StatusError) as caught:
        canonical_status("冬眠")
    assert "存续" in caught.value.message_zh


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("存续（在营、开业、在册）", "存续"),
        ("在业", "存续"),
        ("吊销，未注销", "吊销"),
        ("吊销，已注销", "注销"),
        ("注销", "注销"),
        ("迁出", "迁出"),
        ("", None),
    ],
)
def test_statuses_in_registry_wording(text: str, status: str | None) -> None:
    assert canonical_status(text) == status


@pytest.mark.parametrize(
    ("address", "county"),
    [
        ("天津市塘沽区新港二号路", "120116"),
        ("天津市汉沽区", "120116"),
        ("天津市蓟县渔阳镇", "120119"),
        ("河北省张家口市宣化县", "130705"),
        ("北京经济技术开发区科创十三街", "110115"),
        ("北京市通州区亦庄新城", "110112"),  # a district named in the address wins
        ("天津经济技术开发区第三大街", "120116"),
        ("天津滨海高新区华苑产业区", "120116"),
        ("沧州渤海新区", "130983"),
        ("唐山市曹妃甸工业区", "130209"),
        ("河北雄安新区容东片区", "130629"),
        ("河北省三河市燕郊高新区", "131082"),
    ],
)
def test_former_names_and_zones_resolve_to_the_county_that_holds_them(
    address: str, county: str
) -> None:
    assert resolve_address(load_atlas(), address).adcode == county


def test_every_alias_names_a_county_of_the_atlas() -> None:
    from jingjinji.atlas.aliases import load_place_aliases

    atlas = load_atlas()
    aliases = load_place_aliases()
    assert len({a.alias for a in aliases}) == len(aliases)
    for alias in aliases:
        for code in (alias.adcode, *alias.also):
            assert atlas.place(code).level == "county", alias
        assert alias.note


def test_a_row_places_itself_from_the_county_column_and_keeps_registration_fields() -> None:
    atlas = load_atlas()
    columns, _ = find_columns(QCC_HEADER)
    row = _qcc_row(
        "保定某电池有限公司", _code("MA000100130606"), "在业", "2019-03-08", "莲池区", SCOPE
    )
    record, problems = parse_row(
        dict(zip(QCC_HEADER, row, strict=True)), columns, atlas=atlas, sheet="s", row=2
    )
    assert problems == [] and record is not None
    assert record["place_adcode"] == "130606"
    assert record["industry_code"] == "C3841"
    assert record["status"] == "存续" and record["founded_on"] == date(2019, 3, 8)
    assert record["address"] == ""  # "-" is an empty cell in the exports


@pytest.mark.db
def test_a_qcc_export_imports_and_closed_enterprises_stay_off_the_map(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    csrf = login(client, make_user("editor"))
    rows = [
        _qcc_row(
            "保定甲电池有限公司", _code("MA000200130606"), "存续", "2015-05-01", "莲池区", SCOPE
        ),
        _qcc_row(
            "保定乙电池有限公司", _code("MA000201130606"), "注销", "2012-01-01", "竞秀区", SCOPE
        ),
        _qcc_row(
            "保定丙电池有限公司", _code("MA000202130606"), "在业", "2023-06-30", "满城区", SCOPE
        ),
    ]
    rows[1][QCC_HEADER.index("企业类型")] = "其他"
    header = [*QCC_HEADER, "注销日期"]
    body = [[*r, ""] for r in rows]
    body[1][-1] = "2021-09-30"
    response = client.post(
        "/api/enterprises/import",
        files={"file": ("企查查导出.xlsx", _xlsx(header, body), "application/octet-stream")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["created"] == 3
    assert report["ignored_columns"] == ["法定代表人", "注册资本", "电话", "企业类型", "参保人数"]
    assert report["skipped_sheets"] == ["筛选条件"]
    stored = {e.name: e for e in db.scalars(select(Enterprise))}
    closed = stored["保定乙电池有限公司"]
    assert (closed.status, closed.closed_on) == ("注销", date(2021, 9, 30))
    assert stored["保定丙电池有限公司"].industry_code == "C3841"

    atlas = load_atlas()
    now = chain_context(db, atlas)
    ids = set(now.frame["enterprise_id"])
    assert stored["保定甲电池有限公司"].id in ids
    assert closed.id not in ids  # 注销: stored, never counted
    then = set(chain_context(db, atlas, year=2020).frame["enterprise_id"])
    # at the end of 2020 the closed one still operated and the 2023 one did not exist yet
    assert closed.id in then and stored["保定丙电池有限公司"].id not in then

    def counted(**params: object) -> int:
        url = "/api/industries/nev-icv/coverage"
        response = client.get(url, params={"place": "130600", **params})
        assert response.status_code == 200, response.text
        return int(response.json()["enterprise_count"])

    assert counted() == 2  # 甲 and 丙; 乙 is 注销
    assert counted(year=2014) == 1  # only 乙 (founded 2012, closed 2021) existed
    assert counted(year=2022) == 1  # 甲; 乙 closed in 2021, 丙 founded in 2023
    assert (
        client.get(
            "/api/industries/nev-icv/coverage", params={"place": "130600", "year": "abc"}
        ).status_code
        == 422
    )

    public = client.get(f"/api/enterprises/{closed.id}").json()
    assert public["status"] == "注销" and public["operating"] is False


@pytest.mark.db
def test_an_export_without_the_credit_code_column_names_the_accepted_headers(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("editor"))
    header = [h for h in QCC_HEADER if h != "统一社会信用代码"]
    response = client.post(
        "/api/enterprises/import",
        files={"file": ("e.xlsx", _xlsx(header, [["某公司"] * len(header)]), "application/x")},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 422
    assert "可用的列名" in response.text and "统一社会信用代码" in response.text


@pytest.mark.db
def test_the_command_imports_a_registry_export(tmp_path: Path, database_url: str) -> None:
    path = tmp_path / "天眼查导出.xlsx"
    rows = [
        _qcc_row("天津某电池有限公司", _code("MA000300120116"), "存续", "2020-01-01", "", SCOPE)
    ]
    rows[0][QCC_HEADER.index("所属省份")] = "天津市"
    rows[0][QCC_HEADER.index("所属城市")] = "天津市"
    rows[0][QCC_HEADER.index("企业地址")] = "天津市塘沽区新港路1号"
    path.write_bytes(_xlsx(QCC_HEADER, rows))
    env = {"JJJ_DATABASE_URL": database_url, "JJJ_LOAD_SAMPLE": "false"}
    result = run("enterprises", "import", str(path), env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "1 created" in result.stdout
    assert "注册资本" in result.stdout  # ignored columns are listed once
