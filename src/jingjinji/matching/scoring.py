"""Structured scores and the final match formula, with a reason for every part.

For a demand (or challenge) ``d`` and an achievement ``a`` retrieved by BM25:

    S(d, a) = w_text·T + w_segment·G + w_maturity·M + w_place·P + w_corridor·C
              + w_freshness·F + w_price·B

each factor in [0, 1]:

- T, text: with hybrid retrieval (the default) the reciprocal rank fusion of the candidate's
  ranks in the lexical and the dense list, over its maximum (:mod:`jingjinji.matching.fusion`);
  with lexical retrieval alone BM25(d, a) / max BM25 over the candidates of this query
  (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009); the
  lexical query is the listing's text expanded with the vocabulary (name, keywords, synonyms)
  of its segments unless the caller turns expansion off (:meth:`Matcher.match`);
- G, segment: 1 when the two share an atlas segment, ``adjacent`` (0.5) when a segment of one
  feeds a segment of the other along the atlas supply edges, ``same_industry`` (0.25) when
  they only share the industry, else 0;
- M, maturity: with the demand's required stage r and the achievement's stage s on the chain
  概念验证 → 实验室 → 中试 → 小批量 → 量产, M = 1 if s ≥ r else max(0, 1 − 0.4·(r − s));
  0.5 when either is unknown;
- P, place: 1 for a Beijing achievement and a Tianjin or Hebei demand (the strategy's flow),
  0.6 for another pair of provinces, 0.3 within one province; 0.5 when unknown;
- C, corridor: 1 when both places lie, in different prefecture-level units, on one of the
  five corridors (五廊) whose industries include the pair's industry (the industry of the
  segments both share, or of either one's segments when only one side names them), else 0: a
  corridor carries the industries it was laid out for, not every flow along its route;
- F, freshness: 0.5^(age / half-life) with the age in days since publication;
- B, price: 1 when the asking price (lower bound) is within the budget, budget / price
  otherwise; 0.5 when either is unknown.

Default weights sum to 1, so S is in [0, 1]; override them with ``JJJ_MATCH_WEIGHTS``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date

from jingjinji.atlas import Atlas

__all__ = [
    "MATURITY_STAGES",
    "RETRIEVER_NAMES",
    "TRL_RANGES",
    "AtlasContext",
    "MatchWeights",
    "Profile",
    "Reason",
    "Scored",
    "atlas_context",
    "score_candidate",
    "stage_index",
]

#: The strategy's maturity chain, in order.
MATURITY_STAGES: tuple[str, ...] = ("概念验证", "实验室", "中试", "小批量", "量产")
#: Technology readiness levels (GB/T 22900-2022 科学技术研究项目评价通则, 9 levels) per stage.
TRL_RANGES: dict[str, tuple[int, int]] = {
    "概念验证": (1, 3),
    "实验室": (4, 5),
    "中试": (6, 7),
    "小批量": (8, 8),
    "量产": (9, 9),
}

_PROVINCE_NAMES = {"110000": "北京", "120000": "天津", "130000": "河北"}


def stage_index(stage: str | None) -> int | None:
    """Position of a maturity stage on the chain (``None`` when unknown)."""
    return MATURITY_STAGES.index(stage) if stage in MATURITY_STAGES else None


@dataclass(frozen=True)
class MatchWeights:
    """Named weights of the formula (module docstring) and the factor parameters."""

    text: float = 0.40
    segment: float = 0.20
    maturity: float = 0.12
    place: float = 0.08
    corridor: float = 0.05
    freshness: float = 0.05
    price: float = 0.10
    adjacent: float = 0.5
    same_industry: float = 0.25
    half_life_days: float = 365.0

    @classmethod
    def from_mapping(cls, values: Mapping[str, float]) -> MatchWeights:
        """Defaults overridden by ``values``; an unknown name or a negative value is an error."""
        names = {f.name for f in fields(cls)}
        for name, value in values.items():
            if name not in names:
                known = ", ".join(sorted(names))
                raise ValueError(f"unknown match weight {name!r}; known: {known}")
            if not isinstance(value, int | float) or value < 0:
                raise ValueError(f"match weight {name!r} must be a number ≥ 0, not {value!r}")
        return replace(cls(), **{k: float(v) for k, v in values.items()})


@dataclass(frozen=True, slots=True)
class Profile:
    """What the scorer knows of a listing besides its text."""

    key: int
    kind: str
    segments: tuple[str, ...] = ()
    stage: str | None = None
    place: str | None = None
    price_min: float | None = None
    budget: float | None = None
    published: date | None = None


@dataclass(frozen=True)
class AtlasContext:
    """Lookups the scorer needs, computed once from the atlas."""

    segment_industry: dict[str, str]
    segment_name: dict[str, str]
    adjacent: frozenset[tuple[str, str]]
    province: dict[str, str]
    unit: dict[str, str]
    corridors: dict[str, tuple[str, ...]]
    corridor_name: dict[str, str]
    corridor_industries: dict[str, frozenset[str]] = field(default_factory=dict)
    #: per segment its name, keywords and synonyms (the vocabulary a query is expanded with)
    segment_terms: dict[str, tuple[str, ...]] = field(default_factory=dict)


def atlas_context(atlas: Atlas) -> AtlasContext:
    """Segment → industry, supply adjacency (both directions), place → province, unit and
    corridors (a place is on a corridor that lists it, its prefecture-level unit or its
    municipality)."""
    segment_industry: dict[str, str] = {}
    segment_name: dict[str, str] = {}
    segment_terms: dict[str, tuple[str, ...]] = {}
    adjacent: set[tuple[str, str]] = set()
    for industry in atlas.industries:
        for segment in industry.segments:
            segment_industry[segment.slug] = industry.slug
            segment_name[segment.slug] = segment.name
            segment_terms[segment.slug] = tuple(
                dict.fromkeys([segment.name, *segment.keywords, *segment.synonyms])
            )
        for edge in industry.edges:
            adjacent.add((edge.source, edge.target))
            adjacent.add((edge.target, edge.source))
    province: dict[str, str] = {}
    unit: dict[str, str] = {}
    corridors: dict[str, tuple[str, ...]] = {}
    for place in atlas.places:
        province[place.adcode] = atlas.province_of(place.adcode).adcode
        found = atlas.prefecture_unit_of(place.adcode)
        unit[place.adcode] = found.adcode if found else place.adcode
        around = {place.adcode, unit[place.adcode]}
        corridors[place.adcode] = tuple(
            corridor.slug for corridor in atlas.corridors if around & set(corridor.places)
        )
    return AtlasContext(
        segment_industry=segment_industry,
        segment_name=segment_name,
        adjacent=frozenset(adjacent),
        province=province,
        unit=unit,
        corridors=corridors,
        corridor_name={corridor.slug: corridor.name for corridor in atlas.corridors},
        segment_terms=segment_terms,
        corridor_industries={
            corridor.slug: frozenset(corridor.industries) for corridor in atlas.corridors
        },
    )


@dataclass(frozen=True)
class Reason:
    """One factor of a match: its value in [0, 1], its weight and its points (the product)."""

    factor: str
    label: str
    detail: str
    value: float
    weight: float
    points: float
    terms: tuple[tuple[str, float], ...] = ()
    #: text only: the retrievers that found the candidate with its rank in each
    found_by: tuple[tuple[str, int], ...] = ()
    #: text only: the cosine of the two listings' dense vectors (``None``: not computed)
    similarity: float | None = None
    #: text only: the sentence of the counterpart closest to the query (dense matches)
    passage: str = ""


@dataclass(frozen=True)
class Scored:
    """A candidate with its final score, its BM25 score and the reasons, largest part first."""

    key: int
    score: float
    bm25: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
    bm25_raw: float = 0.0


def _segment_factor(
    need: Profile, offer: Profile, ctx: AtlasContext, weights: MatchWeights, explain: bool = True
) -> tuple[float, str]:
    shared = [s for s in offer.segments if s in need.segments]
    if shared:
        if not explain:
            return 1.0, ""
        return 1.0, "同属环节：" + "、".join(ctx.segment_name.get(s, s) for s in shared)
    for a in offer.segments:
        for b in need.segments:
            if (a, b) in ctx.adjacent:
                if not explain:
                    return weights.adjacent, ""
                names = f"{ctx.segment_name.get(a, a)} ↔ {ctx.segment_name.get(b, b)}"
                return weights.adjacent, "上下游相邻环节：" + names
    offer_ind = {ctx.segment_industry.get(s) for s in offer.segments} - {None}
    need_ind = {ctx.segment_industry.get(s) for s in need.segments} - {None}
    if offer_ind & need_ind:
        return weights.same_industry, "同一产业链的不同环节"
    if not offer.segments or not need.segments:
        return 0.0, "未标注产业环节"
    return 0.0, "产业环节不同"


def _maturity_factor(need: Profile, offer: Profile, explain: bool = True) -> tuple[float, str]:
    r, s = stage_index(need.stage), stage_index(offer.stage)
    if s is None:
        return 0.5, "成果未标注成熟度"
    if not explain:
        return (0.5 if r is None else 1.0 if s >= r else max(0.0, 1 - 0.4 * (r - s))), ""
    lo, hi = TRL_RANGES[MATURITY_STAGES[s]]
    trl = f"TRL {lo}" if lo == hi else f"TRL {lo}–{hi}"
    if r is None:
        return 0.5, f"成果处于{MATURITY_STAGES[s]}（{trl}），需求未说明所需阶段"
    if s >= r:
        return 1.0, f"成果处于{MATURITY_STAGES[s]}（{trl}），满足需求的{MATURITY_STAGES[r]}及以上"
    value = max(0.0, 1 - 0.4 * (r - s))
    return value, f"成果处于{MATURITY_STAGES[s]}（{trl}），早于需求的{MATURITY_STAGES[r]}"


def _place_factor(
    need: Profile, offer: Profile, ctx: AtlasContext, explain: bool = True
) -> tuple[float, str]:
    p_need = ctx.province.get(need.place or "")
    p_offer = ctx.province.get(offer.place or "")
    if p_need is None or p_offer is None:
        return 0.5, "地点未知"
    if not explain:
        if p_offer == "110000" and p_need in ("120000", "130000"):
            return 1.0, ""
        return (0.6 if p_offer != p_need else 0.3), ""
    name_need = _PROVINCE_NAMES.get(p_need, p_need)
    name_offer = _PROVINCE_NAMES.get(p_offer, p_offer)
    if p_offer == "110000" and p_need in ("120000", "130000"):
        return 1.0, f"北京成果对接{name_need}需求（京津冀协同方向）"
    if p_offer != p_need:
        return 0.6, f"{name_offer}成果对接{name_need}需求（跨地区）"
    return 0.3, f"同在{name_need}"


def _corridor_factor(
    need: Profile, offer: Profile, ctx: AtlasContext, explain: bool = True
) -> tuple[float, str]:
    if not need.place or not offer.place:
        return 0.0, "地点未知"
    if ctx.unit.get(need.place) == ctx.unit.get(offer.place):
        return 0.0, "同一城市，不计廊道"
    need_corridors = ctx.corridors.get(need.place, ())
    shared = [c for c in ctx.corridors.get(offer.place, ()) if c in need_corridors]
    if not shared:
        return 0.0, "不在同一产业廊道"
    offer_ind = {ctx.segment_industry[s] for s in offer.segments if s in ctx.segment_industry}
    need_ind = {ctx.segment_industry[s] for s in need.segments if s in ctx.segment_industry}
    industries = (offer_ind & need_ind) if offer_ind and need_ind else (offer_ind | need_ind)
    fitting = [c for c in shared if ctx.corridor_industries.get(c, frozenset()) & industries]
    if not explain:
        return (1.0 if fitting else 0.0), ""
    if fitting:
        return 1.0, "同在" + "、".join(ctx.corridor_name[c] for c in fitting)
    names = "、".join(ctx.corridor_name[c] for c in shared)
    if not industries:
        return 0.0, f"同在{names}，但未标注产业环节，不计廊道"
    return 0.0, f"同在{names}，但该廊道不以本产业为重点，不计廊道"


def _freshness_factor(
    offer: Profile, today: date, weights: MatchWeights, explain: bool = True
) -> tuple[float, str]:
    if offer.published is None:
        return 0.5, "发布时间未知"
    age = max((today - offer.published).days, 0)
    return 0.5 ** (age / weights.half_life_days), (f"发布于 {age} 天前" if explain else "")


def _price_factor(need: Profile, offer: Profile, explain: bool = True) -> tuple[float, str]:
    if need.budget is None or offer.price_min is None:
        return 0.5, "价格或预算未说明"
    if not explain:
        if offer.price_min <= need.budget:
            return 1.0, ""
        return (need.budget / offer.price_min if offer.price_min > 0 else 0.0), ""
    if offer.price_min <= need.budget:
        return 1.0, f"报价 {offer.price_min:g} 万元起，在预算 {need.budget:g} 万元以内"
    ratio = need.budget / offer.price_min if offer.price_min > 0 else 0.0
    return ratio, f"报价 {offer.price_min:g} 万元起，高于预算 {need.budget:g} 万元"


#: How a reason names each retriever.
RETRIEVER_NAMES: dict[str, str] = {"lexical": "关键词检索", "dense": "语义检索"}


def _text_detail(shown: str, found: tuple[tuple[str, int], ...], similarity: float | None) -> str:
    """The text reason: which retrievers found the candidate (and at which rank), the
    shared keywords and, when known, the semantic similarity."""
    parts = (
        ["、".join(f"{RETRIEVER_NAMES.get(name, name)}第 {rank} 位" for name, rank in found)]
        if found
        else []
    )
    parts.append(f"共同关键词：{shown}")
    if similarity is not None:
        parts.append(f"语义相似度 {similarity:.2f}")
    return "；".join(parts)


def score_candidate(
    need: Profile,
    offer: Profile,
    *,
    bm25: float,
    bm25_max: float,
    terms: Sequence[tuple[str, float]],
    ctx: AtlasContext,
    weights: MatchWeights,
    today: date,
    explain: bool = True,
    expansion: Collection[str] = (),
    key: int | None = None,
    text_value: float | None = None,
    found_by: Mapping[str, int] | None = None,
    similarity: float | None = None,
) -> Scored:
    """The final score of ``offer`` (an achievement) for ``need`` (a demand or challenge) and
    its reasons, sorted by points; see the module docstring for the formula. Without
    ``explain`` the reasons are left out (the same score, for ranking many candidates).
    ``expansion``: the shared terms that came from the expansion of the query with its
    segments' vocabulary, named as such in the text reason; ``key``: the key the result
    carries (default: the offer's). ``text_value``: T when the caller fused it (hybrid
    retrieval), with ``found_by`` (retriever → rank) and ``similarity`` (dense cosine) for the
    reason; otherwise T = ``bm25 / bm25_max``."""
    key = offer.key if key is None else key
    if text_value is not None:
        text = min(max(text_value, 0.0), 1.0)
    else:
        text = bm25 / bm25_max if bm25_max > 0 else 0.0
    if not explain:  # the same sum, without building a single reason
        score = math.fsum(
            (
                weights.text * text,
                weights.segment * _segment_factor(need, offer, ctx, weights, False)[0],
                weights.maturity * _maturity_factor(need, offer, False)[0],
                weights.place * _place_factor(need, offer, ctx, False)[0],
                weights.corridor * _corridor_factor(need, offer, ctx, False)[0],
                weights.freshness * _freshness_factor(offer, today, weights, False)[0],
                weights.price * _price_factor(need, offer, False)[0],
            )
        )
        return Scored(key=key, score=round(score, 4), bm25=round(bm25, 4), bm25_raw=bm25)
    top_terms = tuple(sorted(terms, key=lambda pair: -pair[1])[:8])
    shown = "、".join(term for term, _part in top_terms) or "无共同关键词"
    added = [term for term, _part in top_terms if term in expansion]
    if added:
        shown += "（其中" + "、".join(added) + "来自所属产业环节的词汇扩展）"
    found = tuple((found_by or {}).items())
    detail = _text_detail(shown, found, similarity)
    parts: list[tuple[str, str, float, str, float, tuple[tuple[str, float], ...]]] = [
        ("text", "文本相关", text, detail, weights.text, top_terms),
    ]
    for factor, label, weight, (value, detail) in (
        ("segment", "产业环节", weights.segment, _segment_factor(need, offer, ctx, weights)),
        ("maturity", "成熟度", weights.maturity, _maturity_factor(need, offer)),
        ("place", "地域", weights.place, _place_factor(need, offer, ctx)),
        ("corridor", "产业廊道", weights.corridor, _corridor_factor(need, offer, ctx)),
        ("freshness", "时效", weights.freshness, _freshness_factor(offer, today, weights)),
        ("price", "价格与预算", weights.price, _price_factor(need, offer)),
    ):
        parts.append((factor, label, value, detail, weight, ()))
    score = math.fsum(weight * value for _f, _l, value, _d, weight, _t in parts)
    reasons = tuple(
        sorted(
            (
                Reason(
                    factor=factor,
                    label=label,
                    detail=detail,
                    value=round(value, 4),
                    weight=weight,
                    points=round(weight * value, 4),
                    terms=tuple((t, round(p, 3)) for t, p in top),
                    found_by=found if factor == "text" else (),
                    similarity=(
                        round(similarity, 4)
                        if factor == "text" and similarity is not None
                        else None
                    ),
                )
                for factor, label, value, detail, weight, top in parts
            ),
            key=lambda reason: -reason.points,
        )
    )
    return Scored(
        key=key, score=round(score, 4), bm25=round(bm25, 4), reasons=reasons, bm25_raw=bm25
    )
