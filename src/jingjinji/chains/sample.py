"""Generated sample enterprises (示例数据, provenance ``demo``) for the chain map.

Plain dicts, generated with ``numpy.random.default_rng(seed)``: the same seed gives the same
registry. Enterprises are spread over the region's counties with weights favouring the places
the atlas links to each industry (corridors, belts, platforms, high-tech zones, circles), and
over segments with a Dirichlet(0.6) mix per prefecture-level unit and industry, so chains are
strong in some cities and thin or missing in others. Names, scopes and products are built
from the segments' keywords and synonyms with ordinary Chinese company wording; a share of
records carry generic or misleading wording so that classification is not trivial.

>>> from jingjinji.atlas import load_atlas
>>> rows = sample_enterprises(load_atlas(), count=3, seed=1)
>>> len(rows), rows[0]["provenance"], len(rows[0]["credit_code"])
(3, 'demo', 18)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from jingjinji.atlas import Atlas
from jingjinji.chains.credit_code import (
    CREDIT_CODE_CHARSET,
    check_character,
    organization_check_character,
)
from jingjinji.chains.registry_fields import with_section

__all__ = ["SAMPLE_SEED", "iter_sample_enterprises", "sample_enterprises"]

SAMPLE_SEED = 20261127

_BRANDS = list(
    "岚柘金椿瑜博锐新禾苒亿宏达鑫康楠源创砚晟远棠盛安捷嘉信诚德汇通联力渚普朔梧和丰润卓越宇"
    "辰星璟峰凯泽瀚沃清云芃隆铭睿鼎"
)
#: Two-character names of real enterprises and institutions a random pair could spell; the
#: second character is replaced (no extra draw, so the seeded sequence is unchanged).
_REAL_PAIRS = frozenset(
    {"恒瑞", "正泰", "航天", "华恒", "海天", "中天", "中科", "智源", "启明", "中海", "华为", "中兴"}
    | {"康泰", "信达", "宏达", "德汇", "汇通", "联力", "金达", "达康", "丰润", "卓越", "博锐"}
    | {"凯泽", "星光", "远达", "安捷", "嘉信", "诚德", "鑫源", "亿达", "宏源", "新创", "清云"}
)


def _brand(first: str, second: str) -> str:
    """A fictional two-character name: a pair that spells a real name gets another second
    character (``瑜``), so sample enterprises never carry a real brand."""
    pair = first + second
    return first + "瑜" if pair in _REAL_PAIRS or first == second else pair


_INDUSTRY_WORDS = {
    "hydrogen": ["氢能", "氢源", "氢能源", "燃料电池", "氢能装备"],
    "nev-icv": ["新能源汽车", "智能网联", "汽车科技", "智行", "动力"],
    "cybersecurity": ["网络安全", "信息安全", "数据安全", "信息技术", "网安"],
    "machine-tools": ["数控机床", "精密机械", "机床", "智能装备", "数控"],
    "biomedicine": ["生物", "医药", "生物医药", "制药", "生物科技"],
    "robotics": ["机器人", "智能机器人", "自动化", "智能科技", "机器人科技"],
    "integrated-circuits": ["微电子", "半导体", "集成电路", "芯片", "电子科技"],
    "power-equipment": ["电气", "电力设备", "能源装备", "电力科技", "新能源"],
    "emergency-equipment": ["应急装备", "安全科技", "消防科技", "防护用品", "应急科技"],
}
_SUFFIXES = [
    "科技有限公司",
    "股份有限公司",
    "技术有限公司",
    "装备制造有限公司",
    "有限公司",
    "新材料有限公司",
    "科技发展有限公司",
    "设备有限公司",
]
_SCOPE_TAILS = [
    "技术开发、技术咨询、技术服务、技术转让",
    "货物进出口、技术进出口",
    "软件开发；信息系统集成服务",
    "销售自产产品；机械设备租赁",
    "工程和技术研究和试验发展",
    "普通机械设备安装服务；专用设备修理",
]
_GENERIC_SCOPES = [
    "企业管理咨询；市场营销策划；会议及展览服务",
    "五金产品、日用百货、建筑材料批发零售",
    "物业管理；房屋租赁；停车场服务",
    "餐饮服务；食品销售；预包装食品零售",
]
_ROADS = [
    "科技路",
    "创新大道",
    "工业园路",
    "高新路",
    "发展大街",
    "兴业路",
    "电谷大街",
    "滨海大道",
    "长江道",
    "建设北路",
    "朝阳路",
    "胜利南街",
]
_SIZES = ["大型", "中型", "小型", "微型"]


def _credit_code(rng: np.random.Generator, adcode: str, seen: set[str]) -> str:
    letters = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        body = "".join(letters[i] for i in rng.integers(0, 31, size=8))
        org = body + organization_check_character(body)
        if org[-1] not in CREDIT_CODE_CHARSET:  # 'X' is allowed; keep it simple
            continue
        first17 = "91" + adcode + org
        code = first17 + check_character(first17)
        if code not in seen:
            seen.add(code)
            return code


def _county_weights(atlas: Atlas) -> tuple[list[str], dict[str, np.ndarray]]:
    """County adcodes and, per industry, sampling weights over them."""
    counties = [p for p in atlas.places if p.level == "county"]
    codes = [p.adcode for p in counties]
    index = {code: i for i, code in enumerate(codes)}
    base = np.array(
        [
            2.5
            if p.adcode[:2] == "11"
            else 1.8
            if p.adcode[:2] == "12"
            else (1.0 if p.name.endswith("区") else 0.45)
            for p in counties
        ]
    )

    def counties_in(adcode: str) -> list[int]:
        place = atlas.place(adcode)
        if place.level == "county":
            return [index[adcode]]
        targets = place.administers or [adcode]
        found = []
        for target in targets:
            found += [index[d.adcode] for d in atlas.descendants(target) if d.adcode in index]
            if target in index:
                found.append(index[target])
        return found

    weights: dict[str, np.ndarray] = {}
    for industry in atlas.industries:
        boost = np.ones(len(codes))
        for corridor in atlas.corridors:
            if industry.slug in corridor.industries:
                for code in corridor.places:
                    boost[counties_in(code)] *= 1.8
        groups: list[tuple[list[str], list[str]]] = [
            *((belt.industries, belt.places) for belt in atlas.belts),
            *((platform.industries, platform.places) for platform in atlas.platforms),
        ]
        for linked, places in groups:
            if industry.slug in linked:
                for code in places:
                    boost[counties_in(code)] *= 1.5
        for park in atlas.parks:
            if industry.slug in park.industries:
                boost[counties_in(park.place)] *= 3.0
        w = base * boost
        weights[industry.slug] = w / w.sum()
    return codes, weights


def iter_sample_enterprises(
    atlas: Atlas, *, count: int, seed: int = SAMPLE_SEED
) -> Iterator[dict[str, Any]]:
    """Yield ``count`` generated enterprise records (see :func:`sample_enterprises`)."""
    rng = np.random.default_rng(seed)
    codes, county_weights = _county_weights(atlas)
    industries = list(atlas.industries)
    industry_p = rng.dirichlet(np.full(len(industries), 8.0))
    units = {code: atlas.prefecture_unit_of(code) for code in codes}
    mixes: dict[tuple[str, str], np.ndarray] = {}
    prefix_of = {code: getattr(units[code], "short_name", "") for code in codes}
    address_of: dict[str, str] = {}
    for code in codes:
        province = atlas.province_of(code)
        home = units[code]
        middle = home.name if home is not None and home.adcode != province.adcode else ""
        address_of[code] = province.name + middle + atlas.place(code).name
    seen: set[str] = set()
    for _ in range(count):
        industry = industries[int(rng.choice(len(industries), p=industry_p))]
        county = codes[int(rng.choice(len(codes), p=county_weights[industry.slug]))]
        unit = units[county]
        mix_key = (unit.adcode if unit else county, industry.slug)
        if mix_key not in mixes:
            mixes[mix_key] = rng.dirichlet(np.full(len(industry.segments), 0.6))
        segment = industry.segments[int(rng.choice(len(industry.segments), p=mixes[mix_key]))]
        words = [*segment.keywords, *segment.synonyms]
        picks = [
            words[int(i)] for i in rng.choice(len(words), size=min(3, len(words)), replace=False)
        ]
        roll = float(rng.random())
        brand = _brand(*(_BRANDS[int(i)] for i in rng.integers(0, len(_BRANDS), size=2)))
        industry_word = _INDUSTRY_WORDS[industry.slug][int(rng.integers(0, 5))]
        prefix = prefix_of[county] if rng.random() < 0.6 else ""
        name = f"{prefix}{brand}{industry_word}{_SUFFIXES[int(rng.integers(0, len(_SUFFIXES)))]}"
        tail = _SCOPE_TAILS[int(rng.integers(0, len(_SCOPE_TAILS)))]
        if roll < 0.04:
            scope = _GENERIC_SCOPES[int(rng.integers(0, len(_GENERIC_SCOPES)))]
            products = ""
        elif roll < 0.30:
            scope = f"{picks[0]}的研发、生产与销售；{tail}"
            products = ""
        else:
            scope = f"{picks[0]}、{picks[1]}的研发、制造与销售；{tail}"
            products = "、".join(picks[1:]) + ("及配套服务" if roll > 0.9 else "")
        if roll > 0.85 and industry.edges:
            edge = industry.edges[int(rng.integers(0, len(industry.edges)))]
            other = atlas.segment(edge.target if edge.source == segment.slug else edge.source)
            scope += f"；{other.keywords[int(rng.integers(0, len(other.keywords)))]}相关业务"
        gbt = segment.gbt4754
        industry_code = (
            with_section(gbt[int(rng.integers(0, len(gbt)))])
            if gbt and rng.random() < 0.7
            else None
        )
        tags = []
        tag_roll = float(rng.random())
        if tag_roll < 0.008:
            tags.append("链主")
        if tag_roll > 0.955:
            tags.append("小巨人")
        if 0.5 < tag_roll < 0.505:
            tags.append("单项冠军")
        if float(rng.random()) < 0.3:
            tags.append("高新技术企业")
        # 微型 67%, 小型 22%, 中型 7%, 大型 4%: registries are mostly small firms
        size_index = 3 - min(3, int(rng.exponential(0.9)))
        if "链主" in tags:
            size_index = 0
        revenue = round(float(rng.lognormal(mean=9.5 - 1.4 * size_index, sigma=0.8)), 1)
        road = _ROADS[int(rng.integers(0, len(_ROADS)))]
        yield {
            "name": name,
            "credit_code": _credit_code(rng, county, seen),
            "address": f"{address_of[county]}{road}{int(rng.integers(1, 300))}号",
            "place_adcode": county,
            "industry_code": industry_code,
            "scope": scope,
            "products": products,
            "tags": tags,
            "size": _SIZES[size_index],
            "revenue": revenue,
            "provenance": "demo",
            "true_segment": segment.slug,
        }


def sample_enterprises(
    atlas: Atlas, *, count: int = 20_000, seed: int = SAMPLE_SEED
) -> list[dict[str, Any]]:
    """``count`` generated enterprise records with ``provenance='demo'``.

    Keys: name, credit_code (valid GB 32100-2015), address, place_adcode (county), industry_code
    (GB/T 4754 with its section letter, or None), scope, products, tags (list), size, revenue
    (万元), provenance,
    and ``true_segment`` (the segment the record was generated from; not stored).
    """
    return list(iter_sample_enterprises(atlas, count=count, seed=seed))
