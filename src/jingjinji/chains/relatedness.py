"""Relatedness in the manner of the Harvard Growth Lab's product space and Metroverse.

All functions take place × segment tables (pandas, places as index, segments as columns).

* Revealed comparative advantage (Balassa 1965), the location quotient of a segment in a
  place: ``RCA_ps = (x_ps / Σ_s x_ps) / (Σ_p x_ps / Σ_ps x_ps)``; ``M_ps = 1`` when
  ``RCA_ps ≥ 1``.
* Proximity (Hidalgo, Klinger, Barabási & Hausmann 2007, *The product space conditions the
  development of nations*, Science 317): ``φ_ss' = Σ_p M_ps M_ps' / max(k_s, k_s')`` with
  ubiquity ``k_s = Σ_p M_ps``.
* Density (Hausmann et al., *The Atlas of Economic Complexity*, 2014):
  ``d_ps = Σ_s' M_ps' φ_ss' / Σ_s' φ_ss'`` — how much of what is related to ``s`` the place
  already does.
* Quadrant (after Metroverse, Harvard Growth Lab 2021, *industry position*): presence (RCA)
  × relatedness (density against the place's median), see :func:`quadrant`.

>>> import pandas as pd
>>> x = pd.DataFrame({"a": [4, 0, 2], "b": [4, 1, 0], "c": [0, 3, 2]}, index=["p", "q", "r"])
>>> m = presence_matrix(rca(x))
>>> proximity(m).round(2).loc["a"].tolist()
[1.0, 0.5, 0.5]
>>> density(m.loc["q"], proximity(m)).round(2).tolist()
[0.25, 0.0, 0.67]
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["QUADRANTS", "Quadrant", "density", "presence_matrix", "proximity", "quadrant", "rca"]

Quadrant = Literal["strength", "opportunity", "weakness", "threat", "entrant"]

#: Quadrant keys with their Chinese labels (as shown on the chain page).
QUADRANTS: dict[Quadrant, str] = {
    "strength": "优势",
    "opportunity": "机会",
    "weakness": "短板",
    "threat": "风险",
    "entrant": "潜在进入",
}


def rca(table: pd.DataFrame) -> pd.DataFrame:
    """Revealed comparative advantage (= location quotient) of each segment in each place.

    Places or segments with no enterprise get 0 (not NaN).
    """
    values = table.to_numpy(dtype=float)
    place_total = values.sum(axis=1, keepdims=True)
    segment_total = values.sum(axis=0, keepdims=True)
    grand = values.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        result = (values / place_total) / (segment_total / grand)
    result = np.nan_to_num(result, nan=0.0, posinf=0.0, neginf=0.0)
    return pd.DataFrame(result, index=table.index, columns=table.columns)


def presence_matrix(rca_table: pd.DataFrame, threshold: float = 1.0) -> pd.DataFrame:
    """``M_ps = 1`` where ``RCA_ps ≥ threshold``, else 0."""
    return (rca_table >= threshold).astype(float)


def proximity(m: pd.DataFrame) -> pd.DataFrame:
    """Segment × segment proximity ``φ = (MᵀM)_ss' / max(k_s, k_s')``, 0 where k is 0.

    The diagonal is 1 for every segment present somewhere.
    """
    values = m.to_numpy(dtype=float)
    co = values.T @ values
    k = values.sum(axis=0)
    denominator = np.maximum.outer(k, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(denominator > 0, co / denominator, 0.0)
    return pd.DataFrame(phi, index=m.columns, columns=m.columns)


def density(m_place: pd.Series, phi: pd.DataFrame) -> pd.Series:
    """Density of one place around each segment: ``Σ_s' M_s' φ_ss' / Σ_s' φ_ss'``."""
    aligned = m_place.reindex(phi.columns, fill_value=0.0).to_numpy(dtype=float)
    weights = phi.to_numpy(dtype=float)
    totals = weights.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(totals > 0, weights @ aligned / totals, 0.0)
    return pd.Series(values, index=phi.index)


def quadrant(*, count: int, rca_value: float, density_value: float, median: float) -> Quadrant:
    """Metroverse-style position of a segment in a place.

    ======================  ==========================  ===========================
    presence                density ≥ place median      density < place median
    ======================  ==========================  ===========================
    RCA ≥ 1                 strength 优势               threat 风险 (poorly embedded)
    0 < RCA < 1             opportunity 机会            weakness 短板
    no enterprise           entrant 潜在进入            weakness 短板
    ======================  ==========================  ===========================

    >>> quadrant(count=0, rca_value=0.0, density_value=0.6, median=0.4)
    'entrant'
    """
    related = density_value >= median
    if count > 0 and rca_value >= 1.0:
        return "strength" if related else "threat"
    if count > 0:
        return "opportunity" if related else "weakness"
    return "entrant" if related else "weakness"
