"""The 揭榜挂帅 and 仪器共享 boards: their own stages, search and filters, page numbers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jingjinji.market import CHALLENGE_STAGES


def test_boards_take_search_and_filters_and_keep_their_own_stages(client: TestClient) -> None:
    page = client.get("/market/challenges")
    assert page.status_code == 200
    assert " → ".join(CHALLENGE_STAGES) in page.text  # not the maturity stages of the filters
    assert 'name="q"' in page.text and 'name="place"' in page.text
    assert "暂无榜单" in page.text and "发布榜单" in page.text
    filtered = client.get("/market/challenges", params={"q": "氢能", "place": "130600"})
    assert filtered.status_code == 200 and "没有符合条件的榜单" in filtered.text
    instruments = client.get("/market/instruments", params={"industry": "hydrogen"})
    assert instruments.status_code == 200 and "没有符合条件的仪器" in instruments.text
    assert client.get("/market/instruments", params={"place": "abc"}).status_code == 422
