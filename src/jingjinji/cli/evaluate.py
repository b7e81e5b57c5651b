"""``jjj evaluate PANEL --system SYSTEM``: evaluate a panel and write a workbook."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from jingjinji.cli._common import CliError, console
from jingjinji.indicators import (
    IndicatorSystemError,
    PanelError,
    load_system,
    read_panel,
    sample_panel,
)
from jingjinji.indicators import evaluate as run_evaluation
from jingjinji.indicators.datasets import innovation_panel
from jingjinji.indicators.panel import Panel
from jingjinji.indicators.report import result_workbook

BUILTIN_PANELS = {
    "sample": "six-dimension sample panel (示例数据)",
    "province": "NBS province panel",
}


def _panel(spec: str, system_id: str, fill: str | None) -> Panel:
    if spec == "sample":
        return sample_panel()
    if spec == "province":
        return innovation_panel()
    path = Path(spec)
    if not path.is_file():
        raise CliError(f"PANEL: {spec} is not a file, nor one of {', '.join(BUILTIN_PANELS)}")
    return read_panel(path, system=load_system(system_id), fill=fill)


def evaluate(
    panel: str = typer.Argument(..., help="CSV/XLSX panel, or 'sample' / 'province'."),
    system: str = typer.Option(..., "--system", help="Shipped template name or YAML path."),
    weighting: str = typer.Option("entropy", help="entropy | critic | std | equal | fixed"),
    aggregation: str = typer.Option("weighted_sum", help="weighted_sum | topsis | grey"),
    scope: str = typer.Option("pooled", help="pooled | per_year"),
    coupling: str | None = typer.Option(None, help="dimensions | places"),
    fill: str | None = typer.Option(None, help="Fill gaps: linear | ffill (default: refuse)."),
    out: Path = typer.Option(..., "--out", help="Workbook (.xlsx) to write."),
) -> None:
    """Evaluate PANEL with an indicator system and write the result workbook."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task("reading the system and the panel", total=3)
        try:
            spec = load_system(system)
            data = _panel(panel, system, fill)
            bar.update(task, advance=1, description="evaluating")
            result = run_evaluation(
                data,
                spec,
                weighting=weighting,
                aggregation=aggregation,
                scope=scope,
                coupling=coupling,
                fill=fill,
            )
        except PanelError as exc:
            raise CliError(f"{exc}\n{exc.message_zh}") from exc
        except IndicatorSystemError as exc:
            raise CliError(str(exc)) from exc
        except ValueError as exc:
            raise CliError(str(exc)) from exc
        bar.update(task, advance=1, description="writing the workbook")
        out.write_bytes(result_workbook(result))
        bar.update(task, advance=1, description="done")
    last = max(result.index.index.get_level_values("year"))
    table = Table(title=f"{spec.name} — {last}" + (" （示例数据）" if result.is_sample else ""))
    for column in ("排名", "地区", "综合指数"):
        table.add_column(column)
    everything = result.table()
    latest = everything[everything.index.get_level_values("year") == last]
    ranked = latest.sort_values(by="排名").head(10)
    for _, row in ranked.iterrows():
        table.add_row(str(row["排名"]), str(row["地区"]), f"{row['综合指数']:.4f}")
    console.print(table)
    if len(result.filled):
        console.print(f"{len(result.filled)} missing cells filled ({fill})")
    console.print(f"workbook written to {out}")
