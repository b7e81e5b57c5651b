"""Declarative base shared by every table of the platform."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

__all__ = [
    "Base",
    "TimestampMixin",
    "VersionedMixin",
    "assign_changed",
    "required_cleared",
    "utcnow",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of all ORM models; constraint names are stable across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    """``created_at`` and ``updated_at`` columns, set by the database session."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class VersionedMixin:
    """Optimistic locking: a second writer holding a stale ``version`` gets a conflict.

    SQLAlchemy adds ``WHERE version = :old`` to every UPDATE and raises
    ``StaleDataError`` when no row matched; the web layer turns that into HTTP 409.
    """

    version: Mapped[int] = mapped_column(default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def assign_changed(row: object, values: dict[str, Any]) -> bool:
    """Set the attributes of ``row`` whose value differs; ``True`` when any changed.

    Untouched attributes stay clean, so an unchanged re-import writes no new version.
    """
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def required_cleared(model: type[Base], values: dict[str, Any]) -> list[str]:
    """The names in ``values`` set to ``None`` although ``model``'s column is NOT NULL."""
    columns = model.__table__.columns
    return [
        name
        for name, value in values.items()
        if value is None and name in columns and not columns[name].nullable
    ]
