"""The rows behind 我的工作台: the caller's organization's listings by section, its deals from
both sides with whose turn each is (:func:`jingjinji.market.deal_turn`), its projects, the
caller's follows and inbox, and, for analysts and admins, the organization's evaluations.

Reads only; every list is capped (the newest first) and comes with its full count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from jingjinji import market
from jingjinji.atlas import Atlas
from jingjinji.market.follows import Inbox, LabelledFollow, follows_of, inbox_of
from jingjinji.store.models import (
    Evaluation,
    GapListing,
    Listing,
    Match,
    Organization,
    Project,
    User,
)

__all__ = [
    "SECTION_LABELS",
    "DealRow",
    "Workspace",
    "gap_links",
    "gather_workspace",
    "section_of",
]

#: The sections of an organization's listings, in the order the page shows them.
SECTION_LABELS: dict[str, str] = {
    "draft": "草稿",
    "published": "已发布",
    "closed": "已关闭",
    "expired": "已过期",
}
#: How many rows each list shows at most.
LIST_LIMIT = 50
DEAL_LIMIT = 200
INBOX_LIMIT = 8


def section_of(status: str, valid_until: date | None, today: date) -> str:
    """The section a listing is shown in: 已过期 is a published listing whose validity ended
    (see :func:`jingjinji.market.is_expired`); anything not published or closed is a draft.

    >>> section_of("published", date(2020, 1, 1), date(2024, 1, 1))
    'expired'
    >>> section_of("closed", None, date(2024, 1, 1))
    'closed'
    """
    if status == "published":
        return "expired" if valid_until is not None and valid_until < today else "published"
    return "closed" if status == "closed" else "draft"


def _section_clause(section: str, today: date) -> ColumnElement[bool]:
    """SQL condition equivalent to :func:`section_of` being ``section``."""
    published = Listing.status == "published"
    if section == "published":
        return and_(published, or_(Listing.valid_until.is_(None), Listing.valid_until >= today))
    if section == "expired":
        return and_(published, Listing.valid_until < today)
    if section == "closed":
        return Listing.status == "closed"
    return Listing.status.not_in(("published", "closed"))


@dataclass(frozen=True)
class DealRow:
    """A match the organization is party to, with both listings and whose turn it is."""

    match: Match
    demand_title: str
    achievement_title: str
    counterpart: str
    turn: market.DealTurn


@dataclass(frozen=True)
class Workspace:
    """Everything 我的工作台 shows; ``counts`` are full counts, the lists capped."""

    sections: dict[str, list[Listing]]
    gaps: dict[int, GapListing]
    deals: list[DealRow]
    projects: list[Project]
    follows: list[LabelledFollow]
    inbox: Inbox
    evaluations: list[Evaluation] | None
    counts: dict[str, int]


def gap_links(session: Session, listing_ids: Iterable[int]) -> dict[int, GapListing]:
    """The chain-gap origins (:class:`GapListing`) of listings, by listing id (one query)."""
    ids = list(set(listing_ids))
    if not ids:
        return {}
    rows = session.scalars(select(GapListing).where(GapListing.listing_id.in_(ids)))
    return {row.listing_id: row for row in rows}


def _count(session: Session, model: Any, *where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count(model.id)).where(*where)) or 0)


def _listings(
    session: Session, org_id: int, today: date
) -> tuple[dict[str, list[Listing]], dict[str, int]]:
    sections: dict[str, list[Listing]] = {}
    counts: dict[str, int] = {}
    mine = Listing.organization_id == org_id
    for key in SECTION_LABELS:
        clause = _section_clause(key, today)
        query = (
            select(Listing)
            .where(mine, clause)
            .order_by(Listing.updated_at.desc(), Listing.id.desc())
            .limit(LIST_LIMIT)
        )
        sections[key] = list(session.scalars(query))
        counts[key] = _count(session, Listing, mine, clause)
    return sections, counts


def _deals(session: Session, org_id: int) -> tuple[list[DealRow], int]:
    """Matches past 推荐 (or with a pending proposal) where ``org_id`` owns either listing:
    those waiting for it first, then the open ones, then the closed, newest first in each."""
    demand, offer = aliased(Listing), aliased(Listing)
    where = (
        or_(demand.organization_id == org_id, offer.organization_id == org_id),
        or_(Match.stage != "推荐", Match.pending_stage.is_not(None)),
    )
    base = (
        select(Match, demand.organization_id, demand.title, offer.organization_id, offer.title)
        .join(demand, demand.id == Match.demand_id)
        .join(offer, offer.id == Match.achievement_id)
        .where(*where)
    )
    rows = session.execute(
        base.order_by(Match.updated_at.desc(), Match.id.desc()).limit(DEAL_LIMIT)
    ).all()
    total_query = (
        select(func.count(Match.id))
        .join(demand, demand.id == Match.demand_id)
        .join(offer, offer.id == Match.achievement_id)
        .where(*where)
    )
    total = int(session.scalar(total_query) or 0)
    other_ids = {d if d != org_id else a for _m, d, _dt, a, _at in rows}
    names: dict[int, str] = {}
    if other_ids:
        found = session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(other_ids))
        )
        names = {int(i): str(n) for i, n in found.all()}
    deals = []
    for match, demand_org, demand_title, offer_org, offer_title in rows:
        try:
            turn = market.deal_turn(
                stage=match.stage,
                intent_org=match.intent_org_id,
                pending_stage=match.pending_stage,
                pending_org=match.pending_org_id,
                demand_org=demand_org,
                achievement_org=offer_org,
                org=org_id,
            )
        except ValueError:  # a stage the rules do not know (an old row): shown, not acted on
            side = market.side_of(org_id, demand_org=demand_org, achievement_org=offer_org)
            turn = market.DealTurn(side, None, (), f"阶段“{match.stage}”")
        other = offer_org if demand_org == org_id else demand_org
        counterpart = "本机构" if other == org_id else names.get(other, "")
        deals.append(DealRow(match, demand_title, offer_title, counterpart, turn))
    closed = ("落地", market.DECLINED)
    deals.sort(key=lambda d: (not d.turn.mine, d.match.stage in closed))  # stable: newest first
    return deals, total


def gather_workspace(session: Session, user: User, *, atlas: Atlas) -> Workspace:
    """The workspace of ``user`` (see the module docstring)."""
    today = date.today()
    org_id = user.organization_id
    sections, counts = _listings(session, org_id, today)
    deals, counts["deals"] = _deals(session, org_id)
    counts["deals_waiting"] = sum(1 for d in deals if d.turn.mine)
    own_projects = Project.organization_id == org_id
    projects = list(
        session.scalars(
            select(Project)
            .where(own_projects)
            .order_by(Project.updated_at.desc(), Project.id.desc())
            .limit(LIST_LIMIT)
        )
    )
    counts["projects"] = _count(session, Project, own_projects)
    followed = follows_of(session, atlas, user)
    counts["follows"] = len(followed)
    inbox = inbox_of(session, user, limit=INBOX_LIMIT)
    counts["inbox_unread"] = inbox.unread
    evaluations: list[Evaluation] | None = None
    counts["evaluations"] = 0
    if user.role in ("admin", "analyst"):
        own_runs = Evaluation.organization_id == org_id
        evaluations = list(
            session.scalars(
                select(Evaluation)
                .where(own_runs)
                .order_by(Evaluation.created_at.desc(), Evaluation.id.desc())
                .limit(LIST_LIMIT // 5)
            )
        )
        counts["evaluations"] = _count(session, Evaluation, own_runs)
    listed = [row.id for rows in sections.values() for row in rows]
    return Workspace(
        sections=sections,
        gaps=gap_links(session, listed),
        deals=deals,
        projects=projects,
        follows=followed,
        inbox=inbox,
        evaluations=evaluations,
        counts=counts,
    )
