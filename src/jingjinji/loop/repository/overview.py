"""The 总览 summary: platform counts, completeness per province, latest deals, projects,
challenges and alerts; cached per database."""

from __future__ import annotations

import logging
import time
import weakref
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError, cite_text
from jingjinji.chains.coverage import THIN_COUNT, ChainContext, completeness_by_place
from jingjinji.chains.places import scope_of
from jingjinji.loop.repository.shared import DEAL_STAGES
from jingjinji.projects.places import atlas_name
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import (
    Enterprise,
    Listing,
    Match,
    Project,
)

log = logging.getLogger(__name__)

#: The 总览 summary per database (computed once per state of the data; see ReadCache).
_OVERVIEW = ReadCache("overview summary", size=4, summary=True)
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
    """The context (by a weak reference: a dead one never equals a new one), listings,
    matches and projects (one round trip, see
    :func:`~jingjinji.projects.repository.table_stamp`) and the day."""
    return (
        weakref.ref(context),
        table_stamp(session, Listing, Match, Project),
        date.today().isoformat(),
    )


def overview_summary(session: Session, atlas: Atlas, context: ChainContext) -> dict[str, Any]:
    """Everything the 总览 page shows besides the map and the facts: platform counts, the nine
    industries' completeness per province, latest deals and projects, open challenge calls
    and alerts. Cached per database until listings, matches, projects or the registry change.
    """
    stamp = _overview_stamp(session, context)
    summary: dict[str, Any] = _OVERVIEW.get(
        session,
        "summary",
        stamp,
        lambda: _timed_overview(session, atlas, context),
        refresh=lambda own: _timed_overview(own, atlas, context),
    )
    return summary


def _timed_overview(session: Session, atlas: Atlas, context: ChainContext) -> dict[str, Any]:
    started = time.perf_counter()
    summary = _overview(session, atlas, context)
    log.info("overview summary computed in %.2f s", time.perf_counter() - started)
    return summary


def _name(atlas: Atlas, adcode: str | None) -> str:
    return atlas_name(atlas, "place", adcode) if adcode else ""


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
        # completeness comes from the registry (and projects in production)
        "completeness_sample": demo_enterprises > 0
        or count(Project.provenance == "demo", Project.stage == "投产", model=Project) > 0,
        "includes_sample": any(f["sample"] for f in figures) or demo_enterprises > 0,
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
                "source": cite_text(panel.provenance),
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
