"""``jjj evaluate PANEL --system SYSTEM``: evaluate a panel and write a workbook.

SYSTEM is a shipped system's name, a YAML file, or an analyst's own table (XLSX or CSV: 目标层,
准则层, 指标, 单位, 方向 正向/负向/适度, 目标值, 权重, 来源; ``jjj evaluate --template FILE``
writes the template). Every method choice is an option and is printed with the result.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from jingjinji.cli._common import CliError, console
from jingjinji.indicators import (
    EvaluationError,
    EvaluationOptions,
    IndicatorSystemError,
    PanelError,
    load_system,
    read_panel,
    run_evaluation,
    sample_panel,
)
from jingjinji.indicators.datasets import innovation_panel
from jingjinji.indicators.pairwise import PairwiseError, read_pairwise
from jingjinji.indicators.panel import Panel
from jingjinji.indicators.report import result_workbook
from jingjinji.indicators.runs import named_problems
from jingjinji.indicators.system import IndicatorSystem
from jingjinji.indicators.system_table import read_system_table, template_table

BUILTIN_PANELS = {
    "sample": "six-dimension sample panel (示例数据)",
    "province": "NBS province panel",
}
_TABLES = (".xlsx", ".xlsm", ".csv")
_BETWEEN = ("dimensions", "places")
_FORMS = ("corrected", "traditional")


def _system(spec: str) -> IndicatorSystem:
    if Path(spec).suffix.lower() in _TABLES:
        path = Path(spec)
        if not path.is_file():
            raise CliError(f"--system: {spec} is not a file")
        return read_system_table(path)
    return load_system(spec)


def _panel(spec: str, system: IndicatorSystem, fill: str | None) -> Panel:
    if spec == "sample":
        return sample_panel()
    if spec == "province":
        return innovation_panel()
    path = Path(spec)
    if not path.is_file():
        raise CliError(f"PANEL: {spec} is not a file, nor one of {', '.join(BUILTIN_PANELS)}")
    try:
        return read_panel(path, system=system, fill=fill)
    except PanelError as exc:
        raise named_problems(exc, system) from None


def _coupling(coupling: str | None, between: str | None) -> tuple[str | None, str]:
    """(between, form) from ``--coupling`` (a model form, or for older scripts the
    subsystems) and ``--coupling-between``."""
    form = "corrected"
    if coupling in _BETWEEN:
        between = between or coupling
    elif coupling in _FORMS:
        form = coupling
        between = between or "dimensions"
    elif coupling is not None:
        raise CliError(f"--coupling must be one of {', '.join(_FORMS)}, got {coupling!r}")
    if between is not None and between not in _BETWEEN:
        raise CliError(f"--coupling-between must be one of {', '.join(_BETWEEN)}")
    return between, form


def evaluate(
    panel: str = typer.Argument(None, help="CSV/XLSX panel, or 'sample' / 'province'."),
    system: str = typer.Option(
        None, "--system", help="Shipped system name, YAML file, or own table (XLSX/CSV)."
    ),
    normalization: str = typer.Option("minmax", help="minmax | zscore | vector"),
    shift: float = typer.Option(0.0, help="Entropy translation a added to scores, e.g. 0.0001."),
    weighting: str = typer.Option("entropy", help="entropy | critic | std | equal | fixed | ahp"),
    ahp: Path = typer.Option(
        None, "--ahp", help="AHP pairwise matrix (CSV/XLSX) over indicators or dimensions."
    ),
    subjective: str | None = typer.Option(
        None, help="Combine with subjective weights: fixed (the system's) | ahp (--ahp)."
    ),
    alpha: float = typer.Option(0.5, help="w = alpha * subjective + (1 - alpha) * objective."),
    aggregation: str = typer.Option("weighted_sum", help="weighted_sum | topsis | grey"),
    scope: str = typer.Option("pooled", help="pooled (全局) | per_year"),
    coupling: str | None = typer.Option(
        None, help="Coupling model: corrected (王淑佳 et al. 2021) | traditional."
    ),
    coupling_between: str | None = typer.Option(
        None, help="Couple dimensions (default with --coupling) | places."
    ),
    fill: str | None = typer.Option(None, help="Fill gaps: linear | ffill (default: refuse)."),
    drop_dimension: list[str] = typer.Option(
        [], "--drop-dimension", help="A dimension the panel does not cover (repeatable)."
    ),
    out: Path = typer.Option(None, "--out", help="Workbook (.xlsx) to write."),
    template: Path = typer.Option(
        None, "--template", help="Only write the indicator-system template table here."
    ),
) -> None:
    """Evaluate PANEL with an indicator system and write the result workbook."""
    if template is not None:
        template.write_bytes(template_table())
        console.print(f"template written to {template}")
        return
    if panel is None or system is None or out is None:
        raise CliError("PANEL, --system and --out are needed (or --template FILE)")
    between, form = _coupling(coupling, coupling_between)
    options = EvaluationOptions(
        weighting=weighting,
        aggregation=aggregation,
        scope=scope,
        fill=fill,
        coupling=between,
        normalization=normalization,
        shift=shift,
        coupling_form=form,
        drop_dimensions=tuple(drop_dimension),
        subjective=subjective,
        alpha=alpha,
    )
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console) as bar:
        task = bar.add_task("reading the system and the panel", total=3)
        try:
            if ahp is not None:
                options = replace(options, ahp=read_pairwise(ahp))
            spec = _system(system)
            data = _panel(panel, options.system_for(spec), fill)
            bar.update(task, advance=1, description="evaluating")
            run = run_evaluation(data, spec, options)
        except PanelError as exc:
            raise CliError(f"{exc}\n{exc.message_zh}") from exc
        except IndicatorSystemError as exc:
            raise CliError(f"{exc}\n{exc.message_zh}") from exc
        except (EvaluationError, PairwiseError) as exc:
            raise CliError(f"{exc}\n{exc.message_zh}") from exc
        bar.update(task, advance=1, description="writing the workbook")
        out.write_bytes(result_workbook(run.result, run.params_digest))
        bar.update(task, advance=1, description="done")
    result = run.result
    method = ", ".join(
        f"{k}={v}"
        for k, v in options.as_dict().items()
        if (k != "drop_dimensions" or options.drop_dimensions)
        and (k not in ("alpha", "ahp") or options.subjective or options.weighting == "ahp")
        and k != "ahp"
    )
    console.print(f"method: {method}")
    last = max(result.index.index.get_level_values("year"))
    table = Table(
        title=f"{result.system.name} — {last}" + (" （示例数据）" if result.is_sample else "")
    )
    for column in ("排名", "地区", "综合指数"):
        table.add_column(column)
    everything = result.table()
    latest = everything[everything.index.get_level_values("year") == last]
    ranked = latest.sort_values(by="排名").head(10)
    for _, row in ranked.iterrows():
        table.add_row(str(row["排名"]), str(row["地区"]), f"{row['综合指数']:.4f}")
    console.print(table)
    if result.zero_sub_scores and between == "dimensions":
        console.print(
            f"{result.zero_sub_scores} place-years have a zero sub-score: their C and D are 0"
        )
    if len(result.filled):
        console.print(f"{len(result.filled)} missing cells filled ({fill})")
    console.print(f"workbook written to {out}")
