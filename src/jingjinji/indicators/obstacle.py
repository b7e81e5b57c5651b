"""Obstacle degree (障碍度模型): which indicators hold a place back most."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from jingjinji.indicators._checks import as_frame, weight_array

__all__ = ["obstacle_degree"]


def obstacle_degree(
    normalized: pd.DataFrame, weights: Mapping[str, float] | pd.Series
) -> pd.DataFrame:
    """Share of each indicator in the shortfall of each row from the ideal.

    With normalised scores z_ij in [0, 1] (larger = better), the factor contribution w_j and
    the deviation I_ij = 1 - z_ij (e.g. 杨丽 and 孙之淳 2015, 经济地理 35(5)),

        O_ij = w_j I_ij / sum_k w_k I_ik.

    Each row sums to 1 (multiply by 100 for percentages). A row with no shortfall at all
    (every z_ij = 1) has no obstacle and gets 0 everywhere. Group the columns and sum to get
    the obstacle degree of a dimension.

    >>> z = pd.DataFrame({"a": [0.0, 1.0], "b": [0.5, 1.0]})
    >>> obstacle_degree(z, {"a": 0.5, "b": 0.5}).round(3).values.tolist()
    [[0.667, 0.333], [0.0, 0.0]]
    """
    z = as_frame(normalized, name="normalized")
    if (z.to_numpy() < -1e-12).any() or (z.to_numpy() > 1 + 1e-12).any():
        raise ValueError("normalized must hold min-max scores in [0, 1]")
    w = weight_array(z.columns, weights)
    gap = (1.0 - z.clip(0.0, 1.0)) * w
    total = gap.sum(axis=1)
    # total = 0 only when every gap is 0, so those rows stay 0
    return gap.div(total.where(total > 0, 1.0), axis=0)
