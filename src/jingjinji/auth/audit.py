"""Writing the audit log: every change records who, when, what, before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from jingjinji.store.base import assign_changed
from jingjinji.store.models import AuditEntry, User

__all__ = ["SECRET_FIELDS", "ImportReport", "audit_row", "record_change", "snapshot"]

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


def audit_row(
    session: Session,
    row: Any,
    *,
    actor: User | None,
    action: str,
    entity: str,
    before: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEntry:
    """Flush ``row`` and audit the change: its id as ``entity_id``, its snapshot as ``after``."""
    session.flush()
    return record_change(
        session,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=row.id,
        before=before,
        after=snapshot(row),
        actor_name=actor_name,
    )


@dataclass
class ImportReport:
    """What an all-or-nothing import did: records created, updated and found unchanged, and
    the row problems that stopped it; :meth:`write` is the one audited write of a row."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    def write(
        self,
        session: Session,
        *,
        model: type[Any],
        entity: str,
        row: Any | None,
        values: dict[str, Any],
        organization_id: int,
        actor: User | None,
    ) -> None:
        """Insert ``values`` as a new imported ``model`` row (a model with ``provenance`` and
        ``organization_id``) when ``row`` is ``None``, else change only what differs; audit what
        was written and count it as created, updated or unchanged (an unchanged row gets no new
        version and no audit entry)."""
        before = None if row is None else snapshot(row)
        if row is None:
            row = model(**values, provenance="import", organization_id=organization_id)
            session.add(row)
            self.created += 1
        elif assign_changed(row, values):
            self.updated += 1
        else:
            self.unchanged += 1
            return
        audit_row(
            session,
            row,
            actor=actor,
            action="import",
            entity=entity,
            before=before,
            actor_name=None if actor else "cli",
        )
