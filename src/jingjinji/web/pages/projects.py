"""项目库: filters, the table, Sankey of flows, map of destinations, stage funnel, time series."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.projects import STAGES, breakdown, flows, stage_funnel, totals
from jingjinji.projects.places import PROVINCES, REGION_PROVINCES
from jingjinji.projects.repository import ProjectFilter, filtered_records, project_page
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.presenters.projects import project_public
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

_ADCODE = re.compile(r"^\d{6}$")
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
    }
    return render(request, "projects/index.html", context, active="projects")
