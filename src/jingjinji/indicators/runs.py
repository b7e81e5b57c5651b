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
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from typing import Any

from jingjinji.indicators.evaluate import EvaluationResult, evaluate
from jingjinji.indicators.panel import Panel, PanelError
from jingjinji.indicators.serialize import method_digest, method_parameters, result_to_dict
from jingjinji.indicators.shipped import shipped_panel
from jingjinji.indicators.system import IndicatorSystem, list_systems, load_system

__all__ = [
    "EvaluationError",
    "EvaluationOptions",
    "EvaluationRun",
    "indicator_system",
    "preview",
    "run_evaluation",
    "run_shipped",
    "shipped_options",
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
    """How to evaluate: the arguments of ``evaluate`` that, with the system, make the method.

    The field names are those of ``evaluate`` and of a stored evaluation's columns.
    """

    weighting: str = "entropy"
    aggregation: str = "weighted_sum"
    scope: str = "pooled"
    fill: str | None = None
    coupling: str | None = None

    @classmethod
    def of(cls, source: object) -> EvaluationOptions:
        """The options an object (e.g. a stored evaluation) carries as attributes."""
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})

    def as_dict(self) -> dict[str, Any]:
        """The options as keyword arguments (``evaluate``, ``method_parameters``, columns)."""
        return asdict(self)


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
        result = evaluate(panel, system, **options.as_dict())
    except PanelError:
        raise
    except ValueError as exc:
        log.info("evaluation refused: %s", exc)
        raise EvaluationError(f"无法评价：{exc}", code="evaluation_error") from exc
    digest = method_digest(method_parameters(system, **options.as_dict()))
    return EvaluationRun(options, result, result_to_dict(result), digest)


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
