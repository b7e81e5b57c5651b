"""Sign-in, sign-out, API tokens, organizations, users and the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import func, select

from jingjinji import auth
from jingjinji.auth import ADMIN, PUBLIC, SIGNED_IN
from jingjinji.store.models import ApiToken, AuditEntry, Organization, User
from jingjinji.web.deps import OptionalUser, SessionDep, SettingsDep
from jingjinji.web.errors import ApiError
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
from jingjinji.web.security import SESSION_COOKIE, requires, secure_cookies

router = APIRouter(prefix="/api", tags=["accounts"])


def client_ip(request: Request) -> str:
    """The caller's address (the direct peer; no proxy headers are trusted)."""
    return request.client.host if request.client else "unknown"


def sign_in(
    request: Request,
    response: Response,
    *,
    username: str,
    password: str,
    db: SessionDep,
    settings: SettingsDep,
) -> User:
    """Check credentials, open a session and set its cookie; raises 401 or 429."""
    window = timedelta(minutes=settings.login_window_minutes)
    result = auth.authenticate(
        db,
        username=username,
        password=password,
        ip=client_ip(request),
        max_failures=settings.login_max_failures,
        window=window,
    )
    if result.user is None:
        db.commit()  # keep the failure record for rate limiting
        if result.reason == "locked":
            raise ApiError(429, f"登录失败次数过多，请 {settings.login_window_minutes} 分钟后再试")
        raise ApiError(401, "用户名或密码错误", code="invalid_credentials")
    token, _row = auth.start_session(
        db,
        user=result.user,
        ip=client_ip(request),
        lifetime=timedelta(hours=settings.session_hours),
    )
    db.commit()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        max_age=settings.session_hours * 3600,
    )
    return result.user


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
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.end_session(db, token)
        db.commit()
    response.delete_cookie(SESSION_COOKIE)


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
    rows = db.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    data = [TokenPublic.model_validate(row) for row in rows]
    return TokensPublic(data=data, count=len(data))


@router.post("/tokens", status_code=201)
def create_token(
    body: TokenCreate, db: SessionDep, user: Annotated[User, requires(SIGNED_IN)]
) -> TokenCreated:
    """Create an API token for scripts; the response holds the token, shown this once."""
    token, row = auth.create_api_token(db, user=user, name=body.name)
    db.commit()
    return TokenCreated(token=token, **TokenPublic.model_validate(row).model_dump())


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
    rows = db.scalars(select(Organization).order_by(Organization.name))
    data = [OrganizationPublic.model_validate(row) for row in rows]
    return OrganizationsPublic(data=data, count=len(data))


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
    rows = db.scalars(select(User).order_by(User.username))
    data = [UserPublic.model_validate(row) for row in rows]
    return UsersPublic(data=data, count=len(data))


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
