"""Policy rows in and out of spreadsheets.

Like the project importer, all-or-nothing: :func:`parse_policies` returns the parsed policies
or every problem with its sheet, row and column. The natural key is the document number (文号)
when there is one, else the title with the issuing place, so a re-import changes nothing.

The eligibility conditions come from the target columns (适用地区, 适用产业链, 适用环节, 企业标签,
企业规模, 营业收入下限/上限, 成立日期不早于): each filled group is one condition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.policies.records import POLICY_TYPES, SIZES, Condition, conditions_from_targets
from jingjinji.projects.cells import (
    CellError,
    ParsedRows,
    RowProblem,
    parse_date,
    parse_list,
    parse_number,
    parse_text,
)
from jingjinji.projects.places import place_label

__all__ = [
    "COLUMNS",
    "EXPORT_HEADER",
    "PolicyInput",
    "export_row",
    "natural_key",
    "parse_policies",
    "validate_policy",
]

COLUMNS: tuple[tuple[str, str], ...] = (
    ("title", "标题"),
    ("place", "发文地区"),
    ("department", "发文部门"),
    ("number", "文号"),
    ("issued_on", "发文日期"),
    ("effective_on", "生效日期"),
    ("expires_on", "失效日期"),
    ("type", "政策类型"),
    ("target_places", "适用地区"),
    ("target_industries", "适用产业链"),
    ("target_segments", "适用环节"),
    ("target_tags", "企业标签"),
    ("target_sizes", "企业规模"),
    ("revenue_min", "营业收入下限（万元）"),
    ("revenue_max", "营业收入上限（万元）"),
    ("founded_after", "成立日期不早于"),
    ("benefits", "支持内容"),
    ("summary", "摘要"),
    ("full_text", "全文"),
    ("link", "原文链接"),
    ("source", "记录来源"),
)
REQUIRED = ("title", "place", "type")
EXPORT_ONLY: tuple[str, ...] = ("编号", "发文地区名称", "是否失效", "数据性质")
EXPORT_HEADER: tuple[str, ...] = ("编号", *(zh for _n, zh in COLUMNS), *EXPORT_ONLY[1:])
_HEADER = {zh: name for name, zh in COLUMNS} | {name: name for name, _ in COLUMNS}
_ZH = dict(COLUMNS)
#: The list-valued targets, each ``target_<kind>``.
_TARGET_LISTS = ("places", "industries", "segments", "tags", "sizes")
_TEXTS = ("department", "benefits", "summary", "full_text", "link", "source")
_LONG = {"full_text": 100_000, "summary": 5_000, "benefits": 5_000, "link": 1_000}


@dataclass
class PolicyInput:
    """The fields of a policy as entered (places by adcode, industries and segments by slug)."""

    title: str
    place_adcode: str
    type: str
    department: str = ""
    number: str | None = None
    issued_on: date | None = None
    effective_on: date | None = None
    expires_on: date | None = None
    target_places: list[str] = field(default_factory=list)
    target_industries: list[str] = field(default_factory=list)
    target_segments: list[str] = field(default_factory=list)
    target_tags: list[str] = field(default_factory=list)
    target_sizes: list[str] = field(default_factory=list)
    revenue_min: float | None = None
    revenue_max: float | None = None
    founded_after: date | None = None
    benefits: str = ""
    summary: str = ""
    full_text: str = ""
    link: str = ""
    source: str = ""
    conditions: list[Condition] | None = None

    def resolved_conditions(self) -> list[Condition]:
        """The explicit conditions, else those the target columns state."""
        if self.conditions is not None:
            return list(self.conditions)
        lists = {kind: getattr(self, f"target_{kind}") for kind in _TARGET_LISTS}
        return conditions_from_targets(
            **lists,
            revenue_min=self.revenue_min,
            revenue_max=self.revenue_max,
            founded_after=self.founded_after,
        )

    def as_dict(self) -> dict[str, Any]:
        """Fields as a plain dict, conditions as JSON-ready dicts."""
        data = asdict(self)
        data["conditions"] = [c.model_dump(mode="json") for c in self.resolved_conditions()]
        return data


def natural_key(number: str | None, title: str, place_adcode: str) -> tuple[str, ...]:
    """文号 when given, else title and issuing place."""
    if number and number.strip():
        return ("number", " ".join(number.split()))
    return ("title", " ".join(title.split()), place_adcode)


def validate_policy(policy: PolicyInput, atlas: Atlas) -> list[tuple[str, str, str]]:
    """Problems as ``(field, reason, reason_zh)``: unknown places, industries or segments, a
    type or size outside the lists, dates out of order, a revenue minimum above the maximum."""
    problems: list[tuple[str, str, str]] = []

    def bad(name: str, reason: str, reason_zh: str) -> None:
        problems.append((name, reason, reason_zh))

    if not policy.title.strip():
        bad("title", "empty", "标题不能为空")
    for name, codes in (("place", [policy.place_adcode]), ("target_places", policy.target_places)):
        for code in codes:
            try:
                atlas.place(code)
            except AtlasLookupError:
                bad(name, f"unknown place {code!r}", f"地区“{code}”不在京津冀地图库中")
    if policy.type not in POLICY_TYPES:
        bad("type", "unknown type", f"政策类型须为：{'、'.join(POLICY_TYPES)}")
    for slug in policy.target_industries:
        try:
            atlas.industry(slug)
        except AtlasLookupError:
            bad("target_industries", f"unknown industry {slug!r}", f"产业链“{slug}”不存在")
    for slug in policy.target_segments:
        try:
            atlas.segment(slug)
        except AtlasLookupError:
            bad("target_segments", f"unknown segment {slug!r}", f"产业链环节“{slug}”不存在")
    for size in policy.target_sizes:
        if size not in SIZES:
            bad("target_sizes", f"unknown size {size!r}", f"企业规模须为：{'、'.join(SIZES)}")
    low, high = policy.revenue_min, policy.revenue_max
    if low is not None and high is not None and low > high:
        bad("revenue_max", "maximum below minimum", "营业收入上限低于下限")
    for value, name in ((low, "revenue_min"), (high, "revenue_max")):
        if value is not None and not 0 <= value <= 1e12:
            bad(name, "out of range", "营业收入须为非负数")
    if policy.effective_on and policy.expires_on and policy.expires_on < policy.effective_on:
        bad("expires_on", "expires before it takes effect", "失效日期早于生效日期")
    if policy.link and policy.link.lower().startswith(("javascript:", "data:", "vbscript:")):
        bad("link", "link must be a web address or citation", "原文链接须为网址或文献出处")
    return problems


def _slug_of(kind: str, text: str, atlas: Atlas) -> str:
    if kind == "industry":
        for industry in atlas.industries:
            if text in (industry.slug, industry.name):
                return industry.slug
        raise CellError(f"unknown industry {text!r}", f"产业链“{text}”不存在")
    for industry in atlas.industries:
        for segment in industry.segments:
            if text in (segment.slug, segment.name, *segment.synonyms):
                return segment.slug
    raise CellError(f"unknown segment {text!r}", f"产业链环节“{text}”不存在")


def _place(text: str, atlas: Atlas) -> str:
    try:
        return atlas.resolve_place(text).adcode
    except AtlasLookupError:
        raise CellError(f"unknown place {text!r}", f"无法识别地名“{text}”") from None


def _parse_cell(name: str, raw: Any, atlas: Atlas) -> Any:
    if name in ("issued_on", "effective_on", "expires_on", "founded_after"):
        return parse_date(raw)
    if name in ("revenue_min", "revenue_max"):
        return parse_number(raw)
    if name == "target_places":
        return [_place(item, atlas) for item in parse_list(raw)]
    if name == "target_industries":
        return [_slug_of("industry", item, atlas) for item in parse_list(raw)]
    if name == "target_segments":
        return [_slug_of("segment", item, atlas) for item in parse_list(raw, max_items=100)]
    if name in ("target_tags", "target_sizes"):
        return parse_list(raw, max_length=50)
    text = parse_text(raw, max_length=_LONG.get(name, 300))
    if name == "place" and text is not None:
        return _place(text, atlas)
    return text


def parse_policies(
    rows: Iterable[tuple[str, int, dict[str, Any]]], *, atlas: Atlas, header: Iterable[str] = ()
) -> tuple[list[tuple[int, PolicyInput]], list[RowProblem]]:
    """Parse ``(sheet, file row, cells)`` rows into policies, or report every problem."""
    table: ParsedRows[PolicyInput] = ParsedRows()
    for name in header:
        if name not in _HEADER and name not in EXPORT_ONLY:
            table.problems.append(
                RowProblem("", 1, name, f"unknown column {name!r}", f"无法识别的列名“{name}”")
            )
    for sheet, number, raw in rows:
        cells = {_HEADER[k]: v for k, v in raw.items() if k in _HEADER}
        values: dict[str, Any] = {}
        row_problems: list[tuple[str, str, str]] = []
        for name, _zh in COLUMNS:
            try:
                values[name] = _parse_cell(name, cells.get(name), atlas)
            except CellError as exc:
                row_problems.append((name, exc.reason, exc.reason_zh))
                continue
            if name in REQUIRED and values[name] is None:
                row_problems.append((name, "required", "必填"))
        if not row_problems:
            policy = _policy(values)
            key = natural_key(policy.number, policy.title, policy.place_adcode)
            row_problems = validate_policy(policy, atlas)
            first = None if row_problems else table.keep(number, policy, key)
            if first is not None:
                column = "number" if key[0] == "number" else "title"
                row_problems = [(column, "duplicate", f"与第 {first} 行为同一政策")]
        table.report(sheet, number, row_problems, raw=raw, headers=_ZH)
    return table.result()


def _policy(values: dict[str, Any]) -> PolicyInput:
    """The policy of a row's parsed cells (``place`` is the issuing place's adcode; text cells
    left empty become "")."""
    fields = {("place_adcode" if name == "place" else name): v for name, v in values.items()}
    texts = {name: fields[name] or "" for name in _TEXTS}
    return PolicyInput(**(fields | texts))


def export_row(
    policy: PolicyInput, *, id: int | None, expired: bool, provenance: str, atlas: Atlas
) -> list[Any]:
    """One exported row in :data:`EXPORT_HEADER` order; re-importing it changes nothing."""

    def names(kind: str, slugs: list[str]) -> str:
        out = []
        for slug in slugs:
            try:
                out.append(str(getattr(atlas, kind)(slug).name))
            except AtlasLookupError:
                out.append(slug)
        return "、".join(out)

    def day(value: date | None) -> str:
        return value.isoformat() if value else ""

    return [
        id,
        policy.title,
        policy.place_adcode,
        policy.department,
        policy.number or "",
        day(policy.issued_on),
        day(policy.effective_on),
        day(policy.expires_on),
        policy.type,
        "、".join(policy.target_places),
        names("industry", policy.target_industries),
        names("segment", policy.target_segments),
        "、".join(policy.target_tags),
        "、".join(policy.target_sizes),
        policy.revenue_min if policy.revenue_min is not None else "",
        policy.revenue_max if policy.revenue_max is not None else "",
        day(policy.founded_after),
        policy.benefits,
        policy.summary,
        policy.full_text,
        policy.link,
        policy.source,
        place_label(policy.place_adcode, atlas),
        "已失效" if expired else "有效",
        "示例数据" if provenance == "demo" else ("导入" if provenance == "import" else "录入"),
    ]
