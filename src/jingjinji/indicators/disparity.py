"""Regional disparity: coefficient of variation, Gini, Theil and Dagum's Gini decomposition."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import as_series

__all__ = [
    "DagumGini",
    "TheilResult",
    "coefficient_of_variation",
    "dagum_gini",
    "gini",
    "theil",
]

ArrayLike = pd.Series | np.ndarray | list[float]


def _values_and_weights(
    values: ArrayLike, weights: ArrayLike | None, *, weights_name: str = "weights"
) -> tuple[np.ndarray, np.ndarray]:
    x = as_series(values, name="values").to_numpy()
    if weights is None:
        return x, np.full(len(x), 1.0 / len(x))
    w = as_series(weights, name=weights_name).to_numpy()
    if len(w) != len(x):
        raise ValueError(f"{weights_name} has {len(w)} entries but values has {len(x)}")
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"{weights_name} must be non-negative with a positive sum")
    return x, w / w.sum()


def coefficient_of_variation(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Coefficient of variation (变异系数) CV = sd / mean.

    Unweighted: the population standard deviation (ddof = 0) over the mean. With
    ``weights`` (usually population) the weighted form of Williamson (1965, Economic
    Development and Cultural Change 13(4)): sqrt(sum_i p_i (x_i - m)^2) / m with
    p_i = w_i / sum w and m = sum_i p_i x_i. A single value gives 0.

    >>> round(coefficient_of_variation([1.0, 2.0, 3.0]), 4)
    0.4082
    """
    x, p = _values_and_weights(values, weights)
    mean = float(p @ x)
    if mean == 0:
        raise ValueError("values has mean 0; the coefficient of variation is undefined")
    return float(np.sqrt(p @ (x - mean) ** 2) / abs(mean))


def gini(values: ArrayLike, weights: ArrayLike | None = None) -> float:
    """Gini coefficient in mean-difference form (Gini 1912).

    G = sum_i sum_j p_i p_j |x_i - x_j| / (2 m), with p_i = 1/n (or ``weights`` normalised,
    usually population shares) and m = sum_i p_i x_i. Unweighted this is
    sum_i sum_j |x_i - x_j| / (2 n^2 m), the form PySAL ``inequality.gini.Gini`` uses.
    Values must be non-negative with a positive mean.

    >>> round(gini([1.0, 2.0, 3.0, 4.0]), 4)
    0.25
    """
    x, p = _values_and_weights(values, weights)
    if (x < 0).any():
        raise ValueError("values must be non-negative")
    mean = float(p @ x)
    if mean <= 0:
        raise ValueError("values has mean 0; the Gini coefficient is undefined")
    order = np.argsort(x)
    xs, ps = x[order], p[order]
    # sum_i sum_j p_i p_j |x_i - x_j| = 2 sum_i p_i x_i (F_i - (1 - F_i)) with F the
    # cumulative weight below and including i, corrected for the own term: O(n log n).
    cum = np.cumsum(ps)
    below = cum - ps
    above = 1.0 - cum
    mean_diff = 2.0 * float(np.sum(ps * xs * (below - above)))
    return mean_diff / (2.0 * mean)


@dataclass(frozen=True)
class TheilResult:
    """Theil's T and its decomposition by groups: total = within + between."""

    total: float
    within: float
    between: float
    groups: pd.DataFrame

    @property
    def within_share(self) -> float:
        """Share of the total due to inequality within groups."""
        return self.within / self.total if self.total > 0 else 0.0

    @property
    def between_share(self) -> float:
        """Share of the total due to inequality between groups."""
        return self.between / self.total if self.total > 0 else 0.0


def _plogq(s: np.ndarray, q: np.ndarray) -> float:
    positive = s > 0
    return float(np.sum(s[positive] * np.log(s[positive] / q[positive])))


def theil(
    values: ArrayLike,
    population: ArrayLike | None = None,
    groups: ArrayLike | pd.Series | list[str] | None = None,
) -> TheilResult:
    """Theil's T index (Theil 1967) with its exact within/between-group decomposition.

    ``values`` are per-capita levels x_i (e.g. GDP per head) and ``population`` the weights
    P_i (equal if omitted), so the income share is s_i = P_i x_i / sum P x and the
    population share p_i = P_i / sum P:

        T = sum_i s_i ln(s_i / p_i)
          = sum_g S_g T_g  +  sum_g S_g ln(S_g / P_g)
            (within)          (between)

    with S_g, P_g the group shares and T_g the index inside group g (Shorrocks 1980). With
    ``groups`` = province for each city, Beijing / Tianjin / Hebei decompose. Without groups,
    all inequality is "within". Zeros contribute 0 (the limit of s ln s); negative values are
    refused. Unweighted, T equals PySAL ``inequality.theil.Theil`` and the parts equal
    ``TheilD``'s ``wg`` and ``bg``.

    ``groups`` in the result has per group: ``value_share`` S_g, ``population_share`` P_g,
    ``theil`` T_g and ``contribution`` S_g T_g.
    """
    x, p = _values_and_weights(values, population, weights_name="population")
    if (x < 0).any():
        raise ValueError("values must be non-negative")
    income = p * x
    if income.sum() <= 0:
        raise ValueError("values sums to 0; the Theil index is undefined")
    s = income / income.sum()
    total = _plogq(s, p)
    if groups is None:
        labels = np.zeros(len(x), dtype=object)
        labels[:] = "all"
    else:
        labels = np.asarray(list(groups), dtype=object)
        if len(labels) != len(x):
            raise ValueError(f"groups has {len(labels)} entries but values has {len(x)}")
    rows = []
    for g in pd.unique(labels):
        mask = labels == g
        sg, pg = s[mask].sum(), p[mask].sum()
        tg = _plogq(s[mask] / sg, p[mask] / pg) if sg > 0 else 0.0
        rows.append(
            {
                "group": g,
                "value_share": sg,
                "population_share": pg,
                "theil": tg,
                "contribution": sg * tg,
            }
        )
    table = pd.DataFrame(rows).set_index("group")
    within = float(table["contribution"].sum())
    between = _plogq(table["value_share"].to_numpy(), table["population_share"].to_numpy())
    return TheilResult(total=total, within=within, between=between, groups=table)


@dataclass(frozen=True)
class DagumGini:
    """Dagum's decomposition of the overall Gini: total = within + between_net + transvariation.

    ``group_gini`` holds G_jj per group, ``between_gini`` the matrix G_jh,
    ``relative_impact`` the matrix D_jh, ``contributions`` the three parts as shares.
    """

    total: float
    within: float
    between_net: float
    transvariation: float
    group_gini: pd.Series
    between_gini: pd.DataFrame
    relative_impact: pd.DataFrame

    @property
    def contributions(self) -> pd.Series:
        """Shares of within, net between and transvariation in the total."""
        parts = pd.Series(
            {
                "within": self.within,
                "between_net": self.between_net,
                "transvariation": self.transvariation,
            }
        )
        return parts / self.total if self.total > 0 else parts * 0.0


def dagum_gini(values: ArrayLike, groups: ArrayLike | pd.Series | list[str]) -> DagumGini:
    """Dagum's (1997, Empirical Economics 22: 515-531) subgroup decomposition of the Gini.

    For k groups with n_j members, means m_j (ordered so that m_j >= m_h in each pair),
    p_j = n_j / n and s_j = n_j m_j / (n m):

        G    = sum_j sum_h sum_i sum_r |y_ji - y_hr| / (2 n^2 m)
        G_jj = sum_i sum_r |y_ji - y_jr| / (2 n_j^2 m_j)
        G_jh = sum_i sum_r |y_ji - y_hr| / (n_j n_h (m_j + m_h))
        d_jh = mean over pairs of max(y_ji - y_hr, 0),  p_jh = mean of max(y_hr - y_ji, 0)
        D_jh = (d_jh - p_jh) / (d_jh + p_jh)
        G_w  = sum_j G_jj p_j s_j
        G_nb = sum_{j>h} G_jh (p_j s_h + p_h s_j) D_jh
        G_t  = sum_{j>h} G_jh (p_j s_h + p_h s_j) (1 - D_jh)

    and G = G_w + G_nb + G_t exactly. The overall G is the unweighted ``gini``.
    """
    x = as_series(values, name="values").to_numpy()
    labels = np.asarray(list(groups), dtype=object)
    if len(labels) != len(x):
        raise ValueError(f"groups has {len(labels)} entries but values has {len(x)}")
    if (x < 0).any():
        raise ValueError("values must be non-negative")
    n, mean = len(x), float(x.mean())
    if mean <= 0:
        raise ValueError("values has mean 0; the Gini coefficient is undefined")
    names = list(pd.unique(labels))
    members = {g: x[labels == g] for g in names}
    means = {g: float(v.mean()) for g, v in members.items()}
    p = {g: len(v) / n for g, v in members.items()}
    s = {g: len(v) * means[g] / (n * mean) for g, v in members.items()}

    total = float(np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * mean))
    group_gini = {}
    for g, v in members.items():
        group_gini[g] = (
            float(np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) ** 2 * means[g]))
            if means[g] > 0
            else 0.0
        )
    within = sum(group_gini[g] * p[g] * s[g] for g in names)
    between_gini = pd.DataFrame(np.nan, index=names, columns=names)
    impact = pd.DataFrame(np.nan, index=names, columns=names)
    between_net = transvariation = 0.0
    for a_idx, a in enumerate(names):
        for b in names[a_idx + 1 :]:
            j, h = (a, b) if means[a] >= means[b] else (b, a)
            diff = members[j][:, None] - members[h][None, :]
            g_jh = float(
                np.abs(diff).sum() / (len(members[j]) * len(members[h]) * (means[j] + means[h]))
            )
            d_jh = float(np.clip(diff, 0, None).mean())
            p_jh = float(np.clip(-diff, 0, None).mean())
            big_d = (d_jh - p_jh) / (d_jh + p_jh) if d_jh + p_jh > 0 else 0.0
            factor = g_jh * (p[j] * s[h] + p[h] * s[j])
            between_net += factor * big_d
            transvariation += factor * (1.0 - big_d)
            between_gini.loc[j, h] = between_gini.loc[h, j] = g_jh
            impact.loc[j, h] = big_d
            impact.loc[h, j] = -big_d
    return DagumGini(
        total=total,
        within=float(within),
        between_net=float(between_net),
        transvariation=float(transvariation),
        group_gini=pd.Series(group_gini, name="gini"),
        between_gini=between_gini,
        relative_impact=impact,
    )
