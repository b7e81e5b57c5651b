"""Changing a password, one-time reset links an admin hands out, and unlocking an account
locked by failed sign-ins.

A reset link carries a random token; only its SHA-256 is stored (``password_resets``), so the
link is shown once, to the admin who made it. Functions add to the session; the caller commits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from jingjinji.auth.accounts import AccountError, AccountLocked, aware, begin_attempt
from jingjinji.auth.audit import record_change
from jingjinji.auth.passwords import check_password_policy, hash_password, verify_password
from jingjinji.auth.sessions import end_other_sessions
from jingjinji.auth.tokens import digest, new_token
from jingjinji.store.base import utcnow
from jingjinji.store.models import LoginFailure, PasswordReset, User

__all__ = [
    "RESET_LIFETIME",
    "change_password",
    "create_password_reset",
    "failed_sign_ins",
    "password_reset_for",
    "unlock_account",
    "use_password_reset",
]

#: How long a reset link works.
RESET_LIFETIME = timedelta(hours=72)


def _set_password(session: Session, user: User, password: str) -> None:
    check_password_policy(password)
    user.password_hash = hash_password(password)
    session.flush()


def change_password(
    session: Session,
    *,
    user: User,
    current: str,
    new: str,
    keep_session: int | None,
    ip: str,
    max_failures: int,
    window: timedelta,
) -> int:
    """Set ``user``'s password to ``new`` after checking ``current``; every session but
    ``keep_session`` is signed out. Returns how many were.

    A wrong ``current`` counts as a failed sign-in (the same lock-out applies, raised as
    :class:`~jingjinji.auth.accounts.AccountLocked`), so a stolen session cannot be used to
    guess the password; the attempt is committed before the check, as in sign-in.
    """
    stored = session.get(User, user.id)  # ``user`` may come from another (closed) session
    if stored is None:
        raise AccountError("user", "unknown user", "用户不存在")
    user = stored
    attempt = begin_attempt(
        session, username=user.username, ip=ip, max_failures=max_failures, window=window
    )
    if attempt.row is None:
        raise AccountLocked(attempt.locked_until or utcnow())
    if not verify_password(user.password_hash, current):
        raise AccountError("current_password", "wrong password", "当前密码不正确")
    session.delete(attempt.row)  # the right password is no failure
    if current == new:
        raise AccountError("new_password", "same as the current one", "新密码不能与当前密码相同")
    _set_password(session, user, new)
    record_change(session, actor=user, action="password_change", entity="user", entity_id=user.id)
    return end_other_sessions(session, user=user, actor=user, keep=keep_session, why="修改密码")


def create_password_reset(
    session: Session, *, user: User, actor: User | None, lifetime: timedelta = RESET_LIFETIME
) -> tuple[str, PasswordReset]:
    """A one-time reset link token for ``user`` (replacing any unused one) and its row."""
    unused = PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
    session.execute(delete(PasswordReset).where(*unused))
    token = new_token()
    now = utcnow()
    row = PasswordReset(
        user_id=user.id,
        token_hash=digest(token),
        created_at=now,
        expires_at=now + lifetime,
        created_by=actor.id if actor else None,
    )
    session.add(row)
    session.flush()
    after = {"user_id": user.id, "expires_at": row.expires_at.isoformat()}
    record_change(
        session,
        actor=actor,
        action="create",
        entity="password_reset",
        entity_id=row.id,
        after=after,
        actor_name=None if actor else "cli",
    )
    return token, row


def password_reset_for(session: Session, token: str) -> PasswordReset | None:
    """The usable reset behind ``token``: unused, unexpired, for an active user; else ``None``."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == digest(token)))
    if row is None or row.used_at is not None or aware(row.expires_at) <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return row if user is not None and user.is_active else None


def use_password_reset(session: Session, *, token: str, password: str) -> User:
    """Set a new password through a reset link, once: the link is spent, the user's sessions
    end and their failed sign-ins are cleared. :class:`AccountError` for a dead link,
    :class:`~jingjinji.auth.passwords.PasswordPolicyError` for a weak password."""
    row = password_reset_for(session, token)
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None:
        raise AccountError("token", "unknown, used or expired", "链接无效、已使用或已过期")
    _set_password(session, user, password)
    row.used_at = utcnow()
    session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    record_change(
        session,
        actor=user,
        action="password_reset",
        entity="user",
        entity_id=user.id,
        after={"password_reset_id": row.id},
    )
    end_other_sessions(session, user=user, actor=user, why="通过重置链接设置新密码")
    return user


def failed_sign_ins(session: Session, *, since: datetime) -> dict[str, int]:
    """Per username, the most failed sign-ins since ``since`` from any one address: what the
    lock-out counts (it locks an account for one address at a time)."""
    per_address = (
        select(LoginFailure.username, func.count().label("failures"))
        .where(LoginFailure.at >= since)
        .group_by(LoginFailure.username, LoginFailure.ip)
        .subquery()
    )
    query = select(per_address.c.username, func.max(per_address.c.failures)).group_by(
        per_address.c.username
    )
    return {username: int(count) for username, count in session.execute(query)}


def unlock_account(session: Session, *, user: User, actor: User) -> int:
    """Clear ``user``'s failed sign-ins so the account may sign in again; how many were."""
    result = session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    cleared = int(getattr(result, "rowcount", 0) or 0)
    record_change(
        session,
        actor=actor,
        action="unlock",
        entity="user",
        entity_id=user.id,
        after={"cleared_failures": cleared},
    )
    return cleared
