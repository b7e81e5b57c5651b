"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when configured),
the ASGI app with its lifespan, builders for organizations and users, signed-in clients."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import jingjinji.store.models  # noqa: F401  (the tables of Base.metadata)
from jingjinji import auth
from jingjinji.auth import passwords
from jingjinji.settings import Settings
from jingjinji.store import create_db_engine, make_session_factory, upgrade
from jingjinji.store.base import Base
from jingjinji.store.migrate import stamp
from jingjinji.store.models import Organization, User
from jingjinji.web.app import create_app

PG_URL = os.environ.get("JJJ_TEST_POSTGRES_URL")
# Visitors' answers are kept a few seconds by default (JJJ_PUBLIC_REFRESH_SECONDS); tests that
# write and then read as a visitor want current answers. tests/web/test_visitor_cache.py
# tests the keeping.
os.environ.setdefault("JJJ_PUBLIC_REFRESH_SECONDS", "0")

# Argon2id at its lowest cost in this process (the tests create and sign in hundreds of users;
# at the production parameters each hash costs ~0.2 s). Servers the tests start as processes
# hash at the production parameters.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct-horse-battery"


def _backends() -> list[object]:
    params: list[object] = [pytest.param("sqlite", id="sqlite")]
    if PG_URL:
        params.append(pytest.param("postgresql", id="postgresql"))
    return params


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'jjj.sqlite3'}"


def _pg_schema_url(schema: str) -> str:
    assert PG_URL
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> Iterator[str]:
    """A fresh, empty database: SQLite by default; ``db``-marked tests also run on PostgreSQL
    (in a schema of their own, dropped afterwards) when JJJ_TEST_POSTGRES_URL is set."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield sqlite_url
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(PG_URL or "")
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under xdist, the controller starts building the browser tests' sample database as the
    run begins (when the run includes them), so that no worker waits for it."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    paths = [str(a).split("::")[0].rstrip("/") for a in config.args] or ["tests"]
    if not any(p in ("tests", ".") or "browser" in p for p in paths):
        return
    from tests.browser.sample_database import start_building

    start_building(config._tmp_path_factory.getbasetemp())  # type: ignore[attr-defined]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every ``db``-marked test once per configured database backend."""
    if "database_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker("db"):
        metafunc.parametrize("database_url", _backends(), indirect=True)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest revision, made once per test process: copying it
    costs a millisecond, running the migrations most of a second."""
    path = tmp_path_factory.mktemp("template") / "migrated.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def migrated(database_url: str, template: Path) -> None:
    """Bring the fresh database of ``database_url`` to the newest schema quickly: SQLite by
    copying ``template`` (owner-only, as the app creates it), PostgreSQL by creating the
    models' tables and stamping the head revision (``test_models_match_migrations`` checks
    that the two agree; the migrations themselves run in the store tests)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        if not path.exists():
            shutil.copyfile(template, path)
            path.chmod(0o600)
        return
    engine = create_db_engine(database_url)
    with engine.begin() as conn:
        Base.metadata.create_all(conn)
    stamp(engine)
    engine.dispose()


@pytest.fixture
def settings(database_url: str, migrated_sqlite: Path) -> Settings:
    """Settings of a fresh database at the newest schema, without the start-up warm-up (a
    thread computing the first pages' figures, contending with the test for the interpreter;
    ``test_serving`` tests the warm-up)."""
    migrated(database_url, migrated_sqlite)
    return Settings(
        database_url=database_url, load_sample=False, login_max_failures=5, warm_up=False
    )


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def engine(client: TestClient) -> Engine:
    """The app's engine (the database is migrated by the app's lifespan)."""
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return engine


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session


OrgFactory = Callable[..., Organization]
UserFactory = Callable[..., User]


@pytest.fixture
def make_org(db: Session) -> OrgFactory:
    def build(
        name: str | None = None, kind: str = "enterprise", place: str = "130600"
    ) -> Organization:
        org = auth.create_organization(
            db, name=name or f"机构{uuid.uuid4().hex[:6]}", kind=kind, place_adcode=place
        )
        db.commit()
        return org

    return build


@pytest.fixture
def make_user(db: Session, make_org: OrgFactory) -> UserFactory:
    def build(
        role: str = "editor", org: Organization | None = None, username: str | None = None
    ) -> User:
        user = auth.create_user(
            db,
            username=username or f"{role}_{uuid.uuid4().hex[:6]}",
            password=PASSWORD,
            role=role,
            organization=org or make_org(),
        )
        db.commit()
        return user

    return build


@contextmanager
def browser_of(client: TestClient) -> Iterator[TestClient]:
    """Another browser on the app ``client`` runs: cookies of its own, no second start-up
    (entering a ``TestClient`` would run the lifespan again: migrations check, index, caches)."""
    other = TestClient(client.app)
    # the requests run on the running app's event loop: an unentered client would start a
    # thread and an event loop per request (about 60 ms each)
    other.portal = client.portal
    try:
        yield other
    finally:
        other.portal = None
        other.close()


def login(client: TestClient, user: User) -> str:
    """Sign ``client`` in as ``user``; returns the session's CSRF token for unsafe requests."""
    response = client.post(
        "/api/auth/login", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return csrf_token(client)


def csrf_token(client: TestClient) -> str:
    """The CSRF token a page hands the signed-in (or anonymous) browser."""
    page = client.get("/login")
    marker = 'name="csrf_token" value="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]
