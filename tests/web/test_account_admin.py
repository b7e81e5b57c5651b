"""Account and administration over HTTP: password change, sessions, deactivation, one-time
reset links, unlocking, the last admin, and the audit log with its filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.auth.tokens import digest
from jingjinji.store.base import utcnow
from jingjinji.store.models import AuditEntry, AuthSession, PasswordReset, User
from tests.conftest import PASSWORD, OrgFactory, UserFactory, browser_of, csrf_token, login

NEW_PASSWORD = "京津冀-新密码-2026"
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def _sign_in(client: TestClient, username: str, password: str) -> int:
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    return response.status_code


def _second_client(client: TestClient, user: User, **headers: str) -> TestClient:
    other = TestClient(client.app, headers=headers)
    login(other, user)
    return other


@pytest.mark.db
def test_change_password_signs_out_other_sessions(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    user = make_user("editor")
    csrf = login(client, user)
    with _second_client(client, user) as laptop:
        assert laptop.get("/api/auth/me").status_code == 200
        wrong = client.post(
            "/api/auth/password",
            json={"current_password": "not-my-password", "new_password": NEW_PASSWORD},
            headers={"X-CSRF-Token": csrf},
        )
        assert wrong.status_code == 422 and wrong.json()["error"]["message"] == "当前密码不正确"
        weak = client.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": "short"},
            headers={"X-CSRF-Token": csrf},
        )
        assert weak.status_code == 422 and "至少需要 10 个字符" in weak.json()["error"]["message"]
        changed = client.post(
            "/api/auth/password",
            json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            headers={"X-CSRF-Token": csrf},
        )
        assert changed.status_code == 204, changed.text
        assert laptop.get("/api/auth/me").status_code == 401  # the other session is gone
    assert client.get("/api/auth/me").json()["username"] == user.username  # this one stays
    with browser_of(client) as fresh:
        assert _sign_in(fresh, user.username, PASSWORD) == 401
        assert _sign_in(fresh, user.username, NEW_PASSWORD) == 200
    entries = db.scalars(select(AuditEntry).where(AuditEntry.entity_id == str(user.id))).all()
    assert {"password_change", "end_sessions"} <= {e.action for e in entries}
    assert all(
        NEW_PASSWORD not in str(e.after) and "password_hash" not in str(e.after) for e in entries
    )


@pytest.mark.db
def test_sessions_list_marks_this_one_and_signs_out_others(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    user = make_user("analyst")
    client.headers["user-agent"] = CHROME
    csrf = login(client, user)
    with _second_client(client, user) as phone, _second_client(client, user) as tablet:
        listed = client.get("/api/auth/sessions").json()
        assert listed["count"] == 3
        mine = [s for s in listed["data"] if s["current"]]
        assert len(mine) == 1 and mine[0]["browser"] == "Chrome 131 · Linux"
        assert mine[0]["user_agent"] == CHROME and mine[0]["ip"] == "testclient"
        phone_id = next(
            s["id"] for s in phone.get("/api/auth/sessions").json()["data"] if s["current"]
        )
        ended = client.delete(f"/api/auth/sessions/{phone_id}", headers={"X-CSRF-Token": csrf})
        assert ended.status_code == 204
        assert phone.get("/api/auth/me").status_code == 401
        again = client.delete(f"/api/auth/sessions/{phone_id}", headers={"X-CSRF-Token": csrf})
        assert again.status_code == 404
        others = client.post("/api/auth/sessions/sign-out-others", headers={"X-CSRF-Token": csrf})
        assert others.json() == {"ended": 1}
        assert tablet.get("/api/auth/me").status_code == 401
    assert client.get("/api/auth/sessions").json()["count"] == 1
    page = client.get("/account")
    assert page.status_code == 200 and "当前会话" in page.text and "Chrome 131 · Linux" in page.text


@pytest.mark.db
def test_another_users_session_cannot_be_ended(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    victim = make_user("editor")
    with _second_client(client, victim) as victim_client:
        victim_id = victim_client.get("/api/auth/sessions").json()["data"][0]["id"]
        csrf = login(client, make_user("editor"))
        refused = client.delete(f"/api/auth/sessions/{victim_id}", headers={"X-CSRF-Token": csrf})
        assert refused.status_code == 404
        assert victim_client.get("/api/auth/me").status_code == 200


@pytest.mark.db
def test_last_seen_is_written_at_most_once_a_minute(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    user = make_user("editor")
    login(client, user)
    row = db.scalars(select(AuthSession).where(AuthSession.user_id == user.id)).one()
    stale = utcnow() - timedelta(minutes=5)
    row.last_seen_at = stale
    db.commit()
    client.get("/api/auth/me")
    db.refresh(row)
    seen = row.last_seen_at
    assert seen is not None and seen.replace(tzinfo=None) > stale.replace(tzinfo=None)
    client.get("/api/auth/me")
    db.refresh(row)
    assert row.last_seen_at == seen  # within the minute: no second write


@pytest.mark.db
def test_deactivated_user_cannot_sign_in_and_loses_sessions(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    admin = make_user("admin")
    target = make_user("editor")
    with _second_client(client, target) as target_client:
        csrf = login(client, admin)
        off = client.patch(
            f"/api/users/{target.id}", json={"is_active": False}, headers={"X-CSRF-Token": csrf}
        )
        assert off.status_code == 200 and off.json()["is_active"] is False
        assert target_client.get("/api/auth/me").status_code == 401
        assert db.scalars(select(AuthSession).where(AuthSession.user_id == target.id)).all() == []
        with browser_of(client) as fresh:
            assert _sign_in(fresh, target.username, PASSWORD) == 401
        reset = client.post(
            f"/api/users/{target.id}/password-reset", headers={"X-CSRF-Token": csrf}
        )
        assert reset.status_code == 409
        on = client.patch(
            f"/api/users/{target.id}", json={"is_active": True}, headers={"X-CSRF-Token": csrf}
        )
        assert on.status_code == 200
        with browser_of(client) as fresh:
            assert _sign_in(fresh, target.username, PASSWORD) == 200
    actions = db.scalars(
        select(AuditEntry.action).where(
            AuditEntry.entity == "user", AuditEntry.entity_id == str(target.id)
        )
    ).all()
    assert {"deactivate", "activate"} <= set(actions)


@pytest.mark.db
def test_admin_changes_role_name_and_organization(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory
) -> None:
    admin = make_user("admin")
    target = make_user("editor")
    other_org = make_org("雄安新区改革发展局", kind="government", place="133100")
    csrf = login(client, admin)
    changed = client.patch(
        f"/api/users/{target.id}",
        json={"role": "analyst", "display_name": "王磊", "organization_id": other_org.id},
        headers={"X-CSRF-Token": csrf},
    )
    body = changed.json()
    assert changed.status_code == 200, changed.text
    assert (body["role"], body["display_name"]) == ("analyst", "王磊")
    assert body["organization_id"] == other_org.id
    stale = client.patch(
        f"/api/users/{target.id}",
        json={"role": "editor", "version": 1},
        headers={"X-CSRF-Token": csrf},
    )
    assert stale.status_code == 409
    unknown_org = client.patch(
        f"/api/users/{target.id}", json={"organization_id": 999999}, headers={"X-CSRF-Token": csrf}
    )
    assert unknown_org.status_code == 422 and unknown_org.json()["error"]["message"] == "机构不存在"
    missing = client.patch(
        "/api/users/999999", json={"role": "editor"}, headers={"X-CSRF-Token": csrf}
    )
    assert missing.status_code == 404


@pytest.mark.db
def test_last_active_admin_stays_admin(client: TestClient, make_user: UserFactory) -> None:
    admin = make_user("admin")
    csrf = login(client, admin)
    headers = {"X-CSRF-Token": csrf}
    demote = client.patch(f"/api/users/{admin.id}", json={"role": "editor"}, headers=headers)
    assert demote.status_code == 409
    assert "唯一启用的管理员" in demote.json()["error"]["message"]
    self_off = client.patch(f"/api/users/{admin.id}", json={"is_active": False}, headers=headers)
    assert self_off.status_code == 409 and "不能停用自己" in self_off.json()["error"]["message"]
    second = make_user("admin")
    assert (
        client.patch(
            f"/api/users/{second.id}", json={"role": "editor"}, headers=headers
        ).status_code
        == 200
    )
    make_user("admin")
    assert (
        client.patch(
            f"/api/users/{admin.id}", json={"role": "analyst"}, headers=headers
        ).status_code
        == 200
    )


@pytest.mark.db
def test_reset_link_works_once_and_expires(
    client: TestClient, make_user: UserFactory, db: Session
) -> None:
    admin = make_user("admin")
    target = make_user("editor")
    with _second_client(client, target) as old_session:
        csrf = login(client, admin)
        created = client.post(
            f"/api/users/{target.id}/password-reset", headers={"X-CSRF-Token": csrf}
        )
        assert created.status_code == 201
        url = created.json()["url"]
        token = url.rsplit("/", 1)[1]
        assert url.startswith("/password-reset/")
        stored = db.scalars(select(PasswordReset).where(PasswordReset.user_id == target.id)).one()
        assert stored.token_hash == digest(token) and token not in str(
            db.scalars(select(AuditEntry.after)).all()
        )
        with browser_of(client) as visitor:
            page = visitor.get(url)
            assert page.status_code == 200 and target.username in page.text
            form = {"csrf_token": csrf_token(visitor)}
            mismatch = visitor.post(
                url, data={**form, "new_password": NEW_PASSWORD, "confirm_password": "x" * 12}
            )
            assert mismatch.status_code == 422 and "两次输入的新密码不一致" in mismatch.text
            weak = visitor.post(
                url, data={**form, "new_password": "abc", "confirm_password": "abc"}
            )
            assert weak.status_code == 422 and "至少需要" in weak.text
            done = visitor.post(
                url, data={**form, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
            )
            assert done.status_code == 200 and "新密码已设置" in done.text
            twice = visitor.post(
                url,
                data={
                    **form,
                    "new_password": "another-password-1",
                    "confirm_password": "another-password-1",
                },
            )
            assert twice.status_code == 404 and "链接无效" in twice.text
            assert visitor.get(url).status_code == 404
            assert _sign_in(visitor, target.username, PASSWORD) == 401
            assert _sign_in(visitor, target.username, NEW_PASSWORD) == 200
        assert old_session.get("/api/auth/me").status_code == 401
        # a link past its 72 hours no longer works; a newer link replaces an unused one
        first = client.post(
            f"/api/users/{target.id}/password-reset", headers={"X-CSRF-Token": csrf}
        )
        second = client.post(
            f"/api/users/{target.id}/password-reset", headers={"X-CSRF-Token": csrf}
        )
        with browser_of(client) as visitor:
            assert visitor.get(first.json()["url"]).status_code == 404
            second_token = second.json()["url"].rsplit("/", 1)[1]
            row = db.scalars(
                select(PasswordReset).where(PasswordReset.token_hash == digest(second_token))
            ).one()
            row.expires_at = utcnow() - timedelta(minutes=1)
            db.commit()
            assert visitor.get(second.json()["url"]).status_code == 404
            assert visitor.get("/password-reset/" + "x" * 500).status_code in (404, 422)


@pytest.mark.db
def test_user_created_with_a_link_sets_the_password_themselves(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory
) -> None:
    admin = make_user("admin")
    org = make_org("保定市科学技术局", kind="government", place="130600")
    csrf = login(client, admin)
    created = client.post(
        "/api/users",
        json={
            "username": "zhang.min",
            "display_name": "张敏",
            "role": "editor",
            "organization_id": org.id,
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert created.status_code == 201, created.text
    link = created.json()["password_reset"]["url"]
    with browser_of(client) as newcomer:
        form = {
            "csrf_token": csrf_token(newcomer),
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        }
        assert newcomer.post(link, data=form).status_code == 200
        assert _sign_in(newcomer, "zhang.min", NEW_PASSWORD) == 200
    with_password = client.post(
        "/api/users",
        json={
            "username": "li.na",
            "password": "short",
            "role": "analyst",
            "organization_id": org.id,
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert with_password.status_code == 422
    assert "至少需要 10 个字符" in with_password.json()["error"]["message"]


@pytest.mark.db
def test_unlock_lets_a_locked_account_sign_in(client: TestClient, make_user: UserFactory) -> None:
    admin = make_user("admin")
    target = make_user("editor")
    with browser_of(client) as attacker:
        for _ in range(5):
            assert _sign_in(attacker, target.username, "wrong-password") == 401
        assert _sign_in(attacker, target.username, PASSWORD) == 429
    csrf = login(client, admin)
    page = client.get("/admin/users")
    assert "已锁定" in page.text and f'data-unlock="{target.id}"' in page.text
    unlocked = client.post(f"/api/users/{target.id}/unlock", headers={"X-CSRF-Token": csrf})
    assert unlocked.status_code == 200 and unlocked.json() == {"cleared_failures": 5}
    with browser_of(client) as owner:
        assert _sign_in(owner, target.username, PASSWORD) == 200


ADMIN_WRITES = (
    ("PATCH", "/api/users/{id}", {"role": "admin"}),
    ("POST", "/api/users/{id}/password-reset", {}),
    ("POST", "/api/users/{id}/unlock", {}),
    ("PATCH", "/api/organizations/{org}", {"name": "改名"}),
    ("POST", "/api/organizations", {"name": "新机构", "kind": "park"}),
)


@pytest.mark.db
@pytest.mark.parametrize("role", ["editor", "analyst"])
def test_non_admins_get_403_on_admin_routes(
    client: TestClient, make_user: UserFactory, role: str
) -> None:
    caller = make_user(role)
    csrf = login(client, caller)
    for method, path, body in ADMIN_WRITES:
        url = path.format(id=caller.id, org=caller.organization_id)
        response = client.request(method, url, json=body, headers={"X-CSRF-Token": csrf})
        assert response.status_code == 403, (method, path, response.text)
    for page in ("/admin/users", "/admin/organizations", "/admin/audit"):
        assert client.get(page).status_code == 403
    assert client.get("/api/audit").status_code == 403
    assert client.get("/api/users").status_code == 403
    with browser_of(client) as anonymous:
        assert anonymous.get("/admin/users").status_code == 401


@pytest.mark.db
def test_organization_edit(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory
) -> None:
    admin = make_user("admin")
    org = make_org("廊坊临空经济区管委会", kind="park", place="131000")
    make_org("天津滨海新区科技局", kind="government", place="120116")
    csrf = login(client, admin)
    headers = {"X-CSRF-Token": csrf}
    renamed = client.patch(
        f"/api/organizations/{org.id}",
        json={"name": "廊坊临空经济区", "place_adcode": None},
        headers=headers,
    )
    assert renamed.status_code == 200
    assert renamed.json() == {
        "id": org.id,
        "name": "廊坊临空经济区",
        "kind": "park",
        "place_adcode": None,
    }
    taken = client.patch(
        f"/api/organizations/{org.id}", json={"name": "天津滨海新区科技局"}, headers=headers
    )
    assert taken.status_code == 422 and "已存在" in taken.json()["error"]["message"]
    assert client.patch("/api/organizations/999999", json={}, headers=headers).status_code == 404
    page = client.get("/admin/organizations")
    assert page.status_code == 200 and "廊坊临空经济区" in page.text and "园区" in page.text


@pytest.mark.db
def test_audit_filters_return_the_right_rows(
    client: TestClient, make_user: UserFactory, make_org: OrgFactory, db: Session
) -> None:
    admin = make_user("admin")
    other_admin = make_user("admin")
    target = make_user("editor")
    org = make_org("石家庄市发改委", kind="government", place="130100")
    csrf = login(client, admin)
    client.patch(
        f"/api/users/{target.id}", json={"role": "analyst"}, headers={"X-CSRF-Token": csrf}
    )
    client.patch(
        f"/api/organizations/{org.id}", json={"kind": "other"}, headers={"X-CSRF-Token": csrf}
    )
    with browser_of(client) as second:
        csrf2 = login(second, other_admin)
        second.post(f"/api/users/{target.id}/unlock", headers={"X-CSRF-Token": csrf2})
    old = AuditEntry(
        actor="cli",
        action="create",
        entity="policy",
        entity_id="7",
        at=utcnow() - timedelta(days=40),
    )
    db.add(old)
    db.commit()

    def rows(**params: object) -> list[dict[str, object]]:
        response = client.get("/api/audit", params=params)
        assert response.status_code == 200, response.text
        return list(response.json()["data"])

    mine = rows(user_id=admin.id)
    assert mine and all(r["user_id"] == admin.id for r in mine)
    assert {r["action"] for r in rows(user_id=other_admin.id)} >= {"unlock"}
    assert [r["entity"] for r in rows(action="unlock")] == ["user"]
    updates = rows(entity="user", action="update")
    assert [r["entity_id"] for r in updates] == [str(target.id)]
    assert updates[0]["before"]["role"] == "editor" and updates[0]["after"]["role"] == "analyst"
    assert [
        r["entity"] for r in rows(entity="organization", entity_id=str(org.id), action="update")
    ] == ["organization"]
    assert rows(actor=admin.username) == mine
    today = (utcnow() + timedelta(hours=8)).date()
    recent = rows(since=today.isoformat())
    assert recent and old.id not in {r["id"] for r in recent}
    earlier = rows(until=(today - timedelta(days=30)).isoformat())
    assert [r["id"] for r in earlier] == [old.id]
    assert len(rows(limit=2)) == 2
    assert client.get("/api/audit", params={"since": "2026-02-30"}).status_code == 422

    page = client.get("/admin/audit", params={"entity": "user", "action": "update"})
    assert page.status_code == 200
    text = page.text
    assert (
        "修改" in text and "用户" in text and "角色" in text and "编辑" in text and "分析员" in text
    )
    assert admin.display_name in text and f"/admin/users#user-{target.id}" in text
    assert '"role"' not in text  # no raw JSON
    policy_page = client.get("/admin/audit", params={"entity": "policy"})
    assert (
        "政策" in policy_page.text
        and "命令行" in policy_page.text
        and 'href="/policies/7"' in policy_page.text
    )
    ranged = client.get("/admin/audit", params={"until": (today - timedelta(days=30)).isoformat()})
    assert "共 1 条记录" in ranged.text
    for hostile in ({"since": "2026-02-30"}, {"who": "abc"}, {"page": "0"}, {"record": "'; drop"}):
        assert client.get("/admin/audit", params=hostile).status_code in (200, 422), hostile
