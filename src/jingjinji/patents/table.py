"""The patent import table: which headers name which column, and one row parsed and checked.

Pure: cells in, a record or located problems out; :mod:`jingjinji.patents.repository`
writes. Headers are those of the exports of the national patent search (专利检索及分析) and
of the commercial patent databases: 申请号, 公开(公告)号, 名称/专利名称/发明名称, 摘要, 申请日,
公开(公告)日, 主分类号, IPC分类号/分类号, 申请(专利权)人, 申请人地址 (or 省份/城市/区县),
专利类型, 法律状态, 当前权利人; columns the platform does not use are listed once.

A Chinese application number is ``CN`` + 12 digits (8 before 2004) + ``.`` + check
character; its fifth (third) digit is the type: 1 and 8 invention (8: via PCT), 2 and 9
utility model, 3 design. The check character is read but not verified (exports carry typos
in it; the sample patents rely on a wrong one to be non-existent, see
:mod:`jingjinji.patents.sample`).

>>> normalize_application_number("CN 202310123456.7"), kind_of_number("CN202310123456.7")
('CN202310123456.7', '发明')
>>> canonical_legal_status("专利权维持"), canonical_legal_status("未缴年费专利权终止")
('有效', '失效')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.chains.places import AddressError, resolve_address
from jingjinji.chains.table import RowProblem
from jingjinji.chains.table import find_columns as registry_columns
from jingjinji.patents.ipc import IpcError, normalize_ipc, split_ipc
from jingjinji.projects.cells import CellError, parse_date

__all__ = [
    "COLUMNS",
    "KINDS",
    "LEGAL_STATUSES",
    "REQUIRED",
    "canonical_legal_status",
    "check_character",
    "find_columns",
    "kind_of_number",
    "missing_columns",
    "normalize_application_number",
    "parse_row",
    "split_applicants",
]

#: Canonical column → accepted headers, the preferred one first (matched after NFKC, without
#: spaces and brackets, case-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "application_number": ("申请号", "application_number", "专利申请号", "申请号码"),
    "publication_number": (
        "公开(公告)号",
        "publication_number",
        "公开号",
        "公告号",
        "授权公告号",
        "公开公告号",
    ),
    "title": ("名称", "title", "专利名称", "发明名称", "标题", "发明创造名称"),
    "abstract": ("摘要", "abstract", "摘要文本", "专利摘要"),
    "filed_on": ("申请日", "filed_on", "申请日期"),
    "published_on": ("公开(公告)日", "published_on", "公开日", "公告日", "公开日期", "授权公告日"),
    "main_ipc": ("主分类号", "main_ipc", "IPC主分类号", "IPC主分类", "主IPC"),
    "ipc": ("IPC分类号", "ipc", "分类号", "IPC", "IPC分类"),
    "applicants": (
        "申请(专利权)人",
        "applicants",
        "申请人",
        "专利权人",
        "申请人名称",
        "申请(专利权)人名称",
    ),
    "address": ("申请人地址", "address", "地址", "第一申请人地址", "申请(专利权)人地址"),
    "province": ("省份", "province", "申请人所在省", "所属省份", "国省代码"),
    "city": ("城市", "city", "申请人所在市", "所属城市", "地市"),
    "county": ("区县", "county", "申请人所在区县", "所属区县"),
    "kind": ("专利类型", "kind", "类型", "申请类型", "专利种类"),
    "legal_status": ("法律状态", "legal_status", "当前法律状态", "法律状态/事件", "专利状态"),
    "owner": ("当前权利人", "owner", "当前专利权人", "权利人"),
}
#: Columns an import cannot do without.
REQUIRED = ("application_number", "title", "filed_on", "applicants")
#: Columns any of which places the first applicant.
PLACE_COLUMNS = ("address", "province", "city", "county")
#: Patent kinds (专利类型).
KINDS = ("发明", "实用新型", "外观设计")
#: Canonical legal statuses: in force, lapsed (any cause), pending.
LEGAL_STATUSES = ("有效", "失效", "审中")
_KIND_WORDS = (("外观", "外观设计"), ("实用", "实用新型"), ("发明", "发明"))
_STATUS_WORDS = (
    ("失效", "失效"),
    ("终止", "失效"),
    ("驳回", "失效"),
    ("撤回", "失效"),
    ("放弃", "失效"),
    ("届满", "失效"),
    ("无效", "失效"),
    ("未缴", "失效"),
    ("审", "审中"),
    ("公开", "审中"),
    ("授权", "有效"),
    ("有效", "有效"),
    ("维持", "有效"),
)
_NUMBER = re.compile(r"^(?:CN)?(\d{12}|\d{8})(?:\.?([0-9X]))?$")
_TYPE_DIGIT = {"1": "发明", "8": "发明", "2": "实用新型", "9": "实用新型", "3": "外观设计"}
_APPLICANT_SPLIT = re.compile(r"[;；|\n]+")
_MAX = {"title": 500, "abstract": 5000, "applicants": 1000, "address": 300, "owner": 500}
_EMPTY = frozenset({"-", "--", "—", "——", "暂无", "null", "none", "nan"})


def normalize_application_number(text: str) -> str:
    """``CN`` + digits + ``.`` + check character (when given); raises ``ValueError``."""
    compact = re.sub(r"[\s.]", "", unicodedata.normalize("NFKC", text).upper())
    compact = compact.replace("ZL", "")
    match = _NUMBER.match(compact)
    if match is None:
        raise ValueError(text)
    digits, check = match.groups()
    return f"CN{digits}" + (f".{check}" if check else "")


def check_character(digits: str) -> str:
    """The check character of an application number's digits (8 or 12) as the standard
    专利申请号 (ZC 0006-2003) defines it: the digits weighted 2, 3, …, 9, 2, 3, 4, 5 from the
    left, summed, modulo 11; 10 is written ``X``.

    >>> check_character("202310123456")
    '6'
    """
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11
    return "X" if total == 10 else str(total)


def kind_of_number(number: str) -> str | None:
    """The patent kind a Chinese application number encodes, ``None`` if none."""
    digits = number.removeprefix("CN").split(".")[0]
    return _TYPE_DIGIT.get(digits[4] if len(digits) == 12 else digits[2])


def canonical_legal_status(text: str) -> str | None:
    """有效, 失效 or 审中 from the many spellings of the exports; ``None`` if unknown."""
    for word, status in _STATUS_WORDS:
        if word in text:
            return status
    return None


def split_applicants(text: str) -> list[str]:
    """The applicants of a cell, in order (the first is the first applicant)."""
    return [name.strip() for name in _APPLICANT_SPLIT.split(text) if name.strip()]


def find_columns(header: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Canonical column → header in the file; and the headers not used, in file order (as
    :func:`jingjinji.chains.table.find_columns` reads headers, with :data:`COLUMNS`)."""
    return registry_columns(header, COLUMNS)


def missing_columns(columns: dict[str, str]) -> list[tuple[str, str, str]]:
    """(column, English, Chinese message) for each required column not found."""
    result = []
    for column in REQUIRED:
        if column in columns:
            continue
        names = "、".join(n for n in COLUMNS[column] if not n.isascii())
        result.append(
            (
                column,
                f"column {column!r} is missing (accepted: {', '.join(COLUMNS[column])})",
                f"缺少列“{COLUMNS[column][0]}”（可用的列名：{names}）",
            )
        )
    return result


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return "" if text.lower() in _EMPTY else text


def parse_row(
    cells: dict[str, Any],
    columns: dict[str, str],
    *,
    atlas: Atlas,
    sheet: str,
    row: int,
) -> tuple[dict[str, Any] | None, list[RowProblem]]:
    """One patent row checked: the record to store, or ``None`` and every problem of the
    row. A first applicant whose address lies outside 京津冀 (or names no place) is no
    problem: the record keeps ``place_adcode = None`` and the importer tries the registry."""
    problems: list[RowProblem] = []

    def bad(column: str, message: str, message_zh: str) -> None:
        problems.append(RowProblem(sheet, row, columns.get(column, column), message, message_zh))

    value = {column: _text(cells.get(header)) for column, header in columns.items()}
    record: dict[str, Any] = {}
    for column, limit in _MAX.items():
        if len(value.get(column, "")) > limit:
            bad(column, f"longer than {limit} characters", f"超过 {limit} 个字符")
    number = value.get("application_number", "")
    record["application_number"] = number
    if not number:
        bad("application_number", "application number is empty", "申请号为空")
    else:
        try:
            record["application_number"] = normalize_application_number(number)
        except ValueError:
            bad(
                "application_number",
                f"{number!r} is no Chinese application number",
                f"申请号“{number}”格式不对（应如 CN202310123456.7）",
            )
    record["publication_number"] = value.get("publication_number", "")[:40]
    record["title"] = value.get("title", "")[:500]
    if not record["title"]:
        bad("title", "title is empty", "名称为空")
    record["abstract"] = value.get("abstract", "")[:5000]
    for column in ("filed_on", "published_on"):
        raw = cells.get(columns[column]) if column in columns else None
        try:
            record[column] = parse_date(raw if isinstance(raw, date) else value.get(column))
        except CellError as error:
            bad(column, error.reason, error.reason_zh)
            record[column] = None
    if record.get("filed_on") is None and "filed_on" not in {p.column for p in problems}:
        bad("filed_on", "filing date is empty", "申请日为空")
    _classes(value, record, bad)
    applicants = split_applicants(value.get("applicants", ""))
    if not applicants:
        bad("applicants", "no applicant", "申请(专利权)人为空")
    record["applicants"] = applicants
    record["owner"] = value.get("owner", "")[:500]
    record["kind"] = _kind(value.get("kind", ""), record["application_number"], bad)
    status = value.get("legal_status", "")
    record["legal_status"] = canonical_legal_status(status) if status else None
    if status and record["legal_status"] is None:
        bad(
            "legal_status",
            f"legal status {status!r} is unknown",
            f"法律状态“{status}”无法识别（可用：有效、失效、审中及其常见写法）",
        )
    record["address"] = value.get("address", "")[:300]
    record["place_adcode"] = _place(value, atlas)
    return (None if problems else record), problems


def _classes(value: dict[str, str], record: dict[str, Any], bad: Any) -> None:
    """``main_ipc`` and ``ipc`` (every symbol, the main one first)."""
    main = ""
    if value.get("main_ipc"):
        try:
            main = normalize_ipc(value["main_ipc"].split(";")[0].split("；")[0])
        except IpcError as error:
            bad("main_ipc", str(error), error.message_zh)
    try:
        codes = split_ipc(value.get("ipc", ""))
    except IpcError as error:
        bad("ipc", str(error), error.message_zh)
        codes = []
    if main and main not in codes:
        codes.insert(0, main)
    elif main:
        codes.remove(main)
        codes.insert(0, main)
    record["main_ipc"] = main or (codes[0] if codes else "")
    record["ipc"] = codes[:50]


def _kind(text: str, number: str, bad: Any) -> str | None:
    for word, kind in _KIND_WORDS:
        if word in text:
            return kind
    if text:
        bad(
            "kind",
            f"patent kind {text!r} is unknown",
            f"专利类型“{text}”应为 发明、实用新型 或 外观设计",
        )
        return None
    return kind_of_number(number) if number.startswith("CN") else None


def _place(value: dict[str, str], atlas: Atlas) -> str | None:
    """The county adcode of the first applicant, from 省份/城市/区县 and the address (the
    prefecture's when only the city is named); ``None`` outside 京津冀 or when nothing names
    a place."""
    address = value.get("address", "")
    region = "".join(value.get(c, "") for c in ("province", "city", "county"))
    for text in (region + address, address, region):
        if not text:
            continue
        try:
            return resolve_address(atlas, text).adcode
        except (AddressError, AtlasLookupError):
            continue
    text = re.sub(r"\s+", "", region + address)
    for unit in atlas.prefecture_units():
        if any(name and name in text for name in (unit.name, unit.short_name)):
            return unit.adcode
    return None
