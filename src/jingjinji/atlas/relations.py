"""Which spatial items and industries concern a place, and which items focus on an industry.

>>> from jingjinji.atlas import load_atlas
>>> atlas = load_atlas()
>>> [park.name for park in place_relations(atlas, "131000").parks]
['燕郊高新区']
>>> [c.name for c in industry_relations(atlas, "robotics").corridors]
['京唐秦机器人产业廊道']
"""

from __future__ import annotations

from dataclasses import dataclass

from jingjinji.atlas.catalog import Atlas
from jingjinji.atlas.models import Belt, Circle, Corridor, Industry, Park, Platform

__all__ = ["Relations", "industry_relations", "place_relations", "referenced_places"]

Item = Corridor | Belt | Platform | Park | Circle


@dataclass(frozen=True)
class Relations:
    """Spatial items and industries related to a place or an industry, in atlas order."""

    corridors: tuple[Corridor, ...]
    belts: tuple[Belt, ...]
    platforms: tuple[Platform, ...]
    parks: tuple[Park, ...]
    circles: tuple[Circle, ...]
    industries: tuple[Industry, ...]


def referenced_places(item: Item) -> list[str]:
    """Adcodes an item names: ``places``, ``members``, ``place`` and ``core``."""
    codes: list[str] = []
    for name in ("places", "members"):
        codes.extend(getattr(item, name, []))
    for name in ("place", "core"):
        value = getattr(item, name, None)
        if value:
            codes.append(value)
    return codes


def _area(atlas: Atlas, adcode: str) -> set[str]:
    """A place, everything below it, and the counties a special area administers."""
    place = atlas.place(adcode)
    area = {place.adcode, *(p.adcode for p in atlas.descendants(adcode))}
    area.update(place.administers)
    return area


def place_relations(atlas: Atlas, adcode: str) -> Relations:
    """Items that name the place or a place inside it, and the industries they focus on.

    For a prefecture unit this gathers the corridors running through it, the parks and
    platforms located in it, the belts and circles it belongs to.
    """
    area = _area(atlas, adcode)

    def touches(item: Item) -> bool:
        return any(code in area for code in referenced_places(item))

    corridors = tuple(item for item in atlas.corridors if touches(item))
    belts = tuple(item for item in atlas.belts if touches(item))
    platforms = tuple(item for item in atlas.platforms if touches(item))
    parks = tuple(item for item in atlas.parks if touches(item))
    circles = tuple(item for item in atlas.circles if touches(item))
    slugs = {
        slug
        for group in (corridors, belts, platforms, parks, circles)
        for item in group
        for slug in item.industries
    }
    industries = tuple(industry for industry in atlas.industries if industry.slug in slugs)
    return Relations(corridors, belts, platforms, parks, circles, industries)


def industry_relations(atlas: Atlas, slug: str) -> Relations:
    """Items that list the industry among their focus industries."""
    industry = atlas.industry(slug)

    def focuses(item: Item) -> bool:
        return slug in item.industries

    return Relations(
        corridors=tuple(item for item in atlas.corridors if focuses(item)),
        belts=tuple(item for item in atlas.belts if focuses(item)),
        platforms=tuple(item for item in atlas.platforms if focuses(item)),
        parks=tuple(item for item in atlas.parks if focuses(item)),
        circles=tuple(item for item in atlas.circles if focuses(item)),
        industries=(industry,),
    )
