"""Coupling coordination (耦合协调度) between subsystems."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import as_frame, weight_array

__all__ = ["COORDINATION_LEVELS", "coordination_level", "coupling_coordination"]

#: The ten-level classification of D in steps of 0.1 (廖重斌 1999, 热带地理 19(2), and
#: most later Chinese studies): [0, 0.1) 极度失调 ... [0.9, 1] 优质协调.
COORDINATION_LEVELS: tuple[str, ...] = (
    "极度失调",
    "严重失调",
    "中度失调",
    "轻度失调",
    "濒临失调",
    "勉强协调",
    "初级协调",
    "中级协调",
    "良好协调",
    "优质协调",
)


def coordination_level(d: float) -> str:
    """The level name of a coupling coordination degree D in [0, 1].

    >>> coordination_level(0.05), coordination_level(0.55), coordination_level(1.0)
    ('极度失调', '勉强协调', '优质协调')
    """
    if not 0.0 <= d <= 1.0 + 1e-9:
        raise ValueError(f"d must lie in [0, 1], got {d}")
    return COORDINATION_LEVELS[min(int(np.floor(d * 10 + 1e-9)), 9)]


def coupling_coordination(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series | Sequence[float] | None = None,
    *,
    form: str = "corrected",
) -> pd.DataFrame:
    """Coupling degree C, development index T and coupling coordination degree D.

    ``scores`` has one column per subsystem (at least two), values U_i in [0, 1]; one row per
    observation (place, year, ...). T = sum_i a_i U_i with ``weights`` a_i (equal by default,
    renormalised to sum 1), and D = sqrt(C T). ``form`` chooses C:

    - ``"corrected"`` (default; 王淑佳, 孔伟, 任亮 et al. 2021, 国内耦合协调度模型的误区及
      修正, 自然资源学报 36(3): 793-810):

          C = sqrt( [1 - sum_{i>j} |U_i - U_j| / sum_{m=1}^{n-1} m]
                    * (prod_i U_i / max U)^(1/(n-1)) )

      which spreads C over [0, 1] instead of crowding it near 1; for n = 2,
      C = sqrt((1 - |U_1 - U_2|) * min U / max U).
    - ``"traditional"`` (the widespread form, e.g. 廖重斌 1999; 丛晓男 2019 for its proper
      coefficient): C = n (prod_i U_i)^(1/n) / sum_i U_i, the ratio of the geometric to the
      arithmetic mean; for n = 2, C = 2 sqrt(U_1 U_2) / (U_1 + U_2).

    Rows whose subsystems are all 0 get C = 0. The result has columns ``C``, ``T``, ``D``,
    ``level`` (the ten-level name of D, ``COORDINATION_LEVELS``) and ``grade`` (1-10).

    >>> r = coupling_coordination(pd.DataFrame({"econ": [0.6], "eco": [0.4]}))
    >>> r[["C", "T", "D"]].round(4).values.tolist(), r.level.tolist()
    ([[0.7303, 0.5, 0.6043]], ['初级协调'])
    """
    u_frame = as_frame(scores, name="scores")
    n = u_frame.shape[1]
    if n < 2:
        raise ValueError(f"scores needs at least 2 subsystem columns, got {n}")
    u = u_frame.to_numpy()
    if (u < -1e-12).any() or (u > 1 + 1e-12).any():
        raise ValueError("scores must lie in [0, 1] (normalise the subsystem scores first)")
    u = np.clip(u, 0.0, 1.0)
    if weights is None:
        a = np.full(n, 1.0 / n)
    elif isinstance(weights, Mapping | pd.Series):
        a = weight_array(u_frame.columns, weights)
    else:
        a = np.asarray(weights, dtype=float)
        if a.shape != (n,) or (a < 0).any():
            raise ValueError(f"weights must be {n} non-negative numbers")
    if a.sum() <= 0:
        raise ValueError("weights must have a positive sum")
    a = a / a.sum()

    top = u.max(axis=1)
    if form == "corrected":
        i, j = np.triu_indices(n, k=1)
        spread = np.abs(u[:, i] - u[:, j]).sum(axis=1) / (n * (n - 1) / 2)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.prod(u / np.where(top > 0, top, 1.0)[:, None], axis=1)
        c = np.sqrt(np.clip(1.0 - spread, 0.0, 1.0) * ratio ** (1.0 / (n - 1)))
    elif form == "traditional":
        total = u.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            c = n * np.prod(u, axis=1) ** (1.0 / n) / np.where(total > 0, total, 1.0)
    else:
        raise ValueError(f"form must be 'corrected' or 'traditional', got {form!r}")
    c = np.where(top > 0, np.clip(c, 0.0, 1.0), 0.0)
    t = u @ a
    d = np.sqrt(c * t)
    grade = np.minimum(np.floor(d * 10 + 1e-9).astype(int), 9)
    return pd.DataFrame(
        {
            "C": c,
            "T": t,
            "D": d,
            "level": [COORDINATION_LEVELS[g] for g in grade],
            "grade": grade + 1,
        },
        index=u_frame.index,
    )
