"""The generated data files are reproducible from the shared sources by scripts/."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from jingjinji.atlas import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]
SHARED_GEO = ROOT.parent / "shared" / "data" / "geo"

pytestmark = pytest.mark.skipif(
    not (SHARED_GEO / "cpca_adcodes.csv").is_file(), reason="shared source data not present"
)


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_places_csv_is_reproducible(tmp_path: Path) -> None:
    target = tmp_path / "places.csv"
    count = _script("build_places").build(SHARED_GEO / "cpca_adcodes.csv", target)
    assert count == 3 + 11 + 1 + 199
    assert target.read_bytes() == (DATA_DIR / "places.csv").read_bytes()


def test_boundaries_are_reproducible(tmp_path: Path) -> None:
    sizes = _script("simplify_boundaries").build(SHARED_GEO, tmp_path, 0.002)
    assert set(sizes) == {"prefecture.geojson", "province.geojson"}
    for name in sizes:
        assert (tmp_path / name).read_bytes() == (DATA_DIR / "boundaries" / name).read_bytes()


def test_short_names() -> None:
    short_name = _script("build_places").short_name
    assert short_name("石家庄市") == "石家庄"
    assert short_name("围场满族蒙古族自治县") == "围场"
    assert short_name("蔚县") == "蔚县"
    assert short_name("井陉矿区") == "井陉矿区"
    assert short_name("滨海新区") == "滨海"
