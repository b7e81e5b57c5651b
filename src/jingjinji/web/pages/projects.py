"""项目库: filters, the table, Sankey of flows, map of destinations, stage funnel, time series,
the 新建项目 form; and one project's page with its gap, deal, stage history, edit form and stage
controls for its owners."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import can_edit
from jingjinji.projects import PROGRESSION, STAGES, breakdown, flows, stage_funnel, totals
from jingjinji.projects.gaps import addressed_gap
from jingjinji.projects.places import PROVINCES, REGION_PROVINCES
from jingjinji.projects.repository import (
    ProjectFilter,
    filtered_records,
    project_page,
    stage_history,
)
from jingjinji.projects.table import PROVENANCES
from jingjinji.store.models import Organization, Project
from jingjinji.web.beijing_time import in_beijing
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.presenters.projects import history_public, project_public
from jingjinji.web.schemas.projects import ProjectPublic
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

_ADCODE = re.compile(r"^\d{6}$")
_ID = re.compile(r"[1-9][0-9]{0,9}")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PER_PAGE = 50


def place_options(atlas: Atlas) -> list[tuple[str, str]]:
    """(adcode, name) for place filters: the three provinces, Hebei's cities, 雄安新区."""
    options = [(code, PROVINCES[code]) for code in REGION_PROVINCES]
    options += [(p.adcode, p.name) for p in atlas.places if p.level == "prefecture"]
    options += [(p.adcode, p.name) for p in atlas.places if p.level == "special"]
    return options


def origin_options(atlas: Atlas) -> list[tuple[str, str]]:
    """Origin filters: the region's places and the other province-level units."""
    others = [(code, name) for code, name in PROVINCES.items() if code not in REGION_PROVINCES]
    return place_options(atlas) + others


def _param(request: Request, name: str, pattern: re.Pattern[str] | None = None) -> str | None:
    value = request.query_params.get(name, "").strip()
    if not value or len(value) > 100:
        return None
    if pattern is not None and not pattern.match(value):
        return None
    return value


def _year(request: Request, name: str) -> int | None:
    value = _param(request, name, re.compile(r"^\d{4}$"))
    return int(value) if value else None


def page_filter(request: Request) -> ProjectFilter:
    """The filters of the page's GET form; unknown or malformed values are ignored."""
    stage = _param(request, "stage")
    return ProjectFilter(
        destination=_param(request, "destination", _ADCODE),
        origin=_param(request, "origin", _ADCODE),
        industry=_param(request, "industry", _SLUG),
        platform=_param(request, "platform", _SLUG),
        stage=stage if stage in STAGES else None,
        year_from=_year(request, "year_from"),
        year_to=_year(request, "year_to"),
        q=_param(request, "q"),
    )


def _query(filt: ProjectFilter) -> str:
    values = {k: v for k, v in vars(filt).items() if v not in (None, "")}
    return urlencode(values)


def _map_points(records: list[Any], atlas: Atlas) -> list[dict[str, Any]]:
    points = []
    for bucket in breakdown(records, by="destination", atlas=atlas):
        try:
            lon, lat = atlas.place_coordinates(bucket.key)
        except AtlasLookupError:
            continue
        points.append(
            {
                "name": bucket.label,
                "adcode": bucket.key,
                "value": [lon, lat, bucket.investment, bucket.count],
            }
        )
    return points


@router.get("/projects", response_class=HTMLResponse)
def projects_page(request: Request, db: SessionDep, atlas: AtlasDep) -> Response:
    """The project library with its charts; every chart follows the filters."""
    filt = page_filter(request)
    try:
        page = max(1, min(100_000, int(request.query_params.get("page", "1"))))
    except ValueError:
        page = 1
    rows, count = project_page(db, filt, atlas, page=page, per_page=PER_PAGE)
    records = filtered_records(db, filt, atlas)
    total = totals(records)
    charts = {
        "flows": [vars(f) for f in flows(records, atlas=atlas)],
        "years": [vars(b) for b in breakdown(records, by="year", atlas=atlas)],
        "funnel": [vars(b) for b in stage_funnel(records)],
        "stages": [vars(b) for b in breakdown(records, by="stage", atlas=atlas)],
        "destinations": _map_points(records, atlas),
        "industries": [vars(b) for b in breakdown(records, by="industry", atlas=atlas)],
    }
    query = _query(filt)
    context = {
        "title": "项目库",
        "filt": filt,
        "rows": [project_public(r, atlas) for r in rows],
        "count": count,
        "page": page,
        "pages": max(1, -(-count // PER_PAGE)),
        "total": total,
        "charts": charts,
        "query": query,
        "export_url": "/api/projects/export" + (f"?{query}" if query else ""),
        "places": place_options(atlas),
        "origins": origin_options(atlas),
        "industries": atlas.industries,
        "platforms": atlas.platforms,
        "stages": STAGES,
        "has_sample": any(r.provenance == "demo" for r in rows),
        "form": form_options(atlas),
    }
    return render(request, "projects/index.html", context, active="projects")


def form_options(atlas: Atlas, project: ProjectPublic | None = None) -> dict[str, Any]:
    """The choices of the project form; a project's own places stay selectable."""
    places = place_options(atlas)
    origins = origin_options(atlas)
    if project is not None:
        if project.destination_adcode not in dict(places):
            places = [(project.destination_adcode, project.destination_name), *places]
        if project.origin_adcode not in dict(origins):
            origins = [(project.origin_adcode, project.origin_name), *origins]
    return {
        "places": places,
        "origins": origins,
        "industries": atlas.industries,
        "platforms": atlas.platforms,
        "parks": atlas.parks,
        "stages": STAGES,
    }


def _point(atlas: Atlas, adcode: str) -> list[float] | None:
    try:
        lon, lat = atlas.place_coordinates(adcode)
    except AtlasLookupError:
        return None
    return [lon, lat]


def _local_time(at: datetime) -> str:
    """A stored timestamp in Beijing time, to the minute."""
    return in_beijing(at).strftime("%Y-%m-%d %H:%M")


def _next_stages(stage: str) -> list[str]:
    """The stages a project can move on to from the page: later ones, or 终止."""
    if stage not in PROGRESSION:
        return []
    return [*PROGRESSION[PROGRESSION.index(stage) + 1 :], "终止"]


@router.get("/projects/{project_id}", response_class=HTMLResponse)
def project_detail(
    project_id: str, request: Request, db: SessionDep, atlas: AtlasDep, user: OptionalUser
) -> Response:
    """One project: facts, origin → destination, the gap and deal behind it, stage history;
    its owners (editors of its organization, admins) also get the edit form and stage
    controls."""
    if not _ID.fullmatch(project_id) or int(project_id) > 2**31 - 1:
        raise ApiError(404, "项目不存在")
    row = db.get(Project, int(project_id))
    if row is None:
        raise ApiError(404, "项目不存在")
    project = project_public(row, atlas)
    owner = db.get(Organization, row.organization_id)
    context = {
        "title": project.name,
        "p": project,
        "owner_name": owner.name if owner else "—",
        "provenance": PROVENANCES.get(project.provenance, project.provenance),
        "gap": addressed_gap(project.addresses, atlas),
        "history": [
            {**e.model_dump(), "at_text": _local_time(e.at)}
            for e in history_public(stage_history(db, row.id)).data
        ],
        "can_edit": can_edit(user, row.organization_id),
        "next_stages": _next_stages(project.stage),
        "form": form_options(atlas, project),
        "route": {
            "origin": {"name": project.origin_name, "value": _point(atlas, project.origin_adcode)},
            "destination": {
                "name": project.destination_name,
                "value": _point(atlas, project.destination_adcode),
            },
        },
    }
    return render(request, "projects/detail.html", context, active="projects")
