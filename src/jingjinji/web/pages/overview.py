"""总览: the region on a map — prefecture boundaries, the five corridors, parks and platforms."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.atlas import SOURCE_DOCUMENTS
from jingjinji.indicators.datasets import load_facts
from jingjinji.loop.repository import OVERVIEW_FACTS
from jingjinji.web.deps import AtlasDep
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, atlas: AtlasDep) -> Response:
    """The region at a glance: key figures (quoted facts with their source; platform counts,
    completeness, deals, projects, challenge calls and alerts come from ``/api/overview``),
    the map (drawn by overview.js) and the spatial structure."""
    facts = {fact.id: fact for fact in load_facts()}
    chains = [i for i in atlas.industries if "chain" in i.roles]
    clusters = [i for i in atlas.industries if "cluster" in i.roles]
    context = {
        "title": "总览",
        "chains": chains,
        "clusters": clusters,
        "corridors": atlas.corridors,
        "belts": atlas.belts,
        "platforms": atlas.platforms,
        "parks": atlas.parks,
        "circles": atlas.circles,
        "units": atlas.prefecture_units(),
        "facts": [facts[key] for key in OVERVIEW_FACTS if key in facts],
    }
    return render(request, "overview/index.html", context, active="overview")


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request) -> Response:
    """资料来源: the strategy's source documents that the atlas and the quoted figures cite,
    each with its title, publisher, date, what the platform takes from it and its file."""
    context = {"title": "资料来源", "documents": list(SOURCE_DOCUMENTS.values())}
    return render(request, "overview/sources.html", context)
