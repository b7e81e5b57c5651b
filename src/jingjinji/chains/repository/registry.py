"""The enterprise registry: import (all-or-nothing, by credit code), classification, review.

Every bad row is reported (sheet, row, column, reason) and nothing is written; a credit code
already in the registry is updated. Rows are parsed by :mod:`jingjinji.chains.table`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.auth import audit_row, can_edit, snapshot
from jingjinji.chains import Classifier, classifier_for
from jingjinji.chains.table import (
    COLUMNS,
    PLACE_COLUMNS,
    RowProblem,
    find_columns,
    missing_columns,
    parse_row,
    tag_field,
)
from jingjinji.store.models import Enterprise, EnterpriseSegment, Organization, User
from jingjinji.store.tabular import read_table

__all__ = [
    "ImportReport",
    "classify_enterprise",
    "import_enterprises",
    "review_segment",
    "segment_rows",
]

log = logging.getLogger(__name__)


@dataclass
class ImportReport:
    """What an import did (or, with ``problems``, why it wrote nothing); ``ignored_columns``
    lists once each header the platform does not use, ``skipped_sheets`` the sheets that
    name no column at all (an explanation sheet)."""

    created: int = 0
    updated: int = 0
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    unresolved: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)

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
            "ignored_columns": list(self.ignored_columns),
            "skipped_sheets": list(self.skipped_sheets),
        }


def segment_rows(
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
    rows = segment_rows(enterprise_id, record, classifier, reviewed)
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
    report = ImportReport()
    sheets = read_table(data, filename)
    parsed: list[tuple[str, int, dict[str, Any]]] = []
    first_row: dict[str, tuple[str, int]] = {}
    usable = [(sheet, *find_columns(sheet.header)) for sheet in sheets]
    if any(columns for _sheet, columns, _ignored in usable):
        # a sheet that names none of the columns (说明, 筛选条件 …) is not part of the data
        report.skipped_sheets = [sheet.name for sheet, columns, _i in usable if not columns]
        usable = [item for item in usable if item[1]]
    for sheet, columns, ignored in usable:
        for header in ignored:
            if header not in report.ignored_columns:
                report.ignored_columns.append(header)
        missing = missing_columns(columns)
        for column, message, message_zh in missing:
            report.problems.append(
                RowProblem(sheet.name, 1, COLUMNS[column][0], message, message_zh)
            )
        if missing:
            continue
        for row_number, cells in sheet.rows:
            report.rows += 1
            record, problems = parse_row(
                cells, columns, atlas=atlas, sheet=sheet.name, row=row_number
            )
            for problem in problems:
                report.problems.append(problem)
                if problem.column in {columns.get(c) for c in PLACE_COLUMNS} - {None}:
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
            "tags": tag_field(record["tags"]),
            "size": record["size"],
            "revenue": record["revenue"],
            "status": record["status"],
            "founded_on": record["founded_on"],
            "closed_on": record["closed_on"],
        }
        found = existing.get(record["credit_code"])
        before = None if found is None else snapshot(found)
        if found is None:
            enterprise = Enterprise(
                credit_code=record["credit_code"],
                provenance="import",
                organization_id=organization.id if organization else None,
                **fields,
            )
            session.add(enterprise)
            report.created += 1
        else:
            enterprise = found
            for key, value in fields.items():
                setattr(enterprise, key, value)
            report.updated += 1
        audit_row(
            session,
            enterprise,
            actor=actor,
            actor_name=actor_name,
            action="create" if found is None else "update",
            entity="enterprise",
            before=before,
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
    audit_row(
        session, row, actor=actor, action="review", entity="enterprise_segment", before=before
    )
    return row
