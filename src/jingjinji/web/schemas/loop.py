"""API schemas of the loop: drafts from gaps, destinations, projects from deals, 协同成效."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jingjinji.web.schemas.listings import ListingPublic, MatchPublic
from jingjinji.web.schemas.projects import ProjectPublic

__all__ = [
    "DestinationPublic",
    "DestinationsPublic",
    "DraftCreate",
    "DraftPublic",
    "LoopPublic",
    "OverviewPublic",
    "ProjectFromMatch",
    "ProjectFromMatchPublic",
]


class DraftCreate(BaseModel):
    """What to draft from a gap: a 技术需求 (default) or a 揭榜挂帅 challenge call."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["demand", "challenge"] = "demand"
    top: Annotated[int, Field(ge=1, le=30)] = 10


class DraftPublic(BaseModel):
    """The draft, whether it was created now, the gap it comes from, and the Beijing and
    Tianjin achievements that match it, ranked, with reasons."""

    listing: ListingPublic
    created: bool
    suggestion: dict[str, Any]
    matches: list[MatchPublic]
    count: int


class DestinationPublic(BaseModel):
    """A destination place with its fit score and one reason per segment."""

    adcode: str
    name: str
    level: str
    score: float
    reasons: list[dict[str, Any]]
    #: [longitude, latitude] of the place's seat (GCJ-02, as the atlas and the map), if known.
    center: list[float] | None = None


class DestinationsPublic(BaseModel):
    """Destinations in Tianjin and Hebei for an achievement, best fit first."""

    listing_id: int
    segments: list[str]
    level: str
    method: str
    data: list[DestinationPublic]
    count: int
    is_sample: bool


class ProjectFromMatch(BaseModel):
    """Optional investment (亿元) of the project made from a deal."""

    model_config = ConfigDict(extra="forbid")

    investment: Annotated[float, Field(ge=0, le=100_000)] | None = None


class ProjectFromMatchPublic(BaseModel):
    """The project of a deal and whether this call created it."""

    project: ProjectPublic
    created: bool


class LoopPublic(BaseModel):
    """协同成效 figures (definitions in :mod:`jingjinji.loop.figures`). Among the totals,
    ``beijing_deal_value_share`` (share of the contract value of Beijing achievements' deals
    that goes to Tianjin and Hebei, over the ``beijing_deals_with_amount`` deals with an
    amount; ``beijing_deals_without_amount`` excluded) is the counterpart of ``reference``;
    ``beijing_deals_count_share`` is a share of deals, not comparable with it. ``notes``:
    per total that is ``None`` because it is undefined, why (Chinese)."""

    industry: str | None
    industry_name: str
    place: str
    place_name: str
    years: list[int]
    series: dict[str, list[float | int | None]]
    totals: dict[str, float | int | None]
    notes: dict[str, str] = Field(default_factory=dict)
    gaps: list[dict[str, Any]]
    reference: dict[str, Any] | None
    sample: dict[str, bool]
    is_sample: bool
    includes_sample: bool = False
    #: the two chains in the city, in brief (:func:`jingjinji.patents.figures.innovation_summary`)
    innovation: dict[str, Any] | None = None


class OverviewPublic(BaseModel):
    """What the 总览 page draws besides the map and the quoted facts."""

    figures: list[dict[str, Any]]
    completeness: list[dict[str, Any]]
    deals: list[dict[str, Any]]
    projects: list[dict[str, Any]]
    challenges: list[dict[str, Any]]
    open_challenges: int
    alerts: list[dict[str, Any]]
    includes_sample: bool = False
    completeness_sample: bool = False
