"""Statistics panels: reading CSV/XLSX tables of (place, year, indicator, value).

A panel is long (columns place, year, indicator, value) or wide (place, year and one column
per indicator). Places may be adcodes or Chinese names, matched through a resolver (the
atlas by default). Every problem is reported with file, sheet, row and column, in English
and in Chinese (``message_zh``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from jingjinji.indicators.places import default_resolver, place_name
from jingjinji.indicators.system import IndicatorSystem

__all__ = ["FILL_RULES", "Panel", "PanelError", "PanelProblem", "read_panel"]

FILL_RULES = ("linear", "ffill")
_MAX_PROBLEMS = 50
_MISSING_MARKS = {"", "-", "—", "–", "…", "...", "na", "n/a", "nan", "null", "none"}
_HEADERS = {
    "place": {
        "place",
        "地区",
        "地区名称",
        "城市",
        "省份",
        "省份名称",
        "adcode",
        "行政区划代码",
        "region",
        "city",
        "province",
        "地方",
    },
    "year": {"year", "年份", "年", "年度"},
    "indicator": {"indicator", "指标", "指标名称", "指标代码"},
    "value": {"value", "数值", "值", "指标值"},
}
_IGNORED_WIDE = {
    "name",
    "place_name",
    "名称",
    "地区名称",
    "备注",
    "note",
    "notes",
    "source",
    "来源",
}


@dataclass(frozen=True)
class PanelProblem:
    """One problem in a panel file."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    message_zh: str

    def _where(self, sheet: str, row: str, column: str, sep: str) -> str:
        parts = [self.file]
        for value, form in ((self.sheet, sheet), (self.row, row), (self.column, column)):
            if value is not None:
                parts.append(form.format(value))
        return sep.join(parts)

    def where(self) -> str:
        """The location in English: the file, then sheet, row and column where known."""
        return self._where("sheet {!r}", "row {}", "column {!r}", ", ")

    def where_zh(self) -> str:
        """The location in Chinese, for users: 文件，工作表，第 n 行，列."""
        return self._where("工作表“{}”", "第 {} 行", "“{}”列", "，")

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


class PanelError(ValueError):
    """A panel cannot be used. ``problems`` lists each problem; the attributes ``file``,
    ``sheet``, ``row``, ``column`` and ``message_zh`` describe the first one."""

    def __init__(self, problems: list[PanelProblem]) -> None:
        if not problems:
            raise ValueError("PanelError needs at least one problem")
        self.problems = problems
        first = problems[0]
        self.file, self.sheet, self.row, self.column = (
            first.file,
            first.sheet,
            first.row,
            first.column,
        )
        more = len(problems) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        tail_zh = f"（另有 {more} 处问题）" if more else ""
        self.message_zh = f"{first.where_zh()}：{first.message_zh}{tail_zh}"
        super().__init__(str(first) + tail)


@dataclass(frozen=True)
class Panel:
    """A validated panel in long form.

    ``data`` has the columns ``place`` (code), ``year`` (int), ``indicator`` (id) and
    ``value`` (float, NaN where missing). ``names`` maps codes to display names;
    ``is_sample`` marks generated sample data (示例数据); ``filled`` lists the cells a fill
    rule supplied.
    """

    data: pd.DataFrame
    names: Mapping[str, str] = field(default_factory=dict)
    source: str = ""
    provenance: str = ""
    is_sample: bool = False
    filled: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["place", "year", "indicator", "rule"])
    )

    @property
    def places(self) -> list[str]:
        return sorted(self.data["place"].unique().tolist())

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.data["year"].unique())

    @property
    def indicators(self) -> list[str]:
        return sorted(self.data["indicator"].unique().tolist())

    def name(self, place: str) -> str:
        return self.names.get(place) or place_name(place)

    def wide(self, indicators: Iterable[str] | None = None) -> pd.DataFrame:
        """Place-years as rows (MultiIndex place, year), indicators as columns."""
        table = self.data.pivot(index=["place", "year"], columns="indicator", values="value")
        table.columns.name = None
        if indicators is not None:
            table = table.reindex(columns=list(indicators))
        return table.sort_index()

    def select(
        self,
        *,
        places: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        indicators: Iterable[str] | None = None,
    ) -> Panel:
        """A sub-panel."""
        mask = pd.Series(True, index=self.data.index)
        if places is not None:
            mask &= self.data["place"].isin(list(places))
        if years is not None:
            mask &= self.data["year"].isin([int(y) for y in years])
        if indicators is not None:
            mask &= self.data["indicator"].isin(list(indicators))
        return replace(self, data=self.data[mask].reset_index(drop=True))

    def complete(self, indicators: Iterable[str] | None = None, fill: str | None = None) -> Panel:
        """The panel on the full grid places x years x ``indicators``, gaps filled by ``fill``.

        ``fill=None`` refuses any gap; ``"linear"`` interpolates linearly in the year within
        each place and indicator (interior gaps only); ``"ffill"`` carries the last observed
        value of the place forward. Gaps a rule cannot fill (e.g. before the first
        observation) stay errors. Raises ``PanelError`` naming every missing cell.
        """
        if fill is not None and fill not in FILL_RULES:
            raise ValueError(f"fill must be None or one of {', '.join(FILL_RULES)}, got {fill!r}")
        wanted = list(indicators) if indicators is not None else self.indicators
        absent = [i for i in wanted if i not in set(self.data["indicator"])]
        if absent:
            raise PanelError(
                [
                    PanelProblem(
                        self.source or "panel",
                        None,
                        None,
                        None,
                        f"indicator {i!r} of the system is not in the panel",
                        f"面板缺少指标体系中的指标“{i}”",
                    )
                    for i in absent
                ]
            )
        table = self.wide(wanted)
        grid = pd.MultiIndex.from_product([self.places, self.years], names=["place", "year"])
        table = table.reindex(grid)
        before = table.isna()
        if fill is not None and before.to_numpy().any():
            if fill == "linear":
                table = table.groupby(level="place", group_keys=False).apply(_interpolate)
            else:
                table = table.groupby(level="place").ffill()
        still = table.isna()
        if still.to_numpy().any():
            problems = []
            cells = np.argwhere(still.to_numpy())[:_MAX_PROBLEMS]
            for row_pos, col_pos in cells:
                place, year = still.index[row_pos]
                indicator = str(still.columns[col_pos])
                problems.append(
                    PanelProblem(
                        self.source or "panel",
                        None,
                        None,
                        indicator,
                        f"no value for {self.name(place)} ({place}) in {year}"
                        + ("" if fill else "; choose fill='linear' or fill='ffill' to fill gaps"),
                        f"{self.name(place)}（{place}）{year} 年缺少数值"
                        + ("" if fill else "；可选择线性插值或向前填充"),
                    )
                )
            raise PanelError(problems)
        filled_cells = np.argwhere((before & ~table.isna()).to_numpy())
        filled = pd.DataFrame(
            [(*table.index[r], str(table.columns[c]), fill or "") for r, c in filled_cells],
            columns=["place", "year", "indicator", "rule"],
        )
        long = table.stack().reset_index()
        long.columns = pd.Index(["place", "year", "indicator", "value"])
        return replace(
            self,
            data=long,
            filled=pd.concat([self.filled, filled], ignore_index=True)
            if len(self.filled)
            else filled,
        )

    def digest(self) -> str:
        """SHA-256 of the panel's content (sorted long CSV): reproducibility key of a result."""
        ordered = self.data.sort_values(["place", "year", "indicator"])
        text = ordered.to_csv(index=False, float_format="%.12g", lineterminator="\n")
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _interpolate(group: pd.DataFrame) -> pd.DataFrame:
    years = group.index.get_level_values("year").to_numpy(dtype=float)
    out = group.copy()
    for col in group.columns:
        values = group[col].to_numpy(dtype=float)
        known = ~np.isnan(values)
        if known.sum() >= 2:
            inside = (years > years[known].min()) & (years < years[known].max()) & ~known
            values = values.copy()
            values[inside] = np.interp(years[inside], years[known], values[known])
            out[col] = values
    return out


# --------------------------------------------------------------------------- reading

Source = str | Path | bytes | IO[bytes]


def _rows_csv(raw: bytes) -> Iterator[tuple[int, list[str]]]:
    text = raw.decode("utf-8-sig") if not raw.startswith(b"\xff\xfe") else raw.decode("utf-16")
    yield from enumerate(csv.reader(io.StringIO(text)), start=1)


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
    if is_xlsx:
        sheet_name, rows = _rows_xlsx(raw, sheet, file)
        sheet_label: str | None = sheet_name
    else:
        rows = list(_rows_csv(raw))
        sheet_label = None
    resolve = resolver or default_resolver()
    return _parse(
        rows,
        file=file,
        sheet=sheet_label,
        system=system,
        resolve=resolve,
        fill=fill,
        is_sample=is_sample,
    )


def _parse(
    rows: list[tuple[int, list[Any]]],
    *,
    file: str,
    sheet: str | None,
    system: IndicatorSystem | None,
    resolve: Callable[[str], str | None],
    fill: str | None,
    is_sample: bool,
) -> Panel:
    problems: list[PanelProblem] = []

    def problem(row: int | None, column: str | None, en: str, zh: str) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append(PanelProblem(file, sheet, row, column, en, zh))

    body = [(n, r) for n, r in rows if any(c not in (None, "") for c in r)]
    if not body:
        raise PanelError([PanelProblem(file, sheet, None, None, "the panel is empty", "面板为空")])
    header_row, header = body[0]
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
    long_format = "indicator" in roles and "value" in roles
    lookup = system.lookup() if system is not None else None

    indicator_columns: dict[int, str] = {}
    if not long_format:
        for idx, h in enumerate(headers):
            if idx in roles.values() or not h or h.lower() in _IGNORED_WIDE:
                continue
            if lookup is not None:
                ind = lookup.get(h)
                if ind is None:
                    problem(
                        header_row,
                        h,
                        f"unknown indicator {h!r} (not in system {system.id!r})"
                        if system
                        else f"unknown indicator {h!r}",
                        f"未知指标“{h}”，不在所选指标体系中",
                    )
                    continue
                indicator_columns[idx] = ind
            else:
                indicator_columns[idx] = h
        if not indicator_columns and not problems:
            problem(header_row, None, "no indicator columns", "没有指标列")

    records: list[tuple[str, int, str, float]] = []
    seen: dict[tuple[str, int, str], int] = {}
    names: dict[str, str] = {}
    place_cache: dict[str, str | None] = {}
    place_header = headers[roles["place"]]
    year_header = headers[roles["year"]]

    def cell(r: list[Any], idx: int) -> Any:
        return r[idx] if idx < len(r) else None

    for number, r in body[1:]:
        raw_place = cell(r, roles["place"])
        text = "" if raw_place is None else str(raw_place).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if text not in place_cache:
            place_cache[text] = resolve(text) if text else None
        code = place_cache[text]
        if code is None:
            problem(number, place_header, f"unknown place {text!r}", f"无法识别的地区“{text}”")
            continue
        names.setdefault(code, place_name(code) if place_name(code) != code else text)
        year = _year(cell(r, roles["year"]))
        if year is None:
            raw_year = cell(r, roles["year"])
            problem(
                number, year_header, f"year {raw_year!r} is not a year", f"年份“{raw_year}”无效"
            )
            continue
        if long_format:
            raw_ind = cell(r, roles["indicator"])
            ind_text = "" if raw_ind is None else str(raw_ind).strip()
            ind = lookup.get(ind_text) if lookup is not None else (ind_text or None)
            if ind is None:
                problem(
                    number,
                    headers[roles["indicator"]],
                    f"unknown indicator {ind_text!r}",
                    f"未知指标“{ind_text}”",
                )
                continue
            pairs = [(roles["value"], ind)]
        else:
            pairs = list(indicator_columns.items())
        for idx, ind in pairs:
            column = headers[idx]
            value = _number(cell(r, idx))
            if isinstance(value, str):
                problem(
                    number, column, f"value {value!r} is not a number", f"数值“{value}”不是数字"
                )
                continue
            key = (code, year, ind)
            if key in seen:
                problem(
                    number,
                    column,
                    f"duplicate value for ({code}, {year}, {ind}); first given in row {seen[key]}",
                    f"（{code}，{year}，{ind}）重复，首次出现在第 {seen[key]} 行",
                )
                continue
            seen[key] = number
            records.append((code, year, ind, np.nan if value is None else value))
    if problems:
        raise PanelError(problems)
    data = pd.DataFrame(records, columns=["place", "year", "indicator", "value"])
    data["year"] = data["year"].astype(int)
    data["value"] = data["value"].astype(float)
    panel = Panel(
        data=data, names=names, source=file, provenance=f"upload:{file}", is_sample=is_sample
    )
    wanted = system.indicator_ids if system is not None else None
    try:
        return panel.complete(wanted, fill=fill)
    except PanelError as exc:
        # point explicit blank cells at their row
        located = []
        for p in exc.problems:
            located.append(_locate(p, data, seen, sheet, long_format, headers, roles))
        raise PanelError(located) from None


def _locate(
    p: PanelProblem,
    data: pd.DataFrame,
    seen: Mapping[tuple[str, int, str], int],
    sheet: str | None,
    long_format: bool,
    headers: list[str],
    roles: Mapping[str, int],
) -> PanelProblem:
    match = re.search(r"\((\w+)\) in (\d{4})", p.message)
    if not match or p.column is None:
        return replace(p, sheet=sheet)
    key = (match.group(1), int(match.group(2)), p.column)
    row = seen.get(key)
    if row is None:
        return replace(p, sheet=sheet)
    column = headers[roles["value"]] if long_format else p.column
    return replace(p, sheet=sheet, row=row, column=column)
