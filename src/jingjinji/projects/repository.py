"""Data access for the project library: filtered queries, records, natural-key import, export,
samples, stage history and the deal a project comes from.

The analytics live in :mod:`jingjinji.projects`; this module turns rows into its records and
back. Imports are all-or-nothing (the caller's transaction) and idempotent: a project is found
by name and destination; a row equal to the stored project changes nothing.

Reads behind the statistics are kept until the table changes
(:class:`jingjinji.store.ReadCache`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import astuple, dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, String, cast, func, insert, or_, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.auth import ImportReport, sample_organization
from jingjinji.auth.imports import OwnedImport
from jingjinji.market.matches import deal_organizations
from jingjinji.projects import ProjectInput, ProjectRecord
from jingjinji.projects.places import covered_codes
from jingjinji.projects.sample import sample_projects
from jingjinji.projects.table import export_row, natural_key
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import Match, Organization, Project, ProjectEvent, User

__all__ = [
    "FIGURES_CACHE",
    "RECORDS_CACHE",
    "SAMPLE_CACHE",
    "DealRefusal",
    "HistoryEntry",
    "ProjectFilter",
    "contract_investment",
    "deal_refusal",
    "export_rows",
    "filtered",
    "filtered_figure",
    "filtered_projects",
    "filtered_records",
    "has_namesake",
    "import_projects",
    "includes_sample",
    "load_sample_projects",
    "project_page",
    "record_stage",
    "stage_history",
    "to_input",
    "to_record",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

_FIELDS = tuple(ProjectInput.__dataclass_fields__)


# ------------------------------------------------------------------------------ read caches


#: Project records per filter (:func:`filtered_records`): a few dozen filters, each entry as
#: large as the projects it covers (about 0.5 kB a project).
RECORDS_CACHE = ReadCache("project records", size=32)
#: Whether a filter covers sample data (:func:`includes_sample`).
SAMPLE_CACHE = ReadCache("project sample flags", size=256)


@dataclass
class ProjectFilter:
    """Filters of the project list; ``None`` leaves a filter off. Places cover their insides
    (see :func:`jingjinji.projects.places.covered_codes`); years are signing years."""

    destination: str | None = None
    origin: str | None = None
    industry: str | None = None
    segment: str | None = None
    platform: str | None = None
    park: str | None = None
    stage: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    q: str | None = None
    organization_id: int | None = None


def _place_clause(column: Any, adcode: str, atlas: Atlas) -> Any:
    codes, prefix = covered_codes(adcode, atlas)
    clause = column.in_(sorted(codes))
    return or_(clause, column.startswith(prefix)) if prefix else clause


def filtered(filt: ProjectFilter, atlas: Atlas) -> Select[Any]:
    """A SELECT of the projects passing ``filt`` (unordered)."""
    query = select(Project)
    if filt.destination:
        query = query.where(_place_clause(Project.destination_adcode, filt.destination, atlas))
    if filt.origin:
        query = query.where(_place_clause(Project.origin_adcode, filt.origin, atlas))
    for column, value in (
        (Project.industry, filt.industry),
        (Project.platform, filt.platform),
        (Project.park, filt.park),
        (Project.stage, filt.stage),
        (Project.organization_id, filt.organization_id),
    ):
        if value is not None and value != "":
            query = query.where(column == value)
    if filt.segment:
        # slugs are [a-z0-9-]: a portable match on the JSON text, no wildcard inside
        query = query.where(cast(Project.segments, String).contains(f'"{filt.segment}"'))
    if filt.year_from is not None:
        query = query.where(Project.signed_on >= date(filt.year_from, 1, 1))
    if filt.year_to is not None:
        query = query.where(Project.signed_on <= date(filt.year_to, 12, 31))
    if filt.q:
        needle = filt.q.strip()
        query = query.where(
            or_(
                Project.name.contains(needle, autoescape=True),
                cast(Project.enterprises, String).contains(needle, autoescape=True),
            )
        )
    return query


def _newest_first(query: Select[Any]) -> Select[Any]:
    return query.order_by(Project.signed_on.desc(), Project.id.desc())


def project_page(
    session: Session, filt: ProjectFilter, atlas: Atlas, *, page: int, per_page: int
) -> tuple[list[Project], int]:
    """One page (from 1) of the projects passing ``filt``, newest signing first, and how many
    pass it."""
    query = filtered(filt, atlas)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(_newest_first(query).offset((page - 1) * per_page).limit(per_page))
    return list(rows), count


def filtered_projects(session: Session, filt: ProjectFilter, atlas: Atlas) -> list[Project]:
    """Every project passing ``filt``, newest signing first."""
    return list(session.scalars(_newest_first(filtered(filt, atlas))))


def includes_sample(session: Session, filt: ProjectFilter, atlas: Atlas) -> bool:
    """Whether any project passing ``filt`` is sample data (provenance ``demo``); kept until
    the projects change."""

    def compute() -> bool:
        query = filtered(filt, atlas).where(Project.provenance == "demo").limit(1)
        return session.scalar(query) is not None

    key = (astuple(filt), atlas)
    return SAMPLE_CACHE.get(session, key, table_stamp(session, Project), compute)


_RECORD_COLUMNS = (
    Project.name,
    Project.origin_adcode,
    Project.destination_adcode,
    Project.investment,
    Project.stage,
    Project.signed_on,
    Project.industry,
    Project.segments,
    Project.platform,
    Project.park,
    Project.id,
)


def _records(session: Session, filt: ProjectFilter, atlas: Atlas) -> tuple[ProjectRecord, ...]:
    """What :func:`to_record` makes of the rows passing ``filt``, read without ORM objects."""
    query = _newest_first(filtered(filt, atlas).with_only_columns(*_RECORD_COLUMNS))
    return tuple(
        ProjectRecord(
            name=row.name,
            origin=row.origin_adcode,
            destination=row.destination_adcode,
            investment=row.investment,
            stage=row.stage,
            year=ProjectRecord.year_of(row.signed_on),
            industry=row.industry,
            segments=tuple(row.segments or ()),
            platform=row.platform,
            park=row.park,
            id=row.id,
        )
        for row in session.execute(query)
    )


def filtered_records(session: Session, filt: ProjectFilter, atlas: Atlas) -> list[ProjectRecord]:
    """The analytics records of every project passing ``filt``, newest signing first (as
    :func:`to_record` makes them); read once per filter and kept until the projects change,
    so repeated statistics cost one indexed query."""
    key = (astuple(filt), atlas)
    stamp = table_stamp(session, Project)
    return list(RECORDS_CACHE.get(session, key, stamp, lambda: _records(session, filt, atlas)))


#: Figures derived from the records of a filter (statistics, flows), per filter and figure.
FIGURES_CACHE = ReadCache("project figures", size=256, summary=True)


def filtered_figure(
    session: Session,
    filt: ProjectFilter,
    atlas: Atlas,
    what: Hashable,
    compute: Callable[[list[ProjectRecord]], T],
) -> T:
    """``compute`` of the records of ``filt`` (:func:`filtered_records`), kept per filter and
    ``what`` (a name of the figure and its options) until the projects change. The answer is
    shared between callers: return immutable values or copy them."""
    key = (astuple(filt), atlas, what)
    stamp = table_stamp(session, Project)
    return FIGURES_CACHE.get(
        session,
        key,
        stamp,
        lambda: compute(filtered_records(session, filt, atlas)),
        refresh=lambda own: compute(filtered_records(own, filt, atlas)),
    )


def has_namesake(session: Session, data: ProjectInput, *, own_id: int | None) -> bool:
    """Whether a stored project other than ``own_id`` has the name and destination of
    ``data``."""
    clash = session.scalar(
        select(Project.id).where(
            Project.name == data.name, Project.destination_adcode == data.destination_adcode
        )
    )
    return clash is not None and clash != own_id


def to_record(row: Project) -> ProjectRecord:
    """The analytics record of a stored project."""
    return ProjectRecord(
        name=row.name,
        origin=row.origin_adcode,
        destination=row.destination_adcode,
        investment=row.investment,
        stage=row.stage,
        year=ProjectRecord.year_of(row.signed_on),
        industry=row.industry,
        segments=tuple(row.segments or ()),
        platform=row.platform,
        park=row.park,
        id=row.id,
    )


def to_input(row: Project) -> ProjectInput:
    """The entered fields of a stored project."""
    return ProjectInput(**{name: getattr(row, name) for name in _FIELDS})


_IMPORT = OwnedImport(
    model=Project,
    entity="project",
    column="项目名称",
    message="project belongs to another organization",
    message_zh="第 {row} 行：同名同落地地的项目属于其他机构，不能覆盖",
    key=lambda data: natural_key(data.name, data.destination_adcode),
)


def import_projects(
    session: Session,
    rows: list[tuple[int, ProjectInput]],
    *,
    organization: Organization,
    actor: User | None,
    sheet: str = "",
) -> ImportReport:
    """Create or update parsed projects, owned by ``organization``, in the caller's transaction.

    A project of another organization with the same name and destination is a row problem
    (unless ``actor`` is an admin); when there is any problem nothing is written and the report
    lists every problem. A row naming a deal (来源对接编号) follows :func:`deal_refusal`.
    Every created or updated project gets an audit entry.
    """
    names = sorted({r.name for _n, r in rows})
    existing: dict[Hashable, Project] = {
        natural_key(row.name, row.destination_adcode): row
        for row in session.scalars(select(Project).where(Project.name.in_(names)))
    }
    report = ImportReport()
    for number, data in rows:
        if data.match_id is None:
            continue
        found = existing.get(natural_key(data.name, data.destination_adcode))
        refusal = deal_refusal(
            session,
            data.match_id,
            organization_id=organization.id,
            is_admin=actor is not None and actor.role == "admin",
            project_id=found.id if found is not None else None,
        )
        if refusal is not None:
            report.problems.append(
                {
                    "sheet": sheet,
                    "row": number,
                    "column": "来源对接编号",
                    "message": str(refusal),
                    "message_zh": f"第 {number} 行：{refusal.message_zh}",
                }
            )
    if report.problems:
        return report
    return _IMPORT.run(session, rows, existing, organization=organization, actor=actor, sheet=sheet)


def export_rows(rows: Iterable[Project], atlas: Atlas) -> list[list[Any]]:
    """The rows as an exported table's rows (:data:`~jingjinji.projects.table.EXPORT_HEADER`
    order)."""
    return [export_row(to_input(r), id=r.id, provenance=r.provenance, atlas=atlas) for r in rows]


def load_sample_projects(session: Session, atlas: Atlas) -> int:
    """Sample loader: about 2,000 generated projects (示例数据), inserted in bulk.

    Does nothing when the library already has rows; returns the rows added.
    """
    if session.scalar(select(func.count(Project.id))):
        return 0
    started = time.perf_counter()
    org = sample_organization(session)
    rows = [
        {**project.as_dict(), "provenance": "demo", "organization_id": org.id, "version": 1}
        for project in sample_projects(atlas)
    ]
    session.execute(insert(Project), rows)
    session.flush()
    log.info("sample projects: %d in %.1f s", len(rows), time.perf_counter() - started)
    return len(rows)


# ------------------------------------------------------------------------------ deals


class DealRefusal(ValueError):
    """Why a project may not name a deal: HTTP ``status`` (403, 409, 422), the body ``field``
    and a Chinese ``message_zh``."""

    def __init__(self, status: int, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.status, self.field, self.message_zh = status, "match_id", message_zh


def deal_refusal(
    session: Session,
    match_id: int,
    *,
    organization_id: int | None,
    is_admin: bool,
    project_id: int | None = None,
) -> DealRefusal | None:
    """Why a project (``project_id``, or a new one) may not name the deal ``match_id`` for
    ``organization_id``, or ``None`` when it may.

    The deal must exist and be at 落地 (else 422), ``organization_id`` must own its demand or
    its achievement unless the caller is an admin (else 403), and no other project may name
    it (else 409).
    """
    match = session.get(Match, match_id)
    if match is None:
        return DealRefusal(422, "no such match", f"对接记录 {match_id} 不存在")
    if not is_admin and organization_id not in deal_organizations(session, match):
        return DealRefusal(403, "not a party", "只能登记本机构作为一方参与的对接")
    if match.stage != "落地":
        return DealRefusal(
            422, "match not landed", f"对接处于“{match.stage}”阶段，落地后才能登记为项目"
        )
    taken = session.scalar(
        select(Project.id).where(Project.match_id == match_id, Project.id != (project_id or 0))
    )
    if taken is not None:
        return DealRefusal(409, "match has a project", "该对接已登记为项目，不能重复登记")
    return None


def contract_investment(match: Match | None) -> float | None:
    """The investment (亿元) a deal's signed contract implies: its ``amount`` (万元) / 10 000,
    or ``None`` when no amount is recorded."""
    amount = (match.contract or {}).get("amount") if match is not None else None
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or amount < 0:
        return None
    return round(float(amount) / 10_000, 6)


# ------------------------------------------------------------------------------ stages


@dataclass(frozen=True)
class HistoryEntry:
    """One stage change with the name of the person and organization who made it."""

    event: ProjectEvent
    actor_name: str
    organization_name: str | None


def record_stage(
    session: Session,
    project: Project,
    *,
    user: User | None,
    from_stage: str,
    to_stage: str,
    reason: str = "",
) -> ProjectEvent:
    """Add a stage event of ``project`` (``from_stage`` empty when it is registered) in the
    caller's transaction."""
    session.flush()
    event = ProjectEvent(
        project_id=project.id,
        user_id=user.id if user is not None else None,
        actor=user.username if user is not None else "system",
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason[:300],
    )
    session.add(event)
    return event


def stage_history(session: Session, project_id: int) -> list[HistoryEntry]:
    """The stage events of a project, oldest first."""
    rows = session.execute(
        select(ProjectEvent, User.display_name, Organization.name)
        .outerjoin(User, User.id == ProjectEvent.user_id)
        .outerjoin(Organization, Organization.id == User.organization_id)
        .where(ProjectEvent.project_id == project_id)
        .order_by(ProjectEvent.at, ProjectEvent.id)
    ).all()
    return [
        HistoryEntry(event=event, actor_name=display or event.actor, organization_name=org)
        for event, display, org in rows
    ]
