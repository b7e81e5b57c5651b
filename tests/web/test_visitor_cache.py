"""Visitors' answers kept for ``public_refresh_seconds``: one answer serves every visitor for
that long, with each visitor's own CSRF token in a kept page; signed-in users always get
current data; nothing is kept with the setting at 0."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from jingjinji.settings import Settings
from jingjinji.web import visitor_cache
from jingjinji.web.app import create_app
from jingjinji.web.security import CSRF_COOKIE
from jingjinji.web.visitor_cache import VisitorCache
from tests.conftest import OrgFactory, UserFactory, browser_of, login
from tests.market.test_api import ACHIEVEMENT, DEMAND

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
        later[0] = KEPT_SECONDS / 2 - 1  # each answer falls due between half and all of it
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


def _wait_for(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Poll ``condition`` until it holds (the worker's listing follower runs every second)."""
    deadline = time.perf_counter() + seconds
    while not condition():
        assert time.perf_counter() < deadline, "the condition did not hold in time"
        time.sleep(0.05)


def test_a_listings_matches_are_kept_for_their_window_and_dropped_when_a_match_changes(
    settings: Settings, make_user: UserFactory, make_org: OrgFactory, later: list[float]
) -> None:
    """A listing's page and match list are kept for ``matches_refresh_seconds`` (30 s here,
    as the route asks), not the 5 s of other answers; when a listing they show is edited,
    the kept ones are dropped (by the worker's listing follower, within about a second)
    and the visitor's next answer shows the edit."""
    app = create_app(
        settings.model_copy(update={"public_refresh_seconds": 5.0, "matches_refresh_seconds": 30.0})
    )
    with TestClient(app) as client, browser_of(client) as lab, browser_of(client) as plant:
        lab_headers = {
            "X-CSRF-Token": login(
                lab, make_user("editor", org=make_org(kind="university", place="110108"))
            )
        }
        achievement = lab.post("/api/listings", json=ACHIEVEMENT, headers=lab_headers).json()
        plant_headers = {
            "X-CSRF-Token": login(plant, make_user("editor", org=make_org(place="130200")))
        }
        demand = plant.post("/api/listings", json=DEMAND, headers=plant_headers).json()
        path = f"/api/listings/{demand['id']}/matches"
        page = f"/market/listings/{demand['id']}"

        def titles() -> list[str]:
            answer = client.get(path)
            assert answer.status_code == 200, answer.text
            return [m["listing"]["title"] for m in answer.json()["data"]]

        first = client.get(path)
        assert first.status_code == 200
        assert client.get(page).status_code == 200
        assert client.get("/api/listings").status_code == 200
        kept = _cache(app)._answers
        assert kept[(path, b"")].seconds == kept[(page, b"")].seconds == 30.0
        assert kept[("/api/listings", b"")].seconds == 5.0
        # the request to keep it is the cache's alone: neither browsers nor proxies see it
        assert not any(name.startswith("x-jjj") for name in first.headers)
        assert "cache-control" not in first.headers
        assert not any(name.startswith("x-jjj") for name in plant.get(path).headers)
        served = _cache(app).served
        later[0] = 14.0  # past the 5 s of other answers, within half the matches' 30 s
        assert titles() == [ACHIEVEMENT["title"]]
        assert _cache(app).served == served + 1 and not _cache(app)._refreshing
        edited = lab.patch(
            f"/api/listings/{achievement['id']}",
            json={"title": "谐波减速器柔轮精密加工工艺（第二版）"},
            headers=lab_headers,
        )
        assert edited.status_code == 200, edited.text
        _wait_for(lambda: titles() == ["谐波减速器柔轮精密加工工艺（第二版）"])
        assert "谐波减速器柔轮精密加工工艺（第二版）" in client.get(page).text


def test_an_invalidation_told_from_another_thread_drops_only_the_paths_it_names(
    client: TestClient, make_user: UserFactory
) -> None:
    with browser_of(client) as editor:
        headers = {"X-CSRF-Token": login(editor, make_user("editor"))}
        assert _demands(client) == 0
        assert client.get("/api/policies").status_code == 200
        editor.post("/api/listings", json=DEMAND, headers=headers)
        cache = _cache(client.app)  # type: ignore[arg-type]
        told = threading.Thread(target=cache.invalidations.drop, args=("/api/listings".__eq__,))
        told.start()
        told.join()
        served = cache.served
        assert _demands(client) == 1  # dropped: computed anew at once
        assert client.get("/api/policies").status_code == 200
        assert cache.served == served + 1  # the other answer is still kept


def test_an_answer_computed_across_an_invalidation_of_its_path_is_not_kept(
    client: TestClient,
) -> None:
    cache = _cache(client.app)  # type: ignore[arg-type]
    assert client.get("/api/policies").status_code == 200  # builds the middleware stack
    before = cache._generation
    cache.invalidations.drop("/api/listings".__eq__)
    cache._invalidate()
    assert cache._dropped_since(before, "/api/listings")
    assert not cache._dropped_since(before, "/api/policies")
    assert not cache._dropped_since(cache._generation, "/api/listings")
    for _ in range(70):  # more than it remembers: an answer that old counts as dropped
        cache.invalidations.drop("/nowhere".__eq__)
    cache._invalidate()
    assert cache._dropped_since(before, "/api/policies")


def test_a_fresh_worker_renders_visitors_answers_of_the_newest_listings_before_it_is_ready(
    settings: Settings, make_user: UserFactory, make_org: OrgFactory
) -> None:
    """With the warm-up on, ``/readyz`` says ready only once the front pages, the chain
    views and the pages and match lists of the newest listings are kept: the first
    visitor's is served from the cache."""
    with TestClient(create_app(settings)) as setup, browser_of(setup) as lab:
        headers = {
            "X-CSRF-Token": login(
                lab, make_user("editor", org=make_org(kind="university", place="110108"))
            )
        }
        listing = lab.post("/api/listings", json=ACHIEVEMENT, headers=headers).json()
    app = create_app(settings.model_copy(update={"warm_up": True, "public_refresh_seconds": 5.0}))
    with TestClient(app) as client:
        _wait_for(lambda: client.get("/readyz").status_code == 200, seconds=120)
        cache = _cache(app)
        assert (f"/market/listings/{listing['id']}", b"") in cache._answers
        assert ("/", b"") in cache._answers and ("/chains/hydrogen", b"") in cache._answers
        assert ("/api/industries/hydrogen/coverage", b"place=130600") in cache._answers
        served = cache.served
        assert client.get(f"/api/listings/{listing['id']}/matches").status_code == 200
        assert client.get(f"/market/listings/{listing['id']}").status_code == 200
        assert cache.served == served + 2
