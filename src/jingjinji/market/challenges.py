"""揭榜挂帅: the cycle of a challenge call 发榜 → 揭榜 → 评审 → 立项 → (milestones) → 验收.

Contract:

- A published challenge starts at 发榜. Organizations apply (揭榜) while the call is at 发榜 or
  揭榜 and its deadline has not passed; one application per organization; the owner cannot
  apply to its own call. The first application moves 发榜 → 揭榜.
- The owner moves the call one stage at a time (no skipping, no going back): 揭榜 → 评审 needs
  at least one application; 评审 → 立项 names the selected application (the others become
  未入选); milestones are added and completed while at 立项; 立项 → 验收 needs every milestone
  completed and records the reward paid (万元), which closes the cycle.
- Every change writes an audit entry; every stage change also a :class:`ChallengeEvent` with
  who and when, shown as the call's history.
- Simultaneous applications to one call queue on the call's row (:func:`apply` holds it
  before reading the stage and the applications): every organization's first application is
  accepted, a second one of the same organization is refused with 409, and the first moves
  the call 发榜 → 揭榜 once. The unique constraint on (call, organization) stays the last guard.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import pairwise

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.auth import audit_row, can_edit, snapshot
from jingjinji.market.listings import CHALLENGE_STAGES, MarketError
from jingjinji.store.models import (
    ChallengeApplication,
    ChallengeEvent,
    Listing,
    Milestone,
    User,
)

__all__ = [
    "APPLICATION_STATUSES",
    "OPEN_STAGES",
    "add_milestone",
    "advance",
    "applicant_counts",
    "application_of",
    "apply",
    "complete_milestone",
    "current_stage",
    "is_open",
    "load_sample_applications",
    "may_review",
    "selected_application",
]

OPEN_STAGES: tuple[str, ...] = ("发榜", "揭榜")
APPLICATION_STATUSES: tuple[str, ...] = ("已提交", "立项", "未入选", "已验收")


def current_stage(challenge: Listing) -> str:
    """The call's stage (``发榜`` when never set)."""
    return challenge.challenge_stage or CHALLENGE_STAGES[0]


def is_open(challenge: Listing, today: date | None = None) -> bool:
    """Whether applications are accepted: published, at 发榜 or 揭榜, deadline not passed."""
    today = today or date.today()
    return (
        challenge.status == "published"
        and current_stage(challenge) in OPEN_STAGES
        and (challenge.deadline is None or today <= challenge.deadline)
    )


def may_review(user: User | None, challenge: Listing) -> bool:
    """The owner's editors, admins and analysts see every application."""
    if user is None:
        return False
    return user.role in ("admin", "analyst") or can_edit(user, challenge.organization_id)


def applicant_counts(session: Session, ids: list[int]) -> dict[int, int]:
    """Number of applications per challenge id."""
    if not ids:
        return {}
    rows = session.execute(
        select(ChallengeApplication.challenge_id, func.count(ChallengeApplication.id))
        .where(ChallengeApplication.challenge_id.in_(ids))
        .group_by(ChallengeApplication.challenge_id)
    ).all()
    return {int(key): int(count) for key, count in rows}


def application_of(session: Session, challenge: Listing, organization_id: int) -> int | None:
    """The id of the application of ``organization_id`` to ``challenge``, if it applied."""
    return session.scalar(
        select(ChallengeApplication.id).where(
            ChallengeApplication.challenge_id == challenge.id,
            ChallengeApplication.organization_id == organization_id,
        )
    )


def selected_application(session: Session, challenge: Listing) -> ChallengeApplication | None:
    """The application chosen at 立项, if any."""
    return session.scalar(
        select(ChallengeApplication).where(
            ChallengeApplication.challenge_id == challenge.id,
            ChallengeApplication.status.in_(("立项", "已验收")),
        )
    )


def _move(
    session: Session, challenge: Listing, event: ChallengeEvent, *, user: User
) -> ChallengeEvent:
    """Move ``challenge`` to ``event.to_stage``: ``event`` records the step with who and from
    which stage, the challenge's change is audited."""
    before = snapshot(challenge)
    event.challenge_id = challenge.id
    event.user_id = user.id
    event.actor = user.username
    event.from_stage = current_stage(challenge)
    challenge.challenge_stage = event.to_stage
    session.add(event)
    audit_row(
        session, challenge, actor=user, action="transition", entity="challenge", before=before
    )
    return event


def _hold(session: Session, challenge: Listing) -> None:
    """Hold ``challenge``'s row until the transaction ends, then read it afresh: a no-op
    UPDATE locks the row on PostgreSQL and takes the write lock on SQLite, so a simultaneous
    application waits and then sees this one (its stage, version and application)."""
    session.execute(
        update(Listing)
        .where(Listing.id == challenge.id)
        .values(version=Listing.version, updated_at=Listing.updated_at)
        .execution_options(synchronize_session=False)
    )
    session.refresh(challenge)


def _require_challenge(challenge: Listing) -> None:
    if challenge.kind != "challenge":
        raise MarketError(
            "listing_id", "not a challenge call", "该信息不是揭榜挂帅榜单", status=404
        )


def apply(
    session: Session, challenge: Listing, *, user: User, plan: str, today: date | None = None
) -> ChallengeApplication:
    """The caller's organization applies (揭榜) with its ``plan``; see the module contract."""
    _require_challenge(challenge)
    _hold(session, challenge)
    today = today or date.today()
    if challenge.status != "published":
        raise MarketError("listing_id", "challenge not published", "榜单未发布，不能揭榜")
    if challenge.organization_id == user.organization_id:
        raise MarketError("listing_id", "own challenge", "不能揭本机构发布的榜单", status=403)
    if current_stage(challenge) not in OPEN_STAGES:
        stage = current_stage(challenge)
        raise MarketError(
            "listing_id", f"challenge is at {stage}", f"榜单已进入{stage}阶段，不再接受揭榜"
        )
    if challenge.deadline is not None and today > challenge.deadline:
        raise MarketError(
            "deadline",
            f"deadline {challenge.deadline} has passed",
            f"揭榜已于 {challenge.deadline.isoformat()} 截止",
        )
    if application_of(session, challenge, user.organization_id) is not None:
        raise MarketError(
            "organization_id",
            "organization already applied",
            "本机构已揭榜，每个机构限一份申请",
            status=409,
        )
    application = ChallengeApplication(
        challenge_id=challenge.id,
        organization_id=user.organization_id,
        plan=plan,
        status="已提交",
        applicant=user.username,
    )
    session.add(application)
    audit_row(session, application, actor=user, action="create", entity="challenge_application")
    if current_stage(challenge) == CHALLENGE_STAGES[0]:
        first = ChallengeEvent(to_stage=CHALLENGE_STAGES[1], note="首个揭榜申请")
        _move(session, challenge, first, user=user)
    return application


def advance(
    session: Session,
    challenge: Listing,
    *,
    to: str,
    user: User,
    note: str = "",
    application_id: int | None = None,
    reward_paid: float | None = None,
) -> ChallengeEvent:
    """Move the call to the next stage ``to`` (see the module contract)."""
    _require_challenge(challenge)
    stage = current_stage(challenge)
    if to not in CHALLENGE_STAGES:
        raise MarketError("to", f"unknown stage {to!r}", f"未知阶段“{to}”")
    if stage == CHALLENGE_STAGES[-1]:
        raise MarketError("to", "the cycle is complete", "榜单已验收，流程已结束")
    wanted = CHALLENGE_STAGES[CHALLENGE_STAGES.index(stage) + 1]
    if to != wanted:
        raise MarketError(
            "to",
            f"from {stage} the next stage is {wanted}",
            f"当前阶段为{stage}，下一阶段应为{wanted}，不能跳过或回退",
        )
    applications = list(
        session.scalars(
            select(ChallengeApplication)
            .where(ChallengeApplication.challenge_id == challenge.id)
            .order_by(ChallengeApplication.id)
        )
    )
    if to == "评审" and not applications:
        raise MarketError("to", "no application to review", "尚无揭榜申请，不能进入评审")
    if to == "立项":
        chosen = next((a for a in applications if a.id == application_id), None)
        if chosen is None:
            raise MarketError(
                "application_id", "pick one of the applications", "请选择一份揭榜申请立项"
            )
        for item in applications:
            before = snapshot(item)
            item.status = "立项" if item is chosen else "未入选"
            audit_row(
                session,
                item,
                actor=user,
                action="update",
                entity="challenge_application",
                before=before,
            )
    if to == "验收":
        chosen = selected_application(session, challenge)
        if chosen is None:  # pragma: no cover - 立项 always selects one
            raise MarketError("application_id", "nothing selected", "没有立项的申请")
        open_items = session.scalar(
            select(func.count(Milestone.id)).where(
                Milestone.application_id == chosen.id, Milestone.status != "已完成"
            )
        )
        if open_items:
            raise MarketError(
                "to", f"{open_items} milestones not completed", f"还有 {open_items} 个里程碑未完成"
            )
        if reward_paid is None:
            raise MarketError("reward_paid", "state the reward paid", "验收须填写兑现的奖励金额")
        before = snapshot(chosen)
        chosen.status, chosen.reward_paid = "已验收", reward_paid
        audit_row(
            session,
            chosen,
            actor=user,
            action="update",
            entity="challenge_application",
            before=before,
        )
        application_id = chosen.id
    step = ChallengeEvent(
        to_stage=to,
        note=note,
        application_id=application_id,
        reward_paid=reward_paid if to == "验收" else None,
    )
    return _move(session, challenge, step, user=user)


def add_milestone(
    session: Session, challenge: Listing, *, title: str, due: date | None, user: User
) -> Milestone:
    """A milestone of the selected application (only while at 立项)."""
    _require_challenge(challenge)
    if current_stage(challenge) != "立项":
        raise MarketError("listing_id", "milestones need 立项", "立项后才能设置里程碑")
    chosen = selected_application(session, challenge)
    if chosen is None:  # pragma: no cover - 立项 always selects one
        raise MarketError("listing_id", "nothing selected", "没有立项的申请")
    milestone = Milestone(application_id=chosen.id, title=title, due=due, status="待完成")
    session.add(milestone)
    audit_row(session, milestone, actor=user, action="create", entity="milestone")
    return milestone


def complete_milestone(
    session: Session, challenge: Listing, milestone: Milestone, *, user: User
) -> Milestone:
    """Mark ``milestone`` of ``challenge`` completed (while at 立项), with who and when."""
    _require_challenge(challenge)
    chosen = selected_application(session, challenge)
    if chosen is None or milestone.application_id != chosen.id:
        raise MarketError(
            "milestone_id", "not a milestone of this call", "里程碑不存在", status=404
        )
    if current_stage(challenge) != "立项":
        raise MarketError("milestone_id", "not at 立项", "榜单不在立项阶段，里程碑不能变更")
    if milestone.status == "已完成":
        raise MarketError("milestone_id", "already completed", "该里程碑已完成", status=409)
    before = snapshot(milestone)
    milestone.status = "已完成"
    milestone.completed_at = datetime.now(UTC)
    milestone.completed_by = user.username
    audit_row(session, milestone, actor=user, action="update", entity="milestone", before=before)
    return milestone


SAMPLE_APPLICATIONS_SEED = 20261130


def load_sample_applications(session: Session, atlas: Atlas) -> int:
    """Sample loader: 1–5 applications from sample universities and institutes to each sample
    challenge call at 揭榜 or 评审, with the cycle's history (actor 示例数据), fixed seed.
    Does nothing when applications exist. Returns the applications added."""
    import numpy as np

    from jingjinji.store.models import Organization

    if session.scalar(select(func.count(ChallengeApplication.id))):
        return 0
    rng = np.random.default_rng(SAMPLE_APPLICATIONS_SEED)
    calls = session.scalars(
        select(Listing)
        .where(
            Listing.kind == "challenge",
            Listing.provenance == "demo",
            Listing.challenge_stage.in_(("揭榜", "评审")),
        )
        .order_by(Listing.id)
    ).all()
    supply = session.scalars(
        select(Organization.id)
        .where(Organization.kind == "university", Organization.name.like("%（示例）"))
        .order_by(Organization.id)
    ).all()
    if not calls or not supply:
        return 0
    added = 0
    for call in calls:
        count = min(len(supply), int(rng.integers(1, 6)))
        picks = rng.choice(len(supply), size=count, replace=False)
        start = call.published_at or datetime.now(UTC)
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        for i in sorted(int(p) for p in picks):
            session.add(
                ChallengeApplication(
                    challenge_id=call.id,
                    organization_id=supply[i],
                    status="已提交",
                    applicant="示例数据",
                    plan=f"依托本单位相关研究基础，围绕“{call.title.removeprefix('揭榜挂帅：')}”"
                    "提出技术路线：先完成关键材料与工艺验证，再开展中试与示范应用，"
                    "计划 18 个月内达到榜单目标指标。",
                )
            )
            added += 1
        path = ("发榜", "揭榜") if call.challenge_stage == "揭榜" else ("发榜", "揭榜", "评审")
        for step, (before, after) in enumerate(pairwise(path)):
            session.add(
                ChallengeEvent(
                    challenge_id=call.id,
                    actor="示例数据",
                    from_stage=before,
                    to_stage=after,
                    at=start + (step + 1) * (datetime.now(UTC) - start) / 4,
                    note="示例数据",
                )
            )
    session.flush()
    return added
