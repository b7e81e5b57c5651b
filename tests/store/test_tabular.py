"""Hostile and broken uploads: content sniffing, formulas, malformed workbooks, locations."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from jingjinji.store.tabular import TableError, read_table, safe_cell, write_csv, write_xlsx


def _xlsx(rows: list[list[object]], title: str = "成果") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_reads_xlsx_with_file_row_numbers() -> None:
    data = _xlsx([["名称", "金额"], ["氢燃料电池", 12.5], [None, None], ["储氢瓶", 3]])
    (sheet,) = read_table(data, "list.xlsx")
    assert sheet.name == "成果" and sheet.header == ["名称", "金额"]
    assert sheet.rows == [
        (2, {"名称": "氢燃料电池", "金额": 12.5}),
        (4, {"名称": "储氢瓶", "金额": 3}),
    ]


def test_formulas_are_never_evaluated() -> None:
    data = _xlsx([["名称", "金额"], ["氢能", "=1+1"]])
    # openpyxl-written formulas carry no saved value: an error naming the cell, not a result
    with pytest.raises(TableError) as caught:
        read_table(data, "f.xlsx")
    assert (caught.value.sheet, caught.value.row, caught.value.column) == ("成果", 2, "B")
    assert "B2" in caught.value.message_zh


def test_formula_cells_give_the_value_excel_saved() -> None:
    data = _xlsx([["名称", "金额"], ["氢能", "=1+1"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # what Excel stores on save
                content = content.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
            target.writestr(item, content)
    (sheet,) = read_table(buffer.getvalue(), "saved.xlsx")
    assert sheet.rows == [(2, {"名称": "氢能", "金额": 2})]


def test_reads_gbk_and_utf8_bom_csv() -> None:
    text = "名称,地区\n氢能装备,保定市\n"
    for data in (text.encode("gb18030"), ("\ufeff" + text).encode("utf-8")):
        (sheet,) = read_table(data, "a.csv")
        assert sheet.rows == [(2, {"名称": "氢能装备", "地区": "保定市"})]


@pytest.mark.parametrize(
    ("data", "name", "needle"),
    [
        (b"name,value\n1,2\n", "renamed.xlsx", "not an Excel workbook"),
        (b"\x00\x01\x02binary", "x.csv", "binary"),
        (b"MZ\x90\x00", "virus.exe", "unsupported file type"),
        (_xlsx([["a"], [1]])[:300], "broken.xlsx", "malformed workbook"),
        (b"", "empty.csv", "empty"),
        ("名称,名称\n1,2\n".encode(), "dup.csv", "duplicate column"),
        (b"a,b\n1,2,3\n", "wide.csv", "beyond the last named column"),
    ],
)
def test_bad_files_give_located_errors(data: bytes, name: str, needle: str) -> None:
    with pytest.raises(TableError, match=needle) as caught:
        read_table(data, name)
    assert str(caught.value).startswith(name)
    assert caught.value.message_zh.startswith(f"文件 {name}")


def test_row_limit_names_the_row() -> None:
    data = ("x\n" + "1\n" * 5).encode()
    with pytest.raises(TableError) as caught:
        read_table(data, "big.csv", max_rows=3)
    assert caught.value.row == 5
    assert "第 5 行" in caught.value.message_zh


def test_zip_bomb_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (201 * 1024 * 1024))
    with pytest.raises(TableError, match="expands beyond"):
        read_table(buffer.getvalue(), "bomb.xlsx")


def test_exports_neutralise_formula_injection() -> None:
    assert safe_cell("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"
    assert safe_cell("+1") == "'+1" and safe_cell("普通文本") == "普通文本" and safe_cell(-3) == -3
    data = write_xlsx({"项目": (["名称"], [["=1+1"], ["雄安"]])})
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert [c.value for c in sheet["A"]] == ["名称", "'=1+1", "雄安"]
    csv_bytes = write_csv(["名称"], [["@SUM(A1)"]])
    assert csv_bytes.startswith("\ufeff".encode()) and b"'@SUM(A1)" in csv_bytes


def test_formula_escaping_is_undone_on_import() -> None:
    values = ["=SUM(A1)", "+86 10 1234", "-3 ℃ 冷启动", "@某某", "普通文本"]
    for content, name in (
        (write_xlsx({"表": (["说明"], [[v] for v in values])}), "t.xlsx"),
        (write_csv(["说明"], [[v] for v in values]), "t.csv"),
    ):
        (sheet,) = read_table(content, name)
        assert [cells["说明"] for _n, cells in sheet.rows] == values, name


def test_control_characters_in_stored_text_do_not_break_a_workbook() -> None:
    content = write_xlsx({"表": (["说明"], [["电堆\x01测试\x1f"], ["正常"]])})
    (sheet,) = read_table(content, "t.xlsx")
    assert [cells["说明"] for _n, cells in sheet.rows] == ["电堆\ufffd测试\ufffd", "正常"]
