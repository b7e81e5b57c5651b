"""The collaboration project library: one row per project (产业协同项目)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from jingjinji.store.base import Base, TimestampMixin, VersionedMixin, utcnow

__all__ = ["Project", "ProjectEvent"]


class Project(VersionedMixin, TimestampMixin, Base):
    """A project moving investment from an origin (anywhere in China, by adcode) to a
    destination in the region, on an atlas chain; investment in 亿元.

    ``provenance`` is ``demo`` (generated 示例数据), ``import`` or ``manual``; ``source``
    describes where the record comes from. ``match_id`` names the match it came from (the
    matching module's table; no foreign key yet), at most one project per match. Name and
    destination identify a project.
    """

    __tablename__ = "projects"
    __table_args__ = (
        UniqueConstraint("name", "destination_adcode"),
        Index(
            "uq_projects_match_id",
            "match_id",
            unique=True,
            sqlite_where=text("match_id IS NOT NULL"),
            postgresql_where=text("match_id IS NOT NULL"),
        ),
        Index("ix_projects_updated_at", "updated_at"),
        Index("ix_projects_stage_updated_at", "stage", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    addresses: Mapped[str | None] = mapped_column(String(200))
    origin_adcode: Mapped[str] = mapped_column(String(6), index=True)
    destination_adcode: Mapped[str] = mapped_column(String(6), index=True)
    industry: Mapped[str | None] = mapped_column(String(80), index=True)
    segments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    platform: Mapped[str | None] = mapped_column(String(80))
    park: Mapped[str | None] = mapped_column(String(80))
    investment: Mapped[float] = mapped_column(Float)
    stage: Mapped[str] = mapped_column(String(8), index=True)
    signed_on: Mapped[date | None] = mapped_column(Date, index=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    operating_on: Mapped[date | None] = mapped_column(Date)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    enterprises: Mapped[list[Any]] = mapped_column(JSON, default=list)
    match_id: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(300), default="")
    provenance: Mapped[str] = mapped_column(String(20), default="manual")
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)


class ProjectEvent(Base):
    """One stage change of a project (签约 → 开工 → 在建 → 投产, or 终止 with a reason)."""

    __tablename__ = "project_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(64))
    from_stage: Mapped[str] = mapped_column(String(8))
    to_stage: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(300), default="")
