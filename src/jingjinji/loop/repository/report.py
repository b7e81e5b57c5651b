"""The 协同成效 records of an industry in a place, gathered for
:func:`jingjinji.loop.loop_figures`; the figures are kept until the rows behind them change."""

from __future__ import annotations

import copy
import functools
import math
import weakref
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, func, select
from sqlalchemy.orm import Session, aliased

from jingjinji.atlas import Atlas, Industry, cite_text
from jingjinji.chains.coverage import ChainContext, coverage
from jingjinji.chains.places import PlaceScope, scope_of
from jingjinji.loop import (
    REFERENCE_FACT_ID,
    AchievementRecord,
    DealRecord,
    DemandRecord,
    LoopProject,
    gaps_of,
    loop_figures,
)
from jingjinji.loop.repository.shared import DEAL_STAGES, in_scope, year_of
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import (
    Enterprise,
    Listing,
    ListingSegment,
    Match,
    MatchEvent,
    Project,
)

_PAST_RECOMMENDED = ("意向", "洽谈", "签约", "落地")
#: The figures per industry and place, kept until projects, listings, matches (and their
#: events) or the chain context change.
REPORT_CACHE = ReadCache("loop figures", size=256, summary=True)
_PROJECT_COLUMNS = (
    Project.id,
    Project.segments,
    Project.industry,
    Project.destination_adcode,
    Project.origin_adcode,
    Project.stage,
    Project.signed_on,
    Project.operating_on,
    Project.updated_at,
    Project.investment,
    Project.match_id,
    Project.provenance,
)


#: The year a listing was published (created, for one never published), computed by the
#: database: parsing 10,000 SQLite timestamps in Python cost a fifth of the report.
_PUBLISHED_YEAR = (
    func.extract("year", func.coalesce(Listing.published_at, Listing.created_at))
    .cast(Integer)
    .label("year")
)


def _loop_project(p: Any) -> LoopProject:
    return LoopProject(
        id=p.id,
        year=year_of(p.signed_on),
        operating_year=year_of(p.operating_on),
        investment=float(p.investment),
        stage=p.stage,
        origin=p.origin_adcode,
        destination=p.destination_adcode,
        match_id=p.match_id,
    )


def contract_amount(contract: Any) -> float | None:
    """The amount (万元) of a deal's contract in force (``Match.contract``), ``None`` when
    there is no contract or no finite amount ≥ 0 in it; 0 is an amount."""
    amount = contract.get("amount") if isinstance(contract, dict) else None
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return None
    return float(amount) if math.isfinite(amount) and amount >= 0 else None


def _industries(atlas: Atlas, slug: str | None) -> list[Industry]:
    return [atlas.industry(slug)] if slug else list(atlas.industries)


def _first_events(session: Session, match_ids: Select[Any]) -> dict[int, dict[str, date]]:
    """When each match of ``match_ids`` (a query of ids) first reached each stage."""
    found: dict[int, dict[str, date]] = defaultdict(dict)
    rows = session.execute(
        select(MatchEvent.match_id, MatchEvent.to_stage, func.min(MatchEvent.at))
        .where(MatchEvent.match_id.in_(match_ids))
        .group_by(MatchEvent.match_id, MatchEvent.to_stage)
    ).all()
    for mid, stage, at in rows:
        found[int(mid)][str(stage)] = at.date()
    return found


def loop_report(
    session: Session,
    atlas: Atlas,
    context: ChainContext,
    *,
    industry: str | None = None,
    place: str | None = None,
) -> dict[str, Any]:
    """The 协同成效 figures of an industry (all nine if ``None``) in a place (adcode or
    ``region``), with the source documents' figure for comparison; raises
    :class:`AtlasLookupError` for an unknown industry or place.

    Computed once per industry, place and state of the data (projects, listings, matches and
    their events — one indexed query tells — and ``context``, which stands for the registry),
    then kept (readers who may get it a few seconds old get the kept one while it is computed
    anew in the background); each call gets a copy of its own.
    """
    industries = _industries(atlas, industry)
    scope = scope_of(atlas, place or "region")
    stamp = (weakref.ref(context), table_stamp(session, Project, Listing, Match, MatchEvent))
    report = REPORT_CACHE.get(
        session,
        (industry, scope.key, atlas),
        stamp,
        lambda: _loop_report(session, atlas, context, industry, industries, scope),
        refresh=lambda own: _loop_report(own, atlas, context, industry, industries, scope),
    )
    return copy.deepcopy(report)


def _loop_report(
    session: Session,
    atlas: Atlas,
    context: ChainContext,
    industry: str | None,
    industries: list[Industry],
    scope: PlaceScope,
) -> dict[str, Any]:
    from jingjinji.indicators.datasets import load_facts

    slugs = {s.slug for ind in industries for s in ind.segments}
    industry_slugs = {ind.slug for ind in industries}
    # projects
    project_rows = session.execute(select(*_PROJECT_COLUMNS)).all()
    projects = [
        p
        for p in project_rows
        if slugs.intersection(p.segments or ()) or (p.industry in industry_slugs)
    ]
    local_projects = [p for p in projects if in_scope(atlas, p.destination_adcode, scope)]
    landed: dict[str, tuple[int | None, tuple[int, ...]]] = {}
    for p in sorted(local_projects, key=lambda p: (p.operating_on or date.max, p.id)):
        if p.stage != "投产":
            continue
        for slug in p.segments or ():
            year, ids = landed.get(slug, (None, ()))
            landed[slug] = (
                year if year is not None else year_of(p.operating_on) or year_of(p.updated_at),
                (*ids, p.id),
            )
    # gaps
    frame = context.frame
    registry = frame[(frame["enterprise_id"] > 0) & frame["county"].isin(scope.counties)]
    registry_counts = {
        str(k): int(v) for k, v in registry.groupby("segment")["enterprise_id"].nunique().items()
    }
    gaps = []
    for ind in industries:
        key = ("coverage", ind.slug, scope.key, scope.counties)  # shared with the chain API
        cov = context.memo(key, functools.partial(coverage, ind, place=scope, context=context))
        gaps.extend(gaps_of(cov, registry_counts=registry_counts, landed_years=landed))
    # demands and deals: the listings tagged with a segment of the industries (for all nine,
    # with any segment: every tag is an atlas segment, and 200 slugs as parameters in each of
    # four queries cost psycopg more than the database's answers)
    segment_tags = select(ListingSegment.listing_id)
    if industry is not None:
        segment_tags = segment_tags.where(ListingSegment.segment.in_(sorted(slugs)))
    tagged = Listing.id.in_(segment_tags)
    demand_filter = (
        Listing.kind.in_(("demand", "challenge")),
        Listing.status != "draft",
        tagged,
    )
    demand_rows = session.execute(
        select(Listing.id, Listing.place_adcode, _PUBLISHED_YEAR, Listing.provenance).where(
            *demand_filter
        )
    ).all()
    local_demands = {d.id: d for d in demand_rows if in_scope(atlas, d.place_adcode, scope)}
    # the deals of those demands by a subquery, not thousands of ids as parameters (parsing
    # them cost psycopg a third of the report)
    of_demands = Match.demand_id.in_(select(Listing.id).where(*demand_filter))
    offer = aliased(Listing)
    match_rows = session.execute(
        select(
            Match.id,
            Match.stage,
            Match.demand_id,
            Match.achievement_id,
            Match.updated_at,
            Match.contract,
            offer.place_adcode.label("origin"),
        )
        .join(offer, offer.id == Match.achievement_id, isouter=True)
        .where(of_demands)
    ).all()
    events = _first_events(session, select(Match.id).where(of_demands))
    matched_year: dict[int, int] = {}
    all_deals: list[DealRecord] = []
    local_deals: list[DealRecord] = []
    places = {d.id: d.place_adcode for d in demand_rows}
    for m in match_rows:
        first = events.get(m.id, {})
        if m.stage in _PAST_RECOMMENDED:
            moved = [first[s] for s in _PAST_RECOMMENDED if s in first]
            year = min(moved).year if moved else m.updated_at.year
            matched_year[m.demand_id] = min(year, matched_year.get(m.demand_id, year))
        if m.stage in DEAL_STAGES:
            signed = first.get("签约")
            deal = DealRecord(
                id=m.id,
                year=signed.year if signed else m.updated_at.year,
                origin=str(m.origin or ""),
                destination=str(places.get(m.demand_id) or ""),
                stage=m.stage,
                amount=contract_amount(m.contract),
            )
            all_deals.append(deal)
            if m.demand_id in local_demands:
                local_deals.append(deal)
    demands = [
        DemandRecord(
            id=d.id,
            year=d.year,
            matched_year=matched_year.get(d.id),
        )
        for d in local_demands.values()
    ]
    # achievements
    achievement_rows = session.execute(
        select(
            Listing.id,
            _PUBLISHED_YEAR,
            Listing.place_adcode,
            Listing.provenance,
        ).where(
            Listing.kind == "achievement",
            Listing.status == "published",
            tagged,
        )
    ).all()
    achievements = [
        AchievementRecord(id=int(i), year=year, place=str(pl or ""))
        for i, year, pl, _prov in achievement_rows
    ]
    records = {p.id: _loop_project(p) for p in projects}
    figures = loop_figures(
        gaps=gaps,
        demands=demands,
        deals=local_deals,
        projects=[records[p.id] for p in local_projects],
        outbound_projects=list(records.values()),
        achievements=achievements,
        outbound=all_deals,
    )
    fact = next((f for f in load_facts() if f.id == REFERENCE_FACT_ID), None)
    sample = {
        "projects": any(p.provenance == "demo" for p in local_projects),
        "listings": any(d.provenance == "demo" for d in demand_rows)
        or any(prov == "demo" for *_rest, prov in achievement_rows),
        "enterprises": bool(
            session.scalar(select(func.count(Enterprise.id)).where(Enterprise.provenance == "demo"))
        ),
    }
    return {
        "industry": industry,
        "industry_name": industries[0].name if industry else "全部九条产业链",
        "place": scope.key,
        "place_name": scope.name,
        **figures,
        "reference": (
            {
                "id": fact.id,
                "subject": fact.subject,
                "year": fact.year,
                "value": fact.value,
                "unit": fact.unit,
                "provenance": fact.provenance,
                "citation": cite_text(fact.provenance),
            }
            if fact
            else None
        ),
        "sample": sample,
        "is_sample": any(sample.values()),
    }


# ------------------------------------------------------------------------------ overview
