"""The enterprise registry: import (all-or-nothing), classification, review, queries.

The analytics live in :mod:`jingjinji.chains`; this module moves rows between the database
and those pure functions.

Import columns (Chinese or English headers): 企业名称/name, 统一社会信用代码/credit_code,
注册地址/address, 所在地/place (adcode or name; optional when the address names the county),
行业代码/industry_code (GB/T 4754), 经营范围/scope, 主要产品/products, 标签/tags (separated by
、,;|), 规模/size, 营业收入/revenue (万元). Every bad row is reported (sheet, row, column,
reason) and nothing is written; a credit code already in the registry is updated.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.chains import Classifier, classifier_for
from jingjinji.chains.coverage import ChainContext, Coverage
from jingjinji.chains.credit_code import credit_code_problem, normalize_credit_code
from jingjinji.chains.export import coverage_table, suggestion_table
from jingjinji.chains.places import AddressError, resolve_address
from jingjinji.chains.sample import sample_enterprises
from jingjinji.chains.suggest import Suggestion
from jingjinji.store.base import utcnow
from jingjinji.store.models import Enterprise, EnterpriseSegment, Organization, User
from jingjinji.store.tabular import read_table, write_xlsx

__all__ = [
    "COLUMNS",
    "KEY_TAGS",
    "ImportReport",
    "RowProblem",
    "canonical_tags",
    "chain_context",
    "chain_workbook",
    "classify_enterprise",
    "import_enterprises",
    "load_sample_enterprises",
    "presence_rows",
    "review_segment",
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
log = logging.getLogger(__name__)
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


@dataclass
class ImportReport:
    """What an import did (or, with ``problems``, why it wrote nothing)."""

    created: int = 0
    updated: int = 0
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    unresolved: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the import was written (no bad row)."""
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "problems": [p.as_dict() for p in self.problems],
            "unresolved": [p.as_dict() for p in self.unresolved],
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


def _tag_field(tags: Sequence[str]) -> str:
    return "|" + "|".join(tags) + "|" if tags else ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _headers(header: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """Canonical column → header in the file; and headers not understood."""
    normalised = {re.sub(r"\s+", "", h).lower(): h for h in header}
    found: dict[str, str] = {}
    for column, names in COLUMNS.items():
        for name in names:
            if name.lower() in normalised:
                found[column] = normalised[name.lower()]
                break
    return found, [h for h in header if h not in found.values()]


def _parse_row(
    cells: dict[str, Any],
    columns: dict[str, str],
    *,
    atlas: Atlas,
    sheet: str,
    row: int,
) -> tuple[dict[str, Any] | None, list[RowProblem]]:
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
    if len(_tag_field(tags)) > 200:
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


def _segment_rows(
    enterprise_id: int, record: dict[str, Any], classifier: Classifier, reviewed: set[str]
) -> list[dict[str, Any]]:
    matches = classifier.classify(record, include_rejected=False)
    return [
        {
            "enterprise_id": enterprise_id,
            "segment": m.segment,
            "industry": m.industry,
            "confidence": m.confidence,
            "decision": m.decision,
            "evidence": m.evidence,
            "source": "auto",
            "note": "",
        }
        for m in matches
        if m.segment not in reviewed
    ]


def _reclassify(
    session: Session, enterprise_id: int, record: dict[str, Any], classifier: Classifier
) -> int:
    reviewed = set(
        session.scalars(
            select(EnterpriseSegment.segment).where(
                EnterpriseSegment.enterprise_id == enterprise_id,
                EnterpriseSegment.source == "review",
            )
        )
    )
    session.execute(
        delete(EnterpriseSegment).where(
            EnterpriseSegment.enterprise_id == enterprise_id, EnterpriseSegment.source == "auto"
        )
    )
    rows = _segment_rows(enterprise_id, record, classifier, reviewed)
    if rows:
        session.execute(insert(EnterpriseSegment), rows)
    return len(rows)


def classify_enterprise(session: Session, enterprise: Enterprise, atlas: Atlas) -> int:
    """(Re)classify one enterprise: replace its automatic segments, keep reviewed ones.

    Returns the number of automatic segment rows written.
    """
    record = {
        "name": enterprise.name,
        "scope": enterprise.scope,
        "products": enterprise.products,
        "industry_code": enterprise.industry_code,
    }
    return _reclassify(session, enterprise.id, record, classifier_for(atlas))


def import_enterprises(
    session: Session,
    data: bytes,
    filename: str,
    *,
    atlas: Atlas,
    actor: User | None = None,
    actor_name: str | None = None,
    organization: Organization | None = None,
) -> ImportReport:
    """Validate every row, then (only if all are good) create or update by credit code.

    The caller commits (``engine.transaction`` / ``session_scope``); with problems nothing
    is added to the session. Raises :class:`TableError` for an unreadable file.
    """
    from jingjinji.auth import can_edit, record_change, snapshot

    report = ImportReport()
    sheets = read_table(data, filename)
    parsed: list[tuple[str, int, dict[str, Any]]] = []
    first_row: dict[str, tuple[str, int]] = {}
    for sheet in sheets:
        columns, _unknown = _headers(sheet.header)
        missing = [c for c in ("name", "credit_code") if c not in columns]
        if "address" not in columns and "place" not in columns:
            missing.append("address")
        if missing:
            for column in missing:
                report.problems.append(
                    RowProblem(
                        sheet.name,
                        1,
                        column,
                        f"column {column!r} is missing",
                        f"缺少列“{COLUMNS[column][1]}”",
                    )
                )
            continue
        for row_number, cells in sheet.rows:
            report.rows += 1
            record, problems = _parse_row(
                cells, columns, atlas=atlas, sheet=sheet.name, row=row_number
            )
            for problem in problems:
                report.problems.append(problem)
                if problem.column in (columns.get("place"), columns.get("address")):
                    report.unresolved.append(problem)
            if record is None:
                continue
            code = record["credit_code"]
            if code in first_row:
                where = first_row[code]
                report.problems.append(
                    RowProblem(
                        sheet.name,
                        row_number,
                        columns["credit_code"],
                        f"credit code {code} repeats row {where[1]}",
                        f"统一社会信用代码与第 {where[1]} 行重复",
                    )
                )
                continue
            first_row[code] = (sheet.name, row_number)
            parsed.append((sheet.name, row_number, record))
    if report.rows == 0 and not report.problems:
        report.problems.append(RowProblem("", None, None, "no data rows", "文件中没有数据行"))
    existing: dict[str, Enterprise] = {}
    codes = [record["credit_code"] for _, _, record in parsed]
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        for enterprise in session.scalars(
            select(Enterprise).where(Enterprise.credit_code.in_(chunk))
        ):
            existing[enterprise.credit_code] = enterprise
    if actor is not None and actor.role != "admin":
        for sheet_name, row_number, record in parsed:
            found = existing.get(record["credit_code"])
            if found is not None and not can_edit(actor, found.organization_id):
                report.problems.append(
                    RowProblem(
                        sheet_name,
                        row_number,
                        "credit_code",
                        "enterprise is maintained by another organization",
                        "该企业由其他机构维护，无权更新",
                    )
                )
    if report.problems:
        return report
    classifier = classifier_for(atlas)
    for _, _, record in parsed:
        fields = {
            "name": record["name"],
            "address": record["address"],
            "place_adcode": record["place_adcode"],
            "industry_code": record["industry_code"],
            "scope": record["scope"],
            "products": record["products"],
            "tags": _tag_field(record["tags"]),
            "size": record["size"],
            "revenue": record["revenue"],
        }
        found = existing.get(record["credit_code"])
        if found is None:
            enterprise = Enterprise(
                credit_code=record["credit_code"],
                provenance="import",
                organization_id=organization.id if organization else None,
                **fields,
            )
            session.add(enterprise)
            session.flush()
            report.created += 1
            record_change(
                session,
                actor=actor,
                actor_name=actor_name,
                action="create",
                entity="enterprise",
                entity_id=enterprise.id,
                after=snapshot(enterprise),
            )
        else:
            enterprise = found
            before = snapshot(enterprise)
            for key, value in fields.items():
                setattr(enterprise, key, value)
            session.flush()
            report.updated += 1
            record_change(
                session,
                actor=actor,
                actor_name=actor_name,
                action="update",
                entity="enterprise",
                entity_id=enterprise.id,
                before=before,
                after=snapshot(enterprise),
            )
        _reclassify(session, enterprise.id, record, classifier)
    return report


def review_segment(
    session: Session,
    enterprise: Enterprise,
    *,
    segment: str,
    decision: str,
    note: str,
    atlas: Atlas,
    actor: User,
) -> EnterpriseSegment:
    """Confirm or reject a segment of an enterprise (``source='review'``, kept on re-import).

    Raises :class:`AtlasLookupError` for an unknown segment.
    """
    from jingjinji.auth import record_change, snapshot

    industry = atlas.industry_of(segment)
    row = session.scalars(
        select(EnterpriseSegment).where(
            EnterpriseSegment.enterprise_id == enterprise.id,
            EnterpriseSegment.segment == segment,
        )
    ).first()
    before = snapshot(row) if row is not None else None
    if row is None:
        row = EnterpriseSegment(
            enterprise_id=enterprise.id,
            segment=segment,
            industry=industry.slug,
            evidence=[],
        )
        session.add(row)
    row.decision = decision
    row.confidence = 1.0 if decision == "confirmed" else 0.0
    row.source = "review"
    row.reviewed_by = actor.id
    row.note = note
    session.flush()
    record_change(
        session,
        actor=actor,
        action="review",
        entity="enterprise_segment",
        entity_id=row.id,
        before=before,
        after=snapshot(row),
    )
    return row


def presence_rows(session: Session) -> pd.DataFrame:
    """The presence table for :mod:`jingjinji.chains.coverage`: confirmed segments only
    (automatic or reviewed), with the key flag from the tags."""
    key_filter = or_(*(Enterprise.tags.like(f"%|{tag}|%") for tag in sorted(KEY_TAGS)))
    statement = (
        select(
            Enterprise.id,
            Enterprise.name,
            Enterprise.place_adcode,
            EnterpriseSegment.segment,
            key_filter,
            Enterprise.revenue,
        )
        .join(EnterpriseSegment, EnterpriseSegment.enterprise_id == Enterprise.id)
        .where(EnterpriseSegment.decision == "confirmed")
    )
    rows = session.execute(statement).all()
    frame = pd.DataFrame(
        [tuple(row) for row in rows],
        columns=["enterprise_id", "name", "county", "segment", "key", "revenue"],
    )
    frame["key"] = frame["key"].astype(bool)
    return frame


_CONTEXTS: dict[str, tuple[tuple[Any, ...], ChainContext]] = {}


def chain_context(session: Session, atlas: Atlas) -> ChainContext:
    """The :class:`ChainContext` of the registry, rebuilt only when the registry changed.

    The cache key is the database URL with the row count and latest change of enterprises
    and their segments, and of projects in production: a project at 投产 adds one presence
    row per segment in its destination, labelled 项目落地 (:mod:`jingjinji.loop.presence`).
    """
    from jingjinji.store.loop import landed_rows, landed_stamp

    stamp = (
        id(atlas),
        *session.execute(
            select(
                func.count(Enterprise.id), func.max(Enterprise.updated_at), func.max(Enterprise.id)
            )
        ).one(),
        *session.execute(
            select(
                func.count(EnterpriseSegment.id),
                func.max(EnterpriseSegment.updated_at),
                func.max(EnterpriseSegment.id),
            )
        ).one(),
        *landed_stamp(session),
    )
    url = str(session.get_bind().engine.url)
    cached = _CONTEXTS.get(url)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    presence = presence_rows(session)
    landed = landed_rows(session, atlas)
    if landed:
        extra = pd.DataFrame(landed, columns=list(presence.columns))
        presence = pd.concat([presence, extra], ignore_index=True) if len(presence) else extra
    context = ChainContext(atlas, presence)
    _CONTEXTS[url] = (stamp, context)
    return context


def load_sample_enterprises(session: Session, atlas: Atlas, *, count: int = 20_000) -> int:
    """Sample loader: ~20,000 generated enterprises (示例数据) and their segments, in bulk.

    Does nothing when the registry already has rows. Returns the rows added (enterprises).
    """
    if session.scalar(select(func.count(Enterprise.id))):
        return 0
    started = time.perf_counter()
    records = sample_enterprises(atlas, count=count)
    now_rows = [
        {
            "name": r["name"],
            "credit_code": r["credit_code"],
            "address": r["address"],
            "place_adcode": r["place_adcode"],
            "industry_code": r["industry_code"],
            "scope": r["scope"],
            "products": r["products"],
            "tags": _tag_field(r["tags"]),
            "size": r["size"],
            "revenue": r["revenue"],
            "provenance": "demo",
            "organization_id": None,
            "version": 1,
        }
        for r in records
    ]
    now = utcnow()
    for row in now_rows:
        row["created_at"] = row["updated_at"] = now
    connection = session.connection()
    connection.execute(insert(Enterprise.metadata.tables["enterprises"]), now_rows)
    by_code = {
        code: id_ for code, id_ in session.execute(select(Enterprise.credit_code, Enterprise.id))
    }
    ids = [by_code[r["credit_code"]] for r in records]
    classifier = classifier_for(atlas)
    segment_rows: list[dict[str, Any]] = []
    for enterprise_id, record in zip(ids, records, strict=True):
        segment_rows.extend(_segment_rows(enterprise_id, record, classifier, set()))
    for row in segment_rows:
        row["created_at"] = row["updated_at"] = now
        row["reviewed_by"] = None
    connection.execute(insert(Enterprise.metadata.tables["enterprise_segments"]), segment_rows)
    session.flush()
    log.info("sample enterprises: %d in %.1f s", len(ids), time.perf_counter() - started)
    return len(ids)


def chain_workbook(cov: Coverage, items: Sequence[Suggestion], *, is_sample: bool) -> bytes:
    """XLSX with two sheets, 覆盖情况 (coverage) and 招商建议 (suggestions)."""
    return write_xlsx(
        {
            "覆盖情况": coverage_table(cov, is_sample=is_sample),
            "招商建议": suggestion_table(items, is_sample=is_sample),
        }
    )
