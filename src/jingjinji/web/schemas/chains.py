"""API schemas of the chain map: enterprises, classification, coverage and suggestions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from jingjinji.chains.registry_fields import is_closed
from jingjinji.store.models import Enterprise
from jingjinji.web.schemas.common import ReadFromRow

__all__ = [
    "ClassifyRequest",
    "ClassifyResult",
    "CoveragePublic",
    "EnterprisePublic",
    "EnterpriseSegmentPublic",
    "EnterprisesPublic",
    "ImportResult",
    "MatchPublic",
    "PlaceGroupCreate",
    "PlaceGroupPublic",
    "PlaceGroupsPublic",
    "PlaceOption",
    "PlaceOptionsPublic",
    "ReviewRequest",
    "SuggestionsPublic",
]


class EvidencePublic(BaseModel):
    word: str
    field: str
    grade: Literal["strong", "medium", "weak"]


class MatchPublic(BaseModel):
    """A segment suggested by the classifier."""

    segment: str
    segment_name: str = ""
    industry: str
    confidence: float
    decision: Literal["confirmed", "uncertain", "rejected"]
    evidence: list[EvidencePublic]


class ClassifyRequest(BaseModel):
    """Text to classify (a listing, a project description, an enterprise's scope)."""

    text: str = Field(min_length=1, max_length=10_000)
    include_rejected: bool = False


class ClassifyResult(BaseModel):
    data: list[MatchPublic]
    count: int


class EnterpriseSegmentPublic(ReadFromRow):
    segment: str
    industry: str
    confidence: float
    decision: str
    source: str
    evidence: list[dict[str, Any]]
    note: str


class EnterprisePublic(BaseModel):
    """An enterprise of the registry with its segments; ``is_sample`` marks 示例数据."""

    id: int
    name: str
    credit_code: str
    address: str
    place_adcode: str
    place_name: str = ""
    industry_code: str | None
    scope: str
    products: str
    tags: list[str]
    size: str | None
    revenue: float | None
    status: str | None = None
    founded_on: date | None = None
    closed_on: date | None = None
    operating: bool = True
    provenance: str
    is_sample: bool
    version: int
    segments: list[EnterpriseSegmentPublic] = []

    @classmethod
    def of(
        cls, row: Enterprise, *, place_name: str = "", with_segments: bool = True
    ) -> EnterprisePublic:
        columns = {name: getattr(row, name) for name in _ENTERPRISE_COLUMNS}
        return cls(
            **columns,
            place_name=place_name,
            tags=row.tag_list,
            operating=not is_closed(row.status),
            is_sample=row.provenance == "demo",
            segments=[EnterpriseSegmentPublic.of(s) for s in row.segments] if with_segments else [],
        )


#: Columns of an enterprise shown as stored.
_ENTERPRISE_COLUMNS = (
    *("id", "name", "credit_code", "address", "place_adcode", "industry_code", "scope"),
    *("products", "size", "revenue", "status", "founded_on", "closed_on", "provenance"),
    "version",
)


class EnterprisesPublic(BaseModel):
    data: list[EnterprisePublic]
    count: int


class ImportResult(BaseModel):
    """What an import did; with ``problems`` nothing was written."""

    ok: bool
    rows: int
    created: int
    updated: int
    problems: list[dict[str, Any]]
    unresolved: list[dict[str, Any]]
    ignored_columns: list[str] = []
    skipped_sheets: list[str] = []


class ReviewRequest(BaseModel):
    """A reviewer's decision on one segment of an enterprise (kept across re-classification)."""

    segment: str = Field(min_length=1, max_length=80, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    decision: Literal["confirmed", "rejected"]
    note: str = Field(default="", max_length=500)


class PlaceScopePublic(BaseModel):
    key: str
    name: str
    level: str
    counties: int


class CoveragePublic(BaseModel):
    """Coverage of an industry in a place (see :mod:`jingjinji.chains.coverage`)."""

    industry: str
    place: PlaceScopePublic
    completeness: float
    enterprise_count: int
    status_counts: dict[str, int]
    segments: list[dict[str, Any]]
    is_sample: bool
    includes_sample: bool = False
    #: Bootstrap of the statuses (method, resamples, seed, threshold, enterprises, uncertain);
    #: per segment ``status_stability`` and ``status_uncertain``.
    stability: dict[str, Any] | None = None


class SuggestionsPublic(BaseModel):
    """Ranked 补链·延链·强链 suggestions (see :mod:`jingjinji.chains.suggest`)."""

    industry: str
    place: PlaceScopePublic
    data: list[dict[str, Any]]
    count: int
    is_sample: bool
    includes_sample: bool = False


class PlaceOption(BaseModel):
    key: str
    name: str
    level: str
    parent: str | None = None


class PlaceOptionsPublic(BaseModel):
    data: list[PlaceOption]
    count: int


class PlaceGroupCreate(BaseModel):
    """A named group of counties (or larger places, expanded to their counties)."""

    name: str = Field(min_length=1, max_length=100)
    adcodes: list[Annotated[str, Field(pattern=r"^\d{6}$")]] = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=500)


class PlaceGroupPublic(BaseModel):
    id: int
    key: str
    name: str
    adcodes: list[str]
    description: str


class PlaceGroupsPublic(BaseModel):
    data: list[PlaceGroupPublic]
    count: int
