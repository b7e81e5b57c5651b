"""API schemas for organizations, users, sign-in, API tokens and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jingjinji.web.schemas.common import DbId

OrgKind = Literal["government", "park", "university", "enterprise", "other"]
Role = Literal["admin", "analyst", "editor"]


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class OrganizationCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    place_adcode: str | None = Field(default=None, pattern=r"^\d{6}$")


class OrganizationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    place_adcode: str | None


class OrganizationsPublic(BaseModel):
    data: list[OrganizationPublic]
    count: int


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: str = Field(min_length=10, max_length=256)
    role: Role
    organization_id: DbId
    display_name: str = Field(default="", max_length=100)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    organization_id: int
    is_active: bool


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="the token itself; shown this once and never again")


class TokensPublic(BaseModel):
    data: list[TokenPublic]
    count: int


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditLogPublic(BaseModel):
    data: list[AuditEntryPublic]
    count: int
