"""API schemas of the innovation chain: patents, their segments, the two chains per place."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from jingjinji.web.schemas.listings import ListingPublic

__all__ = [
    "InnovationCellPublic",
    "InnovationDraftPublic",
    "InnovationPublic",
    "InnovationSegmentPublic",
    "InnovationSuggestionsPublic",
    "PatentImportResult",
    "PatentPublic",
    "PatentSegmentPublic",
    "PatentsPublic",
]


class PatentSegmentPublic(BaseModel):
    """A segment of a patent with the evidence: IPC rows (``kind: ipc``) and words."""

    segment: str
    segment_name: str
    industry: str
    confidence: float
    decision: str
    source: str
    evidence: list[dict[str, Any]]


class PatentPublic(BaseModel):
    """One patent as stored, with its segments."""

    id: int
    application_number: str
    publication_number: str
    title: str
    abstract: str
    filed_on: date
    published_on: date | None
    kind: str | None
    legal_status: str | None
    main_ipc: str
    ipc: list[str]
    applicants: list[str]
    applicant_kind: str
    applicant_kind_name: str
    place_adcode: str | None
    place_name: str
    place_source: str
    is_sample: bool
    segments: list[PatentSegmentPublic]


class PatentsPublic(BaseModel):
    data: list[PatentPublic]
    count: int
    includes_sample: bool


class PatentImportResult(BaseModel):
    """What an import did; with ``problems`` nothing was written."""

    ok: bool
    rows: int
    created: int
    updated: int
    on_segments: int
    located_by_registry: int
    unlocated: int
    problems: list[dict[str, Any]]
    ignored_columns: list[str] = []
    skipped_sheets: list[str] = []


class PartnerPublic(BaseModel):
    place: str
    place_name: str
    count: int


class InnovationCellPublic(BaseModel):
    """Both chains of one segment in one city (see :mod:`jingjinji.patents.innovation`)."""

    segment: str
    place: str
    place_name: str
    patents: int
    inventions: int
    applicants: int
    recent: int
    before: int
    growth: float | None
    enterprises: int
    lq_patents: float | None
    lq_enterprises: float | None
    innovation_strong: bool
    industry_strong: bool
    case: str
    advice: str
    u_innovation: float
    u_industry: float
    coupling: float | None
    coordination: float | None
    level: str | None
    partners: list[PartnerPublic]
    segment_name: str = ""


class InnovationSegmentPublic(BaseModel):
    segment: str
    segment_name: str
    cells: list[InnovationCellPublic]


class InnovationPublic(BaseModel):
    """An industry's innovation and industry chains over the region's cities."""

    industry: str
    industry_name: str
    places: list[dict[str, str]]
    segments: list[InnovationSegmentPublic]
    filters: dict[str, Any]
    cases: list[str]
    method: str
    provenance: dict[str, Any]
    is_sample: bool
    place: dict[str, str] | None = None
    place_cells: list[InnovationCellPublic] | None = None
    place_cases: dict[str, int] | None = None


class InnovationSuggestionsPublic(BaseModel):
    """Suggested pushes and demands from the two chains (:mod:`jingjinji.patents.pushes`)."""

    industry: str
    industry_name: str
    data: list[dict[str, Any]]
    count: int
    is_sample: bool
    label: str


class InnovationDraftPublic(BaseModel):
    """The draft made of a two-chain suggestion, whether it was created now, the suggestion."""

    listing: ListingPublic
    created: bool
    suggestion: dict[str, Any]
