"""Projects in production (投产) as presence on the chain map.

A project that reached 投产 in a destination adds one synthetic presence row per segment it
carries to the presence table of :mod:`jingjinji.chains.coverage`, labelled
:data:`LANDED_LABEL` (项目落地): ``enterprise_id`` is the negative project id (so it never
collides with an enterprise and counts once per segment), ``key`` is false and ``revenue``
is 0 (unknown; it only orders key enterprises). A destination above county level lands in
its county nearest the destination's seat (a prefecture's seat district), so prefecture,
province and region counts include it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.chains.places import counties_of

__all__ = ["LANDED_LABEL", "LandedProject", "landed_presence", "landing_county"]

LANDED_LABEL = "项目落地"


@dataclass(frozen=True)
class LandedProject:
    """A project at stage 投产: id, name, destination adcode and segments."""

    id: int
    name: str
    destination: str
    segments: tuple[str, ...]


def landing_county(atlas: Atlas, adcode: str) -> str | None:
    """The county a destination counts in: itself, or its county nearest its seat; ``None``
    outside the atlas. Worked out once per atlas and place (it is asked per project row).

    >>> from jingjinji.atlas import load_atlas
    >>> landing_county(load_atlas(), "130602")
    '130602'
    """
    return _landing_county(atlas, adcode)


@functools.lru_cache(maxsize=8192)
def _landing_county(atlas: Atlas, adcode: str) -> str | None:
    try:
        place = atlas.place(adcode)
        counties = counties_of(atlas, adcode)
    except AtlasLookupError:
        return None
    if not counties:
        return None
    if adcode in counties:
        return adcode

    def distance(code: str) -> tuple[float, str]:
        county = atlas.place(code)
        return (math.hypot(county.lon - place.lon, county.lat - place.lat), code)

    return min(counties, key=distance)


def landed_presence(projects: Iterable[LandedProject], atlas: Atlas) -> list[dict[str, Any]]:
    """Presence rows (columns of :data:`jingjinji.chains.coverage.PRESENCE_COLUMNS`) for
    projects in production; segments unknown to the atlas are skipped."""
    known = {s.slug for industry in atlas.industries for s in industry.segments}
    rows: list[dict[str, Any]] = []
    for project in projects:
        county = landing_county(atlas, project.destination)
        if county is None:
            continue
        for segment in dict.fromkeys(project.segments):
            if segment in known:
                rows.append(
                    {
                        "enterprise_id": -project.id,
                        "name": f"{LANDED_LABEL}：{project.name}",
                        "county": county,
                        "segment": segment,
                        "key": False,
                        "revenue": 0.0,
                    }
                )
    return rows
