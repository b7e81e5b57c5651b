"""Bootstrap stability of chain-map statuses on small constructed registries."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.chains.coverage import ChainContext, coverage, peer_thresholds
from jingjinji.chains.places import scope_of
from jingjinji.chains.uncertainty import (
    RESAMPLES,
    STABILITY_THRESHOLD,
    level_benchmark,
    replicate_statuses,
    status_stability,
    with_stability,
)
from tests.chains.test_coverage_suggest import _corridor_rows, _rows


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def _registry() -> pd.DataFrame:
    """81 enterprises: 40 电堆 makers in 莲池区, 40 膜电极 makers in 海淀区, one electrolyser
    maker in 滨海新区; and a project in production (id -7) on 燃料电池系统 in 莲池区."""
    rows = []
    ids = iter(range(1, 1000))
    for county, segment, n in (
        ("130606", "hydrogen-fc-stack", 40),
        ("110108", "hydrogen-fc-mea", 40),
        ("120116", "hydrogen-electrolyzer", 1),
    ):
        for i in range(n):
            rows.append(
                {"enterprise_id": next(ids), "name": f"{county}{segment}{i}", "county": county,
                 "segment": segment, "key": False, "revenue": None}
            )  # fmt: skip
    rows.append(
        {"enterprise_id": -7, "name": "项目落地", "county": "130606",
         "segment": "hydrogen-fc-system", "key": False, "revenue": None}
    )  # fmt: skip
    return pd.DataFrame(rows)


def test_many_enterprises_stable_single_enterprise_not(atlas: Atlas) -> None:
    """莲池区 电堆: a resample draws a ~ Binomial(81, 40/81) of its 40 makers (P(a < 3) = 3.5e-21);
    with every other county at 0 the peers' p75 is 0 and LQ = 81/a ≥ 1: strong in all 200.

    滨海新区 electrolysers: c ~ Binomial(81, 1/81). c = 0 (P = (80/81)^81 = 0.3656) is 缺失,
    c ≥ 3 (P = 0.0792) is 优势 (LQ = 81/c, peers' p75 0), c ∈ {1, 2} (P = 0.3702 + 0.1851 =
    0.5553) stays 薄弱: stability ≈ 0.555 (Monte Carlo sd √(0.555·0.445/200) = 0.035).
    """
    context = ChainContext(atlas, _registry())
    hydrogen = atlas.industry("hydrogen")
    lianchi = scope_of(atlas, "130606")
    cov = coverage(hydrogen, place=lianchi, context=context)
    stack = status_stability(hydrogen, place=lianchi, context=context, cov=cov)
    assert cov.segment("hydrogen-fc-stack").status == "strong"
    assert stack.by_segment["hydrogen-fc-stack"] == 1.0
    assert stack.resamples == RESAMPLES == 200 and stack.enterprises == 81
    # a project in production is kept in every resample: 具备（已补）in all of them
    assert cov.segment("hydrogen-fc-system").filled
    assert stack.by_segment["hydrogen-fc-system"] == 1.0
    # no enterprise: 缺失 in every resample (the bootstrap cannot add enterprises)
    assert stack.by_segment["hydrogen-fc-mea"] == 1.0
    assert not stack.uncertain("hydrogen-fc-stack")

    binhai = scope_of(atlas, "120116")
    single = coverage(hydrogen, place=binhai, context=context)
    assert single.segment("hydrogen-electrolyzer").status == "thin"
    result = status_stability(hydrogen, place=binhai, context=context, cov=single)
    share = result.by_segment["hydrogen-electrolyzer"]
    assert share == pytest.approx(0.5553, abs=0.105)  # 3 Monte Carlo sd
    assert share < STABILITY_THRESHOLD and result.uncertain("hydrogen-electrolyzer")
    # fixed seed: the same answer again
    assert status_stability(hydrogen, place=binhai, context=context).by_segment == (
        result.by_segment
    )

    marked = with_stability(single, result)
    row = marked.segment("hydrogen-electrolyzer").as_dict()
    assert row["status_stability"] == round(share, 4) and row["status_uncertain"] is True
    assert marked.segment("hydrogen-fc-stack").as_dict()["status_uncertain"] is False
    assert marked.stability is not None
    assert marked.stability["uncertain"] == 1 and marked.stability["threshold"] == 0.8


@pytest.mark.parametrize(
    ("rows", "places"),
    [
        (_rows, ["130600", "130606", "region", "130000", "corridor-beijing-tianjin-it"]),
        (
            lambda _atlas: _corridor_rows(),
            ["corridor-beijing-baoding-shijiazhuang-energy", "group-1", "120101"],
        ),
    ],
)
def test_the_registry_itself_replicates_the_coverage_statuses(
    atlas: Atlas, rows: Callable[[Atlas], pd.DataFrame], places: list[str]
) -> None:
    """With the registry's own counts (B = 1) the replicate is the coverage's status."""
    context = ChainContext(atlas, rows(atlas))
    groups = {"group-1": ("保定与雄安", ["130600", "133100"])}
    for industry in (atlas.industry("hydrogen"), atlas.industry("robotics")):
        slugs = [s.slug for s in industry.segments]
        totals = context.county_counts.to_numpy().sum(axis=1)[None, :]
        counts = context.county_counts[slugs].to_numpy()[None, :, :]
        for key in places:
            place = scope_of(atlas, key, groups=groups)
            cov = coverage(industry, place=place, context=context)
            landed = np.array([row.landed > 0 for row in cov.segments])
            own = context.scope_indicator([place])[0]
            benchmark = level_benchmark(totals, counts, place=place, context=context)
            [replicate] = replicate_statuses(
                np.einsum("c,bcs->bs", own, counts),
                totals @ own,
                benchmark,
                region=place.level == "region",
                landed=landed,
            )
            assert replicate == [row.status for row in cov.segments], key


def test_a_level_benchmark_kept_for_one_place_serves_another(atlas: Atlas) -> None:
    """The peers' percentiles are kept per industry and level: 莲池区 after 海淀区 (whose call
    kept the county level's) gets what a fresh context computes for it alone."""
    hydrogen = atlas.industry("hydrogen")
    lianchi, haidian = scope_of(atlas, "130606"), scope_of(atlas, "110108")
    fresh = ChainContext(atlas, _rows(atlas))
    alone = status_stability(hydrogen, place=lianchi, context=fresh, resamples=50)
    shared = ChainContext(atlas, _rows(atlas))
    status_stability(hydrogen, place=haidian, context=shared, resamples=50)
    after = status_stability(hydrogen, place=lianchi, context=shared, resamples=50)
    assert after.by_segment == alone.by_segment
    assert after.resamples == 50
    assert any(value < 1.0 for value in alone.by_segment.values())  # not trivially stable


@pytest.mark.parametrize("peers", [1, 2, 5, 14, 15, 199])
def test_peer_thresholds_are_numpys_percentiles_bit_for_bit(peers: int) -> None:
    """The sort-based percentile gives np.percentile's very bits (statuses turn on ties)."""
    rng = np.random.default_rng(peers)
    counts = rng.integers(0, 6, size=(3, peers, 4)).astype(float)
    totals = counts.sum(axis=-1) + 10.0
    region = counts.sum(axis=1) + 1.0
    grand = totals.sum(axis=1) + 5.0
    p75, p25 = peer_thresholds(counts, totals, region, grand)
    lq = (counts / totals[..., None]) / (region / grand[:, None])[:, None, :]
    assert np.array_equal(p75, np.percentile(lq, 75, axis=1))
    assert np.array_equal(p25, np.percentile(counts, 25, axis=1))
