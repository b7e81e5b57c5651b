"""Hardening against hostile input over HTTP: the upload limit holds while a body streams
(a real Uvicorn server, chunked bodies), security headers on every kind of response, exports
that survive control characters in stored text, damaged workbooks answered 422 by every
import."""

from __future__ import annotations

import csv
import io
import re
import select
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from jingjinji import auth
from jingjinji.policies.table import EXPORT_HEADER as POLICY_HEADER
from jingjinji.projects.table import EXPORT_HEADER as PROJECT_HEADER
from jingjinji.settings import Settings
from jingjinji.store import make_session_factory
from jingjinji.store.tabular import write_xlsx
from jingjinji.web.app import STATIC_DIR, create_app
from jingjinji.web.hardening import CONTENT_SECURITY_POLICY
from tests.conftest import PASSWORD, UserFactory, login
from tests.store.test_damaged_workbooks import PARTS, ROWS, damaged, excel_workbook

MB = 1024 * 1024
TEMPLATES = STATIC_DIR.with_name("templates")

# ----------------------------------------------------------------- upload limit, real server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def small_limit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app behind Uvicorn on a free port with ``JJJ_MAX_UPLOAD_MB=1`` and an admin
    ``limit_admin``; yields the base URL."""
    db_file = tmp_path_factory.mktemp("upload-limit") / "jjj.sqlite3"
    settings = Settings(database_url=f"sqlite:///{db_file}", load_sample=False, max_upload_mb=1)
    app = create_app(settings)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-upload-limit", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    with make_session_factory(app.state.engine)() as session:
        org = auth.create_organization(session, name="上限测试机构", kind="government")
        auth.create_user(
            session, username="limit_admin", password=PASSWORD, role="admin", organization=org
        )
        session.commit()
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


def _chunks(prefix: bytes, size: int, suffix: bytes, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """``prefix``, spaces up to ``size`` bytes in all, ``suffix``: a body sent chunked."""
    yield prefix
    left = size - len(prefix) - len(suffix)
    while left > 0:
        yield b" " * min(chunk, left)
        left -= chunk
    yield suffix


CLASSIFY = '{"text": "建设风光制氢一体化项目", "include_rejected": false'.encode()
JSON = {"Content-Type": "application/json"}


def _assert_serving(base: str) -> None:
    assert httpx.get(f"{base}/healthz", timeout=10).json() == {"status": "ok"}


def test_chunked_body_past_the_limit_is_413_and_the_server_goes_on(
    small_limit_server: str,
) -> None:
    base = small_limit_server
    response = httpx.post(
        f"{base}/api/classify", content=_chunks(CLASSIFY, 3 * MB, b"}"), headers=JSON, timeout=60
    )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "too_large", "message": "请求内容超过上传上限 1 MB"}
    }
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    _assert_serving(base)


def test_chunked_body_under_the_limit_is_served(small_limit_server: str) -> None:
    response = httpx.post(
        f"{small_limit_server}/api/classify",
        content=_chunks(CLASSIFY, MB - 4096, b"}"),
        headers=JSON,
        timeout=60,
    )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 200, response.text
    segments = [m["segment"] for m in response.json()["data"]]
    assert segments[0] == "hydrogen-green-production"


def test_refusal_comes_while_the_body_is_still_streaming(small_limit_server: str) -> None:
    """A 150 MB chunked body: the 413 arrives after little more than the limit was sent, and
    the rest is never asked for (the client stops sending when the answer is there)."""
    port = int(small_limit_server.rsplit(":", 1)[1])
    piece = b" " * (64 * 1024)
    frame = b"%x\r\n%s\r\n" % (len(piece), piece)
    planned, sent = 150 * MB, 0
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        while sent < planned:
            readable, writable, _ = select.select([sock], [sock], [], 30)
            if readable:
                break
            assert writable, "the server neither read nor answered within 30 s"
            sock.sendall(frame)
            sent += len(piece)
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            assert data, "connection closed before the answer"
            answer += data
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert sent < 40 * MB, f"{sent / MB:.0f} MB were sent before the refusal"
    _assert_serving(small_limit_server)


def test_declared_length_past_the_limit_is_refused_before_any_body(
    small_limit_server: str,
) -> None:
    port = int(small_limit_server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            b"POST /api/classify HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (150 * MB)
        )
        answer = b""
        while data := sock.recv(65536):
            answer += data
            if b'"}}' in answer:
                break
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert "请求内容超过上传上限 1 MB" in body.decode("utf-8")
    _assert_serving(small_limit_server)


def _multipart(boundary: str, filename: str, content: Iterator[bytes]) -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    yield from content
    yield f"\r\n--{boundary}--\r\n".encode()


def test_streamed_file_upload_is_held_to_the_limit(small_limit_server: str) -> None:
    base = small_limit_server
    with httpx.Client(base_url=base, timeout=60) as client:
        signed_in = client.post(
            "/api/auth/login", json={"username": "limit_admin", "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        page = client.get("/login").text
        marker = 'name="csrf_token" value="'
        start = page.index(marker) + len(marker)
        csrf = page[start : page.index('"', start)]
        boundary = uuid.uuid4().hex
        headers = {
            "X-CSRF-Token": csrf,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        big = client.post(
            "/api/projects/import",
            content=_multipart(boundary, "大.xlsx", iter([b"PK\x03\x04", b"0" * (2 * MB)])),
            headers=headers,
        )
        assert big.request.headers.get("transfer-encoding") == "chunked"
        assert big.status_code == 413
        assert big.json()["error"] == {"code": "too_large", "message": "请求内容超过上传上限 1 MB"}
        table = write_xlsx(
            {
                "项目": (
                    ["项目名称", "来源地", "落地地", "投资额（亿元）", "阶段"],
                    [["流式上传项目", "北京", "保定", 2.5, "签约"]],
                )
            }
        )
        small = client.post(
            "/api/projects/import",
            content=_multipart(boundary, "项目.xlsx", iter([table])),
            headers=headers,
        )
        assert small.request.headers.get("transfer-encoding") == "chunked"
        assert small.status_code == 200, small.text
        assert small.json() == {"created": 1, "updated": 0, "unchanged": 0}
    _assert_serving(base)


# ------------------------------------------------------------------------- security headers

EXPECTED_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


def _security_headers(response: httpx.Response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in EXPECTED_HEADERS}


def test_policy_admits_no_inline_or_evaluated_script() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in directives["script-src"] + directives["default-src"]


RESPONSES = [
    ("/", 200, "text/html"),
    ("/docs", 200, "text/html"),
    ("/api/industries", 200, "application/json"),
    ("/static/css/app.css", 200, "text/css"),
    ("/static/js/api_docs.js", 200, "javascript"),
    ("/no/such/page", 404, "text/html"),
    ("/api/no-such-thing", 404, "application/json"),
    ("/static/no-such-file.js", 404, ""),
]


def test_every_kind_of_response_has_the_security_headers(client: TestClient) -> None:
    """A page, the docs, API JSON, static files, and 404s of each kind."""
    for path, status, kind in RESPONSES:
        response = client.get(path)
        assert response.status_code == status, path
        assert kind in response.headers.get("content-type", ""), path
        assert _security_headers(response) == EXPECTED_HEADERS, path


def test_refusals_and_server_errors_have_the_security_headers(settings: Settings) -> None:
    app: FastAPI = create_app(settings)

    @app.get("/api/test-boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        too_large = client.post(
            "/api/classify", content=b"{}", headers={"Content-Length": str(50 * MB)}
        )
        assert too_large.status_code == 413
        assert _security_headers(too_large) == EXPECTED_HEADERS
        error = client.get("/api/test-boom")
        assert error.status_code == 500
        assert error.json()["error"]["code"] == "server_error"
        assert _security_headers(error) == EXPECTED_HEADERS
        unsafe = client.post("/api/auth/login", json={"username": "nobody", "password": "x"})
        assert unsafe.status_code == 401
        assert _security_headers(unsafe) == EXPECTED_HEADERS


def test_docs_page_has_no_inline_script(client: TestClient) -> None:
    page = client.get("/docs").text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", page, flags=re.S)
    assert [attrs.strip() for attrs, _body in scripts] == [
        'src="/static/vendor/swagger-ui/swagger-ui-bundle.js"',
        'src="/static/js/api_docs.js"',
    ]
    assert all(not body.strip() for _attrs, body in scripts)
    assert 'data-openapi-url="/openapi.json"' in page
    assert client.get("/openapi.json").status_code == 200


def test_templates_and_scripts_need_nothing_the_policy_refuses() -> None:
    """No inline script, inline event handler or ``javascript:`` URL in any template (data
    travels in ``<script type="application/json">``, which is never run), and no string
    evaluated as code in our JavaScript."""
    problems: list[str] = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(TEMPLATES)
        for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, flags=re.S):
            if "src=" not in attrs and 'type="application/json"' not in attrs:
                problems.append(f"{name}: inline <script{attrs}>")
            if "src=" in attrs and body.strip():
                problems.append(f"{name}: code inside <script{attrs}>")
        problems += [f"{name}: handler {m}" for m in re.findall(r"\son[a-z]+\s*=", text)]
        problems += [f"{name}: javascript: URL" for _ in re.findall(r"javascript:", text, re.I)]
    for script in sorted((STATIC_DIR / "js").glob("*.js")):
        text = script.read_text(encoding="utf-8")
        for pattern in (r"\beval\(", r"new Function\(", r"javascript:", r"setTimeout\(\s*['\"]"):
            if re.search(pattern, text):
                problems.append(f"js/{script.name}: {pattern}")
    assert problems == []


# ------------------------------------------------------------- exports and control characters

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _by_header(header: tuple[str, ...], row: list[Any]) -> dict[str, Any]:
    return dict(zip(header, row, strict=True))


def _xlsx_row(content: bytes, header: tuple[str, ...]) -> dict[str, Any]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == header and len(rows) == 2
    return _by_header(header, rows[1])


@pytest.mark.db
def test_exports_survive_control_characters_in_stored_text(
    client: TestClient, make_user: UserFactory
) -> None:
    csrf = login(client, make_user("editor"))
    headers = {"X-CSRF-Token": csrf}
    project = client.post(
        "/api/projects",
        json={
            "name": "控制字符项目",
            "origin_adcode": "110000",
            "destination_adcode": "130600",
            "investment": 3.5,
            "stage": "签约",
            "enterprises": ["企\x01业\x0b甲"],
            "source": "来\x0b源\uffff",
        },
        headers=headers,
    )
    assert project.status_code == 201, project.text
    assert project.json()["source"] == "来\x0b源\uffff"  # stored as sent
    policy = client.post(
        "/api/policies",
        json={
            "title": "控制字符政策",
            "place_adcode": "130600",
            "type": "资金",
            "department": "部\x0b门",
            "summary": "摘\x01要",
            "benefits": "补\x01贴\x0b\ufffe",
        },
        headers=headers,
    )
    assert policy.status_code == 201, policy.text
    assert policy.json()["summary"] == "摘\x01要"

    xlsx = client.get("/api/projects/export")
    assert xlsx.status_code == 200
    row = _xlsx_row(xlsx.content, PROJECT_HEADER)
    assert (row["项目名称"], row["涉及企业"], row["记录来源"]) == (
        "控制字符项目",
        "企\ufffd业\ufffd甲",
        "来\ufffd源\ufffd",
    )

    exported_csv = client.get("/api/projects/export", params={"format": "csv"})
    assert exported_csv.status_code == 200
    text = exported_csv.content.decode("utf-8-sig")
    assert not CONTROL.search(text)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == PROJECT_HEADER and len(rows) == 2
    row = _by_header(PROJECT_HEADER, rows[1])
    assert (row["涉及企业"], row["记录来源"]) == ("企\ufffd业\ufffd甲", "来\ufffd源\ufffd")

    policies = client.get("/api/policies/export")
    assert policies.status_code == 200
    row = _xlsx_row(policies.content, POLICY_HEADER)
    assert (row["标题"], row["发文部门"], row["摘要"], row["支持内容"]) == (
        "控制字符政策",
        "部\ufffd门",
        "摘\ufffd要",
        "补\ufffd贴\ufffd\ufffd",
    )


# --------------------------------------------------------------------- damaged workbooks, 422

IMPORTS = [
    ("/api/listings/import", {}),
    ("/api/projects/import", {}),
    ("/api/policies/import", {}),
    ("/api/enterprises/import", {}),
    ("/api/evaluations", {"system": "high_quality_development"}),
]


@pytest.mark.db
@pytest.mark.parametrize(("path", "form"), IMPORTS, ids=[p for p, _f in IMPORTS])
def test_damaged_workbook_is_422_naming_the_file(
    client: TestClient, make_user: UserFactory, path: str, form: dict[str, str]
) -> None:
    csrf = login(client, make_user("admin"))
    for part in PARTS:
        for how in ("truncate", "unclosed"):
            content = damaged(excel_workbook(ROWS), part, how)
            response = client.post(
                path,
                data=form,
                files={"file": ("损坏的名录.xlsx", content, "application/octet-stream")},
                headers={"X-CSRF-Token": csrf},
            )
            assert response.status_code == 422, (part, how, response.text)
            message = response.json()["error"]["message"]
            assert "损坏的名录.xlsx" in message and "已损坏" in message, (part, how, message)
