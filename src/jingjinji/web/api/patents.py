"""The innovation chain: patents (import, search, one patent) and both chains per city.

Permissions: reading is public (patents are published records and the figures aggregate
them); importing needs EDITOR (an editor may update only patents of their own organization
or unowned rows they import).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from jingjinji import market
from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import EDITOR, audit_row
from jingjinji.patents import KIND_NAMES
from jingjinji.patents.figures import industry_innovation, innovation_suggestions
from jingjinji.patents.repository import import_patents
from jingjinji.store.models import Listing, Patent, PatentSegment, User
from jingjinji.web.api.listings import publics
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.patents import (
    InnovationDraftPublic,
    InnovationPublic,
    InnovationSuggestionsPublic,
    PatentImportResult,
    PatentPublic,
    PatentSegmentPublic,
    PatentsPublic,
)
from jingjinji.web.security import requires
from jingjinji.web.uploads import read_upload, run_import, upload_name

router = APIRouter(prefix="/api", tags=["patents"])

Slug = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]


def _segment_name(atlas: Atlas, slug: str) -> str:
    try:
        return atlas.segment(slug).name
    except AtlasLookupError:  # a segment the atlas no longer has
        return slug


def patent_public(row: Patent, atlas: Atlas) -> PatentPublic:
    """The API form of a stored patent."""
    place_name = ""
    if row.place_adcode:
        try:
            place_name = atlas.place(row.place_adcode).name
        except AtlasLookupError:
            place_name = ""
    return PatentPublic(
        id=row.id,
        application_number=row.application_number,
        publication_number=row.publication_number,
        title=row.title,
        abstract=row.abstract,
        filed_on=row.filed_on,
        published_on=row.published_on,
        kind=row.kind,
        legal_status=row.legal_status,
        main_ipc=row.main_ipc,
        ipc=row.ipc_list,
        applicants=[a for a in row.applicants.split("；") if a],
        applicant_kind=row.applicant_kind,
        applicant_kind_name=KIND_NAMES.get(row.applicant_kind, "其他机构"),
        place_adcode=row.place_adcode,
        place_name=place_name,
        place_source=row.place_source,
        is_sample=row.provenance == "demo",
        segments=[
            PatentSegmentPublic(
                segment=s.segment,
                segment_name=_segment_name(atlas, s.segment),
                industry=s.industry,
                confidence=s.confidence,
                decision=s.decision,
                source=s.source,
                evidence=list(s.evidence),
            )
            for s in sorted(row.segments, key=lambda s: -s.confidence)
        ],
    )


@router.get(
    "/industries/{slug}/innovation",
    summary="一个产业的创新链与产业链：各环节各地市的专利、企业与两链关系",
)
def read_innovation(
    slug: Slug,
    session: SessionDep,
    atlas: AtlasDep,
    place: Annotated[
        str | None, Query(min_length=2, max_length=40, description="地市名称或行政区划代码")
    ] = None,
    design: Annotated[bool, Query(description="计入外观设计专利")] = False,
    lapsed: Annotated[bool, Query(description="计入已失效专利")] = False,
    min_patents: Annotated[int, Query(ge=1, le=1000, description="创新链强所需的最少专利数")] = 3,
    min_enterprises: Annotated[
        int, Query(ge=1, le=1000, description="产业链强所需的最少企业数")
    ] = 3,
) -> InnovationPublic:
    """Per segment and city: patents, invention patents, applicants, growth, enterprises,
    location quotients, the case (协同, 成果外溢, 技术需求, 缺口, 无), the coupling
    coordination degree and the partner cities; with ``place``, that city's cells and the
    count of each case. ``method`` states every formula; ``provenance`` what the patents are."""
    try:
        atlas.industry(slug)
    except AtlasLookupError as error:
        raise ApiError(404, "没有这个产业", code="unknown_industry") from error
    try:
        result = industry_innovation(
            session,
            atlas,
            slug,
            place=place,
            include_design=design,
            include_lapsed=lapsed,
            min_patents=min_patents,
            min_enterprises=min_enterprises,
        )
    except AtlasLookupError as error:
        raise ApiError(404, f"地点“{place}”不是京津冀的地市", code="unknown_place") from error
    return InnovationPublic(**result, is_sample=result["provenance"]["sample"])


@router.get(
    "/industries/{slug}/innovation/suggestions",
    summary="两链对接建议：北京专利成果向津冀推送、津冀有产业无创新处的技术需求",
)
def read_innovation_suggestions(
    slug: Slug,
    session: SessionDep,
    atlas: AtlasDep,
    min_patents: Annotated[int, Query(ge=1, le=1000, description="推送所需的北京最少专利数")] = 3,
) -> InnovationSuggestionsPublic:
    """Pushes (a segment with Beijing patents and Tianjin/Hebei enterprises but no deal yet:
    owners, ranked destinations, a draft achievement list) and demands (a Tianjin/Hebei city
    at 技术需求: a draft demand naming the source cities)."""
    try:
        atlas.industry(slug)
    except AtlasLookupError as error:
        raise ApiError(404, "没有这个产业", code="unknown_industry") from error
    return InnovationSuggestionsPublic(
        **innovation_suggestions(session, atlas, slug, min_patents=min_patents)
    )


class InnovationDraftCreate(BaseModel):
    """Which suggestion to draft: a push (an achievement list for the Beijing owners) of a
    segment, or a demand of a segment in a city."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["push", "demand"]
    segment: Annotated[str, Field(min_length=1, max_length=80)]
    place: Annotated[str | None, Field(pattern=r"^\d{6}$")] = None


@router.post(
    "/industries/{slug}/innovation/drafts",
    status_code=201,
    summary="根据两链对接建议起草成果推介清单或技术需求",
)
def draft_from_innovation(
    slug: Slug,
    body: InnovationDraftCreate,
    session: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
) -> InnovationDraftPublic:
    """A draft listing of the caller's organization pre-filled from a suggestion of
    :func:`~jingjinji.patents.figures.innovation_suggestions` (an achievement list for a
    push, a demand for a city at 技术需求); a second call returns the open draft with the same
    title instead of a duplicate. 404 when the suggestion no longer holds."""
    try:
        atlas.industry(slug)
    except AtlasLookupError as error:
        raise ApiError(404, "没有这个产业", code="unknown_industry") from error
    if user.organization_id is None:
        raise ApiError(403, "当前账号不属于任何机构", code="no_organization")
    found = next(
        (
            item
            for item in innovation_suggestions(session, atlas, slug)["data"]
            if item["kind"] == body.kind
            and item["segment"] == body.segment
            and (body.kind == "push" or item["place"] == body.place)
        ),
        None,
    )
    if found is None:
        raise ApiError(404, "该建议已不存在（数据可能已变化），请刷新后重试", code="no_suggestion")
    draft = found["draft"]
    existing = session.scalar(
        select(Listing).where(
            Listing.organization_id == user.organization_id,
            Listing.status == "draft",
            Listing.kind == draft["kind"],
            Listing.title == draft["title"],
        )
    )
    created = existing is None
    listing = existing
    if listing is None:
        segment = atlas.segment(body.segment)
        listing = Listing(
            organization_id=user.organization_id,
            provenance="user",
            kind=draft["kind"],
            title=draft["title"][:200],
            summary=draft["summary"],
            place_adcode=draft["place_adcode"],
            keywords=list(segment.keywords[:6]),
            status="draft",
        )
        market.set_segments(listing, list(draft["segments"]), atlas)
        session.add(listing)
        audit_row(session, listing, actor=user, action="create", entity="listing")
        session.commit()
    return InnovationDraftPublic(
        listing=publics(session, [listing], user=user, atlas=atlas)[0],
        created=created,
        suggestion=found,
    )


@router.get("/patents", summary="检索专利（按产业、环节、地区、关键词）")
def read_patents(
    session: SessionDep,
    atlas: AtlasDep,
    industry: Annotated[str | None, Query(max_length=64)] = None,
    segment: Annotated[str | None, Query(max_length=80)] = None,
    place: Annotated[str | None, Query(pattern=r"^\d{6}$", description="地市或区县代码")] = None,
    q: Annotated[str | None, Query(max_length=100, description="名称或申请人中的词")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> PatentsPublic:
    """Patents, newest filing first, with their segments and evidence."""
    statement = select(Patent)
    if industry or segment:
        sub = select(PatentSegment.patent_id).where(PatentSegment.decision == "confirmed")
        if industry:
            sub = sub.where(PatentSegment.industry == industry)
        if segment:
            sub = sub.where(PatentSegment.segment == segment)
        statement = statement.where(Patent.id.in_(sub))
    if place:
        try:
            unit = atlas.prefecture_unit_of(place)
            if unit is not None and unit.adcode == place:
                # a city: the counties the innovation figures count for it (雄安新区's
                # counties keep 保定's adcodes but belong to 雄安, not to 保定)
                counties = [
                    p.adcode
                    for p in atlas.places
                    if (u := atlas.prefecture_unit_of(p.adcode)) is not None and u.adcode == place
                ]
            else:
                counties = [p.adcode for p in atlas.descendants(place)] + [place]
        except AtlasLookupError as error:
            raise ApiError(404, "没有这个地区", code="unknown_place") from error
        statement = statement.where(Patent.place_adcode.in_(counties))
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            Patent.title.like(like, escape="\\") | Patent.applicants.like(like, escape="\\")
        )
    count = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    rows = session.scalars(
        statement.options(selectinload(Patent.segments))
        .order_by(Patent.filed_on.desc(), Patent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    sample = session.scalar(select(Patent.id).where(Patent.provenance == "demo").limit(1))
    return PatentsPublic(
        data=[patent_public(row, atlas) for row in rows],
        count=count,
        includes_sample=sample is not None,
    )


@router.get("/patents/{patent_id}", summary="读取一件专利及其环节归属依据")
def read_patent(
    patent_id: Annotated[int, Path(ge=1, le=2**31 - 1)], session: SessionDep, atlas: AtlasDep
) -> PatentPublic:
    """One patent with its segments and the evidence of each (IPC rows and words)."""
    row = session.get(Patent, patent_id, options=[selectinload(Patent.segments)])
    if row is None:
        raise ApiError(404, "没有这件专利", code="not_found")
    return patent_public(row, atlas)


@router.post(
    "/patents/import", summary="批量导入专利（专利检索导出的 CSV 或 XLSX，全部成功才生效）"
)
async def import_patent_file(
    request: Request,
    session: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
    file: Annotated[UploadFile | None, File(description="CSV/XLSX patent export")] = None,
) -> PatentImportResult:
    """Import patents (all-or-nothing; re-import updates by 申请号). With bad rows: 422
    listing every one of them (sheet, row, column, reason)."""
    if file is None or not file.filename:
        raise ApiError(422, "请上传专利导出文件（CSV 或 XLSX）", code="file_required")
    filename = upload_name(file.filename, "patents")
    raw = await read_upload(file, request)
    report = await run_import(
        session,
        lambda: import_patents(
            session,
            raw,
            filename,
            atlas=atlas,
            actor=user,
            organization=user.organization if user.role == "editor" else None,
        ),
    )
    return PatentImportResult(**report.as_dict())
