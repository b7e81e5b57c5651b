"""Project spreadsheets: every bad row named by row and column; exported rows import back."""

from __future__ import annotations

from typing import Any

import pytest

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.projects import parse_projects
from jingjinji.projects.cells import parse_date, parse_list
from jingjinji.projects.table import EXPORT_HEADER, export_row
from jingjinji.store.tabular import read_table, write_xlsx

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


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def _parse(rows: list[list[Any]], atlas: Atlas, header: list[str] = HEADER) -> Any:
    data = write_xlsx({"项目": (header, rows)})
    sheet = read_table(data, "p.xlsx")[0]
    return parse_projects(
        ((sheet.name, n, cells) for n, cells in sheet.rows), atlas=atlas, header=sheet.header
    )


def test_valid_rows_resolve_names_to_codes_and_slugs(atlas: Atlas) -> None:
    parsed, problems = _parse(
        [
            [
                "氢能装备基地",
                "北京",
                "保定",
                "氢能",
                "电解槽装备、质子交换膜",
                12.5,
                "签约",
                "2023-05-01",
            ],
            ["封测厂", "苏州市", "130602", "integrated-circuits", "", "30", "在建", "2022年3月1日"],
            ["外省来源", "440300", "天津市", "", "", 1, "投产", None],
        ],
        atlas,
    )
    assert problems == []
    first, second, third = (p for _n, p in parsed)
    assert (first.origin_adcode, first.destination_adcode) == ("110000", "130600")
    assert first.segments == ["hydrogen-electrolyzer", "hydrogen-fc-membrane"]
    assert (second.origin_adcode, second.industry, second.investment) == (
        "320500",
        "integrated-circuits",
        30.0,
    )
    assert third.origin_adcode == "440300" and third.industry is None


def test_every_bad_row_is_reported_with_row_and_column(atlas: Atlas) -> None:
    parsed, problems = _parse(
        [
            ["好项目", "北京", "保定", "氢能", "", 1, "签约", "2023-01-01"],
            ["坏来源", "火星", "保定", "氢能", "", 1, "签约", "2023-01-01"],
            ["坏数字", "北京", "廊坊", "氢能", "", "很多", "投产", "2023-01-01"],
            ["", "北京", "上海", "氢能", "", 1, "竣工", "2023/13/01"],
            ["错环节", "北京", "天津", "氢能", "数控系统", 1, "签约", None],
        ],
        atlas,
    )
    assert parsed == []
    found = {(p.row, p.column) for p in problems}
    assert (3, "来源地") in found
    assert (4, "投资额（亿元）") in found
    assert {(5, "项目名称"), (5, "签约日期")} <= found
    assert (6, "产业链环节") in found  # a segment of another chain
    assert all(p.sheet == "项目" for p in problems)
    assert not any(p.row == 2 for p in problems)
    message = next(p for p in problems if p.row == 3).message_zh()
    assert "第 3 行" in message and "列“来源地”" in message and "火星" in message


def test_destination_outside_the_region_and_duplicates_are_refused(atlas: Atlas) -> None:
    _parsed, problems = _parse(
        [
            ["甲", "北京", "110000", "", "", 1, "签约", None],
            ["甲", "北京", "北京", "", "", 2, "签约", None],
        ],
        atlas,
    )
    assert [(p.row, p.column) for p in problems] == [(3, "项目名称")]
    assert "第 2 行" in problems[0].reason_zh


def test_unknown_column_is_named(atlas: Atlas) -> None:
    _parsed, problems = _parse(
        [["甲", "北京", "天津", 1, "签约"]],
        atlas,
        header=["项目名称", "来源地", "落地地", "投资额（亿元）", "状态"],
    )
    assert any(p.row == 1 and p.column == "状态" for p in problems)


def test_export_rows_import_back_identically(atlas: Atlas) -> None:
    parsed, _ = _parse(
        [
            ["氢能装备基地", "北京", "130602", "氢能", "电解槽装备", 12.5, "开工", "2023-05-01"],
        ],
        atlas,
    )
    original = parsed[0][1]
    original.enterprises = ["甲公司", "乙公司"]
    original.platform = "baoding-zhongguancun-innovation-centre"
    row = export_row(original, id=7, provenance="import", atlas=atlas)
    sheet = read_table(write_xlsx({"项目库": (EXPORT_HEADER, [row])}), "e.xlsx")[0]
    again, problems = parse_projects(
        ((sheet.name, n, c) for n, c in sheet.rows), atlas=atlas, header=sheet.header
    )
    assert problems == []
    assert again[0][1] == original


def test_cells() -> None:
    assert parse_list("甲、乙；丙,丁") == ["甲", "乙", "丙", "丁"]
    with pytest.raises(ValueError):
        parse_date("2023-02-30")
