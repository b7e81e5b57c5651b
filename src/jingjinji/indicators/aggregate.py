"""Aggregation of indicator scores into one composite index per row."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import Directions, as_frame, weight_array
from jingjinji.indicators.normalize import normalize

__all__ = ["UNDEFINED", "grey_relational", "topsis", "undefined_reason", "weighted_sum"]

Weights = Mapping[str, float] | pd.Series

#: Key in ``attrs`` of a result that has undefined (NaN) entries: {"en": ..., "zh": ...}.
UNDEFINED = "undefined"


def mark_undefined(result: pd.Series | pd.DataFrame, en: str, zh: str) -> None:
    """Record why the NaN entries of ``result`` are undefined, for a caller to show."""
    result.attrs[UNDEFINED] = {"en": en, "zh": zh}


def undefined_reason(result: pd.Series | pd.DataFrame, lang: str = "en") -> str | None:
    """Why the NaN entries of a ``topsis`` or ``obstacle_degree`` result are undefined, in
    English (``lang="en"``) or Chinese (``"zh"``); ``None`` when every entry is defined.

    >>> undefined_reason(topsis(pd.DataFrame({"a": [2.0]}), {"a": 1.0}), "zh")
    '所有评价对象的加权得分相同（D+ = D- = 0，例如只有一个评价对象），贴近度无定义'
    """
    reason = result.attrs.get(UNDEFINED)
    return None if reason is None else str(reason[lang])


def _scores(df: pd.DataFrame, directions: Directions | None, method: str) -> pd.DataFrame:
    x = as_frame(df, name="df")
    if directions is None:
        return x
    return normalize(x, directions, method)


def weighted_sum(
    df: pd.DataFrame, weights: Weights, directions: Directions | None = None
) -> pd.Series:
    """Linear weighted sum (线性加权综合评价): S_i = sum_j w_j z_ij.

    With ``directions``, z is the min-max normalisation of ``df`` (cost indicators reversed);
    without, ``df`` is taken as already normalised. Weights are used as given (they should
    sum to 1 for an index in [0, 1]).

    >>> weighted_sum(pd.DataFrame({"a": [0.0, 1.0], "b": [1.0, 1.0]}), {"a": 0.5, "b": 0.5})
    0    0.5
    1    1.0
    Name: score, dtype: float64
    """
    z = _scores(df, directions, "minmax")
    w = weight_array(z.columns, weights)
    return pd.Series(z.to_numpy() @ w, index=z.index, name="score")


def topsis(
    df: pd.DataFrame,
    weights: Weights,
    directions: Directions | None = None,
    *,
    normalization: str = "vector",
) -> pd.Series:
    """TOPSIS closeness to the ideal solution (Hwang and Yoon 1981), in [0, 1].

    With ``directions``, ``df`` is normalised by ``normalization`` (``vector`` as in Hwang and
    Yoon, or ``minmax``/``sum``/``zscore``; cost indicators reversed); without, ``df`` is
    taken as already normalised with larger = better. Then v_ij = w_j z_ij,
    A+ = max_i v_ij, A- = min_i v_ij,

        D+_i = sqrt(sum_j (v_ij - A+_j)^2),  D-_i = sqrt(sum_j (v_ij - A-_j)^2),
        C_i  = D-_i / (D+_i + D-_i).

    C_i is undefined when D+_i = D-_i = 0, which happens exactly when every row has the
    same weighted scores (a single alternative, or identical ones): a row that is at once
    the ideal and the anti-ideal is no closer to either. Those rows are NaN (not 0.5), and
    ``undefined_reason(result)`` says why.

    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    >>> topsis(df, {"a": 1.0}, {"a": 1}, normalization="minmax").tolist()
    [0.0, 0.5, 1.0]
    >>> topsis(df.iloc[:1], {"a": 1.0}).tolist()
    [nan]
    """
    z = _scores(df, directions, normalization)
    w = weight_array(z.columns, weights)
    v = z.to_numpy() * w
    d_plus = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    total = d_plus + d_minus
    undefined = total == 0
    closeness = d_minus / np.where(undefined, 1.0, total)
    closeness[undefined] = np.nan
    result = pd.Series(closeness, index=z.index, name="score")
    if undefined.any():
        mark_undefined(
            result,
            "every row has the same weighted scores (D+ = D- = 0, e.g. a single alternative), "
            "so the closeness to the ideal is undefined",
            "所有评价对象的加权得分相同（D+ = D- = 0，例如只有一个评价对象），贴近度无定义",
        )
    return result


def grey_relational(
    df: pd.DataFrame,
    weights: Weights,
    directions: Directions | None = None,
    *,
    rho: float = 0.5,
) -> pd.Series:
    """Weighted grey relational grade to the ideal row (灰色关联分析; Deng 1982, Systems &
    Control Letters 1(5)).

    With ``directions`` the table is min-max normalised first. The reference series is the
    column maximum x0_j; with D_ij = |x0_j - z_ij| and the global extremes D_min, D_max,

        xi_ij = (D_min + rho D_max) / (D_ij + rho D_max),   r_i = sum_j w_j xi_ij,

    with the distinguishing coefficient ``rho`` in (0, 1], 0.5 by convention. If every
    row equals the reference (D_max = 0), every coefficient is 1.
    """
    if not 0.0 < rho <= 1.0:
        raise ValueError(f"rho must lie in (0, 1], got {rho}")
    z = _scores(df, directions, "minmax")
    w = weight_array(z.columns, weights)
    values = z.to_numpy()
    delta = np.abs(values.max(axis=0) - values)
    d_min, d_max = delta.min(), delta.max()
    xi = np.ones_like(values) if d_max == 0 else (d_min + rho * d_max) / (delta + rho * d_max)
    return pd.Series(xi @ w, index=z.index, name="score")
