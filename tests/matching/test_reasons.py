"""Reasons a person can read: the corridor counts only for the industries it was laid out
for, and shared keywords are words of the texts, not search-mode pieces, numbers or filler."""

from __future__ import annotations

from datetime import date

import pytest

from jingjinji.atlas import load_atlas
from jingjinji.matching import (
    Document,
    Matcher,
    MatchWeights,
    Profile,
    atlas_context,
    document_text,
    pipeline_for,
    score_candidate,
)

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def ctx():  # type: ignore[no-untyped-def]
    return atlas_context(load_atlas())


def _corridor(ctx, need_place: str, offer_place: str, segment: str) -> tuple[float, str]:  # type: ignore[no-untyped-def]
    need = Profile(key=-1, kind="demand", segments=(segment,), place=need_place)
    offer = Profile(key=1, kind="achievement", segments=(segment,), place=offer_place)
    scored = score_candidate(
        need,
        offer,
        bm25=1.0,
        bm25_max=1.0,
        terms=[],
        ctx=ctx,
        weights=MatchWeights(),
        today=TODAY,
    )
    reason = next(r for r in scored.reasons if r.factor == "corridor")
    return reason.value, reason.detail


def test_a_corridor_counts_for_its_own_industries_only(ctx) -> None:  # type: ignore[no-untyped-def]
    # 北京 and 保定 lie on 京保石新能源装备产业廊道 (hydrogen, power equipment, NEV)
    assert _corridor(ctx, "130600", "110108", "hydrogen-electrolyzer") == (
        1.0,
        "同在京保石新能源装备产业廊道",
    )
    value, detail = _corridor(ctx, "130600", "110108", "cyber-threat-intel")
    assert value == 0.0
    assert detail == "同在京保石新能源装备产业廊道，但该廊道不以本产业为重点，不计廊道"
    # 北京 and 廊坊 lie on 京津新一代信息技术产业廊道, laid out for cybersecurity
    assert _corridor(ctx, "131000", "110108", "cyber-threat-intel") == (
        1.0,
        "同在京津新一代信息技术产业廊道",
    )


def test_shared_keywords_are_words_not_pieces_numbers_or_filler() -> None:
    atlas = load_atlas()
    matcher = Matcher(pipeline_for(atlas), atlas_context(atlas))
    offer_text = document_text(
        "工控网络安全集成方案", "水厂工控系统安全集成与异常指令检测，降低成本，30天交付。"
    )
    matcher.build(
        [
            Document(
                profile=Profile(key=7, kind="achievement", stage="量产", published=TODAY),
                text=offer_text,
            )
        ]
    )
    need = Profile(key=-1, kind="demand", stage="中试")
    text = document_text("工控系统安全集成", "希望降低成本，30天内完成工控系统安全集成。")
    tokens = matcher.pipeline.tokens(text)
    assert {"全集", "成本", "30"} <= set(tokens)  # the pieces BM25 matches on
    (found,) = matcher.match(need, text, today=TODAY)
    shown = [term for term, _part in next(r for r in found.reasons if r.factor == "text").terms]
    assert {"工控", "安全", "集成", "系统"} <= set(shown)
    assert not {"全集", "成本", "30"} & set(shown)
    assert found.bm25 > 0


def test_ranking_without_reasons_gives_the_same_scores(ctx) -> None:  # type: ignore[no-untyped-def]
    """The first pass of a match ranks many candidates without building reasons: its scores
    are the explained scores exactly, across segments, stages, places, prices and ages."""
    import itertools

    from jingjinji.matching import MatchWeights, Profile, score_candidate

    weights = MatchWeights()
    atlas = load_atlas()
    segments = [s.slug for s in atlas.industry("hydrogen").segments[:4]] + ["robot-reducer"]
    places = [None, "110108", "120116", "130606", "130681"]
    stages = [None, "概念验证", "中试", "量产"]
    checked = 0
    for seg_a, seg_b, place_a, place_b, stage_a, stage_b in itertools.product(
        segments[:3], segments, places, places[:3], stages, stages[:3]
    ):
        need = Profile(1, "demand", (seg_a,), stage_a, place_a, budget=50.0)
        offer = Profile(
            2, "achievement", (seg_b,), stage_b, place_b, price_min=80.0, published=date(2026, 1, 5)
        )
        common = dict(
            bm25=3.5, bm25_max=7.0, terms=[], ctx=ctx, weights=weights, today=date(2026, 12, 1)
        )
        fast = score_candidate(need, offer, explain=False, **common)
        full = score_candidate(need, offer, explain=True, **common)
        assert fast.score == full.score, (need, offer)
        assert fast.reasons == () and full.reasons
        checked += 1
    assert checked == 3 * 5 * 5 * 3 * 4 * 3


def test_the_expanded_query_tokens_are_the_text_s_and_the_words_() -> None:
    """The matcher tokenizes a listing's text once and its expansion words apart: the same
    tokens as the joined query, on every demand of the shipped sets."""
    from jingjinji.matching import Matcher, atlas_context, load_eval_set, pipeline_for

    atlas = load_atlas()
    pipeline = pipeline_for(atlas)
    matcher = Matcher(pipeline, atlas_context(atlas))
    checked = 0
    for name in ("eval_set", "problem_set"):
        for demand in load_eval_set(name).demands:
            added = matcher.expansion(demand.profile, demand.text)
            if not added:
                continue
            _query, tokens, _extra = matcher._query(demand.profile, demand.text, True)
            assert tokens == pipeline.tokens(demand.text + " " + " ".join(added))
            checked += 1
    assert checked >= 30
