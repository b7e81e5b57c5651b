"""Place codes the indicator module knows without the atlas: provinces, the national total,
the region and the 13 prefecture-level units of Jing-Jin-Ji (adcodes, GB/T 2260).

The atlas (``jingjinji.atlas``) is the authority for places; this table is the fallback that
keeps the analytics usable on its own and covers provinces outside the region.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

__all__ = [
    "JJJ_CITIES",
    "JJJ_PROVINCES",
    "JJJ_UNITS",
    "NATIONAL",
    "PROVINCES",
    "REGION",
    "XIONGAN",
    "default_resolver",
    "place_name",
    "resolve_builtin",
]

NATIONAL = "100000"
#: Pseudo-code of the Jing-Jin-Ji region as a whole (not an adcode).
REGION = "jjj"

PROVINCES: dict[str, str] = {
    "110000": "北京",
    "120000": "天津",
    "130000": "河北",
    "140000": "山西",
    "150000": "内蒙古",
    "210000": "辽宁",
    "220000": "吉林",
    "230000": "黑龙江",
    "310000": "上海",
    "320000": "江苏",
    "330000": "浙江",
    "340000": "安徽",
    "350000": "福建",
    "360000": "江西",
    "370000": "山东",
    "410000": "河南",
    "420000": "湖北",
    "430000": "湖南",
    "440000": "广东",
    "450000": "广西",
    "460000": "海南",
    "500000": "重庆",
    "510000": "四川",
    "520000": "贵州",
    "530000": "云南",
    "540000": "西藏",
    "610000": "陕西",
    "620000": "甘肃",
    "630000": "青海",
    "640000": "宁夏",
    "650000": "新疆",
}

JJJ_PROVINCES = ("110000", "120000", "130000")

#: The 13 prefecture-level units: Beijing and Tianjin (municipalities) and Hebei's 11 cities.
JJJ_CITIES: dict[str, str] = {
    "110000": "北京市",
    "120000": "天津市",
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

#: 雄安新区, a prefecture-level unit of its own in the platform's statistics (the shipped
#: census and sample panels have no figures for it: their 保定 excludes its three counties).
XIONGAN = "133100"
JJJ_UNITS: dict[str, str] = {**JJJ_CITIES, XIONGAN: "雄安新区"}

_FULL_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")
_NAMES: dict[str, str] = {}


def _register(code: str, *names: str) -> None:
    for name in names:
        _NAMES[name] = code


for _code, _name in PROVINCES.items():
    _register(
        _code, _name, _name + ("市" if _code in ("110000", "120000", "310000", "500000") else "省")
    )
_register("150000", "内蒙古自治区")
_register("450000", "广西壮族自治区")
_register("540000", "西藏自治区")
_register("640000", "宁夏回族自治区")
_register("650000", "新疆维吾尔自治区")
for _code, _name in JJJ_CITIES.items():
    _register(_code, _name, _name.removesuffix("市"))
_register(XIONGAN, "雄安新区", "河北雄安新区", "雄安")
_register(NATIONAL, "全国", "中国", "全国合计")
_register(REGION, "京津冀", "京津冀地区")


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", str(text))


def resolve_builtin(text: str) -> str | None:
    """The code of a place given by code or Chinese name, or ``None`` if unknown.

    >>> resolve_builtin("北   京"), resolve_builtin("保定"), resolve_builtin("130600")
    ('110000', '130600', '130600')
    """
    key = _clean(text)
    if key.endswith(".0") and key[:-2].isdigit():
        key = key[:-2]  # a code read as a float from a spreadsheet
    if key in PROVINCES or key in JJJ_UNITS or key in (NATIONAL, REGION):
        return key
    if key.lower() == REGION:
        return REGION
    return _NAMES.get(key)


def place_name(code: str) -> str:
    """A display name for a code (the code itself when unknown)."""
    if code == NATIONAL:
        return "全国"
    if code == REGION:
        return "京津冀"
    if code == "130000":
        return "河北省"
    return JJJ_UNITS.get(code) or PROVINCES.get(code) or code


def _atlas_resolver() -> Callable[[str], Any] | None:
    try:
        from jingjinji import atlas  # the atlas is optional for the analytics
    except Exception:
        return None
    func = getattr(atlas, "resolve_place", None)
    if callable(func):
        return func
    loader = getattr(atlas, "load_atlas", None)
    if callable(loader):
        try:
            loaded = loader()
        except Exception:
            return None
        method = getattr(loaded, "resolve_place", None)
        if callable(method):
            return method
    return None


def default_resolver() -> Callable[[str], str | None]:
    """Resolve through the atlas when it is importable, falling back to the built-in table.

    The atlas resolver may return a place object with ``.adcode``, a code string, or
    ``None``/raise ``LookupError`` for unknown text.
    """
    atlas_resolve = _atlas_resolver()

    def resolve(text: str) -> str | None:
        if atlas_resolve is not None:
            try:
                found = atlas_resolve(text)
            except (LookupError, ValueError):
                found = None
            if found is not None:
                code = getattr(found, "adcode", found)
                return str(code)
        return resolve_builtin(text)

    return resolve
