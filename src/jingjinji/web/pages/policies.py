"""政策清单: search, filters, one policy, the eligibility check, the comparison of the places."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.policies import MAX_QUERY_LENGTH, POLICY_TYPES, SIZES, EnterpriseProfile
from jingjinji.policies.queries import (
    PolicyNotFound,
    compare_places,
    eligible_policies,
    enterprise_profile,
    filtered_policies,
    search_policies,
)
from jingjinji.policies.repository import PolicyFilter
from jingjinji.store.models import Policy
from jingjinji.web.deps import AtlasDep, SessionDep
from jingjinji.web.edits import record_or_404
from jingjinji.web.errors import ApiError
from jingjinji.web.pages.projects import place_options
from jingjinji.web.policy_index import PolicyIndexDep
from jingjinji.web.presenters.policies import (
    comparison_public,
    eligibility_public,
    policy_public,
    search_public,
    target_names,
)
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

_ADCODE = re.compile(r"^\d{6}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TABS = (
    ("list", "检索", "/policies"),
    ("eligibility", "适用性自查", "/policies/eligibility"),
    ("compare", "三地对比", "/policies/compare"),
)


def _param(request: Request, name: str, pattern: re.Pattern[str] | None = None) -> str | None:
    value = request.query_params.get(name, "").strip()
    if not value or len(value) > 200:
        return None
    return value if pattern is None or pattern.match(value) else None


def _filter(request: Request) -> PolicyFilter:
    kind = _param(request, "type")
    status = _param(request, "status")
    return PolicyFilter(
        place=_param(request, "place", _ADCODE),
        type=kind if kind in POLICY_TYPES else None,
        industry=_param(request, "industry", _SLUG),
        expired={"current": False, "expired": True}.get(status or ""),
    )


def _common(atlas: Any, tab: str) -> dict[str, Any]:
    return {
        "tabs": TABS,
        "tab": tab,
        "places": place_options(atlas),
        "industries": atlas.industries,
        "types": POLICY_TYPES,
        "sizes": SIZES,
    }


@router.get("/policies", response_class=HTMLResponse)
def policies_page(
    request: Request, db: SessionDep, atlas: AtlasDep, index: PolicyIndexDep
) -> Response:
    """Search and filter the shared policy list (search runs on the app's kept index)."""
    filt = _filter(request)
    raw_q = request.query_params.get("q", "").strip()
    error = None
    hits: list[dict[str, Any]] = []
    terms: list[str] = []
    if raw_q and len(raw_q) > MAX_QUERY_LENGTH:
        error = f"检索词过长：请不超过 {MAX_QUERY_LENGTH} 个字符"
    elif raw_q:
        found = search_policies(db, raw_q, filt, atlas, limit=100, index=index)
        result = search_public(raw_q, found, atlas)
        terms = result.terms
        hits = [{"policy": h.policy, "terms": h.terms, "score": h.score} for h in result.data]
    else:
        rows = filtered_policies(db, filt, atlas)
        hits = [{"policy": policy_public(r, atlas), "terms": [], "score": None} for r in rows]
    export_filter = {
        "place": filt.place,
        "type": filt.type,
        "industry": filt.industry,
        "expired": None if filt.expired is None else str(filt.expired).lower(),
    }
    query = urlencode({k: v for k, v in export_filter.items() if v})
    context = {
        "title": "政策清单",
        "q": raw_q[: MAX_QUERY_LENGTH * 5],
        "error": error,
        "hits": hits,
        "terms": terms,
        "filt": filt,
        "status": _param(request, "status") or "",
        "export_url": "/api/policies/export" + (f"?{query}" if query else ""),
        **_common(atlas, "list"),
    }
    return render(request, "policies/index.html", context, active="policies")


def _profile(request: Request, db: SessionDep) -> EnterpriseProfile | None:
    enterprise = _param(request, "enterprise", re.compile(r"^\d{1,9}$"))
    if enterprise:
        try:
            return enterprise_profile(db, int(enterprise))
        except PolicyNotFound:
            return None
    tags = re.split(r"[、,，;；\s]+", request.query_params.get("tags", "")[:500])
    revenue = _param(request, "revenue", re.compile(r"^\d{1,12}(\.\d{1,4})?$"))
    founded = _param(request, "founded", re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    size = _param(request, "size")
    try:
        founded_on = date.fromisoformat(founded) if founded else None
    except ValueError:
        founded_on = None
    industry = _param(request, "industry", _SLUG)
    segment = _param(request, "segment", _SLUG)
    profile = EnterpriseProfile(
        place=_param(request, "place", _ADCODE),
        industries=(industry,) if industry else (),
        segments=(segment,) if segment else (),
        tags=tuple(t for t in tags if t and len(t) <= 50)[:30],
        size=size if size in SIZES else None,
        revenue=float(revenue) if revenue else None,
        founded=founded_on,
    )
    empty = EnterpriseProfile()
    return None if profile == empty else profile


@router.get("/policies/eligibility", response_class=HTMLResponse)
def eligibility_page(request: Request, db: SessionDep, atlas: AtlasDep) -> Response:
    """Which policies apply to an enterprise: described here or from the registry."""
    profile = _profile(request, db)
    result = None
    if profile is not None:
        found = eligible_policies(db, profile, atlas, only_eligible=False, limit=100)
        result = eligibility_public(found, atlas)
    segments = [(s.slug, f"{i.name} · {s.name}") for i in atlas.industries for s in i.segments]
    context = {
        "title": "政策适用性自查",
        "form": {k: v[:200] for k, v in request.query_params.items()},
        "result": result,
        "segments": segments,
        "missing_enterprise": bool(_param(request, "enterprise")) and profile is None,
        **_common(atlas, "eligibility"),
    }
    return render(request, "policies/eligibility.html", context, active="policies")


@router.get("/policies/compare", response_class=HTMLResponse)
def compare_page(request: Request, db: SessionDep, atlas: AtlasDep) -> Response:
    """北京, 天津 and 河北 side by side for one industry."""
    industry = _param(request, "industry", _SLUG) or atlas.industries[0].slug
    try:
        comparison = compare_places(db, industry, atlas, include_expired=False)
    except PolicyNotFound:
        comparison = compare_places(db, atlas.industries[0].slug, atlas, include_expired=False)
    data = comparison_public(comparison, atlas)
    context = {"title": "三地政策对比", "data": data, **_common(atlas, "compare")}
    return render(request, "policies/compare.html", context, active="policies")


@router.get("/policies/{policy_id}", response_class=HTMLResponse)
def policy_page(policy_id: str, request: Request, db: SessionDep, atlas: AtlasDep) -> Response:
    """One policy with its structured conditions."""
    if not policy_id.isdigit() or not 1 <= int(policy_id) <= 2**31 - 1:
        raise ApiError(404, "政策不存在")
    policy = policy_public(record_or_404(db, Policy, int(policy_id), not_found="政策不存在"), atlas)
    names = target_names(policy, atlas)
    context = {"title": policy.title, "policy": policy, "names": names, **_common(atlas, "list")}
    return render(request, "policies/detail.html", context, active="policies")
