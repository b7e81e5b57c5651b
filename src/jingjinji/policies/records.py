"""Policies of the shared list (共用一份政策清单) and their structured eligibility conditions.

A condition is data, not prose: ``{"kind": "place_in", "places": ["130600"]}``. The kinds are

============== ============================================ ==================================
kind           fields                                       an enterprise meets it when
============== ============================================ ==================================
place_in       places (adcodes)                             it lies in one of the places
industry_in    industries, segments (atlas slugs)           it works in one of them
tag_in         tags (e.g. 高新技术企业, 专精特新“小巨人”)     it carries one of the tags
size_in        sizes (大型, 中型, 小型, 微型)                 its size class is one of them
revenue_range  min, max (万元, either may be absent)         min ≤ revenue ≤ max
founded_after  date                                         it was founded on or after date
============== ============================================ ==================================

Size classes follow 《统计上大中小微型企业划分办法（2017）》.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

__all__ = [
    "POLICY_TYPES",
    "SIZES",
    "Condition",
    "ConditionList",
    "FoundedCondition",
    "IndustryCondition",
    "PlaceCondition",
    "PolicyRecord",
    "RevenueCondition",
    "SizeCondition",
    "TagCondition",
    "conditions_from_targets",
]

#: Policy types of the list.
POLICY_TYPES: tuple[str, ...] = ("资金", "税收", "人才", "用地", "平台", "金融", "其他")
#: Enterprise size classes (统计上大中小微型企业划分办法 2017).
SIZES: tuple[str, ...] = ("大型", "中型", "小型", "微型")

Adcode = Annotated[str, Field(pattern=r"^\d{6}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Tag = Annotated[str, Field(min_length=1, max_length=50)]
SizeClass = Literal["大型", "中型", "小型", "微型"]


class _Condition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlaceCondition(_Condition):
    """The enterprise lies in one of ``places`` (or a place inside one)."""

    kind: Literal["place_in"] = "place_in"
    places: list[Adcode] = Field(min_length=1, max_length=50)


class IndustryCondition(_Condition):
    """The enterprise works in one of ``industries`` or ``segments``."""

    kind: Literal["industry_in"] = "industry_in"
    industries: list[Slug] = Field(default_factory=list, max_length=50)
    segments: list[Slug] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _something(self) -> IndustryCondition:
        if not self.industries and not self.segments:
            raise ValueError("industry_in needs industries or segments")
        return self


class TagCondition(_Condition):
    """The enterprise carries one of ``tags``."""

    kind: Literal["tag_in"] = "tag_in"
    tags: list[Tag] = Field(min_length=1, max_length=30)


class SizeCondition(_Condition):
    """The enterprise's size class is one of ``sizes``."""

    kind: Literal["size_in"] = "size_in"
    sizes: list[SizeClass] = Field(min_length=1, max_length=4)


class RevenueCondition(_Condition):
    """Annual revenue in 万元 within [min, max]; an absent bound is open."""

    kind: Literal["revenue_range"] = "revenue_range"
    min: float | None = Field(default=None, ge=0, le=1e12)
    max: float | None = Field(default=None, ge=0, le=1e12)

    @model_validator(mode="after")
    def _bounds(self) -> RevenueCondition:
        if self.min is None and self.max is None:
            raise ValueError("revenue_range needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("revenue_range min is above max")
        return self


class FoundedCondition(_Condition):
    """The enterprise was founded on or after ``date``."""

    kind: Literal["founded_after"] = "founded_after"
    date: date


Condition = Annotated[
    PlaceCondition
    | IndustryCondition
    | TagCondition
    | SizeCondition
    | RevenueCondition
    | FoundedCondition,
    Field(discriminator="kind"),
]
#: Validates a JSON list of conditions: ``ConditionList.validate_python([...])``.
ConditionList: TypeAdapter[list[Condition]] = TypeAdapter(list[Condition])


def conditions_from_targets(
    *,
    places: Sequence[str] = (),
    industries: Sequence[str] = (),
    segments: Sequence[str] = (),
    tags: Sequence[str] = (),
    sizes: Sequence[str] = (),
    revenue_min: float | None = None,
    revenue_max: float | None = None,
    founded_after: date | None = None,
) -> list[Condition]:
    """The conditions a spreadsheet row's target columns state, one per filled column group.

    >>> [c.kind for c in conditions_from_targets(places=["130600"], tags=["高新技术企业"])]
    ['place_in', 'tag_in']
    """
    result: list[Condition] = []
    if places:
        result.append(PlaceCondition(places=list(places)))
    if industries or segments:
        result.append(IndustryCondition(industries=list(industries), segments=list(segments)))
    if tags:
        result.append(TagCondition(tags=list(tags)))
    if sizes:
        result.append(SizeCondition.model_validate({"sizes": list(sizes)}))
    if revenue_min is not None or revenue_max is not None:
        result.append(RevenueCondition(min=revenue_min, max=revenue_max))
    if founded_after is not None:
        result.append(FoundedCondition(date=founded_after))
    return result


@dataclass(frozen=True)
class PolicyRecord:
    """A policy as the analytics see it (the store's rows are converted to this)."""

    title: str
    place: str
    type: str
    id: int | None = None
    department: str = ""
    number: str = ""
    issued_on: date | None = None
    effective_on: date | None = None
    expires_on: date | None = None
    target_places: tuple[str, ...] = ()
    target_industries: tuple[str, ...] = ()
    target_segments: tuple[str, ...] = ()
    target_tags: tuple[str, ...] = ()
    target_sizes: tuple[str, ...] = ()
    benefits: str = ""
    summary: str = ""
    full_text: str = ""
    link: str = ""
    conditions: tuple[Condition, ...] = field(default_factory=tuple)

    def expired(self, today: date) -> bool:
        """Whether the policy has lapsed: its expiry date lies before ``today``."""
        return self.expires_on is not None and self.expires_on < today
