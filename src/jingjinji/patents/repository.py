"""Patents in and out of the store: import (all-or-nothing, by application number).

Every bad row is reported (sheet, row, column, reason) and nothing is written; an
application number already stored is updated and its segments replaced. A first applicant
the address does not place is looked up in the enterprise registry by name (its place is
the enterprise's); a patent placed by neither (an applicant outside 京津冀, say) is kept, and
counted in ``unlocated``, but counts for no city in the innovation figures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.auth import can_edit, record_change
from jingjinji.chains.table import RowProblem
from jingjinji.patents.applicants import applicant_kind
from jingjinji.patents.classify import PatentClassifier, patent_classifier_for
from jingjinji.patents.table import COLUMNS, find_columns, missing_columns, parse_row
from jingjinji.store.models import (
    Enterprise,
    EnterpriseSegment,
    Organization,
    Patent,
    PatentSegment,
    User,
)
from jingjinji.store.tabular import read_table

__all__ = [
    "PatentImportReport",
    "import_patents",
    "load_sample_patents",
    "segment_rows",
    "store_patents",
]

log = logging.getLogger(__name__)


@dataclass
class PatentImportReport:
    """What an import did (or, with ``problems``, why it wrote nothing)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    on_segments: int = 0
    located_by_registry: int = 0
    unlocated: int = 0
    problems: list[RowProblem] = field(default_factory=list)
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
            "on_segments": self.on_segments,
            "located_by_registry": self.located_by_registry,
            "unlocated": self.unlocated,
            "problems": [p.as_dict() for p in self.problems],
            "ignored_columns": list(self.ignored_columns),
            "skipped_sheets": list(self.skipped_sheets),
        }


def segment_rows(
    patent_id: int, record: dict[str, Any], classifier: PatentClassifier
) -> list[dict[str, Any]]:
    """The ``patent_segments`` rows of one patent record."""
    return [
        {
            "patent_id": patent_id,
            "segment": m.segment,
            "industry": m.industry,
            "confidence": m.confidence,
            "decision": m.decision,
            "source": classifier.source_of(m),
            "evidence": m.evidence,
        }
        for m in classifier.classify(record["title"], record["abstract"], record["ipc"])
    ]


def _parse(
    data: bytes, filename: str, atlas: Atlas, report: PatentImportReport
) -> list[tuple[str, int, dict[str, Any]]]:
    sheets = read_table(data, filename)
    usable = [(sheet, *find_columns(sheet.header)) for sheet in sheets]
    if any(columns for _sheet, columns, _ignored in usable):
        report.skipped_sheets = [sheet.name for sheet, columns, _i in usable if not columns]
        usable = [item for item in usable if item[1]]
    parsed: list[tuple[str, int, dict[str, Any]]] = []
    first_row: dict[str, int] = {}
    for sheet, columns, ignored in usable:
        report.ignored_columns.extend(h for h in ignored if h not in report.ignored_columns)
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
            report.problems.extend(problems)
            if record is None:
                continue
            number = record["application_number"]
            if number in first_row:
                report.problems.append(
                    RowProblem(
                        sheet.name,
                        row_number,
                        columns["application_number"],
                        f"application number {number} repeats row {first_row[number]}",
                        f"申请号与第 {first_row[number]} 行重复",
                    )
                )
                continue
            first_row[number] = row_number
            parsed.append((sheet.name, row_number, record))
    if report.rows == 0 and not report.problems:
        report.problems.append(RowProblem("", None, None, "no data rows", "文件中没有数据行"))
    return parsed


def _locate_by_registry(session: Session, records: list[dict[str, Any]]) -> int:
    """Place the records whose address placed nothing by their first applicant's name in
    the enterprise registry; the number placed."""
    names = {r["applicants"][0] for r in records if r["place_adcode"] is None and r["applicants"]}
    known: dict[str, str] = {}
    names_list = sorted(names)
    for start in range(0, len(names_list), 500):
        chunk = names_list[start : start + 500]
        for name, adcode in session.execute(
            select(Enterprise.name, Enterprise.place_adcode).where(Enterprise.name.in_(chunk))
        ):
            if adcode:
                known[name] = adcode
    placed = 0
    for record in records:
        if record["place_adcode"] is None and record["applicants"]:
            found = known.get(record["applicants"][0])
            if found:
                record["place_adcode"], record["place_source"] = found, "registry"
                placed += 1
    return placed


def _fields(record: dict[str, Any], provenance: str) -> dict[str, Any]:
    applicants = record["applicants"]
    return {
        "publication_number": record["publication_number"],
        "title": record["title"],
        "abstract": record["abstract"],
        "filed_on": record["filed_on"],
        "published_on": record["published_on"],
        "kind": record["kind"],
        "legal_status": record["legal_status"],
        "main_ipc": record["main_ipc"],
        "ipc": "|" + "|".join(record["ipc"]) + "|" if record["ipc"] else "",
        "applicants": "；".join(applicants),
        "applicant_kind": applicant_kind(applicants[0]) if applicants else "other",
        "owner": record["owner"],
        "address": record["address"],
        "place_adcode": record["place_adcode"],
        "place_source": record.get("place_source", "address" if record["place_adcode"] else ""),
        "provenance": provenance,
    }


def store_patents(
    session: Session,
    records: list[dict[str, Any]],
    *,
    atlas: Atlas,
    provenance: str = "import",
    organization: Organization | None = None,
    existing: dict[str, Patent] | None = None,
) -> tuple[int, int, int]:
    """Create or update ``records`` (parsed rows) and their segments; (created, updated,
    patents on at least one segment). New patents are inserted in bulk."""
    classifier = patent_classifier_for(atlas)
    existing = existing or {}
    created = updated = on_segments = 0
    new = [r for r in records if r["application_number"] not in existing]
    for record in records:
        found = existing.get(record["application_number"])
        if found is None:
            continue
        for key, value in _fields(record, found.provenance).items():
            setattr(found, key, value)
        session.execute(delete(PatentSegment).where(PatentSegment.patent_id == found.id))
        rows = segment_rows(found.id, record, classifier)
        if rows:
            session.execute(insert(PatentSegment), rows)
            on_segments += 1
        updated += 1
    organization_id = organization.id if organization else None
    for start in range(0, len(new), 1000):
        chunk = new[start : start + 1000]
        ids = session.scalars(
            insert(Patent).returning(Patent.id),
            [
                {
                    "application_number": r["application_number"],
                    "organization_id": organization_id,
                    **_fields(r, provenance),
                }
                for r in chunk
            ],
        ).all()
        rows = []
        for patent_id, record in zip(ids, chunk, strict=True):
            found_rows = segment_rows(patent_id, record, classifier)
            on_segments += bool(found_rows)
            rows.extend(found_rows)
        if rows:
            session.execute(insert(PatentSegment), rows)
        created += len(chunk)
    return created, updated, on_segments


def import_patents(
    session: Session,
    data: bytes,
    filename: str,
    *,
    atlas: Atlas,
    actor: User | None = None,
    actor_name: str | None = None,
    organization: Organization | None = None,
) -> PatentImportReport:
    """Validate every row, then (only if all are good) create or update by application
    number. The caller commits; with problems nothing is added to the session. Raises
    :class:`~jingjinji.store.tabular.TableError` for an unreadable file."""
    report = PatentImportReport()
    parsed = _parse(data, filename, atlas, report)
    numbers = [record["application_number"] for _, _, record in parsed]
    existing: dict[str, Patent] = {}
    for start in range(0, len(numbers), 500):
        for patent in session.scalars(
            select(Patent).where(Patent.application_number.in_(numbers[start : start + 500]))
        ):
            existing[patent.application_number] = patent
    if actor is not None and actor.role != "admin":
        for sheet_name, row_number, record in parsed:
            found = existing.get(record["application_number"])
            if found is not None and not can_edit(actor, found.organization_id):
                report.problems.append(
                    RowProblem(
                        sheet_name,
                        row_number,
                        "application_number",
                        "patent is maintained by another organization",
                        "该专利由其他机构维护，无权更新",
                    )
                )
    if report.problems:
        return report
    records = [record for _, _, record in parsed]
    report.located_by_registry = _locate_by_registry(session, records)
    report.unlocated = sum(1 for r in records if r["place_adcode"] is None)
    report.created, report.updated, report.on_segments = store_patents(
        session, records, atlas=atlas, organization=organization, existing=existing
    )
    record_change(
        session,
        actor=actor,
        actor_name=actor_name,
        action="import",
        entity="patent",
        entity_id=filename[:100],
        after={"file": filename, "created": report.created, "updated": report.updated},
    )
    log.info(
        "patent import %s: %d created, %d updated, %d on segments, %d unlocated",
        filename,
        report.created,
        report.updated,
        report.on_segments,
        report.unlocated,
    )
    return report


def load_sample_patents(session: Session, atlas: Atlas, *, count: int = 6000) -> int:
    """Sample loader: ``count`` generated patents (示例数据, :mod:`jingjinji.patents.sample`)
    whose enterprise applicants are sample enterprises of the same segment. Does nothing
    when patents exist. Returns the patents added."""
    from jingjinji.patents.sample import sample_patents

    if session.scalar(select(func.count(Patent.id))):
        return 0
    enterprises: dict[str, list[tuple[str, str, str]]] = {}
    for name, address, adcode, segment in session.execute(
        select(
            Enterprise.name, Enterprise.address, Enterprise.place_adcode, EnterpriseSegment.segment
        )
        .join(EnterpriseSegment, EnterpriseSegment.enterprise_id == Enterprise.id)
        .where(EnterpriseSegment.decision == "confirmed", Enterprise.provenance == "demo")
        .order_by(Enterprise.id)
    ):
        found = enterprises.setdefault(segment, [])
        if len(found) < 40:
            found.append((name, address, adcode))
    records = sample_patents(atlas, count=count, enterprises=enterprises)
    _locate_by_registry(session, records)
    created, _updated, _on = store_patents(session, records, atlas=atlas, provenance="demo")
    return created
