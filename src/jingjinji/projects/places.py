"""Place names and grouping for project origins and destinations.

Destinations lie in the region and are atlas places. Origins may lie anywhere in China: an
origin outside the region is a 6-digit adcode (GB/T 2260) named through a small table of
province-level units (and the few cities the sample data uses); inside the region the atlas
names it. Statistics group places at the prefecture level inside the region (the 13 units of
:meth:`Atlas.prefecture_units`) and at the province level outside it.

>>> from jingjinji.atlas import load_atlas
>>> atlas = load_atlas()
>>> place_label("130602", atlas), place_label("310000", atlas), place_label("320500", atlas)
('竞秀区', '上海市', '苏州市')
>>> unit_of("130602", atlas), unit_of("320583", atlas)
('130600', '320000')
"""

from __future__ import annotations

import re

from jingjinji.atlas import Atlas, AtlasLookupError

__all__ = [
    "OUTSIDE_CITIES",
    "PROVINCES",
    "REGION_PROVINCES",
    "atlas_name",
    "containing",
    "covered_codes",
    "in_region",
    "is_adcode",
    "place_label",
    "resolve_origin",
    "unit_of",
]

#: Province-level units of China by adcode (GB/T 2260).
PROVINCES: dict[str, str] = {
    "110000": "北京市",
    "120000": "天津市",
    "130000": "河北省",
    "140000": "山西省",
    "150000": "内蒙古自治区",
    "210000": "辽宁省",
    "220000": "吉林省",
    "230000": "黑龙江省",
    "310000": "上海市",
    "320000": "江苏省",
    "330000": "浙江省",
    "340000": "安徽省",
    "350000": "福建省",
    "360000": "江西省",
    "370000": "山东省",
    "410000": "河南省",
    "420000": "湖北省",
    "430000": "湖南省",
    "440000": "广东省",
    "450000": "广西壮族自治区",
    "460000": "海南省",
    "500000": "重庆市",
    "510000": "四川省",
    "520000": "贵州省",
    "530000": "云南省",
    "540000": "西藏自治区",
    "610000": "陕西省",
    "620000": "甘肃省",
    "630000": "青海省",
    "640000": "宁夏回族自治区",
    "650000": "新疆维吾尔自治区",
    "710000": "台湾省",
    "810000": "香港特别行政区",
    "820000": "澳门特别行政区",
}

#: Cities outside the region that often send projects (names by GB/T 2260).
OUTSIDE_CITIES: dict[str, str] = {
    "320100": "南京市",
    "320500": "苏州市",
    "330100": "杭州市",
    "370100": "济南市",
    "370200": "青岛市",
    "420100": "武汉市",
    "440100": "广州市",
    "440300": "深圳市",
    "510100": "成都市",
    "610100": "西安市",
    "210200": "大连市",
    "340100": "合肥市",
}

#: The three province-level units of the region.
REGION_PROVINCES: tuple[str, ...] = ("110000", "120000", "130000")

_ADCODE = re.compile(r"^\d{6}$")


def is_adcode(text: str) -> bool:
    """Whether ``text`` is six digits."""
    return bool(_ADCODE.match(text))


def in_region(adcode: str) -> bool:
    """Whether an adcode lies in Beijing, Tianjin or Hebei (by its first two digits)."""
    return adcode[:2] in ("11", "12", "13")


def atlas_name(atlas: Atlas, kind: str, slug: str) -> str:
    """The Chinese name of the atlas's ``kind`` (``"industry"``, ``"segment"``, ``"platform"``,
    ``"park"``) called ``slug``; an unknown slug shows as itself."""
    try:
        return str(getattr(atlas, kind)(slug).name)
    except AtlasLookupError:
        return slug


def place_label(adcode: str, atlas: Atlas) -> str:
    """A Chinese name for any 6-digit adcode; unknown codes show as the code itself."""
    try:
        return atlas.place(adcode).name
    except AtlasLookupError:
        pass
    if adcode in PROVINCES:
        return PROVINCES[adcode]
    if adcode in OUTSIDE_CITIES:
        return OUTSIDE_CITIES[adcode]
    province = PROVINCES.get(adcode[:2] + "0000")
    return f"{province}（{adcode}）" if province else adcode


def unit_of(adcode: str, atlas: Atlas) -> str:
    """The grouping unit of a place: its prefecture-level unit in the region, else its
    province-level unit (a region code unknown to the atlas falls back the same way)."""
    try:
        unit = atlas.prefecture_unit_of(adcode)
    except AtlasLookupError:
        unit = None
    if unit is not None:
        return unit.adcode
    if adcode[:2] == "13" and adcode[2:4] != "00":
        return adcode[:4] + "00"
    return adcode[:2] + "0000"


def containing(adcode: str, atlas: Atlas) -> set[str]:
    """The place itself and every place containing it: its parents in the atlas and a special
    area administering it (雄县 lies in 雄安新区 and in 保定); outside the atlas, the
    prefecture and province codes implied by the adcode.

    >>> from jingjinji.atlas import load_atlas
    >>> sorted(containing("130638", load_atlas()))
    ['130000', '130600', '130638', '133100']
    """
    found = {adcode}
    try:
        place = atlas.place(adcode)
    except AtlasLookupError:
        found.update({adcode[:4] + "00", adcode[:2] + "0000"})
        return found
    found.update(special.adcode for special in atlas.administering(adcode))
    while place.parent:
        place = atlas.place(place.parent)
        found.add(place.adcode)
    return found


def covered_codes(adcode: str, atlas: Atlas) -> tuple[set[str], str | None]:
    """The adcodes a place filter covers, and a code prefix for places outside the atlas.

    A prefecture-level unit covers the places statistics count under it (保定 without 雄安新区
    and its three counties, 雄安新区 those three); any other place covers itself, its
    descendants and the places a special area administers. Outside the atlas, a
    province-level code covers its 2-digit prefix, a prefecture-level code its 4-digit prefix.

    >>> from jingjinji.atlas import load_atlas
    >>> codes, prefix = covered_codes("130600", load_atlas())
    >>> "130602" in codes, "133100" in codes, "130638" in codes, prefix
    (True, False, False, None)
    >>> sorted(covered_codes("133100", load_atlas())[0])
    ['130629', '130632', '130638', '133100']
    >>> covered_codes("320000", load_atlas())
    ({'320000'}, '32')
    """
    try:
        place = atlas.place(adcode)
    except AtlasLookupError:
        if adcode.endswith("0000"):
            return {adcode}, adcode[:2]
        if adcode.endswith("00"):
            return {adcode}, adcode[:4]
        return {adcode}, None
    if place.level != "province" and unit_of(adcode, atlas) == adcode:
        return {p.adcode for p in atlas.places if unit_of(p.adcode, atlas) == adcode}, None
    codes = {adcode} | {p.adcode for p in atlas.descendants(adcode)}
    for code in place.administers:
        codes.add(code)
        codes.update(p.adcode for p in atlas.descendants(code))
    return codes, None


def resolve_origin(text: str, atlas: Atlas) -> str:
    """The adcode an origin cell denotes: any 6-digit code, an atlas place name, or the name
    of a province-level unit or listed city outside the region. Raises ``LookupError``."""
    value = re.sub(r"\s+", "", text)
    if is_adcode(value):
        return value
    try:
        return atlas.resolve_place(value).adcode
    except AtlasLookupError:
        pass
    for table in (PROVINCES, OUTSIDE_CITIES):
        for code, name in table.items():
            if value in (name, _short(name)):
                return code
    raise LookupError(value)


def _short(name: str) -> str:
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
