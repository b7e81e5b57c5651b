"""Data access of the loop (:mod:`jingjinji.loop`): drafts from gaps, projects from deals,
projects in production on the chain map, the 协同成效 records and the overview summary."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError, Industry
from jingjinji.auth import record_change, snapshot
from jingjinji.chains.coverage import THIN_COUNT, ChainContext, completeness_by_place, coverage
from jingjinji.chains.places import PlaceScope, scope_of
from jingjinji.chains.suggest import Suggestion, parse_suggestion_id, suggest
from jingjinji.loop import (
    REFERENCE_FACT_ID,
    AchievementRecord,
    DealRecord,
    DemandRecord,
    LandedProject,
    LoopProject,
    gaps_of,
    landed_presence,
    landing_county,
    loop_figures,
)
from jingjinji.store.models import (
    Enterprise,
    GapListing,
    Listing,
    ListingSegment,
    Match,
    MatchEvent,
    Organization,
    Project,
    User,
)

__all__ = [
    "DEAL_STAGES",
    "LoopError",
    "create_draft",
    "find_suggestion",
    "landed_rows",
    "landed_stamp",
    "load_sample_deals",
    "loop_report",
    "overview_summary",
    "project_from_match",
    "segment_activity",
]

log = logging.getLogger(__name__)

DEAL_STAGES = ("签约", "落地")
_PAST_RECOMMENDED = ("意向", "洽谈", "签约", "落地")
_TJ_HB = ("12", "13")


class LoopError(ValueError):
    """A refused loop operation: HTTP status, field, English and Chinese message."""

    def __init__(self, status: int, field: str, message: str, message_zh: str) -> None:
        super().__init__(f"{field}: {message}")
        self.status, self.field, self.message_zh = status, field, message_zh


# ------------------------------------------------------------------- projects on the chain map


def landed_stamp(session: Session) -> tuple[Any, ...]:
    """What the projects in production contribute to the chain context's cache key."""
    row = session.execute(
        select(func.count(Project.id), func.max(Project.updated_at), func.max(Project.id)).where(
            Project.stage == "投产"
        )
    ).one()
    return tuple(row)


def landed_rows(session: Session, atlas: Atlas) -> list[dict[str, Any]]:
    """Presence rows of the projects in production (see :mod:`jingjinji.loop.presence`)."""
    rows = session.execute(
        select(Project.id, Project.name, Project.destination_adcode, Project.segments).where(
            Project.stage == "投产"
        )
    ).all()
    projects = [
        LandedProject(id=int(i), name=str(n), destination=str(d), segments=tuple(s or ()))
        for i, n, d, s in rows
    ]
    return landed_presence(projects, atlas)


def _inside(atlas: Atlas, adcode: str | None, scope: PlaceScope) -> bool:
    if not adcode:
        return False
    if scope.level == "region":
        return adcode[:2] in ("11", "12", "13")
    county = landing_county(atlas, adcode)
    return county is not None and county in scope.counties


def _year(value: date | datetime | None) -> int | None:
    return value.year if value is not None else None


def segment_activity(
    session: Session, atlas: Atlas, industry: Industry, scope: PlaceScope
) -> dict[str, dict[str, Any]]:
    """Per segment of ``industry`` in ``scope``: projects by stage (those in production are
    counted in coverage as 项目落地) and deals (matches at 签约 or 落地) whose demand lies
    in the place, with a few names."""
    slugs = {s.slug for s in industry.segments}
    result: dict[str, dict[str, Any]] = {
        slug: {"projects": 0, "projects_operating": 0, "deals": 0, "items": []} for slug in slugs
    }
    projects = session.execute(
        select(
            Project.id, Project.name, Project.destination_adcode, Project.segments, Project.stage
        ).where(Project.stage != "终止")
    ).all()
    for pid, name, dest, segments, stage in projects:
        touched = slugs.intersection(segments or ())
        if not touched or not _inside(atlas, dest, scope):
            continue
        for slug in touched:
            entry = result[slug]
            entry["projects"] += 1
            entry["projects_operating"] += stage == "投产"
            if len(entry["items"]) < 5:
                entry["items"].append({"kind": "project", "id": pid, "name": name, "stage": stage})
    deals = session.execute(
        select(Match.id, Match.stage, Listing.title, Listing.place_adcode, ListingSegment.segment)
        .join(Listing, Listing.id == Match.demand_id)
        .join(ListingSegment, ListingSegment.listing_id == Listing.id)
        .where(Match.stage.in_(DEAL_STAGES), ListingSegment.industry == industry.slug)
    ).all()
    for mid, stage, title, place, slug in deals:
        if slug not in result or not _inside(atlas, place, scope):
            continue
        entry = result[slug]
        entry["deals"] += 1
        if len(entry["items"]) < 5:
            entry["items"].append({"kind": "deal", "id": mid, "name": title, "stage": stage})
    return result


# ------------------------------------------------------------------------------ drafts


def find_suggestion(
    session: Session,
    atlas: Atlas,
    context: ChainContext,
    industry: Industry,
    suggestion_id: str,
) -> tuple[Suggestion, PlaceScope]:
    """The current suggestion with this id, or :class:`LoopError` (404 when gone)."""
    try:
        _kind, place_key, _segment = parse_suggestion_id(suggestion_id)
        scope = scope_of(atlas, place_key)
    except (ValueError, AtlasLookupError) as error:
        raise LoopError(404, "id", "unknown suggestion", "建议不存在") from error
    cov = coverage(industry, place=scope, context=context)
    for item in suggest(industry, cov=cov, context=context):
        if item.id == suggestion_id:
            return item, scope
    raise LoopError(404, "id", "no such suggestion now", "该建议已不存在（缺口可能已补上）")


def create_draft(
    session: Session,
    atlas: Atlas,
    *,
    industry: Industry,
    suggestion: Suggestion,
    scope: PlaceScope,
    kind: Literal["demand", "challenge"],
    user: User,
) -> tuple[Listing, bool]:
    """A draft demand or challenge of the caller's organization pre-filled from the gap, and
    whether it was created (an open draft of the same kind from the same gap is reused)."""
    from jingjinji import market
    from jingjinji.loop import draft_listing

    if not scope.key.isdigit():
        raise LoopError(
            422, "id", "the suggestion's place is not one place", "请先选择具体的地市或区县"
        )
    if user.organization_id is None:
        raise LoopError(403, "organization", "no organization", "当前账号不属于任何机构")
    existing = session.scalar(
        select(Listing)
        .join(GapListing, GapListing.listing_id == Listing.id)
        .where(
            GapListing.suggestion_id == suggestion.id,
            GapListing.organization_id == user.organization_id,
            Listing.kind == kind,
            Listing.status == "draft",
        )
        .order_by(Listing.id.desc())
    )
    if existing is not None:
        return existing, False
    values = draft_listing(
        kind=kind,
        suggestion=suggestion.as_dict(),
        industry=industry,
        segment=atlas.segment(suggestion.segment),
        place_adcode=scope.key,
        place_name=scope.name,
    )
    segments = values.pop("segments")
    values.pop("industries")
    listing = Listing(organization_id=user.organization_id, provenance="user", **values)
    market.set_segments(listing, segments, atlas)
    session.add(listing)
    session.flush()
    link = GapListing(
        suggestion_id=suggestion.id,
        kind=suggestion.kind,
        industry=industry.slug,
        segment=suggestion.segment,
        place_key=scope.key,
        listing_id=listing.id,
        organization_id=user.organization_id,
        created_by=user.id,
    )
    session.add(link)
    session.flush()
    record_change(
        session,
        actor=user,
        action="create",
        entity="listing",
        entity_id=listing.id,
        after=snapshot(listing),
    )
    record_change(
        session,
        actor=user,
        action="create",
        entity="gap_listing",
        entity_id=link.id,
        after=snapshot(link),
    )
    return listing, True


# ------------------------------------------------------------------- projects from deals


def _event_date(session: Session, match_id: int, stage: str) -> date | None:
    at = session.scalar(
        select(func.min(MatchEvent.at)).where(
            MatchEvent.match_id == match_id, MatchEvent.to_stage == stage
        )
    )
    return at.date() if at is not None else None


def project_from_match(
    session: Session,
    atlas: Atlas,
    *,
    match: Match,
    user: User,
    investment: float | None = None,
) -> tuple[Project, bool]:
    """The project of a match at 落地, created on the first call (idempotent by ``match_id``).

    Origin: the achievement's place (else its organization's); destination: the demand's
    place; segments: those the two share, else the demand's; investment in 亿元 if given,
    else the demand's budget (万元 → 亿元) if known, else 0; the gap it fills
    (``addresses``) is the suggestion the demand was drafted from. Stage 签约, signed on the
    day the match reached 签约. Owned by the demand's organization.
    """
    found = session.scalar(select(Project).where(Project.match_id == match.id))
    if found is not None:
        return found, False
    if match.stage != "落地":
        raise LoopError(
            409,
            "stage",
            f"match is {match.stage}, not 落地",
            f"对接处于“{match.stage}”阶段，落地后才能转为项目",
        )
    demand = session.get(Listing, match.demand_id)
    offer = session.get(Listing, match.achievement_id)
    if demand is None or offer is None:
        raise LoopError(404, "match", "listing gone", "对接的供需信息已不存在")
    origin = offer.place_adcode
    if not origin:
        org = session.get(Organization, offer.organization_id)
        origin = org.place_adcode if org else None
    if not origin or not demand.place_adcode:
        raise LoopError(
            422, "place", "both sides need a place", "成果所在地或需求所在地缺失，无法登记项目"
        )
    shared = [s for s in demand.segments or [] if s in (offer.segments or [])]
    segments = shared or list(demand.segments or []) or list(offer.segments or [])
    industry: str | None = None
    if segments:
        try:
            industry = atlas.industry_of(segments[0]).slug
        except AtlasLookupError:
            industry = None
    if investment is None:
        investment = round(demand.budget / 10_000, 4) if demand.budget else 0.0
    link = session.scalar(select(GapListing).where(GapListing.listing_id == demand.id))
    name = f"{offer.title}产业化项目"[:180]
    clash = session.scalar(
        select(Project.id).where(
            Project.name == name, Project.destination_adcode == demand.place_adcode
        )
    )
    if clash is not None:
        name = f"{name}（对接{match.id}）"
    orgs = dict(
        session.execute(
            select(Organization.id, Organization.name).where(
                Organization.id.in_([offer.organization_id, demand.organization_id])
            )
        ).all()
    )
    signed = _event_date(session, match.id, "签约") or datetime.now(UTC).date()
    project = Project(
        name=name,
        origin_adcode=origin,
        destination_adcode=demand.place_adcode,
        industry=industry,
        segments=segments,
        investment=float(investment),
        stage="签约",
        signed_on=signed,
        enterprises=[orgs[i] for i in (offer.organization_id, demand.organization_id) if i in orgs],
        addresses=link.suggestion_id if link is not None else None,
        match_id=match.id,
        source=f"供需对接 #{match.id}：{offer.title} → {demand.title}"[:300],
        provenance="manual",
        organization_id=demand.organization_id,
    )
    session.add(project)
    session.flush()
    record_change(
        session,
        actor=user,
        action="create",
        entity="project",
        entity_id=project.id,
        after=snapshot(project),
    )
    return project, True


# ------------------------------------------------------------------------------ 协同成效


def _loop_project(p: Project) -> LoopProject:
    return LoopProject(
        id=p.id,
        year=_year(p.signed_on),
        operating_year=_year(p.operating_on),
        investment=float(p.investment),
        stage=p.stage,
        origin=p.origin_adcode,
        destination=p.destination_adcode,
        match_id=p.match_id,
    )


def _industries(atlas: Atlas, slug: str | None) -> list[Industry]:
    return [atlas.industry(slug)] if slug else list(atlas.industries)


def _first_events(session: Session, match_ids: Iterable[int]) -> dict[int, dict[str, date]]:
    ids = list(match_ids)
    found: dict[int, dict[str, date]] = defaultdict(dict)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(MatchEvent.match_id, MatchEvent.to_stage, func.min(MatchEvent.at))
            .where(MatchEvent.match_id.in_(ids[start : start + 500]))
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
    :class:`AtlasLookupError` for an unknown industry or place."""
    from jingjinji.indicators.datasets import load_facts

    industries = _industries(atlas, industry)
    slugs = {s.slug for ind in industries for s in ind.segments}
    industry_slugs = {ind.slug for ind in industries}
    scope = scope_of(atlas, place or "region")
    # projects
    project_rows = session.scalars(select(Project)).all()
    projects = [
        p
        for p in project_rows
        if slugs.intersection(p.segments or ()) or (p.industry in industry_slugs)
    ]
    local_projects = [p for p in projects if _inside(atlas, p.destination_adcode, scope)]
    landed: dict[str, tuple[int | None, tuple[int, ...]]] = {}
    for p in sorted(local_projects, key=lambda p: (p.operating_on or date.max, p.id)):
        if p.stage != "投产":
            continue
        for slug in p.segments or ():
            year, ids = landed.get(slug, (None, ()))
            landed[slug] = (
                year if year is not None else _year(p.operating_on) or _year(p.updated_at),
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
        cov = coverage(ind, place=scope, context=context)
        gaps.extend(gaps_of(cov, registry_counts=registry_counts, landed_years=landed))
    # demands and deals
    demand_rows = session.scalars(
        select(Listing).where(
            Listing.kind.in_(("demand", "challenge")),
            Listing.status != "draft",
            Listing.id.in_(
                select(ListingSegment.listing_id).where(ListingSegment.segment.in_(sorted(slugs)))
            ),
        )
    ).all()
    local_demands = {d.id: d for d in demand_rows if _inside(atlas, d.place_adcode, scope)}
    match_rows = (
        session.scalars(
            select(Match).where(Match.demand_id.in_(list({d.id for d in demand_rows})))
        ).all()
        if demand_rows
        else []
    )
    events = _first_events(session, [m.id for m in match_rows])
    offers = (
        dict(
            session.execute(
                select(Listing.id, Listing.place_adcode).where(
                    Listing.id.in_(list({m.achievement_id for m in match_rows}))
                )
            ).all()
        )
        if match_rows
        else {}
    )
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
                origin=str(offers.get(m.achievement_id) or ""),
                destination=str(places.get(m.demand_id) or ""),
                stage=m.stage,
            )
            all_deals.append(deal)
            if m.demand_id in local_demands:
                local_deals.append(deal)
    demands = [
        DemandRecord(
            id=d.id,
            year=_year(d.published_at or d.created_at),
            matched_year=matched_year.get(d.id),
        )
        for d in local_demands.values()
    ]
    # achievements
    achievement_rows = session.execute(
        select(
            Listing.id,
            Listing.published_at,
            Listing.created_at,
            Listing.place_adcode,
            Listing.segments,
            Listing.provenance,
        ).where(
            Listing.kind == "achievement",
            Listing.status == "published",
            Listing.id.in_(
                select(ListingSegment.listing_id).where(ListingSegment.segment.in_(sorted(slugs)))
            ),
        )
    ).all()
    achievements = [
        AchievementRecord(
            id=int(i),
            year=_year(pub or created),
            place=str(pl or ""),
            segments=tuple(s for s in (segs or ()) if s in slugs),
        )
        for i, pub, created, pl, segs, _prov in achievement_rows
    ]
    counts = context.county_counts
    tj_hb = counts[[str(c).startswith(_TJ_HB) for c in counts.index]]
    tj_hb_segments = frozenset(str(s) for s, v in tj_hb.sum(axis=0).items() if v > 0)
    figures = loop_figures(
        gaps=gaps,
        demands=demands,
        deals=local_deals,
        projects=[_loop_project(p) for p in local_projects],
        outbound_projects=[_loop_project(p) for p in projects],
        achievements=achievements,
        tj_hb_segments=tj_hb_segments,
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
            }
            if fact
            else None
        ),
        "sample": sample,
        "is_sample": any(sample.values()),
    }


# ------------------------------------------------------------------------------ overview

_OVERVIEW: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
_OVERVIEW_LOCK = threading.Lock()
#: Facts shown as key figures on the overview, in order.
OVERVIEW_FACTS = (
    "jjj_gdp_2022",
    "jjj_industry_value_added_2022",
    "jjj_industry_share_2022",
    "beijing_rd_intensity_2019",
    "beijing_tech_contracts_to_tj_hb_2019",
)
PROVINCES = (("110000", "北京"), ("120000", "天津"), ("130000", "河北"))


def _overview_stamp(session: Session, context: ChainContext) -> tuple[Any, ...]:
    parts: list[Any] = [id(context)]
    for model in (Listing, Match, Project):
        parts.extend(
            session.execute(select(func.count(model.id), func.max(model.updated_at))).one()
        )
    parts.append(date.today().isoformat())
    return tuple(parts)


def overview_summary(session: Session, atlas: Atlas, context: ChainContext) -> dict[str, Any]:
    """Everything the 总览 page shows besides the map and the facts: platform counts, the nine
    industries' completeness per province, latest deals and projects, open challenge calls
    and alerts. Cached per database until listings, matches, projects or the registry change.
    """
    url = str(session.get_bind().engine.url)
    stamp = _overview_stamp(session, context)
    with _OVERVIEW_LOCK:
        cached = _OVERVIEW.get(url)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    started = time.perf_counter()
    summary = _overview(session, atlas, context)
    with _OVERVIEW_LOCK:
        _OVERVIEW[url] = (stamp, summary)
    log.info("overview summary computed in %.2f s", time.perf_counter() - started)
    return summary


def _name(atlas: Atlas, adcode: str | None) -> str:
    if not adcode:
        return ""
    try:
        return atlas.place(adcode).name
    except AtlasLookupError:
        return adcode


def _overview(session: Session, atlas: Atlas, context: ChainContext) -> dict[str, Any]:
    today = date.today()

    def count(*where: Any, model: Any = Listing) -> int:
        return int(session.scalar(select(func.count(model.id)).where(*where)) or 0)

    demo_enterprises = count(Enterprise.provenance == "demo", model=Enterprise)
    figures = [
        {
            "label": "企业（产业链图谱）",
            "value": count(model=Enterprise),
            "unit": "家",
            "sample": demo_enterprises > 0,
        },
        {
            "label": "科技成果",
            "value": count(Listing.kind == "achievement", Listing.status == "published"),
            "unit": "项",
            "sample": count(Listing.provenance == "demo") > 0,
        },
        {
            "label": "技术需求与揭榜",
            "value": count(
                Listing.kind.in_(("demand", "challenge")), Listing.status == "published"
            ),
            "unit": "项",
            "sample": count(Listing.provenance == "demo") > 0,
        },
        {
            "label": "签约成交",
            "value": count(Match.stage.in_(DEAL_STAGES), model=Match),
            "unit": "项",
            "sample": count(Listing.provenance == "demo") > 0,
        },
        {
            "label": "协同项目",
            "value": count(model=Project),
            "unit": "个",
            "sample": count(Project.provenance == "demo", model=Project) > 0,
        },
        {
            "label": "项目投资",
            "value": round(
                float(
                    session.scalar(select(func.coalesce(func.sum(Project.investment), 0.0))) or 0.0
                ),
                1,
            ),
            "unit": "亿元",
            "sample": count(Project.provenance == "demo", model=Project) > 0,
        },
    ]
    completeness = []
    for ind in atlas.industries:
        by_place = completeness_by_place(ind, context=context, level="province")
        completeness.append(
            {
                "slug": ind.slug,
                "name": ind.name,
                "segments": len(ind.segments),
                "provinces": [
                    {
                        "adcode": code,
                        "name": label,
                        "completeness": round(by_place.get(code, {}).get("completeness", 0.0), 4),
                        "present": by_place.get(code, {}).get("present", 0),
                    }
                    for code, label in PROVINCES
                ],
            }
        )
    deals = []
    deal_rows = session.execute(
        select(Match.id, Match.stage, Match.updated_at, Match.demand_id, Match.achievement_id)
        .where(Match.stage.in_(DEAL_STAGES))
        .order_by(Match.updated_at.desc(), Match.id.desc())
        .limit(6)
    ).all()
    titles = (
        {
            row.id: row
            for row in session.scalars(
                select(Listing).where(
                    Listing.id.in_([r[3] for r in deal_rows] + [r[4] for r in deal_rows])
                )
            )
        }
        if deal_rows
        else {}
    )
    for mid, stage, at, demand_id, offer_id in deal_rows:
        demand, offer = titles.get(demand_id), titles.get(offer_id)
        if demand is None or offer is None:
            continue
        deals.append(
            {
                "id": mid,
                "stage": stage,
                "date": at.date().isoformat(),
                "achievement": offer.title,
                "achievement_id": offer.id,
                "origin": _name(atlas, offer.place_adcode),
                "demand": demand.title,
                "demand_id": demand.id,
                "destination": _name(atlas, demand.place_adcode),
                "sample": offer.provenance == "demo" or demand.provenance == "demo",
            }
        )
    projects = [
        {
            "id": p.id,
            "name": p.name,
            "stage": p.stage,
            "investment": p.investment,
            "signed_on": p.signed_on.isoformat() if p.signed_on else None,
            "origin": _name(atlas, p.origin_adcode),
            "destination": _name(atlas, p.destination_adcode),
            "from_match": p.match_id is not None,
            "sample": p.provenance == "demo",
        }
        for p in session.scalars(
            select(Project)
            .order_by(Project.signed_on.desc().nulls_last(), Project.id.desc())
            .limit(6)
        )
    ]
    challenges = [
        {
            "id": c.id,
            "title": c.title,
            "place": _name(atlas, c.place_adcode),
            "reward": c.reward,
            "deadline": c.deadline.isoformat() if c.deadline else None,
            "sample": c.provenance == "demo",
        }
        for c in session.scalars(
            select(Listing)
            .where(
                Listing.kind == "challenge",
                Listing.status == "published",
                or_(Listing.deadline.is_(None), Listing.deadline >= today),
            )
            .order_by(Listing.deadline.asc().nulls_last(), Listing.id.desc())
            .limit(6)
        )
    ]
    return {
        "figures": figures,
        "completeness": completeness,
        "deals": deals,
        "projects": projects,
        "challenges": challenges,
        "open_challenges": count(
            Listing.kind == "challenge",
            Listing.status == "published",
            or_(Listing.deadline.is_(None), Listing.deadline >= today),
        ),
        "alerts": _dual_ten_alerts() + _coverage_alerts(session, atlas, context),
    }


def _dual_ten_alerts() -> list[dict[str, Any]]:
    from jingjinji.indicators import monitor
    from jingjinji.indicators.datasets import dual_ten_panel

    panel = dual_ten_panel()
    rows = monitor(panel, "dual_ten")
    alerts = []
    for _indicator, group in rows.groupby("indicator"):
        last = group.sort_values("year").iloc[-1]
        below = last["status"] != "达标"
        alerts.append(
            {
                "kind": "dual_ten",
                "level": "warning" if below else "ok",
                "title": f"双10%底线：{last['name']}",
                "text": f"{int(last['year'])} 年 {float(last['value']):.2f}%，底线 "
                f"{float(last['threshold']):g}%（{last['status']}）",
                "source": panel.provenance,
                "link": "/indicators",
            }
        )
    return alerts


def _coverage_alerts(
    session: Session, atlas: Atlas, context: ChainContext, limit: int = 5
) -> list[dict[str, Any]]:
    """Segments whose coverage a terminated (终止) project was meant to give and that are
    still missing or thin in the destination's registry: coverage expected and lost. The
    registry keeps no history, so a segment that lost enterprises cannot be seen here."""
    rows = session.execute(
        select(
            Project.id,
            Project.name,
            Project.destination_adcode,
            Project.segments,
            Project.provenance,
        )
        .where(Project.stage == "终止")
        .order_by(Project.terminated_on.desc().nulls_last(), Project.id.desc())
    ).all()
    names = {s.slug: s.name for ind in atlas.industries for s in ind.segments}
    counts = context.county_counts
    alerts: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for _pid, name, dest, segments, prov in rows:
        try:
            unit = atlas.prefecture_unit_of(dest) or atlas.place(dest)
            counties = scope_of(atlas, unit.adcode).counties
        except AtlasLookupError:
            continue
        inside = [c for c in counties if c in counts.index]
        for slug in segments or ():
            if slug not in counts.columns or (unit.adcode, slug) in seen:
                continue
            present = int(counts.loc[inside, slug].sum()) if inside else 0
            if present < THIN_COUNT:
                seen.add((unit.adcode, slug))
                alerts.append(
                    {
                        "kind": "coverage",
                        "level": "warning",
                        "title": f"覆盖落空：{unit.name}“{names.get(slug, slug)}”",
                        "text": f"项目“{name}”已终止，该环节在{unit.name}仅 {present} 家企业"
                        f"（{'缺失' if present == 0 else '薄弱'}）",
                        "source": "示例数据" if prov == "demo" else "项目库",
                        "link": f"/chains/{atlas.industry_of(slug).slug}?place={unit.adcode}",
                    }
                )
        if len(alerts) >= limit:
            break
    return alerts[:limit]


# ------------------------------------------------------------------------------ sample deals

SAMPLE_DEALS_SEED = 20_261_127
#: Share of sampled demand–achievement pairs by their stage (the rest stay 推荐).
_SAMPLE_STAGES = (("意向", 0.22), ("洽谈", 0.16), ("签约", 0.12), ("落地", 0.08), ("已拒绝", 0.06))


def load_sample_deals(session: Session, atlas: Atlas) -> int:
    """Sample loader: matches between sample demands and sample achievements sharing a segment
    (Beijing achievements preferred), carried through the workflow with dated events between
    2021 and 2025, fixed seed. They come from 示例数据 listings and are shown as such. Does
    nothing when matches exist or there are no sample listings. Returns matches added."""
    import numpy as np

    from jingjinji.market import DECLINE_REASONS, MATCH_STAGES

    if session.scalar(select(func.count(Match.id))):
        return 0
    rng = np.random.default_rng(SAMPLE_DEALS_SEED)
    demands = session.execute(
        select(Listing.id, ListingSegment.segment)
        .join(ListingSegment, ListingSegment.listing_id == Listing.id)
        .where(
            Listing.kind.in_(("demand", "challenge")),
            Listing.provenance == "demo",
            Listing.status == "published",
        )
        .order_by(Listing.id)
    ).all()
    offers: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for lid, seg, place in session.execute(
        select(Listing.id, ListingSegment.segment, Listing.place_adcode)
        .join(ListingSegment, ListingSegment.listing_id == Listing.id)
        .where(
            Listing.kind == "achievement",
            Listing.provenance == "demo",
            Listing.status == "published",
        )
        .order_by(Listing.id)
    ):
        offers[str(seg)].append((int(lid), str(place or "")))
    if not demands or not offers:
        return 0
    seen: set[tuple[int, int]] = set()
    matches: list[tuple[Match, str, list[date]]] = []
    for demand_id, segment in demands:
        if rng.random() > 0.35 or not offers.get(segment):
            continue
        pool = offers[segment]
        beijing = [o for o in pool if o[1].startswith("11")]
        choice = beijing if beijing and rng.random() < 0.85 else pool
        offer_id = choice[int(rng.integers(len(choice)))][0]
        if (demand_id, offer_id) in seen:
            continue
        seen.add((demand_id, offer_id))
        draw, stage = rng.random(), "推荐"
        for name, share in _SAMPLE_STAGES:
            if draw < share:
                stage = name
                break
            draw -= share
        start = date(2021, 1, 1).toordinal() + int(rng.integers(0, 365 * 4))
        steps = MATCH_STAGES.index(stage) if stage in MATCH_STAGES else 1
        days = [date.fromordinal(start + int(x)) for x in np.cumsum(rng.integers(20, 160, steps))]
        days = [min(d, date(2025, 12, 31)) for d in days]
        match = Match(
            demand_id=int(demand_id),
            achievement_id=offer_id,
            score=round(float(rng.uniform(0.35, 0.9)), 4),
            reasons=[
                {
                    "factor": "segment",
                    "label": "同一产业环节",
                    "detail": segment,
                    "value": 1.0,
                    "points": 0.3,
                }
            ],
            stage=stage,
            decline_reason=DECLINE_REASONS[int(rng.integers(len(DECLINE_REASONS)))]
            if stage == "已拒绝"
            else None,
        )
        session.add(match)
        matches.append((match, stage, days))
    session.flush()
    for match, stage, days in matches:
        path = (
            list(MATCH_STAGES[: MATCH_STAGES.index(stage) + 1])
            if stage in MATCH_STAGES
            else ["推荐", "已拒绝"]
        )
        for (before, after), day in zip(itertools.pairwise(path), days, strict=False):
            at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
            reason = match.decline_reason if after == "已拒绝" else None
            session.add(
                MatchEvent(
                    match_id=match.id,
                    at=at,
                    actor="示例数据",
                    from_stage=before,
                    to_stage=after,
                    reason=reason,
                )
            )
        if days:
            last = days[-1]
            match.updated_at = datetime(last.year, last.month, last.day, 10, tzinfo=UTC)
    session.flush()
    return len(matches)
