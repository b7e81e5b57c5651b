"""Reading statistics panels from CSV and XLSX files (:func:`read_panel`): headers in Chinese
or English, long or wide layout, places by adcode or Chinese name, every problem located by
file, sheet, row and column in English and Chinese. A wide UTF-8 CSV without quotes is read
by pandas' C parser (row numbers kept exact); anything unusual takes the cell-by-cell path,
with the same messages.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from jingjinji.indicators.panel import (
    _HEADERS,
    _IGNORED_WIDE,
    _MAX_PROBLEMS,
    _MISSING_MARKS,
    Panel,
    PanelError,
    PanelProblem,
)
from jingjinji.indicators.places import default_resolver, place_name
from jingjinji.indicators.system import IndicatorSystem

__all__ = ["read_panel"]


# --------------------------------------------------------------------------- reading

Source = str | Path | bytes | IO[bytes]


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8-sig") if not raw.startswith(b"\xff\xfe") else raw.decode("utf-16")


def _rows_csv(raw: bytes) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV file, numbered from 1 (also used by ``system_table``)."""
    yield from _records(_decode(raw))


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    # newline="": a lone carriage return ends a record (old Mac exports), as the csv docs ask
    yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)


def _rows_xlsx(raw: bytes, sheet: str | None, file: str) -> tuple[str, list[tuple[int, list[Any]]]]:
    from openpyxl import load_workbook

    # data_only=True: formulas are read as the values Excel cached, never evaluated.
    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise PanelError(
                [
                    PanelProblem(
                        file,
                        sheet,
                        None,
                        None,
                        f"no such sheet; the workbook has {', '.join(book.sheetnames)}",
                        f"工作簿中没有该工作表，现有：{'、'.join(book.sheetnames)}",
                    )
                ]
            )
        rows = [
            (r[0].row, [c.value for c in r]) for r in ws.iter_rows() if r and hasattr(r[0], "row")
        ]
        return ws.title, rows
    finally:
        book.close()


def _header_role(text: str) -> str | None:
    key = re.sub(r"\s+", "", str(text)).lower()
    for role, names in _HEADERS.items():
        if key in names:
            return role
    return None


def _number(raw: Any) -> float | str | None:
    """A float, ``None`` for a missing mark, or the offending text."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int | float):
        return None if isinstance(raw, float) and np.isnan(raw) else float(raw)
    text = str(raw).strip().replace(",", "").replace("，", "")
    if text.lower() in _MISSING_MARKS:
        return None
    try:
        value = float(text)
    except ValueError:
        return str(raw)
    return None if np.isnan(value) else value


def _year(raw: Any) -> int | None:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return int(raw) if float(raw).is_integer() and 1900 <= raw <= 2200 else None
    match = re.fullmatch(r"\s*(\d{4})(?:\.0+)?\s*年?\s*", str(raw or ""))
    return int(match.group(1)) if match else None


def read_panel(
    source: Source,
    *,
    system: IndicatorSystem | None = None,
    resolver: Callable[[str], str | None] | None = None,
    fill: str | None = None,
    sheet: str | None = None,
    filename: str | None = None,
    is_sample: bool = False,
) -> Panel:
    """Read and validate a CSV or XLSX panel.

    ``source`` is a path, bytes or a binary file; ``filename`` names it in messages (and
    tells the format when ``source`` is not a path). With a ``system``, indicators may be
    given by id, Chinese name or alias and every indicator must belong to the system.
    ``resolver`` maps place text to a code (default: the atlas, then built-in names).
    Errors (``PanelError``): unknown indicator, unknown place, bad year, non-numeric value,
    duplicate (place, year, indicator), missing values (unless ``fill`` is ``"linear"`` or
    ``"ffill"``, see ``Panel.complete``). Empty cells and dashes (-, —, …) are missing values;
    thousands separators are accepted.

    Speed: a wide UTF-8 CSV without quotes is read by pandas' C parser (values exactly as
    ``float()`` reads them); other wide files by ``csv.reader`` or openpyxl with the values
    parsed a column at a time (only cells ``float()`` refuses, one by one); long files, and
    wide ones with a (place, year) or an indicator twice, row by row. The panel and every
    problem (file, sheet, row, column; English and Chinese) are the same whichever reads.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        raw = path.read_bytes()
        file = filename or path.name
    elif isinstance(source, bytes):
        raw, file = source, filename or "panel"
    else:
        raw = source.read()
        file = str(filename or getattr(source, "name", None) or "panel")
    file = Path(file).name
    is_xlsx = file.lower().endswith((".xlsx", ".xlsm")) or raw[:2] == b"PK"
    resolve = resolver or default_resolver()
    options = _Options(file=file, system=system, resolve=resolve, fill=fill, is_sample=is_sample)
    if is_xlsx:
        sheet_name, rows = _rows_xlsx(raw, sheet, file)
        return _parse(rows, options, sheet=sheet_name)
    text = _decode(raw)  # raises on bytes that are not text, whichever reader reads it
    fast = _parse_unquoted_csv(raw, options)
    return fast or _parse(list(_records(text)), options, text_cells=True)


@dataclass(frozen=True)
class _Options:
    """What ``read_panel`` was asked for."""

    file: str
    system: IndicatorSystem | None
    resolve: Callable[[str], str | None]
    fill: str | None
    is_sample: bool


@dataclass
class _Layout:
    """Where things are in a panel file: its header row and the column of each role."""

    file: str
    sheet: str | None
    header_row: int
    headers: list[str]
    roles: dict[str, int]
    long_format: bool
    indicator_columns: dict[int, str]
    problems: list[PanelProblem]

    def problem(self, row: int | None, column: str | None, en: str, zh: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(PanelProblem(self.file, self.sheet, row, column, en, zh))


@dataclass(frozen=True)
class _Read:
    """The cells read from a file: long data, display names and the row of each cell."""

    data: pd.DataFrame
    names: dict[str, str]
    row_of: Callable[[tuple[str, int, str]], int | None]


def _parse(
    rows: list[tuple[int, list[Any]]],
    options: _Options,
    *,
    sheet: str | None = None,
    text_cells: bool = False,
) -> Panel:
    """Validate ``rows`` (row number, cells) of a file into a completed panel.

    ``text_cells`` says every cell is a ``str`` (a CSV). Wide files take the vectorised
    reader (``_read_wide``), other files or any it cannot judge the cell-by-cell one.
    """
    body = [(n, r) for n, r in rows if any(c not in (None, "") for c in r)]
    if not body:
        raise PanelError(
            [PanelProblem(options.file, sheet, None, None, "the panel is empty", "面板为空")]
        )
    layout = _layout(body[0], file=options.file, sheet=sheet, system=options.system)
    read = None
    if not layout.long_format:
        read = _read_wide(_RowsBody(body[1:], text_cells=text_cells), layout, options.resolve)
    if read is None:
        read = _read_rows(body[1:], layout, options.system, options.resolve)
    return _finish(read, layout, options)


def _parse_unquoted_csv(raw: bytes, options: _Options) -> Panel | None:
    """The fast reader of a wide UTF-8 CSV without quotes, or ``None`` to read it the usual
    way: pandas' C parser reads the indicator columns as floats (exactly as ``float()``;
    ``tests/indicators/test_panel_fast.py`` checks it). Without quotes a record is a line,
    so row numbers are line numbers, as ``csv.reader`` counts them."""
    if raw.startswith(b"\xff\xfe"):
        return None  # UTF-16
    data = raw.removeprefix(b"\xef\xbb\xbf")
    low = data.lower()
    if (
        b'"' in data
        or b"\x00" in data
        or data.count(b"\r") != data.count(b"\r\n")  # csv.reader refuses a lone CR
        or b"true" in low  # pandas reads True and False as 1.0 and 0.0
        or b"false" in low
    ):
        return None
    header = _first_line(data)
    if header is None:
        return None
    number, line = header
    cells = line.decode("utf-8").split(",")
    layout = _layout((number, cells), file=options.file, sheet=None, system=options.system)
    if layout.long_format or layout.problems:
        return None
    body = _FrameBody.read(data, number, layout)
    read = None if body is None else _read_wide(body, layout, options.resolve)
    return None if read is None else _finish(read, layout, options)


def _first_line(data: bytes) -> tuple[int, bytes] | None:
    """The number and text of the first line with a cell that is not empty."""
    start, number = 0, 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end].removesuffix(b"\r")
        if line.strip(b","):
            return number, line
        start, number = end + 1, number + 1
    return None


def _finish(read: _Read, layout: _Layout, options: _Options) -> Panel:
    """Raise the problems found, else the panel completed on its grid (``Panel.complete``)
    with every missing cell pointed at the row that left it blank."""
    if layout.problems:
        raise PanelError(layout.problems)
    panel = Panel(
        data=read.data,
        names=read.names,
        source=options.file,
        provenance=f"upload:{options.file}",
        is_sample=options.is_sample,
    )
    system = options.system
    wanted = system.indicator_ids if system is not None else None
    try:
        return panel.complete(wanted, fill=options.fill)
    except PanelError as exc:
        located = [_locate(p, read.row_of, layout) for p in exc.problems]
        raise PanelError(located) from None


def _layout(
    header_line: tuple[int, list[Any]],
    *,
    file: str,
    sheet: str | None,
    system: IndicatorSystem | None,
) -> _Layout:
    """Read the header row: the role of each column, and the indicator of each wide column.
    Raises ``PanelError`` without a place or year column; other problems are collected."""
    header_row, header = header_line
    headers = ["" if h is None else str(h).strip() for h in header]
    roles: dict[str, int] = {}
    for idx, h in enumerate(headers):
        role = _header_role(h)
        if role and role not in roles:
            roles[role] = idx
    for role in ("place", "year"):
        if role not in roles:
            raise PanelError(
                [
                    PanelProblem(
                        file,
                        sheet,
                        header_row,
                        None,
                        f"no {role} column (expected one of: {', '.join(sorted(_HEADERS[role]))})",
                        f"缺少{'地区' if role == 'place' else '年份'}列",
                    )
                ]
            )
    layout = _Layout(
        file=file,
        sheet=sheet,
        header_row=header_row,
        headers=headers,
        roles=roles,
        long_format="indicator" in roles and "value" in roles,
        indicator_columns={},
        problems=[],
    )
    if layout.long_format:
        return layout
    lookup = system.lookup() if system is not None else None
    for idx, h in enumerate(headers):
        if idx in roles.values() or not h or h.lower() in _IGNORED_WIDE:
            continue
        if lookup is None:
            layout.indicator_columns[idx] = h
        elif (ind := lookup.get(h)) is not None:
            layout.indicator_columns[idx] = ind
        else:
            layout.problem(
                header_row,
                h,
                f"unknown indicator {h!r} (not in system {system.id!r})"
                if system
                else f"unknown indicator {h!r}",
                f"未知指标“{h}”，不在所选指标体系中",
            )
    if not layout.indicator_columns and not layout.problems:
        layout.problem(header_row, None, "no indicator columns", "没有指标列")
    return layout


def _cell(r: list[Any], idx: int) -> Any:
    return r[idx] if idx < len(r) else None


class _Places:
    """Place text to code through ``resolve``, each distinct text resolved once; the
    display name of each code from the first text that gave it."""

    def __init__(self, resolve: Callable[[str], str | None]) -> None:
        self.resolve = resolve
        self.cache: dict[str, str | None] = {}
        self.names: dict[str, str] = {}
        self.texts: dict[str, str] = {}

    def text(self, raw: Any) -> str:
        if isinstance(raw, str) and raw in self.texts:
            return self.texts[raw]
        text = "" if raw is None else str(raw).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if isinstance(raw, str):
            self.texts[raw] = text
        return text

    def code(self, text: str) -> str | None:
        if text not in self.cache:
            self.cache[text] = self.resolve(text) if text else None
        code = self.cache[text]
        if code is not None and code not in self.names:
            self.names[code] = place_name(code) if place_name(code) != code else text
        return code


def _unknown_place(text: str) -> tuple[str, str]:
    return f"unknown place {text!r}", f"无法识别的地区“{text}”"


def _bad_year(raw_year: Any) -> tuple[str, str]:
    return f"year {raw_year!r} is not a year", f"年份“{raw_year}”无效"


def _not_number(value: str) -> tuple[str, str]:
    return f"value {value!r} is not a number", f"数值“{value}”不是数字"


def _read_rows(
    body: list[tuple[int, list[Any]]],
    layout: _Layout,
    system: IndicatorSystem | None,
    resolve: Callable[[str], str | None],
) -> _Read:
    """The cell-by-cell reader: any layout, any cell types."""
    records: list[tuple[str, int, str, float]] = []
    seen: dict[tuple[str, int, str], int] = {}
    places = _Places(resolve)
    headers, roles = layout.headers, layout.roles
    lookup = system.lookup() if system is not None else None
    for number, r in body:
        text = places.text(_cell(r, roles["place"]))
        code = places.code(text)
        if code is None:
            layout.problem(number, headers[roles["place"]], *_unknown_place(text))
            continue
        year = _year(_cell(r, roles["year"]))
        if year is None:
            layout.problem(number, headers[roles["year"]], *_bad_year(_cell(r, roles["year"])))
            continue
        if layout.long_format:
            raw_ind = _cell(r, roles["indicator"])
            ind_text = "" if raw_ind is None else str(raw_ind).strip()
            ind = lookup.get(ind_text) if lookup is not None else (ind_text or None)
            if ind is None:
                layout.problem(
                    number,
                    headers[roles["indicator"]],
                    f"unknown indicator {ind_text!r}",
                    f"未知指标“{ind_text}”",
                )
                continue
            pairs = [(roles["value"], ind)]
        else:
            pairs = list(layout.indicator_columns.items())
        for idx, ind in pairs:
            column = headers[idx]
            value = _number(_cell(r, idx))
            if isinstance(value, str):
                layout.problem(number, column, *_not_number(value))
                continue
            key = (code, year, ind)
            if key in seen:
                layout.problem(
                    number,
                    column,
                    f"duplicate value for ({code}, {year}, {ind}); first given in row {seen[key]}",
                    f"（{code}，{year}，{ind}）重复，首次出现在第 {seen[key]} 行",
                )
                continue
            seen[key] = number
            records.append((code, year, ind, np.nan if value is None else value))
    data = pd.DataFrame(records, columns=["place", "year", "indicator", "value"])
    data["year"] = data["year"].astype(int)
    data["value"] = data["value"].astype(float)
    return _Read(data=data, names=places.names, row_of=seen.get)


class _RowsBody:
    """The body of a file as rows of cells (from ``csv.reader`` or openpyxl)."""

    def __init__(self, body: list[tuple[int, list[Any]]], *, text_cells: bool) -> None:
        self.body = body
        self.numbers = [n for n, _ in body]
        self.text_cells = text_cells
        self._grid: np.ndarray | None = None

    def cells(self, idx: int) -> list[Any]:
        return [_cell(r, idx) for _, r in self.body]

    def values(
        self, idx: int, rows: np.ndarray, width: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """The numbers in column ``idx`` of ``rows`` (positions in the body), a mask of the
        cells that are not numbers, and the cells."""
        if self._grid is None:
            self._grid = _grid([self.body[i][1] for i in rows], width)
        cells = self._grid[:, idx]
        values, bad = _numbers(cells, text_cells=self.text_cells)
        return values, bad, cells


class _FrameBody:
    """The body of an unquoted CSV as read by pandas, indicator columns as floats."""

    def __init__(
        self, frame: pd.DataFrame, numbers: list[int], keep: np.ndarray, floats: list[int]
    ) -> None:
        self.frame = frame
        self.numbers = numbers
        self.keep = keep
        self.floats = floats  # the indicator columns, read as floats
        self._block: np.ndarray | None = None

    @classmethod
    def read(cls, data: bytes, header_row: int, layout: _Layout) -> _FrameBody | None:
        """The lines after the header, or ``None`` (then ``csv.reader`` decides) if pandas
        refuses them (a cell that is not a float, a line longer than the header) or reads
        another number of records than there are lines, or a line lacks the year cell
        (``csv.reader`` tells a missing cell from an empty one, pandas does not)."""
        width = len(layout.headers)
        floats = {_frame_column(i) for i in layout.indicator_columns}
        names = [_frame_column(i) for i in range(width)]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = pd.read_csv(
                    io.BytesIO(data),
                    skiprows=header_row,
                    header=None,
                    names=names,
                    index_col=False,
                    dtype={c: "float64" if c in floats else "object" for c in names},
                    keep_default_na=False,
                    na_values={c: [""] for c in floats},
                    skip_blank_lines=False,
                    quoting=csv.QUOTE_NONE,
                    encoding="utf-8",
                    engine="c",
                    low_memory=False,
                )
        except (ValueError, TypeError, pd.errors.ParserError, pd.errors.ParserWarning):
            return None
        lines = data.count(b"\n") + (not data.endswith(b"\n"))
        if len(frame) != lines - header_row:
            return None
        blank = np.ones(len(frame), dtype=bool)
        for name in names:
            column = frame[name]
            empty = column.isna() if name in floats else column.isna() | (column == "")
            blank &= empty.to_numpy(dtype=bool)
        if blank.any():  # an empty-looking row is blank if its line has nothing but commas
            rows = data.split(b"\n")[header_row:]
            for i in np.flatnonzero(blank):
                blank[i] = not rows[i].removesuffix(b"\r").strip(b",")
        keep = ~blank
        year = frame[_frame_column(layout.roles["year"])][keep]
        if (year.isna() | (year == "")).any():
            return None
        numbers = (np.flatnonzero(keep) + header_row + 1).tolist()
        return cls(frame, numbers, keep, sorted(layout.indicator_columns))

    def cells(self, idx: int) -> list[Any]:
        column = self.frame[_frame_column(idx)].to_numpy(dtype=object)[self.keep]
        return [None if isinstance(c, float) else c for c in column]  # NaN: no such cell

    def values(
        self, idx: int, rows: np.ndarray, width: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        if self._block is None:  # the float columns of the kept rows, taken at once
            block = self.frame.iloc[:, self.floats].to_numpy(dtype=float)
            self._block = block[self.keep][rows]
        values = self._block[:, self.floats.index(idx)]
        return values, np.zeros(len(values), dtype=bool), None


def _frame_column(idx: int) -> str:
    return f"c{idx}"


def _read_wide(
    body: _RowsBody | _FrameBody, layout: _Layout, resolve: Callable[[str], str | None]
) -> _Read | None:
    """The vectorised reader of a wide table: places and years row by row, the values of
    each indicator column at once. Same data, names and problems (in the same order) as
    ``_read_rows``; ``None`` (read it cell by cell) when a (place, year) or an indicator
    occurs twice, since which of two duplicates is reported depends on the cell order."""
    columns = list(layout.indicator_columns)
    indicators = list(layout.indicator_columns.values())
    if len(set(indicators)) < len(indicators):
        return None
    headers, roles = layout.headers, layout.roles
    places = _Places(resolve)
    year_cache: dict[str, int | None] = {}
    found: list[tuple[int, int, str, str, str]] = []  # (body position, column order, ...)
    kept: list[int] = []
    codes: list[str] = []
    years: list[int] = []
    pair_row: dict[tuple[str, int], int] = {}
    place_cells, year_cells = body.cells(roles["place"]), body.cells(roles["year"])
    for pos, number in enumerate(body.numbers):
        text = places.text(place_cells[pos])
        code = places.code(text)
        if code is None:
            found.append((pos, -1, headers[roles["place"]], *_unknown_place(text)))
            continue
        raw_year = year_cells[pos]
        if isinstance(raw_year, str):
            if raw_year not in year_cache:
                year_cache[raw_year] = _year(raw_year)
            year = year_cache[raw_year]
        else:
            year = _year(raw_year)
        if year is None:
            found.append((pos, -1, headers[roles["year"]], *_bad_year(raw_year)))
            continue
        if pair_row.setdefault((code, year), number) != number:
            return None
        kept.append(pos)
        codes.append(code)
        years.append(year)
    rows = np.array(kept, dtype=np.intp)
    values = np.empty((len(kept), len(columns)))
    for order, idx in enumerate(columns):
        values[:, order], bad, cells = body.values(idx, rows, max(columns) + 1)
        for i in np.flatnonzero(bad)[:_MAX_PROBLEMS]:
            raw = "" if cells is None else str(cells[i])
            found.append((kept[i], order, headers[idx], *_not_number(raw)))
    for pos, _order, column, en, zh in sorted(found, key=lambda f: (f[0], f[1])):
        layout.problem(body.numbers[pos], column, en, zh)
    width = len(indicators)
    place_of: dict[str, int] = {}
    place_codes = np.array([place_of.setdefault(c, len(place_of)) for c in codes], dtype=np.intp)
    data = pd.DataFrame(
        {  # strings taken from small indexes: no check of 3.6 M strings
            "place": pd.Index(list(place_of)).take(np.repeat(place_codes, width)).array,
            "year": np.repeat(np.array(years, dtype=np.int64), width),
            "indicator": pd.Index(indicators).take(np.tile(np.arange(width), len(kept))).array,
            "value": values.ravel(),
        }
    )
    recorded = set(indicators)

    def row_of(key: tuple[str, int, str]) -> int | None:
        return pair_row.get((key[0], key[1])) if key[2] in recorded else None

    return _Read(data=data, names=places.names, row_of=row_of)


def _grid(rows: list[list[Any]], width: int) -> np.ndarray:
    """The first ``width`` cells of each row as a 2-D object array, padded with ``None``."""
    grid = np.empty((len(rows), width), dtype=object)
    if rows:
        grid[:] = [r if len(r) == width else r[:width] + [None] * (width - len(r)) for r in rows]
    return grid


def _numbers(cells: np.ndarray, *, text_cells: bool) -> tuple[np.ndarray, np.ndarray]:
    """A column of cells read as ``_number`` reads each: the values (NaN where missing) and
    a mask of the cells that are not numbers.

    Every cell that ``float()`` reads is read by it (exactly as ``_number``; numpy calls it
    per cell); only the others (missing marks, thousands separators, text) go through
    ``_number`` one by one. Cells of other types than ``str``, ``int``, ``float`` and
    ``None`` (booleans, dates) are all read one by one.
    """
    n = len(cells)
    if not text_cells:
        kinds = set(map(type, cells))
        if not (kinds <= {float, int, type(None)} or kinds <= {str, type(None)}):
            return _numbers_one_by_one(cells)
    try:
        return cells.astype(np.float64), np.zeros(n, dtype=bool)
    except (TypeError, ValueError):
        pass
    parsed = pd.to_numeric(pd.Series(cells, dtype=object), errors="coerce")
    odd = np.isnan(parsed.to_numpy(dtype=float))
    values = np.full(n, np.nan)
    try:
        values[~odd] = cells[~odd].astype(np.float64)
    except (TypeError, ValueError):
        return _numbers_one_by_one(cells)
    rest, bad = _numbers_one_by_one(cells[odd])
    values[odd] = rest
    mask = np.zeros(n, dtype=bool)
    mask[odd] = bad
    return values, mask


def _numbers_one_by_one(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    read = [_number(c) for c in cells]
    bad = np.array([isinstance(v, str) for v in read], dtype=bool)
    values = np.array([np.nan if v is None or isinstance(v, str) else v for v in read], dtype=float)
    return values, bad


def _locate(
    p: PanelProblem,
    row_of: Callable[[tuple[str, int, str]], int | None],
    layout: _Layout,
) -> PanelProblem:
    """A missing-cell problem of ``Panel.complete`` pointed at the row that left the cell
    blank (and, in a long file, at the value column), when there is one."""
    match = re.search(r"\((\w+)\) in (\d{4})", p.message)
    if not match or p.column is None:
        return replace(p, sheet=layout.sheet)
    row = row_of((match.group(1), int(match.group(2)), p.column))
    if row is None:
        return replace(p, sheet=layout.sheet)
    column = layout.headers[layout.roles["value"]] if layout.long_format else p.column
    return replace(p, sheet=layout.sheet, row=row, column=column)
