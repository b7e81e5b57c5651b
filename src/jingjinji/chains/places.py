"""Places of the chain map: scopes (county to region, corridors, saved groups) as county sets,
and resolving an enterprise's address to its county.

A scope key is a 6-digit adcode (county, prefecture, province, 雄安新区), ``region``,
``corridor-<slug>`` or ``group-<id>`` (a saved group of counties, passed in by the caller).

>>> from jingjinji.atlas import load_atlas
>>> atlas = load_atlas()
>>> scope = scope_of(atlas, "130600")
>>> scope.level, scope.name, len(scope.counties) > 20
('prefecture', '保定市', True)
>>> resolve_address(atlas, "河北省保定市莲池区东风中路 1 号").adcode
'130606'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from jingjinji.atlas import Atlas, AtlasLookupError, Place
from jingjinji.atlas.aliases import load_place_aliases

__all__ = [
    "AddressError",
    "PlaceScope",
    "ScopeLevel",
    "counties_of",
    "distance_km",
    "resolve_address",
    "scope_of",
    "scopes_at_level",
]

ScopeLevel = Literal["county", "prefecture", "province", "corridor", "region", "group"]
_ADCODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@dataclass(frozen=True)
class PlaceScope:
    """A place of the chain map as the set of counties it covers.

    ``level`` decides which places it is compared with (percentiles of the location quotient
    are taken across the scopes of :func:`scopes_at_level` of the same level); ``seat`` is
    (lon, lat) of its seat, used for partner distances.
    """

    key: str
    name: str
    level: ScopeLevel
    counties: frozenset[str]
    seat: tuple[float, float]
    corridors: frozenset[str] = frozenset()


class AddressError(ValueError):
    """An address that names no county, or several, of the region."""

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message_zh = message_zh


def counties_of(atlas: Atlas, adcode: str) -> frozenset[str]:
    """The county-level adcodes a place counts (itself for a county; 保定 without the three
    counties of 雄安新区, which is a prefecture-level unit of its own)."""
    return atlas.unit_counties(adcode)


def _corridors_touching(atlas: Atlas, counties: frozenset[str]) -> frozenset[str]:
    return frozenset(
        corridor.slug
        for corridor in atlas.corridors
        if counties & _corridor_counties(atlas, corridor.slug)
    )


def _corridor_counties(atlas: Atlas, slug: str) -> frozenset[str]:
    found: set[str] = set()
    for code in atlas.corridor(slug).places:
        found |= counties_of(atlas, code)
    return frozenset(found)


def scope_of(
    atlas: Atlas,
    key: str,
    *,
    groups: Mapping[str, tuple[str, Iterable[str]]] | None = None,
) -> PlaceScope:
    """The scope a key names; ``groups`` maps ``group-<id>`` to (name, county adcodes).

    Raises :class:`AtlasLookupError` for an unknown key.
    """
    if key == "region":
        counties = frozenset(p.adcode for p in atlas.places if p.level == "county")
        centre = atlas.place("110000")
        return PlaceScope(
            "region",
            "京津冀",
            "region",
            counties,
            (centre.lon, centre.lat),
            frozenset(c.slug for c in atlas.corridors),
        )
    if key.startswith("corridor-"):
        corridor = atlas.corridor(key.removeprefix("corridor-"))
        counties = _corridor_counties(atlas, corridor.slug)
        first = atlas.place(corridor.places[0])
        return PlaceScope(
            key,
            corridor.name,
            "corridor",
            counties,
            (first.lon, first.lat),
            frozenset({corridor.slug}),
        )
    if key.startswith("group-"):
        if not groups or key not in groups:
            raise AtlasLookupError("place group", key)
        name, codes = groups[key]
        counties = frozenset(c for code in codes for c in counties_of(atlas, code))
        if not counties:
            raise AtlasLookupError("place group", key, "it holds no county")
        lon = sum(atlas.place(c).lon for c in counties) / len(counties)
        lat = sum(atlas.place(c).lat for c in counties) / len(counties)
        return PlaceScope(
            key, name, "group", counties, (lon, lat), _corridors_touching(atlas, counties)
        )
    place = atlas.place(key)
    level: ScopeLevel
    if place.level == "county":
        level = "county"
    elif place.level == "province" and place.adcode.startswith("13"):
        level = "province"
    else:
        # Beijing and Tianjin are compared with Hebei's cities as prefecture-level units.
        level = "prefecture"
    counties = counties_of(atlas, key)
    return PlaceScope(
        key,
        place.name,
        level,
        counties,
        (place.lon, place.lat),
        _corridors_touching(atlas, counties),
    )


def scopes_at_level(atlas: Atlas, level: ScopeLevel) -> list[PlaceScope]:
    """The places a scope of ``level`` is compared with.

    county: every county; prefecture (and group): the 14 prefecture-level units; province:
    北京, 天津, 河北; corridor: the five corridors; region: the region alone.
    """
    if level == "county":
        keys = [p.adcode for p in atlas.places if p.level == "county"]
    elif level in ("prefecture", "group"):
        keys = [p.adcode for p in atlas.prefecture_units()]
    elif level == "province":
        keys = [p.adcode for p in atlas.places if p.level == "province"]
    elif level == "corridor":
        keys = [f"corridor-{c.slug}" for c in atlas.corridors]
    else:
        keys = ["region"]
    return [scope_of(atlas, key) for key in keys]


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (lon, lat) points, in km.

    >>> round(distance_km((116.407, 39.904), (115.465, 38.874)))
    140
    """
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _names(place: Place) -> list[str]:
    return [place.name, *place.aliases]


def resolve_address(atlas: Atlas, address: str) -> Place:
    """The county an address lies in: ``河北省保定市莲池区…`` → 莲池区 (130606).

    Looks for full county names (and aliases) in the address; a prefecture or province name
    in it narrows duplicates (桥西区 exists in 石家庄, 张家口 and 邢台). A 6-digit county
    adcode or an exact place name (``莲池区``) also works. An address naming no county may name
    a former county (``塘沽区``, ``蓟县``) or a functional zone (``北京经济技术开发区``,
    ``容东片区``): :mod:`jingjinji.atlas.aliases` maps it to the county holding it now. Raises
    :class:`AddressError` when no county, or several, match.
    """
    text = re.sub(r"\s+", "", address)
    for code in _ADCODE.findall(text):
        try:
            place = atlas.place(code)
        except AtlasLookupError:
            continue
        if place.level == "county":
            return place
    counties = [p for p in atlas.places if p.level == "county"]
    hits = [p for p in counties if any(name in text for name in _names(p))]
    if len(hits) > 1:
        uppers = [
            p
            for p in atlas.places
            if p.level != "county" and any(name in text for name in (p.name, p.short_name))
        ]
        if uppers:
            narrowed = [
                p for p in hits if all(p.adcode in counties_of(atlas, u.adcode) for u in uppers)
            ]
            hits = narrowed or hits
        # A county name inside a longer one (e.g. 新华区 in 新华区 and 石家庄市新华区) is one hit.
        hits = list({p.adcode: p for p in hits}.values())
    if len(hits) == 1:
        return hits[0]
    if not hits:
        folded = text.lower()
        for alias in load_place_aliases():
            if alias.alias in folded:
                return atlas.place(alias.adcode)
        try:
            exact: Place | None = atlas.resolve_place(text)
        except AtlasLookupError:
            exact = None
        if exact is not None and exact.level == "county":
            return exact
        raise AddressError(
            f"address {address!r} names no county of the region",
            f"地址“{address}”无法解析到区县（请写明区县名称，雄安新区请写明雄县、容城县或安新县）"
            if "雄安" in text
            else f"地址“{address}”无法解析到区县（请写明区县名称）",
        )
    names = "、".join(f"{p.name}({p.adcode})" for p in hits[:4])
    raise AddressError(
        f"address {address!r} matches several counties: {names}",
        f"地址“{address}”对应多个区县：{names}，请写明所属地市",
    )
