"""Argument checks shared by the measures: frames, directions and weights."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

Directions = Mapping[str, int] | pd.Series


def as_frame(df: pd.DataFrame, *, name: str = "df", min_rows: int = 1) -> pd.DataFrame:
    """Return ``df`` as a float frame; refuse empty frames, missing and non-numeric values."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    if df.shape[1] == 0:
        raise ValueError(f"{name} has no columns")
    if len(df) < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} row(s), got {len(df)}")
    try:
        out = df.astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from exc
    missing = [str(c) for c in out.columns[out.isna().any().to_numpy()]]
    if missing:
        raise ValueError(f"{name} has missing values in column(s) {', '.join(missing)}")
    if not np.isfinite(out.to_numpy()).all():
        raise ValueError(f"{name} has infinite values")
    return out


def direction_array(columns: pd.Index, directions: Directions | None) -> np.ndarray:
    """Directions as an array of +1/-1 aligned with ``columns`` (``None`` means all benefit)."""
    if directions is None:
        return np.ones(len(columns))
    mapping = dict(directions.items()) if isinstance(directions, pd.Series) else dict(directions)
    missing = [str(c) for c in columns if c not in mapping]
    if missing:
        raise ValueError(f"directions has no entry for column(s) {', '.join(missing)}")
    out = np.empty(len(columns))
    for i, col in enumerate(columns):
        value = mapping[col]
        if value not in (1, -1):
            raise ValueError(
                f"directions[{col!r}] must be +1 (benefit) or -1 (cost), got {value!r}"
            )
        out[i] = value
    return out


def weight_array(columns: pd.Index, weights: Mapping[str, float] | pd.Series) -> np.ndarray:
    """Weights aligned with ``columns``; every column needs a finite, non-negative weight."""
    mapping = dict(weights.items()) if isinstance(weights, pd.Series) else dict(weights)
    missing = [str(c) for c in columns if c not in mapping]
    if missing:
        raise ValueError(f"weights has no entry for column(s) {', '.join(missing)}")
    out = np.array([float(mapping[c]) for c in columns])
    if not np.isfinite(out).all() or (out < 0).any():
        raise ValueError("weights must be finite and non-negative")
    return out


def as_series(values: pd.Series | np.ndarray | list[float], *, name: str) -> pd.Series:
    """A float series without missing values."""
    series = (
        values.astype(float) if isinstance(values, pd.Series) else pd.Series(values, dtype=float)
    )
    if series.empty:
        raise ValueError(f"{name} is empty")
    if series.isna().any() or not np.isfinite(series.to_numpy()).all():
        raise ValueError(f"{name} has missing or infinite values")
    return series
