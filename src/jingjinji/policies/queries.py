"""Questions asked of the stored policies: the filtered list, full-text search, which policies
apply to an enterprise, and the three places compared for one industry.

Each answer pairs the analytics' results (:mod:`jingjinji.policies.search`,
:mod:`~jingjinji.policies.eligibility`, :mod:`~jingjinji.policies.compare`) with the stored
rows they are about; the web layer presents them. Policies are judged expired against
:func:`today`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.policies.compare import compare
from jingjinji.policies.eligibility import Eligibility, EnterpriseProfile, match_policies
from jingjinji.policies.repository import PolicyFilter, filter_policies, to_record
from jingjinji.policies.search import PolicyIndex, SearchHit, parse_query, tokenize
from jingjinji.projects.places import atlas_name, place_label
from jingjinji.store.models import Enterprise, Policy

__all__ = [
    "Comparison",
    "ComparisonColumn",
    "EligibilityResult",
    "PolicyNotFound",
    "SearchResult",
    "all_policies",
    "compare_places",
    "eligible_policies",
    "enterprise_profile",
    "filtered_policies",
    "search_index",
    "search_policies",
    "today",
]


class PolicyNotFound(LookupError):
    """What a question names (an enterprise, an industry) does not exist; ``message_zh`` says
    so to the user."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


@dataclass(frozen=True)
class SearchResult:
    """Search hits, best first, each with its stored policy; the query's ``terms`` (words and
    quoted phrases) and the ``count`` of all hits."""

    terms: list[str]
    hits: list[tuple[SearchHit, Policy]]
    count: int


@dataclass(frozen=True)
class EligibilityResult:
    """The ranked checks of the policies against ``profile``, each with its stored policy;
    ``count`` and ``eligible_count`` cover every result, not only those listed."""

    profile: EnterpriseProfile
    results: list[tuple[Eligibility, Policy]]
    count: int
    eligible_count: int


@dataclass(frozen=True)
class ComparisonColumn:
    """One place's stored policies: aimed at the industry, and general ones."""

    place: str
    targeted: list[Policy]
    general: list[Policy]


@dataclass(frozen=True)
class Comparison:
    """北京, 天津 and 河北 side by side for one industry (slug and Chinese name)."""

    industry: str
    industry_name: str
    columns: list[ComparisonColumn]


def today() -> date:
    """The date policies are judged expired against."""
    return date.today()


def all_policies(session: Session) -> list[Policy]:
    """Every stored policy."""
    return list(session.scalars(select(Policy).order_by(Policy.id)))


def filtered_policies(session: Session, filt: PolicyFilter, atlas: Atlas) -> list[Policy]:
    """The stored policies passing ``filt`` today, newest issue date first."""
    return filter_policies(all_policies(session), filt, atlas=atlas, today=today())


def search_index(rows: list[Policy], atlas: Atlas) -> PolicyIndex:
    """A BM25 index over the rows: title; department, number, place, summary, benefits,
    full text, targets and type as the body."""

    def body(row: Policy) -> str:
        industries = [atlas_name(atlas, "industry", s) for s in row.target_industries or []]
        segments = [atlas_name(atlas, "segment", s) for s in row.target_segments or []]
        parts = [
            row.department,
            row.number or "",
            place_label(row.place_adcode, atlas),
            row.type,
            row.summary,
            row.benefits,
            row.full_text,
            *industries,
            *segments,
            *(row.target_tags or []),
        ]
        return "\n".join(p for p in parts if p)

    return PolicyIndex(((row.id, row.title, body(row)) for row in rows), atlas=atlas)


def search_policies(
    session: Session, q: str, filt: PolicyFilter, atlas: Atlas, *, limit: int
) -> SearchResult:
    """The best ``limit`` policies passing ``filt`` for the query ``q`` (see
    :mod:`jingjinji.policies.search`)."""
    rows = filtered_policies(session, filt, atlas)
    index = search_index(rows, atlas)
    hits = index.search(q)
    by_id = {row.id: row for row in rows}
    phrases, rest = parse_query(q)
    terms = list(dict.fromkeys(tokenize(rest, words=index.words) + phrases))
    return SearchResult(
        terms=terms, hits=[(h, by_id[h.key]) for h in hits[:limit]], count=len(hits)
    )


def enterprise_profile(session: Session, enterprise_id: int) -> EnterpriseProfile:
    """The profile of a registry enterprise: place, confirmed segments and their industries,
    tags, size and revenue (the registry has no founding date). Raises
    :class:`PolicyNotFound` for an unknown enterprise."""
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise PolicyNotFound("企业不存在")
    segments = [s for s in enterprise.segments if s.decision == "confirmed"]
    return EnterpriseProfile(
        place=enterprise.place_adcode,
        industries=tuple(sorted({s.industry for s in segments})),
        segments=tuple(s.segment for s in segments),
        tags=tuple(enterprise.tag_list),
        size=enterprise.size,
        revenue=enterprise.revenue,
        name=enterprise.name,
    )


def eligible_policies(
    session: Session,
    profile: EnterpriseProfile,
    atlas: Atlas,
    *,
    only_eligible: bool,
    limit: int,
) -> EligibilityResult:
    """Every current policy checked against ``profile``, ranked; the first ``limit`` listed."""
    rows = all_policies(session)
    by_id = {row.id: row for row in rows}
    results = match_policies(
        (to_record(r) for r in rows),
        profile,
        atlas=atlas,
        today=today(),
        only_eligible=only_eligible,
    )
    return EligibilityResult(
        profile=profile,
        results=[(r, by_id[r.policy.id or 0]) for r in results[:limit]],
        count=len(results),
        eligible_count=sum(1 for r in results if r.eligible),
    )


def compare_places(
    session: Session, industry: str, atlas: Atlas, *, include_expired: bool
) -> Comparison:
    """The three places' policies for ``industry`` (see :mod:`jingjinji.policies.compare`);
    raises :class:`PolicyNotFound` for an industry the atlas does not know."""
    try:
        name = atlas.industry(industry).name
    except AtlasLookupError:
        raise PolicyNotFound("产业链不存在") from None
    rows = all_policies(session)
    by_id = {row.id: row for row in rows}
    columns = compare(
        (to_record(r) for r in rows),
        industry=industry,
        atlas=atlas,
        today=today(),
        include_expired=include_expired,
    )
    return Comparison(
        industry=industry,
        industry_name=name,
        columns=[
            ComparisonColumn(
                place=c.place,
                targeted=[by_id[p.id or 0] for p in c.targeted],
                general=[by_id[p.id or 0] for p in c.general],
            )
            for c in columns
        ],
    )
