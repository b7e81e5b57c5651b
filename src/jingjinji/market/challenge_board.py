"""揭榜挂帅 as shown: the board of challenge calls, one call with its cycle, and the
applications a caller may see (the cycle itself is :mod:`jingjinji.market.challenges`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from jingjinji.auth import can_edit
from jingjinji.market.challenges import (
    applicant_counts,
    application_of,
    is_open,
    may_review,
    selected_application,
)
from jingjinji.market.listings import CHALLENGE_STAGES, MarketNotFound, can_see, visible_clause
from jingjinji.market.search import newest_first, organization_names, row_by_id
from jingjinji.store.models import ChallengeApplication, ChallengeEvent, Listing, Milestone, User

__all__ = [
    "Applicant",
    "ChallengeDetail",
    "ChallengeRow",
    "challenge_calls",
    "challenge_detail",
    "challenge_rows",
    "visible_applications",
    "visible_challenge",
]


@dataclass(frozen=True)
class ChallengeRow:
    """A call on the board: the listing, its organization's name, its number of applicants."""

    listing: Listing
    organization_name: str
    applicants: int


@dataclass(frozen=True)
class Applicant:
    """An application with the name of the organization that applied."""

    application: ChallengeApplication
    organization_name: str


@dataclass(frozen=True)
class ChallengeDetail:
    """One call for one caller: its board row, cycle history, the applications the caller may
    see, the selected application's milestones and what the caller may do."""

    row: ChallengeRow
    history: list[ChallengeEvent]
    applications: list[Applicant]
    milestones: list[Milestone]
    own_application_id: int | None
    can_manage: bool
    can_apply: bool


def challenge_calls(
    session: Session,
    *,
    user: User | None,
    stage: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Listing], int]:
    """The calls ``user`` may see, at ``stage`` when given (a call never moved is at 发榜),
    newest first: one page and the total."""
    where: list[ColumnElement[bool]] = [
        Listing.kind == "challenge",
        visible_clause(user, date.today()),
    ]
    if stage == CHALLENGE_STAGES[0]:
        where.append((Listing.challenge_stage == stage) | Listing.challenge_stage.is_(None))
    elif stage:
        where.append(Listing.challenge_stage == stage)
    return newest_first(session, where, limit=limit, offset=offset)


def challenge_rows(session: Session, calls: Sequence[Listing]) -> list[ChallengeRow]:
    """Board rows of ``calls``: organization names and applicant counts in one query each."""
    counts = applicant_counts(session, [call.id for call in calls])
    names = organization_names(session, calls)
    return [
        ChallengeRow(call, names.get(call.organization_id, ""), counts.get(call.id, 0))
        for call in calls
    ]


def visible_challenge(session: Session, listing_id: int, user: User | None) -> Listing:
    """The challenge call, or :class:`MarketNotFound` when there is none ``user`` may see."""
    listing = row_by_id(session, Listing, listing_id)
    if listing is None or listing.kind != "challenge" or not can_see(listing, user):
        raise MarketNotFound(
            "listing_id", f"no visible challenge {listing_id}", "榜单不存在或未公开"
        )
    return listing


def visible_applications(
    session: Session, challenge: Listing, user: User | None
) -> list[Applicant]:
    """The applications ``user`` may see: all for reviewers (see
    :func:`~jingjinji.market.challenges.may_review`), else those of their organization."""
    query = select(ChallengeApplication).where(ChallengeApplication.challenge_id == challenge.id)
    if not may_review(user, challenge):
        if user is None:
            return []
        query = query.where(ChallengeApplication.organization_id == user.organization_id)
    rows = list(session.scalars(query.order_by(ChallengeApplication.id)))
    names = organization_names(session, rows)
    return [Applicant(row, names.get(row.organization_id, "")) for row in rows]


def challenge_detail(session: Session, challenge: Listing, user: User | None) -> ChallengeDetail:
    """``challenge`` as ``user`` sees it: history oldest first, visible applications, the
    milestones of the selected application; ``user`` may apply when an editor or admin of
    another organization that has not applied yet, while the call is open."""
    history = session.scalars(
        select(ChallengeEvent)
        .where(ChallengeEvent.challenge_id == challenge.id)
        .order_by(ChallengeEvent.at, ChallengeEvent.id)
    ).all()
    chosen = selected_application(session, challenge)
    milestones = (
        session.scalars(
            select(Milestone).where(Milestone.application_id == chosen.id).order_by(Milestone.id)
        ).all()
        if chosen
        else []
    )
    own = None if user is None else application_of(session, challenge, user.organization_id)
    can_apply = (
        user is not None
        and user.role in ("admin", "editor")
        and own is None
        and user.organization_id != challenge.organization_id
        and is_open(challenge)
    )
    return ChallengeDetail(
        row=challenge_rows(session, [challenge])[0],
        history=list(history),
        applications=visible_applications(session, challenge, user),
        milestones=list(milestones),
        own_application_id=own,
        can_manage=can_edit(user, challenge.organization_id),
        can_apply=can_apply,
    )
