"""Spatial structure: 五廊 corridors, 4带1园 belts, 2+4+N platforms, alliance parks, circles.

Each is a read-only catalogue of the atlas served the same way: ``{"data": [...], "count": n}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from jingjinji.atlas import Atlas
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

#: (path, atlas attribute, list schema, item schema, description, summary) of each catalogue.
CATALOGUES: tuple[tuple[str, str, Any, Any, str, str], ...] = (
    (
        "/corridors",
        "corridors",
        CorridorsPublic,
        CorridorPublic,
        "The five industrial corridors (五廊) with the places they run through, in order.",
        "五大产业走廊（五廊）及途经地区",
    ),
    (
        "/belts",
        "belts",
        BeltsPublic,
        BeltPublic,
        "The four industrial belts and one park (4带1园).",
        "四条产业带与一个园区（4带1园）",
    ),
    (
        "/platforms",
        "platforms",
        PlatformsPublic,
        PlatformPublic,
        "The 2+4+N carrier platforms for industrial transfer.",
        "产业转移承接平台（2+4+N）",
    ),
    (
        "/parks",
        "parks",
        ParksPublic,
        ParkPublic,
        "The nine high-tech zones of the 京津冀国家高新区联盟.",
        "京津冀国家高新区联盟的九个高新区",
    ),
    (
        "/circles",
        "circles",
        CirclesPublic,
        CirclePublic,
        "The three metropolitan circles (三圈).",
        "三大都市圈（三圈）",
    ),
)


def _reader(attribute: str, list_schema: Any, item_schema: Any) -> Callable[[Atlas], Any]:
    def read(atlas: AtlasDep) -> Any:
        data = [item_schema.of(item, atlas) for item in getattr(atlas, attribute)]
        return list_schema(data=data, count=len(data))

    return read


for _path, _attribute, _list, _item, _doc, _summary in CATALOGUES:
    router.add_api_route(
        _path,
        _reader(_attribute, _list, _item),
        methods=["GET"],
        response_model=_list,
        name=f"read_{_attribute}",
        description=_doc,
        summary=_summary,
    )
