"""API schemas of the atlas: places, industries with segments, and the spatial structure.

Builders (``*.of(...)``) turn atlas records into these schemas, so routes stay thin and the
atlas models stay free of web concerns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal, Self

from pydantic import BaseModel

from jingjinji.atlas import (
    Atlas,
    Belt,
    Circle,
    Corridor,
    Industry,
    Park,
    Place,
    Platform,
    Relations,
    Segment,
    industry_relations,
)
from jingjinji.web.schemas.common import ReadFromRow

__all__ = [
    "BeltPublic",
    "BeltsPublic",
    "CirclePublic",
    "CirclesPublic",
    "CorridorPublic",
    "CorridorsPublic",
    "EdgePublic",
    "IndustriesPublic",
    "IndustryDetail",
    "IndustryPublic",
    "ItemRef",
    "ParkPublic",
    "ParksPublic",
    "PlaceDetail",
    "PlacePublic",
    "PlaceRef",
    "PlacesPublic",
    "PlatformPublic",
    "PlatformsPublic",
    "ProvenancePublic",
    "RelatedPublic",
    "SegmentDetail",
    "SegmentSummary",
]


class PlaceRef(ReadFromRow):
    """A place named by another record, with its seat for drawing."""

    adcode: str
    name: str
    short_name: str
    lon: float
    lat: float


class PlacePublic(BaseModel):
    """A place: adcode, names, level, parent and seat coordinates (GCJ-02)."""

    adcode: str
    name: str
    short_name: str
    level: Literal["province", "prefecture", "county", "special"]
    parent: str | None
    lon: float
    lat: float
    aliases: list[str]
    tags: list[str]
    administers: list[str]
    note: str | None
    provenance: list[str]
    prefecture_unit: str | None

    @classmethod
    def of(cls, place: Place, atlas: Atlas) -> PlacePublic:
        unit = atlas.prefecture_unit_of(place.adcode)
        return cls(**place.model_dump(), prefecture_unit=unit.adcode if unit is not None else None)


class PlacesPublic(BaseModel):
    data: list[PlacePublic]
    count: int


class ItemRef(BaseModel):
    """A slug and a name, e.g. a corridor or an industry named by another record."""

    slug: str
    name: str


class RelatedPublic(BaseModel):
    """Spatial items and industries related to a place or an industry."""

    corridors: list[ItemRef]
    belts: list[ItemRef]
    platforms: list[ItemRef]
    parks: list[ItemRef]
    circles: list[ItemRef]
    industries: list[ItemRef]

    @classmethod
    def of(cls, relations: Relations) -> RelatedPublic:
        def refs(
            items: Sequence[Corridor | Belt | Platform | Park | Circle | Industry],
        ) -> list[ItemRef]:
            return [ItemRef(slug=item.slug, name=item.name) for item in items]

        return cls(
            corridors=refs(relations.corridors),
            belts=refs(relations.belts),
            platforms=refs(relations.platforms),
            parks=refs(relations.parks),
            circles=refs(relations.circles),
            industries=refs(relations.industries),
        )


class PlaceDetail(PlacePublic):
    """A place with its children and the spatial items and industries that concern it."""

    children: list[PlaceRef]
    related: RelatedPublic


class SegmentSummary(BaseModel):
    slug: str
    name: str
    stage: Literal["upstream", "midstream", "downstream"]


class GbtCode(BaseModel):
    code: str
    name: str


class SegmentDetail(SegmentSummary):
    """A segment with its description, keywords, synonyms and GB/T 4754-2017 codes."""

    description: str
    keywords: list[str]
    synonyms: list[str]
    gbt4754: list[GbtCode]

    @classmethod
    def of(cls, segment: Segment, atlas: Atlas) -> SegmentDetail:
        return cls(
            slug=segment.slug,
            name=segment.name,
            stage=segment.stage,
            description=segment.description,
            keywords=segment.keywords,
            synonyms=segment.synonyms,
            gbt4754=[GbtCode(code=c, name=atlas.gbt4754.get(c, "")) for c in segment.gbt4754],
        )


class EdgePublic(BaseModel):
    """Supply edge: ``source`` feeds ``target``."""

    source: str
    target: str
    cycle_ok: bool
    note: str | None


class ProvenancePublic(BaseModel):
    sources: list[str]
    license: str
    retrieved: date
    source_url: str | None
    note: str | None


class _IndustryBase(BaseModel):
    slug: str
    name: str
    roles: list[Literal["chain", "cluster"]]
    description: str
    edges: list[EdgePublic]


class IndustryPublic(_IndustryBase):
    """An industry with its roles (chain, cluster), segment summaries and supply edges."""

    segments: list[SegmentSummary]

    @classmethod
    def of(cls, industry: Industry) -> IndustryPublic:
        return cls(
            slug=industry.slug,
            name=industry.name,
            roles=list(industry.roles),
            description=industry.description,
            segments=[
                SegmentSummary(slug=s.slug, name=s.name, stage=s.stage) for s in industry.segments
            ],
            edges=[EdgePublic(**edge.model_dump()) for edge in industry.edges],
        )


class IndustriesPublic(BaseModel):
    data: list[IndustryPublic]
    count: int


class IndustryDetail(_IndustryBase):
    """An industry with full segments, provenance and the spatial items focused on it."""

    segments: list[SegmentDetail]
    provenance: ProvenancePublic
    related: RelatedPublic

    @classmethod
    def of(cls, industry: Industry, atlas: Atlas) -> IndustryDetail:
        return cls(
            slug=industry.slug,
            name=industry.name,
            roles=list(industry.roles),
            description=industry.description,
            segments=[SegmentDetail.of(segment, atlas) for segment in industry.segments],
            edges=[EdgePublic(**edge.model_dump()) for edge in industry.edges],
            provenance=ProvenancePublic(**industry.provenance.model_dump()),
            related=RelatedPublic.of(industry_relations(atlas, industry.slug)),
        )


class _SpatialBase(BaseModel):
    slug: str
    name: str
    description: str
    industries: list[str]
    focus: list[str]
    provenance: list[str]


class _PlacedBase(_SpatialBase):
    """A spatial item drawn through its places, in order."""

    places: list[PlaceRef]

    @classmethod
    def of(cls, item: Corridor | Belt, atlas: Atlas) -> Self:
        data = item.model_dump(exclude={"places"})
        return cls(**data, places=[PlaceRef.of(atlas.place(code)) for code in item.places])


class CorridorPublic(_PlacedBase):
    """A corridor with the places it runs through, in order."""


class CorridorsPublic(BaseModel):
    data: list[CorridorPublic]
    count: int


class BeltPublic(_PlacedBase):
    """A belt (or the one park) of the 4带1园."""

    kind: Literal["belt", "park"]


class BeltsPublic(BaseModel):
    data: list[BeltPublic]
    count: int


class PlatformPublic(_SpatialBase):
    """A 2+4+N platform; ``lon``/``lat`` is where to draw it."""

    tier: Literal["2", "4", "N"]
    places: list[PlaceRef]
    lon: float
    lat: float

    @classmethod
    def of(cls, item: Platform, atlas: Atlas) -> PlatformPublic:
        data = item.model_dump(exclude={"places", "lon", "lat"})
        lon, lat = atlas.platform_point(item)
        places = [PlaceRef.of(atlas.place(code)) for code in item.places]
        return cls(**data, places=places, lon=lon, lat=lat)


class PlatformsPublic(BaseModel):
    data: list[PlatformPublic]
    count: int


class ParkPublic(_SpatialBase):
    """A high-tech zone of the alliance, its place and prefecture unit."""

    full_name: str
    level: Literal["national", "provincial"]
    place: PlaceRef
    prefecture_unit: str | None
    lon: float
    lat: float

    @classmethod
    def of(cls, item: Park, atlas: Atlas) -> ParkPublic:
        data = item.model_dump(exclude={"place"})
        unit = atlas.prefecture_unit_of(item.place)
        return cls(
            **data,
            place=PlaceRef.of(atlas.place(item.place)),
            prefecture_unit=unit.adcode if unit is not None else None,
        )


class ParksPublic(BaseModel):
    data: list[ParkPublic]
    count: int


class CirclePublic(_SpatialBase):
    """A metropolitan circle with its core and members."""

    core: PlaceRef
    members: list[PlaceRef]

    @classmethod
    def of(cls, item: Circle, atlas: Atlas) -> CirclePublic:
        data = item.model_dump(exclude={"core", "members"})
        return cls(
            **data,
            core=PlaceRef.of(atlas.place(item.core)),
            members=[PlaceRef.of(atlas.place(code)) for code in item.members],
        )


class CirclesPublic(BaseModel):
    data: list[CirclePublic]
    count: int
