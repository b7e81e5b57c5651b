"""Projects on the chain map: those in production as presence, and the activity (projects,
deals) per segment of a place."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, Industry
from jingjinji.chains.places import PlaceScope
from jingjinji.loop import (
    LandedProject,
    landed_presence,
)
from jingjinji.loop.repository.shared import DEAL_STAGES, in_scope
from jingjinji.store import ReadCache, table_stamp
from jingjinji.store.models import (
    Listing,
    ListingSegment,
    Match,
    Project,
)

#: Activity per segment, kept until projects, matches or listings change.
ACTIVITY_CACHE = ReadCache("segment activity", size=256, summary=True)


_IN_PRODUCTION = Project.stage == "投产"
_IN_DEALS = Match.stage.in_(DEAL_STAGES)
_DEAL_DEMANDS = Listing.id.in_(select(Match.demand_id).where(_IN_DEALS))


def landed_stamp(session: Session) -> tuple[Any, ...]:
    """What the projects in production contribute to the chain context's cache key: their
    count, latest change and largest id (see :func:`~jingjinji.projects.repository.table_stamp`)."""
    return table_stamp(session, Project, where=_IN_PRODUCTION)


def landed_rows(session: Session, atlas: Atlas, *, year: int | None = None) -> list[dict[str, Any]]:
    """Presence rows of the projects in production (see :mod:`jingjinji.loop.presence`);
    with ``year``, of those in production by the end of that year (an unknown date counts)."""
    query = select(Project.id, Project.name, Project.destination_adcode, Project.segments).where(
        Project.stage == "投产"
    )
    if year is not None:
        query = query.where(
            or_(Project.operating_on.is_(None), Project.operating_on <= date(year, 12, 31))
        )
    rows = session.execute(query).all()
    projects = [
        LandedProject(id=int(i), name=str(n), destination=str(d), segments=tuple(s or ()))
        for i, n, d, s in rows
    ]
    return landed_presence(projects, atlas)


def segment_activity(
    session: Session, atlas: Atlas, industry: Industry, scope: PlaceScope
) -> dict[str, dict[str, Any]]:
    """Per segment of ``industry`` in ``scope``: projects by stage (those in production are
    counted in coverage as 项目落地) and deals (matches at 签约 or 落地) whose demand lies
    in the place, with a few names. Kept until projects, the deals or their demands change
    (a new listing or an early-stage match changes nothing here); a fresh copy each call."""
    key = (industry.slug, scope, atlas)
    stamp = (
        *table_stamp(session, Project),
        *table_stamp(session, Match, where=_IN_DEALS),
        *table_stamp(session, Listing, where=_DEAL_DEMANDS),
    )
    found = ACTIVITY_CACHE.get(
        session,
        key,
        stamp,
        lambda: _segment_activity(session, atlas, industry, scope),
        refresh=lambda own: _segment_activity(own, atlas, industry, scope),
    )
    return copy.deepcopy(found)


def _segment_activity(
    session: Session, atlas: Atlas, industry: Industry, scope: PlaceScope
) -> dict[str, dict[str, Any]]:
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
        if not touched or not in_scope(atlas, dest, scope):
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
        .where(_IN_DEALS, ListingSegment.industry == industry.slug)
    ).all()
    for mid, stage, title, place, slug in deals:
        if slug not in result or not in_scope(atlas, place, scope):
            continue
        entry = result[slug]
        entry["deals"] += 1
        if len(entry["items"]) < 5:
            entry["items"].append({"kind": "deal", "id": mid, "name": title, "stage": stage})
    return result


# ------------------------------------------------------------------------------ drafts
