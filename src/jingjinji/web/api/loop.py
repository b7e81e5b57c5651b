"""Close the loop: a draft demand from a chain gap, destinations of an achievement, a project
from a deal, the 协同成效 figures and the overview summary.

Permissions: drafting from a gap needs EDITOR (the draft belongs to the caller's
organization); turning a deal into a project uses the match owner policy — editors of the
demand's organization (the project lands there and belongs to it) and admins; reading is
public (aggregates, and listings only as far as the caller may see them).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request

from jingjinji import market
from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import EDITOR, owner
from jingjinji.chains.repository import chain_context
from jingjinji.loop import DENSITY_WEIGHT, LQ_WEIGHT, PRESENCE_WEIGHT, rank_destinations
from jingjinji.loop.repository import (
    LoopError,
    create_draft,
    find_suggestion,
    loop_report,
    overview_summary,
    project_from_match,
)
from jingjinji.patents.figures import innovation_summary
from jingjinji.store.models import Match, User
from jingjinji.web.api.listings import get_visible, match_publics, publics
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep, market_index
from jingjinji.web.errors import ApiError
from jingjinji.web.presenters.projects import project_public
from jingjinji.web.schemas.loop import (
    DestinationPublic,
    DestinationsPublic,
    DraftCreate,
    DraftPublic,
    LoopPublic,
    OverviewPublic,
    ProjectFromMatch,
    ProjectFromMatchPublic,
)
from jingjinji.web.security import requires

router = APIRouter(prefix="/api", tags=["loop"])

Slug = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
SuggestionId = Annotated[
    str,
    Path(
        max_length=160,
        pattern=r"^(fill|extend|strengthen)\.[a-z0-9-]{1,80}\.[a-z0-9]+(?:-[a-z0-9]+)*$",
        description="stable suggestion id, e.g. fill.130600.hydrogen-fc-mea",
    ),
]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
#: Where the achievements matched to a gap may come from (Beijing, Tianjin).
SOURCE_PREFIXES = ("11", "12")


def _loop_error(error: LoopError) -> ApiError:
    return ApiError(
        error.status, error.message_zh, fields=[{"field": error.field, "message": str(error)}]
    )


@router.post(
    "/industries/{slug}/suggestions/{suggestion_id}/demand",
    status_code=201,
    summary="根据补链建议起草需求并匹配京津成果",
)
def draft_from_suggestion(
    slug: Slug,
    suggestion_id: SuggestionId,
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
    body: DraftCreate | None = None,
) -> DraftPublic:
    """Draft a demand (or, with ``{"kind": "challenge"}``, a 揭榜挂帅 call) for the gap's
    segment and place, owned by the caller's organization, and list the Beijing and Tianjin
    achievements that match it (stored as 推荐 matches), ranked, with reasons. A second call
    returns the open draft of the same kind instead of a duplicate."""
    options = body or DraftCreate()
    try:
        industry = atlas.industry(slug)
    except AtlasLookupError as error:
        raise ApiError(404, f"产业 {slug!r} 不存在") from error
    context = chain_context(db, atlas)
    try:
        suggestion, scope = find_suggestion(db, atlas, context, industry, suggestion_id)
        listing, created = create_draft(
            db,
            atlas,
            industry=industry,
            suggestion=suggestion,
            scope=scope,
            kind=options.kind,
            user=user,
        )
    except LoopError as error:
        raise _loop_error(error) from error
    results = market.compute_matches(db, market_index(request), listing, top=options.top * 3)
    results = [r for r in results if (r.listing.place_adcode or "").startswith(SOURCE_PREFIXES)][
        : options.top
    ]
    db.commit()
    matches = match_publics(db, results, user=user, atlas=atlas)
    return DraftPublic(
        listing=publics(db, [listing], user=user, atlas=atlas)[0],
        created=created,
        suggestion=suggestion.as_dict(),
        matches=matches,
        count=len(matches),
    )


@router.get("/listings/{listing_id}/destinations", summary="科技成果在津冀的推荐落地地区")
def listing_destinations(
    listing_id: RowId,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
    level: Annotated[Literal["prefecture", "county"], Query()] = "prefecture",
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> DestinationsPublic:
    """Where in Tianjin and Hebei an achievement could land: places ranked by how well their
    industry fits its segments (relatedness density, location quotient, presence)."""
    listing = get_visible(db, listing_id, user)
    if listing.kind != "achievement":
        field = {"field": "listing_id", "message": "not an achievement"}
        raise ApiError(422, "只有科技成果可以查看承接地", fields=[field])
    context = chain_context(db, atlas)
    ranked = rank_destinations(context, list(listing.segments or []), level=level, limit=limit)
    method = (
        f"得分 = {DENSITY_WEIGHT}×相关度（密度，Hidalgo 等 2007）+ {LQ_WEIGHT}×min(区位商,2)/2"
        f" + {PRESENCE_WEIGHT}×min(企业数/3,1)，按成果各环节取平均；企业数含投产项目（项目落地）"
    )
    return DestinationsPublic(
        listing_id=listing.id,
        segments=list(listing.segments or []),
        level=level,
        method=method,
        data=[DestinationPublic(**d.as_dict(), center=_center(atlas, d.adcode)) for d in ranked],
        count=len(ranked),
        is_sample=listing.provenance == "demo" or _sample_registry(db),
    )


def _center(atlas: Atlas, adcode: str) -> list[float] | None:
    try:
        place = atlas.place(adcode)
    except AtlasLookupError:
        return None
    return [place.lon, place.lat]


def _sample_registry(db: SessionDep) -> bool:
    from sqlalchemy import func, select

    from jingjinji.store.models import Enterprise

    return bool(db.scalar(select(func.count(Enterprise.id)).where(Enterprise.provenance == "demo")))


@router.post("/matches/{match_id}/project", summary="将已落地的对接转为项目")
def match_to_project(
    match_id: RowId,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(owner("deal"))],
    body: ProjectFromMatch | None = None,
) -> ProjectFromMatchPublic:
    """Turn a deal at 落地 into a project of the library, once (a second call returns the
    same project). Editors of either party's organization and admins; the project belongs to
    the caller's organization (the demand's when an admin of neither registers it) and its
    investment defaults to the contract amount."""
    match = db.get(Match, match_id)
    if match is None:
        raise ApiError(404, "对接记录不存在")
    if not market.may_act_on(db, match, user):
        raise ApiError(403, "只有对接双方机构的编辑或管理员可以登记项目")
    try:
        project, created = project_from_match(
            db, atlas, match=match, user=user, investment=body.investment if body else None
        )
    except LoopError as error:
        raise _loop_error(error) from error
    db.commit()
    return ProjectFromMatchPublic(project=project_public(project, atlas), created=created)


@router.get("/loop", summary="协同成效（缺口、对接、项目与投资）")
def read_loop(
    db: SessionDep,
    atlas: AtlasDep,
    industry: Annotated[
        str | None, Query(max_length=64, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    ] = None,
    place: Annotated[str | None, Query(pattern=r"^(\d{6}|region)$")] = None,
) -> LoopPublic:
    """协同成效: gaps open and closed, demands matched, deals, projects and investment per
    year, and the share of the contract value of Beijing achievements' deals that goes to
    Tianjin and Hebei (the share of deals a secondary figure), beside the source documents'
    figure (7.8% in 2019, also a share of contract value, but of all of Beijing's technology
    contracts flowing to other provinces; 示例数据 flagged). ``notes`` say why an undefined
    share is ``null``."""
    try:
        report = loop_report(
            db, atlas, chain_context(db, atlas), industry=industry or None, place=place or None
        )
    except AtlasLookupError as error:
        raise ApiError(404, "产业或地区不存在", code="unknown") from error
    innovation = (
        innovation_summary(db, atlas, industry, place)
        if industry and place and place != "region"
        else None
    )
    return LoopPublic(**report, includes_sample=report["is_sample"], innovation=innovation)


@router.get("/overview", summary="总览页的汇总数据")
def read_overview(db: SessionDep, atlas: AtlasDep) -> OverviewPublic:
    """The 总览 summary (cached until the data change)."""
    return OverviewPublic(**overview_summary(db, atlas, chain_context(db, atlas)))
