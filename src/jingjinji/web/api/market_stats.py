"""Platform statistics over time and bulk import of supply and demand lists through the web."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Query, Request, UploadFile
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from jingjinji import market
from jingjinji.atlas import Atlas
from jingjinji.auth import EDITOR
from jingjinji.market.follows import notify_followers
from jingjinji.market.importing import ImportProblem, import_listings
from jingjinji.market.statistics import market_trends
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import Listing, ListingSegment, Match, User
from jingjinji.store.tabular import TableError
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.market_workflow import (
    ListingImportReport,
    MarketStatisticsOverTime,
    MarketTrends,
)
from jingjinji.web.security import requires
from jingjinji.web.uploads import read_upload, table_error

router = APIRouter(prefix="/api", tags=["market"])

__all__ = ["import_problems_error", "router", "run_import", "statistics_over_time"]


#: The statistics per period, kept until listings, their segments or matches change.
STATISTICS_CACHE = ReadCache("market statistics", size=8, summary=True)


def statistics_over_time(db: Session, atlas: Atlas, period: str) -> MarketStatisticsOverTime:
    """The totals of :func:`jingjinji.market.market_statistics` with their trends, computed
    once per state of the listings and matches (a shared answer: do not change it)."""

    def compute(session: Session) -> MarketStatisticsOverTime:
        trends = MarketTrends(**market_trends(session, atlas, period=period))
        return MarketStatisticsOverTime(
            **market.market_statistics(session), trends=trends, includes_sample=trends.is_sample
        )

    stamp = table_stamp(db, Listing, ListingSegment, Match)
    answer: MarketStatisticsOverTime = STATISTICS_CACHE.get(
        db, (period, atlas), stamp, lambda: compute(db), refresh=compute
    )
    return answer


@router.get("/market/statistics", summary="供需对接统计（发布量、匹配率、签约率、趋势）")
def statistics(
    db: SessionDep,
    atlas: AtlasDep,
    period: Annotated[str, Query(pattern="^(month|year)$")] = "month",
) -> MarketStatisticsOverTime:
    """Published listings by kind, matching and signing rates, declines by reason; ``trends``:
    listings published per period and kind, matching and signing rates of each period's
    demands, listings by place and by segment, and ``is_sample`` when sample data is included
    (see :mod:`jingjinji.market.statistics` for the formulas)."""
    return statistics_over_time(db, atlas, period)


def import_problems_error(problems: list[ImportProblem]) -> ApiError:
    """A 422 naming every bad row: ``fields`` carry sheet, row, column and the reason."""
    count = len(problems)
    first = problems[0]
    where = f"{first.sheet} 第 {first.row} 行" if first.row else first.sheet or "文件"
    column = f"“{first.column}”列" if first.column else ""
    message = f"{where}{column}：{first.reason}（共 {count} 处错误，未导入任何数据）"
    fields = [
        {
            "field": f"{p.sheet}!{p.row}:{p.column}",
            "message": p.reason,
            "sheet": p.sheet,
            "row": str(p.row),
            "column": p.column,
        }
        for p in problems[:500]
    ]
    return ApiError(422, message, code="invalid_rows", fields=fields)


def run_import(
    db: Session,
    data: bytes,
    filename: str,
    *,
    kind: str,
    user: User,
    atlas: Atlas,
) -> ListingImportReport:
    """Import all rows or none (rows belong to the caller's organization unless a 单位 column
    names another; only admins may name another); followers are notified in the same
    transaction; committed on success."""
    try:
        result = import_listings(
            db,
            data,
            filename,
            kind=kind,
            organization_id=user.organization_id,
            atlas=atlas,
            actor=user,
        )
    except TableError as exc:
        db.rollback()
        raise table_error(exc) from exc
    foreign = any(item.organization_id != user.organization_id for item in result.touched)
    if not result.problems and user.role != "admin" and foreign:
        result.problems.append(
            ImportProblem("", 0, "单位", "只能导入本机构的信息（单位列须为本机构）")
        )
    if result.problems:
        db.rollback()
        raise import_problems_error(result.problems)
    for listing in result.listings:
        notify_followers(db, listing, atlas=atlas, actor=user)
    db.commit()
    ids = [item.id for item in result.listings]
    return ListingImportReport(
        kind=kind, added=result.added, updated=result.updated, unchanged=result.unchanged, ids=ids
    )


@router.post("/listings/import", status_code=201, summary="批量导入供需信息（XLSX 或 CSV）")
async def import_listings_file(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
    file: Annotated[UploadFile, File(description="XLSX 或 CSV")],
    kind: Annotated[
        str, Query(pattern="^(achievement|demand|challenge|instrument)$")
    ] = "achievement",
) -> ListingImportReport:
    """Import a supply or demand list (XLSX or CSV), all or nothing, published at once; a
    422 names every bad row (sheet, row, column, reason in Chinese)."""
    data = await read_upload(file, request)
    name = file.filename or "upload.xlsx"
    # A worker thread: the import is synchronous and the event loop keeps serving meanwhile.
    return await run_in_threadpool(run_import, db, data, name, kind=kind, user=user, atlas=atlas)
