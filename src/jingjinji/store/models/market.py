"""Supply–demand market: listings, their segments, matches with their history, challenge
applications and milestones (揭榜挂帅), follows (关注) and inbox items."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jingjinji.store.base import Base, TimestampMixin, VersionedMixin, utcnow

__all__ = [
    "ChallengeApplication",
    "ChallengeEvent",
    "ConfidentialityAcceptance",
    "DealMilestone",
    "Follow",
    "InboxItem",
    "Listing",
    "ListingSegment",
    "Match",
    "MatchEvent",
    "Milestone",
]


_PUBLISHED_COLUMNS = (
    "status",
    "published_at",
    "id",
    "valid_until",
    "kind",
    "place_adcode",
    "organization_id",
)
"""Columns of the index that covers the visible-listings count and the newest-first page."""


class Listing(VersionedMixin, TimestampMixin, Base):
    """An achievement, demand, challenge call or shareable instrument, owned by an organization.

    Amounts are in 万元 except ``price_per_hour`` (元 per hour). ``stage`` is the maturity of an
    achievement, or the least maturity a demand or challenge needs. ``provenance`` is ``user``,
    ``import`` or ``demo`` (generated sample data, shown as 示例数据).
    """

    __tablename__ = "listings"
    __table_args__ = (
        Index("ix_listings_kind_status", "kind", "status"),
        Index("ix_listings_updated_at", "updated_at"),
        Index("ix_listings_title", "title"),
        Index("ix_listings_published", *_PUBLISHED_COLUMNS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    place_adcode: Mapped[str | None] = mapped_column(String(6), index=True)
    segments: Mapped[list[str]] = mapped_column(JSON, default=list)
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    stage: Mapped[str | None] = mapped_column(String(8))
    achievement_type: Mapped[str | None] = mapped_column(String(20))
    patent_numbers: Mapped[list[str]] = mapped_column(JSON, default=list)
    transaction_modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    price_min: Mapped[float | None] = mapped_column(Float)
    price_max: Mapped[float | None] = mapped_column(Float)
    budget: Mapped[float | None] = mapped_column(Float)
    reward: Mapped[float | None] = mapped_column(Float)
    price_per_hour: Mapped[float | None] = mapped_column(Float)
    instrument_category: Mapped[str | None] = mapped_column(String(50))
    problem: Mapped[str] = mapped_column(Text, default="")
    advantage: Mapped[str] = mapped_column(Text, default="")
    economics: Mapped[str] = mapped_column(Text, default="")
    commercial_route: Mapped[str] = mapped_column(Text, default="")
    current_solution: Mapped[str] = mapped_column(Text, default="")
    target_indicators: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    challenge_stage: Mapped[str | None] = mapped_column(String(8))
    deadline: Mapped[date | None] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    contact: Mapped[str] = mapped_column(String(200), default="")
    contact_public: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Details (技术参数, 专利全文, 价格) shown only after the confidentiality agreement.
    confidential: Mapped[str] = mapped_column(Text, default="")
    provenance: Mapped[str] = mapped_column(String(16), default="user")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    #: The segments as rows, for queries by segment; written by ``set_segments``. Loaded only
    #: when touched: readers use ``segments`` (a second query per page of listings was a
    #: sixth of the server's time under load).
    segment_rows: Mapped[list[ListingSegment]] = relationship(cascade="all, delete-orphan")


class ListingSegment(Base):
    """One atlas segment a listing is tagged with (kept in a table for portable filtering)."""

    __tablename__ = "listing_segments"

    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), primary_key=True
    )
    segment: Mapped[str] = mapped_column(String(64), primary_key=True)
    industry: Mapped[str] = mapped_column(String(64), index=True)


class Match(VersionedMixin, TimestampMixin, Base):
    """A demand (or challenge call) paired with an achievement, carried 推荐 → 落地."""

    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("demand_id", "achievement_id"),
        Index("ix_matches_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    demand_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    achievement_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    stage: Mapped[str] = mapped_column(String(8), default="推荐", index=True)
    decline_reason: Mapped[str | None] = mapped_column(String(16))
    decline_note: Mapped[str] = mapped_column(String(500), default="")
    #: The organization that expressed 意向 (the other side accepts it as 洽谈).
    intent_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    #: A proposed next stage (签约, 落地) awaiting the other side's confirmation.
    pending_stage: Mapped[str | None] = mapped_column(String(8))
    pending_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    pending_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    pending_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: Contract terms proposed with 签约, in force once confirmed (type, amount 万元, date …).
    pending_contract: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    contract: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    declined_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))


class MatchEvent(Base):
    """One transition of a match: who moved it from which stage to which, when and why."""

    __tablename__ = "match_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(64))
    from_stage: Mapped[str] = mapped_column(String(8))
    to_stage: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(String(500), default="")
    #: The side that acted and how: 表达意向, 接受, 提议, 确认, 拒绝.
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    action: Mapped[str] = mapped_column(String(8), default="")
    #: An admin acting for an organization states why (also in the audit log).
    on_behalf_reason: Mapped[str] = mapped_column(String(300), default="")


class DealMilestone(VersionedMixin, TimestampMixin, Base):
    """A milestone or payment of a signed deal, planned and actual (both sides record)."""

    __tablename__ = "deal_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8), default="里程碑")
    title: Mapped[str] = mapped_column(String(200))
    planned_on: Mapped[date | None] = mapped_column(Date)
    planned_amount: Mapped[float | None] = mapped_column(Float)
    actual_on: Mapped[date | None] = mapped_column(Date)
    actual_amount: Mapped[float | None] = mapped_column(Float)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))


class ConfidentialityAcceptance(Base):
    """An organization accepted a listing's confidentiality agreement (once per counterpart)."""

    __tablename__ = "confidentiality_acceptances"
    __table_args__ = (UniqueConstraint("listing_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChallengeApplication(VersionedMixin, TimestampMixin, Base):
    """An organization's application (揭榜) to a challenge call."""

    __tablename__ = "challenge_applications"
    __table_args__ = (UniqueConstraint("challenge_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    plan: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="已提交")
    applicant: Mapped[str] = mapped_column(String(64), default="")
    reward_paid: Mapped[float | None] = mapped_column(Float)


class Milestone(VersionedMixin, TimestampMixin, Base):
    """A milestone of an approved challenge application (立项 → 验收)."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("challenge_applications.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="待完成")
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by: Mapped[str | None] = mapped_column(String(64))


class ChallengeEvent(Base):
    """One step of a challenge call's cycle 发榜 → 揭榜 → 评审 → 立项 → 验收: who moved it,
    when, the selected application (立项) and the reward paid (验收)."""

    __tablename__ = "challenge_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(64))
    from_stage: Mapped[str] = mapped_column(String(8))
    to_stage: Mapped[str] = mapped_column(String(8))
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenge_applications.id", ondelete="SET NULL")
    )
    reward_paid: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(500), default="")


class Follow(Base):
    """A user follows (关注) a segment, a place or a listing."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "target_kind", "target"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InboxItem(Base):
    """A notice in a user's inbox: a newly published listing that matches a follow
    (``kind`` 关注), or a step of a deal the user's organization is party to (对接, with
    ``match_id``)."""

    __tablename__ = "inbox_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(8), default="关注")
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
