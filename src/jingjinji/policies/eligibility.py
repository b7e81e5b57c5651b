"""Which policies apply to an enterprise: every condition checked, met or not, with reasons.

The enterprise is a :class:`EnterpriseProfile` (from the registry, or described by hand).
Each condition of a policy is *met*, *unmet*, or *unknown* when the profile does not say (no
revenue given, say). A policy is eligible when every condition is met; expired policies are
left out unless asked for. Results are ranked: eligible first, then by fewer unmet and more met
conditions, then by newer issue date.

>>> from jingjinji.atlas import load_atlas
>>> from jingjinji.policies.records import PlaceCondition, TagCondition
>>> profile = EnterpriseProfile(place="130602", tags=("高新技术企业",))
>>> checks = evaluate([PlaceCondition(places=["130600"]), TagCondition(tags=["小巨人"])],
...                   profile, atlas=load_atlas())
>>> [(c.kind, c.status) for c in checks]
[('place_in', 'met'), ('tag_in', 'unmet')]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.chains.table import canonical_tags
from jingjinji.policies.records import (
    Condition,
    IndustryCondition,
    PlaceCondition,
    PolicyRecord,
    RevenueCondition,
    SizeCondition,
    TagCondition,
)
from jingjinji.projects.places import containing, place_label

__all__ = [
    "ConditionCheck",
    "Eligibility",
    "EnterpriseProfile",
    "describe",
    "evaluate",
    "match_policies",
]

Status = Literal["met", "unmet", "unknown"]


@dataclass(frozen=True)
class EnterpriseProfile:
    """What is known of an enterprise: place adcode, industries and segments (slugs), tags,
    size class, revenue (万元, last year) and founding date. ``None``/empty = not stated."""

    place: str | None = None
    industries: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    size: str | None = None
    revenue: float | None = None
    founded: date | None = None
    name: str = ""


@dataclass(frozen=True)
class ConditionCheck:
    """One condition of a policy checked against a profile."""

    kind: str
    text: str
    status: Status
    reason: str


@dataclass(frozen=True)
class Eligibility:
    """A policy with its checked conditions; eligible when all are met."""

    policy: PolicyRecord
    checks: list[ConditionCheck] = field(default_factory=list)

    @property
    def met(self) -> list[ConditionCheck]:
        return [c for c in self.checks if c.status == "met"]

    @property
    def unmet(self) -> list[ConditionCheck]:
        return [c for c in self.checks if c.status == "unmet"]

    @property
    def unknown(self) -> list[ConditionCheck]:
        return [c for c in self.checks if c.status == "unknown"]

    @property
    def eligible(self) -> bool:
        return all(c.status == "met" for c in self.checks)


def _names(kind: str, slugs: Iterable[str], atlas: Atlas) -> str:
    names = []
    for slug in slugs:
        try:
            names.append(str(getattr(atlas, kind)(slug).name))
        except AtlasLookupError:
            names.append(slug)
    return "、".join(names)


def _money(value: float) -> str:
    return f"{value:,.0f} 万元" if value == int(value) else f"{value:,.2f} 万元"


def describe(condition: Condition, atlas: Atlas) -> str:
    """The condition in Chinese, e.g. ``注册地在：保定市、廊坊市``."""
    if isinstance(condition, PlaceCondition):
        return "注册地在：" + "、".join(place_label(p, atlas) for p in condition.places)
    if isinstance(condition, IndustryCondition):
        parts = [
            _names("industry", condition.industries, atlas),
            _names("segment", condition.segments, atlas),
        ]
        return "所属产业链或环节：" + "、".join(p for p in parts if p)
    if isinstance(condition, TagCondition):
        return "企业资质：" + "、".join(condition.tags) + "（其一）"
    if isinstance(condition, SizeCondition):
        return "企业规模：" + "、".join(condition.sizes)
    if isinstance(condition, RevenueCondition):
        if condition.min is not None and condition.max is not None:
            return f"营业收入 {_money(condition.min)} 至 {_money(condition.max)}"
        if condition.min is not None:
            return f"营业收入不低于 {_money(condition.min)}"
        return f"营业收入不高于 {_money(condition.max or 0)}"
    return f"成立日期不早于 {condition.date.isoformat()}"


def _check(condition: Condition, profile: EnterpriseProfile, atlas: Atlas) -> tuple[Status, str]:
    if isinstance(condition, PlaceCondition):
        if not profile.place:
            return "unknown", "未提供企业所在地"
        inside = containing(profile.place, atlas) & set(condition.places)
        where = place_label(profile.place, atlas)
        return ("met", f"{where}在适用地区内") if inside else ("unmet", f"{where}不在适用地区内")
    if isinstance(condition, IndustryCondition):
        industries = set(profile.industries)
        for slug in profile.segments:
            try:
                industries.add(atlas.industry_of(slug).slug)
            except AtlasLookupError:
                continue
        if not industries and not profile.segments:
            return "unknown", "未提供所属产业链或环节"
        segments = set(profile.segments) & set(condition.segments)
        chains = industries & set(condition.industries)
        if segments or chains:
            hit = _names("segment", sorted(segments), atlas) or _names(
                "industry", sorted(chains), atlas
            )
            return "met", f"所属{hit}在支持范围内"
        return "unmet", "所属产业链或环节不在支持范围内"
    if isinstance(condition, TagCondition):
        if not profile.tags:
            return "unknown", "未提供企业资质标签"
        # 专精特新“小巨人” and 小巨人 are one tag: compare canonical forms
        held = set(canonical_tags(list(profile.tags)))
        hits = [t for t in condition.tags if held.intersection(canonical_tags([t]))]
        return ("met", f"具有{'、'.join(hits)}") if hits else ("unmet", "不具备所需资质")
    if isinstance(condition, SizeCondition):
        if not profile.size:
            return "unknown", "未提供企业规模"
        ok = profile.size in condition.sizes
        return ("met" if ok else "unmet"), f"企业规模为{profile.size}"
    if isinstance(condition, RevenueCondition):
        if profile.revenue is None:
            return "unknown", "未提供营业收入"
        low = condition.min if condition.min is not None else float("-inf")
        high = condition.max if condition.max is not None else float("inf")
        ok = low <= profile.revenue <= high
        return ("met" if ok else "unmet"), f"营业收入 {_money(profile.revenue)}"
    if profile.founded is None:
        return "unknown", "未提供成立日期"
    ok = profile.founded >= condition.date
    return ("met" if ok else "unmet"), f"成立于 {profile.founded.isoformat()}"


def evaluate(
    conditions: Sequence[Condition], profile: EnterpriseProfile, *, atlas: Atlas
) -> list[ConditionCheck]:
    """Check every condition against the profile, in the policy's order."""
    result = []
    for condition in conditions:
        status, reason = _check(condition, profile, atlas)
        result.append(ConditionCheck(condition.kind, describe(condition, atlas), status, reason))
    return result


def match_policies(
    policies: Iterable[PolicyRecord],
    profile: EnterpriseProfile,
    *,
    atlas: Atlas,
    today: date,
    include_expired: bool = False,
    only_eligible: bool = False,
) -> list[Eligibility]:
    """Every (current) policy checked against the profile, ranked as the module describes.

    A policy with no conditions applies to everyone and is eligible.
    """
    results = []
    for policy in policies:
        if policy.expired(today) and not include_expired:
            continue
        result = Eligibility(policy, evaluate(policy.conditions, profile, atlas=atlas))
        if only_eligible and not result.eligible:
            continue
        results.append(result)

    def rank(item: Eligibility) -> tuple[int, int, int, int, str]:
        issued = item.policy.issued_on.toordinal() if item.policy.issued_on else 0
        return (not item.eligible, len(item.unmet), -len(item.met), -issued, item.policy.title)

    return sorted(results, key=rank)
