"""Indicator weights: objective (entropy, CRITIC, standard deviation), subjective (AHP) and
their combination. Every function returns a ``pandas.Series`` over the columns summing to 1."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import Directions, as_frame
from jingjinji.indicators.normalize import normalize

__all__ = [
    "RANDOM_INDEX",
    "AHPResult",
    "ahp_weights",
    "combine_weights",
    "critic_weights",
    "entropy_values",
    "entropy_weights",
    "equal_weights",
    "std_weights",
]

#: Saaty's random consistency index RI by matrix order n (Saaty 1980, The Analytic Hierarchy
#: Process, McGraw-Hill; the values commonly tabulated for n = 1..15).
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}


def _prepared(df: pd.DataFrame, directions: Directions | None, *, min_rows: int) -> pd.DataFrame:
    x = as_frame(df, name="df", min_rows=min_rows)
    if directions is not None:
        return normalize(x, directions, "minmax")
    return x


def entropy_weights(
    df: pd.DataFrame, directions: Directions | None = None, shift: float = 0.0
) -> pd.Series:
    """Entropy weights (熵值法; Shannon 1948, as used for evaluation e.g. by 郭显光 1998).

    With ``directions`` the table is first min-max normalised (cost indicators reversed);
    without, ``df`` must already be non-negative (raw quantities or normalised scores).
    Then, with n rows and ``shift`` = a added to every value:

        p_ij = (x_ij + a) / sum_i (x_ij + a)
        e_j  = -1/ln(n) * sum_i p_ij ln p_ij        (with 0 ln 0 = 0, the limit)
        w_j  = (1 - e_j) / sum_k (1 - e_k)

    The default ``shift=0.0`` uses the limit 0 ln 0 = 0 and needs no arbitrary constant.
    The translation convention (平移法) of many Chinese studies is ``shift=0.0001`` or
    ``shift=0.01`` applied to min-max scores; it slightly pulls weights towards equality.
    A constant column has e_j = 1 and weight exactly 0. Pooled entropy (全局熵值法) is this function
    applied to all place-years stacked.

    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 1.0, 1.0]})
    >>> entropy_weights(df).round(3).tolist()
    [1.0, 0.0]
    """
    x = _prepared(df, directions, min_rows=2)
    return pd.Series(entropy_values(x.to_numpy(), shift), index=x.columns, name="weight")


def entropy_values(scores: np.ndarray, shift: float = 0.0) -> np.ndarray:
    """:func:`entropy_weights` of checked finite ``scores`` (rows x columns, at least two
    rows) as an array."""
    if shift < 0:
        raise ValueError(f"shift must be >= 0, got {shift}")
    values = scores + shift if shift else scores
    low, high = values.min(axis=0), values.max(axis=0)
    if (low < 0).any():
        raise ValueError("df has negative values; pass directions to normalise it first")
    n = values.shape[0]
    totals = values.sum(axis=0)
    empty = totals == 0
    p = values / np.where(empty, 1.0, totals)
    log_p = np.log(p, out=np.zeros_like(p), where=p > 0)  # 0 ln 0 = 0
    entropy = -np.einsum("ij,ij->j", p, log_p) / np.log(n)
    constant = low == high
    entropy[empty | constant] = 1.0  # exactly, not 1 up to rounding
    divergence = np.clip(1.0 - entropy, 0.0, None)
    total = divergence.sum()
    if not np.isfinite(total) or total <= 0:
        raise ValueError("df: every column is constant, so entropy weights are undefined")
    weights: np.ndarray = divergence / total
    return weights


def critic_weights(df: pd.DataFrame, directions: Directions | None = None) -> pd.Series:
    """CRITIC weights (Diakoulaki, Mavrotas and Papayannakis 1995, Computers & OR 22(7)).

    The table is min-max normalised (cost indicators reversed when ``directions`` is given);
    with s_j the standard deviation of column j and r_jk the Pearson correlation,

        C_j = s_j * sum_k (1 - r_jk),    w_j = C_j / sum_k C_k.

    A constant column carries no information (s_j = 0) and its correlations are undefined:
    it gets weight exactly 0 and takes no part in the sums over k, so the other weights are
    exactly those of the table without it. ``ValueError`` when the weights are undefined:
    every column constant, or every C_j = 0 (a single varying column, or varying columns
    all perfectly correlated: no conflict to weigh).

    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0], "k": [5.0, 5.0, 5.0]})
    >>> critic_weights(df).round(3).tolist()
    [0.5, 0.5, 0.0]
    """
    x = as_frame(df, name="df", min_rows=2)
    z = normalize(x, directions, "minmax").to_numpy()
    sd = z.std(axis=0, ddof=1)
    varying = sd > 0
    if not varying.any():
        raise ValueError("df: every column is constant, so CRITIC weights are undefined")
    info = np.zeros(len(sd))
    info[varying] = _critic_information(z[:, varying], sd[varying])
    if info.sum() <= 1e-12 * sd.sum():
        raise ValueError(
            "df: CRITIC weights are undefined: no varying column conflicts with another "
            "(fewer than two vary, or they are perfectly correlated), so every C_j = 0"
        )
    return _normalised(info, x.columns, "CRITIC")


def _critic_information(z: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """C_j = s_j sum_k (1 - r_jk) over columns that all vary (s_j > 0)."""
    scaled = (z - z.mean(axis=0)) / sd
    corr = (scaled.T @ scaled) / (z.shape[0] - 1)
    np.fill_diagonal(corr, 1.0)
    result: np.ndarray = sd * (1.0 - corr).sum(axis=0)
    return result


def std_weights(df: pd.DataFrame, directions: Directions | None = None) -> pd.Series:
    """Standard-deviation weights: w_j = s_j / sum_k s_k (均方差法).

    With ``directions`` the table is min-max normalised first, which is what makes the
    deviations of indicators in different units comparable; without, ``df`` is used as is
    (pass normalised scores). The choice of ddof cancels out in the ratio.
    """
    x = _prepared(df, directions, min_rows=2)
    sd = x.to_numpy().std(axis=0, ddof=1)
    return _normalised(sd, x.columns, "standard-deviation")


def equal_weights(columns: pd.Index | list[str]) -> pd.Series:
    """Equal weights 1/m over ``columns``."""
    cols = pd.Index(columns)
    if len(cols) == 0:
        raise ValueError("columns is empty")
    return pd.Series(1.0 / len(cols), index=cols, name="weight")


def _normalised(raw: np.ndarray, columns: pd.Index, method: str) -> pd.Series:
    total = raw.sum()
    if not np.isfinite(total) or total <= 0:
        raise ValueError(f"df: every column is constant, so {method} weights are undefined")
    return pd.Series(raw / total, index=columns, name="weight")


@dataclass(frozen=True)
class AHPResult:
    """The outcome of the analytic hierarchy process for one pairwise-comparison matrix."""

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float

    @property
    def consistent(self) -> bool:
        """Saaty's rule: the judgements are acceptably consistent when CR < 0.1."""
        return self.cr < 0.1


def ahp_weights(
    matrix: pd.DataFrame | np.ndarray | list[list[float]], method: str = "eigenvector"
) -> AHPResult:
    """Weights from a pairwise-comparison matrix (AHP; Saaty 1977, J. Math. Psych. 15; 1980).

    ``matrix[i][j]`` says how much more important criterion i is than j on Saaty's 1-9 scale,
    with ``matrix[j][i] = 1 / matrix[i][j]``. ``method="eigenvector"`` (Saaty's) takes the
    principal right eigenvector; ``"geometric"`` the normalised row geometric means
    (Crawford and Williams 1985). Consistency: lambda_max from A w = lambda w (for the
    geometric method, the mean of (A w)_i / w_i), CI = (lambda_max - n) / (n - 1),
    CR = CI / RI(n) with Saaty's random index (``RANDOM_INDEX``; CR = 0 for n <= 2).

    >>> r = ahp_weights([[1, 3], [1 / 3, 1]])
    >>> r.weights.round(2).tolist(), r.consistent
    ([0.75, 0.25], True)
    """
    if isinstance(matrix, pd.DataFrame):
        labels: pd.Index = pd.Index(matrix.columns)
        if list(matrix.index) != list(matrix.columns):
            raise ValueError("matrix must have the same labels on its rows and columns")
        a = matrix.to_numpy(dtype=float)
    else:
        a = np.asarray(matrix, dtype=float)
        labels = pd.Index(range(a.shape[0] if a.ndim == 2 else 0))
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"matrix must be square and non-empty, got shape {a.shape}")
    n = a.shape[0]
    if n > max(RANDOM_INDEX):
        raise ValueError(f"matrix has order {n}; Saaty's random index is tabulated up to 15")
    if not np.isfinite(a).all() or (a <= 0).any():
        raise ValueError("matrix entries must be positive numbers")
    bad = np.argwhere(~np.isclose(a * a.T, 1.0, rtol=0.02))
    if len(bad):
        i, j = bad[0]
        raise ValueError(
            f"matrix is not reciprocal: matrix[{labels[i]}][{labels[j]}] = {a[i, j]:g} but "
            f"matrix[{labels[j]}][{labels[i]}] = {a[j, i]:g}"
        )
    if method == "eigenvector":
        eigenvalues, eigenvectors = np.linalg.eig(a)
        k = int(np.argmax(eigenvalues.real))
        vector = np.abs(eigenvectors[:, k].real)
        lambda_max = float(eigenvalues[k].real)
    elif method == "geometric":
        vector = np.exp(np.log(a).mean(axis=1))
        w = vector / vector.sum()
        lambda_max = float(((a @ w) / w).mean())
    else:
        raise ValueError(f"method must be 'eigenvector' or 'geometric', got {method!r}")
    weights = pd.Series(vector / vector.sum(), index=labels, name="weight")
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(weights=weights, lambda_max=lambda_max, ci=ci, ri=ri, cr=cr)


def combine_weights(
    subjective: Mapping[str, float] | pd.Series,
    objective: Mapping[str, float] | pd.Series,
    *,
    method: str = "multiplicative",
    alpha: float = 0.5,
) -> pd.Series:
    """Combine subjective (e.g. AHP) and objective (e.g. entropy) weights (主客观组合赋权).

    - ``multiplicative`` (乘法合成, the default: no free parameter):
      w_j = s_j o_j / sum_k s_k o_k.
    - ``linear`` (线性加权): w_j = alpha s_j + (1 - alpha) o_j, with 0 <= alpha <= 1.
    - ``game`` (博弈论组合赋权): the combination a_1 s + a_2 o that minimises the distance
      to both (solve [[s.s, s.o], [o.s, o.o]] a = [s.s, o.o]); the coefficients are
      normalised to |a_k| / sum |a|.

    Both inputs are renormalised to sum 1 and must cover the same indicators.

    >>> combine_weights({"a": 0.5, "b": 0.5}, {"a": 0.8, "b": 0.2}).round(2).tolist()
    [0.8, 0.2]
    """
    s = pd.Series(subjective, dtype=float)
    o = pd.Series(objective, dtype=float)
    if set(s.index) != set(o.index):
        only = sorted(map(str, set(s.index) ^ set(o.index)))
        raise ValueError(f"subjective and objective cover different indicators: {', '.join(only)}")
    o = o.reindex(s.index)
    for name, w in (("subjective", s), ("objective", o)):
        if w.isna().any() or (w < 0).any() or w.sum() <= 0:
            raise ValueError(f"{name} weights must be non-negative with a positive sum")
    s = s / s.sum()
    o = o / o.sum()
    if method == "multiplicative":
        raw = s * o
        if raw.sum() <= 0:
            raise ValueError("subjective and objective weights share no positive indicator")
        out = raw / raw.sum()
    elif method == "linear":
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"alpha must lie in [0, 1], got {alpha}")
        out = alpha * s + (1.0 - alpha) * o
    elif method == "game":
        sv, ov = s.to_numpy(), o.to_numpy()
        gram = np.array([[sv @ sv, sv @ ov], [ov @ sv, ov @ ov]])
        rhs = np.array([sv @ sv, ov @ ov])
        try:
            coef = np.abs(np.linalg.solve(gram, rhs))
        except np.linalg.LinAlgError:
            coef = np.array([0.5, 0.5])  # identical inputs: any combination is the same
        coef = coef / coef.sum()
        out = coef[0] * s + coef[1] * o
    else:
        raise ValueError(f"method must be 'multiplicative', 'linear' or 'game', got {method!r}")
    return out.rename("weight")
