"""Sample data kept apart: ``jjj db init --no-sample`` gives an empty platform that serves every
page; ``jjj demo remove`` takes every sample row out in one transaction and keeps real data."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.chains.repository import load_sample_enterprises
from jingjinji.loop.repository import load_sample_deals
from jingjinji.market.samples import load_sample_listings
from jingjinji.policies.repository import load_sample_policies
from jingjinji.projects.repository import load_sample_projects
from jingjinji.samples import remove_samples
from jingjinji.store.models import AuditEntry, Enterprise, Listing, Match, Organization, Project
from jingjinji.web.pages import PAGE_ROUTERS
from tests.conftest import UserFactory
from tests.jjj import Completed, run


def _jjj(*args: str, url: str) -> Completed:
    return run(*args, env={"JJJ_DATABASE_URL": url})


@pytest.mark.db
def test_init_without_sample_gives_an_empty_platform(database_url: str, db: Session) -> None:
    result = _jjj("db", "init", "--no-sample", url=database_url)
    assert result.returncode == 0, result.stderr
    assert "no sample data" in result.stdout
    for model in (Enterprise, Listing, Project):
        assert db.scalar(select(func.count()).select_from(model)) == 0


@pytest.mark.db
def test_an_empty_platform_serves_every_page(client: TestClient) -> None:
    paths = sorted(
        {
            route.path  # type: ignore[attr-defined]
            for router in PAGE_ROUTERS
            for route in router.routes
            if "{" not in route.path  # type: ignore[attr-defined]
            and "GET" in getattr(route, "methods", set())
        }
    )
    assert "/chains/import" in paths and "/" in paths
    # pages that need data say what to import
    assert "导入企业名录" in client.get("/chains/hydrogen").text
    assert "下载导入模板" in client.get("/projects").text
    assert "下载导入模板" in client.get("/policies").text
    for path in paths:
        response = client.get(path, follow_redirects=False)
        # pages for signed-in users answer 401/403 to a visitor; none may fail
        assert response.status_code in (200, 303, 401, 403), (path, response.status_code)
        assert "Traceback" not in response.text


@pytest.mark.db
def test_demo_remove_deletes_sample_rows_and_keeps_real_ones(
    db: Session, make_user: UserFactory, database_url: str
) -> None:
    atlas = load_atlas()
    assert load_sample_enterprises(db, atlas, count=300) == 300
    assert load_sample_listings(db, atlas) > 0
    assert load_sample_deals(db, atlas) > 0
    signed = db.scalars(select(Match).where(Match.stage.in_(("签约", "落地")))).all()
    assert signed and all(m.intent_org_id for m in signed)
    assert all(m.contract is None or m.contract["amount"] > 0 for m in signed)
    assert load_sample_projects(db, atlas) > 0
    assert load_sample_policies(db, atlas) > 0
    user = make_user("editor")  # a real organization with a real user
    real = Enterprise(
        name="真实企业", credit_code="91110108MA00000001", address="", place_adcode="110108"
    )
    db.add(real)
    db.commit()
    samples = db.scalar(select(func.count(Enterprise.id)).where(Enterprise.provenance == "demo"))
    assert samples == 300

    result = _jjj("demo", "remove", url=database_url)
    assert result.returncode == 0, result.stderr
    assert "removed 300 rows from enterprises" in result.stdout
    assert "rows from listings" in result.stdout and "rows from matches" in result.stdout
    db.expire_all()
    assert db.scalars(select(Enterprise.name)).all() == ["真实企业"]
    for model in (Listing, Match, Project):
        assert db.scalar(select(func.count()).select_from(model)) == 0
    assert db.get(Organization, user.organization_id) is not None
    left = db.scalars(select(Organization.name)).all()
    assert left == [db.get(Organization, user.organization_id).name], left  # samples are gone
    assert db.scalar(select(AuditEntry.id).where(AuditEntry.entity == "sample_data"))
    # a second run finds nothing
    again = _jjj("demo", "remove", url=database_url)
    assert again.returncode == 0 and "no sample data" in again.stdout
    assert remove_samples(db) == {}
