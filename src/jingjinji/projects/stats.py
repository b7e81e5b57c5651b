"""Statistics of the project library: counts and investment by a dimension, flows, funnel.

All functions are pure: they take :class:`ProjectRecord` values and the atlas and return plain
dataclasses. Investment is in 亿元 and summed as given; totals are rounded to 4 decimals.

Grouping rules (stated once, used everywhere):

- ``destination`` and ``origin`` group at the prefecture level in the region (Beijing and
  Tianjin as wholes, Hebei's 11 cities; 雄安新区's counties go to 保定 as in the atlas) and at the
  province level outside it (see :func:`jingjinji.projects.places.unit_of`);
- ``corridor``: a project lies on a corridor (五廊) when its destination, or a place containing
  its destination, is one of the corridor's places. A project may lie on several corridors
  (Beijing is on all five), so corridor totals overlap and do not add up to the library total;
- ``industry``, ``platform``, ``park``: by slug; projects without one go to the key ``""``
  labelled 未注明;
- ``stage``: in the order 签约, 开工, 在建, 投产, 终止; ``year``: signing year, ascending.

>>> from jingjinji.atlas import load_atlas
>>> atlas = load_atlas()
>>> rows = [ProjectRecord("a", "110000", "130602", 10.0, "签约", 2020, "hydrogen"),
...         ProjectRecord("b", "110000", "120000", 5.5, "投产", 2021, "hydrogen")]
>>> [(b.label, b.count, b.investment) for b in breakdown(rows, by="destination", atlas=atlas)]
[('保定市', 1, 10.0), ('天津市', 1, 5.5)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.projects.places import containing, place_label, unit_of
from jingjinji.projects.records import PROGRESSION, STAGES, ProjectRecord

__all__ = [
    "DIMENSIONS",
    "Bucket",
    "Dimension",
    "Flow",
    "Totals",
    "breakdown",
    "flows",
    "stage_funnel",
    "totals",
]

Dimension = Literal[
    "destination", "origin", "industry", "corridor", "platform", "park", "stage", "year"
]
DIMENSIONS: tuple[str, ...] = get_args(Dimension)
UNSTATED = "未注明"


@dataclass(frozen=True)
class Bucket:
    """One group: its key (adcode, slug, stage or year as text), Chinese label, project count
    and investment (亿元)."""

    key: str
    label: str
    count: int
    investment: float


@dataclass(frozen=True)
class Flow:
    """Projects from one grouping unit to another (origin → destination)."""

    source: str
    source_label: str
    target: str
    target_label: str
    count: int
    investment: float


@dataclass(frozen=True)
class Totals:
    """Count and investment (亿元) of a set of projects."""

    count: int
    investment: float


def totals(projects: Iterable[ProjectRecord]) -> Totals:
    """Number of projects and their total investment."""
    count, investment = 0, 0.0
    for project in projects:
        count += 1
        investment += project.investment
    return Totals(count, round(investment, 4))


def _corridor_keys(atlas: Atlas) -> Callable[[ProjectRecord], list[str]]:
    members = {corridor.slug: set(corridor.places) for corridor in atlas.corridors}
    cache: dict[str, list[str]] = {}

    def keys(project: ProjectRecord) -> list[str]:
        if project.destination not in cache:
            around = containing(project.destination, atlas)
            cache[project.destination] = [s for s, places in members.items() if places & around]
        return cache[project.destination]

    return keys


def _keys_and_labels(
    by: Dimension, atlas: Atlas
) -> tuple[Callable[[ProjectRecord], list[str]], Callable[[str], str]]:
    def one(value: str | None) -> list[str]:
        return [value or ""]

    def slug_label(kind: str) -> Callable[[str], str]:
        def label(key: str) -> str:
            if not key:
                return UNSTATED
            try:
                return str(getattr(atlas, kind)(key).name)
            except AtlasLookupError:
                return key

        return label

    if by == "destination":
        return (lambda p: [unit_of(p.destination, atlas)]), (lambda k: place_label(k, atlas))
    if by == "origin":
        return (lambda p: [unit_of(p.origin, atlas)]), (lambda k: place_label(k, atlas))
    if by == "industry":
        return (lambda p: one(p.industry)), slug_label("industry")
    if by == "platform":
        return (lambda p: one(p.platform)), slug_label("platform")
    if by == "park":
        return (lambda p: one(p.park)), slug_label("park")
    if by == "corridor":
        return _corridor_keys(atlas), slug_label("corridor")
    if by == "stage":
        return (lambda p: [p.stage]), (lambda k: k)
    if by == "year":
        return (lambda p: one(str(p.year) if p.year else None)), (lambda k: k or UNSTATED)
    raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}, not {by!r}")


def breakdown(projects: Sequence[ProjectRecord], *, by: Dimension, atlas: Atlas) -> list[Bucket]:
    """Count and investment of ``projects`` grouped by ``by`` (see the module's rules).

    Places, industries, corridors, platforms and parks are sorted by investment (largest
    first, then key); stages in their order; years ascending with 未注明 last.
    """
    keys_of, label_of = _keys_and_labels(by, atlas)
    count: dict[str, int] = defaultdict(int)
    money: dict[str, float] = defaultdict(float)
    for project in projects:
        for key in keys_of(project):
            count[key] += 1
            money[key] += project.investment
    buckets = [Bucket(k, label_of(k), count[k], round(money[k], 4)) for k in count]
    if by == "stage":
        order = {stage: i for i, stage in enumerate(STAGES)}
        return sorted(buckets, key=lambda b: order.get(b.key, len(order)))
    if by == "year":
        return sorted(buckets, key=lambda b: (b.key == "", b.key))
    return sorted(buckets, key=lambda b: (-b.investment, b.key))


def flows(projects: Sequence[ProjectRecord], *, atlas: Atlas) -> list[Flow]:
    """Projects and investment from each origin unit to each destination unit, largest first.

    A flow inside one unit (e.g. Beijing to Beijing) is kept; a Sankey diagram must name its
    source and target nodes apart to draw it.
    """
    count: dict[tuple[str, str], int] = defaultdict(int)
    money: dict[tuple[str, str], float] = defaultdict(float)
    for project in projects:
        pair = (unit_of(project.origin, atlas), unit_of(project.destination, atlas))
        count[pair] += 1
        money[pair] += project.investment
    result = [
        Flow(
            s,
            place_label(s, atlas),
            t,
            place_label(t, atlas),
            count[(s, t)],
            round(money[(s, t)], 4),
        )
        for s, t in count
    ]
    return sorted(result, key=lambda f: (-f.investment, f.source, f.target))


def stage_funnel(projects: Sequence[ProjectRecord]) -> list[Bucket]:
    """Projects that reached each stage of 签约 → 开工 → 在建 → 投产 (terminated ones left out).

    A project at stage *s* has passed every earlier stage, so the count at stage *k* is the
    number of live projects whose stage is *k* or later; the funnel never widens.
    """
    order = {stage: i for i, stage in enumerate(PROGRESSION)}
    result = []
    for index, stage in enumerate(PROGRESSION):
        reached = [p for p in projects if order.get(p.stage, -1) >= index]
        result.append(
            Bucket(stage, stage, len(reached), round(sum(p.investment for p in reached), 4))
        )
    return result
