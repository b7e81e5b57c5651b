"""Reading one cell of an uploaded table as text, number, date or list, naming what is wrong.

Spreadsheets hand us ints for adcodes typed as numbers, datetimes for dates and strings for
everything in a CSV; these helpers accept all of those and raise :class:`CellError` with a
Chinese reason otherwise. Used by the project and policy importers, which collect their
rows and problems in a :class:`ParsedRows`.

>>> parse_date("2023年5月8日"), parse_date("2023/5/8"), parse_list("氢能、储能; 光伏")
(datetime.date(2023, 5, 8), datetime.date(2023, 5, 8), ['氢能', '储能', '光伏'])
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

__all__ = [
    "CellError",
    "ParsedRows",
    "RowProblem",
    "parse_date",
    "parse_int",
    "parse_list",
    "parse_number",
    "parse_text",
]

Item = TypeVar("Item")
#: A problem of one row before it is located: ``(field, reason, reason_zh)``.
FieldProblem = tuple[str, str, str]

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LIST_SPLIT = re.compile(r"[、,，;；\n|]+")


class CellError(ValueError):
    """A cell that cannot be read; ``reason_zh`` is shown to the user."""

    def __init__(self, reason: str, reason_zh: str) -> None:
        super().__init__(reason)
        self.reason, self.reason_zh = reason, reason_zh


@dataclass(frozen=True)
class RowProblem:
    """One problem of an import, located by sheet, file row and column."""

    sheet: str
    row: int
    column: str
    reason: str
    reason_zh: str

    def message_zh(self) -> str:
        """The problem in Chinese with its location."""
        where = f"工作表“{self.sheet}”，" if self.sheet else ""
        return f"{where}第 {self.row} 行，列“{self.column}”：{self.reason_zh}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the error report."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.reason,
            "message_zh": self.message_zh(),
        }


class ParsedRows(Generic[Item]):
    """An all-or-nothing parse of a table: the good rows (one per natural key) and every
    problem; :meth:`result` gives either the rows or the problems, never a mix."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, Item]] = []
        self.problems: list[RowProblem] = []
        self._seen: dict[Hashable, int] = {}

    def keep(self, number: int, item: Item, key: Hashable) -> int | None:
        """Keep ``item`` of file row ``number`` unless an earlier row had the same natural
        ``key``: then keep nothing and return that row's number."""
        if key in self._seen:
            return self._seen[key]
        self._seen[key] = number
        self.rows.append((number, item))
        return None

    def report(
        self,
        sheet: str,
        number: int,
        problems: Iterable[FieldProblem],
        *,
        raw: Mapping[str, Any],
        headers: Mapping[str, str],
    ) -> None:
        """Add the problems of file row ``number``, each under the column the file used for its
        field: the English field name when the row has it and not the Chinese header
        (``headers``: field → Chinese header), else the Chinese header."""
        for name, reason, reason_zh in problems:
            zh = headers.get(name)
            column = name if zh is None or (name in raw and zh not in raw) else zh
            self.problems.append(RowProblem(sheet, number, column, reason, reason_zh))

    def result(self) -> tuple[list[tuple[int, Item]], list[RowProblem]]:
        """``(rows, [])`` when nothing was wrong, else ``([], problems)``."""
        if self.problems:
            return [], self.problems
        return self.rows, []


def parse_text(value: Any, *, max_length: int = 500) -> str | None:
    """Text of a cell, stripped; ``None`` when empty. Integral floats lose their ``.0``."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return None
    if len(text) > max_length:
        raise CellError(f"longer than {max_length} characters", f"内容超过 {max_length} 个字符")
    return text


def parse_number(value: Any) -> float | None:
    """A finite number; text may use thousands separators. ``None`` when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"{value!r} is not a number", f"“{value}”不是数字")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = float(text)
        except ValueError:
            raise CellError(f"{value!r} is not a number", f"“{value}”不是数字") from None
    if not math.isfinite(number):
        raise CellError(f"{value!r} is not a finite number", f"“{value}”不是有限数值")
    return number


def parse_int(value: Any) -> int | None:
    """A whole number (``12`` or ``12.0``); ``None`` when empty."""
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_integer() or abs(number) > 2**31 - 1:
        raise CellError(f"{value!r} is not a whole number", f"“{value}”不是整数")
    return int(number)


def parse_date(value: Any) -> date | None:
    """A date from a spreadsheet date, ``2023-05-08``, ``2023/5/8`` or ``2023年5月8日``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value).strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(
        f"{value!r} is not a date (use 2023-05-08)", f"“{value}”不是日期（应如 2023-05-08）"
    )


def parse_list(value: Any, *, max_items: int = 50, max_length: int = 200) -> list[str]:
    """Items separated by 、 , ， ; ； | or new lines; empty cell → ``[]``."""
    text = parse_text(value, max_length=max_items * (max_length + 1))
    if text is None:
        return []
    items = [item.strip() for item in _LIST_SPLIT.split(text) if item.strip()]
    if len(items) > max_items:
        raise CellError(f"more than {max_items} items", f"超过 {max_items} 项")
    for item in items:
        if len(item) > max_length:
            raise CellError(f"item longer than {max_length}", f"某项超过 {max_length} 个字符")
    return items
