"""揭榜挂帅 board rows, applications and one call's cycle as response schemas."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jingjinji import market
from jingjinji.atlas import Atlas
from jingjinji.market.challenge_board import Applicant, ChallengeDetail, ChallengeRow
from jingjinji.market.challenges import current_stage, is_open
from jingjinji.store.models import ChallengeApplication
from jingjinji.web.presenters.listings import place_name
from jingjinji.web.schemas.market_workflow import (
    ApplicationPublic,
    ApplicationsPublic,
    ChallengeEventPublic,
    ChallengeState,
    ChallengeSummary,
    MilestonePublic,
)

__all__ = [
    "application_public",
    "applications_public",
    "challenge_state",
    "challenge_summaries",
]


def challenge_summaries(
    rows: Sequence[ChallengeRow], atlas: Atlas, today: date | None = None
) -> list[ChallengeSummary]:
    """Board rows: stage, deadline, number of applicants and reward of each call."""
    return [
        ChallengeSummary(
            id=row.listing.id,
            title=row.listing.title,
            organization_name=row.organization_name,
            place_name=place_name(atlas, row.listing.place_adcode),
            reward=row.listing.reward,
            deadline=row.listing.deadline,
            stage=current_stage(row.listing),
            applicants=row.applicants,
            open=is_open(row.listing, today),
            is_sample=row.listing.provenance == "demo",
        )
        for row in rows
    ]


def application_public(
    application: ChallengeApplication, organization_name: str
) -> ApplicationPublic:
    """An application with the name of the organization that applied."""
    public = ApplicationPublic.model_validate(application)
    return public.model_copy(update={"organization_name": organization_name})


def _applications(applicants: Sequence[Applicant]) -> list[ApplicationPublic]:
    return [application_public(a.application, a.organization_name) for a in applicants]


def applications_public(applicants: Sequence[Applicant]) -> ApplicationsPublic:
    """The applications a caller may see, with their count."""
    data = _applications(applicants)
    return ApplicationsPublic(data=data, count=len(data))


def challenge_state(detail: ChallengeDetail, atlas: Atlas) -> ChallengeState:
    """A call with its cycle, history, visible applications and milestones."""
    summary = challenge_summaries([detail.row], atlas)[0]
    challenge = detail.row.listing
    return ChallengeState(
        **summary.model_dump(),
        stages=list(market.CHALLENGE_STAGES),
        conditions=challenge.conditions,
        history=[ChallengeEventPublic.model_validate(e) for e in detail.history],
        applications=_applications(detail.applications),
        milestones=[MilestonePublic.model_validate(m) for m in detail.milestones],
        can_manage=detail.can_manage,
        can_apply=detail.can_apply,
        own_application_id=detail.own_application_id,
        version=challenge.version,
    )
