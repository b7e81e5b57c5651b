"""The database file, its -wal/-shm companions, backups and restored files are readable by
their owner only (0600), whatever the umask lets other files be."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from jingjinji import auth
from jingjinji.store import create_db_engine, make_session_factory, upgrade
from jingjinji.store.backup import backup_database, restore_database

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """A umask that would leave new files world-readable (0644)."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _database_with_rows(path: Path) -> str:
    url = f"sqlite:///{path}"
    engine = create_db_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        auth.create_organization(session, name="文件权限测试", kind="park")
        session.commit()
    engine.dispose()
    return url


def test_umask_alone_would_make_files_world_readable(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    assert _mode(plain) == 0o644


def test_a_new_database_and_its_wal_and_shm_are_0600(tmp_path: Path) -> None:
    path = tmp_path / "data" / "jjj.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    assert _mode(path) == 0o600  # before the first connection
    upgrade(engine)
    with engine.connect() as connection:  # an open connection keeps -wal and -shm
        connection.execute(text("CREATE TABLE probe (x INTEGER)"))
        connection.execute(text("INSERT INTO probe VALUES (1)"))
        connection.commit()
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert (_mode(path), _mode(wal), _mode(shm)) == (0o600, 0o600, 0o600)
    engine.dispose()


def test_an_existing_database_keeps_its_mode_and_content(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    url = _database_with_rows(path)
    path.chmod(0o640)  # an administrator's choice, e.g. for a backup group
    engine = create_db_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM organizations")).scalar() == 1
    engine.dispose()
    assert _mode(path) == 0o640


def test_backups_are_0600(tmp_path: Path) -> None:
    url = _database_with_rows(tmp_path / "jjj.sqlite3")
    fresh = backup_database(url, tmp_path / "backups" / "first.db")
    assert _mode(fresh) == 0o600
    existing = tmp_path / "backups" / "again.db"
    existing.write_bytes(b"")
    existing.chmod(0o644)
    assert _mode(backup_database(url, existing)) == 0o600
    assert existing.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not (tmp_path / "backups" / "again.db.partial").exists()


def test_a_database_restored_into_a_new_file_is_0600(tmp_path: Path) -> None:
    url = _database_with_rows(tmp_path / "jjj.sqlite3")
    backup = backup_database(url, tmp_path / "backup.db")
    target = tmp_path / "restored" / "jjj.sqlite3"
    restore_database(f"sqlite:///{target}", backup)
    assert _mode(target) == 0o600
    engine = create_db_engine(f"sqlite:///{target}")
    with engine.connect() as connection:
        names = connection.execute(text("SELECT name FROM organizations")).scalars().all()
    engine.dispose()
    assert names == ["文件权限测试"]
