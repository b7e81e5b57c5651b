"""Evaluation of a panel with an indicator system: normalise, weight, aggregate, rank and
(optionally) measure coupling coordination. Pure: panel and system in, result out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from jingjinji.indicators.aggregate import grey_relational, topsis, weighted_sum
from jingjinji.indicators.coupling import coupling_coordination
from jingjinji.indicators.normalize import normalized_values, oriented_values
from jingjinji.indicators.panel import Panel
from jingjinji.indicators.places import place_name
from jingjinji.indicators.system import IndicatorSystem, load_system
from jingjinji.indicators.weights import (
    combine_weights,
    critic_weights,
    entropy_values,
    equal_weights,
    std_weights,
)

__all__ = [
    "AGGREGATIONS",
    "COUPLING_FORMS",
    "NORMALIZATIONS",
    "SCOPES",
    "WEIGHTINGS",
    "EvaluationResult",
    "Scores",
    "evaluate",
    "monitor",
    "score_table",
]

WEIGHTINGS = ("entropy", "critic", "std", "equal", "fixed", "ahp")
#: The weightings that need no subjective input: they can be combined with subjective weights.
OBJECTIVE = ("entropy", "critic", "std", "equal")
AGGREGATIONS = ("weighted_sum", "topsis", "grey")
SCOPES = ("pooled", "per_year")
COUPLINGS = ("dimensions", "places")
COUPLING_FORMS = ("corrected", "traditional")
NORMALIZATIONS = ("minmax", "zscore", "vector")

Aggregator = Callable[[pd.DataFrame, pd.Series], pd.Series]


@dataclass(frozen=True)
class EvaluationResult:
    """Everything an evaluation produces.

    - ``weights``: rows = weighting scope (``"pooled"`` or each year), columns = indicators.
    - ``raw``: the panel evaluated (gaps filled), rows (place, year), columns = indicators.
    - ``normalized``: the normalised scores (``normalization``), same shape.
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
    raw: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the subjective weights combined in (``None`` without) and the objective ones per scope
    subjective: pd.Series | None = None
    objective: pd.DataFrame | None = None
    alpha: float | None = None
    normalization: str = "minmax"
    shift: float = 0.0
    coupling_form: str = "corrected"

    @property
    def zero_sub_scores(self) -> int:
        """How many place-years have a dimension sub-score of exactly 0: with min-max
        normalisation a place at the minimum of every indicator of a dimension scores 0
        there, and its coupling degree C (hence D) is then 0 whatever its other dimensions."""
        return int((self.sub_scores.to_numpy() <= 0).any(axis=1).sum())

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


def _weights(
    method: str, z: pd.DataFrame, system: IndicatorSystem, subjective: pd.Series | None
) -> pd.Series:
    """The weights of ``method`` other than entropy (see :func:`_weight_values`)."""
    if method == "critic":
        return critic_weights(z)
    if method == "std":
        return std_weights(z)
    if method == "equal":
        return equal_weights(z.columns)
    if method == "ahp":
        if subjective is None:
            raise ValueError("weighting='ahp' needs the weights of a pairwise-comparison matrix")
        return subjective.reindex(z.columns).rename("weight")
    fixed = system.fixed_weights
    if fixed is None:
        raise ValueError(f"weighting='fixed' needs weights on every indicator of {system.id!r}")
    return pd.Series(fixed, name="weight").reindex(z.columns)


def aggregator(method: str) -> Aggregator:
    """The aggregation ``method`` (``AGGREGATIONS``) as a function of scores and weights."""
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
    normalization: str = "minmax",
    subjective: Mapping[str, float] | pd.Series | None = None,
    alpha: float | None = None,
) -> EvaluationResult:
    """Evaluate ``panel`` with ``system``.

    1. Normalisation (``normalization``: ``minmax``, ``zscore`` or ``vector``, see
       :func:`normalize`) with the system's directions, over all place-years together
       (``scope="pooled"``, the global entropy method 全局熵值法, so scores compare across
       years) or within each year's cross-section (``scope="per_year"``). A moderate (适度)
       indicator with target k is first made a benefit indicator, x' = 1 - |x - k| /
       max|x - k| (:func:`oriented`), then normalised like the others.
    2. Weights by ``weighting``: ``entropy`` (p_ij = (z_ij + a) / sum_i (z_ij + a) with the
       translation ``shift`` a, e.g. 0.0001; see ``entropy_weights``), ``critic``, ``std``,
       ``equal``, ``fixed`` (the system's weights) or ``ahp`` (``subjective``, the weights of
       a pairwise-comparison matrix, :mod:`jingjinji.indicators.pairwise`). With
       ``subjective`` weights s and an ``alpha`` in [0, 1], an objective weighting o is
       combined linearly: w_j = alpha s_j + (1 - alpha) o_j (主客观组合赋权).
    3. Aggregation by ``aggregation``: ``weighted_sum``, ``topsis`` or ``grey`` (grey
       relational grade) of the normalised scores. Dimension sub-scores aggregate each
       dimension's indicators with the weights renormalised within the dimension; the
       composite index aggregates all indicators (for weighted_sum it equals the sum of
       sub-scores times dimension weights).
    4. Ranks within each year (1 = best, ties share the best rank).
    5. ``coupling="dimensions"``: coupling coordination between the dimension sub-scores of
       each place-year; ``"places"``: between the places' composite index in each year;
       ``coupling_form`` chooses C, ``"traditional"`` or ``"corrected"`` (王淑佳 et al.
       2021), see :func:`coupling_coordination`. Sub-scores must lie in [0, 1] (min-max).

    Gaps in the panel are refused unless ``fill`` names a rule (``Panel.complete``).
    """
    if isinstance(system, str | Path):
        system = load_system(system)
    for name, value, allowed in (
        ("weighting", weighting, WEIGHTINGS),
        ("aggregation", aggregation, AGGREGATIONS),
        ("scope", scope, SCOPES),
        ("normalization", normalization, NORMALIZATIONS),
        ("coupling_form", coupling_form, COUPLING_FORMS),
    ):
        if value not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")
    s = None if subjective is None else pd.Series(subjective, dtype=float)
    if alpha is not None:
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
        if s is None or weighting not in OBJECTIVE:
            raise ValueError("alpha combines subjective weights with an objective weighting")
    if coupling is not None and coupling not in COUPLINGS:
        raise ValueError(f"coupling must be None, 'dimensions' or 'places', got {coupling!r}")
    full = panel.complete(system.indicator_ids, fill=fill)
    x = full.wide(system.indicator_ids)
    scores = score_table(
        x,
        system,
        weighting=weighting,
        aggregation=aggregation,
        scope=scope,
        coupling=coupling,
        coupling_form=coupling_form,
        shift=shift,
        normalization=normalization,
        subjective=s,
        alpha=alpha,
    )
    names = {p: full.name(p) for p in full.places}
    return EvaluationResult(
        system=system,
        weighting=weighting,
        aggregation=aggregation,
        scope=scope,
        weights=scores.weights,
        normalized=scores.normalized,
        sub_scores=scores.sub_scores,
        index=scores.index,
        ranks=scores.ranks,
        coupling=scores.coupling,
        coupling_between=coupling,
        names=names,
        is_sample=panel.is_sample,
        input_digest=panel.digest(),
        filled=full.filled,
        raw=x,
        subjective=s if alpha is not None or weighting == "ahp" else None,
        objective=scores.objective,
        alpha=alpha,
        normalization=normalization,
        shift=shift,
        coupling_form=coupling_form,
    )


@dataclass(frozen=True)
class Scores:
    """What :func:`score_table` computes (see :class:`EvaluationResult` for each part)."""

    weights: pd.DataFrame
    objective: pd.DataFrame | None
    normalized: pd.DataFrame
    sub_scores: pd.DataFrame
    index: pd.Series
    ranks: pd.Series
    coupling: pd.DataFrame | None


def score_table(
    x: pd.DataFrame,
    system: IndicatorSystem,
    *,
    weighting: str = "entropy",
    aggregation: str = "weighted_sum",
    scope: str = "pooled",
    coupling: str | None = None,
    coupling_form: str = "corrected",
    shift: float = 0.0,
    normalization: str = "minmax",
    subjective: pd.Series | None = None,
    alpha: float | None = None,
) -> Scores:
    """Steps 1 to 5 of :func:`evaluate` on ``x``, a complete table of place-years (rows
    (place, year), sorted) and the system's indicators (columns): the computation, without
    reading, completing or hashing the panel. The options are those of ``evaluate``.

    The weighted sum, min-max, z-score and vector normalisation and entropy weights run on
    one NumPy array; the other methods through their functions on frames."""
    if len(x) < 2:
        raise ValueError("panel needs at least two place-years to evaluate")
    ids = system.indicator_ids
    values = (x if list(x.columns) == ids else x[ids]).to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError("the table to evaluate has missing or infinite values")
    columns = pd.Index(ids)
    targets = {ids.index(i): k for i, k in system.targets.items() if i in ids}
    cost = np.array([system.directions[i] < 0 for i in ids])
    dims = system.dimensions
    positions = {i: j for j, i in enumerate(ids)}
    members = [np.array([positions[ind.id] for ind in d.indicators]) for d in dims]

    groups: list[tuple[str | int, np.ndarray | slice]]
    if scope == "pooled":
        groups = [("pooled", slice(None))]  # a view: no copy of the table
    else:
        years = x.index.get_level_values("year")
        by_year = [(int(y), np.flatnonzero(years == y)) for y in sorted(years.unique())]
        small = [str(y) for y, rows in by_year if len(rows) < 2]
        if small:
            raise ValueError(
                f"scope='per_year' needs two places per year; not in {', '.join(small)}"
            )
        groups = list(by_year)

    weight_rows: dict[str | int, np.ndarray] = {}
    objective_rows: dict[str | int, np.ndarray] = {}
    z_all = values if scope == "pooled" else np.empty_like(values)  # pooled: replaced
    subs_all = np.empty((len(x), len(dims)))
    index_all = np.empty(len(x))
    for key, rows in groups:
        z = normalized_values(oriented_values(values[rows], targets), cost, normalization, columns)
        w = _weight_values(weighting, z, columns, system, shift, subjective)
        if alpha is not None and subjective is not None:
            objective_rows[key] = w
            combined = combine_weights(
                subjective.reindex(columns),
                pd.Series(w, index=columns),
                method="linear",
                alpha=alpha,
            )
            w = combined.reindex(columns).to_numpy()
        weight_rows[key] = w
        if scope == "pooled":
            z_all = z
        else:
            z_all[rows] = z
        index_all[rows] = _aggregate(aggregation, z, w, columns)
        for k, cols in enumerate(members):
            wd = w[cols]
            total = wd.sum()
            wd = wd / total if total > 0 else np.full(len(cols), 1.0 / len(cols))
            subs_all[rows, k] = _aggregate(aggregation, z[:, cols], wd, columns[cols])

    normalized = pd.DataFrame(z_all, index=x.index, columns=columns)
    sub_scores = pd.DataFrame(subs_all, index=x.index, columns=[d.id for d in dims])
    index = pd.Series(index_all, index=x.index, name="index")
    ranks = (
        index.groupby(level="year").rank(ascending=False, method="min").astype(int).rename("rank")
    )
    weights = pd.DataFrame(weight_rows, index=columns).T
    weights.index.name = "scope"
    objective = pd.DataFrame(objective_rows, index=columns).T if objective_rows else None

    coupling_table: pd.DataFrame | None = None
    gaps = sub_scores.isna().any().to_numpy()
    undefined = [d.name for d, gap in zip(dims, gaps, strict=True) if gap]
    if coupling is not None and (undefined or index.isna().any()):
        raise ValueError(
            "coupling needs every score; undefined sub-scores in dimension(s) "
            f"{', '.join(undefined) or '-'} ({aggregation} of alternatives all alike)"
        )
    if coupling == "dimensions":
        if len(dims) < 2:
            raise ValueError(f"coupling='dimensions' needs at least 2 dimensions in {system.id!r}")
        _unit_interval(sub_scores, normalization)
        coupling_table = coupling_coordination(sub_scores.clip(0.0, 1.0), form=coupling_form)
    elif coupling == "places":
        by_place = index.unstack("place")
        _unit_interval(by_place, normalization)
        if by_place.shape[1] < 2:
            raise ValueError("coupling='places' needs at least 2 places")
        coupling_table = coupling_coordination(by_place.clip(0.0, 1.0), form=coupling_form)
    return Scores(weights, objective, normalized, sub_scores, index, ranks, coupling_table)


def _weight_values(
    method: str,
    z: np.ndarray,
    columns: pd.Index,
    system: IndicatorSystem,
    shift: float,
    subjective: pd.Series | None,
) -> np.ndarray:
    if method == "entropy":
        return entropy_values(z, shift)
    frame = pd.DataFrame(z, columns=columns)
    return _weights(method, frame, system, subjective).reindex(columns).to_numpy()


def _aggregate(method: str, z: np.ndarray, w: np.ndarray, columns: pd.Index) -> np.ndarray:
    if method == "weighted_sum":
        out: np.ndarray = z @ w
        return out
    frame = pd.DataFrame(z, columns=columns)
    return aggregator(method)(frame, pd.Series(w, index=columns)).to_numpy()


def _unit_interval(scores: pd.DataFrame, normalization: str) -> None:
    values = scores.to_numpy()
    if (values < -1e-9).any() or (values > 1 + 1e-9).any():
        raise ValueError(
            f"coupling needs sub-scores in [0, 1]; {normalization} normalisation gives scores "
            "outside it (use minmax)"
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
