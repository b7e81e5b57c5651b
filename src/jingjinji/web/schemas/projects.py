"""API schemas of the project library: create, update, public forms, stage history,
statistics, flows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from jingjinji.web.schemas.common import DbId

Adcode = Annotated[str, Field(pattern=r"^\d{6}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
StageName = Literal["签约", "开工", "在建", "投产", "终止"]
Investment = Annotated[float, Field(ge=0, le=100_000, description="投资额，亿元")]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class ProjectCreate(BaseModel):
    """A new project; the caller's organization owns it (admins may name another).

    ``match_id`` names the deal it comes from: a match at 落地 of which the caller's
    organization is a party. Without ``investment`` the deal's contract amount (万元 / 10 000)
    is taken; with neither, the request is refused.
    """

    name: Name
    origin_adcode: Adcode
    destination_adcode: Adcode
    investment: Investment | None = None
    stage: StageName
    industry: Slug | None = None
    segments: list[Slug] = Field(default_factory=list, max_length=20)
    platform: Slug | None = None
    park: Slug | None = None
    signed_on: date | None = None
    started_on: date | None = None
    operating_on: date | None = None
    terminated_on: date | None = None
    enterprises: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=50
    )
    addresses: str | None = Field(default=None, max_length=200)
    match_id: DbId | None = None
    source: str = Field(default="", max_length=300)
    organization_id: DbId | None = None


class ProjectUpdate(BaseModel):
    """Fields to change; ``version`` (optional) guards against overwriting a newer edit."""

    name: Name | None = None
    origin_adcode: Adcode | None = None
    destination_adcode: Adcode | None = None
    investment: Investment | None = None
    stage: StageName | None = None
    industry: Slug | None = None
    segments: list[Slug] | None = Field(default=None, max_length=20)
    platform: Slug | None = None
    park: Slug | None = None
    signed_on: date | None = None
    started_on: date | None = None
    operating_on: date | None = None
    terminated_on: date | None = None
    enterprises: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        default=None, max_length=50
    )
    addresses: str | None = Field(default=None, max_length=200)
    match_id: DbId | None = None
    source: str | None = Field(default=None, max_length=300)
    reason: str | None = Field(
        default=None, max_length=300, description="阶段变更的原因；改为终止时必填"
    )
    version: DbId | None = None


class ProjectPublic(BaseModel):
    """A project with the Chinese names of its places and atlas records."""

    id: int
    name: str
    origin_adcode: str
    origin_name: str
    destination_adcode: str
    destination_name: str
    industry: str | None
    industry_name: str | None
    segments: list[str]
    segment_names: list[str]
    platform: str | None
    platform_name: str | None
    park: str | None
    park_name: str | None
    investment: float
    stage: str
    signed_on: date | None
    started_on: date | None
    operating_on: date | None
    terminated_on: date | None
    enterprises: list[str]
    addresses: str | None
    match_id: int | None
    source: str
    provenance: str
    is_sample: bool
    organization_id: int
    version: int


class ProjectEventPublic(BaseModel):
    """One stage change: ``from_stage`` is empty for the registration."""

    at: datetime
    from_stage: str
    to_stage: str
    reason: str
    actor_name: str
    organization_name: str | None


class ProjectHistoryPublic(BaseModel):
    """A project's stage changes, oldest first."""

    data: list[ProjectEventPublic]
    count: int


class ProjectsPublic(BaseModel):
    data: list[ProjectPublic]
    count: int


class BucketPublic(BaseModel):
    key: str
    label: str
    count: int
    investment: float


class ProjectStatsPublic(BaseModel):
    """Counts and investment (亿元) by one dimension; corridor buckets may overlap."""

    by: str
    total_count: int
    total_investment: float
    data: list[BucketPublic]
    includes_sample: bool = False


class FlowPublic(BaseModel):
    source: str
    source_label: str
    target: str
    target_label: str
    count: int
    investment: float


class FlowsPublic(BaseModel):
    data: list[FlowPublic]
    count: int
    includes_sample: bool = False


class FunnelPublic(BaseModel):
    """Live projects that reached each stage, in order."""

    data: list[BucketPublic]
    count: int
    includes_sample: bool = False


class ImportReportPublic(BaseModel):
    """What an import did; a failed import answers 422 with every problem instead."""

    created: int
    updated: int
    unchanged: int
