"""``jjj enterprises import`` and ``jjj chains classify|coverage|suggest``: the chain map."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from sqlalchemy import func, select

from jingjinji.atlas import AtlasLookupError, load_atlas
from jingjinji.chains import classify_text
from jingjinji.chains.coverage import STATUS_LABELS, coverage
from jingjinji.chains.places import PlaceScope, scope_of
from jingjinji.chains.repository import chain_context, chain_workbook, import_enterprises
from jingjinji.chains.suggest import suggest
from jingjinji.cli._common import CliError, console, find_organization, session_scope
from jingjinji.store.models import Enterprise, PlaceGroup
from jingjinji.store.tabular import TableError

__all__ = ["chains_app", "enterprises_app"]

enterprises_app = typer.Typer(
    help="The enterprise registry of the chain map.", no_args_is_help=True
)
chains_app = typer.Typer(
    help="Chain map: classify text into segments, coverage and 强链·补链·延链 suggestions.",
    no_args_is_help=True,
)


@enterprises_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="CSV or XLSX of enterprises."),
    org: str | None = typer.Option(None, "--org", help="Organization that maintains the rows."),
) -> None:
    """Import enterprises (all-or-nothing; re-import updates by 统一社会信用代码)."""
    if not file.is_file():
        raise CliError(f"FILE: {file} is not a file")
    atlas = load_atlas()
    with (
        session_scope() as session,
        Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar,
    ):
        task = bar.add_task(f"importing {file.name}", total=None)
        organization = find_organization(session, org or None)
        try:
            report = import_enterprises(
                session,
                file.read_bytes(),
                file.name,
                atlas=atlas,
                actor_name="cli",
                organization=organization,
            )
        except TableError as exc:
            raise CliError(str(exc)) from exc
        bar.update(task, description="done")
    if not report.ok:  # nothing was added to the session: the commit above wrote nothing
        for problem in report.problems[:50]:
            where = f"sheet {problem.sheet!r}, " if problem.sheet else ""
            console.print(
                f"{file.name}: {where}row {problem.row}, column {problem.column!r}: "
                f"{problem.message_zh}",
                highlight=False,
                soft_wrap=True,
            )
        more = len(report.problems) - 50
        raise CliError(
            f"{len(report.problems)} bad rows, nothing imported"
            + (f" ({more} more not shown)" if more > 0 else "")
        )
    console.print(
        f"{report.rows} rows: {report.created} created, {report.updated} updated", highlight=False
    )
    if report.ignored_columns:
        console.print(
            f"ignored columns (not used): {', '.join(report.ignored_columns)}", highlight=False
        )
    if report.skipped_sheets:
        console.print(
            f"skipped sheets (no known column): {', '.join(report.skipped_sheets)}",
            highlight=False,
        )


@chains_app.command("classify")
def classify_command(
    text: str = typer.Option(..., "--text", help="Text to classify."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    include_rejected: bool = typer.Option(False, "--all", help="Also show rejected matches."),
) -> None:
    """Segments a text is about, with confidence, decision and evidence."""
    atlas = load_atlas()
    matches = classify_text(text, atlas, include_rejected=include_rejected)
    if as_json:
        typer.echo(json.dumps([m.as_dict() for m in matches], ensure_ascii=False, indent=2))
        return
    table = Table(title="环节识别")
    for column in ("环节", "产业", "置信度", "判定", "证据"):
        table.add_column(column)
    for m in matches:
        evidence = "、".join(f"{e['word']}（{e['field']}，{e['grade']}）" for e in m.evidence)
        table.add_row(
            f"{atlas.segment(m.segment).name} {m.segment}",
            atlas.industry(m.industry).name,
            f"{m.confidence:.2f}",
            m.decision,
            evidence,
        )
    console.print(table)
    if not matches:
        console.print("no segment found")


def _scope(place: str, session: object) -> PlaceScope:
    atlas = load_atlas()
    try:
        groups = None
        if place.startswith("group-"):
            from sqlalchemy.orm import Session

            assert isinstance(session, Session)
            groups = {
                f"group-{g.id}": (g.name, list(g.adcodes))
                for g in session.scalars(select(PlaceGroup))
            }
        return scope_of(atlas, place, groups=groups)
    except AtlasLookupError as exc:
        try:
            return scope_of(atlas, atlas.resolve_place(place).adcode)
        except AtlasLookupError:
            raise CliError(f"--place: {exc}") from exc


def _run(industry_slug: str, place: str, kind: str, as_json: bool, out: Path | None) -> None:
    atlas = load_atlas()
    try:
        industry = atlas.industry(industry_slug)
    except AtlasLookupError as exc:
        raise CliError(f"--industry: {exc}") from exc
    with session_scope() as session:
        scope = _scope(place, session)
        context = chain_context(session, atlas)
        cov = coverage(industry, place=scope, context=context)
        items = suggest(industry, cov=cov, context=context)
        is_sample = bool(
            session.scalar(select(func.count()).where(Enterprise.provenance == "demo"))
        )
    if out is not None:
        out.write_bytes(chain_workbook(cov, items, is_sample=is_sample))
    sample = "（示例数据）" if is_sample else ""
    if kind == "coverage":
        if as_json:
            payload = {
                "industry": industry.slug,
                "place": {"key": scope.key, "name": scope.name, "level": scope.level},
                "completeness": round(cov.completeness, 4),
                "segments": [row.as_dict() for row in cov.segments],
                "is_sample": is_sample,
            }
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"{scope.name} · {industry.name} 覆盖情况{sample}")
        for column in ("环节", "企业数", "重点企业", "区位商", "状态", "密度", "象限"):
            table.add_column(column)
        for row in cov.segments:
            table.add_row(
                row.name,
                str(row.count),
                str(row.key_count),
                f"{row.lq:.2f}",
                STATUS_LABELS[row.status],
                f"{row.density:.2f}",
                row.as_dict()["quadrant_zh"],
            )
        console.print(table)
        console.print(f"completeness 完整度: {cov.completeness:.0%}", highlight=False)
        return
    if as_json:
        typer.echo(json.dumps([item.as_dict() for item in items], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{scope.name} · {industry.name} 强链·补链·延链建议{sample}")
    for column in ("#", "类型", "环节", "理由"):
        table.add_column(column)
    for rank, item in enumerate(items, start=1):
        table.add_row(str(rank), item.as_dict()["kind_zh"], item.segment_name, item.reason)
    console.print(table)


@chains_app.command("coverage")
def coverage_command(
    industry: str = typer.Option(..., "--industry", help="Industry slug, e.g. hydrogen."),
    place: str = typer.Option(..., "--place", help="Adcode, region, corridor-<slug>, group-<id>."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    out: Path | None = typer.Option(None, "--out", help="Also write an Excel workbook."),
) -> None:
    """Coverage of an industry's segments in a place."""
    _run(industry, place, "coverage", as_json, out)


@chains_app.command("suggest")
def suggest_command(
    industry: str = typer.Option(..., "--industry", help="Industry slug, e.g. hydrogen."),
    place: str = typer.Option(..., "--place", help="Adcode, region, corridor-<slug>, group-<id>."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    out: Path | None = typer.Option(None, "--out", help="Also write an Excel workbook."),
) -> None:
    """Ranked 强链·补链·延链 suggestions with reasons and candidate partners."""
    _run(industry, place, "suggest", as_json, out)
