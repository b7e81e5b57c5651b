"""Industries: the six chains and five clusters, their segments, keywords, codes and edges."""

from __future__ import annotations

import csv
from collections import Counter

from jingjinji.atlas import DATA_DIR, Atlas

EXPECTED_ROLES = {
    "hydrogen": ("氢能", ["chain"]),
    "nev-icv": ("新能源和智能网联汽车", ["chain"]),
    "cybersecurity": ("网络安全", ["chain", "cluster"]),
    "machine-tools": ("高端工业母机", ["chain"]),
    "biomedicine": ("生物医药", ["chain", "cluster"]),
    "robotics": ("机器人", ["chain"]),
    "integrated-circuits": ("集成电路", ["cluster"]),
    "power-equipment": ("电力装备", ["cluster"]),
    "emergency-equipment": ("安全应急装备", ["cluster"]),
}
SIX_CHAINS = ["氢能", "新能源和智能网联汽车", "网络安全", "高端工业母机", "生物医药", "机器人"]
FIVE_CLUSTERS = ["集成电路", "网络安全", "生物医药", "电力装备", "安全应急装备"]
TOO_GENERIC = {"技术", "设备", "服务", "系统", "制造", "产品", "材料", "软件", "研发", "生产"}


def test_nine_industries_with_their_roles(atlas: Atlas) -> None:
    found = {i.slug: (i.name, i.roles) for i in atlas.industries}
    assert found == EXPECTED_ROLES
    assert [i.name for i in atlas.industries if "chain" in i.roles] == SIX_CHAINS
    clusters = {i.name for i in atlas.industries if "cluster" in i.roles}
    assert clusters == set(FIVE_CLUSTERS)


def test_segment_counts_and_stages(atlas: Atlas) -> None:
    for industry in atlas.industries:
        assert 12 <= len(industry.segments) <= 30, industry.slug
        for stage in ("upstream", "midstream", "downstream"):
            assert industry.stage_segments(stage), (industry.slug, stage)


def test_segment_slugs_are_unique_and_prefixed(atlas: Atlas) -> None:
    slugs = [s.slug for i in atlas.industries for s in i.segments]
    assert len(slugs) == len(set(slugs))
    assert not set(slugs) & {i.slug for i in atlas.industries}
    assert atlas.segment("hydrogen-fc-mea").name == "膜电极"
    assert atlas.industry_of("hydrogen-fc-mea").slug == "hydrogen"


def test_hydrogen_covers_the_chain(atlas: Atlas) -> None:
    names = {s.name for s in atlas.industry("hydrogen").segments}
    assert {"电解槽装备", "工业副产氢提纯", "液氢储运", "管道输氢", "加氢站"} <= names
    assert {"质子交换膜", "膜电极", "双极板", "燃料电池电堆", "燃料电池汽车", "氢冶金"} <= names
    assert atlas.segment("hydrogen-metallurgy").stage == "downstream"
    assert atlas.segment("hydrogen-electrolyzer").stage == "upstream"


def test_keywords_are_specific(atlas: Atlas) -> None:
    for industry in atlas.industries:
        for segment in industry.segments:
            assert 4 <= len(segment.keywords) <= 12, segment.slug
            words = segment.keywords + segment.synonyms
            assert len(words) == len(set(words)), segment.slug
            for word in words:
                assert word not in TOO_GENERIC, (segment.slug, word)
                assert len(word) >= 2, (segment.slug, word)


def test_keywords_do_not_repeat_within_an_industry(atlas: Atlas) -> None:
    for industry in atlas.industries:
        counts = Counter(k for s in industry.segments for k in s.keywords)
        assert [k for k, n in counts.items() if n > 1] == [], industry.slug


def test_every_gbt_code_exists_in_the_classification(atlas: Atlas) -> None:
    with (DATA_DIR / "classification" / "gbt4754_2017.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    small = {r["code"]: r["name"] for r in rows if r["level"] == "4"}
    assert len(small) == 1381
    codes = [c for i in atlas.industries for s in i.segments for c in s.gbt4754]
    assert codes, "segments carry GB/T codes"
    assert [c for c in codes if c not in small] == []
    assert small[atlas.segment("hydrogen-fc-vehicle").gbt4754[0]] == "新能源车整车制造"
    assert small[atlas.segment("ic-design-digital").gbt4754[0]] == "集成电路设计"
    assert small[atlas.segment("robot-industrial").gbt4754[0]] == "工业机器人制造"


def test_edges_connect_segments_of_the_same_industry(atlas: Atlas) -> None:
    for industry in atlas.industries:
        slugs = {s.slug for s in industry.segments}
        assert industry.edges, industry.slug
        for edge in industry.edges:
            assert edge.source in slugs and edge.target in slugs, edge
        linked = {e.source for e in industry.edges} | {e.target for e in industry.edges}
        assert linked == slugs, f"{industry.slug}: isolated {slugs - linked}"


def test_only_the_battery_recycling_loop_is_marked(atlas: Atlas) -> None:
    marked = [(e.source, e.target) for i in atlas.industries for e in i.edges if e.cycle_ok]
    assert marked == [("nev-battery-recycling", "nev-battery-materials")]


def test_provenance_names_the_seed_and_curation(atlas: Atlas) -> None:
    for industry in atlas.industries:
        assert "seed:002_9edae77716d51e3f.txt" in industry.provenance.sources
        assert "curated" in industry.provenance.sources
