"""Bulk import of supply and demand lists from XLSX or CSV, all or nothing.

Every row of every sheet is checked; when any row is bad nothing is written and the report
lists each problem with its sheet, row, column and reason. Headers may be Chinese or the
English field names; list cells (keywords, segments, modes) are split on ``,，、;；``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import record_change
from jingjinji.market.listings import (
    ACHIEVEMENT_TYPES,
    KIND_LABELS,
    TRANSACTION_MODES,
    set_segments,
    suggest_segments,
)
from jingjinji.matching import MATURITY_STAGES
from jingjinji.store.base import assign_changed
from jingjinji.store.models import Listing, Organization, User
from jingjinji.store.tabular import read_table

__all__ = ["COLUMNS", "EXPORT_COLUMNS", "ImportProblem", "ImportResult", "import_listings"]

#: Accepted headers (Chinese or English) → field.
COLUMNS: dict[str, str] = {
    "标题": "title",
    "名称": "title",
    "title": "title",
    "简介": "summary",
    "描述": "summary",
    "summary": "summary",
    "所在地": "place",
    "地区": "place",
    "place": "place",
    "关键词": "keywords",
    "keywords": "keywords",
    "产业环节": "segments",
    "segments": "segments",
    "成熟度": "stage",
    "stage": "stage",
    "成果类型": "achievement_type",
    "achievement_type": "achievement_type",
    "专利号": "patent_numbers",
    "patent_numbers": "patent_numbers",
    "交易方式": "transaction_modes",
    "transaction_modes": "transaction_modes",
    "价格下限": "price_min",
    "price_min": "price_min",
    "价格上限": "price_max",
    "price_max": "price_max",
    "预算": "budget",
    "budget": "budget",
    "榜额": "reward",
    "reward": "reward",
    "每小时价格": "price_per_hour",
    "price_per_hour": "price_per_hour",
    "仪器类别": "instrument_category",
    "instrument_category": "instrument_category",
    "解决的问题": "problem",
    "problem": "problem",
    "优势": "advantage",
    "advantage": "advantage",
    "经济性": "economics",
    "economics": "economics",
    "商业化路径": "commercial_route",
    "commercial_route": "commercial_route",
    "现有方案": "current_solution",
    "current_solution": "current_solution",
    "目标指标": "target_indicators",
    "target_indicators": "target_indicators",
    "揭榜条件": "conditions",
    "conditions": "conditions",
    "截止日期": "deadline",
    "deadline": "deadline",
    "有效期至": "valid_until",
    "valid_until": "valid_until",
    "联系方式": "contact",
    "contact": "contact",
    "单位": "organization",
    "发布单位": "organization",
    "organization": "organization",
    # the labels of the 发布 form, so that every label shown there is a header too
    "成果名称": "title",
    "需求名称": "title",
    "榜单名称": "title",
    "仪器名称": "title",
    "成果简介": "summary",
    "需求描述": "summary",
    "攻关内容": "summary",
    "仪器说明": "summary",
    "关键词（用逗号或顿号分隔）": "keywords",
    "所需成熟度": "stage",
    "价格下限（万元）": "price_min",
    "价格上限（万元）": "price_max",
    "相对现有方案的优势": "advantage",
    "经济性对比": "economics",
    "预算（万元）": "budget",
    "现有解决方案": "current_solution",
    "期望完成时间": "deadline",
    "榜额（万元）": "reward",
    "揭榜截止日期": "deadline",
    "每小时价格（元）": "price_per_hour",
    "预约联系方式": "contact",
}
#: Columns a listing export adds for reading (编号, 状态, 数据性质): known, and skipped.
EXPORT_COLUMNS: tuple[str, ...] = ("编号", "状态", "数据性质")
_SPLIT = re.compile(r"[,，、;；]+")
_TEXT_LIMITS = {"title": 200, "contact": 200, "instrument_category": 50}


@dataclass(frozen=True)
class ImportProblem:
    """A bad cell of an imported sheet: where it is and why it was refused (in Chinese)."""

    sheet: str
    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The problem as plain data."""
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportResult:
    """What an import added (the listings, not yet committed), or the problems that stop it."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    #: the listings created; ``touched`` also holds those found again (same kind, owner, title)
    listings: list[Listing] = field(default_factory=list)
    touched: list[Listing] = field(default_factory=list)


def _items(value: Any) -> list[str]:
    return [part.strip() for part in _SPLIT.split(str(value or "")) if part.strip()]


def _number(value: Any) -> float:
    number = float(str(value).replace(",", "").strip())
    if not 0 <= number <= 1e8:
        raise ValueError("out of range")
    return number


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip().replace("/", "-"))


def _segment_slugs(values: list[str], atlas: Atlas) -> list[str]:
    by_name = {seg.name: seg.slug for ind in atlas.industries for seg in ind.segments}
    slugs = []
    for value in values:
        slug = by_name.get(value, value)
        atlas.segment(slug)  # raises AtlasLookupError
        slugs.append(slug)
    return slugs


def _parse_row(
    cells: dict[str, Any], kind: str, atlas: Atlas
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for header, raw in cells.items():
        name = COLUMNS.get(str(header).strip())
        if name is None or raw is None or str(raw).strip() == "":
            continue
        try:
            if name == "organization":
                values["_org"] = str(raw).strip()
            elif name == "place":
                values["place_adcode"] = atlas.resolve_place(str(raw)).adcode
            elif name in ("keywords", "patent_numbers"):
                values[name] = [item[:40] for item in _items(raw)][:20]
            elif name == "segments":
                values["segments"] = _segment_slugs(_items(raw), atlas)
            elif name == "transaction_modes":
                modes = _items(raw)
                bad = [m for m in modes if m not in TRANSACTION_MODES]
                if bad:
                    raise ValueError(
                        f"交易方式须为{'、'.join(TRANSACTION_MODES)}，而不是“{bad[0]}”"
                    )
                values[name] = modes
            elif name == "stage":
                if str(raw).strip() not in MATURITY_STAGES:
                    raise ValueError(f"成熟度须为{'、'.join(MATURITY_STAGES)}")
                values[name] = str(raw).strip()
            elif name == "achievement_type":
                if str(raw).strip() not in ACHIEVEMENT_TYPES:
                    raise ValueError(f"成果类型须为{'、'.join(ACHIEVEMENT_TYPES)}")
                values[name] = str(raw).strip()
            elif name in ("price_min", "price_max", "budget", "reward", "price_per_hour"):
                try:
                    values[name] = _number(raw)
                except ValueError:
                    raise ValueError(f"“{raw}”不是 0 到 1 亿之间的数字") from None
            elif name in ("deadline", "valid_until"):
                try:
                    values[name] = _date(raw)
                except ValueError:
                    raise ValueError(f"“{raw}”不是日期（应为 2026-12-31）") from None
            else:
                text = str(raw).strip()
                limit = _TEXT_LIMITS.get(name, 4000)
                if len(text) > limit:
                    raise ValueError(f"超过 {limit} 个字符")
                values[name] = text
        except AtlasLookupError:
            label = "地点" if name == "place" else "产业环节"
            problems.append((str(header), f"{label}“{raw}”不存在"))
        except ValueError as exc:
            problems.append((str(header), str(exc)))
    if not values.get("title"):
        problems.append(("标题", "缺少标题"))
    if not values.get("place_adcode") and not any(
        p[0] in ("所在地", "地区", "place") for p in problems
    ):
        problems.append(("所在地", "缺少所在地"))
    return values, problems


def import_listings(
    session: Session,
    data: bytes,
    filename: str,
    *,
    kind: str,
    organization_id: int | None,
    atlas: Atlas,
    actor: User | None = None,
    publish: bool = True,
) -> ImportResult:
    """Check every row; add all listings (in ``session``, not committed) only when none is
    bad. Each row belongs to the organization named in its 单位 column, else to
    ``organization_id``. ``TableError`` from :func:`read_table` propagates for unreadable
    files."""
    orgs: dict[str, int] = {
        name: id_ for name, id_ in session.execute(select(Organization.name, Organization.id))
    }
    if kind not in KIND_LABELS:
        raise ValueError(f"kind must be one of {', '.join(KIND_LABELS)}")
    result = ImportResult()
    parsed: list[dict[str, Any]] = []
    for sheet in read_table(data, filename):
        result.problems.extend(
            ImportProblem(
                sheet.name, 1, str(header), f"无法识别的列名“{header}”（请使用模板中的列名）"
            )
            for header in sheet.header
            if str(header).strip()
            and COLUMNS.get(str(header).strip()) is None
            and str(header).strip() not in EXPORT_COLUMNS
        )
        for row_number, cells in sheet.rows:
            values, problems = _parse_row(cells, kind, atlas)
            org_name = values.pop("_org", None)
            if org_name is not None and org_name not in orgs:
                problems.append(("单位", f"机构“{org_name}”不存在"))
            elif org_name is None and organization_id is None:
                problems.append(("单位", "缺少发布单位（或在命令中用 --org 指定）"))
            values["organization_id"] = orgs.get(org_name or "", organization_id)
            result.problems.extend(
                ImportProblem(sheet.name, row_number, column, reason) for column, reason in problems
            )
            parsed.append(values)
    if result.problems or not parsed:
        if not parsed:
            result.problems.append(ImportProblem("", 0, "", "文件中没有数据行"))
        return result
    now = datetime.now(UTC)
    existing = {
        (row.organization_id, row.title): row
        for row in session.scalars(
            select(Listing).where(
                Listing.kind == kind, Listing.title.in_(sorted({v["title"] for v in parsed}))
            )
        )
    }
    for values in parsed:
        segments = values.pop("segments", None)
        found = existing.get((values["organization_id"], values["title"]))
        if found is not None:
            # the same list imported again: change what differs, create nothing
            changed = assign_changed(found, values)
            if segments is not None and sorted(segments) != sorted(found.segments or []):
                set_segments(found, segments, atlas)
                changed = True
            result.updated += changed
            result.unchanged += not changed
            result.touched.append(found)
            continue
        listing = Listing(
            kind=kind,
            status="published" if publish else "draft",
            provenance="import",
            published_at=now if publish else None,
            **values,
        )
        if segments is None:
            text = f"{listing.title}\n{values.get('summary', '')}"
            segments = [s["segment"] for s in suggest_segments(text, atlas)]
        set_segments(listing, segments, atlas)
        session.add(listing)
        existing[(values["organization_id"], values["title"])] = listing
        result.listings.append(listing)
        result.touched.append(listing)
        result.added += 1
    session.flush()
    record_change(
        session,
        actor=actor,
        action="import",
        entity="listing",
        entity_id=f"{kind}:{result.added}",
        after={
            "file": filename,
            "added": result.added,
            "updated": result.updated,
            "unchanged": result.unchanged,
        },
        actor_name=None if actor else "cli",
    )
    return result
