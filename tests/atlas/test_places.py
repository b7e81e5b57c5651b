"""Places: the three provinces, the 13 prefecture units, every county-level unit, special areas."""

from __future__ import annotations

import pytest

from jingjinji.atlas import Atlas, AtlasLookupError

HEBEI_CITIES = {
    "130100": "石家庄市",
    "130200": "唐山市",
    "130300": "秦皇岛市",
    "130400": "邯郸市",
    "130500": "邢台市",
    "130600": "保定市",
    "130700": "张家口市",
    "130800": "承德市",
    "130900": "沧州市",
    "131000": "廊坊市",
    "131100": "衡水市",
}


def test_provinces(atlas: Atlas) -> None:
    provinces = {p.adcode: p.name for p in atlas.places if p.level == "province"}
    assert provinces == {"110000": "北京市", "120000": "天津市", "130000": "河北省"}
    assert all(atlas.place(code).parent is None for code in provinces)


def test_hebei_prefecture_cities(atlas: Atlas) -> None:
    cities = {p.adcode: p.name for p in atlas.places if p.level == "prefecture"}
    assert cities == HEBEI_CITIES
    assert {p.parent for p in atlas.places if p.level == "prefecture"} == {"130000"}
    assert atlas.place("130100").short_name == "石家庄"


def test_prefecture_units_are_beijing_tianjin_the_11_cities_and_xiongan(atlas: Atlas) -> None:
    units = [p.adcode for p in atlas.prefecture_units()]
    assert units == ["110000", "120000", *HEBEI_CITIES, "133100"]


def test_xiongan_counts_its_three_counties_and_baoding_the_rest(atlas: Atlas) -> None:
    xiongan = {"130638", "130629", "130632"}
    assert atlas.unit_counties("133100") == xiongan
    baoding = atlas.unit_counties("130600")
    assert not baoding & xiongan
    assert "130682" in baoding  # 定州 stays with 保定
    below = {p.adcode for p in atlas.descendants("130600") if p.level == "county"}
    assert baoding | xiongan == below
    assert atlas.unit_counties("130000") >= below  # Hebei as a whole still holds them
    assert atlas.unit_counties("130606") == {"130606"}


def test_county_level_units(atlas: Atlas) -> None:
    counties = [p for p in atlas.places if p.level == "county"]
    # 16 districts in Beijing, 16 in Tianjin, 167 county-level units in Hebei (2021 onwards).
    assert len(counties) == 199
    assert sum(p.adcode.startswith("11") for p in counties) == 16
    assert sum(p.adcode.startswith("12") for p in counties) == 16
    assert sum(p.adcode.startswith("13") for p in counties) == 167
    assert atlas.place("110105").parent == "110000"
    assert atlas.place("120116").parent == "120000"
    assert atlas.place("130602").parent == "130600"


def test_later_administrative_changes_are_applied(atlas: Atlas) -> None:
    assert atlas.place("130408").name == "永年区"
    assert "永年县" in atlas.place("130408").aliases
    assert atlas.place("130284").name == "滦州市"
    assert atlas.place("130682").name == "定州市"
    assert atlas.place("130682").parent == "130600"
    assert atlas.place("130181").parent == "130100"
    for abolished in ("130421", "130521", "130429", "139001"):
        with pytest.raises(AtlasLookupError):
            atlas.place(abolished)


def test_special_areas(atlas: Atlas) -> None:
    xiongan = atlas.place("133100")
    assert (xiongan.name, xiongan.level, xiongan.parent) == ("雄安新区", "special", "130000")
    assert xiongan.administers == ["130638", "130629", "130632"]
    assert [atlas.place(code).name for code in xiongan.administers] == ["雄县", "容城县", "安新县"]
    assert all(atlas.place(code).parent == "130600" for code in xiongan.administers)
    tongzhou = atlas.place("110112")
    assert "北京城市副中心" in tongzhou.aliases
    assert "city-sub-centre" in tongzhou.tags
    assert atlas.place("120116").name == "滨海新区"


def test_coordinates_are_seats_inside_the_region(atlas: Atlas) -> None:
    for place in atlas.places:
        assert 113.4 < place.lon < 119.9, place
        assert 36.0 < place.lat < 42.7, place
    assert atlas.place_coordinates("110000") == (116.407394, 39.904211)


def test_children_and_province(atlas: Atlas) -> None:
    hebei_children = {p.adcode for p in atlas.children("130000")}
    assert hebei_children == {*HEBEI_CITIES, "133100"}
    assert len(atlas.children("110000")) == 16
    assert {p.name for p in atlas.children("130600")} >= {"竞秀区", "涿州市", "雄县", "定州市"}
    assert atlas.province_of("130602").adcode == "130000"
    assert atlas.province_of("110000").adcode == "110000"
    assert atlas.prefecture_unit_of("110108").adcode == "110000"
    assert atlas.prefecture_unit_of("130602").adcode == "130600"
    assert atlas.prefecture_unit_of("133100").adcode == "133100"
    assert atlas.prefecture_unit_of("130638").adcode == "133100"  # 雄县
    assert atlas.prefecture_unit_of("130682").adcode == "130600"  # 定州
    assert atlas.prefecture_unit_of("130000") is None


@pytest.mark.parametrize(
    ("text", "adcode"),
    [
        ("保定", "130600"),
        ("保定市", "130600"),
        ("130600", "130600"),
        (" 保定市 ", "130600"),
        ("北京", "110000"),
        ("河北", "130000"),
        ("河北省", "130000"),
        ("承德", "130800"),
        ("承德县", "130821"),
        ("北京城市副中心", "110112"),
        ("天津滨海新区", "120116"),
        ("雄安", "133100"),
        ("河北雄安新区", "133100"),
        ("永年县", "130408"),
        ("130429", "130408"),
        ("石家庄市桥西区", "130104"),
        ("张家口桥西区", "130703"),
        ("河北省保定市", "130600"),
        ("围场", "130828"),
    ],
)
def test_resolve_place(atlas: Atlas, text: str, adcode: str) -> None:
    assert atlas.resolve_place(text).adcode == adcode


def test_resolve_place_unknown_and_ambiguous(atlas: Atlas) -> None:
    with pytest.raises(AtlasLookupError, match="上海"):
        atlas.resolve_place("上海")
    with pytest.raises(AtlasLookupError, match="ambiguous: 130104 桥西区, 130703 桥西区"):
        atlas.resolve_place("桥西区")


def test_lookup_error_is_a_key_error_naming_the_key(atlas: Atlas) -> None:
    with pytest.raises(KeyError) as caught:
        atlas.place("999999")
    assert isinstance(caught.value, AtlasLookupError)
    assert caught.value.key == "999999"
    assert str(caught.value) == "unknown place '999999'"
