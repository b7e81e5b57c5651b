"""The enterprise registry of the chain map: enterprises, their segments, saved place groups."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jingjinji.store.base import Base, TimestampMixin, VersionedMixin

__all__ = ["Enterprise", "EnterpriseSegment", "PlaceGroup"]


class Enterprise(VersionedMixin, TimestampMixin, Base):
    """An enterprise placed on the chain map, keyed by its 统一社会信用代码.

    ``place_adcode`` is county level (resolved from the address through the atlas);
    ``tags`` holds canonical tags between bars (``|链主|小巨人|``) so a tag filter is a
    portable ``LIKE '%|链主|%'``; ``provenance`` is ``import`` or ``demo`` (示例数据).
    ``status`` is the canonical 登记状态 (:data:`jingjinji.chains.registry_fields.STATUSES`,
    ``None`` when the source gave none); closed enterprises (注销, 吊销, 撤销, 责令关闭) are
    kept but not counted on the chain map; ``founded_on``/``closed_on`` date them.
    """

    __tablename__ = "enterprises"
    __table_args__ = (Index("ix_enterprises_updated_at", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    place_adcode: Mapped[str] = mapped_column(String(6), index=True)
    industry_code: Mapped[str | None] = mapped_column(String(8))
    scope: Mapped[str] = mapped_column(Text, default="")
    products: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[str | None] = mapped_column(String(20))
    revenue: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(String(8))
    founded_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    provenance: Mapped[str] = mapped_column(String(20), default="import")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )

    segments: Mapped[list[EnterpriseSegment]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def tag_list(self) -> list[str]:
        """Tags as a list, in stored order."""
        return [tag for tag in self.tags.split("|") if tag]


class EnterpriseSegment(TimestampMixin, Base):
    """One segment of an enterprise: automatic (``source='auto'``) or set by a reviewer.

    ``decision`` is confirmed, uncertain or rejected; ``evidence`` lists ``{word, field,
    grade}``. Rows with ``source='review'`` are kept when the enterprise is re-classified.
    """

    __tablename__ = "enterprise_segments"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "segment", name="uq_enterprise_segments_pair"),
        Index("ix_enterprise_segments_segment_decision", "segment", "decision"),
        Index("ix_enterprise_segments_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    segment: Mapped[str] = mapped_column(String(80))
    industry: Mapped[str] = mapped_column(String(40), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(12))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source: Mapped[str] = mapped_column(String(8), default="auto")
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")

    enterprise: Mapped[Enterprise] = relationship(back_populates="segments")


class PlaceGroup(VersionedMixin, TimestampMixin, Base):
    """A saved group of counties (a park's catchment, say), used as a place on the chain map."""

    __tablename__ = "place_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    adcodes: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(String(500), default="")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
