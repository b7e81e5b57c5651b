"""Deal to project: the project of a match at 落地, registered once per match.

Two simultaneous registrations of one deal queue on the match's row: the second waits for the
first and returns its project. The unique index on ``projects.match_id`` is the last guard
(a project naming the deal through another path meanwhile makes the database refuse this
one, answered 409 by the web layer).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import audit_row
from jingjinji.loop.repository.shared import LoopError
from jingjinji.projects.repository import contract_investment, record_stage
from jingjinji.store.models import (
    GapListing,
    Listing,
    Match,
    MatchEvent,
    Organization,
    Project,
    User,
)


def _event_date(session: Session, match_id: int, stage: str) -> date | None:
    at = session.scalar(
        select(func.min(MatchEvent.at)).where(
            MatchEvent.match_id == match_id, MatchEvent.to_stage == stage
        )
    )
    return at.date() if at is not None else None


def _contract_date(match: Match) -> date | None:
    try:
        return date.fromisoformat(str((match.contract or {}).get("signed_on")))
    except ValueError:
        return None


def _hold(session: Session, match: Match) -> None:
    """Hold ``match``'s row until the transaction ends, then read it afresh: a no-op UPDATE
    locks the row on PostgreSQL and takes the write lock on SQLite, so a simultaneous
    registration waits for this one and then finds its project."""
    session.execute(
        update(Match)
        .where(Match.id == match.id)
        .values(version=Match.version, updated_at=Match.updated_at)
        .execution_options(synchronize_session=False)
    )
    session.refresh(match)


def project_from_match(
    session: Session,
    atlas: Atlas,
    *,
    match: Match,
    user: User,
    investment: float | None = None,
) -> tuple[Project, bool]:
    """The project of a match at 落地, created on the first call (idempotent by ``match_id``).

    Origin: the achievement's place (else its organization's); destination: the demand's
    place; segments: those the two share, else the demand's; investment in 亿元 if given,
    else the signed contract's amount (万元 → 亿元; 422 when there is neither); owned by the
    caller's organization when it is a party (else the demand's); the gap it fills
    (``addresses``) is the suggestion the demand was drafted from. Stage 签约, signed on the
    contract's date, else the day the match reached 签约; the registration is its first
    stage event. Idempotent also when two calls arrive at once (see the module docstring).
    """
    registered = select(Project).where(Project.match_id == match.id)
    found = session.scalar(registered)
    if found is None:
        _hold(session, match)
        found = session.scalar(registered)
    if found is not None:
        return found, False
    if match.stage != "落地":
        raise LoopError(
            409,
            "stage",
            f"match is {match.stage}, not 落地",
            f"对接处于“{match.stage}”阶段，落地后才能转为项目",
        )
    demand = session.get(Listing, match.demand_id)
    offer = session.get(Listing, match.achievement_id)
    if demand is None or offer is None:
        raise LoopError(404, "match", "listing gone", "对接的供需信息已不存在")
    origin = offer.place_adcode
    if not origin:
        org = session.get(Organization, offer.organization_id)
        origin = org.place_adcode if org else None
    if not origin or not demand.place_adcode:
        raise LoopError(
            422, "place", "both sides need a place", "成果所在地或需求所在地缺失，无法登记项目"
        )
    shared = [s for s in demand.segments or [] if s in (offer.segments or [])]
    segments = shared or list(demand.segments or []) or list(offer.segments or [])
    industry: str | None = None
    if segments:
        try:
            industry = atlas.industry_of(segments[0]).slug
        except AtlasLookupError:
            industry = None
    if investment is None:
        investment = contract_investment(match)
    if investment is None:
        raise LoopError(
            422,
            "investment",
            "the deal has no contract amount: give the investment",
            "该对接没有合同金额，请填写项目投资额（亿元）",
        )
    link = session.scalar(select(GapListing).where(GapListing.listing_id == demand.id))
    name = f"{offer.title}产业化项目"[:180]
    clash = session.scalar(
        select(Project.id).where(
            Project.name == name, Project.destination_adcode == demand.place_adcode
        )
    )
    if clash is not None:
        name = f"{name}（对接{match.id}）"
    orgs = dict(
        session.execute(
            select(Organization.id, Organization.name).where(
                Organization.id.in_([offer.organization_id, demand.organization_id])
            )
        ).all()
    )
    signed = _contract_date(match) or _event_date(session, match.id, "签约")
    signed = signed or datetime.now(UTC).date()
    project = Project(
        name=name,
        origin_adcode=origin,
        destination_adcode=demand.place_adcode,
        industry=industry,
        segments=segments,
        investment=float(investment),
        stage="签约",
        signed_on=signed,
        enterprises=[orgs[i] for i in (offer.organization_id, demand.organization_id) if i in orgs],
        addresses=link.suggestion_id if link is not None else None,
        match_id=match.id,
        source=f"供需对接 #{match.id}：{offer.title} → {demand.title}"[:300],
        provenance="manual",
        organization_id=(
            user.organization_id
            if user.organization_id in (demand.organization_id, offer.organization_id)
            else demand.organization_id
        ),
    )
    session.add(project)
    audit_row(session, project, actor=user, action="create", entity="project")
    record_stage(
        session, project, user=user, from_stage="", to_stage="签约", reason="由供需对接登记"
    )
    return project, True


# ------------------------------------------------------------------------------ 协同成效
