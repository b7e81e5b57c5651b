"""IPC symbols, application numbers, legal statuses, applicants and one export row parsed."""

from __future__ import annotations

from datetime import date

import pytest

from jingjinji.atlas import load_atlas
from jingjinji.patents import applicant_kind, normalize_ipc, split_ipc
from jingjinji.patents.ipc import IpcError, _covers
from jingjinji.patents.table import (
    canonical_legal_status,
    check_character,
    find_columns,
    kind_of_number,
    missing_columns,
    normalize_application_number,
    parse_row,
)
from jingjinji.patents.template import sample_number

CNIPA_HEADER = [
    "申请号",
    "申请日",
    "公开(公告)号",
    "公开(公告)日",
    "名称",
    "主分类号",
    "IPC分类号",
    "申请(专利权)人",
    "发明人",
    "申请人地址",
    "摘要",
    "法律状态",
]


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("H01M 8/1004", "H01M8/1004"),
        ("H01M8/1004(2016.01)", "H01M8/1004"),
        ("h01m  8/10", "H01M8/10"),
        ("Ｃ２５Ｂ１／０４", "C25B1/04"),
        ("B25J", "B25J"),
        ("B25J9", "B25J9/00"),
    ],
)
def test_ipc_symbols_are_read_in_every_spelling(text: str, compact: str) -> None:
    assert normalize_ipc(text) == compact


@pytest.mark.parametrize("text", ["H1M8/10", "Z01M8/10", "H01M8/1", "电池", "H01M8/1234567"])
def test_malformed_ipc_symbols_are_refused_in_chinese(text: str) -> None:
    with pytest.raises(IpcError) as caught:
        normalize_ipc(text)
    assert "国际专利分类号" in caught.value.message_zh


def test_a_cell_of_several_symbols() -> None:
    assert split_ipc("H01M8/10;H01M4/86 ；H01M8/10") == ["H01M8/10", "H01M4/86"]
    assert split_ipc("H01M 8/10 H01M 4/86") == ["H01M8/10", "H01M4/86"]


def test_concordance_levels_cover_by_hierarchy() -> None:
    assert _covers("H01M", "H01M8/1004")
    assert _covers("H01M8/00", "H01M8/1004")
    assert _covers("H01M8/10", "H01M8/1004")
    assert not _covers("H01M8/10", "H01M8/04")
    assert not _covers("H01M8/00", "H01M4/86")
    assert not _covers("H01M", "H01L21/00")


def test_application_numbers_and_their_kind() -> None:
    assert normalize_application_number("ZL 2023 1 0123456.7") == "CN202310123456.7"
    assert normalize_application_number("200810117960") == "CN200810117960"
    assert kind_of_number("CN202320123456.1") == "实用新型"
    assert kind_of_number("CN202330123456.1") == "外观设计"
    assert kind_of_number("CN03323456.1") == "外观设计"
    with pytest.raises(ValueError):
        normalize_application_number("US2023123456")


def test_check_character_and_non_existent_sample_numbers() -> None:
    # 2·2+0·3+2·4+3·5+1·6+0·7+1·8+2·9+3·2+4·3+5·4+6·5 = 127 ≡ 6 (mod 11)
    assert check_character("202310123456") == "6"
    number = sample_number(2023, 1, 123456)
    digits, check = number.removeprefix("CN").split(".")
    assert digits == "202310123456" and check != check_character(digits) == "6"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("有效", "有效"),
        ("授权", "有效"),
        ("专利权维持", "有效"),
        ("实质审查", "审中"),
        ("公开", "审中"),
        ("未缴年费专利权终止", "失效"),
        ("驳回", "失效"),
        ("视为撤回", "失效"),
        ("期限届满", "失效"),
        ("奇怪的状态", None),
    ],
)
def test_legal_statuses(text: str, status: str | None) -> None:
    assert canonical_legal_status(text) == status


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("某某理工大学", "university"),
        ("某某大学附属医院", "university"),
        ("中国某某科学院某某研究所", "institute"),
        ("某某研究院有限公司", "enterprise"),
        ("某某集团股份有限公司", "enterprise"),
        ("张三", "individual"),
        ("某某市应急管理局", "other"),
    ],
)
def test_applicant_kinds(name: str, kind: str) -> None:
    assert applicant_kind(name) == kind


def test_an_export_row_is_parsed_with_its_place() -> None:
    columns, ignored = find_columns(CNIPA_HEADER)
    assert ignored == ["发明人"] and not missing_columns(columns)
    cells = dict(
        zip(
            CNIPA_HEADER,
            [
                "CN202310123456.7",
                "2023.03.15",
                "CN116000000A",
                "2023-09-01",
                "一种燃料电池双极板",
                "H01M 8/0206",
                "H01M8/0206;H01M8/0228",
                "某某理工大学；张三",
                "李四",
                "北京市海淀区学院路1号",
                "本发明公开了一种金属双极板。",
                "实质审查",
            ],
            strict=True,
        )
    )
    record, problems = parse_row(cells, columns, atlas=load_atlas(), sheet="", row=2)
    assert problems == []
    assert record is not None
    assert record["application_number"] == "CN202310123456.7"
    assert record["filed_on"] == date(2023, 3, 15)
    assert record["ipc"] == ["H01M8/0206", "H01M8/0228"] and record["main_ipc"] == "H01M8/0206"
    assert record["applicants"] == ["某某理工大学", "张三"]
    assert record["kind"] == "发明" and record["legal_status"] == "审中"
    assert record["place_adcode"] == "110108"


def test_outside_the_region_is_kept_unplaced_and_bad_cells_are_located() -> None:
    columns, _ = find_columns(CNIPA_HEADER)
    atlas = load_atlas()
    row = dict.fromkeys(CNIPA_HEADER, "")
    row.update(
        {
            "申请号": "CN202310123456.7",
            "申请日": "2023-01-01",
            "名称": "一种装置",
            "申请(专利权)人": "某公司",
        }
    )
    row["申请人地址"] = "上海市浦东新区张江路1号"
    record, problems = parse_row(row, columns, atlas=atlas, sheet="", row=2)
    assert problems == [] and record is not None and record["place_adcode"] is None
    row.update({"申请号": "12345", "IPC分类号": "电池", "申请日": "去年", "法律状态": "不知道"})
    record, problems = parse_row(row, columns, atlas=atlas, sheet="专利", row=7)
    assert record is None
    located = {(p.row, p.column) for p in problems}
    assert located == {(7, "申请号"), (7, "IPC分类号"), (7, "申请日"), (7, "法律状态")}
    assert all(p.message_zh and p.message for p in problems)
