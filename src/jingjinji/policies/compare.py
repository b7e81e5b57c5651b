"""The comparison view: the three places' policies for one industry, side by side.

For each of 北京, 天津, 河北 (policies issued by the place or by a place inside it): the
policies aimed at the industry (it, or one of its segments, is among their targets) and the
general policies (no industry targets), each group newest first. Policies aimed at other
industries only are left out; expired policies too unless asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.policies.records import IndustryCondition, PolicyRecord
from jingjinji.projects.places import REGION_PROVINCES, containing

__all__ = ["PlaceColumn", "compare", "targets_industry"]


@dataclass
class PlaceColumn:
    """One place's column: policies aimed at the industry and general ones."""

    place: str
    targeted: list[PolicyRecord] = field(default_factory=list)
    general: list[PolicyRecord] = field(default_factory=list)


def _industries(policy: PolicyRecord, atlas: Atlas) -> tuple[set[str], bool]:
    """Industries a policy is aimed at, and whether it names any (targets or conditions)."""
    found = set(policy.target_industries)
    segments = set(policy.target_segments)
    for condition in policy.conditions:
        if isinstance(condition, IndustryCondition):
            found.update(condition.industries)
            segments.update(condition.segments)
    for slug in segments:
        try:
            found.add(atlas.industry_of(slug).slug)
        except AtlasLookupError:
            continue
    return found, bool(found or segments)


def targets_industry(policy: PolicyRecord, industry: str, atlas: Atlas) -> bool:
    """Whether the policy names ``industry`` or one of its segments."""
    return industry in _industries(policy, atlas)[0]


def compare(
    policies: Iterable[PolicyRecord],
    *,
    industry: str,
    atlas: Atlas,
    today: date,
    include_expired: bool = False,
) -> list[PlaceColumn]:
    """Columns for 北京 (110000), 天津 (120000) and 河北 (130000), in that order."""
    columns = {code: PlaceColumn(code) for code in REGION_PROVINCES}
    for policy in policies:
        if policy.expired(today) and not include_expired:
            continue
        province = next((c for c in REGION_PROVINCES if c in containing(policy.place, atlas)), None)
        if province is None:
            continue
        industries, named = _industries(policy, atlas)
        if industry in industries:
            columns[province].targeted.append(policy)
        elif not named:
            columns[province].general.append(policy)

    def newest(policy: PolicyRecord) -> tuple[int, str]:
        return (-(policy.issued_on.toordinal() if policy.issued_on else 0), policy.title)

    for column in columns.values():
        column.targeted.sort(key=newest)
        column.general.sort(key=newest)
    return list(columns.values())
