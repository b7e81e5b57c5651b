"""``jjj match LISTING_ID`` and ``jjj market import FILE --kind KIND``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from jingjinji.cli._common import CliError, console, find_organization, load_settings, session_scope
from jingjinji.store.models import Listing
from jingjinji.store.tabular import TableError

app = typer.Typer(
    help="Supply–demand market: import lists, rebuild the matching index.", no_args_is_help=True
)


def _index(settings: object) -> object:
    from jingjinji.atlas import load_atlas
    from jingjinji.market import MarketIndex, index_folder, weights_from

    return MarketIndex(
        load_atlas(),
        folder=index_folder(settings),  # type: ignore[arg-type]
        weights=weights_from(settings),  # type: ignore[arg-type]
    )


def match(
    listing_id: int = typer.Argument(..., help="Listing id (a demand, challenge or achievement)."),
    top: int = typer.Option(10, "--top", min=1, max=100, help="How many matches."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print the best matches of a listing with the reasons for each."""
    from jingjinji.market import MarketIndex, compute_matches

    settings = load_settings()
    with session_scope(settings) as session:
        listing = session.get(Listing, listing_id)
        if listing is None:
            raise CliError(f"LISTING_ID: no listing {listing_id}")
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
        ) as bar:
            bar.add_task("loading the matching index", total=None)
            index = _index(settings)
            assert isinstance(index, MarketIndex)
            results = compute_matches(session, index, listing, top=top)
        if as_json:
            payload = [
                {
                    "listing_id": r.listing.id,
                    "title": r.listing.title,
                    "kind": r.listing.kind,
                    "match_id": r.match.id if r.match else None,
                    "score": r.scored.score,
                    "bm25": r.scored.bm25,
                    "reasons": [asdict(reason) for reason in r.scored.reasons],
                    # either side of the match is sample data (示例数据)
                    "includes_sample": "demo" in (listing.provenance, r.listing.provenance),
                }
                for r in results
            ]
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        sample = "（示例数据）" if listing.provenance == "demo" else ""
        table = Table(title=f"{listing.title}{sample} — top {top}")
        for column in ("#", "得分", "对象", "理由（得分构成）"):
            table.add_column(column)
        for rank, r in enumerate(results, start=1):
            reasons = "\n".join(
                f"{x.label} +{x.points:.3f}：{x.detail}" for x in r.scored.reasons if x.points > 0
            )
            table.add_row(
                str(rank), f"{r.scored.score:.3f}", f"[{r.listing.id}] {r.listing.title}", reasons
            )
        console.print(table)


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
