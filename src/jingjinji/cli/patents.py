"""``jjj patents import|template|innovation|check|evaluate``: the innovation chain."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from jingjinji.atlas import AtlasLookupError, load_atlas
from jingjinji.cli._common import CliError, console, find_organization, session_scope
from jingjinji.store.tabular import TableError

__all__ = ["patents_app"]

patents_app = typer.Typer(
    help="Patents on chain segments: import exports, the innovation chain beside the industry.",
    no_args_is_help=True,
)


@patents_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="CSV or XLSX patent export."),
    org: str | None = typer.Option(None, "--org", help="Organization that maintains the rows."),
) -> None:
    """Import patents (all-or-nothing; re-import updates by 申请号)."""
    from jingjinji.patents.repository import import_patents

    if not file.is_file():
        raise CliError(f"FILE: {file} is not a file")
    atlas = load_atlas()
    with session_scope() as session:
        organization = find_organization(session, org or None)
        try:
            report = import_patents(
                session,
                file.read_bytes(),
                file.name,
                atlas=atlas,
                actor_name="cli",
                organization=organization,
            )
        except TableError as exc:
            raise CliError(str(exc)) from exc
    if not report.ok:
        for problem in report.problems[:50]:
            where = f"sheet {problem.sheet!r}, " if problem.sheet else ""
            console.print(
                f"{file.name}: {where}row {problem.row}, column {problem.column!r}: "
                f"{problem.message} ({problem.message_zh})",
                highlight=False,
                soft_wrap=True,
            )
        more = len(report.problems) - 50
        raise CliError(
            f"{len(report.problems)} problems, nothing imported"
            + (f" ({more} more not shown)" if more > 0 else "")
        )
    console.print(
        f"{report.rows} rows: {report.created} created, {report.updated} updated; "
        f"{report.on_segments} on a segment, {report.located_by_registry} placed by the "
        f"registry, {report.unlocated} outside the region or unplaced",
        highlight=False,
    )
    if report.ignored_columns:
        console.print(
            f"ignored columns (not used): {', '.join(report.ignored_columns)}", highlight=False
        )


@patents_app.command("template")
def template_command(
    out: Path = typer.Argument(Path("专利导入模板.xlsx"), help="Where to write the template."),
) -> None:
    """Write the import template (XLSX with the accepted headers and two example rows)."""
    from jingjinji.patents.template import patent_template

    out.write_bytes(patent_template())
    console.print(f"wrote {out}", highlight=False)


@patents_app.command("innovation")
def innovation_command(
    industry: str = typer.Argument(..., help="Industry slug, e.g. hydrogen."),
    place: str | None = typer.Option(None, "--place", help="A city (name or adcode)."),
    design: bool = typer.Option(False, "--design/--no-design", help="Count design patents."),
    lapsed: bool = typer.Option(False, "--lapsed/--no-lapsed", help="Count lapsed patents."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Both chains of an industry per segment and city: patents, enterprises, the case."""
    from jingjinji.patents.figures import industry_innovation

    atlas = load_atlas()
    with session_scope() as session:
        try:
            result = industry_innovation(
                session,
                atlas,
                industry,
                place=place,
                include_design=design,
                include_lapsed=lapsed,
            )
        except AtlasLookupError as exc:
            raise CliError(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    rows = result.get("place_cells") or [
        max(s["cells"], key=lambda c: (c["patents"], c["enterprises"])) for s in result["segments"]
    ]
    table = Table(title=f"{result['industry_name']} ({result['provenance']['label']})")
    for column in ("segment", "place", "patents", "inventions", "enterprises", "case", "D"):
        table.add_column(column)
    for cell in rows:
        table.add_row(
            cell["segment_name"] if "segment_name" in cell else cell["segment"],
            cell["place_name"],
            str(cell["patents"]),
            str(cell["inventions"]),
            str(cell["enterprises"]),
            cell["case"],
            "—" if cell["coordination"] is None else f"{cell['coordination']:.3f}",
        )
    console.print(table)


@patents_app.command("check")
def check_command() -> None:
    """Validate the IPC concordance against the atlas (exit 1 on any problem)."""
    from jingjinji.patents import concordance_problems, load_concordance

    problems = concordance_problems(load_atlas())
    for problem in problems:
        console.print(problem, highlight=False)
    if problems:
        raise CliError(f"{len(problems)} problems in the IPC concordance")
    rows = load_concordance().rows
    console.print(
        f"IPC concordance: {sum(1 for r in rows if r.ipc)} groups, "
        f"{len({r.segment for r in rows})} segments reached, "
        f"{sum(1 for r in rows if not r.ipc)} without a group (reason given)",
        highlight=False,
    )


@patents_app.command("evaluate")
def evaluate_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Precision and recall per industry on the shipped labelled patents, for the IPC
    concordance alone, the text alone and both combined."""
    from jingjinji.patents.evaluation import MODES, evaluate_labelled

    atlas = load_atlas()
    results = {mode: evaluate_labelled(atlas, mode=mode) for mode in MODES}
    if as_json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
        return

    def cell(value: float | None) -> str:
        return "—" if value is None else f"{value:.3f}"

    table = Table(title=f"labelled patents: {results['combined']['items']} items (P / R)")
    table.add_column("industry")
    table.add_column("items")
    for mode in MODES:
        table.add_column(mode)
    for industry, row in results["combined"]["industries"].items():
        table.add_row(
            industry,
            str(row["items"]),
            *(
                f"{cell(results[m]['industries'][industry]['precision'])} / "
                f"{cell(results[m]['industries'][industry]['recall'])}"
                for m in MODES
            ),
        )
    table.add_row(
        "all",
        "",
        *(
            f"{cell(results[m]['overall']['precision'])} / {cell(results[m]['overall']['recall'])}"
            for m in MODES
        ),
    )
    console.print(table)
