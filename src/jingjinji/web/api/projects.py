"""The project library API: list, one project and its stage history, statistics, flows,
export, import, edits.

Every create and every stage change through ``PATCH`` is a :class:`ProjectEvent`
(``GET /api/projects/{id}/history``); a change to 终止 needs a ``reason``. A project that names
a deal (``match_id``) must name a deal at 落地 of the caller's organization
(:func:`~jingjinji.projects.repository.deal_refusal`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jingjinji import market
from jingjinji.atlas import Atlas
from jingjinji.auth import EDITOR, owner
from jingjinji.projects import (
    ProjectInput,
    breakdown,
    flows,
    parse_projects,
    stage_funnel,
    totals,
    validate_project,
)
from jingjinji.projects.repository import (
    DealRefusal,
    ProjectFilter,
    contract_investment,
    deal_refusal,
    export_rows,
    filtered_figure,
    filtered_projects,
    filtered_records,
    has_namesake,
    import_projects,
    includes_sample,
    project_page,
    record_stage,
    stage_history,
    to_input,
)
from jingjinji.projects.table import EXPORT_HEADER
from jingjinji.store.models import Match, Project, User
from jingjinji.store.tabular import write_csv, write_xlsx
from jingjinji.web import edits
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.errors import ApiError, integrity_api_error
from jingjinji.web.ownership import owning_organization_id
from jingjinji.web.params import XLSX, AdcodeQ, PageQ, PerPageQ, SlugQ, TableUpload
from jingjinji.web.presenters.projects import history_public, project_public
from jingjinji.web.schemas.projects import (
    BucketPublic,
    FlowPublic,
    FlowsPublic,
    FunnelPublic,
    ImportReportPublic,
    ProjectCreate,
    ProjectHistoryPublic,
    ProjectPublic,
    ProjectsPublic,
    ProjectStatsPublic,
    ProjectUpdate,
)
from jingjinji.web.security import requires

router = APIRouter(prefix="/api/projects", tags=["projects"])

YearQ = Annotated[int | None, Query(ge=1949, le=2100)]
ProjectId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ProjectOwner = Annotated[User, requires(owner("project"))]


async def project_filter(
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


FilterDep = Annotated[ProjectFilter, Depends(project_filter)]


@router.get("", summary="项目库列表（分页、筛选）")
def list_projects(
    db: SessionDep, atlas: AtlasDep, filt: FilterDep, page: PageQ = 1, per_page: PerPageQ = 50
) -> ProjectsPublic:
    """Projects passing the filters, newest signing first, one page at a time."""
    rows, count = project_page(db, filt, atlas, page=page, per_page=per_page)
    return ProjectsPublic(data=[project_public(r, atlas) for r in rows], count=count)


@router.get("/stats", summary="按维度统计项目数量与投资额")
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
    total, buckets = filtered_figure(
        db,
        filt,
        atlas,
        ("breakdown", by),
        lambda records: (totals(records), breakdown(records, by=by, atlas=atlas)),
    )
    return ProjectStatsPublic(
        by=by,
        total_count=total.count,
        total_investment=total.investment,
        data=[BucketPublic(**vars(b)) for b in buckets],
        includes_sample=includes_sample(db, filt, atlas),
    )


@router.get("/flows", summary="项目从来源地到落地地的流向")
def project_flows(db: SessionDep, atlas: AtlasDep, filt: FilterDep) -> FlowsPublic:
    """Projects and investment from each origin unit to each destination unit."""
    figures = filtered_figure(db, filt, atlas, "flows", lambda records: flows(records, atlas=atlas))
    data = [FlowPublic(**vars(f)) for f in figures]
    return FlowsPublic(data=data, count=len(data), includes_sample=includes_sample(db, filt, atlas))


@router.get("/funnel", summary="项目阶段漏斗（签约→开工→在建→投产）")
def project_funnel(db: SessionDep, atlas: AtlasDep, filt: FilterDep) -> FunnelPublic:
    """Live projects that reached each stage 签约 → 开工 → 在建 → 投产; ``includes_sample``
    when any project behind them is sample data."""
    records = filtered_records(db, filt, atlas)
    data = [BucketPublic(**vars(b)) for b in stage_funnel(records)]
    return FunnelPublic(
        data=data, count=len(data), includes_sample=includes_sample(db, filt, atlas)
    )


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "text/csv": {}}}},
    summary="导出项目（XLSX 或 CSV）",
)
def export_projects(
    db: SessionDep,
    atlas: AtlasDep,
    filt: FilterDep,
    format: Annotated[Literal["xlsx", "csv"], Query()] = "xlsx",
) -> Response:
    """The filtered projects as an XLSX (or CSV) table that imports back unchanged."""
    rows = export_rows(filtered_projects(db, filt, atlas), atlas)
    if format == "csv":
        content, media, name = write_csv(EXPORT_HEADER, rows), "text/csv", "projects.csv"
    else:
        content, media, name = write_xlsx({"项目库": (EXPORT_HEADER, rows)}), XLSX, "projects.xlsx"
    return Response(
        content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/import", summary="批量导入项目（全部成功才生效）")
async def import_projects_file(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
    file: TableUpload,
) -> ImportReportPublic:
    """Import projects from a spreadsheet, all or nothing; owned by the caller's organization.

    A project with the same name and destination is updated; importing the same file again
    changes nothing. Errors answer 422 naming every bad row and column.
    """
    return await edits.import_upload(
        request, db, file, user, atlas=atlas, parse=parse_projects, store=import_projects
    )


def _check(db: Session, data: ProjectInput, atlas: Atlas, *, own_id: int | None) -> None:
    problems = validate_project(data, atlas)
    if problems:
        raise edits.invalid_body(problems)
    if has_namesake(db, data, own_id=own_id):
        raise ApiError(
            422,
            "已有同名且落地地相同的项目",
            code="duplicate",
            fields=[{"field": "body.name", "message": "duplicate"}],
        )


def _refuse(refusal: DealRefusal) -> ApiError:
    fields = [{"field": f"body.{refusal.field}", "message": refusal.message_zh}]
    return ApiError(refusal.status, refusal.message_zh, fields=fields)


def _deal(
    db: Session, match_id: int, user: User, *, organization_id: int, project_id: int | None
) -> Match:
    """The deal ``match_id`` if a project of ``organization_id`` may name it, else an error."""
    refusal = deal_refusal(
        db,
        match_id,
        organization_id=organization_id,
        is_admin=user.role == "admin",
        project_id=project_id,
    )
    if refusal is not None:
        raise _refuse(refusal)
    match = db.get(Match, match_id)
    assert match is not None
    return match


#: The request field behind each unique constraint a new project may break.
_UNIQUE_FIELDS = {"uq_projects_name": "body.name", "uq_projects_match_id": "body.match_id"}


@router.post("", status_code=201, summary="登记一个项目（可关联已落地的对接）")
def create_project(
    body: ProjectCreate,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
) -> ProjectPublic:
    """Add a project, owned by the caller's organization (admins may name another).

    With ``match_id``: the deal must be at 落地 and the caller's organization one of its two
    parties (admins: any deal; the project then belongs to the demand's organization unless
    ``organization_id`` says otherwise) — 422 when it is missing or not at 落地, 403 for
    another organization's deal, 409 when it already has a project. Without ``investment``
    the deal's contract amount is taken (万元 → 亿元). A project with the same name and
    destination is refused with 422, or 409 when a simultaneous request stored it first (as
    is a deal registered meanwhile).
    """
    org_id = owning_organization_id(db, user, body.organization_id, what="项目")
    match = None
    if body.match_id is not None:
        match = _deal(db, body.match_id, user, organization_id=org_id, project_id=None)
        parties = market.deal_organizations(db, match)
        if body.organization_id is None and org_id not in parties and parties[0] is not None:
            org_id = parties[0]
    investment = body.investment if body.investment is not None else contract_investment(match)
    if investment is None:
        fields = [{"field": "body.investment", "message": "请填写投资额（亿元）"}]
        raise ApiError(422, "请填写投资额（亿元）", fields=fields)
    values = body.model_dump(exclude={"organization_id", "investment"})
    data = ProjectInput(**values, investment=investment)
    data.name = " ".join(data.name.split())
    _check(db, data, atlas, own_id=None)
    row = Project(**data.as_dict(), provenance="manual", organization_id=org_id)
    try:
        db.add(row)
        record_stage(db, row, user=user, from_stage="", to_stage=row.stage)
        edits.save_new(db, row, user=user, entity="project")
    except IntegrityError as exc:
        raise integrity_api_error(exc, fields=_UNIQUE_FIELDS) from exc
    return project_public(row, atlas)


@router.get("/{project_id}", summary="读取一个项目详情")
def read_project(project_id: ProjectId, db: SessionDep, atlas: AtlasDep) -> ProjectPublic:
    """One project."""
    return project_public(
        edits.record_or_404(db, Project, project_id, not_found="项目不存在"), atlas
    )


@router.get("/{project_id}/history", summary="项目阶段变更历史")
def read_project_history(project_id: ProjectId, db: SessionDep) -> ProjectHistoryPublic:
    """The stage changes of a project, oldest first: registration (``from_stage`` empty),
    each change with who made it, when, and the reason (required for 终止)."""
    edits.record_or_404(db, Project, project_id, not_found="项目不存在")
    return history_public(stage_history(db, project_id))


@router.patch("/{project_id}", summary="修改本机构的项目（含阶段变更）")
def update_project(
    project_id: ProjectId, body: ProjectUpdate, db: SessionDep, atlas: AtlasDep, user: ProjectOwner
) -> ProjectPublic:
    """Change a project of the caller's organization; a stale ``version`` answers 409.

    A stage change is recorded in the history; a change to 终止 needs ``reason`` (422
    otherwise). A new ``match_id`` follows the rules of :func:`create_project`.
    """
    row, changes = edits.updatable_record(
        db, Project, project_id, user, body, not_found="项目不存在"
    )
    reason = " ".join((changes.pop("reason", None) or "").split())
    data = to_input(row)
    for name, value in changes.items():
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
    if data.match_id is not None and data.match_id != row.match_id:
        _deal(db, data.match_id, user, organization_id=row.organization_id, project_id=row.id)
    before = row.stage
    if data.stage != before:
        if data.stage == "终止" and not reason:
            fields = [{"field": "body.reason", "message": "终止项目须填写终止原因"}]
            raise ApiError(422, "终止项目须填写终止原因", fields=fields)
        record_stage(db, row, user=user, from_stage=before, to_stage=data.stage, reason=reason)
    edits.save_changes(db, row, data.as_dict(), user=user, entity="project")
    return project_public(row, atlas)


@router.delete("/{project_id}", status_code=204, summary="删除本机构的一个项目")
def delete_project(project_id: ProjectId, db: SessionDep, user: ProjectOwner) -> None:
    """Delete a project of the caller's organization."""
    edits.delete_owned(db, Project, project_id, user, entity="project", not_found="项目不存在")
