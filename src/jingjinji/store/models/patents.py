"""The innovation chain: patents and their segments."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jingjinji.store.base import Base, TimestampMixin

__all__ = ["Patent", "PatentSegment"]


class Patent(TimestampMixin, Base):
    """A patent (application) keyed by its application number (``CN…``).

    ``kind`` is 发明, 实用新型 or 外观设计; ``legal_status`` 有效, 失效 or 审中 (``None`` when the
    export gave none); ``ipc`` holds every IPC symbol between bars (``|H01M8/10|H01M4/86|``),
    the main one first; ``applicants`` the applicants in order, joined by ``；``;
    ``applicant_kind`` the first applicant's kind (university, institute, enterprise,
    individual, other); ``place_adcode`` where the first applicant is (county, or prefecture
    when only the city is known; ``None`` outside 京津冀); ``place_source`` how it was found
    (``address`` or ``registry``); ``provenance`` ``import`` or ``demo`` (示例数据).
    """

    __tablename__ = "patents"
    __table_args__ = (Index("ix_patents_updated_at", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_number: Mapped[str] = mapped_column(String(20), unique=True)
    publication_number: Mapped[str] = mapped_column(String(40), default="")
    title: Mapped[str] = mapped_column(String(500))
    abstract: Mapped[str] = mapped_column(Text, default="")
    filed_on: Mapped[date] = mapped_column(Date)
    published_on: Mapped[date | None] = mapped_column(Date)
    kind: Mapped[str | None] = mapped_column(String(8))
    legal_status: Mapped[str | None] = mapped_column(String(8))
    main_ipc: Mapped[str] = mapped_column(String(20), default="")
    ipc: Mapped[str] = mapped_column(Text, default="")
    applicants: Mapped[str] = mapped_column(Text, default="")
    applicant_kind: Mapped[str] = mapped_column(String(12), default="other")
    owner: Mapped[str] = mapped_column(String(500), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    place_adcode: Mapped[str | None] = mapped_column(String(6), index=True)
    place_source: Mapped[str] = mapped_column(String(10), default="")
    provenance: Mapped[str] = mapped_column(String(20), default="import")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )

    segments: Mapped[list[PatentSegment]] = relationship(
        back_populates="patent", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def ipc_list(self) -> list[str]:
        """The IPC symbols in stored order (the main one first)."""
        return [code for code in self.ipc.split("|") if code]


class PatentSegment(Base):
    """One segment of a patent, with the evidence that put it there: ``source`` is ``ipc``
    (the concordance), ``text`` (the classifier over title and abstract) or ``both``;
    ``evidence`` lists ``{kind, value, basis|field, weight}``."""

    __tablename__ = "patent_segments"
    __table_args__ = (
        UniqueConstraint("patent_id", "segment", name="uq_patent_segments_pair"),
        Index("ix_patent_segments_segment_decision", "segment", "decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patent_id: Mapped[int] = mapped_column(ForeignKey("patents.id", ondelete="CASCADE"), index=True)
    segment: Mapped[str] = mapped_column(String(80))
    industry: Mapped[str] = mapped_column(String(40), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(12))
    source: Mapped[str] = mapped_column(String(8))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    patent: Mapped[Patent] = relationship(back_populates="segments")
