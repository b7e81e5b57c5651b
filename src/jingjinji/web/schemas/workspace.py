"""API schemas of 我的工作台 (``GET /api/me``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

Section = Literal["draft", "published", "closed", "expired"]
Action = Literal["edit", "publish", "withdraw", "renew"]


class GapOriginPublic(BaseModel):
    """The chain-map gap a draft was made from (来自链图缺口)."""

    suggestion_id: str
    gap_label: str = Field(description="补链, 延链 or 强链")
    segment: str
    segment_name: str
    place_key: str
    place_name: str
    url: str | None = Field(description="the chain page showing the gap")


class WorkspaceListing(BaseModel):
    id: int
    kind: str
    kind_label: str
    title: str
    status: str
    section: Section
    place_name: str | None
    valid_until: date | None
    updated_at: datetime
    version: int
    completeness: int
    missing: list[str]
    gap: GapOriginPublic | None
    actions: list[Action] = Field(description="what the caller may do: edit, publish, …")
    url: str
    edit_url: str


class WorkspaceSection(BaseModel):
    key: Section
    label: str
    count: int
    data: list[WorkspaceListing]


class WorkspaceDeal(BaseModel):
    match_id: int
    stage: str
    pending_stage: str | None
    demand_id: int
    demand_title: str
    achievement_id: int
    achievement_title: str
    side: str | None = Field(description="demand, achievement or both")
    counterpart: str = Field(description="the other organization's name (本机构 when both)")
    label: str = Field(description="what the deal waits for, in Chinese")
    waiting_for_me: bool
    can: list[str] = Field(description="stages the caller's organization may post now")
    updated_at: datetime
    url: str


class WorkspaceProject(BaseModel):
    id: int
    name: str
    stage: str
    destination_name: str
    investment: float = Field(description="亿元")
    is_sample: bool
    url: str


class WorkspaceFollow(BaseModel):
    id: int
    target_kind: str
    kind_label: str
    target: str
    label: str
    url: str | None


class WorkspaceInboxItem(BaseModel):
    id: int
    kind: str
    message: str
    created_at: datetime
    read_at: datetime | None
    listing_id: int
    match_id: int | None
    url: str


class WorkspaceEvaluation(BaseModel):
    id: int
    system_name: str
    panel_name: str
    created_at: datetime
    is_sample: bool


class WorkspaceCounts(BaseModel):
    draft: int
    published: int
    closed: int
    expired: int
    deals: int
    deals_waiting: int
    projects: int
    follows: int
    inbox_unread: int
    evaluations: int


class WorkspaceOwner(BaseModel):
    username: str
    display_name: str
    role: str
    role_label: str
    organization_id: int
    organization_name: str
    can_edit: bool = Field(description="whether the caller may change the organization's records")


class WorkspacePublic(BaseModel):
    user: WorkspaceOwner
    counts: WorkspaceCounts
    sections: list[WorkspaceSection]
    deals: list[WorkspaceDeal]
    projects: list[WorkspaceProject]
    follows: list[WorkspaceFollow]
    inbox: list[WorkspaceInboxItem]
    evaluations: list[WorkspaceEvaluation] | None = Field(
        description="null for roles that do not run evaluations (editors)"
    )
