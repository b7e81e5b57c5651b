"""The project page and the 项目库 list over HTTP: facts in Chinese, the gap and the deal
linked, history, the edit form and stage controls for owners only, 404 for hostile ids."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jingjinji.store.models import Organization, Project
from tests.conftest import OrgFactory, UserFactory, browser_of, login

pytestmark = pytest.mark.db


def make_project(db: Session, org: Organization, **extra: object) -> Project:
    values: dict[str, object] = {"stage": "签约", "provenance": "manual", **extra}
    row = Project(
        name="保定膜电极产业化项目",
        origin_adcode="110108",
        destination_adcode="130600",
        industry="hydrogen",
        segments=["hydrogen-fc-mea"],
        investment=3.5,
        enterprises=["北京测试大学", "保定氢能公司"],
        addresses="fill.130600.hydrogen-fc-mea",
        match_id=41,
        source="供需对接",
        organization_id=org.id,
        **values,
    )
    db.add(row)
    db.commit()
    return row


def test_the_page_shows_facts_gap_and_deal_in_chinese(
    client: TestClient, db: Session, make_org: OrgFactory
) -> None:
    row = make_project(db, make_org("保定氢能中心"))
    page = client.get(f"/projects/{row.id}")
    assert page.status_code == 200
    text = page.text
    for shown in ("保定膜电极产业化项目", "海淀区", "保定市", "氢能", "膜电极", "3.50 亿元"):
        assert shown in text
    assert "保定氢能中心" in text and "录入" in text
    assert 'href="/chains/hydrogen?place=130600"' in text and "补链" in text
    assert 'href="/market/deals/41"' in text
    assert "fill.130600" not in text.split('id="project-data"')[0]
    assert 'id="project-edit"' not in text and 'id="stage-form"' not in text
    assert "登录</a>后" in text


def test_sample_projects_are_labelled(
    client: TestClient, db: Session, make_org: OrgFactory
) -> None:
    row = make_project(db, make_org(), provenance="demo")
    assert "示例数据" in client.get(f"/projects/{row.id}").text


def test_the_owner_gets_the_form_and_controls_others_do_not(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    org = make_org()
    row = make_project(db, org)
    login(client, make_user("editor", org=org))
    own = client.get(f"/projects/{row.id}").text
    assert 'id="project-edit"' in own and 'id="stage-form"' in own
    for stage in ("开工", "在建", "投产", "终止"):
        assert f'value="{stage}"' in own
    for role in ("editor", "analyst"):
        with browser_of(client) as other:
            login(other, make_user(role))
            text = other.get(f"/projects/{row.id}").text
            assert 'id="project-edit"' not in text and 'id="stage-form"' not in text
            assert "只有项目所属机构" in text
    with browser_of(client) as admin:
        login(admin, make_user("admin"))
        assert 'id="stage-form"' in admin.get(f"/projects/{row.id}").text


def test_a_project_in_production_offers_only_termination(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    org = make_org()
    row = make_project(db, org, stage="投产")
    login(client, make_user("editor", org=org))
    text = client.get(f"/projects/{row.id}").text
    assert 'value="终止"' in text and 'name="stage" value="开工"' not in text


@pytest.mark.parametrize(
    "bad", ["0", "-1", "abc", "²", "1.5", "9" * 40, "2147483648", "%00", "1%20or%201=1"]
)
def test_missing_or_hostile_ids_answer_404(bad: str, client: TestClient) -> None:
    response = client.get(f"/projects/{bad}")
    # a NUL character anywhere in a request is refused before routing (422), on every page
    assert response.status_code == (422 if bad == "%00" else 404)
    assert response.headers["content-type"].startswith("text/html")


def test_the_list_links_every_project_and_offers_the_create_form_to_editors(
    client: TestClient, db: Session, make_org: OrgFactory, make_user: UserFactory
) -> None:
    row = make_project(db, make_org())
    anonymous = client.get("/projects").text
    assert f'href="/projects/{row.id}"' in anonymous
    assert 'id="project-create-form"' not in anonymous and "新建项目需要先" in anonymous
    assert 'href="/api/templates/projects"' in anonymous and "/api/projects/export" in anonymous
    login(client, make_user("editor"))
    text = client.get("/projects").text
    assert 'id="project-create-form"' in text and 'name="match_id"' in text
