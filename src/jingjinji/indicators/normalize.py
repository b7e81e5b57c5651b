"""Normalisation (无量纲化) of indicator tables.

Each method maps a raw table (rows = places or place-years, columns = indicators) to a table
of the same shape in which larger is better for every column: cost indicators are reversed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import Directions, as_frame, direction_array

__all__ = ["NORMALIZATIONS", "normalize", "normalized_values", "oriented"]

Method = Literal["minmax", "zscore", "vector", "sum"]
NORMALIZATIONS: tuple[str, ...] = ("minmax", "zscore", "vector", "sum")


def normalize(
    df: pd.DataFrame, directions: Directions | None = None, method: str = "minmax"
) -> pd.DataFrame:
    """Normalise every column of ``df`` so that larger is better.

    ``directions`` maps each column to +1 (benefit, 正向) or -1 (cost, 逆向); ``None`` treats
    all columns as benefit indicators. With x a column, its minimum m and maximum M:

    - ``minmax`` (极差标准化): benefit (x - m) / (M - m), cost (M - x) / (M - m); values in
      [0, 1]. A constant column (M = m) carries no information and becomes 1.0 everywhere
      (the convention of pymcdm), so that it adds the same amount to every place.
    - ``zscore``: (x - mean) / sd with the sample standard deviation (ddof = 1), negated for
      cost indicators; a constant column or a single row becomes 0.0.
    - ``vector`` (Hwang & Yoon 1981, the TOPSIS normalisation): x / sqrt(sum x^2), and
      1 - x / sqrt(sum x^2) for cost; an all-zero column is refused.
    - ``sum`` (比重法): x / sum x for benefit (needs x >= 0 and a positive sum),
      (1/x) / sum(1/x) for cost (needs x > 0).

    The cost forms of ``vector`` and ``sum`` follow pymcdm (Kizielewicz, Shekhovtsov and
    Sałabun 2023, SoftwareX 22:101368), so results compare one to one.

    >>> df = pd.DataFrame({"gdp": [1.0, 2.0, 3.0], "pm25": [30.0, 60.0, 90.0]})
    >>> normalize(df, {"gdp": 1, "pm25": -1})
       gdp  pm25
    0  0.0   1.0
    1  0.5   0.5
    2  1.0   0.0
    """
    x = as_frame(df, name="df")
    signs = direction_array(x.columns, directions)
    out = normalized_values(x.to_numpy(), signs < 0, method, x.columns)
    return pd.DataFrame(out, index=x.index, columns=x.columns)


def normalized_values(
    values: np.ndarray, cost: np.ndarray, method: str, columns: pd.Index
) -> np.ndarray:
    """:func:`normalize` of checked finite ``values`` (rows x columns) with the boolean
    ``cost`` per column; ``columns`` name the columns in errors."""
    if method == "minmax":
        return _minmax(values, cost)
    if method == "zscore":
        return _zscore(values, cost)
    if method == "vector":
        return _vector(values, cost, columns)
    if method == "sum":
        return _sum(values, cost, columns)
    raise ValueError(f"method must be one of {', '.join(NORMALIZATIONS)}, got {method!r}")


def oriented(df: pd.DataFrame, targets: Mapping[str, float]) -> pd.DataFrame:
    """Moderate (适度) indicators made benefit indicators: x' = 1 - |x - k| / max_i |x_i - k|
    for each column with a target k in ``targets`` (叶宗裕 2003, 统计研究 20(3), on making
    indicators positive), so that the value at the target scores 1 and the farthest 0;
    a column all at its target becomes 1.0. Other columns are returned unchanged.

    >>> oriented(pd.DataFrame({"debt": [40.0, 55.0, 70.0, 60.0]}), {"debt": 55.0})["debt"].tolist()
    [0.0, 1.0, 0.0, 0.6666666666666667]
    """
    if not targets:
        return df
    columns = [c for c in targets if c in df.columns]
    values = oriented_values(
        df[columns].to_numpy(dtype=float), {j: targets[c] for j, c in enumerate(columns)}
    )
    out = df.copy()
    for j, column in enumerate(columns):
        out[column] = values[:, j]
    return out


def oriented_values(values: np.ndarray, targets: Mapping[int, float]) -> np.ndarray:
    """:func:`oriented` of an array, the targets by column position."""
    if not targets:
        return values
    out = values.copy()
    for j, target in targets.items():
        deviation = np.abs(values[:, j] - float(target))
        largest = float(deviation.max())
        out[:, j] = 1.0 - deviation / largest if largest > 0 else 1.0
    return out


def _minmax(values: np.ndarray, cost: np.ndarray) -> np.ndarray:
    lo = values.min(axis=0)
    hi = values.max(axis=0)
    span = hi - lo
    constant = span == 0
    safe = np.where(constant, 1.0, span)
    out = np.where(cost, hi - values, values - lo) / safe
    out[:, constant] = 1.0
    return out


def _zscore(values: np.ndarray, cost: np.ndarray) -> np.ndarray:
    if values.shape[0] < 2:
        return np.zeros_like(values)
    mean = values.mean(axis=0)
    sd = values.std(axis=0, ddof=1)
    constant = sd == 0
    out = (values - mean) / np.where(constant, 1.0, sd)
    out[:, constant] = 0.0
    return np.where(cost, -out, out)


def _vector(values: np.ndarray, cost: np.ndarray, columns: pd.Index) -> np.ndarray:
    norm = np.sqrt((values**2).sum(axis=0))
    zero = norm == 0
    if zero.any():
        bad = ", ".join(str(c) for c in columns[zero])
        raise ValueError(f"df column(s) {bad} are all zero; vector normalisation is undefined")
    out = values / norm
    return np.where(cost, 1.0 - out, out)


def _sum(values: np.ndarray, cost: np.ndarray, columns: pd.Index) -> np.ndarray:
    out = np.empty_like(values)
    for j, col in enumerate(columns):
        col_values = values[:, j]
        if cost[j]:
            if (col_values <= 0).any():
                raise ValueError(
                    f"df column {col!r}: sum normalisation of a cost indicator needs x > 0"
                )
            inv = 1.0 / col_values
            out[:, j] = inv / inv.sum()
        else:
            total = col_values.sum()
            if (col_values < 0).any() or total <= 0:
                raise ValueError(
                    f"df column {col!r}: sum normalisation needs x >= 0 and a positive sum"
                )
            out[:, j] = col_values / total
    return out
