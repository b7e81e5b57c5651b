"""协同成效: per industry and place, over the years, the thread from gaps to projects, and
where the deals of Beijing achievements go.

Records come from the store (:mod:`jingjinji.loop.repository`), already restricted to the industry
and place asked for. Definitions (all counts, investment in 亿元, contract amounts in 万元):

* **Gaps** (:func:`gaps_of`): the industry's segments that are missing or thin in the place
  (补链·延链 gaps of :mod:`jingjinji.chains.suggest`), plus segments whose registry presence
  (enterprises only) is below the thin threshold, or that the chain map shows as filled by a
  project (``SegmentCoverage.filled``), where a project reached 投产. A gap is
  **closed** in the year its first project in the place reached 投产 (项目落地); it is open
  before. The registry has no history, so the set of gaps is today's; only closures are dated.
* **Demands** (技术需求 and 揭榜挂帅) in the place on the industry: published per year, and
  **matched** in the year their first match moved past 推荐.
* **Deals**: matches that reached 签约 (or 落地), in the year they reached 签约; a deal's
  **amount** is the 合同金额 (万元) of its contract in force (``Match.contract["amount"]``,
  agreed with 签约), ``None`` when none is recorded. An amount of 0 is an amount.
* **Projects**: signed per year, with investment; in production per year.
* **Beijing's deals** (``beijing_deals``): deals of Beijing achievements. The shares below are
  taken over those whose demand has a place (``beijing_deals_placed``; without one,
  ``beijing_deals_unplaced``, they are left out and counted) — in Beijing
  (``beijing_deals_local``), Tianjin or Hebei: the platform records places in the region
  only, so no deal goes to another province.
* **Share of contract value** (``beijing_deal_value_share``): Σ amount of Beijing's deals
  whose demand lies in Tianjin or Hebei ÷ Σ amount of all Beijing's deals, over the deals
  with an amount (``beijing_deals_with_amount``; those without, ``…_without_amount``, are
  excluded and counted). The platform's counterpart of the source documents' figure beside it
  (7.8% in 2019, :data:`REFERENCE_FACT_ID`), which is a share of contract value too, but of
  all of Beijing's technology contracts, and over those flowing to other provinces
  (流向外省市: without Beijing's own, with the other provinces); the platform's covers only
  the deals recorded on it, and its denominator holds deals staying in Beijing instead of
  those to other provinces. (Over the deals leaving Beijing it would be 100% by
  construction.) Undefined (``None``, the reason in ``notes``) when no deal has an amount or
  the amounts sum to 0 — never 0%.
* **Share of deals** (``beijing_deals_count_share``): Beijing's deals whose demand lies in
  Tianjin or Hebei ÷ Beijing's deals with a placed demand, amount or not; a secondary figure,
  a share of deals, not comparable with the 7.8% (a share of contract value).

The earlier "matching degree (a)" — the share of achievements with a segment present in
Tianjin or Hebei — is withdrawn: every segment has an enterprise somewhere in Tianjin or
Hebei, so it was 100% by construction. A later version replaces it with the coupling of the
innovation chain (patents) and the industry chain.
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
    "beijing_flows",
    "gaps_of",
    "loop_figures",
]

#: The source documents' figure (facts.yaml) shown next to the platform's share of contract
#: value (``beijing_deal_value_share``): 北京流向津冀技术合同成交额占流向外省市比重.
REFERENCE_FACT_ID = "beijing_tech_contracts_to_tj_hb_2019"
_BEIJING = "11"
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
    """A match that reached 签约: year signed, achievement place, demand place, stage, and the
    contract amount (万元; ``None`` when the deal has none recorded)."""

    id: int
    year: int | None
    origin: str
    destination: str
    stage: str
    amount: float | None = None


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
    """An achievement: publication year, place and segments (the figures count achievements
    per year and place only; segments, empty by default, are for the coupling of the
    innovation and industry chains a later version computes, and the 协同成效 report does not
    read them)."""

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


def beijing_flows(deals: Iterable[DealRecord]) -> dict[str, Any]:
    """Where the deals of Beijing achievements among ``deals`` go, by number and by contract
    value (definitions in the module docstring).

    >>> f = beijing_flows([DealRecord(1, 2024, "110108", "120101", "签约", 300.0),
    ...     DealRecord(2, 2024, "110108", "130600", "签约", 100.0),
    ...     DealRecord(3, 2024, "110108", "110105", "落地", 600.0),
    ...     DealRecord(4, 2024, "110108", "130600", "签约", None)])
    >>> f["beijing_deal_value_share"], f["beijing_deals_with_amount"], f["beijing_deals_local"]
    (0.4, 3, 1)
    >>> f["beijing_deals_count_share"], f["beijing_deals_without_amount"]
    (0.75, 1)
    """
    beijing = [d for d in deals if d.origin.startswith(_BEIJING)]
    placed = [d for d in beijing if d.destination]
    to_tj_hb = [d for d in placed if d.destination.startswith(_TJ_HB)]
    value = sum(d.amount for d in placed if d.amount is not None)
    value_to = sum(d.amount for d in to_tj_hb if d.amount is not None)
    with_amount = sum(1 for d in placed if d.amount is not None)
    return {
        "beijing_deals": len(beijing),
        "beijing_deals_unplaced": len(beijing) - len(placed),
        "beijing_deals_placed": len(placed),
        "beijing_deals_local": sum(1 for d in placed if d.destination.startswith(_BEIJING)),
        "beijing_deals_to_tj_hb": len(to_tj_hb),
        "beijing_deals_count_share": _share(len(to_tj_hb), len(placed)),
        "beijing_deals_with_amount": with_amount,
        "beijing_deals_without_amount": len(placed) - with_amount,
        "beijing_deal_value": round(value, 2),
        "beijing_deal_value_to_tj_hb": round(value_to, 2),
        "beijing_deal_value_share": round(value_to / value, 4) if value > 0 else None,
    }


def _flow_notes(flows: dict[str, Any]) -> dict[str, str]:
    """Why a share of :func:`beijing_flows` is undefined, in Chinese, by its key."""
    notes: dict[str, str] = {}
    placed = flows["beijing_deals_placed"]
    if not placed:
        notes["beijing_deals_count_share"] = "平台上还没有北京成果的签约成交（需求方所在地已知）。"
        notes["beijing_deal_value_share"] = (
            "平台上还没有北京成果的签约成交（需求方所在地已知），合同金额比重无从计算。"
        )
    elif not flows["beijing_deals_with_amount"]:
        notes["beijing_deal_value_share"] = (
            f"北京成果的 {placed} 项签约成交都没有登记合同金额，合同金额比重无从计算。"
        )
    elif flows["beijing_deal_value_share"] is None:
        notes["beijing_deal_value_share"] = (
            "北京成果签约成交的合同金额合计为 0，合同金额比重无从计算。"
        )
    return notes


def loop_figures(
    *,
    gaps: Sequence[Gap],
    demands: Sequence[DemandRecord],
    deals: Sequence[DealRecord],
    projects: Sequence[LoopProject],
    achievements: Sequence[AchievementRecord],
    outbound: Sequence[DealRecord] | None = None,
    outbound_projects: Sequence[LoopProject] | None = None,
) -> dict[str, Any]:
    """Totals and per-year series of the 协同成效 view (definitions in the module docstring),
    and ``notes``: per total left undefined (``None``), why, in Chinese.

    ``deals`` are the deals in the place; ``outbound`` (default: ``deals``) the deals the
    Beijing shares (:func:`beijing_flows`) are taken over — all deals of the industry,
    wherever their demand lies, since restricted to a Hebei place the shares would be 100% by
    construction; likewise ``outbound_projects`` (default: ``projects``) for the Beijing
    project-investment share.

    >>> f = loop_figures(gaps=[Gap("h", "s", "S", "missing", 0, closed_year=2024)],
    ...     demands=[DemandRecord(1, 2023, 2024)],
    ...     deals=[DealRecord(1, 2024, "110108", "130600", "落地", 120.0)],
    ...     projects=[LoopProject(1, 2024, 2025, 2.5, "投产", "110108", "130600")],
    ...     achievements=[AchievementRecord(1, 2023, "110108", ("s",))])
    >>> f["totals"]["gaps_closed"], f["totals"]["beijing_deal_value_share"], f["years"]
    (1, 1.0, [2023, 2024, 2025])
    """
    closed = [g for g in gaps if g.closed_year is not None]
    pool_deals = deals if outbound is None else outbound
    beijing = [d for d in pool_deals if d.origin.startswith(_BEIJING)]
    pool = projects if outbound_projects is None else outbound_projects
    bj_projects = [p for p in pool if p.origin.startswith(_BEIJING) and p.stage != "终止"]
    bj_to = [p for p in bj_projects if p.destination.startswith(_TJ_HB)]
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
    flow_keys = (
        "beijing_deals_placed",
        "beijing_deals_to_tj_hb",
        "beijing_deals_count_share",
        "beijing_deal_value",
        "beijing_deal_value_to_tj_hb",
        "beijing_deal_value_share",
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
            *flow_keys,
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
        series["achievements"].append(sum(1 for a in achievements if a.year == year))
        flows_year = beijing_flows(d for d in beijing if d.year == year)
        for key in flow_keys:
            series[key].append(flows_year[key])
    flows = beijing_flows(beijing)
    bj_investment = sum(p.investment for p in bj_projects)
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
        "achievements_beijing": sum(1 for a in achievements if a.place.startswith(_BEIJING)),
        **flows,
        "beijing_project_investment": round(bj_investment, 2),
        "beijing_project_investment_to_tj_hb": round(sum(p.investment for p in bj_to), 2),
        "beijing_project_investment_share": (
            round(sum(p.investment for p in bj_to) / bj_investment, 4)
            if bj_projects and bj_investment > 0
            else None
        ),
    }
    return {
        "years": years,
        "series": series,
        "totals": totals,
        "notes": _flow_notes(flows),
        "gaps": [asdict(g) for g in gaps],
    }
