"""Spatial structure: 五廊 corridors, 4带1园 belts, 2+4+N platforms, alliance parks, circles."""

from __future__ import annotations

from fastapi import APIRouter

from jingjinji.web.deps import AtlasDep
from jingjinji.web.schemas.atlas import (
    BeltPublic,
    BeltsPublic,
    CirclePublic,
    CirclesPublic,
    CorridorPublic,
    CorridorsPublic,
    ParkPublic,
    ParksPublic,
    PlatformPublic,
    PlatformsPublic,
)

router = APIRouter(prefix="/api", tags=["atlas"])


@router.get("/corridors")
def read_corridors(atlas: AtlasDep) -> CorridorsPublic:
    """The five industrial corridors (五廊) with the places they run through, in order."""
    data = [CorridorPublic.of(item, atlas) for item in atlas.corridors]
    return CorridorsPublic(data=data, count=len(data))


@router.get("/belts")
def read_belts(atlas: AtlasDep) -> BeltsPublic:
    """The four industrial belts and one park (4带1园)."""
    data = [BeltPublic.of(item, atlas) for item in atlas.belts]
    return BeltsPublic(data=data, count=len(data))


@router.get("/platforms")
def read_platforms(atlas: AtlasDep) -> PlatformsPublic:
    """The 2+4+N carrier platforms for industrial transfer."""
    data = [PlatformPublic.of(item, atlas) for item in atlas.platforms]
    return PlatformsPublic(data=data, count=len(data))


@router.get("/parks")
def read_parks(atlas: AtlasDep) -> ParksPublic:
    """The nine high-tech zones of the 京津冀国家高新区联盟."""
    data = [ParkPublic.of(item, atlas) for item in atlas.parks]
    return ParksPublic(data=data, count=len(data))


@router.get("/circles")
def read_circles(atlas: AtlasDep) -> CirclesPublic:
    """The three metropolitan circles (三圈)."""
    data = [CirclePublic.of(item, atlas) for item in atlas.circles]
    return CirclesPublic(data=data, count=len(data))
