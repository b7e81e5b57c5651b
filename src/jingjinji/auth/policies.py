"""Permission policies: every write endpoint declares one (a test enforces it).

Roles: ``admin`` may do everything; ``analyst`` reads everything, runs evaluations and exports;
``editor`` creates and changes the records of their own organization; anonymous visitors read
published listings, policies, the atlas and aggregate statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingjinji.store.models import User

__all__ = [
    "ADMIN",
    "ANALYST",
    "EDITOR",
    "PUBLIC",
    "SIGNED_IN",
    "Policy",
    "can_edit",
    "can_read_private",
    "owner",
]


@dataclass(frozen=True)
class Policy:
    """Who may call an endpoint.

    ``roles`` lists the roles allowed (``None``: anonymous visitors too). ``resource`` names
    the kind of record an ``owner`` policy protects: the route then also checks, record by
    record, that the caller's organization owns it (admins pass).
    """

    name: str
    roles: frozenset[str] | None
    resource: str | None = None

    def admits(self, user: User | None) -> bool:
        """Whether ``user`` (``None`` = anonymous) passes the role part of the policy."""
        if self.roles is None:
            return True
        return user is not None and user.role in self.roles


PUBLIC = Policy("public", None)
SIGNED_IN = Policy("signed_in", frozenset({"admin", "analyst", "editor"}))
ANALYST = Policy("analyst", frozenset({"admin", "analyst"}))
EDITOR = Policy("editor", frozenset({"admin", "editor"}))
ADMIN = Policy("admin", frozenset({"admin"}))


def owner(resource: str) -> Policy:
    """Editors of the owning organization and admins may change a ``resource`` record."""
    return Policy(f"owner:{resource}", frozenset({"admin", "editor"}), resource)


def can_edit(user: User | None, organization_id: int | None) -> bool:
    """Whether ``user`` may change a record owned by ``organization_id``."""
    if user is None:
        return False
    if user.role == "admin":
        return True
    return user.role == "editor" and organization_id == user.organization_id


def can_read_private(user: User | None, organization_id: int | None) -> bool:
    """Whether ``user`` may see unpublished records or private contacts of ``organization_id``."""
    if user is None:
        return False
    return user.role in {"admin", "analyst"} or organization_id == user.organization_id
