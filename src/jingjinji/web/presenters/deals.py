"""A deal as its parties see it (see :func:`jingjinji.market.deal_view`)."""

from __future__ import annotations

from jingjinji.market.deal_view import DealView
from jingjinji.store.models import Listing
from jingjinji.web.schemas.deals import (
    MatchEventPublic,
    MatchStatePublic,
    MilestonePublic,
    PartyPublic,
    PendingPublic,
    TurnPublic,
)

__all__ = ["ACTION_LABELS", "deal_state"]

#: How the history names each step.
ACTION_LABELS = {
    "表达意向": "表达意向",
    "接受": "接受意向",
    "提议": "提议",
    "确认": "确认",
    "拒绝": "拒绝",
    "": "变更",
}


def _party(view: DealView, listing: Listing) -> PartyPublic:
    contact = None
    if view.contacts_revealed or listing.contact_public:
        contact = listing.contact or ""
    return PartyPublic(
        listing_id=listing.id,
        title=listing.title,
        kind=listing.kind,
        organization_id=listing.organization_id,
        organization_name=view.org_names.get(listing.organization_id, ""),
        summary=listing.summary[:400],
        contact=contact,
    )


def deal_state(view: DealView) -> MatchStatePublic:
    """The API form of a deal for the caller the view was read for."""
    match, parties = view.match, view.parties
    pending = None
    if match.pending_stage:
        side = parties.side(match.pending_org_id) or "demand"
        pending = PendingPublic(
            stage=match.pending_stage,
            proposed_by="achievement" if side == "achievement" else "demand",
            proposed_by_name=view.org_names.get(match.pending_org_id or 0, ""),
            at=match.pending_at,
            contract=match.pending_contract,
        )
    turn = view.turn
    return MatchStatePublic(
        id=match.id,
        demand_id=match.demand_id,
        achievement_id=match.achievement_id,
        stage=match.stage,
        score=match.score,
        decline_reason=match.decline_reason,
        version=match.version,
        pending=pending,
        turn=TurnPublic(
            side=turn.side,
            waiting_for=turn.waiting_for,
            can=list(turn.can),
            label=turn.label,
            mine=turn.mine,
        ),
        demand=_party(view, parties.demand),
        achievement=_party(view, parties.achievement),
        contract=match.contract,
        milestones=[MilestonePublic.model_validate(m) for m in view.milestones],
        project_id=view.project_id,
        is_sample="demo" in (parties.demand.provenance, parties.achievement.provenance),
        history=[
            MatchEventPublic(
                at=e.at,
                actor=e.actor,
                organization_name=view.org_names.get(e.organization_id)
                if e.organization_id is not None
                else None,
                action=ACTION_LABELS.get(e.action, e.action),
                from_stage=e.from_stage,
                to_stage=e.to_stage,
                reason=e.reason,
                note=e.note,
                on_behalf_reason=e.on_behalf_reason,
            )
            for e in view.history
        ],
    )
