"""Evaluation of a panel with an indicator system: normalise, weight, aggregate, rank and
(optionally) measure coupling coordination. Pure: panel and system in, result out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from jingjinji.indicators.aggregate import grey_relational, topsis, weighted_sum
from jingjinji.indicators.coupling import coupling_coordination
from jingjinji.indicators.normalize import normalize
from jingjinji.indicators.panel import Panel
from jingjinji.indicators.places import place_name
from jingjinji.indicators.system import IndicatorSystem, load_system
from jingjinji.indicators.weights import (
    critic_weights,
    entropy_weights,
    equal_weights,
    std_weights,
)

__all__ = [
    "AGGREGATIONS",
    "SCOPES",
    "WEIGHTINGS",
    "EvaluationResult",
    "evaluate",
    "monitor",
]

WEIGHTINGS = ("entropy", "critic", "std", "equal", "fixed")
AGGREGATIONS = ("weighted_sum", "topsis", "grey")
SCOPES = ("pooled", "per_year")
COUPLINGS = ("dimensions", "places")

Aggregator = Callable[[pd.DataFrame, pd.Series], pd.Series]


@dataclass(frozen=True)
class EvaluationResult:
    """Everything an evaluation produces.

    - ``weights``: rows = weighting scope (``"pooled"`` or each year), columns = indicators.
    - ``normalized``: min-max scores, rows (place, year), columns = indicators.
    - ``sub_scores``: rows (place, year), one column per dimension (in [0, 1]).
    - ``index``: the composite index per (place, year); ``ranks``: rank within each year
      (1 = best).
    - ``coupling``: coupling coordination (C, T, D, level, grade) between dimensions (rows
      (place, year)) or between places (rows = years), else ``None``.
    """

    system: IndicatorSystem
    weighting: str
    aggregation: str
    scope: str
    weights: pd.DataFrame
    normalized: pd.DataFrame
    sub_scores: pd.DataFrame
    index: pd.Series
    ranks: pd.Series
    coupling: pd.DataFrame | None
    coupling_between: str | None
    names: dict[str, str]
    is_sample: bool
    input_digest: str
    filled: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def dimension_weights(self) -> pd.DataFrame:
        """Weights summed per dimension (rows = scope)."""
        dims = pd.Series(self.system.dimension_of)
        return self.weights.T.groupby(dims).sum().T[[d.id for d in self.system.dimensions]]

    def table(self) -> pd.DataFrame:
        """One row per (place, year): name, sub-scores, index and rank."""
        out = self.sub_scores.copy()
        out.columns = pd.Index([d.name for d in self.system.dimensions])
        out["综合指数"] = self.index
        out["排名"] = self.ranks
        out.insert(
            0,
            "地区",
            [self.names.get(p) or place_name(p) for p in out.index.get_level_values("place")],
        )
        return out


def _weights(method: str, z: pd.DataFrame, system: IndicatorSystem, shift: float) -> pd.Series:
    if method == "entropy":
        return entropy_weights(z, shift=shift)
    if method == "critic":
        return critic_weights(z)
    if method == "std":
        return std_weights(z)
    if method == "equal":
        return equal_weights(z.columns)
    fixed = system.fixed_weights
    if fixed is None:
        raise ValueError(f"weighting='fixed' needs weights on every indicator of {system.id!r}")
    return pd.Series(fixed, name="weight").reindex(z.columns)


def _aggregator(method: str) -> Aggregator:
    if method == "weighted_sum":
        return lambda z, w: weighted_sum(z, w)
    if method == "topsis":
        return lambda z, w: topsis(z, w)
    return lambda z, w: grey_relational(z, w)


def evaluate(
    panel: Panel,
    system: IndicatorSystem | str | Path,
    *,
    weighting: str = "entropy",
    aggregation: str = "weighted_sum",
    scope: str = "pooled",
    coupling: str | None = None,
    coupling_form: str = "corrected",
    fill: str | None = None,
    shift: float = 0.0,
) -> EvaluationResult:
    """Evaluate ``panel`` with ``system``.

    1. Min-max normalisation with the system's directions, over all place-years together
       (``scope="pooled"``, the global entropy method 全局熵值法, so scores compare across
       years) or within each year's cross-section (``scope="per_year"``).
    2. Weights by ``weighting``: ``entropy`` (``shift`` as in ``entropy_weights``),
       ``critic``, ``std``, ``equal`` or ``fixed`` (the system's weights).
    3. Aggregation by ``aggregation``: ``weighted_sum``, ``topsis`` or ``grey`` (grey
       relational grade) of the normalised scores. Dimension sub-scores aggregate each
       dimension's indicators with the weights renormalised within the dimension; the
       composite index aggregates all indicators (for weighted_sum it equals the sum of
       sub-scores times dimension weights).
    4. Ranks within each year (1 = best, ties share the best rank).
    5. ``coupling="dimensions"``: coupling coordination between the dimension sub-scores of
       each place-year; ``"places"``: between the places' composite index in each year.

    Gaps in the panel are refused unless ``fill`` names a rule (``Panel.complete``).
    """
    if isinstance(system, str | Path):
        system = load_system(system)
    for name, value, allowed in (
        ("weighting", weighting, WEIGHTINGS),
        ("aggregation", aggregation, AGGREGATIONS),
        ("scope", scope, SCOPES),
    ):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    if coupling is not None and coupling not in COUPLINGS:
        raise ValueError(f"coupling must be None, 'dimensions' or 'places', got {coupling!r}")
    full = panel.complete(system.indicator_ids, fill=fill)
    x = full.wide(system.indicator_ids)
    if len(x) < 2:
        raise ValueError("panel needs at least two place-years to evaluate")
    directions = system.directions
    aggregate = _aggregator(aggregation)
    dims = system.dimensions

    groups: list[tuple[str | int, pd.DataFrame]]
    if scope == "pooled":
        groups = [("pooled", x)]
    else:
        groups = [(int(str(y)), g) for y, g in x.groupby(level="year")]
        small = [str(y) for y, g in groups if len(g) < 2]
        if small:
            raise ValueError(
                f"scope='per_year' needs two places per year; not in {', '.join(small)}"
            )

    weight_rows: dict[str | int, pd.Series] = {}
    normalized_parts, sub_parts, index_parts = [], [], []
    for key, raw in groups:
        z = normalize(raw, directions, "minmax")
        w = _weights(weighting, z, system, shift)
        weight_rows[key] = w
        normalized_parts.append(z)
        index_parts.append(aggregate(z, w))
        subs = {}
        for dim in dims:
            cols = [ind.id for ind in dim.indicators]
            wd = w[cols]
            wd = wd / wd.sum() if wd.sum() > 0 else pd.Series(1.0 / len(cols), index=cols)
            subs[dim.id] = aggregate(z[cols], wd)
        sub_parts.append(pd.DataFrame(subs))
    normalized = pd.concat(normalized_parts).sort_index()
    sub_scores = pd.concat(sub_parts).sort_index()
    index = pd.concat(index_parts).sort_index().rename("index")
    ranks = (
        index.groupby(level="year").rank(ascending=False, method="min").astype(int).rename("rank")
    )
    weights = pd.DataFrame(weight_rows).T
    weights.index.name = "scope"

    coupling_table: pd.DataFrame | None = None
    if coupling == "dimensions":
        if len(dims) < 2:
            raise ValueError(f"coupling='dimensions' needs at least 2 dimensions in {system.id!r}")
        coupling_table = coupling_coordination(sub_scores.clip(0.0, 1.0), form=coupling_form)
    elif coupling == "places":
        by_place = index.unstack("place")
        if by_place.shape[1] < 2:
            raise ValueError("coupling='places' needs at least 2 places")
        coupling_table = coupling_coordination(by_place.clip(0.0, 1.0), form=coupling_form)

    names = {p: full.name(p) for p in full.places}
    return EvaluationResult(
        system=system,
        weighting=weighting,
        aggregation=aggregation,
        scope=scope,
        weights=weights,
        normalized=normalized,
        sub_scores=sub_scores,
        index=index,
        ranks=ranks,
        coupling=coupling_table,
        coupling_between=coupling,
        names=names,
        is_sample=panel.is_sample,
        input_digest=panel.digest(),
        filled=full.filled,
    )


def monitor(panel: Panel, system: IndicatorSystem | str | Path) -> pd.DataFrame:
    """Compare every observed value with its indicator's threshold (bottom line, 底线).

    Returns one row per observed (place, year, indicator) of the indicators that have a
    threshold: value, threshold, gap = value - threshold (for a cost indicator,
    threshold - value) and status ``达标`` (met) or ``低于底线`` (below the bottom line).
    Gaps in the panel are skipped, not filled.
    """
    if isinstance(system, str | Path):
        system = load_system(system)
    limits = {ind.id: ind for ind in system.indicators if ind.threshold is not None}
    if not limits:
        raise ValueError(f"system {system.id!r} has no indicator with a threshold")
    rows = panel.data[panel.data["indicator"].isin(limits) & panel.data["value"].notna()].copy()
    rows["threshold"] = rows["indicator"].map(lambda i: limits[i].threshold)
    sign = rows["indicator"].map(lambda i: limits[i].direction)
    rows["gap"] = (rows["value"] - rows["threshold"]) * sign
    rows["status"] = rows["gap"].map(lambda g: "达标" if g >= 0 else "低于底线")
    rows["name"] = rows["indicator"].map(lambda i: limits[i].name)
    return rows.sort_values(["indicator", "place", "year"]).reset_index(drop=True)
