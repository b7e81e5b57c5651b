"""Growth rates."""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd

__all__ = ["cagr", "total_growth"]

Value = TypeVar("Value", float, pd.Series, np.ndarray)


def _check(first: Value, last: Value) -> None:
    f = np.asarray(first, dtype=float)
    lst = np.asarray(last, dtype=float)
    if np.isnan(f).any() or np.isnan(lst).any():
        raise ValueError("first and last must not be missing")
    if (f <= 0).any():
        raise ValueError("first must be positive for a growth rate")
    if (lst < 0).any():
        raise ValueError("last must be non-negative for a growth rate")


def cagr(first: Value, last: Value, years: float) -> Value:
    """Compound annual growth rate (年均增长率): (last / first)^(1 / years) - 1.

    ``years`` is the number of yearly steps between the two observations (2021 - 2012 = 9).
    Works on numbers, arrays and aligned Series.

    >>> round(cagr(0.612, 0.960, 2021 - 2012), 4)
    0.0513
    """
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    _check(first, last)
    result: Value = (last / first) ** (1.0 / years) - 1.0
    return result


def total_growth(first: Value, last: Value) -> Value:
    """Growth over the whole period: last / first - 1.

    >>> round(total_growth(0.612, 0.960), 4)
    0.5686
    """
    _check(first, last)
    result: Value = last / first - 1.0
    return result
