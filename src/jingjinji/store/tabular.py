"""Reading and writing the tables users bring and take: CSV and XLSX.

Uploads are checked by content, not by name: an ``.xlsx`` must be a ZIP holding an Excel
workbook (its uncompressed size bounded, against ZIP bombs), a ``.csv`` must be text in UTF-8
(with or without BOM) or GB18030, without NUL bytes. Cells are read as values: openpyxl returns
the value Excel cached for a formula and never evaluates anything. Every problem raises
:class:`TableError` naming the file, sheet, row and column, in English (logs) and Chinese (UI).
Exports neutralise cells that a spreadsheet would run as formulas (CSV injection).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

__all__ = [
    "GUIDE_SHEET",
    "Sheet",
    "TableError",
    "TemplateColumn",
    "read_table",
    "safe_cell",
    "sniff_format",
    "template_workbook",
    "unescape_cell",
    "write_csv",
    "write_xlsx",
]

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes a workbook may expand to
#: The sheet of an import template that explains the columns; reading a workbook skips it.
GUIDE_SHEET = "填写说明"
#: What starts a formula in a spreadsheet; a tab or carriage return before it hides one too.
_FORMULA_STARTS = ("=", "+", "-", "@")
_FORMULA_PREFIXES = (*_FORMULA_STARTS, "\t", "\r")
#: Characters a written table cannot hold: the control characters XML 1.0 forbids (openpyxl's
#: pattern), the non-characters U+FFFE and U+FFFF and lone surrogates (neither XML nor UTF-8).
_UNWRITABLE = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\\ud800-\\udfff\\ufffe\\uffff]")
#: What openpyxl and zipfile raise on a workbook whose parts are damaged while it is read
#: (the sheets are parsed lazily, row by row): broken XML, a bad CRC or deflate stream, a
#: missing part, a value that does not fit its cell type.
_BROKEN_WORKBOOK: tuple[type[Exception], ...] = (
    SyntaxError,  # xml.etree.ElementTree.ParseError
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
)


class TableError(ValueError):
    """A problem in an uploaded table, located by file, sheet, row (1-based) and column."""

    def __init__(
        self,
        message: str,
        message_zh: str,
        *,
        file: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.sheet, self.row, self.column = file, sheet, row, column
        self.reason, self.reason_zh = message, message_zh
        super().__init__(self.location() + message)

    def location(self) -> str:
        parts = [self.file]
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts) + ": "

    @property
    def message_zh(self) -> str:
        """The error in Chinese with its location, for the interface."""
        parts = [f"文件 {self.file}"]
        if self.sheet is not None:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            parts.append(f"列“{self.column}”")
        return "，".join(parts) + "：" + self.reason_zh

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for error reports."""
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.reason,
            "message_zh": self.message_zh,
        }


@dataclass
class Sheet:
    """One sheet: ``header`` names the columns, ``rows`` pairs each file row number with its
    cells keyed by header (row 1 is the header, so data starts at row 2)."""

    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def sniff_format(data: bytes, filename: str) -> str:
    """``"xlsx"`` or ``"csv"``, decided by content; a name that lies is an error."""
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    is_zip = data[:4] == b"PK\x03\x04"
    if suffix in ("xlsx", "xlsm") or is_zip:
        if not is_zip:
            raise TableError(
                "file is not an Excel workbook (.xlsx)",
                "文件扩展名为 .xlsx，但内容不是 Excel 工作簿",
                file=filename,
            )
        return "xlsx"
    if suffix not in ("csv", "txt", ""):
        raise TableError(
            f"unsupported file type .{suffix}; use .xlsx or .csv",
            f"不支持 .{suffix} 文件，请上传 .xlsx 或 .csv",
            file=filename,
        )
    if b"\x00" in data[:65536]:
        raise TableError(
            "file is binary, not CSV text", "文件是二进制内容，不是 CSV 文本", file=filename
        )
    return "csv"


def _decode(data: bytes, filename: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(
        "CSV is neither UTF-8 nor GB18030 text",
        "CSV 文件编码无法识别（应为 UTF-8 或 GBK）",
        file=filename,
    )


def _clean_header(raw: Sequence[Any], *, filename: str, sheet: str | None) -> list[str]:
    header = [str(cell).strip() if cell is not None else "" for cell in raw]
    while header and header[-1] == "":
        header.pop()
    seen: set[str] = set()
    for index, name in enumerate(header):
        column = name or f"#{index + 1}"
        if not name:
            raise TableError(
                "empty column name in the header",
                "表头有空列名",
                file=filename,
                sheet=sheet,
                row=1,
                column=column,
            )
        if name in seen:
            raise TableError(
                f"duplicate column {name!r}",
                f"表头列名“{name}”重复",
                file=filename,
                sheet=sheet,
                row=1,
                column=name,
            )
        seen.add(name)
    return header


def _rows(
    records: Iterable[Sequence[Any]],
    header: list[str],
    *,
    filename: str,
    sheet: str | None,
    max_rows: int,
) -> list[tuple[int, dict[str, Any]]]:
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, record in enumerate(records, start=2):
        values = list(record)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if len(rows) >= max_rows:
            raise TableError(
                f"more than {max_rows} rows",
                f"超过 {max_rows} 行上限",
                file=filename,
                sheet=sheet,
                row=number,
            )
        extra = [v for v in values[len(header) :] if v not in (None, "")]
        if extra:
            raise TableError(
                "value beyond the last named column",
                "数据超出表头范围",
                file=filename,
                sheet=sheet,
                row=number,
            )
        cells = {name: (values[i] if i < len(values) else None) for i, name in enumerate(header)}
        rows.append((number, {k: unescape_cell(v) for k, v in cells.items()}))
    return rows


def unescape_cell(value: Any) -> Any:
    """A read cell as entered: stripped, and the ``'`` that :func:`safe_cell` put before text
    starting like a formula taken off again (so an export imports back unchanged)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_STARTS:
        return text[1:]
    return text


def _read_csv(data: bytes, filename: str, max_rows: int) -> list[Sheet]:
    text = _decode(data, filename)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        records = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise TableError(f"malformed CSV: {exc}", f"CSV 格式错误：{exc}", file=filename) from exc
    if not records:
        raise TableError("file is empty", "文件为空", file=filename)
    header = _clean_header(records[0], filename=filename, sheet=None)
    rows = _rows(
        ([cell if cell != "" else None for cell in r] for r in records[1:]),
        header,
        filename=filename,
        sheet=None,
        max_rows=max_rows,
    )
    return [Sheet(name="", header=header, rows=rows)]


def _cached_values(
    formulas: Iterable[Sequence[Any]],
    values: Iterable[Sequence[Any]],
    *,
    filename: str,
    sheet: str,
) -> Iterator[Sequence[Any]]:
    """Rows of cell values; a formula gives the value Excel saved for it, never a computed one.

    A formula without a saved value (a workbook written by a program, not saved by Excel) is an
    error naming the cell, rather than a silently empty cell.
    """
    for number, (formula_row, value_row) in enumerate(zip(formulas, values, strict=False), 1):
        for index, (formula, value) in enumerate(zip(formula_row, value_row, strict=False)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                column = get_column_letter(index + 1)
                raise TableError(
                    f"cell {column}{number} holds a formula without a saved value",
                    f"单元格 {column}{number} 是没有保存结果的公式，请在 Excel 中保存或粘贴为数值",
                    file=filename,
                    sheet=sheet,
                    row=number,
                    column=column,
                )
        yield value_row


def _read_xlsx(
    data: bytes, filename: str, max_rows: int, sheets: Sequence[str] | None
) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise TableError(
                    "ZIP file is not an Excel workbook", "压缩包内不是 Excel 工作簿", file=filename
                )
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise TableError(
                    "workbook expands beyond 200 MB", "工作簿解压后过大", file=filename
                )
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises many types for broken files
        raise TableError(
            f"malformed workbook: {exc}", "Excel 文件已损坏或格式不正确", file=filename
        ) from exc
    result: list[Sheet] = []
    name: str | None = None
    try:
        wanted = (
            list(sheets)
            if sheets is not None
            else [n for n in workbook.sheetnames if n != GUIDE_SHEET]
        )
        for name in wanted:
            if name not in workbook.sheetnames:
                raise TableError(
                    f"no sheet named {name!r}", f"缺少工作表“{name}”", file=filename, sheet=name
                )
            records = _cached_values(
                formulas[name].iter_rows(values_only=True),
                workbook[name].iter_rows(values_only=True),
                filename=filename,
                sheet=name,
            )
            first = next(records, None)
            if first is None:
                continue
            header = _clean_header(first, filename=filename, sheet=name)
            if not header:
                continue
            rows = _rows(records, header, filename=filename, sheet=name, max_rows=max_rows)
            result.append(Sheet(name=name, header=header, rows=rows))
    except TableError:
        raise
    except _BROKEN_WORKBOOK as exc:
        raise TableError(
            f"malformed workbook: {type(exc).__name__}: {exc}",
            "Excel 文件已损坏，无法读取（请在 Excel 中打开并另存为 .xlsx 后重试）",
            file=filename,
            sheet=name,
        ) from exc
    finally:
        workbook.close()
        formulas.close()
    if not result:
        raise TableError("workbook has no data", "工作簿中没有数据", file=filename)
    return result


def read_table(
    data: bytes, filename: str, *, max_rows: int = 1_000_000, sheets: Sequence[str] | None = None
) -> list[Sheet]:
    """Read a CSV or XLSX upload into sheets (a CSV is one sheet named ``""``)."""
    kind = sniff_format(data, filename)
    if kind == "xlsx":
        return _read_xlsx(data, filename, max_rows, sheets)
    return _read_csv(data, filename, max_rows)


def safe_cell(value: Any) -> Any:
    """A value safe to put in a spreadsheet: text that would start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _written_cell(value: Any) -> Any:
    """:func:`safe_cell`, with U+FFFD in place of the characters a table cannot hold (stored
    text may carry control characters; an XLSX part or UTF-8 CSV would break on them)."""
    value = safe_cell(value)
    return _UNWRITABLE.sub("\ufffd", value) if isinstance(value, str) else value


def write_xlsx(sheets: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX workbook with one sheet per entry ``name -> (header, rows)``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=name[:31])
        sheet.append([_written_cell(h) for h in header])
        for row in rows:
            sheet.append([_written_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with BOM (Excel opens it as Chinese text), formula-safe cells, with the same
    U+FFFD replacements as :func:`write_xlsx` (both formats of an export say the same)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_written_cell(h) for h in header])
    for row in rows:
        writer.writerow([_written_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class TemplateColumn:
    """A column of an import template: its header (the label of the web form), whether an
    import needs it, and what goes in it (allowed values, units, format) in Chinese."""

    header: str
    note: str
    required: bool = False


def template_workbook(
    columns: Sequence[TemplateColumn], example: Sequence[Any], *, sheet: str, intro: str
) -> bytes:
    """An import template: sheet ``sheet`` with the headers and one example row, and the sheet
    :data:`GUIDE_SHEET` explaining each column (``intro`` first). Importers skip the guide."""
    if len(example) != len(columns):
        raise ValueError("the example row needs one value per column")
    guide = [
        ["说明", "", intro],
        *([c.header, "必填" if c.required else "", c.note] for c in columns),
    ]
    return write_xlsx(
        {
            sheet: ([c.header for c in columns], [list(example)]),
            GUIDE_SHEET: (["列名", "是否必填", "填写说明与可选值"], guide),
        }
    )
