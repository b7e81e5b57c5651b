"""The policy list API: list, search, eligibility, comparison, export, import, edits."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Path, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import EDITOR, audit_row, owner, record_change, snapshot
from jingjinji.policies import (
    MAX_QUERY_LENGTH,
    EnterpriseProfile,
    PolicyIndex,
    PolicyInput,
    compare,
    describe,
    match_policies,
    parse_policies,
    tokenize,
    validate_policy,
)
from jingjinji.policies.eligibility import ConditionCheck
from jingjinji.policies.repository import (
    PolicyFilter,
    apply_input,
    filter_policies,
    import_policies,
    to_input,
    to_record,
)
from jingjinji.policies.search import parse_query
from jingjinji.policies.table import EXPORT_HEADER, export_row
from jingjinji.projects import place_label
from jingjinji.store import models
from jingjinji.store.models import Policy, User
from jingjinji.store.tabular import TableError, read_table, write_xlsx
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.imports import ImportFailed, import_error
from jingjinji.web.ownership import editable_record, owning_organization_id
from jingjinji.web.schemas.policies import (
    CheckPublic,
    CompareColumnPublic,
    ComparePublic,
    ConditionPublic,
    EligibilityPublic,
    EligibleListPublic,
    PoliciesPublic,
    PolicyCreate,
    PolicyPublic,
    PolicyUpdate,
    ProfilePublic,
    SearchHitPublic,
    SearchPublic,
)
from jingjinji.web.schemas.projects import ImportReportPublic
from jingjinji.web.security import requires
from jingjinji.web.uploads import read_upload, table_error

router = APIRouter(prefix="/api/policies", tags=["policies"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AdcodeQ = Annotated[str | None, Query(pattern=r"^\d{6}$", description="行政区划代码")]
SlugQ = Annotated[str | None, Query(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
TypeQ = Annotated[
    Literal["资金", "税收", "人才", "用地", "平台", "金融", "其他"] | None, Query(alias="type")
]
PolicyId = Annotated[int, Path(ge=1, le=2**31 - 1)]
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def today() -> date:
    """The date policies are judged expired against."""
    return date.today()


def policy_filter(
    place: AdcodeQ = None,
    type_: TypeQ = None,
    industry: SlugQ = None,
    expired: Annotated[bool | None, Query(description="true：仅已失效；false：仅有效")] = None,
) -> PolicyFilter:
    """Filters shared by the list, search and export."""
    return PolicyFilter(place=place, type=type_, industry=industry, expired=expired)


FilterDep = Annotated[PolicyFilter, Depends(policy_filter)]


def policy_public(row: Policy, atlas: Atlas, *, on: date | None = None) -> PolicyPublic:
    """The public form of a stored policy with its described conditions."""
    record = to_record(row)
    return PolicyPublic(
        id=row.id,
        title=row.title,
        place_adcode=row.place_adcode,
        place_name=place_label(row.place_adcode, atlas),
        department=row.department,
        number=row.number,
        issued_on=row.issued_on,
        effective_on=row.effective_on,
        expires_on=row.expires_on,
        expired=record.expired(on or today()),
        type=row.type,
        target_places=list(row.target_places or []),
        target_industries=list(row.target_industries or []),
        target_segments=list(row.target_segments or []),
        target_tags=list(row.target_tags or []),
        target_sizes=list(row.target_sizes or []),
        revenue_min=row.revenue_min,
        revenue_max=row.revenue_max,
        founded_after=row.founded_after,
        benefits=row.benefits,
        summary=row.summary,
        full_text=row.full_text,
        link=row.link,
        conditions=[
            ConditionPublic(kind=c.kind, text=describe(c, atlas), data=c.model_dump(mode="json"))
            for c in record.conditions
        ],
        source=row.source,
        provenance=row.provenance,
        is_sample=row.provenance == "demo",
        organization_id=row.organization_id,
        version=row.version,
    )


def all_policies(db: Session) -> list[Policy]:
    """Every stored policy."""
    return list(db.scalars(select(Policy).order_by(Policy.id)))


def search_index(rows: list[Policy], atlas: Atlas) -> PolicyIndex:
    """A BM25 index over the rows: title; department, number, place, summary, benefits,
    full text, targets and type as the body."""

    def body(row: Policy) -> str:
        industries = [_name(atlas, "industry", s) for s in row.target_industries or []]
        segments = [_name(atlas, "segment", s) for s in row.target_segments or []]
        parts = [
            row.department,
            row.number or "",
            place_label(row.place_adcode, atlas),
            row.type,
            row.summary,
            row.benefits,
            row.full_text,
            *industries,
            *segments,
            *(row.target_tags or []),
        ]
        return "\n".join(p for p in parts if p)

    return PolicyIndex(((row.id, row.title, body(row)) for row in rows), atlas=atlas)


def _name(atlas: Atlas, kind: str, slug: str) -> str:
    try:
        return str(getattr(atlas, kind)(slug).name)
    except AtlasLookupError:
        return slug


@router.get("")
def list_policies(
    db: SessionDep,
    atlas: AtlasDep,
    filt: FilterDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> PoliciesPublic:
    """Policies passing the filters, newest first; ``expired`` flags lapsed ones."""
    rows = filter_policies(all_policies(db), filt, atlas=atlas, today=today())
    start = (page - 1) * per_page
    data = [policy_public(r, atlas) for r in rows[start : start + per_page]]
    return PoliciesPublic(data=data, count=len(rows))


def run_search(
    db: Session, q: str, filt: PolicyFilter, atlas: Atlas, *, limit: int
) -> SearchPublic:
    """Search the filtered policies (see :mod:`jingjinji.policies.search`)."""
    rows = filter_policies(all_policies(db), filt, atlas=atlas, today=today())
    index = search_index(rows, atlas)
    hits = index.search(q)
    by_id = {row.id: row for row in rows}
    phrases, rest = parse_query(q)
    terms = list(dict.fromkeys(tokenize(rest, words=index.words) + phrases))
    data = [
        SearchHitPublic(
            score=h.score, terms=list(h.terms), policy=policy_public(by_id[h.key], atlas)
        )
        for h in hits[:limit]
    ]
    return SearchPublic(query=q, terms=terms, data=data, count=len(hits))


@router.get("/search")
def search_policies(
    db: SessionDep,
    atlas: AtlasDep,
    filt: FilterDep,
    q: Annotated[str, Query(min_length=1, max_length=5000, description="检索词，不超过 200 字")],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SearchPublic:
    """Full-text search in Chinese (jieba + BM25), best first; "quoted phrases" must occur
    verbatim. Quotes, %, _ and backslashes are ordinary characters; a query of more than
    200 characters answers 422."""
    if len(q) > MAX_QUERY_LENGTH:
        raise ApiError(
            422,
            f"检索词过长：请不超过 {MAX_QUERY_LENGTH} 个字符",
            code="query_too_long",
            fields=[{"field": "query.q", "message": f"at most {MAX_QUERY_LENGTH}"}],
        )
    return run_search(db, q, filt, atlas, limit=limit)


def enterprise_profile(db: Session, enterprise_id: int, atlas: Atlas) -> EnterpriseProfile:
    """The profile of a registry enterprise: place, confirmed segments and their industries,
    tags, size and revenue (the registry has no founding date)."""
    enterprise_model = getattr(models, "Enterprise", None)
    if enterprise_model is None:  # pragma: no cover - the registry ships with the platform
        raise ApiError(422, "企业库尚未建立，请改用企业画像参数（place、segment、tag 等）查询")
    enterprise = db.get(enterprise_model, enterprise_id)
    if enterprise is None:
        raise ApiError(404, "企业不存在")
    segments = [s for s in enterprise.segments if s.decision == "confirmed"]
    return EnterpriseProfile(
        place=enterprise.place_adcode,
        industries=tuple(sorted({s.industry for s in segments})),
        segments=tuple(s.segment for s in segments),
        tags=tuple(enterprise.tag_list),
        size=enterprise.size,
        revenue=enterprise.revenue,
        name=enterprise.name,
    )


def _checks(items: list[ConditionCheck]) -> list[CheckPublic]:
    return [CheckPublic(kind=c.kind, text=c.text, status=c.status, reason=c.reason) for c in items]


def run_eligibility(
    db: Session, profile: EnterpriseProfile, atlas: Atlas, *, only_eligible: bool, limit: int
) -> EligibleListPublic:
    """Every current policy checked against the profile, ranked."""
    rows = all_policies(db)
    by_id = {row.id: row for row in rows}
    results = match_policies(
        (to_record(r) for r in rows),
        profile,
        atlas=atlas,
        today=today(),
        only_eligible=only_eligible,
    )
    data = [
        EligibilityPublic(
            eligible=r.eligible,
            met=_checks(r.met),
            unmet=_checks(r.unmet),
            unknown=_checks(r.unknown),
            policy=policy_public(by_id[r.policy.id or 0], atlas),
        )
        for r in results[:limit]
    ]
    return EligibleListPublic(
        profile=ProfilePublic(
            place=profile.place,
            industries=list(profile.industries),
            segments=list(profile.segments),
            tags=list(profile.tags),
            size=profile.size,
            revenue=profile.revenue,
            founded=profile.founded,
            name=profile.name,
        ),
        data=data,
        count=len(results),
        eligible_count=sum(1 for r in results if r.eligible),
    )


@router.get("/eligible")
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
        profile = enterprise_profile(db, enterprise, atlas)
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
    return run_eligibility(db, profile, atlas, only_eligible=only_eligible, limit=limit)


def run_compare(
    db: Session, industry: str, atlas: Atlas, *, include_expired: bool
) -> ComparePublic:
    """The comparison view's data."""
    try:
        name = atlas.industry(industry).name
    except AtlasLookupError:
        raise ApiError(404, "产业链不存在") from None
    rows = all_policies(db)
    by_id = {row.id: row for row in rows}
    columns = compare(
        (to_record(r) for r in rows),
        industry=industry,
        atlas=atlas,
        today=today(),
        include_expired=include_expired,
    )
    return ComparePublic(
        industry=industry,
        industry_name=name,
        columns=[
            CompareColumnPublic(
                place=c.place,
                place_name=place_label(c.place, atlas),
                targeted=[policy_public(by_id[p.id or 0], atlas) for p in c.targeted],
                general=[policy_public(by_id[p.id or 0], atlas) for p in c.general],
            )
            for c in columns
        ],
    )


@router.get("/compare")
def compare_policies(
    db: SessionDep,
    atlas: AtlasDep,
    industry: Annotated[str, Query(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)],
    include_expired: bool = False,
) -> ComparePublic:
    """北京, 天津 and 河北 side by side: policies aimed at the industry and general ones."""
    return run_compare(db, industry, atlas, include_expired=include_expired)


@router.get("/export", response_class=Response, responses={200: {"content": {XLSX: {}}}})
def export_policies(db: SessionDep, atlas: AtlasDep, filt: FilterDep) -> Response:
    """The filtered policies as an XLSX table that imports back unchanged."""
    now = today()
    rows = [
        export_row(
            to_input(r),
            id=r.id,
            expired=to_record(r).expired(now),
            provenance=r.provenance,
            atlas=atlas,
        )
        for r in filter_policies(all_policies(db), filt, atlas=atlas, today=now)
    ]
    content = write_xlsx({"政策清单": (EXPORT_HEADER, rows)})
    disposition = 'attachment; filename="policies.xlsx"'
    return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})


def read_policies(
    data: bytes, filename: str, atlas: Atlas
) -> tuple[list[tuple[int, PolicyInput]], str]:
    """Parse an uploaded policy table; raises :class:`ImportFailed` with every problem."""
    sheet = read_table(data, filename, max_rows=20_000)[0]
    rows = ((sheet.name, number, cells) for number, cells in sheet.rows)
    parsed, problems = parse_policies(rows, atlas=atlas, header=sheet.header)
    if problems:
        raise ImportFailed([p.as_dict() for p in problems])
    return parsed, sheet.name


@router.post("/import")
async def import_policies_file(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
    file: Annotated[UploadFile, File(description="XLSX 或 CSV")],
) -> ImportReportPublic:
    """Import policies, all or nothing, keyed by 文号 (else title and place)."""
    data = await read_upload(file, request)
    try:
        parsed, sheet = read_policies(data, file.filename or "upload.xlsx", atlas)
    except TableError as exc:
        raise table_error(exc) from exc
    except ImportFailed as exc:
        raise import_error(exc.problems) from exc
    report = import_policies(db, parsed, organization=user.organization, actor=user, sheet=sheet)
    if report.problems:
        db.rollback()
        raise import_error(report.problems)
    db.commit()
    return ImportReportPublic(
        created=report.created, updated=report.updated, unchanged=report.unchanged
    )


def _validated(data: PolicyInput, atlas: AtlasDep) -> PolicyInput:
    problems = validate_policy(data, atlas)
    if problems:
        fields = [{"field": f"body.{name}", "message": zh} for name, _en, zh in problems]
        raise ApiError(422, "；".join(zh for _n, _e, zh in problems), fields=fields)
    try:
        data.resolved_conditions()
    except ValueError as exc:
        raise ApiError(
            422, "适用条件有误", fields=[{"field": "body", "message": str(exc)}]
        ) from exc
    return data


@router.post("", status_code=201)
def create_policy(
    body: PolicyCreate, db: SessionDep, atlas: AtlasDep, user: Annotated[User, requires(EDITOR)]
) -> PolicyPublic:
    """Add a policy, owned by the caller's organization (admins may name another)."""
    org_id = owning_organization_id(db, user, body.organization_id, what="政策")
    data = _validated(PolicyInput(**body.model_dump(exclude={"organization_id"})), atlas)
    row = Policy(**data.as_dict(), provenance="manual", organization_id=org_id)
    db.add(row)
    audit_row(db, row, actor=user, action="create", entity="policy")
    db.commit()
    return policy_public(row, atlas)


@router.get("/{policy_id}")
def read_policy(policy_id: PolicyId, db: SessionDep, atlas: AtlasDep) -> PolicyPublic:
    """One policy."""
    row = db.get(Policy, policy_id)
    if row is None:
        raise ApiError(404, "政策不存在")
    return policy_public(row, atlas)


@router.patch("/{policy_id}")
def update_policy(
    policy_id: PolicyId,
    body: PolicyUpdate,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(owner("policy"))],
) -> PolicyPublic:
    """Change a policy of the caller's organization; a stale ``version`` answers 409."""
    row = editable_record(db, Policy, policy_id, user, not_found="政策不存在")
    if body.version is not None and body.version != row.version:
        raise ApiError(409)
    data = to_input(row)
    for name, value in body.model_dump(exclude_unset=True, exclude={"version"}).items():
        if value is None and name in ("title", "place_adcode", "type"):
            raise ApiError(422, "标题、发文地区和政策类型不能为空")
        if value is None and name.startswith("target_"):
            value = []
        if value is None and name in (
            "department",
            "benefits",
            "summary",
            "full_text",
            "link",
            "source",
        ):
            value = ""
        setattr(data, name, value)
    _validated(data, atlas)
    before = snapshot(row)
    if apply_input(row, data):
        audit_row(db, row, actor=user, action="update", entity="policy", before=before)
        db.commit()
    return policy_public(row, atlas)


@router.delete("/{policy_id}", status_code=204)
def delete_policy(
    policy_id: PolicyId, db: SessionDep, user: Annotated[User, requires(owner("policy"))]
) -> None:
    """Delete a policy of the caller's organization."""
    row = editable_record(db, Policy, policy_id, user, not_found="政策不存在")
    before = snapshot(row)
    db.delete(row)
    record_change(
        db, actor=user, action="delete", entity="policy", entity_id=policy_id, before=before
    )
    db.commit()
