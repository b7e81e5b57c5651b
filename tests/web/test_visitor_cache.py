"""Visitors' answers kept for ``public_refresh_seconds``: one answer serves every visitor for
that long, with each visitor's own CSRF token in a kept page; signed-in users always get
current data; nothing is kept with the setting at 0."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from jingjinji.settings import Settings
from jingjinji.web import visitor_cache
from jingjinji.web.app import create_app
from jingjinji.web.security import CSRF_COOKIE
from jingjinji.web.visitor_cache import VisitorCache
from tests.conftest import UserFactory, browser_of, login
from tests.market.test_api import DEMAND

pytestmark = pytest.mark.db

KEPT_SECONDS = 30.0


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings.model_copy(update={"public_refresh_seconds": KEPT_SECONDS}))


def _cache(app: FastAPI) -> VisitorCache:
    layer = app.middleware_stack
    while not isinstance(layer, VisitorCache):
        layer = layer.app  # type: ignore[union-attr]
    return layer


def _settle(client: TestClient) -> None:
    """Wait for the refreshes the cache started in the background."""
    client.portal.call(_cache(client.app).settled)  # type: ignore[union-attr, arg-type]


def _demands(client: TestClient) -> int:
    response = client.get("/api/listings", params={"kind": "demand"})
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Seconds added to the cache's clock."""
    shift = [0.0]
    real = time.monotonic
    monkeypatch.setattr(visitor_cache.time, "monotonic", lambda: real() + shift[0])
    yield shift


def test_a_visitor_gets_the_kept_answer_until_it_is_due_and_users_see_changes_at_once(
    client: TestClient, make_user: UserFactory, later: list[float]
) -> None:
    with browser_of(client) as editor:
        headers = {"X-CSRF-Token": login(editor, make_user("editor"))}
        assert _demands(client) == 0
        created = editor.post("/api/listings", json=DEMAND, headers=headers)
        assert created.status_code == 201, created.text
        assert _demands(editor) == 1  # the one who wrote sees it at once
        assert _demands(client) == 0  # a visitor: the answer kept 0 s ago
        later[0] = KEPT_SECONDS - 1
        assert _demands(client) == 0
        later[0] = KEPT_SECONDS + 1
        # due: this visitor gets the kept answer once more while it is computed anew
        assert _demands(client) == 0
        _settle(client)
        assert _demands(client) == 1
    assert _cache(client.app).served == 4  # type: ignore[arg-type]


def test_a_kept_page_carries_each_visitors_own_csrf_token(client: TestClient) -> None:
    first = client.get("/indicators")
    first_token = client.cookies[CSRF_COOKIE]
    assert first.status_code == 200 and first_token in first.text
    with browser_of(client) as other:
        second = other.get("/indicators")
        second_token = other.cookies[CSRF_COOKIE]
        assert second_token != first_token
        assert second_token in second.text and first_token not in second.text
    assert _cache(client.app).served == 1  # type: ignore[arg-type]


def test_errors_sign_in_and_signed_in_users_are_never_served_from_it(
    client: TestClient, make_user: UserFactory
) -> None:
    for _ in range(2):
        assert client.get("/api/listings/999999").status_code == 404
        assert client.get("/login").status_code == 200
    with browser_of(client) as user:
        login(user, make_user("analyst"))
        for _ in range(2):
            assert user.get("/api/listings", params={"kind": "demand"}).status_code == 200
    assert _cache(client.app).served == 0  # type: ignore[arg-type]


def test_nothing_is_kept_when_the_setting_is_zero(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"public_refresh_seconds": 0}))
    with TestClient(app) as client:
        for _ in range(3):
            assert client.get("/api/listings", params={"kind": "demand"}).status_code == 200
        assert _cache(app).served == 0


def test_a_listing_withdrawn_to_draft_is_gone_for_visitors_once_its_answer_is_due(
    client: TestClient, make_user: UserFactory, later: list[float]
) -> None:
    with browser_of(client) as editor:
        headers = {"X-CSRF-Token": login(editor, make_user("editor"))}
        listing = editor.post("/api/listings", json=DEMAND, headers=headers).json()
        path = f"/api/listings/{listing['id']}"
        assert client.get(path).status_code == 200
        withdrawn = editor.patch(path, json={"status": "draft"}, headers=headers)
        assert withdrawn.status_code == 200, withdrawn.text
        assert editor.get(path).status_code == 200  # the owner still sees the draft
        later[0] = KEPT_SECONDS + 1
        assert client.get(path).status_code == 200  # due: kept once more, refreshed behind
        _settle(client)
        assert client.get(path).status_code == 404
        assert client.get(path).status_code == 404  # the old answer is not kept either
