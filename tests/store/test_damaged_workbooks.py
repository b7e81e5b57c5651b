"""Damaged workbooks and unwritable characters in ``store.tabular``: a workbook whose XML
parts are broken (sheet, shared strings, workbook) is a located :class:`TableError`, never a
stray ParseError; stored text with control characters, U+FFFE/U+FFFF or lone surrogates
still gives a CSV and a workbook that open, with U+FFFD in their place."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.sax.saxutils import escape

import pytest
from openpyxl import load_workbook

from jingjinji.store.tabular import TableError, read_table, write_csv, write_xlsx

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def excel_workbook(rows: list[list[str | float]], *, sheet: str = "数据") -> bytes:
    """A workbook laid out as Excel saves it: text in ``xl/sharedStrings.xml`` (openpyxl
    writes inline strings, so its files never exercise the shared-strings part)."""
    strings: list[str] = []
    cells_xml = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(ord('A') + c)}{r}"
            if isinstance(value, str):
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            else:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        cells_xml.append(f'<row r="{r}">{"".join(cells)}</row>')
    last = f"{chr(ord('A') + max(len(row) for row in rows) - 1)}{len(rows)}"
    shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            f"{shared}</sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_MAIN}"><dimension ref="A1:{last}"/>'
            f"<sheetData>{''.join(cells_xml)}</sheetData></worksheet>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)
    return buffer.getvalue()


def damaged(workbook: bytes, part: str, how: str = "truncate") -> bytes:
    """``workbook`` with one part broken: cut off two thirds in (``truncate``, the XML
    ends inside a tag) or a tag left open (``unclosed``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data = data[: len(data) * 2 // 3] if how == "truncate" else data[:-20] + b"<x>"
            target.writestr(info, data)
    return out.getvalue()


ROWS: list[list[str | float]] = [["名称", "数量"], *([f"企业{i}", i] for i in range(40))]
PARTS = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"]


def test_the_excel_layout_reads_back() -> None:
    (sheet,) = read_table(excel_workbook(ROWS), "名录.xlsx")
    assert sheet.name == "数据" and sheet.header == ["名称", "数量"]
    assert sheet.rows[0] == (2, {"名称": "企业0", "数量": 0})
    assert len(sheet.rows) == 40


@pytest.mark.parametrize("how", ["truncate", "unclosed"])
@pytest.mark.parametrize("part", PARTS)
def test_broken_xml_in_a_part_is_a_table_error_naming_the_file(part: str, how: str) -> None:
    with pytest.raises(TableError) as caught:
        read_table(damaged(excel_workbook(ROWS), part, how), "企业名录.xlsx")
    error = caught.value
    assert error.file == "企业名录.xlsx"
    assert error.message_zh.startswith("文件 企业名录.xlsx")
    assert "已损坏" in error.message_zh
    assert "malformed workbook" in str(error)


def test_a_broken_sheet_names_the_sheet() -> None:
    with pytest.raises(TableError) as caught:
        read_table(damaged(excel_workbook(ROWS), "xl/worksheets/sheet1.xml"), "p.xlsx")
    assert caught.value.sheet == "数据"
    assert "工作表“数据”" in caught.value.message_zh
    assert "ParseError" in str(caught.value)


def test_a_cell_value_that_does_not_fit_its_type_is_a_table_error() -> None:
    book = excel_workbook(ROWS)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="B3"><v>1</v>', b'<c r="B3" t="d"><v>not-a-date</v>')
            target.writestr(info, data)
    with pytest.raises(TableError, match="Invalid datetime"):
        read_table(out.getvalue(), "p.xlsx")


def test_a_corrupt_deflate_stream_is_a_table_error() -> None:
    book = bytearray(excel_workbook(ROWS))
    with zipfile.ZipFile(io.BytesIO(bytes(book))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 5, start + 25):
        book[offset] ^= 0x5A
    with pytest.raises(TableError) as caught:
        read_table(bytes(book), "p.xlsx")
    assert "已损坏" in caught.value.message_zh


UNWRITABLE = "a\x01b\x0bc\x1fd\ufffee\uffff"
REPLACED = "a\ufffdb\ufffdc\ufffdd\ufffde\ufffd"


def test_workbook_holds_text_with_unwritable_characters() -> None:
    content = write_xlsx({"表": (["说明", "备注"], [[UNWRITABLE, "正常\t文本\n第二行"]])})
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]] == [REPLACED, "正常\t文本\n第二行"]
    (read,) = read_table(content, "t.xlsx")
    assert read.rows == [(2, {"说明": REPLACED, "备注": "正常\t文本\n第二行"})]


def test_csv_says_what_the_workbook_says() -> None:
    content = write_csv(["说明", "数量"], [[UNWRITABLE, 3], ["=1+1", None]])
    text = content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [
        ["说明", "数量"],
        [REPLACED, "3"],
        ["'=1+1", ""],
    ]


def test_a_lone_surrogate_does_not_break_either_format() -> None:
    value = "电堆\ud800测试"
    workbook = load_workbook(io.BytesIO(write_xlsx({"表": (["说明"], [[value]])}))).active
    assert workbook is not None and workbook["A2"].value == "电堆\ufffd测试"
    assert "电堆\ufffd测试" in write_csv(["说明"], [[value]]).decode("utf-8")
