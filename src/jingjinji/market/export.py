"""Listings and matches as tables (Chinese headers) that a spreadsheet opens and that import
back: a listing table uses the headers of its kind's import template, so exporting and
importing again changes nothing (the listing is found again by kind, owner and title)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from jingjinji.atlas import Atlas
from jingjinji.market.importing import COLUMNS, EXPORT_COLUMNS
from jingjinji.market.listings import KIND_LABELS, contact_visible
from jingjinji.market.template import listing_template
from jingjinji.projects.places import atlas_name
from jingjinji.store.models import Listing, Match, User

__all__ = ["SHEETS", "listing_table", "match_table"]
_STATUS = {"draft": "草稿", "published": "已发布", "closed": "已关闭"}
_PROVENANCE = {"demo": "示例数据", "import": "导入", "user": "录入"}

Table = tuple[list[str], list[list[Any]]]


def _place(atlas: Atlas, adcode: str | None) -> str:
    return atlas_name(atlas, "place", adcode) if adcode else ""


def _cell(listing: Listing, field: str, atlas: Atlas, user: User | None) -> Any:
    if field == "place":
        return _place(atlas, listing.place_adcode)
    if field == "segments":
        return "、".join(atlas_name(atlas, "segment", slug) for slug in listing.segments or [])
    if field == "contact":
        return listing.contact if contact_visible(listing, user) else ""
    value = getattr(listing, field, None)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def listing_table(
    listings: Sequence[Listing],
    kind: str,
    atlas: Atlas,
    *,
    user: User | None,
    organizations: dict[int, str],
) -> Table:
    """Header and rows of ``listings`` of one ``kind``: 编号, the template's columns, 单位,
    状态 and 数据性质 (示例数据 for sample rows); contacts only where ``user`` may see them."""
    columns, _example = listing_template(kind)
    headers = [column.header for column in columns]
    fields = [COLUMNS[header] for header in headers]
    rows = [
        [
            listing.id,
            *(_cell(listing, field, atlas, user) for field in fields),
            organizations.get(listing.organization_id, ""),
            _STATUS.get(listing.status, listing.status),
            _PROVENANCE.get(listing.provenance, listing.provenance),
        ]
        for listing in listings
        if listing.kind == kind
    ]
    first, *last = EXPORT_COLUMNS  # 编号 first, 状态 and 数据性质 last
    return [first, *headers, "单位", *last], rows


def match_table(
    matches: Sequence[tuple[Match, Listing, Listing]],
    atlas: Atlas,
    *,
    organizations: dict[int, str],
) -> Table:
    """Header and rows of matches (match, demand, achievement): stage, score, both sides with
    their place and organization, and whether sample data is involved."""
    header = [
        "对接编号",
        "阶段",
        "匹配得分",
        "需求编号",
        "需求",
        "需求所在地",
        "需求单位",
        "成果编号",
        "成果",
        "成果所在地",
        "成果单位",
        "更新时间",
        "数据性质",
    ]
    rows = [
        [
            match.id,
            match.stage,
            round(float(match.score), 4),
            demand.id,
            demand.title,
            _place(atlas, demand.place_adcode),
            organizations.get(demand.organization_id, ""),
            offer.id,
            offer.title,
            _place(atlas, offer.place_adcode),
            organizations.get(offer.organization_id, ""),
            match.updated_at.date().isoformat() if match.updated_at else "",
            "示例数据" if "demo" in (demand.provenance, offer.provenance) else "",
        ]
        for match, demand, offer in matches
    ]
    return header, rows


#: Sheet name of a listing export by kind.
SHEETS = {kind: f"{label}清单" for kind, label in KIND_LABELS.items()}
