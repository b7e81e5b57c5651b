"""Writing the audit log: every change records who, when, what, before and after."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from jingjinji.store.models import AuditEntry, User

__all__ = ["SECRET_FIELDS", "record_change", "snapshot"]

#: Columns never copied into the audit log.
SECRET_FIELDS = frozenset({"password_hash", "token_hash", "csrf_token"})


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def snapshot(obj: object) -> dict[str, Any]:
    """The column values of an ORM object as JSON-ready data, secrets left out."""
    mapper = inspect(obj).mapper
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if attr.key not in SECRET_FIELDS
    }


def record_change(
    session: Session,
    *,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: object = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEntry:
    """Add an audit entry to ``session`` (committed with the change it describes)."""
    entry = AuditEntry(
        user_id=actor.id if actor else None,
        actor=actor_name or (actor.username if actor else "anonymous"),
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
    )
    session.add(entry)
    return entry
