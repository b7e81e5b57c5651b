"""Serving many users: the matching index is opened at start-up and never built in a request,
reads write nothing, readers never wait for writers, and an import leaves the server serving.

The import test runs the real server (Uvicorn on a loopback port) and real threads; nothing
is timed: it asserts that ``/healthz`` answered while the import request was still running.
"""

from __future__ import annotations

import io
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from jingjinji import auth
from jingjinji.atlas import load_atlas
from jingjinji.cli._common import build_market_index
from jingjinji.market import MarketIndex, index_folder, weights_from
from jingjinji.settings import Settings
from jingjinji.store import create_db_engine, make_session_factory, upgrade
from jingjinji.store.models import Listing, Match, Organization
from jingjinji.web.app import create_app
from tests.conftest import PASSWORD, csrf_token

DEMAND = "膜电极批量制备 质子交换膜 催化剂涂布 燃料电池电堆"
OFFER = "膜电极卷对卷批量制备技术 质子交换膜 催化剂涂布工艺"


def _listing(org: Organization, kind: str, title: str, place: str) -> Listing:
    return Listing(
        kind=kind,
        status="published",
        title=title,
        summary=title,
        keywords=title.split()[:3],
        segments=["hydrogen-fc-membrane"],
        place_adcode=place,
        organization_id=org.id,
        published_at=datetime.now(UTC),
    )


@pytest.fixture
def seeded(tmp_path: Path) -> Settings:
    """A database file with one demand and one achievement that match."""
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'jjj.sqlite3'}")
    engine = create_db_engine(settings.database_url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        org = auth.create_organization(
            session, name="测试机构", kind="enterprise", place_adcode="130600"
        )
        session.flush()
        session.add(_listing(org, "demand", DEMAND, "130600"))
        session.add(_listing(org, "achievement", OFFER, "110108"))
        auth.create_user(
            session, username="editor1", password=PASSWORD, role="editor", organization=org
        )
        session.commit()
    engine.dispose()
    return settings


def _ids(settings: Settings) -> tuple[int, int]:
    engine = create_db_engine(settings.database_url)
    with Session(engine) as session:
        demand = session.scalar(select(Listing.id).where(Listing.kind == "demand"))
        offer = session.scalar(select(Listing.id).where(Listing.kind == "achievement"))
    engine.dispose()
    assert demand and offer
    return demand, offer


def _matches_stored(settings: Settings) -> int:
    engine = create_db_engine(settings.database_url)
    with Session(engine) as session:
        count = int(session.scalar(select(func.count(Match.id))) or 0)
    engine.dispose()
    return count


def test_the_index_is_opened_at_start_up_and_a_request_never_builds_it(seeded: Settings) -> None:
    demand, offer = _ids(seeded)
    with TestClient(create_app(seeded)) as client:
        index: MarketIndex = client.app.state.market_index  # type: ignore[attr-defined]
        assert index.ready and index.builds == 1  # built before the first request
        first = client.get(f"/api/listings/{demand}/matches")
        assert first.status_code == 200
        assert [m["listing"]["id"] for m in first.json()["data"]] == [offer]
        page = client.get(f"/market/listings/{demand}")
        assert page.status_code == 200 and "表达对接意向" not in page.text  # anonymous
        assert index.builds == 1
    # reads wrote nothing: no match row until someone acts on the pair
    assert _matches_stored(seeded) == 0
    # the next start loads the saved index instead of building it
    with TestClient(create_app(seeded)) as client:
        index = client.app.state.market_index  # type: ignore[attr-defined]
        assert index.ready and index.builds == 0
        assert client.get(f"/api/listings/{offer}/matches").json()["data"][0]["listing"]["id"] == (
            demand
        )


def test_db_init_style_build_is_loaded_by_the_server(seeded: Settings) -> None:
    engine = create_db_engine(seeded.database_url)
    assert build_market_index(seeded, engine) == 2
    engine.dispose()
    folder = index_folder(seeded)
    assert folder is not None and (folder / "current").is_file()
    with TestClient(create_app(seeded)) as client:
        assert client.app.state.market_index.builds == 0  # type: ignore[attr-defined]


def test_a_rebuild_tokenizes_only_what_changed(seeded: Settings) -> None:
    """The token cache is saved with the index: after a restart, a rebuild tokenizes the one
    listing whose text changed, and the rebuilt index equals one built from scratch."""
    engine = create_db_engine(seeded.database_url)
    factory = make_session_factory(engine)
    atlas, weights = load_atlas(), weights_from(seeded)
    with factory() as session:
        first = MarketIndex(atlas, folder=index_folder(seeded), weights=weights)
        first.open(session)
        assert first.builds == 1 and first.tokens.misses == 2
        offer = session.scalars(select(Listing).where(Listing.kind == "achievement")).one()
        offer.summary = "膜电极卷对卷批量制备 新增：低铂催化剂"
        session.commit()
        again = MarketIndex(atlas, folder=index_folder(seeded), weights=weights)
        assert again.rebuild(session) == 2
        assert again.tokens.misses == 1  # the changed listing only
        fresh = MarketIndex(atlas, folder=None, weights=weights)
        fresh.rebuild(session)
    for query in ("低铂催化剂", "膜电极 质子交换膜"):
        assert again.matcher.search(query) == fresh.matcher.search(query)
    engine.dispose()


def test_readers_keep_their_snapshot_while_changes_are_applied(seeded: Settings) -> None:
    """A search that holds the old snapshot is unaffected by changes applied meanwhile, and
    the new snapshot has them (copy on write)."""
    engine = create_db_engine(seeded.database_url)
    factory = make_session_factory(engine)
    index = MarketIndex(load_atlas(), folder=None, weights=weights_from(seeded))
    with factory() as session:
        index.open(session)
        old = index.matcher
        org = session.scalars(select(Organization)).one()
        session.add(_listing(org, "achievement", "膜电极 质子交换膜 新型催化剂涂布装备", "120116"))
        session.commit()
        assert index.catch_up(session) == 1
    new = index.matcher
    assert new is not old
    query = "膜电极 催化剂涂布"
    assert len(old.search(query, kinds=("achievement",))) == 1
    assert len(new.search(query, kinds=("achievement",))) == 2
    engine.dispose()


def test_many_changes_rebuild_in_the_background_while_readers_keep_serving(
    seeded: Settings,
) -> None:
    engine = create_db_engine(seeded.database_url)
    factory = make_session_factory(engine)
    index = MarketIndex(
        load_atlas(), folder=None, weights=weights_from(seeded), session_factory=factory
    )
    index.inline_limit = 5
    with factory() as session:
        index.open(session)
        org = session.scalars(select(Organization)).one()
        for n in range(12):
            session.add(_listing(org, "achievement", f"膜电极 质子交换膜 批量工艺{n}号", "120116"))
        session.commit()
        errors: list[BaseException] = []
        stop = threading.Event()

        def read() -> None:
            while not stop.is_set():
                try:
                    index.matcher.search("膜电极", kinds=("achievement",))
                except BaseException as exc:
                    errors.append(exc)
                    return

        readers = [threading.Thread(target=read) for _ in range(4)]
        for reader in readers:
            reader.start()
        assert index.catch_up(session) == 0  # too many for a request: handed to a thread
        index.wait_for_rebuild(timeout=120)
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors
    assert index.builds == 2
    assert len(index.matcher.search("膜电极", kinds=("achievement",), k=50)) == 13
    engine.dispose()


# -- the real server ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serving(settings: Settings) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the server did not start")
            thread.join(0.05)
        yield base
    finally:
        server.should_exit = True
        thread.join(30)


def _listings_csv(rows: int) -> bytes:
    lines = ["标题,简介,关键词,所在地,成熟度"]
    for n in range(rows):
        lines.append(
            f"氢燃料电池膜电极批量制备工艺{n}号,膜电极与质子交换膜的批量制备,膜电极,天津市,中试"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_an_import_does_not_block_healthz(seeded: Settings) -> None:
    # New connections for every request: on a loaded machine the test's own threads share one
    # interpreter with the server, and a keep-alive connection the server closed after its idle
    # timeout (5 s) would be a reset, not an answer about the import.
    no_keep_alive = httpx.Limits(max_keepalive_connections=0)
    with (
        _serving(seeded) as base,
        httpx.Client(base_url=base, timeout=120, limits=no_keep_alive) as client,
    ):
        login = client.post("/api/auth/login", json={"username": "editor1", "password": PASSWORD})
        assert login.status_code == 200, login.text
        token = csrf_token(client)  # type: ignore[arg-type]
        outcome: dict[str, httpx.Response | BaseException] = {}

        def upload() -> None:
            files = {"file": ("成果清单.csv", io.BytesIO(_listings_csv(3000)), "text/csv")}
            try:
                outcome["import"] = client.post(
                    "/api/listings/import",
                    params={"kind": "achievement"},
                    files=files,
                    headers={"X-CSRF-Token": token},
                )
            except BaseException as exc:  # re-raised in the test's own thread below
                outcome["import"] = exc

        importer = threading.Thread(target=upload)
        importer.start()
        answered_during_import = 0
        with httpx.Client(base_url=base, timeout=60, limits=no_keep_alive) as probe:
            while importer.is_alive():
                assert probe.get("/healthz").status_code == 200
                if importer.is_alive():
                    answered_during_import += 1
        importer.join()
        response = outcome["import"]
        if isinstance(response, BaseException):
            raise response
        assert response.status_code == 201, response.text[:300]
        assert response.json()["added"] == 3000
        assert answered_during_import >= 3


def test_the_chain_context_and_loop_figures_are_ready_before_the_first_request(
    seeded: Settings,
) -> None:
    """Start-up warms what most pages share: the first coverage and 协同成效 requests find
    the chain context and the region's figures computed, and compute neither again."""
    from jingjinji.chains.repository.context import CONTEXTS
    from jingjinji.loop.repository.report import REPORT_CACHE

    app = create_app(seeded)
    with TestClient(app) as client:
        app.state.warm_up.join(60)
        contexts, reports = CONTEXTS.computed, REPORT_CACHE.computed
        assert contexts >= 1 and reports >= 1
        coverage = client.get("/api/industries/hydrogen/coverage", params={"place": "130600"})
        loop = client.get("/api/loop")
        assert coverage.status_code == 200 and loop.status_code == 200
        assert (CONTEXTS.computed, REPORT_CACHE.computed) == (contexts, reports)


def test_a_catch_up_reads_the_changed_listings_from_the_index_not_the_whole_table(
    seeded: Settings,
) -> None:
    """After a listing changed, the catch-up's queries are answered from the index on
    ``updated_at`` (SQLite's plan names no scan of the listings table)."""
    engine = create_db_engine(seeded.database_url)
    factory = make_session_factory(engine)
    index = MarketIndex(load_atlas(), folder=None, weights=weights_from(seeded))
    demand, _offer = _ids(seeded)
    with factory() as session:
        index.open(session)
        row = session.get(Listing, demand)
        assert row is not None
        row.title = f"{DEMAND} 改"
        session.commit()
        statements: list[tuple[str, Any]] = []

        def seen(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
            if statement.lstrip().upper().startswith("SELECT") and "FROM listings" in statement:
                statements.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", seen)
        try:
            assert index.catch_up(session) == 1
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert statements
        raw = session.connection().connection.driver_connection
        for statement, parameters in statements:
            plan = [
                str(step[-1]) for step in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            ]
            assert not any(step.startswith("SCAN listings") for step in plan), (statement, plan)
    engine.dispose()
