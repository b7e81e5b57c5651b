"""Outcomes as judgements: what the parties did with their matches, as relevance labels.

A demand's (or challenge's) match that a party moved past 推荐 (意向, 洽谈, 签约, 落地) marks
that achievement relevant to it; a match declined with a structured reason marks it not
relevant. A demand with at least one relevant achievement becomes a query of
:func:`jingjinji.matching.evaluate_demands`, ranked against the live index.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.market.index import listing_profile, listing_text
from jingjinji.market.matches import DECLINED
from jingjinji.matching import EvalDemand
from jingjinji.store.models import Listing, Match

__all__ = ["ACCEPTED_STAGES", "Judgements", "recorded_judgements"]

#: Stages a match reaches only when a party accepted it.
ACCEPTED_STAGES: tuple[str, ...] = ("意向", "洽谈", "签约", "落地")


@dataclass(frozen=True)
class Judgements:
    """The queries made of the recorded outcomes, and how many pairs of each kind."""

    demands: tuple[EvalDemand, ...]
    accepted: int
    declined: int
    includes_sample: bool


def recorded_judgements(session: Session) -> Judgements:
    """The demands with accepted matches as queries (relevant: the accepted achievements);
    ``declined`` counts the pairs declined (judged not relevant)."""
    accepted: dict[int, set[int]] = defaultdict(set)
    declined = 0
    for demand_id, achievement_id, stage in session.execute(
        select(Match.demand_id, Match.achievement_id, Match.stage)
    ):
        if stage in ACCEPTED_STAGES:
            accepted[int(demand_id)].add(int(achievement_id))
        elif stage == DECLINED:
            declined += 1
    rows = (
        session.scalars(select(Listing).where(Listing.id.in_(list(accepted)))).all()
        if accepted
        else []
    )
    demands = tuple(
        EvalDemand(listing_profile(row), listing_text(row), frozenset(accepted[row.id]))
        for row in sorted(rows, key=lambda row: row.id)
    )
    return Judgements(
        demands=demands,
        accepted=sum(len(ids) for ids in accepted.values()),
        declined=declined,
        includes_sample=any(row.provenance == "demo" for row in rows),
    )
