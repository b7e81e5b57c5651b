"""Coverage and suggestions on small hand-checked tables."""

from __future__ import annotations

import pandas as pd
import pytest

from jingjinji.atlas import Atlas, load_atlas
from jingjinji.chains.coverage import ChainContext, coverage, segment_status
from jingjinji.chains.places import scope_of
from jingjinji.chains.suggest import parse_suggestion_id, suggest

TARGET = "hydrogen-fc-mea"


@pytest.fixture(scope="module")
def atlas() -> Atlas:
    return load_atlas()


def _rows(atlas: Atlas) -> pd.DataFrame:
    """保定 (two counties) has 3 key enterprises in every hydrogen segment but 膜电极 and 60
    robot makers; 海淀 and 滨海新区 have 3 in every hydrogen segment, 膜电极 included.

    LQ of a hydrogen segment in 保定 = (3/123) / (9/255) = 0.69: present, not strong.
    """
    rows = []
    next_id = iter(range(1, 10_000))
    for segment in atlas.industry("hydrogen").segments:
        places = [
            ("130606", "保定", True),
            ("130607", "保定", True),
            ("110108", "海淀", False),
            ("120116", "滨海", False),
        ]
        for county, prefix, key in places:
            if county.startswith("1306") and segment.slug == TARGET:
                continue
            count = 2 if county == "130606" else 1 if county == "130607" else 3
            for i in range(count):
                rows.append(
                    {
                        "enterprise_id": next(next_id),
                        "name": f"{prefix}{segment.name}{i}",
                        "county": county,
                        "segment": segment.slug,
                        "key": key,
                        "revenue": 100.0 * (i + 1),
                    }
                )
    for i in range(60):
        rows.append(
            {
                "enterprise_id": next(next_id),
                "name": f"保定机器人{i}",
                "county": "130606",
                "segment": "robot-industrial",
                "key": False,
                "revenue": None,
            }
        )
    return pd.DataFrame(rows)


def test_place_lacking_one_segment_gets_exactly_that_fill(atlas: Atlas) -> None:
    context = ChainContext(atlas, _rows(atlas))
    industry = atlas.industry("hydrogen")
    cov = coverage(industry, place=scope_of(atlas, "130600"), context=context)
    statuses = {row.segment: row.status for row in cov.segments}
    assert statuses[TARGET] == "missing"
    assert {s for s in statuses if s != TARGET} and all(
        status == "present" for slug, status in statuses.items() if slug != TARGET
    )
    other = cov.segment("hydrogen-fc-stack")
    assert other.count == 3 and other.key_count == 3
    assert other.lq == pytest.approx((3 / 123) / (9 / 255))
    assert cov.completeness == pytest.approx(21 / 22)
    items = suggest(industry, cov=cov, context=context)
    assert [(s.kind, s.segment) for s in items] == [("fill", TARGET)]
    only = items[0]
    assert only.id == "fill.130600.hydrogen-fc-mea"
    assert parse_suggestion_id(only.id) == ("fill", "130600", TARGET)
    # 海淀 lies on the 京保石 corridor with 保定, 滨海新区 does not: 海淀 first, nearest first.
    assert only.partners[0].county == "110108" and only.partners[0].same_corridor
    assert only.partners[0].name == "海淀膜电极2"  # highest revenue among equals
    assert {p.county for p in only.partners} == {"110108", "120116"}
    assert "膜电极" in only.reason and "相关度（密度）" in only.reason


def test_strong_status_follows_cluster_mapping_rule() -> None:
    assert segment_status(count=5, lq=2.0, lq_p75=1.5, count_p25=1) == "strong"
    assert segment_status(count=5, lq=1.4, lq_p75=1.5, count_p25=1) == "present"
    assert segment_status(count=5, lq=0.9, lq_p75=0.8, count_p25=1) == "present"  # LQ < 1
    assert segment_status(count=1, lq=3.0, lq_p75=1.5, count_p25=1) == "thin"  # count ≤ p25
    assert segment_status(count=4, lq=0.4, lq_p75=1.5, count_p25=0) == "thin"
    assert segment_status(count=0, lq=0.0, lq_p75=0.0, count_p25=0) == "missing"


def test_strengthen_and_extend(atlas: Atlas) -> None:
    rows = _rows(atlas)
    rows.loc[rows["county"].str.startswith("1306"), "key"] = False
    context = ChainContext(atlas, rows)
    industry = atlas.industry("hydrogen")
    cov = coverage(industry, place=scope_of(atlas, "130600"), context=context)
    kinds = {s.segment: s.kind for s in suggest(industry, cov=cov, context=context)}
    assert kinds[TARGET] == "fill"
    assert kinds["hydrogen-fc-stack"] == "strengthen"
    assert len(kinds) == 22


def test_scopes(atlas: Atlas) -> None:
    region = scope_of(atlas, "region")
    assert region.level == "region" and len(region.counties) == 199
    corridor = scope_of(atlas, "corridor-beijing-baoding-shijiazhuang-energy")
    assert "110108" in corridor.counties and "130606" in corridor.counties
    group = scope_of(atlas, "group-1", groups={"group-1": ("雄安片区", ["133100"])})
    assert group.counties == {"130638", "130629", "130632"}
    assert scope_of(atlas, "110000").level == "prefecture"
    assert scope_of(atlas, "130000").level == "province"


def _corridor_rows() -> pd.DataFrame:
    """Ten enterprises in a county of each corridor (in no other corridor): ``a`` of them in
    电堆 (hydrogen-fc-stack), the rest industrial robots; 50 robot makers in 邯山区, on no
    corridor. 京保石 is the middle corridor on 电堆 (5 of 10)."""
    a = {"120101": 8, "130202": 6, "130102": 5, "130702": 4, "130629": 3}
    rows, ids = [], iter(range(1, 1000))
    for county, count in [*a.items(), ("130402", 0)]:
        others = 50 if county == "130402" else 10 - count
        for segment, n in (("hydrogen-fc-stack", count), ("robot-industrial", others)):
            for i in range(n):
                rows.append(
                    {"enterprise_id": next(ids), "name": f"{county}-{segment}-{i}",
                     "county": county, "segment": segment, "key": False, "revenue": None}
                )  # fmt: skip
    return pd.DataFrame(rows)


def test_corridor_is_strong_only_against_peers_on_the_same_benchmark(atlas: Atlas) -> None:
    """Region: E_stack = 26, E = 100, share 0.26; the corridors alone sum to 26 of 50 (0.52).

    京保石: LQ = (5/10) / 0.26 = 1.923. Its peers' LQ against the region: 0.8, 0.6, 0.5, 0.4,
    0.3 over 0.26, 75th percentile the second largest, 0.6 / 0.26 = 2.308 > 1.923: present.
    The old code took the peers against their own sums (0.52): p75 = 0.6 / 0.52 = 1.154,
    and the place's 1.923 (against the region) cleared it: strong, a ruler for the place
    twice as long as its peers'. 京津 (8 of 10): 0.8 / 0.26 = 3.077 ≥ 2.308, strong either way.
    """
    context = ChainContext(atlas, _corridor_rows())
    industry = atlas.industry("hydrogen")
    energy = coverage(
        industry,
        place=scope_of(atlas, "corridor-beijing-baoding-shijiazhuang-energy"),
        context=context,
    ).segment("hydrogen-fc-stack")
    assert energy.count == 5
    assert energy.lq == pytest.approx(0.5 / 0.26)
    assert energy.lq_p75 == pytest.approx(0.6 / 0.26)
    assert energy.count_p25 == pytest.approx(4.0)  # counts 3, 4, 5, 6, 8
    assert energy.status == "present"
    # the old rule: the peers' percentile against the corridors' own sums
    old_p75 = 0.6 / (26 / 50)
    assert segment_status(count=5, lq=0.5 / 0.26, lq_p75=old_p75, count_p25=4) == "strong"
    it = coverage(
        industry, place=scope_of(atlas, "corridor-beijing-tianjin-it"), context=context
    ).segment("hydrogen-fc-stack")
    assert it.lq == pytest.approx(0.8 / 0.26) and it.status == "strong"
