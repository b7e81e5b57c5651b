"""Organizations and users: creation with validation, authentication, sessions, API tokens.

Functions take a SQLAlchemy session and add to it; the caller commits (one transaction).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, select, text
from sqlalchemy.orm import Session

from jingjinji.auth.audit import audit_row, record_change, snapshot
from jingjinji.auth.passwords import (
    check_password_policy,
    dummy_hash,
    hash_password,
    verify_password,
)
from jingjinji.auth.tokens import digest, new_token
from jingjinji.store.base import utcnow
from jingjinji.store.models import ApiToken, AuthSession, LoginFailure, Organization, User
from jingjinji.store.models.accounts import ORG_KINDS, ROLES

__all__ = [
    "ADDRESS_FACTOR",
    "SAMPLE_ORG",
    "SEEN_INTERVAL",
    "AccountError",
    "AccountLocked",
    "Attempt",
    "LoginResult",
    "all_organizations",
    "all_users",
    "api_tokens_of",
    "authenticate",
    "aware",
    "begin_attempt",
    "create_api_token",
    "create_organization",
    "create_user",
    "end_session",
    "failures_since",
    "locked_until",
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
#: An address is locked out after this many times ``login_max_failures`` failures against
#: any accounts (an office or a campus may sign many people in from one address).
ADDRESS_FACTOR = 4
#: Name spaces of the PostgreSQL advisory locks taken while an attempt is counted.
_ACCOUNT_LOCKS, _ADDRESS_LOCKS = 0x4A4A4A01, 0x4A4A4A02
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
    """Outcome of a sign-in attempt: the user, or why not (``locked`` or ``invalid``).

    ``locked_until``: when a lock-out ends; ``recent_failures``: failed sign-ins with the
    user's name since their previous sign-in (the latest at ``last_failure_at``), to tell
    them when someone else may have tried."""

    user: User | None
    reason: str = ""
    locked_until: datetime | None = None
    recent_failures: int = 0
    last_failure_at: datetime | None = None


class AccountLocked(AccountError):
    """Too many failed sign-ins: refused until ``until`` (UTC)."""

    def __init__(self, until: datetime) -> None:
        super().__init__("password", "account locked", "尝试次数过多，账户已暂时锁定")
        self.until = until


@dataclass(frozen=True)
class Attempt:
    """A password check allowed by the lock-out (``row``: the failure it is recorded as until
    it succeeds), or refused (``row`` is ``None``, the lock ends at ``locked_until``)."""

    row: LoginFailure | None
    locked_until: datetime | None = None


def _lock_key(space: int, value: str) -> dict[str, int]:
    """Parameters of ``pg_advisory_xact_lock(space, key)`` for ``value`` (a 32-bit digest)."""
    key = int.from_bytes(hashlib.sha256(value.encode()).digest()[:4], "big", signed=True)
    return {"space": space, "key": key}


def _serialize_attempts(session: Session, username: str, ip: str) -> None:
    """Make counting and recording an attempt one step, across threads and worker processes.

    PostgreSQL: transaction-scoped advisory locks on the username, then on the address
    (always in that order, so two attempts never wait on each other); the next commit or
    rollback releases them. SQLite needs nothing here: the ``INSERT`` that records the attempt
    takes the database's write lock, held until the commit, so no other connection records
    an attempt between this one's count and its commit.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    lock = text("SELECT pg_advisory_xact_lock(CAST(:space AS integer), CAST(:key AS integer))")
    session.execute(lock, _lock_key(_ACCOUNT_LOCKS, username))
    session.execute(lock, _lock_key(_ADDRESS_LOCKS, ip))


def _nth_newest(session: Session, where: list[ColumnElement[bool]], n: int) -> datetime | None:
    query = (
        select(LoginFailure.at)
        .where(*where)
        .order_by(LoginFailure.at.desc(), LoginFailure.id.desc())
        .offset(n - 1)
        .limit(1)
    )
    return session.scalar(query)


def locked_until(
    session: Session,
    *,
    username: str,
    ip: str,
    max_failures: int,
    window: timedelta,
    now: datetime | None = None,
    exclude: int | None = None,
) -> datetime | None:
    """When the lock-out of ``username`` signing in from ``ip`` ends; ``None`` if none.

    Within ``window``, ``max_failures`` failures against the account from this address lock
    the account for this address only (an attacker elsewhere cannot lock the real user
    out), and ``ADDRESS_FACTOR`` times as many from this address against any accounts lock
    the address (it may serve several people). A lock ends when the oldest failure making
    up the limit leaves the window; refused attempts are not recorded, so trying on does
    not make it longer. ``exclude``: a failure row not to count (the attempt itself).
    """
    now = now or utcnow()
    recent = [LoginFailure.at >= now - window]
    if exclude is not None:
        recent.append(LoginFailure.id != exclude)
    limits = (
        ([LoginFailure.username == username, LoginFailure.ip == ip], max_failures),
        ([LoginFailure.ip == ip], max_failures * ADDRESS_FACTOR),
    )
    ends = [
        aware(at) + window
        for where, limit in limits
        if (at := _nth_newest(session, [*recent, *where], limit)) is not None
    ]
    return max(ends, default=None)


def failures_since(session: Session, *, username: str, ip: str, since: datetime) -> int:
    """Failed sign-ins since ``since`` that count against ``username`` from ``ip``: those
    against the account from that address, or a quarter of all from that address."""
    by_account = session.scalar(
        select(func.count()).where(
            LoginFailure.username == username, LoginFailure.ip == ip, LoginFailure.at >= since
        )
    )
    by_address = session.scalar(
        select(func.count()).where(LoginFailure.ip == ip, LoginFailure.at >= since)
    )
    return max(by_account or 0, (by_address or 0) // ADDRESS_FACTOR)


def begin_attempt(
    session: Session, *, username: str, ip: str, max_failures: int, window: timedelta
) -> Attempt:
    """Decide whether a password may be checked for ``username`` from ``ip``, and if so
    record the attempt as a failure *before* it is checked (**commits**).

    Counting and recording are one atomic step (see :func:`_serialize_attempts`), so
    parallel attempts cannot all see "below the limit": at most ``max_failures`` passwords
    are checked per account and address within ``window``. A refused attempt is rolled
    back and records nothing. The caller deletes ``row`` when the password is right.
    """
    now = utcnow()
    username, ip = username[:64], ip[:64]
    _serialize_attempts(session, username, ip)
    row = LoginFailure(username=username, ip=ip, at=now)
    session.add(row)
    session.flush()  # SQLite: the write lock is taken here and held until the commit
    until = locked_until(
        session,
        username=username,
        ip=ip,
        max_failures=max_failures,
        window=window,
        now=now,
        exclude=row.id,
    )
    if until is not None:
        session.rollback()
        return Attempt(None, until)
    session.commit()  # the attempt counts from now on, in every worker process
    return Attempt(row)


def _failures_since_last_sign_in(
    session: Session, user: User, *, exclude: int
) -> tuple[int, datetime | None]:
    since = user.last_login_at or user.created_at
    query = select(func.count(), func.max(LoginFailure.at)).where(
        LoginFailure.username == user.username, LoginFailure.id != exclude
    )
    if since is not None:
        query = query.where(LoginFailure.at > since)
    count, last = session.execute(query).one()
    return int(count or 0), last


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    ip: str,
    max_failures: int,
    window: timedelta,
) -> LoginResult:
    """Check a username and password, rate-limited per account and address (**commits**
    the attempt before the password is checked, see :func:`begin_attempt`).

    A locked attempt gives no hint whether the password was right. An unknown username is
    checked against :func:`~jingjinji.auth.passwords.dummy_hash`, an inactive account
    against its own hash, so each answer costs one password check. A successful sign-in
    clears the failures from its address against the account (not those from elsewhere:
    they keep their own lock-out) and counts the failures since the previous sign-in; the
    caller commits.
    """
    username = username[:64]
    attempt = begin_attempt(
        session, username=username, ip=ip, max_failures=max_failures, window=window
    )
    if attempt.row is None:
        return LoginResult(None, "locked", locked_until=attempt.locked_until)
    user = session.scalar(select(User).where(User.username == username))
    right = verify_password(user.password_hash if user else dummy_hash(), password)
    if user is None or not user.is_active or not right:
        return LoginResult(None, "invalid")  # the recorded attempt stays as the failure
    recent, last = _failures_since_last_sign_in(session, user, exclude=attempt.row.id)
    session.execute(
        delete(LoginFailure).where(LoginFailure.username == username, LoginFailure.ip == ip[:64])
    )
    user.last_login_at = utcnow()
    return LoginResult(user, recent_failures=recent, last_failure_at=last)


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
