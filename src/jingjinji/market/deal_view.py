"""Everything a deal page shows, read in a few queries: both parties with their
organizations, whose turn it is for the caller, contract, milestones, history, project."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.market.deal_turns import DealTurn
from jingjinji.market.deals import REVEALED_STAGES, DealParties, deal_parties, turn_of
from jingjinji.market.matches import match_history
from jingjinji.store.models import (
    DealMilestone,
    Listing,
    Match,
    MatchEvent,
    Organization,
    Project,
    User,
)

__all__ = ["DealView", "deal_view", "deals_of"]


@dataclass(frozen=True)
class DealView:
    """A match as its parties see it; ``contacts_revealed`` once both accepted 洽谈 (or the
    caller is an admin or analyst)."""

    match: Match
    parties: DealParties
    turn: DealTurn
    org_names: dict[int, str]
    milestones: list[DealMilestone]
    history: list[MatchEvent]
    project_id: int | None
    contacts_revealed: bool


def deal_view(session: Session, match: Match, user: User | None) -> DealView:
    """The view of ``match`` for ``user`` (who must be allowed to read it)."""
    parties = deal_parties(session, match)
    org = user.organization_id if user is not None else None
    history = match_history(session, match)
    ids = {parties.demand_org, parties.achievement_org} | {
        e.organization_id for e in history if e.organization_id is not None
    }
    if match.pending_org_id is not None:
        ids.add(match.pending_org_id)
    names = dict(
        session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(ids))
        ).all()
    )
    milestones = list(
        session.scalars(
            select(DealMilestone)
            .where(DealMilestone.match_id == match.id)
            .order_by(DealMilestone.planned_on, DealMilestone.id)
        )
    )
    project_id = session.scalar(select(Project.id).where(Project.match_id == match.id))
    privileged = user is not None and user.role in ("admin", "analyst")
    party = parties.side(org) is not None
    return DealView(
        match=match,
        parties=parties,
        turn=turn_of(match, parties, org),
        org_names=names,
        milestones=milestones,
        history=history,
        project_id=project_id,
        contacts_revealed=privileged or (party and match.stage in REVEALED_STAGES),
    )


def deals_of(session: Session, org: int) -> list[Match]:
    """Matches where ``org`` owns the demand or the achievement, past 推荐 or with a
    proposal, newest change first."""
    mine = select(Listing.id).where(Listing.organization_id == org)
    query = (
        select(Match)
        .where(
            (Match.demand_id.in_(mine) | Match.achievement_id.in_(mine)),
            (Match.stage != "推荐") | Match.pending_stage.is_not(None),
        )
        .order_by(Match.updated_at.desc())
    )
    return list(session.scalars(query))
