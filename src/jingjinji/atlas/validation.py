"""Cross-reference checks of atlas data, and :func:`validate_atlas`.

The schema (pydantic) is checked while reading; this module checks what one record cannot
check alone: unique slugs and adcodes, references that resolve, the place hierarchy, the three
stages and the segment count of every industry, cycles in the supply graph, GB/T 4754-2017
codes and seed names.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from jingjinji.atlas.loader import DATA_DIR, PLACES_FILE, SPATIAL_FILES, AtlasData, read_atlas_data
from jingjinji.atlas.models import STAGES, Industry
from jingjinji.atlas.problems import Problem

__all__ = ["KNOWN_SEEDS", "MAX_SEGMENTS", "MIN_SEGMENTS", "check_atlas_data", "validate_atlas"]

MIN_SEGMENTS = 12
MAX_SEGMENTS = 30

#: The seed articles a provenance tag ``seed:<file>`` may name.
KNOWN_SEEDS = frozenset(
    {
        "000_8e14029575551f3d.txt",
        "001_4b6e042be49c5569.txt",
        "002_9edae77716d51e3f.txt",
        "003_4b648ab99be5eb38.txt",
        "004_f1980b49e9b62d35.txt",
    }
)

#: Allowed parent levels of each place level.
PARENT_LEVELS = {
    "prefecture": {"province"},
    "special": {"province"},
    "county": {"province", "prefecture"},
}


def _seed_problems(file: str, key: str, tags: list[str]) -> Iterator[Problem]:
    for tag in tags:
        if tag.startswith("seed:") and tag.removeprefix("seed:") not in KNOWN_SEEDS:
            yield Problem(file, key, f"provenance names unknown seed file {tag!r}")


def _check_places(data: AtlasData) -> Iterator[Problem]:
    counts = Counter(place.adcode for place in data.places)
    for adcode, count in sorted(counts.items()):
        if count > 1:
            yield Problem(PLACES_FILE, adcode, f"adcode appears {count} times")
    by_code = {place.adcode: place for place in data.places}
    for place in data.places:
        yield from _seed_problems(PLACES_FILE, place.adcode, place.provenance)
        if place.level == "province":
            if place.parent is not None:
                yield Problem(PLACES_FILE, place.adcode, "a province has no parent")
            continue
        if place.parent is None:
            yield Problem(PLACES_FILE, place.adcode, f"a {place.level} needs a parent")
            continue
        parent = by_code.get(place.parent)
        if parent is None:
            yield Problem(PLACES_FILE, place.adcode, f"parent {place.parent!r} does not exist")
        elif parent.level not in PARENT_LEVELS[place.level]:
            yield Problem(
                PLACES_FILE,
                place.adcode,
                f"parent {place.parent} is a {parent.level}, not a valid parent of a {place.level}",
            )
        for code in place.administers:
            if code not in by_code:
                yield Problem(PLACES_FILE, place.adcode, f"administers unknown place {code!r}")


def _find_cycles(industry: Industry) -> list[list[str]]:
    """Cycles of the supply graph that use no edge marked ``cycle_ok`` (one per back edge)."""
    graph: dict[str, list[str]] = defaultdict(list)
    for edge in industry.edges:
        if not edge.cycle_ok:
            graph[edge.source].append(edge.target)
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = defaultdict(int)
    cycles: list[list[str]] = []
    for start in [segment.slug for segment in industry.segments]:
        if colour[start] != white:
            continue
        path = [start]
        colour[start] = grey
        stack = [iter(graph[start])]
        while stack:
            node = next(stack[-1], None)
            if node is None:
                stack.pop()
                colour[path.pop()] = black
            elif colour[node] == grey:
                cycles.append([*path[path.index(node) :], node])
            elif colour[node] == white:
                colour[node] = grey
                path.append(node)
                stack.append(iter(graph[node]))
    return cycles


def _check_industry(industry: Industry, file: str, gbt_codes: dict[str, str]) -> Iterator[Problem]:
    count = len(industry.segments)
    if not MIN_SEGMENTS <= count <= MAX_SEGMENTS:
        yield Problem(
            file,
            industry.slug,
            f"has {count} segments; an industry needs {MIN_SEGMENTS}–{MAX_SEGMENTS}",
        )
    present = {segment.stage for segment in industry.segments}
    for stage in STAGES:
        if stage not in present:
            yield Problem(file, industry.slug, f"has no {stage} segment")
    if len(set(industry.roles)) != len(industry.roles):
        yield Problem(file, industry.slug, "roles repeat")
    yield from _seed_problems(file, industry.slug, industry.provenance.sources)
    slugs = {segment.slug for segment in industry.segments}
    for segment in industry.segments:
        for code in segment.gbt4754:
            if code not in gbt_codes:
                yield Problem(file, segment.slug, f"GB/T 4754-2017 code {code!r} does not exist")
    seen: set[tuple[str, str]] = set()
    for edge in industry.edges:
        key = f"{edge.source}->{edge.target}"
        for end in (edge.source, edge.target):
            if end not in slugs:
                yield Problem(file, key, f"edge refers to unknown segment {end!r}")
        if edge.source == edge.target:
            yield Problem(file, key, "edge is a self-loop")
        if (edge.source, edge.target) in seen:
            yield Problem(file, key, "edge repeats")
        seen.add((edge.source, edge.target))
    for cycle in _find_cycles(industry):
        yield Problem(
            file,
            "->".join(cycle),
            "supply graph has a cycle; mark one of its edges cycle_ok: true if intended",
        )


def _check_slugs(data: AtlasData) -> Iterator[Problem]:
    """Slugs are unique across industries, segments and all spatial items."""
    owners: dict[str, list[str]] = defaultdict(list)
    for industry in data.industries:
        file = data.industry_files.get(industry.slug, "industries")
        owners[industry.slug].append(file)
        for segment in industry.segments:
            owners[segment.slug].append(file)
    spatial_files = {key: file for file, (key, _) in SPATIAL_FILES.items()}
    for list_key, file in spatial_files.items():
        for item in getattr(data, list_key):
            owners[item.slug].append(file)
    for slug, files in sorted(owners.items()):
        if len(files) > 1:
            yield Problem(files[-1], slug, f"slug is not unique (also in {', '.join(files[:-1])})")


def _check_spatial(data: AtlasData) -> Iterator[Problem]:
    industries = {industry.slug for industry in data.industries} | data.unparsed_industries
    places = {place.adcode for place in data.places}
    for file, (list_key, _) in SPATIAL_FILES.items():
        for item in getattr(data, list_key):
            yield from _seed_problems(file, item.slug, item.provenance)
            for slug in item.industries:
                if slug not in industries:
                    yield Problem(file, item.slug, f"industries: unknown industry {slug!r}")
            refs: list[tuple[str, str]] = []
            for name in ("places", "members"):
                refs += [(name, code) for code in getattr(item, name, [])]
            for name in ("place", "core"):
                if hasattr(item, name):
                    refs.append((name, getattr(item, name)))
            for name, code in refs:
                if code not in places:
                    yield Problem(file, item.slug, f"{name}: unknown place {code!r}")


def check_atlas_data(data: AtlasData) -> list[Problem]:
    """All cross-reference problems of data that passed the schema."""
    problems = [*_check_places(data), *_check_slugs(data), *_check_spatial(data)]
    for industry in data.industries:
        file = data.industry_files.get(industry.slug, "industries")
        problems.extend(_check_industry(industry, file, data.gbt_codes))
    return problems


def validate_atlas(path: Path | str | None = None) -> list[Problem]:
    """Every problem of the atlas data in ``path`` (default: the packaged data), sorted.

    An empty list means the data is valid. Each problem names the file, the key and the issue.
    """
    root = Path(path) if path is not None else DATA_DIR
    data, problems = read_atlas_data(root)
    problems.extend(check_atlas_data(data))
    return sorted(set(problems))
