"""The registry import table: which headers name which column, and one row parsed and checked.

Pure: cells in, a record or located problems out; :mod:`jingjinji.chains.repository` writes.

Headers are those of the exports users get from 企查查, 天眼查, 启信宝 and the 国家企业信用信息
公示系统 (and English names): 企业名称/公司名称, 统一社会信用代码, 登记状态/经营状态, 成立日期,
注销日期/吊销日期, 所属省份/所属城市/所属区县 or 所在地, 所属行业/国标行业 (a GB/T 4754 name or
code) or 行业代码, 企业地址/注册地址, 经营范围, 主要产品, 标签, 规模, 营业收入 (万元). Columns
the platform does not use (注册资本, 企业类型, 参保人数 …) are ignored and listed once.

>>> columns, ignored = find_columns(["公司名称", "统一社会信用代码", "企业地址", "注册资本"])
>>> sorted(columns), ignored
(['address', 'credit_code', 'name'], ['注册资本'])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.chains.credit_code import credit_code_problem, normalize_credit_code
from jingjinji.chains.places import AddressError, resolve_address
from jingjinji.chains.registry_fields import (
    IndustryError,
    StatusError,
    canonical_status,
    industry_code_of,
)
from jingjinji.projects.cells import CellError, parse_date

__all__ = [
    "COLUMNS",
    "KEY_TAGS",
    "PLACE_COLUMNS",
    "REQUIRED",
    "RowProblem",
    "canonical_tags",
    "find_columns",
    "missing_columns",
    "parse_row",
    "tag_field",
]

#: Canonical column → accepted headers, the preferred one first (matched after NFKC, without
#: spaces, case-insensitively). For ``industry`` the more specific level comes first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("企业名称", "name", "公司名称", "名称", "企业", "机构名称", "单位名称"),
    "credit_code": (
        "统一社会信用代码",
        "credit_code",
        "信用代码",
        "社会信用代码",
        "统一信用代码",
    ),
    "status": ("登记状态", "status", "经营状态", "企业状态", "状态"),
    "founded_on": ("成立日期", "founded_on", "成立时间", "注册日期"),
    "closed_on": ("注销日期", "closed_on", "吊销日期", "注吊销日期"),
    "address": (
        "注册地址",
        "address",
        "企业地址",
        "地址",
        "住所",
        "注册地址(住所)",
        "通信地址",
        "经营地址",
    ),
    "place": ("所在地", "place", "地区", "adcode", "所在地区", "行政区划代码"),
    "province": ("所属省份", "province", "省份", "所在省份", "省"),
    "city": ("所属城市", "city", "城市", "所在城市", "所属地市", "地市"),
    "county": ("所属区县", "county", "区县", "所在区县", "县区"),
    "industry_code": (
        "行业代码",
        "industry_code",
        "国民经济行业代码",
        "行业分类代码",
        "国标行业代码",
    ),
    "industry": (
        "所属行业",
        "industry",
        "国标行业小类",
        "国标行业中类",
        "国标行业",
        "国标行业大类",
        "国民经济行业",
        "行业",
        "行业名称",
        "国标行业门类",
    ),
    "scope": ("经营范围", "scope"),
    "products": ("主要产品", "products", "产品", "主营产品"),
    "tags": ("标签", "tags", "企业标签", "资质", "企业资质"),
    "size": ("规模", "size", "企业规模"),
    "revenue": ("营业收入(万元)", "revenue", "营业收入", "营收"),
}
#: Columns an import cannot do without; ``address`` may be replaced by a place column.
REQUIRED = ("name", "credit_code")
#: Columns any of which places the enterprise.
PLACE_COLUMNS = ("address", "place", "province", "city", "county")
_MAX = {"name": 200, "address": 300, "scope": 5000, "products": 2000, "size": 20}
#: Tags that make an enterprise a key enterprise (链主, 小巨人, 单项冠军).
KEY_TAGS = frozenset({"链主", "小巨人", "单项冠军"})
_TAG_ALIASES = {
    "链主": "链主",
    "链主企业": "链主",
    "小巨人": "小巨人",
    "专精特新小巨人": "小巨人",
    "专精特新小巨人企业": "小巨人",
    "国家级专精特新小巨人": "小巨人",
    "单项冠军": "单项冠军",
    "制造业单项冠军": "单项冠军",
    "单项冠军企业": "单项冠军",
    "高新技术企业": "高新技术企业",
    "国家高新技术企业": "高新技术企业",
    "高企": "高新技术企业",
    "专精特新": "专精特新",
    "专精特新中小企业": "专精特新",
}
_TAG_SPLIT = re.compile(r"[、,，;；|/\s]+")
_SIZES = {"大型", "中型", "小型", "微型"}


@dataclass(frozen=True)
class RowProblem:
    """One bad cell of an import: sheet, row (file row number), column, reason."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    message_zh: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "message_zh": self.message_zh,
        }


def canonical_tags(raw: Any) -> list[str]:
    """Tags in canonical form: ``专精特新“小巨人”`` → ``小巨人``; unknown tags kept as written.

    >>> canonical_tags('链主、专精特新"小巨人"，高企')
    ['链主', '小巨人', '高新技术企业']
    """
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else _TAG_SPLIT.split(str(raw))
    result: list[str] = []
    for item in items:
        cleaned = re.sub(r"[\"'“”‘’「」《》]", "", str(item)).strip()
        if not cleaned:
            continue
        tag = _TAG_ALIASES.get(cleaned, cleaned)[:20]
        if tag not in result:
            result.append(tag)
    return result


def tag_field(tags: Sequence[str]) -> str:
    """Tags as stored: ``|链主|小巨人|`` (so that ``LIKE '%|tag|%'`` finds one), ``""`` for none."""
    return "|" + "|".join(tags) + "|" if tags else ""


#: What registry exports write in an empty cell.
_EMPTY = frozenset({"-", "--", "—", "——", "暂无", "null", "none", "nan"})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return "" if text.lower() in _EMPTY else text


def _header_key(header: str) -> str:
    """A header as compared: NFKC, without spaces or brackets, lower case (so 公开（公告）号,
    公开(公告)号 and 公开公告号 are one)."""
    return re.sub(r"[\s()]+", "", unicodedata.normalize("NFKC", str(header))).lower()


def find_columns(
    header: Sequence[str], columns: Mapping[str, Sequence[str]] = COLUMNS
) -> tuple[dict[str, str], list[str]]:
    """Canonical column → header in the file (the first accepted name found, each header
    used once); and the headers not used, in file order. ``columns``: canonical column →
    accepted headers (default: the registry's :data:`COLUMNS`)."""
    normalised: dict[str, str] = {}
    for name in header:
        normalised.setdefault(_header_key(name), name)
    found: dict[str, str] = {}
    for column, names in columns.items():
        for name in names:
            hit = normalised.get(_header_key(name))
            if hit is not None and hit not in found.values():
                found[column] = hit
                break
    used = set(found.values())
    return found, [h for h in header if h not in used and str(h).strip()]


def missing_columns(columns: dict[str, str]) -> list[tuple[str, str, str]]:
    """(column, English, Chinese message) for each needed column not found; the Chinese
    message names the headers accepted for it."""
    missing = [c for c in REQUIRED if c not in columns]
    if not any(c in columns for c in PLACE_COLUMNS):
        missing.append("address")
    result = []
    for column in missing:
        accepted = (
            COLUMNS[column]
            if column != "address"
            else (*COLUMNS["address"][:3], "所属区县", "所在地")
        )
        names = "、".join(n for n in accepted if not n.isascii())
        result.append(
            (
                column,
                f"column {column!r} is missing (accepted: {', '.join(accepted)})",
                f"缺少列“{COLUMNS[column][0]}”（可用的列名：{names}）",
            )
        )
    return result


def parse_row(
    cells: dict[str, Any],
    columns: dict[str, str],
    *,
    atlas: Atlas,
    sheet: str,
    row: int,
) -> tuple[dict[str, Any] | None, list[RowProblem]]:
    """One registry row checked: the record to store, or ``None`` and every problem of the row
    (``columns`` from :func:`find_columns`; ``row`` is the file row number)."""
    problems: list[RowProblem] = []

    def bad(column: str, message: str, message_zh: str) -> None:
        problems.append(RowProblem(sheet, row, columns.get(column, column), message, message_zh))

    value = {column: _text(cells.get(header)) for column, header in columns.items()}
    record: dict[str, Any] = {}
    if not value.get("name"):
        bad("name", "name is empty", "企业名称为空")
    record["name"] = value.get("name", "")
    code = normalize_credit_code(value.get("credit_code", ""))
    if not code:
        bad("credit_code", "credit code is empty", "统一社会信用代码为空")
    else:
        problem = credit_code_problem(code)
        if problem is not None:
            bad("credit_code", str(problem), problem.message_zh)
    record["credit_code"] = code
    for column, limit in _MAX.items():
        if len(value.get(column, "")) > limit:
            bad(column, f"longer than {limit} characters", f"超过 {limit} 个字符")
    record["address"] = value.get("address", "")[:300]
    record["place_adcode"] = _place(value, bad, atlas)
    record["industry_code"] = _industry(value, bad, atlas)
    try:
        record["status"] = canonical_status(value.get("status", ""))
    except StatusError as error:
        bad("status", str(error), error.message_zh)
    for column in ("founded_on", "closed_on"):
        try:
            raw = cells.get(columns[column]) if column in columns else None
            record[column] = parse_date(raw if isinstance(raw, date) else value.get(column))
        except CellError as error:
            bad(column, error.reason, error.reason_zh)
    record["scope"] = value.get("scope", "")
    record["products"] = value.get("products", "")
    tags = canonical_tags(value.get("tags"))
    if len(tag_field(tags)) > 200:
        bad("tags", "too many tags", "标签过多")
    record["tags"] = tags
    size = value.get("size", "")
    if size and size not in _SIZES:
        bad(
            "size", f"size {size!r} is not 大型/中型/小型/微型", "规模应为 大型、中型、小型 或 微型"
        )
    record["size"] = size or None
    revenue_text = re.sub(r"[,，\s]|万元?$", "", value.get("revenue", ""))
    record["revenue"] = None
    if revenue_text:
        try:
            revenue = float(revenue_text)
            if not (0 <= revenue < 1e12):
                raise ValueError(revenue_text)
            record["revenue"] = revenue
        except ValueError:
            bad(
                "revenue",
                f"revenue {revenue_text!r} is not a number",
                "营业收入应为非负数字（万元）",
            )
    return (None if problems else record), problems


Bad = Callable[[str, str, str], None]


def _place(value: dict[str, str], bad: Bad, atlas: Atlas) -> str | None:
    """The county adcode from 所在地, from 所属省份/城市/区县, or from the address."""
    address = value.get("address", "")
    place_text = value.get("place", "")
    region = "".join(value.get(c, "") for c in ("province", "city", "county"))
    try:
        if place_text:
            place = atlas.resolve_place(place_text)
            if place.level != "county":
                place = resolve_address(atlas, place.name + address)
        elif value.get("county"):
            try:
                place = resolve_address(atlas, region)
            except AddressError:
                place = resolve_address(atlas, region + address)
        else:
            place = resolve_address(atlas, region + address)
        return place.adcode
    except AtlasLookupError:
        bad("place", f"place {place_text!r} is unknown", f"地点“{place_text}”无法识别")
    except AddressError as error:
        column = "place" if place_text else ("county" if value.get("county") else "address")
        bad(column, str(error), error.message_zh)
    return None


def _industry(value: dict[str, str], bad: Bad, atlas: Atlas) -> str | None:
    """The GB/T 4754 code from 行业代码, else from 所属行业 (a code or a name)."""
    for column in ("industry_code", "industry"):
        text = value.get(column, "")
        if not text:
            continue
        try:
            return industry_code_of(atlas, text)
        except IndustryError as error:
            bad(column, str(error), error.message_zh)
            return None
    return None
