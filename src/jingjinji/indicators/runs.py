"""Running an evaluation as the platform offers it: method options, refusals, digests.

``run_evaluation`` evaluates a panel with an indicator system and ``EvaluationOptions`` and
returns an ``EvaluationRun``: the options, the result, its compact JSON form and the SHA-256
digest of the method. ``run_shipped`` does the same for a shipped panel and a shipped system
by name (cached: such runs are pure functions of their arguments); ``preview`` first gives
the panel's default fill rule (``shipped_options``). What cannot be evaluated is refused with
an ``EvaluationError`` (or the panel's ``PanelError``); ``indicator_system`` refuses an
unknown system name. Nothing here touches the database or the web layer."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from typing import Any

import pandas as pd

from jingjinji.indicators.analysis import analysis_of
from jingjinji.indicators.evaluate import EvaluationResult, evaluate
from jingjinji.indicators.pairwise import Pairwise, PairwiseError, pairwise_weights
from jingjinji.indicators.panel import Panel, PanelError, PanelProblem
from jingjinji.indicators.refusals import refusal_zh
from jingjinji.indicators.serialize import method_digest, method_parameters, result_to_dict
from jingjinji.indicators.shipped import shipped_panel
from jingjinji.indicators.system import (
    IndicatorSystem,
    IndicatorSystemError,
    list_systems,
    load_system,
)

__all__ = [
    "EvaluationError",
    "EvaluationOptions",
    "EvaluationRun",
    "indicator_system",
    "named_problems",
    "preview",
    "run_evaluation",
    "run_shipped",
    "shipped_options",
    "subjective_weights",
]

log = logging.getLogger(__name__)


class EvaluationError(ValueError):
    """A refused evaluation: a status (422 unless said), an optional stable ``code``, the
    ``field`` at fault (if any), an English message (``str``) and a Chinese one for users."""

    def __init__(
        self,
        message_zh: str,
        *,
        code: str | None = None,
        field: str | None = None,
        message: str = "",
        status: int = 422,
    ) -> None:
        super().__init__(message or message_zh)
        self.message_zh, self.code, self.field, self.status = message_zh, code, field, status


@dataclass(frozen=True)
class EvaluationOptions:
    """How to evaluate: the arguments of ``evaluate`` that, with the system, make the method,
    and the dimensions of the system left out (``drop_dimensions``, ids or names: a panel
    covers a subset of a system only when the user says so).

    The field names are those of ``evaluate`` and of a stored evaluation's columns; every
    choice is stated, none is hidden (the defaults are those of the page, the API and the
    CLI alike).
    """

    weighting: str = "entropy"
    aggregation: str = "weighted_sum"
    scope: str = "pooled"
    fill: str | None = None
    coupling: str | None = None
    normalization: str = "minmax"
    shift: float = 0.0
    coupling_form: str = "corrected"
    drop_dimensions: tuple[str, ...] = ()
    #: subjective weights combined with the objective ``weighting``: ``fixed`` (the system's
    #: 权重 column) or ``ahp`` (``ahp``, a pairwise matrix), w = alpha s + (1 - alpha) o
    subjective: str | None = None
    alpha: float = 0.5
    ahp: Pairwise | None = None

    @classmethod
    def of(cls, source: object) -> EvaluationOptions:
        """The options an object (e.g. a stored evaluation) carries as attributes."""
        values: dict[str, Any] = {f.name: getattr(source, f.name, f.default) for f in fields(cls)}
        values["drop_dimensions"] = tuple(values["drop_dimensions"] or ())
        values["shift"] = float(values["shift"] or 0.0)
        values["normalization"] = values["normalization"] or "minmax"
        values["coupling_form"] = values["coupling_form"] or "corrected"
        values["alpha"] = 0.5 if values["alpha"] is None else float(values["alpha"])
        matrix = values["ahp"]
        if isinstance(matrix, dict):
            values["ahp"] = Pairwise(
                tuple(matrix["labels"]), tuple(tuple(row) for row in matrix["values"])
            )
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """The options as keyword arguments of ``method_parameters`` and as columns (the
        matrix as ``{"labels": [...], "values": [[...]]}``)."""
        out = asdict(self)
        if self.ahp is not None:
            out["ahp"] = {
                "labels": list(self.ahp.labels),
                "values": [list(r) for r in self.ahp.values],
            }
        return out

    def evaluate_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``evaluate``, without the subjective inputs (see
        :func:`subjective_weights`)."""
        out = asdict(self)
        for key in ("drop_dimensions", "subjective", "alpha", "ahp"):
            out.pop(key)
        return out

    def system_for(self, system: IndicatorSystem) -> IndicatorSystem:
        """``system`` without the dimensions these options drop."""
        return system.without(list(self.drop_dimensions)) if self.drop_dimensions else system


@dataclass(frozen=True)
class EvaluationRun:
    """An evaluation as run: the options used, the result, its JSON form and method digest."""

    options: EvaluationOptions
    result: EvaluationResult
    data: dict[str, Any]
    params_digest: str


def indicator_system(name: str) -> IndicatorSystem:
    """The shipped indicator system ``name``; ``EvaluationError`` (code ``unknown_system``)
    names the choices when there is none (``IndicatorSystemError`` for a broken template)."""
    if name not in list_systems():
        raise EvaluationError(
            f"未知的指标体系“{name}”，可选：{'、'.join(list_systems())}",
            code="unknown_system",
            field="system",
            message=f"unknown system {name!r}",
        )
    return load_system(name)


def run_evaluation(
    panel: Panel, system: IndicatorSystem, options: EvaluationOptions
) -> EvaluationRun:
    """Evaluate ``panel`` with ``system`` and ``options``.

    Refuses a bottom-line monitor system (``EvaluationError``, code ``monitor_system``), a
    panel that does not fit (``PanelError``) and whatever else the engine cannot evaluate
    (``EvaluationError``, code ``evaluation_error``).
    """
    if system.is_monitor:
        raise EvaluationError(f"{system.name}是底线监测体系，不用于综合评价", code="monitor_system")
    try:
        system = options.system_for(system)
    except IndicatorSystemError as exc:
        raise EvaluationError(
            exc.message_zh, code="unknown_dimension", field="drop_dimensions"
        ) from None
    _check_choices(options)
    subjective, consistency = subjective_weights(options, system)
    combined = options.subjective is not None and options.weighting != "ahp"
    try:
        result = evaluate(
            panel,
            system,
            **options.evaluate_arguments(),
            subjective=subjective,
            alpha=options.alpha if combined else None,
        )
    except PanelError as exc:
        raise named_problems(exc, system) from None
    except ValueError as exc:
        log.info("evaluation refused: %s", exc)
        names = {ind.id: ind.name for ind in system.indicators}
        raise EvaluationError(
            f"无法评价：{refusal_zh(str(exc), names)}",
            code="evaluation_error",
            message=f"cannot evaluate: {exc}",
        ) from exc
    digest = method_digest(method_parameters(system, **options.as_dict()))
    data = result_to_dict(result)
    data["analysis"] = analysis_of(result)
    data["subjective"] = (
        None
        if subjective is None
        else {
            "source": "ahp"
            if options.ahp is not None
            and (options.weighting == "ahp" or options.subjective == "ahp")
            else "fixed",
            "alpha": options.alpha if combined else None,
            "weights": [float(subjective[i]) for i in system.indicator_ids],
            "consistency": consistency,
        }
    )
    return EvaluationRun(options, result, data, digest)


def _check_choices(options: EvaluationOptions) -> None:
    """Refuse, in Chinese, combinations of methods that cannot work together."""
    if options.normalization == "zscore" and options.weighting == "entropy":
        raise EvaluationError(
            "熵值法需要非负的标准化得分：Z 分数有负值，请改用极差标准化或向量归一化，"
            "或换用 CRITIC、标准差法",
            code="bad_combination",
            field="normalization",
        )
    if options.coupling is not None and options.normalization != "minmax":
        raise EvaluationError(
            "耦合协调度需要 [0, 1] 区间内的得分，请选择极差标准化",
            code="bad_combination",
            field="coupling",
        )


def subjective_weights(
    options: EvaluationOptions, system: IndicatorSystem
) -> tuple[pd.Series | None, dict[str, Any] | None]:
    """The subjective weights ``options`` ask for (``None`` for a purely objective
    weighting) and, for an AHP matrix, its consistency (lambda_max, CI, CR); refuses with an
    ``EvaluationError`` what cannot be used (no matrix, a system without weights, an
    inconsistent matrix)."""
    source = "ahp" if options.weighting == "ahp" else options.subjective
    if source is None:
        return None, None
    if options.weighting == "fixed" and options.subjective is not None:
        raise EvaluationError(
            "组合赋权需要客观赋权方法（熵值法、CRITIC、标准差法或等权）",
            code="bad_weighting",
            field="weighting",
        )
    if source == "fixed":
        fixed = system.fixed_weights
        if fixed is None:
            raise EvaluationError(
                f"指标体系“{system.name}”没有给出权重，不能作为主观权重",
                code="no_weights",
                field="subjective",
            )
        return pd.Series(fixed).reindex(system.indicator_ids), None
    if source != "ahp":
        raise EvaluationError(
            f"未知的主观权重来源“{source}”", code="bad_subjective", field="subjective"
        )
    if options.ahp is None:
        raise EvaluationError("层次分析法需要上传判断矩阵", code="ahp_required", field="ahp_matrix")
    try:
        return pairwise_weights(options.ahp, system)
    except PairwiseError as exc:
        raise EvaluationError(exc.message_zh, code="bad_matrix", field="ahp_matrix") from None


_QUOTED = re.compile(r"“([a-z][a-z0-9_]*)”")


def named_problems(exc: PanelError, system: IndicatorSystem) -> PanelError:
    """``exc`` with the system's indicators named in Chinese (not by their ids) in the
    Chinese messages; a missing indicator also tells how to leave its dimension out."""
    names = {ind.id: ind.name for ind in system.indicators}
    dimension = {ind.id: dim.name for dim in system.dimensions for ind in dim.indicators}
    problems = []
    for p in exc.problems:
        zh = _QUOTED.sub(lambda m: f"“{names.get(m.group(1), m.group(1))}”", p.message_zh)
        column = names.get(p.column or "", p.column)
        missing = re.search(r"indicator '([a-z][a-z0-9_]*)' of the system", p.message)
        if missing and missing.group(1) in dimension:
            zh += (
                f"（属于维度“{dimension[missing.group(1)]}”；"
                "如面板只覆盖部分维度，请选择去掉该维度）"
            )
        problems.append(PanelProblem(p.file, p.sheet, p.row, column, p.message, zh))
    return PanelError(problems)


@lru_cache(maxsize=64)
def run_shipped(panel: str, system: str, options: EvaluationOptions) -> EvaluationRun:
    """``run_evaluation`` of shipped panel ``panel`` with shipped system ``system``, exactly
    with ``options``. Cached: a shipped panel's evaluation is a pure function of these."""
    return run_evaluation(shipped_panel(panel).load(), indicator_system(system), options)


def shipped_options(panel: str, options: EvaluationOptions) -> EvaluationOptions:
    """``options`` for shipped panel ``panel``: without a fill rule, the panel's default."""
    if options.fill is not None:
        return options
    return replace(options, fill=shipped_panel(panel).default_fill)


def preview(panel: str, system: str, options: EvaluationOptions) -> EvaluationRun:
    """``run_shipped`` with ``shipped_options``: the evaluation of shipped panel ``panel``
    with shipped system ``system`` (``EvaluationRun.options`` says the fill rule used)."""
    return run_shipped(panel, system, shipped_options(panel, options))
