"""揭榜挂帅: the challenge board, applications (揭榜), the cycle's stages, milestones, 验收."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.auth import EDITOR, can_edit, owner
from jingjinji.market import challenge_board as board
from jingjinji.market import challenges as cycle
from jingjinji.store.models import Listing, Milestone, User
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.market_errors import market_errors
from jingjinji.web.presenters.challenges import (
    application_public,
    applications_public,
    challenge_state,
    challenge_summaries,
)
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.schemas.market_workflow import (
    ApplicationCreate,
    ApplicationPublic,
    ApplicationsPublic,
    ChallengesPublic,
    ChallengeState,
    ChallengeTransitionCreate,
    MilestoneCreate,
    MilestonePublic,
)
from jingjinji.web.security import requires

router = APIRouter(prefix="/api/challenges", tags=["challenges"])

__all__ = ["router"]

Owner = Annotated[User, requires(owner("challenge"))]


def _visible(db: Session, listing_id: int, user: User | None) -> Listing:
    with market_errors():
        return board.visible_challenge(db, listing_id, user)


def _owned(db: Session, listing_id: int, user: User) -> Listing:
    """The challenge for an owner route: 404 when absent, 403 when not the caller's."""
    listing = db.get(Listing, listing_id)
    if listing is None:
        raise ApiError(404, "榜单不存在")
    if not can_edit(user, listing.organization_id):
        raise ApiError(403)
    if listing.kind != "challenge":
        raise ApiError(404, "该信息不是揭榜挂帅榜单")
    return listing


def _state(db: Session, challenge: Listing, user: User | None, atlas: Atlas) -> ChallengeState:
    return challenge_state(board.challenge_detail(db, challenge, user), atlas)


@router.get("", summary="揭榜挂帅榜单列表")
def list_challenges(
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
    stage: Annotated[str | None, Query(pattern="^(发榜|揭榜|评审|立项|验收)$")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ChallengesPublic:
    """The challenge board: visible calls, newest first, with stage and applicants."""
    rows, total = board.challenge_calls(db, user=user, stage=stage, limit=limit, offset=offset)
    return ChallengesPublic(
        data=challenge_summaries(board.challenge_rows(db, rows), atlas), count=total
    )


@router.get("/{listing_id}", summary="读取一项榜单的进程与揭榜申请")
def read_challenge(
    listing_id: DbIdPath, db: SessionDep, atlas: AtlasDep, user: OptionalUser
) -> ChallengeState:
    """One call: its stage among 发榜 → 揭榜 → 评审 → 立项 → 验收, who moved it when, the
    applications the caller may see, and the milestones of the selected application."""
    return _state(db, _visible(db, listing_id, user), user, atlas)


@router.get("/{listing_id}/applications", summary="一项榜单的揭榜申请")
def list_applications(
    listing_id: DbIdPath, db: SessionDep, user: OptionalUser
) -> ApplicationsPublic:
    """All applications for the call's owner, admins and analysts; the caller's own otherwise."""
    challenge = _visible(db, listing_id, user)
    return applications_public(board.visible_applications(db, challenge, user))


@router.post("/{listing_id}/applications", status_code=201, summary="揭榜：提交本机构的揭榜方案")
def apply_to_challenge(
    listing_id: DbIdPath,
    body: ApplicationCreate,
    db: SessionDep,
    user: Annotated[User, requires(EDITOR)],
) -> ApplicationPublic:
    """揭榜: the caller's organization applies with its plan, before the deadline, once: a
    second application answers 409, also when both arrive at once (simultaneous applications
    of different organizations are all accepted)."""
    challenge = _visible(db, listing_id, user)
    with market_errors():
        application = cycle.apply(db, challenge, user=user, plan=body.plan)
    db.commit()
    return application_public(application, user.organization.name)


@router.post("/{listing_id}/transitions", summary="推进榜单到下一阶段")
def transition_challenge(
    listing_id: DbIdPath,
    body: ChallengeTransitionCreate,
    db: SessionDep,
    atlas: AtlasDep,
    user: Owner,
) -> ChallengeState:
    """Move the call to its next stage (立项 names ``application_id``; 验收 states
    ``reward_paid``); the owner's editors and admins only."""
    challenge = _owned(db, listing_id, user)
    if body.version is not None and body.version != challenge.version:
        raise ApiError(409)
    with market_errors():
        cycle.advance(
            db,
            challenge,
            to=body.to,
            user=user,
            note=body.note,
            application_id=body.application_id,
            reward_paid=body.reward_paid,
        )
    db.commit()
    return _state(db, challenge, user, atlas)


@router.post("/{listing_id}/milestones", status_code=201, summary="为中选方案添加里程碑")
def add_milestone(
    listing_id: DbIdPath,
    body: MilestoneCreate,
    db: SessionDep,
    user: Owner,
) -> MilestonePublic:
    """A milestone of the selected application (while at 立项)."""
    challenge = _owned(db, listing_id, user)
    with market_errors():
        milestone = cycle.add_milestone(db, challenge, title=body.title, due=body.due, user=user)
    db.commit()
    return MilestonePublic.model_validate(milestone)


@router.post("/{listing_id}/milestones/{milestone_id}/complete", summary="标记里程碑已完成")
def complete_milestone(
    listing_id: DbIdPath,
    milestone_id: DbIdPath,
    db: SessionDep,
    user: Owner,
) -> MilestonePublic:
    """Mark a milestone completed, with who and when."""
    challenge = _owned(db, listing_id, user)
    milestone = db.get(Milestone, milestone_id)
    if milestone is None:
        raise ApiError(404, "里程碑不存在")
    with market_errors():
        cycle.complete_milestone(db, challenge, milestone, user=user)
    db.commit()
    return MilestonePublic.model_validate(milestone)
