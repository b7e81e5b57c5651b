"""Places of the atlas: ``GET /api/places`` (filter by level, parent) and one place by adcode."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from jingjinji.atlas import AtlasLookupError, place_relations
from jingjinji.web.deps import AtlasDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.atlas import (
    PlaceDetail,
    PlacePublic,
    PlaceRef,
    PlacesPublic,
    RelatedPublic,
)

router = APIRouter(prefix="/api/places", tags=["atlas"])

ADCODE = r"^\d{6}$"


@router.get("", summary="京津冀行政区划列表（按层级、上级筛选）")
def read_places(
    atlas: AtlasDep,
    level: Annotated[
        Literal["province", "prefecture", "county", "special"] | None,
        Query(description="only places of this level"),
    ] = None,
    parent: Annotated[
        str | None, Query(pattern=ADCODE, description="only direct children of this adcode")
    ] = None,
) -> PlacesPublic:
    """Places of Beijing, Tianjin and Hebei, optionally filtered by level and parent."""
    places = [
        place
        for place in atlas.places
        if (level is None or place.level == level) and (parent is None or place.parent == parent)
    ]
    return PlacesPublic(data=[PlacePublic.of(p, atlas) for p in places], count=len(places))


@router.get("/{adcode}", summary="一个地区的下级、走廊、园区、平台与产业")
def read_place(adcode: Annotated[str, Path(pattern=ADCODE)], atlas: AtlasDep) -> PlaceDetail:
    """One place with its children and the corridors, parks, platforms and industries there."""
    try:
        place = atlas.place(adcode)
    except AtlasLookupError as error:
        raise ApiError(404, f"地点 {adcode} 不存在") from error
    base = PlacePublic.of(place, atlas)
    return PlaceDetail(
        **base.model_dump(),
        children=[PlaceRef.of(child) for child in atlas.children(adcode)],
        related=RelatedPublic.of(place_relations(atlas, adcode)),
    )
