"""Whose turn a deal is: the two-party rules of 推荐 → 意向 → 洽谈 → 签约 → 落地 (pure).

A match is between two organizations, the owner of the demand (or challenge) and the owner
of the achievement. Either side expresses 意向 alone; it becomes 洽谈 only when the *other*
side accepts. From 洽谈 on, each step (签约, 落地) is proposed by one side and takes effect
when the other confirms. Either side may decline at any open stage. When one organization
owns both listings it is both sides, and its steps take effect at once.

>>> turn = deal_turn(stage="意向", intent_org=7, pending_stage=None, pending_org=None,
...                  demand_org=7, achievement_org=9, org=9)
>>> turn.side, turn.waiting_for, turn.can
('achievement', 'achievement', ('洽谈', '已拒绝'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["CLOSED_STAGES", "DealTurn", "Side", "deal_turn", "side_of"]

Side = Literal["demand", "achievement", "both"]
STAGES: tuple[str, ...] = ("推荐", "意向", "洽谈", "签约", "落地")
DECLINED = "已拒绝"
#: Stages after which nothing moves.
CLOSED_STAGES = ("落地", DECLINED)
_SIDE_ZH = {"demand": "需求方", "achievement": "成果方"}


@dataclass(frozen=True)
class DealTurn:
    """What a deal waits for, seen from one organization.

    ``side``: the caller's side (``None`` when not a party); ``waiting_for``: the side whose
    action is awaited (``either`` when both may act, ``None`` when closed); ``can``: the
    stages the caller may post now (a proposal, a confirmation or 已拒绝); ``label``: what
    the page shows (e.g. 等待对方确认签约).
    """

    side: Side | None
    waiting_for: str | None
    can: tuple[str, ...]
    label: str

    @property
    def mine(self) -> bool:
        """True when the caller's action is awaited (what waits for me)."""
        if self.side is None or self.waiting_for is None:
            return False
        return self.waiting_for in (self.side, "either") or self.side == "both"


def side_of(org: int | None, *, demand_org: int, achievement_org: int) -> Side | None:
    """The side an organization is on (``both`` when it owns both listings)."""
    if org is None:
        return None
    if org == demand_org and org == achievement_org:
        return "both"
    if org == demand_org:
        return "demand"
    if org == achievement_org:
        return "achievement"
    return None


def _other(side: str) -> str:
    return "achievement" if side == "demand" else "demand"


def deal_turn(
    *,
    stage: str,
    intent_org: int | None,
    pending_stage: str | None,
    pending_org: int | None,
    demand_org: int,
    achievement_org: int,
    org: int | None,
) -> DealTurn:
    """Whose turn it is and what ``org`` may do now (see the module docstring)."""
    side = side_of(org, demand_org=demand_org, achievement_org=achievement_org)
    if stage in CLOSED_STAGES:
        label = "对接已拒绝" if stage == DECLINED else "已落地，可登记为项目"
        return DealTurn(side, None, (), label)
    decline: tuple[str, ...] = (DECLINED,)
    if stage == "推荐":
        can = ("意向", *decline) if side else ()
        return DealTurn(side, "either", can, "任一方可表达意向")
    if stage == "意向":
        intent_side = side_of(intent_org, demand_org=demand_org, achievement_org=achievement_org)
        awaited = _other(intent_side) if intent_side in ("demand", "achievement") else "either"
        may_accept = side == "both" or (side is not None and side == awaited) or awaited == "either"
        accepting: tuple[str, ...] = ("洽谈", *decline) if may_accept else decline
        can = accepting if side else ()
        who = "我方" if side is not None and side == awaited else "对方"
        if side is None:
            who = _SIDE_ZH.get(awaited, "任一方")
        return DealTurn(side, awaited, can, f"等待{who}接受意向")
    next_stage = STAGES[STAGES.index(stage) + 1]
    if pending_stage is None:
        can = (next_stage, *decline) if side else ()
        return DealTurn(side, "either", can, f"任一方可提议{next_stage}")
    proposer = side_of(pending_org, demand_org=demand_org, achievement_org=achievement_org)
    awaited = _other(proposer) if proposer in ("demand", "achievement") else "either"
    if side is None:
        return DealTurn(
            side, awaited, (), f"等待{_SIDE_ZH.get(awaited, '任一方')}确认{pending_stage}"
        )
    if side == "both" or side == awaited or awaited == "either":
        return DealTurn(side, awaited, (pending_stage, *decline), f"等待我方确认{pending_stage}")
    return DealTurn(side, awaited, decline, f"等待对方确认{pending_stage}")
