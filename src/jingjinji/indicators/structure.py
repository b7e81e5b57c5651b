"""Industrial structure: location quotients, specialisation and structural similarity."""

from __future__ import annotations

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import as_frame, as_series

__all__ = ["krugman_specialization", "location_quotient", "structural_similarity"]


def location_quotient(table: pd.DataFrame) -> pd.DataFrame:
    """Location quotient (区位熵) of each industry in each place.

    ``table`` has places as rows and industries as columns (employment, value added, ...).
    LQ_ij = (e_ij / e_i) / (E_j / E), with e_i the place total, E_j the regional total of
    industry j and E the regional total. LQ > 1 marks a specialisation. The rows of
    ``table`` are the reference region; add a national row to compare with the country.

    >>> location_quotient(pd.DataFrame({"a": [1, 3], "b": [1, 1]}, index=["x", "y"])).round(2)
          a     b
    x  0.75  1.50
    y  1.12  0.75
    """
    x = as_frame(table, name="table")
    if (x.to_numpy() < 0).any():
        raise ValueError("table must be non-negative")
    place_totals = x.sum(axis=1)
    empty = place_totals.index[place_totals <= 0].tolist()
    if empty:
        raise ValueError(f"table rows {empty} sum to 0; their shares are undefined")
    industry_share = x.sum(axis=0) / float(x.to_numpy().sum())
    zero_industries = industry_share.index[industry_share <= 0]
    shares = x.div(place_totals, axis=0)
    out = shares.div(industry_share.where(industry_share > 0, 1.0), axis=1)
    out[zero_industries] = np.nan  # an industry absent everywhere has no quotient
    return out


def _shares(values: pd.Series, name: str) -> pd.Series:
    series = as_series(values, name=name)
    if (series < 0).any() or series.sum() <= 0:
        raise ValueError(f"{name} must be non-negative with a positive sum")
    return series / series.sum()


def _aligned(a: pd.Series, b: pd.Series) -> tuple[pd.Series, pd.Series]:
    if isinstance(a, pd.Series) and isinstance(b, pd.Series):
        if set(a.index) != set(b.index):
            diff = sorted(map(str, set(a.index) ^ set(b.index)))
            raise ValueError(f"a and b cover different industries: {', '.join(diff)}")
        b = b.reindex(a.index)
    elif len(a) != len(b):
        raise ValueError(f"a has {len(a)} industries but b has {len(b)}")
    return _shares(pd.Series(a), "a"), _shares(pd.Series(b).set_axis(pd.Series(a).index), "b")


def krugman_specialization(a: pd.Series, b: pd.Series) -> float:
    """Krugman's specialisation index between two places (Krugman 1991, Geography and Trade).

    K_ab = sum_k |s_ak - s_bk|, with s_ak the share of industry k in place a's total;
    0 = identical structures, 2 = no industry in common.

    >>> krugman_specialization(pd.Series({"x": 1, "y": 1}), pd.Series({"x": 3, "y": 1}))
    0.5
    """
    sa, sb = _aligned(a, b)
    return float(np.abs(sa - sb).sum())


def structural_similarity(a: pd.Series, b: pd.Series) -> float:
    """Structural similarity coefficient (产业结构相似系数; UNIDO 1979).

    S_ab = sum_k s_ak s_bk / sqrt(sum_k s_ak^2 * sum_k s_bk^2), the cosine of the two share
    vectors: 1 = identical structures (产业同构), 0 = no industry in common.

    >>> round(structural_similarity(pd.Series([1, 1]), pd.Series([3, 1])), 4)
    0.8944
    """
    sa, sb = _aligned(a, b)
    return float((sa * sb).sum() / np.sqrt((sa**2).sum() * (sb**2).sum()))
