"""A user's login sessions: the live ones, signing out one or all others, and which browser
each is (read from its user agent).

Functions take a SQLAlchemy session and add to it; the caller commits (one transaction).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.auth.accounts import aware
from jingjinji.auth.audit import record_change
from jingjinji.store.base import utcnow
from jingjinji.store.models import AuthSession, User

__all__ = ["describe_user_agent", "end_other_sessions", "end_user_session", "live_sessions"]

#: (pattern, browser name) tried in order: Edge and Opera also say Chrome, Chrome says Safari.
_BROWSERS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"Edg(?:e|A|iOS)?/(\d+)"), "Edge"),
    (re.compile(r"(?:OPR|Opera)/(\d+)"), "Opera"),
    (re.compile(r"(?:Firefox|FxiOS)/(\d+)"), "Firefox"),
    (re.compile(r"MicroMessenger/(\d+)"), "微信内置浏览器 {}"),
    (re.compile(r"HeadlessChrome/(\d+)"), "Chrome {}（无界面）"),
    (re.compile(r"(?:Chrome|CriOS)/(\d+)"), "Chrome"),
    (re.compile(r"Version/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/"), "Safari"),
)
_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("Windows", "Windows"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
)
_CLIENTS = re.compile(r"^(python-|curl/|Wget/|httpx|testclient)", re.IGNORECASE)


def _versioned(name: str, version: str) -> str:
    return name.format(version) if "{}" in name else f"{name} {version}"


def describe_user_agent(agent: str) -> str:
    """The browser and system a user agent names, for people to recognise their sessions.

    >>> describe_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    ...     "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51")
    'Edge 124 · Windows'
    >>> describe_user_agent("curl/8.5.0")
    '脚本或命令行工具'
    >>> describe_user_agent("")
    '未知浏览器'
    """
    if _CLIENTS.match(agent):
        return "脚本或命令行工具"
    found = ((name, pattern.search(agent)) for pattern, name in _BROWSERS)
    browser = next((_versioned(name, hit.group(1)) for name, hit in found if hit), "")
    system = next((name for marker, name in _SYSTEMS if marker in agent), "")
    if not browser and not system:
        return "未知浏览器"
    return " · ".join(part for part in (browser or "其他浏览器", system) if part)


def live_sessions(session: Session, user: User) -> list[AuthSession]:
    """``user``'s sessions that have not expired, most recently used first."""
    rows = session.scalars(select(AuthSession).where(AuthSession.user_id == user.id))
    now = utcnow()
    live = [row for row in rows if aware(row.expires_at) > now]
    return sorted(live, key=lambda row: aware(row.last_seen_at or row.created_at), reverse=True)


def end_user_session(
    session: Session, *, user: User, session_id: int, actor: User
) -> AuthSession | None:
    """Sign ``user``'s session ``session_id`` out (audited); ``None`` if it is not theirs."""
    row = session.get(AuthSession, session_id)
    if row is None or row.user_id != user.id:
        return None
    before = {"ip": row.ip, "user_agent": row.user_agent}
    record_change(
        session, actor=actor, action="logout", entity="session", entity_id=row.id, before=before
    )
    session.delete(row)
    return row


def end_other_sessions(
    session: Session, *, user: User, actor: User | None, keep: int | None = None, why: str = ""
) -> int:
    """Sign out every session of ``user`` but ``keep`` (one audit entry); how many ended."""
    query = select(AuthSession).where(AuthSession.user_id == user.id)
    if keep is not None:
        query = query.where(AuthSession.id != keep)
    rows = list(session.scalars(query))
    for row in rows:
        session.delete(row)
    if rows:
        record_change(
            session,
            actor=actor,
            action="end_sessions",
            entity="user",
            entity_id=user.id,
            after={"ended_sessions": len(rows), **({"reason": why} if why else {})},
        )
    return len(rows)
