"""``jjj atlas``: validate the atlas data and show its contents.

``jjj atlas validate [--path DIR]`` prints each problem as ``file: key: message`` and exits 1
when there is any; ``jjj atlas show KIND [--json]`` prints a table (or JSON) of industries,
corridors, belts, platforms, parks, circles or places.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from jingjinji.atlas import Atlas, AtlasError, Industry, load_atlas, validate_atlas
from jingjinji.atlas.models import STAGES
from jingjinji.cli._common import CliError, console

__all__ = ["app"]

app = typer.Typer(
    help="The regional atlas: places, industries, corridors, parks …", no_args_is_help=True
)


class Kind(StrEnum):
    """What ``jjj atlas show`` can list."""

    industries = "industries"
    corridors = "corridors"
    belts = "belts"
    platforms = "platforms"
    parks = "parks"
    circles = "circles"
    places = "places"


def _names(atlas: Atlas, codes: Sequence[str]) -> str:
    return " → ".join(atlas.place(code).short_name for code in codes)


def _industry_names(atlas: Atlas, slugs: Sequence[str]) -> str:
    return "、".join(atlas.industry(slug).name for slug in slugs)


def _stage_counts(industry: Industry) -> str:
    counts = "/".join(str(len(industry.stage_segments(stage))) for stage in STAGES)
    return f"{len(industry.segments)} ({counts})"


def _placed_row(*middle: Callable[[Any], str]) -> Callable[[Atlas, Any], list[str]]:
    """Row builder of an item drawn through places: slug, name, ``middle`` columns, places,
    industries."""
    return lambda atlas, item: [
        item.slug,
        item.name,
        *(column(item) for column in middle),
        _names(atlas, item.places),
        _industry_names(atlas, item.industries),
    ]


#: kind -> (column headers, row builder)
Columns = tuple[list[str], Callable[[Atlas, Any], list[str]]]
COLUMNS: dict[Kind, Columns] = {
    Kind.industries: (
        ["slug", "名称", "角色", "环节数 (上/中/下游)", "供给关系"],
        lambda atlas, i: [
            i.slug,
            i.name,
            "、".join({"chain": "产业链", "cluster": "产业集群"}[r] for r in i.roles),
            _stage_counts(i),
            str(len(i.edges)),
        ],
    ),
    Kind.corridors: (
        ["slug", "名称", "途经", "重点产业"],
        _placed_row(),
    ),
    Kind.belts: (
        ["slug", "名称", "类型", "地点", "重点产业"],
        _placed_row(lambda b: "产业带" if b.kind == "belt" else "园区"),
    ),
    Kind.platforms: (
        ["slug", "名称", "层级", "地点", "重点产业"],
        _placed_row(lambda p: p.tier),
    ),
    Kind.parks: (
        ["slug", "名称", "级别", "所在地", "重点产业"],
        lambda atlas, p: [
            p.slug,
            p.full_name,
            "国家级" if p.level == "national" else "省级",
            f"{atlas.place(p.place).name} ({p.place})",
            _industry_names(atlas, p.industries),
        ],
    ),
    Kind.circles: (
        ["slug", "名称", "核心", "成员", "重点产业"],
        lambda atlas, c: [
            c.slug,
            c.name,
            atlas.place(c.core).name,
            "、".join(atlas.place(code).short_name for code in c.members),
            _industry_names(atlas, c.industries),
        ],
    ),
    Kind.places: (
        ["adcode", "名称", "简称", "级别", "上级", "经度", "纬度"],
        lambda atlas, p: [
            p.adcode,
            p.name,
            p.short_name,
            p.level,
            p.parent or "",
            f"{p.lon:.4f}",
            f"{p.lat:.4f}",
        ],
    ),
}


def _load(path: Path | None) -> Atlas:
    try:
        return load_atlas(path)
    except AtlasError as error:
        raise CliError(
            f"the atlas data has {len(error.problems)} problem(s); run `jjj atlas validate`"
        ) from error


@app.command()
def validate(
    path: Path | None = typer.Option(
        None, "--path", help="Data directory to check (default: the packaged atlas data)."
    ),
) -> None:
    """Check schema and cross-references; print each problem with file and key.

    Exits with status 1 when there is any problem.
    """
    problems = validate_atlas(path)
    for problem in problems:
        console.print(str(problem), highlight=False, markup=False, soft_wrap=True)
    if problems:
        raise CliError(f"{len(problems)} problem(s) in the atlas data")
    atlas = load_atlas(path)
    console.print(
        f"atlas ok: {len(atlas.places)} places, {len(atlas.industries)} industries, "
        f"{sum(len(i.segments) for i in atlas.industries)} segments, "
        f"{len(atlas.corridors)} corridors, {len(atlas.belts)} belts, "
        f"{len(atlas.platforms)} platforms, {len(atlas.parks)} parks, "
        f"{len(atlas.circles)} circles",
        highlight=False,
    )


@app.command()
def show(
    kind: Kind = typer.Argument(..., help="What to list."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    path: Path | None = typer.Option(None, "--path", help="Data directory (default: packaged)."),
) -> None:
    """List industries, corridors, belts, platforms, parks, circles or places."""
    atlas = _load(path)
    items: Sequence[Any] = getattr(atlas, kind.value)
    if as_json:
        data = [item.model_dump(mode="json") for item in items]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    headers, row = COLUMNS[kind]
    table = Table(title=f"{kind.value} ({len(items)})")
    for header in headers:
        table.add_column(header)
    for item in items:
        table.add_row(*row(atlas, item))
    console.print(table)
