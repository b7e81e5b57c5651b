"""A signed-in read hands work to the thread pool only for what touches the database or is
the route's own: the caller's session lookup, opening and closing the request's database
session, the route, and (FastAPI's doing for a plain ``def`` route) checking its answer.
Dependencies that only read the app's state run on the event loop (each hand-over cost more
under load than the lookup it carried)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from tests.conftest import UserFactory, login

pytestmark = pytest.mark.db

#: the session lookup, the database session's enter and exit, the route, its answer's check
SIGNED_IN_READ = 5


def _count_handovers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = anyio.to_thread.run_sync

    async def counting(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        calls.append(getattr(func, "__qualname__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    return calls


@pytest.mark.parametrize(
    "path",
    ["/api/listings?q=膜电极&kind=demand", "/api/projects/stats", "/api/policies?type=人才"],
)
def test_a_signed_in_read_hands_over_only_its_database_work(
    client: TestClient, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    login(client, make_user("analyst"))
    assert client.get(path).status_code == 200
    calls = _count_handovers(monkeypatch)
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert len(calls) == SIGNED_IN_READ, calls


def test_a_visitors_read_skips_the_session_lookup(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_handovers(monkeypatch)
    response = client.get("/api/listings?kind=demand", headers={"Cache-Control": "no-cache"})
    assert response.status_code == 200, response.text
    assert len(calls) <= SIGNED_IN_READ - 1, calls
