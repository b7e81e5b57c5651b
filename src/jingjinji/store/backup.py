"""Consistent backups while the server runs, and restores.

Backups, and a database file a restore creates, are readable by their owner only (0600).

SQLite: the online backup API copies a consistent snapshot page by page while writers go on
(https://www.sqlite.org/backup.html). PostgreSQL: ``pg_dump --format=custom`` takes a
snapshot in one transaction; ``pg_restore --clean`` restores it.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from jingjinji.store.engine import create_private_file

__all__ = ["BackupError", "backup_database", "restore_database"]


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why."""


def _sqlite_file(database_url: str) -> Path:
    url = make_url(database_url)
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _pg_dsn(database_url: str) -> str:
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _pg_schema(database_url: str) -> list[str]:
    """``--schema=NAME`` when the URL pins a schema (``options=-csearch_path=NAME``)."""
    options = make_url(database_url).query.get("options", "")
    text = options if isinstance(options, str) else " ".join(options)
    for part in text.split():
        if part.startswith("-csearch_path="):
            return [f"--schema={part.split('=', 1)[1].split(',')[0]}"]
    return []


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def _run_pg(tool: str, *args: str) -> None:
    """Run a PostgreSQL client tool; :class:`BackupError` with its stderr when it fails."""
    result = subprocess.run([_tool(tool), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()}")


def _private(path: Path) -> None:
    """``path`` made with mode 0600, or an existing file's mode narrowed to it."""
    if not create_private_file(path) and path.exists():
        path.chmod(0o600)


def backup_database(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the database to ``target`` (mode 0600); returns ``target``."""
    backend = make_url(database_url).get_backend_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        source_file = _sqlite_file(database_url)
        if not source_file.exists():
            raise BackupError(f"database file {source_file} does not exist")
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        _private(partial)  # replaced over ``target`` with its mode
        with sqlite3.connect(source_file) as source, sqlite3.connect(partial) as copy:
            source.backup(copy)
        copy.close()
        partial.replace(target)
        return target
    if backend == "postgresql":
        _private(target)  # pg_dump writes into the file it finds, keeping its mode
        _run_pg(
            "pg_dump",
            "--format=custom",
            f"--file={target}",
            *_pg_schema(database_url),
            _pg_dsn(database_url),
        )
        return target
    raise BackupError(f"backups are not supported for {backend}")


def restore_database(database_url: str, source: Path) -> None:
    """Replace the database's content with the backup at ``source``."""
    if not source.exists():
        raise BackupError(f"backup file {source} does not exist")
    backend = make_url(database_url).get_backend_name()
    if backend == "sqlite":
        with open(source, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{source} is not a SQLite backup")
        target_file = _sqlite_file(database_url)
        target_file.parent.mkdir(parents=True, exist_ok=True)
        create_private_file(target_file)  # a database restored into a new file: 0600
        with sqlite3.connect(source) as backup, sqlite3.connect(target_file) as target:
            backup.backup(target)
        return
    if backend == "postgresql":
        _run_pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_pg_dsn(database_url)}",
            str(source),
        )
        return
    raise BackupError(f"restores are not supported for {backend}")
