"""The regional knowledge base (atlas) of the 京津冀 platform.

Places by adcode; industries (六链 and 五群), their segments and supply edges by slug; the
spatial structure (五廊, 4带1园, 2+4+N platforms, the high-tech zone alliance and the three
metropolitan circles). Every record comes from a reviewable data file with provenance.

>>> atlas = load_atlas()
>>> atlas.place("130600").name, atlas.resolve_place("保定").adcode
('保定市', '130600')
>>> [industry.slug for industry in atlas.industries][:3]
['hydrogen', 'nev-icv', 'cybersecurity']
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jingjinji.atlas.catalog import Atlas, BoundaryLevel
from jingjinji.atlas.loader import DATA_DIR, read_atlas_data
from jingjinji.atlas.models import (
    Belt,
    Circle,
    Corridor,
    Edge,
    Industry,
    Park,
    Place,
    Platform,
    Provenance,
    Segment,
)
from jingjinji.atlas.problems import AtlasError, AtlasLookupError, Problem
from jingjinji.atlas.relations import Relations, industry_relations, place_relations
from jingjinji.atlas.sources import SOURCE_DOCUMENTS, SourceDocument, cite, cite_all, cite_text
from jingjinji.atlas.validation import check_atlas_data, validate_atlas

__all__ = [
    "DATA_DIR",
    "SOURCE_DOCUMENTS",
    "Atlas",
    "AtlasError",
    "AtlasLookupError",
    "Belt",
    "Circle",
    "Corridor",
    "Edge",
    "Industry",
    "Park",
    "Place",
    "Platform",
    "Problem",
    "Provenance",
    "Relations",
    "Segment",
    "SourceDocument",
    "boundaries",
    "cite",
    "cite_all",
    "cite_text",
    "industry_relations",
    "load_atlas",
    "place_relations",
    "validate_atlas",
]


def _load(root: Path) -> Atlas:
    data, problems = read_atlas_data(root)
    problems.extend(check_atlas_data(data))
    if problems:
        raise AtlasError(sorted(set(problems)))
    return Atlas(data)


@functools.cache
def _packaged() -> Atlas:
    return _load(DATA_DIR)


def load_atlas(path: Path | str | None = None) -> Atlas:
    """Load and validate the atlas; raise :class:`AtlasError` listing every problem.

    Without ``path`` the packaged data is loaded once and cached; with a directory (e.g. a
    copy under test) it is read afresh each call.
    """
    if path is None:
        return _packaged()
    return _load(Path(path))


def boundaries(level: BoundaryLevel = "prefecture") -> dict[str, Any]:
    """Packaged boundaries as a GeoJSON FeatureCollection; see :meth:`Atlas.boundaries`."""
    return load_atlas().boundaries(level)
