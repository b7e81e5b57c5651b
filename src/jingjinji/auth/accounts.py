"""Organizations and users: creation with validation, authentication, sessions, API tokens.

Functions take a SQLAlchemy session and add to it; the caller commits (one transaction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from jingjinji.auth.audit import audit_row, record_change, snapshot
from jingjinji.auth.passwords import check_password_policy, hash_password, verify_password
from jingjinji.auth.tokens import digest, new_token
from jingjinji.store.base import utcnow
from jingjinji.store.models import ApiToken, AuthSession, LoginFailure, Organization, User
from jingjinji.store.models.accounts import ORG_KINDS, ROLES

__all__ = [
    "SAMPLE_ORG",
    "SEEN_INTERVAL",
    "AccountError",
    "LoginResult",
    "all_organizations",
    "all_users",
    "api_tokens_of",
    "authenticate",
    "aware",
    "create_api_token",
    "create_organization",
    "create_user",
    "end_session",
    "failures_since",
    "organization_values",
    "resolve_api_token",
    "resolve_session",
    "revoke_api_token",
    "sample_organization",
    "start_session",
]

#: The organization owning the sample projects and policies (示例数据).
SAMPLE_ORG = "产业协同项目库（示例数据）"
#: How often a session's ``last_seen_at`` is written at most.
SEEN_INTERVAL = timedelta(minutes=1)
_USERNAME = re.compile(r"^[A-Za-z0-9_.\-]{3,64}$")


class AccountError(ValueError):
    """Invalid account data; ``field`` names the field, ``message_zh`` is for the interface."""

    def __init__(self, field: str, message: str, message_zh: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message_zh = message_zh


def _add_audited(session: Session, row: object, *, entity: str, actor: User | None) -> None:
    session.add(row)
    audit_row(
        session,
        row,
        actor=actor,
        action="create",
        entity=entity,
        actor_name=None if actor else "cli",
    )


def organization_values(
    session: Session,
    *,
    name: str,
    kind: str,
    place_adcode: str | None,
    existing_id: int | None = None,
) -> dict[str, str | None]:
    """Checked values of an organization (``existing_id``: the one being changed, whose own
    name does not count as taken); raises :class:`AccountError` naming the bad field."""
    name = name.strip()
    if not name or len(name) > 200:
        raise AccountError("name", "must have 1 to 200 characters", "名称需为 1–200 个字符")
    if kind not in ORG_KINDS:
        labels = "、".join(ORG_KINDS.values())
        raise AccountError("kind", f"must be one of {', '.join(ORG_KINDS)}", f"类型须为：{labels}")
    if place_adcode is not None and not re.fullmatch(r"\d{6}", place_adcode):
        raise AccountError("place_adcode", "must be a 6-digit adcode", "地区须为 6 位行政区划代码")
    taken = session.scalar(select(Organization.id).where(Organization.name == name))
    if taken is not None and taken != existing_id:
        raise AccountError("name", f"organization {name!r} exists", f"机构“{name}”已存在")
    return {"name": name, "kind": kind, "place_adcode": place_adcode}


def create_organization(
    session: Session,
    *,
    name: str,
    kind: str,
    place_adcode: str | None = None,
    actor: User | None = None,
) -> Organization:
    """Add an organization; ``kind`` is one of ``ORG_KINDS``; names are unique."""
    values = organization_values(session, name=name, kind=kind, place_adcode=place_adcode)
    org = Organization(**values)
    _add_audited(session, org, entity="organization", actor=actor)
    return org


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    organization: Organization,
    display_name: str = "",
    actor: User | None = None,
) -> User:
    """Add a user with an Argon2 password hash; usernames are unique, roles from ``ROLES``."""
    if not _USERNAME.fullmatch(username):
        raise AccountError(
            "username",
            "3 to 64 letters, digits, '_', '.' or '-'",
            "用户名须为 3–64 个字母、数字或 _ . -",
        )
    if role not in ROLES:
        raise AccountError(
            "role", f"must be one of {', '.join(ROLES)}", f"角色须为：{'、'.join(ROLES.values())}"
        )
    check_password_policy(password)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError("username", f"user {username!r} exists", f"用户“{username}”已存在")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        organization_id=organization.id,
    )
    _add_audited(session, user, entity="user", actor=actor)
    return user


@dataclass(frozen=True)
class LoginResult:
    """Outcome of a sign-in attempt: the user, or why not (``locked`` or ``invalid``)."""

    user: User | None
    reason: str = ""


def failures_since(session: Session, *, username: str, ip: str, since: datetime) -> int:
    """Failed sign-ins since ``since`` that count against ``username`` from ``ip``."""
    by_account = session.scalar(
        select(func.count()).where(LoginFailure.username == username, LoginFailure.at >= since)
    )
    by_address = session.scalar(
        select(func.count()).where(LoginFailure.ip == ip, LoginFailure.at >= since)
    )
    return max(by_account or 0, (by_address or 0) // 4)


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    ip: str,
    max_failures: int,
    window: timedelta,
) -> LoginResult:
    """Check a username and password, rate-limited per account and per address.

    An account is locked after ``max_failures`` failures within ``window``; an address after
    four times as many (it may serve several people). The check runs before the password is
    verified, so a locked account gives no hint whether the password was right.
    """
    now = utcnow()
    username = username[:64]
    if failures_since(session, username=username, ip=ip, since=now - window) >= max_failures:
        return LoginResult(None, "locked")
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        session.add(LoginFailure(username=username, ip=ip[:64], at=now))
        return LoginResult(None, "invalid")
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    user.last_login_at = now
    return LoginResult(user)


def start_session(
    session: Session, *, user: User, ip: str, lifetime: timedelta, user_agent: str = ""
) -> tuple[str, AuthSession]:
    """Open a login session; returns the cookie token (shown once) and the stored row."""
    token = new_token()
    now = utcnow()
    row = AuthSession(
        token_hash=digest(token),
        csrf_token=new_token(),
        user_id=user.id,
        created_at=now,
        expires_at=now + lifetime,
        last_seen_at=now,
        ip=ip[:64],
        user_agent=user_agent[:200],
    )
    session.add(row)
    session.flush()
    record_change(session, actor=user, action="login", entity="session", entity_id=row.id)
    return token, row


def aware(moment: datetime) -> datetime:
    """``moment`` in UTC: SQLite returns naive datetimes for timezone-aware columns."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def resolve_session(session: Session, token: str) -> AuthSession | None:
    """The live session for a cookie token, ``None`` if unknown, expired or the user inactive.

    Its ``last_seen_at`` is moved on when older than ``SEEN_INTERVAL``, so a burst of requests
    writes once a minute at most; the caller commits when the session is dirty.
    """
    row = session.scalar(select(AuthSession).where(AuthSession.token_hash == digest(token)))
    now = utcnow()
    if row is None or aware(row.expires_at) <= now or not row.user.is_active:
        return None
    if row.last_seen_at is None or aware(row.last_seen_at) <= now - SEEN_INTERVAL:
        row.last_seen_at = now
    return row


def end_session(session: Session, token: str) -> None:
    """Sign out: delete the session so the cookie token no longer works anywhere."""
    row = session.scalar(select(AuthSession).where(AuthSession.token_hash == digest(token)))
    if row is not None:
        record_change(session, actor=row.user, action="logout", entity="session", entity_id=row.id)
        session.delete(row)


def create_api_token(session: Session, *, user: User, name: str) -> tuple[str, ApiToken]:
    """A new API token for ``user``; the plain token is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise AccountError("name", "must have 1 to 100 characters", "名称需为 1–100 个字符")
    token = new_token("jjj_")
    row = ApiToken(user_id=user.id, name=name, prefix=token[:8], token_hash=digest(token))
    session.add(row)
    audit_row(session, row, actor=user, action="create", entity="api_token")
    return token, row


def revoke_api_token(session: Session, *, token_id: int, user: User) -> ApiToken | None:
    """Revoke one of ``user``'s tokens (admins may revoke any); ``None`` if not found."""
    row = session.get(ApiToken, token_id)
    if row is None or (row.user_id != user.id and user.role != "admin"):
        return None
    if row.revoked_at is None:
        before = snapshot(row)
        row.revoked_at = utcnow()
        record_change(
            session,
            actor=user,
            action="revoke",
            entity="api_token",
            entity_id=row.id,
            before=before,
            after=snapshot(row),
        )
    return row


def resolve_api_token(session: Session, token: str) -> User | None:
    """The user behind a bearer token, ``None`` if unknown, revoked or the user inactive."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    row.last_used_at = utcnow()
    return row.user


def sample_organization(session: Session, name: str = SAMPLE_ORG) -> Organization:
    """The organization owning sample records, created when missing."""
    org = session.scalar(select(Organization).where(Organization.name == name))
    if org is None:
        org = create_organization(session, name=name, kind="other")
    return org


def api_tokens_of(session: Session, user: User) -> list[ApiToken]:
    """``user``'s API tokens (revoked ones too), oldest first."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    return list(session.scalars(query))


def all_organizations(session: Session) -> list[Organization]:
    """Every organization, by name."""
    return list(session.scalars(select(Organization).order_by(Organization.name)))


def all_users(session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.scalars(select(User).order_by(User.username)))
