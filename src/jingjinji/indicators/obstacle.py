"""Obstacle degree (障碍度模型): which indicators hold a place back most."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import as_frame, weight_array
from jingjinji.indicators.aggregate import mark_undefined

__all__ = ["obstacle_degree"]


def obstacle_degree(
    normalized: pd.DataFrame, weights: Mapping[str, float] | pd.Series
) -> pd.DataFrame:
    """Share of each indicator in the shortfall of each row from the ideal.

    With normalised scores z_ij in [0, 1] (larger = better), the factor contribution w_j and
    the deviation I_ij = 1 - z_ij (e.g. 杨丽 and 孙之淳 2015, 经济地理 35(5)),

        O_ij = w_j I_ij / sum_k w_k I_ik.

    Each row sums to 1 (multiply by 100 for percentages). A row with no weighted shortfall
    (every indicator with a positive weight scores z = 1: the unit is at the ideal) has
    nothing to share out, so its O_ij = 0 / 0 are undefined: that row is NaN, and
    ``undefined_reason(result)`` (``jingjinji.indicators.aggregate``) says why. Group the
    columns and sum to get the obstacle degree of a dimension.

    >>> z = pd.DataFrame({"a": [0.0, 1.0], "b": [0.5, 1.0]})
    >>> obstacle_degree(z, {"a": 0.5, "b": 0.5}).round(3).values.tolist()
    [[0.667, 0.333], [nan, nan]]
    """
    z = as_frame(normalized, name="normalized")
    if (z.to_numpy() < -1e-12).any() or (z.to_numpy() > 1 + 1e-12).any():
        raise ValueError("normalized must hold min-max scores in [0, 1]")
    w = weight_array(z.columns, weights)
    gap = (1.0 - z.clip(0.0, 1.0).to_numpy()) * w
    total = gap.sum(axis=1)
    at_ideal = total == 0
    shares = gap / np.where(at_ideal, 1.0, total)[:, None]
    shares[at_ideal] = np.nan
    result = pd.DataFrame(shares, index=z.index, columns=z.columns)
    if at_ideal.any():
        mark_undefined(
            result,
            "the unit is at the ideal (every weighted indicator scores 1): it has no "
            "shortfall to share among the indicators, so its obstacle degrees are undefined",
            "该单元已达理想值（所有有权重的指标得分均为 1），不存在差距可分解，障碍度无定义",
        )
    return result
