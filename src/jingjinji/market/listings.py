"""Listings: vocabularies, completeness, visibility, segment tagging and suggestions."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, true

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.matching import MATURITY_STAGES
from jingjinji.store.models import Listing, ListingSegment, User

__all__ = [
    "ACHIEVEMENT_TYPES",
    "CHALLENGE_STAGES",
    "KIND_LABELS",
    "MATURITY_STAGES",
    "REQUIRED_FIELDS",
    "STATUS_LABELS",
    "TRANSACTION_MODES",
    "Completeness",
    "MarketError",
    "MarketNotFound",
    "can_see",
    "completeness",
    "contact_visible",
    "is_expired",
    "place_or_error",
    "set_segments",
    "suggest_segments",
    "visible_clause",
]

KIND_LABELS: dict[str, str] = {
    "achievement": "科技成果",
    "demand": "技术需求",
    "challenge": "揭榜挂帅",
    "instrument": "仪器共享",
}
STATUS_LABELS: dict[str, str] = {"draft": "草稿", "published": "已发布", "closed": "已关闭"}
ACHIEVEMENT_TYPES: tuple[str, ...] = (
    "专利",
    "软件著作权",
    "新品种",
    "新工艺",
    "新产品",
    "技术秘密",
)
TRANSACTION_MODES: tuple[str, ...] = ("转让", "许可", "作价入股", "合作开发", "先使用后付费")
CHALLENGE_STAGES: tuple[str, ...] = ("发榜", "揭榜", "评审", "立项", "验收")

#: Per kind, the fields a listing industry can act on needs, with their Chinese labels.
REQUIRED_FIELDS: dict[str, dict[str, str]] = {
    "achievement": {
        "title": "成果名称",
        "summary": "成果简介",
        "place_adcode": "所在地",
        "segments": "产业环节",
        "keywords": "关键词",
        "stage": "成熟度",
        "achievement_type": "成果类型",
        "transaction_modes": "交易方式",
        "price_min": "价格",
        "problem": "解决的问题",
        "advantage": "相对现有方案的优势",
        "economics": "经济性对比",
        "commercial_route": "商业化路径",
        "contact": "联系方式",
        "valid_until": "有效期",
    },
    "demand": {
        "title": "需求名称",
        "summary": "需求描述",
        "place_adcode": "所在地",
        "segments": "产业环节",
        "keywords": "关键词",
        "stage": "所需成熟度",
        "budget": "预算",
        "deadline": "期望完成时间",
        "current_solution": "现有解决方案",
        "target_indicators": "目标指标",
        "contact": "联系方式",
        "valid_until": "有效期",
    },
    "challenge": {
        "title": "榜单名称",
        "summary": "攻关内容",
        "place_adcode": "所在地",
        "segments": "产业环节",
        "keywords": "关键词",
        "reward": "榜额（奖励）",
        "conditions": "揭榜条件",
        "target_indicators": "目标指标",
        "deadline": "揭榜截止日期",
        "contact": "联系方式",
        "valid_until": "有效期",
    },
    "instrument": {
        "title": "仪器名称",
        "summary": "仪器说明",
        "place_adcode": "所在地",
        "instrument_category": "仪器类别",
        "price_per_hour": "每小时价格",
        "contact": "预约联系方式",
        "valid_until": "有效期",
    },
}

#: Fields without which a listing cannot be published.
PUBLISH_MINIMUM = ("title", "summary", "place_adcode")


class MarketError(ValueError):
    """A refused market operation, naming the field, in English (logs) and Chinese (UI)."""

    def __init__(self, field: str, message: str, message_zh: str, *, status: int = 422) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message_zh, self.status = field, message_zh, status


class MarketNotFound(MarketError):
    """A record that does not exist or that the caller may not see (status 404); unlike other
    refusals it names no field to the user, so that it does not tell the two cases apart."""

    def __init__(self, field: str, message: str, message_zh: str) -> None:
        super().__init__(field, message, message_zh, status=404)


@dataclass(frozen=True)
class Completeness:
    """Share of the kind's fields filled in (0–100) and the labels of the missing ones."""

    score: int
    missing: list[str]


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple | set | dict):
        return bool(value)
    return True


def completeness(kind: str, values: dict[str, Any]) -> Completeness:
    """Completeness of a listing of ``kind`` given its field ``values``.

    >>> completeness("instrument", {"title": "扫描电镜", "summary": "场发射", "contact": "x"}).score
    43
    """
    fields = REQUIRED_FIELDS.get(kind, {})
    missing = [label for name, label in fields.items() if not _filled(values.get(name))]
    score = round(100 * (len(fields) - len(missing)) / len(fields)) if fields else 0
    return Completeness(score=score, missing=missing)


def is_expired(listing: Listing, today: date | None = None) -> bool:
    """Whether the listing's validity period has ended."""
    return listing.valid_until is not None and listing.valid_until < (today or date.today())


def can_see(listing: Listing, user: User | None, today: date | None = None) -> bool:
    """Anyone sees published, unexpired listings; the owning organization, analysts and
    admins also see drafts, closed and expired ones."""
    if listing.status == "published" and not is_expired(listing, today):
        return True
    if user is None:
        return False
    return user.role in ("admin", "analyst") or listing.organization_id == user.organization_id


def visible_clause(user: User | None, today: date) -> ColumnElement[bool]:
    """SQL condition equivalent to :func:`can_see`."""
    # COALESCE rather than "IS NULL OR >=": the planner then reads ix_listings_published (a
    # covering index) instead of combining two range scans of valid_until with the table.
    public = and_(
        Listing.status == "published",
        func.coalesce(Listing.valid_until, date.max) >= today,
    )
    if user is None:
        return public
    if user.role in ("admin", "analyst"):
        return true()
    return or_(public, Listing.organization_id == user.organization_id)


def contact_visible(listing: Listing, user: User | None, revealed_to: Collection[int] = ()) -> bool:
    """Contacts are shown when public, to the owners, analysts and admins, and to the
    organizations in ``revealed_to`` (the other side of a deal at 洽谈 or later, see
    :func:`jingjinji.market.revealed_contacts`)."""
    if listing.contact_public:
        return True
    if user is None:
        return False
    if user.organization_id in revealed_to:
        return True
    return user.role in ("admin", "analyst") or listing.organization_id == user.organization_id


def set_segments(listing: Listing, slugs: list[str], atlas: Atlas) -> None:
    """Tag ``listing`` with atlas segments (unknown slugs raise :class:`MarketError`)."""
    industries: list[str] = []
    rows: list[ListingSegment] = []
    for slug in dict.fromkeys(slugs):
        try:
            industry = atlas.industry_of(slug).slug
        except AtlasLookupError as exc:
            raise MarketError(
                "segments", f"unknown segment {slug!r}", f"产业环节“{slug}”不存在"
            ) from exc
        rows.append(ListingSegment(segment=slug, industry=industry))
        if industry not in industries:
            industries.append(industry)
    listing.segments = [row.segment for row in rows]
    listing.industries = industries
    listing.segment_rows = rows


def suggest_segments(text: str, atlas: Atlas, *, limit: int = 3) -> list[dict[str, Any]]:
    """Segments suggested for a listing's text by :func:`jingjinji.chains.classify_text`
    (confirmed and uncertain ones, best first), each with its evidence."""
    from jingjinji.chains import classify_text

    found = classify_text(text, atlas)
    return [match.as_dict() for match in found[:limit]]


def place_or_error(atlas: Atlas, adcode: str | None) -> str | None:
    """``adcode`` checked against the atlas."""
    if adcode is None:
        return None
    try:
        return atlas.place(adcode).adcode
    except AtlasLookupError as exc:
        raise MarketError(
            "place_adcode", f"unknown place {adcode!r}", f"地点“{adcode}”不存在"
        ) from exc
