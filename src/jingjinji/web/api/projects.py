"""The project library API: list, one project, statistics, flows, export, import, edits."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import EDITOR, audit_row, owner, record_change, snapshot
from jingjinji.projects import (
    ProjectInput,
    breakdown,
    flows,
    parse_projects,
    place_label,
    stage_funnel,
    totals,
    validate_project,
)
from jingjinji.projects.repository import (
    ProjectFilter,
    apply_input,
    filtered,
    import_projects,
    to_input,
    to_record,
)
from jingjinji.projects.table import EXPORT_HEADER, export_row
from jingjinji.store.models import Project, User
from jingjinji.store.tabular import TableError, read_table, write_csv, write_xlsx
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.imports import ImportFailed, import_error
from jingjinji.web.ownership import editable_record, owning_organization_id
from jingjinji.web.schemas.projects import (
    BucketPublic,
    FlowPublic,
    FlowsPublic,
    ImportReportPublic,
    ProjectCreate,
    ProjectPublic,
    ProjectsPublic,
    ProjectStatsPublic,
    ProjectUpdate,
)
from jingjinji.web.security import requires
from jingjinji.web.uploads import read_upload, table_error

router = APIRouter(prefix="/api/projects", tags=["projects"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AdcodeQ = Annotated[str | None, Query(pattern=r"^\d{6}$", description="行政区划代码")]
SlugQ = Annotated[str | None, Query(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
YearQ = Annotated[int | None, Query(ge=1949, le=2100)]
ProjectId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def project_filter(
    destination: AdcodeQ = None,
    origin: AdcodeQ = None,
    industry: SlugQ = None,
    segment: SlugQ = None,
    platform: SlugQ = None,
    park: SlugQ = None,
    stage: Annotated[Literal["签约", "开工", "在建", "投产", "终止"] | None, Query()] = None,
    year_from: YearQ = None,
    year_to: YearQ = None,
    q: Annotated[str | None, Query(max_length=100, description="项目或企业名称包含")] = None,
) -> ProjectFilter:
    """The list filters shared by the list, statistics, flows and export."""
    return ProjectFilter(
        destination=destination,
        origin=origin,
        industry=industry,
        segment=segment,
        platform=platform,
        park=park,
        stage=stage,
        year_from=year_from,
        year_to=year_to,
        q=q.strip() if q and q.strip() else None,
    )


def _name(atlas: Atlas, kind: str, slug: str | None) -> str | None:
    if not slug:
        return None
    try:
        return str(getattr(atlas, kind)(slug).name)
    except AtlasLookupError:
        return slug


def project_public(row: Project, atlas: Atlas) -> ProjectPublic:
    """The public form of a stored project, with Chinese names."""
    return ProjectPublic(
        id=row.id,
        name=row.name,
        origin_adcode=row.origin_adcode,
        origin_name=place_label(row.origin_adcode, atlas),
        destination_adcode=row.destination_adcode,
        destination_name=place_label(row.destination_adcode, atlas),
        industry=row.industry,
        industry_name=_name(atlas, "industry", row.industry),
        segments=list(row.segments or []),
        segment_names=[_name(atlas, "segment", s) or s for s in row.segments or []],
        platform=row.platform,
        platform_name=_name(atlas, "platform", row.platform),
        park=row.park,
        park_name=_name(atlas, "park", row.park),
        investment=row.investment,
        stage=row.stage,
        signed_on=row.signed_on,
        started_on=row.started_on,
        operating_on=row.operating_on,
        terminated_on=row.terminated_on,
        enterprises=list(row.enterprises or []),
        addresses=row.addresses,
        match_id=row.match_id,
        source=row.source,
        provenance=row.provenance,
        is_sample=row.provenance == "demo",
        organization_id=row.organization_id,
        version=row.version,
    )


def list_rows(
    db: Session, filt: ProjectFilter, atlas: Atlas, *, page: int, per_page: int
) -> tuple[list[Project], int]:
    """One page of filtered projects (newest signing first) and the filtered count."""
    query = filtered(filt, atlas)
    count = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(
        query.order_by(Project.signed_on.desc(), Project.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return list(rows), count


def all_rows(db: Session, filt: ProjectFilter, atlas: Atlas) -> list[Project]:
    """Every filtered project (newest signing first)."""
    query = filtered(filt, atlas).order_by(Project.signed_on.desc(), Project.id.desc())
    return list(db.scalars(query))


FilterDep = Annotated[ProjectFilter, Depends(project_filter)]


@router.get("")
def list_projects(
    db: SessionDep,
    atlas: AtlasDep,
    filt: FilterDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ProjectsPublic:
    """Projects passing the filters, newest signing first, one page at a time."""
    rows, count = list_rows(db, filt, atlas, page=page, per_page=per_page)
    return ProjectsPublic(data=[project_public(r, atlas) for r in rows], count=count)


@router.get("/stats")
def project_stats(
    db: SessionDep,
    atlas: AtlasDep,
    filt: FilterDep,
    by: Annotated[
        Literal[
            "destination", "origin", "industry", "corridor", "platform", "park", "stage", "year"
        ],
        Query(description="分组维度"),
    ] = "destination",
) -> ProjectStatsPublic:
    """Count and investment (亿元) of the filtered projects by one dimension.

    Places group at the prefecture level in the region and the province level outside it; a
    project lies on every corridor through its destination, so corridor buckets overlap.
    """
    records = [to_record(r) for r in all_rows(db, filt, atlas)]
    total = totals(records)
    buckets = breakdown(records, by=by, atlas=atlas)
    return ProjectStatsPublic(
        by=by,
        total_count=total.count,
        total_investment=total.investment,
        data=[BucketPublic(**vars(b)) for b in buckets],
    )


@router.get("/flows")
def project_flows(db: SessionDep, atlas: AtlasDep, filt: FilterDep) -> FlowsPublic:
    """Projects and investment from each origin unit to each destination unit."""
    records = [to_record(r) for r in all_rows(db, filt, atlas)]
    data = [FlowPublic(**vars(f)) for f in flows(records, atlas=atlas)]
    return FlowsPublic(data=data, count=len(data))


@router.get("/funnel")
def project_funnel(db: SessionDep, atlas: AtlasDep, filt: FilterDep) -> list[BucketPublic]:
    """Live projects that reached each stage 签约 → 开工 → 在建 → 投产."""
    records = [to_record(r) for r in all_rows(db, filt, atlas)]
    return [BucketPublic(**vars(b)) for b in stage_funnel(records)]


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "text/csv": {}}}},
)
def export_projects(
    db: SessionDep,
    atlas: AtlasDep,
    filt: FilterDep,
    format: Annotated[Literal["xlsx", "csv"], Query()] = "xlsx",
) -> Response:
    """The filtered projects as an XLSX (or CSV) table that imports back unchanged."""
    rows = [
        export_row(to_input(r), id=r.id, provenance=r.provenance, atlas=atlas)
        for r in all_rows(db, filt, atlas)
    ]
    if format == "csv":
        content, media, name = write_csv(EXPORT_HEADER, rows), "text/csv", "projects.csv"
    else:
        content, media, name = write_xlsx({"项目库": (EXPORT_HEADER, rows)}), XLSX, "projects.xlsx"
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def read_projects(
    data: bytes, filename: str, atlas: Atlas
) -> tuple[list[tuple[int, ProjectInput]], str]:
    """Parse an uploaded table; raises :class:`ImportFailed` with every row problem."""
    sheets = read_table(data, filename, max_rows=20_000)
    sheet = sheets[0]
    rows = ((sheet.name, number, cells) for number, cells in sheet.rows)
    parsed, problems = parse_projects(rows, atlas=atlas, header=sheet.header)
    if problems:
        raise ImportFailed([p.as_dict() for p in problems])
    return parsed, sheet.name


@router.post("/import")
async def import_projects_file(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
    file: Annotated[UploadFile, File(description="XLSX 或 CSV")],
) -> ImportReportPublic:
    """Import projects from a spreadsheet, all or nothing; owned by the caller's organization.

    A project with the same name and destination is updated; importing the same file again
    changes nothing. Errors answer 422 naming every bad row and column.
    """
    data = await read_upload(file, request)
    try:
        parsed, sheet = read_projects(data, file.filename or "upload.xlsx", atlas)
    except TableError as exc:
        raise table_error(exc) from exc
    except ImportFailed as exc:
        raise import_error(exc.problems) from exc
    report = import_projects(db, parsed, organization=user.organization, actor=user, sheet=sheet)
    if report.problems:
        db.rollback()
        raise import_error(report.problems)
    db.commit()
    return ImportReportPublic(
        created=report.created, updated=report.updated, unchanged=report.unchanged
    )


def _check(db: Session, data: ProjectInput, atlas: Atlas, *, own_id: int | None) -> None:
    problems = validate_project(data, atlas)
    if problems:
        fields = [{"field": f"body.{name}", "message": zh} for name, _en, zh in problems]
        raise ApiError(422, "；".join(zh for _n, _e, zh in problems), fields=fields)
    clash = db.scalar(
        select(Project.id).where(
            Project.name == data.name, Project.destination_adcode == data.destination_adcode
        )
    )
    if clash is not None and clash != own_id:
        raise ApiError(
            422,
            "已有同名且落地地相同的项目",
            code="duplicate",
            fields=[{"field": "body.name", "message": "duplicate"}],
        )


@router.post("", status_code=201)
def create_project(
    body: ProjectCreate,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
) -> ProjectPublic:
    """Add a project, owned by the caller's organization (admins may name another)."""
    org_id = owning_organization_id(db, user, body.organization_id, what="项目")
    data = ProjectInput(**body.model_dump(exclude={"organization_id"}))
    data.name = " ".join(data.name.split())
    _check(db, data, atlas, own_id=None)
    row = Project(**data.as_dict(), provenance="manual", organization_id=org_id)
    db.add(row)
    audit_row(db, row, actor=user, action="create", entity="project")
    db.commit()
    return project_public(row, atlas)


@router.get("/{project_id}")
def read_project(project_id: ProjectId, db: SessionDep, atlas: AtlasDep) -> ProjectPublic:
    """One project."""
    row = db.get(Project, project_id)
    if row is None:
        raise ApiError(404, "项目不存在")
    return project_public(row, atlas)


@router.patch("/{project_id}")
def update_project(
    project_id: ProjectId,
    body: ProjectUpdate,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(owner("project"))],
) -> ProjectPublic:
    """Change a project of the caller's organization; a stale ``version`` answers 409."""
    row = editable_record(db, Project, project_id, user, not_found="项目不存在")
    if body.version is not None and body.version != row.version:
        raise ApiError(409)
    data = to_input(row)
    for name, value in body.model_dump(exclude_unset=True, exclude={"version"}).items():
        if name in ("segments", "enterprises") and value is None:
            value = []
        setattr(data, name, value)
    if (
        data.name is None
        or data.origin_adcode is None
        or data.destination_adcode is None
        or data.investment is None
        or data.stage is None
    ):
        raise ApiError(422, "项目名称、来源地、落地地、投资额和阶段不能为空")
    _check(db, data, atlas, own_id=row.id)
    before = snapshot(row)
    if apply_input(row, data):
        audit_row(db, row, actor=user, action="update", entity="project", before=before)
        db.commit()
    return project_public(row, atlas)


@router.delete("/{project_id}", status_code=204)
def delete_project(
    project_id: ProjectId,
    db: SessionDep,
    user: Annotated[User, requires(owner("project"))],
) -> None:
    """Delete a project of the caller's organization."""
    row = editable_record(db, Project, project_id, user, not_found="项目不存在")
    before = snapshot(row)
    db.delete(row)
    record_change(
        db, actor=user, action="delete", entity="project", entity_id=project_id, before=before
    )
    db.commit()
