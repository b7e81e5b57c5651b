"""API schemas for organizations, users, sign-in, sessions, passwords, API tokens and the
audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from jingjinji.web.schemas.common import MAX_DB_ID, DbId

OrgKind = Literal["government", "park", "university", "enterprise", "other"]
Role = Literal["admin", "analyst", "editor"]


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class OrganizationCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    place_adcode: str | None = Field(default=None, pattern=r"^\d{6}$")


class OrganizationUpdate(BaseModel):
    """The fields of an organization to change; ``place_adcode`` may be set to null."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: OrgKind | None = None
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
    """A new user; without ``password`` the response carries a one-time link to set one."""

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: str | None = Field(default=None, min_length=1, max_length=256)
    role: Role
    organization_id: DbId
    display_name: str = Field(default="", max_length=100)


class UserUpdate(BaseModel):
    """What an admin changes of a user; fields left out stay as they are."""

    role: Role | None = None
    is_active: bool | None = None
    display_name: str | None = Field(default=None, min_length=1, max_length=100)
    organization_id: DbId | None = None
    version: int | None = Field(default=None, ge=1, le=MAX_DB_ID)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    organization_id: int
    is_active: bool
    version: int = 1
    last_login_at: datetime | None = None


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int


class PasswordResetCreated(BaseModel):
    """A one-time link to set a new password: shown this once, to the admin who made it."""

    url: str = Field(description="path of the link, e.g. /password-reset/…; shown this once")
    expires_at: datetime


class UserCreated(UserPublic):
    password_reset: PasswordResetCreated | None = None


class Unlocked(BaseModel):
    cleared_failures: int


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


class SessionPublic(BaseModel):
    """A login session of the caller; ``current`` marks the one making this request."""

    id: int
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime
    ip: str
    user_agent: str
    browser: str
    current: bool


class SessionsPublic(BaseModel):
    data: list[SessionPublic]
    count: int


class SessionsEnded(BaseModel):
    ended: int


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
    user_id: int | None = None
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditLogPublic(BaseModel):
    data: list[AuditEntryPublic]
    count: int
