"""Deals between two organizations: read a match, act on it (propose, confirm, decline),
contract follow-up (trial outcome, milestones and payments), confidentiality agreements."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response

from jingjinji import market
from jingjinji.auth import EDITOR, SIGNED_IN, can_edit, owner
from jingjinji.store.models import Listing, Match, User
from jingjinji.web.deps import MarketIndexDep, OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.market_errors import market_errors
from jingjinji.web.presenters.deals import deal_state
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.schemas.deals import (
    ConfidentialityPublic,
    MatchOpen,
    MatchStatePublic,
    MilestoneCreate,
    MilestonePublic,
    MilestoneUpdate,
    TransitionCreate,
    TrialOutcomeUpdate,
)
from jingjinji.web.security import requires

router = APIRouter(prefix="/api", tags=["deals"])


def _readable(db: SessionDep, match_id: int, user: User | None) -> Match:
    """The match, or 404 unless the caller is a party, an analyst or an admin."""
    match = db.get(Match, match_id)
    if match is None or not market.may_read_deal(db, match, user):
        raise ApiError(404, "对接记录不存在")
    return match


def _party_match(db: SessionDep, match_id: int, user: User) -> Match:
    """The match for a write: 404 when missing, 403 unless the caller is a party or an admin."""
    match = db.get(Match, match_id)
    if match is None:
        raise ApiError(404, "对接记录不存在")
    if user.role != "admin" and not market.may_act_on(db, match, user):
        raise ApiError(403, "只有对接双方机构的编辑可以操作")
    return match


def _state(db: SessionDep, match: Match, user: User | None) -> MatchStatePublic:
    with market_errors():
        return deal_state(market.deal_view(db, match, user))


@router.get("/matches/{match_id}", summary="读取一条对接（双方、待确认的提议、合同、进程）")
def read_match(match_id: DbIdPath, db: SessionDep, user: OptionalUser) -> MatchStatePublic:
    """A stored match as the caller sees it: the confirmed ``stage``, a ``pending``
    proposal (stage, proposed by, when, contract) or null, ``turn`` (what waits for whom),
    both parties (contacts once both accepted 洽谈), contract, milestones and history.
    Visible to both parties, analysts and admins."""
    return _state(db, _readable(db, match_id, user), user)


@router.post(
    "/matches",
    summary="打开一对供需的对接记录（首次操作时创建，已有则返回）",
    responses={201: {"description": "已创建"}},
)
def open_match(
    body: MatchOpen,
    response: Response,
    db: SessionDep,
    index: MarketIndexDep,
    user: Annotated[User, requires(EDITOR)],
) -> MatchStatePublic:
    """The stored match of ``demand_id`` (a demand or challenge call) and ``achievement_id``,
    created at 推荐 with the pair's score and reasons (201) when no one has acted on the pair
    yet, or the existing one (200); idempotent, also under concurrency. Only editors of one
    of the two organizations (or admins) may open one; both listings must be published."""
    demand = db.get(Listing, body.demand_id)
    achievement = db.get(Listing, body.achievement_id)
    if (
        demand is None
        or not market.can_see(demand, user)
        or demand.kind
        not in (
            "demand",
            "challenge",
        )
    ):
        raise ApiError(
            404,
            "需求不存在或未公开",
            fields=[{"field": "body.demand_id", "message": "需求不存在或未公开"}],
        )
    if (
        achievement is None
        or not market.can_see(achievement, user)
        or (achievement.kind != "achievement")
    ):
        raise ApiError(
            404,
            "成果不存在或未公开",
            fields=[{"field": "body.achievement_id", "message": "成果不存在或未公开"}],
        )
    if not (can_edit(user, demand.organization_id) or can_edit(user, achievement.organization_id)):
        raise ApiError(403, "只有对接双方机构的编辑可以发起对接")
    if demand.status != "published" or achievement.status != "published":
        raise ApiError(409, "双方信息均已发布后才能对接")
    match, created = market.open_match(db, index, demand, achievement)
    db.commit()
    response.status_code = 201 if created else 200
    return _state(db, match, user)


@router.post(
    "/matches/{match_id}/transitions", summary="对接的一步：表达意向、接受、提议、确认或拒绝"
)
def transition_match(
    match_id: DbIdPath,
    body: TransitionCreate,
    db: SessionDep,
    user: Annotated[User, requires(owner("match"))],
) -> MatchStatePublic:
    """One side's step. 意向 by either side; 洽谈 when the other side accepts; 签约 (with
    ``contract``) and 落地 are proposed by one side and take effect when the other posts the
    same stage; 已拒绝 with a reason by either side. The other side is told in its inbox.
    403 for a non-party, 409 when it is not the caller's turn, 409 on a stale ``version``.
    An admin acting for a side gives ``on_behalf_of`` and ``on_behalf_reason``."""
    match = _party_match(db, match_id, user)
    if body.version is not None and body.version != match.version:
        raise ApiError(409, "对接已被对方更新，请刷新后再操作")
    with market_errors():
        market.act_on_deal(
            db,
            match,
            to=body.to,
            user=user,
            reason=body.reason,
            note=body.note,
            contract=body.contract.model_dump(mode="json") if body.contract else None,
            on_behalf_of=body.on_behalf_of,
            on_behalf_reason=body.on_behalf_reason,
        )
    db.commit()
    return _state(db, match, user)


@router.patch("/matches/{match_id}/contract", summary="记录先使用后付费的试用结果")
def update_trial(
    match_id: DbIdPath,
    body: TrialOutcomeUpdate,
    db: SessionDep,
    user: Annotated[User, requires(owner("deal_trial"))],
) -> MatchStatePublic:
    """The outcome of a 先使用后付费 trial (已转化 with its date, or 未转化), by either party."""
    match = _party_match(db, match_id, user)
    with market_errors():
        market.record_trial_outcome(
            db, match, user=user, outcome=body.outcome, converted_on=body.converted_on
        )
    db.commit()
    return _state(db, match, user)


@router.post(
    "/matches/{match_id}/milestones", status_code=201, summary="为已签约的对接添加里程碑或付款计划"
)
def create_deal_milestone(
    match_id: DbIdPath,
    body: MilestoneCreate,
    db: SessionDep,
    user: Annotated[User, requires(owner("deal_plan"))],
) -> MilestonePublic:
    """A planned milestone or payment (万元) of a signed deal, by either party."""
    match = _party_match(db, match_id, user)
    with market_errors():
        row = market.add_milestone(db, match, user=user, values=body.model_dump())
    db.commit()
    return MilestonePublic.model_validate(row)


@router.patch("/matches/{match_id}/milestones/{milestone_id}", summary="记录里程碑或付款的实际完成")
def update_deal_milestone(
    match_id: DbIdPath,
    milestone_id: DbIdPath,
    body: MilestoneUpdate,
    db: SessionDep,
    user: Annotated[User, requires(owner("deal_milestone"))],
) -> MilestonePublic:
    """The actual date and amount of a milestone or payment, by either party."""
    match = _party_match(db, match_id, user)
    with market_errors():
        row = market.update_milestone(
            db, match, milestone_id, user=user, values=body.model_dump(exclude_unset=True)
        )
    db.commit()
    return MilestonePublic.model_validate(row)


@router.post("/listings/{listing_id}/confidentiality", summary="接受保密协议后查看保密内容")
def accept_confidentiality(
    listing_id: DbIdPath,
    db: SessionDep,
    user: Annotated[User, requires(EDITOR)],
) -> ConfidentialityPublic:
    """Accept the listing's confidentiality agreement for the caller's organization (once
    per organization, recorded and audited) and read the details it protects."""
    with market_errors():
        listing = market.visible_listing(db, listing_id, user)
        market.accept_confidentiality(db, listing, user=user)
    db.commit()
    return ConfidentialityPublic(listing_id=listing.id, accepted=True, details=listing.confidential)


@router.get("/listings/{listing_id}/confidentiality", summary="我方是否已接受保密协议")
def read_confidentiality(
    listing_id: DbIdPath, db: SessionDep, user: Annotated[User, requires(SIGNED_IN)]
) -> ConfidentialityPublic:
    """Whether the caller's organization accepted the agreement, with the details if so."""
    with market_errors():
        listing = market.visible_listing(db, listing_id, user)
    accepted = market.confidentiality_accepted(db, listing, user.organization_id)
    return ConfidentialityPublic(
        listing_id=listing.id, accepted=accepted, details=listing.confidential if accepted else None
    )
