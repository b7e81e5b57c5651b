"""The policy list API: list, search, eligibility, comparison, export, import, edits."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from jingjinji.auth import EDITOR, owner
from jingjinji.policies import (
    MAX_QUERY_LENGTH,
    EnterpriseProfile,
    PolicyInput,
    queries,
    validate_policy,
)
from jingjinji.policies.queries import PolicyNotFound, filtered_policies, today
from jingjinji.policies.repository import (
    PolicyFilter,
    export_rows,
    import_policies,
    to_input,
)
from jingjinji.policies.table import EXPORT_HEADER, parse_policies
from jingjinji.store.models import Policy, User
from jingjinji.store.tabular import write_xlsx
from jingjinji.web import edits
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.ownership import owning_organization_id
from jingjinji.web.params import XLSX, AdcodeQ, PageQ, PerPageQ, SlugQ, TableUpload
from jingjinji.web.policy_index import PolicyIndexDep
from jingjinji.web.presenters.policies import (
    comparison_public,
    eligibility_public,
    policy_public,
    search_public,
)
from jingjinji.web.schemas.policies import (
    ComparePublic,
    EligibleListPublic,
    PoliciesPublic,
    PolicyCreate,
    PolicyPublic,
    PolicyUpdate,
    SearchPublic,
)
from jingjinji.web.schemas.projects import ImportReportPublic
from jingjinji.web.security import requires

router = APIRouter(prefix="/api/policies", tags=["policies"])

TypeQ = Annotated[
    Literal["资金", "税收", "人才", "用地", "平台", "金融", "其他"] | None, Query(alias="type")
]
PolicyId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PolicyOwner = Annotated[User, requires(owner("policy"))]
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


async def policy_filter(
    place: AdcodeQ = None,
    type_: TypeQ = None,
    industry: SlugQ = None,
    expired: Annotated[bool | None, Query(description="true：仅已失效；false：仅有效")] = None,
) -> PolicyFilter:
    """Filters shared by the list, search and export."""
    return PolicyFilter(place=place, type=type_, industry=industry, expired=expired)


FilterDep = Annotated[PolicyFilter, Depends(policy_filter)]


@router.get("", summary="政策清单（分页、筛选）")
def list_policies(
    db: SessionDep, atlas: AtlasDep, filt: FilterDep, page: PageQ = 1, per_page: PerPageQ = 50
) -> PoliciesPublic:
    """Policies passing the filters, newest first; ``expired`` flags lapsed ones."""
    rows = filtered_policies(db, filt, atlas)
    start = (page - 1) * per_page
    data = [policy_public(r, atlas) for r in rows[start : start + per_page]]
    return PoliciesPublic(data=data, count=len(rows))


@router.get("/search", summary="政策全文检索（中文分词、按相关度排序）")
def search_policies(
    db: SessionDep,
    atlas: AtlasDep,
    filt: FilterDep,
    index: PolicyIndexDep,
    q: Annotated[str, Query(min_length=1, max_length=5000, description="检索词，不超过 200 字")],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SearchPublic:
    """Full-text search in Chinese (jieba + BM25), best first; "quoted phrases" must occur
    verbatim. Quotes, %, _ and backslashes are ordinary characters; a query of more than
    200 characters answers 422. The index is kept until a policy changes."""
    if len(q) > MAX_QUERY_LENGTH:
        raise ApiError(
            422,
            f"检索词过长：请不超过 {MAX_QUERY_LENGTH} 个字符",
            code="query_too_long",
            fields=[{"field": "query.q", "message": f"at most {MAX_QUERY_LENGTH}"}],
        )
    result = queries.search_policies(db, q, filt, atlas, limit=limit, index=index)
    return search_public(q, result, atlas)


@router.get("/eligible", summary="企业可享受的政策及条件匹配")
def eligible_policies(
    db: SessionDep,
    atlas: AtlasDep,
    enterprise: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="企业库编号")] = None,
    place: AdcodeQ = None,
    industry: Annotated[list[str], Query(max_length=20)] = [],  # noqa: B006
    segment: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    tag: Annotated[list[str], Query(max_length=30)] = [],  # noqa: B006
    size: Annotated[Literal["大型", "中型", "小型", "微型"] | None, Query()] = None,
    revenue: Annotated[float | None, Query(ge=0, le=1e12, description="营业收入，万元")] = None,
    founded: Annotated[date | None, Query(description="成立日期")] = None,
    only_eligible: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> EligibleListPublic:
    """The current policies for an enterprise of the registry (``enterprise=ID``) or a
    described profile (place, industry, segment, tag, size, revenue, founded), each with the
    conditions it meets, does not meet, or cannot tell; eligible ones first."""
    if any(len(t) > 50 for t in tag):
        raise ApiError(
            422, "企业标签不超过 50 个字符", fields=[{"field": "query.tag", "message": "too long"}]
        )
    for name, values in (("industry", industry), ("segment", segment)):
        for value in values:
            if not _SLUG.match(value) or len(value) > 80:
                raise ApiError(
                    422,
                    f"{name} 须为产业链或环节标识",
                    fields=[{"field": f"query.{name}", "message": "not a slug"}],
                )
    if enterprise is not None:
        try:
            profile = queries.enterprise_profile(db, enterprise)
        except PolicyNotFound as exc:
            raise ApiError(404, exc.message_zh) from exc
    else:
        profile = EnterpriseProfile(
            place=place,
            industries=tuple(industry),
            segments=tuple(segment),
            tags=tuple(t.strip() for t in tag if t.strip()),
            size=size,
            revenue=revenue,
            founded=founded,
        )
    result = queries.eligible_policies(db, profile, atlas, only_eligible=only_eligible, limit=limit)
    return eligibility_public(result, atlas)


@router.get("/compare", summary="京津冀三地政策对比")
def compare_policies(
    db: SessionDep,
    atlas: AtlasDep,
    industry: Annotated[str, Query(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)],
    include_expired: bool = False,
) -> ComparePublic:
    """北京, 天津 and 河北 side by side: policies aimed at the industry and general ones."""
    try:
        comparison = queries.compare_places(db, industry, atlas, include_expired=include_expired)
    except PolicyNotFound as exc:
        raise ApiError(404, exc.message_zh) from exc
    return comparison_public(comparison, atlas)


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
    summary="导出政策清单（XLSX）",
)
def export_policies(db: SessionDep, atlas: AtlasDep, filt: FilterDep) -> Response:
    """The filtered policies as an XLSX table that imports back unchanged."""
    rows = export_rows(filtered_policies(db, filt, atlas), atlas, today=today())
    content = write_xlsx({"政策清单": (EXPORT_HEADER, rows)})
    disposition = 'attachment; filename="policies.xlsx"'
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


@router.post("/import", summary="批量导入政策（全部成功才生效）")
async def import_policies_file(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
    file: TableUpload,
) -> ImportReportPublic:
    """Import policies, all or nothing, keyed by 文号 (else title and place)."""
    return await edits.import_upload(
        request, db, file, user, atlas=atlas, parse=parse_policies, store=import_policies
    )


def _validated(data: PolicyInput, atlas: AtlasDep) -> PolicyInput:
    problems = validate_policy(data, atlas)
    if problems:
        raise edits.invalid_body(problems)
    try:
        data.resolved_conditions()
    except ValueError as exc:
        raise ApiError(
            422, "适用条件有误", fields=[{"field": "body", "message": str(exc)}]
        ) from exc
    return data


@router.post("", status_code=201, summary="新增一项政策（归属本机构）")
def create_policy(
    body: PolicyCreate, db: SessionDep, atlas: AtlasDep, user: Annotated[User, requires(EDITOR)]
) -> PolicyPublic:
    """Add a policy, owned by the caller's organization (admins may name another)."""
    org_id = owning_organization_id(db, user, body.organization_id, what="政策")
    data = _validated(PolicyInput(**body.model_dump(exclude={"organization_id"})), atlas)
    row = Policy(**data.as_dict(), provenance="manual", organization_id=org_id)
    return policy_public(edits.save_new(db, row, user=user, entity="policy"), atlas)


@router.get("/{policy_id}", summary="读取一项政策详情")
def read_policy(policy_id: PolicyId, db: SessionDep, atlas: AtlasDep) -> PolicyPublic:
    """One policy."""
    row = edits.record_or_404(db, Policy, policy_id, not_found="政策不存在")
    return policy_public(row, atlas)


_REQUIRED = ("title", "place_adcode", "type")
_TEXTS = ("department", "benefits", "summary", "full_text", "link", "source")


def _changed(data: PolicyInput, changes: dict[str, Any]) -> PolicyInput:
    """``data`` with the sent fields; a cleared list or text becomes empty."""
    for name, value in changes.items():
        if value is None and name in _REQUIRED:
            raise ApiError(422, "标题、发文地区和政策类型不能为空")
        if value is None and name.startswith("target_"):
            value = []
        if value is None and name in _TEXTS:
            value = ""
        setattr(data, name, value)
    return data


@router.patch("/{policy_id}", summary="修改本机构的一项政策")
def update_policy(
    policy_id: PolicyId, body: PolicyUpdate, db: SessionDep, atlas: AtlasDep, user: PolicyOwner
) -> PolicyPublic:
    """Change a policy of the caller's organization; a stale ``version`` answers 409."""
    row, changes = edits.updatable_record(db, Policy, policy_id, user, body, not_found="政策不存在")
    data = _validated(_changed(to_input(row), changes), atlas)
    edits.save_changes(db, row, data.as_dict(), user=user, entity="policy")
    return policy_public(row, atlas)


@router.delete("/{policy_id}", status_code=204, summary="删除本机构的一项政策")
def delete_policy(policy_id: PolicyId, db: SessionDep, user: PolicyOwner) -> None:
    """Delete a policy of the caller's organization."""
    edits.delete_owned(db, Policy, policy_id, user, entity="policy", not_found="政策不存在")
