"""``jjj backup`` / ``jjj restore``: a consistent copy while the server writes, round trip."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jingjinji import auth
from jingjinji.store import create_db_engine, make_session_factory, upgrade
from jingjinji.store.backup import BackupError, backup_database, restore_database
from jingjinji.store.models import Organization
from tests.jjj import run


def _count(url: str) -> int:
    engine = create_db_engine(url)
    with make_session_factory(engine)() as session:
        value = session.scalar(select(func.count()).select_from(Organization)) or 0
    engine.dispose()
    return value


@pytest.mark.db
def test_backup_restore_round_trip(database_url: str, tmp_path: Path) -> None:
    if database_url.startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    engine = create_db_engine(database_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        for index in range(20):
            auth.create_organization(session, name=f"园区{index:02d}", kind="park")
        session.commit()

    stop = threading.Event()

    def keep_writing() -> None:  # the server goes on writing during the backup
        index = 0
        while not stop.is_set():
            with factory() as session:
                auth.create_organization(session, name=f"并发写入{index}", kind="other")
                session.commit()
            index += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        target = backup_database(database_url, tmp_path / "backup.db")
    finally:
        stop.set()
        writer.join()
    if database_url.startswith("sqlite"):
        backed_up = _count(f"sqlite:///{target}")
    else:
        backed_up = _count(database_url)  # pg_dump's snapshot holds at least the first rows
    assert backed_up >= 20
    with factory() as session:
        session.query(Organization).delete()
        session.commit()
    assert _count(database_url) == 0
    engine.dispose()
    restore_database(database_url, target)
    if database_url.startswith("sqlite"):
        assert _count(database_url) == backed_up
    else:
        assert 20 <= _count(database_url) <= backed_up


def test_cli_backup_and_restore(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    env = {"JJJ_DATABASE_URL": url}
    made = run("orgs", "create", "--name", "天津市科技局", "--kind", "government", env=env)
    assert made.returncode == 0, made.stderr
    backup = tmp_path / "copy.sqlite3"
    result = run("backup", str(backup), env=env)
    assert result.returncode == 0, result.stderr
    assert run("orgs", "create", "--name", "后加的机构", "--kind", "other", env=env).returncode == 0
    assert _count(url) == 2
    result = run("restore", str(backup), "--yes", env=env)
    assert result.returncode == 0, result.stderr
    assert _count(url) == 1


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database")
    with pytest.raises(BackupError, match="not a SQLite backup"):
        restore_database(f"sqlite:///{tmp_path / 'x.sqlite3'}", bogus)
