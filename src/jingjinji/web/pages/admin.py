"""系统管理 pages for admins: 用户, 机构 and the 审计日志 in Chinese with filters and paging.

The pages read; every change goes through the JSON API (``/api/users``, ``/api/organizations``)
from ``static/js/admin.js``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji import auth
from jingjinji.atlas import Atlas
from jingjinji.auth import ADMIN
from jingjinji.auth.accounts import all_organizations, all_users
from jingjinji.auth.audit_log import audit_kinds
from jingjinji.auth.credentials import failed_sign_ins
from jingjinji.auth.passwords import MIN_PASSWORD_LENGTH
from jingjinji.store.base import utcnow
from jingjinji.store.models import Organization
from jingjinji.store.models.accounts import ORG_KINDS, ROLES
from jingjinji.web.deps import AtlasDep, SessionDep, SettingsDep
from jingjinji.web.presenters.audit import (
    ACTION_LABELS,
    ENTITY_LABELS,
    audit_view,
    day_bounds,
    local_time,
)
from jingjinji.web.security import requires
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[requires(ADMIN)])

__all__ = ["router"]

#: Audit entries per page.
PAGE_SIZE = 50
_DAY = r"^(|\d{4}-\d{2}-\d{2})$"
_ID = r"^(|\d{1,9})$"


def _places(atlas: Atlas) -> list[tuple[str, str]]:
    """Every place of the region as (adcode, label); a county-level unit is named with its
    city (``保定市 · 莲池区``) so that equal district names stay apart."""
    names = {p.adcode: p.name for p in atlas.places}
    return [
        (p.adcode, f"{names[p.parent]} · {p.name}" if p.parent in names else p.name)
        for p in atlas.places
    ]


def _org_names(db: Session) -> dict[int, str]:
    return {org_id: name for org_id, name in db.execute(select(Organization.id, Organization.name))}


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, db: SessionDep, settings: SettingsDep) -> Response:
    """用户管理: every user with role, state, last sign-in and lock-out, and the create form."""
    window = timedelta(minutes=settings.login_window_minutes)
    failures = failed_sign_ins(db, since=utcnow() - window)
    users = all_users(db)
    context = {
        "title": "用户管理",
        "section": "users",
        "users": users,
        "organizations": all_organizations(db),
        "failures": failures,
        "max_failures": settings.login_max_failures,
        "roles": ROLES,
        "min_password": MIN_PASSWORD_LENGTH,
        "local_time": local_time,
    }
    return render(request, "admin/users.html", context)


@router.get("/admin/organizations", response_class=HTMLResponse)
def organizations_page(request: Request, db: SessionDep, atlas: AtlasDep) -> Response:
    """机构管理: every organization with its kind, place and number of users."""
    counts: dict[int, int] = {}
    for user in all_users(db):
        counts[user.organization_id] = counts.get(user.organization_id, 0) + 1
    places = _places(atlas)
    context = {
        "title": "机构管理",
        "section": "organizations",
        "organizations": all_organizations(db),
        "user_counts": counts,
        "kinds": ORG_KINDS,
        "places": places,
        "place_names": dict(places),
    }
    return render(request, "admin/organizations.html", context)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("/admin/audit", response_class=HTMLResponse)
def audit_page(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    who: Annotated[str, Query(pattern=_ID)] = "",
    action: Annotated[str, Query(max_length=32)] = "",
    entity: Annotated[str, Query(max_length=64)] = "",
    record: Annotated[str, Query(max_length=64)] = "",
    since: Annotated[str, Query(pattern=_DAY)] = "",
    until: Annotated[str, Query(pattern=_DAY)] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """审计日志: who changed what and when, in Chinese, with filters and paging (admins)."""
    start, end = day_bounds(_day(since), _day(until))
    query = auth.AuditQuery(
        user_id=int(who) if who else None,
        action=action or None,
        entity=entity or None,
        entity_id=record.strip().lstrip("#") or None,
        since=start,
        until=end,
    )
    rows, count = auth.audit_entries(db, query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    users = all_users(db)
    names: dict[str, dict[Any, str]] = {
        "user": {u.id: u.display_name or u.username for u in users},
        "organization": _org_names(db),
        "place": dict(_places(atlas)),
        "segment": {seg.slug: seg.name for ind in atlas.industries for seg in ind.segments},
        "industry": {ind.slug: ind.name for ind in atlas.industries},
    }
    actions, entities = audit_kinds(db)
    filters = {"who": who, "action": action, "entity": entity, "record": record}
    context = {
        "title": "审计日志",
        "section": "audit",
        "entries": [audit_view(row, names) for row in rows],
        "count": count,
        "page": page,
        "pages": max(1, -(-count // PAGE_SIZE)),
        "filters": {**filters, "since": since, "until": until},
        "bad_dates": bool((since and not _day(since)) or (until and not _day(until))),
        "users": users,
        "actions": [(a, ACTION_LABELS.get(a, a)) for a in actions],
        "entities": [(e, ENTITY_LABELS.get(e, e)) for e in entities],
    }
    return render(request, "admin/audit.html", context)
