"""Industries (六链 and 五群) with segments and supply edges."""

from __future__ import annotations

from fastapi import APIRouter

from jingjinji.atlas import AtlasLookupError
from jingjinji.web.deps import AtlasDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.atlas import IndustriesPublic, IndustryDetail, IndustryPublic

router = APIRouter(prefix="/api/industries", tags=["atlas"])


@router.get("", summary="重点产业链与产业集群列表")
def read_industries(atlas: AtlasDep) -> IndustriesPublic:
    """The nine industries: six chains and five clusters (网络安全, 生物医药 are both)."""
    data = [IndustryPublic.of(industry) for industry in atlas.industries]
    return IndustriesPublic(data=data, count=len(data))


@router.get("/{slug}", summary="一条产业链的环节与上下游关系")
def read_industry(slug: str, atlas: AtlasDep) -> IndustryDetail:
    """One industry with full segments (description, keywords, GB/T codes) and edges."""
    try:
        industry = atlas.industry(slug)
    except AtlasLookupError as error:
        raise ApiError(404, f"产业 {slug!r} 不存在") from error
    return IndustryDetail.of(industry, atlas)
