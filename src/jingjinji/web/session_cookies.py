"""Signing in and out of the browser session: the ``jjj_session`` cookie on a response, for
the JSON API and the login and logout pages alike."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request, Response
from sqlalchemy.orm import Session

from jingjinji import auth
from jingjinji.settings import Settings
from jingjinji.store.base import utcnow
from jingjinji.store.models import User
from jingjinji.web.beijing_time import in_beijing
from jingjinji.web.errors import ApiError
from jingjinji.web.security import SESSION_COOKIE, client_ip, secure_cookies

__all__ = [
    "SignedIn",
    "client_ip",
    "failures_notice",
    "lockout_message",
    "set_session_cookie",
    "sign_in",
    "sign_out",
]


@dataclass(frozen=True)
class SignedIn:
    """A new login session: its user, cookie token and CSRF token, and the failed sign-ins
    with the user's name since their previous sign-in (the latest at ``last_failure_at``)."""

    user: User
    token: str
    csrf_token: str
    recent_failures: int = 0
    last_failure_at: datetime | None = None


def lockout_message(until: datetime) -> str:
    """The Chinese lock-out message, saying when the lock ends (Beijing time)."""
    now = utcnow()
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    end, today = in_beijing(until), in_beijing(now)
    moment = end.strftime("%H:%M") if end.date() == today.date() else f"{end:%m-%d %H:%M}"
    return f"登录失败次数过多，已暂时锁定。请于北京时间 {moment} 后再试（约 {minutes} 分钟后）"


def failures_notice(signed: SignedIn) -> str:
    """What the user is told after signing in when their name saw failed sign-ins since
    their previous sign-in; ``""`` when it saw none."""
    if not signed.recent_failures:
        return ""
    latest = in_beijing(signed.last_failure_at) if signed.last_failure_at else None
    when = f"，最近一次在北京时间 {latest:%Y-%m-%d %H:%M}" if latest else ""
    return (
        f"自您上次登录以来，您的账户有 {signed.recent_failures} 次登录失败{when}。"
        "如果不是您本人操作，请尽快修改密码。"
    )


def sign_in(
    request: Request, *, username: str, password: str, db: Session, settings: Settings
) -> SignedIn:
    """Check credentials and open a session (committed); set its cookie on the response
    with :func:`set_session_cookie`. Raises 401, or 429 while the account is locked out for
    the caller's address (or the address altogether), saying when the lock ends."""
    ip = client_ip(request)
    result = auth.authenticate(
        db,
        username=username,
        password=password,
        ip=ip,
        max_failures=settings.login_max_failures,
        window=timedelta(minutes=settings.login_window_minutes),
    )
    if result.user is None:
        db.commit()
        if result.reason == "locked":
            raise ApiError(429, lockout_message(result.locked_until or utcnow()))
        raise ApiError(401, "用户名或密码错误", code="invalid_credentials")
    token, row = auth.start_session(
        db,
        user=result.user,
        ip=ip,
        lifetime=timedelta(hours=settings.session_hours),
        user_agent=request.headers.get("user-agent", ""),
    )
    db.commit()
    return SignedIn(
        user=result.user,
        token=token,
        csrf_token=row.csrf_token,
        recent_failures=result.recent_failures,
        last_failure_at=result.last_failure_at,
    )


def set_session_cookie(
    request: Request, response: Response, signed: SignedIn, settings: Settings
) -> None:
    """Set the HttpOnly session cookie of ``signed`` on ``response``."""
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        max_age=settings.session_hours * 3600,
    )


def sign_out(request: Request, response: Response, db: Session) -> None:
    """End the caller's session on the server (committed) and clear its cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        auth.end_session(db, token)
        db.commit()
    response.delete_cookie(SESSION_COOKIE)
