"""The web foundation: health, docs, layout, error shapes."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from jingjinji.web.templating import NAV


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_503_while_the_warm_up_runs(client: TestClient) -> None:
    """Ready once the start-up warm-up is done (off in tests: ready at once); a warm-up
    still running answers 503 "warming", and the answer is never kept for visitors."""
    assert client.get("/readyz").json() == {"status": "ready"}
    release = threading.Event()
    warm_up = threading.Thread(target=release.wait)
    warm_up.start()
    state = client.app.state  # type: ignore[attr-defined]
    saved, state.warm_up = state.warm_up, warm_up
    try:
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json() == {"status": "warming"}
    finally:
        release.set()
        warm_up.join()
        state.warm_up = saved
    assert client.get("/readyz").status_code == 200


def test_openapi_and_docs_are_self_hosted(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "京津冀协同发展平台 API"
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_home_layout_has_title_navigation_and_assets(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "<title>总览 · 京津冀协同发展平台</title>" in page.text
    assert '<html lang="zh-CN">' in page.text
    for _key, label, path in NAV:
        assert f'href="{path}"' in page.text
        assert label in page.text
    assert client.get("/static/vendor/echarts/echarts.min.js").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200


def test_unknown_page_is_chinese_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "页面不存在" in response.text


def test_unknown_api_path_is_json_error(client: TestClient) -> None:
    response = client.get("/api/nope")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "页面或资源不存在"}}


def test_api_validation_error_shape(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": ""})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {f["field"] for f in error["fields"]} >= {"body.username", "body.password"}


def test_server_error_is_json_for_api_and_chinese_page_elsewhere(client: TestClient) -> None:
    app = client.app

    @app.get("/api/boom")  # type: ignore[attr-defined]
    def boom_api() -> None:
        raise RuntimeError("boom")

    @app.get("/boom")  # type: ignore[attr-defined]
    def boom_page() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as raw:
        api = raw.get("/api/boom")
        assert api.status_code == 500
        assert api.json()["error"]["code"] == "server_error"
        page = raw.get("/boom")
        assert page.status_code == 500
        assert "服务器出错了" in page.text
