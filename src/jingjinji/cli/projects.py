"""``jjj projects import|export`` and ``jjj policies import|export``: spreadsheets in and out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.atlas import load_atlas
from jingjinji.cli._common import CliError, console, session_scope
from jingjinji.policies import parse_policies
from jingjinji.policies.repository import import_policies
from jingjinji.policies.repository import to_input as policy_input
from jingjinji.policies.repository import to_record as policy_record
from jingjinji.policies.table import EXPORT_HEADER as POLICY_HEADER
from jingjinji.policies.table import export_row as policy_row
from jingjinji.projects import parse_projects
from jingjinji.projects.cells import RowProblem
from jingjinji.projects.repository import import_projects
from jingjinji.projects.repository import to_input as project_input
from jingjinji.projects.table import EXPORT_HEADER as PROJECT_HEADER
from jingjinji.projects.table import export_row as project_row
from jingjinji.store.models import Organization, Policy, Project
from jingjinji.store.tabular import TableError, read_table, write_csv, write_xlsx

projects_app = typer.Typer(
    help="Collaboration project library: import, export.", no_args_is_help=True
)
policies_app = typer.Typer(help="Shared policy list: import, export.", no_args_is_help=True)

ORG_HELP = "Name of the organization that owns the imported records."


def _read(path: Path) -> tuple[str, list[str], list[tuple[int, dict[str, Any]]]]:
    if not path.is_file():
        raise CliError(f"FILE: {path} is not a file")
    try:
        sheet = read_table(path.read_bytes(), path.name, max_rows=200_000)[0]
    except TableError as exc:
        raise CliError(str(exc)) from exc
    return sheet.name, sheet.header, sheet.rows


def _problems(problems: Sequence[RowProblem | dict[str, Any]]) -> CliError:
    lines = []
    for problem in problems[:50]:
        data = problem if isinstance(problem, dict) else problem.as_dict()
        lines.append(f"  {data['message_zh']}")
    more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
    return CliError(f"{len(problems)} problems, nothing imported:\n" + "\n".join(lines) + more)


def _organization(session: Session, name: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.name == name))
    if org is None:
        raise CliError(f"--org: no organization named {name!r} (create it with jjj orgs create)")
    return org


def _write(path: Path, sheet: str, header: tuple[str, ...], rows: list[list[Any]]) -> None:
    if path.suffix.lower() == ".csv":
        path.write_bytes(write_csv(header, rows))
    elif path.suffix.lower() == ".xlsx":
        path.write_bytes(write_xlsx({sheet: (header, rows)}))
    else:
        raise CliError(f"FILE: {path.name} must end in .xlsx or .csv")


def _import(file: Path, org: str, *, what: str, parse: Any, store: Any) -> None:
    """Import ``file`` for the organization ``org``, all or nothing, with a spinner while the
    rows are checked (``parse``: the domain's table parser; ``store``: its import)."""
    atlas = load_atlas()
    sheet, header, rows = _read(file)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        bar.add_task(f"checking {len(rows):,} rows", total=None)
        parsed, problems = parse(
            ((sheet, n, cells) for n, cells in rows), atlas=atlas, header=header
        )
    if problems:
        raise _problems(problems)
    with session_scope() as session:
        report = store(
            session,
            parsed,
            organization=_organization(session, org),
            actor=None,
            sheet=sheet,
        )
        if report.problems:
            raise _problems(report.problems)
    console.print(
        f"{what}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
    )


@projects_app.command("import")
def import_projects_command(
    file: Path = typer.Argument(..., help="XLSX or CSV with the 项目库 columns."),
    org: str = typer.Option(..., "--org", help=ORG_HELP),
) -> None:
    """Import projects, all or nothing; the same file imported twice changes nothing."""
    _import(file, org, what="projects", parse=parse_projects, store=import_projects)


@projects_app.command("export")
def export_projects_command(
    file: Path = typer.Argument(..., help="Workbook (.xlsx) or .csv to write."),
) -> None:
    """Write every project to a table that imports back unchanged."""
    atlas = load_atlas()
    with session_scope() as session:
        rows = [
            project_row(project_input(r), id=r.id, provenance=r.provenance, atlas=atlas)
            for r in session.scalars(select(Project).order_by(Project.id))
        ]
    _write(file, "项目库", PROJECT_HEADER, rows)
    console.print(f"{len(rows):,} projects written to {file}")


@policies_app.command("import")
def import_policies_command(
    file: Path = typer.Argument(..., help="XLSX or CSV with the 政策清单 columns."),
    org: str = typer.Option(..., "--org", help=ORG_HELP),
) -> None:
    """Import policies, all or nothing, keyed by 文号 (else title and issuing place)."""
    _import(file, org, what="policies", parse=parse_policies, store=import_policies)


@policies_app.command("export")
def export_policies_command(
    file: Path = typer.Argument(..., help="Workbook (.xlsx) or .csv to write."),
) -> None:
    """Write every policy to a table that imports back unchanged."""
    atlas = load_atlas()
    today = date.today()
    with session_scope() as session:
        rows = [
            policy_row(
                policy_input(r),
                id=r.id,
                expired=policy_record(r).expired(today),
                provenance=r.provenance,
                atlas=atlas,
            )
            for r in session.scalars(select(Policy).order_by(Policy.id))
        ]
    _write(file, "政策清单", POLICY_HEADER, rows)
    console.print(f"{len(rows):,} policies written to {file}")
