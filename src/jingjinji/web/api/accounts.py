"""Sign-in, sign-out, password, sessions, API tokens, organizations, users and the audit log.

Account errors answer 422 (409 for a change other accounts' state forbids, such as demoting
the last admin) with the Chinese message of the domain error.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jingjinji import auth
from jingjinji.auth import ADMIN, PUBLIC, SIGNED_IN
from jingjinji.auth.accounts import AccountLocked, all_organizations, all_users, api_tokens_of
from jingjinji.auth.tokens import new_token
from jingjinji.store.models import Organization, PasswordReset, User
from jingjinji.web.deps import AuthDep, OptionalUser, SessionDep, SettingsDep
from jingjinji.web.errors import ApiError, integrity_api_error
from jingjinji.web.presenters.accounts import listed, session_public, token_created
from jingjinji.web.presenters.audit import day_bounds
from jingjinji.web.schemas.accounts import (
    AuditEntryPublic,
    AuditLogPublic,
    LoginRequest,
    OrganizationCreate,
    OrganizationPublic,
    OrganizationsPublic,
    OrganizationUpdate,
    PasswordChange,
    PasswordResetCreated,
    SessionsEnded,
    SessionsPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    TokensPublic,
    Unlocked,
    UserCreate,
    UserCreated,
    UserPublic,
    UsersPublic,
    UserUpdate,
)
from jingjinji.web.schemas.common import MAX_DB_ID, DbIdPath
from jingjinji.web.security import SESSION_COOKIE, client_ip, requires
from jingjinji.web.session_cookies import lockout_message, set_session_cookie, sign_in, sign_out

router = APIRouter(prefix="/api", tags=["accounts"])

__all__ = ["router"]


class LoginPublic(UserPublic):
    """The signed-in user, and how many failed sign-ins their name saw since their previous
    sign-in (someone else may have tried their password)."""

    recent_failures: int = Field(0, ge=0)


def account_error(exc: auth.AccountError | auth.PasswordPolicyError) -> ApiError:
    """The API error for a refused account change, naming the field when there is one
    (429 with the end of the lock while too many attempts failed)."""
    if isinstance(exc, AccountLocked):
        return ApiError(429, lockout_message(exc.until))
    if isinstance(exc, auth.PasswordPolicyError):
        return ApiError(422, exc.message_zh, fields=[{"field": "password", "message": str(exc)}])
    status = 409 if isinstance(exc, auth.AccountConflict) else 422
    return ApiError(status, exc.message_zh, fields=[{"field": exc.field, "message": str(exc)}])


def _user_or_404(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise ApiError(404, "用户不存在")
    return user


def _organization(db: Session, organization_id: int) -> Organization:
    org = db.get(Organization, organization_id)
    if org is None:
        fields = [{"field": "organization_id", "message": "unknown organization"}]
        raise ApiError(422, "机构不存在", fields=fields)
    return org


def _reset_link(token: str, row: PasswordReset) -> PasswordResetCreated:
    return PasswordResetCreated(url=f"/password-reset/{token}", expires_at=row.expires_at)


@router.post("/auth/login", dependencies=[requires(PUBLIC)], summary="以用户名和密码登录")
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    db: SessionDep,
    settings: SettingsDep,
) -> LoginPublic:
    """Sign in with username and password; sets the HttpOnly session cookie. 429 while the
    account is locked out for the caller's address, saying when the lock ends."""
    signed = sign_in(
        request, username=body.username, password=body.password, db=db, settings=settings
    )
    set_session_cookie(request, response, signed, settings)
    user = UserPublic.model_validate(signed.user).model_dump()
    return LoginPublic(**user, recent_failures=signed.recent_failures)


@router.post(
    "/auth/logout",
    status_code=204,
    dependencies=[requires(SIGNED_IN)],
    summary="退出登录（删除本次会话）",
)
def logout(request: Request, response: Response, db: SessionDep) -> None:
    """Sign out: the session is deleted on the server and the cookie cleared."""
    sign_out(request, response, db)


@router.get("/auth/me", summary="当前登录用户的信息")
def me(user: OptionalUser) -> UserPublic:
    """The signed-in user (401 for anonymous callers)."""
    if user is None:
        raise ApiError(401)
    return UserPublic.model_validate(user)


@router.post("/auth/password", status_code=204, summary="修改本人密码（其他会话随之退出）")
def change_password(
    body: PasswordChange,
    db: SessionDep,
    settings: SettingsDep,
    request: Request,
    state: AuthDep,
    user: Annotated[User, requires(SIGNED_IN)],
) -> None:
    """Change the caller's password (the current one is checked); every other session of the
    caller is signed out."""
    try:
        auth.change_password(
            db,
            user=user,
            current=body.current_password,
            new=body.new_password,
            keep_session=state.session_id,
            ip=client_ip(request),
            max_failures=settings.login_max_failures,
            window=timedelta(minutes=settings.login_window_minutes),
        )
    except (auth.AccountError, auth.PasswordPolicyError) as exc:
        db.commit()  # a wrong current password counts as a failed sign-in
        raise account_error(exc) from exc
    db.commit()


@router.get("/auth/sessions", summary="本人的登录会话列表")
def list_sessions(state: AuthDep, db: SessionDep) -> SessionsPublic:
    """The caller's live sign-in sessions; ``current`` marks this one."""
    if state.user is None:
        raise ApiError(401)
    rows = auth.live_sessions(db, state.user)
    data = [session_public(row, current=row.id == state.session_id) for row in rows]
    return SessionsPublic(data=data, count=len(data))


@router.delete("/auth/sessions/{session_id}", status_code=204, summary="结束本人的一个登录会话")
def end_session(
    session_id: DbIdPath,
    db: SessionDep,
    state: AuthDep,
    response: Response,
    user: Annotated[User, requires(SIGNED_IN)],
) -> None:
    """Sign one of the caller's sessions out (this one too: its cookie is then cleared)."""
    if auth.end_user_session(db, user=user, session_id=session_id, actor=user) is None:
        raise ApiError(404, "会话不存在或已结束")
    db.commit()
    if session_id == state.session_id:
        response.delete_cookie(SESSION_COOKIE)


@router.post("/auth/sessions/sign-out-others", summary="退出本次以外的所有会话")
def end_other_sessions(
    db: SessionDep, state: AuthDep, user: Annotated[User, requires(SIGNED_IN)]
) -> SessionsEnded:
    """Sign out every session of the caller but this one (for a token: all of them)."""
    ended = auth.end_other_sessions(db, user=user, actor=user, keep=state.session_id)
    db.commit()
    return SessionsEnded(ended=ended)


@router.get("/tokens", summary="本人的 API 令牌列表")
def list_tokens(user: OptionalUser, db: SessionDep) -> TokensPublic:
    """The caller's API tokens (never the tokens themselves)."""
    if user is None:
        raise ApiError(401)
    return listed(TokensPublic, TokenPublic, api_tokens_of(db, user))


@router.post("/tokens", status_code=201, summary="创建 API 令牌（仅此一次显示）")
def create_token(
    body: TokenCreate, db: SessionDep, user: Annotated[User, requires(SIGNED_IN)]
) -> TokenCreated:
    """Create an API token for scripts; the response holds the token, shown this once."""
    token, row = auth.create_api_token(db, user=user, name=body.name)
    db.commit()
    return token_created(token, row)


@router.delete("/tokens/{token_id}", status_code=204, summary="吊销一个 API 令牌")
def revoke_token(
    token_id: DbIdPath, db: SessionDep, user: Annotated[User, requires(SIGNED_IN)]
) -> None:
    """Revoke one of the caller's tokens (admins: any token)."""
    if auth.revoke_api_token(db, token_id=token_id, user=user) is None:
        raise ApiError(404, "令牌不存在")
    db.commit()


@router.get("/organizations", summary="全部机构（名称、类型、地区）")
def list_organizations(db: SessionDep) -> OrganizationsPublic:
    """All organizations (names, kinds and places are public)."""
    return listed(OrganizationsPublic, OrganizationPublic, all_organizations(db))


@router.post("/organizations", status_code=201, summary="创建机构（管理员）")
def create_organization(
    body: OrganizationCreate, db: SessionDep, user: Annotated[User, requires(ADMIN)]
) -> OrganizationPublic:
    """Create an organization (admins); a name in use answers 422, or 409 when a
    simultaneous request created it first."""
    try:
        org = auth.create_organization(db, actor=user, **body.model_dump())
        db.commit()
    except auth.AccountError as exc:
        raise account_error(exc) from exc
    except IntegrityError as exc:
        taken = {"uq_organizations_name": f"机构“{body.name}”已存在"}
        raise integrity_api_error(
            exc, messages=taken, fields={"uq_organizations_name": "name"}
        ) from exc
    return OrganizationPublic.model_validate(org)


@router.patch("/organizations/{organization_id}", summary="修改机构名称、类型或地区（管理员）")
def update_organization(
    organization_id: DbIdPath,
    body: OrganizationUpdate,
    db: SessionDep,
    user: Annotated[User, requires(ADMIN)],
) -> OrganizationPublic:
    """Change an organization's name, kind or place (admins)."""
    org = db.get(Organization, organization_id)
    if org is None:
        raise ApiError(404, "机构不存在")
    changes = body.model_dump(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k == "place_adcode"}
    try:
        auth.update_organization(db, org=org, actor=user, changes=changes)
    except auth.AccountError as exc:
        raise account_error(exc) from exc
    db.commit()
    return OrganizationPublic.model_validate(org)


@router.get("/users", dependencies=[requires(ADMIN)], summary="全部用户列表（管理员）")
def list_users(db: SessionDep) -> UsersPublic:
    """All users (admins)."""
    return listed(UsersPublic, UserPublic, all_users(db))


@router.post("/users", status_code=201, summary="创建用户（管理员）")
def create_user(
    body: UserCreate, db: SessionDep, user: Annotated[User, requires(ADMIN)]
) -> UserCreated:
    """Create a user in an organization (admins): with an initial password, or without one
    and a one-time link (in ``password_reset``, shown this once) for the user to set it. A
    username in use answers 422, or 409 when a simultaneous request created it first."""
    org = _organization(db, body.organization_id)
    try:
        created = auth.create_user(
            db,
            actor=user,
            organization=org,
            username=body.username,
            password=body.password or new_token(),
            role=body.role,
            display_name=body.display_name.strip(),
        )
        link = None
        if body.password is None:
            link = _reset_link(*auth.create_password_reset(db, user=created, actor=user))
        db.commit()
    except (auth.AccountError, auth.PasswordPolicyError) as exc:
        raise account_error(exc) from exc
    except IntegrityError as exc:
        taken = {"uq_users_username": f"用户“{body.username}”已存在"}
        raise integrity_api_error(
            exc, messages=taken, fields={"uq_users_username": "username"}
        ) from exc
    return UserCreated(**UserPublic.model_validate(created).model_dump(), password_reset=link)


@router.patch("/users/{user_id}", summary="修改用户角色、状态、显示名称或机构（管理员）")
def update_user(
    user_id: DbIdPath, body: UserUpdate, db: SessionDep, user: Annotated[User, requires(ADMIN)]
) -> UserPublic:
    """Change a user's role, state, display name or organization (admins); deactivating
    signs their sessions out. The last active admin can be neither demoted nor deactivated."""
    target = _user_or_404(db, user_id)
    if body.version is not None and body.version != target.version:
        raise ApiError(409)
    org = _organization(db, body.organization_id) if body.organization_id else None
    try:
        auth.update_user(
            db,
            user=target,
            actor=user,
            role=body.role,
            is_active=body.is_active,
            display_name=body.display_name,
            organization=org,
        )
    except auth.AccountError as exc:
        raise account_error(exc) from exc
    db.commit()
    return UserPublic.model_validate(target)


@router.post(
    "/users/{user_id}/password-reset", status_code=201, summary="生成一次性密码重置链接（管理员）"
)
def create_password_reset(
    user_id: DbIdPath, db: SessionDep, user: Annotated[User, requires(ADMIN)]
) -> PasswordResetCreated:
    """A one-time link for the user to set a new password (admins); it replaces any unused
    one, works for 72 hours and is shown this once."""
    target = _user_or_404(db, user_id)
    if not target.is_active:
        raise ApiError(409, "该账户已停用，请先启用再重置密码")
    link = _reset_link(*auth.create_password_reset(db, user=target, actor=user))
    db.commit()
    return link


@router.post("/users/{user_id}/unlock", summary="解除账号的登录锁定（管理员）")
def unlock_user(
    user_id: DbIdPath, db: SessionDep, user: Annotated[User, requires(ADMIN)]
) -> Unlocked:
    """Clear the failed sign-ins that locked the account (admins)."""
    target = _user_or_404(db, user_id)
    cleared = auth.unlock_account(db, user=target, actor=user)
    db.commit()
    return Unlocked(cleared_failures=cleared)


@router.get("/audit", dependencies=[requires(ADMIN)], summary="查询审计日志（管理员）")
def read_audit_log(
    db: SessionDep,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    actor: Annotated[str | None, Query(max_length=64, description="username, cli, …")] = None,
    user_id: Annotated[int | None, Query(ge=1, le=MAX_DB_ID)] = None,
    entity_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[date | None, Query(description="first day, Beijing time")] = None,
    until: Annotated[date | None, Query(description="last day (included), Beijing time")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_DB_ID)] = 0,
) -> AuditLogPublic:
    """The audit log, newest first (admins), filtered by record kind, action, actor, record
    and a range of days."""
    start, end = day_bounds(since, until)
    query = auth.AuditQuery(
        user_id=user_id,
        actor=actor or None,
        action=action or None,
        entity=entity or None,
        entity_id=entity_id or None,
        since=start,
        until=end,
    )
    rows, count = auth.audit_entries(db, query, limit=limit, offset=offset)
    return AuditLogPublic(data=[AuditEntryPublic.model_validate(r) for r in rows], count=count)
