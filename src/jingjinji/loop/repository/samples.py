"""Sample deals (示例数据): matches between sample listings carried through the workflow."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

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
#: The fewest days a step takes when a deal's steps are squeezed into the time it has.
_SHORTEST_STEP = 15


def _day(at: datetime | None) -> date | None:
    return at.date() if at is not None else None


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def load_sample_deals(session: Session, atlas: Atlas) -> int:
    """Sample loader: matches between sample demands and sample achievements sharing a segment
    (Beijing achievements preferred), carried through the workflow, fixed seed. They come
    from 示例数据 listings and are shown as such. A deal is dated after both listings were
    published: recommended within two weeks of the later publication, then each step 20–160
    days after the one before (squeezed, no less than 15 days a step, when that would pass
    the sample data's day, ``jingjinji.market.samples.TODAY``); a pair without the time for
    its steps stops at the last step that fits, or stays 推荐. Does nothing when matches
    exist or there are no sample listings. Returns matches added."""
    import numpy as np

    from jingjinji.market import DECLINE_REASONS, MATCH_STAGES
    from jingjinji.market.samples import TODAY

    if session.scalar(select(func.count(Match.id))):
        return 0
    rng = np.random.default_rng(SAMPLE_DEALS_SEED)
    demands = session.execute(
        select(Listing.id, ListingSegment.segment, Listing.published_at)
        .join(ListingSegment, ListingSegment.listing_id == Listing.id)
        .where(
            Listing.kind.in_(("demand", "challenge")),
            Listing.provenance == "demo",
            Listing.status == "published",
        )
        .order_by(Listing.id)
    ).all()
    offers: dict[str, list[tuple[int, str, date | None]]] = defaultdict(list)
    for lid, seg, place, published in session.execute(
        select(Listing.id, ListingSegment.segment, Listing.place_adcode, Listing.published_at)
        .join(ListingSegment, ListingSegment.listing_id == Listing.id)
        .where(
            Listing.kind == "achievement",
            Listing.provenance == "demo",
            Listing.status == "published",
        )
        .order_by(Listing.id)
    ):
        offers[str(seg)].append((int(lid), str(place or ""), _day(published)))
    if not demands or not offers:
        return 0
    seen: set[tuple[int, int]] = set()
    matches: list[tuple[Match, str, list[date]]] = []  # (match, stage, day of each step)
    for demand_id, segment, demand_published in demands:
        if rng.random() > 0.35 or not offers.get(segment):
            continue
        pool = offers[segment]
        beijing = [o for o in pool if o[1].startswith("11")]
        choice = beijing if beijing and rng.random() < 0.85 else pool
        offer_id, _, offer_published = choice[int(rng.integers(len(choice)))]
        if (demand_id, offer_id) in seen:
            continue
        seen.add((demand_id, offer_id))
        draw, stage = rng.random(), "推荐"
        for name, share in _SAMPLE_STAGES:
            if draw < share:
                stage = name
                break
            draw -= share
        both = [d for d in (_day(demand_published), offer_published) if d is not None]
        listed = max(both) if len(both) == 2 else None
        if listed is None or listed > TODAY:
            continue  # no publication day to date it after
        recommended = min(listed + timedelta(days=int(rng.integers(0, 15))), TODAY)
        path = (
            list(MATCH_STAGES[: MATCH_STAGES.index(stage) + 1])
            if stage in MATCH_STAGES
            else ["推荐", "已拒绝"]
        )
        gaps = rng.integers(20, 160, len(path) - 1)
        room = (TODAY - recommended).days
        while len(path) > 1 and room < _SHORTEST_STEP * (len(path) - 1):
            path.pop()  # not the time for this step: the deal is still at the one before
        stage, gaps = path[-1], gaps[: len(path) - 1]
        if gaps.sum() > room:  # squeezed into the time there is, each step at least 15 days
            spare = room - _SHORTEST_STEP * len(gaps)
            gaps = _SHORTEST_STEP + (gaps - _SHORTEST_STEP) * spare // (gaps - _SHORTEST_STEP).sum()
        days = [recommended + timedelta(days=int(x)) for x in np.cumsum(gaps)]
        match = Match(
            demand_id=int(demand_id),
            achievement_id=offer_id,
            score=round(float(rng.uniform(0.35, 0.9)), 4),
            reasons=[
                {
                    "factor": "segment",
                    "label": "产业环节",  # as the matcher words it (matching.scoring)
                    "detail": f"同属环节：{atlas.segment(segment).name}",
                    "value": 1.0,
                    "points": 0.3,
                }
            ],
            stage=stage,
            decline_reason=DECLINE_REASONS[int(rng.integers(len(DECLINE_REASONS)))]
            if stage == "已拒绝"
            else None,
            created_at=_at(recommended, 9),  # the recommendation; updated_at after the flush
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
        match.updated_at = _at(days[-1], 10) if days else match.created_at
    for match, stage, days in matches:
        path = (
            list(MATCH_STAGES[: MATCH_STAGES.index(stage) + 1])
            if stage in MATCH_STAGES
            else ["推荐", "已拒绝"]
        )
        for (before, after), day in zip(itertools.pairwise(path), days, strict=True):
            session.add(
                MatchEvent(
                    match_id=match.id,
                    at=_at(day, 10),
                    actor="示例数据",
                    from_stage=before,
                    to_stage=after,
                    reason=match.decline_reason if after == "已拒绝" else None,
                    action=_SAMPLE_ACTIONS.get(after, "确认"),
                )
            )
    session.flush()
    return len(matches)
