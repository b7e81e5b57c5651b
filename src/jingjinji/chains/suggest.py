"""强链·补链·延链 suggestions for an industry in a place, ranked, each with its reason.

From a :class:`~jingjinji.chains.coverage.Coverage` (each segment appears at most once):

* 延链 ``extend``: a missing segment adjacent, along a supply edge either way, to one of the
  place's ``strong`` segments;
* 补链 ``fill``: any other segment ``missing`` or ``thin`` in the place but present elsewhere
  in the region;
* 强链 ``strengthen``: a segment ``present`` or ``strong`` without a key enterprise (链主,
  专精特新“小巨人”, 单项冠军).

Candidate partners are the segment's enterprises outside the place (for 强链: its key
enterprises), nearest first by *effective distance* = great-circle distance between the
place's seat and the enterprise's county seat, halved when the county lies on a corridor the
place also lies on (same corridor preferred); ties: key enterprises, then revenue.

Score (higher first): base by kind — 补链 of a missing segment 3, 延链 2.5, 补链 of a thin
segment 2, 强链 1 — plus the place's density around the segment (0–1, Hidalgo et al. 2007),
so among gaps of one kind the better-related come first. Ids are stable strings
``<kind>.<place key>.<segment>`` (e.g. ``fill.130600.hydrogen-fc-mea``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from jingjinji.atlas import Industry
from jingjinji.chains.coverage import STATUS_LABELS, ChainContext, Coverage, SegmentCoverage
from jingjinji.chains.places import distance_km

__all__ = [
    "KIND_LABELS",
    "Kind",
    "Partner",
    "Suggestion",
    "parse_suggestion_id",
    "suggest",
    "suggestion_id",
]

Kind = Literal["fill", "extend", "strengthen"]
KIND_LABELS: dict[Kind, str] = {"fill": "补链", "extend": "延链", "strengthen": "强链"}
CORRIDOR_DISCOUNT = 0.5
PARTNER_LIMIT = 5


def suggestion_id(kind: Kind, place_key: str, segment: str) -> str:
    """The stable id of a suggestion: ``fill.130600.hydrogen-fc-mea``."""
    return f"{kind}.{place_key}.{segment}"


def parse_suggestion_id(value: str) -> tuple[Kind, str, str]:
    """(kind, place key, segment) of an id made by :func:`suggestion_id`; ValueError if bad."""
    parts = value.split(".")
    if len(parts) != 3 or parts[0] not in KIND_LABELS or not parts[1] or not parts[2]:
        raise ValueError(f"not a suggestion id: {value!r}")
    kind: Kind = parts[0]  # type: ignore[assignment,unused-ignore]
    return kind, parts[1], parts[2]


@dataclass(frozen=True)
class Partner:
    """A candidate partner or relocating enterprise for a suggestion."""

    enterprise_id: int
    name: str
    county: str
    county_name: str
    prefecture: str
    distance_km: float
    same_corridor: bool
    key: bool

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "enterprise_id": self.enterprise_id,
            "name": self.name,
            "county": self.county,
            "county_name": self.county_name,
            "prefecture": self.prefecture,
            "distance_km": round(self.distance_km, 1),
            "same_corridor": self.same_corridor,
            "key": self.key,
        }


@dataclass(frozen=True)
class Suggestion:
    """One ranked suggestion with its reason (Chinese) and candidate partners."""

    id: str
    kind: Kind
    segment: str
    segment_name: str
    stage: str
    status: str
    density: float
    score: float
    reason: str
    partners: list[Partner] = field(default_factory=list)
    related: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with the Chinese kind label."""
        return {
            "id": self.id,
            "kind": self.kind,
            "kind_zh": KIND_LABELS[self.kind],
            "segment": self.segment,
            "segment_name": self.segment_name,
            "stage": self.stage,
            "status": self.status,
            "density": round(self.density, 4),
            "score": round(self.score, 4),
            "reason": self.reason,
            "partners": [partner.as_dict() for partner in self.partners],
            "related": self.related,
        }


def _county_table(cov: Coverage, context: ChainContext) -> dict[str, tuple[float, bool, str, str]]:
    """Per county: (distance km from the place's seat, same corridor, county, prefecture)."""
    atlas = context.atlas
    place = cov.place
    table: dict[str, tuple[float, bool, str, str]] = {}
    for code in context.counties:
        county = atlas.place(code)
        unit = atlas.prefecture_unit_of(code)
        same = bool(context.county_corridors.get(code, frozenset()) & place.corridors)
        distance = distance_km(place.seat, (county.lon, county.lat))
        table[code] = (distance, same, county.name, unit.name if unit else "")
    return table


def _partners(
    rows: pd.DataFrame,
    *,
    place_counties: frozenset[str],
    counties: dict[str, tuple[float, bool, str, str]],
    keys_only: bool,
) -> list[Partner]:
    """The :data:`PARTNER_LIMIT` nearest candidates outside the place (see the module
    docstring), kept with a bounded heap over a generator of sort keys: no frame is filtered
    and a :class:`Partner` is made for the winners only. Ties keep the order of ``rows``, as
    the stable sort of every candidate did."""
    places = [str(code) for code in rows["county"].tolist()]
    keys = rows["key"].tolist()
    names = rows["name"].tolist()
    revenues = rows["revenue"].tolist()

    def ranked() -> Iterator[tuple[float, int, float, str, int]]:
        for i, code in enumerate(places):
            if code in place_counties or (keys_only and not keys[i]):
                continue
            distance, same, _county_name, _prefecture = counties[code]
            effective = distance * (CORRIDOR_DISCOUNT if same else 1.0)
            revenue = float(revenues[i]) if pd.notna(revenues[i]) else 0.0
            yield (round(effective, 3), 0 if keys[i] else 1, -revenue, str(names[i]), i)

    best = heapq.nsmallest(PARTNER_LIMIT, ranked())
    ids = rows["enterprise_id"].tolist() if best else []
    partners = []
    for *_rank, i in best:
        distance, same, county_name, prefecture = counties[places[i]]
        partners.append(
            Partner(
                enterprise_id=int(ids[i]),
                name=str(names[i]),
                county=places[i],
                county_name=county_name,
                prefecture=prefecture,
                distance_km=distance,
                same_corridor=same,
                key=bool(keys[i]),
            )
        )
    return partners


def _partner_text(partners: list[Partner]) -> str:
    if not partners:
        return ""
    first = partners[0]
    corridor = "，同一廊道" if first.same_corridor else ""
    where = first.prefecture + first.county_name
    return f"最近候选：{where}“{first.name}”（约 {first.distance_km:.0f} km{corridor}）"


def suggest(industry: Industry, *, cov: Coverage, context: ChainContext) -> list[Suggestion]:
    """Ranked 补链·延链·强链 suggestions for ``industry`` in ``cov.place``."""
    by_slug = {row.segment: row for row in cov.segments}
    names = {segment.slug: segment.name for segment in industry.segments}
    neighbours: dict[str, set[str]] = {slug: set() for slug in by_slug}
    for edge in industry.edges:
        neighbours.setdefault(edge.source, set()).add(edge.target)
        neighbours.setdefault(edge.target, set()).add(edge.source)
    strong = {slug for slug, row in by_slug.items() if row.status == "strong"}
    frame = context.frame[context.frame["segment"].isin(by_slug)]
    grouped = {slug: rows for slug, rows in frame.groupby("segment")}
    empty = frame.iloc[0:0]
    place_name = cov.place.name
    counties = _county_table(cov, context)
    result: list[Suggestion] = []
    for slug, row in by_slug.items():
        kind: Kind | None = None
        related: list[str] = []
        elsewhere = row.region_count - row.count
        if row.status == "missing" and neighbours.get(slug, set()) & strong and elsewhere > 0:
            kind = "extend"
            related = sorted(neighbours[slug] & strong)
        elif row.status in ("missing", "thin") and elsewhere > 0:
            kind = "fill"
        elif row.status in ("present", "strong") and row.key_count == 0:
            kind = "strengthen"
        if kind is None:
            continue
        rows = grouped.get(slug, empty)
        partners = _partners(
            rows,
            place_counties=cov.place.counties,
            counties=counties,
            keys_only=kind == "strengthen",
        )
        reason = _reason(kind, row, place_name, elsewhere, related, names, partners)
        base = {"fill": 3.0 if row.status == "missing" else 2.0, "extend": 2.5}.get(kind, 1.0)
        result.append(
            Suggestion(
                id=suggestion_id(kind, cov.place.key, slug),
                kind=kind,
                segment=slug,
                segment_name=row.name,
                stage=row.stage,
                status=row.status,
                density=row.density,
                score=base + row.density,
                reason=reason,
                partners=partners,
                related=related,
            )
        )
    stage_order = {"upstream": 0, "midstream": 1, "downstream": 2}
    result.sort(key=lambda s: (-round(s.score, 6), stage_order.get(s.stage, 3), s.segment))
    return result


def _reason(
    kind: Kind,
    row: SegmentCoverage,
    place_name: str,
    elsewhere: int,
    related: list[str],
    names: dict[str, str],
    partners: list[Partner],
) -> str:
    density_text = f"相关度（密度）{row.density:.2f}"
    partner_text = _partner_text(partners)
    if kind == "extend":
        upstream = "、".join(f"“{names.get(s, s)}”" for s in related)
        text = (
            f"{place_name}在{upstream}具有优势，相邻环节“{row.name}”尚无企业；"
            f"区域内其他地方有 {elsewhere} 家；{density_text}"
        )
    elif kind == "fill":
        state = (
            "尚无企业"
            if row.status == "missing"
            else f"仅 {row.count} 家（{STATUS_LABELS['thin']}）"
        )
        text = (
            f"{place_name}“{row.name}”环节{state}，区域内其他地方有 {elsewhere} 家；{density_text}"
        )
    else:
        text = (
            f"{place_name}“{row.name}”已有 {row.count} 家企业（区位商 {row.lq:.2f}），"
            f"但无链主、小巨人或单项冠军；{density_text}"
        )
    return f"{text}；{partner_text}" if partner_text else text
