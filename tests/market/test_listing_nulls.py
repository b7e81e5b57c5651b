"""Explicit nulls for required listing fields are a 422 naming the field, never a 500."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import UserFactory, login
from tests.web.test_permissions import build_listing


@pytest.mark.db
def test_patch_with_null_for_a_required_field_is_refused(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    editor = make_user("editor")
    params, _body = build_listing(db, editor.organization)
    db.commit()
    csrf = login(client, editor)
    url = f"/api/listings/{params['listing_id']}"
    response = client.patch(
        url, json={"contact_public": None, "title": "新标题"}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["fields"] == [{"field": "body.contact_public", "message": "may not be null"}]
    assert "contact_public" in error["message"]
    assert client.get(url).json()["title"] == "权限测试需求"  # nothing was written
