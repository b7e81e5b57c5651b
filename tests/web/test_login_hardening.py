"""Sign-in hardening over HTTP: the lock-out cannot be raced (real Uvicorn servers, real
threads), unknown usernames cost a password check, the lock is per account and address and
says when it ends, the user is told of failed attempts, X-Forwarded-For only from proxies."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jingjinji.auth import accounts
from jingjinji.auth.passwords import verify_password
from jingjinji.settings import Settings
from jingjinji.store.models import AuthSession, LoginFailure, User
from jingjinji.web.app import create_app
from jingjinji.web.beijing_time import in_beijing
from jingjinji.web.security import client_ip
from tests.conftest import PASSWORD, UserFactory, browser_of, csrf_token, login

PROXY = "10.0.0.1"
ATTACKER = ("203.0.113.7", 40000)
OWNER = ("198.51.100.20", 40001)
WRONG = "definitely-not-it"


@pytest.fixture
def settings(database_url: str) -> Settings:
    """As in tests/conftest.py, with one trusted reverse proxy."""
    return Settings(
        database_url=database_url,
        load_sample=False,
        login_max_failures=5,
        trusted_proxies=[PROXY],
    )


@pytest.fixture
def verifier_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The password hashes sign-in checked against: the real verifier, wrapped."""
    calls: list[str] = []
    lock = threading.Lock()

    def counted(password_hash: str, password: str) -> bool:
        with lock:
            calls.append(password_hash)
        return verify_password(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", counted)
    return calls


@pytest.fixture
def attacker(app: FastAPI) -> Iterator[TestClient]:
    """A browser at the attacker's address."""
    with TestClient(app, client=ATTACKER) as browser:
        yield browser


@pytest.fixture
def owner(app: FastAPI) -> Iterator[TestClient]:
    """A browser at the account owner's address."""
    with TestClient(app, client=OWNER) as browser:
        yield browser


@contextmanager
def _serve(settings: Settings) -> Iterator[str]:
    """The app served by a real Uvicorn server in a thread; its base URL. Proxy headers are
    left to the app (``JJJ_TRUSTED_PROXIES``), not to Uvicorn."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), log_level="warning", proxy_headers=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def _in_parallel(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run ``calls`` at once: every thread waits at a barrier, then sends."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def _post_login(base: str, username: str, password: str) -> Callable[[], httpx.Response]:
    body = {"username": username, "password": password}
    return lambda: httpx.post(f"{base}/api/auth/login", json=body, timeout=60)


def _sign_in(client: TestClient, username: str, password: str) -> httpx.Response:
    return client.post("/api/auth/login", json={"username": username, "password": password})


@pytest.mark.db
def test_parallel_wrong_passwords_cannot_race_past_the_lock_out(
    settings: Settings, make_user: UserFactory, db: Session, verifier_calls: list[str]
) -> None:
    user = make_user("editor")
    # two servers with engines of their own on one database, as two worker processes
    with _serve(settings) as first, _serve(settings) as second:
        bases = [first, second]
        wrong = [_post_login(bases[i % 2], user.username, WRONG) for i in range(30)]
        answers = Counter(response.status_code for response in _in_parallel(wrong))
        assert answers == {401: 5, 429: 25}
        assert len(verifier_calls) == settings.login_max_failures == 5
        # locked now: the right password, sent in parallel with more wrong ones, gets nowhere
        mixed = [
            _post_login(bases[i % 2], user.username, PASSWORD if i % 2 else WRONG)
            for i in range(20)
        ]
        responses = _in_parallel(mixed)
    assert {response.status_code for response in responses} == {429}
    assert all("后再试" in response.json()["error"]["message"] for response in responses)
    assert len(verifier_calls) == 5
    db.expire_all()
    assert db.scalar(select(func.count()).where(AuthSession.user_id == user.id)) == 0
    # refused attempts are not recorded, so hammering on does not make the lock longer
    assert db.scalar(select(func.count()).where(LoginFailure.username == user.username)) == 5


@pytest.mark.db
def test_unknown_and_inactive_users_cost_one_password_check(
    client: TestClient, make_user: UserFactory, db: Session, verifier_calls: list[str]
) -> None:
    user = make_user("editor")
    assert _sign_in(client, user.username, WRONG).status_code == 401
    assert verifier_calls == [user.password_hash]
    assert _sign_in(client, "nobody_by_this_name", WRONG).status_code == 401
    assert len(verifier_calls) == 2
    dummy = verifier_calls[1]
    # the dummy hash has the algorithm and cost parameters of a real one
    parameters = re.compile(r"^(\$argon2id\$v=\d+\$m=\d+,t=\d+,p=\d+\$)")
    real_match, dummy_match = parameters.match(user.password_hash), parameters.match(dummy)
    assert real_match and dummy_match and real_match.group(1) == dummy_match.group(1)
    assert _sign_in(client, "another_stranger", WRONG).status_code == 401
    assert verifier_calls[2] == dummy  # made once
    stored = db.get(User, user.id)
    assert stored is not None
    stored.is_active = False
    db.commit()
    assert _sign_in(client, user.username, PASSWORD).status_code == 401  # right, but inactive
    assert verifier_calls[3] == user.password_hash and len(verifier_calls) == 4


@pytest.mark.db
def test_lock_out_is_per_address_and_says_when_it_ends(
    attacker: TestClient, owner: TestClient, make_user: UserFactory, db: Session
) -> None:
    user = make_user("editor")
    for _ in range(5):
        assert _sign_in(attacker, user.username, WRONG).status_code == 401
    locked = _sign_in(attacker, user.username, PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_requests"
    first = db.scalar(select(func.min(LoginFailure.at)).where(LoginFailure.ip == ATTACKER[0]))
    assert first is not None
    end = in_beijing(accounts.aware(first) + timedelta(minutes=15))
    # the day is named too when the lock ends after midnight in Beijing
    same_day = end.date() == in_beijing(datetime.now(UTC)).date()
    ends = end.strftime("%H:%M") if same_day else end.strftime("%m-%d %H:%M")
    message = locked.json()["error"]["message"]
    assert f"请于北京时间 {ends} 后再试" in message and "分钟后" in message

    # the real user elsewhere signs in, and hears about the attempts
    signed_in = _sign_in(owner, user.username, PASSWORD)
    assert signed_in.status_code == 200
    assert signed_in.json()["username"] == user.username
    assert signed_in.json()["recent_failures"] == 5
    # … which does not lift the attacker's lock
    assert _sign_in(attacker, user.username, PASSWORD).status_code == 429
    owner.cookies.clear()  # a second browser of the owner's: nothing new to report
    assert _sign_in(owner, user.username, PASSWORD).json()["recent_failures"] == 0


@pytest.mark.db
def test_one_address_still_cannot_try_many_accounts(
    attacker: TestClient, owner: TestClient, make_user: UserFactory
) -> None:
    user = make_user("editor")
    for index in range(20):  # four times the limit, over many accounts
        assert _sign_in(attacker, f"guess{index}", WRONG).status_code == 401
    assert _sign_in(attacker, user.username, PASSWORD).status_code == 429
    assert _sign_in(attacker, "guess99", WRONG).status_code == 429
    assert _sign_in(owner, user.username, PASSWORD).status_code == 200


@pytest.mark.db
def test_admin_unlock_lifts_every_address_lock(
    client: TestClient, attacker: TestClient, make_user: UserFactory
) -> None:
    admin = make_user("admin")
    target = make_user("editor")
    for _ in range(5):
        assert _sign_in(attacker, target.username, WRONG).status_code == 401
    assert _sign_in(attacker, target.username, PASSWORD).status_code == 429
    csrf = login(client, admin)
    assert f'data-unlock="{target.id}"' in client.get("/admin/users").text
    unlocked = client.post(f"/api/users/{target.id}/unlock", headers={"X-CSRF-Token": csrf})
    assert unlocked.json() == {"cleared_failures": 5}
    assert f'data-unlock="{target.id}"' not in client.get("/admin/users").text
    assert _sign_in(attacker, target.username, PASSWORD).status_code == 200


@pytest.mark.db
def test_login_page_tells_of_failed_attempts_then_goes_on(
    attacker: TestClient, owner: TestClient, make_user: UserFactory
) -> None:
    user = make_user("editor")
    for _ in range(3):
        assert _sign_in(attacker, user.username, WRONG).status_code == 401
    form = {
        "csrf_token": csrf_token(owner),
        "username": user.username,
        "password": PASSWORD,
        "next": "/market",
    }
    page = owner.post("/login", data=form, follow_redirects=False)
    assert page.status_code == 200
    assert "自您上次登录以来，您的账户有 3 次登录失败" in page.text
    assert 'href="/market">继续</a>' in page.text
    assert "jjj_session=" in page.headers["set-cookie"]
    assert owner.get("/api/auth/me").json()["username"] == user.username
    # the header of that page already belongs to the new session (its CSRF token works)
    session_csrf = csrf_token(owner)
    assert f'value="{session_csrf}"' in page.text
    assert owner.post("/logout", data={"csrf_token": session_csrf}).status_code == 200
    assert owner.get("/api/auth/me").status_code == 401
    form["csrf_token"] = csrf_token(owner)
    again = owner.post("/login", data=form, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/market"


@pytest.mark.db
def test_wrong_current_password_shares_the_lock_out(
    client: TestClient, make_user: UserFactory
) -> None:
    user = make_user("editor")
    csrf = login(client, user)
    change = {"current_password": WRONG, "new_password": "京津冀-新密码-2026"}
    for _ in range(5):
        wrong = client.post("/api/auth/password", json=change, headers={"X-CSRF-Token": csrf})
        assert wrong.status_code == 422
    locked = client.post(
        "/api/auth/password",
        json={**change, "current_password": PASSWORD},
        headers={"X-CSRF-Token": csrf},
    )
    assert locked.status_code == 429 and "后再试" in locked.json()["error"]["message"]
    with browser_of(client) as same_address:
        assert _sign_in(same_address, user.username, PASSWORD).status_code == 429


@pytest.mark.db
@pytest.mark.parametrize(
    ("peer", "forwarded", "seen"),
    [
        pytest.param(PROXY, "198.51.100.9, 203.0.113.5", "203.0.113.5", id="via-proxy"),
        pytest.param("192.0.2.50", "203.0.113.5", "192.0.2.50", id="untrusted-peer"),
    ],
)
def test_session_address_believes_forwarded_for_only_from_a_proxy(
    app: object, make_user: UserFactory, peer: str, forwarded: str, seen: str
) -> None:
    user = make_user("analyst")
    with TestClient(  # type: ignore[arg-type]
        app, client=(peer, 5000), headers={"X-Forwarded-For": forwarded}
    ) as browser:
        login(browser, user)
        sessions = browser.get("/api/auth/sessions").json()["data"]
    assert [row["ip"] for row in sessions] == [seen]


@pytest.mark.db
def test_clients_behind_one_proxy_are_locked_out_apart(app: object, make_user: UserFactory) -> None:
    user = make_user("editor")
    with TestClient(app, client=(PROXY, 5000)) as proxy:  # type: ignore[arg-type]

        def attempt(client_address: str, password: str) -> int:
            headers = {"X-Forwarded-For": f"6.6.6.6, {client_address}"}
            body = {"username": user.username, "password": password}
            return proxy.post("/api/auth/login", json=body, headers=headers).status_code

        for _ in range(5):
            assert attempt("203.0.113.7", WRONG) == 401
        assert attempt("203.0.113.7", PASSWORD) == 429
        assert attempt("198.51.100.20", PASSWORD) == 200


def _request(peer: str, forwarded: list[str], trusted: list[str]) -> Request:
    settings = Settings(trusted_proxies=trusted)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"x-forwarded-for", line.encode()) for line in forwarded],
        "client": (peer, 1234),
        "app": SimpleNamespace(state=SimpleNamespace(settings=settings)),
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        pytest.param("192.0.2.1", ["203.0.113.5"], [], "192.0.2.1", id="no-proxy-trusted"),
        pytest.param("192.0.2.1", ["203.0.113.5"], [PROXY], "192.0.2.1", id="peer-not-a-proxy"),
        pytest.param(PROXY, ["203.0.113.5"], [PROXY], "203.0.113.5", id="one-proxy"),
        pytest.param(
            PROXY,
            ["1.1.1.1, 203.0.113.5, 10.0.0.2"],
            ["10.0.0.0/24"],
            "203.0.113.5",
            id="chain-spoofed-left",
        ),
        pytest.param(
            PROXY, ["1.1.1.1", "203.0.113.5"], [PROXY], "203.0.113.5", id="two-header-lines"
        ),
        pytest.param(PROXY, [], [PROXY], PROXY, id="no-header"),
        pytest.param(PROXY, ["10.0.0.3, 10.0.0.2"], ["10.0.0.0/24"], "10.0.0.3", id="all-proxies"),
        pytest.param("::ffff:10.0.0.1", ["203.0.113.5"], [PROXY], "203.0.113.5", id="v4-mapped"),
        pytest.param(PROXY, ["203.0.113.5:51234"], [PROXY], "203.0.113.5", id="v4-port"),
        pytest.param(PROXY, ["[2001:db8::1]:443"], [PROXY], "2001:db8::1", id="v6-port"),
        pytest.param(PROXY, ["2001:DB8:0::1"], [PROXY], "2001:db8::1", id="v6-canonical"),
        pytest.param(PROXY, ["1.1.1.1, not-an-ip"], [PROXY], PROXY, id="unreadable"),
    ],
)
def test_client_ip_reads_forwarded_for_from_the_right(
    peer: str, forwarded: list[str], trusted: list[str], expected: str
) -> None:
    assert client_ip(_request(peer, forwarded, trusted)) == expected
