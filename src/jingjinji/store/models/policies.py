"""The shared policy list: one row per policy with its targets and structured conditions."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from jingjinji.store.base import Base, TimestampMixin, VersionedMixin

__all__ = ["Policy"]

#: The rows whose 文号 must be unique: those that have one.
_HAS_NUMBER = "number IS NOT NULL AND trim(number) <> ''"


class Policy(VersionedMixin, TimestampMixin, Base):
    """A policy of one of the three places (or a place inside them).

    ``target_*`` describe who it is for; ``conditions`` is the JSON list of structured
    eligibility conditions derived from them (see :mod:`jingjinji.policies.records`).
    ``provenance`` is ``demo`` (示例数据), ``import`` or ``manual``. Two policies never share
    a 文号 (``number``; empty or blank means none).
    """

    __tablename__ = "policies"
    __table_args__ = (
        Index(
            "uq_policies_number",
            "number",
            unique=True,
            sqlite_where=text(_HAS_NUMBER),
            postgresql_where=text(_HAS_NUMBER),
        ),
        Index("ix_policies_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    place_adcode: Mapped[str] = mapped_column(String(6), index=True)
    department: Mapped[str] = mapped_column(String(200), default="")
    number: Mapped[str | None] = mapped_column(String(100), index=True)
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    type: Mapped[str] = mapped_column(String(8), index=True)
    target_places: Mapped[list[Any]] = mapped_column(JSON, default=list)
    target_industries: Mapped[list[Any]] = mapped_column(JSON, default=list)
    target_segments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    target_tags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    target_sizes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    revenue_min: Mapped[float | None] = mapped_column(Float)
    revenue_max: Mapped[float | None] = mapped_column(Float)
    founded_after: Mapped[date | None] = mapped_column(Date)
    benefits: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    full_text: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(1000), default="")
    conditions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(300), default="")
    provenance: Mapped[str] = mapped_column(String(20), default="manual")
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
