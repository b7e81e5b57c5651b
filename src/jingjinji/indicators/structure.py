"""Industrial structure: location quotients, specialisation and structural similarity."""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from jingjinji.indicators._checks import as_frame, as_series
from jingjinji.indicators.places import NATIONAL, REGION, resolve_builtin

__all__ = ["krugman_specialization", "location_quotient", "structural_similarity"]


def location_quotient(
    table: pd.DataFrame,
    national: pd.Series | Mapping[Hashable, float] | None = None,
    *,
    national_total: float | None = None,
    place_totals: pd.Series | Mapping[Hashable, float] | None = None,
) -> pd.DataFrame:
    """Location quotient (区位熵) of each industry in each place against a benchmark.

    ``table`` has places as rows and industries as columns (employment, value added, ...).
    The simple location quotient (Florence 1948; Isard 1960, *Methods of Regional Analysis*;
    Miller & Blair 2009, *Input–Output Analysis*, 2nd ed., ch. 8) is

        LQ_ij = (e_ij / e_i) / (E_j / E),

    e_ij the place's value of industry j, e_i the place's total, E_j and E the benchmark's.
    LQ > 1 marks a specialisation. Benchmarks:

    * regional (default): E_j = Σ_i e_ij and E = Σ_ij e_ij, the table's own sums — the rows
      are the reference region;
    * national: ``national`` gives E_j per industry (it must cover every column; industries
      it has beyond the table are ignored), and E = Σ_j E_j over the table's industries, as
      e_i sums them. For all-activity totals pass both ``national_total`` (E) and
      ``place_totals`` (e_i): shares of like totals, or neither.

    The benchmark is an input, never a row: a row that looks like the nation or the region
    (``100000``, ``全国``, ``jjj``, ``京津冀``, ``合计``) would count the aggregate inside
    E_j and E, so it is refused. An industry absent from the benchmark has no quotient (NaN).

    >>> location_quotient(pd.DataFrame({"a": [1, 3], "b": [1, 1]}, index=["x", "y"])).round(2)
          a     b
    x  0.75  1.50
    y  1.12  0.75
    >>> location_quotient(pd.DataFrame({"a": [1, 3], "b": [1, 1]}, index=["x", "y"]),
    ...                   national=pd.Series({"a": 50, "b": 50})).round(2)
         a    b
    x  1.0  1.0
    y  1.5  0.5
    """
    x = as_frame(table, name="table")
    if (x.to_numpy() < 0).any():
        raise ValueError("table must be non-negative")
    aggregates = _aggregate_rows(x.index)
    if aggregates:
        fix = (
            "the national benchmark is national=, not a row"
            if national is not None
            else "to compare with the nation pass its per-industry totals as national="
        )
        raise ValueError(
            f"table rows {aggregates} look like the nation or region total and would be "
            f"counted inside the benchmark E_j, E; drop them ({fix})"
        )
    if (national_total is None) != (place_totals is None):
        raise ValueError(
            "national_total (E over all activities) and place_totals (e_i over the same "
            "activities) go together: otherwise the place's and the nation's shares are of "
            "different totals"
        )
    if national is None and national_total is not None:
        raise ValueError("national_total needs national, the per-industry national totals")
    if national is None:
        benchmark = x.sum(axis=0)
        grand = float(benchmark.sum())
    else:
        benchmark = _national_vector(national, x)
        grand = float(benchmark.sum())
        if national_total is not None:
            if not np.isfinite(national_total) or national_total < grand * (1 - 1e-9):
                raise ValueError(
                    f"national_total {national_total} is below the sum of national over the "
                    f"table's industries ({grand:g})"
                )
            grand = float(national_total)
    totals = x.sum(axis=1) if place_totals is None else _place_totals(place_totals, x)
    empty = totals.index[totals <= 0].tolist()
    if empty:
        raise ValueError(f"table rows {empty} sum to 0; their shares are undefined")
    industry_share = benchmark / grand if grand > 0 else benchmark * 0.0
    zero_industries = industry_share.index[industry_share <= 0]
    shares = x.div(totals, axis=0)
    out = shares.div(industry_share.where(industry_share > 0, 1.0), axis=1)
    out[zero_industries] = np.nan  # an industry absent from the benchmark has no quotient
    return out


#: Labels of aggregate rows besides the codes and names :func:`resolve_builtin` knows.
_AGGREGATE_LABELS = frozenset({"合计", "总计", "总和", "total", "national", "nation", "all"})


def _aggregate_rows(index: pd.Index) -> list[str]:
    """Row labels naming the nation (100000, 全国, 中国) or the region (jjj, 京津冀), or a total."""
    found = []
    for label in index:
        parts = label if isinstance(label, tuple) else (label,)
        for part in parts:
            text = re.sub(r"\s+", "", str(part))
            if text.lower() in _AGGREGATE_LABELS or resolve_builtin(text) in (NATIONAL, REGION):
                found.append(str(label))
                break
    return found


def _national_vector(national: pd.Series | Mapping[Hashable, float], x: pd.DataFrame) -> pd.Series:
    """E_j aligned with the table's industries; refuses gaps, negatives and E_j = 0 < e_ij."""
    series = national if isinstance(national, pd.Series) else pd.Series(dict(national))
    missing = [str(c) for c in x.columns if c not in series.index]
    if missing:
        raise ValueError(f"national has no total for industry(ies) {', '.join(missing)}")
    vector = as_series(series.reindex(x.columns), name="national")
    if (vector < 0).any():
        raise ValueError("national must be non-negative")
    absent = [str(c) for c in x.columns if vector[c] <= 0 and (x[c] > 0).any()]
    if absent:
        raise ValueError(
            f"national total is 0 for industry(ies) {', '.join(absent)} that places of the "
            "table have"
        )
    return vector


def _place_totals(place_totals: pd.Series | Mapping[Hashable, float], x: pd.DataFrame) -> pd.Series:
    """e_i aligned with the table's places; each at least the place's sum over the table."""
    series = place_totals if isinstance(place_totals, pd.Series) else pd.Series(dict(place_totals))
    missing = [str(p) for p in x.index if p not in series.index]
    if missing:
        raise ValueError(f"place_totals has no total for place(s) {', '.join(missing)}")
    totals = as_series(series.reindex(x.index), name="place_totals")
    short = [str(p) for p in x.index if totals[p] < x.loc[p].sum() * (1 - 1e-9)]
    if short:
        raise ValueError(f"place_totals is below the table's sum for place(s) {', '.join(short)}")
    return totals


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
