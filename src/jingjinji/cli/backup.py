"""``jjj backup PATH`` and ``jjj restore PATH``."""

from __future__ import annotations

from pathlib import Path

import typer

from jingjinji.cli._common import CliError, console, load_settings, open_database
from jingjinji.store.backup import BackupError, backup_database, restore_database


def backup(path: Path = typer.Argument(..., help="File to write the backup to.")) -> None:
    """Write a consistent copy of the database (safe while the server runs)."""
    settings = load_settings()
    try:
        backup_database(settings.database_url, path)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    console.print(f"backup written to {path} ({path.stat().st_size:,} bytes)")


def restore(
    path: Path = typer.Argument(..., help="Backup file made by `jjj backup`."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Replace the database's content with a backup (then upgrade it to the newest schema)."""
    settings = load_settings()
    if not yes:
        typer.confirm(f"Replace the current database with {path}?", abort=True)
    try:
        restore_database(settings.database_url, path)
    except BackupError as exc:
        raise CliError(str(exc)) from exc
    open_database(settings).dispose()
    console.print(f"restored from {path}")
