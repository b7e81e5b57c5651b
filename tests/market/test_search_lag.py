"""Text search trusts the matching index for what a caller may see only as far as it is
current: a listing withdrawn by another worker while this worker's index lags behind is not
shown."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from jingjinji.store.models import Listing
from tests.conftest import OrgFactory, UserFactory, browser_of, login
from tests.market.test_api import ACHIEVEMENT

pytestmark = pytest.mark.db


def _found(client: TestClient, **params: str) -> tuple[list[int], int]:
    response = client.get("/api/listings", params={"q": "谐波减速器", **params})
    assert response.status_code == 200, response.text
    body = response.json()
    return [item["id"] for item in body["data"]], int(body["count"])


def test_a_listing_withdrawn_while_the_index_lags_is_not_found(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory, db: Session
) -> None:
    owner = make_user("editor", org=make_org(kind="university", place="110108"))
    headers = {"X-CSRF-Token": login(client, owner)}
    listing = client.post("/api/listings", json=ACHIEVEMENT, headers=headers).json()
    with browser_of(client) as other:
        login(other, make_user("editor", org=make_org(place="130200")))
        assert _found(other) == ([listing["id"]], 1)
        assert _found(other, kind="achievement") == ([listing["id"]], 1)
        index = client.app.state.market_index  # type: ignore[attr-defined]
        assert index._catch_up_lock.acquire(timeout=30)  # the index lags behind ...
        try:
            # ... while another worker takes the listing back to draft
            db.execute(update(Listing).where(Listing.id == listing["id"]).values(status="draft"))
            db.commit()
            assert _found(other)[0] == []
            assert _found(other, kind="achievement")[0] == []
            assert _found(client)[0] == [listing["id"]]  # the owner still finds the draft
        finally:
            index._catch_up_lock.release()
        assert _found(other) == ([], 0)  # caught up
