"""登录, 退出, 我的账户 (password, sessions, API tokens) and the one-time password-reset page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jingjinji import auth
from jingjinji.auth import PUBLIC, SIGNED_IN
from jingjinji.auth.accounts import api_tokens_of
from jingjinji.auth.passwords import MIN_PASSWORD_LENGTH
from jingjinji.store.models import User
from jingjinji.store.models.accounts import ROLES
from jingjinji.web.deps import AuthDep, SessionDep, SettingsDep
from jingjinji.web.errors import ApiError
from jingjinji.web.presenters.accounts import session_public
from jingjinji.web.presenters.audit import local_time
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.security import AuthState, requires
from jingjinji.web.session_cookies import failures_notice, set_session_cookie, sign_in, sign_out
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

__all__ = ["router"]


def _safe_next(target: str) -> str:
    """Only local paths are followed after sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    """The sign-in form; ``next`` is where to go afterwards (local paths only)."""
    return render(request, "auth/login.html", {"title": "登录", "next": _safe_next(next)})


@router.post("/login", response_class=HTMLResponse, dependencies=[requires(PUBLIC)])
def login_submit(
    request: Request,
    db: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """Sign in and go to ``next``; the form again with the reason when refused. When the
    account saw failed sign-ins since the user's previous sign-in, a page telling so comes
    first, with a link on to ``next``."""
    target = _safe_next(next)
    try:
        signed = sign_in(request, username=username, password=password, db=db, settings=settings)
    except ApiError as exc:
        context = {"title": "登录", "error": exc.message, "username": username, "next": target}
        return render(request, "auth/login.html", context, status_code=exc.status_code)
    notice = failures_notice(signed)
    response: Response = RedirectResponse(target, status_code=303)
    if notice:  # the page is rendered for the new session: its user and CSRF token
        page: dict[str, object] = {
            "title": "登录",
            "notice": notice,
            "next": target,
            "user": signed.user,
            "csrf_token": signed.csrf_token,
        }
        response = render(request, "auth/login.html", page)
    set_session_cookie(request, response, signed, settings)
    return response


@router.post("/logout", dependencies=[requires(SIGNED_IN)])
def logout_submit(request: Request, db: SessionDep) -> Response:
    """Sign out and go to the overview."""
    response = RedirectResponse("/", status_code=303)
    sign_out(request, response, db)
    return response


def _account_context(db: Session, user: User, state: AuthState) -> dict[str, object]:
    rows = auth.live_sessions(db, user)
    return {
        "title": "我的账户",
        "tokens": api_tokens_of(db, user),
        "sessions": [session_public(row, current=row.id == state.session_id) for row in rows],
        "role_label": ROLES.get(user.role, user.role),
        "min_password": MIN_PASSWORD_LENGTH,
        "local_time": local_time,
    }


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, state: AuthDep, db: SessionDep) -> Response:
    """我的账户: password, sign-in sessions and API tokens (others are sent to sign in)."""
    if state.user is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    return render(request, "account/index.html", _account_context(db, state.user, state))


@router.post("/account/tokens", response_class=HTMLResponse)
def account_create_token(
    request: Request,
    db: SessionDep,
    state: AuthDep,
    user: Annotated[User, requires(SIGNED_IN)],
    name: Annotated[str, Form(min_length=1, max_length=100)],
) -> Response:
    """Create an API token and show it this once with the account page."""
    try:
        token, _row = auth.create_api_token(db, user=user, name=name)
    except auth.AccountError as exc:
        raise ApiError(422, exc.message_zh) from exc
    db.commit()
    context = {**_account_context(db, user, state), "new_token": token}
    return render(request, "account/index.html", context, status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
def account_revoke_token(
    token_id: DbIdPath, db: SessionDep, user: Annotated[User, requires(SIGNED_IN)]
) -> Response:
    """Revoke one of the caller's tokens and go back to the account page."""
    if auth.revoke_api_token(db, token_id=token_id, user=user) is None:
        raise ApiError(404, "令牌不存在")
    db.commit()
    return RedirectResponse("/account", status_code=303)


_RESET_TEMPLATE = "auth/password_reset.html"
_ResetToken = Annotated[str, Path(max_length=100)]


def _reset_context(db: Session, token: str) -> tuple[dict[str, object], User | None]:
    row = auth.password_reset_for(db, token)
    user = db.get(User, row.user_id) if row is not None else None
    context: dict[str, object] = {
        "title": "设置新密码",
        "token": token,
        "reset_user": user,
        "min_password": MIN_PASSWORD_LENGTH,
        "expires": local_time(row.expires_at) if row is not None else "",
    }
    return context, user


@router.get("/password-reset/{token}", response_class=HTMLResponse)
def password_reset_form(request: Request, token: _ResetToken, db: SessionDep) -> Response:
    """The page of a one-time reset link: a form to set a new password, while it works."""
    context, user = _reset_context(db, token)
    return render(request, _RESET_TEMPLATE, context, status_code=200 if user else 404)


@router.post("/password-reset/{token}", response_class=HTMLResponse)
def password_reset_submit(
    request: Request,
    token: _ResetToken,
    db: SessionDep,
    _caller: Annotated[User | None, requires(PUBLIC)],
    new_password: Annotated[str, Form(max_length=256)],
    confirm_password: Annotated[str, Form(max_length=256)],
) -> Response:
    """Set the new password once; the link then stops working and old sessions end."""
    context, user = _reset_context(db, token)
    if user is None:
        return render(request, _RESET_TEMPLATE, context, status_code=404)
    if new_password != confirm_password:
        context["error"] = "两次输入的新密码不一致"
        return render(request, _RESET_TEMPLATE, context, status_code=422)
    try:
        auth.use_password_reset(db, token=token, password=new_password)
    except (auth.AccountError, auth.PasswordPolicyError) as exc:
        context["error"] = exc.message_zh
        return render(request, _RESET_TEMPLATE, context, status_code=422)
    db.commit()
    context["done"] = True
    return render(request, _RESET_TEMPLATE, context)
