"""Request parameter types and media types that several API routers declare alike."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Query, UploadFile

__all__ = ["XLSX", "AdcodeQ", "PageQ", "PerPageQ", "SlugQ", "TableUpload"]

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
