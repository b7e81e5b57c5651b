"""``GET /api/loop``: where the deals of Beijing achievements go, by contract value (the
counterpart of the source documents' 7.8%) and by number, on hand-made deals; the withdrawn
share of achievements present in Tianjin or Hebei is gone from the answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.market import set_segments
from jingjinji.store.models import Listing, Match, Organization
from tests.conftest import OrgFactory
from tests.loop.test_thread import SEGMENT, seed_registry

pytestmark = pytest.mark.db

WITHDRAWN = ("achievements_present", "achievements_present_share", "beijing_deals_share")


def _listing(db: Session, org: Organization, kind: str, place: str | None, n: int) -> Listing:
    row = Listing(
        kind=kind,
        status="published",
        title=f"测试{kind}{n}",
        organization_id=org.id,
        place_adcode=place,
        published_at=datetime(2024, 3, 1, tzinfo=UTC),
    )
    set_segments(row, [SEGMENT], load_atlas())
    db.add(row)
    db.flush()
    return row


def _deals(
    db: Session, org: Organization, deals: list[tuple[str, str | None, float | None]]
) -> None:
    """One Beijing-or-other achievement and one demand per deal, matched at 签约, with the
    contract amount (万元) or no contract."""
    for n, (origin, destination, amount) in enumerate(deals):
        offer = _listing(db, org, "achievement", origin, n)
        demand = _listing(db, org, "demand", destination, n)
        contract = (
            None
            if amount is None
            else {"type": "技术许可", "amount": amount, "signed_on": "2024-06-01"}
        )
        db.add(
            Match(
                demand_id=demand.id,
                achievement_id=offer.id,
                stage="签约",
                contract=contract,
                updated_at=datetime(2024, 6, 1, tzinfo=UTC),
            )
        )
    db.commit()


def _loop(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/loop", params={"industry": "hydrogen"})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_share_of_contract_value_in_the_api(
    client: TestClient, db: Session, make_org: OrgFactory
) -> None:
    seed_registry(db)
    org = make_org(place="110108")
    _deals(
        db,
        org,
        [
            ("110108", "120116", 300.0),  # Beijing → Tianjin
            ("110108", "130602", 100.0),  # Beijing → Hebei
            ("110108", "110105", 600.0),  # within Beijing
            ("110108", "131002", None),  # Beijing → Hebei, no contract amount
            ("120116", "130602", 500.0),  # a Tianjin achievement: not Beijing's
        ],
    )
    payload = _loop(client)
    totals = payload["totals"]
    assert totals["beijing_deal_value_share"] == 0.4  # 400 / 1000
    assert totals["beijing_deal_value"] == 1000.0
    assert totals["beijing_deal_value_to_tj_hb"] == 400.0
    assert totals["beijing_deals_with_amount"] == 3
    assert totals["beijing_deals_without_amount"] == 1
    assert totals["beijing_deals_count_share"] == 0.75  # 3 of the 4, by number
    assert (totals["beijing_deals_placed"], totals["beijing_deals_to_tj_hb"]) == (4, 3)
    assert (totals["beijing_deals"], totals["beijing_deals_local"]) == (4, 1)
    assert totals["beijing_deals_unplaced"] == 0
    assert payload["notes"] == {}
    assert payload["reference"]["value"] == 7.8 and payload["reference"]["unit"] == "%"
    year = payload["years"].index(2024)
    assert payload["series"]["beijing_deal_value_share"][year] == 0.4
    assert payload["series"]["beijing_deals_count_share"][year] == 0.75
    for key in WITHDRAWN:
        assert key not in totals and key not in payload["series"]
    # the schema names the new fields' meaning and has the notes
    schema = client.get("/openapi.json").json()["components"]["schemas"]["LoopPublic"]
    assert "notes" in schema["properties"]
    assert "beijing_deal_value_share" in schema["description"]


def test_no_amount_is_no_share_with_the_reason(
    client: TestClient, db: Session, make_org: OrgFactory
) -> None:
    seed_registry(db)
    _deals(db, make_org(place="110108"), [("110108", "120116", None), ("110108", "110105", None)])
    payload = _loop(client)
    totals = payload["totals"]
    assert totals["beijing_deal_value_share"] is None  # undefined, not 0%
    assert totals["beijing_deals_without_amount"] == 2
    assert totals["beijing_deals_count_share"] == 0.5
    assert "没有登记合同金额" in payload["notes"]["beijing_deal_value_share"]
