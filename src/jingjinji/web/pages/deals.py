"""The deal page: both parties of a match, whose turn it is, the step each side may take,
contract terms, milestones and payments, history, and registering the project."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji import market
from jingjinji.market.deals import CONTRACT_TYPES, DECLINE_REASONS, TRIAL_OUTCOMES
from jingjinji.store.models import Match
from jingjinji.web.deps import OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.market_errors import market_errors
from jingjinji.web.presenters.deals import deal_state
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

__all__ = ["router"]

STAGES = ("推荐", "意向", "洽谈", "签约", "落地")
#: What the button for each step says, by whether it proposes or confirms.
STEP_LABELS = {
    "意向": "表达对接意向",
    "洽谈": "接受意向，进入洽谈",
    "签约": "提议签约",
    "落地": "提议落地",
}


@router.get("/market/deals/{match_id}", response_class=HTMLResponse)
def deal_page(match_id: DbIdPath, request: Request, db: SessionDep, user: OptionalUser) -> Response:
    """One deal as its parties (and analysts, admins) see it; others get 404."""
    match = db.get(Match, match_id)
    if match is None or not market.may_read_deal(db, match, user):
        raise ApiError(404, "对接记录不存在")
    with market_errors():
        view = market.deal_view(db, match, user)
    state = deal_state(view)
    acting_admin = user is not None and user.role == "admin" and state.turn.side is None
    if acting_admin:
        sides = {
            side: market.turn_of(match, view.parties, view.parties.org_of(side)).can
            for side in ("demand", "achievement")
        }
    else:
        sides = {"": tuple(state.turn.can)}
    steps = [
        _step(stage, side, state.pending.stage if state.pending else None)
        for side, can in sides.items()
        for stage in can
        if stage != "已拒绝"
    ]
    context = {
        "title": f"对接 {state.achievement.title} ↔ {state.demand.title}",
        "deal": state,
        "stages": STAGES,
        "steps": steps,
        "can_decline": any("已拒绝" in can for can in sides.values()),
        "acting_admin": acting_admin,
        "decline_reasons": DECLINE_REASONS,
        "contract_types": CONTRACT_TYPES,
        "trial_outcomes": TRIAL_OUTCOMES,
        "party": state.turn.side is not None or acting_admin,
        "is_trial": bool(state.contract and state.contract.get("type") == "先使用后付费"),
    }
    return render(request, "market/deal.html", context, active="market")


def _step(stage: str, side: str, pending: str | None) -> dict[str, object]:
    """A button of the page: the stage it posts, its label, whether it needs contract terms;
    ``side`` is the side an admin acts for ('' for one's own)."""
    confirming = pending == stage
    label = f"确认{stage}" if confirming else STEP_LABELS[stage]
    if side:
        label = f"代{'需求方' if side == 'demand' else '成果方'}：{label}"
    return {
        "stage": stage,
        "side": side,
        "label": label,
        "confirming": confirming,
        "needs_contract": stage == "签约" and not confirming,
    }
