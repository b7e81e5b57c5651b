"""API schemas for listings, matches and their transitions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["achievement", "demand", "challenge", "instrument"]
Status = Literal["draft", "published", "closed"]
Stage = Literal["概念验证", "实验室", "中试", "小批量", "量产"]
AchievementType = Literal["专利", "软件著作权", "新品种", "新工艺", "新产品", "技术秘密"]
Mode = Literal["转让", "许可", "作价入股", "合作开发", "先使用后付费"]
ChallengeStage = Literal["发榜", "揭榜", "评审", "立项", "验收"]
MatchStage = Literal["推荐", "意向", "洽谈", "签约", "落地", "已拒绝"]
DeclineReason = Literal["阶段太早", "优势不明显", "价格不合适", "方向不符", "其他"]

Short = Annotated[str, Field(max_length=64)]
Amount = Annotated[float, Field(ge=0, le=1e8)]
Text = Annotated[str, Field(max_length=4000)]
Adcode = Annotated[str, Field(pattern=r"^\d{6}$")]


class _ListingFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Text = ""
    place_adcode: Adcode | None = None
    segments: list[Short] | None = Field(default=None, max_length=10)
    keywords: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=20
    )
    stage: Stage | None = None
    achievement_type: AchievementType | None = None
    patent_numbers: list[Annotated[str, Field(max_length=40)]] = Field(
        default_factory=list, max_length=20
    )
    transaction_modes: list[Mode] = Field(default_factory=list, max_length=5)
    price_min: Amount | None = None
    price_max: Amount | None = None
    budget: Amount | None = None
    reward: Amount | None = None
    price_per_hour: Amount | None = None
    instrument_category: Annotated[str, Field(max_length=50)] | None = None
    problem: Text = ""
    advantage: Text = ""
    economics: Text = ""
    commercial_route: Text = ""
    current_solution: Text = ""
    target_indicators: Text = ""
    conditions: Text = ""
    deadline: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    contact: Annotated[str, Field(max_length=200)] = ""
    contact_public: bool = False
    confidential: Text = ""


class ListingCreate(_ListingFields):
    """A new listing; without ``segments`` they are suggested from the text."""

    kind: Kind
    title: Annotated[str, Field(min_length=1, max_length=200)]
    status: Literal["draft", "published"] = "draft"
    organization_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class ListingUpdate(BaseModel):
    """Fields to change; ``version`` (optional) refuses the change if someone saved meanwhile."""

    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    summary: Text | None = None
    place_adcode: Adcode | None = None
    segments: list[Short] | None = Field(default=None, max_length=10)
    keywords: list[Annotated[str, Field(min_length=1, max_length=40)]] | None = Field(
        default=None, max_length=20
    )
    stage: Stage | None = None
    achievement_type: AchievementType | None = None
    transaction_modes: list[Mode] | None = Field(default=None, max_length=5)
    price_min: Amount | None = None
    price_max: Amount | None = None
    budget: Amount | None = None
    reward: Amount | None = None
    price_per_hour: Amount | None = None
    problem: Text | None = None
    advantage: Text | None = None
    economics: Text | None = None
    commercial_route: Text | None = None
    current_solution: Text | None = None
    target_indicators: Text | None = None
    conditions: Text | None = None
    challenge_stage: ChallengeStage | None = None
    deadline: date | None = None
    valid_until: date | None = None
    contact: Annotated[str, Field(max_length=200)] | None = None
    contact_public: bool | None = None
    confidential: Text | None = None
    status: Status | None = None
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)


class SegmentRef(BaseModel):
    slug: str
    name: str
    industry: str


class ListingPublic(BaseModel):
    id: int
    kind: str
    kind_label: str
    status: str
    title: str
    summary: str
    organization_id: int
    organization_name: str
    place_adcode: str | None
    place_name: str | None
    segments: list[SegmentRef]
    industries: list[str]
    keywords: list[str]
    stage: str | None
    trl: str | None
    achievement_type: str | None
    patent_numbers: list[str]
    transaction_modes: list[str]
    price_min: float | None
    price_max: float | None
    budget: float | None
    reward: float | None
    price_per_hour: float | None
    instrument_category: str | None
    problem: str
    advantage: str
    economics: str
    commercial_route: str
    current_solution: str
    target_indicators: str
    conditions: str
    challenge_stage: str | None
    deadline: date | None
    valid_from: date | None
    valid_until: date | None
    expired: bool
    contact: str | None = Field(
        description="null when hidden: shown when public, to the owners, and to the other side "
        "of a deal once both have accepted 洽谈"
    )
    contact_public: bool
    has_confidential: bool = Field(
        default=False, description="details kept behind a confidentiality agreement"
    )
    confidential_details: str | None = Field(
        default=None, description="the details, for the owners and organizations that accepted"
    )
    completeness: int
    missing: list[str]
    is_sample: bool
    published_at: datetime | None
    updated_at: datetime
    version: int
    can_edit: bool


class ListingsPublic(BaseModel):
    data: list[ListingPublic]
    count: int


class ReasonPublic(BaseModel):
    factor: str
    label: str
    detail: str
    value: float
    weight: float
    points: float
    terms: list[tuple[str, float]]
    #: text only: the retrievers that found the match (lexical, dense) with its rank in each
    found_by: list[tuple[str, int]] = []
    #: text only: the cosine of the two listings' dense vectors
    similarity: float | None = None
    #: text only: the counterpart's sentence closest to this listing (dense matches)
    passage: str = ""


class MatchPublic(BaseModel):
    match_id: int | None
    stage: str | None
    score: float
    bm25: float
    listing: ListingPublic
    reasons: list[ReasonPublic]


class MatchesPublic(BaseModel):
    data: list[MatchPublic]
    count: int
    expansion: list[str] = Field(
        default_factory=list,
        description="检索时已并入查询的所属产业环节词汇（名称、关键词、同义词）；不扩展时为空",
    )
    expansion_segments: list[str] = Field(
        default_factory=list,
        description="扩展词汇所来自的产业环节（代码）：本条所属的环节；本条未标注环节时为按语义"
        "推测的最相近环节；不扩展时为空",
    )


class SegmentSuggestion(BaseModel):
    segment: str
    industry: str
    name: str
    confidence: float
    decision: str
    evidence: list[dict[str, Any]]


class SegmentSuggestions(BaseModel):
    data: list[SegmentSuggestion]
    count: int


class ImportReport(BaseModel):
    added: int
    errors: list[dict[str, Any]]


class ContractStatistics(BaseModel):
    """Signed deals: count, amount (万元), 先使用后付费 trials and how many converted."""

    signed: int
    amount: float
    trials: int
    trials_converted: int
    trial_conversion_rate: float | None


class MarketStatistics(BaseModel):
    listings: dict[str, int]
    matching_rate: float
    signing_rate: float
    declines: dict[str, int]
    contracts: ContractStatistics
