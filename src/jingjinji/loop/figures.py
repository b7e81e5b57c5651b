"""协同成效: per industry and place, over the years, the thread from gaps to projects, and the
innovation–industry chain matching degree.

Records come from the store (:mod:`jingjinji.loop.repository`), already restricted to the industry
and place asked for. Definitions (all counts, investment in 亿元):

* **Gaps** (:func:`gaps_of`): the industry's segments that are missing or thin in the place
  (补链·延链 gaps of :mod:`jingjinji.chains.suggest`), plus segments whose registry presence
  (enterprises only) is below the thin threshold, or that the chain map shows as filled by a
  project (``SegmentCoverage.filled``), where a project reached 投产. A gap is
  **closed** in the year its first project in the place reached 投产 (项目落地); it is open
  before. The registry has no history, so the set of gaps is today's; only closures are dated.
* **Demands** (技术需求 and 揭榜挂帅) in the place on the industry: published per year, and
  **matched** in the year their first match moved past 推荐.
* **Deals**: matches that reached 签约 (or 落地), in the year they reached 签约.
* **Projects**: signed per year, with investment; in production per year.
* **Matching degree (a)**: share of achievements on the industry with at least one segment
  present (an enterprise or a project in production) in Tianjin or Hebei.
* **Matching degree (b)**: share of deals of Beijing achievements whose demand lies in
  Tianjin or Hebei — the platform's counterpart of the share of Beijing's outbound technology
  contracts going to Tianjin and Hebei (7.8% in 2019, :data:`REFERENCE_FACT_ID`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from jingjinji.chains.coverage import THIN_COUNT, Coverage

__all__ = [
    "REFERENCE_FACT_ID",
    "AchievementRecord",
    "DealRecord",
    "DemandRecord",
    "Gap",
    "LoopProject",
    "gaps_of",
    "loop_figures",
]

#: The source documents' figure (facts.yaml) shown next to the platform's matching degree (b).
REFERENCE_FACT_ID = "beijing_tech_contracts_to_tj_hb_2019"
_TJ_HB = ("12", "13")


@dataclass(frozen=True)
class Gap:
    """A gap of the industry in the place; ``closed_year`` when a project closed it."""

    industry: str
    segment: str
    name: str
    status: str
    registry_count: int
    closed_year: int | None = None
    closed_by: tuple[int, ...] = ()


@dataclass(frozen=True)
class DemandRecord:
    """A demand or challenge: publication year, year first matched (past 推荐), or None."""

    id: int
    year: int | None
    matched_year: int | None = None


@dataclass(frozen=True)
class DealRecord:
    """A match that reached 签约: year signed, achievement place, demand place, stage."""

    id: int
    year: int | None
    origin: str
    destination: str
    stage: str


@dataclass(frozen=True)
class LoopProject:
    """A project: signing year, year in production, investment (亿元), places, stage."""

    id: int
    year: int | None
    operating_year: int | None
    investment: float
    stage: str
    origin: str
    destination: str
    match_id: int | None = None


@dataclass(frozen=True)
class AchievementRecord:
    """An achievement: publication year, place and segments."""

    id: int
    year: int | None
    place: str
    segments: tuple[str, ...] = field(default_factory=tuple)


def gaps_of(
    cov: Coverage,
    *,
    registry_counts: dict[str, int],
    landed_years: dict[str, tuple[int | None, tuple[int, ...]]],
) -> list[Gap]:
    """The gaps of ``cov`` (see the module docstring).

    ``registry_counts``: per segment, enterprises (not projects) in the place;
    ``landed_years``: per segment, (first year in production, project ids) of projects in
    production in the place.
    """
    gaps: list[Gap] = []
    for row in cov.segments:
        registry = registry_counts.get(row.segment, 0)
        landed = landed_years.get(row.segment)
        is_gap = row.status in ("missing", "thin") or (
            landed is not None and (registry < THIN_COUNT or row.filled)
        )
        if not is_gap or (row.region_count - row.count <= 0 and landed is None):
            continue
        year, ids = landed if landed is not None else (None, ())
        gaps.append(
            Gap(
                industry=cov.industry,
                segment=row.segment,
                name=row.name,
                status=row.status,
                registry_count=registry,
                closed_year=year if landed is not None else None,
                closed_by=ids,
            )
        )
    return gaps


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _years(values: Iterable[int | None]) -> list[int]:
    found = sorted({v for v in values if v is not None})
    return list(range(found[0], found[-1] + 1)) if found else []


def loop_figures(
    *,
    gaps: Sequence[Gap],
    demands: Sequence[DemandRecord],
    deals: Sequence[DealRecord],
    projects: Sequence[LoopProject],
    achievements: Sequence[AchievementRecord],
    tj_hb_segments: frozenset[str],
    outbound: Sequence[DealRecord] | None = None,
    outbound_projects: Sequence[LoopProject] | None = None,
) -> dict[str, Any]:
    """Totals and per-year series of the 协同成效 view (definitions in the module docstring).

    ``deals`` are the deals in the place; ``outbound`` (default: ``deals``) the deals the
    Beijing share (b) is taken over — all deals of the industry, wherever their demand lies,
    since restricted to a Hebei place the share would be 100% by construction; likewise
    ``outbound_projects`` (default: ``projects``) for the Beijing project-investment share.

    >>> f = loop_figures(gaps=[Gap("h", "s", "S", "missing", 0, closed_year=2024)],
    ...     demands=[DemandRecord(1, 2023, 2024)],
    ...     deals=[DealRecord(1, 2024, "110108", "130600", "落地")],
    ...     projects=[LoopProject(1, 2024, 2025, 2.5, "投产", "110108", "130600")],
    ...     achievements=[AchievementRecord(1, 2023, "110108", ("s",))],
    ...     tj_hb_segments=frozenset({"s"}))
    >>> f["totals"]["gaps_closed"], f["totals"]["beijing_deals_share"], f["years"]
    (1, 1.0, [2023, 2024, 2025])
    """
    closed = [g for g in gaps if g.closed_year is not None]
    beijing = [d for d in (deals if outbound is None else outbound) if d.origin.startswith("11")]
    to_tj_hb = [d for d in beijing if d.destination.startswith(_TJ_HB)]
    pool = projects if outbound_projects is None else outbound_projects
    bj_projects = [p for p in pool if p.origin.startswith("11") and p.stage != "终止"]
    bj_to = [p for p in bj_projects if p.destination.startswith(_TJ_HB)]
    present = [a for a in achievements if set(a.segments) & tj_hb_segments]
    years = _years(
        [g.closed_year for g in gaps]
        + [d.year for d in demands]
        + [d.matched_year for d in demands]
        + [d.year for d in deals]
        + [d.year for d in beijing]
        + [p.year for p in projects]
        + [p.operating_year for p in projects]
        + [a.year for a in achievements]
    )
    series: dict[str, list[Any]] = {
        key: []
        for key in (
            "gaps_open",
            "gaps_closed",
            "demands",
            "demands_matched",
            "deals_signed",
            "projects_signed",
            "projects_operating",
            "investment",
            "achievements",
            "achievements_present",
            "achievements_present_share",
            "beijing_deals",
            "beijing_deals_to_tj_hb",
            "beijing_deals_share",
        )
    }
    for year in years:
        closed_by_now = sum(
            1 for g in closed if g.closed_year is not None and g.closed_year <= year
        )
        series["gaps_open"].append(len(gaps) - closed_by_now)
        series["gaps_closed"].append(sum(1 for g in closed if g.closed_year == year))
        series["demands"].append(sum(1 for d in demands if d.year == year))
        series["demands_matched"].append(sum(1 for d in demands if d.matched_year == year))
        series["deals_signed"].append(sum(1 for d in deals if d.year == year))
        signed = [p for p in projects if p.year == year]
        series["projects_signed"].append(len(signed))
        series["projects_operating"].append(
            sum(1 for p in projects if p.operating_year == year and p.stage == "投产")
        )
        series["investment"].append(round(sum(p.investment for p in signed), 2))
        ach = [a for a in achievements if a.year == year]
        ach_present = [a for a in present if a.year == year]
        series["achievements"].append(len(ach))
        series["achievements_present"].append(len(ach_present))
        series["achievements_present_share"].append(_share(len(ach_present), len(ach)))
        bj = [d for d in beijing if d.year == year]
        bj_to_year = [d for d in to_tj_hb if d.year == year]
        series["beijing_deals"].append(len(bj))
        series["beijing_deals_to_tj_hb"].append(len(bj_to_year))
        series["beijing_deals_share"].append(_share(len(bj_to_year), len(bj)))
    totals = {
        "gaps": len(gaps),
        "gaps_open": len(gaps) - len(closed),
        "gaps_closed": len(closed),
        "demands": len(demands),
        "demands_matched": sum(1 for d in demands if d.matched_year is not None),
        "deals_signed": len(deals),
        "deals_landed": sum(1 for d in deals if d.stage == "落地"),
        "projects": len(projects),
        "projects_operating": sum(1 for p in projects if p.stage == "投产"),
        "projects_from_matches": sum(1 for p in projects if p.match_id is not None),
        "investment": round(sum(p.investment for p in projects), 2),
        "achievements": len(achievements),
        "achievements_present": len(present),
        "achievements_present_share": _share(len(present), len(achievements)),
        "beijing_deals": len(beijing),
        "beijing_deals_to_tj_hb": len(to_tj_hb),
        "beijing_deals_share": _share(len(to_tj_hb), len(beijing)),
        "beijing_project_investment": round(sum(p.investment for p in bj_projects), 2),
        "beijing_project_investment_to_tj_hb": round(sum(p.investment for p in bj_to), 2),
        "beijing_project_investment_share": (
            round(sum(p.investment for p in bj_to) / sum(p.investment for p in bj_projects), 4)
            if bj_projects and sum(p.investment for p in bj_projects) > 0
            else None
        ),
    }
    return {
        "years": years,
        "series": series,
        "totals": totals,
        "gaps": [asdict(g) for g in gaps],
    }
