"""产业链: the nine industries, and one page per industry with its segments as a flow."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.atlas import AtlasLookupError, industry_relations
from jingjinji.atlas.models import STAGES
from jingjinji.web.deps import AtlasDep
from jingjinji.web.errors import ApiError
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

STAGE_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
ROLE_LABELS = {"chain": "产业链", "cluster": "产业集群"}


@router.get("/chains", response_class=HTMLResponse)
def chains_index(request: Request, atlas: AtlasDep) -> Response:
    """The six chains and five clusters (nine industries)."""
    context = {
        "title": "产业链",
        "industries": atlas.industries,
        "stages": STAGES,
        "stage_labels": STAGE_LABELS,
        "role_labels": ROLE_LABELS,
    }
    return render(request, "chains/index.html", context, active="chains")


@router.get("/chains/{slug}", response_class=HTMLResponse)
def chain_detail(slug: str, request: Request, atlas: AtlasDep) -> Response:
    """One industry: the upstream → midstream → downstream flow (drawn by chains.js)."""
    try:
        industry = atlas.industry(slug)
    except AtlasLookupError as error:
        raise ApiError(404, f"产业链 {slug} 不存在") from error
    context = {
        "title": industry.name,
        "industry": industry,
        "related": industry_relations(atlas, slug),
        "stages": STAGES,
        "stage_labels": STAGE_LABELS,
        "role_labels": ROLE_LABELS,
        "gbt": atlas.gbt4754,
    }
    return render(request, "chains/detail.html", context, active="chains")
