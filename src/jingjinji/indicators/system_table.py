"""Indicator systems as tables an analyst writes in Excel (XLSX) or as CSV, and back.

One row per indicator. Columns (Chinese headers; the common synonyms are accepted):

======== =========================================================================
目标层    optional: the goal the system evaluates (its name), the same on every row
准则层    the dimension (subsystem) the indicator belongs to (also 维度, 子系统, 一级指标)
指标      the indicator's name, as the panel's headers or indicator column spell it
代码      optional: a short code the panel may use instead of the name
单位      optional unit
方向      正向 (benefit), 负向 (cost) or 适度 (moderate: best at 目标值)
目标值    the best value of a 适度 indicator (empty for the others)
权重      optional subjective weight: on every row or on none
来源      optional source of the indicator (yearbook, document)
说明      optional description
======== =========================================================================

:func:`read_system_table` validates a table and names every problem with file, sheet, row
and column (English in ``problems``, Chinese in ``problems_zh`` of the
:class:`IndicatorSystemError`); :func:`system_table` writes a system in the same layout (the
template, and the shipped systems as examples). Pure: bytes in, system out, and back.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from jingjinji.indicators.panel_read import _rows_csv, _rows_xlsx
from jingjinji.indicators.system import IndicatorSystem, IndicatorSystemError

__all__ = ["SYSTEM_COLUMNS", "read_system_table", "system_table", "template_table"]

#: Column -> the headers accepted for it (compared without spaces, case-insensitive).
SYSTEM_COLUMNS: dict[str, tuple[str, ...]] = {
    "goal": ("目标层", "目标", "体系名称", "goal"),
    "dimension": ("准则层", "维度", "子系统", "一级指标", "准则", "dimension"),
    "name": ("指标", "指标层", "指标名称", "二级指标", "indicator", "name"),
    "code": ("代码", "指标代码", "编码", "编号", "code", "id"),
    "unit": ("单位", "计量单位", "unit"),
    "direction": ("方向", "指标方向", "属性", "指标属性", "direction"),
    "target": ("目标值", "适度值", "适度目标值", "target"),
    "weight": ("权重", "主观权重", "weight"),
    "source": ("来源", "数据来源", "source"),
    "description": ("说明", "备注", "指标说明", "description"),
}
_HEADER_NAMES = {
    "goal": "目标层",
    "dimension": "准则层",
    "name": "指标",
    "code": "代码",
    "unit": "单位",
    "direction": "方向",
    "target": "目标值",
    "weight": "权重",
    "source": "来源",
    "description": "说明",
}
_BENEFIT = {"正向", "正", "+", "+1", "1", "效益型", "效益", "benefit", "positive"}
_COST = {"负向", "逆向", "负", "-", "-1", "成本型", "成本", "cost", "negative"}
_MODERATE = re.compile(r"^(适度|适中|区间|moderate)")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_MAX_PROBLEMS = 50


def _key(text: Any) -> str:
    return re.sub(r"\s+", "", str(text or "")).lower()


_ROLE_OF = {_key(h): role for role, headers in SYSTEM_COLUMNS.items() for h in headers}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any) -> float | str | None:
    """A float, ``None`` when empty, or the offending text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    try:
        return float(text)
    except ValueError:
        return str(value)


class _Problems:
    """Problems of one table, located as file, sheet, row and column."""

    def __init__(self, file: str, sheet: str | None) -> None:
        self.file, self.sheet = file, sheet
        self.en: list[str] = []
        self.zh: list[str] = []

    def add(self, row: int | None, column: str | None, en: str, zh: str) -> None:
        if len(self.en) >= _MAX_PROBLEMS:
            return
        where_en = ", ".join(
            part
            for part in (
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column else "",
            )
            if part
        )
        where_zh = "".join(
            part
            for part in (
                f"第 {row} 行" if row is not None else "",
                f"“{column}”列" if column else "",
            )
            if part
        )
        self.en.append(f"{where_en}: {en}" if where_en else en)
        self.zh.append(f"{where_zh}：{zh}" if where_zh else zh)

    def raise_if_any(self) -> None:
        if self.en:
            source = self.file + (f"（工作表“{self.sheet}”）" if self.sheet else "")
            raise IndicatorSystemError(source, self.en, self.zh)


def _direction(text: str) -> int | None:
    key = _key(text)
    if key in _BENEFIT:
        return 1
    if key in _COST:
        return -1
    if _MODERATE.match(key):
        return 0
    return None


def read_system_table(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    system_id: str = "custom",
    name: str | None = None,
) -> IndicatorSystem:
    """The indicator system in a CSV or XLSX table (layout: the module docstring).

    The system's name is ``name``, else the 目标层 column, else 自定义指标体系; dimensions
    keep the order of their first row. Indicator ids are the 代码 when it is a lower-case
    identifier, else ``x1``, ``x2`` … (the code then stays an accepted spelling); panels
    match indicators by name or code. Raises :class:`IndicatorSystemError` naming every
    problem with its row and column: a missing 准则层 or 指标 column, an empty name, a name
    given twice, an unknown 方向, a 适度 indicator without a numeric 目标值 (or a 目标值 on
    another), a non-numeric or negative 权重, weights on some rows only.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        raw, file = path.read_bytes(), filename or path.name
    else:
        raw, file = source, filename or "指标体系"
    file = Path(file).name
    if file.lower().endswith((".xlsx", ".xlsm")) or raw[:2] == b"PK":
        sheet_label, rows = _rows_xlsx(raw, sheet, file)
        label: str | None = sheet_label
    else:
        try:
            rows = list(_rows_csv(raw))
        except UnicodeDecodeError:
            raise IndicatorSystemError(
                file,
                ["the file is neither an XLSX workbook nor UTF-8 text"],
                ["文件既不是 XLSX 工作簿，也不是 UTF-8 编码的 CSV"],
            ) from None
        label = None
    problems = _Problems(file, label)
    body = [(n, r) for n, r in rows if any(_text(c) for c in r)]
    if not body:
        problems.add(None, None, "the table is empty", "表格为空")
        problems.raise_if_any()
    header_row, header = body[0]
    headers = [_text(h) for h in header]
    roles: dict[str, int] = {}
    for idx, h in enumerate(headers):
        role = _ROLE_OF.get(_key(h))
        if role and role not in roles:
            roles[role] = idx
    for role in ("dimension", "name"):
        if role not in roles:
            accepted = "、".join(SYSTEM_COLUMNS[role][:4])
            problems.add(
                header_row,
                None,
                f"no {role} column (headers accepted: {', '.join(SYSTEM_COLUMNS[role])})",
                f"缺少“{_HEADER_NAMES[role]}”列（可用列名：{accepted}）",
            )
    problems.raise_if_any()
    data = _indicator_rows(body[1:], headers, roles, problems)
    problems.raise_if_any()
    goals = sorted({row["goal"] for row in data if row["goal"]})
    system_name = name or (goals[0] if len(goals) == 1 else "自定义指标体系")
    return _build(data, system_id, system_name, file, problems)


def _indicator_rows(
    body: list[tuple[int, list[Any]]],
    headers: list[str],
    roles: dict[str, int],
    problems: _Problems,
) -> list[dict[str, Any]]:
    def cell(r: list[Any], role: str) -> Any:
        idx = roles.get(role)
        return r[idx] if idx is not None and idx < len(r) else None

    def header(role: str) -> str:
        return headers[roles[role]] if role in roles else _HEADER_NAMES[role]

    data: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, r in body:
        row: dict[str, Any] = {"row": number}
        for role in ("goal", "dimension", "name", "code", "unit", "source", "description"):
            row[role] = _text(cell(r, role))
        for role in ("dimension", "name"):
            if not row[role]:
                problems.add(number, header(role), f"empty {role}", f"{_HEADER_NAMES[role]}为空")
        for spelling in (row["name"], row["code"]):
            if spelling and spelling in seen:
                problems.add(
                    number,
                    header("name"),
                    f"{spelling!r} is already used in row {seen[spelling]}",
                    f"“{spelling}”已在第 {seen[spelling]} 行使用",
                )
            elif spelling:
                seen[spelling] = number
        raw_direction = _text(cell(r, "direction"))
        direction = _direction(raw_direction) if raw_direction else 1
        if direction is None:
            problems.add(
                number,
                header("direction"),
                f"unknown direction {raw_direction!r} (正向, 负向 or 适度)",
                f"方向“{raw_direction}”无法识别，应为正向、负向或适度",
            )
        row["direction"] = direction
        target = _number(cell(r, "target"))
        if target is None and direction == 0:
            found = _NUMBER.search(raw_direction.replace("，", ""))
            target = float(found.group()) if found else None
        if isinstance(target, str):
            problems.add(
                number, header("target"), f"target {target!r} is not a number", "目标值不是数字"
            )
            target = None
        elif direction == 0 and target is None:
            problems.add(
                number,
                header("target"),
                "a moderate (适度) indicator needs a target value",
                "适度指标需要填写目标值",
            )
        elif direction in (1, -1) and target is not None:
            problems.add(
                number,
                header("target"),
                "only a moderate (适度) indicator has a target value",
                "只有适度指标填写目标值；正向、负向指标请留空",
            )
            target = None
        row["target"] = target if direction == 0 else None
        weight = _number(cell(r, "weight"))
        if isinstance(weight, str) or (isinstance(weight, float) and weight < 0):
            problems.add(
                number,
                header("weight"),
                f"weight {weight!r} is not a non-negative number",
                f"权重“{weight}”应为非负数",
            )
            weight = None
        row["weight"] = weight
        data.append(row)
    if not data:
        problems.add(None, None, "the table has no indicator rows", "表格中没有指标行")
    weighted = [row["row"] for row in data if row["weight"] is not None]
    if weighted and len(weighted) < len(data):
        missing = [str(row["row"]) for row in data if row["weight"] is None]
        problems.add(
            None,
            header("weight"),
            "either every indicator has a weight or none does; missing in rows "
            + ", ".join(missing),
            "权重要么每个指标都填，要么都不填；第 " + "、".join(missing) + " 行未填",
        )
    return data


def _build(
    data: list[dict[str, Any]], system_id: str, name: str, file: str, problems: _Problems
) -> IndicatorSystem:
    dimensions: dict[str, list[dict[str, Any]]] = {}
    for row in data:
        dimensions.setdefault(row["dimension"], []).append(row)
    codes = [row["code"].lower() for row in data if row["code"]]
    use_codes = all(_ID.match(c) for c in codes) and len(set(codes)) == len(data)
    raw_dims = []
    count = 0
    for d_index, (dim_name, rows) in enumerate(dimensions.items(), start=1):
        indicators = []
        for row in rows:
            count += 1
            ident = row["code"].lower() if use_codes else f"x{count}"
            aliases = tuple(a for a in {row["code"]} if a and a != ident)
            indicators.append(
                {
                    "id": ident,
                    "name": row["name"],
                    "unit": row["unit"],
                    "direction": row["direction"],
                    "target": row["target"],
                    "weight": row["weight"],
                    "aliases": aliases,
                    "description": row["description"],
                    "source": row["source"],
                }
            )
        raw_dims.append({"id": f"d{d_index}", "name": dim_name, "indicators": indicators})
    try:
        return IndicatorSystem.model_validate(
            {
                "id": system_id,
                "name": name,
                "description": "",
                "level": "any",
                "source": f"upload:{file}",
                "dimensions": raw_dims,
            }
        )
    except ValidationError as exc:
        for err in exc.errors():
            message = str(err["msg"]).removeprefix("Value error, ")
            problems.add(None, None, message, f"指标体系无效：{message}")
        problems.raise_if_any()
        raise  # pragma: no cover - raise_if_any raised


def _rows_of(system: IndicatorSystem) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for dim in system.dimensions:
        for ind in dim.indicators:
            rows.append(
                [
                    system.name,
                    dim.name,
                    ind.name,
                    ind.id,
                    ind.unit,
                    {1: "正向", -1: "负向", 0: "适度"}[ind.direction],
                    ind.target,
                    ind.weight,
                    ind.source,
                    ind.description,
                ]
            )
    return rows


_GUIDE = (
    ("目标层", "选填：评价的总目标（体系名称），每行相同"),
    ("准则层", "必填：指标所属的维度（子系统），同一维度的指标写同一名称"),
    ("指标", "必填：指标名称，与面板文件的列名或“指标”列一致"),
    ("代码", "选填：指标的简短代码（小写英文字母开头），面板可用代码代替名称"),
    ("单位", "选填：计量单位"),
    ("方向", "必填：正向（越大越好）、负向（越小越好）或适度（越接近目标值越好）"),
    ("目标值", "适度指标必填，其余留空：适度指标的最佳值"),
    ("权重", "选填：主观权重；要么每个指标都填，要么都不填（按比例归一）"),
    ("来源", "选填：指标的数据来源"),
    ("说明", "选填：指标的含义或计算口径"),
)


def system_table(system: IndicatorSystem) -> bytes:
    """``system`` as an XLSX table in the layout :func:`read_system_table` reads (sheet
    指标体系), with a sheet 填写说明 explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "指标体系"
    sheet.append(list(_HEADER_NAMES.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows_of(system):
        sheet.append(row)
    for column, width in zip("ABCDEFGHIJ", (22, 14, 26, 18, 10, 8, 8, 8, 20, 30), strict=True):
        sheet.column_dimensions[column].width = width
    guide = book.create_sheet("填写说明")
    guide.append(["列", "填写方法"])
    for column_name, guidance in _GUIDE:
        guide.append([column_name, guidance])
    guide.column_dimensions["A"].width = 10
    guide.column_dimensions["B"].width = 70
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_table() -> bytes:
    """The downloadable template: a small six-indicator example system in the table layout
    (two dimensions, a negative and a 适度 indicator), to be overwritten with one's own."""
    example = IndicatorSystem.model_validate(
        {
            "id": "template",
            "name": "示例：区域协同发展评价",
            "dimensions": [
                {
                    "id": "d1",
                    "name": "经济发展",
                    "indicators": [
                        {"id": "x1", "name": "人均地区生产总值", "unit": "元"},
                        {"id": "x2", "name": "第三产业增加值占比", "unit": "%"},
                        {"id": "x3", "name": "城镇登记失业率", "unit": "%", "direction": -1},
                    ],
                },
                {
                    "id": "d2",
                    "name": "创新能力",
                    "indicators": [
                        {"id": "x4", "name": "R&D经费投入强度", "unit": "%"},
                        {"id": "x5", "name": "每万人发明专利拥有量", "unit": "件"},
                        {
                            "id": "x6",
                            "name": "资产负债率",
                            "unit": "%",
                            "direction": 0,
                            "target": 55,
                        },
                    ],
                },
            ],
        }
    )
    return system_table(example)
