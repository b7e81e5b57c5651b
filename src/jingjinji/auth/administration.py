"""Admins changing users and organizations: role, organization, display name, deactivation
(which ends the user's sessions) and organization details, each change audited.

The platform keeps at least one active admin: the last one cannot be demoted or deactivated,
and nobody deactivates their own account. Functions add to the session; the caller commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.auth.accounts import AccountError, organization_values
from jingjinji.auth.audit import audit_row, snapshot
from jingjinji.auth.sessions import end_other_sessions
from jingjinji.store.base import assign_changed
from jingjinji.store.models import Organization, User
from jingjinji.store.models.accounts import ROLES

__all__ = ["AccountConflict", "update_organization", "update_user"]


class AccountConflict(AccountError):
    """A change refused because of the state of other accounts (for example the last admin)."""


def _active_admins(session: Session) -> int:
    query = select(func.count()).where(User.role == "admin", User.is_active.is_(True))
    return int(session.scalar(query) or 0)


def _check_admin_kept(session: Session, *, user: User, actor: User, values: dict[str, Any]) -> None:
    if values.get("is_active") is False and user.id == actor.id:
        raise AccountConflict("is_active", "cannot deactivate oneself", "不能停用自己的账户")
    demoted = "role" in values and values["role"] != "admin"
    deactivated = values.get("is_active") is False
    last_admin = user.role == "admin" and user.is_active and _active_admins(session) <= 1
    if last_admin and (demoted or deactivated):
        raise AccountConflict(
            "role", "the last active admin", "这是唯一启用的管理员账户，不能降级或停用"
        )


def update_user(
    session: Session,
    *,
    user: User,
    actor: User,
    role: str | None = None,
    is_active: bool | None = None,
    display_name: str | None = None,
    organization: Organization | None = None,
) -> User:
    """Change what is given of ``user``; deactivation signs all their sessions out.

    The audit action is ``deactivate`` or ``activate`` when the state changed, else ``update``;
    an unchanged user gets no audit entry. :class:`AccountConflict` keeps the last admin.
    """
    values: dict[str, Any] = {}
    if role is not None:
        if role not in ROLES:
            raise AccountError("role", "unknown role", f"角色须为：{'、'.join(ROLES.values())}")
        values["role"] = role
    if is_active is not None:
        values["is_active"] = is_active
    if display_name is not None:
        display_name = display_name.strip()
        if not display_name or len(display_name) > 100:
            raise AccountError("display_name", "1 to 100 characters", "显示名称需为 1–100 个字符")
        values["display_name"] = display_name
    if organization is not None:
        values["organization_id"] = organization.id
    values = {name: value for name, value in values.items() if getattr(user, name) != value}
    _check_admin_kept(session, user=user, actor=actor, values=values)
    before = snapshot(user)
    if not assign_changed(user, values):
        return user
    if organization is not None:
        user.organization = organization
    action = "update"
    if "is_active" in values:
        action = "activate" if user.is_active else "deactivate"
    audit_row(session, user, actor=actor, action=action, entity="user", before=before)
    if values.get("is_active") is False:
        end_other_sessions(session, user=user, actor=actor, why="账户停用")
    return user


def update_organization(
    session: Session, *, org: Organization, actor: User, changes: dict[str, Any]
) -> Organization:
    """Change ``org``'s ``name``, ``kind`` or ``place_adcode`` (those in ``changes``)."""
    merged = {
        "name": changes.get("name", org.name),
        "kind": changes.get("kind", org.kind),
        "place_adcode": changes.get("place_adcode", org.place_adcode),
    }
    values = organization_values(session, existing_id=org.id, **merged)
    before = snapshot(org)
    if assign_changed(org, values):
        audit_row(session, org, actor=actor, action="update", entity="organization", before=before)
    return org
