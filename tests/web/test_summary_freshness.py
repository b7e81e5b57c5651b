"""Summary figures for signed-in users: computed once for everyone while writes go on (as
for visitors, at most ``public_refresh_seconds`` old), except that whoever changed data sees
their own change at once (read-your-writes); API tokens always get current figures."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jingjinji import auth
from jingjinji.settings import Settings
from jingjinji.web.app import create_app
from jingjinji.web.security import WROTE_COOKIE
from tests.conftest import UserFactory, browser_of, login
from tests.market.test_api import DEMAND

pytestmark = pytest.mark.db


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings.model_copy(update={"public_refresh_seconds": 600.0}))


def _published_demands(client: TestClient, headers: dict[str, str] | None = None) -> int:
    response = client.get("/api/market/statistics", headers=headers or {})
    assert response.status_code == 200, response.text
    return int(response.json()["listings"].get("demand", 0))


def test_a_writer_reads_their_own_write_and_others_share_the_kept_figures(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    analyst_user = make_user("analyst")
    token, _row = auth.create_api_token(db, user=analyst_user, name="统计脚本")
    db.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    with browser_of(client) as editor, browser_of(client) as analyst:
        headers = {"X-CSRF-Token": login(editor, make_user("editor"))}
        login(analyst, analyst_user)
        assert _published_demands(analyst) == 0
        assert _published_demands(editor) == 0
        assert WROTE_COOKIE not in editor.cookies
        refused = editor.post("/api/listings", json={**DEMAND, "title": ""}, headers=headers)
        assert refused.status_code == 422
        assert WROTE_COOKIE not in editor.cookies  # a refused write changed nothing
        created = editor.post("/api/listings", json=DEMAND, headers=headers)
        assert created.status_code == 201, created.text
        assert float(editor.cookies[WROTE_COOKIE]) > 0
        # the one who wrote sees the change at once ...
        assert _published_demands(editor) == 1
        # ... another signed-in user, and a visitor, get the figures computed a moment ago
        # (at most JJJ_PUBLIC_REFRESH_SECONDS old) ...
        assert _published_demands(analyst) == 1  # the editor's computation serves them too
        edited = editor.patch(
            f"/api/listings/{created.json()['id']}",
            json={"status": "closed"},
            headers=headers,
        )
        assert edited.status_code == 200, edited.text
        assert _published_demands(analyst) == 1  # kept: the figures of before the change
        assert _published_demands(client) == 1
        # ... a script with an API token always gets current figures, and so does the writer
        assert _published_demands(client, bearer) == 0
        assert _published_demands(editor) == 0
