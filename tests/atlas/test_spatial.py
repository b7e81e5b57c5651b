"""Spatial structure: 五廊, 4带1园, 2+4+N, the high-tech zone alliance, the three circles."""

from __future__ import annotations

import pytest

from jingjinji.atlas import Atlas

FIVE_CORRIDORS = [
    "京津新一代信息技术产业廊道",
    "京保石新能源装备产业廊道",
    "京唐秦机器人产业廊道",
    "京张承绿色算力和绿色能源产业廊道",
    "京雄空天信息产业廊道",
]


def test_exactly_the_five_corridors_of_seed_002(atlas: Atlas) -> None:
    assert [c.name for c in atlas.corridors] == FIVE_CORRIDORS
    for corridor in atlas.corridors:
        assert "seed:002_9edae77716d51e3f.txt" in corridor.provenance
        assert corridor.places[0] in ("110000", "130800")
        assert len(corridor.places) >= 3


def test_corridor_routes_and_industries(atlas: Atlas) -> None:
    assert atlas.corridor("beijing-xiongan-aerospace").places[-1] == "133100"
    route = atlas.corridor("beijing-tangshan-qinhuangdao-robotics").places
    assert route[-2:] == ["130200", "130300"]
    assert "robotics" in atlas.corridor("beijing-tangshan-qinhuangdao-robotics").industries
    assert "power-equipment" in atlas.corridor("beijing-baoding-shijiazhuang-energy").industries


def test_four_belts_and_one_park(atlas: Atlas) -> None:
    kinds = {b.name: b.kind for b in atlas.belts}
    assert kinds == {
        "京津走廊产业带": "belt",
        "京保石走廊产业带": "belt",
        "京唐秦走廊产业带": "belt",
        "张承生态环保产业带": "belt",
        "北京沧州渤海生物医药园": "park",
    }
    park = atlas.belt("beijing-cangzhou-bohai-biomedicine-park")
    assert park.industries == ["biomedicine"]
    assert "130900" in park.places


def test_two_plus_four_plus_n(atlas: Atlas) -> None:
    tiers: dict[str, list[str]] = {"2": [], "4": [], "N": []}
    for platform in atlas.platforms:
        tiers[platform.tier].append(platform.name)
    assert tiers["2"] == ["北京城市副中心", "雄安新区"]
    assert sorted(tiers["4"]) == sorted(
        ["曹妃甸协同发展示范区", "北京大兴国际机场临空经济区", "天津滨海新区", "张承生态功能区"]
    )
    assert len(tiers["N"]) >= 5
    assert atlas.platform("beijing-sub-centre").places == ["110112"]
    assert atlas.platform("xiongan-new-area").places == ["133100"]
    for platform in atlas.platforms:
        if platform.tier == "N":
            assert "curated" in platform.provenance


def test_nine_alliance_parks(atlas: Atlas) -> None:
    levels = {p.name: p.level for p in atlas.parks}
    assert levels == {
        "中关村": "national",
        "天津滨海高新区": "national",
        "石家庄高新区": "national",
        "保定高新区": "national",
        "唐山高新区": "national",
        "燕郊高新区": "national",
        "承德高新区": "national",
        "沧州高新区": "provincial",
        "衡水高新区": "provincial",
    }
    assert atlas.park("yanjiao-hitech").place == "131082"
    assert atlas.place(atlas.park("yanjiao-hitech").place).name == "三河市"
    assert atlas.park("zhongguancun").full_name == "中关村国家自主创新示范区"


@pytest.mark.parametrize(
    ("slug", "unit"),
    [
        ("zhongguancun", "110000"),
        ("tianjin-binhai-hitech", "120000"),
        ("shijiazhuang-hitech", "130100"),
        ("baoding-hitech", "130600"),
        ("tangshan-hitech", "130200"),
        ("yanjiao-hitech", "131000"),
        ("chengde-hitech", "130800"),
        ("cangzhou-hitech", "130900"),
        ("hengshui-hitech", "131100"),
    ],
)
def test_each_park_lies_in_its_city(atlas: Atlas, slug: str, unit: str) -> None:
    park = atlas.park(slug)
    found = atlas.prefecture_unit_of(park.place)
    assert found is not None and found.adcode == unit
    seat = atlas.place(unit)
    assert abs(park.lon - seat.lon) < 0.8 and abs(park.lat - seat.lat) < 0.8


def test_three_metropolitan_circles(atlas: Atlas) -> None:
    cores = {c.name: c.core for c in atlas.circles}
    assert cores == {"现代化首都都市圈": "110000", "天津都市圈": "120000", "石家庄都市圈": "130100"}
    assert atlas.circle("tianjin-metropolitan-circle").members == [
        "120000",
        "130200",
        "130900",
        "131000",
    ]
    for circle in atlas.circles:
        assert circle.core in circle.members
        assert circle.industries


def test_every_spatial_reference_resolves(atlas: Atlas) -> None:
    items = [*atlas.corridors, *atlas.belts, *atlas.platforms, *atlas.parks, *atlas.circles]
    for item in items:
        for slug in item.industries:
            atlas.industry(slug)
        for code in [*getattr(item, "places", []), *getattr(item, "members", [])]:
            atlas.place(code)
