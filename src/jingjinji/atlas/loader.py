"""Read the atlas data files into models, collecting problems instead of stopping at the first.

The data directory holds::

    places.csv                      + places.source.yaml
    boundaries/<level>.geojson      + boundaries/<level>.source.yaml
    classification/gbt4754_2017.csv + classification/gbt4754_2017.source.yaml
    classification/registry_generic.yaml  (generic 经营范围 phrases; provenance inside)
    industries/<slug>.yaml          (provenance inside)
    spatial/{corridors,belts,platforms,parks,circles}.yaml  (provenance inside)

Every problem names the file (relative to the data directory, POSIX style) and the key of the
record (an adcode or slug, with the field when the schema rejects one).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from jingjinji.atlas.models import (
    Belt,
    Circle,
    Corridor,
    Industry,
    Park,
    Place,
    Platform,
    Provenance,
    RegistryPhrases,
)
from jingjinji.atlas.problems import Problem

__all__ = [
    "DATA_DIR",
    "SPATIAL_FILES",
    "AtlasData",
    "data_files",
    "read_atlas_data",
    "read_registry_generic",
    "sidecar_of",
]

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES_FILE = "places.csv"
GBT_FILE = "classification/gbt4754_2017.csv"
REGISTRY_GENERIC_FILE = "classification/registry_generic.yaml"
INDUSTRIES_DIR = "industries"
SIDECAR_SUFFIX = ".source.yaml"

#: Spatial file name -> (top-level list key, model).
SPATIAL_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "spatial/corridors.yaml": ("corridors", Corridor),
    "spatial/belts.yaml": ("belts", Belt),
    "spatial/platforms.yaml": ("platforms", Platform),
    "spatial/parks.yaml": ("parks", Park),
    "spatial/circles.yaml": ("circles", Circle),
}

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass
class AtlasData:
    """Everything read from a data directory, before cross-reference checks."""

    root: Path
    places: list[Place] = field(default_factory=list)
    industries: list[Industry] = field(default_factory=list)
    corridors: list[Corridor] = field(default_factory=list)
    belts: list[Belt] = field(default_factory=list)
    platforms: list[Platform] = field(default_factory=list)
    parks: list[Park] = field(default_factory=list)
    circles: list[Circle] = field(default_factory=list)
    gbt_codes: dict[str, str] = field(default_factory=dict)
    #: generic business-scope phrases (classification/registry_generic.yaml), if shipped
    registry_generic: list[str] = field(default_factory=list)
    #: relative file name of each industry slug, for problems found later
    industry_files: dict[str, str] = field(default_factory=dict)
    #: slugs of industries whose file failed the schema (references to them are not reported)
    unparsed_industries: set[str] = field(default_factory=set)


def sidecar_of(path: Path) -> Path:
    """The provenance sidecar of a data file: ``places.csv`` -> ``places.source.yaml``."""
    return path.with_name(path.name.split(".")[0] + SIDECAR_SUFFIX)


def data_files(root: Path) -> list[Path]:
    """All data files under ``root`` (sidecars and hidden files excluded), sorted."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and not path.name.endswith(SIDECAR_SUFFIX)
        and not any(part.startswith((".", "_")) for part in path.relative_to(root).parts)
    )


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _schema_problems(file: str, key: str, error: ValidationError) -> Iterator[Problem]:
    """One problem per pydantic error, the field path appended to the key."""
    for item in error.errors():
        location = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in item["loc"]
        ).lstrip(".")
        yield Problem(file, f"{key}.{location}" if location else key, item["msg"])


def _build(
    model: type[ModelT], raw: Any, *, file: str, key: str, problems: list[Problem]
) -> ModelT | None:
    """Validate ``raw`` as ``model``; on failure record problems and return ``None``."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems.extend(_schema_problems(file, key, error))
        return None


def _read_yaml(path: Path, file: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(Problem(file, "-", f"cannot read YAML: {error}"))
        return None
    if not isinstance(content, dict):
        problems.append(Problem(file, "-", "top level must be a mapping"))
        return None
    return content


def _split(value: str) -> list[str]:
    return [part for part in value.split("|") if part]


def _read_places(root: Path, problems: list[Problem]) -> list[Place]:
    path = root / PLACES_FILE
    places: list[Place] = []
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as error:
        problems.append(Problem(PLACES_FILE, "-", f"cannot read: {error}"))
        return places
    with handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            key = row.get("adcode") or f"line {number}"
            raw = {
                "adcode": row.get("adcode"),
                "name": row.get("name"),
                "short_name": row.get("short_name"),
                "level": row.get("level"),
                "parent": row.get("parent") or None,
                "lon": row.get("lon"),
                "lat": row.get("lat"),
                "aliases": _split(row.get("aliases") or ""),
                "tags": _split(row.get("tags") or ""),
                "administers": _split(row.get("administers") or ""),
                "note": row.get("note") or None,
                "provenance": _split(row.get("provenance") or ""),
            }
            place = _build(Place, raw, file=PLACES_FILE, key=key, problems=problems)
            if place is not None:
                places.append(place)
    return places


def _read_gbt(root: Path, problems: list[Problem]) -> dict[str, str]:
    try:
        with (root / GBT_FILE).open(encoding="utf-8", newline="") as handle:
            return {row["code"]: row["name"] for row in csv.DictReader(handle)}
    except (OSError, KeyError) as error:
        problems.append(Problem(GBT_FILE, "-", f"cannot read the classification: {error}"))
        return {}


def read_registry_generic(root: Path, problems: list[Problem] | None = None) -> list[str]:
    """The generic business-scope phrases under ``root`` (none if the file is absent).

    Problems (unreadable file, schema errors) go to ``problems`` when given.
    """
    path = root / REGISTRY_GENERIC_FILE
    if not path.is_file():
        return []
    found: list[Problem] = []
    raw = _read_yaml(path, REGISTRY_GENERIC_FILE, found)
    phrases = None
    if raw is not None:
        phrases = _build(
            RegistryPhrases, raw, file=REGISTRY_GENERIC_FILE, key="phrases", problems=found
        )
    if problems is not None:
        problems.extend(found)
    return list(phrases.phrases) if phrases is not None else []


def _read_industries(root: Path, data: AtlasData, problems: list[Problem]) -> None:
    for path in sorted((root / INDUSTRIES_DIR).glob("*.yaml")):
        file = _relative(root, path)
        raw = _read_yaml(path, file, problems)
        if raw is None:
            continue
        key = str(raw.get("slug") or path.stem)
        industry = _build(Industry, raw, file=file, key=key, problems=problems)
        if industry is None:
            data.unparsed_industries.add(key)
            continue
        if industry.slug != path.stem:
            problems.append(
                Problem(file, industry.slug, f"slug must match the file name {path.stem!r}")
            )
        data.industries.append(industry)
        data.industry_files[industry.slug] = file
    data.industries.sort(key=lambda industry: (industry.order, industry.slug))


def _read_items(
    raw_items: Iterable[Any], model: type[ModelT], *, file: str, problems: list[Problem]
) -> list[ModelT]:
    items: list[ModelT] = []
    for index, raw in enumerate(raw_items):
        key = str(raw.get("slug")) if isinstance(raw, dict) and raw.get("slug") else f"#{index}"
        item = _build(model, raw, file=file, key=key, problems=problems)
        if item is not None:
            items.append(item)
    return items


def _read_spatial(root: Path, data: AtlasData, problems: list[Problem]) -> None:
    for file, (list_key, model) in SPATIAL_FILES.items():
        raw = _read_yaml(root / file, file, problems)
        if raw is None:
            continue
        raw_items = raw.get(list_key)
        if not isinstance(raw_items, list):
            problems.append(Problem(file, list_key, "missing or not a list"))
            continue
        items = _read_items(raw_items, model, file=file, problems=problems)
        getattr(data, list_key).extend(items)


def _read_provenance(root: Path, problems: list[Problem]) -> None:
    """Every data file carries provenance: inside (YAML) or in a ``*.source.yaml`` sidecar."""
    for path in data_files(root):
        file = _relative(root, path)
        if path.suffix in (".yaml", ".yml"):
            content = _read_yaml(path, file, problems)
            if content is None:
                continue
            if "provenance" not in content:
                problems.append(Problem(file, "provenance", "data file has no provenance"))
                continue
            _build(
                Provenance, content["provenance"], file=file, key="provenance", problems=problems
            )
            continue
        sidecar = sidecar_of(path)
        if not sidecar.is_file():
            problems.append(Problem(file, "provenance", f"data file has no sidecar {sidecar.name}"))
            continue
        side_file = _relative(root, sidecar)
        content = _read_yaml(sidecar, side_file, problems)
        if content is not None:
            _build(Provenance, content, file=side_file, key="provenance", problems=problems)


def read_atlas_data(root: Path) -> tuple[AtlasData, list[Problem]]:
    """Read every data file under ``root``; return the valid records and the problems."""
    problems: list[Problem] = []
    data = AtlasData(root=root)
    if not root.is_dir():
        return data, [Problem(str(root), "-", "not a directory")]
    data.places = _read_places(root, problems)
    data.gbt_codes = _read_gbt(root, problems)
    data.registry_generic = read_registry_generic(root, problems)
    _read_industries(root, data, problems)
    _read_spatial(root, data, problems)
    _read_provenance(root, problems)
    logger.debug("read atlas data from %s: %d problem(s)", root, len(problems))
    return data, problems
