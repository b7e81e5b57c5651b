"""Indicator systems and panels: validation with precise errors."""

import io
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from jingjinji.indicators import (
    IndicatorSystemError,
    PanelError,
    list_systems,
    load_system,
    read_panel,
)
from jingjinji.indicators.places import resolve_builtin
from jingjinji.indicators.system import parse_system

SYSTEM = load_system("collaborative_innovation")


def test_shipped_systems_load() -> None:
    assert list_systems() == ["collaborative_innovation", "dual_ten", "high_quality_development"]
    hq = load_system("high_quality_development")
    assert [d.name for d in hq.dimensions] == ["经济", "社会", "生态", "创新", "文化", "治理"]
    assert hq.directions["pm25"] == -1
    assert {i.threshold for i in load_system("dual_ten").indicators} == {10}


def test_bad_system_names_file_and_every_key(tmp_path: Path) -> None:
    bad = {
        "id": "demo",
        "name": "演示",
        "dimensions": [
            {
                "id": "econ",
                "name": "经济",
                "indicators": [
                    {"id": "gdp", "name": "GDP", "direction": 2},
                    {"id": "gdp", "name": "重复"},
                    {"id": "x", "name": "X", "colour": "red"},
                ],
            },
        ],
    }
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    with pytest.raises(IndicatorSystemError) as info:
        load_system(path)
    err = info.value
    assert str(err).startswith("demo.yaml: ")
    assert any("dimensions[0](econ).indicators[0](gdp).direction" in p for p in err.problems)
    assert any("indicators[2](x).colour" in p for p in err.problems)
    assert "demo.yaml" in err.message_zh


def test_duplicate_ids_and_partial_weights(tmp_path: Path) -> None:
    raw = {
        "id": "demo",
        "name": "演示",
        "dimensions": [
            {
                "id": "a",
                "name": "A",
                "indicators": [{"id": "x", "name": "X", "weight": 0.5}, {"id": "x", "name": "X2"}],
            }
        ],
    }
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(IndicatorSystemError) as info:
        load_system(path)
    text = str(info.value)
    assert "indicator id 'x' already used at dimensions[0].indicators[0].id" in text
    assert "missing for x" in text
    with pytest.raises(IndicatorSystemError, match="not a shipped template"):
        load_system("nope")


def _csv(text: str) -> bytes:
    return text.strip().encode("utf-8")


def test_long_csv_with_names_and_chinese_headers() -> None:
    data = _csv(
        """
地区,年份,指标,数值
北京,2019,R&D经费投入强度,6.31
河北省,2019,rd_intensity,1.61
北   京,2020,RD强度," 6.44 "
130000,2020,rd_intensity,1.75
"""
    )
    one = parse_system(
        {
            "id": "one",
            "name": "一",
            "dimensions": [
                {"id": "input", "name": "投入", "indicators": [SYSTEM.indicators[0].model_dump()]}
            ],
        },
    )
    panel = read_panel(data, filename="p.csv", system=one)
    assert panel.places == ["110000", "130000"]
    wide = panel.wide()
    assert wide.loc[("110000", 2020), "rd_intensity"] == 6.44
    assert wide.loc[("130000", 2019), "rd_intensity"] == 1.61
    with pytest.raises(PanelError, match="indicator 'rd_funds' of the system is not in the panel"):
        read_panel(data, filename="p.csv", system=SYSTEM)


def test_errors_carry_file_row_column_and_chinese() -> None:
    data = _csv(
        """
place,year,indicator,value
北京,2019,rd_intensity,6.31
火星,2019,rd_intensity,1.0
河北,2019,rd_intensity,abc
河北,2019,unknown_thing,1
北京,2019,rd_intensity,6.3
"""
    )
    with pytest.raises(PanelError) as info:
        read_panel(data, filename="bad.csv", resolver=resolve_builtin)
    err = info.value
    messages = [str(p) for p in err.problems]
    assert messages[0] == "bad.csv, row 3, column 'place': unknown place '火星'"
    assert err.file == "bad.csv" and err.row == 3 and err.column == "place"
    assert err.message_zh.startswith("bad.csv，第 3 行，“place”列：无法识别的地区“火星”")
    assert "bad.csv, row 4, column 'value': value 'abc' is not a number" in messages
    assert any(
        "row 6" in m
        and "duplicate value for (110000, 2019, rd_intensity)" in m
        and "first given in row 2" in m
        for m in messages
    )


def test_unknown_indicator_against_a_system() -> None:
    data = _csv("place,year,indicator,value\n北京,2019,rd_intensity,6.31\n北京,2019,gdp,1\n")
    with pytest.raises(PanelError) as info:
        read_panel(data, filename="u.csv", system=SYSTEM)
    assert (
        str(info.value.problems[0]) == "u.csv, row 3, column 'indicator': unknown indicator 'gdp'"
    )


def _xlsx(rows: list[list[object]], sheet: str = "数据") -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_wide_xlsx_missing_values_and_fill_rules() -> None:
    rows: list[list[object]] = [
        ["地区", "年份", "a", "b"],
        ["天津", 2018, 1.0, 10],
        ["天津", 2019, None, 20],
        ["天津", 2020, 3.0, "=B4*2"],  # a formula without a cached value: missing
        ["保定市", 2018, 5.0, 1],
        ["保定市", 2019, 6.0, 2],
        ["保定市", 2020, 7.0, 3],
    ]
    raw = _xlsx(rows)
    with pytest.raises(PanelError) as info:
        read_panel(raw, filename="w.xlsx")
    first = info.value.problems[0]
    assert (first.file, first.sheet, first.row, first.column) == ("w.xlsx", "数据", 3, "a")
    assert "no value for 天津市 (120000) in 2019" in first.message
    assert "fill='linear'" in first.message
    with pytest.raises(PanelError) as info2:
        read_panel(raw, filename="w.xlsx", fill="linear")
    assert info2.value.problems[0].column == "b"  # a trailing gap cannot be interpolated
    ok = read_panel(_xlsx([r[:3] for r in rows]), filename="w.xlsx", fill="linear")
    assert ok.wide().loc[("120000", 2019), "a"] == 2.0
    assert ok.filled[["place", "year", "indicator", "rule"]].values.tolist() == [
        ["120000", 2019, "a", "linear"]
    ]
    carried = read_panel(raw, filename="w.xlsx", fill="ffill")
    assert carried.wide().loc[("120000", 2019), "a"] == 1.0
    assert carried.wide().loc[("120000", 2020), "b"] == 20.0
    with pytest.raises(PanelError, match="no such sheet"):
        read_panel(raw, filename="w.xlsx", sheet="Sheet9")


def test_formulas_are_read_as_cached_values(tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["place", "year", "x"])
    ws.append(["北京", 2020, "=1+1"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    # openpyxl writes no cached value, and we never evaluate formulas: the cell is missing
    with pytest.raises(PanelError, match="no value for 北京市"):
        read_panel(path)


def test_resolver_is_pluggable() -> None:
    data = _csv("place,year,x\nA,2020,1\nB,2020,2\n")
    panel = read_panel(data, resolver={"A": "130100", "B": "130200"}.get)
    assert panel.places == ["130100", "130200"]
