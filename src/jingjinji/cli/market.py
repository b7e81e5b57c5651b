"""``jjj market import FILE --kind KIND`` and the matching index."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from jingjinji.cli._common import CliError, console, find_organization, session_scope
from jingjinji.store.tabular import TableError

app = typer.Typer(
    help="Supply–demand market: import lists, rebuild the matching index.", no_args_is_help=True
)


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="XLSX or CSV file, one listing per row."),
    kind: str = typer.Option(..., "--kind", help="achievement | demand | challenge | instrument"),
    organization: str | None = typer.Option(
        None, "--org", help="Owning organization (name or id) of rows without a 单位 column."
    ),
    draft: bool = typer.Option(False, "--draft", help="Import as drafts instead of published."),
) -> None:
    """Import a supply or demand list, all or nothing; every bad row is reported."""
    from jingjinji.atlas import load_atlas
    from jingjinji.market.importing import import_listings

    if not file.is_file():
        raise CliError(f"FILE: {file} is not a file")
    with session_scope() as session:
        org = find_organization(session, organization)
        try:
            result = import_listings(
                session,
                file.read_bytes(),
                file.name,
                kind=kind,
                organization_id=org.id if org else None,
                atlas=load_atlas(),
                publish=not draft,
            )
        except TableError as exc:
            raise CliError(str(exc)) from exc
        except ValueError as exc:
            raise CliError(f"--kind: {exc}") from exc
        if result.problems:
            table = Table(title=f"{file.name}: {len(result.problems)} problems, nothing imported")
            for column in ("sheet", "row", "column", "reason"):
                table.add_column(column)
            for p in result.problems:
                table.add_row(p.sheet, str(p.row), p.column, p.reason)
            console.print(table)
            session.rollback()
            raise CliError(f"{file.name}: {len(result.problems)} bad cells; nothing imported")
    console.print(
        f"imported {result.added} {kind} listings from {file.name}"
        f" ({result.updated} updated, {result.unchanged} unchanged)"
    )
