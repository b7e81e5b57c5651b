"""API schemas of a deal between two organizations: steps, proposals, contract terms,
milestones and payments (amounts in 万元)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from jingjinji.web.schemas.common import DbId
from jingjinji.web.schemas.listings import DeclineReason, MatchStage

ContractType = Literal["技术转让", "技术许可", "作价入股", "技术开发", "技术服务", "先使用后付费"]
Wan = Annotated[float, Field(ge=0, le=1e8, description="万元")]


class ContractTerms(BaseModel):
    """签约 terms: type, amount (万元), date, optional 技术合同登记号; 先使用后付费 also the
    trial period in months."""

    model_config = ConfigDict(extra="forbid")

    type: ContractType
    amount: Wan
    signed_on: date
    registration_no: Annotated[str, Field(max_length=40)] = ""
    trial_months: Annotated[int, Field(ge=1, le=60)] | None = None


class MatchOpen(BaseModel):
    """The pair a party wants to act on: a demand or challenge call and an achievement."""

    model_config = ConfigDict(extra="forbid")

    demand_id: DbId
    achievement_id: DbId


class TransitionCreate(BaseModel):
    """One side's step: ``to`` the stage proposed or confirmed (or 已拒绝 with ``reason``);
    ``contract`` with 签约; an admin acting for a side names it and says why."""

    model_config = ConfigDict(extra="forbid")

    to: MatchStage
    reason: DeclineReason | None = None
    note: Annotated[str, Field(max_length=500)] = ""
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    contract: ContractTerms | None = None
    on_behalf_of: Literal["demand", "achievement"] | None = None
    on_behalf_reason: Annotated[str, Field(max_length=300)] = ""


class MatchEventPublic(BaseModel):
    at: datetime
    actor: str
    organization_name: str | None
    action: str
    from_stage: str
    to_stage: str
    reason: str | None
    note: str
    on_behalf_reason: str


class PendingPublic(BaseModel):
    """A proposal awaiting the other side."""

    stage: str
    proposed_by: str = Field(description="demand or achievement")
    proposed_by_name: str
    at: datetime | None
    contract: dict[str, object] | None


class TurnPublic(BaseModel):
    """The deal seen from the caller: its side, whose action is awaited, what it may post."""

    side: str | None
    waiting_for: str | None
    can: list[str]
    label: str
    mine: bool


class PartyPublic(BaseModel):
    """One side: its listing and organization; ``contact`` once both accepted 洽谈."""

    listing_id: int
    title: str
    kind: str
    organization_id: int
    organization_name: str
    summary: str
    contact: str | None


class MilestonePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    title: str
    planned_on: date | None
    planned_amount: float | None
    actual_on: date | None
    actual_amount: float | None
    version: int


class MatchStatePublic(BaseModel):
    """A stored match: the confirmed ``stage``, a ``pending`` proposal (or null), both
    parties, contract, milestones and history."""

    id: int
    demand_id: int
    achievement_id: int
    stage: str
    score: float
    decline_reason: str | None
    version: int
    pending: PendingPublic | None
    turn: TurnPublic
    demand: PartyPublic
    achievement: PartyPublic
    contract: dict[str, object] | None
    milestones: list[MilestonePublic]
    project_id: int | None
    is_sample: bool
    history: list[MatchEventPublic]


class MilestoneCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["里程碑", "付款"] = "里程碑"
    title: Annotated[str, Field(min_length=1, max_length=200)]
    planned_on: date | None = None
    planned_amount: Wan | None = None


class MilestoneUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actual_on: date | None = None
    actual_amount: Wan | None = None


class TrialOutcomeUpdate(BaseModel):
    """The outcome of a 先使用后付费 trial."""

    model_config = ConfigDict(extra="forbid")

    outcome: Literal["试用中", "已转化", "未转化"]
    converted_on: date | None = None


class ConfidentialityPublic(BaseModel):
    listing_id: int
    accepted: bool
    details: str | None
