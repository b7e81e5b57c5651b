"""Schemas of the market workflow: challenge cycle, follows and inbox, statistics over time,
bulk import."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jingjinji.web.schemas.listings import MarketStatistics


class ApplicationCreate(BaseModel):
    plan: str = Field(min_length=1, max_length=4000, description="揭榜方案")


class ApplicationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    challenge_id: int
    organization_id: int
    organization_name: str = ""
    plan: str
    status: str
    applicant: str
    reward_paid: float | None
    created_at: datetime
    version: int


class ApplicationsPublic(BaseModel):
    data: list[ApplicationPublic]
    count: int


class ChallengeTransitionCreate(BaseModel):
    to: str = Field(max_length=8, description="下一阶段：揭榜、评审、立项或验收")
    note: str = Field(default="", max_length=500)
    application_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    reward_paid: float | None = Field(default=None, ge=0, le=10_000_000, description="万元")
    version: int | None = Field(default=None, ge=0, le=2**31 - 1)


class MilestoneCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    due: date | None = None


class MilestonePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    application_id: int
    title: str
    due: date | None
    status: str
    completed_at: datetime | None
    completed_by: str | None
    version: int


class ChallengeEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    from_stage: str
    to_stage: str
    application_id: int | None
    reward_paid: float | None
    note: str


class ChallengeSummary(BaseModel):
    id: int
    title: str
    organization_name: str
    place_name: str | None
    reward: float | None
    deadline: date | None
    stage: str
    applicants: int
    open: bool
    is_sample: bool


class ChallengesPublic(BaseModel):
    data: list[ChallengeSummary]
    count: int


class ChallengeState(ChallengeSummary):
    stages: list[str]
    conditions: str
    history: list[ChallengeEventPublic]
    applications: list[ApplicationPublic]
    milestones: list[MilestonePublic]
    can_manage: bool
    can_apply: bool
    own_application_id: int | None
    version: int


class FollowCreate(BaseModel):
    target_kind: Literal["segment", "place", "listing"]
    target: str = Field(min_length=1, max_length=64)


class FollowPublic(BaseModel):
    id: int
    target_kind: str
    target: str
    label: str
    created_at: datetime


class FollowsPublic(BaseModel):
    data: list[FollowPublic]
    count: int


class InboxItemPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    listing_id: int
    message: str
    created_at: datetime
    read_at: datetime | None
    kind: str = Field(
        default="关注", description="关注 (a new match of a follow) or 对接 (a deal step)"
    )
    match_id: int | None = None


class InboxPublic(BaseModel):
    data: list[InboxItemPublic]
    count: int
    unread: int


class PlaceCount(BaseModel):
    adcode: str
    name: str
    count: int


class SegmentCount(BaseModel):
    slug: str
    name: str
    count: int


class MarketTrends(BaseModel):
    period: str
    periods: list[str]
    published: dict[str, list[int]]
    demands: list[int]
    matching_rates: list[float]
    signing_rates: list[float]
    by_place: list[PlaceCount]
    by_segment: list[SegmentCount]
    is_sample: bool


class MarketStatisticsOverTime(MarketStatistics):
    """The statistics of ``GET /api/market/statistics``: the totals plus their trends."""

    trends: MarketTrends
    includes_sample: bool = False


class ImportRowProblem(BaseModel):
    sheet: str
    row: int
    column: str
    reason: str


class ListingImportReport(BaseModel):
    kind: str
    added: int
    updated: int = 0
    unchanged: int = 0
    ids: list[int] = Field(default_factory=list)


__all__ = [
    "ApplicationCreate",
    "ApplicationPublic",
    "ApplicationsPublic",
    "ChallengeEventPublic",
    "ChallengeState",
    "ChallengeSummary",
    "ChallengeTransitionCreate",
    "ChallengesPublic",
    "FollowCreate",
    "FollowPublic",
    "FollowsPublic",
    "ImportRowProblem",
    "InboxItemPublic",
    "InboxPublic",
    "ListingImportReport",
    "MarketStatisticsOverTime",
    "MarketTrends",
    "MilestoneCreate",
    "MilestonePublic",
]
