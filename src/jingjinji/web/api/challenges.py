"""揭榜挂帅: the challenge board, applications (揭榜), the cycle's stages, milestones, 验收."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji import market
from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import EDITOR, can_edit, owner
from jingjinji.market import challenges as cycle
from jingjinji.store.models import (
    ChallengeApplication,
    ChallengeEvent,
    Listing,
    Milestone,
    Organization,
    User,
)
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.schemas.market_workflow import (
    ApplicationCreate,
    ApplicationPublic,
    ApplicationsPublic,
    ChallengeEventPublic,
    ChallengesPublic,
    ChallengeState,
    ChallengeSummary,
    ChallengeTransitionCreate,
    MilestoneCreate,
    MilestonePublic,
)
from jingjinji.web.security import requires

router = APIRouter(prefix="/api/challenges", tags=["challenges"])

__all__ = ["challenge_state", "challenge_summaries", "router"]


def _id(value: int) -> int:
    if not 1 <= value <= 2**31 - 1:
        raise ApiError(404, "记录不存在")
    return value


def _error(exc: market.MarketError) -> ApiError:
    return ApiError(
        exc.status, exc.message_zh, fields=[{"field": f"body.{exc.field}", "message": str(exc)}]
    )


def _place_name(atlas: Atlas, adcode: str | None) -> str | None:
    if not adcode:
        return None
    try:
        return atlas.place(adcode).name
    except AtlasLookupError:
        return adcode


def _org_names(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids)))
    return {int(i): str(n) for i, n in rows.all()}


def challenge_summaries(
    db: Session, rows: list[Listing], atlas: Atlas, today: date | None = None
) -> list[ChallengeSummary]:
    """Board rows: stage, deadline, number of applicants and reward of each call."""
    counts = cycle.applicant_counts(db, [row.id for row in rows])
    names = _org_names(db, {row.organization_id for row in rows})
    return [
        ChallengeSummary(
            id=row.id,
            title=row.title,
            organization_name=names.get(row.organization_id, ""),
            place_name=_place_name(atlas, row.place_adcode),
            reward=row.reward,
            deadline=row.deadline,
            stage=cycle.current_stage(row),
            applicants=counts.get(row.id, 0),
            open=cycle.is_open(row, today),
            is_sample=row.provenance == "demo",
        )
        for row in rows
    ]


def _challenge(db: Session, listing_id: int, user: User | None) -> Listing:
    listing = db.get(Listing, _id(listing_id))
    if listing is None or listing.kind != "challenge" or not market.can_see(listing, user):
        raise ApiError(404, "榜单不存在或未公开")
    return listing


def _owned(db: Session, listing_id: int, user: User) -> Listing:
    """The challenge for an owner route: 404 when absent, 403 when not the caller's."""
    listing = db.get(Listing, _id(listing_id))
    if listing is None:
        raise ApiError(404, "榜单不存在")
    if not can_edit(user, listing.organization_id):
        raise ApiError(403)
    if listing.kind != "challenge":
        raise ApiError(404, "该信息不是揭榜挂帅榜单")
    return listing


def _applications(db: Session, challenge: Listing, user: User | None) -> list[ApplicationPublic]:
    """The applications the caller may see: all for reviewers, else the caller's own."""
    query = select(ChallengeApplication).where(ChallengeApplication.challenge_id == challenge.id)
    if not cycle.may_review(user, challenge):
        if user is None:
            return []
        query = query.where(ChallengeApplication.organization_id == user.organization_id)
    rows = list(db.scalars(query.order_by(ChallengeApplication.id)))
    names = _org_names(db, {row.organization_id for row in rows})
    return [
        ApplicationPublic.model_validate(row).model_copy(
            update={"organization_name": names.get(row.organization_id, "")}
        )
        for row in rows
    ]


def challenge_state(
    db: Session, challenge: Listing, user: User | None, atlas: Atlas
) -> ChallengeState:
    """A call with its cycle, history, visible applications and milestones."""
    summary = challenge_summaries(db, [challenge], atlas)[0]
    history = db.scalars(
        select(ChallengeEvent)
        .where(ChallengeEvent.challenge_id == challenge.id)
        .order_by(ChallengeEvent.at, ChallengeEvent.id)
    ).all()
    chosen = cycle.selected_application(db, challenge)
    milestones = (
        db.scalars(
            select(Milestone).where(Milestone.application_id == chosen.id).order_by(Milestone.id)
        ).all()
        if chosen
        else []
    )
    own = None
    if user is not None:
        own = db.scalar(
            select(ChallengeApplication.id).where(
                ChallengeApplication.challenge_id == challenge.id,
                ChallengeApplication.organization_id == user.organization_id,
            )
        )
    can_apply = (
        user is not None
        and user.role in ("admin", "editor")
        and own is None
        and user.organization_id != challenge.organization_id
        and summary.open
    )
    return ChallengeState(
        **summary.model_dump(),
        stages=list(market.CHALLENGE_STAGES),
        conditions=challenge.conditions,
        history=[ChallengeEventPublic.model_validate(e) for e in history],
        applications=_applications(db, challenge, user),
        milestones=[MilestonePublic.model_validate(m) for m in milestones],
        can_manage=can_edit(user, challenge.organization_id),
        can_apply=can_apply,
        own_application_id=own,
        version=challenge.version,
    )


@router.get("")
def list_challenges(
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
    stage: Annotated[str | None, Query(pattern="^(发榜|揭榜|评审|立项|验收)$")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ChallengesPublic:
    """The challenge board: visible calls, newest first, with stage and applicants."""
    where = [Listing.kind == "challenge", market.visible_clause(user, date.today())]
    if stage == market.CHALLENGE_STAGES[0]:
        where.append((Listing.challenge_stage == stage) | Listing.challenge_stage.is_(None))
    elif stage:
        where.append(Listing.challenge_stage == stage)
    total = int(db.scalar(select(func.count(Listing.id)).where(*where)) or 0)
    rows = db.scalars(
        select(Listing)
        .where(*where)
        .order_by(Listing.published_at.desc().nulls_last(), Listing.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return ChallengesPublic(data=challenge_summaries(db, list(rows), atlas), count=total)


@router.get("/{listing_id}")
def read_challenge(
    listing_id: DbIdPath, db: SessionDep, atlas: AtlasDep, user: OptionalUser
) -> ChallengeState:
    """One call: its stage among 发榜 → 揭榜 → 评审 → 立项 → 验收, who moved it when, the
    applications the caller may see, and the milestones of the selected application."""
    return challenge_state(db, _challenge(db, listing_id, user), user, atlas)


@router.get("/{listing_id}/applications")
def list_applications(
    listing_id: DbIdPath, db: SessionDep, user: OptionalUser
) -> ApplicationsPublic:
    """All applications for the call's owner, admins and analysts; the caller's own otherwise."""
    challenge = _challenge(db, listing_id, user)
    data = _applications(db, challenge, user)
    return ApplicationsPublic(data=data, count=len(data))


@router.post("/{listing_id}/applications", status_code=201)
def apply_to_challenge(
    listing_id: DbIdPath,
    body: ApplicationCreate,
    db: SessionDep,
    user: Annotated[User, requires(EDITOR)],
) -> ApplicationPublic:
    """揭榜: the caller's organization applies with its plan, before the deadline, once."""
    challenge = _challenge(db, listing_id, user)
    try:
        application = cycle.apply(db, challenge, user=user, plan=body.plan)
    except market.MarketError as exc:
        raise _error(exc) from exc
    db.commit()
    public = ApplicationPublic.model_validate(application)
    return public.model_copy(update={"organization_name": user.organization.name})


@router.post("/{listing_id}/transitions")
def transition_challenge(
    listing_id: DbIdPath,
    body: ChallengeTransitionCreate,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(owner("challenge"))],
) -> ChallengeState:
    """Move the call to its next stage (立项 names ``application_id``; 验收 states
    ``reward_paid``); the owner's editors and admins only."""
    challenge = _owned(db, listing_id, user)
    if body.version is not None and body.version != challenge.version:
        raise ApiError(409)
    try:
        cycle.advance(
            db,
            challenge,
            to=body.to,
            user=user,
            note=body.note,
            application_id=body.application_id,
            reward_paid=body.reward_paid,
        )
    except market.MarketError as exc:
        raise _error(exc) from exc
    db.commit()
    return challenge_state(db, challenge, user, atlas)


@router.post("/{listing_id}/milestones", status_code=201)
def add_milestone(
    listing_id: DbIdPath,
    body: MilestoneCreate,
    db: SessionDep,
    user: Annotated[User, requires(owner("challenge"))],
) -> MilestonePublic:
    """A milestone of the selected application (while at 立项)."""
    challenge = _owned(db, listing_id, user)
    try:
        milestone = cycle.add_milestone(db, challenge, title=body.title, due=body.due, user=user)
    except market.MarketError as exc:
        raise _error(exc) from exc
    db.commit()
    return MilestonePublic.model_validate(milestone)


@router.post("/{listing_id}/milestones/{milestone_id}/complete")
def complete_milestone(
    listing_id: DbIdPath,
    milestone_id: DbIdPath,
    db: SessionDep,
    user: Annotated[User, requires(owner("challenge"))],
) -> MilestonePublic:
    """Mark a milestone completed, with who and when."""
    challenge = _owned(db, listing_id, user)
    milestone = db.get(Milestone, _id(milestone_id))
    if milestone is None:
        raise ApiError(404, "里程碑不存在")
    try:
        cycle.complete_milestone(db, challenge, milestone, user=user)
    except market.MarketError as exc:
        raise _error(exc) from exc
    db.commit()
    return MilestonePublic.model_validate(milestone)
