"""Matches of a listing and the deal workflow 推荐 → 意向 → 洽谈 → 签约 → 落地.

Computed matches are stored as 推荐 rows (one per demand–achievement pair) so that both sides
can act on them; each transition records who moved the match, when, and, for a decline, the
structured reason, which feeds the platform statistics.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jingjinji.auth import audit_row, can_edit, snapshot
from jingjinji.market.index import MarketIndex, listing_profile, listing_text
from jingjinji.market.listings import MarketError
from jingjinji.matching import Scored
from jingjinji.store.models import Listing, Match, MatchEvent, User

__all__ = [
    "DECLINED",
    "DECLINE_REASONS",
    "MATCH_STAGES",
    "MatchResult",
    "compute_matches",
    "market_statistics",
    "match_history",
    "may_act_on",
    "transition",
]

MATCH_STAGES: tuple[str, ...] = ("推荐", "意向", "洽谈", "签约", "落地")
DECLINED = "已拒绝"
DECLINE_REASONS: tuple[str, ...] = ("阶段太早", "优势不明显", "价格不合适", "方向不符", "其他")


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
    store: bool = True,
    today: date | None = None,
) -> list[MatchResult]:
    """The ``top`` counterparts of ``listing`` by the full formula; with ``store`` the pairs
    are kept as 推荐 matches (scores refreshed while still 推荐)."""
    matcher = index.ensure(session)
    scored = matcher.match(listing_profile(listing), listing_text(listing), top=top, today=today)
    if not scored:
        return []
    others = {
        row.id: row
        for row in session.scalars(select(Listing).where(Listing.id.in_([s.key for s in scored])))
    }
    results: list[MatchResult] = []
    for item in scored:
        other = others.get(item.key)
        if other is None or other.status != "published":
            continue
        match = _stored(session, listing, other, item) if store else None
        results.append(MatchResult(listing=other, scored=item, match=match))
    return results


def _pair(listing: Listing, other: Listing) -> tuple[int, int]:
    """(demand_id, achievement_id) of a pair in either order."""
    return (other.id, listing.id) if listing.kind == "achievement" else (listing.id, other.id)


def _stored(session: Session, listing: Listing, other: Listing, item: Scored) -> Match | None:
    if listing.kind == "instrument":
        return None
    demand_id, achievement_id = _pair(listing, other)
    reasons = [asdict(reason) for reason in item.reasons]
    query = select(Match).where(
        Match.demand_id == demand_id, Match.achievement_id == achievement_id
    )
    match = session.scalar(query)
    if match is None:
        match = Match(
            demand_id=demand_id, achievement_id=achievement_id, score=item.score, reasons=reasons
        )
        try:
            with session.begin_nested():
                session.add(match)
        except IntegrityError:  # stored meanwhile by a concurrent request
            return session.scalar(query)
    elif match.stage == "推荐" and abs(match.score - item.score) > 1e-6:
        match.score, match.reasons = item.score, reasons
    return match


def may_act_on(session: Session, match: Match, user: User | None) -> bool:
    """Editors of either side's organization, and admins, move a match."""
    orgs = session.execute(
        select(Listing.organization_id).where(
            Listing.id.in_([match.demand_id, match.achievement_id])
        )
    ).scalars()
    return any(can_edit(user, org) for org in orgs)


def match_history(session: Session, match: Match) -> list[MatchEvent]:
    """The transitions of ``match``, oldest first."""
    query = select(MatchEvent).where(MatchEvent.match_id == match.id).order_by(MatchEvent.id)
    return list(session.scalars(query).all())


def transition(
    session: Session,
    match: Match,
    *,
    to: str,
    user: User,
    reason: str | None = None,
    note: str = "",
) -> MatchEvent:
    """Move ``match`` one stage forward, or decline it with a structured ``reason``."""
    current = match.stage
    if current in (DECLINED, MATCH_STAGES[-1]):
        raise MarketError(
            "to", f"match is {current}; it cannot move", f"对接已{current}，不能再变更"
        )
    if to == DECLINED:
        if reason not in DECLINE_REASONS:
            raise MarketError(
                "reason",
                f"declining needs a reason among {DECLINE_REASONS}",
                "拒绝对接须选择原因：" + "、".join(DECLINE_REASONS),
            )
        match.decline_reason, match.decline_note = reason, note
    elif to in MATCH_STAGES:
        wanted = MATCH_STAGES.index(current) + 1
        if MATCH_STAGES.index(to) != wanted:
            raise MarketError(
                "to",
                f"from {current} the next stage is {MATCH_STAGES[wanted]}",
                f"当前阶段为{current}，下一阶段应为{MATCH_STAGES[wanted]}",
            )
    else:
        raise MarketError("to", f"unknown stage {to!r}", f"未知阶段“{to}”")
    before = snapshot(match)
    match.stage = to
    event = MatchEvent(
        match_id=match.id,
        user_id=user.id,
        actor=user.username,
        from_stage=current,
        to_stage=to,
        reason=reason if to == DECLINED else None,
        note=note,
    )
    session.add(event)
    audit_row(session, match, actor=user, action="transition", entity="match", before=before)
    return event


def market_statistics(session: Session) -> dict[str, Any]:
    """Listings by kind; matching rate (share of published demands with a match past 推荐) and
    signing rate (share with a match at 签约 or 落地); declines by reason."""
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
    return {
        "listings": {kind: int(n) for kind, n in by_kind.items()},
        "matching_rate": share(MATCH_STAGES[1:]),
        "signing_rate": share(MATCH_STAGES[3:]),
        "declines": {str(k): int(v) for k, v in declines.items()},
    }
