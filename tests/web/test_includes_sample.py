"""Every aggregate says whether sample data (示例数据) is behind it: ``includes_sample``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.chains.repository import load_sample_enterprises
from jingjinji.projects.repository import load_sample_projects

AGGREGATES = (
    ("/api/projects/stats", {}),
    ("/api/projects/flows", {}),
    ("/api/projects/funnel", {}),
    ("/api/market/statistics", {}),
    ("/api/overview", {}),
    ("/api/loop", {"industry": "hydrogen", "place": "130600"}),
    ("/api/industries/hydrogen/coverage", {"place": "130600"}),
    ("/api/industries/hydrogen/suggestions", {"place": "130600"}),
    ("/api/industries/hydrogen/completeness", {}),
)


def _flags(client: TestClient) -> dict[str, bool]:
    flags = {}
    for url, params in AGGREGATES:
        response = client.get(url, params=params)
        assert response.status_code == 200, (url, response.text)
        flags[url] = response.json()["includes_sample"]
    return flags


@pytest.mark.db
def test_aggregates_say_when_sample_data_is_behind_them(client: TestClient, db: Session) -> None:
    assert not any(_flags(client).values())  # an empty platform: no sample behind anything
    atlas = load_atlas()
    load_sample_enterprises(db, atlas, count=200)
    load_sample_projects(db, atlas)
    db.commit()
    flags = _flags(client)
    expected_true = {url for url, _ in AGGREGATES} - {"/api/market/statistics"}
    assert {url for url, flag in flags.items() if flag} == expected_true
    overview = client.get("/api/overview").json()
    assert overview["completeness_sample"] is True
    # a filter that leaves only real projects (none here) says so
    stats = client.get("/api/projects/stats", params={"q": "不存在的项目名"}).json()
    assert stats["includes_sample"] is False and stats["total_count"] == 0
