"""Exports of the market: ``GET /api/exports/listings`` (the listing page's filters, one kind;
the headers of that kind's import template, so the file imports back unchanged) and
``GET /api/exports/matches`` (the caller's deals from both sides), as XLSX or CSV."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from jingjinji import market
from jingjinji.auth import SIGNED_IN
from jingjinji.market.export import SHEETS, listing_table, match_table
from jingjinji.market.listings import KIND_LABELS
from jingjinji.store.models import Listing, Match, User
from jingjinji.store.tabular import write_csv, write_xlsx
from jingjinji.web.deps import AtlasDep, MarketIndexDep, OptionalUser, SessionDep
from jingjinji.web.params import XLSX, ListingFiltersDep
from jingjinji.web.security import requires

router = APIRouter(prefix="/api/exports", tags=["market"])

Format = Annotated[Literal["xlsx", "csv"], Query(description="文件格式")]
_MAX_ROWS = 20_000


def _file(name: str, header: list[str], rows: list[list[object]], fmt: str) -> Response:
    if fmt == "csv":
        content, media, suffix = write_csv(header, rows), "text/csv; charset=utf-8", "csv"
    else:
        content, media, suffix = write_xlsx({name: (header, rows)}), XLSX, "xlsx"
    quoted = quote(f"{name}.{suffix}")
    disposition = f"attachment; filename=export.{suffix}; filename*=UTF-8''{quoted}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})


@router.get(
    "/listings",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "text/csv": {}}}},
    summary="导出供需信息（XLSX 或 CSV）",
)
def export_listings(
    db: SessionDep,
    index: MarketIndexDep,
    atlas: AtlasDep,
    user: OptionalUser,
    filters: ListingFiltersDep,
    kind: Annotated[
        Literal["achievement", "demand", "challenge", "instrument"], Query(description="信息类别")
    ] = "achievement",
    format: Format = "xlsx",
) -> Response:
    """The listings of one kind the caller may see, with the listing page's filters (at most
    20,000 rows); contacts only where the caller may see them; sample rows say 示例数据."""
    rows, _total = market.search_listings(
        db,
        index,
        user=user,
        atlas=atlas,
        kind=kind,
        **vars(filters),
        limit=_MAX_ROWS,
        offset=0,
    )
    names = market.organization_names(db, rows)
    header, table = listing_table(rows, kind, atlas, user=user, organizations=names)
    return _file(SHEETS.get(kind, KIND_LABELS[kind]), header, table, format)


@router.get(
    "/matches",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "text/csv": {}}}},
    summary="导出本机构参与的对接（XLSX 或 CSV）",
)
def export_matches(
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(SIGNED_IN)],
    stage: Annotated[str | None, Query(max_length=8, description="对接阶段")] = None,
    format: Format = "xlsx",
) -> Response:
    """The matches the caller takes part in (either side belongs to their organization; all
    of them for analysts and admins), newest change first, at most 20,000."""
    demand, offer = aliased(Listing), aliased(Listing)
    query = (
        select(Match, demand, offer)
        .join(demand, demand.id == Match.demand_id)
        .join(offer, offer.id == Match.achievement_id)
        .order_by(Match.updated_at.desc(), Match.id.desc())
        .limit(_MAX_ROWS)
    )
    if user.role not in ("admin", "analyst"):
        org = user.organization_id
        query = query.where(or_(demand.organization_id == org, offer.organization_id == org))
    if stage:
        query = query.where(Match.stage == stage)
    found = [(m, d, o) for m, d, o in db.execute(query).all()]
    names = market.organization_names(db, [side for _m, d, o in found for side in (d, o)])
    header, rows = match_table(found, atlas, organizations=names)
    return _file("供需对接", header, rows, format)
