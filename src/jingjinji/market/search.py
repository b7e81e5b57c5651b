"""Finding listings: the listing of an id the caller may see, searches with filters and text
ranking, a page of listings newest first, and the names of the organizations behind them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.market.index import MarketIndex
from jingjinji.market.listings import KIND_LABELS, MarketNotFound, can_see, visible_clause
from jingjinji.store.models import Listing, ListingSegment, Organization, User

__all__ = [
    "MAX_ROW_ID",
    "Owned",
    "newest_first",
    "organization_names",
    "row_by_id",
    "search_listings",
    "visible_listing",
]

#: The largest id an INTEGER column holds on every supported database (PostgreSQL int4).
MAX_ROW_ID = 2**31 - 1

Row = TypeVar("Row")


class Owned(Protocol):
    """A row belonging to an organization (a listing, a challenge application, …)."""

    @property
    def organization_id(self) -> int: ...


def row_by_id(session: Session, model: type[Row], row_id: int) -> Row | None:
    """The ``model`` row with ``row_id``; ``None`` when there is none, also for ids outside
    the INTEGER range (which PostgreSQL would refuse to compare)."""
    return session.get(model, row_id) if 1 <= row_id <= MAX_ROW_ID else None


def visible_listing(session: Session, listing_id: int, user: User | None) -> Listing:
    """The listing, or :class:`MarketNotFound` when it does not exist or ``user`` may not
    see it (see :func:`jingjinji.market.can_see`)."""
    listing = row_by_id(session, Listing, listing_id)
    if listing is None or not can_see(listing, user):
        raise MarketNotFound(
            "listing_id", f"no visible listing {listing_id}", "供需信息不存在或未公开"
        )
    return listing


def organization_names(session: Session, rows: Iterable[Owned]) -> dict[int, str]:
    """The names of the organizations ``rows`` belong to, by organization id (one query)."""
    ids = {row.organization_id for row in rows}
    if not ids:
        return {}
    rows = session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    )
    return {int(i): str(n) for i, n in rows.all()}


def _count(session: Session, where: Sequence[ColumnElement[bool]]) -> int:
    return int(session.scalar(select(func.count(Listing.id)).where(*where)) or 0)


def newest_first(
    session: Session, where: Sequence[ColumnElement[bool]], *, limit: int, offset: int
) -> tuple[list[Listing], int]:
    """One page of the listings meeting ``where``, newest published first, and their total."""
    total = _count(session, where)
    query = (
        select(Listing)
        .where(*where)
        .order_by(Listing.published_at.desc().nulls_last(), Listing.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(query).all()), total


def _place_codes(atlas: Atlas, place: str) -> list[str]:
    try:
        return [place] + [p.adcode for p in atlas.descendants(place)]
    except AtlasLookupError:
        return [place]


_RANKED = 1000
"""The most listings a text search ranks (the best 500 BM25 hits per kind plus title hits)."""


def search_listings(
    session: Session,
    index: MarketIndex,
    *,
    user: User | None,
    atlas: Atlas,
    kind: str | None = None,
    place: str | None = None,
    industry: str | None = None,
    segment: str | None = None,
    stage: str | None = None,
    status: str | None = None,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Listing], int]:
    """The listings ``user`` may see that match the filters (a place includes the places
    within it), one page of them and their total. ``q`` ranks by BM25 in ``index``
    (published listings) and also finds the caller's drafts by title; without ``q`` the
    newest come first and ``index`` is not used."""
    where: list[ColumnElement[bool]] = [visible_clause(user, date.today())]
    if kind:
        where.append(Listing.kind == kind)
    if place:
        where.append(Listing.place_adcode.in_(_place_codes(atlas, place)))
    if industry:
        sub = select(ListingSegment.listing_id).where(ListingSegment.industry == industry)
        where.append(Listing.id.in_(sub))
    if segment:
        sub = select(ListingSegment.listing_id).where(ListingSegment.segment == segment)
        where.append(Listing.id.in_(sub))
    if stage:
        where.append(Listing.stage == stage)
    if status:
        where.append(Listing.status == status)
    if not (q and q.strip()):
        return newest_first(session, where, limit=limit, offset=offset)
    hits = index.ensure(session).search(q, kinds=(kind,) if kind else tuple(KIND_LABELS), k=500)
    rank = {key: i for i, (key, _score) in enumerate(hits)}
    # Titles containing the query: ids from a scan of the narrow title index, not the table.
    titled = Listing.id.in_(
        select(Listing.id).where(Listing.title.contains(q.strip()[:100], autoescape=True))
    )
    if not rank:
        return newest_first(session, [*where, titled], limit=limit, offset=offset)
    # The ranked ids that meet the filters, and the titled ones, in two queries (one query
    # with "id IN ranked OR title LIKE" read the whole table); then load only the page's rows
    # (loading 1,000 full rows to show 20 cost most of a search). Without filters beyond the
    # kind every ranked listing is one the caller may see (the index holds the published,
    # unexpired ones): no query with up to 2,000 ids; the page's rows are loaded under the
    # same conditions, so a listing withdrawn since the index last caught up is not shown.
    filtered = any((place, industry, segment, stage, status))
    ids = (
        list(session.scalars(select(Listing.id).where(*where, Listing.id.in_(list(rank)))))
        if filtered
        else list(rank)
    )
    found = set(ids)
    by_title = select(Listing.id).where(*where, titled)
    titled_ids = session.scalars(by_title.limit(_RANKED + len(found))).all()
    ids += [key for key in titled_ids if key not in found]
    if len(titled_ids) < _RANKED + len(found):
        total = len(ids)
    else:  # more titles than are ranked: count them all
        ranked_untitled = select(Listing.id).where(*where, Listing.id.in_(found), ~titled)
        total = _count(session, [*where, titled]) + len(session.scalars(ranked_untitled).all())
    ids.sort(key=lambda key: (rank.get(key, len(rank)), -key))
    page = ids[offset : offset + limit]
    loaded = session.scalars(select(Listing).where(*where, Listing.id.in_(page)))
    rows = {row.id: row for row in loaded}
    return [rows[key] for key in page if key in rows], total
