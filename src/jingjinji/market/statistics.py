"""Platform statistics over time: listings by kind, place and segment; matching and signing
rates by month or year.

Rates (per period of publication of the demand side, a demand or a challenge call):

    matching rate = |{d published in the period : some match of d reached 意向 or later}| / |D|
    signing rate  = |{d published in the period : some match of d reached 签约 or later}| / |D|

where ``D`` is the set of published demands of the period and the stages are those of
:data:`jingjinji.market.matches.MATCH_STAGES`; a declined match counts for neither. These are
the platform-level conversion rates the strategy asks for (precise matching measured by what
is accepted and signed, not by what is listed). The reading is cohort-wise: a demand counts in
the period it was published, whenever its match advanced.

The pure functions (:func:`period_key`, :func:`cohort_rates`) take plain values; the query
function collects them with portable SQL (grouping by period is done in Python, so no
database-specific date functions are needed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.market.listings import KIND_LABELS
from jingjinji.market.matches import MATCH_STAGES
from jingjinji.store.models import Listing, ListingSegment, Match

__all__ = ["cohort_rates", "market_trends", "period_key"]

PERIODS = ("month", "year")


def period_key(moment: date | datetime, period: str) -> str:
    """``YYYY-MM`` or ``YYYY`` of ``moment``.

    >>> period_key(date(2026, 3, 9), "month"), period_key(date(2026, 3, 9), "year")
    ('2026-03', '2026')
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    return f"{moment.year:04d}" if period == "year" else f"{moment.year:04d}-{moment.month:02d}"


def cohort_rates(
    demands: Iterable[tuple[str, int]], *, matched_from: int = 1, signed_from: int = 3
) -> dict[str, tuple[int, float, float]]:
    """Per period: (number of demands, matching rate, signing rate) from ``(period, best)``
    pairs, ``best`` being the index in :data:`MATCH_STAGES` of the furthest stage any match of
    the demand reached (``-1`` for none). Rates are rounded to 4 decimals.

    >>> cohort_rates([("2026-01", -1), ("2026-01", 1), ("2026-01", 3), ("2026-02", 0)])
    {'2026-01': (3, 0.6667, 0.3333), '2026-02': (1, 0.0, 0.0)}
    """
    totals: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    signed: Counter[str] = Counter()
    for key, best in demands:
        totals[key] += 1
        matched[key] += best >= matched_from
        signed[key] += best >= signed_from
    return {
        key: (n, round(matched[key] / n, 4), round(signed[key] / n, 4))
        for key, n in sorted(totals.items())
    }


def market_trends(session: Session, atlas: Atlas, *, period: str = "month") -> dict[str, Any]:
    """Published listings per period and kind, demand cohorts' matching and signing rates,
    listings by prefecture-level place and by segment (top 15), and whether sample data is
    included (``is_sample``)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    rows = session.execute(
        select(Listing.id, Listing.kind, Listing.published_at, Listing.place_adcode)
        .where(Listing.status == "published")
        .order_by(Listing.id)
    ).all()
    is_sample = bool(
        session.scalar(
            select(func.count(Listing.id)).where(
                Listing.status == "published", Listing.provenance == "demo"
            )
        )
    )
    ranks = {stage: i for i, stage in enumerate(MATCH_STAGES)}
    best: dict[int, int] = {}
    for demand_id, stage in session.execute(
        select(Match.demand_id, Match.stage).where(Match.stage.in_(MATCH_STAGES))
    ):
        best[demand_id] = max(best.get(demand_id, -1), ranks[stage])
    published: dict[str, Counter[str]] = {kind: Counter() for kind in KIND_LABELS}
    cohorts: list[tuple[str, int]] = []
    places: Counter[str] = Counter()
    for row in rows:
        if row.place_adcode:
            places[_unit(atlas, row.place_adcode)] += 1
        if row.published_at is None:
            continue
        key = period_key(row.published_at, period)
        published.setdefault(row.kind, Counter())[key] += 1
        if row.kind in ("demand", "challenge"):
            cohorts.append((key, best.get(row.id, -1)))
    for unit in atlas.prefecture_units():  # all 14 units, 雄安新区 too, with 0 where none
        places.setdefault(unit.adcode, 0)
    periods = sorted({key for counts in published.values() for key in counts})
    rates = cohort_rates(cohorts)
    segments = session.execute(
        select(ListingSegment.segment, func.count(ListingSegment.listing_id))
        .join(Listing, Listing.id == ListingSegment.listing_id)
        .where(Listing.status == "published")
        .group_by(ListingSegment.segment)
        .order_by(func.count(ListingSegment.listing_id).desc(), ListingSegment.segment)
        .limit(15)
    ).all()
    return {
        "period": period,
        "periods": periods,
        "published": {
            kind: [counts.get(p, 0) for p in periods] for kind, counts in published.items()
        },
        "demands": [rates.get(p, (0, 0.0, 0.0))[0] for p in periods],
        "matching_rates": [rates.get(p, (0, 0.0, 0.0))[1] for p in periods],
        "signing_rates": [rates.get(p, (0, 0.0, 0.0))[2] for p in periods],
        "by_place": [
            {"adcode": code, "name": _name(atlas, code), "count": n}
            for code, n in places.most_common()
        ],
        "by_segment": [
            {"slug": slug, "name": _segment_name(atlas, slug), "count": int(n)}
            for slug, n in segments
        ],
        "is_sample": is_sample,
    }


def _unit(atlas: Atlas, adcode: str) -> str:
    try:
        unit = atlas.prefecture_unit_of(adcode)
    except AtlasLookupError:
        return adcode
    return unit.adcode if unit is not None else adcode


def _name(atlas: Atlas, adcode: str) -> str:
    try:
        return atlas.place(adcode).name
    except AtlasLookupError:
        return adcode


def _segment_name(atlas: Atlas, slug: str) -> str:
    try:
        return atlas.segment(slug).name
    except AtlasLookupError:
        return slug
