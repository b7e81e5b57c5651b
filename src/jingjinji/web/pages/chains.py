"""产业链: the nine industries, and one page per industry with its segments as a flow."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from jingjinji.atlas import AtlasLookupError, industry_relations
from jingjinji.atlas.models import STAGES
from jingjinji.chains import opening_place
from jingjinji.chains.repository import chain_context
from jingjinji.store.models import Enterprise
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
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


@router.get("/chains/import", response_class=HTMLResponse)
def enterprise_import(request: Request) -> Response:
    """企业名录导入: upload a registry export (企查查, 天眼查, 启信宝, 公示系统 layouts)."""
    context = {"title": "导入企业名录", "columns": IMPORT_COLUMNS}
    return render(request, "chains/import.html", context, active="chains")


#: (what, accepted headers) as the import page lists them.
IMPORT_COLUMNS = (
    ("企业名称（必填）", "企业名称、公司名称、名称、机构名称"),
    ("统一社会信用代码（必填）", "统一社会信用代码、信用代码、社会信用代码"),
    ("所在地（三选一）", "注册地址、企业地址、住所；所属省份＋所属城市＋所属区县；所在地"),
    ("行业", "行业代码（国标代码），或所属行业、国标行业（国标名称或代码，如“锂离子电池制造”）"),
    ("登记信息", "登记状态、经营状态、成立日期、注销日期、吊销日期"),
    ("经营内容", "经营范围、主要产品、标签、规模、营业收入（万元）"),
)


@router.get("/chains/{slug}", response_class=HTMLResponse)
def chain_detail(
    slug: str, request: Request, atlas: AtlasDep, db: SessionDep, user: OptionalUser
) -> Response:
    """One industry: the upstream → midstream → downstream flow (drawn by chains.js); without
    ``?place=`` the coverage opens on the user's place, else on one with gaps to show."""
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
        "registry_empty": db.scalar(select(Enterprise.id).limit(1)) is None,
        # only when the address names no place: the page then opens on the chosen one
        "opening_place": None
        if request.query_params.get("place")
        else opening_place(
            chain_context(db, atlas), industry, user.organization.place_adcode if user else None
        ),
    }
    return render(request, "chains/detail.html", context, active="chains")
