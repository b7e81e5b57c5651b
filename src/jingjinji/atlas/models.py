"""The atlas schema: pydantic models of every record the data files hold.

The models are frozen: an atlas is loaded once and shared, so nothing may change it in place.
Identifiers follow one scheme everywhere: places by 6-digit adcode, everything else by a
kebab-case slug (``hydrogen``, ``hydrogen-electrolyzer``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "ADCODE_PATTERN",
    "SLUG_PATTERN",
    "STAGES",
    "Belt",
    "Circle",
    "Corridor",
    "Edge",
    "Industry",
    "Level",
    "Park",
    "Place",
    "Platform",
    "Provenance",
    "RegistryPhrases",
    "Role",
    "Segment",
    "Stage",
]

ADCODE_PATTERN = r"^\d{6}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
GBT_PATTERN = r"^\d{4}$"
#: An item's provenance tag: a seed article, ``curated``, or a named source.
TAG_PATTERN = r"^(seed:\d{3}_[0-9a-f]{16}\.txt|curated(:[a-z0-9-]+)?|[a-z]+:\S+)$"

Level = Literal["province", "prefecture", "county", "special"]
Role = Literal["chain", "cluster"]
Stage = Literal["upstream", "midstream", "downstream"]

STAGES: tuple[Stage, ...] = ("upstream", "midstream", "downstream")


class _Record(BaseModel):
    """Base of all atlas records: frozen, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


Tags = list[str]


def _check_tags(tags: list[str]) -> list[str]:
    """Each tag must look like ``seed:NNN_<16 hex>.txt``, ``curated`` or ``scheme:value``."""
    if not tags:
        raise ValueError("provenance must name at least one source")
    for tag in tags:
        if not re.match(TAG_PATTERN, tag):
            raise ValueError(f"provenance tag {tag!r} is not seed:<file>, curated or scheme:value")
    return tags


class Provenance(_Record):
    """Where a data file comes from (a file-level block or a ``*.source.yaml`` sidecar).

    ``sources`` lists seed files (``seed:002_9edae77716d51e3f.txt``), ``curated`` for
    hand-made domain content, or named packages and standards (``pypi:cpca==0.5.5``).
    """

    sources: list[str] = Field(min_length=1)
    license: str = Field(min_length=1)
    retrieved: dt.date
    source_url: str | None = None
    note: str | None = None

    _sources = field_validator("sources")(_check_tags)


class Place(_Record):
    """An administrative unit: province, prefecture city, county-level unit or special area.

    Beijing and Tianjin are province-level municipalities: their level is ``province`` and
    their districts have them as parent; :meth:`Atlas.prefecture_units` also lists them
    with Hebei's 11 cities and 雄安新区 as the 14 prefecture-level units of the region.
    """

    adcode: str = Field(pattern=ADCODE_PATTERN)
    name: str = Field(min_length=2)
    short_name: str = Field(min_length=1)
    level: Level
    parent: str | None = Field(default=None, pattern=ADCODE_PATTERN)
    lon: float = Field(ge=73.0, le=136.0)
    lat: float = Field(ge=3.0, le=54.0)
    aliases: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    administers: list[str] = Field(default_factory=list)
    note: str | None = None
    provenance: Tags

    _provenance = field_validator("provenance")(_check_tags)


def _check_phrases(phrases: list[str]) -> list[str]:
    """Registry phrases are non-blank (at least 4 characters) and do not repeat."""
    for phrase in phrases:
        if len(phrase.strip()) < 4:
            raise ValueError(f"registry phrase {phrase!r} is shorter than 4 characters")
    if len(set(phrases)) != len(phrases):
        raise ValueError("registry phrases repeat")
    return phrases


class Segment(_Record):
    """One segment (环节) of an industry's chain, e.g. 电解水制氢 or 膜电极.

    ``registry_terms`` are the standard business-scope phrases (经营范围规范表述, as written
    in registrations) that denote the segment, e.g. 工业机器人制造 or 集成电路设计.
    """

    slug: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=2)
    stage: Stage
    description: str = Field(min_length=4)
    keywords: list[str] = Field(min_length=4, max_length=12)
    synonyms: list[str] = Field(default_factory=list)
    registry_terms: list[str] = Field(default_factory=list)
    gbt4754: list[str] = Field(default_factory=list)

    _registry_terms = field_validator("registry_terms")(_check_phrases)

    @field_validator("gbt4754")
    @classmethod
    def _codes(cls, codes: list[str]) -> list[str]:
        """GB/T 4754-2017 codes are 4-digit 小类 codes."""
        for code in codes:
            if not re.match(GBT_PATTERN, code):
                raise ValueError(f"GB/T 4754 code {code!r} is not a 4-digit 小类 code")
        return codes


class RegistryPhrases(_Record):
    """Generic business-scope phrases that denote no segment (``registry_generic.yaml``)."""

    provenance: Provenance
    phrases: list[str] = Field(min_length=1)

    _phrases = field_validator("phrases")(_check_phrases)


class Edge(_Record):
    """A supply edge: segment ``source`` feeds segment ``target``."""

    source: str = Field(pattern=SLUG_PATTERN)
    target: str = Field(pattern=SLUG_PATTERN)
    cycle_ok: bool = False
    note: str | None = None


class Industry(_Record):
    """A chain (六链) and/or cluster (五群) with its segments and supply edges."""

    slug: str = Field(pattern=SLUG_PATTERN)
    order: int = Field(ge=0, description="display order: the six chains, then the clusters")
    name: str = Field(min_length=2)
    roles: list[Role] = Field(min_length=1)
    description: str
    provenance: Provenance
    segments: list[Segment]
    edges: list[Edge] = Field(default_factory=list)

    def stage_segments(self, stage: Stage) -> list[Segment]:
        """Segments of one stage, in file order."""
        return [segment for segment in self.segments if segment.stage == stage]


class _Spatial(_Record):
    """Common fields of the spatial-structure records."""

    slug: str = Field(pattern=SLUG_PATTERN)
    name: str = Field(min_length=2)
    description: str = ""
    industries: list[str] = Field(default_factory=list)
    focus: list[str] = Field(default_factory=list)
    provenance: Tags

    _provenance = field_validator("provenance")(_check_tags)


class Corridor(_Spatial):
    """An industrial corridor (五廊) running through ``places`` in order."""

    places: list[str] = Field(min_length=2)


class Belt(_Spatial):
    """One of the 4带1园: an industrial belt, or the one park (``kind: park``)."""

    kind: Literal["belt", "park"]
    places: list[str] = Field(min_length=1)


class Platform(_Spatial):
    """A 2+4+N carrier platform (承接平台).

    ``tier`` is ``"2"`` (集中承载地), ``"4"`` (战略合作功能区) or ``"N"`` (专业化特色化平台).
    """

    tier: Literal["2", "4", "N"]
    places: list[str] = Field(min_length=1)
    lon: float | None = None
    lat: float | None = None


class Park(_Spatial):
    """A member park of the 京津冀国家高新区联盟, located in ``place``."""

    full_name: str
    level: Literal["national", "provincial"]
    place: str = Field(pattern=ADCODE_PATTERN)
    lon: float = Field(ge=113.0, le=120.5)
    lat: float = Field(ge=36.0, le=42.7)


class Circle(_Spatial):
    """A metropolitan circle (都市圈) around ``core`` with its member places."""

    core: str = Field(pattern=ADCODE_PATTERN)
    members: list[str] = Field(min_length=1)
