"""The chain map: enterprise registry, classification, coverage, suggestions, exports.

Permissions: reading is public (the registry holds public registration data and the chain map
aggregates it); importing enterprises needs EDITOR (editors and admins; an editor may update
only enterprises of their own organization or unowned rows they import); reviewing a
classification needs ANALYST (analysts and admins): it changes the shared chain map of all
three places, which is the analysts' job, not an organization's own record; saving a place
group needs SIGNED_IN; deleting one needs ADMIN. ``POST /api/classify`` is PUBLIC: pure
computation, nothing stored.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from jingjinji.atlas import Atlas, AtlasLookupError, Industry
from jingjinji.auth import (
    ADMIN,
    ANALYST,
    EDITOR,
    PUBLIC,
    SIGNED_IN,
    audit_row,
    record_change,
    snapshot,
)
from jingjinji.chains import classify_text
from jingjinji.chains.coverage import Coverage, completeness_by_place, coverage
from jingjinji.chains.places import PlaceScope, scope_of
from jingjinji.chains.repository import (
    chain_context,
    chain_workbook,
    import_enterprises,
    review_segment,
)
from jingjinji.chains.suggest import suggest
from jingjinji.chains.uncertainty import status_stability, with_stability
from jingjinji.loop.repository import segment_activity
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import Enterprise, EnterpriseSegment, PlaceGroup, User
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.errors import ApiError, integrity_api_error
from jingjinji.web.schemas.chains import (
    ClassifyRequest,
    ClassifyResult,
    CoveragePublic,
    EnterprisePublic,
    EnterpriseSegmentPublic,
    EnterprisesPublic,
    ImportResult,
    MatchPublic,
    PlaceGroupCreate,
    PlaceGroupPublic,
    PlaceGroupsPublic,
    PlaceOption,
    PlaceOptionsPublic,
    PlaceScopePublic,
    ReviewRequest,
    SuggestionsPublic,
)
from jingjinji.web.security import requires
from jingjinji.web.uploads import read_upload, run_import, upload_name

router = APIRouter(prefix="/api", tags=["chains"])

PlaceKey = Annotated[
    str,
    Query(
        min_length=5,
        max_length=80,
        pattern=r"^(\d{6}|region|corridor-[a-z0-9-]{1,60}|group-\d{1,9})$",
        description="adcode, region, corridor-<slug> or group-<id>",
    ),
]
Slug = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
#: The chain map as it stood at the end of a year: enterprises founded by then, not yet closed.
AsOfYear = Annotated[
    int | None,
    Query(ge=1949, le=2100, description="截至某年年末的产业链图谱（成立且未注销、吊销的企业）"),
]


def _industry(atlas: Atlas, slug: str) -> Industry:
    try:
        return atlas.industry(slug)
    except AtlasLookupError as error:
        raise ApiError(404, f"产业 {slug!r} 不存在") from error


def _groups(session: Session) -> dict[str, tuple[str, list[str]]]:
    return {
        f"group-{group.id}": (group.name, list(group.adcodes))
        for group in session.scalars(select(PlaceGroup))
    }


def _scope(session: Session, atlas: Atlas, key: str) -> PlaceScope:
    try:
        groups = _groups(session) if key.startswith("group-") else None
        return scope_of(atlas, key, groups=groups)
    except AtlasLookupError as error:
        raise ApiError(404, f"地点 {key!r} 不存在", code="unknown_place") from error


def _scope_public(scope: PlaceScope) -> PlaceScopePublic:
    return PlaceScopePublic(
        key=scope.key, name=scope.name, level=scope.level, counties=len(scope.counties)
    )


def _is_sample(session: Session) -> bool:
    """Whether the registry holds sample enterprises (示例数据): kept per table stamp."""
    stamp = table_stamp(session, Enterprise)
    return SAMPLE_REGISTRY.get(
        session,
        "registry",
        stamp,
        lambda: (
            session.scalar(select(Enterprise.id).where(Enterprise.provenance == "demo").limit(1))
            is not None
        ),
    )


SAMPLE_REGISTRY = ReadCache("registry holds sample data", size=8)


def _coverage(
    session: Session, atlas: Atlas, slug: str, place: str, year: int | None = None
) -> Coverage:
    """The coverage of an industry in a place with each status's bootstrap stability,
    computed once per chain context (the context is rebuilt when the registry or the
    projects in production change; the bootstrap's draws are kept in it)."""
    industry = _industry(atlas, slug)
    scope = _scope(session, atlas, place)
    context = chain_context(session, atlas, year=year)
    key = ("coverage", slug, scope.key, scope.counties)  # shared with the loop report

    def compute() -> Coverage:
        cov = context.memo(key, lambda: coverage(industry, place=scope, context=context))
        return with_stability(
            cov, status_stability(industry, place=scope, context=context, cov=cov)
        )

    return context.memo(("coverage-stability", *key[1:]), compute)


def _suggestions(
    session: Session, atlas: Atlas, slug: str, result: Coverage, year: int | None = None
) -> list[Any]:
    """The ranked suggestions for a coverage, computed once per chain context."""
    context = chain_context(session, atlas, year=year)
    key = ("suggest", slug, result.place.key, result.place.counties)
    return context.memo(key, lambda: suggest(_industry(atlas, slug), cov=result, context=context))


def coverage_with_suggestions(
    session: Session, atlas: Atlas, slug: str, place: str
) -> tuple[Coverage, list[Any]]:
    """The coverage of an industry in a place and its suggestions, computed once per chain
    context (the start-up warm-up computes them before users ask)."""
    result = _coverage(session, atlas, slug, place)
    return result, _suggestions(session, atlas, slug, result)


# ------------------------------------------------------------------------- classification


@router.post(
    "/classify", dependencies=[requires(PUBLIC)], summary="识别文本所属的产业链环节（不保存）"
)
def classify(body: ClassifyRequest, atlas: AtlasDep) -> ClassifyResult:
    """Segments a text is about, with confidence, decision and evidence (nothing stored)."""
    matches = classify_text(body.text, atlas, include_rejected=body.include_rejected)
    data = [MatchPublic(segment_name=atlas.segment(m.segment).name, **m.as_dict()) for m in matches]
    return ClassifyResult(data=data, count=len(data))


# ------------------------------------------------------------------------------ registry


@router.get("/enterprises", summary="检索企业库（按地区、产业、环节、标签筛选）")
def read_enterprises(
    session: SessionDep,
    atlas: AtlasDep,
    place: Annotated[str | None, Query(max_length=80)] = None,
    industry: Annotated[str | None, Query(max_length=64)] = None,
    segment: Annotated[str | None, Query(max_length=80)] = None,
    tag: Annotated[str | None, Query(max_length=20)] = None,
    decision: Annotated[str, Query(pattern="^(confirmed|uncertain|any)$")] = "confirmed",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> EnterprisesPublic:
    """Enterprises, paged, filtered by place (any place key), industry, segment and tag.

    With ``industry`` or ``segment``, only enterprises placed there with ``decision``
    (default confirmed) are listed; key enterprises first, then by revenue.
    """
    query = select(Enterprise)
    if place:
        scope = _scope(session, atlas, place) if place else None
        if scope is not None and scope.level != "region":
            query = query.where(Enterprise.place_adcode.in_(sorted(scope.counties)))
    if industry or segment:
        link = select(EnterpriseSegment.enterprise_id)
        if industry:
            link = link.where(EnterpriseSegment.industry == industry)
        if segment:
            link = link.where(EnterpriseSegment.segment == segment)
        if decision != "any":
            link = link.where(EnterpriseSegment.decision == decision)
        query = query.where(Enterprise.id.in_(link))
    if tag:
        cleaned = tag.replace("|", "").replace("%", "").replace("_", "").replace("\\", "")
        query = query.where(Enterprise.tags.like(f"%|{cleaned}|%"))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    key_first = (
        Enterprise.tags.like("%|链主|%")
        | Enterprise.tags.like("%|小巨人|%")
        | Enterprise.tags.like("%|单项冠军|%")
    )
    rows = session.scalars(
        query.options(selectinload(Enterprise.segments))
        .order_by(key_first.desc(), Enterprise.revenue.desc(), Enterprise.id)
        .offset(offset)
        .limit(limit)
    ).all()
    names = {p.adcode: p.name for p in atlas.places}
    data = [EnterprisePublic.of(row, place_name=names.get(row.place_adcode, "")) for row in rows]
    return EnterprisesPublic(data=data, count=total)


@router.get("/enterprises/{enterprise_id}", summary="读取一家企业及其环节归属依据")
def read_enterprise(
    enterprise_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: SessionDep, atlas: AtlasDep
) -> EnterprisePublic:
    """One enterprise with its segments and the evidence for each."""
    row = session.get(Enterprise, enterprise_id)
    if row is None:
        raise ApiError(404, "企业不存在")
    names = {p.adcode: p.name for p in atlas.places}
    return EnterprisePublic.of(row, place_name=names.get(row.place_adcode, ""))


@router.post("/enterprises/import", summary="批量导入企业（CSV 或 XLSX，全部成功才生效）")
async def import_enterprise_file(
    request: Request,
    session: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
    file: Annotated[UploadFile | None, File(description="CSV/XLSX of enterprises")] = None,
) -> ImportResult:
    """Import enterprises (all-or-nothing). With bad rows: 422 listing every one of them."""
    if file is None or not file.filename:
        raise ApiError(422, "请上传企业名录文件（CSV 或 XLSX）", code="file_required")
    filename = upload_name(file.filename, "enterprises")
    raw = await read_upload(file, request)
    report = await run_import(
        session,
        lambda: import_enterprises(
            session,
            raw,
            filename,
            atlas=atlas,
            actor=user,
            organization=user.organization if user.role == "editor" else None,
        ),
    )
    return ImportResult(**report.as_dict())


@router.post("/enterprises/{enterprise_id}/segments", summary="确认或否定企业的环节归属")
def review_enterprise_segment(
    enterprise_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: ReviewRequest,
    session: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(ANALYST)],
) -> EnterpriseSegmentPublic:
    """Confirm or reject a segment of an enterprise; the decision survives re-classification."""
    row = session.get(Enterprise, enterprise_id)
    if row is None:
        raise ApiError(404, "企业不存在")
    try:
        result = review_segment(
            session,
            row,
            segment=body.segment,
            decision=body.decision,
            note=body.note,
            atlas=atlas,
            actor=user,
        )
    except AtlasLookupError as error:
        raise ApiError(
            422,
            f"环节 {body.segment} 不存在",
            fields=[{"field": "segment", "message": "unknown segment"}],
        ) from error
    session.commit()
    return EnterpriseSegmentPublic.of(result)


# ------------------------------------------------------------------------------ coverage


@router.get("/industries/{slug}/coverage", summary="一地产业链各环节的覆盖情况")
def read_coverage(
    slug: Slug, place: PlaceKey, session: SessionDep, atlas: AtlasDep, year: AsOfYear = None
) -> CoveragePublic:
    """Coverage of an industry's segments in a place: counts, key enterprises, LQ, status;
    per segment also ``projects``, ``projects_operating`` (counted in ``count`` as 项目落地),
    ``deals`` (matches at 签约 or 落地 whose demand lies in the place) and ``items``; and
    ``status_stability`` (share of 200 bootstrap resamples of the registry's enterprises
    giving the same status) with ``status_uncertain`` (below 0.8), the method's parameters
    in ``stability`` (:mod:`jingjinji.chains.uncertainty`). With ``year``, the registry as
    it stood at the end of that year."""
    result = _coverage(session, atlas, slug, place, year)
    # projects and deals addressing each segment; 投产 projects are counted (项目落地)
    activity = segment_activity(session, atlas, _industry(atlas, slug), result.place)
    sample = _is_sample(session)
    return CoveragePublic(
        industry=result.industry,
        place=_scope_public(result.place),
        completeness=round(result.completeness, 4),
        enterprise_count=result.enterprise_count,
        status_counts=result.status_counts,
        segments=[row.as_dict() | activity.get(row.segment, {}) for row in result.segments],
        is_sample=sample,
        includes_sample=sample,
        stability=result.stability,
    )


@router.get("/industries/{slug}/suggestions", summary="补链、延链、强链建议及候选伙伴")
def read_suggestions(
    slug: Slug, place: PlaceKey, session: SessionDep, atlas: AtlasDep, year: AsOfYear = None
) -> SuggestionsPublic:
    """Ranked 补链·延链·强链 suggestions with reasons and candidate partners (stable ids)."""
    result = _coverage(session, atlas, slug, place, year)
    items = _suggestions(session, atlas, slug, result, year)
    sample = _is_sample(session)
    return SuggestionsPublic(
        industry=slug,
        place=_scope_public(result.place),
        data=[item.as_dict() for item in items],
        count=len(items),
        is_sample=sample,
        includes_sample=sample,
    )


@router.get("/industries/{slug}/completeness", summary="各地产业链完整度（用于地图）")
def read_completeness(
    slug: Slug,
    session: SessionDep,
    atlas: AtlasDep,
    level: Annotated[str, Query(pattern="^(prefecture|county|province|corridor)$")] = "prefecture",
    year: AsOfYear = None,
) -> dict[str, Any]:
    """Completeness of the industry's chain in every place of a level (for the map)."""
    industry = _industry(atlas, slug)
    context = chain_context(session, atlas, year=year)
    data = list(completeness_by_place(industry, context=context, level=level).values())
    return {
        "industry": slug,
        "level": level,
        "year": year,
        "data": data,
        "count": len(data),
        "includes_sample": _is_sample(session),
    }


@router.get(
    "/industries/{slug}/chain-map.xlsx",
    response_class=Response,
    responses={200: {"content": {"application/vnd.ms-excel": {}}}},
    summary="导出一地产业链图谱（Excel）",
)
def export_chain_map(slug: Slug, place: PlaceKey, session: SessionDep, atlas: AtlasDep) -> Response:
    """Excel workbook: coverage (one row per segment) and suggestions of a place."""
    result = _coverage(session, atlas, slug, place)
    items = _suggestions(session, atlas, slug, result)
    data = chain_workbook(result, items, is_sample=_is_sample(session))
    filename = f"chain-map-{slug}-{result.place.key}.xlsx"
    return Response(
        data,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# -------------------------------------------------------------------------------- places


@router.get("/chains/places", summary="产业链图谱可选的地区")
def read_chain_places(session: SessionDep, atlas: AtlasDep) -> PlaceOptionsPublic:
    """Places the chain map can be drawn for: region, provinces, prefecture units, counties,
    corridors and saved groups (for the place selector)."""
    options = [PlaceOption(key="region", name="京津冀全域", level="region")]
    for place in atlas.places:
        if place.level == "province":
            options.append(PlaceOption(key=place.adcode, name=place.name, level="province"))
    for unit in atlas.prefecture_units():
        if unit.level != "province":
            options.append(PlaceOption(key=unit.adcode, name=unit.name, level="prefecture"))
    for corridor in atlas.corridors:
        options.append(
            PlaceOption(key=f"corridor-{corridor.slug}", name=corridor.name, level="corridor")
        )
    for key, (name, _codes) in _groups(session).items():
        options.append(PlaceOption(key=key, name=name, level="group"))
    for place in atlas.places:
        if place.level == "county":
            home = atlas.prefecture_unit_of(place.adcode)
            options.append(
                PlaceOption(
                    key=place.adcode,
                    name=place.name,
                    level="county",
                    parent=home.name if home else None,
                )
            )
    return PlaceOptionsPublic(data=options, count=len(options))


@router.get("/place-groups", summary="已保存的地区组合列表")
def read_place_groups(session: SessionDep) -> PlaceGroupsPublic:
    """Saved place groups."""
    rows = session.scalars(select(PlaceGroup).order_by(PlaceGroup.name)).all()
    data = [
        PlaceGroupPublic(
            id=g.id, key=f"group-{g.id}", name=g.name, adcodes=g.adcodes, description=g.description
        )
        for g in rows
    ]
    return PlaceGroupsPublic(data=data, count=len(data))


@router.post("/place-groups", status_code=201, summary="保存一个命名的地区组合")
def create_place_group(
    body: PlaceGroupCreate,
    session: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(SIGNED_IN)],
) -> PlaceGroupPublic:
    """Save a named group of places (expanded to county adcodes); a name in use answers
    409, also when a simultaneous request saved it first."""
    counties: list[str] = []
    for code in body.adcodes:
        try:
            scope = scope_of(atlas, code)
        except AtlasLookupError as error:
            raise ApiError(
                422, f"地点 {code} 不存在", fields=[{"field": "adcodes", "message": code}]
            ) from error
        counties.extend(sorted(scope.counties))
    if session.scalar(select(PlaceGroup.id).where(PlaceGroup.name == body.name)):
        raise ApiError(409, f"名称“{body.name}”已被使用", code="duplicate")
    group = PlaceGroup(
        name=body.name,
        adcodes=sorted(set(counties)),
        description=body.description,
        organization_id=user.organization_id,
    )
    try:
        session.add(group)
        audit_row(session, group, actor=user, action="create", entity="place_group")
        session.commit()
    except IntegrityError as exc:
        name = "uq_place_groups_name"
        taken = {name: f"名称“{body.name}”已被使用"}
        raise integrity_api_error(exc, messages=taken, fields={name: "body.name"}) from exc
    return PlaceGroupPublic(
        id=group.id,
        key=f"group-{group.id}",
        name=group.name,
        adcodes=group.adcodes,
        description=group.description,
    )


@router.delete("/place-groups/{group_id}", status_code=204, summary="删除地区组合（管理员）")
def delete_place_group(
    group_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    session: SessionDep,
    user: Annotated[User, requires(ADMIN)],
) -> Response:
    """Delete a saved place group (admins)."""
    group = session.get(PlaceGroup, group_id)
    if group is None:
        raise ApiError(404, "地点组不存在")
    record_change(
        session,
        actor=user,
        action="delete",
        entity="place_group",
        entity_id=group.id,
        before=snapshot(group),
    )
    session.delete(group)
    session.commit()
    return Response(status_code=204)
