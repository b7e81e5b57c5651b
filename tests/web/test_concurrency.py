"""Serving many users at once, against the real server (Uvicorn in a thread, on a file SQLite
database and on PostgreSQL when configured) with real threads released together by a barrier:

- simultaneous duplicate creates answer 409 (or 422), never 500, and leave one row;
- following is idempotent also at once; registering a deal as a project makes one project;
- an unhandled error answers the JSON 500 (or the error page) and keeps the connection open;
- a NUL character in any request string answers 422 naming the field, on every database.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jingjinji import auth
from jingjinji.settings import Settings
from jingjinji.store.models import (
    AuditEntry,
    ChallengeApplication,
    ChallengeEvent,
    Follow,
    Listing,
    Organization,
    PlaceGroup,
    Policy,
    Project,
    User,
)
from jingjinji.store.tabular import write_xlsx
from jingjinji.web.app import create_app
from tests.conftest import PASSWORD, UserFactory, login
from tests.web.test_project_deals import SEGMENT, make_deal

pytestmark = pytest.mark.db

AT_ONCE = 20


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Live:
    """The platform served on a free loopback port; ``factory`` opens sessions on its
    database."""

    base: str
    port: int
    app: FastAPI
    factory: sessionmaker[Session]

    def caller(self, role: str = "editor", org: Organization | None = None) -> dict[str, str]:
        """Headers of a new user (in ``org``, else a new organization) with an API token."""
        with self.factory() as db:
            if org is None:
                org = auth.create_organization(
                    db, name=f"机构{time.monotonic_ns()}", kind="enterprise", place_adcode="130600"
                )
            user = auth.create_user(
                db,
                username=f"{role}_{time.monotonic_ns()}",
                password=PASSWORD,
                role=role,
                organization=org,
            )
            token, _row = auth.create_api_token(db, user=user, name="并发测试")
            db.commit()
        return {"Authorization": f"Bearer {token}"}

    def org(self, name: str, place: str = "130600") -> Organization:
        with self.factory() as db:
            row = auth.create_organization(db, name=name, kind="university", place_adcode=place)
            db.commit()
            return row


@pytest.fixture
def live(settings: Settings) -> Iterator[Live]:
    app = create_app(settings)
    port = _free_port()
    # Keep-alive well past the barrier: under load the last thread can reach it more than
    # Uvicorn's default 5 s after the first connected, which then found its connection closed.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", timeout_keep_alive=120
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", port, app, app.state.session_factory)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


Call = Callable[[httpx.Client, int], httpx.Response]


def at_once(live: Live, call: Call, n: int = AT_ONCE) -> list[httpx.Response]:
    """``call(client, i)`` from ``n`` threads, each with its own connected client, released
    together by a barrier."""
    barrier = threading.Barrier(n)

    def run(i: int) -> httpx.Response:
        with httpx.Client(base_url=live.base, timeout=120) as client:
            client.get("/healthz")  # connected before the race
            barrier.wait()
            return call(client, i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


def count(live: Live, column: Any, *where: Any) -> int:
    with live.factory() as db:
        return int(db.scalar(select(func.count(column)).where(*where)) or 0)


# ---------------------------------------------------------------- duplicates at the same time


def test_simultaneous_follows_are_one_follow(live: Live) -> None:
    headers = live.caller()
    body = {"target_kind": "segment", "target": SEGMENT}
    responses = at_once(live, lambda c, _i: c.post("/api/follows", json=body, headers=headers))
    assert statuses(responses) == {201: AT_ONCE}, [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert {r.json()["label"] for r in responses} == {"膜电极"}
    assert count(live, Follow.id) == 1
    assert count(live, AuditEntry.id, AuditEntry.entity == "follow") == 1


def _challenge(live: Live) -> int:
    owner = live.org("天津氢能研究院（发榜方）", place="120116")
    with live.factory() as db:
        row = Listing(
            kind="challenge",
            title="揭榜挂帅：氢燃料电池膜电极攻关",
            summary="膜电极寿命提升至 2 万小时",
            organization_id=owner.id,
            place_adcode="120116",
            status="published",
            reward=500.0,
            deadline=date.today() + timedelta(days=30),
        )
        db.add(row)
        db.commit()
        return row.id


def test_simultaneous_applications_of_one_organization_accept_one(live: Live) -> None:
    challenge = _challenge(live)
    applicant = live.org("北京测试大学")
    callers = [live.caller(org=applicant) for _ in range(AT_ONCE)]
    responses = at_once(
        live,
        lambda c, i: c.post(
            f"/api/challenges/{challenge}/applications",
            json={"plan": f"方案 {i}"},
            headers=callers[i],
        ),
    )
    assert statuses(responses) == {201: 1, 409: AT_ONCE - 1}, [r.text for r in responses]
    refused = {r.json()["error"]["message"] for r in responses if r.status_code == 409}
    assert refused == {"本机构已揭榜，每个机构限一份申请"}
    assert count(live, ChallengeApplication.id) == 1
    assert count(live, ChallengeEvent.id, ChallengeEvent.challenge_id == challenge) == 1


def test_simultaneous_applications_of_many_organizations_all_count(live: Live) -> None:
    challenge = _challenge(live)
    callers = [live.caller(org=live.org(f"测试大学{i}")) for i in range(AT_ONCE)]
    responses = at_once(
        live,
        lambda c, i: c.post(
            f"/api/challenges/{challenge}/applications",
            json={"plan": f"方案 {i}"},
            headers=callers[i],
        ),
    )
    assert statuses(responses) == {201: AT_ONCE}, [r.text for r in responses]
    assert count(live, ChallengeApplication.id) == AT_ONCE
    with live.factory() as db:
        steps = db.execute(
            select(ChallengeEvent.from_stage, ChallengeEvent.to_stage).where(
                ChallengeEvent.challenge_id == challenge
            )
        ).all()
        listing = db.get(Listing, challenge)
        assert listing is not None and listing.challenge_stage == "揭榜"
    assert [tuple(step) for step in steps] == [("发榜", "揭榜")]


@dataclass(frozen=True)
class Create:
    """A create sent ``AT_ONCE`` times at once: path, body, the caller's role, what the
    refusals say and the rows it may leave (counted by ``column`` where ``where``)."""

    path: str
    body: Callable[[Live], dict[str, Any]]
    role: str
    refusal: str
    column: Any
    where: Callable[[], Any]


CREATES = {
    "organization": Create(
        "/api/organizations",
        lambda _live: {"name": "同名测试机构", "kind": "enterprise", "place_adcode": "130600"},
        "admin",
        "机构“同名测试机构”已存在",
        Organization.id,
        lambda: Organization.name == "同名测试机构",
    ),
    "user": Create(
        "/api/users",
        lambda live: {
            "username": "same_name",
            "password": PASSWORD,
            "role": "editor",
            "organization_id": live.org("用户所在机构").id,
        },
        "admin",
        "用户“same_name”已存在",
        User.id,
        lambda: User.username == "same_name",
    ),
    "place group": Create(
        "/api/place-groups",
        lambda _live: {"name": "保定园区辐射圈", "adcodes": ["130600"]},
        "editor",
        "名称“保定园区辐射圈”已被使用",
        PlaceGroup.id,
        lambda: PlaceGroup.name == "保定园区辐射圈",
    ),
    "project": Create(
        "/api/projects",
        lambda _live: {
            "name": "膜电极产业化项目",
            "origin_adcode": "110108",
            "destination_adcode": "130600",
            "stage": "签约",
            "industry": "hydrogen",
            "segments": [SEGMENT],
            "investment": 1.5,
        },
        "editor",
        "已有同名且落地地相同的项目",
        Project.id,
        lambda: Project.name == "膜电极产业化项目",
    ),
    "policy": Create(
        "/api/policies",
        lambda _live: {
            "title": "氢能产业支持措施",
            "place_adcode": "110000",
            "type": "资金",
            "number": "京测〔2026〕1号",
        },
        "editor",
        "该文号已被另一条政策使用",
        Policy.id,
        lambda: Policy.number == "京测〔2026〕1号",
    ),
}


@pytest.mark.parametrize("kind", list(CREATES))
def test_simultaneous_duplicate_creates_answer_409_or_422(live: Live, kind: str) -> None:
    create = CREATES[kind]
    headers = live.caller(create.role)
    body = create.body(live)
    responses = at_once(live, lambda c, _i: c.post(create.path, json=body, headers=headers))
    counted = statuses(responses)
    assert counted[201] == 1, [r.text for r in responses]
    assert set(counted) <= {201, 409, 422}, [r.text for r in responses]
    refused = [r.json()["error"] for r in responses if r.status_code != 201]
    assert {e["message"] for e in refused if e["code"] in ("duplicate", "conflict")} <= {
        create.refusal
    }, refused
    assert count(live, create.column, create.where()) == 1
    if kind == "policy":  # one after the other: the same 409
        again = httpx.post(live.base + create.path, json=body, headers=headers)
        assert again.status_code == 409 and again.json()["error"]["message"] == create.refusal


def test_simultaneous_registrations_of_a_deal_make_one_project(live: Live) -> None:
    demand_org, offer_org = live.org("保定氢能中心"), live.org("北京测试大学", place="110108")
    with live.factory() as db:
        deal = make_deal(db, demand_org, offer_org, contract={"amount": 3500})
    headers = live.caller(org=offer_org)
    responses = at_once(
        live, lambda c, _i: c.post(f"/api/matches/{deal.id}/project", headers=headers)
    )
    assert statuses(responses) == {200: AT_ONCE}, [r.text for r in responses]
    assert len({r.json()["project"]["id"] for r in responses}) == 1
    assert [r.json()["created"] for r in responses].count(True) == 1
    assert count(live, Project.id, Project.match_id == deal.id) == 1


def test_simultaneous_projects_naming_one_deal_keep_one(live: Live) -> None:
    demand_org, offer_org = live.org("保定氢能中心"), live.org("北京测试大学", place="110108")
    with live.factory() as db:
        deal = make_deal(db, demand_org, offer_org, contract={"amount": 3500})
    headers = live.caller(org=offer_org)

    def register(client: httpx.Client, i: int) -> httpx.Response:
        body = {
            "name": f"膜电极产业化项目{i}",
            "origin_adcode": "110108",
            "destination_adcode": "130600",
            "stage": "签约",
            "segments": [SEGMENT],
            "match_id": deal.id,
        }
        return client.post("/api/projects", json=body, headers=headers)

    responses = at_once(live, register)
    assert statuses(responses) == {201: 1, 409: AT_ONCE - 1}, [r.text for r in responses]
    for refused in (r.json()["error"] for r in responses if r.status_code == 409):
        assert refused["message"] == "该对接已登记为项目，不能重复登记"
        assert refused["fields"][0]["field"] == "body.match_id"
    assert count(live, Project.id, Project.match_id == deal.id) == 1


def test_simultaneous_policy_imports_of_one_number_store_it_once(live: Live) -> None:
    headers = live.caller(org=live.org("北京市测试局", place="110000"))
    header = ["标题", "发文地区", "政策类型", "文号"]
    data = write_xlsx({"政策": (header, [["测试政策甲", "北京", "资金", "京测〔2026〕9号"]])})
    n = 10
    responses = at_once(
        live,
        lambda c, _i: c.post(
            "/api/policies/import", files={"file": ("p.xlsx", data)}, headers=headers
        ),
        n,
    )
    assert set(statuses(responses)) <= {200, 422}, [r.text for r in responses]
    created = [r.json() for r in responses if r.status_code == 200 and r.json()["created"]]
    assert created == [{"created": 1, "updated": 0, "unchanged": 0}]
    for refused in (r.json()["error"] for r in responses if r.status_code == 422):
        assert refused["message"].startswith("第 2 行：文号“京测〔2026〕9号”已被另一条政策使用")
        assert refused["fields"][0]["field"] == "政策!2:文号"
    assert count(live, Policy.id) == 1


# ------------------------------------------------------------ one after the other (no server)


def test_a_policy_import_row_whose_number_another_policy_holds_names_the_row(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("editor"))
    for number in ("京测〔2026〕 3号", "京测〔2026〕  3号"):  # one space, two spaces
        made = client.post(
            "/api/policies",
            json={
                "title": f"政策{len(number)}",
                "place_adcode": "110000",
                "type": "资金",
                "number": number,
            },
            headers={"X-CSRF-Token": csrf},
        )
        assert made.status_code == 201, made.text
    # the row's natural key (spaces collapsed) names the first, whose 文号 would become the
    # second's exact 文号
    header = ["标题", "发文地区", "政策类型", "文号"]
    data = write_xlsx({"政策": (header, [["政策改名", "北京", "资金", "京测〔2026〕  3号"]])})
    refused = client.post(
        "/api/policies/import", files={"file": ("p.xlsx", data)}, headers={"X-CSRF-Token": csrf}
    )
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert (
        error["message"] == "第 2 行：文号“京测〔2026〕  3号”已被另一条政策使用（未导入任何数据）"
    )
    assert error["fields"] == [
        {"field": "政策!2:文号", "message": "第 2 行：文号“京测〔2026〕  3号”已被另一条政策使用"}
    ]


# ------------------------------------------------------------------- an error keeps the line


def _raise_in_route() -> None:
    raise RuntimeError("boom (test route)")


def test_an_unhandled_error_answers_500_and_keeps_the_connection(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    live.app.add_api_route("/api/test-boom", _raise_in_route, methods=["GET"])
    live.app.add_api_route("/test-boom", _raise_in_route, methods=["GET"])
    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    ports: list[int] = []

    def get(path: str) -> tuple[int, str, str]:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode()
        ports.append(connection.sock.getsockname()[1])
        return response.status, response.getheader("connection") or "", body

    with caplog.at_level(logging.ERROR, logger="jingjinji.web.errors"):
        status, keep, body = get("/api/test-boom")
        assert (status, keep) == (500, "")
        assert body == '{"error":{"code":"server_error","message":"服务器内部错误"}}'
        assert get("/healthz")[0] == 200
        status, keep, body = get("/test-boom")
        assert (status, keep) == (500, "") and "服务器内部错误" in body and "<html" in body
        assert get("/api/place-groups")[0] == 200
    connection.close()
    assert len(set(ports)) == 1, ports  # one socket served all four
    logged = [r for r in caplog.records if r.getMessage().startswith("unhandled error on GET")]
    assert [r.getMessage() for r in logged] == [
        "unhandled error on GET /api/test-boom",
        "unhandled error on GET /test-boom",
    ]
    assert all(r.exc_info and "boom (test route)" in str(r.exc_info[1]) for r in logged)


# ------------------------------------------------------------------- NUL on every database


NUL_LISTING = {
    "kind": "demand",
    "title": "机器人关节\x00减速器",
    "status": "published",
    "summary": "寻求谐波减速器技术",
    "place_adcode": "130203",
    "keywords": ["谐波", "减速\x00器"],
}


def test_a_nul_character_answers_422_naming_the_field(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("editor"))
    headers = {"X-CSRF-Token": csrf}
    cases: list[tuple[httpx.Response, list[str]]] = [
        (
            client.post("/api/listings", json=NUL_LISTING, headers=headers),
            ["body.title", "body.keywords.1"],
        ),
        (
            client.post(
                "/api/projects",
                json={
                    "name": "项目\x00",
                    "origin_adcode": "110108",
                    "destination_adcode": "130600",
                    "stage": "签约",
                    "investment": 1.0,
                },
                headers=headers,
            ),
            ["body.name"],
        ),
        (
            client.post(
                "/api/policies",
                json={
                    "title": "政策",
                    "place_adcode": "110000",
                    "type": "资金",
                    "number": "京\x00〔2026〕1号",
                },
                headers=headers,
            ),
            ["body.number"],
        ),
        (client.get("/api/listings", params={"q": "减速\x00器"}), ["query.q"]),
        (client.get("/api/policies/search", params={"q": "\x00"}), ["query.q"]),
    ]
    for response, fields in cases:
        assert response.status_code == 422, response.text
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert error["message"] == "输入不能包含空字符（NUL），请检查标出的字段"
        assert [f["field"] for f in error["fields"]] == fields
    listing = client.post(
        "/api/listings",
        json={**NUL_LISTING, "title": "机器人关节减速器", "keywords": ["谐波"]},
        headers=headers,
    )
    assert listing.status_code == 201, listing.text
    update = client.patch(
        f"/api/listings/{listing.json()['id']}", json={"summary": "改\x00"}, headers=headers
    )
    assert (
        update.status_code == 422 and update.json()["error"]["fields"][0]["field"] == "body.summary"
    )
    # a form (the account page's new token) gets the Chinese error page
    page = client.post("/account/tokens", data={"name": "脚本\x00", "csrf_token": csrf})
    assert page.status_code == 422 and "输入不能包含空字符" in page.text and "<html" in page.text
    assert (
        client.get(f"/api/listings/{listing.json()['id']}").json()["summary"]
        == "寻求谐波减速器技术"
    )
    assert client.get("/api/projects").json()["count"] == 0
    assert client.get("/api/policies").json()["count"] == 0
