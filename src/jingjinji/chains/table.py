"""The registry import table: which headers name which column, and one row parsed and checked.

Pure: cells in, a record or located problems out; :mod:`jingjinji.chains.repository` writes.

Import columns (Chinese or English headers): 企业名称/name, 统一社会信用代码/credit_code,
注册地址/address, 所在地/place (adcode or name; optional when the address names the county),
行业代码/industry_code (GB/T 4754), 经营范围/scope, 主要产品/products, 标签/tags (separated by
、,;|), 规模/size, 营业收入/revenue (万元).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.chains.credit_code import credit_code_problem, normalize_credit_code
from jingjinji.chains.places import AddressError, resolve_address

__all__ = [
    "COLUMNS",
    "KEY_TAGS",
    "RowProblem",
    "canonical_tags",
    "find_columns",
    "parse_row",
    "tag_field",
]

#: Canonical column → accepted headers (lower-cased, spaces removed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "企业名称", "名称", "企业"),
    "credit_code": ("credit_code", "统一社会信用代码", "信用代码", "社会信用代码"),
    "address": ("address", "注册地址", "地址", "住所"),
    "place": ("place", "所在地", "地区", "区县", "adcode"),
    "industry_code": ("industry_code", "行业代码", "国民经济行业代码", "行业分类代码"),
    "scope": ("scope", "经营范围"),
    "products": ("products", "主要产品", "产品"),
    "tags": ("tags", "标签", "企业标签", "资质"),
    "size": ("size", "规模", "企业规模"),
    "revenue": ("revenue", "营业收入", "营业收入（万元）", "营业收入(万元)", "营收"),
}
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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_columns(header: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Canonical column → header in the file; and headers not understood."""
    normalised = {re.sub(r"\s+", "", h).lower(): h for h in header}
    found: dict[str, str] = {}
    for column, names in COLUMNS.items():
        for name in names:
            if name.lower() in normalised:
                found[column] = normalised[name.lower()]
                break
    return found, [h for h in header if h not in found.values()]


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
    place_text = value.get("place", "")
    place_adcode = None
    try:
        if place_text:
            place = atlas.resolve_place(place_text)
            if place.level != "county":
                place = resolve_address(atlas, place.name + record["address"])
        else:
            place = resolve_address(atlas, record["address"])
        place_adcode = place.adcode
    except AtlasLookupError:
        bad("place", f"place {place_text!r} is unknown", f"地点“{place_text}”无法识别")
    except AddressError as error:
        bad("place" if place_text else "address", str(error), error.message_zh)
    record["place_adcode"] = place_adcode
    industry_code = value.get("industry_code", "").upper()
    if industry_code and not re.fullmatch(r"[A-T]?\d{2,4}", industry_code):
        bad("industry_code", "not a GB/T 4754 code", f"行业代码“{industry_code}”不符合 GB/T 4754")
    record["industry_code"] = industry_code or None
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
    revenue_text = value.get("revenue", "").replace(",", "")
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
