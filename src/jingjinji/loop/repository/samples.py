"""Sample deals (示例数据): matches between sample listings carried through the workflow."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.store.models import (
    Listing,
    ListingSegment,
    Match,
    MatchEvent,
)

SAMPLE_DEALS_SEED = 20_261_127
#: Share of sampled demand–achievement pairs by their stage (the rest stay 推荐).
_SAMPLE_STAGES = (("意向", 0.22), ("洽谈", 0.16), ("签约", 0.12), ("落地", 0.08), ("已拒绝", 0.06))
#: How each step of a sample deal is recorded (意向 by the demand side, accepted by the other).
_SAMPLE_ACTIONS = {"意向": "表达意向", "洽谈": "接受", "已拒绝": "拒绝"}


def load_sample_deals(session: Session, atlas: Atlas) -> int:
    """Sample loader: matches between sample demands and sample achievements sharing a segment
    (Beijing achievements preferred), carried through the workflow with dated events between
    2021 and 2025, fixed seed. They come from 示例数据 listings and are shown as such. Does
    nothing when matches exist or there are no sample listings. Returns matches added."""
    import numpy as np

    from jingjinji.market import DECLINE_REASONS, MATCH_STAGES

    if session.scalar(select(func.count(Match.id))):
        return 0
    rng = np.random.default_rng(SAMPLE_DEALS_SEED)
    demands = session.execute(
        select(Listing.id, ListingSegment.segment)
        .join(ListingSegment, ListingSegment.listing_id == Listing.id)
        .where(
            Listing.kind.in_(("demand", "challenge")),
            Listing.provenance == "demo",
            Listing.status == "published",
        )
        .order_by(Listing.id)
    ).all()
    offers: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for lid, seg, place in session.execute(
        select(Listing.id, ListingSegment.segment, Listing.place_adcode)
        .join(ListingSegment, ListingSegment.listing_id == Listing.id)
        .where(
            Listing.kind == "achievement",
            Listing.provenance == "demo",
            Listing.status == "published",
        )
        .order_by(Listing.id)
    ):
        offers[str(seg)].append((int(lid), str(place or "")))
    if not demands or not offers:
        return 0
    seen: set[tuple[int, int]] = set()
    matches: list[tuple[Match, str, list[date]]] = []  # (match, stage, day of each step)
    for demand_id, segment in demands:
        if rng.random() > 0.35 or not offers.get(segment):
            continue
        pool = offers[segment]
        beijing = [o for o in pool if o[1].startswith("11")]
        choice = beijing if beijing and rng.random() < 0.85 else pool
        offer_id = choice[int(rng.integers(len(choice)))][0]
        if (demand_id, offer_id) in seen:
            continue
        seen.add((demand_id, offer_id))
        draw, stage = rng.random(), "推荐"
        for name, share in _SAMPLE_STAGES:
            if draw < share:
                stage = name
                break
            draw -= share
        start = date(2021, 1, 1).toordinal() + int(rng.integers(0, 365 * 4))
        steps = MATCH_STAGES.index(stage) if stage in MATCH_STAGES else 1
        days = [date.fromordinal(start + int(x)) for x in np.cumsum(rng.integers(20, 160, steps))]
        days = [min(d, date(2025, 12, 31)) for d in days]
        match = Match(
            demand_id=int(demand_id),
            achievement_id=offer_id,
            score=round(float(rng.uniform(0.35, 0.9)), 4),
            reasons=[
                {
                    "factor": "segment",
                    "label": "同一产业环节",
                    "detail": segment,
                    "value": 1.0,
                    "points": 0.3,
                }
            ],
            stage=stage,
            decline_reason=DECLINE_REASONS[int(rng.integers(len(DECLINE_REASONS)))]
            if stage == "已拒绝"
            else None,
        )
        session.add(match)
        matches.append((match, stage, days))
    session.flush()
    ids = {i for m, _, _ in matches for i in (m.demand_id, m.achievement_id)}
    owners = dict(
        session.execute(
            select(Listing.id, Listing.organization_id).where(Listing.id.in_(ids))
        ).all()
    )
    contract_types = ("技术转让", "技术许可", "技术开发", "技术服务", "作价入股")
    for match, stage, days in matches:
        if stage != "推荐":
            match.intent_org_id = owners.get(match.demand_id)
        if stage in ("签约", "落地") and len(days) >= 3:
            match.contract = {
                "type": contract_types[int(rng.integers(len(contract_types)))],
                "amount": round(float(rng.uniform(20, 800)), 1),  # 万元, 示例数据
                "signed_on": days[2].isoformat(),
                "registration_no": "",
            }
    for match, stage, days in matches:
        path = (
            list(MATCH_STAGES[: MATCH_STAGES.index(stage) + 1])
            if stage in MATCH_STAGES
            else ["推荐", "已拒绝"]
        )
        for (before, after), day in zip(itertools.pairwise(path), days, strict=False):
            at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
            reason = match.decline_reason if after == "已拒绝" else None
            session.add(
                MatchEvent(
                    match_id=match.id,
                    at=at,
                    actor="示例数据",
                    from_stage=before,
                    to_stage=after,
                    reason=reason,
                    action=_SAMPLE_ACTIONS.get(after, "确认"),
                )
            )
        if days:
            last = days[-1]
            match.updated_at = datetime(last.year, last.month, last.day, 10, tzinfo=UTC)
    session.flush()
    return len(matches)
