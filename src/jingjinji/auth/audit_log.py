"""Reading the audit log: entries filtered by who, what, which record and when, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from jingjinji.store.models import AuditEntry

__all__ = ["AuditQuery", "audit_entries", "audit_kinds"]


@dataclass(frozen=True)
class AuditQuery:
    """Filters of the audit log; ``None`` leaves a filter out.

    ``actor`` is the stored actor name (a username, ``cli`` or ``anonymous``), ``user_id`` the
    acting user; ``since`` is inclusive and ``until`` exclusive (timezone-aware).
    """

    user_id: int | None = None
    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def apply(self, query: Select[tuple[AuditEntry]]) -> Select[tuple[AuditEntry]]:
        """``query`` restricted to the entries these filters admit."""
        conditions = {
            AuditEntry.user_id: self.user_id,
            AuditEntry.actor: self.actor,
            AuditEntry.action: self.action,
            AuditEntry.entity: self.entity,
            AuditEntry.entity_id: self.entity_id,
        }
        for column, value in conditions.items():
            if value is not None:
                query = query.where(column == value)
        if self.since is not None:
            query = query.where(AuditEntry.at >= self.since)
        if self.until is not None:
            query = query.where(AuditEntry.at < self.until)
        return query


def audit_entries(
    session: Session, query: AuditQuery, *, limit: int, offset: int = 0
) -> tuple[list[AuditEntry], int]:
    """One page of the entries ``query`` admits, newest first, and how many there are."""
    selected = query.apply(select(AuditEntry))
    count = session.scalar(select(func.count()).select_from(selected.subquery())) or 0
    page = selected.order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(page)), int(count)


def audit_kinds(session: Session) -> tuple[list[str], list[str]]:
    """The actions and the entity kinds that occur in the log (for filter choices)."""
    actions = session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    entities = session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity))
    return list(actions), list(entities)
