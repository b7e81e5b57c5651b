"""Sign-in, sessions, cookies, CSRF, rate limiting, API tokens and the audit log, over HTTP."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.auth.passwords import hash_password, verify_password
from jingjinji.store.models import ApiToken, AuditEntry, AuthSession
from tests.conftest import PASSWORD, UserFactory, browser_of, csrf_token, login


def test_password_hash_is_argon2id_and_verifies() -> None:
    hashed = hash_password("京津冀-协同-2026")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "京津冀-协同-2026")
    assert not verify_password(hashed, "wrong")
    assert not verify_password("not-a-hash", "x")


@pytest.mark.db
def test_login_sets_hardened_cookie_and_logout_invalidates(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    user = make_user("editor")
    response = client.post(
        "/api/auth/login", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert "jjj_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    token = client.cookies["jjj_session"]
    assert db.scalar(select(AuthSession).where(AuthSession.token_hash == token)) is None  # hashed
    assert client.get("/api/auth/me").json()["username"] == user.username
    csrf = csrf_token(client)
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    # the old cookie no longer works anywhere, even when replayed
    client.cookies.set("jjj_session", token)
    assert client.get("/api/auth/me").status_code == 401


def test_secure_cookie_over_https(app: object, make_user: UserFactory) -> None:
    with TestClient(app, base_url="https://testserver") as https:  # type: ignore[arg-type]
        user = make_user("analyst")
        response = https.post(
            "/api/auth/login", json={"username": user.username, "password": PASSWORD}
        )
        assert "Secure" in response.headers["set-cookie"]


@pytest.mark.db
def test_wrong_password_and_unknown_user_look_the_same(
    client: TestClient, make_user: UserFactory
) -> None:
    user = make_user("editor")
    wrong = client.post("/api/auth/login", json={"username": user.username, "password": "nope"})
    unknown = client.post("/api/auth/login", json={"username": "ghost", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


@pytest.mark.db
def test_login_is_rate_limited_per_account(client: TestClient, make_user: UserFactory) -> None:
    user = make_user("editor")
    for _ in range(5):
        bad = client.post("/api/auth/login", json={"username": user.username, "password": "x"})
        assert bad.status_code == 401
    locked = client.post("/api/auth/login", json={"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_requests"


@pytest.mark.db
def test_login_is_rate_limited_per_address(client: TestClient, make_user: UserFactory) -> None:
    user = make_user("editor")
    for index in range(20):  # many accounts tried from one address
        client.post("/api/auth/login", json={"username": f"guess{index}", "password": "x"})
    locked = client.post("/api/auth/login", json={"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429


@pytest.mark.db
def test_cookie_authenticated_write_needs_csrf_token(
    client: TestClient, make_user: UserFactory
) -> None:
    user = make_user("editor")
    csrf = login(client, user)
    refused = client.post("/api/tokens", json={"name": "脚本"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    forged = client.post("/api/tokens", json={"name": "脚本"}, headers={"X-CSRF-Token": "x" * 40})
    assert forged.status_code == 403
    accepted = client.post("/api/tokens", json={"name": "脚本"}, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 201


@pytest.mark.db
def test_anonymous_form_post_needs_double_submit_token(
    client: TestClient, make_user: UserFactory
) -> None:
    user = make_user("editor")
    form = {"username": user.username, "password": PASSWORD}
    assert client.post("/login", data=form, follow_redirects=False).status_code == 403
    page = client.get("/login")
    marker = 'name="csrf_token" value="'
    start = page.text.index(marker) + len(marker)
    form["csrf_token"] = page.text[start : page.text.index('"', start)]
    response = client.post("/login", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/auth/me").json()["username"] == user.username


@pytest.mark.db
def test_api_token_lifecycle(client: TestClient, make_user: UserFactory, db: Session) -> None:
    user = make_user("analyst")
    csrf = login(client, user)
    created = client.post("/api/tokens", json={"name": "夜间导入"}, headers={"X-CSRF-Token": csrf})
    body = created.json()
    token = body["token"]
    assert token.startswith("jjj_") and body["prefix"] == token[:8]
    stored = db.scalar(select(ApiToken).where(ApiToken.id == body["id"]))
    assert stored is not None and token not in stored.token_hash  # only the digest is kept
    with browser_of(client) as script:
        bearer = {"Authorization": f"Bearer {token}"}
        assert script.get("/api/auth/me", headers=bearer).json()["username"] == user.username
        # a bearer-authenticated write needs no CSRF token
        other = script.post("/api/tokens", json={"name": "第二个"}, headers=bearer)
        assert other.status_code == 201
        revoked = script.delete(f"/api/tokens/{body['id']}", headers=bearer)
        assert revoked.status_code == 204
        after = script.post("/api/tokens", json={"name": "x"}, headers=bearer)
        assert after.status_code == 401
        assert after.json()["error"]["code"] == "invalid_token"
    listed = client.get("/api/tokens").json()
    assert "token" not in listed["data"][0]
    assert listed["data"][0]["revoked_at"] is not None


@pytest.mark.db
def test_audit_log_records_changes_and_is_admin_only(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    admin = make_user("admin")
    csrf = login(client, admin)
    created = client.post(
        "/api/organizations",
        json={"name": "唐山市工信局", "kind": "government", "place_adcode": "130200"},
        headers={"X-CSRF-Token": csrf},
    )
    assert created.status_code == 201
    log = client.get("/api/audit", params={"entity": "organization"}).json()
    entry = log["data"][0]
    assert entry["actor"] == admin.username and entry["action"] == "create"
    assert entry["after"]["name"] == "唐山市工信局" and entry["before"] is None
    user_entries = db.scalars(select(AuditEntry).where(AuditEntry.entity == "user")).all()
    assert all("password_hash" not in (e.after or {}) for e in user_entries)
    with browser_of(client) as other:
        login(other, make_user("analyst"))
        assert other.get("/api/audit").status_code == 403
    page = client.get("/admin/audit")
    assert page.status_code == 200 and "唐山市工信局" in page.text
