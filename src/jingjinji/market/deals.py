"""Deals between two organizations: acting on a match, contract terms, milestones and
payments, contacts revealed at 洽谈, confidentiality agreements, notices to the other side.

The rules of whose turn it is are in :mod:`jingjinji.market.deal_turns`; this module applies
them to stored matches. Every step is a :class:`MatchEvent` naming the acting organization
and is audited with its actor; an admin acting for an organization states why.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jingjinji.auth import audit_row, snapshot
from jingjinji.market.deal_turns import DealTurn, Side, deal_turn, side_of
from jingjinji.market.listings import MarketError, MarketNotFound
from jingjinji.store.models import (
    ConfidentialityAcceptance,
    DealMilestone,
    InboxItem,
    Listing,
    Match,
    MatchEvent,
    Organization,
    User,
)

__all__ = [
    "CONTRACT_TYPES",
    "DECLINE_REASONS",
    "MILESTONE_KINDS",
    "TRIAL_OUTCOMES",
    "DealParties",
    "accept_confidentiality",
    "act_on_deal",
    "add_milestone",
    "confidential_details",
    "confidentiality_accepted",
    "deal_parties",
    "record_trial_outcome",
    "revealed_contacts",
    "turn_of",
    "update_milestone",
]

DECLINED = "已拒绝"
DECLINE_REASONS: tuple[str, ...] = ("阶段太早", "优势不明显", "价格不合适", "方向不符", "其他")
CONTRACT_TYPES: tuple[str, ...] = (
    "技术转让",
    "技术许可",
    "作价入股",
    "技术开发",
    "技术服务",
    "先使用后付费",
)
TRIAL = "先使用后付费"
TRIAL_OUTCOMES: tuple[str, ...] = ("试用中", "已转化", "未转化")
MILESTONE_KINDS: tuple[str, ...] = ("里程碑", "付款")
#: Stages from which each side sees the other's contacts.
REVEALED_STAGES: tuple[str, ...] = ("洽谈", "签约", "落地")
_ACTION_WORDS = {
    "表达意向": "表达了对接意向",
    "接受": "接受了意向，进入洽谈",
    "提议": "提议",
    "确认": "确认",
    "拒绝": "拒绝了对接",
}


@dataclass(frozen=True)
class DealParties:
    """The two listings of a match and the organizations that own them."""

    demand: Listing
    achievement: Listing

    @property
    def demand_org(self) -> int:
        return self.demand.organization_id

    @property
    def achievement_org(self) -> int:
        return self.achievement.organization_id

    def side(self, org: int | None) -> Side | None:
        return side_of(org, demand_org=self.demand_org, achievement_org=self.achievement_org)

    def org_of(self, side: str) -> int:
        return self.demand_org if side == "demand" else self.achievement_org


def deal_parties(session: Session, match: Match) -> DealParties:
    """The listings of ``match`` (:class:`MarketNotFound` when one is gone)."""
    demand = session.get(Listing, match.demand_id)
    achievement = session.get(Listing, match.achievement_id)
    if demand is None or achievement is None:
        raise MarketNotFound("match", "a listing of the match is gone", "对接的供需信息已不存在")
    return DealParties(demand, achievement)


def turn_of(match: Match, parties: DealParties, org: int | None) -> DealTurn:
    """What ``match`` waits for, seen from organization ``org``."""
    return deal_turn(
        stage=match.stage,
        intent_org=match.intent_org_id,
        pending_stage=match.pending_stage,
        pending_org=match.pending_org_id,
        demand_org=parties.demand_org,
        achievement_org=parties.achievement_org,
        org=org,
    )


# ------------------------------------------------------------------------------- contract


def _contract(terms: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validated contract terms: type, amount (万元, ≥ 0), signed_on (ISO date), optional
    registration_no (技术合同登记号); 先使用后付费 also trial_months (1–60)."""
    if not terms:
        raise MarketError(
            "contract", "签约 needs contract terms", "提议签约须填写合同：类型、金额、签订日期"
        )
    kind = terms.get("type")
    if kind not in CONTRACT_TYPES:
        raise MarketError(
            "contract.type",
            f"contract type must be one of {CONTRACT_TYPES}",
            "合同类型须为：" + "、".join(CONTRACT_TYPES),
        )
    amount = terms.get("amount")
    if not isinstance(amount, int | float) or not math.isfinite(amount) or not 0 <= amount < 1e9:
        raise MarketError(
            "contract.amount", "amount must be 0 … 1e9 万元", "合同金额须为 0 至 10 亿万元之间的数"
        )
    try:
        signed = date.fromisoformat(str(terms.get("signed_on")))
    except ValueError:
        raise MarketError(
            "contract.signed_on", "signed_on must be a date", "签订日期须为日期，如 2026-12-01"
        ) from None
    number = str(terms.get("registration_no") or "").strip()[:40]
    result: dict[str, Any] = {
        "type": kind,
        "amount": float(amount),
        "signed_on": signed.isoformat(),
        "registration_no": number,
    }
    if kind == TRIAL:
        months = terms.get("trial_months")
        if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 60:
            raise MarketError(
                "contract.trial_months",
                "先使用后付费 needs trial_months 1–60",
                "先使用后付费须填写试用期（1 至 60 个月）",
            )
        result.update(trial_months=months, trial_outcome="试用中", converted_on=None)
    return result


# --------------------------------------------------------------------------------- acting


def _acting_org(
    parties: DealParties, user: User, on_behalf_of: str | None, reason: str
) -> tuple[int, str]:
    """The organization ``user`` acts for, and the on-behalf reason ('' for one's own)."""
    own = parties.side(user.organization_id)
    if user.role == "admin" and (on_behalf_of or own is None):
        if on_behalf_of not in ("demand", "achievement"):
            raise MarketError(
                "on_behalf_of",
                "an admin acts for the demand or the achievement side",
                "管理员须选择代表需求方或成果方操作",
            )
        if not reason.strip():
            raise MarketError(
                "on_behalf_reason",
                "an admin acting for an organization states why",
                "管理员代为操作须说明理由",
            )
        return parties.org_of(on_behalf_of), reason.strip()[:300]
    if own is None or (user.role != "editor" and user.role != "admin"):
        raise MarketError(
            "match",
            "only the two parties act on a deal",
            "只有对接双方机构的编辑可以操作",
            status=403,
        )
    return user.organization_id, ""


def act_on_deal(
    session: Session,
    match: Match,
    *,
    to: str,
    user: User,
    reason: str | None = None,
    note: str = "",
    contract: Mapping[str, Any] | None = None,
    on_behalf_of: str | None = None,
    on_behalf_reason: str = "",
) -> MatchEvent:
    """One side's step on a deal: 意向 (either side), 洽谈 (the other side accepts), a
    proposal of 签约 (with ``contract``) or 落地, the other side's confirmation (a 签约 with
    different terms is a counter-proposal), or 已拒绝 with a ``reason``.

    Raises :class:`MarketError`: 403 when ``user`` is not a party, 409 when it is not the
    caller's turn, 422 for bad terms. The other side is told in its inbox.
    """
    parties = deal_parties(session, match)
    org, behalf = _acting_org(parties, user, on_behalf_of, on_behalf_reason)
    turn = turn_of(match, parties, org)
    if to not in turn.can:
        possible = {
            step
            for side_org in (parties.demand_org, parties.achievement_org)
            for step in turn_of(match, parties, side_org).can
        }
        if to not in possible:
            raise MarketError(
                "to",
                f"{to} is not a step from {match.stage}",
                f"对接当前为“{match.stage}”，不能变更为“{to}”",
            )
        raise MarketError(
            "to",
            f"not this side's step: {turn.label}",
            f"现在不能执行“{to}”：{turn.label}",
            status=409,
        )
    before = snapshot(match)
    current = match.stage
    both = turn.side == "both"
    if to == DECLINED:
        if reason not in DECLINE_REASONS:
            raise MarketError(
                "reason",
                f"declining needs a reason among {DECLINE_REASONS}",
                "拒绝对接须选择原因：" + "、".join(DECLINE_REASONS),
            )
        match.stage, match.decline_reason, match.decline_note = DECLINED, reason, note
        match.declined_by_org_id = org
        _clear_pending(match)
        action = "拒绝"
    elif to == "意向":
        match.stage, match.intent_org_id, action = "意向", org, "表达意向"
    elif to == "洽谈":
        match.stage, action = "洽谈", "接受"
    else:
        terms = (
            _contract(contract) if to == "签约" and (contract or not match.pending_stage) else None
        )
        if match.pending_stage is None and not both:
            _propose(match, to, org, user, terms)
            action = "提议"
        elif terms is not None and match.pending_stage and terms != match.pending_contract:
            _propose(match, to, org, user, terms)  # a counter-proposal with other terms
            action = "提议"
        else:
            if to == "签约":
                match.contract = terms if both and terms else match.pending_contract
            match.stage = to
            _clear_pending(match)
            action = "确认"
    event = MatchEvent(
        match_id=match.id,
        user_id=user.id,
        actor=user.username,
        from_stage=current,
        to_stage=to,
        reason=reason if to == DECLINED else None,
        note=note,
        organization_id=org,
        action=action,
        on_behalf_reason=behalf,
    )
    session.add(event)
    audit_name = f"{user.username}（代{_org_name(session, org)}：{behalf}）" if behalf else None
    audit_row(
        session,
        match,
        actor=user,
        action="transition",
        entity="match",
        before=before,
        actor_name=audit_name,
    )
    _notify_other_side(session, match, parties, org, action, to)
    return event


def _propose(match: Match, to: str, org: int, user: User, terms: dict[str, Any] | None) -> None:
    match.pending_stage, match.pending_org_id, match.pending_user_id = to, org, user.id
    match.pending_at = datetime.now(UTC)
    match.pending_contract = terms


def _clear_pending(match: Match) -> None:
    match.pending_stage = match.pending_org_id = match.pending_user_id = None
    match.pending_at = match.pending_contract = None


def _org_name(session: Session, org: int | None) -> str:
    row = session.get(Organization, org) if org is not None else None
    return row.name if row is not None else "未知机构"


def _notify_other_side(
    session: Session, match: Match, parties: DealParties, org: int, action: str, to: str
) -> None:
    """An inbox notice to every active user of the other organization."""
    side = parties.side(org)
    if side == "both":
        return
    other = parties.achievement if side == "demand" else parties.demand
    mine = parties.demand if side == "demand" else parties.achievement
    words = _ACTION_WORDS[action]
    if action in ("提议", "确认"):
        words = f"{words}{to}"
    message = f"{_org_name(session, org)}{words}：{mine.title} ↔ {other.title}"[:300]
    users = session.scalars(
        select(User.id).where(User.organization_id == other.organization_id, User.is_active)
    ).all()
    for user_id in users:
        session.add(
            InboxItem(
                user_id=user_id,
                listing_id=other.id,
                message=message,
                kind="对接",
                match_id=match.id,
            )
        )


# --------------------------------------------------------------------------- after 签约


def _party_org(session: Session, match: Match, user: User) -> int:
    parties = deal_parties(session, match)
    side = parties.side(user.organization_id)
    if user.role == "admin":
        return user.organization_id if side else parties.demand_org
    if side is None or user.role != "editor":
        raise MarketError("match", "not a party", "只有对接双方机构的编辑可以操作", status=403)
    return user.organization_id


def _signed(match: Match) -> None:
    if match.stage not in ("签约", "落地") or not match.contract:
        raise MarketError(
            "stage", "only a signed deal has this", "签约后才能记录合同执行情况", status=409
        )


def record_trial_outcome(
    session: Session, match: Match, *, user: User, outcome: str, converted_on: date | None
) -> dict[str, Any]:
    """The outcome of a 先使用后付费 trial (已转化 with the conversion date, or 未转化)."""
    _party_org(session, match, user)
    _signed(match)
    assert match.contract is not None
    if match.contract.get("type") != TRIAL:
        raise MarketError(
            "outcome", "not a 先使用后付费 contract", "只有先使用后付费合同有试用结果"
        )
    if outcome not in TRIAL_OUTCOMES:
        raise MarketError(
            "outcome",
            f"outcome among {TRIAL_OUTCOMES}",
            "试用结果须为：" + "、".join(TRIAL_OUTCOMES),
        )
    if outcome == "已转化" and converted_on is None:
        raise MarketError("converted_on", "a conversion needs its date", "已转化须填写转化日期")
    before = snapshot(match)
    contract = dict(match.contract)
    contract["trial_outcome"] = outcome
    contract["converted_on"] = (
        converted_on.isoformat() if outcome == "已转化" and converted_on else None
    )
    match.contract = contract
    audit_row(session, match, actor=user, action="update", entity="match", before=before)
    return contract


def add_milestone(
    session: Session, match: Match, *, user: User, values: Mapping[str, Any]
) -> DealMilestone:
    """A planned milestone or payment (amount in 万元) of a signed deal."""
    org = _party_org(session, match, user)
    _signed(match)
    if values.get("kind", "里程碑") not in MILESTONE_KINDS:
        raise MarketError("kind", f"kind among {MILESTONE_KINDS}", "类型须为里程碑或付款")
    row = DealMilestone(match_id=match.id, organization_id=org, **values)
    session.add(row)
    audit_row(session, row, actor=user, action="create", entity="deal_milestone")
    return row


def update_milestone(
    session: Session, match: Match, milestone_id: int, *, user: User, values: Mapping[str, Any]
) -> DealMilestone:
    """Record the actual date or amount of a milestone (either party)."""
    _party_org(session, match, user)
    row = session.get(DealMilestone, milestone_id)
    if row is None or row.match_id != match.id:
        raise MarketNotFound("milestone", "no such milestone", "里程碑不存在")
    before = snapshot(row)
    for key, value in values.items():
        setattr(row, key, value)
    audit_row(session, row, actor=user, action="update", entity="deal_milestone", before=before)
    return row


# -------------------------------------------------------------- contacts, confidentiality


def revealed_contacts(session: Session, listings: Iterable[Listing]) -> dict[int, set[int]]:
    """Per listing id: the organizations on the other side of a deal at 洽谈 or later, to
    whom its contact is revealed."""
    ids = [listing.id for listing in listings]
    if not ids:
        return {}
    rows = session.execute(
        select(Match.demand_id, Match.achievement_id).where(
            Match.stage.in_(REVEALED_STAGES),
            or_(Match.demand_id.in_(ids), Match.achievement_id.in_(ids)),
        )
    ).all()
    other_ids = {i for pair in rows for i in pair}
    owners = dict(
        session.execute(
            select(Listing.id, Listing.organization_id).where(Listing.id.in_(other_ids))
        ).all()
    )
    result: dict[int, set[int]] = {}
    for demand_id, achievement_id in rows:
        for mine, other in ((demand_id, achievement_id), (achievement_id, demand_id)):
            if mine in ids and other in owners:
                result.setdefault(mine, set()).add(owners[other])
    return result


def confidentiality_accepted(session: Session, listing: Listing, org: int | None) -> bool:
    """Whether ``org`` may read the listing's confidential details (owner, or accepted)."""
    if org is None:
        return False
    if org == listing.organization_id:
        return True
    found = session.scalar(
        select(ConfidentialityAcceptance.id).where(
            ConfidentialityAcceptance.listing_id == listing.id,
            ConfidentialityAcceptance.organization_id == org,
        )
    )
    return found is not None


def confidential_details(session: Session, listing: Listing, user: User | None) -> str | None:
    """The listing's confidential details if ``user``'s organization may read them."""
    org = user.organization_id if user is not None else None
    if listing.confidential and confidentiality_accepted(session, listing, org):
        return listing.confidential
    return None


def accept_confidentiality(session: Session, listing: Listing, *, user: User) -> bool:
    """Record that the user's organization accepts the listing's confidentiality agreement
    (once per organization; True when newly recorded)."""
    if not listing.confidential:
        raise MarketError("listing", "no confidential details", "该信息没有保密内容", status=409)
    if confidentiality_accepted(session, listing, user.organization_id):
        return False
    row = ConfidentialityAcceptance(
        listing_id=listing.id, organization_id=user.organization_id, user_id=user.id
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # accepted meanwhile by a colleague
        return False
    audit_row(session, row, actor=user, action="create", entity="confidentiality")
    return True
