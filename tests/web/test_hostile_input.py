"""Hostile input over HTTP: oversized bodies, over-long fields, odd search strings."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from tests.conftest import UserFactory, login
from tests.web.test_permissions import _APP, api_routes

HOSTILE_QUERIES = [
    "'",
    '"',
    "%",
    "_",
    "\\",
    "%_%",
    "' OR '1'='1",
    '"; DROP TABLE users; --',
    "\\%\\_",
    "<script>alert(1)</script>",
    "氢能' AND 1=1 --",
    "\x00",
    "🙂" * 50,
    "x" * 5000,
]


def _search_routes() -> list[str]:
    routes: list[BaseRoute] = list(_APP.routes)
    return sorted(
        route.path
        for route in api_routes(routes)
        if "GET" in route.methods
        and "{" not in route.path
        and any(param.name == "q" for param in route.dependant.query_params)
    )


def test_oversized_body_is_refused_before_reading(client: TestClient) -> None:
    response = client.post(
        "/api/auth/login", content=b"x", headers={"Content-Length": str(50 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_overlong_fields_get_validation_errors(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": "u" * 10_000, "password": "p"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["field"] == "body.username"


def test_malformed_json_is_a_clear_error(client: TestClient) -> None:
    response = client.post(
        "/api/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_endpoints_survive_hostile_queries(client: TestClient, query: str) -> None:
    for path in _search_routes():
        response = client.get(path, params={"q": query})
        assert response.status_code < 500, (path, query, response.text)
        if response.status_code >= 400 and path.startswith("/api/"):
            assert response.json()["error"]["message"], (path, query)
        elif response.status_code >= 400:
            assert "<html" in response.text, (path, query)


def test_huge_offsets_and_ids_are_validation_errors(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("admin"))
    huge = 2**63
    audit = client.get("/api/audit", params={"offset": huge})
    assert audit.status_code == 422
    assert audit.json()["error"]["fields"][0]["field"] == "query.offset"
    token = client.delete(f"/api/tokens/{huge}", headers={"X-CSRF-Token": csrf})
    assert token.status_code == 422
    assert token.json()["error"]["fields"][0]["field"] == "path.token_id"
