"""登录, 退出, 我的账户 (API tokens) and 审计日志 pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from jingjinji import auth
from jingjinji.auth import ADMIN, PUBLIC, SIGNED_IN
from jingjinji.auth.accounts import api_tokens_of
from jingjinji.store.models import AuditEntry, User
from jingjinji.web.deps import OptionalUser, SessionDep, SettingsDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.security import requires
from jingjinji.web.session_cookies import sign_in, sign_out
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
    """Sign in and go to ``next``; the form again with the reason when refused."""
    redirect = RedirectResponse(_safe_next(next), status_code=303)
    try:
        sign_in(request, redirect, username=username, password=password, db=db, settings=settings)
    except ApiError as exc:
        context = {"title": "登录", "error": exc.message, "username": username, "next": next}
        return render(request, "auth/login.html", context, status_code=exc.status_code)
    return redirect


@router.post("/logout", dependencies=[requires(SIGNED_IN)])
def logout_submit(request: Request, db: SessionDep) -> Response:
    """Sign out and go to the overview."""
    response = RedirectResponse("/", status_code=303)
    sign_out(request, response, db)
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, user: OptionalUser, db: SessionDep) -> Response:
    """我的账户: the caller's API tokens (signed-in users; others are sent to sign in)."""
    if user is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    context = {"title": "我的账户", "tokens": api_tokens_of(db, user)}
    return render(request, "account/index.html", context)


@router.post("/account/tokens", response_class=HTMLResponse)
def account_create_token(
    request: Request,
    db: SessionDep,
    user: Annotated[User, requires(SIGNED_IN)],
    name: Annotated[str, Form(min_length=1, max_length=100)],
) -> Response:
    """Create an API token and show it this once with the account page."""
    token, _row = auth.create_api_token(db, user=user, name=name)
    db.commit()
    context = {"title": "我的账户", "tokens": api_tokens_of(db, user), "new_token": token}
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


@router.get("/admin/audit", response_class=HTMLResponse, dependencies=[requires(ADMIN)])
def audit_page(request: Request, db: SessionDep) -> Response:
    """审计日志: the latest 200 audit entries (admins)."""
    rows = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(200)))
    return render(request, "admin/audit.html", {"title": "审计日志", "entries": rows})
