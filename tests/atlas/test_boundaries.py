"""Boundaries: 14 prefecture-level units (雄安新区 apart from 保定) and 3 provinces,
simplified, with adcode and name."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from jingjinji.atlas import DATA_DIR, Atlas, AtlasLookupError, boundaries


def _inside(lon: float, lat: float, geometry: dict[str, Any]) -> bool:
    """Even-odd rule over all rings of a MultiPolygon."""
    inside = False
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            for (x1, y1), (x2, y2) in itertools.pairwise(ring):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def test_prefecture_collection(atlas: Atlas) -> None:
    collection = boundaries("prefecture")
    assert collection["type"] == "FeatureCollection"
    codes = [f["properties"]["adcode"] for f in collection["features"]]
    assert codes == [p.adcode for p in atlas.prefecture_units()]
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert feature["properties"]["name"] == atlas.place(feature["properties"]["adcode"]).name
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert ring[0] == ring[-1] and len(ring) >= 4


def test_each_seat_lies_inside_its_own_boundary(atlas: Atlas) -> None:
    features = {f["properties"]["adcode"]: f for f in boundaries("prefecture")["features"]}
    for code, feature in features.items():
        seat = atlas.place(code)
        assert _inside(seat.lon, seat.lat, feature["geometry"]), code
        others = [c for c in features if c != code]
        assert not any(_inside(seat.lon, seat.lat, features[c]["geometry"]) for c in others)


def test_xiongan_counties_lie_in_xiongan_not_in_baoding(atlas: Atlas) -> None:
    features = {f["properties"]["adcode"]: f for f in boundaries("prefecture")["features"]}
    for county in ("130638", "130629", "130632"):  # 雄县, 容城县, 安新县
        seat = atlas.place(county)
        assert _inside(seat.lon, seat.lat, features["133100"]["geometry"]), county
        assert not _inside(seat.lon, seat.lat, features["130600"]["geometry"]), county
    for county in ("130606", "130682"):  # 莲池区 and 定州市 stay in 保定
        seat = atlas.place(county)
        assert _inside(seat.lon, seat.lat, features["130600"]["geometry"]), county


def test_province_collection() -> None:
    codes = [f["properties"]["adcode"] for f in boundaries("province")["features"]]
    assert codes == ["110000", "120000", "130000"]


def test_files_are_small_and_rounded() -> None:
    total = sum(p.stat().st_size for p in (DATA_DIR / "boundaries").glob("*.geojson"))
    assert total < 600 * 1024
    ring = boundaries()["features"][0]["geometry"]["coordinates"][0][0]
    assert all(round(value, 4) == value for point in ring for value in point)


def test_fresh_dict_each_call_and_unknown_level(atlas: Atlas) -> None:
    first = atlas.boundaries()
    first["features"].clear()
    assert len(atlas.boundaries()["features"]) == 14
    with pytest.raises(AtlasLookupError):
        atlas.boundaries("county")  # type: ignore[arg-type]
