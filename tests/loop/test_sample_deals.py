"""Sample deals (示例数据) happen after the listings they pair were published: recommended,
then each step in order, none after the sample data's day, each reason in Chinese."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.loop.repository import load_sample_deals
from jingjinji.market import MATCH_STAGES
from jingjinji.market.samples import TODAY, load_sample_listings
from jingjinji.store.models import Listing, ListingSegment, Match, MatchEvent


@pytest.mark.db
def test_every_step_of_a_sample_deal_follows_both_publications(db: Session) -> None:
    atlas = load_atlas()
    assert load_sample_listings(db, atlas) > 0
    added = load_sample_deals(db, atlas)
    db.commit()
    published = {lid: at.date() for lid, at in db.execute(select(Listing.id, Listing.published_at))}
    segment_of = dict(db.execute(select(ListingSegment.listing_id, ListingSegment.segment)).all())
    events: dict[int, list[MatchEvent]] = defaultdict(list)
    for event in db.scalars(select(MatchEvent).order_by(MatchEvent.id)):
        events[event.match_id].append(event)
    matches = db.scalars(select(Match)).all()
    assert len(matches) == added > 500
    stages = {m.stage for m in matches}
    assert stages == {*MATCH_STAGES, "已拒绝"}  # every stage still occurs
    years: set[int] = set()
    for match in matches:
        listed = max(published[match.demand_id], published[match.achievement_id])
        recommended = match.created_at.date()
        assert listed <= recommended <= TODAY, match.id
        steps = events[match.id]
        days: list[date] = [event.at.date() for event in steps]
        assert all(listed <= day <= TODAY for day in days), (match.id, listed, days)
        assert days == sorted(days) and len(set(days)) == len(days), days  # in order
        assert all(day > recommended for day in days)
        path = [steps[0].from_stage, *(e.to_stage for e in steps)] if steps else ["推荐"]
        assert path[-1] == match.stage and path[0] == "推荐"
        assert match.updated_at.date() == (days[-1] if days else recommended)
        if match.contract:
            signed = next(e for e in steps if e.to_stage == "签约").at.date()
            assert match.contract["signed_on"] == signed.isoformat()
        reason = match.reasons[0]
        segment = segment_of[match.demand_id]
        assert reason["detail"] == f"同属环节：{atlas.segment(segment).name}", reason
        assert segment not in reason["detail"]  # a name, not a slug
        years.update(day.year for day in days)
    assert years <= {TODAY.year - 1, TODAY.year}  # no deals in years without demands
