"""Signing in and out of the browser session: the ``jjj_session`` cookie on a response, for
the JSON API and the login and logout pages alike."""

from __future__ import annotations

from datetime import timedelta

from fastapi import Request, Response
from sqlalchemy.orm import Session

from jingjinji import auth
from jingjinji.settings import Settings
from jingjinji.store.models import User
from jingjinji.web.errors import ApiError
from jingjinji.web.security import SESSION_COOKIE, secure_cookies

__all__ = ["client_ip", "sign_in", "sign_out"]


def client_ip(request: Request) -> str:
    """The caller's address (the direct peer; no proxy headers are trusted)."""
    return request.client.host if request.client else "unknown"


def sign_in(
    request: Request,
    response: Response,
    *,
    username: str,
    password: str,
    db: Session,
    settings: Settings,
) -> User:
    """Check credentials, open a session and set its cookie on ``response`` (committed);
    raises 401, or 429 while the account or address is locked out."""
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
        user_agent=request.headers.get("user-agent", ""),
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


def sign_out(request: Request, response: Response, db: Session) -> None:
    """End the caller's session on the server (committed) and clear its cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.end_session(db, token)
        db.commit()
    response.delete_cookie(SESSION_COOKIE)
