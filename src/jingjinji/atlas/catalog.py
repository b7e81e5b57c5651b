"""The :class:`Atlas`: loaded, validated atlas records with lookups by adcode and slug."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Literal

from jingjinji.atlas.loader import AtlasData
from jingjinji.atlas.models import Belt, Circle, Corridor, Industry, Park, Place, Platform, Segment
from jingjinji.atlas.problems import AtlasLookupError

__all__ = ["Atlas", "BoundaryLevel"]

BoundaryLevel = Literal["prefecture", "province"]

_LEVEL_RANK = {"province": 0, "prefecture": 1, "special": 2, "county": 3}
_ADCODE = re.compile(r"^\d{6}$")


class Atlas:
    """The regional knowledge base: places, industries with segments, and spatial structure.

    Records are frozen pydantic models; collections are tuples in file order (industries in
    their ``order``). Lookups raise :class:`AtlasLookupError` (a ``KeyError``) naming the key.

    Beijing (110000) and Tianjin (120000) are province-level municipalities: their level is
    ``province``, their districts have them as parent, and :meth:`prefecture_units` lists them
    together with Hebei's 11 prefecture cities and 雄安新区 as the region's 14 prefecture-level
    units (雄安 administers 雄县, 容城县 and 安新县, which keep their 保定 adcodes; statistics
    count them under 雄安 and 保定 without them).
    """

    def __init__(self, data: AtlasData) -> None:
        self.root: Path = data.root
        self.places: tuple[Place, ...] = tuple(data.places)
        self.industries: tuple[Industry, ...] = tuple(data.industries)
        self.corridors: tuple[Corridor, ...] = tuple(data.corridors)
        self.belts: tuple[Belt, ...] = tuple(data.belts)
        self.platforms: tuple[Platform, ...] = tuple(data.platforms)
        self.parks: tuple[Park, ...] = tuple(data.parks)
        self.circles: tuple[Circle, ...] = tuple(data.circles)
        self.gbt4754: dict[str, str] = dict(data.gbt_codes)
        self._places = {place.adcode: place for place in self.places}
        self._children: dict[str, list[Place]] = defaultdict(list)
        for place in self.places:
            if place.parent:
                self._children[place.parent].append(place)
        # State-level new areas count as prefecture-level units (雄安新区).
        self._new_areas = {
            p.adcode: p
            for p in self.places
            if p.level == "special" and "state-level-new-area" in p.tags and p.administers
        }
        self._industries = {industry.slug: industry for industry in self.industries}
        self._segments: dict[str, tuple[Segment, Industry]] = {
            segment.slug: (segment, industry)
            for industry in self.industries
            for segment in industry.segments
        }
        self._corridors = {item.slug: item for item in self.corridors}
        self._belts = {item.slug: item for item in self.belts}
        self._platforms = {item.slug: item for item in self.platforms}
        self._parks = {item.slug: item for item in self.parks}
        self._circles = {item.slug: item for item in self.circles}
        # Lookups built once (the atlas never changes once loaded): special areas by the
        # places they administer, the prefecture-level units and the unit of every place.
        self._administering: dict[str, list[Place]] = defaultdict(list)
        for place in self.places:
            if place.level == "special":
                for code in place.administers:
                    self._administering[code].append(place)
        self._units: tuple[Place, ...] = (
            *(p for p in self.places if p.level == "province" and p.adcode[:2] != "13"),
            *(p for p in self.places if p.level == "prefecture"),
            *self._new_areas.values(),
        )
        unit_codes = {unit.adcode for unit in self._units}
        self._unit_of: dict[str, Place | None] = {
            place.adcode: self._find_unit(place, unit_codes) for place in self.places
        }
        self._descendants: dict[str, tuple[Place, ...]] = {}
        self._unit_counties: dict[str, frozenset[str]] = {}

    def __repr__(self) -> str:
        return (
            f"<Atlas {len(self.places)} places, {len(self.industries)} industries, "
            f"{len(self.corridors)} corridors from {self.root}>"
        )

    # -- lookups ---------------------------------------------------------------------------

    def place(self, adcode: str) -> Place:
        """The place with this 6-digit adcode, e.g. ``atlas.place("130600").name == "保定市"``."""
        try:
            return self._places[adcode]
        except KeyError:
            raise AtlasLookupError("place", adcode) from None

    def industry(self, slug: str) -> Industry:
        """The industry with this slug, e.g. ``hydrogen``."""
        try:
            return self._industries[slug]
        except KeyError:
            raise AtlasLookupError("industry", slug) from None

    def segment(self, slug: str) -> Segment:
        """The segment with this slug (slugs are unique across industries)."""
        try:
            return self._segments[slug][0]
        except KeyError:
            raise AtlasLookupError("segment", slug) from None

    def industry_of(self, segment_slug: str) -> Industry:
        """The industry a segment belongs to."""
        try:
            return self._segments[segment_slug][1]
        except KeyError:
            raise AtlasLookupError("segment", segment_slug) from None

    def corridor(self, slug: str) -> Corridor:
        """The corridor (五廊) with this slug."""
        try:
            return self._corridors[slug]
        except KeyError:
            raise AtlasLookupError("corridor", slug) from None

    def belt(self, slug: str) -> Belt:
        """The belt or park of the 4带1园 with this slug."""
        try:
            return self._belts[slug]
        except KeyError:
            raise AtlasLookupError("belt", slug) from None

    def platform(self, slug: str) -> Platform:
        """The 2+4+N carrier platform with this slug."""
        try:
            return self._platforms[slug]
        except KeyError:
            raise AtlasLookupError("platform", slug) from None

    def park(self, slug: str) -> Park:
        """The high-tech zone of the alliance with this slug."""
        try:
            return self._parks[slug]
        except KeyError:
            raise AtlasLookupError("park", slug) from None

    def circle(self, slug: str) -> Circle:
        """The metropolitan circle with this slug."""
        try:
            return self._circles[slug]
        except KeyError:
            raise AtlasLookupError("circle", slug) from None

    # -- place hierarchy --------------------------------------------------------------------

    def children(self, adcode: str) -> list[Place]:
        """Direct children of a place, by adcode (Hebei: its 11 cities and 雄安新区)."""
        self.place(adcode)
        return list(self._children.get(adcode, []))

    def descendants(self, adcode: str) -> list[Place]:
        """All places below a place, depth first."""
        found = self._descendants.get(adcode)
        if found is None:
            result: list[Place] = []
            for child in self.children(adcode):
                result.append(child)
                result.extend(self.descendants(child.adcode))
            found = self._descendants[adcode] = tuple(result)
        return list(found)

    def administering(self, adcode: str) -> list[Place]:
        """The special areas administering a place (雄县 → [雄安新区]); none for most places.

        >>> from jingjinji.atlas import load_atlas
        >>> [p.name for p in load_atlas().administering("130638")]
        ['雄安新区']
        """
        return list(self._administering.get(adcode, ()))

    def prefecture_units(self) -> list[Place]:
        """The 14 prefecture-level units: 北京, 天津, Hebei's 11 cities and 雄安新区 (last)."""
        return list(self._units)

    def prefecture_unit_of(self, adcode: str) -> Place | None:
        """The prefecture-level unit containing a place (itself if it is one).

        Beijing's and Tianjin's districts belong to 110000 and 120000; 雄县, 容城县 and 安新县
        (and 雄安新区 itself) belong to 雄安新区 (133100), the rest of 保定's counties to 保定;
        Hebei itself belongs to none.
        """
        try:
            return self._unit_of[adcode]
        except KeyError:
            raise AtlasLookupError("place", adcode) from None

    def _find_unit(self, place: Place, units: set[str]) -> Place | None:
        """The unit of :meth:`prefecture_unit_of`, worked out once per place at load."""
        for area in self._new_areas.values():
            if place.adcode == area.adcode or place.adcode in area.administers:
                return area
        found: Place | None = place
        while found is not None:
            if found.adcode in units:
                return found
            found = self._places.get(found.parent) if found.parent else None
        return None

    def unit_counties(self, adcode: str) -> frozenset[str]:
        """County-level adcodes a prefecture-level unit counts (保定 without 雄安's counties).

        For any other place: the counties below it (itself for a county), a special area
        its administered counties.
        """
        found = self._unit_counties.get(adcode)
        if found is None:
            found = self._unit_counties[adcode] = self._counties_of_unit(adcode)
        return found

    def _counties_of_unit(self, adcode: str) -> frozenset[str]:
        place = self.place(adcode)
        if place.level == "county":
            return frozenset({adcode})
        if place.level == "special" and place.administers:
            found: set[str] = set()
            for code in place.administers:
                found |= self.unit_counties(code)
            return frozenset(found)
        counties = {p.adcode for p in self.descendants(adcode) if p.level == "county"}
        if place.level == "prefecture":
            unit = self.prefecture_unit_of(adcode)
            counties = {c for c in counties if self.prefecture_unit_of(c) == unit}
        return frozenset(counties)

    def province_of(self, adcode: str) -> Place:
        """The province-level unit of a place (a province is its own)."""
        place = self.place(adcode)
        while place.parent:
            place = self.place(place.parent)
        return place

    # -- names ------------------------------------------------------------------------------

    def resolve_place(self, text: str) -> Place:
        """The place a Chinese name, short name, alias or adcode denotes.

        Full names win over short names, short names over aliases; among several matches the
        higher level wins (``承德`` is 承德市, not 承德县). A leading province or city name
        narrows the search (``石家庄市桥西区``). Raises :class:`AtlasLookupError` when nothing
        or several equally good places match.

        Accepts '保定', '保定市', '130600', '北京城市副中心' (通州区) and '永年县' (now 永年区).
        """
        query = re.sub(r"\s+", "", text)
        if _ADCODE.match(query) and query in self._places:
            return self._places[query]
        found = self._match(query, self.places)
        if found is not None:
            return found
        for prefix_place in sorted(
            (p for p in self.places if p.level != "county"),
            key=lambda p: -len(p.name),
        ):
            for prefix in (prefix_place.name, prefix_place.short_name):
                if query.startswith(prefix) and len(query) > len(prefix):
                    scope = self.descendants(prefix_place.adcode)
                    found = self._match(query[len(prefix) :], scope)
                    if found is not None:
                        return found
        raise AtlasLookupError("place", text)

    def _match(self, query: str, scope: list[Place] | tuple[Place, ...]) -> Place | None:
        for field in ("name", "short_name", "aliases"):
            if field == "aliases":
                matches = [p for p in scope if query in p.aliases]
            else:
                matches = [p for p in scope if getattr(p, field) == query]
            if not matches:
                continue
            best = min(_LEVEL_RANK[p.level] for p in matches)
            top = [p for p in matches if _LEVEL_RANK[p.level] == best]
            if len(top) == 1:
                return top[0]
            names = ", ".join(f"{p.adcode} {p.name}" for p in top)
            raise AtlasLookupError("place", query, f"ambiguous: {names}")
        return None

    # -- relations --------------------------------------------------------------------------

    def place_coordinates(self, adcode: str) -> tuple[float, float]:
        """(lon, lat) of a place's seat."""
        place = self.place(adcode)
        return place.lon, place.lat

    def platform_point(self, platform: Platform) -> tuple[float, float]:
        """Where to draw a platform: its own coordinates, else the seat of its first place."""
        if platform.lon is not None and platform.lat is not None:
            return platform.lon, platform.lat
        return self.place_coordinates(platform.places[0])

    def boundaries(self, level: BoundaryLevel = "prefecture") -> dict[str, Any]:
        """Boundaries as a GeoJSON FeatureCollection (a fresh dict on every call).

        ``prefecture``: the 14 prefecture-level units (雄安新区 apart from 保定); ``province``:
        北京, 天津, 河北. Features
        carry ``properties`` ``adcode`` and ``name``; coordinates are GCJ-02, simplified.
        """
        if level not in ("prefecture", "province"):
            raise AtlasLookupError("boundary level", str(level), "use prefecture or province")
        path = self.root / "boundaries" / f"{level}.geojson"
        collection: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return collection
