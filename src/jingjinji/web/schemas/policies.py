"""API schemas of the policy list: create, update, public forms, eligibility, comparison."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from jingjinji.web.schemas.common import DbId

Adcode = Annotated[str, Field(pattern=r"^\d{6}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
PolicyType = Literal["资金", "税收", "人才", "用地", "平台", "金融", "其他"]
SizeClass = Literal["大型", "中型", "小型", "微型"]
Tag = Annotated[str, Field(min_length=1, max_length=50)]
Revenue = Annotated[float, Field(ge=0, le=1e12, description="营业收入，万元")]


class PolicyCreate(BaseModel):
    """A new policy. The eligibility conditions are derived from the targets, the revenue
    bounds and the founding date (one condition per filled group)."""

    title: str = Field(min_length=1, max_length=300)
    place_adcode: Adcode
    type: PolicyType
    department: str = Field(default="", max_length=200)
    number: str | None = Field(default=None, max_length=100)
    issued_on: date | None = None
    effective_on: date | None = None
    expires_on: date | None = None
    target_places: list[Adcode] = Field(default_factory=list, max_length=50)
    target_industries: list[Slug] = Field(default_factory=list, max_length=20)
    target_segments: list[Slug] = Field(default_factory=list, max_length=100)
    target_tags: list[Tag] = Field(default_factory=list, max_length=30)
    target_sizes: list[SizeClass] = Field(default_factory=list, max_length=4)
    revenue_min: Revenue | None = None
    revenue_max: Revenue | None = None
    founded_after: date | None = None
    benefits: str = Field(default="", max_length=5000)
    summary: str = Field(default="", max_length=5000)
    full_text: str = Field(default="", max_length=100_000)
    link: str = Field(default="", max_length=1000)
    source: str = Field(default="", max_length=300)
    organization_id: DbId | None = None


class PolicyUpdate(BaseModel):
    """Fields to change; ``version`` (optional) guards against overwriting a newer edit."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    place_adcode: Adcode | None = None
    type: PolicyType | None = None
    department: str | None = Field(default=None, max_length=200)
    number: str | None = Field(default=None, max_length=100)
    issued_on: date | None = None
    effective_on: date | None = None
    expires_on: date | None = None
    target_places: list[Adcode] | None = Field(default=None, max_length=50)
    target_industries: list[Slug] | None = Field(default=None, max_length=20)
    target_segments: list[Slug] | None = Field(default=None, max_length=100)
    target_tags: list[Tag] | None = Field(default=None, max_length=30)
    target_sizes: list[SizeClass] | None = Field(default=None, max_length=4)
    revenue_min: Revenue | None = None
    revenue_max: Revenue | None = None
    founded_after: date | None = None
    benefits: str | None = Field(default=None, max_length=5000)
    summary: str | None = Field(default=None, max_length=5000)
    full_text: str | None = Field(default=None, max_length=100_000)
    link: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=300)
    version: DbId | None = None


class ConditionPublic(BaseModel):
    """A structured condition and its Chinese description."""

    kind: str
    text: str
    data: dict[str, Any]


class PolicyPublic(BaseModel):
    id: int
    title: str
    place_adcode: str
    place_name: str
    department: str
    number: str | None
    issued_on: date | None
    effective_on: date | None
    expires_on: date | None
    expired: bool
    type: str
    target_places: list[str]
    target_industries: list[str]
    target_segments: list[str]
    target_tags: list[str]
    target_sizes: list[str]
    revenue_min: float | None
    revenue_max: float | None
    founded_after: date | None
    benefits: str
    summary: str
    full_text: str
    link: str
    conditions: list[ConditionPublic]
    source: str
    provenance: str
    is_sample: bool
    organization_id: int
    version: int


class PoliciesPublic(BaseModel):
    data: list[PolicyPublic]
    count: int


class SearchHitPublic(BaseModel):
    """A search result: the policy, its BM25 score and the query terms it contains."""

    score: float
    terms: list[str]
    policy: PolicyPublic


class SearchPublic(BaseModel):
    query: str
    terms: list[str]
    data: list[SearchHitPublic]
    count: int


class CheckPublic(BaseModel):
    kind: str
    text: str
    status: Literal["met", "unmet", "unknown"]
    reason: str


class EligibilityPublic(BaseModel):
    """A policy checked against the profile: eligible when every condition is met."""

    eligible: bool
    met: list[CheckPublic]
    unmet: list[CheckPublic]
    unknown: list[CheckPublic]
    policy: PolicyPublic


class ProfilePublic(BaseModel):
    place: str | None
    industries: list[str]
    segments: list[str]
    tags: list[str]
    size: str | None
    revenue: float | None
    founded: date | None
    name: str


class EligibleListPublic(BaseModel):
    profile: ProfilePublic
    data: list[EligibilityPublic]
    count: int
    eligible_count: int


class CompareColumnPublic(BaseModel):
    place: str
    place_name: str
    targeted: list[PolicyPublic]
    general: list[PolicyPublic]


class ComparePublic(BaseModel):
    industry: str
    industry_name: str
    columns: list[CompareColumnPublic]
