"""The permission matrix: every write endpoint of the app, including those added later,
declares a policy and is exercised as anonymous, editor of the owning organization, editor of
another organization, analyst and admin.

A module that adds an ``owner(resource)`` endpoint registers, in ``OWNED_RECORDS`` below, how to
create a record of that resource owned by a given organization, with a valid request body.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from jingjinji.auth import Policy
from jingjinji.settings import Settings
from jingjinji.store.models import Organization
from jingjinji.web.app import create_app
from jingjinji.web.security import CSRF_COOKIE, policy_of
from tests.conftest import UserFactory, browser_of, login

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
ACTORS = ("anonymous", "editor_own", "editor_other", "analyst", "admin")

#: resource → builder(session, owning organization) → (path parameters, valid JSON or form body)
OwnedBuilder = Callable[[Session, Organization], tuple[dict[str, Any], dict[str, Any]]]
OWNED_RECORDS: dict[str, OwnedBuilder] = {}


def build_project(session: Session, org: Organization) -> tuple[dict[str, Any], dict[str, Any]]:
    """A project owned by ``org``; the body changes its investment."""
    from jingjinji.store.models import Project

    row = Project(
        name=f"权限测试项目{uuid.uuid4().hex[:6]}",
        origin_adcode="110000",
        destination_adcode="130600",
        investment=1.0,
        stage="签约",
        segments=[],
        enterprises=[],
        organization_id=org.id,
    )
    session.add(row)
    session.flush()
    return {"project_id": row.id}, {"investment": 2.5}


def build_policy(session: Session, org: Organization) -> tuple[dict[str, Any], dict[str, Any]]:
    """A policy owned by ``org``; the body changes its summary."""
    from jingjinji.store.models import Policy as PolicyRow

    row = PolicyRow(
        title=f"权限测试政策{uuid.uuid4().hex[:6]}",
        place_adcode="130600",
        type="资金",
        organization_id=org.id,
    )
    session.add(row)
    session.flush()
    return {"policy_id": row.id}, {"summary": "修改后的摘要"}


def build_listing(session: Session, org: Organization) -> tuple[dict[str, Any], dict[str, Any]]:
    """A draft listing owned by ``org``; the body changes its summary."""
    from jingjinji.store.models import Listing

    row = Listing(
        kind="demand",
        title="权限测试需求",
        summary="",
        organization_id=org.id,
        place_adcode="130600",
        status="draft",
    )
    session.add(row)
    session.flush()
    return {"listing_id": row.id}, {"summary": "修改后的描述"}


def build_match(session: Session, org: Organization) -> tuple[dict[str, Any], dict[str, Any]]:
    """A 推荐 match whose demand is owned by ``org``; the body moves it to 意向."""
    from jingjinji import auth
    from jingjinji.store.models import Listing, Match

    other = auth.create_organization(
        session,
        name=f"权限测试高校{uuid.uuid4().hex[:6]}",
        kind="university",
        place_adcode="110108",
    )
    demand = Listing(
        kind="demand",
        title="权限测试需求",
        organization_id=org.id,
        place_adcode="130600",
        status="published",
    )
    offer = Listing(
        kind="achievement",
        title="权限测试成果",
        organization_id=other.id,
        place_adcode="110108",
        status="published",
    )
    session.add_all([demand, offer])
    session.flush()
    match = Match(demand_id=demand.id, achievement_id=offer.id, score=0.5, reasons=[])
    session.add(match)
    session.flush()
    return {"match_id": match.id}, {"to": "意向"}


def build_deal(session: Session, org: Organization) -> tuple[dict[str, Any], dict[str, Any]]:
    """A match at 落地 whose demand is owned by ``org``; the body turns it into a project."""
    from jingjinji.store.models import Match

    params, _body = build_match(session, org)
    match = session.get(Match, params["match_id"])
    assert match is not None
    match.stage = "落地"
    session.flush()
    return params, {"investment": 1.0}


def _signed_trial(session: Session, org: Organization) -> tuple[dict[str, Any], int]:
    """A signed 先使用后付费 deal whose demand is owned by ``org``, with one milestone."""
    from jingjinji.store.models import DealMilestone, Match

    params, _body = build_match(session, org)
    match = session.get(Match, params["match_id"])
    assert match is not None
    match.stage = "签约"
    match.contract = {
        "type": "先使用后付费",
        "amount": 50.0,
        "signed_on": "2026-11-01",
        "registration_no": "",
        "trial_months": 6,
        "trial_outcome": "试用中",
        "converted_on": None,
    }
    milestone = DealMilestone(
        match_id=match.id, kind="付款", title="首付款", organization_id=org.id
    )
    session.add(milestone)
    session.flush()
    return params, milestone.id


def build_deal_trial(session: Session, org: Organization) -> tuple[dict[str, Any], dict[str, Any]]:
    """A signed trial deal of ``org``; the body records its conversion."""
    params, _milestone = _signed_trial(session, org)
    return params, {"outcome": "已转化", "converted_on": "2027-05-01"}


def build_deal_plan(session: Session, org: Organization) -> tuple[dict[str, Any], dict[str, Any]]:
    """A signed deal of ``org``; the body plans a payment."""
    params, _milestone = _signed_trial(session, org)
    return params, {"kind": "付款", "title": "尾款", "planned_amount": 20}


def build_deal_milestone(
    session: Session, org: Organization
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A milestone of a signed deal of ``org``; the body records it as done."""
    params, milestone = _signed_trial(session, org)
    return {**params, "milestone_id": milestone}, {"actual_on": "2027-01-02", "actual_amount": 10}


def build_challenge(session: Session, org: Organization) -> tuple[dict[str, Any], dict[str, Any]]:
    """A published challenge call owned by ``org`` with one milestone; the body moves it to 揭榜
    (and, for the milestone route, names a milestone)."""
    from jingjinji.store.models import ChallengeApplication, Listing, Milestone

    row = Listing(
        kind="challenge",
        title="权限测试榜单",
        summary="攻关",
        organization_id=org.id,
        place_adcode="130600",
        status="published",
        challenge_stage="发榜",
    )
    session.add(row)
    session.flush()
    application = ChallengeApplication(challenge_id=row.id, organization_id=org.id, plan="x")
    session.add(application)
    session.flush()
    milestone = Milestone(application_id=application.id, title="权限测试里程碑")
    session.add(milestone)
    session.flush()
    params = {"listing_id": row.id, "milestone_id": milestone.id}
    return params, {"to": "揭榜", "title": "权限测试里程碑"}


OWNED_RECORDS["challenge"] = build_challenge
OWNED_RECORDS["deal"] = build_deal
OWNED_RECORDS["deal_trial"] = build_deal_trial
OWNED_RECORDS["deal_plan"] = build_deal_plan
OWNED_RECORDS["deal_milestone"] = build_deal_milestone
OWNED_RECORDS["project"] = build_project
OWNED_RECORDS["policy"] = build_policy
OWNED_RECORDS["listing"] = build_listing
OWNED_RECORDS["match"] = build_match


def _policies(dependant: Dependant) -> Iterator[Policy]:
    for sub in dependant.dependencies:
        policy = policy_of(sub.call)
        if policy is not None:
            yield policy
        yield from _policies(sub)


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, also inside included routers (our routers carry their own prefix)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (included := getattr(route, "original_router", None)) is not None:
            yield from api_routes(included.routes)


def write_routes(app: FastAPI) -> list[tuple[APIRoute, str]]:
    return sorted(
        (
            (route, method)
            for route in api_routes(app.routes)
            for method in sorted(route.methods & WRITE_METHODS)
        ),
        key=lambda pair: (pair[0].path, pair[1]),
    )


def declared_policy(route: APIRoute) -> Policy | None:
    found = list(_policies(route.dependant))
    return found[0] if found else None


_APP = create_app(Settings(database_url="sqlite:///:memory:"))
ROUTES = write_routes(_APP)


def test_app_has_write_endpoints() -> None:
    assert len(ROUTES) >= 8


def test_every_write_endpoint_declares_a_policy() -> None:
    missing = [
        f"{method} {route.path}" for route, method in ROUTES if declared_policy(route) is None
    ]
    assert not missing, f"write endpoints without a permission policy: {missing}"


def test_every_owner_policy_has_a_record_builder() -> None:
    resources = {p.resource for r, _m in ROUTES if (p := declared_policy(r)) and p.resource}
    missing = resources - OWNED_RECORDS.keys()
    assert not missing, f"owner policies without a builder in OWNED_RECORDS: {missing}"


@dataclass
class Expectation:
    allowed: bool
    status_if_denied: int | None = None


def expected(policy: Policy, actor: str) -> Expectation:
    if policy.roles is None:
        return Expectation(True)
    if actor == "anonymous":
        return Expectation(False, 401)
    role = {"editor_own": "editor", "editor_other": "editor"}.get(actor, actor)
    if role not in policy.roles:
        return Expectation(False, 403)
    if policy.resource and actor == "editor_other":
        return Expectation(False, 403)
    return Expectation(True)


def _fill_path(path: str, params: dict[str, Any]) -> str:
    route_path = path
    while "{" in route_path:
        start = route_path.index("{")
        end = route_path.index("}", start)
        name = route_path[start + 1 : end].split(":")[0]
        route_path = route_path[:start] + str(params.get(name, 1)) + route_path[end + 1 :]
    return route_path


@pytest.mark.db
@pytest.mark.parametrize(("route", "method"), ROUTES, ids=[f"{m} {r.path}" for r, m in ROUTES])
def test_permission_matrix(
    route: APIRoute,
    method: str,
    settings: Settings,
    make_user: UserFactory,
    db: Session,
    client: TestClient,
) -> None:
    policy = declared_policy(route)
    assert policy is not None
    owner_org = make_user("editor").organization
    users = {
        "editor_own": make_user("editor", org=owner_org),
        "editor_other": make_user("editor"),
        "analyst": make_user("analyst"),
        "admin": make_user("admin"),
    }
    outcomes: dict[str, int] = {}
    for actor in ACTORS:
        params: dict[str, Any] = {}
        body: dict[str, Any] = {}
        if policy.resource:  # a fresh record for each caller: an earlier DELETE may have won
            params, body = OWNED_RECORDS[policy.resource](db, owner_org)
            db.commit()
        with browser_of(client) as actor_client:
            actor_client.get("/login")  # a browser loads a page first: gets the CSRF cookie
            csrf = actor_client.cookies.get(CSRF_COOKIE, "")
            if actor != "anonymous":
                csrf = login(actor_client, users[actor])
            response = actor_client.request(
                method,
                _fill_path(route.path, params),
                json=body,
                headers={"X-CSRF-Token": csrf},
            )
        outcomes[actor] = response.status_code
        want = expected(policy, actor)
        if want.allowed:
            assert response.status_code not in (401, 403), (actor, response.text)
        else:
            assert response.status_code == want.status_if_denied, (actor, response.text)
    assert outcomes["anonymous"] in ((401,) if policy.roles is not None else tuple(range(200, 600)))
