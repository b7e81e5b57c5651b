"""Boundaries for maps: ``GET /api/geo/places.geojson?level=prefecture``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from jingjinji.web.deps import AtlasDep

router = APIRouter(prefix="/api/geo", tags=["atlas"])


@router.get(
    "/places.geojson",
    response_class=JSONResponse,
    responses={200: {"content": {"application/geo+json": {}}}},
    summary="行政区边界 GeoJSON（市级或省级）",
)
def read_boundaries(
    atlas: AtlasDep,
    level: Annotated[Literal["prefecture", "province"], Query()] = "prefecture",
) -> JSONResponse:
    """A GeoJSON FeatureCollection of boundaries (GCJ-02, simplified).

    Each feature's properties: ``adcode``, ``name``, ``short_name`` and ``center`` (the seat,
    [lon, lat]).
    """
    collection: dict[str, Any] = atlas.boundaries(level)
    for feature in collection["features"]:
        place = atlas.place(feature["properties"]["adcode"])
        feature["properties"]["short_name"] = place.short_name
        feature["properties"]["center"] = [place.lon, place.lat]
    return JSONResponse(collection, media_type="application/geo+json")
