"""Stored policies and the answers of :mod:`jingjinji.policies.queries` as response schemas."""

from __future__ import annotations

from datetime import date

from jingjinji.atlas import Atlas
from jingjinji.policies import describe
from jingjinji.policies.eligibility import ConditionCheck
from jingjinji.policies.queries import Comparison, EligibilityResult, SearchResult, today
from jingjinji.policies.repository import to_record
from jingjinji.projects import atlas_name, place_label
from jingjinji.store.models import Policy
from jingjinji.web.schemas.policies import (
    CheckPublic,
    CompareColumnPublic,
    ComparePublic,
    ConditionPublic,
    EligibilityPublic,
    EligibleListPublic,
    PolicyPublic,
    ProfilePublic,
    SearchHitPublic,
    SearchPublic,
)

__all__ = [
    "comparison_public",
    "eligibility_public",
    "policy_public",
    "search_public",
    "target_names",
]


def policy_public(row: Policy, atlas: Atlas, *, on: date | None = None) -> PolicyPublic:
    """The public form of a stored policy with its described conditions; ``expired`` as of
    ``on`` (default: today)."""
    record = to_record(row)
    return PolicyPublic(
        id=row.id,
        title=row.title,
        place_adcode=row.place_adcode,
        place_name=place_label(row.place_adcode, atlas),
        department=row.department,
        number=row.number,
        issued_on=row.issued_on,
        effective_on=row.effective_on,
        expires_on=row.expires_on,
        expired=record.expired(on or today()),
        type=row.type,
        target_places=list(row.target_places or []),
        target_industries=list(row.target_industries or []),
        target_segments=list(row.target_segments or []),
        target_tags=list(row.target_tags or []),
        target_sizes=list(row.target_sizes or []),
        revenue_min=row.revenue_min,
        revenue_max=row.revenue_max,
        founded_after=row.founded_after,
        benefits=row.benefits,
        summary=row.summary,
        full_text=row.full_text,
        link=row.link,
        conditions=[
            ConditionPublic(kind=c.kind, text=describe(c, atlas), data=c.model_dump(mode="json"))
            for c in record.conditions
        ],
        source=row.source,
        provenance=row.provenance,
        is_sample=row.provenance == "demo",
        organization_id=row.organization_id,
        version=row.version,
    )


def target_names(policy: PolicyPublic, atlas: Atlas) -> dict[str, list[str]]:
    """The Chinese names of a policy's target places, industries and segments."""
    return {
        "places": [place_label(code, atlas) for code in policy.target_places],
        "industries": [atlas_name(atlas, "industry", s) for s in policy.target_industries],
        "segments": [atlas_name(atlas, "segment", s) for s in policy.target_segments],
    }


def search_public(q: str, result: SearchResult, atlas: Atlas) -> SearchPublic:
    """The answer to the search ``q``."""
    data = [
        SearchHitPublic(score=hit.score, terms=list(hit.terms), policy=policy_public(row, atlas))
        for hit, row in result.hits
    ]
    return SearchPublic(query=q, terms=result.terms, data=data, count=result.count)


def _checks(items: list[ConditionCheck]) -> list[CheckPublic]:
    return [CheckPublic(kind=c.kind, text=c.text, status=c.status, reason=c.reason) for c in items]


def eligibility_public(result: EligibilityResult, atlas: Atlas) -> EligibleListPublic:
    """The profile and the ranked policies checked against it."""
    data = [
        EligibilityPublic(
            eligible=r.eligible,
            met=_checks(r.met),
            unmet=_checks(r.unmet),
            unknown=_checks(r.unknown),
            policy=policy_public(row, atlas),
        )
        for r, row in result.results
    ]
    return EligibleListPublic(
        profile=ProfilePublic.model_validate(result.profile, from_attributes=True),
        data=data,
        count=result.count,
        eligible_count=result.eligible_count,
    )


def comparison_public(comparison: Comparison, atlas: Atlas) -> ComparePublic:
    """The three places' columns for one industry."""
    return ComparePublic(
        industry=comparison.industry,
        industry_name=comparison.industry_name,
        columns=[
            CompareColumnPublic(
                place=c.place,
                place_name=place_label(c.place, atlas),
                targeted=[policy_public(row, atlas) for row in c.targeted],
                general=[policy_public(row, atlas) for row in c.general],
            )
            for c in comparison.columns
        ],
    )
