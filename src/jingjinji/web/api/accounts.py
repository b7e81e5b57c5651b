"""Sign-in, sign-out, API tokens, organizations, users and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, select

from jingjinji import auth
from jingjinji.auth import ADMIN, PUBLIC, SIGNED_IN
from jingjinji.auth.accounts import all_organizations, all_users, api_tokens_of
from jingjinji.store.models import AuditEntry, Organization, User
from jingjinji.web.deps import OptionalUser, SessionDep, SettingsDep
from jingjinji.web.errors import ApiError
from jingjinji.web.presenters.accounts import listed, token_created
from jingjinji.web.schemas.accounts import (
    AuditEntryPublic,
    AuditLogPublic,
    LoginRequest,
    OrganizationCreate,
    OrganizationPublic,
    OrganizationsPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    TokensPublic,
    UserCreate,
    UserPublic,
    UsersPublic,
)
from jingjinji.web.schemas.common import MAX_DB_ID, DbIdPath
from jingjinji.web.security import requires
from jingjinji.web.session_cookies import sign_in, sign_out

router = APIRouter(prefix="/api", tags=["accounts"])

__all__ = ["router"]


@router.post("/auth/login", dependencies=[requires(PUBLIC)])
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    db: SessionDep,
    settings: SettingsDep,
) -> UserPublic:
    """Sign in with username and password; sets the HttpOnly session cookie."""
    user = sign_in(
        request, response, username=body.username, password=body.password, db=db, settings=settings
    )
    return UserPublic.model_validate(user)


@router.post("/auth/logout", status_code=204, dependencies=[requires(SIGNED_IN)])
def logout(request: Request, response: Response, db: SessionDep) -> None:
    """Sign out: the session is deleted on the server and the cookie cleared."""
    sign_out(request, response, db)


@router.get("/auth/me")
def me(user: OptionalUser) -> UserPublic:
    """The signed-in user (401 for anonymous callers)."""
    if user is None:
        raise ApiError(401)
    return UserPublic.model_validate(user)


@router.get("/tokens")
def list_tokens(user: OptionalUser, db: SessionDep) -> TokensPublic:
    """The caller's API tokens (never the tokens themselves)."""
    if user is None:
        raise ApiError(401)
    return listed(TokensPublic, TokenPublic, api_tokens_of(db, user))


@router.post("/tokens", status_code=201)
def create_token(
    body: TokenCreate, db: SessionDep, user: Annotated[User, requires(SIGNED_IN)]
) -> TokenCreated:
    """Create an API token for scripts; the response holds the token, shown this once."""
    token, row = auth.create_api_token(db, user=user, name=body.name)
    db.commit()
    return token_created(token, row)


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(
    token_id: DbIdPath, db: SessionDep, user: Annotated[User, requires(SIGNED_IN)]
) -> None:
    """Revoke one of the caller's tokens (admins: any token)."""
    if auth.revoke_api_token(db, token_id=token_id, user=user) is None:
        raise ApiError(404, "令牌不存在")
    db.commit()


@router.get("/organizations")
def list_organizations(db: SessionDep) -> OrganizationsPublic:
    """All organizations (names, kinds and places are public)."""
    return listed(OrganizationsPublic, OrganizationPublic, all_organizations(db))


@router.post("/organizations", status_code=201)
def create_organization(
    body: OrganizationCreate, db: SessionDep, user: Annotated[User, requires(ADMIN)]
) -> OrganizationPublic:
    """Create an organization (admins)."""
    try:
        org = auth.create_organization(db, actor=user, **body.model_dump())
    except auth.AccountError as exc:
        fields = [{"field": exc.field, "message": str(exc)}]
        raise ApiError(422, exc.message_zh, fields=fields) from exc
    db.commit()
    return OrganizationPublic.model_validate(org)


@router.get("/users", dependencies=[requires(ADMIN)])
def list_users(db: SessionDep) -> UsersPublic:
    """All users (admins)."""
    return listed(UsersPublic, UserPublic, all_users(db))


@router.post("/users", status_code=201)
def create_user(
    body: UserCreate, db: SessionDep, user: Annotated[User, requires(ADMIN)]
) -> UserPublic:
    """Create a user in an organization (admins)."""
    org = db.get(Organization, body.organization_id)
    if org is None:
        raise ApiError(
            422, "机构不存在", fields=[{"field": "organization_id", "message": "unknown"}]
        )
    try:
        created = auth.create_user(
            db,
            actor=user,
            organization=org,
            username=body.username,
            password=body.password,
            role=body.role,
            display_name=body.display_name,
        )
    except (auth.AccountError, auth.PasswordPolicyError) as exc:
        raise ApiError(422, exc.message_zh) from exc
    db.commit()
    return UserPublic.model_validate(created)


@router.get("/audit", dependencies=[requires(ADMIN)])
def read_audit_log(
    db: SessionDep,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_DB_ID)] = 0,
) -> AuditLogPublic:
    """The audit log, newest first (admins)."""
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    count = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    return AuditLogPublic(data=[AuditEntryPublic.model_validate(r) for r in rows], count=count)
