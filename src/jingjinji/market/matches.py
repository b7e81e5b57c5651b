"""Matches of a listing and the deal workflow 推荐 → 意向 → 洽谈 → 签约 → 落地.

Computing matches is a read: it writes nothing. A pair is stored as a 推荐 row (one per
demand–achievement pair) when a party first acts on it (:func:`open_match`); each transition
records who moved the match, when, and, for a decline, the structured reason, which feeds
the platform statistics.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jingjinji.auth import can_edit
from jingjinji.market.deals import DECLINE_REASONS
from jingjinji.market.index import MarketIndex, listing_profile, listing_prose, listing_text
from jingjinji.matching import KINDS, Scored
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import Listing, Match, MatchEvent, User

__all__ = [
    "DECLINED",
    "DECLINE_REASONS",
    "MATCH_STAGES",
    "MatchResult",
    "compute_matches",
    "deal_organizations",
    "expansion_segments",
    "market_statistics",
    "match_history",
    "may_act_on",
    "may_read_deal",
    "open_match",
    "query_expansion",
    "warm_matches",
]

MATCH_STAGES: tuple[str, ...] = ("推荐", "意向", "洽谈", "签约", "落地")
DECLINED = "已拒绝"


@dataclass
class MatchResult:
    """One counterpart of a listing with its score, reasons and stored match."""

    listing: Listing
    scored: Scored
    match: Match | None


def compute_matches(
    session: Session,
    index: MarketIndex,
    listing: Listing,
    *,
    top: int = 10,
    today: date | None = None,
    expand: bool = True,
) -> list[MatchResult]:
    """The ``top`` counterparts of ``listing`` by the full formula, each with the stored match
    of the pair when someone has acted on it; ``expand``: the query takes in the vocabulary of
    the listing's segments (see :func:`query_expansion`). A read: nothing is written (a match
    row is created by :func:`open_match` when a party acts)."""
    matcher = index.ensure(session)
    text = listing_text(listing)
    scored = matcher.match(listing_profile(listing), text, top=top, today=today, expand=expand)
    if not scored:
        return []
    keys = [s.key for s in scored]
    others = {row.id: row for row in session.scalars(select(Listing).where(Listing.id.in_(keys)))}
    # the sentence of each counterpart the dense retriever found that carries the match
    scored = matcher.with_passages(
        text, scored, {key: listing_prose(row) for key, row in others.items()}
    )
    stored: dict[tuple[int, int], Match] = {}
    if listing.kind != "instrument":
        column = Match.achievement_id if listing.kind != "achievement" else Match.demand_id
        own = Match.demand_id if listing.kind != "achievement" else Match.achievement_id
        for match in session.scalars(select(Match).where(own == listing.id, column.in_(keys))):
            stored[(match.demand_id, match.achievement_id)] = match
    results: list[MatchResult] = []
    for item in scored:
        other = others.get(item.key)
        if other is None or other.status != "published":
            continue
        pair = stored.get(_pair(listing, other)) if listing.kind != "instrument" else None
        results.append(MatchResult(listing=other, scored=item, match=pair))
    return results


def warm_matches(
    session: Session,
    index: MarketIndex,
    *,
    per_kind: int = 200,
    stop: Callable[[], bool] = lambda: False,
) -> list[int]:
    """Compute (and so keep, see :class:`~jingjinji.matching.Matcher`) the matches of the
    ``per_kind`` newest published listings of each kind, as their pages and the API ask for
    them (top 10, with expansion): the first visitors of a freshly started server find them
    ready; ``stop()`` true ends it early (the server is shutting down). Returns the ids of
    the listings computed, newest first per kind. A read: nothing is written."""
    done: list[int] = []
    for kind in KINDS:
        newest = (
            select(Listing)
            .where(Listing.status == "published", Listing.kind == kind)
            .order_by(Listing.published_at.desc().nulls_last(), Listing.id.desc())
            .limit(per_kind)
        )
        for listing in session.scalars(newest):
            if stop():  # the server is shutting down
                return done
            compute_matches(session, index, listing, top=10)
            done.append(listing.id)
        session.rollback()  # nothing to keep; the rows read are let go
    return done


def query_expansion(index: MarketIndex, listing: Listing) -> list[str]:
    """The words a listing's matching query is expanded with: the names, keywords and
    synonyms of its segments in the atlas that its text does not contain (of the segment
    suggested by meaning when it names none, see :func:`expansion_segments`)."""
    return index.matcher.expansion(listing_profile(listing), listing_text(listing))


def expansion_segments(index: MarketIndex, listing: Listing) -> list[str]:
    """The segments whose vocabulary expands a listing's query: its own, or when it names
    none the one nearest its text by meaning (empty when none is near enough)."""
    found = index.matcher.expansion_segments(listing_profile(listing), listing_text(listing))
    return list(found)


def _pair(listing: Listing, other: Listing) -> tuple[int, int]:
    """(demand_id, achievement_id) of a pair in either order."""
    return (other.id, listing.id) if listing.kind == "achievement" else (listing.id, other.id)


def open_match(
    session: Session,
    index: MarketIndex,
    demand: Listing,
    achievement: Listing,
    *,
    today: date | None = None,
) -> tuple[Match, bool]:
    """The stored match of a demand (or challenge) and an achievement, created at 推荐 with
    the pair's score and reasons when none exists; returns it and whether it was created.
    The caller commits. Two simultaneous calls store one row (the pair is unique)."""
    query = select(Match).where(
        Match.demand_id == demand.id, Match.achievement_id == achievement.id
    )
    match = session.scalar(query)
    if match is not None:
        return match, False
    matcher = index.ensure(session)
    item = matcher.score_pair(
        listing_profile(demand), listing_text(demand), achievement.id, today=today
    )
    score = item.score if item is not None else 0.0
    reasons = [asdict(reason) for reason in item.reasons] if item is not None else []
    match = Match(demand_id=demand.id, achievement_id=achievement.id, score=score, reasons=reasons)
    try:
        with session.begin_nested():
            session.add(match)
    except IntegrityError:  # stored meanwhile by a concurrent request
        existing = session.scalar(query)
        assert existing is not None
        return existing, False
    return match, True


def deal_organizations(session: Session, match: Match) -> tuple[int | None, int | None]:
    """The organizations of a match: (owner of the demand, owner of the achievement)."""
    owners = dict(
        session.execute(
            select(Listing.id, Listing.organization_id).where(
                Listing.id.in_([match.demand_id, match.achievement_id])
            )
        ).all()
    )
    return owners.get(match.demand_id), owners.get(match.achievement_id)


def may_act_on(session: Session, match: Match, user: User | None) -> bool:
    """Editors of either side's organization, and admins, move a match."""
    return any(can_edit(user, org) for org in deal_organizations(session, match) if org)


def may_read_deal(session: Session, match: Match, user: User | None) -> bool:
    """Both parties, analysts and admins read a match."""
    return (user is not None and user.role == "analyst") or may_act_on(session, match, user)


def match_history(session: Session, match: Match) -> list[MatchEvent]:
    """The transitions of ``match``, oldest first."""
    query = select(MatchEvent).where(MatchEvent.match_id == match.id).order_by(MatchEvent.id)
    return list(session.scalars(query).all())


#: The statistics, kept until listings or matches change.
_STATISTICS = ReadCache("market statistics totals", size=4, summary=True)


def market_statistics(session: Session) -> dict[str, Any]:
    """Listings by kind; matching rate (share of published demands with a match past 推荐) and
    signing rate (share with a match at 签约 or 落地); declines by reason; signed contracts
    (count, amount 万元) and 先使用后付费 trials with how many converted (rate over the
    trials whose outcome is known). Computed once per state of the listings and matches;
    each caller gets its own copy."""
    stamp = table_stamp(session, Listing, Match)
    kept = _STATISTICS.get(
        session, "totals", stamp, lambda: _market_statistics(session), refresh=_market_statistics
    )
    return copy.deepcopy(kept)


def _market_statistics(session: Session) -> dict[str, Any]:
    by_kind = dict(
        session.execute(
            select(Listing.kind, func.count(Listing.id))
            .where(Listing.status == "published")
            .group_by(Listing.kind)
        ).all()
    )
    demands = int(by_kind.get("demand", 0)) + int(by_kind.get("challenge", 0))

    def share(stages: tuple[str, ...]) -> float:
        count = session.scalar(
            select(func.count(func.distinct(Match.demand_id))).where(Match.stage.in_(stages))
        )
        return round((count or 0) / demands, 4) if demands else 0.0

    declines = dict(
        session.execute(
            select(Match.decline_reason, func.count(Match.id))
            .where(Match.stage == DECLINED)
            .group_by(Match.decline_reason)
        ).all()
    )
    contracts = session.scalars(
        select(Match.contract).where(Match.stage.in_(MATCH_STAGES[3:]), Match.contract.is_not(None))
    ).all()
    trials = [c for c in contracts if isinstance(c, dict) and c.get("type") == "先使用后付费"]
    converted = sum(1 for c in trials if c.get("trial_outcome") == "已转化")
    decided = sum(1 for c in trials if c.get("trial_outcome") in ("已转化", "未转化"))
    return {
        "listings": {kind: int(n) for kind, n in by_kind.items()},
        "matching_rate": share(MATCH_STAGES[1:]),
        "signing_rate": share(MATCH_STAGES[3:]),
        "declines": {str(k): int(v) for k, v in declines.items()},
        "contracts": {
            "signed": len(contracts),
            "amount": round(sum(float(c.get("amount") or 0) for c in contracts if c), 1),
            "trials": len(trials),
            "trials_converted": converted,
            "trial_conversion_rate": round(converted / decided, 4) if decided else None,
        },
    }
