"""Request parameter types and media types that several API routers declare alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, File, Query, UploadFile

__all__ = [
    "XLSX",
    "AdcodeQ",
    "ListingFilters",
    "ListingFiltersDep",
    "PageQ",
    "PerPageQ",
    "SlugQ",
    "TableUpload",
]

#: Media type of an XLSX workbook.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: An optional 6-digit administrative division code (行政区划代码) in the query.
AdcodeQ = Annotated[str | None, Query(pattern=r"^\d{6}$", description="行政区划代码")]
#: An optional atlas slug (industry, segment, platform, park) in the query.
SlugQ = Annotated[str | None, Query(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
#: The page of a paged list, from 1.
PageQ = Annotated[int, Query(ge=1, le=100_000)]
#: Rows per page of a paged list.
PerPageQ = Annotated[int, Query(ge=1, le=200)]
#: An uploaded table to import.
TableUpload = Annotated[UploadFile, File(description="XLSX 或 CSV")]


@dataclass(frozen=True)
class ListingFilters:
    """The filters of the listing list (and its export), as keyword arguments of
    :func:`jingjinji.market.search_listings`."""

    place: str | None = None
    industry: str | None = None
    segment: str | None = None
    stage: str | None = None
    status: str | None = None
    q: str | None = None


async def _listing_filters(
    place: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    industry: Annotated[str | None, Query(max_length=64)] = None,
    segment: Annotated[str | None, Query(max_length=64)] = None,
    stage: Annotated[str | None, Query(max_length=8)] = None,
    status: Annotated[str | None, Query(pattern="^(draft|published|closed)$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> ListingFilters:
    return ListingFilters(place, industry, segment, stage, status, q)


ListingFiltersDep = Annotated[ListingFilters, Depends(_listing_filters)]
