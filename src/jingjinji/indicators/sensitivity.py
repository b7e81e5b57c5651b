"""Rank stability of a composite index under perturbed weights (权重扰动下的排名稳健性).

An uncertainty analysis in the sense of Saisana, Saltelli and Tarantola (2005, "Uncertainty and
sensitivity analysis techniques as tools for the quality assessment of composite indicators",
J. R. Stat. Soc. A 168(2): 307-323): the weights are varied, the index is recomputed and the
spread of each place's rank within its year is reported.

- ``monte_carlo``: draw d = 1..D multiplies every weight by an independent factor
  u_dj ~ U[1 - spread, 1 + spread] and renormalises, w_dj = w_j u_dj / sum_k w_k u_dk.
- ``leave_one_out``: variant j drops indicator j and renormalises the others,
  w_jk = w_k / (1 - w_j) for k != j.

Each variant is aggregated (by default the weighted sum S = Z w, all draws as one matrix
product Z W^T) and ranked within each year (1 = best, ties share the best rank, as
``evaluate`` ranks).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import as_frame, weight_array

__all__ = ["COLUMNS", "METHODS", "STABLE_MAX_RANGE", "STABLE_SHARE", "rank_stability"]

METHODS = ("monte_carlo", "leave_one_out")
#: A place-year is ``stable`` when at least this share of the variants gives its base rank ...
STABLE_SHARE = 0.9
#: ... and its rank never moves by more than this (max rank - min rank <= 1).
STABLE_MAX_RANGE = 1

#: Output columns of :func:`rank_stability` with their Chinese labels.
COLUMNS: dict[str, str] = {
    "score": "综合指数",
    "rank": "基准排名",
    "rank_min": "最优排名",
    "rank_max": "最差排名",
    "rank_range": "排名波动幅度",
    "rank_mean": "平均排名",
    "base_share": "保持基准排名的比例",
    "stable": "排名稳健",
}

Aggregate = Callable[[pd.DataFrame, pd.Series], pd.Series]


def _variant_weights(
    w: np.ndarray, method: str, draws: int, spread: float, seed: int
) -> tuple[np.ndarray, list[int | None]]:
    """One row of weights per variant (rows sum to 1) and the column each variant drops."""
    if method == "monte_carlo":
        if draws < 1:
            raise ValueError(f"draws must be >= 1, got {draws}")
        if not 0.0 <= spread < 1.0:
            raise ValueError(f"spread must lie in [0, 1), got {spread}")
        rng = np.random.default_rng(seed)
        raw = w * rng.uniform(1.0 - spread, 1.0 + spread, size=(draws, len(w)))
        return raw / raw.sum(axis=1, keepdims=True), [None] * draws
    if np.count_nonzero(w) < 2:
        raise ValueError("leave_one_out needs at least two indicators with positive weight")
    dropped = [j for j in range(len(w)) if w[j] > 0]  # dropping a weight of 0 changes nothing
    raw = np.tile(w, (len(dropped), 1))
    raw[np.arange(len(dropped)), dropped] = 0.0
    return raw / raw.sum(axis=1, keepdims=True), list(dropped)


def _ranks(scores: pd.DataFrame, year_level: str | int) -> pd.DataFrame:
    return scores.groupby(level=year_level).rank(ascending=False, method="min")


def rank_stability(
    normalized: pd.DataFrame,
    weights: pd.Series,
    *,
    aggregate: Aggregate | None = None,
    draws: int = 500,
    spread: float = 0.2,
    seed: int = 2026,
    method: str = "monte_carlo",
) -> pd.DataFrame:
    """Ranks of each (place, year) under weight variants (see the module docstring).

    ``normalized``: rows (place, year), columns indicators, scores in [0, 1] (e.g.
    ``EvaluationResult.normalized``); ``weights`` over the columns (renormalised to sum 1).
    ``aggregate(z, w)`` -> Series over the rows replaces the weighted sum (e.g. TOPSIS); it is
    called once per variant, on the full table (leave-one-out: without the dropped column).
    ``draws``, ``spread`` and ``seed`` apply to ``method="monte_carlo"``.

    Per (place, year): ``score`` and ``rank`` with the given weights, ``rank_min`` /
    ``rank_max`` / ``rank_mean`` / ``rank_range`` over the variants, ``base_share`` (share of
    variants giving the base rank) and ``stable`` = base_share >= :data:`STABLE_SHARE` and
    rank_range <= :data:`STABLE_MAX_RANGE`. ``attrs`` holds ``method`` and ``variants``.

    >>> z = pd.DataFrame({"a": [1.0, 0.0], "b": [1.0, 0.2]}, index=pd.MultiIndex.from_tuples(
    ...     [("110000", 2020), ("120000", 2020)], names=["place", "year"]))
    >>> rank_stability(z, pd.Series({"a": 0.5, "b": 0.5}), draws=50)["stable"].tolist()
    [True, True]
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    z = as_frame(normalized, name="normalized")
    if z.index.nlevels != 2:
        raise ValueError("normalized must have a (place, year) MultiIndex")
    year_level: str | int = "year" if "year" in z.index.names else 1
    w = weight_array(z.columns, weights)
    if w.sum() <= 0:
        raise ValueError("weights must have a positive sum")
    w = w / w.sum()
    variants, dropped = _variant_weights(w, method, draws, spread, seed)
    columns = [f"v{i}" for i in range(len(variants))]
    if aggregate is None:
        base = pd.Series(z.to_numpy() @ w, index=z.index)
        scores = pd.DataFrame(z.to_numpy() @ variants.T, index=z.index, columns=columns)
    else:
        base = aggregate(z, pd.Series(w, index=z.columns)).reindex(z.index)
        parts = {}
        for name, row, j in zip(columns, variants, dropped, strict=True):
            keep = np.ones(len(w), dtype=bool)
            if j is not None:
                keep[j] = False
            cols = z.columns[keep]
            parts[name] = aggregate(z[cols], pd.Series(row[keep], index=cols)).reindex(z.index)
        scores = pd.DataFrame(parts, index=z.index)
    base_rank = _ranks(base.to_frame("rank"), year_level)["rank"].astype(int)
    ranks = _ranks(scores, year_level).to_numpy()
    same = ranks == base_rank.to_numpy()[:, None]
    out = pd.DataFrame(
        {
            "score": base.astype(float),
            "rank": base_rank,
            "rank_min": ranks.min(axis=1).astype(int),
            "rank_max": ranks.max(axis=1).astype(int),
            "rank_mean": ranks.mean(axis=1),
            "base_share": same.mean(axis=1),
        },
        index=z.index,
    )
    out.insert(4, "rank_range", out["rank_max"] - out["rank_min"])
    out["stable"] = (out["base_share"] >= STABLE_SHARE) & (out["rank_range"] <= STABLE_MAX_RANGE)
    out.attrs.update(method=method, variants=len(variants))
    return out
