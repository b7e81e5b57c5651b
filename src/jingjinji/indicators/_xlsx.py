"""A minimal XLSX writer for large numeric tables (Office Open XML, ECMA-376 Part 1).

openpyxl and XlsxWriter write a cell at a time in Python (about 30,000 cells/s on a busy
2-core machine: minutes for a 3000 × 20 × 60 panel); here a numeric block is formatted by
NumPy (:mod:`jingjinji.indicators._decimal`: 15 significant digits, what Excel keeps) and
the worksheets are deflated side by side (:mod:`jingjinji.indicators._zip`). Cells carry no
``r`` reference (ECMA-376 §18.3.1.4: cells follow one another) and strings are inline
(``t="inlineStr"``), so no shared-string table is needed. Single cells are written exactly
(the shortest text that reads back as the same float64). NaN and None are empty cells.
Excel, LibreOffice, openpyxl and pandas read the result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from jingjinji.indicators._decimal import number_cells
from jingjinji.indicators._zip import deflate, zip_archive

__all__ = ["Sheet", "write_workbook"]

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class Sheet:
    """One worksheet: a header row, then rows of ``lead`` cells (any values: strings,
    numbers, None) followed by the same row of the numeric ``block`` (2-D float array, may
    be empty) and the constant ``tail`` cells. The leading cells may come as ``columns``
    instead, one sequence or array per column (float arrays are formatted by NumPy).
    ``widths`` sets column widths (characters) from the first column."""

    name: str
    header: Sequence[str]
    lead: Sequence[Sequence[Any]] = ()
    block: np.ndarray | None = None
    widths: Sequence[float] = ()
    tail: Sequence[Any] = ()
    columns: Sequence[Sequence[Any] | np.ndarray] = ()
    rows: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        counts = {len(self.lead)} if self.lead else set()
        if self.block is not None:
            counts.add(int(self.block.shape[0]))
        counts |= {len(column) for column in self.columns}
        if len(counts) > 1:
            raise ValueError(f"sheet {self.name!r}: its parts have different row counts")
        if self.columns and self.lead:
            raise ValueError(f"sheet {self.name!r}: give its leading cells as lead or columns")
        self.rows = max(counts, default=0)


def _text_cell(value: str) -> str:
    text = escape(_ILLEGAL.sub("", value))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _cell(value: Any) -> str:
    if value is None:
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | np.integer):
        return f"<c><v>{int(value)}</v></c>"
    if isinstance(value, float | np.floating):
        number = float(value)
        return "<c/>" if not np.isfinite(number) else f"<c><v>{number!r}</v></c>"
    return _text_cell(str(value))


def _sheet_xml(sheet: Sheet) -> Iterator[bytes]:
    yield (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    if sheet.widths:
        columns = "".join(
            f'<col min="{i}" max="{i}" width="{float(width):g}" customWidth="1"/>'
            for i, width in enumerate(sheet.widths, start=1)
        )
        yield f"<cols>{columns}</cols>".encode()
    yield b"<sheetData>"
    yield ("<row>" + "".join(_text_cell(str(h)) for h in sheet.header) + "</row>").encode()
    numeric = number_cells(sheet.block) if sheet.block is not None else None
    tail = ("".join(_cell(v) for v in sheet.tail) + "</row>").encode()
    # place codes and names repeat by year
    cell = functools.lru_cache(maxsize=1 << 16, typed=True)(_cell)
    if sheet.columns:
        cells = [_column_cells(column, cell) for column in sheet.columns]
        leads = [b"".join(parts) for parts in zip(*cells, strict=True)]
    else:
        leads = ["".join(cell(v) for v in row).encode() for row in sheet.lead]
    for i in range(sheet.rows):  # deflate gathers the rows a megabyte at a time
        lead = leads[i] if leads else b""
        yield b"<row>" + lead + (numeric[i] if numeric is not None else b"") + tail
    yield b"</sheetData></worksheet>"


def _column_cells(column: Sequence[Any] | np.ndarray, cell: Callable[[Any], str]) -> list[bytes]:
    """The cells of one column: NumPy's text for a float array, else ``cell`` of each."""
    if isinstance(column, np.ndarray) and column.dtype.kind == "f":
        return number_cells(column.reshape(-1, 1))
    if isinstance(column, np.ndarray) and column.dtype.kind in "iu":
        return [f"<c><v>{v}</v></c>".encode() for v in column.tolist()]
    values = column.tolist() if isinstance(column, np.ndarray) else column
    return [cell(v).encode() for v in values]


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _package_parts(names: Sequence[str]) -> list[tuple[str, str]]:
    """The package's own parts: content types, relationships and the workbook."""
    count = range(1, len(names) + 1)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPES}.worksheet+xml"/>'
        for i in count
    )
    entries = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, start=1)
    )
    links = "".join(
        f'<Relationship Id="rId{i}" Type="{_OFFICE}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in count
    )
    return [
        (
            "[Content_Types].xml",
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
            f"{overrides}</Types>",
        ),
        (
            "_rels/.rels",
            f'{_XML}<Relationships xmlns="{_RELATIONSHIPS}"><Relationship Id="rId1" '
            f'Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        ),
        (
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_OFFICE}"><sheets>{entries}</sheets>'
            "</workbook>",
        ),
        (
            "xl/_rels/workbook.xml.rels",
            f'{_XML}<Relationships xmlns="{_RELATIONSHIPS}">{links}</Relationships>',
        ),
    ]


def write_workbook(sheets: Sequence[Sheet]) -> bytes:
    """The XLSX file of ``sheets`` (names unique, at most 31 characters, no ``[]:*?/\\``);
    the worksheets are formatted and deflated in up to two threads."""
    names = [s.name for s in sheets]
    if len(set(names)) != len(names) or any(
        len(n) > 31 or re.search(r"[\[\]:*?/\\]", n) for n in names
    ):
        raise ValueError(f"sheet names must be unique and valid: {names}")
    own = [deflate(name, [text.encode("utf-8")]) for name, text in _package_parts(names)]
    # the largest first, so that the two threads finish together
    order = sorted(range(len(sheets)), key=lambda i: -sheets[i].rows * _width(sheets[i]))
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="jjj-xlsx") as pool:
        done = {
            i: pool.submit(deflate, f"xl/worksheets/sheet{i + 1}.xml", _sheet_xml(sheets[i]))
            for i in order
        }
        parts = [done[i].result() for i in range(len(sheets))]
    return zip_archive([*own, *parts])


def _width(sheet: Sheet) -> int:
    return len(sheet.header) + (0 if sheet.block is None else int(sheet.block.shape[1]))
